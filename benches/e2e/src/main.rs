//! The server of the end-to-end load benchmark (`benches/e2e.sh`).
//!
//! One binary serves, on one framework with one set of server settings:
//!
//! - `POST /webhook`: what the example services do, with the adapter's extractor
//!   (`Callback<OfficialChannelEvent>`): one INFO line per event and the moderation demo's
//!   verdict on `BeforeSendMsg` (no blocked words here), any other event answered OK;
//! - `POST /noop`: reads the body and answers the fixed OK envelope;
//! - `POST /typed`: reads the body, decodes it with `serde_json::from_slice::<AfterSendMsg>`
//!   and answers the same OK envelope, with no check at all: the least that any receiver
//!   decoding into typed Rust does, and so the floor for `/webhook`;
//! - `POST /manual`: what a user would write by hand: the framework's
//!   `Json<serde_json::Value>` and `Query`, then the checks (SdkAppid, freshness, Sign
//!   recomputed with `sha2` and compared as hex, CallbackCommand) and the same answer.
//!
//! ```text
//! e2e-bench --framework axum|actix [--addr 127.0.0.1:3000] [--workers 1] [--log warn]
//! ```
//!
//! The app is [`SDK_APP_ID`] with the token [`TOKEN`] and the default freshness window
//! (60 s), so a client signs its URL with a fresh `RequestTime` for every run. `--log`
//! is a `tracing` filter; logs go to standard output.

use std::error::Error;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::Deserialize;
use sha2::{Digest, Sha256};
use tencent_chat_webhook::official_channel::{BeforeSendMsgReply, OfficialChannelEvent};
use tencent_chat_webhook::{Answer, WebhookConfig};
use tracing_subscriber::EnvFilter;

/// The `SdkAppid` the server accepts.
const SDK_APP_ID: u64 = 1_400_000_000;
/// The token the server checks `Sign` against (`SHA-256(TOKEN ‖ RequestTime)`).
const TOKEN: &str = "e2e-bench-token";
/// How far `RequestTime` may lie from now, either way, in `/manual` (the core's default).
const MAX_SKEW: u64 = 60;
/// The only command `/manual` accepts.
const AFTER_SEND_MSG: &str = "OfficialAccount.CallbackAfterSendMsg";
/// The answer of `/noop` and `/manual`, the same bytes as the core's OK envelope.
const OK: &str = r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}"#;
/// The answer of `/manual` to a request that fails a check.
const FAIL: &str = r#"{"ActionStatus":"FAIL","ErrorCode":1,"ErrorInfo":"unauthorized"}"#;
/// The answer of `/typed` to a body that is not the event.
const MALFORMED: &str = r#"{"ActionStatus":"FAIL","ErrorCode":1,"ErrorInfo":"malformed body"}"#;
const JSON: &str = "application/json";

#[derive(Debug, Clone, Copy)]
enum Framework {
    Axum,
    Actix,
}

#[derive(Debug)]
struct Args {
    framework: Framework,
    addr: String,
    workers: usize,
    log: String,
}

fn parse_args() -> Result<Args, String> {
    let mut framework = None;
    let mut addr = "127.0.0.1:3000".to_owned();
    let mut workers = 1;
    let mut log = "warn".to_owned();
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--framework" => {
                framework = Some(match value()?.as_str() {
                    "axum" => Framework::Axum,
                    "actix" => Framework::Actix,
                    other => return Err(format!("unknown framework {other:?}")),
                });
            }
            "--addr" => addr = value()?,
            "--workers" => {
                workers = value()?
                    .parse()
                    .map_err(|_| "--workers is not a number".to_owned())?;
            }
            "--log" => log = value()?,
            _ => return Err(format!("unknown argument {flag:?}")),
        }
    }
    let framework = framework.ok_or("--framework axum|actix is required")?;
    Ok(Args {
        framework,
        addr,
        workers,
        log,
    })
}

fn main() -> Result<(), Box<dyn Error>> {
    let args = parse_args().map_err(|error| {
        format!("{error}\nusage: e2e-bench --framework axum|actix [--addr ADDR] [--workers N] [--log FILTER]")
    })?;
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_new(&args.log)?)
        .with_ansi(false)
        .init();
    match args.framework {
        Framework::Axum => axum_server::run(&args),
        Framework::Actix => actix_server::run(&args),
    }
}

/// The configuration of `/webhook`: the app, signed with [`TOKEN`].
fn webhook_config() -> Result<WebhookConfig, tencent_chat_webhook::config::ConfigError> {
    WebhookConfig::builder().app(SDK_APP_ID, [TOKEN]).build()
}

/// The words the moderation demo refuses, in lower case: none, as the examples by default.
const BLOCKED_WORDS: &[&str] = &[];

/// What the examples do with an accepted event: log it on one line, refuse a `BeforeSendMsg`
/// whose text contains a blocked word and allow any other, answer any other event OK.
fn handle(event: &OfficialChannelEvent) -> Answer {
    tracing::info!("{}", event);
    match event {
        OfficialChannelEvent::BeforeSendMsg(msg) => {
            let blocked = msg
                .texts()
                .map(str::to_lowercase)
                .any(|text| BLOCKED_WORDS.iter().any(|word| text.contains(word)));
            if blocked {
                BeforeSendMsgReply::Refuse.into()
            } else {
                BeforeSendMsgReply::allow().into()
            }
        }
        _ => Answer::ok(),
    }
}

