//! What the library reports through the [`metrics`](https://docs.rs/metrics) facade: a
//! counter of requests by command and [`Outcome`], and a histogram of handler time by
//! command.
//!
//! The library records and never exports: install the recorder of your choice at
//! start-up (the example apps install `metrics-exporter-prometheus`'s and serve it at
//! `GET /metrics`). Without a recorder, recording costs next to nothing.
//!
//! The [metrics section](crate#metrics) of the crate's documentation lists the metrics,
//! their labels and their values.
//!
//! Where each outcome is recorded: rejections and acknowledgements by the pipeline, as
//! it logs them; `handled` and `deadline`, and the handler time, by the adapters'
//! answer-deadline layer (axum) and middleware (actix-web), which see the handler
//! finish (a route without it records neither); `duplicate` by [`duplicate`], which
//! [`Dedupe`](crate::dedupe::Dedupe) calls.

use std::time::Duration;

use crate::answer::{NotDelivered, Rejection};
use crate::request::{CallbackCommand, Delivery};
use crate::stage::HandlerStage;

/// The counter of requests, by [`COMMAND`] and [`OUTCOME`].
pub const REQUESTS: &str = "tencent_chat_webhook_requests_total";
/// The histogram of handler time in seconds, by [`COMMAND`].
pub const HANDLER_SECONDS: &str = "tencent_chat_webhook_handler_seconds";
/// The label holding the request's command.
pub const COMMAND: &str = "command";
/// The label holding the request's [`Outcome`].
pub const OUTCOME: &str = "outcome";

/// How a request ended: the values of the [`OUTCOME`] label.
///
/// ```
/// use tencent_chat_webhook::Rejection;
/// use tencent_chat_webhook::observe::Outcome;
///
/// assert_eq!(Outcome::Handled.label(), "handled");
/// assert_eq!(Outcome::Rejected(&Rejection::MissingConfig).label(), "missing_config");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Outcome<'a> {
    /// The handler answered, in time: `handled`.
    Handled,
    /// Answered OK without calling the handler: the console's probe, or a command the
    /// route's extractor does not take (`acknowledged`).
    Acknowledged,
    /// A retried delivery answered OK without calling the handler again: `duplicate`.
    Duplicate,
    /// The handler had not answered by the deadline, so the command's default was
    /// answered while the handler ran on: `deadline`.
    AnsweredAtDeadline,
    /// Refused: one label value per kind of [`Rejection`], named after it
    /// (`malformed_query`, `malformed_body`, `command_mismatch`, `unauthenticated`,
    /// `unknown_app`, `body_too_large`, `body_timeout`, `missing_config`,
    /// `source_not_allowed`, `no_peer_address`).
    Rejected(&'a Rejection),
}

impl Outcome<'_> {
    /// The value of the [`OUTCOME`] label.
    pub fn label(&self) -> &'static str {
        match self {
            Self::Handled => "handled",
            Self::Acknowledged => "acknowledged",
            Self::Duplicate => "duplicate",
            Self::AnsweredAtDeadline => "deadline",
            // Exhaustive on purpose: a new kind of rejection needs its own label.
            Self::Rejected(rejection) => match rejection {
                Rejection::MalformedQuery(_) => "malformed_query",
                Rejection::MalformedBody(_) => "malformed_body",
                Rejection::CommandMismatch { .. } => "command_mismatch",
                Rejection::Unauthenticated(_) => "unauthenticated",
                Rejection::UnknownApp { .. } => "unknown_app",
                Rejection::BodyTooLarge { .. } => "body_too_large",
                Rejection::MissingConfig => "missing_config",
                Rejection::SourceNotAllowed(_) => "source_not_allowed",
                Rejection::BodyTimeout { .. } => "body_timeout",
                Rejection::NoPeerAddress => "no_peer_address",
            },
        }
    }
}

impl<'a> From<&'a NotDelivered> for Outcome<'a> {
    fn from(outcome: &'a NotDelivered) -> Self {
        match outcome {
            NotDelivered::Rejected(rejection) => Self::Rejected(rejection),
            NotDelivered::Probe | NotDelivered::OtherCommand(_) => Self::Acknowledged,
        }
    }
}

/// The value of the [`COMMAND`] label: the wire name of a command the library models,
/// `other` for any other (its spelling comes from the client: it must not grow the set
/// of label values), `none` without a command.
pub fn command_label(command: Option<&CallbackCommand>) -> &'static str {
    match command {
        None => "none",
        Some(command) => command.known_wire_name().unwrap_or("other"),
    }
}

/// Gives the recorder a description of each metric (the `# HELP` lines of the Prometheus
/// format). Call it once, after installing the recorder.
pub fn describe() {
    ::metrics::describe_counter!(
        REQUESTS,
        "Tencent Chat webhook requests, by command and outcome"
    );
    ::metrics::describe_histogram!(
        HANDLER_SECONDS,
        ::metrics::Unit::Seconds,
        "Time from a decoded Tencent Chat webhook event to its handler's answer"
    );
}

/// Counts a request for `command` (`None` when its query was not read) that ended with
/// `outcome`.
pub(crate) fn record(command: Option<&CallbackCommand>, outcome: Outcome<'_>) {
    ::metrics::counter!(
        REQUESTS,
        COMMAND => command_label(command),
        OUTCOME => outcome.label(),
    )
    .increment(1);
}

/// Records that the handler of a request for `command` took `elapsed`.
pub(crate) fn handler_time(command: &CallbackCommand, elapsed: Duration) {
    ::metrics::histogram!(HANDLER_SECONDS, COMMAND => command_label(Some(command)))
        .record(elapsed.as_secs_f64());
}

