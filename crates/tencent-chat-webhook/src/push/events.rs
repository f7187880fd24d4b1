//! The two push reports and their events.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::log_line::Word;
use crate::time::UnixSecs;

/// The push vendor (`PushPlatform`, also `DeviceType`). Unknown codes are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PushPlatform(#[serde(deserialize_with = "crate::de::u32")] pub u32);

impl PushPlatform {
    /// Unknown (0); also an online push, which goes through no vendor.
    pub const UNKNOWN: Self = Self(0);
    /// Apple Push Notification service (1).
    pub const APNS: Self = Self(1);
    /// Xiaomi (2).
    pub const XIAOMI: Self = Self(2);
    /// Huawei (3).
    pub const HUAWEI: Self = Self(3);
    /// Firebase Cloud Messaging (4).
    pub const FCM: Self = Self(4);
    /// Meizu (5).
    pub const MEIZU: Self = Self(5);
    /// OPPO (6).
    pub const OPPO: Self = Self(6);
    /// vivo (7).
    pub const VIVO: Self = Self(7);
    /// Honor (8).
    pub const HONOR: Self = Self(8);
}

/// How far a push got (`PushStage`). Unknown codes are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PushStage(#[serde(deserialize_with = "crate::de::u32")] pub u32);

impl PushStage {
    /// Sent to the vendor (1).
    pub const SENT: Self = Self(1);
    /// Delivered to the device (2).
    pub const DELIVERED: Self = Self(2);
    /// Clicked by the user (3).
    pub const CLICKED: Self = Self(3);
}

/// The conversation of a pushed message (`Push.OfflinePush`'s `EventType`). Unknown
/// codes are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ConversationType(#[serde(deserialize_with = "crate::de::u32")] pub u32);

impl ConversationType {
    /// A one-to-one message (1).
    pub const C2C: Self = Self(1);
    /// A group message (2).
    pub const GROUP: Self = Self(2);
}

/// The kind of an all-user, tag or single-user push (`Push.AllMemberPush`'s
/// `EventType`). Unknown codes are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PushKind(#[serde(deserialize_with = "crate::de::u32")] pub u32);

impl PushKind {
    /// An offline push, through a vendor (1).
    pub const OFFLINE: Self = Self(1);
    /// An online push, to a connected client (2).
    pub const ONLINE: Self = Self(2);
}

/// `Push.OfflinePush`: a batch of reports on offline pushes of one-to-one and group
/// messages. The body has no top-level `CallbackCommand`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct OfflinePush {
    /// The reports (`Events`), 1 to 100.
    #[serde(rename = "Events")]
    pub events: Vec<OfflinePushEvent>,
}

/// One entry of `Push.OfflinePush`'s `Events`: how far the push of one message to one
/// recipient got. Its own `CallbackCommand` is not kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct OfflinePushEvent {
    /// One-to-one or group message (`EventType`).
    #[serde(rename = "EventType")]
    pub event_type: ConversationType,
    /// When it happened (`EventTime`), Unix **seconds**.
    #[serde(rename = "EventTime")]
    pub event_time: UnixSecs,
    /// The message's sender (`From_Account`).
    #[serde(rename = "From_Account")]
    pub from_account: String,
    /// The recipient pushed to (`To_Account`).
    #[serde(rename = "To_Account")]
    pub to_account: String,
    /// The push vendor (`PushPlatform`).
    #[serde(rename = "PushPlatform")]
    pub push_platform: PushPlatform,
    /// How far the push got (`PushStage`).
    #[serde(rename = "PushStage")]
    pub push_stage: PushStage,
    /// The one-to-one message's key (`MsgKey`); one-to-one messages only.
    #[serde(rename = "MsgKey", default, skip_serializing_if = "Option::is_none")]
    pub msg_key: Option<String>,
    /// The group's ID (`GroupID`, with a capital D unlike every other command's
    /// `GroupId`, which is accepted too); group messages only.
    #[serde(
        rename = "GroupID",
        alias = "GroupId",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub group_id: Option<String>,
    /// The message's sequence number (`MsgSeq`).
    #[serde(rename = "MsgSeq", deserialize_with = "crate::de::u32")]
    pub msg_seq: u32,
    /// The message's random number (`MsgRandom`); the doc says it is empty for group
    /// messages, so an absent, `null` or empty value is `None`.
    #[serde(
        rename = "MsgRandom",
        default,
        deserialize_with = "crate::de::opt_u32",
        skip_serializing_if = "Option::is_none"
    )]
    pub msg_random: Option<u32>,
    /// When the message was sent (`MsgTime`), Unix seconds.
    #[serde(rename = "MsgTime")]
    pub msg_time: UnixSecs,
    /// The push's unique ID (`PushID`).
    #[serde(rename = "PushID")]
    pub push_id: String,
    /// The result (`ErrCode`): 0 success.
    #[serde(rename = "ErrCode", deserialize_with = "crate::de::i64")]
    pub err_code: i64,
    /// The result's description (`ErrInfo`); may be empty.
    #[serde(rename = "ErrInfo", default)]
    pub err_info: String,
}

