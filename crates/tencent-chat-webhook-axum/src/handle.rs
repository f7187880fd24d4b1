//! Mounting an [`OfficialChannelHandler`] on a route.

use std::future::Future;
use std::pin::Pin;

use tencent_chat_webhook::Answer;
use tencent_chat_webhook::official_channel::{
    Dispatcher, OfficialChannelEvent, OfficialChannelHandler,
};

use crate::{Callback, Reply};

/// The future of [`handle_official_channel`]'s handler function.
pub type HandlerFuture = Pin<Box<dyn Future<Output = Reply<Answer>> + Send>>;

/// A handler function that answers every Official Channel webhook with `handler`, an
/// [`OfficialChannelHandler`] (see there for one written out):
///
/// ```
/// # use tencent_chat_webhook_axum::official_channel::OfficialChannelHandler;
/// # struct Logger;
/// # impl OfficialChannelHandler for Logger {}
/// use axum::{Router, routing::post};
/// use tencent_chat_webhook_axum::{WebhookConfig, handle_official_channel};
///
/// let config = WebhookConfig::builder().app(1400000000, ["xxxxyyyy"]).build()?;
/// let app: Router = Router::new()
///     .route("/webhook", post(handle_official_channel(Logger)))
///     .with_state(config);
/// # Ok::<(), tencent_chat_webhook_axum::config::ConfigError>(())
/// ```
///
/// Its requests go through [`Callback<OfficialChannelEvent>`](Callback), which finds the
/// configuration in the router state or a route's `Extension` layer; acknowledged
/// requests (the console's probe, commands of other families) never reach `handler`.
pub fn handle_official_channel<H: OfficialChannelHandler>(
    handler: H,
) -> impl Fn(Callback<OfficialChannelEvent>) -> HandlerFuture + Clone + Send + Sync + 'static {
    let dispatcher = Dispatcher::new(handler);
    move |Callback(delivery)| dispatcher.dispatch(delivery, Reply)
}
