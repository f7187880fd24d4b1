//! The Group family: webhooks about groups (creation, profile, attributes, owner,
//! destruction, the daily creation quota), their members (joining, leaving, online state,
//! role and name card), their messages and their topics, with the replies of its
//! before-webhooks.
//!
//! Each event type is named after its command without the `Group.Callback` prefix
//! (`Group.CallbackAfterNewMemberJoin` is [`AfterNewMemberJoin`]). Tencent's samples send
//! `EventTime` as a string of digits and its tables as a number; both decode. A
//! before-webhook refuses with `ErrorCode` 1 or with a code of the app's own from
//! [`REFUSAL_CODES`].

/// A fixture of this family, from `tests/fixtures/group/`.
#[cfg(test)]
macro_rules! fixture {
    ($name:literal) => {
        include_str!(concat!("../../tests/fixtures/group/", $name, ".json"))
    };
}

/// The log line's identifier of the events that name only their group: `GroupId`.
macro_rules! display_group_id {
    ($($event:ident),* $(,)?) => {$(
        impl std::fmt::Display for $event {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "GroupId={}", crate::log_line::Word(&self.group_id))
            }
        }
    )*};
}

mod lifecycle;
mod members;
mod messages;
mod replies;
mod topics;

pub use self::lifecycle::{
    AfterChangeGroupOwner, AfterCreateGroup, AfterGroupAttrChanged, AfterGroupDestroyed,
    AfterGroupFull, AfterGroupInfoChanged, BeforeCreateGroup, GroupAttr, OnDailyGroupQuotaAlarm,
    UserDefinedData,
};
pub use self::members::{
    AfterMemberExit, AfterMemberFieldChanged, AfterNewMemberJoin, BeforeApplyJoinGroup,
    BeforeInviteJoinGroup, Member, OnMemberStateChange,
};
pub use self::messages::{
    AfterGroupMsgExtension, AfterReadReceipt, AfterRecallMsg, AfterSendMsg, BeforeSendMsg,
    BeforeSendMsgReply, GroupAt, GroupCodes, GroupMsgReceipt, RecalledMsg, SendMsgException,
};
pub use self::replies::{
    BeforeApplyJoinGroupReply, BeforeCreateGroupReply, BeforeInviteJoinGroupReply, REFUSAL_CODES,
};
pub use self::topics::{
    AfterCreateTopic, AfterTopicDestroyed, AfterTopicInfoChanged, BeforeCreateTopic,
    BeforeCreateTopicReply,
};
/// The extensions of a group message take the same shape as a one-to-one message's.
pub use crate::c2c::{ExtensionOperation, MsgExtension};
pub use crate::catalog::group::{GroupEvent, GroupHandler, dispatch};

#[cfg(test)]
mod tests {
    use std::fmt::Debug;

    use serde::Serialize;
    use serde::de::DeserializeOwned;
    use serde_json::Value;

    use super::Member;
    use crate::time::UnixMillis;

    /// The `EventTime` of Tencent's group samples.
    pub(super) const EVENT_TIME: UnixMillis = UnixMillis(1_670_574_414_123);

    /// The accounts of a member list, in order.
    pub(super) fn accounts(members: &[Member]) -> Vec<&str> {
        members.iter().map(|m| m.member_account.as_str()).collect()
    }

    /// Decodes `fixture`, and checks that what the event writes decodes to the same event.
    pub(super) fn decode<E>(fixture: &str) -> E
    where
        E: DeserializeOwned + Serialize + PartialEq + Debug,
    {
        let event: E = serde_json::from_str(fixture).unwrap();
        let written = serde_json::to_string(&event).unwrap();
        assert_eq!(
            serde_json::from_str::<E>(&written).unwrap(),
            event,
            "{written}"
        );
        event
    }

    /// Takes each top-level field out of `fixture` in turn: the decode fails exactly
    /// when that field is one of `required`.
    pub(super) fn assert_required<E: DeserializeOwned + Debug>(fixture: &str, required: &[&str]) {
        let Value::Object(fields) = serde_json::from_str(fixture).unwrap() else {
            panic!("a fixture is a JSON object")
        };
        for name in required {
            assert!(fields.contains_key(*name), "{name} is not in the fixture");
        }
        for name in fields.keys() {
            let mut without = fields.clone();
            without.remove(name);
            let decoded = serde_json::from_str::<E>(&Value::Object(without).to_string());
            assert_eq!(
                decoded.is_err(),
                required.contains(&name.as_str()),
                "without {name}: {decoded:?}"
            );
        }
    }
}
