//! Group messages: before and after a message is sent, a failed send, recalls, read
//! receipts and message extensions, with the reply of the before-send webhook.

use std::fmt;
use std::ops::RangeInclusive;

use serde::{Deserialize, Serialize};

use super::Member;
use crate::answer::{RefusalCodes, sealed};
use crate::log_line::{self, Word};
use crate::message::{self, BeforeSendReply, MsgElement};
use crate::message::{ExtensionOperation, MsgExtension};
use crate::time::{UnixMillis, UnixSecs};

/// The custom refusal codes of groups, [`REFUSAL_CODES`](super::REFUSAL_CODES)
/// (10100–10200), as a marker type: the range of [`BeforeSendMsgReply`] and
/// [`BeforeCreateTopicReply`](super::BeforeCreateTopicReply), whose refusals are
/// [`CheckedRefusal<GroupCodes>`](crate::answer::CheckedRefusal).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GroupCodes {}

impl sealed::Sealed for GroupCodes {}

impl RefusalCodes for GroupCodes {
    const CODES: RangeInclusive<u32> = super::REFUSAL_CODES;
}

/// The answer to a [`BeforeSendMsg`]: the shared [`BeforeSendReply`] with the custom
/// refusal codes of groups, 10100–10200.
///
/// [`Default`] delivers the message unchanged, as Tencent does when the webhook times out.
///
/// ```
/// use tencent_chat_webhook::Answer;
/// use tencent_chat_webhook::group::BeforeSendMsgReply;
/// use tencent_chat_webhook::message::MsgElement;
///
/// let reply = BeforeSendMsgReply::rewrite(vec![MsgElement::text("***")]);
/// assert_eq!(
///     Answer::from(reply).body(),
///     r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","MsgBody":[{"MsgType":"TIMTextElem","MsgContent":{"Text":"***"}}]}"#,
/// );
/// assert_eq!(Answer::from(BeforeSendMsgReply::Discard).body(), r#"{"ActionStatus":"OK","ErrorCode":2,"ErrorInfo":""}"#);
/// ```
pub type BeforeSendMsgReply = BeforeSendReply<GroupCodes>;

/// `Group.CallbackBeforeSendMsg`: a group message is about to be delivered. Answer
/// with a [`BeforeSendMsgReply`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BeforeSendMsg {
    /// The group's ID (`GroupId`).
    #[serde(rename = "GroupId")]
    pub group_id: String,
    /// The group's type (`Type`), such as `Public` or `Community`.
    #[serde(rename = "Type")]
    pub group_type: String,
    /// Who sends the message (`From_Account`).
    #[serde(rename = "From_Account")]
    pub from_account: String,
    /// Who made the request (`Operator_Account`): the sender, or the app admin.
    #[serde(rename = "Operator_Account")]
    pub operator_account: String,
    /// The 32-bit random number of the send request (`Random`).
    #[serde(rename = "Random", deserialize_with = "crate::de::u32")]
    pub random: u32,
    /// Whether the message goes to online members only (`OnlineOnlyFlag` = 1); always
    /// `false` in audio-video groups.
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
    /// The topic the message is sent in (`TopicId`); only in topic-enabled communities.
    #[serde(rename = "TopicId", default, skip_serializing_if = "Option::is_none")]
    pub topic_id: Option<String>,
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

impl fmt::Display for BeforeSendMsg {
    /// The group, the topic if any and the text of the text elements (the message has no
    /// `MsgSeq` yet).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "GroupId={}", Word(&self.group_id))?;
        log_line::topic(f, self.topic_id.as_deref())?;
        log_line::texts(f, &self.msg_body)
    }
}

