//! The rest of a route behind an answer deadline: polled where the request is, answered
//! for at the deadline, and run on to its end whatever becomes of the request.

use std::fmt;
use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::{Pin, pin};
use std::task::{Context, Poll};

use futures_util::future::{Either, select};

use super::HandlerStage;
use crate::answer::Answer;

/// The rest of a route (its extractors and handler) under a [`HandlerStage`], for an
/// adapter's answer-deadline layer, which makes it with [`HandlerStage::run`] and awaits
/// [`answer`](Self::answer).
///
/// The route is polled in the request's own task until it answers. Dropped before that,
/// because the answer at the deadline went out or because the request went away (its
/// client closed the connection), it is handed to the adapter's `spawn` as a [`RunOn`]
/// and runs on to its end in a task of its own: nothing it does is cancelled. A panic
/// while it is polled here goes on as it would without the layer.
pub struct RouteRun<F: Future, S: FnOnce(RunOn<F>)> {
    /// `None` once it has answered, and while it is polled.
    route: Option<Pin<Box<F>>>,
    stage: HandlerStage,
    spawn: Option<S>,
}

/// What [`RouteRun::answer`] ended with.
#[derive(Debug)]
pub enum Answered<T, H> {
    /// The route's own answer.
    ByRoute(T),
    /// The deadline passed first: the command's default, to send with what the adapter's
    /// `at_deadline` gave. The route runs on.
    AtDeadline(Answer, H),
}

impl HandlerStage {
    /// `route`, the rest of the route of this stage's request, to be answered in time;
    /// `spawn` runs it on if it must (the adapter's task spawner: `tokio::spawn`, or a
    /// local spawn for futures that are not `Send`).
    pub fn run<F: Future, S: FnOnce(RunOn<F>)>(self, route: F, spawn: S) -> RouteRun<F, S> {
        RouteRun {
            route: Some(Box::pin(route)),
            stage: self,
            spawn: Some(spawn),
        }
    }
}

impl<F: Future, S: FnOnce(RunOn<F>)> RouteRun<F, S> {
    /// Waits for the route's own answer, and once the stage is armed no longer than its
    /// deadline: past it, when `at_deadline` gives what the adapter needs to answer on
    /// its own, the command's default ([`HandlerStage::expire`]) while the route runs
    /// on; otherwise the route's answer whenever it comes. The stage is finished either
    /// way: now for the route's own answer, when the route ends for the deadline's.
    pub async fn answer<H>(
        mut self,
        at_deadline: impl FnOnce() -> Option<H>,
    ) -> Answered<F::Output, H> {
        let armed = self.stage.armed();
        let deadline = match select(&mut self, pin!(armed)).await {
            Either::Left((output, _)) => return self.answered(output),
            Either::Right((deadline, _)) => deadline,
        };
        let sleep = tokio::time::sleep_until(deadline.into());
        if let Either::Left((output, _)) = select(&mut self, pin!(sleep)).await {
            return self.answered(output);
        }
        if let Some(head) = at_deadline()
            && let Some(answer) = self.stage.expire()
        {
            // Dropped unanswered, the route runs on.
            return Answered::AtDeadline(answer, head);
        }
        let output = (&mut self).await;
        self.answered(output)
    }

    fn answered<H>(&self, output: F::Output) -> Answered<F::Output, H> {
        self.stage.finish();
        Answered::ByRoute(output)
    }
}

impl<F: Future, S: FnOnce(RunOn<F>)> fmt::Debug for RouteRun<F, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RouteRun")
            .field("stage", &self.stage)
            .field("answered", &self.route.is_none())
            .finish_non_exhaustive()
    }
}

// The route is boxed, and the spawner is never pinned.
impl<F: Future, S: FnOnce(RunOn<F>)> Unpin for RouteRun<F, S> {}

impl<F: Future, S: FnOnce(RunOn<F>)> Future for RouteRun<F, S> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        // Out of `self` while it is polled: a route that panics is not run on.
        let mut route = self
            .route
            .take()
            .expect("the route was polled after its answer");
        let polled = route.as_mut().poll(cx);
        if polled.is_pending() {
            self.route = Some(route);
        }
        polled
    }
}

impl<F: Future, S: FnOnce(RunOn<F>)> Drop for RouteRun<F, S> {
    fn drop(&mut self) {
        if let (Some(route), Some(spawn)) = (self.route.take(), self.spawn.take()) {
            spawn(RunOn {
                route,
                stage: self.stage.clone(),
            });
        }
    }
}

/// A route that runs on after its request was answered for or went away: spawn it. When
/// it ends it finishes its stage, which records the handler's time and logs a late end
/// at INFO; a panic is logged at ERROR ([`HandlerStage::panicked`]), since nobody else
/// will see it.
pub struct RunOn<F: Future> {
    route: Pin<Box<F>>,
    stage: HandlerStage,
}

impl<F: Future> fmt::Debug for RunOn<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RunOn")
            .field("stage", &self.stage)
            .finish_non_exhaustive()
    }
}

