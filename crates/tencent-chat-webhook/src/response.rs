//! The standard answer: `{ActionStatus, ErrorCode, ErrorInfo}` and the HTTP status it goes with.

use std::fmt;

use bytes::Bytes;
use http::StatusCode;
use serde::{Deserialize, Serialize};

use crate::Rejection;

/// A complete answer to a webhook request: an HTTP status and a JSON body.
///
/// The core decides every answer; the adapters only write it out with
/// [`Answer::CONTENT_TYPE`]. Anything a handler may return converts into one.
///
/// ```
/// use tencent_chat_webhook::{Ack, Answer};
///
/// let answer = Answer::from(Ack);
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
        // Serializing strings, numbers and message elements into a Vec cannot fail.
        let body = serde_json::to_vec(&wire).unwrap_or_else(|_| Self::OK_BODY.into());
        Self {
            status,
            body: body.into(),
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
        #[cfg(feature = "tracing")]
        tracing::debug!(
            status = rejection.status().as_u16(),
            error_code = rejection.error_code(),
            "webhook rejected: {rejection}"
        );
        Self::envelope(
            rejection.status(),
            "FAIL",
            rejection.error_code(),
            rejection.public_info(),
            (),
        )
    }
}

impl From<Rejection> for Answer {
    fn from(rejection: Rejection) -> Self {
        Self::from(&rejection)
    }
}

/// The answer for an event that needs no verdict: the plain OK envelope.
///
/// After-webhooks are answered with it (Tencent ignores their result), and so is
/// any request the handler was not asked to handle.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Ack;

impl From<Ack> for Answer {
    fn from(Ack: Ack) -> Self {
        Answer::ok()
    }
}

/// The three fields every answer has, for reading an answer back (tests, tools).
///
/// ```
/// use tencent_chat_webhook::Envelope;
///
/// let envelope: Envelope = serde_json::from_str(
///     r#"{"ActionStatus":"FAIL","ErrorCode":40101,"ErrorInfo":"authentication failed"}"#,
/// )?;
/// assert!(!envelope.is_ok());
/// assert_eq!(envelope.error_code, 40101);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Envelope {
    /// `OK` when the request was processed, `FAIL` when it was rejected.
    #[serde(rename = "ActionStatus")]
    pub action_status: String,
    /// 0, a before-webhook's verdict, or a rejection's code.
    #[serde(rename = "ErrorCode")]
    pub error_code: u32,
    /// Free text; empty on success.
    #[serde(rename = "ErrorInfo")]
    pub error_info: String,
}

impl Envelope {
    /// Whether `ActionStatus` is `OK`.
    pub fn is_ok(&self) -> bool {
        self.action_status == "OK"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{AuthFailure, Rejection};

    #[test]
    fn ok_is_the_documented_envelope() {
        let (status, body) = Answer::ok().into_parts();
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            body,
            r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}"#
        );
        assert_eq!(Answer::from(Ack), Answer::ok());
    }

    #[test]
    fn rejections_become_fail_envelopes() {
        let answer = Answer::from(Rejection::Unauthenticated(AuthFailure::Expired));
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
    fn envelope_reads_answers_back() {
        let envelope: Envelope = serde_json::from_slice(Answer::ok().body()).unwrap();
        assert!(envelope.is_ok());
        assert_eq!(envelope.error_code, 0);
        assert_eq!(envelope.error_info, "");
    }
}