/// `Push.AllMemberPush`: a batch of reports on all-user, tag and single-user pushes.
/// The body has no top-level `CallbackCommand`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AllMemberPush {
    /// The reports (`Events`), 1 to 100.
    #[serde(rename = "Events")]
    pub events: Vec<AllMemberPushEvent>,
}

/// One entry of `Push.AllMemberPush`'s `Events`: how far one push task got with one
/// recipient. Its own `CallbackCommand` is not kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AllMemberPushEvent {
    /// Offline or online push (`EventType`).
    #[serde(rename = "EventType")]
    pub event_type: PushKind,
    /// The push task's ID (`TaskId`), as the push REST API returned it.
    #[serde(rename = "TaskId")]
    pub task_id: String,
    /// The app's own business ID for the push (`DataId`); listed in the doc's table,
    /// not in its sample.
    #[serde(rename = "DataId", default, skip_serializing_if = "Option::is_none")]
    pub data_id: Option<String>,
    /// When the push task started (`TaskTime`), Unix **seconds**.
    #[serde(rename = "TaskTime")]
    pub task_time: UnixSecs,
    /// When it happened (`EventTime`), Unix **seconds**.
    #[serde(rename = "EventTime")]
    pub event_time: UnixSecs,
    /// The recipient pushed to (`To_Account`).
    #[serde(rename = "To_Account")]
    pub to_account: String,
    /// The push vendor (`PushPlatform`); [`PushPlatform::UNKNOWN`] for an online push.
    #[serde(rename = "PushPlatform")]
    pub push_platform: PushPlatform,
    /// The device's vendor (`DeviceType`, same codes as `PushPlatform`); listed in the
    /// doc's table, not in its sample.
    #[serde(
        rename = "DeviceType",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub device_type: Option<PushPlatform>,
    /// How far the push got (`PushStage`).
    #[serde(rename = "PushStage")]
    pub push_stage: PushStage,
    /// The result (`ErrCode`): 0 success.
    #[serde(rename = "ErrCode", deserialize_with = "crate::de::i64")]
    pub err_code: i64,
    /// The result's description (`ErrInfo`); may be empty.
    #[serde(rename = "ErrInfo", default)]
    pub err_info: String,
}

impl fmt::Display for OfflinePushEvent {
    /// The accounts, the message (`MsgKey`, or `GroupId` and `MsgSeq`), the `PushID`,
    /// the stage and the result.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "From_Account={} To_Account={}",
            Word(&self.from_account),
            Word(&self.to_account)
        )?;
        if let Some(key) = &self.msg_key {
            write!(f, " MsgKey={}", Word(key))?;
        }
        if let Some(group) = &self.group_id {
            write!(f, " GroupId={}", Word(group))?;
        }
        if self.msg_key.is_none() {
            write!(f, " MsgSeq={}", self.msg_seq)?;
        }
        write!(
            f,
            " PushID={} PushStage={} ErrCode={}",
            Word(&self.push_id),
            self.push_stage.0,
            self.err_code
        )
    }
}

