//! The store that several instances share: one Redis decides.

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use async_trait::async_trait;
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::{Client, Value};

use super::{Claim, DeliveryId, DeliveryStore, StoreError};

/// A [`DeliveryStore`] in Redis, shared by every instance of a service: a claim is one
/// atomic `SET {prefix}{identity} {unix ms} NX PX {ttl}`, a release one `DEL`. Whichever
/// instance a retry lands on, the one Redis says whether its delivery was handled.
///
/// It holds one multiplexed connection (the `redis` crate's `ConnectionManager`), opened
/// on the first claim and opened again after Redis went away. Each claim and release
/// gives up after [`RedisStoreBuilder::timeout`] (default 250 ms), so that a Redis that is
/// down or slow costs a delivery at most that much of Tencent's 2 s: the delivery is then
/// handled without deduplication. Plain `redis://` URLs (and `redis+unix://`) are
/// understood; TLS is not built in.
///
/// ```no_run
/// # async fn start() -> Result<(), Box<dyn std::error::Error>> {
/// use tencent_chat_webhook::dedupe::{Dedupe, RedisStore};
///
/// // Inside the Tokio runtime that serves the requests.
/// let dedupe = Dedupe::new(RedisStore::new("redis://127.0.0.1:6379")?);
/// # drop(dedupe); Ok(()) }
/// ```
#[derive(Clone)]
pub struct RedisStore {
    connection: ConnectionManager,
    prefix: Arc<str>,
    timeout: Duration,
    /// Where Redis is, without any password the URL held.
    addr: String,
}

/// Settings of a [`RedisStore`]: see [`RedisStore::builder`].
#[derive(Clone)]
#[must_use]
pub struct RedisStoreBuilder {
    url: String,
    prefix: String,
    timeout: Duration,
}

impl fmt::Debug for RedisStoreBuilder {
    // The URL may hold a password.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisStoreBuilder")
            .field("url", &"<redacted>")
            .field("prefix", &self.prefix)
            .field("timeout", &self.timeout)
            .finish()
    }
}

impl RedisStore {
    /// The prefix of its keys unless told otherwise.
    pub const DEFAULT_PREFIX: &'static str = "tcwebhook:delivery:";
    /// How long a claim or release waits for Redis unless told otherwise.
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_millis(250);

    /// A store in the Redis at `url` (e.g. `redis://127.0.0.1:6379`,
    /// `redis://:password@host:6379/2`), with the default prefix and timeout. No
    /// connection is made yet.
    ///
    /// # Errors
    ///
    /// When `url` is not a Redis URL, or when this is not called inside a Tokio runtime
    /// (the connection's tasks run there).
    pub fn new(url: &str) -> Result<Self, StoreError> {
        Self::builder(url).build()
    }

    /// Settings for a store in the Redis at `url`, to change the prefix or timeout.
    pub fn builder(url: impl Into<String>) -> RedisStoreBuilder {
        RedisStoreBuilder {
            url: url.into(),
            prefix: Self::DEFAULT_PREFIX.to_owned(),
            timeout: Self::DEFAULT_TIMEOUT,
        }
    }

    /// The key that holds the claim of `id`.
    pub fn key(&self, id: &DeliveryId) -> String {
        format!("{}{id}", self.prefix)
    }

    async fn query(&self, command: &redis::Cmd, what: &'static str) -> Result<Value, StoreError> {
        let mut connection = self.connection.clone();
        within(self.timeout, what, async move {
            connection.send_packed_command(command).await
        })
        .await
    }
}

/// Runs `request`, giving up after `timeout`.
async fn within(
    timeout: Duration,
    what: &'static str,
    request: impl Future<Output = redis::RedisResult<Value>>,
) -> Result<Value, StoreError> {
    match tokio::time::timeout(timeout, request).await {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(error)) => Err(StoreError::with_source(
            format!("Redis {what} failed"),
            error,
        )),
        Err(_) => Err(StoreError::new(format!(
            "Redis {what} got no answer within {timeout:?}"
        ))),
    }
}

impl RedisStoreBuilder {
    /// The prefix of every key (default [`RedisStore::DEFAULT_PREFIX`]), so that several
    /// services can share one Redis.
    pub fn prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into();
        self
    }

    /// How long a claim or release waits for Redis, connecting included (default
    /// [`RedisStore::DEFAULT_TIMEOUT`]).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The store. No connection is made yet.
    ///
    /// # Errors
    ///
    /// When the URL is not a Redis URL, or when this is not called inside a Tokio
    /// runtime.
    pub fn build(self) -> Result<RedisStore, StoreError> {
        let client = Client::open(self.url.as_str())
            .map_err(|error| StoreError::with_source("not a Redis URL", error))?;
        if tokio::runtime::Handle::try_current().is_err() {
            return Err(StoreError::new(
                "a RedisStore must be made inside a Tokio runtime",
            ));
        }
        let addr = client.get_connection_info().addr().to_string();
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(self.timeout))
            .set_response_timeout(Some(self.timeout))
            // One attempt per request while Redis is away, rather than a back-off that
            // would hold each delivery for seconds; the next request tries again.
            .set_number_of_retries(0);
        let connection = ConnectionManager::new_lazy_with_config(client, config)
            .map_err(|error| StoreError::with_source("the Redis connection", error))?;
        Ok(RedisStore {
            connection,
            prefix: self.prefix.into(),
            timeout: self.timeout,
            addr,
        })
    }
}

impl fmt::Debug for RedisStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisStore")
            .field("addr", &self.addr)
            .field("prefix", &self.prefix)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

#[async_trait]
impl DeliveryStore for RedisStore {
    async fn claim(&self, id: &DeliveryId, ttl: Duration) -> Result<Claim, StoreError> {
        let claimed_at = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
            .as_millis();
        // PX takes whole milliseconds, at least one.
        let ttl_ms = ttl.as_millis().clamp(1, u128::from(u64::MAX));
        let mut set = redis::cmd("SET");
        set.arg(self.key(id))
            .arg(claimed_at.to_string())
            .arg("NX")
            .arg("PX")
            .arg(ttl_ms.to_string());
        match self.query(&set, "SET").await? {
            Value::Okay => Ok(Claim::Claimed),
            Value::Nil => Ok(Claim::Duplicate),
            other => Err(StoreError::new(format!(
                "Redis SET NX answered {other:?}, neither OK nor nil"
            ))),
        }
    }

    async fn release(&self, id: &DeliveryId) -> Result<(), StoreError> {
        let mut del = redis::cmd("DEL");
        del.arg(self.key(id));
        self.query(&del, "DEL").await.map(drop)
    }
}
