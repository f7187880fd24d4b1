//! Running each delivery's handler once: repeats, before-webhooks, failing, panicking and
//! cancelled handlers, and a store that cannot be reached.

mod support;

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tencent_chat_webhook::dedupe::{Dedupe, Deduplicated, DeliveryId, MemoryStore};
use tencent_chat_webhook::official_channel::BeforeSendMsgReply;
use tencent_chat_webhook::test_util::{self, Recorder};
use tencent_chat_webhook::webhook::Dispatcher;
use tencent_chat_webhook::{Answer, Delivery, Rejection, WebhookEvent};

use crate::support::logged;

/// The documented sample `name`, through the whole pipeline of the documented app.
fn deliver(name: &str) -> Delivery<WebhookEvent> {
    let request = test_util::sample(name).unwrap().doc_request();
    let config = test_util::doc_config().build().unwrap();
    config
        .receive(Some(&request.query()), request.body())
        .unwrap()
}

/// Runs `future` on a runtime of this thread, so that what it logs is this test's.
fn block_on<F: Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(future)
}

/// A handler's work: counts its calls and answers `answer`.
async fn handle(calls: &AtomicUsize, answer: Answer) -> Answer {
    calls.fetch_add(1, Ordering::SeqCst);
    answer
}

#[test]
fn a_repeat_is_answered_ok_without_the_handler_and_logged_at_info() {
    let dedupe = Dedupe::new(MemoryStore::new());
    let calls = AtomicUsize::new(0);
    let delivery = deliver("official_channel/after_send_msg");
    let log = logged(|| {
        block_on(async {
            let refused = refused();
            // The first answer is the handler's, whatever it is.
            assert_eq!(
                dedupe.run(&delivery, handle(&calls, refused.clone())).await,
                refused
            );
            assert_eq!(
                dedupe.run(&delivery, handle(&calls, refused)).await,
                Answer::ok()
            );
        });
    });
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    assert_eq!(
        log,
        "INFO message=duplicate delivery answered OK without calling the handler \
         delivery=\"1400000000:OfficialAccount.CallbackAfterSendMsg:key:71_1_1698741698\"\n"
    );
}

/// An answer that is not plain OK, but still a success (HTTP 200).
fn refused() -> Answer {
    BeforeSendMsgReply::Refuse.into()
}

#[test]
fn other_deliveries_are_each_handled() {
    let dedupe = Dedupe::new(MemoryStore::new());
    let calls = AtomicUsize::new(0);
    block_on(async {
        for sample in test_util::samples() {
            let delivery = deliver(sample.name);
            dedupe.run(&delivery, handle(&calls, Answer::ok())).await;
        }
        // The same MsgKey under another app is another delivery.
        let request = test_util::sample("official_channel/after_send_msg")
            .unwrap()
            .request(1400000001)
            .signed(test_util::DOC_TOKEN, test_util::DOC_REQUEST_TIME);
        let other_app: Delivery<WebhookEvent> = test_util::doc_config()
            .app(1400000001, [test_util::DOC_TOKEN])
            .build()
            .unwrap()
            .receive(Some(&request.query()), request.body())
            .unwrap();
        assert_eq!(other_app.query.sdk_app_id(), 1400000001);
        dedupe.run(&other_app, handle(&calls, Answer::ok())).await;
    });
    assert_eq!(calls.load(Ordering::SeqCst), test_util::samples().len() + 1);
}

#[test]
fn before_webhooks_are_never_deduplicated() {
    let store = Arc::new(MemoryStore::new());
    let dedupe = Dedupe::new(Arc::clone(&store));
    let calls = AtomicUsize::new(0);
    let befores: Vec<_> = test_util::samples()
        .iter()
        .filter(|sample| sample.callback_command().is_before())
        .collect();
    assert!(befores.len() >= 3);
    let refused = refused();
    block_on(async {
        for sample in &befores {
            let delivery = deliver(sample.name);
            for _ in 0..2 {
                // Each repeat gets the handler's verdict, never a blanket OK.
                assert_eq!(
                    dedupe.run(&delivery, handle(&calls, refused.clone())).await,
                    refused
                );
            }
        }
    });
    assert_eq!(calls.load(Ordering::SeqCst), 2 * befores.len());
    assert!(store.is_empty(), "a before-webhook was claimed");
}

#[test]
fn a_failing_handler_releases_the_delivery_for_the_retry() {
    let dedupe = Dedupe::new(MemoryStore::new());
    let calls = AtomicUsize::new(0);
    let delivery = deliver("official_channel/after_send_msg");
    block_on(async {
        // An answer other than HTTP 200: Tencent counts the webhook as failed.
        let failed = Answer::from(Rejection::MissingConfig);
        assert_eq!(
            dedupe.run(&delivery, handle(&calls, failed.clone())).await,
            failed
        );
        // A handler's `Err`.
        let erred: Result<Answer, &str> = dedupe
            .run(&delivery, async {
                calls.fetch_add(1, Ordering::SeqCst);
                Err("database down")
            })
            .await;
        assert_eq!(erred, Err("database down"));
        // The retry is handled, and then it is done.
        dedupe.run(&delivery, handle(&calls, Answer::ok())).await;
        dedupe.run(&delivery, handle(&calls, Answer::ok())).await;
    });
    assert_eq!(calls.load(Ordering::SeqCst), 3);
}