impl fmt::Display for AllMemberPushEvent {
    /// The task, the recipient, the stage and the result.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TaskId={}", Word(&self.task_id))?;
        if let Some(data) = &self.data_id {
            write!(f, " DataId={}", Word(data))?;
        }
        write!(
            f,
            " To_Account={} PushStage={} ErrCode={}",
            Word(&self.to_account),
            self.push_stage.0,
            self.err_code
        )
    }
}

/// `Events=<n>` and then each event's pairs.
fn batch<E: fmt::Display>(f: &mut fmt::Formatter<'_>, events: &[E]) -> fmt::Result {
    write!(f, "Events={}", events.len())?;
    for event in events {
        write!(f, " {event}")?;
    }
    Ok(())
}

impl fmt::Display for OfflinePush {
    /// `Events=<n>`, then each event's pairs in order.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        batch(f, &self.events)
    }
}

impl fmt::Display for AllMemberPush {
    /// `Events=<n>`, then each event's pairs in order.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        batch(f, &self.events)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{assert_required_at, decode, fixture};

    #[test]
    fn offline_push() {
        let push: OfflinePush = decode(fixture!("push", "offline_push"));
        assert_eq!(push.events.len(), 2);
        let c2c = &push.events[0];
        assert_eq!(c2c.event_type, ConversationType::C2C);
        assert_eq!(c2c.event_time, UnixSecs(1_557_481_127));
        assert_eq!(c2c.from_account, "user1");
        assert_eq!(c2c.to_account, "user2");
        assert_eq!(c2c.push_platform, PushPlatform::APNS);
        assert_eq!(c2c.push_stage, PushStage::SENT);
        assert_eq!(c2c.msg_key.as_deref(), Some("48374_2837546_1557481126"));
        assert_eq!(c2c.group_id, None);
        assert_eq!(c2c.msg_seq, 48374);
        assert_eq!(c2c.msg_random, Some(2_837_546));
        assert_eq!(c2c.msg_time, UnixSecs(1_557_481_126));
        assert_eq!(
            c2c.push_id,
            "67120c46_6a4086c0_9bf5fb50_200002d1089b322_2000005d8d46421"
        );
        assert_eq!(c2c.err_code, 0);
        assert_eq!(c2c.err_info, "OK");
        let group = &push.events[1];
        assert_eq!(group.event_type, ConversationType::GROUP);
        assert_eq!(group.group_id.as_deref(), Some("@TGS#12DEVUDHQ"));
        assert_eq!(group.msg_key, None);
        assert_eq!(group.msg_seq, 48375);
        // The group's ID is written back with the doc's spelling.
        let value = serde_json::to_value(&push).unwrap();
        assert_eq!(value["Events"][1]["GroupID"], "@TGS#12DEVUDHQ");
        assert_eq!(
            push.to_string(),
            "Events=2 \
             From_Account=user1 To_Account=user2 MsgKey=48374_2837546_1557481126 \
             PushID=67120c46_6a4086c0_9bf5fb50_200002d1089b322_2000005d8d46421 PushStage=1 ErrCode=0 \
             From_Account=user2 To_Account=user3 GroupId=@TGS#12DEVUDHQ MsgSeq=48375 \
             PushID=6710c631_85_392fcbcff_200000b2f2c6820_200002c869bfb81 PushStage=1 ErrCode=0"
        );
    }

    #[test]
    fn quirk_offline_push_group_events() {
        // Built: `GroupId` spelt as everywhere else, `MsgRandom` empty or absent for a
        // group message, numbers as strings, `ErrInfo` empty or absent.
        let push: OfflinePush = decode(fixture!("push", "quirk_offline_push_group_event"));
        let [first, second] = &push.events[..] else {
            panic!("expected two events")
        };
        assert_eq!(first.group_id.as_deref(), Some("@TGS#12DEVUDHQ"));
        assert_eq!(first.msg_random, None);
        assert_eq!(first.event_time, UnixSecs(1_557_481_130));
        assert_eq!(first.msg_seq, 48376);
        assert_eq!(first.push_platform, PushPlatform::FCM);
        assert_eq!(first.push_stage, PushStage::CLICKED);
        assert_eq!(first.err_info, "");
        assert_eq!(second.group_id.as_deref(), Some("@TGS#12DEVUDHQ"));
        assert_eq!(second.msg_random, None);
        assert_eq!(second.push_platform, PushPlatform::HUAWEI);
        assert_eq!(second.err_code, 20001);
        assert_eq!(second.err_info, "");
        let mut event = serde_json::from_str::<serde_json::Value>(fixture!("push", "offline_push"))
            .unwrap()["Events"][0]
            .take();
        event["MsgRandom"] = "x".into();
        assert!(serde_json::from_value::<OfflinePushEvent>(event).is_err());
    }

