//! The conformance table against both adapters, each served on `127.0.0.1:0` and driven
//! over real HTTP: every case must get its expected status, answer and decoded event from
//! each adapter, and both adapters must answer byte for byte alike.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::thread::JoinHandle;
use std::time::Duration;

use tencent_chat_webhook::WebhookEvent;
use tencent_chat_webhook::request::Bytes;
use tencent_chat_webhook::test_util::{OK_BODY, malformed_body_body};
use tencent_chat_webhook_conformance::{
    Case, Decoded, Log, actix_routes, axum_router, cases, config,
};

/// The route both services answer on.
const PATH: &str = "/webhook";

/// A server running on its own thread, stopped on drop.
struct Server {
    name: &'static str,
    addr: SocketAddr,
    log: Log,
    stop: Option<Box<dyn FnOnce() + Send>>,
    thread: Option<JoinHandle<()>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            stop();
        }
        if let Some(thread) = self.thread.take() {
            thread.join().expect("the server thread ends cleanly");
        }
    }
}

fn listener() -> (TcpListener, SocketAddr) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    let addr = listener.local_addr().expect("a bound address");
    (listener, addr)
}

fn serve_axum() -> Server {
    let (listener, addr) = listener();
    listener
        .set_nonblocking(true)
        .expect("a non-blocking listener");
    let log = Log::default();
    let app = axum_router(config(), log.clone());
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let thread = std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("a tokio runtime");
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).expect("a tokio listener");
            // With the peer address, which the allow-list of sources is checked against.
            let app = app.into_make_service_with_connect_info::<SocketAddr>();
            axum::serve(listener, app)
                .with_graceful_shutdown(async move {
                    let _ = stop_rx.await;
                })
                .await
                .expect("axum serves");
        });
    });
    Server {
        name: "axum",
        addr,
        log,
        stop: Some(Box::new(move || {
            let _ = stop_tx.send(());
        })),
        thread: Some(thread),
    }
}

fn serve_actix() -> Server {
    let (listener, addr) = listener();
    let log = Log::default();
    let server_log = log.clone();
    let (handle_tx, handle_rx) = std::sync::mpsc::channel();
    let thread = std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            let config = config();
            let server = actix_web::HttpServer::new(move || {
                actix_web::App::new().configure(|cfg| actix_routes(cfg, &config, &server_log))
            })
            .workers(1)
            .disable_signals()
            .listen(listener)
            .expect("actix-web listens")
            .run();
            handle_tx.send(server.handle()).expect("the test waits");
            server.await.expect("actix-web serves");
        });
    });
    let handle = handle_rx.recv().expect("the actix-web server starts");
    Server {
        name: "actix-web",
        addr,
        log,
        stop: Some(Box::new(move || {
            // The command is sent now; the thread's join waits for it to take effect.
            drop(handle.stop(true));
        })),
        thread: Some(thread),
    }
}

/// What an adapter answered, and what its handler decoded.
#[derive(Debug, PartialEq, Eq)]
struct Outcome {
    status: u16,
    body: String,
    decoded: Vec<Decoded>,
}

/// Sends `case` over a fresh connection, byte for byte as the case holds it, and reads
/// the answer. The body is written on its own thread while the answer is read, so that a
/// server that answers early (401, 413) and closes is still heard.
fn send(server: &Server, case: &Case) -> Result<Outcome, String> {
    let mut target = Vec::from(PATH.as_bytes());
    target.push(b'?');
    match &case.raw_query {
        Some(raw) => target.extend_from_slice(raw),
        None => target.extend_from_slice(case.query.as_bytes()),
    }
    let (status, body) = exchange(server.addr, &target, &case.forwarded_for, case.body.clone())?;
    let decoded = std::mem::take(&mut *server.log.lock().expect("the log"));
    Ok(Outcome {
        status,
        body: String::from_utf8_lossy(&body).into_owned(),
        decoded,
    })
}