/// One entry of `GroupAtInfo`: a mention in a group message.
///
/// **UNVERIFIED**: only a third-party SDK (and an unofficial copy of the live page)
/// shows this list, so both fields decode leniently.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GroupAt {
    /// Whether the message mentions everyone (`GroupAtAllFlag` = 1); `false` when absent.
    #[serde(
        rename = "GroupAtAllFlag",
        default,
        deserialize_with = "crate::de::flag",
        serialize_with = "crate::de::serialize_flag"
    )]
    pub at_all: bool,
    /// The member mentioned (`GroupAt_Account`), when not everyone.
    #[serde(
        rename = "GroupAt_Account",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub group_at_account: Option<String>,
}

/// `Group.CallbackAfterSendMsg`: a group message was delivered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AfterSendMsg {
    /// The group's ID (`GroupId`).
    #[serde(rename = "GroupId")]
    pub group_id: String,
    /// The group's type (`Type`), such as `Public` or `Community`.
    #[serde(rename = "Type")]
    pub group_type: String,
    /// Who sent the message (`From_Account`).
    #[serde(rename = "From_Account")]
    pub from_account: String,
    /// Who made the request (`Operator_Account`): the sender, or the app admin.
    #[serde(rename = "Operator_Account")]
    pub operator_account: String,
    /// The 32-bit random number of the send request (`Random`).
    #[serde(rename = "Random", deserialize_with = "crate::de::u32")]
    pub random: u32,
    /// The message's sequence number in the group (`MsgSeq`); later messages have larger ones.
    #[serde(rename = "MsgSeq", deserialize_with = "crate::de::u64")]
    pub msg_seq: u64,
    /// When the server stored the message (`MsgTime`).
    #[serde(rename = "MsgTime")]
    pub msg_time: UnixSecs,
    /// The message's unique ID on the client (`MsgId`); sent by newer servers only.
    #[serde(rename = "MsgId", default, skip_serializing_if = "Option::is_none")]
    pub msg_id: Option<String>,
    /// Whether the message went to online members only (`OnlineOnlyFlag` = 1); always
    /// `false` in audio-video groups.
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
    /// The topic the message was sent in (`TopicId`); only in topic-enabled communities.
    #[serde(rename = "TopicId", default, skip_serializing_if = "Option::is_none")]
    pub topic_id: Option<String>,
    /// The mentions in the message (`GroupAtInfo`); empty when there are none.
    ///
    /// **UNVERIFIED**: not in Tencent's pages that could be checked; decoded when present.
    #[serde(rename = "GroupAtInfo", default, skip_serializing_if = "Vec::is_empty")]
    pub group_at_info: Vec<GroupAt>,
    /// When it happened (`EventTime`).
    #[serde(rename = "EventTime")]
    pub event_time: UnixMillis,
}

impl AfterSendMsg {
    /// The text of the message's text elements, in order.
    pub fn texts(&self) -> impl Iterator<Item = &str> {
        message::texts(&self.msg_body)
    }
}

impl fmt::Display for AfterSendMsg {
    /// The group, the `MsgSeq`, the topic if any and the text of the text elements.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "GroupId={} MsgSeq={}",
            Word(&self.group_id),
            self.msg_seq
        )?;
        log_line::topic(f, self.topic_id.as_deref())?;
        log_line::texts(f, &self.msg_body)
    }
}

