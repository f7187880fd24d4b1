//! Serving the app over HTTP/1.1 with bounds on slow and idle clients.
//!
//! `axum::serve` waits for a request head as long as a client likes, so connections that send
//! half a head and then nothing pile up until the process runs out of file descriptors. This
//! serves each connection through hyper's HTTP/1 builder instead, with a timer, so that a
//! connection that does not deliver a complete request head in time is closed.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::pin;
use std::time::Duration;

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tower::Service;

/// How long a connection may go without delivering a complete request head: from when it is
/// opened, and from the end of each answer while it is kept alive. Tencent gives up on a
/// request after 2 s, so its heads arrive well within this; past it hyper closes the
/// connection.
pub const HEAD_TIMEOUT: Duration = Duration::from_secs(5);

/// How long to wait before accepting again after the listener failed, e.g. because every
/// file descriptor is taken: long enough not to spin, short against Tencent's 2 s.
const ACCEPT_RETRY: Duration = Duration::from_millis(100);

/// Serves `app` on `listener` until `shutdown` resolves, then lets the requests in flight
/// finish. Handlers can take `ConnectInfo<SocketAddr>`, as with `axum::serve` and
/// `into_make_service_with_connect_info`.
///
/// A connection must deliver each request head within `head_timeout` of being opened or of
/// its previous answer ([`HEAD_TIMEOUT`] in the service); that bounds idle keep-alive
/// connections too. Bodies are bounded by the webhook configuration's body read timeout.
/// A failure to accept (e.g. no file descriptor left) is logged and retried.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    head_timeout: Duration,
    shutdown: impl Future<Output = ()>,
) {
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(head_timeout)
        .keep_alive(true);
    let mut make_service = app.into_make_service_with_connect_info::<SocketAddr>();
    let graceful = GracefulShutdown::new();
    let mut shutdown = pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                // The client gave up before it was accepted: nothing to do.
                Err(error) if is_connection_error(&error) => continue,
                Err(error) => {
                    tracing::warn!("failed to accept a connection: {error}");
                    tokio::time::sleep(ACCEPT_RETRY).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Ok(service) = make_service.call(peer).await;
        let connection =
            http.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            // A client that times out or goes away ends here; that is not the service's fault.
            if let Err(error) = connection.await {
                tracing::debug!("connection from {peer} ended: {error}");
            }
        });
    }
    drop(listener);
    graceful.shutdown().await;
}

/// Whether a failure to accept concerns only the connection being accepted.
fn is_connection_error(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    )
}

#[cfg(test)]
mod tests {
    use std::net::SocketAddr;
    use std::time::Duration;

