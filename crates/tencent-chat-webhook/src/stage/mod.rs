//! The handler stage of one request: when it may be answered for its handler, and how
//! it ended. Shared by an adapter's answer-deadline layer, which creates it, the
//! pipeline, which arms it once the request is authenticated and decoded, and the
//! [`Delivery`](crate::Delivery), which carries it to the handler.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

use crate::answer::Answer;
use crate::observe::{self, Outcome};
use crate::request::CallbackCommand;

mod route;

pub use self::route::{Answered, RouteRun, RunOn};

/// The handler stage of one request, for adapters: an answer-deadline layer makes one
/// when a request arrives and puts it in the request's extensions, the extractor hands
/// it to [`Authenticated::with_stage`](crate::pipeline::Authenticated::with_stage), and
/// the pipeline arms it once the request is authenticated and its event decoded.
///
/// The layer hands the rest of the route (extractor and handler) to [`run`](Self::run)
/// and awaits [`RouteRun::answer`]: once the stage is [`armed`](Self::armed), it waits no
/// longer than the deadline; past it, it answers [`expire`](Self::expire)'s answer and
/// lets the route run on. Whenever the route ends, it calls [`finish`](Self::finish) (or
/// [`panicked`](Self::panicked)). A request that is rejected or acknowledged is never
/// armed, so its own answer always goes out, whatever the time.
///
/// The stage decides the answer at the deadline and does the logging and the
/// [metrics](crate::observe): `handled`, `deadline`, and the handler time.
#[derive(Clone)]
pub struct HandlerStage {
    shared: Arc<Mutex<State>>,
}

struct State {
    arrived: Instant,
    armed: Option<Armed>,
    /// The layer waiting for the stage to be armed.
    waker: Option<Waker>,
    /// The answer at the deadline went out: the handler's own answer is no longer read.
    expired: bool,
    /// The request's outcome was recorded before its handler ended (a duplicate), and
    /// no handler ran.
    skipped: bool,
    finished: bool,
}

struct Armed {
    command: CallbackCommand,
    /// When the handler was given the event.
    at: Instant,
    /// `None` when the configured deadline is too far to be represented: never.
    deadline: Option<Instant>,
    answer: Answer,
}