/// `Group.CallbackSendMsgException`: a group message could not be delivered (for
/// example, the sender was muted or sent too often).
///
/// `ErrorCode` and `ErrorInfo` here are fields of the request, saying why the message
/// failed; the reply is always the plain OK envelope.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SendMsgException {
    /// The group's ID (`GroupId`).
    #[serde(rename = "GroupId")]
    pub group_id: String,
    /// The group's type (`Type`), such as `Public` or `Community`.
    #[serde(rename = "Type")]
    pub group_type: String,
    /// Who sent the message (`From_Account`).
    #[serde(rename = "From_Account")]
    pub from_account: String,
    /// Who made the request (`Operator_Account`): the sender, or the app admin.
    #[serde(rename = "Operator_Account")]
    pub operator_account: String,
    /// The 32-bit random number of the send request (`Random`).
    #[serde(rename = "Random", deserialize_with = "crate::de::u32")]
    pub random: u32,
    /// Whether the message was for online members only (`OnlineOnlyFlag` = 1).
    #[serde(
        rename = "OnlineOnlyFlag",
        deserialize_with = "crate::de::flag",
        serialize_with = "crate::de::serialize_flag"
    )]
    pub online_only: bool,
    /// The message (`MsgBody`).
    #[serde(rename = "MsgBody")]
    pub msg_body: Vec<MsgElement>,
    /// Custom data of the message (`CloudCustomData`).
    #[serde(
        rename = "CloudCustomData",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub cloud_custom_data: Option<String>,
    /// The topic the message was for (`TopicId`).
    ///
    /// **UNVERIFIED**: not listed for this command; decoded when present, as in the
    /// other group message webhooks.
    #[serde(rename = "TopicId", default, skip_serializing_if = "Option::is_none")]
    pub topic_id: Option<String>,
    /// Why the message failed (`ErrorCode`), a Chat error code such as 10023.
    #[serde(rename = "ErrorCode", deserialize_with = "crate::de::u32")]
    pub error_code: u32,
    /// What went wrong (`ErrorInfo`).
    #[serde(rename = "ErrorInfo")]
    pub error_info: String,
    /// When it happened (`EventTime`).
    #[serde(rename = "EventTime")]
    pub event_time: UnixMillis,
}

impl SendMsgException {
    /// The text of the message's text elements, in order.
    pub fn texts(&self) -> impl Iterator<Item = &str> {
        message::texts(&self.msg_body)
    }
}

impl fmt::Display for SendMsgException {
    /// The group, the topic if any, why the message failed (`ErrorCode`) and the text of
    /// the text elements (the message has no `MsgSeq`: it was not stored).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "GroupId={}", Word(&self.group_id))?;
        log_line::topic(f, self.topic_id.as_deref())?;
        write!(f, " ErrorCode={}", self.error_code)?;
        log_line::texts(f, &self.msg_body)
    }
}

/// One entry of `MsgSeqList`: a recalled message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RecalledMsg {
    /// The recalled message's sequence number (`MsgSeq`).
    #[serde(rename = "MsgSeq", deserialize_with = "crate::de::u64")]
    pub msg_seq: u64,
}

/// `Group.CallbackAfterRecallMsg`: group messages were recalled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AfterRecallMsg {
    /// The group's ID (`GroupId`).
    #[serde(rename = "GroupId")]
    pub group_id: String,
    /// The group's type (`Type`), such as `Public` or `Community`.
    #[serde(rename = "Type")]
    pub group_type: String,
    /// Who recalled them (`Operator_Account`).
    #[serde(rename = "Operator_Account")]
    pub operator_account: String,
    /// The recalled messages (`MsgSeqList`).
    #[serde(rename = "MsgSeqList")]
    pub msg_seq_list: Vec<RecalledMsg>,
    /// The topic of the messages (`TopicId`); only in topic-enabled communities.
    #[serde(rename = "TopicId", default, skip_serializing_if = "Option::is_none")]
    pub topic_id: Option<String>,
    /// When it happened (`EventTime`).
    #[serde(rename = "EventTime")]
    pub event_time: UnixMillis,
}

impl fmt::Display for AfterRecallMsg {
    /// The group, the `MsgSeq` of each recalled message and the topic if any.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "GroupId={}", Word(&self.group_id))?;
        for msg in &self.msg_seq_list {
            write!(f, " MsgSeq={}", msg.msg_seq)?;
        }
        log_line::topic(f, self.topic_id.as_deref())
    }
}

