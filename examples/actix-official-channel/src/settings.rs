//! What the service is told through the environment.

use std::env;
use std::net::IpAddr;

use tencent_chat_webhook_actix::WebhookConfig;
use tencent_chat_webhook_actix::config::{ConfigError, IpNet};
use tencent_chat_webhook_actix::dedupe::{Dedupe, MemoryStore, RedisStore, StoreError};

/// Why the service does not start without a token, and what to do.
const NO_TOKEN: &str = "TENCENT_WEBHOOK_TOKEN is not set: set it to the webhook token of your app \
    in the Chat console, or set TENCENT_WEBHOOK_UNSIGNED=1 to accept unsigned requests";

/// Why the service does not start with both a token and unsigned requests asked for.
const TOKEN_AND_UNSIGNED: &str =
    "TENCENT_WEBHOOK_TOKEN and TENCENT_WEBHOOK_UNSIGNED=1 are both set: unset one of them";

/// The service's settings; see the README for each variable. Not `Debug`, so that the token
/// cannot end up in a log.
pub struct Settings {
    /// `BIND_ADDR`: where to listen.
    pub bind_addr: String,
    /// `TENCENT_SDKAPPID`: the app whose webhooks are accepted.
    pub sdk_app_id: u64,
    /// `TENCENT_WEBHOOK_TOKEN`: the token set in the console; `None` only when
    /// `TENCENT_WEBHOOK_UNSIGNED=1` asks for unsigned requests to be accepted.
    pub token: Option<String>,
    /// `BLOCKED_WORDS`: comma-separated words refused by the moderation demo.
    pub blocked_words: Vec<String>,
    /// `REDIS_URL`: the Redis that every instance shares to recognise a retried delivery;
    /// `None` to recognise them in this process's memory. It may hold a password.
    pub redis_url: Option<String>,
    /// `DEDUPE=off`: every delivery is handled, a retried one again; for an app whose
    /// console leaves retry on timeout off, so that Tencent sends each delivery once.
    pub dedupe_off: bool,
    /// `ALLOWED_SOURCES`: the only source ranges accepted; `None` accepts any source.
    pub allowed_sources: Option<Vec<IpNet>>,
    /// `TRUSTED_PROXIES`: the proxies whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Vec<IpNet>,
}

impl Settings {
    /// Reads the settings from the environment.
    ///
    /// # Errors
    ///
    /// As [`Settings::from_lookup`].
    pub fn from_env() -> Result<Self, String> {
        Self::from_lookup(|name| env::var(name).ok())
    }

