//! Mounting an [`OfficialChannelHandler`] on a route.

use std::sync::Arc;

use actix_web::{Resource, web};
use tencent_chat_webhook::official_channel::OfficialChannelEvent;
use tencent_chat_webhook::{OfficialChannelHandler, dispatch};

use crate::{Callback, Reply};

/// A resource at `path` that answers every Official Channel webhook (`POST`) with
/// `handler`; register it with `App::service` or `Scope::service`.
///
/// Each request runs the [`Callback`] pipeline, with the [`WebhookConfig`](crate::WebhookConfig)
/// from `app_data` as there (give the resource its own with `.app_data(config)`), then
/// [`dispatch`]es the event. Acknowledged requests (the console's probe, commands of
/// other families) are answered without calling the handler; other methods get
/// actix-web's 405.
///
/// ```
/// use actix_web::App;
/// use tencent_chat_webhook_actix::official_channel::AfterSendMsg;
/// use tencent_chat_webhook_actix::{async_trait, official_channel_resource, Delivery, OfficialChannelHandler, WebhookConfig};
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
/// let app = App::new().service(official_channel_resource("/webhook", Logger).app_data(config));
/// # let _ = app;
/// # Ok::<(), tencent_chat_webhook_actix::ConfigError>(())
/// ```
pub fn official_channel_resource<H: OfficialChannelHandler>(path: &str, handler: H) -> Resource {
    let handler = Arc::new(handler);
    web::resource(path).route(
        web::post().to(move |callback: Callback<OfficialChannelEvent>| {
            let handler = Arc::clone(&handler);
            async move { Reply(dispatch(&*handler, callback.into_inner()).await) }
        }),
    )
}
