//! The allow-list of sources over real HTTP on loopback: the server is bound on 127.0.0.1,
//! so every peer is 127.0.0.1, and the configuration decides whether that is an allowed
//! source, a trusted proxy, or neither.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::connect_info::MockConnectInfo;
use axum::extract::{FromRef, State};
use axum::routing::post;
use tencent_chat_webhook::test_util::{
    self, NOT_CONFIGURED_BODY, OK_BODY, SOURCE_NOT_ALLOWED_BODY, WebhookRequest,
};
use tencent_chat_webhook_axum::config::IpNet;
use tencent_chat_webhook_axum::official_channel::OfficialChannelEvent;
use tencent_chat_webhook_axum::{Answer, Callback, Reply, WebhookConfig};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;
use tower::ServiceExt;

/// Where Tencent stands in these tests (TEST-NET-3), and an address that is not Tencent's.
const TENCENT: &str = "203.0.113.0/24";
const STRANGER: &str = "198.51.100.1";

fn ranges(ranges: &[&str]) -> Vec<IpNet> {
    ranges.iter().map(|range| range.parse().unwrap()).collect()
}

/// The documented app, with sources restricted to `allowed` behind `trusted` proxies.
fn config(allowed: &[&str], trusted: &[&str]) -> WebhookConfig {
    test_util::doc_config()
        .allowed_sources(ranges(allowed))
        .trusted_proxies(ranges(trusted))
        .build()
        .unwrap()
}

#[derive(Clone)]
struct Counted {
    config: WebhookConfig,
    calls: Arc<AtomicUsize>,
}

impl FromRef<Counted> for WebhookConfig {
    fn from_ref(state: &Counted) -> Self {
        state.config.clone()
    }
}

async fn webhook(
    State(state): State<Counted>,
    _callback: Callback<OfficialChannelEvent>,
) -> Reply<Answer> {
    state.calls.fetch_add(1, Ordering::SeqCst);
    Reply(Answer::ok())
}

fn app(config: WebhookConfig) -> (Router, Arc<AtomicUsize>) {
    let calls = Arc::new(AtomicUsize::new(0));
    let app = Router::new()
        .route("/webhook", post(webhook))
        .with_state(Counted {
            config,
            calls: Arc::clone(&calls),
        });
    (app, calls)
}

/// A server on 127.0.0.1, stopped and awaited by [`Server::stop`].
struct Server {
    addr: SocketAddr,
    calls: Arc<AtomicUsize>,
    stop: oneshot::Sender<()>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Server {
    /// Serves `config`'s app, with `ConnectInfo` when `connect_info` says so.
    async fn start(config: WebhookConfig, connect_info: bool) -> Self {
        let (app, calls) = app(config);
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = oneshot::channel::<()>();
        let shutdown = async {
            stopped.await.ok();
        };
        let task = if connect_info {
            let app = app.into_make_service_with_connect_info::<SocketAddr>();
            tokio::spawn(async move {
                axum::serve(listener, app)
                    .with_graceful_shutdown(shutdown)
                    .await
            })
        } else {
            tokio::spawn(async move {
                axum::serve(listener, app)
                    .with_graceful_shutdown(shutdown)
                    .await
            })
        };
        Self {
            addr,
            calls,
            stop,
            task,
        }
    }

    /// Posts the documented after-send sample with one `X-Forwarded-For` header per
    /// value of `forwarded_for`; the status and body of the answer.
    async fn post(&self, forwarded_for: &[&str]) -> (u16, String) {
        self.post_request(
            &test_util::sample("official_channel/after_send_msg")
                .unwrap()
                .doc_request(),
            forwarded_for,
        )
        .await
    }

    async fn post_request(
        &self,
        request: &WebhookRequest,
        forwarded_for: &[&str],
    ) -> (u16, String) {
        let mut stream = TcpStream::connect(self.addr).await.unwrap();
        let body = request.body();
        let mut head = format!(
            "POST {} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\nConnection: close\r\n",
            request.path_and_query("/webhook"),
            self.addr,
            body.len()
        );
        for value in forwarded_for {
            head += &format!("X-Forwarded-For: {value}\r\n");
        }
        head += "\r\n";
        stream.write_all(head.as_bytes()).await.unwrap();
        stream.write_all(&body).await.unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).await.unwrap();
        let (head, body) = answer.split_once("\r\n\r\n").unwrap();
        let status = head.split(' ').nth(1).unwrap().parse().unwrap();
        (status, body.to_owned())
    }

    fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }

    async fn stop(self) {
        self.stop.send(()).unwrap();
        tokio::time::timeout(Duration::from_secs(5), self.task)
            .await
            .expect("the server shuts down")
            .unwrap()
            .unwrap();
    }
}

