//! The extractor: configuration, authentication, body, decoding.

use std::future::Future;
use std::pin::Pin;

use actix_web::body::{BodyStream, to_bytes_limited};
use actix_web::http::header::CONTENT_LENGTH;
use actix_web::rt::time::timeout;
use actix_web::{FromRequest, HttpMessage, HttpRequest, dev, web};
use tencent_chat_webhook::answer::NotDelivered;
use tencent_chat_webhook::pipeline::{self, BodyError, HandlerStage, Peer, X_FORWARDED_FOR};
use tencent_chat_webhook::request::Event;
use tencent_chat_webhook::{Delivery, WebhookConfig};

use crate::Reply;
use crate::deadline::RoutedRequest;

/// Extracts a verified, decoded webhook event `E` with its query and raw body.
///
/// `E` is one command's event (e.g. [`AfterSendMsg`](crate::official_channel::AfterSendMsg)),
/// a family's enum (e.g. [`OfficialChannelEvent`](crate::official_channel::OfficialChannelEvent))
/// or [`WebhookEvent`](crate::WebhookEvent) for every webhook. The [`WebhookConfig`] comes from `app_data`, as a plain `WebhookConfig` or as
/// `web::Data<WebhookConfig>` (a plain value at any level first, the way actix-web finds
/// its `JsonConfig`, so give every level the same kind); a route without one answers 500
/// (`ErrorCode` 50001), logged at ERROR.
///
/// With an [allow-list of sources](tencent_chat_webhook::config::WebhookConfigBuilder::allowed_sources),
/// the peer address is [`HttpRequest::peer_addr`] (actix-web's `realip_remote_addr`,
/// which believes any `X-Forwarded-For`, is not used); a request without one (a Unix
/// socket, a `TestRequest` without `peer_addr`) is answered 500 (`ErrorCode` 50001).
///
/// The source is checked first, then the query string is authenticated before any of
/// the body is read; the body is read up to [`WebhookConfig::body_limit`] (actix-web's
/// `PayloadConfig` does not apply). A request that is acknowledged (the console's probe
/// `{}`, a command `E` does not cover) or rejected never reaches the handler: its
/// [`NotDelivered`] is the answer, OK or `FAIL`. A resource's own `app_data(config)` overrides the app's for that resource.
///
/// It derefs to [`Delivery`], so `callback.event`, `callback.query` and
/// `callback.body` work.
///
/// Tencent sends every command to one URL. Take every command with one handler:
/// `Callback<WebhookEvent>` and a `match`, or [`Handlers`](crate::Handlers) (one handler
/// trait per family) mounted with [`handle`](crate::handle). (Two handlers
/// for one route in actix-web do not share it: the first takes every request.)
///
/// ```
/// use actix_web::{web, App};
/// use tencent_chat_webhook_actix::official_channel::AfterSendMsg;
/// use tencent_chat_webhook_actix::{Answer, Callback, Reply, WebhookConfig};
///
/// async fn after_send(msg: Callback<AfterSendMsg>) -> Reply<Answer> {
///     println!("{} from {:?}", msg.event.msg_key, msg.query.client_ip());
///     Reply(Answer::ok())
/// }
///
/// let config = WebhookConfig::builder().app(1400000000, ["xxxxyyyy"]).build()?;
/// let app = App::new()
///     .app_data(config)
///     .route("/webhook", web::post().to(after_send));
/// # let _ = app;
/// # Ok::<(), tencent_chat_webhook_actix::config::ConfigError>(())
/// ```
pub struct Callback<E>(pub Delivery<E>);

tencent_chat_webhook::__callback_wrapper!(Callback);

impl<E: Event + 'static> FromRequest for Callback<E> {
    type Error = Reply<NotDelivered>;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut dev::Payload) -> Self::Future {
        let received = receive(req, payload);
        Box::pin(async move { received.await.map(Self).map_err(Reply) })
    }
}

/// How to give the extractor the peer address, for the log of a route that needs it.
const HOW_TO_SERVE: &str = "serve the app over TCP (`HttpServer::bind` or `listen`); \
    in `actix_web::test`, give the request one with `TestRequest::peer_addr`";

/// The pipeline: find the configuration, check the source and authenticate the head
/// now; read the body within the limit and the timeout and decode it in the returned
/// future.
fn receive<E: Event>(
    req: &HttpRequest,
    payload: &mut dev::Payload,
) -> impl Future<Output = Result<Delivery<E>, NotDelivered>> + 'static {
    let head = config(req)
        .ok_or_else(pipeline::missing_config)
        .and_then(|config| {
            let peer = req.peer_addr().map_or(
                Peer::Unknown {
                    how_to_serve: HOW_TO_SERVE,
                },
                Peer::from,
            );
            let forwarded_for = req.headers().get_all(X_FORWARDED_FOR);
            config.check_source(peer, forwarded_for.map(|value| value.as_bytes()))?;
            let content_length = req
                .headers()
                .get(CONTENT_LENGTH)
                .map(|value| value.as_bytes());
            let stage = req.extensions().get::<HandlerStage>().cloned();
            if let Some(routed) = req.extensions().get::<RoutedRequest>() {
                routed.leave(req);
            }
            Ok(config
                .authenticate(req.uri().query(), content_length)?
                .with_stage(stage))
        });
    let payload = payload.take();
    async move {
        // Not a byte of the body is read before the head is authenticated.
        let authenticated = head?;
        let read = to_bytes_limited(BodyStream::new(payload), authenticated.body_limit());
        let body = match timeout(authenticated.body_read_timeout(), read).await {
            Ok(Ok(Ok(body))) => Ok(body),
            Ok(Ok(Err(_))) => Err(BodyError::Unreadable),
            Ok(Err(_over_limit)) => Err(BodyError::TooLarge),
            Err(_elapsed) => Err(BodyError::TimedOut),
        };
        authenticated.decode(body)
    }
}

/// The configuration in `app_data`: a plain `WebhookConfig`, else
/// `web::Data<WebhookConfig>`, the way actix-web finds its `JsonConfig`. actix-web
/// looks in the resource's `app_data` before the app's.
fn config(req: &HttpRequest) -> Option<WebhookConfig> {
    req.app_data::<WebhookConfig>()
        .or_else(|| {
            req.app_data::<web::Data<WebhookConfig>>()
                .map(|data| data.get_ref())
        })
        .cloned()
}