/// One entry of `GroupMsgReceiptList`: the read state of one message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GroupMsgReceipt {
    /// The message's sequence number (`MsgSeq`).
    #[serde(rename = "MsgSeq", deserialize_with = "crate::de::u64")]
    pub msg_seq: u64,
    /// How many members have read it (`ReadNum`).
    #[serde(rename = "ReadNum", deserialize_with = "crate::de::u32")]
    pub read_num: u32,
    /// How many members have not read it yet (`UnreadNum`).
    #[serde(rename = "UnreadNum", deserialize_with = "crate::de::u32")]
    pub unread_num: u32,
    /// The members who have just read it (`ReadReceiptMembers`); empty when absent.
    #[serde(rename = "ReadReceiptMembers", default)]
    pub read_receipt_members: Vec<Member>,
}

/// `Group.CallbackAfterReadReceipt`: members sent read receipts for group messages
/// (not in communities).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AfterReadReceipt {
    /// The group's ID (`GroupId`).
    #[serde(rename = "GroupId")]
    pub group_id: String,
    /// The group's type (`Type`), such as `Public` or `Work`.
    #[serde(rename = "Type")]
    pub group_type: String,
    /// The messages whose read state changed (`GroupMsgReceiptList`).
    #[serde(rename = "GroupMsgReceiptList")]
    pub group_msg_receipt_list: Vec<GroupMsgReceipt>,
    /// When it happened (`EventTime`).
    #[serde(rename = "EventTime")]
    pub event_time: UnixMillis,
}

impl fmt::Display for AfterReadReceipt {
    /// The group and the `MsgSeq` of each message read.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "GroupId={}", Word(&self.group_id))?;
        for receipt in &self.group_msg_receipt_list {
            write!(f, " MsgSeq={}", receipt.msg_seq)?;
        }
        Ok(())
    }
}

/// `Group.CallbackAfterGroupMsgExtension`: the extensions of a group message were set,
/// deleted or cleared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AfterGroupMsgExtension {
    /// The group's ID (`GroupId`).
    #[serde(rename = "GroupId")]
    pub group_id: String,
    /// The message's sequence number (`MsgSeq`).
    #[serde(rename = "MsgSeq", deserialize_with = "crate::de::u64")]
    pub msg_seq: u64,
    /// What was done (`OperateType`): [`SET`](ExtensionOperation::SET),
    /// [`DELETE`](ExtensionOperation::DELETE) or [`CLEAR`](ExtensionOperation::CLEAR).
    #[serde(rename = "OperateType")]
    pub operate_type: ExtensionOperation,
    /// The keys concerned (`ExtensionList`); empty when the extensions were cleared.
    #[serde(rename = "ExtensionList", default)]
    pub extension_list: Vec<MsgExtension>,
    /// The version of the message's extensions after the change (`Seq`).
    #[serde(rename = "Seq", deserialize_with = "crate::de::u64")]
    pub seq: u64,
    /// The topic of the message (`TopicId`).
    ///
    /// **UNVERIFIED**: not in the documented sample; decoded when present, as in the
    /// other group message webhooks.
    #[serde(rename = "TopicId", default, skip_serializing_if = "Option::is_none")]
    pub topic_id: Option<String>,
    /// When it happened (`EventTime`).
    #[serde(rename = "EventTime")]
    pub event_time: UnixMillis,
}

impl fmt::Display for AfterGroupMsgExtension {
    /// The group, the `MsgSeq`, the topic if any, the operation and the keys affected.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "GroupId={} MsgSeq={}",
            Word(&self.group_id),
            self.msg_seq
        )?;
        log_line::topic(f, self.topic_id.as_deref())?;
        log_line::extensions(f, self.operate_type, &self.extension_list)
    }
}

impl AfterSendMsg {
    /// Its natural key, which identifies its delivery for [`dedupe`](crate::dedupe): the
    /// group, the topic in a community, and the message's `MsgSeq` there
    /// (`@TGS#…/-/123`, `@TGS#…/@TGS#…@TOPIC#…/123`).
    pub fn natural_key(&self) -> Option<String> {
        let topic = self.topic_id.as_deref().unwrap_or("-");
        Some(format!("{}/{topic}/{}", self.group_id, self.msg_seq))
    }
}

