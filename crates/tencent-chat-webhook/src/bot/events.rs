//! The two chatbot events.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::log_line::{self, Word};
use crate::message::{self, MsgElement};
use crate::time::{UnixMillis, UnixSecs};

/// `Bot.OnC2CMessage`: a user sent a one-to-one message to a chatbot.
///
/// The fields are those of [`c2c::AfterSendMsg`](crate::c2c::AfterSendMsg) without
/// `UnreadMsgNum` and with `EventTime`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct OnC2cMessage {
    /// The sender (`From_Account`).
    #[serde(rename = "From_Account")]
    pub from_account: String,
    /// The chatbot (`To_Account`).
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
    /// The message's unique key (`MsgKey`).
    #[serde(rename = "MsgKey")]
    pub msg_key: String,
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
    /// When it happened (`EventTime`).
    #[serde(rename = "EventTime")]
    pub event_time: UnixMillis,
}

/// `Bot.OnGroupMessage`: a group message @-mentioned one or more chatbots.
///
/// The doc names the chatbots `AtRobots_Account`; a widely used third-party SDK reads
/// `AtRobotAccount` instead, so both spellings are accepted, and the doc's is written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct OnGroupMessage {
    /// The group's ID (`GroupId`).
    #[serde(rename = "GroupId")]
    pub group_id: String,
    /// The group's type (`Type`), such as `Public` or `Community`.
    #[serde(rename = "Type")]
    pub group_type: String,
    /// The sender (`From_Account`).
    #[serde(rename = "From_Account")]
    pub from_account: String,
    /// Who made the request (`Operator_Account`).
    #[serde(rename = "Operator_Account")]
    pub operator_account: String,
    /// The message's random number (`Random`).
    #[serde(rename = "Random", deserialize_with = "crate::de::u32")]
    pub random: u32,
    /// The message's sequence number in the group (`MsgSeq`).
    #[serde(rename = "MsgSeq", deserialize_with = "crate::de::u32")]
    pub msg_seq: u32,
    /// When the message was sent (`MsgTime`), Unix seconds.
    #[serde(rename = "MsgTime")]
    pub msg_time: UnixSecs,
    /// Whether the message went to online members only (`OnlineOnlyFlag` = 1).
    #[serde(
        rename = "OnlineOnlyFlag",
        deserialize_with = "crate::de::flag",
        serialize_with = "crate::de::serialize_flag"
    )]
    pub online_only: bool,
    /// The message (`MsgBody`).
    #[serde(rename = "MsgBody")]
    pub msg_body: Vec<MsgElement>,
    /// The chatbots mentioned (`AtRobots_Account`, also read as `AtRobotAccount`).
    #[serde(rename = "AtRobots_Account", alias = "AtRobotAccount")]
    pub at_robots_account: Vec<String>,
    /// Custom data stored with the message (`CloudCustomData`).
    #[serde(
        rename = "CloudCustomData",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub cloud_custom_data: Option<String>,
    /// The topic (`TopicId`), in a Community group's topic only.
    #[serde(rename = "TopicId", default, skip_serializing_if = "Option::is_none")]
    pub topic_id: Option<String>,
    /// When it happened (`EventTime`).
    #[serde(rename = "EventTime")]
    pub event_time: UnixMillis,
}

impl OnC2cMessage {
    /// The text of the message's text elements, in order.
    pub fn texts(&self) -> impl Iterator<Item = &str> {
        message::texts(&self.msg_body)
    }
}

impl OnGroupMessage {
    /// The text of the message's text elements, in order.
    pub fn texts(&self) -> impl Iterator<Item = &str> {
        message::texts(&self.msg_body)
    }
}

impl fmt::Display for OnC2cMessage {
    /// The accounts, the `MsgKey`, `SendMsgResult` when the message was not delivered,
    /// and the text of the text elements.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        log_line::message(f, &self.from_account, &self.to_account, &self.msg_key)?;
        log_line::send_msg_result(f, self.send_msg_result)?;
        log_line::texts(f, &self.msg_body)
    }
}

