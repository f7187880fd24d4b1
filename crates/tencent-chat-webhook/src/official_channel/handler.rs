//! Business logic written once, mounted on any framework by its adapter.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use async_trait::async_trait;

use super::{
    AfterAddSubscriber, AfterCreateOfficialAccount, AfterDeleteSubscriber, AfterMsgWithDraw,
    AfterOfficialAccountDestroyed, AfterOfficialAccountFull, AfterOfficialAccountInfoChanged,
    AfterSendMsg, BeforeAddSubscriber, BeforeAddSubscriberReply, BeforeCreateOfficialAccount,
    BeforeCreateReply, BeforeSendMsg, BeforeSendMsgReply, OfficialChannelEvent,
};
use crate::answer::Answer;
use crate::request::Delivery;

/// One async method per Official Channel event; implement the ones you need.
///
/// Every method has a default: after-webhooks do nothing, before-webhooks allow.
/// The adapters mount an implementation on a route with one call, and
/// [`dispatch`] calls the right method for a decoded event. Tencent waits at most
/// 2 s for the answer, so long work belongs in a spawned task.
///
/// ```
/// use tencent_chat_webhook::official_channel::{
///     AfterSendMsg, BeforeSendMsg, BeforeSendMsgReply, OfficialChannelHandler,
/// };
/// use tencent_chat_webhook::{async_trait, Delivery};
///
/// struct Moderator;
///
/// #[async_trait]
/// impl OfficialChannelHandler for Moderator {
///     async fn before_send_msg(&self, msg: Delivery<BeforeSendMsg>) -> BeforeSendMsgReply {
///         let spam = msg.event.msg_body.iter().filter_map(|e| e.as_text()).any(|t| t.contains("spam"));
///         if spam { BeforeSendMsgReply::Refuse } else { BeforeSendMsgReply::allow() }
///     }
///
///     async fn after_send_msg(&self, msg: Delivery<AfterSendMsg>) {
///         println!("delivered {}", msg.event.msg_key);
///     }
/// }
/// ```
#[async_trait]
pub trait OfficialChannelHandler: Send + Sync + 'static {
    /// A channel is about to be created.
    async fn before_create_official_account(
        &self,
        event: Delivery<BeforeCreateOfficialAccount>,
    ) -> BeforeCreateReply {
        let _ = event;
        BeforeCreateReply::Allow
    }

    /// A channel was created.
    async fn after_create_official_account(&self, event: Delivery<AfterCreateOfficialAccount>) {
        let _ = event;
    }

    /// A channel's profile changed.
    async fn after_official_account_info_changed(
        &self,
        event: Delivery<AfterOfficialAccountInfoChanged>,
    ) {
        let _ = event;
    }

    /// A channel was destroyed.
    async fn after_official_account_destroyed(
        &self,
        event: Delivery<AfterOfficialAccountDestroyed>,
    ) {
        let _ = event;
    }

    /// Users are about to subscribe.
    async fn before_add_subscriber(
        &self,
        event: Delivery<BeforeAddSubscriber>,
    ) -> BeforeAddSubscriberReply {
        let _ = event;
        BeforeAddSubscriberReply::allow()
    }

    /// Users subscribed.
    async fn after_add_subscriber(&self, event: Delivery<AfterAddSubscriber>) {
        let _ = event;
    }

    /// A channel reached its subscriber limit.
    async fn after_official_account_full(&self, event: Delivery<AfterOfficialAccountFull>) {
        let _ = event;
    }

    /// Users unsubscribed or were removed.
    async fn after_delete_subscriber(&self, event: Delivery<AfterDeleteSubscriber>) {
        let _ = event;
    }

    /// A channel message is about to be delivered.
    async fn before_send_msg(&self, event: Delivery<BeforeSendMsg>) -> BeforeSendMsgReply {
        let _ = event;
        BeforeSendMsgReply::allow()
    }

    /// A channel message was delivered.
    async fn after_send_msg(&self, event: Delivery<AfterSendMsg>) {
        let _ = event;
    }

    /// Channel messages were recalled.
    async fn after_msg_with_draw(&self, event: Delivery<AfterMsgWithDraw>) {
        let _ = event;
    }
}

