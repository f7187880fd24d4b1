//! What arrives: the command, the query string, the signature, and the decoded event
//! with what came with it.

use serde::Deserializer;

use crate::answer::Answer;
use crate::pipeline::HandlerStage;

mod command;
pub(crate) mod query;
pub(crate) mod sign;

pub use self::command::{CallbackCommand, Family};
pub use self::query::{CallbackQuery, OptPlatform};
pub use self::sign::sign;
/// The raw body of a [`Delivery`], as received.
pub use bytes::Bytes;

/// An event type a handler can ask for: one command's event, or an enum of several.
///
/// The library implements it for each Official Channel event and for
/// [`OfficialChannelEvent`](crate::official_channel::OfficialChannelEvent). An
/// application may implement it for a command the library does not model yet.
pub trait Event: Sized {
    /// Whether requests with `command` are meant for this type. Others are acknowledged
    /// with the OK envelope without reaching the handler, since Tencent sends every
    /// command of an app to the same URL.
    fn accepts(command: &CallbackCommand) -> bool;

    /// Decodes the event of a request with `command` (one that [`accepts`](Self::accepts))
    /// from its JSON body. For a type that implements `Deserialize`, this is
    /// `Self::deserialize(deserializer)`.
    ///
    /// The body's `CallbackCommand` field is checked against the query's by the
    /// pipeline and is not passed on to the event.
    ///
    /// # Errors
    ///
    /// The deserializer's error when the body does not fit the event; it is
    /// answered with [`Rejection::MalformedBody`](crate::answer::Rejection::MalformedBody).
    fn decode<'de, D: Deserializer<'de>>(
        command: &CallbackCommand,
        deserializer: D,
    ) -> Result<Self, D::Error>;

    /// The event's natural key, the same for Tencent's retry of a delivery and different
    /// for any other delivery of its command, such as an after-send's `MsgKey`; `None`
    /// (the default) when it has none, and the delivery's
    /// [`DeliveryId`](crate::dedupe::DeliveryId) is then a digest of its command and body.
    /// See [the table of identities](crate::dedupe#identities).
    fn delivery_key(&self) -> Option<String> {
        None
    }

    /// What Tencent itself does when the webhook is not answered in time, shaped as the
    /// command's reply: the OK envelope (the default), or for a before-webhook whose reply
    /// has a verdict per target, every target allowed. The answer at the deadline under
    /// [`FailureStrategy::Allow`](crate::config::FailureStrategy::Allow).
    fn default_answer(&self) -> Answer {
        Answer::ok()
    }
}

/// A decoded event with what came with it.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Delivery<E> {
    /// The event.
    pub event: E,
    /// The authenticated query string: `SdkAppid`, `ClientIP`, `OptPlatform`, `RequestTime`.
    pub query: CallbackQuery,
    /// The raw body, exactly as received.
    pub body: Bytes,
    /// The request's handler stage, when its route has an answer-deadline layer.
    pub(crate) stage: Option<HandlerStage>,
}

impl<E> Delivery<E> {
    /// The same delivery with its event transformed by `f`.
    pub fn map<F>(self, f: impl FnOnce(E) -> F) -> Delivery<F> {
        Delivery {
            event: f(self.event),
            query: self.query,
            body: self.body,
            stage: self.stage,
        }
    }
}