impl<F: Future> Future for RunOn<F> {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = &mut *self;
        match catch_unwind(AssertUnwindSafe(|| this.route.as_mut().poll(cx))) {
            Ok(Poll::Pending) => return Poll::Pending,
            Ok(Poll::Ready(_late)) => this.stage.finish(),
            Err(_panic) => this.stage.panicked(),
        }
        Poll::Ready(())
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::{Arc, Mutex};
    use std::time::{Duration, Instant};

    use tokio::task::JoinHandle;

    use super::*;
    use crate::answer::FailureStrategy;
    use crate::request::CallbackCommand;

    const DEADLINE: Duration = Duration::from_millis(50);
    const SLOW: Duration = Duration::from_millis(300);

    fn armed() -> HandlerStage {
        let stage = HandlerStage::new();
        let command = CallbackCommand::OfficialAccountAfterSendMsg;
        stage.arm(
            &command,
            DEADLINE,
            FailureStrategy::Allow.answer_for(&command),
        );
        stage
    }

    fn finished(stage: &HandlerStage) -> bool {
        format!("{stage:?}").contains("finished: true")
    }

    /// A route that takes `SLOW`, then records that it ended.
    fn slow(ended: &Arc<AtomicBool>) -> impl Future<Output = u8> + Send + 'static {
        let ended = Arc::clone(ended);
        async move {
            tokio::time::sleep(SLOW).await;
            ended.store(true, Ordering::SeqCst);
            7
        }
    }

    type RanOn = Arc<Mutex<Vec<JoinHandle<()>>>>;

    /// Waits for every route that was run on.
    async fn join(ran_on: &RanOn) -> usize {
        let handles: Vec<_> = ran_on.lock().unwrap().drain(..).collect();
        let n = handles.len();
        for handle in handles {
            handle.await.unwrap();
        }
        n
    }

    #[tokio::test]
    async fn a_route_that_answers_in_time_is_its_own_answer() {
        let (stage, ran_on) = (armed(), RanOn::default());
        let spawn = |run_on| ran_on.lock().unwrap().push(tokio::spawn(run_on));
        let answered = stage
            .clone()
            .run(async { 7 }, spawn)
            .answer(|| Some(()))
            .await;
        assert!(matches!(answered, Answered::ByRoute(7)));
        assert!(finished(&stage));
        assert_eq!(join(&ran_on).await, 0);
    }

    #[tokio::test]
    async fn past_the_deadline_the_default_is_answered_and_the_route_runs_on() {
        let (stage, ran_on, ended) = (armed(), RanOn::default(), Arc::default());
        let spawn = |run_on| ran_on.lock().unwrap().push(tokio::spawn(run_on));
        let started = Instant::now();
        let answered = stage
            .clone()
            .run(slow(&ended), spawn)
            .answer(|| Some(()))
            .await;
        let took = started.elapsed();
        assert!(
            matches!(answered, Answered::AtDeadline(ref answer, ()) if *answer == Answer::ok())
        );
        assert!(took >= DEADLINE && took < SLOW, "{took:?}");
        assert!(!ended.load(Ordering::SeqCst) && !finished(&stage));
        assert_eq!(join(&ran_on).await, 1);
        assert!(ended.load(Ordering::SeqCst) && finished(&stage));
    }

    #[tokio::test]
    async fn without_the_means_to_answer_at_the_deadline_the_route_answers() {
        let (stage, ran_on, ended) = (armed(), RanOn::default(), Arc::default());
        let spawn = |run_on| ran_on.lock().unwrap().push(tokio::spawn(run_on));
        let answered = stage
            .clone()
            .run(slow(&ended), spawn)
            .answer(|| None::<()>)
            .await;
        assert!(matches!(answered, Answered::ByRoute(7)));
        assert!(!format!("{stage:?}").contains("expired: true"), "{stage:?}");
        assert!(finished(&stage));
        assert_eq!(join(&ran_on).await, 0);
    }

    #[tokio::test]
    async fn a_route_whose_request_goes_away_runs_on() {
        let (stage, ran_on, ended) = (armed(), RanOn::default(), Arc::default());
        let spawn = |run_on| ran_on.lock().unwrap().push(tokio::spawn(run_on));
        let answer = stage.clone().run(slow(&ended), spawn).answer(|| Some(()));
        // The framework drops the request's future before the deadline.
        assert!(tokio::time::timeout(DEADLINE / 5, answer).await.is_err());
        assert!(!ended.load(Ordering::SeqCst));
        assert_eq!(join(&ran_on).await, 1);
        assert!(ended.load(Ordering::SeqCst) && finished(&stage));
    }

    #[tokio::test]
    async fn a_route_that_panics_while_it_runs_on_is_reported() {
        let (stage, ran_on) = (armed(), RanOn::default());
        let spawn = |run_on| ran_on.lock().unwrap().push(tokio::spawn(run_on));
        let route = async {
            tokio::time::sleep(SLOW).await;
            panic!("the handler broke");
        };
        let answered = stage.clone().run(route, spawn).answer(|| Some(())).await;
        assert!(matches!(answered, Answered::AtDeadline(..)));
        // The panic stays in the task that ran it on, which ends normally.
        assert_eq!(join(&ran_on).await, 1);
        assert!(finished(&stage));
    }
}