impl HandlerStage {
    /// The stage of a request arriving now; the deadline counts from here.
    pub fn new() -> Self {
        Self {
            shared: Arc::new(Mutex::new(State {
                arrived: Instant::now(),
                armed: None,
                waker: None,
                expired: false,
                skipped: false,
                finished: false,
            })),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // Nothing that holds the lock panics, but a poisoned stage must still answer.
        self.shared.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Arms the stage for a decoded request for `command`: the deadline is `deadline`
    /// after its arrival, and the answer then is `answer` (the
    /// [`FailureStrategy`](crate::config::FailureStrategy)'s for the event). A stage is
    /// armed once; later calls change nothing.
    pub(crate) fn arm(&self, command: &CallbackCommand, deadline: Duration, answer: Answer) {
        let mut state = self.lock();
        if state.armed.is_some() {
            return;
        }
        state.armed = Some(Armed {
            command: command.clone(),
            at: Instant::now(),
            deadline: state.arrived.checked_add(deadline),
            answer,
        });
        if let Some(waker) = state.waker.take() {
            waker.wake();
        }
    }

    /// Resolves, to the instant of the deadline, once the stage is armed; never for a
    /// request that is not (rejected, acknowledged, or not taken by the extractor), nor
    /// for a deadline too far to be represented.
    pub fn armed(&self) -> impl Future<Output = Instant> + Send + 'static {
        WhenArmed(self.clone())
    }

    /// The deadline passed before the handler answered: marks the handler's answer as
    /// unread, logs a WARN with the command and the time taken, counts the request as
    /// answered at the deadline, and returns the answer to send: the command's default
    /// under the configured [`FailureStrategy`](crate::config::FailureStrategy).
    ///
    /// `None` when there is nothing to answer for the handler: the stage is not armed,
    /// or the handler already ended (the adapter then sends the handler's answer).
    pub fn expire(&self) -> Option<Answer> {
        let mut state = self.lock();
        if state.expired || state.finished {
            return None;
        }
        let waited = state.arrived.elapsed();
        let armed = state.armed.as_ref()?;
        let (command, answer) = (armed.command.clone(), armed.answer.clone());
        state.expired = true;
        drop(state);
        tracing::warn!(
            command = command.as_str(),
            elapsed_ms = waited.as_millis(),
            "webhook answered at the deadline with the command's default; its handler runs on"
        );
        observe::record(Some(&command), Outcome::AnsweredAtDeadline);
        Some(answer)
    }

    /// The route's task ended with an answer: records the handler time and, unless the
    /// deadline's answer went out (then the late completion is logged at INFO), counts
    /// the request as handled. Nothing for a stage that was never armed: the pipeline
    /// has counted the request already.
    pub fn finish(&self) {
        let mut state = self.lock();
        if state.finished {
            return;
        }
        state.finished = true;
        let Some(armed) = &state.armed else {
            return;
        };
        let (expired, skipped) = (state.expired, state.skipped);
        let (command, took) = (armed.command.clone(), armed.at.elapsed());
        let since_arrival = state.arrived.elapsed();
        drop(state);
        if skipped {
            return;
        }
        observe::handler_time(&command, took);
        if expired {
            tracing::info!(
                command = command.as_str(),
                elapsed_ms = since_arrival.as_millis(),
                handler_ms = took.as_millis(),
                "webhook handler finished after the answer at the deadline"
            );
        } else {
            observe::record(Some(&command), Outcome::Handled);
        }
    }

    /// The route panicked while it ran on, after the answer at the deadline went out or
    /// its request went away (before that, the panic goes on as the framework would see
    /// it without the layer): logged at ERROR, since nobody else will see it.
    pub fn panicked(&self) {
        let mut state = self.lock();
        state.finished = true;
        let command = state.armed.as_ref().map(|armed| armed.command.clone());
        drop(state);
        let command = command.as_ref().map_or("", CallbackCommand::as_str);
        tracing::error!(
            command,
            "webhook handler panicked while it ran on after its request was answered for \
             or went away"
        );
    }

    /// The request ended with `outcome` without running its handler: counted now, and
    /// neither counted as handled nor timed when the route's task ends.
    pub(crate) fn skip_handler(&self, command: &CallbackCommand, outcome: Outcome<'_>) {
        let mut state = self.lock();
        let first = !state.skipped;
        state.skipped = true;
        drop(state);
        if first {
            observe::record(Some(command), outcome);
        }
    }
}

impl Default for HandlerStage {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for HandlerStage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.lock();
        f.debug_struct("HandlerStage")
            .field(
                "command",
                &state.armed.as_ref().map(|armed| armed.command.as_str()),
            )
            .field("expired", &state.expired)
            .field("finished", &state.finished)
            .finish_non_exhaustive()
    }
}

/// The future of [`HandlerStage::armed`].
struct WhenArmed(HandlerStage);