#[cfg(test)]
mod tests {
    use super::super::REFUSAL_CODES;
    use super::super::tests::{EVENT_TIME, accounts};
    use super::*;
    use crate::Answer;
    use crate::answer::InvalidRefusalCode;
    use crate::message::CustomElem;
    use crate::test_support::{assert_body, assert_required, decode, fixture};
    use crate::test_util::OK_BODY;

    #[test]
    fn before_send_msg() {
        let event: BeforeSendMsg = decode(fixture!("group", "before_send_msg"));
        assert_eq!(event.group_id, "@TGS#2J4SZEAEL");
        assert_eq!(event.group_type, "Community");
        assert_eq!(event.from_account, "jared");
        assert_eq!(event.operator_account, "admin");
        assert_eq!(event.random, 123_456);
        assert!(event.online_only);
        assert_eq!(event.msg_body, [MsgElement::text("red packet")]);
        assert_eq!(
            event.cloud_custom_data.as_deref(),
            Some("your cloud custom data")
        );
        assert_eq!(
            event.topic_id.as_deref(),
            Some("@TGS#_@TGS#cQVLVHIM62CJ@TOPIC#_TestTopic")
        );
        // Quirk: the sample quotes `EventTime`.
        assert_eq!(event.event_time, EVENT_TIME);
        assert_eq!(event.texts().collect::<Vec<_>>(), ["red packet"]);
        assert_eq!(
            event.to_string(),
            r#"GroupId=@TGS#2J4SZEAEL TopicId=@TGS#_@TGS#cQVLVHIM62CJ@TOPIC#_TestTopic Text="red packet""#
        );
    }

    #[test]
    fn before_send_msg_without_optional_fields() {
        let event: BeforeSendMsg = decode(fixture!("group", "quirk_before_send_msg_minimal"));
        assert_eq!(event.group_type, "AVChatRoom");
        assert!(!event.online_only);
        assert_eq!(event.cloud_custom_data, None);
        assert_eq!(event.topic_id, None);
        assert_eq!(event.event_time, EVENT_TIME);
        assert_eq!(
            event.to_string(),
            r#"GroupId=@TGS#aJ4SZEAEL Text="red packet""#
        );
        let json = serde_json::to_value(&event).unwrap();
        assert!(json.get("CloudCustomData").is_none() && json.get("TopicId").is_none());
    }

    #[test]
    fn before_send_msg_requires_its_fields() {
        assert_required::<BeforeSendMsg>(
            fixture!("group", "before_send_msg"),
            &[
                "GroupId",
                "Type",
                "From_Account",
                "Operator_Account",
                "Random",
                "OnlineOnlyFlag",
                "MsgBody",
                "EventTime",
            ],
        );
    }

    #[test]
    fn after_send_msg() {
        let event: AfterSendMsg = decode(fixture!("group", "after_send_msg"));
        assert_eq!(event.group_id, "@TGS#2J4SZEAEL");
        assert_eq!(event.group_type, "Public");
        assert_eq!(event.from_account, "jared");
        assert_eq!(event.operator_account, "admin");
        assert_eq!(event.random, 123_456);
        assert_eq!(event.msg_seq, 123);
        assert_eq!(event.msg_time, UnixSecs(1_490_686_222));
        assert!(event.online_only);
        assert_eq!(event.msg_body[0].as_text(), Some("red packet"));
        assert_eq!(
            event.cloud_custom_data.as_deref(),
            Some("your cloud custom data")
        );
        assert_eq!(event.msg_id, None);
        assert_eq!(event.topic_id, None);
        assert!(event.group_at_info.is_empty());
        assert_eq!(event.event_time, EVENT_TIME);
        assert_eq!(
            event.to_string(),
            r#"GroupId=@TGS#2J4SZEAEL MsgSeq=123 Text="red packet""#
        );
    }

