//! The extractors: configuration, authentication, body, decoding.

use std::error::Error as StdError;
use std::fmt;
use std::ops::{Deref, DerefMut};

use axum_core::RequestExt;
use axum_core::extract::{FromRef, FromRequest, Request};
use axum_core::response::{IntoResponse, Response};
use http::HeaderValue;
use http::header::CONTENT_LENGTH;
use http_body_util::{BodyExt, LengthLimitError, Limited};
use tencent_chat_webhook::{Answer, Delivery, Event, NotDelivered, Rejection, WebhookConfig};

use crate::response::respond;

/// Extracts a verified, decoded webhook event `E` with its query and raw body.
///
/// `E` is one command's event (e.g. [`AfterSendMsg`](crate::official_channel::AfterSendMsg))
/// or [`OfficialChannelEvent`](crate::official_channel::OfficialChannelEvent) for all of
/// them. The [`WebhookConfig`] comes from a request extension when there is one (an
/// `Extension` layer, e.g. on a nested router), otherwise from the router state through
/// [`FromRef`].
///
/// The query string is authenticated before any of the body is read; the body is read
/// within both axum's `DefaultBodyLimit` and [`WebhookConfig::body_limit`]. A request
/// that is acknowledged (the console's probe `{}`, a command `E` does not cover) or
/// rejected never reaches the handler: its [`CallbackRejection`] is the answer.
///
/// It reads the body, so it must be the handler's last argument. It derefs to
/// [`Delivery`], so `callback.event`, `callback.query` and `callback.body` work.
pub struct Callback<E>(pub Delivery<E>);

/// [`Callback`] for a router without a [`WebhookConfig`] in its state: the
/// configuration comes only from a request extension, and a route without one
/// answers 500 ([`Rejection::MissingConfig`]).
pub struct ExtensionCallback<E>(pub Delivery<E>);

macro_rules! delivery_wrapper {
    ($name:ident) => {
        impl<E> $name<E> {
            /// The delivery: event, query and raw body.
            pub fn into_inner(self) -> Delivery<E> {
                self.0
            }
        }

        impl<E> Deref for $name<E> {
            type Target = Delivery<E>;

            fn deref(&self) -> &Delivery<E> {
                &self.0
            }
        }

        impl<E> DerefMut for $name<E> {
            fn deref_mut(&mut self) -> &mut Delivery<E> {
                &mut self.0
            }
        }

        impl<E: fmt::Debug> fmt::Debug for $name<E> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_tuple(stringify!($name)).field(&self.0).finish()
            }
        }
    };
}

delivery_wrapper!(Callback);
delivery_wrapper!(ExtensionCallback);

impl<S, E> FromRequest<S> for Callback<E>
where
    WebhookConfig: FromRef<S>,
    S: Send + Sync,
    E: Event + Send + 'static,
{
    type Rejection = CallbackRejection;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let config = match req.extensions().get::<WebhookConfig>() {
            Some(config) => config.clone(),
            None => WebhookConfig::from_ref(state),
        };
        receive(Some(config), req)
            .await
            .map(Self)
            .map_err(CallbackRejection)
    }
}

impl<S, E> FromRequest<S> for ExtensionCallback<E>
where
    S: Send + Sync,
    E: Event + Send + 'static,
{
    type Rejection = CallbackRejection;

    async fn from_request(req: Request, _state: &S) -> Result<Self, Self::Rejection> {
        let config = req.extensions().get::<WebhookConfig>().cloned();
        receive(config, req)
            .await
            .map(Self)
            .map_err(CallbackRejection)
    }
}

/// The pipeline every extractor and the service run: authenticate the query, read the
/// body within both limits, decode.
pub(crate) async fn receive<E: Event>(
    config: Option<WebhookConfig>,
    req: Request,
) -> Result<Delivery<E>, NotDelivered> {
    let config = config.ok_or(Rejection::MissingConfig)?;
    let authenticated = config.authenticate(req.uri().query())?;
    let content_length = req.headers().get(CONTENT_LENGTH);
    config.check_content_length(content_length.map(HeaderValue::as_bytes))?;
    let limit = config.body_limit();
    let body = match Limited::new(req.into_limited_body(), limit).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(error) if over_limit(&*error) => return Err(Rejection::BodyTooLarge { limit }.into()),
        Err(_) => return Err(Rejection::unreadable_body().into()),
    };
    authenticated.decode(body)
}

/// Whether reading stopped at a limit: ours, or `DefaultBodyLimit`'s, which arrives
/// wrapped in `axum_core::Error`.
fn over_limit(error: &(dyn StdError + 'static)) -> bool {
    let mut next = Some(error);
    while let Some(error) = next {
        if error.is::<LengthLimitError>() {
            return true;
        }
        next = error.source();
    }
    false
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

impl IntoResponse for CallbackRejection {
    fn into_response(self) -> Response {
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
