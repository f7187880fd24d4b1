//! What goes back: the [`Answer`] to every request, why a request did not reach the
//! handler ([`NotDelivered`], [`Rejection`]), and the app's own refusal codes.

use std::error::Error as StdError;
use std::fmt;

use bytes::Bytes;
use http::StatusCode;
use serde::Serialize;

use crate::request::CallbackCommand;

mod refusal;
mod rejection;
mod strategy;

pub(crate) use self::refusal::sealed;
pub use self::refusal::{
    CheckedRefusal, CustomRefusal, InvalidRefusalCode, MessageCodes, RefusalCodes,
};
pub use self::rejection::{AuthFailure, Detail, Rejection, SourceRefusal};
pub use self::strategy::FailureStrategy;

/// The reply to a before-webhook event `E` that does what Tencent itself does when the
/// webhook is not answered in time: allow. A reply with a `Default` is that default; a
/// reply whose shape depends on the event (a verdict per target) is built from it.
pub(crate) trait DefaultReply<E> {
    fn default_reply(event: &E) -> Self;
}

impl<E, R: Default> DefaultReply<E> for R {
    fn default_reply(_: &E) -> Self {
        R::default()
    }
}

/// A complete answer to a webhook request: an HTTP status and a JSON body.
///
/// The core decides every answer; the adapters only write it out with
/// [`Answer::CONTENT_TYPE`]. Anything a handler may return converts into one: a
/// before-webhook's reply, a [`Rejection`], a [`NotDelivered`].
///
/// ```
/// use tencent_chat_webhook::Answer;
///
/// let answer = Answer::ok();
/// assert_eq!(answer.status(), 200);
/// assert_eq!(answer.body(), r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}"#);
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Answer {
    status: StatusCode,
    body: Bytes,
}

impl Answer {
    /// The `Content-Type` of every answer.
    pub const CONTENT_TYPE: &'static str = "application/json";

    const OK_BODY: &'static str = r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}"#;
    const UNWRITABLE_BODY: &'static str =
        r#"{"ActionStatus":"FAIL","ErrorCode":50002,"ErrorInfo":"answer could not be written"}"#;

    /// The plain OK envelope under HTTP 200: processed, nothing to add.
    pub fn ok() -> Self {
        Self {
            status: StatusCode::OK,
            body: Bytes::from_static(Self::OK_BODY.as_bytes()),
        }
    }

    /// An `OK` answer under HTTP 200 carrying a before-webhook's verdict and extra fields.
    pub(crate) fn verdict(error_code: u32, error_info: &str, extra: impl Serialize) -> Self {
        Self::envelope(StatusCode::OK, "OK", error_code, error_info, extra)
    }

    fn envelope(
        status: StatusCode,
        action_status: &str,
        error_code: u32,
        error_info: &str,
        extra: impl Serialize,
    ) -> Self {
        #[derive(Serialize)]
        struct Wire<'a, X> {
            #[serde(rename = "ActionStatus")]
            action_status: &'a str,
            #[serde(rename = "ErrorCode")]
            error_code: u32,
            #[serde(rename = "ErrorInfo")]
            error_info: &'a str,
            #[serde(flatten)]
            extra: X,
        }
        let wire = Wire {
            action_status,
            error_code,
            error_info,
            extra,
        };
        match serde_json::to_vec(&wire) {
            Ok(body) => Self {
                status,
                body: body.into(),
            },
            // Only an `extra` whose `Serialize` fails gets here. Never answer OK for
            // an answer that could not be written: a refusal must not become an allow.
            Err(error) => {
                tracing::error!("webhook answer could not be written: {error}");
                Self {
                    status: StatusCode::INTERNAL_SERVER_ERROR,
                    body: Bytes::from_static(Self::UNWRITABLE_BODY.as_bytes()),
                }
            }
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The JSON body.
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// The status and the body.
    pub fn into_parts(self) -> (StatusCode, Bytes) {
        (self.status, self.body)
    }
}

impl fmt::Debug for Answer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Answer")
            .field("status", &self.status)
            .field("body", &String::from_utf8_lossy(&self.body))
            .finish()
    }
}

impl From<&Rejection> for Answer {
    fn from(rejection: &Rejection) -> Self {
        Self::envelope(
            rejection.status(),
            "FAIL",
            rejection.error_code(),
            &rejection.public_info(),
            (),
        )
    }
}

impl From<Rejection> for Answer {
    fn from(rejection: Rejection) -> Self {
        Self::from(&rejection)
    }
}

