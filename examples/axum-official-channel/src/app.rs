//! The service: `POST /webhook` for every Tencent Chat webhook. Every event is logged,
//! messages with a blocked word are refused before delivery in the Official Channel,
//! one-to-one chats and groups, and a retried after-webhook already handled is answered OK
//! without being handled again. `GET /metrics` serves the library's metrics.

use std::sync::Arc;

use axum::Router;
use axum::extract::{FromRef, State};
use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use metrics_exporter_prometheus::PrometheusHandle;
use tencent_chat_webhook_axum::c2c::{self, C2cEvent};
use tencent_chat_webhook_axum::dedupe::Dedupe;
use tencent_chat_webhook_axum::group::{self, GroupEvent};
use tencent_chat_webhook_axum::official_channel::{self, OfficialChannelEvent};
use tencent_chat_webhook_axum::{
    Answer, AnswerDeadline, Callback, Reply, WebhookConfig, WebhookEvent,
};

#[derive(Clone)]
struct AppState {
    config: WebhookConfig,
    blocked_words: BlockedWords,
    /// Recognises a retried after-webhook; `None` handles every delivery.
    dedupe: Option<Dedupe>,
    metrics: PrometheusHandle,
}

impl FromRef<AppState> for WebhookConfig {
    fn from_ref(state: &AppState) -> Self {
        state.config.clone()
    }
}

/// The service, for this webhook configuration and these blocked words, recognising
/// retried after-webhooks through `dedupe` (`None`: handling every delivery), with the
/// metrics that `metrics` renders.
pub fn app(
    config: WebhookConfig,
    blocked_words: &[String],
    dedupe: Option<Dedupe>,
    metrics: PrometheusHandle,
) -> Router {
    let blocked_words = BlockedWords::new(blocked_words);
    Router::new()
        // A handler still busy at the configuration's deadline (1.5 s) is answered for
        // with the command's default, and runs on to its end.
        .route("/webhook", post(webhook).layer(AnswerDeadline::new()))
        .route("/metrics", get(render_metrics))
        .with_state(AppState {
            config,
            blocked_words,
            dedupe,
            metrics,
        })
}

/// The metrics in the Prometheus text format.
async fn render_metrics(State(state): State<AppState>) -> impl IntoResponse {
    (
        [(CONTENT_TYPE, "text/plain; version=0.0.4")],
        state.metrics.render(),
    )
}

async fn webhook(
    State(state): State<AppState>,
    Callback(delivery): Callback<WebhookEvent>,
) -> Reply<Answer> {
    // Runs once per delivery: Tencent's retry of an after-webhook handled already is
    // answered OK (and logged as a duplicate) without running it again; with DEDUPE=off,
    // every time.
    let handled = async {
        tracing::info!("{}", delivery.event);
        answer(&delivery.event, &state.blocked_words)
    };
    Reply(match &state.dedupe {
        Some(dedupe) => dedupe.run(&delivery, handled).await,
        None => handled.await,
    })
}

/// The verdict on `event`: the moderation demo refuses a message about to be sent with a
/// blocked word in its text, in a channel, one to one or in a group; everything else gets
/// what Tencent itself does when it has no answer (acknowledge, allow).
fn answer(event: &WebhookEvent, blocked_words: &BlockedWords) -> Answer {
    match event {
        WebhookEvent::OfficialChannel(OfficialChannelEvent::BeforeSendMsg(msg))
            if blocked_words.any_in(msg.texts()) =>
        {
            official_channel::BeforeSendMsgReply::Refuse.into()
        }
        WebhookEvent::C2c(C2cEvent::BeforeSendMsg(msg)) if blocked_words.any_in(msg.texts()) => {
            c2c::BeforeSendMsgReply::Refuse.into()
        }
        WebhookEvent::Group(GroupEvent::BeforeSendMsg(msg))
            if blocked_words.any_in(msg.texts()) =>
        {
            group::BeforeSendMsgReply::Refuse.into()
        }
        event => event.default_answer(),
    }
}

/// The words the moderation demo refuses, matched ignoring case.
#[derive(Debug, Clone)]
struct BlockedWords(Arc<[String]>);

impl BlockedWords {
    fn new(words: &[String]) -> Self {
        Self(words.iter().map(|word| word.to_lowercase()).collect())
    }

    /// Whether any of `texts` contains a blocked word.
    fn any_in<'a>(&self, texts: impl IntoIterator<Item = &'a str>) -> bool {
        texts.into_iter().any(|text| {
            let text = text.to_lowercase();
            self.0.iter().any(|word| text.contains(word.as_str()))
        })
    }
}

