//! Handle a retried delivery once, across instances.
//!
//! Tencent waits 2 s for an answer. When the console's *retry on timeout* is on, an
//! after-webhook answered late is sent again, often to another instance behind the load
//! balancer. [`Dedupe`] runs the handler of a delivery only if no delivery with the same
//! [`DeliveryId`] was claimed within the time to live (default 10 minutes), in a
//! [`DeliveryStore`] that every instance shares:
//!
//! - a repeat within the time to live is answered OK without calling the handler, and
//!   logged at INFO: `duplicate delivery answered OK without calling the handler
//!   delivery="1400000000:OfficialAccount.CallbackAfterSendMsg:key:71_1_1698741698"`;
//! - **before-webhooks are never deduplicated**: Tencent never retries them, and answering a
//!   repeated moderation request OK would let a refused message through;
//! - a handler that fails (an answer that is not HTTP 200, an `Err`), panics, or is
//!   cancelled (its request dropped) releases the identity, so that Tencent's retry is
//!   handled; a panic is then resumed, and reaches the framework as it does without
//!   deduplication;
//! - when the store cannot be reached, the delivery is handled anyway and a WARN is
//!   logged, at most once a second: a Redis outage does not stop webhooks.
//!
//! Stores: [`MemoryStore`] for one instance, [`RedisStore`] (feature `redis`) for
//! several.
//!
//! # On a route that takes the extractor
//!
//! Wrap the handler's work in [`Dedupe::run`]; keep the `Dedupe` in the router state
//! (axum) or `app_data` (actix-web), made once at start-up:
//!
//! ```
//! use tencent_chat_webhook::dedupe::{Dedupe, MemoryStore};
//! use tencent_chat_webhook::official_channel::OfficialChannelEvent;
//! use tencent_chat_webhook::{Answer, Delivery};
//!
//! // What `Callback(delivery): Callback<OfficialChannelEvent>` gives the handler.
//! async fn webhook(dedupe: &Dedupe, delivery: Delivery<OfficialChannelEvent>) -> Answer {
//!     dedupe
//!         .run(&delivery, async {
//!             println!("{}", delivery.event); // the handler's work, done once
//!             Answer::ok()
//!         })
//!         .await
//! }
//! # let dedupe = Dedupe::new(MemoryStore::new());
//! # let config = tencent_chat_webhook::WebhookConfig::builder().unsigned_app(1).build()?;
//! # let delivery = || config.receive::<OfficialChannelEvent>(
//! #     Some("SdkAppid=1&CallbackCommand=OfficialAccount.CallbackAfterSendMsg"),
//! #     r#"{"CallbackCommand":"OfficialAccount.CallbackAfterSendMsg","Official_Account":"a",
//! #         "MsgKey":"k","MsgBody":[],"EventTime":1}"#.into());
//! # let runtime = tokio::runtime::Builder::new_current_thread().build()?;
//! # assert_eq!(runtime.block_on(webhook(&dedupe, delivery()?)), Answer::ok());
//! # assert_eq!(runtime.block_on(webhook(&dedupe, delivery()?)), Answer::ok());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! A handler that returns `Result<Answer, E>` gets `Ok(Answer::ok())` for a repeat, and
//! its `Err` releases the identity (see [`Outcome`]).
//!
//! # On a mounted handler
//!
//! Wrap the [`WebhookHandler`] (usually [`Handlers`](crate::Handlers)) in [`Deduplicated`]
//! before giving it to the adapter's `handle`:
//!
//! ```
//! use tencent_chat_webhook::Handlers;
//! use tencent_chat_webhook::dedupe::{Dedupe, Deduplicated, MemoryStore};
//! # use tencent_chat_webhook::official_channel::OfficialChannelHandler;
//! # struct Logger;
//! # impl OfficialChannelHandler for Logger {}
//!
//! let handler = Deduplicated::new(
//!     Handlers::new().official_channel(Logger),
//!     Dedupe::new(MemoryStore::new()),
//! );
//! // axum: `post(handle(handler))`; actix-web: `web::post().to(handle(handler))`.
//! # drop(handler);
//! ```
//!
//! # Identities
//!
//! [`Delivery::delivery_id`](crate::Delivery::delivery_id) gives a delivery's identity: its
//! `SdkAppid` and `CallbackCommand`, then the event's natural key
//! ([`Event::delivery_key`]) where it has one,
//! otherwise the SHA-256 digest of the command and the raw body (Tencent's retry sends
//! the same body).
//!
//! | command | identity after `{SdkAppid}:{CallbackCommand}:` |
//! |---|---|
//! | `OfficialAccount.CallbackAfterSendMsg` | `key:` and its `MsgKey` |
//! | `OfficialAccount.CallbackAfterMsgWithDraw` | `key:` and the `MsgKey`s of `WithdrawMsgList`, joined by `,` (the digest when the list is empty) |
//! | `C2C.CallbackAfterSendMsg` | `key:` and its `MsgKey` |
//! | `Group.CallbackAfterSendMsg` | `key:` and `{GroupId}/{TopicId or -}/{MsgSeq}` |
//! | every other after-webhook, and commands the library does not model | `sha256:` and the digest of command and body |
//! | before-webhooks | not deduplicated |
//!
//! A natural key over 128 bytes or with bytes outside printable ASCII is replaced by its
//! digest (`keysha256:`).
//!
//! # Limits
//!
//! - A retry that arrives while the first attempt is still running is a duplicate too:
//!   it is answered OK at once. If that first attempt then fails, its identity is released
//!   but Tencent, having had its OK, does not send the delivery again.
//! - [`RedisStore`] releases with a plain `DEL`: a handler that outlives the time to
//!   live and then fails deletes a claim another instance made since. Keep the time to
//!   live well above the handler's longest run.

