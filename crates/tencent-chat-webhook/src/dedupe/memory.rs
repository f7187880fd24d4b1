//! The store of one instance: identities in a map, swept as they expire.

use std::collections::{HashMap, VecDeque};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use async_trait::async_trait;

use super::{Claim, DeliveryId, DeliveryStore, StoreError};

/// The longest a claim is kept, so that no time to live overflows the clock.
const MAX_TTL: Duration = Duration::from_secs(365 * 24 * 3600);

/// A [`DeliveryStore`] in this process's memory, for a service that runs as one
/// instance (several instances each keep their own: use
/// [`RedisStore`](super::RedisStore) for those).
///
/// Every claim first sweeps the claims that have expired, oldest first, so the store holds
/// at most the deliveries claimed within the time to live (about 100 bytes each plus the
/// identity; at 100 deliveries a second and the default 10 minutes, 60,000 of them).
/// Sweeping goes in the order of claiming, so when time-to-lives differ, a claim that
/// expired behind a longer-lived one is freed when that one is (it is already treated as
/// expired).
#[derive(Debug, Default)]
pub struct MemoryStore {
    claims: Mutex<Claims>,
}

#[derive(Debug, Default)]
struct Claims {
    /// Each live claim, and when it expires.
    expiry: HashMap<DeliveryId, Instant>,
    /// Every claim made, in order, to sweep the map without scanning it.
    made: VecDeque<(Instant, DeliveryId)>,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// How many claims it holds, including expired ones not swept yet.
    pub fn len(&self) -> usize {
        self.lock().expiry.len()
    }

    /// Whether it holds no claim.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> MutexGuard<'_, Claims> {
        // Nothing panics while holding the lock; a poisoned one is still consistent.
        self.claims.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn claim_now(&self, id: &DeliveryId, ttl: Duration, now: Instant) -> Claim {
        let mut claims = self.lock();
        claims.sweep(now);
        if claims.expiry.get(id).is_some_and(|expires| *expires > now) {
            return Claim::Duplicate;
        }
        let expires = now + ttl.min(MAX_TTL);
        claims.expiry.insert(id.clone(), expires);
        claims.made.push_back((expires, id.clone()));
        Claim::Claimed
    }
}

impl Claims {
    fn sweep(&mut self, now: Instant) {
        while let Some((expires, _)) = self.made.front() {
            if *expires > now {
                break;
            }
            let Some((expires, id)) = self.made.pop_front() else {
                break;
            };
            // A claim released and made again has a later entry of its own.
            if self.expiry.get(&id) == Some(&expires) {
                self.expiry.remove(&id);
            }
        }
    }
}

#[async_trait]
impl DeliveryStore for MemoryStore {
    async fn claim(&self, id: &DeliveryId, ttl: Duration) -> Result<Claim, StoreError> {
        Ok(self.claim_now(id, ttl, Instant::now()))
    }

    async fn release(&self, id: &DeliveryId) -> Result<(), StoreError> {
        self.lock().expiry.remove(id);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::future::Future;
    use std::pin::pin;
    use std::task::{Context, Poll, Waker};

    use super::*;
    use crate::request::CallbackCommand;

    /// Runs a future of the store, which never waits.
    fn run<F: Future>(future: F) -> F::Output {
        match pin!(future).poll(&mut Context::from_waker(Waker::noop())) {
            Poll::Ready(output) => output,
            Poll::Pending => panic!("the store waited"),
        }
    }

    const TTL: Duration = Duration::from_secs(600);

    fn id(key: &str) -> DeliveryId {
        DeliveryId::natural(1, &CallbackCommand::OfficialAccountAfterSendMsg, key)
    }

    #[test]
    fn a_repeat_within_the_ttl_is_a_duplicate() {
        let store = MemoryStore::new();
        let start = Instant::now();
        assert_eq!(store.claim_now(&id("a"), TTL, start), Claim::Claimed);
        assert_eq!(store.claim_now(&id("b"), TTL, start), Claim::Claimed);
        let later = start + TTL - Duration::from_millis(1);
        assert_eq!(store.claim_now(&id("a"), TTL, later), Claim::Duplicate);
        assert_eq!(store.len(), 2);
    }

    #[test]
    fn an_expired_claim_is_claimed_again() {
        let store = MemoryStore::new();
        let start = Instant::now();
        assert_eq!(store.claim_now(&id("a"), TTL, start), Claim::Claimed);
        assert_eq!(store.claim_now(&id("a"), TTL, start + TTL), Claim::Claimed);
        assert_eq!(
            store.claim_now(&id("a"), TTL, start + TTL + Duration::from_secs(1)),
            Claim::Duplicate
        );
    }

    #[test]
    fn a_released_claim_is_claimed_again_and_keeps_its_new_ttl() {
        let store = MemoryStore::new();
        let start = Instant::now();
        store.claim_now(&id("a"), TTL, start);
        run(store.release(&id("a"))).unwrap();
        assert!(store.is_empty());
        // Releasing what is not claimed does nothing.
        run(store.release(&id("a"))).unwrap();
        let again = start + Duration::from_secs(1);
        assert_eq!(store.claim_now(&id("a"), TTL, again), Claim::Claimed);
        // Sweeping the first claim's entry leaves the second claim alone.
        assert_eq!(
            store.claim_now(&id("a"), TTL, start + TTL),
            Claim::Duplicate
        );
        assert_eq!(store.claim_now(&id("a"), TTL, again + TTL), Claim::Claimed);
    }

    #[test]
    fn expired_claims_are_swept_so_the_store_stays_bounded() {
        let store = MemoryStore::new();
        let start = Instant::now();
        let ttl = Duration::from_secs(10);
        for n in 0..10_000 {
            store.claim_now(&id(&n.to_string()), ttl, start);
        }
        assert_eq!(store.len(), 10_000);
        store.claim_now(&id("last"), ttl, start + ttl);
        assert_eq!(store.len(), 1);
        assert_eq!(store.lock().made.len(), 1);
    }

    #[test]
    fn the_clock_is_read_by_the_trait_methods() {
        let store = MemoryStore::new();
        assert_eq!(run(store.claim(&id("a"), TTL)).unwrap(), Claim::Claimed);
        assert_eq!(run(store.claim(&id("a"), TTL)).unwrap(), Claim::Duplicate);
        let short = Duration::from_millis(20);
        assert_eq!(run(store.claim(&id("b"), short)).unwrap(), Claim::Claimed);
        std::thread::sleep(short);
        assert_eq!(run(store.claim(&id("b"), short)).unwrap(), Claim::Claimed);
    }

    #[test]
    fn a_huge_ttl_does_not_overflow_and_lasts() {
        let store = MemoryStore::new();
        let now = Instant::now();
        assert_eq!(
            store.claim_now(&id("a"), Duration::MAX, now),
            Claim::Claimed
        );
        let much_later = now + Duration::from_secs(30 * 24 * 3600);
        assert_eq!(store.claim_now(&id("a"), TTL, much_later), Claim::Duplicate);
    }
}
