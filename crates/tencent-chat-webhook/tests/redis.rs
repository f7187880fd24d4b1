//! `RedisStore` against a real `redis-server`: the one at `REDIS_URL` (`.ci/run` starts one
//! and sets it), and for the outage test one of its own that it stops and starts again.
//! Without `REDIS_URL` each test says it was skipped, and why.
#![cfg(feature = "redis")]

use std::collections::HashMap;
use std::io::Write as _;
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use tencent_chat_webhook::dedupe::{
    Claim, Dedupe, DeliveryId, DeliveryStore, RedisStore, StoreError,
};
use tencent_chat_webhook::test_util::{self, WebhookRequest};
use tencent_chat_webhook::{Answer, CallbackCommand, Delivery, WebhookEvent};

/// `REDIS_URL`, or `None` after saying on the terminal that `test` was skipped and why.
fn redis_url(test: &str) -> Option<String> {
    match std::env::var("REDIS_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            // Straight to stderr: the test harness would hide a `println!` of a passing test.
            let _ = writeln!(
                std::io::stderr(),
                "{test}: SKIPPED, REDIS_URL is not set (.ci/run starts a redis-server and \
                 sets it; or run `redis-server --port 6379` and set \
                 REDIS_URL=redis://127.0.0.1:6379)"
            );
            None
        }
    }
}

/// A prefix no other run or test uses, so that tests sharing one Redis never meet.
fn unique_prefix(test: &str) -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("tcwebhook-test:{test}:{}:{nanos}:", std::process::id())
}

fn store(url: &str, prefix: &str) -> RedisStore {
    RedisStore::builder(url)
        .prefix(prefix)
        .timeout(Duration::from_secs(2))
        .build()
        .unwrap()
}

fn id(key: &str) -> DeliveryId {
    DeliveryId::natural(
        1400000000,
        &CallbackCommand::OfficialAccountAfterSendMsg,
        key,
    )
}

/// A plain Redis command, to look at what the store wrote.
async fn redis_query<T: redis::FromRedisValue>(url: &str, command: &redis::Cmd) -> T {
    let client = redis::Client::open(url).unwrap();
    let mut connection = client.get_multiplexed_async_connection().await.unwrap();
    command.query_async(&mut connection).await.unwrap()
}

