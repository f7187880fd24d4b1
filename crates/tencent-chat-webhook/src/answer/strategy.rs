//! The answer a before-webhook gets when its handler is too slow.

use super::Answer;
use crate::request::{CallbackCommand, Event};

/// What a before-webhook is answered when its handler has not answered by the deadline:
/// the console's "failure strategy" for before-webhooks, which Tencent itself applies
/// when no answer arrives within 2 s.
///
/// ```
/// use tencent_chat_webhook::config::FailureStrategy;
/// use tencent_chat_webhook::CallbackCommand;
///
/// let before = CallbackCommand::OfficialAccountBeforeSendMsg;
/// let refused = FailureStrategy::Refuse.answer_for(&before);
/// assert_eq!(refused.body(), r#"{"ActionStatus":"OK","ErrorCode":1,"ErrorInfo":""}"#);
/// let allowed = FailureStrategy::Allow.answer_for(&before);
/// assert_eq!(allowed.body(), r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}"#);
/// // After-webhooks have nothing to decide: OK either way.
/// let after = CallbackCommand::OfficialAccountAfterSendMsg;
/// assert_eq!(FailureStrategy::Refuse.answer_for(&after), allowed);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum FailureStrategy {
    /// Let the event proceed (deliver the message, allow the action): Tencent's default.
    #[default]
    Allow,
    /// Refuse it, with the plain refusal (`ErrorCode` 1) every before-webhook knows.
    Refuse,
}

impl FailureStrategy {
    /// The answer to a request for `command` whose handler has not answered in time: OK
    /// for an after-webhook (and a command the library does not model); for a
    /// before-webhook, the OK envelope to allow it or `ErrorCode` 1 to refuse it.
    pub fn answer_for(self, command: &CallbackCommand) -> Answer {
        match self {
            Self::Refuse if command.is_before() => Answer::verdict(1, "", ()),
            Self::Allow | Self::Refuse => Answer::ok(),
        }
    }

    /// The answer to `event`, a request for `command` whose handler has not answered in
    /// time, shaped as the command's reply: under `Allow`, the event's
    /// [`default_answer`](Event::default_answer) (for an Sns before-webhook, every target
    /// allowed); under `Refuse`, [`answer_for`](Self::answer_for)'s.
    pub fn answer_to<E: Event>(self, command: &CallbackCommand, event: &E) -> Answer {
        match self {
            Self::Allow => event.default_answer(),
            Self::Refuse => self.answer_for(command),
        }
    }
}
