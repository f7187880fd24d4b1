//! The chatbot signal message event.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::log_line;
use crate::time::UnixMillis;

/// `Chatbot.OnC2CSignalMessage`: a user sent a one-to-one signal message to a chatbot.
///
/// **UNVERIFIED**: Tencent publishes no page and no sample for this command. The fields
/// are those of the third-party Java SDK (`ChatBotOnC2cSignalMessageCallback`), so the
/// decoding is lenient: every field may be absent (an empty string or `None`), numbers
/// may be strings, and `Data`, a string there, is kept as whatever JSON arrives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct OnC2cSignalMessage {
    /// The sender (`From_Account`); empty when absent.
    #[serde(rename = "From_Account", default)]
    pub from_account: String,
    /// The chatbot (`To_Account`); empty when absent.
    #[serde(rename = "To_Account", default)]
    pub to_account: String,
    /// The message's sequence number (`MsgSeq`).
    #[serde(
        rename = "MsgSeq",
        default,
        deserialize_with = "crate::de::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub msg_seq: Option<u64>,
    /// The message's random number (`MsgRandom`).
    #[serde(
        rename = "MsgRandom",
        default,
        deserialize_with = "crate::de::opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub msg_random: Option<u64>,
    /// The message's unique key (`MsgKey`); empty when absent.
    #[serde(rename = "MsgKey", default)]
    pub msg_key: String,
    /// When it happened (`EventTime`), taken to be milliseconds like the other chatbot
    /// events.
    #[serde(rename = "EventTime", default, skip_serializing_if = "Option::is_none")]
    pub event_time: Option<UnixMillis>,
    /// The signal's payload (`Data`), as received: a string in the SDK's model, kept
    /// as any JSON; `null` when absent.
    #[serde(
        rename = "Data",
        default,
        skip_serializing_if = "serde_json::Value::is_null"
    )]
    pub data: serde_json::Value,
}

impl fmt::Display for OnC2cSignalMessage {
    /// The accounts and the `MsgKey`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        log_line::message(f, &self.from_account, &self.to_account, &self.msg_key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{decode, fixture};

    // UNVERIFIED: this fixture is built from the third-party Java SDK's field list, not
    // taken from Tencent; it checks the decoding, not what Tencent sends.
    #[test]
    fn the_built_sample_decodes() {
        let event: OnC2cSignalMessage = decode(fixture!("chatbot", "on_c2c_signal_message"));
        assert_eq!(event.from_account, "user1");
        assert_eq!(event.to_account, "@RBT#001");
        assert_eq!(event.msg_seq, Some(1));
        assert_eq!(event.msg_random, Some(2_837_546));
        assert_eq!(event.msg_key, "1_2837546_1700000000");
        assert_eq!(event.event_time, Some(UnixMillis(1_700_000_000_000)));
        assert_eq!(event.data, serde_json::json!("{}"));
        assert_eq!(
            event.to_string(),
            "From_Account=user1 To_Account=@RBT#001 MsgKey=1_2837546_1700000000"
        );
    }

    #[test]
    fn quirk_data_as_an_object_and_numbers_as_strings() {
        // Built: lenient decoding keeps a `Data` object, reads numeric strings and
        // ignores unknown fields.
        let event: OnC2cSignalMessage = decode(fixture!("chatbot", "quirk_data_object"));
        assert_eq!(event.data, serde_json::json!({"signal": "typing"}));
        assert_eq!(event.msg_seq, Some(2));
        assert_eq!(event.msg_random, Some(2_837_547));
        assert_eq!(event.event_time, Some(UnixMillis(1_700_000_001_000)));
    }

    #[test]
    fn every_field_may_be_absent_but_a_wrong_type_is_an_error() {
        let event: OnC2cSignalMessage = serde_json::from_str("{}").unwrap();
        assert_eq!(event.from_account, "");
        assert_eq!(event.msg_seq, None);
        assert_eq!(event.event_time, None);
        assert!(event.data.is_null());
        assert_eq!(
            serde_json::to_string(&event).unwrap(),
            r#"{"From_Account":"","To_Account":"","MsgKey":""}"#
        );
        assert_eq!(
            event.to_string(),
            r#"From_Account="" To_Account="" MsgKey="""#
        );
        for body in [
            r#"{"From_Account":1}"#,
            r#"{"MsgSeq":"x"}"#,
            r#"{"EventTime":-1}"#,
        ] {
            assert!(
                serde_json::from_str::<OnC2cSignalMessage>(body).is_err(),
                "{body}"
            );
        }
    }
}
