//! Writing the core's answers as actix-web responses.

use std::fmt;

use actix_web::http::StatusCode;
use actix_web::http::header::CONTENT_TYPE;
use actix_web::{HttpRequest, HttpResponse, Responder, ResponseError};
use tencent_chat_webhook::Answer;
use tencent_chat_webhook::answer::NotDelivered;

/// Answers with anything that converts into the core's [`Answer`]: an `Answer`
/// itself, a before-webhook's reply, a [`Rejection`](crate::Rejection), or the
/// [`NotDelivered`] that [`Callback`](crate::Callback) fails with.
///
/// ```
/// use tencent_chat_webhook_actix::official_channel::{BeforeSendMsg, BeforeSendMsgReply};
/// use tencent_chat_webhook_actix::{Callback, Reply};
///
/// async fn moderate(msg: Callback<BeforeSendMsg>) -> Reply<BeforeSendMsgReply> {
///     if msg.event.texts().any(|text| text.contains("spam")) {
///         Reply(BeforeSendMsgReply::Refuse)
///     } else {
///         Reply(BeforeSendMsgReply::allow())
///     }
/// }
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Reply<T>(pub T);

impl<T: Into<Answer>> Responder for Reply<T> {
    type Body = actix_web::body::BoxBody;

    fn respond_to(self, _req: &HttpRequest) -> HttpResponse {
        respond(self.0.into())
    }
}

/// The extractor's error is answered as the core decides: OK when acknowledged,
/// `FAIL` when rejected.
impl ResponseError for Reply<NotDelivered> {
    fn status_code(&self) -> StatusCode {
        status_code(self.0.status().as_u16())
    }

    fn error_response(&self) -> HttpResponse {
        respond(Answer::from(&self.0))
    }
}

impl<T: fmt::Display> fmt::Display for Reply<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// The one place an [`Answer`] becomes a response: its status, its body, and
/// [`Answer::CONTENT_TYPE`].
pub(crate) fn respond(answer: Answer) -> HttpResponse {
    let (status, body) = answer.into_parts();
    HttpResponse::build(status_code(status.as_u16()))
        .insert_header((CONTENT_TYPE, Answer::CONTENT_TYPE))
        .body(body)
}

/// An answer's status. The core uses `http` 1.x and actix-web 4 `http` 0.2, so the
/// status crosses over as a number; every `http` 1.x status (100–999) is a valid
/// `http` 0.2 status.
fn status_code(status: u16) -> StatusCode {
    StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}
