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
pub use crate::catalog::group::{GroupEvent, GroupHandler, dispatch};
/// The extensions of a group message take the same shape as a one-to-one message's.
pub use crate::message::{ExtensionOperation, MsgExtension};

#[cfg(test)]
mod tests {
    use super::Member;
    use crate::time::UnixMillis;

    /// The `EventTime` of Tencent's group samples.
    pub(super) const EVENT_TIME: UnixMillis = UnixMillis(1_670_574_414_123);

    /// The accounts of a member list, in order.
    pub(super) fn accounts(members: &[Member]) -> Vec<&str> {
        members.iter().map(|m| m.member_account.as_str()).collect()
    }
}
