//! The extractor: configuration, authentication, body, decoding.

use std::error::Error as StdError;
use std::fmt;
use std::future::Future;
use std::ops::{Deref, DerefMut};
use std::pin::Pin;

use actix_web::body::{BodyStream, to_bytes_limited};
use actix_web::http::header::CONTENT_LENGTH;
use actix_web::{FromRequest, HttpRequest, HttpResponse, ResponseError, dev, web};
use tencent_chat_webhook::{Answer, Delivery, Event, NotDelivered, Rejection, WebhookConfig};

use crate::response::{respond, status_code};

/// Extracts a verified, decoded webhook event `E` with its query and raw body.
///
/// `E` is one command's event (e.g. [`AfterSendMsg`](crate::official_channel::AfterSendMsg))
/// or [`OfficialChannelEvent`](crate::official_channel::OfficialChannelEvent) for all of
/// them. The [`WebhookConfig`] comes from `app_data`, as a plain `WebhookConfig` or as
/// `web::Data<WebhookConfig>` (the plain value first, the way actix-web finds its
/// `JsonConfig`); a route without one answers 500 (`ErrorCode` 50001).
///
/// The query string is authenticated before any of the body is read; the body is read
/// up to [`WebhookConfig::body_limit`] (actix-web's `PayloadConfig` does not apply). A
/// request that is acknowledged (the console's probe `{}`, a command `E` does not
/// cover) or rejected never reaches the handler: its [`CallbackRejection`] is the answer.
///
/// It derefs to [`Delivery`], so `callback.event`, `callback.query` and
/// `callback.body` work.
///
/// ```
/// use actix_web::{web, App};
/// use tencent_chat_webhook_actix::official_channel::AfterSendMsg;
/// use tencent_chat_webhook_actix::{Ack, Callback, Reply, WebhookConfig};
///
/// async fn after_send(msg: Callback<AfterSendMsg>) -> Reply<Ack> {
///     println!("{} from {:?}", msg.event.msg_key, msg.query.client_ip());
///     Reply(Ack)
/// }
///
/// let config = WebhookConfig::builder().app(1400000000, ["xxxxyyyy"]).build()?;
/// let app = App::new()
///     .app_data(config)
///     .route("/webhook", web::post().to(after_send));
/// # let _ = app;
/// # Ok::<(), tencent_chat_webhook_actix::ConfigError>(())
/// ```
pub struct Callback<E>(pub Delivery<E>);

impl<E> Callback<E> {
    /// The delivery: event, query and raw body.
    pub fn into_inner(self) -> Delivery<E> {
        self.0
    }
}

impl<E> Deref for Callback<E> {
    type Target = Delivery<E>;

    fn deref(&self) -> &Delivery<E> {
        &self.0
    }
}

impl<E> DerefMut for Callback<E> {
    fn deref_mut(&mut self) -> &mut Delivery<E> {
        &mut self.0
    }
}

impl<E: fmt::Debug> fmt::Debug for Callback<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Callback").field(&self.0).finish()
    }
}

impl<E: Event + 'static> FromRequest for Callback<E> {
    type Error = CallbackRejection;
    type Future = Pin<Box<dyn Future<Output = Result<Self, CallbackRejection>>>>;

    fn from_request(req: &HttpRequest, payload: &mut dev::Payload) -> Self::Future {
        let received = start(req, payload);
        Box::pin(async move { received.await.map(Self).map_err(CallbackRejection) })
    }
}

/// The pipeline: find the configuration and authenticate the query now, from the
/// request head; read the body within the limit and decode it in the returned future.
fn start<E: Event>(
    req: &HttpRequest,
    payload: &mut dev::Payload,
) -> impl Future<Output = Result<Delivery<E>, NotDelivered>> + 'static {
    let head = config(req)
        .ok_or(Rejection::MissingConfig)
        .and_then(|config| {
            let authenticated = config.authenticate(req.uri().query())?;
            let content_length = req.headers().get(CONTENT_LENGTH);
            config.check_content_length(content_length.map(|value| value.as_bytes()))?;
            Ok((authenticated, config.body_limit()))
        });
    let payload = payload.take();
    async move {
        // Not a byte of the body is read before the query is authenticated.
        let (authenticated, limit) = head?;
        let body = match to_bytes_limited(BodyStream::new(payload), limit).await {
            Ok(Ok(body)) => body,
            Ok(Err(_)) => return Err(Rejection::unreadable_body().into()),
            Err(_) => return Err(Rejection::BodyTooLarge { limit }.into()),
        };
        authenticated.decode(body)
    }
}

/// The configuration in `app_data`: a plain `WebhookConfig`, else `web::Data<WebhookConfig>`.
fn config(req: &HttpRequest) -> Option<WebhookConfig> {
    req.app_data::<WebhookConfig>()
        .or_else(|| {
            req.app_data::<web::Data<WebhookConfig>>()
                .map(|data| data.get_ref())
        })
        .cloned()
}

/// Why a request did not reach the handler, answered as the core decides: the OK
/// envelope for an acknowledged request, the `FAIL` envelope for a rejection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallbackRejection(pub NotDelivered);

impl CallbackRejection {
    /// The answer this rejection is sent as.
    pub fn answer(&self) -> Answer {
        Answer::from(&self.0)
    }
}

impl From<Rejection> for CallbackRejection {
    fn from(rejection: Rejection) -> Self {
        Self(rejection.into())
    }
}

impl From<NotDelivered> for CallbackRejection {
    fn from(not_delivered: NotDelivered) -> Self {
        Self(not_delivered)
    }
}

impl ResponseError for CallbackRejection {
    fn status_code(&self) -> actix_web::http::StatusCode {
        status_code(self.0.status().as_u16())
    }

    fn error_response(&self) -> HttpResponse {
        respond(self.answer())
    }
}

impl fmt::Display for CallbackRejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl StdError for CallbackRejection {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.0.source()
    }
}
