//! The allow-list of sources over real HTTP on loopback: the server is bound on 127.0.0.1,
//! so every peer is 127.0.0.1, and the configuration decides whether that is an allowed
//! source, a trusted proxy, or neither.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use actix_web::dev::ServerHandle;
use actix_web::test::{self, TestRequest};
use actix_web::{App, HttpServer, web};
use tencent_chat_webhook::test_util::{
    self, NOT_CONFIGURED_BODY, OK_BODY, SOURCE_NOT_ALLOWED_BODY, WebhookRequest,
};
use tencent_chat_webhook_actix::config::IpNet;
use tencent_chat_webhook_actix::official_channel::OfficialChannelEvent;
use tencent_chat_webhook_actix::{Answer, Callback, Reply, WebhookConfig};

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

type Calls = Arc<AtomicUsize>;

async fn webhook(
    calls: web::Data<Calls>,
    _callback: Callback<OfficialChannelEvent>,
) -> Reply<Answer> {
    calls.fetch_add(1, Ordering::SeqCst);
    Reply(Answer::ok())
}

fn after_send() -> WebhookRequest {
    test_util::sample("official_channel/after_send_msg")
        .unwrap()
        .doc_request()
}

/// A server on 127.0.0.1 on its own thread, stopped on drop.
struct Server {
    addr: SocketAddr,
    calls: Calls,
    handle: ServerHandle,
    thread: Option<JoinHandle<()>>,
}

impl Server {
    fn start(config: WebhookConfig) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let calls = Calls::default();
        let server_calls = Arc::clone(&calls);
        let (handle_tx, handle_rx) = std::sync::mpsc::channel();
        let thread = std::thread::spawn(move || {
            actix_web::rt::System::new().block_on(async move {
                let server = HttpServer::new(move || {
                    App::new()
                        .app_data(config.clone())
                        .app_data(web::Data::new(Arc::clone(&server_calls)))
                        .route("/webhook", web::post().to(webhook))
                })
                .workers(1)
                .disable_signals()
                .listen(listener)
                .unwrap()
                .run();
                handle_tx.send(server.handle()).unwrap();
                server.await.unwrap();
            });
        });
        Self {
            addr,
            calls,
            handle: handle_rx.recv().unwrap(),
            thread: Some(thread),
        }
    }

    /// Posts the documented after-send sample with one `X-Forwarded-For` header per
    /// value of `forwarded_for`; the status and body of the answer.
    fn post(&self, forwarded_for: &[&str]) -> (u16, String) {
        self.post_request(&after_send(), forwarded_for)
    }

    fn post_request(&self, request: &WebhookRequest, forwarded_for: &[&str]) -> (u16, String) {
        let mut stream = TcpStream::connect(self.addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
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
        stream.write_all(head.as_bytes()).unwrap();
        stream.write_all(&body).unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).unwrap();
        let (head, body) = answer.split_once("\r\n\r\n").unwrap();
        let status = head.split(' ').nth(1).unwrap().parse().unwrap();
        (status, body.to_owned())
    }

    fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // The command is sent now; the join waits for it to take effect.
        drop(self.handle.stop(true));
        if let Some(thread) = self.thread.take() {
            thread.join().unwrap();
        }
    }
}

fn ok() -> (u16, String) {
    (200, OK_BODY.to_owned())
}

fn refused() -> (u16, String) {
    (403, SOURCE_NOT_ALLOWED_BODY.to_owned())
}

#[test]
fn an_allowed_peer_is_served_and_another_gets_403() {
    let allowed = Server::start(config(&["127.0.0.1/32"], &[]));
    assert_eq!(allowed.post(&[]), ok());
    assert_eq!(allowed.calls(), 1);
    drop(allowed);

    let elsewhere = Server::start(config(&[TENCENT], &[]));
    assert_eq!(elsewhere.post(&[]), refused());
    // The source is checked before the query: a forged Sign or an unknown app is
    // refused for its source, not for its signature.
    assert_eq!(
        elsewhere.post_request(&after_send().wrong_sign(), &[]),
        refused()
    );
    assert_eq!(
        elsewhere.post_request(&after_send().sdk_app_id(1), &[]),
        refused()
    );
    assert_eq!(elsewhere.calls(), 0);
}

#[test]
fn behind_a_trusted_proxy_the_client_it_forwards_for_is_checked() {
    let server = Server::start(config(&[TENCENT], &["127.0.0.1/32"]));
    assert_eq!(server.post(&["203.0.113.9"]), ok());
    assert_eq!(server.post(&[" 203.0.113.9 , 127.0.0.1 "]), ok());
    // What the client wrote itself is on the left and never read.
    assert_eq!(server.post(&["garbage, 198.51.100.7, 203.0.113.9"]), ok());
    // Several headers make one list, in order.
    assert_eq!(server.post(&[STRANGER, "203.0.113.9"]), ok());
    assert_eq!(server.calls(), 4);

    assert_eq!(server.post(&[STRANGER]), refused());
    assert_eq!(server.post(&["203.0.113.9", STRANGER]), refused());
    assert_eq!(server.post(&["203.0.113.9, 198.51.100.1"]), refused());
    assert_eq!(server.post(&["2001:db8::1"]), refused());
    // Malformed where the client should be: refused, not trusted.
    assert_eq!(server.post(&["garbage"]), refused());
    assert_eq!(server.post(&["203.0.113.9, unknown"]), refused());
    // The proxy alone is not a source.
    assert_eq!(server.post(&[]), refused());
    assert_eq!(server.calls(), 4);
}

#[test]
fn forwarded_for_from_an_untrusted_peer_is_ignored() {
    let server = Server::start(config(&[TENCENT], &["10.0.0.0/8"]));
    assert_eq!(server.post(&["203.0.113.9"]), refused());
    drop(server);

    let server = Server::start(config(&["127.0.0.1/32"], &["10.0.0.0/8"]));
    assert_eq!(server.post(&[STRANGER]), ok());
    assert_eq!(server.post(&["garbage"]), ok());
    assert_eq!(server.calls(), 2);
}

/// In process: `TestRequest::peer_addr` gives the peer; without it a restricted route
/// answers 500, and an unrestricted one serves as before.
#[actix_web::test]
async fn without_a_peer_address_a_restricted_route_answers_500() {
    async fn answer(config: WebhookConfig, peer: Option<&str>) -> (u16, String) {
        let app = test::init_service(
            App::new()
                .app_data(config)
                .app_data(web::Data::new(Calls::default()))
                .route("/webhook", web::post().to(webhook)),
        )
        .await;
        let request = after_send();
        let mut req = TestRequest::post()
            .uri(&request.path_and_query("/webhook"))
            .set_payload(request.body());
        if let Some(peer) = peer {
            req = req.peer_addr(peer.parse().unwrap());
        }
        let res = test::call_service(&app, req.to_request()).await;
        let status = res.status().as_u16();
        let body = test::read_body(res).await;
        (status, String::from_utf8(body.to_vec()).unwrap())
    }

    let restricted = || config(&[TENCENT], &[]);
    assert_eq!(answer(restricted(), Some("203.0.113.9:4711")).await, ok());
    assert_eq!(
        answer(restricted(), Some("198.51.100.1:4711")).await,
        refused()
    );
    assert_eq!(
        answer(restricted(), None).await,
        (500, NOT_CONFIGURED_BODY.to_owned())
    );
    let open = test_util::doc_config().build().unwrap();
    assert_eq!(answer(open, None).await, ok());
}
