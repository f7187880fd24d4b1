//! The six one-to-one message events.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::log_line::{self, Word};
use crate::message::{self, ExtensionOperation, MsgElement, MsgExtension};
use crate::time::{UnixMillis, UnixSecs};

/// `C2C.CallbackBeforeSendMsg`: a one-to-one message is about to be delivered.
/// Answer with a [`BeforeSendMsgReply`](super::BeforeSendMsgReply).
///
/// The doc lists neither `MsgId` nor `EventTime` for this command; newer pages of its
/// siblings add them, so both are read when present (UNVERIFIED).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BeforeSendMsg {
    /// The sender (`From_Account`).
    #[serde(rename = "From_Account")]
    pub from_account: String,
    /// The recipient (`To_Account`).
    #[serde(rename = "To_Account")]
    pub to_account: String,
    /// The message's sequence number (`MsgSeq`).
    #[serde(rename = "MsgSeq", deserialize_with = "crate::de::u32")]
    pub msg_seq: u32,
    /// The message's random number (`MsgRandom`).
    #[serde(rename = "MsgRandom", deserialize_with = "crate::de::u32")]
    pub msg_random: u32,
    /// When the message was sent (`MsgTime`), Unix seconds.
    #[serde(rename = "MsgTime")]
    pub msg_time: UnixSecs,
    /// The message's unique key (`MsgKey`), `"<MsgSeq>_<MsgRandom>_<MsgTime>"`.
    #[serde(rename = "MsgKey")]
    pub msg_key: String,
    /// The client's message ID (`MsgId`), when sent (UNVERIFIED for this command).
    #[serde(rename = "MsgId", default, skip_serializing_if = "Option::is_none")]
    pub msg_id: Option<String>,
    /// Whether the message goes to the recipient only while online (`OnlineOnlyFlag` = 1).
    #[serde(
        rename = "OnlineOnlyFlag",
        deserialize_with = "crate::de::flag",
        serialize_with = "crate::de::serialize_flag"
    )]
    pub online_only: bool,
    /// The message (`MsgBody`).
    #[serde(rename = "MsgBody")]
    pub msg_body: Vec<MsgElement>,
    /// Custom data stored with the message (`CloudCustomData`).
    #[serde(
        rename = "CloudCustomData",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub cloud_custom_data: Option<String>,
    /// When it happened (`EventTime`), when sent (UNVERIFIED for this command).
    #[serde(rename = "EventTime", default, skip_serializing_if = "Option::is_none")]
    pub event_time: Option<UnixMillis>,
}

/// `C2C.CallbackAfterSendMsg`: a one-to-one message was sent. Tencent sends it also
/// when the message was not delivered (for example, caught by the dirty-word filter):
/// see [`send_msg_result`](Self::send_msg_result).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AfterSendMsg {
    /// The sender (`From_Account`).
    #[serde(rename = "From_Account")]
    pub from_account: String,
    /// The recipient (`To_Account`).
    #[serde(rename = "To_Account")]
    pub to_account: String,
    /// The message's sequence number (`MsgSeq`).
    #[serde(rename = "MsgSeq", deserialize_with = "crate::de::u32")]
    pub msg_seq: u32,
    /// The message's random number (`MsgRandom`).
    #[serde(rename = "MsgRandom", deserialize_with = "crate::de::u32")]
    pub msg_random: u32,
    /// When the message was sent (`MsgTime`), Unix seconds.
    #[serde(rename = "MsgTime")]
    pub msg_time: UnixSecs,
    /// The message's unique key (`MsgKey`), used to recall it.
    #[serde(rename = "MsgKey")]
    pub msg_key: String,
    /// The client's message ID (`MsgId`); newer payloads only.
    #[serde(rename = "MsgId", default, skip_serializing_if = "Option::is_none")]
    pub msg_id: Option<String>,
    /// Whether the message went to the recipient only while online (`OnlineOnlyFlag` = 1).
    #[serde(
        rename = "OnlineOnlyFlag",
        deserialize_with = "crate::de::flag",
        serialize_with = "crate::de::serialize_flag"
    )]
    pub online_only: bool,
    /// The delivery result (`SendMsgResult`): 0 delivered, otherwise Tencent's error code.
    #[serde(rename = "SendMsgResult", deserialize_with = "crate::de::i64")]
    pub send_msg_result: i64,
    /// The delivery result's description (`ErrorInfo`), `"send msg succeed"` on success.
    /// A field of the request, not the reply's `ErrorInfo`.
    #[serde(rename = "ErrorInfo")]
    pub error_info: String,
    /// The recipient's total one-to-one unread count (`UnreadMsgNum`); `-1` when the
    /// message was not delivered.
    #[serde(rename = "UnreadMsgNum", deserialize_with = "crate::de::i64")]
    pub unread_msg_num: i64,
    /// The message (`MsgBody`).
    #[serde(rename = "MsgBody")]
    pub msg_body: Vec<MsgElement>,
    /// Custom data stored with the message (`CloudCustomData`).
    #[serde(
        rename = "CloudCustomData",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub cloud_custom_data: Option<String>,
    /// When it happened (`EventTime`), when sent (UNVERIFIED for this command).
    #[serde(rename = "EventTime", default, skip_serializing_if = "Option::is_none")]
    pub event_time: Option<UnixMillis>,
}

