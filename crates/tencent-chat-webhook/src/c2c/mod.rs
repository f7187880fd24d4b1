//! The one-to-one message family (`C2C.*`): a message about to be delivered
//! ([`BeforeSendMsg`], the family's one before-webhook), sent, read, recalled, edited,
//! and its key-value extensions changed.
//!
//! Each event type is named after its command without the `C2C.Callback` prefix. The
//! before-webhook is answered with [`BeforeSendMsgReply`], the same reply as the
//! Official Channel's: refusing with `ErrorCode` 1 gives the sender error 20006 here.
//! If it refuses, no [`AfterSendMsg`] follows; if it rewrites the message,
//! [`AfterSendMsg`] carries the rewritten one.

mod events;

use crate::answer::MessageCodes;
use crate::message::BeforeSendReply;

pub use self::events::{
    AfterC2cMsgExtension, AfterModifyMsg, AfterMsgReport, AfterMsgWithDraw, AfterSendMsg,
    BeforeSendMsg,
};
pub use crate::catalog::c2c::{C2cEvent, C2cHandler, dispatch};
pub use crate::message::{ExtensionOperation, MsgExtension};

/// The answer to a one-to-one [`BeforeSendMsg`]: the reply every before-send webhook
/// takes (allow, optionally rewriting `MsgBody` and `CloudCustomData`; refuse; discard;
/// or refuse with a code in [`CustomRefusal::CODES`](crate::answer::CustomRefusal::CODES)),
/// with the same codes as the Official Channel's.
pub type BeforeSendMsgReply = BeforeSendReply<MessageCodes>;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Answer;
    use crate::answer::{CustomRefusal, InvalidRefusalCode};
    use crate::message::{CustomElem, MsgElement};
    use crate::test_support::{body, canonical, fixture};

    #[test]
    fn the_documented_rewrite_reply() {
        let reply = BeforeSendMsgReply::rewrite(vec![
            MsgElement::text("red packet"),
            CustomElem::new(" LV1")
                .with_desc(" CustomElement.MemberLevel ")
                .into(),
        ])
        .with_cloud_custom_data("your new cloud custom data");
        let ours = Answer::from(reply);
        let documented = fixture!("c2c", "before_send_msg_rewrite_reply");
        assert_eq!(
            canonical(ours.body()),
            canonical(documented.trim_end().as_bytes())
        );
    }

    #[test]
    fn allow_refuse_discard_and_the_default() {
        let ok = r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}"#;
        assert_eq!(body(BeforeSendMsgReply::allow()), ok);
        // What Tencent does itself when the webhook does not answer in time: deliver.
        assert_eq!(body(BeforeSendMsgReply::default()), ok);
        assert_eq!(
            body(BeforeSendMsgReply::Refuse),
            r#"{"ActionStatus":"OK","ErrorCode":1,"ErrorInfo":""}"#
        );
        assert_eq!(
            body(BeforeSendMsgReply::Discard),
            r#"{"ActionStatus":"OK","ErrorCode":2,"ErrorInfo":""}"#
        );
        assert_eq!(
            body(BeforeSendMsgReply::refuse_with(120_001, "no links").unwrap()),
            r#"{"ActionStatus":"OK","ErrorCode":120001,"ErrorInfo":"no links"}"#
        );
        assert_eq!(
            body(BeforeSendMsgReply::refuse_with(130_000, "too long").unwrap()),
            r#"{"ActionStatus":"OK","ErrorCode":130000,"ErrorInfo":"too long"}"#
        );
    }

    #[test]
    fn refusal_codes_outside_the_documented_range_cannot_be_built() {
        assert_eq!(CustomRefusal::CODES, 120_001..=130_000);
        for code in [0, 1, 2, 120_000, 130_001, u32::MAX] {
            assert_eq!(
                BeforeSendMsgReply::refuse_with(code, "no"),
                Err(InvalidRefusalCode {
                    code,
                    range: CustomRefusal::CODES
                })
            );
        }
    }
}