mod id;
mod memory;
#[cfg(feature = "redis")]
mod redis;
mod store;

use std::fmt;
use std::future::Future;
use std::panic::{AssertUnwindSafe, resume_unwind};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use futures_util::FutureExt;

pub use self::id::DeliveryId;
pub(crate) use self::id::NoNaturalKey;
pub use self::memory::MemoryStore;
#[cfg(feature = "redis")]
#[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
pub use self::redis::{RedisStore, RedisStoreBuilder};
use self::store::Chain;
pub use self::store::{Claim, DeliveryStore, StoreError};
use crate::Answer;
use crate::observe;
use crate::pipeline::HandlerStage;
use crate::request::{CallbackCommand, Delivery, Event};
use crate::webhook::{WebhookEvent, WebhookHandler};

/// Runs the handler of each after-webhook delivery once: see [the module](self).
///
/// Cloning it is cheap, and clones share the store and the WARN rate limit.
#[derive(Clone)]
pub struct Dedupe {
    inner: Arc<Inner>,
}

struct Inner {
    store: Arc<dyn DeliveryStore>,
    ttl: Duration,
    warnings: Throttle,
}

impl Dedupe {
    /// How long an identity is kept unless told otherwise: 10 minutes.
    pub const DEFAULT_TTL: Duration = Duration::from_secs(600);

    /// Deduplicates through `store`, keeping each identity for [`Dedupe::DEFAULT_TTL`].
    pub fn new(store: impl DeliveryStore) -> Self {
        Self::with_ttl(store, Self::DEFAULT_TTL)
    }

    /// Deduplicates through `store`, keeping each identity for `ttl`: longer than Tencent
    /// takes to retry, and than the handler's longest run.
    pub fn with_ttl(store: impl DeliveryStore, ttl: Duration) -> Self {
        Self {
            inner: Arc::new(Inner {
                store: Arc::new(store),
                ttl,
                warnings: Throttle::new(Duration::from_secs(1)),
            }),
        }
    }

    /// How long each identity is kept.
    pub fn ttl(&self) -> Duration {
        self.inner.ttl
    }

    /// Runs `handler`, the handling of `delivery`, unless `delivery` is a repeat: then
    /// answers [`Outcome::duplicate`] (OK) without polling `handler`. A before-webhook is
    /// always handled.
    ///
    /// If `handler` fails ([`Outcome::is_failure`]), panics, or is dropped unfinished, the
    /// identity is released so that a retry is handled; a panic is resumed after that.
    pub async fn run<E, F>(&self, delivery: &Delivery<E>, handler: F) -> F::Output
    where
        E: Event,
        F: Future,
        F::Output: Outcome,
    {
        let command = delivery.query.callback_command();
        if command.is_before() {
            return handler.await;
        }
        let stage = delivery.stage.clone();
        self.claim_and_run(command, delivery.delivery_id(), stage, handler)
            .await
    }

