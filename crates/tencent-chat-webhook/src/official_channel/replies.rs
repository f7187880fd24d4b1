//! The replies of the three before-webhooks: allow, refuse, or rewrite.

use serde::Serialize;

use crate::answer::{Answer, CustomRefusal, InvalidRefusalCode, MessageCodes};
use crate::message::BeforeSendReply;

/// The answer to a [`BeforeSendMsg`](super::BeforeSendMsg): the shared
/// [`BeforeSendReply`] with the custom refusal codes of messages, 120001–130000.
///
/// ```
/// use tencent_chat_webhook::Answer;
/// use tencent_chat_webhook::message::MsgElement;
/// use tencent_chat_webhook::official_channel::BeforeSendMsgReply;
///
/// let reply = BeforeSendMsgReply::rewrite(vec![MsgElement::text("***")])
///     .with_cloud_custom_data("moderated");
/// assert_eq!(
///     Answer::from(reply).body(),
///     r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","MsgBody":[{"MsgType":"TIMTextElem","MsgContent":{"Text":"***"}}],"CloudCustomData":"moderated"}"#,
/// );
/// assert_eq!(Answer::from(BeforeSendMsgReply::Refuse).body(), r#"{"ActionStatus":"OK","ErrorCode":1,"ErrorInfo":""}"#);
/// ```
pub type BeforeSendMsgReply = BeforeSendReply<MessageCodes>;

/// The answer to a [`BeforeAddSubscriber`](super::BeforeAddSubscriber).
///
/// ```
/// use tencent_chat_webhook::Answer;
/// use tencent_chat_webhook::official_channel::BeforeAddSubscriberReply;
///
/// let reply = BeforeAddSubscriberReply::refuse_subscribers(["jared"]);
/// assert_eq!(
///     Answer::from(reply).body(),
///     r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","RefusedSubscribers_Account":["jared"]}"#,
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum BeforeAddSubscriberReply {
    /// Add the users (`ErrorCode` 0), except those listed.
    Allow {
        /// Users who must not be added (`RefusedSubscribers_Account`); empty adds everyone.
        refused_subscribers: Vec<String>,
    },
    /// Refuse the whole request (`ErrorCode` 1).
    Refuse,
    /// Refuse with a code and message passed through to the caller.
    RefuseWith(CustomRefusal),
}

impl BeforeAddSubscriberReply {
    /// Add every user.
    pub fn allow() -> Self {
        Self::Allow {
            refused_subscribers: Vec::new(),
        }
    }

    /// Add every user except `refused`.
    pub fn refuse_subscribers<I>(refused: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        Self::Allow {
            refused_subscribers: refused.into_iter().map(Into::into).collect(),
        }
    }

    /// Refuse with a custom code (120001–130000) and message for the caller.
    ///
    /// # Errors
    ///
    /// [`InvalidRefusalCode`] when `code` is outside 120001–130000.
    pub fn refuse_with(code: u32, info: impl Into<String>) -> Result<Self, InvalidRefusalCode> {
        CustomRefusal::new(code, info).map(Self::RefuseWith)
    }
}

/// Add every user: what Tencent does when the webhook times out.
impl Default for BeforeAddSubscriberReply {
    fn default() -> Self {
        Self::allow()
    }
}

impl From<BeforeAddSubscriberReply> for Answer {
    fn from(reply: BeforeAddSubscriberReply) -> Self {
        #[derive(Serialize)]
        struct Refused {
            #[serde(rename = "RefusedSubscribers_Account")]
            refused: Vec<String>,
        }
        match reply {
            BeforeAddSubscriberReply::Allow {
                refused_subscribers,
            } if refused_subscribers.is_empty() => Answer::ok(),
            BeforeAddSubscriberReply::Allow {
                refused_subscribers,
            } => Answer::verdict(
                0,
                "",
                Refused {
                    refused: refused_subscribers,
                },
            ),
            BeforeAddSubscriberReply::Refuse => Answer::verdict(1, "", ()),
            BeforeAddSubscriberReply::RefuseWith(refusal) => refusal.answer(),
        }
    }
}

/// The answer to a [`BeforeCreateOfficialAccount`](super::BeforeCreateOfficialAccount).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum BeforeCreateReply {
    /// Create the channel (`ErrorCode` 0); what Tencent does when the webhook times out.
    #[default]
    Allow,
    /// Do not create it (`ErrorCode` 1); the caller gets error 20006.
    Refuse,
    /// Refuse with a code and message passed through to the caller.
    RefuseWith(CustomRefusal),
}

