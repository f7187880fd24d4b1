//! Mounting an [`OfficialChannelHandler`] on a route.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use tencent_chat_webhook::Answer;
use tencent_chat_webhook::official_channel::{
    OfficialChannelEvent, OfficialChannelHandler, dispatch,
};

use crate::{Callback, Reply};

/// The future of [`handle_official_channel`]'s handler function.
pub type HandlerFuture = Pin<Box<dyn Future<Output = Reply<Answer>> + Send>>;

/// A handler function that answers every Official Channel webhook with `handler`:
/// mount it with `post(handle_official_channel(handler))`.
///
/// It takes a [`Callback<OfficialChannelEvent>`](Callback), so the configuration is
/// found as the extractor finds it (the router state, or an `Extension` layer on the
/// route), then [`dispatch`]es the event. Acknowledged requests (the console's probe,
/// commands of other families) are answered without calling the handler.
///
/// ```
/// use axum::{Router, routing::post};
/// use tencent_chat_webhook_axum::official_channel::{AfterSendMsg, OfficialChannelHandler};
/// use tencent_chat_webhook_axum::{async_trait, handle_official_channel, Delivery, WebhookConfig};
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
///     .route("/webhook", post(handle_official_channel(Logger)))
///     .with_state(config);
/// # Ok::<(), tencent_chat_webhook_axum::config::ConfigError>(())
/// ```
pub fn handle_official_channel<H: OfficialChannelHandler>(
    handler: H,
) -> impl Fn(Callback<OfficialChannelEvent>) -> HandlerFuture + Clone + Send + Sync + 'static {
    let handler = Arc::new(handler);
    move |Callback(delivery)| {
        let handler = Arc::clone(&handler);
        Box::pin(async move { Reply(dispatch(&*handler, delivery).await) })
    }
}