/// `C2C.CallbackAfterMsgReport`: a user reported one-to-one messages as read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AfterMsgReport {
    /// Who read the messages (`Report_Account`).
    #[serde(rename = "Report_Account")]
    pub report_account: String,
    /// The other party of the conversation (`Peer_Account`).
    #[serde(rename = "Peer_Account")]
    pub peer_account: String,
    /// Up to when the conversation is read (`LastReadTime`), Unix seconds (the doc gives
    /// no unit; its sample is in seconds).
    #[serde(rename = "LastReadTime")]
    pub last_read_time: UnixSecs,
    /// The reader's total one-to-one unread count (`UnreadMsgNum`).
    #[serde(rename = "UnreadMsgNum", deserialize_with = "crate::de::i64")]
    pub unread_msg_num: i64,
    /// When it happened (`EventTime`), when sent (not in the doc for this command).
    #[serde(rename = "EventTime", default, skip_serializing_if = "Option::is_none")]
    pub event_time: Option<UnixMillis>,
}

/// `C2C.CallbackAfterMsgWithDraw`: a one-to-one message was recalled. The wire spells
/// `WithDraw` with a capital D.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AfterMsgWithDraw {
    /// The message's sender (`From_Account`).
    #[serde(rename = "From_Account")]
    pub from_account: String,
    /// The message's recipient (`To_Account`).
    #[serde(rename = "To_Account")]
    pub to_account: String,
    /// The recalled message's key (`MsgKey`).
    #[serde(rename = "MsgKey")]
    pub msg_key: String,
    /// The recipient's total one-to-one unread count (`UnreadMsgNum`).
    #[serde(rename = "UnreadMsgNum", deserialize_with = "crate::de::i64")]
    pub unread_msg_num: i64,
    /// When it happened (`EventTime`), when sent (not in the doc for this command).
    #[serde(rename = "EventTime", default, skip_serializing_if = "Option::is_none")]
    pub event_time: Option<UnixMillis>,
}

/// `C2C.CallbackAfterModifyMsg`: a one-to-one message was edited, by a client or through
/// the REST API.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AfterModifyMsg {
    /// Who edited the message (`Operator_Account`).
    #[serde(rename = "Operator_Account")]
    pub operator_account: String,
    /// The message's sender (`From_Account`).
    #[serde(rename = "From_Account")]
    pub from_account: String,
    /// The message's recipient (`To_Account`).
    #[serde(rename = "To_Account")]
    pub to_account: String,
    /// The message's sequence number (`MsgSeq`).
    #[serde(rename = "MsgSeq", deserialize_with = "crate::de::u32")]
    pub msg_seq: u32,
    /// The message's random number (`MsgRandom`).
    #[serde(rename = "MsgRandom", deserialize_with = "crate::de::u32")]
    pub msg_random: u32,
    /// When the message was first sent (`MsgTime`), Unix seconds.
    #[serde(rename = "MsgTime")]
    pub msg_time: UnixSecs,
    /// The message's unique key (`MsgKey`).
    #[serde(rename = "MsgKey")]
    pub msg_key: String,
    /// The message as edited (`MsgBody`).
    #[serde(rename = "MsgBody")]
    pub msg_body: Vec<MsgElement>,
    /// Custom data stored with the message (`CloudCustomData`).
    #[serde(
        rename = "CloudCustomData",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub cloud_custom_data: Option<String>,
    /// When it happened (`EventTime`).
    #[serde(rename = "EventTime")]
    pub event_time: UnixMillis,
}

