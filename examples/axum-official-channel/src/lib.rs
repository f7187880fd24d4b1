//! A Tencent Cloud Chat Official Channel webhook service on axum: every event is logged,
//! and messages with a blocked word are refused before delivery.

use std::env;
use std::error::Error;
use std::sync::Arc;

use axum::Router;
use axum::extract::{FromRef, State};
use axum::routing::post;
use tencent_chat_webhook_axum::official_channel::{
    BeforeSendMsg, BeforeSendMsgReply, OfficialChannelEvent,
};
use tencent_chat_webhook_axum::{Answer, Callback, ConfigError, Reply, WebhookConfig};

/// What the service is told through the environment.
#[derive(Debug, Clone)]
pub struct Settings {
    /// `BIND_ADDR`: where to listen.
    pub bind_addr: String,
    /// `TENCENT_SDKAPPID`: the app whose webhooks are accepted.
    pub sdk_app_id: u64,
    /// `TENCENT_WEBHOOK_TOKEN`: the token set in the console; `None` accepts unsigned requests.
    pub token: Option<String>,
    /// `BLOCKED_WORDS`: comma-separated words refused by the moderation demo.
    pub blocked_words: Vec<String>,
}

impl Settings {
    /// Reads the settings from the environment, with the documented defaults.
    ///
    /// # Errors
    ///
    /// When `TENCENT_SDKAPPID` is not a number.
    pub fn from_env() -> Result<Self, Box<dyn Error>> {
        let var = |name| env::var(name).ok().filter(|value| !value.is_empty());
        Ok(Self {
            bind_addr: var("BIND_ADDR").unwrap_or_else(|| "127.0.0.1:3000".into()),
            sdk_app_id: var("TENCENT_SDKAPPID").map_or(Ok(1_400_000_000), |id| {
                id.parse()
                    .map_err(|_| format!("TENCENT_SDKAPPID is not a number: {id:?}"))
            })?,
            token: var("TENCENT_WEBHOOK_TOKEN"),
            blocked_words: var("BLOCKED_WORDS")
                .unwrap_or_default()
                .split(',')
                .map(str::trim)
                .filter(|word| !word.is_empty())
                .map(String::from)
                .collect(),
        })
    }

    /// The webhook configuration: the app, signed when a token is set.
    ///
    /// # Errors
    ///
    /// When the token is unusable (e.g. longer than the core allows).
    pub fn webhook_config(&self) -> Result<WebhookConfig, ConfigError> {
        let builder = WebhookConfig::builder();
        match &self.token {
            Some(token) => builder.app(self.sdk_app_id, [token.as_str()]),
            None => builder.unsigned_app(self.sdk_app_id),
        }
        .build()
    }
}

#[derive(Clone)]
struct AppState {
    config: WebhookConfig,
    /// Lower-cased, so that matching ignores case.
    blocked_words: Arc<[String]>,
}

impl FromRef<AppState> for WebhookConfig {
    fn from_ref(state: &AppState) -> Self {
        state.config.clone()
    }
}

/// The service: `POST /webhook` for every Official Channel command.
pub fn app(config: WebhookConfig, blocked_words: &[String]) -> Router {
    let blocked_words = blocked_words.iter().map(|w| w.to_lowercase()).collect();
    Router::new()
        .route("/webhook", post(webhook))
        .with_state(AppState {
            config,
            blocked_words,
        })
}

async fn webhook(
    State(state): State<AppState>,
    Callback(delivery): Callback<OfficialChannelEvent>,
) -> Reply<Answer> {
    tracing::info!("{}", delivery.event);
    Reply(match &delivery.event {
        OfficialChannelEvent::BeforeSendMsg(msg) => moderate(msg, &state.blocked_words).into(),
        // After-webhooks need no verdict; the other before-webhooks are allowed.
        _ => Answer::ok(),
    })
}

/// Refuses a message whose text contains a blocked word (given in lower case).
fn moderate(msg: &BeforeSendMsg, blocked_words: &[String]) -> BeforeSendMsgReply {
    let blocked = msg.texts().map(str::to_lowercase).any(|text| {
        blocked_words
            .iter()
            .any(|word| text.contains(word.as_str()))
    });
    if blocked {
        BeforeSendMsgReply::Refuse
    } else {
        BeforeSendMsgReply::allow()
    }
}

#[cfg(test)]
mod tests {
    use tencent_chat_webhook_axum::Answer;
    use tencent_chat_webhook_axum::official_channel::BeforeSendMsg;

    use super::moderate;

    /// A before-send message with one text element, decoded by the core.
    fn message(text: &str) -> BeforeSendMsg {
        let body = format!(
            r#"{{"CallbackCommand":"OfficialAccount.CallbackBeforeSendMsg","Official_Account":"a",
                "MsgBody":[{{"MsgType":"TIMTextElem","MsgContent":{{"Text":{text:?}}}}}],"EventTime":1}}"#
        );
        let config = tencent_chat_webhook_axum::WebhookConfig::builder()
            .unsigned_app(1)
            .build()
            .unwrap();
        config
            .receive::<BeforeSendMsg>(
                Some("SdkAppid=1&CallbackCommand=OfficialAccount.CallbackBeforeSendMsg"),
                body.into(),
            )
            .unwrap()
            .event
    }

    #[test]
    fn blocked_words_are_refused_whatever_their_case() {
        let blocked = ["spam".to_owned()];
        let refused = Answer::from(moderate(&message("Buy SPAM now"), &blocked));
        assert_eq!(
            refused.body(),
            r#"{"ActionStatus":"OK","ErrorCode":1,"ErrorInfo":""}"#
        );
        let allowed = Answer::from(moderate(&message("hello"), &blocked));
        assert_eq!(allowed, Answer::ok());
        assert_eq!(Answer::from(moderate(&message("spam"), &[])), Answer::ok());
    }
}