#[tokio::test]
async fn claim_repeat_expiry_and_release_on_a_real_redis() {
    let Some(url) = redis_url("claim_repeat_expiry_and_release_on_a_real_redis") else {
        return;
    };
    let prefix = unique_prefix("claim");
    let store = store(&url, &prefix);
    let ttl = Duration::from_secs(60);

    assert_eq!(store.claim(&id("a"), ttl).await.unwrap(), Claim::Claimed);
    assert_eq!(store.claim(&id("a"), ttl).await.unwrap(), Claim::Duplicate);
    assert_eq!(store.claim(&id("b"), ttl).await.unwrap(), Claim::Claimed);

    // One key under the prefix, expiring within the time to live.
    let key = format!("{prefix}1400000000:OfficialAccount.CallbackAfterSendMsg:key:a");
    assert_eq!(store.key(&id("a")), key);
    let pttl: i64 = redis_query(&url, redis::cmd("PTTL").arg(&key)).await;
    assert!((59_000..=60_000).contains(&pttl), "PTTL {pttl}");

    store.release(&id("a")).await.unwrap();
    let exists: bool = redis_query(&url, redis::cmd("EXISTS").arg(&key)).await;
    assert!(!exists);
    assert_eq!(store.claim(&id("a"), ttl).await.unwrap(), Claim::Claimed);
    // Releasing what is not claimed does nothing.
    store.release(&id("never")).await.unwrap();

    // A short time to live ends, and the identity is claimed again.
    let short = Duration::from_millis(50);
    assert_eq!(store.claim(&id("c"), short).await.unwrap(), Claim::Claimed);
    assert_eq!(
        store.claim(&id("c"), short).await.unwrap(),
        Claim::Duplicate
    );
    tokio::time::sleep(Duration::from_millis(80)).await;
    assert_eq!(store.claim(&id("c"), short).await.unwrap(), Claim::Claimed);

    for key in ["a", "b", "c"] {
        store.release(&id(key)).await.unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_stores_sharing_one_redis_agree() {
    let Some(url) = redis_url("two_stores_sharing_one_redis_agree") else {
        return;
    };
    let prefix = unique_prefix("two");
    // Two instances: each its own store and connection, one Redis.
    let stores = [store(&url, &prefix), store(&url, &prefix)];
    let ttl = Duration::from_secs(60);

    assert_eq!(
        stores[0].claim(&id("x"), ttl).await.unwrap(),
        Claim::Claimed
    );
    assert_eq!(
        stores[1].claim(&id("x"), ttl).await.unwrap(),
        Claim::Duplicate
    );
    stores[1].release(&id("x")).await.unwrap();
    assert_eq!(
        stores[0].claim(&id("x"), ttl).await.unwrap(),
        Claim::Claimed
    );

    // Sixteen claims of each of 20 identities at once, half on each store: one wins each.
    let mut tasks = Vec::new();
    for n in 0..20 {
        for attempt in 0..16 {
            let store = stores[attempt % 2].clone();
            tasks.push(tokio::spawn(async move {
                (
                    n,
                    store.claim(&id(&format!("race-{n}")), ttl).await.unwrap(),
                )
            }));
        }
    }
    let mut claimed = HashMap::new();
    for task in tasks {
        let (n, claim) = task.await.unwrap();
        if claim == Claim::Claimed {
            *claimed.entry(n).or_insert(0) += 1;
        }
    }
    assert_eq!(claimed.len(), 20);
    assert!(claimed.values().all(|&wins| wins == 1), "{claimed:?}");

    for n in 0..20 {
        stores[0].release(&id(&format!("race-{n}"))).await.unwrap();
    }
    stores[0].release(&id("x")).await.unwrap();
}

/// A `redis-server` of this test's own, on a free loopback port, in a folder of its own.
struct Server {
    port: u16,
    dir: PathBuf,
    child: Option<Child>,
}

impl Server {
    fn start(port: u16, dir: PathBuf) -> Result<Self, String> {
        let child = Command::new("redis-server")
            .args(["--bind", "127.0.0.1", "--port", &port.to_string()])
            .args(["--save", "", "--appendonly", "no"])
            .arg("--dir")
            .arg(&dir)
            .stdout(Stdio::null())
            .spawn()
            .map_err(|error| format!("redis-server could not be started: {error}"))?;
        let server = Self {
            port,
            dir,
            child: Some(child),
        };
        let deadline = Instant::now() + Duration::from_secs(5);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "redis-server did not start");
            std::thread::sleep(Duration::from_millis(10));
        }
        Ok(server)
    }

    fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    /// Kills it (only this child, by its id) and waits until it is gone.
    fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            child.kill().unwrap();
            child.wait().unwrap();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// An after-send of the documented app with its own `MsgKey`.
fn after_send(key: &str) -> Delivery<WebhookEvent> {
    let sample = test_util::sample("official_channel/after_send_msg").unwrap();
    let body = String::from_utf8(sample.doc_request().body().to_vec()).unwrap();
    let request = WebhookRequest::raw(
        test_util::DOC_SDK_APP_ID,
        sample.callback_command().as_str(),
        body.replace("71_1_1698741698", key),
    )
    .signed(test_util::DOC_TOKEN, test_util::DOC_REQUEST_TIME);
    let config = test_util::doc_config().build().unwrap();
    config
        .receive(Some(&request.query()), request.body())
        .unwrap()
}

/// Sends `keys` through `dedupe` eight at a time, each handler recording its key;
/// returns the answers.
async fn flow(dedupe: &Dedupe, handled: &Arc<Mutex<Vec<String>>>, keys: &[String]) -> Vec<Answer> {
    let mut answers = Vec::new();
    for batch in keys.chunks(8) {
        let mut tasks = Vec::new();
        for key in batch {
            let (dedupe, handled, key) = (dedupe.clone(), Arc::clone(handled), key.clone());
            tasks.push(tokio::spawn(async move {
                let delivery = after_send(&key);
                dedupe
                    .run(&delivery, async {
                        // A little work, so that requests are still flowing when Redis stops.
                        tokio::time::sleep(Duration::from_millis(2)).await;
                        handled.lock().unwrap().push(key.clone());
                        Answer::ok()
                    })
                    .await
            }));
        }
        for task in tasks {
            answers.push(task.await.unwrap());
        }
    }
    answers
}

/// Waits until `store` answers again, after Redis came back.
async fn until_reachable(store: &RedisStore) -> Result<(), StoreError> {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        match store.claim(&id("probe"), Duration::from_millis(1)).await {
            Ok(_) => return Ok(()),
            Err(error) if Instant::now() > deadline => return Err(error),
            Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_delivery_is_handled_while_redis_stops_and_starts_again() {
    let test = "every_delivery_is_handled_while_redis_stops_and_starts_again";
    if redis_url(test).is_none() {
        return;
    }
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let dir = std::env::temp_dir().join(unique_prefix("outage").replace(':', "-"));
    std::fs::create_dir_all(&dir).unwrap();
    let mut server = Server::start(port, dir.clone()).unwrap();
    let store = store(&server.url(), "outage:");
    let dedupe = Dedupe::new(store.clone());
    let handled = Arc::new(Mutex::new(Vec::new()));
    let keys = |phase: &str| (0..40).map(|n| format!("{phase}-{n}")).collect::<Vec<_>>();
    let mut sent = Vec::new();

    // Up: each delivery handled, and its repeat not.
    let up = keys("up");
    sent.extend(flow(&dedupe, &handled, &up).await);
    sent.extend(flow(&dedupe, &handled, &up).await);
    assert_eq!(handled.lock().unwrap().len(), 40);

    // Stopped while deliveries are in flight, then down.
    let during = keys("during");
    let in_flight = {
        let (dedupe, handled) = (dedupe.clone(), Arc::clone(&handled));
        tokio::spawn(async move { flow(&dedupe, &handled, &during).await })
    };
    while handled.lock().unwrap().len() < 40 + 12 {
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    server.stop();
    sent.extend(in_flight.await.unwrap());
    assert!(
        store
            .claim(&id("probe"), Duration::from_secs(1))
            .await
            .is_err()
    );
    let down = keys("down");
    sent.extend(flow(&dedupe, &handled, &down).await);
    assert_eq!(
        handled.lock().unwrap().len(),
        120,
        "a delivery was dropped while Redis was away"
    );

    // Started again on the same port: the store reconnects, and deduplicates again.
    let mut server = Server::start(port, dir).unwrap();
    until_reachable(&store).await.unwrap();
    let again = keys("again");
    sent.extend(flow(&dedupe, &handled, &again).await);
    sent.extend(flow(&dedupe, &handled, &again).await);

    assert!(sent.iter().all(|answer| *answer == Answer::ok()));
    assert_eq!(sent.len(), 40 * 6);
    let handled = handled.lock().unwrap();
    assert_eq!(handled.len(), 160);
    let mut distinct = handled.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), 160, "a delivery was handled twice");
    server.stop();
}
