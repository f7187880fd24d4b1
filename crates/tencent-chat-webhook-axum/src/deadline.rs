//! Answering in time: the [`AnswerDeadline`] layer.

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use axum_core::extract::Request;
use axum_core::response::{IntoResponse, Response};
use tencent_chat_webhook::pipeline::{Answered, HandlerStage, RunOn};
use tower_layer::Layer;
use tower_service::Service;

use crate::Reply;

/// A tower layer that answers for a handler that has not answered by the
/// configuration's [answer deadline](crate::config::WebhookConfigBuilder::answer_deadline),
/// and lets that handler run on to completion.
///
/// Tencent waits 2 s for an answer. Behind this layer, once [`Callback`](crate::Callback)
/// has authenticated the request and decoded its event, the layer waits for the handler
/// until the deadline, counted from the request's arrival (default 1.5 s); past it, it
/// answers the command's default (OK for an after-webhook; for a before-webhook, allow
/// or refuse as [`FailureStrategy`](crate::config::FailureStrategy) says), logs a WARN
/// with the command and the time taken, and the route (its extractors and handler) goes
/// on in a task of its own: nothing it does is cancelled, and its late end is logged at
/// INFO. A request that is rejected or acknowledged is never answered for: its own answer
/// goes out, whenever it is ready. The route runs on in the same way when the client goes
/// away before the answer. Until then it runs in the request's own task, as without the
/// layer.
///
/// It works the same for a handler mounted with [`handle`](crate::handle) and for your
/// own handler that takes `Callback`. It also counts handled requests, those answered
/// at the deadline and the handler time (see
/// [`observe`](crate::observe)).
///
/// ```
/// use axum::{Router, routing::post};
/// use tencent_chat_webhook_axum::official_channel::AfterSendMsg;
/// use tencent_chat_webhook_axum::{Answer, AnswerDeadline, Callback, Reply, WebhookConfig};
///
/// async fn after_send(msg: Callback<AfterSendMsg>) -> Reply<Answer> {
///     println!("{}", msg.event.msg_key);
///     Reply(Answer::ok())
/// }
///
/// let config = WebhookConfig::builder().app(1400000000, ["xxxxyyyy"]).build()?;
/// let app: Router = Router::new()
///     .route("/webhook", post(after_send))
///     .layer(AnswerDeadline::new())
///     .with_state(config);
/// # Ok::<(), tencent_chat_webhook_axum::config::ConfigError>(())
/// ```
///
/// It needs a tokio runtime with the time driver, which `axum::serve` has.
#[derive(Debug, Clone, Copy, Default)]
#[non_exhaustive]
pub struct AnswerDeadline;

impl AnswerDeadline {
    /// The layer; the deadline and the failure strategy are the route's
    /// [`WebhookConfig`](crate::WebhookConfig)'s.
    pub fn new() -> Self {
        Self
    }
}

impl<S> Layer<S> for AnswerDeadline {
    type Service = AnswerDeadlineService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        AnswerDeadlineService { inner }
    }
}

/// The service of the [`AnswerDeadline`] layer.
#[derive(Debug, Clone)]
pub struct AnswerDeadlineService<S> {
    inner: S,
}

impl<S> Service<Request> for AnswerDeadlineService<S>
where
    S: Service<Request, Error = Infallible> + Clone + Send + 'static,
    S::Response: IntoResponse,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut req: Request) -> Self::Future {
        let stage = HandlerStage::new();
        req.extensions_mut().insert(stage.clone());
        // The service that was made ready is the one called; its clone waits for the next.
        let clone = self.inner.clone();
        let mut ready = std::mem::replace(&mut self.inner, clone);
        let route = ready.call(req);
        let route = stage.run(
            async move {
                let Ok(response) = route.await;
                response.into_response()
            },
            run_on,
        );
        Box::pin(async move {
            Ok(match route.answer(|| Some(())).await {
                Answered::ByRoute(response) => response,
                Answered::AtDeadline(answer, ()) => Reply(answer).into_response(),
            })
        })
    }
}

/// Runs a route on in a task of its own; without a runtime (it is shutting down) nothing
/// can.
fn run_on(route: RunOn<impl Future<Output = Response> + Send + 'static>) {
    if let Ok(runtime) = tokio::runtime::Handle::try_current() {
        runtime.spawn(route);
    }
}
