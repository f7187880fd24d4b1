//! The replies of the group before-webhooks about groups and members: allow, refuse, or
//! let some invitees in and not others.

use std::ops::RangeInclusive;

use serde::Serialize;

use super::GroupCodes;
use crate::answer::{Answer, CheckedRefusal, InvalidRefusalCode};

/// The codes of the app's own with which a group before-webhook may refuse (10100–10200);
/// Tencent passes the code and its `ErrorInfo` on to the client.
///
/// The same range holds for every group before-webhook: creating a group, asking to
/// join, inviting, sending a message, creating a topic.
pub const REFUSAL_CODES: RangeInclusive<u32> = 10_100..=10_200;

/// The answer to a [`BeforeCreateGroup`](super::BeforeCreateGroup).
///
/// [`Default`] is what Tencent does when the webhook does not answer in time: create
/// the group.
///
/// ```
/// use tencent_chat_webhook::Answer;
/// use tencent_chat_webhook::group::BeforeCreateGroupReply;
///
/// let reply = BeforeCreateGroupReply::refuse_with(10100, "too many groups")?;
/// assert_eq!(
///     Answer::from(reply).body(),
///     r#"{"ActionStatus":"OK","ErrorCode":10100,"ErrorInfo":"too many groups"}"#,
/// );
/// assert!(BeforeCreateGroupReply::refuse_with(120001, "not a group code").is_err());
/// # Ok::<(), tencent_chat_webhook::answer::InvalidRefusalCode>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum BeforeCreateGroupReply {
    /// Create the group (`ErrorCode` 0).
    #[default]
    Allow,
    /// Do not create it (`ErrorCode` 1); the caller gets error 10016.
    Refuse,
    /// Refuse with a code and message passed through to the caller.
    RefuseWith(CheckedRefusal<GroupCodes>),
}

impl BeforeCreateGroupReply {
    /// Refuse with a code of the app's own ([`REFUSAL_CODES`], 10100–10200) and a message
    /// for the caller.
    ///
    /// # Errors
    ///
    /// [`InvalidRefusalCode`] when `code` is outside 10100–10200.
    pub fn refuse_with(code: u32, info: impl Into<String>) -> Result<Self, InvalidRefusalCode> {
        CheckedRefusal::new(code, info).map(Self::RefuseWith)
    }
}

impl From<BeforeCreateGroupReply> for Answer {
    fn from(reply: BeforeCreateGroupReply) -> Self {
        match reply {
            BeforeCreateGroupReply::Allow => Answer::verdict(0, "", ()),
            BeforeCreateGroupReply::Refuse => Answer::verdict(1, "", ()),
            BeforeCreateGroupReply::RefuseWith(refusal) => refusal.answer(),
        }
    }
}

/// The answer to a [`BeforeApplyJoinGroup`](super::BeforeApplyJoinGroup).
///
/// [`Default`] is what Tencent does when the webhook does not answer in time: go on
/// with the request.
///
/// ```
/// use tencent_chat_webhook::Answer;
/// use tencent_chat_webhook::group::BeforeApplyJoinGroupReply;
///
/// assert_eq!(
///     Answer::from(BeforeApplyJoinGroupReply::Refuse).body(),
///     r#"{"ActionStatus":"OK","ErrorCode":1,"ErrorInfo":""}"#,
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum BeforeApplyJoinGroupReply {
    /// Go on with the request (`ErrorCode` 0); a group that needs an administrator's
    /// approval still needs it.
    #[default]
    Allow,
    /// Refuse the request (`ErrorCode` 1); the user gets error 10016.
    Refuse,
    /// Refuse with a code and message passed through to the user.
    RefuseWith(CheckedRefusal<GroupCodes>),
}

impl BeforeApplyJoinGroupReply {
    /// Refuse with a code of the app's own ([`REFUSAL_CODES`], 10100–10200) and a message
    /// for the user.
    ///
    /// # Errors
    ///
    /// [`InvalidRefusalCode`] when `code` is outside 10100–10200.
    pub fn refuse_with(code: u32, info: impl Into<String>) -> Result<Self, InvalidRefusalCode> {
        CheckedRefusal::new(code, info).map(Self::RefuseWith)
    }
}

impl From<BeforeApplyJoinGroupReply> for Answer {
    fn from(reply: BeforeApplyJoinGroupReply) -> Self {
        match reply {
            BeforeApplyJoinGroupReply::Allow => Answer::verdict(0, "", ()),
            BeforeApplyJoinGroupReply::Refuse => Answer::verdict(1, "", ()),
            BeforeApplyJoinGroupReply::RefuseWith(refusal) => refusal.answer(),
        }
    }
}

/// The answer to a [`BeforeInviteJoinGroup`](super::BeforeInviteJoinGroup): invite
/// everyone, everyone but some, or no one.
///
/// [`Default`] is what Tencent does when the webhook does not answer in time: invite
/// everyone.
///
/// ```
/// use tencent_chat_webhook::Answer;
/// use tencent_chat_webhook::group::BeforeInviteJoinGroupReply;
///
/// let reply = BeforeInviteJoinGroupReply::refuse_members(["jared"]);
/// assert_eq!(
///     Answer::from(reply).body(),
///     r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","RefusedMembers_Account":["jared"]}"#,
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum BeforeInviteJoinGroupReply {
    /// Invite the users (`ErrorCode` 0), except those listed.
    Allow {
        /// Invitees who must not join (`RefusedMembers_Account`); empty invites everyone.
        refused_members: Vec<String>,
    },
    /// Refuse the whole invitation (`ErrorCode` 1); the inviter gets error 10016.
    Refuse,
    /// Refuse the whole invitation with a code and message passed through to the inviter.
    RefuseWith(CheckedRefusal<GroupCodes>),
}