impl BeforeCreateReply {
    /// Refuse with a custom code (120001–130000) and message for the caller.
    ///
    /// # Errors
    ///
    /// [`InvalidRefusalCode`] when `code` is outside 120001–130000.
    pub fn refuse_with(code: u32, info: impl Into<String>) -> Result<Self, InvalidRefusalCode> {
        CustomRefusal::new(code, info).map(Self::RefuseWith)
    }
}

impl From<BeforeCreateReply> for Answer {
    fn from(reply: BeforeCreateReply) -> Self {
        match reply {
            BeforeCreateReply::Allow => Answer::ok(),
            BeforeCreateReply::Refuse => Answer::verdict(1, "", ()),
            BeforeCreateReply::RefuseWith(refusal) => refusal.answer(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::MsgElement;
    use crate::test_support::body;

    #[test]
    fn before_send_replies() {
        assert_eq!(
            body(BeforeSendMsgReply::allow()),
            r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}"#
        );
        assert_eq!(
            body(BeforeSendMsgReply::Refuse),
            r#"{"ActionStatus":"OK","ErrorCode":1,"ErrorInfo":""}"#
        );
        assert_eq!(
            body(BeforeSendMsgReply::Discard),
            r#"{"ActionStatus":"OK","ErrorCode":2,"ErrorInfo":""}"#
        );
        assert_eq!(
            body(BeforeSendMsgReply::refuse_with(120001, "no links").unwrap()),
            r#"{"ActionStatus":"OK","ErrorCode":120001,"ErrorInfo":"no links"}"#
        );
        assert_eq!(
            body(BeforeSendMsgReply::allow().with_cloud_custom_data("x")),
            r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","CloudCustomData":"x"}"#
        );
        assert_eq!(
            body(BeforeSendMsgReply::Refuse.with_cloud_custom_data("x")),
            r#"{"ActionStatus":"OK","ErrorCode":1,"ErrorInfo":""}"#
        );
        let rewritten: serde_json::Value =
            serde_json::from_str(&body(BeforeSendMsgReply::rewrite(vec![
                MsgElement::text("red packet"),
                crate::message::CustomElem::new("LV1")
                    .with_desc("CustomElement.MemberLevel")
                    .into(),
            ])))
            .unwrap();
        assert_eq!(
            rewritten,
            serde_json::json!({
                "ActionStatus": "OK", "ErrorInfo": "", "ErrorCode": 0,
                "MsgBody": [
                    {"MsgType": "TIMTextElem", "MsgContent": {"Text": "red packet"}},
                    {"MsgType": "TIMCustomElem", "MsgContent": {"Desc": "CustomElement.MemberLevel", "Data": "LV1"}}
                ]
            })
        );
    }

    #[test]
    fn custom_refusal_codes_are_bounded() {
        for code in [0, 1, 2, 120_000, 130_001, u32::MAX] {
            assert_eq!(
                BeforeSendMsgReply::refuse_with(code, ""),
                Err(InvalidRefusalCode {
                    code,
                    range: CustomRefusal::CODES
                })
            );
            assert_eq!(
                BeforeCreateReply::refuse_with(code, ""),
                Err(InvalidRefusalCode {
                    code,
                    range: CustomRefusal::CODES
                })
            );
            assert_eq!(
                BeforeAddSubscriberReply::refuse_with(code, ""),
                Err(InvalidRefusalCode {
                    code,
                    range: CustomRefusal::CODES
                })
            );
        }
        assert!(BeforeSendMsgReply::refuse_with(130_000, "").is_ok());
    }

    #[test]
    fn before_add_subscriber_replies() {
        assert_eq!(
            body(BeforeAddSubscriberReply::allow()),
            r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}"#
        );
        assert_eq!(
            body(BeforeAddSubscriberReply::refuse_subscribers([
                "jared", "leckie"
            ])),
            r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","RefusedSubscribers_Account":["jared","leckie"]}"#
        );
        assert_eq!(
            body(BeforeAddSubscriberReply::Refuse),
            r#"{"ActionStatus":"OK","ErrorCode":1,"ErrorInfo":""}"#
        );
        assert_eq!(
            body(BeforeAddSubscriberReply::refuse_with(125000, "full").unwrap()),
            r#"{"ActionStatus":"OK","ErrorCode":125000,"ErrorInfo":"full"}"#
        );
    }

    #[test]
    fn before_create_replies() {
        assert_eq!(
            body(BeforeCreateReply::Allow),
            r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}"#
        );
        assert_eq!(
            body(BeforeCreateReply::Refuse),
            r#"{"ActionStatus":"OK","ErrorCode":1,"ErrorInfo":""}"#
        );
        assert_eq!(
            body(BeforeCreateReply::refuse_with(130000, "name taken").unwrap()),
            r#"{"ActionStatus":"OK","ErrorCode":130000,"ErrorInfo":"name taken"}"#
        );
    }
}
