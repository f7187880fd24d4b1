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
/// # use tencent_chat_webhook_actix::official_channel::OfficialChannelHandler;
/// # struct Logger;
/// # impl OfficialChannelHandler for Logger {}
/// use actix_web::{App, web};
/// use tencent_chat_webhook_actix::{WebhookConfig, handle_official_channel};
///
/// let config = WebhookConfig::builder().app(1400000000, ["xxxxyyyy"]).build()?;
/// let app = App::new()
///     .app_data(config)
///     .route("/webhook", web::post().to(handle_official_channel(Logger)));
/// # drop(app);
/// # Ok::<(), tencent_chat_webhook_actix::config::ConfigError>(())
/// ```
///
/// Its requests go through [`Callback<OfficialChannelEvent>`](Callback), which finds the
/// configuration in the resource's `app_data`, then the app's; acknowledged requests
/// (the console's probe, commands of other families) never reach `handler`.
pub fn handle_official_channel<H: OfficialChannelHandler>(
    handler: H,
) -> impl Fn(Callback<OfficialChannelEvent>) -> HandlerFuture + Clone + Send + Sync + 'static {
    let dispatcher = Dispatcher::new(handler);
    move |Callback(delivery)| dispatcher.dispatch(delivery, Reply)
}