/// `C2C.CallbackAfterC2CMsgExtension`: a one-to-one message's extensions (key-value
/// pairs) were set, deleted or cleared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AfterC2cMsgExtension {
    /// The message's sender (`From_Account`).
    #[serde(rename = "From_Account")]
    pub from_account: String,
    /// The message's recipient (`To_Account`).
    #[serde(rename = "To_Account")]
    pub to_account: String,
    /// The message's unique key (`MsgKey`).
    #[serde(rename = "MsgKey")]
    pub msg_key: String,
    /// What was done (`OperateType`).
    #[serde(rename = "OperateType")]
    pub operate_type: ExtensionOperation,
    /// The pairs affected (`ExtensionList`); empty when everything was cleared.
    #[serde(rename = "ExtensionList")]
    pub extension_list: Vec<MsgExtension>,
    /// The latest version of the message's extensions as a whole (`Seq`).
    #[serde(rename = "Seq", deserialize_with = "crate::de::u64")]
    pub seq: u64,
    /// When it happened (`EventTime`).
    #[serde(rename = "EventTime")]
    pub event_time: UnixMillis,
}

impl BeforeSendMsg {
    /// The text of the message's text elements, in order.
    pub fn texts(&self) -> impl Iterator<Item = &str> {
        message::texts(&self.msg_body)
    }
}

impl AfterSendMsg {
    /// The text of the message's text elements, in order.
    pub fn texts(&self) -> impl Iterator<Item = &str> {
        message::texts(&self.msg_body)
    }

    /// Its natural key, which identifies its delivery for [`dedupe`](crate::dedupe): the
    /// `MsgKey`.
    pub fn natural_key(&self) -> Option<String> {
        Some(self.msg_key.clone())
    }
}

impl AfterModifyMsg {
    /// The text of the message's text elements, in order.
    pub fn texts(&self) -> impl Iterator<Item = &str> {
        message::texts(&self.msg_body)
    }
}

impl fmt::Display for BeforeSendMsg {
    /// The accounts, the `MsgKey` and the text of the text elements.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        log_line::message(f, &self.from_account, &self.to_account, &self.msg_key)?;
        log_line::texts(f, &self.msg_body)
    }
}

impl fmt::Display for AfterSendMsg {
    /// The accounts, the `MsgKey`, `SendMsgResult` when the message was not delivered,
    /// and the text of the text elements.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        log_line::message(f, &self.from_account, &self.to_account, &self.msg_key)?;
        log_line::send_msg_result(f, self.send_msg_result)?;
        log_line::texts(f, &self.msg_body)
    }
}

impl fmt::Display for AfterMsgReport {
    /// The reader and the other party.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Report_Account={} Peer_Account={}",
            Word(&self.report_account),
            Word(&self.peer_account)
        )
    }
}

impl fmt::Display for AfterMsgWithDraw {
    /// The accounts and the recalled message's `MsgKey`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        log_line::message(f, &self.from_account, &self.to_account, &self.msg_key)
    }
}

impl fmt::Display for AfterModifyMsg {
    /// The editor, the accounts, the `MsgKey` and the new text of the text elements.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Operator_Account={} ", Word(&self.operator_account))?;
        log_line::message(f, &self.from_account, &self.to_account, &self.msg_key)?;
        log_line::texts(f, &self.msg_body)
    }
}

impl fmt::Display for AfterC2cMsgExtension {
    /// The accounts, the `MsgKey` and the keys affected.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        log_line::message(f, &self.from_account, &self.to_account, &self.msg_key)?;
        log_line::extensions(f, self.operate_type, &self.extension_list)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{assert_required, decode, fixture};

