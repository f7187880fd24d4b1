//! A Tencent Cloud Chat webhook service on actix-web: every event is
//! logged, and messages with a blocked word are refused before delivery. See the README for
//! its settings.

mod app;
mod prometheus;
mod serve;
mod settings;

use std::error::Error;
use std::io::{IsTerminal, stdout};
use std::net::TcpListener;
use std::process::ExitCode;

use tencent_chat_webhook_actix::WebhookConfig;
use tencent_chat_webhook_actix::config::IpNet;
use tracing_subscriber::EnvFilter;

use crate::app::app;
use crate::serve::{HEAD_TIMEOUT, serve};
use crate::settings::Settings;

#[actix_web::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .with_ansi(stdout().is_terminal())
        .init();
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!("{error}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn Error>> {
    let settings = Settings::from_env()?;
    let metrics = prometheus::install()?;
    actix_web::rt::spawn(prometheus::upkeep(metrics.clone()));
    // With TENCENT_WEBHOOK_UNSIGNED=1, building the configuration warns that the app
    // accepts unsigned requests.
    let config = settings.webhook_config()?;
    log_sources(&config);
    let dedupe = settings.dedupe()?;
    announce_dedupe(&settings);
    let blocked_words = settings.blocked_words;

    let listener = TcpListener::bind(&settings.bind_addr)?;
    let addr = listener.local_addr()?;
    tracing::info!("listening on http://{addr}/webhook, metrics at http://{addr}/metrics");
    // `HttpServer` builds the app once per worker.
    let new_app = move || {
        app(
            config.clone(),
            &blocked_words,
            dedupe.clone(),
            metrics.clone(),
        )
    };
    serve(listener, new_app, HEAD_TIMEOUT, shutdown_signal())?.await?;
    Ok(())
}

/// Says at start-up whether sources are restricted: Tencent's `Sign` does not cover the
/// body, so without an allow-list whoever sees one signed URL can post any body with it.
fn log_sources(config: &WebhookConfig) {
    match config.allowed_sources() {
        Some(allowed) if config.trusted_proxies().is_empty() => tracing::info!(
            "accepting webhooks only from {}; no trusted proxies, X-Forwarded-For is not read",
            list(allowed),
        ),
        Some(allowed) => tracing::info!(
            "accepting webhooks only from {}; X-Forwarded-For believed from the trusted \
             proxies {}",
            list(allowed),
            list(config.trusted_proxies()),
        ),
        None => tracing::warn!(
            "ALLOWED_SOURCES is not set: webhooks are accepted from any source address; set it \
             to Tencent's webhook addresses (see the README)"
        ),
    }
}

/// Ranges as `203.0.113.0/24, 198.51.100.7/32`.
fn list(ranges: &[IpNet]) -> String {
    ranges
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Says where retried deliveries are recognised, without the URL's password, or that they
/// are handled again.
fn announce_dedupe(settings: &Settings) {
    match &settings.redis_url {
        _ if settings.dedupe_off => tracing::warn!(
            "DEDUPE=off: a retried after-webhook is handled again; leave it unset unless retry \
             on timeout is off in the console"
        ),
        Some(_) => tracing::info!("retried deliveries are recognised through Redis (REDIS_URL)"),
        None => tracing::info!(
            "retried deliveries are recognised in memory: set REDIS_URL when several \
             instances serve the webhook"
        ),
    }
}

/// Resolves on Ctrl-C or, on Unix, SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        tokio::signal::ctrl_c()
            .await
            .expect("failed to listen for Ctrl-C");
    };
    #[cfg(unix)]
    let terminate = async {
        tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            .expect("failed to listen for SIGTERM")
            .recv()
            .await;
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();

    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
    tracing::info!("shutting down");
}
