//! Mounting a [`WebhookHandler`] on a route.

use std::future::Future;
use std::pin::Pin;

use tencent_chat_webhook::Answer;
use tencent_chat_webhook::webhook::{Dispatcher, WebhookEvent, WebhookHandler};

use crate::{Callback, Reply};

/// The future of [`handle`]'s handler function.
pub type HandlerFuture = Pin<Box<dyn Future<Output = Reply<Answer>> + Send>>;

/// A handler function that answers every webhook with `handler`: usually
/// [`Handlers`](crate::Handlers), one handler per family (each family's handler trait
/// shows one written out), or your own [`WebhookHandler`].
///
/// ```
/// # use tencent_chat_webhook_actix::official_channel::OfficialChannelHandler;
/// # struct Logger;
/// # impl OfficialChannelHandler for Logger {}
/// use actix_web::{App, web};
/// use tencent_chat_webhook_actix::{Handlers, WebhookConfig, handle};
///
/// let config = WebhookConfig::builder().app(1400000000, ["xxxxyyyy"]).build()?;
/// let app = App::new()
///     .app_data(config)
///     .route("/webhook", web::post().to(handle(Handlers::new().official_channel(Logger))));
/// # drop(app);
/// # Ok::<(), tencent_chat_webhook_actix::config::ConfigError>(())
/// ```
///
/// Its requests go through [`Callback<WebhookEvent>`](Callback), which finds the
/// configuration in the resource's `app_data`, then the app's; acknowledged requests
/// (the console's probe) never reach `handler`.
pub fn handle<H: WebhookHandler>(
    handler: H,
) -> impl Fn(Callback<WebhookEvent>) -> HandlerFuture + Clone + Send + Sync + 'static {
    let dispatcher = Dispatcher::new(handler);
    move |Callback(delivery)| dispatcher.dispatch(delivery, Reply)
}