    /// Reads the settings through `lookup`, which gives a variable's value by its name, with
    /// the documented defaults. An empty value counts as unset.
    ///
    /// # Errors
    ///
    /// When no token is set and `TENCENT_WEBHOOK_UNSIGNED=1` is not either, when both are
    /// set, when `TENCENT_WEBHOOK_UNSIGNED` is not `1`, when `TENCENT_SDKAPPID` is not a
    /// number, when `ALLOWED_SOURCES` or `TRUSTED_PROXIES` holds something that is not an
    /// address range, when `ALLOWED_SOURCES` names none, when `TRUSTED_PROXIES` is set
    /// without `ALLOWED_SOURCES`, when `DEDUPE` is not `off`, or when it is `off` with a
    /// `REDIS_URL`.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, String> {
        let var = |name: &str| lookup(name).filter(|value| !value.is_empty());
        let unsigned = match var("TENCENT_WEBHOOK_UNSIGNED").as_deref() {
            None => false,
            Some("1") => true,
            Some(other) => {
                return Err(format!(
                    "TENCENT_WEBHOOK_UNSIGNED is {other:?}: set it to 1 to accept unsigned \
                     requests, or leave it unset"
                ));
            }
        };
        let token = match (var("TENCENT_WEBHOOK_TOKEN"), unsigned) {
            (Some(token), false) => Some(token),
            (None, true) => None,
            (None, false) => return Err(NO_TOKEN.into()),
            // Refused rather than guessed: either reading would surprise someone.
            (Some(_), true) => return Err(TOKEN_AND_UNSIGNED.into()),
        };
        let allowed_sources = var("ALLOWED_SOURCES")
            .map(|value| ranges("ALLOWED_SOURCES", &value))
            .transpose()?;
        if allowed_sources.as_ref().is_some_and(Vec::is_empty) {
            return Err(
                "ALLOWED_SOURCES names no address range: set it to Tencent's webhook \
                        addresses, or leave it unset to accept any source"
                    .into(),
            );
        }
        let trusted_proxies = var("TRUSTED_PROXIES")
            .map_or(Ok(Vec::new()), |value| ranges("TRUSTED_PROXIES", &value))?;
        if allowed_sources.is_none() && !trusted_proxies.is_empty() {
            return Err(
                "TRUSTED_PROXIES is set but ALLOWED_SOURCES is not: set ALLOWED_SOURCES \
                        to Tencent's webhook addresses, or unset TRUSTED_PROXIES"
                    .into(),
            );
        }
        let redis_url = var("REDIS_URL");
        let dedupe_off = match var("DEDUPE").as_deref() {
            None => false,
            Some("off") if redis_url.is_none() => true,
            Some("off") => {
                return Err("DEDUPE=off and REDIS_URL are both set: unset one of them".into());
            }
            Some(other) => {
                return Err(format!(
                    "DEDUPE is {other:?}: set it to off to handle retried deliveries again, \
                     or leave it unset"
                ));
            }
        };
        Ok(Self {
            bind_addr: var("BIND_ADDR").unwrap_or_else(|| "127.0.0.1:3000".into()),
            sdk_app_id: var("TENCENT_SDKAPPID").map_or(Ok(1_400_000_000), |id| {
                id.parse()
                    .map_err(|_| format!("TENCENT_SDKAPPID is not a number: {id:?}"))
            })?,
            token,
            blocked_words: var("BLOCKED_WORDS")
                .unwrap_or_default()
                .split(',')
                .map(str::trim)
                .filter(|word| !word.is_empty())
                .map(String::from)
                .collect(),
            redis_url,
            dedupe_off,
            allowed_sources,
            trusted_proxies,
        })
    }

    /// What recognises a retried after-webhook: the Redis at `REDIS_URL`, shared by every
    /// instance, or else this process's memory; `None` with `DEDUPE=off`. Call it inside
    /// the async runtime; no connection is made yet, and while Redis cannot be reached
    /// webhooks are still handled.
    ///
    /// # Errors
    ///
    /// When `REDIS_URL` is not a Redis URL.
    pub fn dedupe(&self) -> Result<Option<Dedupe>, StoreError> {
        Ok(match &self.redis_url {
            _ if self.dedupe_off => None,
            Some(url) => Some(Dedupe::new(RedisStore::new(url)?)),
            None => Some(Dedupe::new(MemoryStore::new())),
        })
    }

    /// The webhook configuration: the app, signed unless unsigned requests were asked for,
    /// and the allowed sources when `ALLOWED_SOURCES` names them.
    ///
    /// # Errors
    ///
    /// When the token is unusable (e.g. longer than the library allows).
    pub fn webhook_config(&self) -> Result<WebhookConfig, ConfigError> {
        let mut builder = WebhookConfig::builder();
        if let Some(allowed) = &self.allowed_sources {
            builder = builder
                .allowed_sources(allowed.iter().copied())
                .trusted_proxies(self.trusted_proxies.iter().copied());
        }
        match &self.token {
            Some(token) => builder.app(self.sdk_app_id, [token.as_str()]),
            None => builder.unsigned_app(self.sdk_app_id),
        }
        .build()
    }
}