    use axum::Router;
    use axum::extract::ConnectInfo;
    use axum::routing::get;
    use tencent_chat_webhook_axum::test_util::{self, OK_BODY, TIMED_OUT_BODY, WebhookRequest};
    use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};
    use tokio::net::{TcpListener, TcpStream};
    use tokio::sync::oneshot;
    use tokio::task::{JoinHandle, JoinSet};
    use tokio::time::{Instant, sleep, timeout};

    use tencent_chat_webhook_axum::dedupe::{Dedupe, MemoryStore};

    use super::serve;
    use crate::app::{WEBHOOKS, app, recorder};

    /// The times the test serves with, short so that it runs in about a second.
    const HEAD_TIMEOUT: Duration = Duration::from_millis(1000);
    const BODY_READ_TIMEOUT: Duration = Duration::from_millis(1000);
    /// How early a timeout may seem to fire: a keep-alive's starts as the server finishes
    /// writing its answer, a hair before the client has read it.
    const EARLY: Duration = Duration::from_millis(100);
    /// How late a timeout may fire on a busy machine.
    const SLACK: Duration = Duration::from_millis(1000);
    /// Connections that send half a request head and then nothing. The client and the
    /// server share this process's file-descriptor limit (often 1024), so a few hundred.
    const HALF_HEADS: usize = 300;
    /// Connections that send nothing at all.
    const SILENT: usize = 20;

    /// `app` served on a free loopback port with the test's head timeout, until the sender
    /// is used.
    async fn start(app: Router) -> (SocketAddr, oneshot::Sender<()>, JoinHandle<()>) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = oneshot::channel::<()>();
        let shutdown = async {
            stopped.await.ok();
        };
        let server = tokio::spawn(serve(listener, app, HEAD_TIMEOUT, shutdown));
        (addr, stop, server)
    }

    /// The documented after-send sample, signed for the documented app.
    fn genuine() -> WebhookRequest {
        test_util::sample("official_channel/after_send_msg")
            .unwrap()
            .doc_request()
    }

    /// The answer to a delivered webhook.
    fn delivered() -> (String, String) {
        ("HTTP/1.1 200 OK".to_owned(), OK_BODY.to_owned())
    }

    /// The head of `request` to `/webhook`, kept alive or not.
    fn head(addr: SocketAddr, request: &WebhookRequest, keep_alive: bool) -> String {
        let connection = if keep_alive { "keep-alive" } else { "close" };
        format!(
            "POST {} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\nConnection: {connection}\r\n\r\n",
            request.path_and_query("/webhook"),
            request.body().len()
        )
    }

    /// Reads one answer: its status line and body (by its `Content-Length`).
    async fn answer(stream: &mut (impl AsyncRead + Unpin)) -> (String, String) {
        let mut buf = Vec::new();
        loop {
            if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                let head = String::from_utf8(buf[..end].to_vec()).unwrap();
                let length: usize = head
                    .lines()
                    .find_map(|line| line.strip_prefix("content-length: "))
                    .map_or(0, |length| length.parse().unwrap());
                if buf.len() >= end + 4 + length {
                    let body = String::from_utf8(buf[end + 4..end + 4 + length].to_vec());
                    return (head.lines().next().unwrap().to_owned(), body.unwrap());
                }
            }
            let mut chunk = [0; 1024];
            let read = stream.read(&mut chunk).await.unwrap();
            assert!(read > 0, "the connection closed mid-answer");
            buf.extend_from_slice(&chunk[..read]);
        }
    }

    /// Sends `request` on `stream`, asking to keep it alive, and reads the answer.
    async fn exchange(
        stream: &mut TcpStream,
        addr: SocketAddr,
        request: &WebhookRequest,
    ) -> (String, String) {
        stream
            .write_all(head(addr, request, true).as_bytes())
            .await
            .unwrap();
        stream.write_all(&request.body()).await.unwrap();
        answer(stream).await
    }

    /// Asks for `/`, which the service does not serve, keeping `stream` alive: the status.
    async fn not_found(stream: &mut TcpStream, addr: SocketAddr) -> String {
        let request = format!("GET / HTTP/1.1\r\nHost: {addr}\r\n\r\n");
        stream.write_all(request.as_bytes()).await.unwrap();
        answer(stream).await.0
    }

    /// Sends the genuine request on a fresh connection: its answer and how long it took.
    async fn post_genuine(addr: SocketAddr) -> ((String, String), Duration) {
        let started = Instant::now();
        let request = genuine();
        let mut stream = TcpStream::connect(addr).await.unwrap();
        stream
            .write_all(head(addr, &request, false).as_bytes())
            .await
            .unwrap();
        stream.write_all(&request.body()).await.unwrap();
        (answer(&mut stream).await, started.elapsed())
    }

    /// Reads `stream` until the server closes it, at most `limit` after `since`: what the
    /// server sent, and when it closed, counted from `since`. A reset counts as a close.
    async fn until_closed(
        mut stream: impl AsyncRead + Unpin,
        since: Instant,
        limit: Duration,
    ) -> (Vec<u8>, Duration) {
        let mut sent = Vec::new();
        let read_all = async {
            let mut chunk = [0; 1024];
            loop {
                match stream.read(&mut chunk).await {
                    Ok(0) => break,
                    Ok(read) => sent.extend_from_slice(&chunk[..read]),
                    Err(error) if error.kind() == std::io::ErrorKind::ConnectionReset => break,
                    Err(error) => panic!("{error}"),
                }
            }
        };
        let deadline = since + limit;
        timeout(deadline.saturating_duration_since(Instant::now()), read_all)
            .await
            .unwrap_or_else(|_| panic!("still open {limit:?} after it was held"));
        (sent, since.elapsed())
    }

    /// Connections being read until the server closes them: what each is, what the server
    /// sent before closing it, and when it closed.
    type Closing = JoinSet<(&'static str, Vec<u8>, Duration)>;

    /// Reads `stream` from now on until the server closes it, at most the head timeout (and
    /// slack) after `since`.
    fn hold(closing: &mut Closing, what: &'static str, since: Instant, stream: TcpStream) {
        closing.spawn(async move {
            let (sent, after) = until_closed(stream, since, HEAD_TIMEOUT + SLACK).await;
            (what, sent, after)
        });
    }

    /// Tried as an attacker would: a few hundred connections that send half a request head
    /// and then nothing, some that send nothing, kept-alive connections that go idle or send
    /// half of their second head, and one body sent a byte every 100 ms. Genuine signed
    /// requests are still answered at once, each held connection is closed at the head
    /// timeout, and the trickling body is answered 408 at the body read timeout.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn slow_clients_cannot_hold_the_service() {
        let _turn = WEBHOOKS.lock().await;
        let config = test_util::doc_config()
            .body_read_timeout(BODY_READ_TIMEOUT)
            .build()
            .unwrap();
        let (addr, stop, server) = start(app(
            config,
            &[],
            Some(Dedupe::new(MemoryStore::new())),
            recorder(),
        ))
        .await;
        let request = genuine();
        let full_head = head(addr, &request, true);
        let half_head = &full_head[..full_head.len() / 2];

        // Each held connection is read from when the server owes it something, and timed
        // from then.
        let mut closing = Closing::new();
        for _ in 0..HALF_HEADS {
            let mut stream = TcpStream::connect(addr).await.unwrap();
            let since = Instant::now();
            stream.write_all(half_head.as_bytes()).await.unwrap();
            hold(&mut closing, "half a head", since, stream);
        }
        for _ in 0..SILENT {
            let stream = TcpStream::connect(addr).await.unwrap();
            hold(&mut closing, "nothing", Instant::now(), stream);
        }
        let mut idle = TcpStream::connect(addr).await.unwrap();
        assert_eq!(exchange(&mut idle, addr, &request).await, delivered());
        hold(&mut closing, "an idle keep-alive", Instant::now(), idle);
        // Half of a second head, after a delivered webhook and after a 404 that any
        // stranger can have.
        let mut second = TcpStream::connect(addr).await.unwrap();
        assert_eq!(exchange(&mut second, addr, &request).await, delivered());
        let since = Instant::now();
        second.write_all(half_head.as_bytes()).await.unwrap();
        hold(&mut closing, "half a second head", since, second);
        let mut stranger = TcpStream::connect(addr).await.unwrap();
        assert_eq!(
            not_found(&mut stranger, addr).await,
            "HTTP/1.1 404 Not Found"
        );
        let since = Instant::now();
        stranger.write_all(half_head.as_bytes()).await.unwrap();
        hold(&mut closing, "half a head after a 404", since, stranger);

        // The body, one byte every 100 ms, after a complete head.
        let trickling = TcpStream::connect(addr).await.unwrap();
        let (mut trickle_in, mut trickle_out) = trickling.into_split();
        trickle_out.write_all(full_head.as_bytes()).await.unwrap();
        let body_since = Instant::now();
        let body = request.body();
        let writer = tokio::spawn(async move {
            for byte in body.chunks(1) {
                sleep(Duration::from_millis(100)).await;
                // The server stops reading at the timeout and closes the connection.
                if trickle_out.write_all(byte).await.is_err() {
                    break;
                }
            }
        });

        // Genuine requests are answered at once while all of that is held.
        let mut latencies = Vec::new();
        for _ in 0..4 {
            let (answer, took) = post_genuine(addr).await;
            assert_eq!(answer, delivered());
            latencies.push(took);
            sleep(Duration::from_millis(150)).await;
        }
        println!("genuine requests while held: {latencies:?}");
        let prompt = Duration::from_millis(500);
        assert!(latencies.iter().all(|took| *took < prompt), "{latencies:?}");

        // Every held connection is closed at the head timeout, without an answer.
        let mut closed_after = Vec::new();
        while let Some(closed) = closing.join_next().await {
            let (what, sent, after) = closed.unwrap();
            assert_eq!(String::from_utf8_lossy(&sent), "", "{what}");
            assert!(
                after + EARLY >= HEAD_TIMEOUT,
                "{what}: closed after {after:?}"
            );
            closed_after.push(after);
        }
        closed_after.sort();
        println!(
            "{} held connections closed after {:?} to {:?}",
            closed_after.len(),
            closed_after[0],
            closed_after[closed_after.len() - 1]
        );

        // The trickling body is answered 408 at the body read timeout, then closed.
        let refusal = timeout(BODY_READ_TIMEOUT + SLACK, answer(&mut trickle_in))
            .await
            .expect("the trickling body is still being read");
        let after = body_since.elapsed();
        assert_eq!(
            refusal,
            (
                "HTTP/1.1 408 Request Timeout".to_owned(),
                TIMED_OUT_BODY.to_owned()
            )
        );
        assert!(after >= BODY_READ_TIMEOUT, "answered after {after:?}");
        let since = Instant::now();
        let (_, closed) = until_closed(trickle_in, since, SLACK).await;
        println!("trickling body answered 408 after {after:?}, closed {closed:?} later");
        writer.await.unwrap();

        // And the service goes on.
        assert_eq!(post_genuine(addr).await.0, delivered());
        stop.send(()).unwrap();
        timeout(Duration::from_secs(5), server)
            .await
            .expect("the server did not shut down")
            .unwrap();
    }

    /// Handlers see the peer's address, as with `axum::serve` and connect info.
    #[tokio::test]
    async fn handlers_can_take_the_peer_address() {
        let app = Router::new().route(
            "/peer",
            get(|ConnectInfo(peer): ConnectInfo<SocketAddr>| async move { peer.to_string() }),
        );
        let (addr, stop, server) = start(app).await;
        let mut stream = TcpStream::connect(addr).await.unwrap();
        let local = stream.local_addr().unwrap();
        let request = format!("GET /peer HTTP/1.1\r\nHost: {addr}\r\n\r\n");
        stream.write_all(request.as_bytes()).await.unwrap();
        assert_eq!(
            answer(&mut stream).await,
            ("HTTP/1.1 200 OK".to_owned(), local.to_string())
        );
        stop.send(()).unwrap();
        // The kept-alive connection is closed when the server shuts down.
        timeout(Duration::from_secs(5), server)
            .await
            .expect("the server did not shut down")
            .unwrap();
    }
}