#[test]
fn a_panicking_handler_releases_the_delivery_and_the_panic_goes_on() {
    let dedupe = Dedupe::new(MemoryStore::new());
    let calls = Arc::new(AtomicUsize::new(0));
    block_on(async {
        let (first, handled) = (dedupe.clone(), Arc::clone(&calls));
        let panicked = tokio::spawn(async move {
            let delivery = deliver("official_channel/after_msg_with_draw");
            first
                .run(&delivery, async {
                    handled.fetch_add(1, Ordering::SeqCst);
                    if handled.load(Ordering::SeqCst) > 0 {
                        panic!("the handler broke");
                    }
                    Answer::ok()
                })
                .await
        })
        .await
        .unwrap_err();
        assert!(panicked.is_panic());
        let message = panicked.into_panic();
        assert_eq!(message.downcast_ref::<&str>(), Some(&"the handler broke"));

        let delivery = deliver("official_channel/after_msg_with_draw");
        dedupe.run(&delivery, handle(&calls, Answer::ok())).await;
    });
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

#[test]
fn a_cancelled_handler_releases_the_delivery() {
    let store = Arc::new(MemoryStore::new());
    let dedupe = Dedupe::new(Arc::clone(&store));
    let calls = AtomicUsize::new(0);
    let delivery = deliver("official_channel/after_send_msg");
    block_on(async {
        // The request goes away while the handler waits: its future is dropped.
        let slow = dedupe.run(&delivery, async {
            calls.fetch_add(1, Ordering::SeqCst);
            std::future::pending::<Answer>().await
        });
        assert!(
            tokio::time::timeout(Duration::from_millis(20), slow)
                .await
                .is_err()
        );
        // The release runs in a task of its own.
        tokio::task::yield_now().await;
        assert!(store.is_empty());
        dedupe.run(&delivery, handle(&calls, Answer::ok())).await;
    });
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

#[test]
fn a_mounted_handler_is_deduplicated_for_after_webhooks_only() {
    let recorder = Recorder::new();
    let store = Arc::new(MemoryStore::new());
    // What an adapter's `handle(Deduplicated::new(…))` holds.
    let mounted = Dispatcher::new(Deduplicated::new(
        recorder.clone(),
        Dedupe::new(Arc::clone(&store)),
    ));
    let plain = Dispatcher::new(recorder.clone());
    block_on(async {
        for name in [
            "official_channel/after_send_msg",
            "official_channel/after_send_msg",
            "official_channel/before_send_msg",
            "official_channel/before_send_msg",
        ] {
            let delivery = deliver(name);
            let command = delivery.query.callback_command().clone();
            let answer = mounted.dispatch(delivery, |answer| answer).await;
            assert_eq!(answer.body(), Recorder::answer_body(&command), "{name}");
        }
        // Without `Deduplicated`, every delivery reaches the handler.
        plain
            .dispatch(deliver("official_channel/after_send_msg"), drop)
            .await;
    });
    assert_eq!(
        recorder
            .commands()
            .iter()
            .map(|command| command.as_str())
            .collect::<Vec<_>>(),
        [
            "OfficialAccount.CallbackAfterSendMsg",
            "OfficialAccount.CallbackBeforeSendMsg",
            "OfficialAccount.CallbackBeforeSendMsg",
            "OfficialAccount.CallbackAfterSendMsg",
        ]
    );
    assert_eq!(store.len(), 1);
}

#[test]
fn run_as_takes_a_delivery_moved_into_its_handler() {
    let dedupe = Dedupe::new(MemoryStore::new());
    let calls = AtomicUsize::new(0);
    block_on(async {
        for _ in 0..2 {
            let delivery = deliver("official_channel/after_official_account_full");
            let command = delivery.query.callback_command().clone();
            let id: DeliveryId = delivery.delivery_id();
            let owned = async {
                drop(delivery);
                handle(&calls, Answer::ok()).await
            };
            assert_eq!(dedupe.run_as(&command, id, owned).await, Answer::ok());
        }
    });
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

/// A Redis that is not there: every delivery is handled, and the WARN comes at most once
/// a second.
#[cfg(feature = "redis")]
#[test]
fn an_unreachable_store_handles_every_delivery_and_warns_once_a_second() {
    use std::time::Instant;
    use tencent_chat_webhook::dedupe::RedisStore;

    // A port nothing listens on: bound, then closed.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let calls = AtomicUsize::new(0);
    let delivery = deliver("official_channel/after_send_msg");
    let mut took = Duration::ZERO;
    let log = logged(|| {
        block_on(async {
            let store = RedisStore::new(&format!("redis://127.0.0.1:{port}")).unwrap();
            let dedupe = Dedupe::new(store);
            let start = Instant::now();
            for _ in 0..20 {
                let answer = dedupe.run(&delivery, handle(&calls, Answer::ok())).await;
                assert_eq!(answer, Answer::ok());
            }
            took = start.elapsed();
            tokio::time::sleep(Duration::from_millis(1000)).await;
            dedupe.run(&delivery, handle(&calls, Answer::ok())).await;
        });
    });
    assert_eq!(
        calls.load(Ordering::SeqCst),
        21,
        "every delivery is handled"
    );
    assert!(took < Duration::from_secs(1), "20 deliveries took {took:?}");
    let warnings: Vec<_> = log.lines().filter(|l| l.starts_with("WARN")).collect();
    assert_eq!(warnings.len(), 2, "{log}");
    assert!(
        warnings[0].contains("delivery store unreachable, handling the delivery without deduplication: Redis SET failed")
            && warnings[0].contains("suppressed=0"),
        "{log}"
    );
    assert!(warnings[1].contains("suppressed=19"), "{log}");
    assert_eq!(log.lines().count(), 2, "{log}");
}
