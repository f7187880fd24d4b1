//! The extractor: configuration, authentication, body, decoding.

use std::error::Error as StdError;
use std::net::SocketAddr;

use axum::extract::ConnectInfo;
use axum::extract::connect_info::MockConnectInfo;
use axum_core::RequestExt;
use axum_core::extract::{FromRef, FromRequest, Request};
use http::HeaderValue;
use http::header::CONTENT_LENGTH;
use http_body_util::{BodyExt, LengthLimitError, Limited};
use tencent_chat_webhook::answer::NotDelivered;
use tencent_chat_webhook::pipeline::{BodyError, HandlerStage, Peer, X_FORWARDED_FOR};
use tencent_chat_webhook::request::Event;
use tencent_chat_webhook::{Delivery, WebhookConfig};
use tokio::time::timeout;

use crate::Reply;

/// Extracts a verified, decoded webhook event `E` with its query and raw body.
///
/// `E` is one command's event (e.g. [`AfterSendMsg`](crate::official_channel::AfterSendMsg)),
/// a family's enum (e.g. [`OfficialChannelEvent`](crate::official_channel::OfficialChannelEvent))
/// or [`WebhookEvent`](crate::WebhookEvent) for every webhook. The [`WebhookConfig`] comes from the router state through [`FromRef`]; an
/// `Extension(WebhookConfig)` layer on a route overrides it for that route.
///
/// With an [allow-list of sources](tencent_chat_webhook::config::WebhookConfigBuilder::allowed_sources),
/// the peer address comes from `ConnectInfo<SocketAddr>`, so serve the router with
/// `into_make_service_with_connect_info::<SocketAddr>()`; without it every request is
/// answered 500 (`ErrorCode` 50001).
///
/// The source is checked first, then the query string is authenticated before any of
/// the body is read; the body is read within both axum's `DefaultBodyLimit` and
/// [`WebhookConfig::body_limit`]. A request that is acknowledged (the console's probe
/// `{}`, a command `E` does not cover) or rejected never reaches the handler: its
/// [`NotDelivered`] is the answer, OK or `FAIL`.
///
/// It reads the body, so it must be the handler's last argument. It derefs to
/// [`Delivery`], so `callback.event`, `callback.query` and `callback.body` work.
///
/// Tencent sends every command to one URL, and axum panics with "Overlapping method
/// route" when two handlers are mounted for `POST` on one path. Take every command
/// with one handler: `Callback<WebhookEvent>` and a `match`, or
/// [`Handlers`](crate::Handlers) (one handler trait per family) mounted with
/// [`handle`](crate::handle).
///
/// ```
/// use axum::{Router, routing::post};
/// use tencent_chat_webhook_axum::official_channel::AfterSendMsg;
/// use tencent_chat_webhook_axum::{Answer, Callback, Reply, WebhookConfig};
///
/// async fn after_send(msg: Callback<AfterSendMsg>) -> Reply<Answer> {
///     println!("{} from {:?}", msg.event.msg_key, msg.query.client_ip());
///     Reply(Answer::ok())
/// }
///
/// let config = WebhookConfig::builder().app(1400000000, ["xxxxyyyy"]).build()?;
/// let app: Router = Router::new()
///     .route("/webhook", post(after_send))
///     .with_state(config);
/// # Ok::<(), tencent_chat_webhook_axum::config::ConfigError>(())
/// ```
pub struct Callback<E>(pub Delivery<E>);

tencent_chat_webhook::__callback_wrapper!(Callback);

impl<S, E> FromRequest<S> for Callback<E>
where
    WebhookConfig: FromRef<S>,
    S: Send + Sync,
    E: Event + Send + 'static,
{
    type Rejection = Reply<NotDelivered>;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let config = match req.extensions().get::<WebhookConfig>() {
            Some(route_config) => route_config.clone(),
            None => WebhookConfig::from_ref(state),
        };
        receive(&config, req).await.map(Self).map_err(Reply)
    }
}

/// How to give the extractor the peer address, for the log of a route that needs it.
const HOW_TO_SERVE: &str = "serve the router with \
    `axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())` \
    (or insert `ConnectInfo<SocketAddr>` into each request's extensions)";

/// The pipeline: check the source, authenticate the head, read the body within both
/// limits and the timeout, decode.
async fn receive<E: Event>(
    config: &WebhookConfig,
    req: Request,
) -> Result<Delivery<E>, NotDelivered> {
    let forwarded_for = req.headers().get_all(X_FORWARDED_FOR);
    config.check_source(peer(&req), forwarded_for.iter().map(HeaderValue::as_bytes))?;
    let content_length = req.headers().get(CONTENT_LENGTH).map(HeaderValue::as_bytes);
    let stage = req.extensions().get::<HandlerStage>().cloned();
    let authenticated = config
        .authenticate(req.uri().query(), content_length)?
        .with_stage(stage);
    let read = Limited::new(req.into_limited_body(), authenticated.body_limit()).collect();
    let body = match timeout(authenticated.body_read_timeout(), read).await {
        Ok(Ok(collected)) => Ok(collected.to_bytes()),
        Ok(Err(error)) if over_limit(&*error) => Err(BodyError::TooLarge),
        Ok(Err(_)) => Err(BodyError::Unreadable),
        Err(_elapsed) => Err(BodyError::TimedOut),
    };
    authenticated.decode(body)
}

/// The connection's peer address: `ConnectInfo` as `axum::serve` inserts it, or
/// `MockConnectInfo` in tests.
fn peer(req: &Request) -> Peer {
    let extensions = req.extensions();
    extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| *addr)
        .or_else(|| {
            extensions
                .get::<MockConnectInfo<SocketAddr>>()
                .map(|MockConnectInfo(addr)| *addr)
        })
        .map_or(
            Peer::Unknown {
                how_to_serve: HOW_TO_SERVE,
            },
            Peer::from,
        )
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