    #[test]
    fn after_send_msg_numbers_may_be_strings() {
        let event: AfterSendMsg = decode(fixture!("group", "quirk_after_send_msg_string_numbers"));
        // 3998651049 does not fit an i32: `Random` is unsigned.
        assert_eq!(event.random, 3_998_651_049);
        assert_eq!(event.msg_seq, 4_294_967_295);
        assert_eq!(event.msg_time, UnixSecs(1_490_686_222));
        assert!(!event.online_only);
        assert_eq!(event.cloud_custom_data, None);
        assert_eq!(event.event_time, EVENT_TIME);
    }

    #[test]
    fn after_send_msg_with_newer_and_unverified_fields() {
        let event: AfterSendMsg = decode(fixture!("group", "quirk_after_send_msg_newer_fields"));
        assert_eq!(
            event.msg_id.as_deref(),
            Some("144115233406643804-1727580296-4026038328")
        );
        assert_eq!(
            event.topic_id.as_deref(),
            Some("@TGS#_@TGS#cQVLVHIM62CJ@TOPIC#_TestTopic")
        );
        assert_eq!(event.group_at_info.len(), 2);
        assert!(event.group_at_info[0].at_all);
        assert_eq!(event.group_at_info[0].group_at_account, None);
        assert!(!event.group_at_info[1].at_all);
        assert_eq!(
            event.group_at_info[1].group_at_account.as_deref(),
            Some("leckie")
        );
        assert!(matches!(event.msg_body[1], MsgElement::Unknown { .. }));
        assert_eq!(event.cloud_custom_data.as_deref(), Some(""));
        assert_eq!(
            event.to_string(),
            r#"GroupId=@TGS#_@TGS#cQVLVHIM62CJ MsgSeq=124 TopicId=@TGS#_@TGS#cQVLVHIM62CJ@TOPIC#_TestTopic Text="@all hello" Text="@leckie see above""#
        );
    }

