//! Mounting an [`OfficialChannelHandler`] on a route.

use std::convert::Infallible;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use axum_core::extract::Request;
use axum_core::response::Response;
use tencent_chat_webhook::official_channel::OfficialChannelEvent;
use tencent_chat_webhook::{Answer, OfficialChannelHandler, WebhookConfig, dispatch};
use tower_service::Service;

use crate::extract::receive;
use crate::response::respond;

/// A [`Service`] that answers every Official Channel webhook with an
/// [`OfficialChannelHandler`]: mount it with `Router::route_service` or `post_service`.
///
/// It runs the same pipeline as [`Callback`](crate::Callback) with its own
/// [`WebhookConfig`], then [`dispatch`]es the event. Acknowledged requests (the
/// console's probe, commands of other families) are answered without calling the
/// handler. Cloning it is cheap.
///
/// ```
/// use axum::Router;
/// use axum::routing::post_service;
/// use tencent_chat_webhook_axum::official_channel::AfterSendMsg;
/// use tencent_chat_webhook_axum::{async_trait, Delivery, OfficialChannelHandler};
/// use tencent_chat_webhook_axum::{OfficialChannelService, WebhookConfig};
///
/// struct Logger;
///
/// #[async_trait]
/// impl OfficialChannelHandler for Logger {
///     async fn after_send_msg(&self, msg: Delivery<AfterSendMsg>) {
///         println!("delivered {}", msg.event.msg_key);
///     }
/// }
///
/// let config = WebhookConfig::builder().app(1400000000, ["xxxxyyyy"]).build()?;
/// let app: Router = Router::new()
///     .route("/webhook", post_service(OfficialChannelService::new(config, Logger)));
/// # Ok::<(), tencent_chat_webhook_axum::ConfigError>(())
/// ```
pub struct OfficialChannelService<H> {
    shared: Arc<Shared<H>>,
}

struct Shared<H> {
    config: WebhookConfig,
    handler: H,
}

impl<H: OfficialChannelHandler> OfficialChannelService<H> {
    /// Answers requests authenticated by `config` with `handler`.
    pub fn new(config: WebhookConfig, handler: H) -> Self {
        Self {
            shared: Arc::new(Shared { config, handler }),
        }
    }

    /// The handler.
    pub fn handler(&self) -> &H {
        &self.shared.handler
    }
}

impl<H> Clone for OfficialChannelService<H> {
    fn clone(&self) -> Self {
        Self {
            shared: Arc::clone(&self.shared),
        }
    }
}

impl<H> fmt::Debug for OfficialChannelService<H> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OfficialChannelService")
            .field("config", &self.shared.config)
            .finish_non_exhaustive()
    }
}

type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send + 'static>>;

impl<H: OfficialChannelHandler> Service<Request> for OfficialChannelService<H> {
    type Response = Response;
    type Error = Infallible;
    type Future = BoxFuture<Result<Response, Infallible>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, req: Request) -> Self::Future {
        let shared = Arc::clone(&self.shared);
        Box::pin(async move {
            let answer =
                match receive::<OfficialChannelEvent>(Some(shared.config.clone()), req).await {
                    Ok(delivery) => dispatch(&shared.handler, delivery).await,
                    Err(not_delivered) => Answer::from(not_delivered),
                };
            Ok(respond(answer))
        })
    }
}