/// One `POST` with `Connection: close` and an `X-Forwarded-For` header per value of
/// `forwarded_for`; the status and body of the answer.
fn exchange(
    addr: SocketAddr,
    target: &[u8],
    forwarded_for: &[String],
    body: Bytes,
) -> Result<(u16, Vec<u8>), String> {
    let mut stream = TcpStream::connect(addr).map_err(|error| format!("connect: {error}"))?;
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .map_err(|error| error.to_string())?;
    let mut head = b"POST ".to_vec();
    head.extend_from_slice(target);
    head.extend_from_slice(
        format!(
            " HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\nConnection: close\r\n",
            body.len()
        )
        .as_bytes(),
    );
    for value in forwarded_for {
        head.extend_from_slice(format!("X-Forwarded-For: {value}\r\n").as_bytes());
    }
    head.extend_from_slice(b"\r\n");
    let mut writer = stream.try_clone().map_err(|error| error.to_string())?;
    // A server may answer and close before the body is sent: a failed write is fine.
    let writing = std::thread::spawn(move || {
        let _ = writer
            .write_all(&head)
            .and_then(|()| writer.write_all(&body));
    });
    let mut answer = Vec::new();
    let read = stream.read_to_end(&mut answer);
    writing.join().expect("the writer thread ends");
    if answer.is_empty() {
        return Err(format!("no answer: {read:?}"));
    }
    parse_answer(&answer)
}

/// The status and body of an HTTP/1.1 answer (`Content-Length` or chunked).
fn parse_answer(answer: &[u8]) -> Result<(u16, Vec<u8>), String> {
    let text = String::from_utf8_lossy(answer);
    let end = text.find("\r\n\r\n").ok_or("no end of the answer's head")?;
    let (head, rest) = (&text[..end], &answer[end + 4..]);
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|status| status.parse().ok())
        .ok_or_else(|| format!("no status in {head:?}"))?;
    let header = |name: &str| {
        head.split("\r\n").skip(1).find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.eq_ignore_ascii_case(name)
                .then(|| value.trim().to_owned())
        })
    };
    let body = if header("transfer-encoding").is_some_and(|value| value.contains("chunked")) {
        let mut body = Vec::new();
        let mut rest = rest;
        loop {
            let line_end = rest
                .windows(2)
                .position(|w| w == b"\r\n")
                .ok_or("a truncated chunk")?;
            let size = usize::from_str_radix(String::from_utf8_lossy(&rest[..line_end]).trim(), 16)
                .map_err(|error| format!("a chunk size: {error}"))?;
            if size == 0 {
                break body;
            }
            let chunk = rest
                .get(line_end + 2..line_end + 2 + size)
                .ok_or("a truncated chunk")?;
            body.extend_from_slice(chunk);
            rest = &rest[line_end + 4 + size..];
        }
    } else {
        let length: usize = header("content-length")
            .ok_or("neither Content-Length nor chunked")?
            .parse()
            .map_err(|_| "a bad Content-Length")?;
        rest.get(..length).ok_or("a truncated body")?.to_vec()
    };
    Ok((status, body))
}

/// Everything wrong with one adapter's outcome for `case`, where `expected` is the
/// status and answer that adapter's server must give.
fn check(
    case: &Case,
    expected: (u16, &str),
    outcome: &Outcome,
    expected_json: Option<&str>,
) -> Vec<String> {
    let mut wrong = Vec::new();
    if outcome.status != expected.0 {
        wrong.push(format!(
            "status {} instead of {}",
            outcome.status, expected.0
        ));
    }
    if outcome.body != expected.1 {
        wrong.push(format!("answer {} instead of {}", outcome.body, expected.1));
    }
    let summaries: Vec<_> = outcome.decoded.iter().map(|d| d.summary.as_str()).collect();
    let expected: Vec<_> = case.decoded.as_deref().into_iter().collect();
    if summaries != expected {
        wrong.push(format!("decoded {summaries:?} instead of {expected:?}"));
    }
    let jsons: Vec<_> = outcome.decoded.iter().map(|d| d.json.as_str()).collect();
    let expected: Vec<_> = expected_json.into_iter().collect();
    if !outcome.decoded.is_empty() && jsons != expected {
        wrong.push(format!(
            "decoded event {jsons:?} differs from the core's own decoding {expected:?}"
        ));
    }
    wrong
}