/// The URL parameters a hand-written handler reads; the others are ignored.
#[derive(Debug, Deserialize)]
struct ManualQuery {
    #[serde(rename = "SdkAppid")]
    sdk_app_id: u64,
    #[serde(rename = "CallbackCommand")]
    callback_command: String,
    #[serde(rename = "Sign")]
    sign: String,
    #[serde(rename = "RequestTime")]
    request_time: String,
}

/// The checks a user would write by hand, in the order a user would write them.
fn manual_checks(query: &ManualQuery, body: &serde_json::Value) -> bool {
    if query.sdk_app_id != SDK_APP_ID {
        return false;
    }
    let Ok(request_time) = query.request_time.parse::<u64>() else {
        return false;
    };
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_secs());
    if now.abs_diff(request_time) > MAX_SKEW {
        return false;
    }
    let expected = hex::encode(
        Sha256::new()
            .chain_update(TOKEN)
            .chain_update(&query.request_time)
            .finalize(),
    );
    if !expected.eq_ignore_ascii_case(&query.sign) {
        return false;
    }
    query.callback_command == AFTER_SEND_MSG
        && body
            .get("CallbackCommand")
            .and_then(serde_json::Value::as_str)
            == Some(AFTER_SEND_MSG)
}

mod axum_server {
    use axum::Json;
    use axum::Router;
    use axum::body::Bytes;
    use axum::extract::Query;
    use axum::http::StatusCode;
    use axum::http::header::CONTENT_TYPE;
    use axum::response::IntoResponse;
    use axum::routing::post;
    use tencent_chat_webhook::Answer;
    use tencent_chat_webhook::official_channel::{AfterSendMsg, OfficialChannelEvent};
    use tencent_chat_webhook_axum::{Callback, Reply};

    use super::{Args, FAIL, JSON, MALFORMED, ManualQuery, OK, handle, manual_checks};

    pub(super) fn run(args: &Args) -> Result<(), Box<dyn std::error::Error>> {
        let app = Router::new()
            .route("/webhook", post(webhook))
            .with_state(super::webhook_config()?)
            .route("/noop", post(noop))
            .route("/typed", post(typed))
            .route("/manual", post(manual));
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(args.workers)
            .enable_all()
            .build()?
            .block_on(async {
                let listener = tokio::net::TcpListener::bind(&args.addr).await?;
                eprintln!("axum: listening on http://{}", listener.local_addr()?);
                axum::serve(listener, app).await
            })?;
        Ok(())
    }

    async fn webhook(Callback(delivery): Callback<OfficialChannelEvent>) -> Reply<Answer> {
        Reply(handle(&delivery.event))
    }

    async fn noop(_body: Bytes) -> impl IntoResponse {
        ([(CONTENT_TYPE, JSON)], OK)
    }

    async fn typed(body: Bytes) -> impl IntoResponse {
        match serde_json::from_slice::<AfterSendMsg>(&body) {
            Ok(_event) => (StatusCode::OK, [(CONTENT_TYPE, JSON)], OK),
            Err(_) => (StatusCode::BAD_REQUEST, [(CONTENT_TYPE, JSON)], MALFORMED),
        }
    }

    async fn manual(
        Query(query): Query<ManualQuery>,
        Json(body): Json<serde_json::Value>,
    ) -> impl IntoResponse {
        if manual_checks(&query, &body) {
            (StatusCode::OK, [(CONTENT_TYPE, JSON)], OK)
        } else {
            (StatusCode::UNAUTHORIZED, [(CONTENT_TYPE, JSON)], FAIL)
        }
    }
}

mod actix_server {
    use actix_web::{App, HttpResponse, HttpServer, web};
    use tencent_chat_webhook::Answer;
    use tencent_chat_webhook::official_channel::{AfterSendMsg, OfficialChannelEvent};
    use tencent_chat_webhook_actix::{Callback, Reply};

    use super::{Args, FAIL, JSON, MALFORMED, ManualQuery, OK, handle, manual_checks};

    pub(super) fn run(args: &Args) -> Result<(), Box<dyn std::error::Error>> {
        let config = super::webhook_config()?;
        actix_web::rt::System::new().block_on(async {
            let server = HttpServer::new(move || {
                App::new()
                    .app_data(config.clone())
                    .service(web::resource("/webhook").route(web::post().to(webhook)))
                    .service(web::resource("/noop").route(web::post().to(noop)))
                    .service(web::resource("/typed").route(web::post().to(typed)))
                    .service(web::resource("/manual").route(web::post().to(manual)))
            })
            .workers(args.workers)
            .bind(&args.addr)?;
            for addr in server.addrs() {
                eprintln!("actix: listening on http://{addr}");
            }
            server.run().await
        })?;
        Ok(())
    }

    async fn webhook(Callback(delivery): Callback<OfficialChannelEvent>) -> Reply<Answer> {
        Reply(handle(&delivery.event))
    }

    async fn noop(_body: web::Bytes) -> HttpResponse {
        HttpResponse::Ok().content_type(JSON).body(OK)
    }

    async fn typed(body: web::Bytes) -> HttpResponse {
        match serde_json::from_slice::<AfterSendMsg>(&body) {
            Ok(_event) => HttpResponse::Ok().content_type(JSON).body(OK),
            Err(_) => HttpResponse::BadRequest()
                .content_type(JSON)
                .body(MALFORMED),
        }
    }

    async fn manual(
        query: web::Query<ManualQuery>,
        body: web::Json<serde_json::Value>,
    ) -> HttpResponse {
        if manual_checks(&query, &body) {
            HttpResponse::Ok().content_type(JSON).body(OK)
        } else {
            HttpResponse::Unauthorized().content_type(JSON).body(FAIL)
        }
    }
}
