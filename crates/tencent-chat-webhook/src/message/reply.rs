//! The reply of the before-send webhooks: deliver, rewrite, refuse or discard.

use serde::Serialize;

use super::MsgElement;
use crate::answer::{Answer, CheckedRefusal, InvalidRefusalCode, RefusalCodes};

/// The answer to a before-send webhook: deliver the message (possibly rewritten),
/// refuse it, or drop it silently.
///
/// Every before-send webhook takes this shape and differs only in the range of the
/// app's own refusal codes, which `C` fixes: use the aliases
/// [`official_channel::BeforeSendMsgReply`](crate::official_channel::BeforeSendMsgReply)
/// (120001–130000) and [`group::BeforeSendMsgReply`](crate::group::BeforeSendMsgReply)
/// (10100–10200). [`Default`] delivers the message unchanged, as Tencent does when the
/// webhook times out.
///
/// ```
/// use tencent_chat_webhook::Answer;
/// use tencent_chat_webhook::group::BeforeSendMsgReply;
///
/// assert_eq!(
///     Answer::from(BeforeSendMsgReply::refuse_with(10100, "muted")?).body(),
///     r#"{"ActionStatus":"OK","ErrorCode":10100,"ErrorInfo":"muted"}"#,
/// );
/// assert!(BeforeSendMsgReply::refuse_with(120001, "a one-to-one code").is_err());
/// assert_eq!(Answer::from(BeforeSendMsgReply::default()), Answer::ok());
/// # Ok::<(), tencent_chat_webhook::answer::InvalidRefusalCode>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum BeforeSendReply<C> {
    /// Deliver the message (`ErrorCode` 0), replacing its body and custom data where given.
    Allow {
        /// The replacement `MsgBody`; `None` keeps the original.
        msg_body: Option<Vec<MsgElement>>,
        /// The replacement `CloudCustomData`; `None` keeps the original.
        cloud_custom_data: Option<String>,
    },
    /// Refuse the message (`ErrorCode` 1); the sender gets error 10016 from a channel or a
    /// group, 20006 one to one.
    Refuse,
    /// Drop the message silently (`ErrorCode` 2); the sender is told it was sent.
    Discard,
    /// Refuse with a code from `C` and a message passed through to the sender.
    RefuseWith(CheckedRefusal<C>),
}

impl<C: RefusalCodes> BeforeSendReply<C> {
    /// Deliver the message unchanged.
    pub fn allow() -> Self {
        Self::Allow {
            msg_body: None,
            cloud_custom_data: None,
        }
    }

    /// Deliver `msg_body` instead of the original message.
    pub fn rewrite(msg_body: Vec<MsgElement>) -> Self {
        Self::Allow {
            msg_body: Some(msg_body),
            cloud_custom_data: None,
        }
    }

    /// Replaces the message's `CloudCustomData`; this has no effect on a refusal.
    #[must_use]
    pub fn with_cloud_custom_data(self, data: impl Into<String>) -> Self {
        match self {
            Self::Allow { msg_body, .. } => Self::Allow {
                msg_body,
                cloud_custom_data: Some(data.into()),
            },
            refusal => refusal,
        }
    }

    /// Refuse with a custom code from `C::CODES` (120001–130000 for one-to-one and
    /// Official Channel messages, 10100–10200 for groups) and a message for the sender.
    ///
    /// # Errors
    ///
    /// [`InvalidRefusalCode`] when `code` is outside `C::CODES`.
    pub fn refuse_with(code: u32, info: impl Into<String>) -> Result<Self, InvalidRefusalCode> {
        CheckedRefusal::new(code, info).map(Self::RefuseWith)
    }
}

/// Deliver the message unchanged: what Tencent does itself when the webhook does not
/// answer in time.
impl<C: RefusalCodes> Default for BeforeSendReply<C> {
    fn default() -> Self {
        Self::allow()
    }
}

impl<C> From<BeforeSendReply<C>> for Answer {
    fn from(reply: BeforeSendReply<C>) -> Self {
        #[derive(Serialize)]
        struct Rewrite {
            #[serde(rename = "MsgBody", skip_serializing_if = "Option::is_none")]
            msg_body: Option<Vec<MsgElement>>,
            #[serde(rename = "CloudCustomData", skip_serializing_if = "Option::is_none")]
            cloud_custom_data: Option<String>,
        }
        match reply {
            BeforeSendReply::Allow {
                msg_body,
                cloud_custom_data,
            } => Answer::verdict(
                0,
                "",
                Rewrite {
                    msg_body,
                    cloud_custom_data,
                },
            ),
            BeforeSendReply::Refuse => Answer::verdict(1, "", ()),
            BeforeSendReply::Discard => Answer::verdict(2, "", ()),
            BeforeSendReply::RefuseWith(refusal) => refusal.answer(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answer::MessageCodes;
    use crate::group::GroupCodes;

    fn body<C>(reply: BeforeSendReply<C>) -> String {
        String::from_utf8(Answer::from(reply).body().to_vec()).unwrap()
    }

    #[test]
    fn each_marker_bounds_its_own_codes() {
        for (code, message, group) in [
            (0, false, false),
            (10_099, false, false),
            (10_100, false, true),
            (10_200, false, true),
            (10_201, false, false),
            (120_000, false, false),
            (120_001, true, false),
            (130_000, true, false),
            (130_001, false, false),
        ] {
            assert_eq!(
                BeforeSendReply::<MessageCodes>::refuse_with(code, "").is_ok(),
                message,
                "{code}"
            );
            assert_eq!(
                BeforeSendReply::<GroupCodes>::refuse_with(code, "").is_ok(),
                group,
                "{code}"
            );
        }
        assert_eq!(
            BeforeSendReply::<GroupCodes>::refuse_with(120_001, ""),
            Err(InvalidRefusalCode {
                code: 120_001,
                range: 10_100..=10_200
            })
        );
    }

    #[test]
    fn the_default_delivers_unchanged_under_either_range() {
        let ok = r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}"#;
        assert_eq!(body(BeforeSendReply::<MessageCodes>::default()), ok);
        assert_eq!(body(BeforeSendReply::<GroupCodes>::default()), ok);
    }

    #[test]
    fn a_refusal_keeps_its_code_and_info() {
        let reply = BeforeSendReply::<GroupCodes>::refuse_with(10_200, "slow down").unwrap();
        let BeforeSendReply::RefuseWith(refusal) = &reply else {
            panic!("expected a custom refusal")
        };
        assert_eq!((refusal.code(), refusal.info()), (10_200, "slow down"));
        assert_eq!(
            body(reply.with_cloud_custom_data("ignored")),
            r#"{"ActionStatus":"OK","ErrorCode":10200,"ErrorInfo":"slow down"}"#
        );
    }
}
