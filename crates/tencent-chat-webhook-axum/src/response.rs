//! Writing the core's answers as axum responses.

use std::fmt;

use axum_core::body::Body;
use axum_core::response::{IntoResponse, Response};
use http::HeaderValue;
use http::header::CONTENT_TYPE;
use tencent_chat_webhook::Answer;

/// Answers with anything that converts into the core's [`Answer`]: an `Answer`
/// itself, a before-webhook's reply, a [`Rejection`](crate::Rejection), or the
/// [`NotDelivered`](crate::answer::NotDelivered) that [`Callback`](crate::Callback)
/// rejects with.
///
/// ```
/// use tencent_chat_webhook_axum::official_channel::{BeforeSendMsg, BeforeSendMsgReply};
/// use tencent_chat_webhook_axum::{Callback, Reply};
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

impl<T: Into<Answer>> IntoResponse for Reply<T> {
    fn into_response(self) -> Response {
        let (status, body) = self.0.into().into_parts();
        let mut response = Response::new(Body::from(body));
        *response.status_mut() = status;
        response
            .headers_mut()
            .insert(CONTENT_TYPE, HeaderValue::from_static(Answer::CONTENT_TYPE));
        response
    }
}

impl<T: fmt::Display> fmt::Display for Reply<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}