/// The comma-separated address ranges of the variable `name`: CIDRs (`203.0.113.0/24`) or
/// single addresses (`203.0.113.9`), as Tencent's `GetIPList` gives them.
fn ranges(name: &str, value: &str) -> Result<Vec<IpNet>, String> {
    value
        .split(',')
        .map(str::trim)
        .filter(|entry| !entry.is_empty())
        .map(|entry| {
            entry
                .parse::<IpNet>()
                .or_else(|_| entry.parse::<IpAddr>().map(IpNet::from))
                .map_err(|_| {
                    format!(
                        "{name}: {entry:?} is not an address range (e.g. 203.0.113.0/24) or an \
                         IP address"
                    )
                })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{IpNet, Settings};

    /// The settings read from these variables alone.
    fn settings(vars: &[(&str, &str)]) -> Result<Settings, String> {
        Settings::from_lookup(|name| {
            vars.iter()
                .find(|(var, _)| *var == name)
                .map(|(_, value)| (*value).to_owned())
        })
    }

    #[test]
    fn a_token_alone_gives_the_defaults() {
        let settings = settings(&[("TENCENT_WEBHOOK_TOKEN", "xxxxyyyy")]).unwrap();
        assert_eq!(settings.bind_addr, "127.0.0.1:3000");
        assert_eq!(settings.sdk_app_id, 1_400_000_000);
        assert_eq!(settings.token.as_deref(), Some("xxxxyyyy"));
        assert!(settings.blocked_words.is_empty());
        assert_eq!(settings.redis_url, None);
        assert!(!settings.dedupe_off);
        assert_eq!(settings.allowed_sources, None);
        assert!(settings.trusted_proxies.is_empty());
        let config = settings.webhook_config().unwrap();
        assert_eq!(config.allowed_sources(), None);
    }

    #[test]
    fn every_variable_is_read() {
        let settings = settings(&[
            ("BIND_ADDR", "0.0.0.0:8080"),
            ("TENCENT_SDKAPPID", "1400123456"),
            ("TENCENT_WEBHOOK_TOKEN", "xxxxyyyy"),
            ("BLOCKED_WORDS", " spam, ,Scam "),
            ("REDIS_URL", "redis://127.0.0.1:6379"),
            (
                "ALLOWED_SOURCES",
                "203.0.113.0/24, 198.51.100.7,2001:db8::/32",
            ),
            ("TRUSTED_PROXIES", " 10.0.0.0/8 "),
        ])
        .unwrap();
        assert_eq!(settings.bind_addr, "0.0.0.0:8080");
        assert_eq!(settings.sdk_app_id, 1_400_123_456);
        assert_eq!(settings.blocked_words, ["spam", "Scam"]);
        assert_eq!(
            settings.redis_url.as_deref(),
            Some("redis://127.0.0.1:6379")
        );
        let config = settings.webhook_config().unwrap();
        let shown: Vec<_> = config
            .allowed_sources()
            .unwrap()
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            shown,
            ["203.0.113.0/24", "198.51.100.7/32", "2001:db8::/32"]
        );
        assert_eq!(
            config.trusted_proxies(),
            ["10.0.0.0/8".parse::<IpNet>().unwrap()]
        );
    }

    #[test]
    fn source_ranges_that_do_not_parse_name_their_variable() {
        let token = ("TENCENT_WEBHOOK_TOKEN", "xxxxyyyy");
        assert_eq!(
            settings(&[token, ("ALLOWED_SOURCES", "203.0.113.0/24,203.0.113.300")])
                .err()
                .as_deref(),
            Some(
                "ALLOWED_SOURCES: \"203.0.113.300\" is not an address range (e.g. \
                 203.0.113.0/24) or an IP address"
            )
        );
        assert_eq!(
            settings(&[
                token,
                ("ALLOWED_SOURCES", "203.0.113.0/24"),
                ("TRUSTED_PROXIES", "10.0.0.0/33")
            ])
            .err()
            .as_deref(),
            Some(
                "TRUSTED_PROXIES: \"10.0.0.0/33\" is not an address range (e.g. 203.0.113.0/24) \
                 or an IP address"
            )
        );
    }

    #[test]
    fn an_allow_list_must_name_a_range_and_come_with_any_proxies() {
        let token = ("TENCENT_WEBHOOK_TOKEN", "xxxxyyyy");
        // Empty counts as unset: any source.
        let open = settings(&[token, ("ALLOWED_SOURCES", "")]).unwrap();
        assert_eq!(open.allowed_sources, None);
        assert_eq!(
            settings(&[token, ("ALLOWED_SOURCES", " , ")])
                .err()
                .as_deref(),
            Some(
                "ALLOWED_SOURCES names no address range: set it to Tencent's webhook \
                 addresses, or leave it unset to accept any source"
            )
        );
        assert_eq!(
            settings(&[token, ("TRUSTED_PROXIES", "10.0.0.0/8")])
                .err()
                .as_deref(),
            Some(
                "TRUSTED_PROXIES is set but ALLOWED_SOURCES is not: set ALLOWED_SOURCES to \
                 Tencent's webhook addresses, or unset TRUSTED_PROXIES"
            )
        );
    }

    #[actix_web::test]
    async fn retried_deliveries_are_recognised_in_memory_or_through_redis() {
        let token = ("TENCENT_WEBHOOK_TOKEN", "xxxxyyyy");
        let in_memory = settings(&[token]).unwrap().dedupe().unwrap();
        assert!(format!("{in_memory:?}").contains("MemoryStore"));
        let off = settings(&[token, ("DEDUPE", "off")]).unwrap();
        assert!(off.dedupe_off);
        assert!(off.dedupe().unwrap().is_none());
        // No connection is made until a delivery arrives.
        let redis = settings(&[token, ("REDIS_URL", "redis://:pa55@127.0.0.1:1/2")])
            .unwrap()
            .dedupe()
            .unwrap();
        let shown = format!("{:?}", redis.unwrap());
        assert!(
            shown.contains("RedisStore") && shown.contains("127.0.0.1:1"),
            "{shown}"
        );
        assert!(!shown.contains("pa55"), "{shown}");
        let not_redis = settings(&[token, ("REDIS_URL", "http://127.0.0.1")]).unwrap();
        assert_eq!(
            not_redis.dedupe().unwrap_err().to_string(),
            "not a Redis URL"
        );
    }

    #[test]
    fn dedupe_is_off_or_unset_and_never_off_with_redis() {
        let token = ("TENCENT_WEBHOOK_TOKEN", "xxxxyyyy");
        assert_eq!(
            settings(&[token, ("DEDUPE", "no")]).err().as_deref(),
            Some(
                "DEDUPE is \"no\": set it to off to handle retried deliveries again, or leave it unset"
            )
        );
        assert_eq!(
            settings(&[token, ("DEDUPE", "off"), ("REDIS_URL", "redis://127.0.0.1")])
                .err()
                .as_deref(),
            Some("DEDUPE=off and REDIS_URL are both set: unset one of them")
        );
        assert!(!settings(&[token, ("DEDUPE", "")]).unwrap().dedupe_off);
    }

    #[test]
    fn without_a_token_the_service_refuses_to_start() {
        let message = "TENCENT_WEBHOOK_TOKEN is not set: set it to the webhook token of your app \
                       in the Chat console, or set TENCENT_WEBHOOK_UNSIGNED=1 to accept unsigned \
                       requests";
        assert_eq!(settings(&[]).err().as_deref(), Some(message));
        // An empty value counts as unset.
        assert_eq!(
            settings(&[("TENCENT_WEBHOOK_TOKEN", "")]).err().as_deref(),
            Some(message)
        );
    }

    #[test]
    fn unsigned_requests_are_accepted_only_when_asked_for() {
        let settings = settings(&[("TENCENT_WEBHOOK_UNSIGNED", "1")]).unwrap();
        assert_eq!(settings.token, None);
        assert!(settings.webhook_config().is_ok());
    }

    #[test]
    fn a_token_and_unsigned_together_are_refused() {
        assert_eq!(
            settings(&[
                ("TENCENT_WEBHOOK_TOKEN", "xxxxyyyy"),
                ("TENCENT_WEBHOOK_UNSIGNED", "1")
            ])
            .err()
            .as_deref(),
            Some(
                "TENCENT_WEBHOOK_TOKEN and TENCENT_WEBHOOK_UNSIGNED=1 are both set: unset one of them"
            )
        );
    }

    #[test]
    fn unsigned_is_1_or_unset() {
        assert_eq!(
            settings(&[("TENCENT_WEBHOOK_UNSIGNED", "true")])
                .err()
                .as_deref(),
            Some(
                "TENCENT_WEBHOOK_UNSIGNED is \"true\": set it to 1 to accept unsigned requests, \
                 or leave it unset"
            )
        );
    }

    #[test]
    fn the_sdkappid_is_a_number() {
        assert_eq!(
            settings(&[
                ("TENCENT_WEBHOOK_TOKEN", "xxxxyyyy"),
                ("TENCENT_SDKAPPID", "14000000OO")
            ])
            .err()
            .as_deref(),
            Some("TENCENT_SDKAPPID is not a number: \"14000000OO\"")
        );
    }
}