#[test]
fn both_adapters_answer_every_case_alike_over_http() {
    let servers = [serve_axum(), serve_actix()];

    let core = config();
    let cases = cases();
    let mut failures = Vec::new();
    for case in &cases {
        // What the core decodes in-process from the same bytes.
        let expected_json = case
            .raw_query
            .is_none()
            .then(|| {
                core.receive::<WebhookEvent>(Some(&case.query), case.body.clone())
                    .ok()
            })
            .flatten()
            .map(|delivery| Decoded::of(&delivery.event).json);

        let mut outcomes = Vec::new();
        for (index, server) in servers.iter().enumerate() {
            let expected = match &case.per_framework {
                Some(answers) => (answers[index].0, answers[index].1.as_str()),
                None => (case.status, case.answer.as_str()),
            };
            match send(server, case) {
                Ok(outcome) => {
                    for wrong in check(case, expected, &outcome, expected_json.as_deref()) {
                        failures.push(format!("[{}] {}: {wrong}", case.name, server.name));
                    }
                    outcomes.push(outcome);
                }
                Err(error) => failures.push(format!("[{}] {}: {error}", case.name, server.name)),
            }
        }
        if let [axum, actix] = &outcomes[..]
            && case.per_framework.is_none()
            && axum != actix
        {
            failures.push(format!(
                "[{}] the adapters differ: axum {axum:?}, actix-web {actix:?}",
                case.name
            ));
        }
    }
    // Neither server was hurt by any case: both still answer the documented sample.
    for server in &servers {
        let sample = cases
            .iter()
            .find(|case| case.name == "command: after_send_msg")
            .expect("the sample case");
        match send(server, sample) {
            Ok(outcome) if outcome.status == 200 => {}
            other => failures.push(format!("{} after the table: {other:?}", server.name)),
        }
    }
    drop(servers);

    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
    println!("{} cases, both adapters alike", cases.len());
}

/// The head of `case` (announcing its whole body, `Connection: close`) and its body.
fn head_and_body(addr: SocketAddr, case: &Case) -> (Vec<u8>, Bytes) {
    let head = format!(
        "POST {PATH}?{} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n",
        case.query,
        case.body.len()
    );
    (head.into_bytes(), case.body.clone())
}

/// Clients that stop mid-body: 50 that close their socket, one that closes only its
/// sending half (the server sees the stream end early), and one that sends its body
/// slowly. No handler ever sees a partial body, the half-closed client is answered
/// 400 malformed body, the slow one is served, and each server still serves afterwards.
#[test]
fn clients_that_stop_mid_body_reach_no_handler_and_slow_ones_are_served() {
    let servers = [serve_axum(), serve_actix()];
    let sample = cases()
        .into_iter()
        .find(|case| case.name == "command: after_send_msg")
        .expect("the sample case");
    let connect = |addr| {
        let stream = TcpStream::connect(addr).expect("a connection");
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .expect("a timeout");
        stream
    };
    for server in &servers {
        let (head, body) = head_and_body(server.addr, &sample);
        let half = &body[..body.len() / 2];

        for _ in 0..50 {
            let mut stream = connect(server.addr);
            stream.write_all(&head).expect("the head");
            stream.write_all(half).expect("half the body");
        }

        let mut stream = connect(server.addr);
        stream.write_all(&head).expect("the head");
        stream.write_all(half).expect("half the body");
        stream
            .shutdown(std::net::Shutdown::Write)
            .expect("a half-close");
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer).expect("an answer");
        assert_eq!(
            parse_answer(&answer),
            Ok((
                400,
                malformed_body_body("the body could not be read to its end").into_bytes()
            )),
            "{}: a body cut short",
            server.name
        );

        std::thread::sleep(Duration::from_millis(200));
        assert_eq!(
            server.log.lock().expect("the log").len(),
            0,
            "{}: a handler saw a partial body",
            server.name
        );

        // A slow body: ten pieces, 100 ms apart.
        let mut stream = connect(server.addr);
        stream.write_all(&head).expect("the head");
        for piece in body.chunks(body.len().div_ceil(10)) {
            std::thread::sleep(Duration::from_millis(100));
            stream.write_all(piece).expect("a piece of the body");
        }
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer).expect("an answer");
        assert_eq!(
            parse_answer(&answer),
            Ok((200, OK_BODY.as_bytes().to_vec())),
            "{}: a slow body",
            server.name
        );
        assert_eq!(server.log.lock().expect("the log").len(), 1);

        let outcome = send(server, &sample).expect("an answer afterwards");
        assert_eq!(outcome.status, 200, "{}", server.name);
    }
}