fn ok() -> (u16, String) {
    (200, OK_BODY.to_owned())
}

fn refused() -> (u16, String) {
    (403, SOURCE_NOT_ALLOWED_BODY.to_owned())
}

#[tokio::test]
async fn an_allowed_peer_is_served_and_another_gets_403() {
    let allowed = Server::start(config(&["127.0.0.1/32"], &[]), true).await;
    assert_eq!(allowed.post(&[]).await, ok());
    assert_eq!(allowed.calls(), 1);
    allowed.stop().await;

    let elsewhere = Server::start(config(&[TENCENT], &[]), true).await;
    assert_eq!(elsewhere.post(&[]).await, refused());
    // The source is checked before the query: a forged Sign or no query at all is
    // refused for its source, not for its signature.
    let sample = test_util::sample("official_channel/after_send_msg")
        .unwrap()
        .doc_request();
    assert_eq!(
        elsewhere
            .post_request(&sample.clone().wrong_sign(), &[])
            .await,
        refused()
    );
    let unknown_app = sample.sdk_app_id(1);
    assert_eq!(elsewhere.post_request(&unknown_app, &[]).await, refused());
    assert_eq!(elsewhere.calls(), 0);
    elsewhere.stop().await;
}

#[tokio::test]
async fn behind_a_trusted_proxy_the_client_it_forwards_for_is_checked() {
    let server = Server::start(config(&[TENCENT], &["127.0.0.1/32"]), true).await;
    assert_eq!(server.post(&["203.0.113.9"]).await, ok());
    assert_eq!(server.post(&[" 203.0.113.9 , 127.0.0.1 "]).await, ok());
    // What the client wrote itself is on the left and never read.
    assert_eq!(
        server.post(&["garbage, 198.51.100.7, 203.0.113.9"]).await,
        ok()
    );
    // Several headers make one list, in order.
    assert_eq!(server.post(&[STRANGER, "203.0.113.9"]).await, ok());
    assert_eq!(server.calls(), 4);

    assert_eq!(server.post(&[STRANGER]).await, refused());
    assert_eq!(server.post(&["203.0.113.9", STRANGER]).await, refused());
    assert_eq!(server.post(&["203.0.113.9, 198.51.100.1"]).await, refused());
    assert_eq!(server.post(&["2001:db8::1"]).await, refused());
    // Malformed where the client should be: refused, not trusted.
    assert_eq!(server.post(&["garbage"]).await, refused());
    assert_eq!(server.post(&["203.0.113.9, unknown"]).await, refused());
    // The proxy alone is not a source.
    assert_eq!(server.post(&[]).await, refused());
    assert_eq!(server.calls(), 4);
    server.stop().await;
}

#[tokio::test]
async fn forwarded_for_from_an_untrusted_peer_is_ignored() {
    let server = Server::start(config(&[TENCENT], &["10.0.0.0/8"]), true).await;
    assert_eq!(server.post(&["203.0.113.9"]).await, refused());
    server.stop().await;

    let server = Server::start(config(&["127.0.0.1/32"], &["10.0.0.0/8"]), true).await;
    assert_eq!(server.post(&[STRANGER]).await, ok());
    assert_eq!(server.post(&["garbage"]).await, ok());
    assert_eq!(server.calls(), 2);
    server.stop().await;
}

#[tokio::test]
async fn a_restricted_route_served_without_connect_info_answers_500() {
    let server = Server::start(config(&["127.0.0.1/32"], &[]), false).await;
    assert_eq!(
        server.post(&[]).await,
        (500, NOT_CONFIGURED_BODY.to_owned())
    );
    assert_eq!(server.calls(), 0);
    server.stop().await;

    // Without an allow-list nothing needs the peer address, as before.
    let open = Server::start(test_util::doc_config().build().unwrap(), false).await;
    assert_eq!(open.post(&["garbage"]).await, ok());
    open.stop().await;
}

#[tokio::test]
async fn mock_connect_info_gives_the_peer_in_process() {
    let request = || {
        test_util::sample("official_channel/after_send_msg")
            .unwrap()
            .doc_request()
            .to_http("/webhook")
            .map(Body::from)
    };
    let (app, calls) = app(config(&[TENCENT], &[]));
    let tencent = app
        .clone()
        .layer(MockConnectInfo(SocketAddr::from(([203, 0, 113, 9], 4711))));
    assert_eq!(tencent.oneshot(request()).await.unwrap().status(), 200);
    let stranger = app.layer(MockConnectInfo(SocketAddr::from(([198, 51, 100, 1], 4711))));
    assert_eq!(stranger.oneshot(request()).await.unwrap().status(), 403);
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}
