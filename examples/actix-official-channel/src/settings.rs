//! What the service is told through the environment.

use std::env;
use std::error::Error;

use tencent_chat_webhook_actix::{ConfigError, WebhookConfig};

/// The service's settings; see the README for each variable.
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
