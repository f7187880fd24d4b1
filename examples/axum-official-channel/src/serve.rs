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
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::{TcpListener, TcpStream};
    use tokio::sync::oneshot;
    use tokio::task::JoinSet;
    use tokio::time::{Instant, sleep, timeout};

    use tencent_chat_webhook_axum::dedupe::{Dedupe, MemoryStore};

    use super::serve;
    use crate::app::app;

    /// The times the test serves with, short so that it runs in about a second.
    const HEAD_TIMEOUT: Duration = Duration::from_millis(1000);
    const BODY_READ_TIMEOUT: Duration = Duration::from_millis(1000);
    /// How late a timeout may fire on a busy machine.
    const SLACK: Duration = Duration::from_millis(1000);
    /// Connections that send half a request head and then nothing. The client and the
    /// server share this process's file-descriptor limit (often 1024), so a few hundred.
    const HALF_HEADS: usize = 300;
    /// Connections that send nothing at all.
    const SILENT: usize = 20;

    /// A server on a free loopback port, serving `app` until the sender is used or dropped.
    async fn start(app: Router) -> (SocketAddr, oneshot::Sender<()>, tokio::task::JoinHandle<()>) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = oneshot::channel::<()>();
        let server = tokio::spawn(serve(listener, app, HEAD_TIMEOUT, async {
            stopped.await.ok();
        }));
        (addr, stop, server)
    }

    /// The documented after-send sample, signed for the documented app.
    fn genuine() -> WebhookRequest {
        test_util::sample("official_channel/after_send_msg")
            .unwrap()
            .doc_request()
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
    async fn answer(stream: &mut TcpStream) -> (String, String) {
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
        mut stream: TcpStream,
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

    /// What the server sent before closing, as a status line, if anything.
    fn status_line(sent: &[u8]) -> String {
        String::from_utf8_lossy(sent)
            .lines()
            .next()
            .unwrap_or_default()
            .to_owned()
    }

    /// Tried as an attacker would: a few hundred connections that send half a request head
    /// and then nothing, some that send nothing, kept-alive connections that go idle or send
    /// half of their second head, and one body sent a byte every 100 ms. A genuine signed
    /// request is still answered at once, each held connection is closed within the head
    /// timeout, and the trickling body is answered 408 at the body read timeout.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn slow_clients_cannot_hold_the_service() {
        let config = test_util::doc_config()
            .body_read_timeout(BODY_READ_TIMEOUT)
            .build()
            .unwrap();
        let (addr, stop, server) = start(app(config, &[], Dedupe::new(MemoryStore::new()))).await;
        let request = genuine();
        let full_head = head(addr, &request, true);
        let half_head = &full_head[..full_head.len() / 2];

        // (what, since when the server owes it a head, the connection)
        let mut held = Vec::new();
        for _ in 0..HALF_HEADS {
            let mut stream = TcpStream::connect(addr).await.unwrap();
            let since = Instant::now();
            stream.write_all(half_head.as_bytes()).await.unwrap();
            held.push(("half a head", since, stream));
        }
        for _ in 0..SILENT {
            let stream = TcpStream::connect(addr).await.unwrap();
            held.push(("nothing", Instant::now(), stream));
        }
        for second in ["", half_head] {
            let mut stream = TcpStream::connect(addr).await.unwrap();
            stream.write_all(full_head.as_bytes()).await.unwrap();
            stream.write_all(&request.body()).await.unwrap();
            assert_eq!(
                answer(&mut stream).await,
                ("HTTP/1.1 200 OK".to_owned(), OK_BODY.to_owned())
            );
            let since = Instant::now();
            stream.write_all(second.as_bytes()).await.unwrap();
            let what = if second.is_empty() {
                "an idle keep-alive"
            } else {
                "half a second head"
            };
            held.push((what, since, stream));
        }

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
            assert_eq!(answer, ("HTTP/1.1 200 OK".to_owned(), OK_BODY.to_owned()));
            latencies.push(took);
            sleep(Duration::from_millis(150)).await;
        }
        println!("genuine requests while held: {latencies:?}");
        assert!(
            latencies
                .iter()
                .all(|took| *took < Duration::from_millis(500)),
            "{latencies:?}"
        );

        // Every held connection is closed at the head timeout, without an answer (hyper
        // sends none) or with a 408.
        let mut closing = JoinSet::new();
        for (what, since, stream) in held {
            closing.spawn(async move {
                let (sent, after) = until_closed(stream, since, HEAD_TIMEOUT + SLACK).await;
                (what, status_line(&sent), after)
            });
        }
        let mut closed_after = Vec::new();
        while let Some(closed) = closing.join_next().await {
            let (what, status, after) = closed.unwrap();
            assert!(
                status.is_empty() || status == "HTTP/1.1 408 Request Timeout",
                "{what}: {status}"
            );
            // A keep-alive's timer starts as the server finishes writing, a hair before the
            // client has read the answer.
            assert!(
                after + Duration::from_millis(100) >= HEAD_TIMEOUT,
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
        let mut sent = Vec::new();
        let read = timeout(BODY_READ_TIMEOUT + SLACK, async {
            let mut chunk = [0; 1024];
            loop {
                match trickle_in.read(&mut chunk).await {
                    Ok(0) => break,
                    Ok(read) => sent.extend_from_slice(&chunk[..read]),
                    Err(error) if error.kind() == std::io::ErrorKind::ConnectionReset => break,
                    Err(error) => panic!("{error}"),
                }
            }
        });
        read.await.expect("the trickling body is still being read");
        let after = body_since.elapsed();
        let sent = String::from_utf8(sent).unwrap();
        assert!(
            sent.starts_with("HTTP/1.1 408 Request Timeout\r\n"),
            "{sent}"
        );
        assert!(
            sent.ends_with(&format!("\r\n\r\n{TIMED_OUT_BODY}")),
            "{sent}"
        );
        assert!(after >= BODY_READ_TIMEOUT, "answered after {after:?}");
        println!("trickling body answered 408 after {after:?}");
        writer.await.unwrap();

        // And the service goes on.
        let (answer, _) = post_genuine(addr).await;
        assert_eq!(answer, ("HTTP/1.1 200 OK".to_owned(), OK_BODY.to_owned()));
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
        stream
            .write_all(format!("GET /peer HTTP/1.1\r\nHost: {addr}\r\n\r\n").as_bytes())
            .await
            .unwrap();
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