    #[test]
    fn before_send_msg() {
        let event: BeforeSendMsg = decode(fixture!("c2c", "before_send_msg"));
        assert_eq!(event.from_account, "jared");
        assert_eq!(event.to_account, "John");
        assert_eq!(event.msg_seq, 48374);
        assert_eq!(event.msg_random, 2_837_546);
        assert_eq!(event.msg_time, UnixSecs(1_557_481_126));
        assert_eq!(event.msg_key, "48374_2837546_1557481126");
        assert!(event.online_only);
        assert_eq!(event.msg_body, [MsgElement::text("red packet")]);
        assert_eq!(
            event.cloud_custom_data.as_deref(),
            Some("your cloud custom data")
        );
        assert_eq!(event.msg_id, None);
        assert_eq!(event.event_time, None);
        assert_eq!(
            event.to_string(),
            r#"From_Account=jared To_Account=John MsgKey=48374_2837546_1557481126 Text="red packet""#
        );
        assert_eq!(event.texts().collect::<Vec<_>>(), ["red packet"]);
    }

    #[test]
    fn quirk_before_send_msg_with_the_newer_fields() {
        // Built, not official: `MsgId` and `EventTime` as sibling pages add them.
        let event: BeforeSendMsg = decode(fixture!("c2c", "quirk_before_send_msg_newer_fields"));
        assert_eq!(
            event.msg_id.as_deref(),
            Some("144115233874815003-1557481126-2837546")
        );
        assert_eq!(event.event_time, Some(UnixMillis(1_557_481_126_123)));
        assert!(!event.online_only);
        assert_eq!(event.cloud_custom_data, None);
    }

    #[test]
    fn after_send_msg() {
        let event: AfterSendMsg = decode(fixture!("c2c", "after_send_msg"));
        assert_eq!(event.from_account, "jared");
        assert_eq!(event.to_account, "Jonh");
        assert_eq!(event.msg_seq, 48374);
        assert_eq!(event.msg_random, 2_837_546);
        assert_eq!(event.msg_time, UnixSecs(1_557_481_126));
        assert_eq!(event.msg_key, "48374_2837546_1557481126");
        assert!(event.online_only);
        assert_eq!(event.send_msg_result, 0);
        assert_eq!(event.error_info, "send msg succeed");
        assert_eq!(event.unread_msg_num, 7);
        assert_eq!(event.msg_body, [MsgElement::text("red packet")]);
        assert_eq!(
            event.cloud_custom_data.as_deref(),
            Some("your cloud custom data")
        );
        assert_eq!(event.msg_id, None);
        assert_eq!(event.event_time, None);
        assert_eq!(
            event.to_string(),
            r#"From_Account=jared To_Account=Jonh MsgKey=48374_2837546_1557481126 Text="red packet""#
        );
    }

    #[test]
    fn quirk_after_send_msg_with_msg_id() {
        // Built: the official sample plus `MsgId` (newer Chinese page) and `EventTime`.
        let event: AfterSendMsg = decode(fixture!("c2c", "quirk_after_send_msg_msg_id"));
        assert_eq!(
            event.msg_id.as_deref(),
            Some("144115233874815003-1557481126-2837546")
        );
        assert_eq!(event.event_time, Some(UnixMillis(1_557_481_126_123)));
    }

    #[test]
    fn quirk_after_send_msg_not_delivered() {
        // Built: a message the dirty-word filter stopped; the unread count is -1.
        let event: AfterSendMsg = decode(fixture!("c2c", "quirk_after_send_msg_failed"));
        assert_eq!(event.send_msg_result, 80001);
        assert_eq!(event.unread_msg_num, -1);
        assert_eq!(event.cloud_custom_data, None);
        assert_eq!(
            event.to_string(),
            r#"From_Account=jared To_Account=Jonh MsgKey=48375_2837547_1557481127 SendMsgResult=80001 Text="a dirty word""#
        );
    }

    #[test]
    fn quirk_numbers_as_strings() {
        let strings: AfterSendMsg = decode(fixture!("c2c", "quirk_after_send_msg_string_numbers"));
        let numbers: AfterSendMsg = decode(fixture!("c2c", "after_send_msg"));
        assert_eq!(strings.msg_seq, numbers.msg_seq);
        assert_eq!(strings.msg_random, numbers.msg_random);
        assert_eq!(strings.msg_time, numbers.msg_time);
        assert_eq!(strings.unread_msg_num, 7);
        assert!(strings.online_only);
        assert_eq!(strings.event_time, Some(UnixMillis(1_557_481_126_123)));
    }

