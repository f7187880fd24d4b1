//! The answer deadline over real HTTP: a slow handler is answered for at the deadline
//! and still runs to its end; a fast handler's answer and a rejection are untouched.
//! Each case runs on a handler mounted with `handle` and on a route of its own that
//! takes `Callback`. A handler also runs to its end when its client goes away.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::routing::post;
use tencent_chat_webhook::test_util::{
    self, AUTHENTICATION_FAILED_BODY, OK_BODY, REFUSED_BODY, WebhookRequest, malformed_body_body,
};
use tencent_chat_webhook_axum::config::FailureStrategy;
use tencent_chat_webhook_axum::official_channel::BeforeSendMsgReply;
use tencent_chat_webhook_axum::webhook::WebhookHandler;
use tencent_chat_webhook_axum::{
    Answer, AnswerDeadline, Callback, CallbackCommand, Delivery, Reply, WebhookEvent, async_trait,
    handle,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;

const DEADLINE: Duration = Duration::from_millis(200);
const SLOW: Duration = Duration::from_secs(2);
/// The handler's own answer to a before-webhook: neither default.
const HANDLER_REFUSAL: &str =
    r#"{"ActionStatus":"OK","ErrorCode":120001,"ErrorInfo":"refused by the handler"}"#;

/// A handler that takes `delay`, then records the command it was given (its side
/// effect) and answers: OK, or [`HANDLER_REFUSAL`] for a before-webhook.
#[derive(Clone)]
struct Slow {
    delay: Duration,
    done: Arc<Mutex<Vec<(CallbackCommand, Instant)>>>,
}

impl Slow {
    fn new(delay: Duration) -> Self {
        Self {
            delay,
            done: Arc::default(),
        }
    }

    fn done(&self) -> Vec<CallbackCommand> {
        let done = self.done.lock().unwrap();
        done.iter().map(|(command, _)| command.clone()).collect()
    }

    /// Waits for the handler's side effect; when it happened.
    async fn side_effect(&self) -> Instant {
        let waiting = Instant::now();
        loop {
            if let Some((_, at)) = self.done.lock().unwrap().first() {
                return *at;
            }
            assert!(
                waiting.elapsed() < SLOW * 3,
                "the handler never ended: it was cancelled"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

#[async_trait]
impl WebhookHandler for Slow {
    async fn handle(&self, delivery: Delivery<WebhookEvent>) -> Answer {
        tokio::time::sleep(self.delay).await;
        let command = delivery.event.command();
        self.done
            .lock()
            .unwrap()
            .push((command.clone(), Instant::now()));
        if command.is_before() {
            BeforeSendMsgReply::refuse_with(120001, "refused by the handler")
                .unwrap()
                .into()
        } else {
            Answer::ok()
        }
    }
}

#[derive(Clone, Copy, Debug)]
enum Mount {
    /// `post(handle(handler))`.
    Handle,
    /// `post(own_route)`, a handler of the application's that takes `Callback`.
    OwnRoute,
}

/// Serves `handler` on `/webhook`, mounted as `mount`, behind the deadline layer, with
/// the documented app's configuration, a 200 ms deadline and `strategy`.
async fn serve(mount: Mount, handler: Slow, strategy: FailureStrategy) -> Server {
    let config = test_util::doc_config()
        .answer_deadline(DEADLINE)
        .failure_strategy(strategy)
        .build()
        .unwrap();
    let route = match mount {
        Mount::Handle => post(handle(handler)),
        Mount::OwnRoute => post(move |Callback(delivery): Callback<WebhookEvent>| {
            let handler = handler.clone();
            async move { Reply(handler.handle(delivery).await) }
        }),
    };
    let app = Router::new()
        .route("/webhook", route)
        .layer(AnswerDeadline::new())
        .with_state(config);
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                stopped.await.ok();
            })
            .await
            .unwrap();
    });
    Server { addr, stop, task }
}

struct Server {
    addr: SocketAddr,
    stop: oneshot::Sender<()>,
    task: tokio::task::JoinHandle<()>,
}

impl Server {
    async fn shut_down(self) {
        self.stop.send(()).unwrap();
        tokio::time::timeout(Duration::from_secs(5), self.task)
            .await
            .expect("the server did not shut down")
            .unwrap();
    }
}

/// Sends `request` on a fresh connection, its body `pause` after its head; the status
/// line, the body of the answer, and the time from the first byte sent to the last read.
async fn post_timed(
    addr: SocketAddr,
    request: &WebhookRequest,
    pause: Duration,
) -> (String, String, Duration) {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let body = request.body();
    let head = format!(
        "POST {} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n",
        request.path_and_query("/webhook"),
        body.len()
    );
    let sent = Instant::now();
    stream.write_all(head.as_bytes()).await.unwrap();
    tokio::time::sleep(pause).await;
    stream.write_all(&body).await.unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).await.unwrap();
    let took = sent.elapsed();
    let (head, body) = response.split_once("\r\n\r\n").unwrap();
    let status = head.lines().next().unwrap().to_owned();
    (status, body.to_owned(), took)
}

fn sample(name: &str) -> WebhookRequest {
    test_util::sample(name).unwrap().doc_request()
}

