//! The conformance table against both adapters, each served on `127.0.0.1:0` and driven
//! over real HTTP: every case must get its expected status, answer and decoded event from
//! each adapter, and both adapters must answer byte for byte alike.

use std::net::{SocketAddr, TcpListener};
use std::thread::JoinHandle;
use std::time::Duration;

use tencent_chat_webhook::official_channel::OfficialChannelEvent;
use tencent_chat_webhook_conformance::{
    Case, Decoded, Log, actix_routes, axum_router, cases, config,
};

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

fn send(agent: &ureq::Agent, server: &Server, case: &Case) -> Result<Outcome, String> {
    let url = format!("http://{}{}?{}", server.addr, case.path, case.query);
    let response = agent
        .post(&url)
        .header("content-type", "application/json")
        .send(&case.body[..])
        .map_err(|error| format!("request failed: {error}"))?;
    let status = response.status().as_u16();
    let body = response
        .into_body()
        .read_to_vec()
        .map_err(|error| format!("reading the answer failed: {error}"))?;
    let decoded = std::mem::take(&mut *server.log.lock().expect("the log"));
    Ok(Outcome {
        status,
        body: String::from_utf8_lossy(&body).into_owned(),
        decoded,
    })
}

/// Everything wrong with one adapter's outcome for `case`.
fn check(case: &Case, outcome: &Outcome, expected_json: Option<&str>) -> Vec<String> {
    let mut wrong = Vec::new();
    if outcome.status != case.status {
        wrong.push(format!(
            "status {} instead of {}",
            outcome.status, case.status
        ));
    }
    if outcome.body != case.answer {
        wrong.push(format!(
            "answer {} instead of {}",
            outcome.body, case.answer
        ));
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
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(10)))
        // A fresh connection per request: a rejected body may be left unread.
        .max_idle_connections(0)
        .build()
        .into();

    let core = config();
    let cases = cases();
    let mut failures = Vec::new();
    for case in &cases {
        // What the core decodes in-process from the same bytes.
        let expected_json = (case.path == "/webhook")
            .then(|| {
                core.receive::<OfficialChannelEvent>(Some(&case.query), case.body.clone())
                    .ok()
            })
            .flatten()
            .map(|delivery| Decoded::of(&delivery.event).json);

        let mut outcomes = Vec::new();
        for server in &servers {
            match send(&agent, server, case) {
                Ok(outcome) => {
                    for wrong in check(case, &outcome, expected_json.as_deref()) {
                        failures.push(format!("[{}] {}: {wrong}", case.name, server.name));
                    }
                    outcomes.push(outcome);
                }
                Err(error) => failures.push(format!("[{}] {}: {error}", case.name, server.name)),
            }
        }
        if let [axum, actix] = &outcomes[..]
            && axum != actix
        {
            failures.push(format!(
                "[{}] the adapters differ: axum {axum:?}, actix-web {actix:?}",
                case.name
            ));
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
