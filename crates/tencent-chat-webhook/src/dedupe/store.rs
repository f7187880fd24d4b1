//! Where the identities of recently handled deliveries are kept.

use std::borrow::Cow;
use std::error::Error as StdError;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;

use super::DeliveryId;

/// A store of the identities of recently handled deliveries, each kept for a time to
/// live: [`MemoryStore`](super::MemoryStore) for one instance,
/// [`RedisStore`](super::RedisStore) (feature `redis`) for several sharing one Redis, or
/// your own.
///
/// [`claim`](Self::claim) must be atomic: of any number of claims of one identity made at
/// the same time, on any instance, at most one gets [`Claim::Claimed`] until the identity
/// expires or is released.
#[async_trait]
pub trait DeliveryStore: fmt::Debug + Send + Sync + 'static {
    /// Claims `id` for `ttl`: [`Claim::Claimed`] when no live claim of it exists (this one
    /// is now kept for `ttl`), [`Claim::Duplicate`] when one does.
    ///
    /// # Errors
    ///
    /// When the store cannot answer (unreachable, timed out); the delivery is then
    /// handled without deduplication.
    async fn claim(&self, id: &DeliveryId, ttl: Duration) -> Result<Claim, StoreError>;

    /// Forgets the claim of `id`, so that the next delivery with it is handled: called when
    /// the handler failed, panicked or was cancelled. Releasing an identity that is not
    /// claimed does nothing.
    ///
    /// # Errors
    ///
    /// When the store cannot answer; the claim then lasts until its time to live ends.
    async fn release(&self, id: &DeliveryId) -> Result<(), StoreError>;
}

#[async_trait]
impl<S: DeliveryStore + ?Sized> DeliveryStore for Arc<S> {
    async fn claim(&self, id: &DeliveryId, ttl: Duration) -> Result<Claim, StoreError> {
        (**self).claim(id, ttl).await
    }

    async fn release(&self, id: &DeliveryId) -> Result<(), StoreError> {
        (**self).release(id).await
    }
}

/// What a [`DeliveryStore::claim`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claim {
    /// The identity was not claimed: it now is, and the delivery is to be handled.
    Claimed,
    /// The identity was already claimed within its time to live: the delivery is a repeat.
    Duplicate,
}

/// A [`DeliveryStore`] could not answer.
#[derive(Debug)]
pub struct StoreError {
    message: Cow<'static, str>,
    source: Option<Box<dyn StdError + Send + Sync>>,
}

impl StoreError {
    /// An error that says `message`.
    pub fn new(message: impl Into<Cow<'static, str>>) -> Self {
        Self {
            message: message.into(),
            source: None,
        }
    }

    /// An error that says `message`, caused by `source`.
    pub fn with_source(
        message: impl Into<Cow<'static, str>>,
        source: impl Into<Box<dyn StdError + Send + Sync>>,
    ) -> Self {
        Self {
            message: message.into(),
            source: Some(source.into()),
        }
    }
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl StdError for StoreError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source
            .as_deref()
            .map(|source| source as &(dyn StdError + 'static))
    }
}

/// `error` and its sources, for one log line.
pub(super) struct Chain<'a>(pub(super) &'a StoreError);

impl fmt::Display for Chain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut shown = self.0.to_string();
        f.write_str(&shown)?;
        let mut source = self.0.source();
        while let Some(error) = source {
            // Some errors (Redis's among them) already end with their source's message.
            let message = error.to_string();
            if !shown.ends_with(&message) {
                write!(f, ": {message}")?;
            }
            shown = message;
            source = error.source();
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chain_shows_every_source() {
        let io = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "refused");
        let error = StoreError::with_source("Redis SET failed", io);
        assert_eq!(error.to_string(), "Redis SET failed");
        assert_eq!(Chain(&error).to_string(), "Redis SET failed: refused");
        assert_eq!(
            Chain(&StoreError::new("timed out")).to_string(),
            "timed out"
        );
    }

    #[test]
    fn a_source_already_in_its_error_s_message_is_shown_once() {
        #[derive(Debug)]
        struct Repeats(std::io::Error);
        impl fmt::Display for Repeats {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "connecting: {}", self.0)
            }
        }
        impl StdError for Repeats {
            fn source(&self) -> Option<&(dyn StdError + 'static)> {
                Some(&self.0)
            }
        }
        let io = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "refused");
        let error = StoreError::with_source("Redis SET failed", Repeats(io));
        assert_eq!(
            Chain(&error).to_string(),
            "Redis SET failed: connecting: refused"
        );
    }
}