    #[test]
    fn after_msg_report() {
        let event: AfterMsgReport = decode(fixture!("c2c", "after_msg_report"));
        assert_eq!(event.report_account, "jared");
        assert_eq!(event.peer_account, "Jonh");
        assert_eq!(event.last_read_time, UnixSecs(1_614_754_606));
        assert_eq!(event.unread_msg_num, 7);
        assert_eq!(event.event_time, None);
        assert_eq!(event.to_string(), "Report_Account=jared Peer_Account=Jonh");
    }

    #[test]
    fn after_msg_with_draw() {
        let event: AfterMsgWithDraw = decode(fixture!("c2c", "after_msg_with_draw"));
        assert_eq!(event.from_account, "jared");
        assert_eq!(event.to_account, "Jonh");
        assert_eq!(event.msg_key, "48374_2837546_1557481126");
        assert_eq!(event.unread_msg_num, 7);
        assert_eq!(
            event.to_string(),
            "From_Account=jared To_Account=Jonh MsgKey=48374_2837546_1557481126"
        );
    }

    #[test]
    fn after_modify_msg() {
        let event: AfterModifyMsg = decode(fixture!("c2c", "after_modify_msg"));
        assert_eq!(event.operator_account, "jared");
        assert_eq!(event.from_account, "jared");
        assert_eq!(event.to_account, "Jonh");
        assert_eq!(event.msg_seq, 609);
        assert_eq!(event.msg_random, 690);
        assert_eq!(event.msg_time, UnixSecs(1_769_771_529));
        assert_eq!(event.msg_key, "609_690_1769771529");
        assert_eq!(
            event.msg_body,
            [MsgElement::text("2026-01-30T11:20:26.548Z")]
        );
        assert_eq!(event.cloud_custom_data.as_deref(), Some("1769772027"));
        assert_eq!(event.event_time, UnixMillis(1_769_772_027_036));
        assert_eq!(
            event.to_string(),
            r#"Operator_Account=jared From_Account=jared To_Account=Jonh MsgKey=609_690_1769771529 Text="2026-01-30T11:20:26.548Z""#
        );
    }

    #[test]
    fn after_c2c_msg_extension_set() {
        let event: AfterC2cMsgExtension = decode(fixture!("c2c", "after_c2c_msg_extension"));
        assert_eq!(event.from_account, "user1");
        assert_eq!(event.to_account, "user2");
        assert_eq!(event.msg_key, "93847636_1287657_1764688415");
        assert_eq!(event.operate_type, ExtensionOperation::SET);
        let pairs: Vec<_> = event
            .extension_list
            .iter()
            .map(|e| (e.key.as_str(), e.value.as_str(), e.seq))
            .collect();
        assert_eq!(pairs, [("k1", "v1", 1), ("k2", "v2", 1), ("k3", "v3", 1)]);
        assert_eq!(event.seq, 1);
        assert_eq!(event.event_time, UnixMillis(1_764_688_540_182));
        assert_eq!(
            event.to_string(),
            "From_Account=user1 To_Account=user2 MsgKey=93847636_1287657_1764688415 OperateType=1 Key=k1 Key=k2 Key=k3"
        );
    }

    #[test]
    fn quirk_after_c2c_msg_extension_delete_and_clear() {
        // Built from the doc's table: a deleted key has an empty value, a clear an empty list.
        let event: AfterC2cMsgExtension =
            decode(fixture!("c2c", "quirk_after_c2c_msg_extension_delete"));
        assert_eq!(event.operate_type, ExtensionOperation::DELETE);
        assert_eq!(event.extension_list[0].key, "k1");
        assert_eq!(event.extension_list[0].value, "");
        assert_eq!(event.seq, 2);

        let event: AfterC2cMsgExtension =
            decode(fixture!("c2c", "quirk_after_c2c_msg_extension_clear"));
        assert_eq!(event.operate_type, ExtensionOperation::CLEAR);
        assert!(event.extension_list.is_empty());
        assert_eq!(event.seq, 3);
    }