/// Calls the method of `handler` that matches the event and returns its answer.
pub async fn dispatch<H>(handler: &H, delivery: Delivery<OfficialChannelEvent>) -> Answer
where
    H: OfficialChannelHandler + ?Sized,
{
    use OfficialChannelEvent as E;

    let Delivery { event, query, body } = delivery;
    macro_rules! with {
        ($event:expr) => {
            Delivery {
                event: $event,
                query,
                body,
            }
        };
    }
    match event {
        E::BeforeCreateOfficialAccount(e) => handler
            .before_create_official_account(with!(e))
            .await
            .into(),
        E::AfterCreateOfficialAccount(e) => {
            handler.after_create_official_account(with!(e)).await;
            Answer::ok()
        }
        E::AfterOfficialAccountInfoChanged(e) => {
            handler.after_official_account_info_changed(with!(e)).await;
            Answer::ok()
        }
        E::AfterOfficialAccountDestroyed(e) => {
            handler.after_official_account_destroyed(with!(e)).await;
            Answer::ok()
        }
        E::BeforeAddSubscriber(e) => handler.before_add_subscriber(with!(e)).await.into(),
        E::AfterAddSubscriber(e) => {
            handler.after_add_subscriber(with!(e)).await;
            Answer::ok()
        }
        E::AfterOfficialAccountFull(e) => {
            handler.after_official_account_full(with!(e)).await;
            Answer::ok()
        }
        E::AfterDeleteSubscriber(e) => {
            handler.after_delete_subscriber(with!(e)).await;
            Answer::ok()
        }
        E::BeforeSendMsg(e) => handler.before_send_msg(with!(e)).await.into(),
        E::AfterSendMsg(e) => {
            handler.after_send_msg(with!(e)).await;
            Answer::ok()
        }
        E::AfterMsgWithDraw(e) => {
            handler.after_msg_with_draw(with!(e)).await;
            Answer::ok()
        }
    }
}

/// An [`OfficialChannelHandler`] shared by every request of a route: what an adapter's
/// `handle_official_channel` holds. Cloning it is cheap.
pub struct Dispatcher<H> {
    handler: Arc<H>,
}

impl<H: OfficialChannelHandler> Dispatcher<H> {
    /// Shares `handler` between requests.
    pub fn new(handler: H) -> Self {
        Self {
            handler: Arc::new(handler),
        }
    }

    /// [`dispatch`]es `delivery` in a future that owns what it needs, and gives the
    /// answer to `respond`: the adapter's way of writing an answer.
    pub fn dispatch<R: 'static>(
        &self,
        delivery: Delivery<OfficialChannelEvent>,
        respond: fn(Answer) -> R,
    ) -> Pin<Box<dyn Future<Output = R> + Send>> {
        let handler = Arc::clone(&self.handler);
        Box::pin(async move { respond(dispatch(&*handler, delivery).await) })
    }
}

impl<H> Clone for Dispatcher<H> {
    fn clone(&self) -> Self {
        Self {
            handler: Arc::clone(&self.handler),
        }
    }
}

impl<H> fmt::Debug for Dispatcher<H> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Dispatcher").finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use std::future::Future;
    use std::pin::pin;
    use std::sync::Mutex;
    use std::task::{Context, Poll, Waker};

    use super::*;
    use crate::test_util;

    /// Runs a future that never waits, which is all these handlers do.
    fn run<F: Future>(future: F) -> F::Output {
        match pin!(future).poll(&mut Context::from_waker(Waker::noop())) {
            Poll::Ready(output) => output,
            Poll::Pending => panic!("the handler waited"),
        }
    }

    /// The documented sample `name`, through the whole pipeline of the documented app.
    fn deliver(name: &str) -> Delivery<OfficialChannelEvent> {
        let request = test_util::sample(name).unwrap().doc_request();
        let config = test_util::doc_config().build().unwrap();
        config
            .receive(Some(&request.query()), request.body())
            .unwrap()
    }

    #[derive(Default)]
    struct Recorder(Mutex<Vec<String>>);

    #[async_trait]
    impl OfficialChannelHandler for Recorder {
        async fn before_send_msg(&self, msg: Delivery<BeforeSendMsg>) -> BeforeSendMsgReply {
            self.0.lock().unwrap().push(msg.event.official_account);
            BeforeSendMsgReply::Discard
        }

        async fn after_send_msg(&self, msg: Delivery<AfterSendMsg>) {
            self.0.lock().unwrap().push(msg.event.msg_key);
        }

        async fn before_add_subscriber(
            &self,
            event: Delivery<BeforeAddSubscriber>,
        ) -> BeforeAddSubscriberReply {
            BeforeAddSubscriberReply::refuse_subscribers(
                event
                    .event
                    .subscribe_account_list
                    .into_iter()
                    .map(|s| s.subscriber_account)
                    .take(1),
            )
        }
    }

    #[test]
    fn dispatch_calls_the_matching_method() {
        let recorder = Recorder::default();
        let answer = run(dispatch(&recorder, deliver("after_send_msg")));
        assert_eq!(answer, Answer::ok());
        let answer = run(dispatch(&recorder, deliver("before_send_msg")));
        assert_eq!(
            answer.body(),
            r#"{"ActionStatus":"OK","ErrorCode":2,"ErrorInfo":""}"#
        );
        let answer = run(dispatch(&recorder, deliver("before_add_subscriber")));
        assert_eq!(
            answer.body(),
            r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","RefusedSubscribers_Account":["jared"]}"#
        );
        assert_eq!(
            *recorder.0.lock().unwrap(),
            ["71_1_1698741698", "@TOA#_2J4SZEAEL"]
        );
    }

    #[test]
    fn defaults_acknowledge_and_allow() {
        struct Nothing;
        impl OfficialChannelHandler for Nothing {}
        for sample in test_util::samples() {
            assert_eq!(
                run(dispatch(&Nothing, deliver(sample.name))),
                Answer::ok(),
                "{}",
                sample.name
            );
        }
    }
}