/// Counts `delivery` as a retried delivery answered OK without calling its handler.
///
/// For code that recognises repeats: call it once, instead of the handler. On a route
/// with the adapters' answer-deadline layer, the request is then not also counted as
/// handled, and no handler time is recorded for it.
///
/// ```
/// use tencent_chat_webhook::{Answer, Delivery, WebhookEvent};
/// use tencent_chat_webhook::observe;
///
/// fn answer_repeat(delivery: &Delivery<WebhookEvent>) -> Answer {
///     observe::duplicate(delivery);
///     Answer::ok()
/// }
/// ```
pub fn duplicate<E>(delivery: &Delivery<E>) {
    duplicate_of(delivery.query.callback_command(), delivery.stage.as_ref());
}

/// [`duplicate`] for a request for `command` whose handler stage is `stage`.
pub(crate) fn duplicate_of(command: &CallbackCommand, stage: Option<&HandlerStage>) {
    match stage {
        Some(stage) => stage.skip_handler(command, Outcome::Duplicate),
        None => record(Some(command), Outcome::Duplicate),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use std::time::Duration;

    use metrics_util::debugging::{DebugValue, DebuggingRecorder, Snapshotter};
    use metrics_util::{CompositeKey, MetricKind};

    use super::*;
    use crate::answer::{AuthFailure, SourceRefusal};

    /// What `f` recorded, through a recorder of this thread only: each counter and
    /// histogram as `name{label=value,...}` with its count, or its number of samples.
    pub(crate) fn recorded(f: impl FnOnce()) -> Vec<(String, u64)> {
        let recorder = DebuggingRecorder::new();
        let snapshotter: Snapshotter = recorder.snapshotter();
        metrics::with_local_recorder(&recorder, f);
        let mut lines: Vec<_> = snapshotter
            .snapshot()
            .into_vec()
            .into_iter()
            .map(|(key, _, _, value)| (name(&key), amount(value)))
            .collect();
        lines.sort();
        lines
    }

    fn name(key: &CompositeKey) -> String {
        let labels: Vec<_> = key
            .key()
            .labels()
            .map(|label| format!("{}={}", label.key(), label.value()))
            .collect();
        let kind = match key.kind() {
            MetricKind::Counter => "",
            MetricKind::Gauge => "gauge ",
            MetricKind::Histogram => "histogram ",
        };
        format!("{kind}{}{{{}}}", key.key().name(), labels.join(","))
    }

    fn amount(value: DebugValue) -> u64 {
        match value {
            DebugValue::Counter(count) => count,
            DebugValue::Histogram(samples) => samples.len() as u64,
            DebugValue::Gauge(_) => panic!("the library records no gauge"),
        }
    }

    #[test]
    fn every_rejection_has_its_own_label() {
        let rejections = [
            Rejection::malformed_query("x"),
            Rejection::malformed_body("x"),
            Rejection::CommandMismatch {
                query: CallbackCommand::OfficialAccountAfterSendMsg,
                body: None,
            },
            Rejection::Unauthenticated(AuthFailure::SignMismatch),
            Rejection::UnknownApp { sdk_app_id: 1 },
            Rejection::BodyTooLarge { limit: 1 },
            Rejection::MissingConfig,
            Rejection::SourceNotAllowed(SourceRefusal::NotAllowed {
                client: [198, 51, 100, 1].into(),
                peer: [127, 0, 0, 1].into(),
            }),
            Rejection::NoPeerAddress,
            Rejection::BodyTimeout {
                timeout: Duration::from_secs(5),
            },
        ];
        let mut labels: Vec<_> = rejections
            .iter()
            .map(|rejection| Outcome::Rejected(rejection).label())
            .chain(
                [
                    Outcome::Handled,
                    Outcome::Acknowledged,
                    Outcome::Duplicate,
                    Outcome::AnsweredAtDeadline,
                ]
                .iter()
                .map(Outcome::label),
            )
            .collect();
        let count = labels.len();
        labels.sort_unstable();
        labels.dedup();
        assert_eq!(labels.len(), count, "{labels:?}");
        assert!(
            labels
                .iter()
                .all(|label| label.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'))
        );
    }

    #[test]
    fn command_labels_are_bounded() {
        let known = CallbackCommand::OfficialAccountBeforeSendMsg;
        assert_eq!(
            command_label(Some(&known)),
            "OfficialAccount.CallbackBeforeSendMsg"
        );
        let forged = CallbackCommand::from_wire("anything a client cares to send");
        assert_eq!(command_label(Some(&forged)), "other");
        assert_eq!(command_label(None), "none");
    }

    #[test]
    fn records_by_command_and_outcome() {
        let command = CallbackCommand::OfficialAccountAfterSendMsg;
        let lines = recorded(|| {
            record(Some(&command), Outcome::Handled);
            record(Some(&command), Outcome::Handled);
            record(None, Outcome::Rejected(&Rejection::MissingConfig));
            handler_time(&command, Duration::from_millis(3));
        });
        assert_eq!(
            lines,
            [
                (
                    "histogram tencent_chat_webhook_handler_seconds{command=OfficialAccount.CallbackAfterSendMsg}".to_owned(),
                    1
                ),
                (
                    "tencent_chat_webhook_requests_total{command=OfficialAccount.CallbackAfterSendMsg,outcome=handled}".to_owned(),
                    2
                ),
                (
                    "tencent_chat_webhook_requests_total{command=none,outcome=missing_config}"
                        .to_owned(),
                    1
                ),
            ]
        );
    }
}