impl Future for WhenArmed {
    type Output = Instant;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Instant> {
        let mut state = self.0.lock();
        match &state.armed {
            Some(Armed {
                deadline: Some(deadline),
                ..
            }) => Poll::Ready(*deadline),
            // A deadline that never comes.
            Some(Armed { deadline: None, .. }) => Poll::Pending,
            None => {
                state.waker = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::task::Wake;

    use super::*;
    use crate::answer::FailureStrategy;
    use crate::observe::tests::recorded;

    const AFTER: CallbackCommand = CallbackCommand::OfficialAccountAfterSendMsg;
    const BEFORE: CallbackCommand = CallbackCommand::OfficialAccountBeforeSendMsg;

    struct Count(AtomicUsize);

    impl Wake for Count {
        fn wake(self: Arc<Self>) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    fn poll_armed(stage: &HandlerStage, wakes: &Arc<Count>) -> Poll<Instant> {
        let waker = Waker::from(Arc::clone(wakes));
        let mut future = std::pin::pin!(stage.armed());
        future.as_mut().poll(&mut Context::from_waker(&waker))
    }

    #[test]
    fn armed_resolves_to_the_deadline_after_arrival_once_armed() {
        let stage = HandlerStage::new();
        let arrived = stage.lock().arrived;
        let wakes = Arc::new(Count(AtomicUsize::new(0)));
        assert!(poll_armed(&stage, &wakes).is_pending());
        stage.arm(
            &AFTER,
            Duration::from_millis(200),
            FailureStrategy::Allow.answer_for(&AFTER),
        );
        assert_eq!(wakes.0.load(Ordering::SeqCst), 1, "arming wakes the layer");
        assert_eq!(
            poll_armed(&stage, &wakes),
            Poll::Ready(arrived + Duration::from_millis(200))
        );
        // Armed once: a second arming changes nothing.
        stage.arm(
            &BEFORE,
            Duration::from_secs(9),
            FailureStrategy::Refuse.answer_for(&BEFORE),
        );
        assert_eq!(
            poll_armed(&stage, &wakes),
            Poll::Ready(arrived + Duration::from_millis(200))
        );
    }

    #[test]
    fn a_deadline_too_far_to_represent_never_comes() {
        let stage = HandlerStage::new();
        stage.arm(
            &AFTER,
            Duration::MAX,
            FailureStrategy::Allow.answer_for(&AFTER),
        );
        let wakes = Arc::new(Count(AtomicUsize::new(0)));
        assert!(poll_armed(&stage, &wakes).is_pending());
    }

    #[test]
    fn an_unarmed_stage_has_nothing_to_answer_and_records_nothing() {
        let stage = HandlerStage::new();
        let lines = recorded(|| {
            assert_eq!(stage.expire(), None);
            stage.finish();
        });
        assert!(lines.is_empty(), "{lines:?}");
    }

    #[test]
    fn a_handler_in_time_is_handled_and_timed() {
        let stage = HandlerStage::new();
        stage.arm(
            &AFTER,
            Duration::from_secs(1),
            FailureStrategy::Allow.answer_for(&AFTER),
        );
        let lines = recorded(|| stage.finish());
        assert_eq!(
            lines,
            [
                (
                    "histogram tencent_chat_webhook_handler_seconds{command=OfficialAccount.CallbackAfterSendMsg}".to_owned(),
                    1
                ),
                (
                    "tencent_chat_webhook_requests_total{command=OfficialAccount.CallbackAfterSendMsg,outcome=handled}".to_owned(),
                    1
                ),
            ]
        );
        // Its answer went out: the deadline has nothing more to say.
        assert_eq!(stage.expire(), None);
    }

    #[test]
    fn at_the_deadline_the_commands_default_is_answered_once() {
        for (command, strategy, body) in [
            (
                AFTER,
                FailureStrategy::Refuse,
                r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}"#,
            ),
            (
                BEFORE,
                FailureStrategy::Allow,
                r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}"#,
            ),
            (
                BEFORE,
                FailureStrategy::Refuse,
                r#"{"ActionStatus":"OK","ErrorCode":1,"ErrorInfo":""}"#,
            ),
        ] {
            let stage = HandlerStage::new();
            stage.arm(&command, Duration::ZERO, strategy.answer_for(&command));
            let lines = recorded(|| {
                let answer = stage.expire().unwrap();
                assert_eq!(answer.status(), 200);
                assert_eq!(answer.body(), body);
                assert_eq!(stage.expire(), None);
                // The handler ends later: timed, not counted a second time.
                stage.finish();
                stage.finish();
            });
            let label = command.as_str();
            assert_eq!(
                lines,
                [
                    (
                        format!(
                            "histogram tencent_chat_webhook_handler_seconds{{command={label}}}"
                        ),
                        1
                    ),
                    (
                        format!(
                            "tencent_chat_webhook_requests_total{{command={label},outcome=deadline}}"
                        ),
                        1
                    ),
                ]
            );
        }
    }

    #[test]
    fn a_skipped_handler_is_counted_once_and_not_timed() {
        let stage = HandlerStage::new();
        stage.arm(
            &AFTER,
            Duration::from_secs(1),
            FailureStrategy::Allow.answer_for(&AFTER),
        );
        let lines = recorded(|| {
            stage.skip_handler(&AFTER, Outcome::Duplicate);
            stage.skip_handler(&AFTER, Outcome::Duplicate);
            stage.finish();
        });
        assert_eq!(
            lines,
            [(
                "tencent_chat_webhook_requests_total{command=OfficialAccount.CallbackAfterSendMsg,outcome=duplicate}".to_owned(),
                1
            )]
        );
    }
}