    /// [`run`](Self::run) for a handler that takes the delivery itself: read its command and
    /// [`delivery_id`](Delivery::delivery_id) first. A before-webhook `command` is always
    /// handled.
    ///
    /// A repeat is counted as a `duplicate` in the [metrics](crate::observe); on a route with
    /// the answer-deadline layer it is then counted as handled too, which [`run`](Self::run)
    /// avoids.
    pub async fn run_as<F>(
        &self,
        command: &CallbackCommand,
        id: DeliveryId,
        handler: F,
    ) -> F::Output
    where
        F: Future,
        F::Output: Outcome,
    {
        self.claim_and_run(command, id, None, handler).await
    }

    /// Claims `id` and runs `handler`, or answers a repeat and counts it as a duplicate of
    /// the request whose handler stage is `stage`.
    async fn claim_and_run<F>(
        &self,
        command: &CallbackCommand,
        id: DeliveryId,
        stage: Option<HandlerStage>,
        handler: F,
    ) -> F::Output
    where
        F: Future,
        F::Output: Outcome,
    {
        if command.is_before() {
            return handler.await;
        }
        let inner = &*self.inner;
        match inner.store.claim(&id, inner.ttl).await {
            Ok(Claim::Claimed) => {}
            Ok(Claim::Duplicate) => {
                tracing::info!(
                    delivery = ?id.as_str(),
                    "duplicate delivery answered OK without calling the handler"
                );
                observe::duplicate_of(command, stage.as_ref());
                return F::Output::duplicate();
            }
            Err(error) => {
                if let Some(suppressed) = inner.warnings.allow() {
                    tracing::warn!(
                        delivery = ?id.as_str(),
                        suppressed,
                        "delivery store unreachable, handling the delivery without \
                         deduplication: {}",
                        Chain(&error)
                    );
                }
                return handler.await;
            }
        }
        // Until the handler has succeeded, dropping this releases the identity.
        let guard = Release {
            dedupe: self,
            id: Some(id),
        };
        match AssertUnwindSafe(handler).catch_unwind().await {
            Ok(outcome) if !outcome.is_failure() => {
                guard.disarm();
                outcome
            }
            Ok(outcome) => {
                guard.release("the handler failed").await;
                outcome
            }
            Err(panic) => {
                guard.release("the handler panicked").await;
                resume_unwind(panic)
            }
        }
    }

    async fn release(&self, id: &DeliveryId, why: &str) {
        match self.inner.store.release(id).await {
            Ok(()) => tracing::debug!(delivery = ?id.as_str(), "{why}: delivery released"),
            Err(error) => self.release_failed(id, &error),
        }
    }

    fn release_failed(&self, id: &DeliveryId, error: &StoreError) {
        if let Some(suppressed) = self.inner.warnings.allow() {
            tracing::warn!(
                delivery = ?id.as_str(),
                suppressed,
                "delivery store unreachable, the delivery stays claimed until its time to \
                 live ends: {}",
                Chain(error)
            );
        }
    }
}

impl fmt::Debug for Dedupe {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Dedupe")
            .field("store", &self.inner.store)
            .field("ttl", &self.inner.ttl)
            .finish()
    }
}

/// Releases a claimed identity unless disarmed: on failure, and when the handler is
/// dropped before it finished (its request went away).
struct Release<'a> {
    dedupe: &'a Dedupe,
    id: Option<DeliveryId>,
}

impl Release<'_> {
    fn disarm(mut self) {
        self.id = None;
    }

    async fn release(mut self, why: &str) {
        if let Some(id) = &self.id {
            self.dedupe.release(id, why).await;
        }
        self.id = None;
    }
}

impl Drop for Release<'_> {
    fn drop(&mut self) {
        let Some(id) = self.id.take() else {
            return;
        };
        // Dropped unfinished: release from a task of its own, since a drop cannot wait.
        let dedupe = self.dedupe.clone();
        match tokio::runtime::Handle::try_current() {
            Ok(runtime) => {
                runtime.spawn(async move {
                    dedupe.release(&id, "the handler was cancelled").await;
                });
            }
            Err(_) => {
                let error = StoreError::new("no Tokio runtime to release it from");
                dedupe.release_failed(&id, &error);
            }
        }
    }
}

/// A [`WebhookHandler`] whose after-webhooks are handled once: a repeat within the time
/// to live is answered OK without calling `handler`, and before-webhooks always reach it.
/// See [the module](self).
pub struct Deduplicated<H> {
    handler: H,
    dedupe: Dedupe,
}