    #[test]
    fn after_send_msg_requires_its_fields() {
        assert_required::<AfterSendMsg>(
            fixture!("group", "after_send_msg"),
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
                "EventTime",
            ],
        );
    }

    #[test]
    fn send_msg_exception() {
        // Tencent's sample lacks the comma after `ErrorInfo`; the fixture adds it and
        // changes nothing else.
        let event: SendMsgException = decode(fixture!("group", "send_msg_exception"));
        assert_eq!(event.group_id, "@TGS#2J4SZEAEL");
        assert_eq!(event.group_type, "Public");
        assert_eq!(event.from_account, "jared");
        assert_eq!(event.operator_account, "admin");
        assert_eq!(event.random, 123_456);
        assert!(event.online_only);
        assert_eq!(event.msg_body, [MsgElement::text("red packet")]);
        assert_eq!(
            event.cloud_custom_data.as_deref(),
            Some("your cloud custom data")
        );
        // Quirk: `ErrorCode` and `ErrorInfo` are request fields here.
        assert_eq!(event.error_code, 10_023);
        assert_eq!(
            event.error_info,
            "msg count exceeds limit,please retry later"
        );
        assert_eq!(event.topic_id, None);
        assert_eq!(event.event_time, EVENT_TIME);
        assert_eq!(event.texts().collect::<Vec<_>>(), ["red packet"]);
        assert_eq!(
            event.to_string(),
            r#"GroupId=@TGS#2J4SZEAEL ErrorCode=10023 Text="red packet""#
        );
        assert_required::<SendMsgException>(
            fixture!("group", "send_msg_exception"),
            &[
                "GroupId",
                "Type",
                "From_Account",
                "Operator_Account",
                "Random",
                "OnlineOnlyFlag",
                "MsgBody",
                "ErrorCode",
                "ErrorInfo",
                "EventTime",
            ],
        );
    }

    #[test]
    fn after_recall_msg() {
        let event: AfterRecallMsg = decode(fixture!("group", "after_recall_msg"));
        assert_eq!(event.group_id, "1213456");
        assert_eq!(event.group_type, "Community");
        assert_eq!(event.operator_account, "admin");
        assert_eq!(event.msg_seq_list, [RecalledMsg { msg_seq: 130 }]);
        assert_eq!(
            event.topic_id.as_deref(),
            Some("@TGS#_@TGS#cQVLVHIM62CJ@TOPIC#_TestTopic")
        );
        assert_eq!(event.event_time, EVENT_TIME);
        assert_eq!(
            event.to_string(),
            "GroupId=1213456 MsgSeq=130 TopicId=@TGS#_@TGS#cQVLVHIM62CJ@TOPIC#_TestTopic"
        );
        assert_required::<AfterRecallMsg>(
            fixture!("group", "after_recall_msg"),
            &[
                "GroupId",
                "Type",
                "Operator_Account",
                "MsgSeqList",
                "EventTime",
            ],
        );
    }

    #[test]
    fn after_recall_msg_outside_a_topic() {
        let event: AfterRecallMsg =
            decode(fixture!("group", "quirk_after_recall_msg_without_topic"));
        assert_eq!(event.topic_id, None);
        let seqs: Vec<_> = event.msg_seq_list.iter().map(|m| m.msg_seq).collect();
        assert_eq!(seqs, [130, 131]);
        assert_eq!(event.to_string(), "GroupId=1213456 MsgSeq=130 MsgSeq=131");
    }

    #[test]
    fn after_read_receipt() {
        // Tencent's sample lacks the comma after `"UnreadNum": 6` in its first item; the
        // fixture adds it and changes nothing else.
        let event: AfterReadReceipt = decode(fixture!("group", "after_read_receipt"));
        assert_eq!(event.group_id, "@TGS#2TTV7VSII");
        assert_eq!(event.group_type, "Public");
        assert_eq!(event.group_msg_receipt_list.len(), 2);
        let first = &event.group_msg_receipt_list[0];
        assert_eq!((first.msg_seq, first.read_num, first.unread_num), (1, 1, 6));
        assert_eq!(accounts(&first.read_receipt_members), ["user0"]);
        assert_eq!(event.group_msg_receipt_list[1].msg_seq, 2);
        assert_eq!(event.event_time, EVENT_TIME);
        assert_eq!(
            event.to_string(),
            "GroupId=@TGS#2TTV7VSII MsgSeq=1 MsgSeq=2"
        );
        assert_required::<AfterReadReceipt>(
            fixture!("group", "after_read_receipt"),
            &["GroupId", "Type", "GroupMsgReceiptList", "EventTime"],
        );
        let without_unread = r#"{"GroupId":"g","Type":"Public","EventTime":1,
            "GroupMsgReceiptList":[{"MsgSeq":1,"ReadNum":1}]}"#;
        assert!(serde_json::from_str::<AfterReadReceipt>(without_unread).is_err());
    }

    #[test]
    fn after_read_receipt_without_members() {
        let event: AfterReadReceipt =
            decode(fixture!("group", "quirk_read_receipt_without_members"));
        let receipt = &event.group_msg_receipt_list[0];
        assert_eq!(
            (receipt.msg_seq, receipt.read_num, receipt.unread_num),
            (3, 0, 7)
        );
        assert!(receipt.read_receipt_members.is_empty());
    }

    #[test]
    fn after_group_msg_extension_set_delete_and_clear() {
        let event: AfterGroupMsgExtension = decode(fixture!("group", "after_group_msg_extension"));
        assert_eq!(event.group_id, "test");
        assert_eq!(event.msg_seq, 10);
        assert_eq!(event.operate_type, ExtensionOperation::SET);
        let keys: Vec<_> = event
            .extension_list
            .iter()
            .map(|e| (e.key.as_str(), e.value.as_str(), e.seq))
            .collect();
        assert_eq!(keys, [("key2", "value2", 56), ("key3", "12122", 56)]);
        assert_eq!(event.seq, 56);
        assert_eq!(event.topic_id, None);
        // This sample writes `EventTime` as a bare number.
        assert_eq!(event.event_time, UnixMillis(1_764_688_294_360));
        assert_eq!(
            event.to_string(),
            "GroupId=test MsgSeq=10 OperateType=1 Key=key2 Key=key3"
        );

        // The documented "delete" and "clear" samples of the same page.
        let event: AfterGroupMsgExtension =
            decode(fixture!("group", "after_group_msg_extension_delete"));
        assert_eq!(event.operate_type, ExtensionOperation::DELETE);
        assert_eq!(event.extension_list[1].key, "key3");
        assert_eq!(event.extension_list[1].value, "");
        assert_eq!(event.seq, 57);
        let event: AfterGroupMsgExtension =
            decode(fixture!("group", "after_group_msg_extension_clear"));
        assert_eq!(event.operate_type, ExtensionOperation::CLEAR);
        assert!(event.extension_list.is_empty());
        assert_eq!(event.to_string(), "GroupId=test MsgSeq=10 OperateType=3");
        assert_eq!(event.event_time, UnixMillis(1_764_688_329_047));

        assert_required::<AfterGroupMsgExtension>(
            fixture!("group", "after_group_msg_extension"),
            &["GroupId", "MsgSeq", "OperateType", "Seq", "EventTime"],
        );
    }

    // The documented replies of Group.CallbackBeforeSendMsg, comments removed.
    const ALLOW: &str = r#"{"ActionStatus": "OK", "ErrorInfo": "", "ErrorCode": 0}"#;
    const REFUSE: &str = r#"{"ActionStatus": "OK", "ErrorInfo": "", "ErrorCode": 1}"#;
    const DISCARD: &str = r#"{"ActionStatus": "OK", "ErrorInfo": "", "ErrorCode": 2}"#;
    const REWRITE: &str = r#"{
        "ActionStatus": "OK",
        "ErrorInfo": "",
        "ErrorCode": 0,
        "MsgBody": [
            { "MsgType": "TIMTextElem", "MsgContent": { "Text": "red packet" } },
            { "MsgType": "TIMCustomElem", "MsgContent": { "Desc": "CustomElement.MemberLevel", "Data": "LV1" } }
        ],
        "CloudCustomData": "your cloud custom data"
    }"#;

    #[test]
    fn before_send_replies_match_the_documented_samples() {
        assert_body(BeforeSendMsgReply::allow(), ALLOW);
        assert_body(BeforeSendMsgReply::default(), ALLOW);
        assert_eq!(Answer::from(BeforeSendMsgReply::default()).body(), OK_BODY);
        assert_body(BeforeSendMsgReply::Refuse, REFUSE);
        assert_body(BeforeSendMsgReply::Discard, DISCARD);
        let rewrite = BeforeSendMsgReply::rewrite(vec![
            MsgElement::text("red packet"),
            CustomElem::new("LV1")
                .with_desc("CustomElement.MemberLevel")
                .into(),
        ])
        .with_cloud_custom_data("your cloud custom data");
        assert_body(rewrite, REWRITE);
        assert_body(
            BeforeSendMsgReply::refuse_with(10_150, "you are muted").unwrap(),
            r#"{"ActionStatus":"OK","ErrorInfo":"you are muted","ErrorCode":10150}"#,
        );
    }

    #[test]
    fn before_send_refusal_codes_are_the_group_range() {
        assert!(BeforeSendMsgReply::refuse_with(10_100, "").is_ok());
        assert!(BeforeSendMsgReply::refuse_with(10_200, "").is_ok());
        for code in [0, 1, 2, 10_099, 10_201, 120_001, 130_000, u32::MAX] {
            assert_eq!(
                BeforeSendMsgReply::refuse_with(code, ""),
                Err(InvalidRefusalCode {
                    code,
                    range: REFUSAL_CODES
                })
            );
        }
    }
}
