//! The rate-limit alarm.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::log_line::Word;
use crate::time::UnixMillis;

/// `Alert.RequestOverLimit`: a REST API's calls per second passed 80 % of its limit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RequestOverLimit {
    /// The REST API's service (`ServiceName`), such as `openim`.
    #[serde(rename = "ServiceName")]
    pub service_name: String,
    /// The REST API's command (`Command`), such as `batchsendmsg`.
    #[serde(rename = "Command")]
    pub command: String,
    /// The current calls per second (`Request`).
    #[serde(rename = "Request", deserialize_with = "crate::de::u64")]
    pub request: u64,
    /// The API's limit, in calls per second (`Limit`).
    #[serde(rename = "Limit", deserialize_with = "crate::de::u64")]
    pub limit: u64,
    /// When it happened (`EventTime`), when sent (not in the doc for this command).
    #[serde(rename = "EventTime", default, skip_serializing_if = "Option::is_none")]
    pub event_time: Option<UnixMillis>,
}

impl fmt::Display for RequestOverLimit {
    /// The API, its current rate and its limit.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "ServiceName={} Command={} Request={} Limit={}",
            Word(&self.service_name),
            Word(&self.command),
            self.request,
            self.limit
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::test_support::{assert_required, decode, fixture};

    const SAMPLE: &str = fixture!("alert", "request_over_limit");

    #[test]
    fn request_over_limit() {
        let event: RequestOverLimit = decode(SAMPLE);
        assert_eq!(event.service_name, "openim");
        assert_eq!(event.command, "batchsendmsg");
        assert_eq!(event.request, 510);
        assert_eq!(event.limit, 200);
        assert_eq!(event.event_time, None);
        assert_eq!(
            event.to_string(),
            "ServiceName=openim Command=batchsendmsg Request=510 Limit=200"
        );
    }

    #[test]
    fn quirk_string_numbers_and_an_event_time() {
        // Built: numbers as strings (as many Group samples send them), and an `EventTime`
        // this command's doc does not list but newer payloads of other commands carry.
        let event: RequestOverLimit = decode(fixture!("alert", "quirk_string_numbers"));
        assert_eq!(event.service_name, "group_open_http_svc");
        assert_eq!(event.request, 180);
        assert_eq!(event.limit, 200);
        assert_eq!(event.event_time, Some(UnixMillis(1_670_574_414_123)));
    }

    #[test]
    fn missing_required_fields_are_errors() {
        assert_required::<RequestOverLimit>(
            SAMPLE,
            &["ServiceName", "Command", "Request", "Limit"],
        );
    }
}
