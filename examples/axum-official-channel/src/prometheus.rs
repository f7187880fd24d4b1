//! The library's metrics in the Prometheus text format: the recorder, installed once at
//! start-up, and its upkeep.

use std::time::Duration;

use metrics_exporter_prometheus::{BuildError, Matcher, PrometheusBuilder, PrometheusHandle};
use tencent_chat_webhook_axum::observe;

/// The buckets of the handler time, in seconds: fine below the 1.5 s answer deadline and
/// Tencent's 2 s, coarse above.
const HANDLER_SECONDS_BUCKETS: &[f64] = &[
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 1.5, 2.0, 5.0, 10.0,
];

/// Installs the process's metrics recorder, with the library's descriptions of its
/// metrics, and returns the handle that renders it. A process has one recorder: call this
/// once.
///
/// # Errors
///
/// When a recorder is already installed.
pub fn install() -> Result<PrometheusHandle, BuildError> {
    let metrics = PrometheusBuilder::new()
        .set_buckets_for_metric(
            Matcher::Full(observe::HANDLER_SECONDS.to_owned()),
            HANDLER_SECONDS_BUCKETS,
        )?
        .install_recorder()?;
    observe::describe();
    Ok(metrics)
}

/// Runs the recorder's upkeep every few seconds, as the exporter asks of a recorder
/// without its own listener, so that histogram samples do not pile up between scrapes.
pub async fn upkeep(metrics: PrometheusHandle) {
    let mut every = tokio::time::interval(Duration::from_secs(5));
    loop {
        every.tick().await;
        metrics.run_upkeep();
    }
}