    #[test]
    fn all_member_push() {
        let push: AllMemberPush = decode(fixture!("push", "all_member_push"));
        assert_eq!(push.events.len(), 2);
        let offline = &push.events[0];
        assert_eq!(offline.event_type, PushKind::OFFLINE);
        assert_eq!(
            offline.task_id,
            "657bf434_537529d8_2000005e80aa873_2780d131_bc614e"
        );
        assert_eq!(offline.task_time, UnixSecs(1_557_481_127));
        assert_eq!(offline.event_time, UnixSecs(1_557_481_128));
        assert_eq!(offline.to_account, "user2");
        assert_eq!(offline.push_platform, PushPlatform::APNS);
        assert_eq!(offline.push_stage, PushStage::SENT);
        assert_eq!(offline.err_code, 0);
        assert_eq!(offline.err_info, "OK");
        assert_eq!(offline.data_id, None);
        assert_eq!(offline.device_type, None);
        let online = &push.events[1];
        assert_eq!(online.event_type, PushKind::ONLINE);
        assert_eq!(online.push_platform, PushPlatform::UNKNOWN);
        assert_eq!(online.event_time, UnixSecs(1_557_481_129));
        assert_eq!(
            push.to_string(),
            "Events=2 \
             TaskId=657bf434_537529d8_2000005e80aa873_2780d131_bc614e To_Account=user2 PushStage=1 ErrCode=0 \
             TaskId=657bf434_537529d8_2000005e80aa873_2780d131_9 To_Account=user3 PushStage=1 ErrCode=0"
        );
    }

    #[test]
    fn quirk_all_member_push_fields_from_the_table() {
        // Built: `DataId` and `DeviceType` are in the doc's table but not its sample.
        let push: AllMemberPush = decode(fixture!("push", "quirk_all_member_push_table_fields"));
        let event = &push.events[0];
        assert_eq!(event.data_id.as_deref(), Some("campaign-42"));
        assert_eq!(event.device_type, Some(PushPlatform::HONOR));
        assert_eq!(event.push_stage, PushStage::DELIVERED);
        assert_eq!(event.task_time, UnixSecs(1_557_481_127));
        assert_eq!(event.err_info, "");
        assert_eq!(
            push.to_string(),
            "Events=1 TaskId=657bf434_537529d8_2000005e80aa873_2780d131_bc614f DataId=campaign-42 To_Account=user4 PushStage=2 ErrCode=0"
        );
    }

    #[test]
    fn missing_required_fields_are_errors() {
        assert!(serde_json::from_str::<OfflinePush>("{}").is_err());
        assert!(serde_json::from_str::<AllMemberPush>(r#"{"Events":{}}"#).is_err());
        assert_required_at::<OfflinePush>(
            fixture!("push", "offline_push"),
            "/Events/0",
            &[
                "EventType",
                "EventTime",
                "From_Account",
                "To_Account",
                "PushPlatform",
                "PushStage",
                "MsgSeq",
                "MsgTime",
                "PushID",
                "ErrCode",
            ],
        );
        assert_required_at::<AllMemberPush>(
            fixture!("push", "all_member_push"),
            "/Events/0",
            &[
                "EventType",
                "TaskId",
                "TaskTime",
                "EventTime",
                "To_Account",
                "PushPlatform",
                "PushStage",
                "ErrCode",
            ],
        );
    }
}