impl BeforeInviteJoinGroupReply {
    /// Invite every user.
    pub fn allow() -> Self {
        Self::Allow {
            refused_members: Vec::new(),
        }
    }

    /// Invite every user except `refused`.
    pub fn refuse_members<I>(refused: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        Self::Allow {
            refused_members: refused.into_iter().map(Into::into).collect(),
        }
    }

    /// Refuse the whole invitation with a code of the app's own ([`REFUSAL_CODES`],
    /// 10100–10200) and a message for the inviter.
    ///
    /// # Errors
    ///
    /// [`InvalidRefusalCode`] when `code` is outside 10100–10200.
    pub fn refuse_with(code: u32, info: impl Into<String>) -> Result<Self, InvalidRefusalCode> {
        CheckedRefusal::new(code, info).map(Self::RefuseWith)
    }
}

impl Default for BeforeInviteJoinGroupReply {
    fn default() -> Self {
        Self::allow()
    }
}

impl From<BeforeInviteJoinGroupReply> for Answer {
    fn from(reply: BeforeInviteJoinGroupReply) -> Self {
        #[derive(Serialize)]
        struct Refused {
            #[serde(
                rename = "RefusedMembers_Account",
                skip_serializing_if = "Vec::is_empty"
            )]
            refused: Vec<String>,
        }
        match reply {
            BeforeInviteJoinGroupReply::Allow { refused_members } => Answer::verdict(
                0,
                "",
                Refused {
                    refused: refused_members,
                },
            ),
            BeforeInviteJoinGroupReply::Refuse => Answer::verdict(1, "", ()),
            BeforeInviteJoinGroupReply::RefuseWith(refusal) => refusal.answer(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{body, canonical, fixture};
    use crate::test_util::{OK_BODY, REFUSED_BODY};

    #[test]
    fn before_create_group_replies() {
        assert_eq!(body(BeforeCreateGroupReply::default()), OK_BODY);
        assert_eq!(body(BeforeCreateGroupReply::Refuse), REFUSED_BODY);
        assert_eq!(
            body(BeforeCreateGroupReply::refuse_with(10_100, "too many groups").unwrap()),
            r#"{"ActionStatus":"OK","ErrorCode":10100,"ErrorInfo":"too many groups"}"#
        );
    }

    #[test]
    fn before_apply_join_group_replies() {
        assert_eq!(body(BeforeApplyJoinGroupReply::default()), OK_BODY);
        assert_eq!(body(BeforeApplyJoinGroupReply::Refuse), REFUSED_BODY);
        assert_eq!(
            body(BeforeApplyJoinGroupReply::refuse_with(10_200, "members only").unwrap()),
            r#"{"ActionStatus":"OK","ErrorCode":10200,"ErrorInfo":"members only"}"#
        );
    }

    #[test]
    fn before_invite_join_group_replies() {
        assert_eq!(body(BeforeInviteJoinGroupReply::default()), OK_BODY);
        assert_eq!(
            body(BeforeInviteJoinGroupReply::refuse_members(
                Vec::<String>::new()
            )),
            OK_BODY
        );
        assert_eq!(
            body(BeforeInviteJoinGroupReply::refuse_members([
                "jared", "leckie"
            ])),
            r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","RefusedMembers_Account":["jared","leckie"]}"#
        );
        assert_eq!(body(BeforeInviteJoinGroupReply::Refuse), REFUSED_BODY);
        assert_eq!(
            body(BeforeInviteJoinGroupReply::refuse_with(10_150, "invitations closed").unwrap()),
            r#"{"ActionStatus":"OK","ErrorCode":10150,"ErrorInfo":"invitations closed"}"#
        );
    }

    #[test]
    fn the_partial_refusal_is_the_documented_reply() {
        // Tencent's sample writes `ErrorInfo` before `ErrorCode`; the keys sorted, the
        // bodies are the same bytes.
        let documented = fixture!("group", "before_invite_join_group_reply");
        let ours = body(BeforeInviteJoinGroupReply::refuse_members(["jared"]));
        assert_eq!(canonical(&ours), canonical(documented));
    }

    #[test]
    fn refusal_codes_outside_the_group_range_cannot_be_built() {
        for code in [0, 1, 2, 10_016, 10_099, 10_201, 120_001, u32::MAX] {
            let invalid = InvalidRefusalCode {
                code,
                range: REFUSAL_CODES,
            };
            assert_eq!(
                BeforeCreateGroupReply::refuse_with(code, ""),
                Err(invalid.clone())
            );
            assert_eq!(
                BeforeApplyJoinGroupReply::refuse_with(code, ""),
                Err(invalid.clone())
            );
            assert_eq!(
                BeforeInviteJoinGroupReply::refuse_with(code, ""),
                Err(invalid)
            );
        }
        for code in [10_100, 10_200] {
            let refusal = BeforeCreateGroupReply::refuse_with(code, "info").unwrap();
            let BeforeCreateGroupReply::RefuseWith(refusal) = refusal else {
                panic!("expected a custom refusal")
            };
            assert_eq!((refusal.code(), refusal.info()), (code, "info"));
        }
    }
}
