//! Runs the service; see the README for its settings.

use std::error::Error;
use std::io::{IsTerminal, stdout};

use axum_official_channel::{Settings, app};
use tokio::net::TcpListener;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .with_ansi(stdout().is_terminal())
        .init();

    let settings = Settings::from_env()?;
    if settings.token.is_none() {
        tracing::warn!(
            "TENCENT_WEBHOOK_TOKEN is not set: accepting unsigned requests for SdkAppid {}",
            settings.sdk_app_id
        );
    }
    let app = app(settings.webhook_config()?, &settings.blocked_words);

    let listener = TcpListener::bind(&settings.bind_addr).await?;
    tracing::info!("listening on http://{}/webhook", listener.local_addr()?);
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    Ok(())
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