impl<H: WebhookHandler> Deduplicated<H> {
    /// `handler`, deduplicated through `dedupe`.
    pub fn new(handler: H, dedupe: Dedupe) -> Self {
        Self { handler, dedupe }
    }
}

#[async_trait]
impl<H: WebhookHandler> WebhookHandler for Deduplicated<H> {
    async fn handle(&self, delivery: Delivery<WebhookEvent>) -> Answer {
        let command = delivery.query.callback_command().clone();
        if command.is_before() {
            return self.handler.handle(delivery).await;
        }
        let id = delivery.delivery_id();
        let stage = delivery.stage.clone();
        self.dedupe
            .claim_and_run(&command, id, stage, self.handler.handle(delivery))
            .await
    }
}

impl<H> fmt::Debug for Deduplicated<H> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Deduplicated")
            .field("dedupe", &self.dedupe)
            .finish_non_exhaustive()
    }
}

/// What a handler gives back, as far as [`Dedupe`] is concerned: the answer to a repeat,
/// and whether the handler failed (and so its identity is released for a retry).
pub trait Outcome {
    /// What a repeated delivery gets instead of calling the handler: OK.
    fn duplicate() -> Self;

    /// Whether the handler failed, so that Tencent's retry must be handled.
    fn is_failure(&self) -> bool;
}

/// A repeat gets [`Answer::ok()`]; an answer other than HTTP 200 (which Tencent counts
/// as a failed webhook) is a failure.
impl Outcome for Answer {
    fn duplicate() -> Self {
        Answer::ok()
    }

    fn is_failure(&self) -> bool {
        !self.status().is_success()
    }
}

/// A repeat gets `Ok` of the inner outcome's; `Err` is a failure.
impl<T: Outcome, E> Outcome for Result<T, E> {
    fn duplicate() -> Self {
        Ok(T::duplicate())
    }

    fn is_failure(&self) -> bool {
        self.as_ref().is_ok_and(T::is_failure) || self.is_err()
    }
}

/// For after-webhook methods, which return nothing: only a panic is a failure.
impl Outcome for () {
    fn duplicate() -> Self {}

    fn is_failure(&self) -> bool {
        false
    }
}

/// Lets one event through per period, and counts the others.
struct Throttle {
    start: Instant,
    period_ms: u64,
    /// When the last event was let through, in ms since `start`; `u64::MAX` for never.
    last: AtomicU64,
    suppressed: AtomicU64,
}

impl Throttle {
    fn new(period: Duration) -> Self {
        Self {
            start: Instant::now(),
            period_ms: u64::try_from(period.as_millis()).unwrap_or(u64::MAX),
            last: AtomicU64::new(u64::MAX),
            suppressed: AtomicU64::new(0),
        }
    }

    /// `Some(how many were held back since the last one let through)`, or `None` to hold
    /// this one back.
    fn allow(&self) -> Option<u64> {
        let now = u64::try_from(self.start.elapsed().as_millis()).unwrap_or(u64::MAX - 1);
        let last = self.last.load(Ordering::Relaxed);
        let due = last == u64::MAX || now.saturating_sub(last) >= self.period_ms;
        if due
            && self
                .last
                .compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed)
                .is_ok()
        {
            Some(self.suppressed.swap(0, Ordering::Relaxed))
        } else {
            self.suppressed.fetch_add(1, Ordering::Relaxed);
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_throttle_lets_one_through_per_period() {
        let throttle = Throttle::new(Duration::from_millis(100));
        assert_eq!(throttle.allow(), Some(0));
        assert_eq!(throttle.allow(), None);
        assert_eq!(throttle.allow(), None);
        std::thread::sleep(Duration::from_millis(100));
        assert_eq!(throttle.allow(), Some(2));
        assert_eq!(throttle.allow(), None);
    }

    #[test]
    fn outcomes() {
        assert!(!Answer::ok().is_failure());
        assert!(Answer::from(crate::Rejection::MissingConfig).is_failure());
        assert_eq!(Answer::duplicate(), Answer::ok());
        assert!(Result::<Answer, ()>::Err(()).is_failure());
        assert!(
            Result::<Answer, ()>::Ok(Answer::from(crate::Rejection::MissingConfig)).is_failure()
        );
        assert!(!Result::<Answer, ()>::Ok(Answer::ok()).is_failure());
        assert_eq!(Result::<Answer, ()>::duplicate(), Ok(Answer::ok()));
        assert!(!().is_failure());
    }
}