/// A handler that takes 2 s to answer the sample named `sample` is answered for at the 200 ms deadline
/// with `expected`, and still ends 2 s later.
async fn answered_at_the_deadline(
    mount: Mount,
    strategy: FailureStrategy,
    sample: &str,
    expected: &str,
) {
    let sample = test_util::sample(sample).unwrap();
    let request = sample.doc_request();
    let handler = Slow::new(SLOW);
    let server = serve(mount, handler.clone(), strategy).await;
    let sent = Instant::now();
    let (status, body, took) = post_timed(server.addr, &request, Duration::ZERO).await;
    assert_eq!(
        (status.as_str(), body.as_str()),
        ("HTTP/1.1 200 OK", expected),
        "{mount:?}"
    );
    assert!(
        took >= DEADLINE && took < Duration::from_millis(1500),
        "{mount:?}: answered after {took:?}, not at the 200 ms deadline"
    );
    assert!(
        handler.done().is_empty(),
        "{mount:?}: answered for, not by, the handler"
    );
    let ended = handler.side_effect().await;
    assert_eq!(handler.done(), [sample.callback_command()], "{mount:?}");
    eprintln!(
        "{mount:?} {strategy:?} {}: answered after {took:?}, handler ended after {:?}",
        sample.name,
        ended.duration_since(sent)
    );
    server.shut_down().await;
}

#[tokio::test]
async fn an_after_webhook_is_answered_ok_at_the_deadline() {
    let after = "official_channel/after_send_msg";
    tokio::join!(
        answered_at_the_deadline(Mount::Handle, FailureStrategy::Allow, after, OK_BODY),
        answered_at_the_deadline(Mount::OwnRoute, FailureStrategy::Allow, after, OK_BODY),
        answered_at_the_deadline(Mount::Handle, FailureStrategy::Refuse, after, OK_BODY),
        answered_at_the_deadline(Mount::OwnRoute, FailureStrategy::Refuse, after, OK_BODY),
    );
}

#[tokio::test]
async fn a_before_webhook_is_allowed_at_the_deadline_by_default() {
    tokio::join!(
        answered_at_the_deadline(
            Mount::Handle,
            FailureStrategy::default(),
            "official_channel/before_send_msg",
            OK_BODY
        ),
        answered_at_the_deadline(
            Mount::OwnRoute,
            FailureStrategy::default(),
            "official_channel/before_send_msg",
            OK_BODY
        ),
    );
}

#[tokio::test]
async fn a_before_webhook_is_refused_at_the_deadline_under_refuse() {
    tokio::join!(
        answered_at_the_deadline(
            Mount::Handle,
            FailureStrategy::Refuse,
            "official_channel/before_send_msg",
            REFUSED_BODY
        ),
        answered_at_the_deadline(
            Mount::OwnRoute,
            FailureStrategy::Refuse,
            "official_channel/before_send_msg",
            REFUSED_BODY
        ),
    );
}

#[tokio::test]
async fn a_fast_handlers_own_answer_is_untouched() {
    for mount in [Mount::Handle, Mount::OwnRoute] {
        let handler = Slow::new(Duration::ZERO);
        let server = serve(mount, handler.clone(), FailureStrategy::Refuse).await;
        for (request, expected) in [
            (sample("official_channel/before_send_msg"), HANDLER_REFUSAL),
            (sample("official_channel/after_send_msg"), OK_BODY),
        ] {
            let (status, body, _) = post_timed(server.addr, &request, Duration::ZERO).await;
            assert_eq!(
                (status.as_str(), body.as_str()),
                ("HTTP/1.1 200 OK", expected),
                "{mount:?}"
            );
        }
        assert_eq!(handler.done().len(), 2, "{mount:?}");
        server.shut_down().await;
    }
}

#[tokio::test]
async fn rejections_are_never_replaced_by_the_deadlines_answer() {
    for mount in [Mount::Handle, Mount::OwnRoute] {
        let handler = Slow::new(SLOW);
        let server = serve(mount, handler.clone(), FailureStrategy::Allow).await;
        let forged = sample("official_channel/before_send_msg").wrong_sign();
        let (status, body, _) = post_timed(server.addr, &forged, Duration::ZERO).await;
        assert_eq!(
            (status.as_str(), body.as_str()),
            ("HTTP/1.1 401 Unauthorized", AUTHENTICATION_FAILED_BODY),
            "{mount:?}"
        );
        // Authenticated, but its body arrives after the deadline and is not JSON: the
        // rejection goes out, not the deadline's OK.
        let broken = WebhookRequest::raw(
            test_util::DOC_SDK_APP_ID,
            "OfficialAccount.CallbackBeforeSendMsg",
            "not json",
        )
        .signed(test_util::DOC_TOKEN, test_util::DOC_REQUEST_TIME);
        let (status, body, took) = post_timed(server.addr, &broken, DEADLINE * 2).await;
        assert!(took >= DEADLINE * 2, "{took:?}");
        assert_eq!(
            (status.as_str(), body.as_str()),
            (
                "HTTP/1.1 400 Bad Request",
                malformed_body_body("expected ident at line 1 column 2").as_str()
            ),
            "{mount:?}"
        );
        assert!(handler.done().is_empty(), "{mount:?}");
        server.shut_down().await;
    }
}

#[tokio::test]
async fn a_handler_runs_to_its_end_when_the_client_goes_away() {
    for mount in [Mount::Handle, Mount::OwnRoute] {
        let handler = Slow::new(SLOW);
        let server = serve(mount, handler.clone(), FailureStrategy::Allow).await;
        let request = sample("official_channel/after_send_msg");
        let mut stream = TcpStream::connect(server.addr).await.unwrap();
        let body = request.body();
        let head = format!(
            "POST {} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\n\r\n",
            request.path_and_query("/webhook"),
            server.addr,
            body.len()
        );
        stream.write_all(head.as_bytes()).await.unwrap();
        stream.write_all(&body).await.unwrap();
        // Gone before the deadline, while the handler is busy: the server drops the request.
        tokio::time::sleep(DEADLINE / 4).await;
        drop(stream);
        // Waits for the side effect, failing if it never comes.
        handler.side_effect().await;
        assert_eq!(
            handler.done(),
            [CallbackCommand::OfficialAccountAfterSendMsg],
            "{mount:?}"
        );
        server.shut_down().await;
    }
}
