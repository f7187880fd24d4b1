//! A Tencent Cloud Chat Official Channel webhook service on actix-web: every event is
//! logged, and messages with a blocked word are refused before delivery.

use std::env;
use std::error::Error;
use std::sync::Arc;

use actix_web::body::BoxBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::{App, web};
use tencent_chat_webhook_actix::official_channel::{
    BeforeSendMsg, BeforeSendMsgReply, OfficialChannelEvent,
};
use tencent_chat_webhook_actix::{Answer, Callback, ConfigError, Reply, WebhookConfig};

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

/// The words refused by the moderation demo, lower-cased so that matching ignores case.
#[derive(Debug, Clone)]
struct BlockedWords(Arc<[String]>);

/// The service: `POST /webhook` for every Official Channel command. `HttpServer` calls
/// this once per worker.
pub fn app(
    config: WebhookConfig,
    blocked_words: &[String],
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<BoxBody>,
        Error = actix_web::Error,
        InitError = (),
    > + use<>,
> {
    let blocked_words = BlockedWords(blocked_words.iter().map(|w| w.to_lowercase()).collect());
    App::new()
        .app_data(config)
        .app_data(web::Data::new(blocked_words))
        // A resource rather than `App::route`, so that other methods get 405, not 404.
        .service(web::resource("/webhook").route(web::post().to(webhook)))
}

async fn webhook(
    blocked_words: web::Data<BlockedWords>,
    Callback(delivery): Callback<OfficialChannelEvent>,
) -> Reply<Answer> {
    tracing::info!("{}", delivery.event);
    Reply(match &delivery.event {
        OfficialChannelEvent::BeforeSendMsg(msg) => moderate(msg, &blocked_words.0).into(),
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
    use tencent_chat_webhook_actix::Answer;
    use tencent_chat_webhook_actix::official_channel::BeforeSendMsg;

    use super::moderate;

    /// A before-send message with one text element, decoded by the core.
    fn message(text: &str) -> BeforeSendMsg {
        let body = format!(
            r#"{{"CallbackCommand":"OfficialAccount.CallbackBeforeSendMsg","Official_Account":"a",
                "MsgBody":[{{"MsgType":"TIMTextElem","MsgContent":{{"Text":{text:?}}}}}],"EventTime":1}}"#
        );
        let config = tencent_chat_webhook_actix::WebhookConfig::builder()
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

    #[actix_web::test]
    async fn other_methods_and_paths_get_the_frameworks_answers() {
        use actix_web::test::{TestRequest, call_service, init_service};

        let config = tencent_chat_webhook_actix::WebhookConfig::builder()
            .unsigned_app(1)
            .build()
            .unwrap();
        let app = init_service(super::app(config, &[])).await;
        let get = call_service(&app, TestRequest::get().uri("/webhook").to_request()).await;
        assert_eq!(get.status().as_u16(), 405);
        let other = call_service(&app, TestRequest::post().uri("/other").to_request()).await;
        assert_eq!(other.status().as_u16(), 404);
    }
}