impl fmt::Display for OnGroupMessage {
    /// The group, the `MsgSeq`, the topic if any, the chatbots mentioned and the text of
    /// the text elements.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "GroupId={} MsgSeq={}",
            Word(&self.group_id),
            self.msg_seq
        )?;
        log_line::topic(f, self.topic_id.as_deref())?;
        for robot in &self.at_robots_account {
            write!(f, " AtRobots_Account={}", Word(robot))?;
        }
        log_line::texts(f, &self.msg_body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{assert_required, decode, fixture};

    #[test]
    fn on_c2c_message() {
        let event: OnC2cMessage = decode(fixture!("bot", "on_c2c_message"));
        assert_eq!(event.from_account, "jared");
        assert_eq!(event.to_account, "Jonh");
        assert_eq!(event.msg_seq, 48374);
        assert_eq!(event.msg_random, 2_837_546);
        assert_eq!(event.msg_time, UnixSecs(1_557_481_126));
        assert_eq!(event.msg_key, "48374_2837546_1557481126");
        assert!(event.online_only);
        assert_eq!(event.send_msg_result, 0);
        assert_eq!(event.error_info, "send msg succeed");
        assert_eq!(event.msg_body, [MsgElement::text("red packet")]);
        assert_eq!(
            event.cloud_custom_data.as_deref(),
            Some("your cloud custom data")
        );
        assert_eq!(event.event_time, UnixMillis(1_670_574_414_123));
        assert_eq!(
            event.to_string(),
            r#"From_Account=jared To_Account=Jonh MsgKey=48374_2837546_1557481126 Text="red packet""#
        );
        assert_eq!(event.texts().collect::<Vec<_>>(), ["red packet"]);
    }

    #[test]
    fn on_group_message() {
        let event: OnGroupMessage = decode(fixture!("bot", "on_group_message"));
        assert_eq!(event.group_id, "@TGS#2J4SZEAEL");
        assert_eq!(event.group_type, "Public");
        assert_eq!(event.from_account, "jared");
        assert_eq!(event.operator_account, "admin");
        assert_eq!(event.random, 123_456);
        assert_eq!(event.msg_seq, 123);
        assert_eq!(event.msg_time, UnixSecs(1_490_686_222));
        assert!(event.online_only);
        assert_eq!(event.msg_body, [MsgElement::text("@@RBT#001 hello")]);
        assert_eq!(event.at_robots_account, ["@RBT#001"]);
        assert_eq!(
            event.cloud_custom_data.as_deref(),
            Some("your cloud custom data")
        );
        assert_eq!(event.topic_id, None);
        assert_eq!(event.event_time, UnixMillis(1_670_574_414_123));
        assert_eq!(
            event.to_string(),
            r#"GroupId=@TGS#2J4SZEAEL MsgSeq=123 AtRobots_Account=@RBT#001 Text="@@RBT#001 hello""#
        );
    }

    #[test]
    fn quirk_at_robot_account_spelling() {
        // Built: the third-party Java SDK's spelling `AtRobotAccount` decodes as the doc's
        // `AtRobots_Account`, and is written back in the doc's spelling.
        let event: OnGroupMessage = decode(fixture!("bot", "quirk_at_robot_account"));
        assert_eq!(event.at_robots_account, ["@RBT#001", "@RBT#002"]);
        let value = serde_json::to_value(&event).unwrap();
        assert_eq!(
            value["AtRobots_Account"],
            serde_json::json!(["@RBT#001", "@RBT#002"])
        );
        assert!(value.get("AtRobotAccount").is_none());
        // Neither spelling: the mention list is required.
        let mut body: serde_json::Value =
            serde_json::from_str(fixture!("bot", "quirk_at_robot_account")).unwrap();
        body.as_object_mut().unwrap().remove("AtRobotAccount");
        assert!(serde_json::from_value::<OnGroupMessage>(body).is_err());
    }

    #[test]
    fn quirk_on_group_message_in_a_topic_with_string_numbers() {
        // Built: a Community topic (`TopicId`, optional) with numbers sent as strings.
        let event: OnGroupMessage = decode(fixture!("bot", "quirk_on_group_message_topic"));
        assert_eq!(
            event.topic_id.as_deref(),
            Some("@TGS#_@TGS#cQVLVHIM62CJ@TOPIC#_TestTopic")
        );
        assert_eq!(event.random, 123_456);
        assert_eq!(event.msg_seq, 124);
        assert_eq!(event.msg_time, UnixSecs(1_490_686_223));
        assert_eq!(event.event_time, UnixMillis(1_670_574_414_124));
        assert!(!event.online_only);
        assert_eq!(event.cloud_custom_data, None);
        assert_eq!(
            event.to_string(),
            r#"GroupId=@TGS#_@TGS#cQVLVHIM62CJ MsgSeq=124 TopicId=@TGS#_@TGS#cQVLVHIM62CJ@TOPIC#_TestTopic AtRobots_Account=@RBT#001 Text="@@RBT#001 hi""#
        );
    }

    #[test]
    fn missing_required_fields_are_errors() {
        assert_required::<OnC2cMessage>(
            fixture!("bot", "on_c2c_message"),
            &[
                "From_Account",
                "To_Account",
                "MsgSeq",
                "MsgRandom",
                "MsgTime",
                "MsgKey",
                "OnlineOnlyFlag",
                "SendMsgResult",
                "ErrorInfo",
                "MsgBody",
                "EventTime",
            ],
        );
        assert_required::<OnGroupMessage>(
            fixture!("bot", "on_group_message"),
            &[
                "GroupId",
                "Type",
                "From_Account",
                "Operator_Account",
                "Random",
                "MsgSeq",
                "MsgTime",
                "OnlineOnlyFlag",
                "MsgBody",
                "AtRobots_Account",
                "EventTime",
            ],
        );
    }

    #[test]
    fn not_delivered_shows_its_result() {
        let mut event: OnC2cMessage = decode(fixture!("bot", "on_c2c_message"));
        event.send_msg_result = 20003;
        assert_eq!(
            event.to_string(),
            r#"From_Account=jared To_Account=Jonh MsgKey=48374_2837546_1557481126 SendMsgResult=20003 Text="red packet""#
        );
    }
}
