//! The one URL that receives every webhook: [`WebhookEvent`], any event, and
//! [`Handlers`], one handler per family, mounted by an adapter as a
//! [`WebhookHandler`].

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use async_trait::async_trait;

use crate::answer::Answer;
use crate::request::Delivery;

pub use crate::catalog::{Handlers, WebhookEvent};

/// What an adapter mounts on the webhook route: one async method that answers any
/// delivery.
///
/// [`Handlers`] implements it by calling the family handler's method for the event;
/// implement it yourself to take every webhook in one place.
///
/// ```
/// use tencent_chat_webhook::webhook::{WebhookEvent, WebhookHandler};
/// use tencent_chat_webhook::{Answer, Delivery, async_trait};
///
/// struct Logger;
///
/// #[async_trait]
/// impl WebhookHandler for Logger {
///     async fn handle(&self, delivery: Delivery<WebhookEvent>) -> Answer {
///         println!("{}", delivery.event);
///         Answer::ok()
///     }
/// }
/// ```
#[async_trait]
pub trait WebhookHandler: Send + Sync + 'static {
    /// The answer to `delivery`.
    async fn handle(&self, delivery: Delivery<WebhookEvent>) -> Answer;
}

#[async_trait]
impl WebhookHandler for Handlers {
    async fn handle(&self, delivery: Delivery<WebhookEvent>) -> Answer {
        self.dispatch(delivery).await
    }
}

impl Default for Handlers {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for Handlers {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Handlers").finish_non_exhaustive()
    }
}

/// A [`WebhookHandler`] shared by every request of a route: what an adapter's `handle`
/// holds. Cloning it is cheap.
pub struct Dispatcher {
    handler: Arc<dyn WebhookHandler>,
}

impl Dispatcher {
    /// Shares `handler` between requests.
    pub fn new(handler: impl WebhookHandler) -> Self {
        Self {
            handler: Arc::new(handler),
        }
    }

    /// Handles `delivery` in a future that owns what it needs, and gives the answer to
    /// `respond`: the adapter's way of writing an answer.
    pub fn dispatch<R: 'static>(
        &self,
        delivery: Delivery<WebhookEvent>,
        respond: fn(Answer) -> R,
    ) -> Pin<Box<dyn Future<Output = R> + Send>> {
        let handler = Arc::clone(&self.handler);
        Box::pin(async move { respond(handler.handle(delivery).await) })
    }
}

impl Clone for Dispatcher {
    fn clone(&self) -> Self {
        Self {
            handler: Arc::clone(&self.handler),
        }
    }
}

impl fmt::Debug for Dispatcher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Dispatcher").finish_non_exhaustive()
    }
}

/// The handler of a family nobody gave one: every handler trait's defaults.
pub(crate) struct Defaults;

/// An event's log line: its command, then the identifiers its `Display` writes.
pub(crate) fn log_line(
    f: &mut fmt::Formatter<'_>,
    command: &str,
    event: &impl fmt::Display,
) -> fmt::Result {
    let identifiers = event.to_string();
    if identifiers.is_empty() {
        f.write_str(command)
    } else {
        write!(f, "{command} {identifiers}")
    }
}
