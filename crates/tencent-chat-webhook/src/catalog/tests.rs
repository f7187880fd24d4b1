//! What the table generates, checked over every command: dispatch, the handler traits'
//! defaults, the enums' commands, and the samples.

use std::future::Future;
use std::pin::pin;
use std::sync::Mutex;
use std::task::{Context, Poll, Waker};

use async_trait::async_trait;

use crate::answer::Answer;
use crate::official_channel::{
    AfterSendMsg, BeforeAddSubscriber, BeforeAddSubscriberReply, BeforeSendMsg, BeforeSendMsgReply,
    OfficialChannelHandler,
};
use crate::request::Delivery;
use crate::test_util::{self, OK_BODY};
use crate::webhook::{Handlers, WebhookEvent, WebhookHandler};

/// Runs a future that never waits, which is all these handlers do.
fn run<F: Future>(future: F) -> F::Output {
    match pin!(future).poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(output) => output,
        Poll::Pending => panic!("the handler waited"),
    }
}

/// The documented sample `name`, through the whole pipeline of the documented app.
fn deliver(name: &str) -> Delivery<WebhookEvent> {
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
fn handlers_call_the_matching_method_of_the_family_handler() {
    let handlers = Handlers::new().official_channel(Recorder::default());
    let answer = run(handlers.handle(deliver("official_channel/after_send_msg")));
    assert_eq!(answer, Answer::ok());
    let answer = run(handlers.handle(deliver("official_channel/before_send_msg")));
    assert_eq!(
        answer.body(),
        r#"{"ActionStatus":"OK","ErrorCode":2,"ErrorInfo":""}"#
    );
    let answer = run(handlers.handle(deliver("official_channel/before_add_subscriber")));
    assert_eq!(
        answer.body(),
        r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","RefusedSubscribers_Account":["jared"]}"#
    );
}

#[test]
fn the_family_dispatch_calls_the_matching_method() {
    let recorder = Recorder::default();
    let delivery = deliver("official_channel/after_send_msg");
    let delivery = delivery.map(|event| match event {
        WebhookEvent::OfficialChannel(event) => event,
        other => panic!("expected an Official Channel event, got {other:?}"),
    });
    assert_eq!(
        run(crate::official_channel::dispatch(&recorder, delivery)),
        Answer::ok()
    );
    assert_eq!(*recorder.0.lock().unwrap(), ["71_1_1698741698"]);
}

#[test]
fn defaults_acknowledge_and_allow_every_command() {
    let handlers = Handlers::new();
    for sample in test_util::samples() {
        let delivery = deliver(sample.name);
        assert_eq!(delivery.event.command(), sample.callback_command());
        let default = delivery.event.default_answer();
        let answer = run(handlers.handle(delivery));
        assert_eq!(answer, default, "{}", sample.name);
        // Allowed: OK with ErrorCode 0, and for a per-target verdict every target allowed.
        let body: serde_json::Value = serde_json::from_slice(answer.body()).unwrap();
        assert_eq!(body["ActionStatus"], "OK", "{}", sample.name);
        assert_eq!(body["ErrorCode"], 0, "{}", sample.name);
        if !sample.callback_command().is_before() {
            assert_eq!(answer.body(), OK_BODY, "{}", sample.name);
        }
        for item in body["ResultItem"].as_array().into_iter().flatten() {
            assert_eq!(item["ResultCode"], 0, "{}", sample.name);
        }
    }
}

#[test]
fn a_command_not_modelled_is_kept_as_json_and_acknowledged() {
    let request = test_util::WebhookRequest::from_json(
        test_util::DOC_SDK_APP_ID,
        "Group.CallbackAfterMemberKicked",
        &serde_json::json!({"GroupId": "@TGS#1"}),
    )
    .signed(test_util::DOC_TOKEN, test_util::DOC_REQUEST_TIME);
    let config = test_util::doc_config().build().unwrap();
    let delivery: Delivery<WebhookEvent> = config
        .receive(Some(&request.query()), request.body())
        .unwrap();
    let WebhookEvent::Other { command, body } = &delivery.event else {
        panic!("expected Other, got {:?}", delivery.event);
    };
    assert_eq!(command.as_str(), "Group.CallbackAfterMemberKicked");
    assert_eq!(body["GroupId"], "@TGS#1");
    assert_eq!(
        delivery.event.to_string(),
        "Group.CallbackAfterMemberKicked"
    );
    assert_eq!(run(Handlers::new().handle(delivery)), Answer::ok());
}

#[test]
fn every_sample_serializes_back_to_a_body_that_decodes_to_the_same_event() {
    let config = test_util::doc_config().build().unwrap();
    for sample in test_util::samples() {
        let event = deliver(sample.name).event;
        let request = test_util::WebhookRequest::new(test_util::DOC_SDK_APP_ID, event.clone())
            .signed(test_util::DOC_TOKEN, test_util::DOC_REQUEST_TIME);
        let again: Delivery<WebhookEvent> = config
            .receive(Some(&request.query()), request.body())
            .unwrap();
        assert_eq!(again.event, event, "{}", sample.name);
        assert!(
            again.event.to_string().starts_with(sample.command),
            "{}",
            sample.name
        );
    }
}