/// The tests that send webhooks take turns: the metrics recorder is one per process,
/// and the metrics test counts its own requests.
#[cfg(test)]
pub(crate) static WEBHOOKS: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// The process's metrics recorder, installed by the first test that needs it.
#[cfg(test)]
pub(crate) fn recorder() -> PrometheusHandle {
    static RECORDER: std::sync::OnceLock<PrometheusHandle> = std::sync::OnceLock::new();
    RECORDER
        .get_or_init(|| crate::prometheus::install().unwrap())
        .clone()
}

#[cfg(test)]
mod tests {
    use std::future::Future;
    use std::net::SocketAddr;
    use std::sync::Arc;
    use std::time::{Duration, SystemTime, UNIX_EPOCH};

    use tencent_chat_webhook_axum::dedupe::{Dedupe, MemoryStore, RedisStore};
    use tencent_chat_webhook_axum::test_util::{
        self, AUTHENTICATION_FAILED_BODY, DOC_REQUEST_TIME, DOC_SDK_APP_ID, DOC_TOKEN, OK_BODY,
        REFUSED_BODY, SOURCE_NOT_ALLOWED_BODY, WebhookRequest,
    };
    use tencent_chat_webhook_axum::{Answer, WebhookConfig, WebhookEvent};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::{TcpListener, TcpStream};
    use tokio::sync::oneshot;

    use super::{BlockedWords, WEBHOOKS, answer, app, recorder};
    use crate::serve::{HEAD_TIMEOUT, serve};
    use crate::settings::Settings;

    /// The documented sample `name`, decoded by the library, with `text` for its text.
    fn event(name: &str, text: &str) -> WebhookEvent {
        let request = request(name, text);
        let config = test_util::doc_config().build().unwrap();
        config
            .receive(Some(&request.query()), request.body())
            .unwrap()
            .event
    }

    #[test]
    fn blocked_words_are_refused_whatever_their_case_in_every_before_send() {
        let blocked = BlockedWords::new(&["spam".to_owned()]);
        for name in [
            "official_channel/before_send_msg",
            "c2c/before_send_msg",
            "group/before_send_msg",
        ] {
            let refused = answer(&event(name, "Buy SPAM now"), &blocked);
            assert_eq!(refused.body(), REFUSED_BODY, "{name}");
            assert_eq!(
                answer(&event(name, "hello"), &blocked),
                Answer::ok(),
                "{name}"
            );
            let nothing_blocked = BlockedWords::new(&[]);
            assert_eq!(answer(&event(name, "spam"), &nothing_blocked), Answer::ok());
        }
    }

    #[test]
    fn every_other_event_gets_tencents_own_default() {
        let blocked = BlockedWords::new(&["red".to_owned()]);
        for sample in test_util::samples() {
            if sample.name.ends_with("/before_send_msg") {
                continue;
            }
            let event = event(sample.name, "red packet");
            assert_eq!(
                answer(&event, &blocked),
                event.default_answer(),
                "{}",
                sample.name
            );
        }
    }

