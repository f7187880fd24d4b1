//! Writing the core's answers as actix-web responses.

use actix_web::http::StatusCode;
use actix_web::http::header::CONTENT_TYPE;
use actix_web::{HttpRequest, HttpResponse, Responder};
use tencent_chat_webhook::Answer;

/// Answers with anything that converts into the core's [`Answer`]: [`Ack`](crate::Ack),
/// a before-webhook's reply, a [`Rejection`](crate::Rejection), or an `Answer` itself.
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

/// The one place an [`Answer`] becomes a response: its status, its body, and
/// [`Answer::CONTENT_TYPE`].
pub(crate) fn respond(answer: Answer) -> HttpResponse {
    HttpResponse::build(status_code(answer.status().as_u16()))
        .insert_header((CONTENT_TYPE, Answer::CONTENT_TYPE))
        .body(answer.into_parts().1)
}

/// An answer's status. The core uses `http` 1.x and actix-web 4 `http` 0.2, so the
/// status crosses over as a number; every `http` 1.x status (100–999) is a valid
/// `http` 0.2 status.
pub(crate) fn status_code(status: u16) -> StatusCode {
    StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}
