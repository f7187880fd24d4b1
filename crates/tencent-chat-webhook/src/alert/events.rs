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

    const SAMPLE: &str = include_str!("../../tests/fixtures/alert/request_over_limit.json");

    fn round_trip(event: &RequestOverLimit) {
        let value = serde_json::to_value(event).unwrap();
        assert_eq!(
            &serde_json::from_value::<RequestOverLimit>(value).unwrap(),
            event
        );
    }

    #[test]
    fn request_over_limit() {
        let event: RequestOverLimit = serde_json::from_str(SAMPLE).unwrap();
        assert_eq!(event.service_name, "openim");
        assert_eq!(event.command, "batchsendmsg");
        assert_eq!(event.request, 510);
        assert_eq!(event.limit, 200);
        assert_eq!(event.event_time, None);
        round_trip(&event);
        assert_eq!(
            event.to_string(),
            "ServiceName=openim Command=batchsendmsg Request=510 Limit=200"
        );
    }

    #[test]
    fn quirk_string_numbers_and_an_event_time() {
        // Built: numbers as strings (as many Group samples send them), and an `EventTime`
        // this command's doc does not list but newer payloads of other commands carry.
        let event: RequestOverLimit = serde_json::from_str(include_str!(
            "../../tests/fixtures/alert/quirk_string_numbers.json"
        ))
        .unwrap();
        assert_eq!(event.service_name, "group_open_http_svc");
        assert_eq!(event.request, 180);
        assert_eq!(event.limit, 200);
        assert_eq!(event.event_time, Some(UnixMillis(1_670_574_414_123)));
        round_trip(&event);
    }

    #[test]
    fn missing_required_fields_are_errors() {
        let whole: serde_json::Value = serde_json::from_str(SAMPLE).unwrap();
        for field in ["ServiceName", "Command", "Request", "Limit"] {
            let mut body = whole.clone();
            body.as_object_mut().unwrap().remove(field).unwrap();
            assert!(
                serde_json::from_value::<RequestOverLimit>(body).is_err(),
                "decoded without {field}"
            );
        }
    }
}