    #[test]
    fn missing_required_fields_are_errors() {
        let message = [
            "From_Account",
            "To_Account",
            "MsgSeq",
            "MsgRandom",
            "MsgTime",
            "MsgKey",
            "OnlineOnlyFlag",
            "MsgBody",
        ];
        assert_required::<BeforeSendMsg>(fixture!("c2c", "before_send_msg"), &message);
        assert_required::<AfterSendMsg>(
            fixture!("c2c", "after_send_msg"),
            &[
                &message[..],
                &["SendMsgResult", "ErrorInfo", "UnreadMsgNum"],
            ]
            .concat(),
        );
        assert_required::<AfterMsgReport>(
            fixture!("c2c", "after_msg_report"),
            &[
                "Report_Account",
                "Peer_Account",
                "LastReadTime",
                "UnreadMsgNum",
            ],
        );
        assert_required::<AfterMsgWithDraw>(
            fixture!("c2c", "after_msg_with_draw"),
            &["From_Account", "To_Account", "MsgKey", "UnreadMsgNum"],
        );
        assert_required::<AfterModifyMsg>(
            fixture!("c2c", "after_modify_msg"),
            &[
                "Operator_Account",
                "From_Account",
                "To_Account",
                "MsgSeq",
                "MsgRandom",
                "MsgTime",
                "MsgKey",
                "MsgBody",
                "EventTime",
            ],
        );
        assert_required::<AfterC2cMsgExtension>(
            fixture!("c2c", "after_c2c_msg_extension"),
            &[
                "From_Account",
                "To_Account",
                "MsgKey",
                "OperateType",
                "ExtensionList",
                "Seq",
                "EventTime",
            ],
        );
    }

    #[test]
    fn wrong_types_are_errors() {
        for body in [
            r#"{"From_Account":1,"To_Account":"b","MsgSeq":1,"MsgRandom":2,"MsgTime":3,"MsgKey":"k","OnlineOnlyFlag":0,"MsgBody":[]}"#,
            r#"{"From_Account":"a","To_Account":"b","MsgSeq":-1,"MsgRandom":2,"MsgTime":3,"MsgKey":"k","OnlineOnlyFlag":0,"MsgBody":[]}"#,
            r#"{"From_Account":"a","To_Account":"b","MsgSeq":1,"MsgRandom":4294967296,"MsgTime":3,"MsgKey":"k","OnlineOnlyFlag":0,"MsgBody":[]}"#,
            r#"{"From_Account":"a","To_Account":"b","MsgSeq":1,"MsgRandom":2,"MsgTime":3,"MsgKey":"k","OnlineOnlyFlag":0,"MsgBody":{}}"#,
        ] {
            assert!(
                serde_json::from_str::<BeforeSendMsg>(body).is_err(),
                "{body}"
            );
        }
    }

    #[test]
    fn unknown_fields_are_ignored_and_wire_names_written_back() {
        let mut body: serde_json::Value =
            serde_json::from_str(fixture!("c2c", "after_send_msg")).unwrap();
        body["SomethingNew"] = serde_json::json!({"nested": [1, 2]});
        let event: AfterSendMsg = serde_json::from_value(body).unwrap();
        let value = serde_json::to_value(&event).unwrap();
        assert_eq!(value["From_Account"], "jared");
        assert_eq!(value["OnlineOnlyFlag"], 1);
        assert_eq!(value["MsgTime"], 1_557_481_126);
        assert_eq!(value["MsgBody"][0]["MsgType"], "TIMTextElem");
        assert!(value.get("MsgId").is_none());
        assert!(value.get("SomethingNew").is_none());
    }

    #[test]
    fn display_quotes_a_value_that_is_not_one_word() {
        let mut event: AfterMsgWithDraw = decode(fixture!("c2c", "after_msg_with_draw"));
        event.from_account = "jared\nC2C.CallbackAfterSendMsg".to_owned();
        assert_eq!(
            event.to_string(),
            r#"From_Account="jared\nC2C.CallbackAfterSendMsg" To_Account=Jonh MsgKey=48374_2837546_1557481126"#
        );
    }
}
