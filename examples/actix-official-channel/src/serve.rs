//! The HTTP server, with bounds on slow and idle clients.

use std::future::Future;
use std::io;
use std::net::TcpListener;
use std::time::Duration;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{Server, ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::http::{ConnectionType, Method, StatusCode};
use actix_web::middleware::{Next, from_fn};
use actix_web::{App, Error, HttpServer};

/// How long a connection may take over its first request head, from when it is opened, and
/// how long it may then sit idle between requests. Tencent gives up on a request after 2 s,
/// so its heads arrive well within this. actix-web counts it on a clock it updates every
/// 500 ms, so it may end up to half a second early.
pub const HEAD_TIMEOUT: Duration = Duration::from_secs(5);

/// How long a connection being closed has to take its last answer, e.g. the 408 to a
/// head that took too long, before it is dropped.
const DISCONNECT_TIMEOUT: Duration = Duration::from_secs(1);

/// Serves the app that `new_app` builds (once per worker) on `listener`; the server is to be
/// awaited: it runs until `shutdown` resolves, then lets the requests in flight finish.
///
/// A connection must deliver its first request head within `head_timeout` of being opened
/// (else 408 and closed), and a kept-alive connection is closed after `head_timeout` idle
/// ([`HEAD_TIMEOUT`] in the service). actix-web bounds only the first head of a connection,
/// so only a delivered webhook keeps its connection open (see [`close_unless_delivered`]).
/// Bodies are bounded by the webhook configuration's body read timeout.
///
/// # Errors
///
/// When the listener cannot be used.
pub fn serve<T>(
    listener: TcpListener,
    new_app: impl Fn() -> App<T> + Send + Clone + 'static,
    head_timeout: Duration,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<Server>
where
    T: ServiceFactory<
            ServiceRequest,
            Config = (),
            Response = ServiceResponse<BoxBody>,
            Error = Error,
            InitError = (),
        > + 'static,
{
    let server = HttpServer::new(move || new_app().wrap(from_fn(close_unless_delivered)))
        .client_request_timeout(head_timeout)
        .keep_alive(head_timeout)
        .client_disconnect_timeout(DISCONNECT_TIMEOUT)
        // actix-web stops at once on Ctrl-C by default; let requests in flight finish.
        .shutdown_signal(shutdown)
        .listen(listener)?;
    Ok(server.run())
}

/// Closes the connection after every answer but a `POST` answered 200, which in this service
/// is an authenticated webhook. actix-web's request head timeout covers only the first
/// request of a connection: a client that got any answer kept alive (a 404, a 401) could
/// then send half of a second head and hold the connection for as long as it likes. Closed
/// instead, it must open a new connection, whose first head the timeout covers.
async fn close_unless_delivered(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let delivered = req.method() == Method::POST;
    let mut res = next.call(req).await?;
    if !(delivered && res.status() == StatusCode::OK) {
        res.response_mut()
            .head_mut()
            .set_connection_type(ConnectionType::Close);
    }
    Ok(res)
}

#[cfg(test)]
mod tests {
    use std::net::{SocketAddr, TcpListener};
    use std::time::Duration;

    use actix_web::dev::ServerHandle;
    use actix_web::rt::task::JoinHandle;
    use tencent_chat_webhook_actix::test_util::{self, OK_BODY, TIMED_OUT_BODY, WebhookRequest};
    use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpStream;
    use tokio::task::JoinSet;
    use tokio::time::{Instant, sleep, sleep_until, timeout};

    use tencent_chat_webhook_actix::dedupe::{Dedupe, MemoryStore};

    use super::{DISCONNECT_TIMEOUT, serve};
    use crate::app::{WEBHOOKS, app, recorder};

    /// The times the test serves with, short so that it runs in about two seconds.
    const HEAD_TIMEOUT: Duration = Duration::from_millis(1000);
    const BODY_READ_TIMEOUT: Duration = Duration::from_millis(1000);
    /// How early a timeout may fire: actix-web's timers run on a clock it updates every
    /// 500 ms.
    const EARLY: Duration = Duration::from_millis(500);
    /// How late a timeout may fire on a busy machine.
    const SLACK: Duration = Duration::from_millis(1000);
    /// Connections that send half a request head and then nothing. The client and the
    /// server share this process's file-descriptor limit (often 1024), so a few hundred.
    const HALF_HEADS: usize = 300;
    /// Connections that send nothing at all.
    const SILENT: usize = 20;

    /// The service on a free loopback port, with the test's timeouts.
    fn start() -> (SocketAddr, ServerHandle, JoinHandle<std::io::Result<()>>) {
        let config = test_util::doc_config()
            .body_read_timeout(BODY_READ_TIMEOUT)
            .build()
            .unwrap();
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let dedupe = Some(Dedupe::new(MemoryStore::new()));
        let metrics = recorder();
        let new_app = move || app(config.clone(), &[], dedupe.clone(), metrics.clone());
        let shutdown = std::future::pending();
        let server = serve(listener, new_app, HEAD_TIMEOUT, shutdown).unwrap();
        let handle = server.handle();
        (addr, handle, actix_web::rt::spawn(server))
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

    /// The connection that sends half of a second head after a 404.
    const AFTER_404: &str = "half a second head after a 404";

    /// Connections being read until the server closes them: what each is, the status line
    /// the server sent before closing it (empty if none), and when it closed.
    type Closing = JoinSet<(&'static str, String, Duration)>;

    /// Reads `stream` from now on until the server closes it, at most `limit` after `since`.
    fn hold(
        closing: &mut Closing,
        what: &'static str,
        since: Instant,
        stream: TcpStream,
        limit: Duration,
    ) {
        closing.spawn(async move {
            let (sent, after) = until_closed(stream, since, limit).await;
            let sent = String::from_utf8_lossy(&sent);
            (
                what,
                sent.lines().next().unwrap_or_default().to_owned(),
                after,
            )
        });
    }

    /// Tried as an attacker would: a few hundred connections that send half a request head
    /// and then nothing, some that send nothing, kept-alive connections that go idle or send
    /// half of their second head, and one body sent a byte every 100 ms. Genuine signed
    /// requests are still answered at once, each held connection is closed at the head
    /// timeout, and the trickling body is answered 408 at the body read timeout.
    #[actix_web::test]
    async fn slow_clients_cannot_hold_the_service() {
        let _turn = WEBHOOKS.lock().await;
        let (addr, handle, server) = start();
        let request = genuine();
        let full_head = head(addr, &request, true);
        let half_head = &full_head[..full_head.len() / 2];

        // Each held connection is read from when the server owes it something, and timed
        // from then.
        let mut closing = Closing::new();
        let limit = HEAD_TIMEOUT + SLACK;
        for _ in 0..HALF_HEADS {
            let mut stream = TcpStream::connect(addr).await.unwrap();
            let since = Instant::now();
            stream.write_all(half_head.as_bytes()).await.unwrap();
            hold(&mut closing, "half a head", since, stream, limit);
        }
        for _ in 0..SILENT {
            let stream = TcpStream::connect(addr).await.unwrap();
            hold(&mut closing, "nothing", Instant::now(), stream, limit);
        }
        let mut idle = TcpStream::connect(addr).await.unwrap();
        assert_eq!(exchange(&mut idle, addr, &request).await, delivered());
        hold(
            &mut closing,
            "an idle keep-alive",
            Instant::now(),
            idle,
            limit,
        );

        // A 404, which any stranger can have, then half of a second head: the 404 closed
        // the connection at once.
        let mut stranger = TcpStream::connect(addr).await.unwrap();
        assert_eq!(
            not_found(&mut stranger, addr).await,
            "HTTP/1.1 404 Not Found"
        );
        let since = Instant::now();
        // The server may have closed it before this arrives.
        let _ = stranger.write_all(half_head.as_bytes()).await;
        hold(&mut closing, AFTER_404, since, stranger, HEAD_TIMEOUT / 2);

        // Delivered, then half of a second head: actix-web does not bound that (see README).
        let mut unbounded = TcpStream::connect(addr).await.unwrap();
        assert_eq!(exchange(&mut unbounded, addr, &request).await, delivered());
        let unbounded_since = Instant::now();
        unbounded.write_all(half_head.as_bytes()).await.unwrap();

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

        // Every held connection is closed at the head timeout, with a 408 if it had not
        // had an answer yet; the one after a 404 at once.
        let mut closed_after = Vec::new();
        while let Some(closed) = closing.join_next().await {
            let (what, status, after) = closed.unwrap();
            match what {
                AFTER_404 => {
                    println!("{what}: closed after {after:?}");
                    continue;
                }
                "an idle keep-alive" => assert_eq!(status, "", "{what}"),
                _ => assert_eq!(status, "HTTP/1.1 408 Request Timeout", "{what}"),
            }
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

        // The trickling body is answered 408 at the body read timeout; the server reads
        // what is still coming for at most its disconnect timeout, then closes.
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
        let (_, closed) = until_closed(trickle_in, since, DISCONNECT_TIMEOUT + SLACK).await;
        println!("trickling body answered 408 after {after:?}, closed {closed:?} later");
        writer.await.unwrap();

        // The known limit: a second head after a delivered webhook is still held.
        sleep_until(unbounded_since + HEAD_TIMEOUT + SLACK).await;
        let mut byte = [0; 1];
        let read = timeout(Duration::from_millis(10), unbounded.read(&mut byte)).await;
        assert!(
            read.is_err(),
            "actix-web now bounds a second head: update the README and this test"
        );
        drop(unbounded);

        // And the service goes on.
        assert_eq!(post_genuine(addr).await.0, delivered());
        handle.stop(true).await;
        timeout(Duration::from_secs(5), server)
            .await
            .expect("the server did not shut down")
            .unwrap()
            .unwrap();
    }
}
