//! Answering in time: the [`AnswerDeadline`] middleware.

use std::cell::RefCell;
use std::future::{Future, Ready, ready};
use std::pin::Pin;
use std::rc::{Rc, Weak};

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{Service, ServiceRequest, ServiceResponse, Transform, forward_ready};
use actix_web::{Error, HttpMessage, HttpRequest, rt};
use tencent_chat_webhook::pipeline::{Answered, HandlerStage};

use crate::response::respond;

/// A middleware that answers for a handler that has not answered by the configuration's
/// [answer deadline](crate::config::WebhookConfigBuilder::answer_deadline), and lets that
/// handler run on to completion.
///
/// Tencent waits 2 s for an answer. Behind this middleware, once
/// [`Callback`](crate::Callback) has authenticated the request and decoded its event,
/// the middleware waits for the handler until the deadline, counted from the request's
/// arrival (default 1.5 s); past it, it answers the command's default (OK for an
/// after-webhook; for a before-webhook, allow or refuse as
/// [`FailureStrategy`](crate::config::FailureStrategy) says), logs a WARN with the
/// command and the time taken, and the route (its extractors and handler) goes on in a
/// task of its own on the worker: nothing it does is cancelled, and its late end is
/// logged at INFO. A request that is rejected or acknowledged is never answered for: its
/// own answer goes out, whenever it is ready. The route runs on in the same way when the
/// client goes away before the answer. Until then it runs in the request's own task, as
/// without the middleware.
///
/// It works the same for a handler mounted with [`handle`](crate::handle) and for your
/// own handler that takes `Callback`. It also counts handled requests, those answered at
/// the deadline and the handler time (see [`observe`](crate::observe)).
///
/// ```
/// use actix_web::{App, web};
/// use tencent_chat_webhook_actix::official_channel::AfterSendMsg;
/// use tencent_chat_webhook_actix::{Answer, AnswerDeadline, Callback, Reply, WebhookConfig};
///
/// async fn after_send(msg: Callback<AfterSendMsg>) -> Reply<Answer> {
///     println!("{}", msg.event.msg_key);
///     Reply(Answer::ok())
/// }
///
/// let config = WebhookConfig::builder().app(1400000000, ["xxxxyyyy"]).build()?;
/// let app = App::new()
///     .app_data(config)
///     .wrap(AnswerDeadline::new())
///     .route("/webhook", web::post().to(after_send));
/// # drop(app);
/// # Ok::<(), tencent_chat_webhook_actix::config::ConfigError>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
#[non_exhaustive]
pub struct AnswerDeadline;

impl AnswerDeadline {
    /// The middleware; the deadline and the failure strategy are the route's
    /// [`WebhookConfig`](crate::WebhookConfig)'s.
    pub fn new() -> Self {
        Self
    }
}

impl<S, B> Transform<S, ServiceRequest> for AnswerDeadline
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    S::Future: 'static,
    B: MessageBody + 'static,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Transform = AnswerDeadlineMiddleware<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(AnswerDeadlineMiddleware { service }))
    }
}

/// The service of the [`AnswerDeadline`] middleware.
#[derive(Debug)]
pub struct AnswerDeadlineMiddleware<S> {
    service: S,
}

impl<S, B> Service<ServiceRequest> for AnswerDeadlineMiddleware<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    S::Future: 'static,
    B: MessageBody + 'static,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, Error>>>>;

    forward_ready!(service);

    fn call(&self, req: ServiceRequest) -> Self::Future {
        let stage = HandlerStage::new();
        let routed = Rc::new(RefCell::new(None));
        req.extensions_mut().insert(stage.clone());
        req.extensions_mut()
            .insert(RoutedRequest(Rc::downgrade(&routed)));
        // Run on, it stays on this worker: actix-web's futures need not be `Send`.
        let route = stage.run(self.service.call(req), |route| {
            rt::spawn(route);
        });
        Box::pin(async move {
            // The stage is armed by `Callback`, which left the request first.
            match route.answer(|| routed.borrow_mut().take()).await {
                Answered::ByRoute(routed) => routed.map(ServiceResponse::map_into_left_body),
                Answered::AtDeadline(answer, head) => {
                    Ok(ServiceResponse::new(head, respond(answer)).map_into_right_body())
                }
            }
        })
    }
}

/// Where [`Callback`](crate::Callback) leaves a clone of the request for the middleware,
/// which needs one to answer at the deadline. The middleware cannot clone the request
/// itself: routing needs it unshared, and runs after the middleware. A weak reference,
/// so that the request does not hold itself through its extensions.
#[derive(Debug, Clone)]
pub(crate) struct RoutedRequest(Weak<RefCell<Option<HttpRequest>>>);

impl RoutedRequest {
    /// Leaves `req`, routed, for the middleware (when it is still waiting).
    pub(crate) fn leave(&self, req: &HttpRequest) {
        if let Some(slot) = self.0.upgrade() {
            *slot.borrow_mut() = Some(req.clone());
        }
    }
}