    /// One HTTP/1.1 request on a fresh connection: the status line and the body.
    async fn post(addr: SocketAddr, request: &WebhookRequest) -> (String, String) {
        let mut stream = TcpStream::connect(addr).await.unwrap();
        let body = request.body();
        let head = format!(
            "POST {} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n",
            request.path_and_query("/webhook"),
            body.len()
        );
        stream.write_all(head.as_bytes()).await.unwrap();
        stream.write_all(&body).await.unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).await.unwrap();
        let (head, body) = response.split_once("\r\n\r\n").unwrap();
        assert!(head.contains("content-type: application/json"), "{head}");
        let status = head.lines().next().unwrap().to_owned();
        (status, body.to_owned())
    }

    /// A documented sample as Tencent sends it for the documented app, signed, with the
    /// text of its message replaced by `text`.
    fn request(sample: &str, text: &str) -> WebhookRequest {
        let sample = test_util::sample(sample).unwrap();
        let body = String::from_utf8(sample.doc_request().body().to_vec()).unwrap();
        let command = sample.callback_command();
        WebhookRequest::raw(
            DOC_SDK_APP_ID,
            command.as_str(),
            body.replace("red packet", text),
        )
        .signed(DOC_TOKEN, DOC_REQUEST_TIME)
    }

    /// The service for the documented app and token (its clock stopped at the samples'
    /// signing time) with the blocked word "red", on a free loopback port: its address, and
    /// what stops it.
    async fn serving(dedupe: impl Into<Option<Dedupe>>) -> (SocketAddr, impl Future<Output = ()>) {
        start(test_util::doc_config().build().unwrap(), dedupe).await
    }

    /// The service for `config` with the blocked word "red", served as `main` serves it on a
    /// free loopback port: its address, and what stops it.
    async fn start(
        config: WebhookConfig,
        dedupe: impl Into<Option<Dedupe>>,
    ) -> (SocketAddr, impl Future<Output = ()>) {
        let app = app(config, &["red".to_owned()], dedupe.into(), recorder());
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = oneshot::channel::<()>();
        let server = tokio::spawn(serve(listener, app, HEAD_TIMEOUT, async {
            stopped.await.ok();
        }));
        let shutdown = async move {
            stop.send(()).unwrap();
            tokio::time::timeout(Duration::from_secs(5), server)
                .await
                .expect("the server did not shut down")
                .unwrap();
        };
        (addr, shutdown)
    }

    #[tokio::test]
    async fn serves_the_webhook_over_http() {
        let _turn = WEBHOOKS.lock().await;
        let (addr, shutdown) = serving(Dedupe::new(MemoryStore::new())).await;

        assert_eq!(
            post(
                addr,
                &request("official_channel/after_send_msg", "red packet")
            )
            .await,
            ("HTTP/1.1 200 OK".to_owned(), OK_BODY.to_owned())
        );
        assert_eq!(
            post(
                addr,
                &request("official_channel/after_send_msg", "red packet").wrong_sign()
            )
            .await,
            (
                "HTTP/1.1 401 Unauthorized".to_owned(),
                AUTHENTICATION_FAILED_BODY.to_owned()
            )
        );
        assert_eq!(
            post(
                addr,
                &request("official_channel/before_send_msg", "Big RED Packet")
            )
            .await,
            ("HTTP/1.1 200 OK".to_owned(), REFUSED_BODY.to_owned())
        );
        assert_eq!(
            post(addr, &request("official_channel/before_send_msg", "hello")).await,
            ("HTTP/1.1 200 OK".to_owned(), OK_BODY.to_owned())
        );
        // Every documented sample: the messages about to be sent say "red packet".
        for sample in test_util::samples() {
            let expected = if sample.name.ends_with("/before_send_msg") {
                REFUSED_BODY.to_owned()
            } else {
                let default = event(sample.name, "red packet").default_answer();
                String::from_utf8(default.body().to_vec()).unwrap()
            };
            assert_eq!(
                post(addr, &request(sample.name, "red packet")).await,
                ("HTTP/1.1 200 OK".to_owned(), expected),
                "{}",
                sample.name
            );
        }
        shutdown.await;
    }

    #[tokio::test]
    async fn a_retried_after_webhook_is_handled_once_and_a_before_webhook_every_time() {
        let _turn = WEBHOOKS.lock().await;
        let store = Arc::new(MemoryStore::new());
        let (addr, shutdown) = serving(Dedupe::new(Arc::clone(&store))).await;
        let ok = ("HTTP/1.1 200 OK".to_owned(), OK_BODY.to_owned());
        let refused = ("HTTP/1.1 200 OK".to_owned(), REFUSED_BODY.to_owned());

        // Tencent's retry of an after-send is answered OK; only the first was claimed.
        let after_send = request("official_channel/after_send_msg", "red packet");
        assert_eq!(post(addr, &after_send).await, ok);
        assert_eq!(post(addr, &after_send).await, ok);
        assert_eq!(store.len(), 1);
        // A repeated moderation request gets its verdict again, never a blanket OK.
        let before_send = request("official_channel/before_send_msg", "red packet");
        assert_eq!(post(addr, &before_send).await, refused);
        assert_eq!(post(addr, &before_send).await, refused);
        assert_eq!(store.len(), 1);
        // Another message is another delivery.
        let body = String::from_utf8(after_send.body().to_vec()).unwrap();
        let other = WebhookRequest::raw(
            DOC_SDK_APP_ID,
            "OfficialAccount.CallbackAfterSendMsg",
            body.replace("71_1_1698741698", "71_2_1698741699"),
        )
        .signed(DOC_TOKEN, DOC_REQUEST_TIME);
        assert_eq!(post(addr, &other).await, ok);
        assert_eq!(store.len(), 2);
        shutdown.await;
    }

    /// The configuration `ALLOWED_SOURCES` gives, for the documented app; every request
    /// of these tests comes from 127.0.0.1.
    fn restricted_to(allowed_sources: &str) -> WebhookConfig {
        let settings = Settings::from_lookup(|name| match name {
            "TENCENT_WEBHOOK_TOKEN" => Some(DOC_TOKEN.to_owned()),
            "ALLOWED_SOURCES" => Some(allowed_sources.to_owned()),
            _ => None,
        })
        .unwrap();
        let config = settings.webhook_config().unwrap();
        assert!(config.allowed_sources().is_some());
        config
    }

    #[tokio::test]
    async fn only_the_allowed_sources_are_served() {
        let _turn = WEBHOOKS.lock().await;
        // Signed now: the configuration from the settings runs on the system clock.
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs();
        let sample =
            request("official_channel/after_send_msg", "red packet").signed(DOC_TOKEN, now);

        let (addr, shutdown) =
            start(restricted_to("127.0.0.1"), Dedupe::new(MemoryStore::new())).await;
        assert_eq!(
            post(addr, &sample).await,
            ("HTTP/1.1 200 OK".to_owned(), OK_BODY.to_owned())
        );
        shutdown.await;

        let restricted = restricted_to("203.0.113.0/24, 2001:db8::/32");
        let (addr, shutdown) = start(restricted, Dedupe::new(MemoryStore::new())).await;
        assert_eq!(
            post(addr, &sample).await,
            (
                "HTTP/1.1 403 Forbidden".to_owned(),
                SOURCE_NOT_ALLOWED_BODY.to_owned()
            )
        );
        shutdown.await;
    }

    /// A `GET` of `path` on a fresh connection: the head and the body of the answer.
    async fn get(addr: SocketAddr, path: &str) -> (String, String) {
        let mut stream = TcpStream::connect(addr).await.unwrap();
        let head = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
        stream.write_all(head.as_bytes()).await.unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).await.unwrap();
        let (head, body) = response.split_once("\r\n\r\n").unwrap();
        (head.to_owned(), body.to_owned())
    }

    /// The value of `series` (a metric's name and labels) in a scrape; 0 when absent.
    fn value(metrics: &str, series: &str) -> u64 {
        metrics
            .lines()
            .find_map(|line| line.strip_prefix(series)?.strip_prefix(' ')?.parse().ok())
            .unwrap_or(0)
    }

    #[tokio::test]
    async fn serves_its_metrics_over_http() {
        let _turn = WEBHOOKS.lock().await;
        let (addr, shutdown) = serving(Dedupe::new(MemoryStore::new())).await;
        let scrape = || async {
            let (head, metrics) = get(addr, "/metrics").await;
            assert!(head.starts_with("HTTP/1.1 200 OK"), "{head}");
            assert!(
                head.contains("content-type: text/plain; version=0.0.4"),
                "{head}"
            );
            metrics
        };
        let before = scrape().await;

        let after_send = request("official_channel/after_send_msg", "red packet");
        post(addr, &after_send).await;
        // Tencent's retry: answered without the handler.
        post(addr, &after_send).await;
        post(addr, &after_send.clone().wrong_sign()).await;
        post(addr, &request("official_channel/before_send_msg", "red")).await;
        // The console's probe: acknowledged.
        let probe =
            WebhookRequest::raw(DOC_SDK_APP_ID, "OfficialAccount.CallbackAfterSendMsg", "{}")
                .signed(DOC_TOKEN, DOC_REQUEST_TIME);
        assert_eq!(
            post(addr, &probe).await,
            ("HTTP/1.1 200 OK".to_owned(), OK_BODY.to_owned())
        );

        let metrics = scrape().await;
        assert!(
            metrics.contains(
                "# HELP tencent_chat_webhook_requests_total Tencent Chat webhook requests, by \
                 command and outcome"
            ),
            "{metrics}"
        );
        let after = "OfficialAccount.CallbackAfterSendMsg";
        let before_send = "OfficialAccount.CallbackBeforeSendMsg";
        for (series, added) in [
            (
                format!(r#"requests_total{{command="{after}",outcome="handled"}}"#),
                1,
            ),
            (
                format!(r#"requests_total{{command="{after}",outcome="duplicate"}}"#),
                1,
            ),
            (
                format!(r#"requests_total{{command="{after}",outcome="unauthenticated"}}"#),
                1,
            ),
            (
                format!(r#"requests_total{{command="{after}",outcome="acknowledged"}}"#),
                1,
            ),
            (
                format!(r#"requests_total{{command="{before_send}",outcome="handled"}}"#),
                1,
            ),
            (
                format!(r#"requests_total{{command="{after}",outcome="deadline"}}"#),
                0,
            ),
            // The retry ran no handler: one handler time each.
            (format!(r#"handler_seconds_count{{command="{after}"}}"#), 1),
            (
                format!(r#"handler_seconds_count{{command="{before_send}"}}"#),
                1,
            ),
        ] {
            let series = format!("tencent_chat_webhook_{series}");
            assert_eq!(
                value(&metrics, &series) - value(&before, &series),
                added,
                "{series} in\n{metrics}"
            );
        }
        shutdown.await;
    }
    #[tokio::test]
    async fn with_dedupe_off_a_retried_after_webhook_is_handled_again() {
        let _turn = WEBHOOKS.lock().await;
        let (addr, shutdown) = serving(None).await;
        let before = get(addr, "/metrics").await.1;
        let after_send = request("official_channel/after_send_msg", "red packet");
        let ok = ("HTTP/1.1 200 OK".to_owned(), OK_BODY.to_owned());
        assert_eq!(post(addr, &after_send).await, ok);
        assert_eq!(post(addr, &after_send).await, ok);

        let after = get(addr, "/metrics").await.1;
        let added = |outcome: &str| {
            let series = format!(
                r#"tencent_chat_webhook_requests_total{{command="OfficialAccount.CallbackAfterSendMsg",outcome="{outcome}"}}"#
            );
            value(&after, &series) - value(&before, &series)
        };
        assert_eq!(added("handled"), 2, "both times\n{after}");
        assert_eq!(added("duplicate"), 0, "no store, no duplicate\n{after}");
        shutdown.await;
    }

    /// Two instances of the service sharing one Redis, as behind a load balancer: a
    /// delivery and Tencent's retry of it, each sent to another instance, are handled once
    /// between them; a before-send sent to both is handled by both.
    #[tokio::test]
    async fn two_instances_sharing_one_redis_handle_each_delivery_once() {
        use std::io::Write;

        let Ok(url) = std::env::var("REDIS_URL") else {
            // Straight to stderr, so that it shows even though the test passes.
            let _ = writeln!(
                std::io::stderr(),
                "two_instances_sharing_one_redis_handle_each_delivery_once: SKIPPED, REDIS_URL \
                 is not set (.ci/run starts a redis-server and sets it)"
            );
            return;
        };
        let _turn = WEBHOOKS.lock().await;
        // A prefix of this run's own, so that reruns and other tests never collide.
        let started = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
        let prefix = format!(
            "two-instances:{}:{}:",
            std::process::id(),
            started.as_nanos()
        );
        let instance = || {
            let store = RedisStore::builder(url.clone()).prefix(prefix.clone());
            Dedupe::new(store.build().unwrap())
        };
        let (first, stop_first) = serving(instance()).await;
        let (second, stop_second) = serving(instance()).await;
        // Both instances count into this process's one metrics recorder.
        let before = get(first, "/metrics").await.1;

        let ok = ("HTTP/1.1 200 OK".to_owned(), OK_BODY.to_owned());
        let refused = ("HTTP/1.1 200 OK".to_owned(), REFUSED_BODY.to_owned());
        let after_send = request("official_channel/after_send_msg", "red packet");
        let body = String::from_utf8(after_send.body().to_vec()).unwrap();
        let other = WebhookRequest::raw(
            DOC_SDK_APP_ID,
            "OfficialAccount.CallbackAfterSendMsg",
            body.replace("71_1_1698741698", "71_3_1698741700"),
        )
        .signed(DOC_TOKEN, DOC_REQUEST_TIME);
        // The same delivery to each instance, then a different one to each, the other way.
        assert_eq!(post(first, &after_send).await, ok);
        assert_eq!(post(second, &after_send).await, ok);
        assert_eq!(post(second, &other).await, ok);
        assert_eq!(post(first, &other).await, ok);
        // A moderation request is handled, and refused, by each instance it reaches.
        let before_send = request("official_channel/before_send_msg", "red packet");
        assert_eq!(post(first, &before_send).await, refused);
        assert_eq!(post(second, &before_send).await, refused);

        let after = get(second, "/metrics").await.1;
        let added = |command: &str, outcome: &str| {
            let series = format!(
                r#"tencent_chat_webhook_requests_total{{command="{command}",outcome="{outcome}"}}"#
            );
            value(&after, &series) - value(&before, &series)
        };
        let after_send = "OfficialAccount.CallbackAfterSendMsg";
        assert_eq!(
            added(after_send, "handled"),
            2,
            "each delivery once\n{after}"
        );
        assert_eq!(
            added(after_send, "duplicate"),
            2,
            "each retry answered\n{after}"
        );
        let before_send = "OfficialAccount.CallbackBeforeSendMsg";
        assert_eq!(added(before_send, "handled"), 2, "both times\n{after}");
        assert_eq!(
            added(before_send, "duplicate"),
            0,
            "never a duplicate\n{after}"
        );
        stop_first.await;
        stop_second.await;
    }
}