/// Why a request did not reach the handler: acknowledged with the OK envelope, or
/// rejected with a `FAIL` envelope.
///
/// Tencent sends every command of an app to one URL, so a request the handler did not
/// ask for is not an error: it is answered OK, as is the console's probe. Only
/// [`Rejected`](Self::Rejected) is a refusal. [`Answer::from`] gives the answer to
/// send either way.
///
/// ```
/// use tencent_chat_webhook::answer::NotDelivered;
/// use tencent_chat_webhook::{Answer, CallbackCommand, Rejection};
///
/// let other = NotDelivered::OtherCommand(CallbackCommand::from_wire("C2C.CallbackAfterSendMsg"));
/// assert!(other.is_acknowledged());
/// assert_eq!(Answer::from(other), Answer::ok());
///
/// let refused = NotDelivered::from(Rejection::MissingConfig);
/// assert!(!refused.is_acknowledged());
/// assert_eq!(refused.status(), 500);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum NotDelivered {
    /// Acknowledged: the body was `{}`, the console checking that the URL answers.
    Probe,
    /// Acknowledged: the command is not one the handler asked for (or not one the
    /// library models).
    OtherCommand(CallbackCommand),
    /// Refused with a `FAIL` envelope.
    Rejected(Rejection),
}

impl NotDelivered {
    /// Whether the request is answered OK (a probe, another command) rather than refused.
    pub fn is_acknowledged(&self) -> bool {
        !matches!(self, Self::Rejected(_))
    }

    /// The HTTP status of the answer: 200 when acknowledged, the rejection's otherwise.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::Rejected(rejection) => rejection.status(),
            Self::Probe | Self::OtherCommand(_) => StatusCode::OK,
        }
    }
}

impl fmt::Display for NotDelivered {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Probe => f.write_str("acknowledged the console's probe"),
            Self::OtherCommand(command) => {
                write!(f, "acknowledged {:?} without handling it", command.as_str())
            }
            Self::Rejected(rejection) => rejection.fmt(f),
        }
    }
}

impl StdError for NotDelivered {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            Self::Rejected(rejection) => Some(rejection),
            Self::Probe | Self::OtherCommand(_) => None,
        }
    }
}

impl From<Rejection> for NotDelivered {
    fn from(rejection: Rejection) -> Self {
        Self::Rejected(rejection)
    }
}

impl From<&NotDelivered> for Answer {
    fn from(outcome: &NotDelivered) -> Self {
        match outcome {
            NotDelivered::Rejected(rejection) => Answer::from(rejection),
            NotDelivered::Probe | NotDelivered::OtherCommand(_) => Answer::ok(),
        }
    }
}

impl From<NotDelivered> for Answer {
    fn from(outcome: NotDelivered) -> Self {
        Answer::from(&outcome)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ok_is_the_documented_envelope() {
        let (status, body) = Answer::ok().into_parts();
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            body,
            r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}"#
        );
    }

    #[test]
    fn rejections_become_fail_envelopes() {
        let answer = Answer::from(Rejection::Unauthenticated(AuthFailure::Expired {
            age_secs: 75,
        }));
        assert_eq!(answer.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(
            answer.body(),
            r#"{"ActionStatus":"FAIL","ErrorCode":40101,"ErrorInfo":"authentication failed"}"#
        );
        let answer = Answer::from(Rejection::BodyTooLarge { limit: 10 });
        assert_eq!(answer.status(), StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(
            answer.body(),
            r#"{"ActionStatus":"FAIL","ErrorCode":41301,"ErrorInfo":"body too large"}"#
        );
    }

    #[test]
    fn verdicts_carry_their_extra_fields_after_the_envelope() {
        #[derive(Serialize)]
        struct Extra {
            #[serde(rename = "RefusedSubscribers_Account")]
            refused: Vec<&'static str>,
        }
        let answer = Answer::verdict(
            0,
            "",
            Extra {
                refused: vec!["jared"],
            },
        );
        assert_eq!(
            answer.body(),
            r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","RefusedSubscribers_Account":["jared"]}"#
        );
    }

    #[test]
    fn an_answer_that_cannot_be_written_is_never_ok() {
        struct Broken;
        impl Serialize for Broken {
            fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
                Err(serde::ser::Error::custom("broken"))
            }
        }
        let answer = Answer::verdict(1, "", Broken);
        assert_eq!(answer.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(
            answer.body(),
            r#"{"ActionStatus":"FAIL","ErrorCode":50002,"ErrorInfo":"answer could not be written"}"#
        );
    }

    #[test]
    fn not_delivered_names_acknowledgements_apart_from_refusals() {
        let probe = NotDelivered::Probe;
        assert!(probe.is_acknowledged());
        assert_eq!(Answer::from(&probe), Answer::ok());
        let refused = NotDelivered::from(Rejection::BodyTooLarge { limit: 1 });
        assert!(!refused.is_acknowledged());
        assert_eq!(refused.status(), StatusCode::PAYLOAD_TOO_LARGE);
        assert!(refused.source().is_some());
    }
}
