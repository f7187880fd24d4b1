//! The way a request travels, for adapters: head, [`Authenticated`], body, [`Delivery`].
//!
//! An adapter for a web framework does five things, in this order, and decides
//! nothing about the protocol itself:
//!
//! 1. it finds the route's [`WebhookConfig`](crate::WebhookConfig), or answers
//!    [`missing_config`];
//! 2. before parsing anything, it calls
//!    [`WebhookConfig::check_source`](crate::WebhookConfig::check_source) with the
//!    connection's [`Peer`] address and the raw values of every [`X_FORWARDED_FOR`]
//!    header, in order;
//! 3. before reading any of the body, it calls
//!    [`WebhookConfig::authenticate`](crate::WebhookConfig::authenticate) with the raw
//!    query string and the raw `Content-Length`. When the route has an answer-deadline
//!    layer, it hands the request's [`HandlerStage`] to [`Authenticated::with_stage`];
//! 4. it reads at most [`Authenticated::body_limit`] bytes of body, and stops reading
//!    after [`Authenticated::body_read_timeout`];
//! 5. it calls [`Authenticated::decode`] with the body, or with the [`BodyError`] that
//!    stopped the read.
//!
//! A request that does not reach the handler ends as a [`NotDelivered`], and every
//! answer the adapter writes is an [`Answer`](crate::Answer). Each step logs what it
//! refused (WARN; ERROR for a missing configuration, the service's own fault) or
//! acknowledged (DEBUG) through `tracing`, with its cause and never a token or a
//! signature, and counts it (see [`observe`]).

use std::fmt;
use std::time::Duration;

use crate::answer::FailureStrategy;
use crate::answer::{NotDelivered, Rejection};
use crate::body;
use crate::observe::{self, Outcome};
use crate::request::{Bytes, CallbackCommand, CallbackQuery, Delivery, Event};

pub use crate::source::Peer;
pub use crate::stage::{Answered, HandlerStage, RouteRun, RunOn};

/// The name of the header through which trusted proxies say whom they forward for,
/// as `http` spells header names (lower case).
pub const X_FORWARDED_FOR: &str = "x-forwarded-for";

/// Proof that a request's head passed
/// [`WebhookConfig::authenticate`](crate::WebhookConfig::authenticate); its body may
/// now be read, up to [`body_limit`](Self::body_limit) bytes within
/// [`body_read_timeout`](Self::body_read_timeout).
#[derive(Debug, Clone)]
pub struct Authenticated {
    query: CallbackQuery,
    body_limit: usize,
    body_read_timeout: Duration,
    answer_deadline: Duration,
    failure_strategy: FailureStrategy,
    stage: Option<HandlerStage>,
}

/// Why an adapter could not read a whole body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum BodyError {
    /// The body is longer than [`Authenticated::body_limit`] (or a framework's own limit).
    TooLarge,
    /// The body could not be read to its end: the client went away, or sent a broken
    /// chunked encoding.
    Unreadable,
    /// The body was still arriving after [`Authenticated::body_read_timeout`].
    TimedOut,
}

impl Authenticated {
    pub(crate) fn new(
        query: CallbackQuery,
        body_limit: usize,
        body_read_timeout: Duration,
        answer_deadline: Duration,
        failure_strategy: FailureStrategy,
    ) -> Self {
        Self {
            query,
            body_limit,
            body_read_timeout,
            answer_deadline,
            failure_strategy,
            stage: None,
        }
    }

    /// The request's [`HandlerStage`], when its route has an answer-deadline layer:
    /// [`decode`](Self::decode) arms it with the configuration's deadline and failure
    /// strategy once the event is decoded, and the [`Delivery`] carries it.
    #[must_use]
    pub fn with_stage(mut self, stage: Option<HandlerStage>) -> Self {
        self.stage = stage;
        self
    }

    /// The authenticated query.
    pub fn query(&self) -> &CallbackQuery {
        &self.query
    }

    /// The most bytes of body to read.
    pub fn body_limit(&self) -> usize {
        self.body_limit
    }

    /// The longest time to spend reading the body, from the first read to the last
    /// byte; past it, stop reading and decode [`BodyError::TimedOut`].
    pub fn body_read_timeout(&self) -> Duration {
        self.body_read_timeout
    }

    /// Decodes the body into `E`.
    ///
    /// The body must be a JSON object whose `CallbackCommand` equals the query's. An
    /// empty object (the console's probe) and a command that `E` does not
    /// [accept](Event::accepts) are acknowledged rather than decoded.
    ///
    /// # Errors
    ///
    /// [`NotDelivered::Probe`] and [`NotDelivered::OtherCommand`] as above;
    /// [`NotDelivered::Rejected`] with [`Rejection::BodyTooLarge`],
    /// [`Rejection::BodyTimeout`], [`Rejection::MalformedBody`] or
    /// [`Rejection::CommandMismatch`].
    pub fn decode<E: Event>(
        self,
        body: Result<Bytes, BodyError>,
    ) -> Result<Delivery<E>, NotDelivered> {
        let (deadline, strategy) = (self.answer_deadline, self.failure_strategy);
        let command = self.query.callback_command().clone();
        let delivery = self
            .try_decode(body)
            .map_err(|outcome| report(&command, outcome))?;
        if let Some(stage) = &delivery.stage {
            let answer = strategy.answer_to(&command, &delivery.event);
            stage.arm(&command, deadline, answer);
        }
        Ok(delivery)
    }

    fn try_decode<E: Event>(
        self,
        body: Result<Bytes, BodyError>,
    ) -> Result<Delivery<E>, NotDelivered> {
        let body = body.map_err(|error| match error {
            BodyError::TooLarge => Rejection::BodyTooLarge {
                limit: self.body_limit,
            },
            BodyError::Unreadable => {
                Rejection::malformed_body("the body could not be read to its end")
            }
            BodyError::TimedOut => Rejection::BodyTimeout {
                timeout: self.body_read_timeout,
            },
        })?;
        let command = self.query.callback_command();
        if body::is_probe(&body) {
            return Err(NotDelivered::Probe);
        }
        if !E::accepts(command) {
            body::check_command(&body, command)?;
            return Err(NotDelivered::OtherCommand(command.clone()));
        }
        let event = body::decode(&body, command)?;
        Ok(Delivery {
            event,
            query: self.query,
            body,
            stage: self.stage,
        })
    }
}

/// What an adapter answers when it finds no [`WebhookConfig`](crate::WebhookConfig)
/// for a route: [`Rejection::MissingConfig`], logged at ERROR since the service, not
/// the client, is at fault.
pub fn missing_config() -> NotDelivered {
    NotDelivered::Rejected(report_server_fault(
        Rejection::MissingConfig,
        "no WebhookConfig for this route; give the app or the route one where the adapter \
         looks for it",
    ))
}

/// Logs at ERROR a rejection that is the service's fault, not the client's, with what
/// to do about it, and counts it.
pub(crate) fn report_server_fault(rejection: Rejection, remedy: impl fmt::Display) -> Rejection {
    tracing::error!("webhook answered 500: {remedy}");
    observe::record(None, Outcome::Rejected(&rejection));
    rejection
}

/// Logs a rejection at WARN with its cause, and counts it without a command: for a
/// rejection before the query string is read.
pub(crate) fn report_rejection(rejection: Rejection) -> Rejection {
    report_rejection_of(None, rejection)
}

/// Logs a rejection of a request for `command` at WARN with its cause, and counts it.
pub(crate) fn report_rejection_of(
    command: Option<&CallbackCommand>,
    rejection: Rejection,
) -> Rejection {
    tracing::warn!(
        status = rejection.status().as_u16(),
        error_code = rejection.error_code(),
        "webhook rejected: {rejection}"
    );
    observe::record(command, Outcome::Rejected(&rejection));
    rejection
}

/// Logs why a request for `command` did not reach the handler, a rejection at WARN, an
/// acknowledgement at DEBUG, and counts it.
fn report(command: &CallbackCommand, outcome: NotDelivered) -> NotDelivered {
    match outcome {
        NotDelivered::Rejected(rejection) => {
            NotDelivered::Rejected(report_rejection_of(Some(command), rejection))
        }
        acknowledged => {
            tracing::debug!("webhook {acknowledged}");
            observe::record(Some(command), Outcome::Acknowledged);
            acknowledged
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::WebhookConfig;
    use crate::answer::{Answer, AuthFailure};
    use crate::config::Clock;
    use crate::observe::tests::recorded;
    use crate::official_channel::{AfterSendMsg, BeforeSendMsg, OfficialChannelEvent};
    use crate::request::{CallbackCommand, sign};
    use crate::test_support::fixture;
    use std::fmt;

    const AFTER_SEND: &str = fixture!("official_channel", "after_send_msg");
    const TIME: u64 = 1_669_872_112;

    fn config() -> WebhookConfig {
        WebhookConfig::builder()
            .app(1400000000, ["xxxxyyyy"])
            .unsigned_app(1400000001)
            .clock(Clock::fixed(TIME))
            .body_limit(4096)
            .build()
            .unwrap()
    }

    fn signed(command: &str) -> String {
        format!(
            "SdkAppid=1400000000&CallbackCommand={command}&contenttype=json&ClientIP=127.0.0.1\
             &OptPlatform=RESTAPI&Sign={}&RequestTime={TIME}",
            sign("xxxxyyyy", TIME)
        )
    }

    fn receive<E: Event>(query: &str, body: &str) -> Result<Delivery<E>, NotDelivered> {
        config().receive(Some(query), Bytes::copy_from_slice(body.as_bytes()))
    }

    fn rejected<E: Event + fmt::Debug>(query: &str, body: &str) -> Rejection {
        match receive::<E>(query, body) {
            Err(NotDelivered::Rejected(rejection)) => rejection,
            other => panic!("expected a rejection, got {other:?}"),
        }
    }

    const AFTER_SEND_CMD: &str = "OfficialAccount.CallbackAfterSendMsg";

    #[test]
    fn delivers_the_documented_after_send_message() {
        let delivery = receive::<AfterSendMsg>(&signed(AFTER_SEND_CMD), AFTER_SEND).unwrap();
        assert_eq!(delivery.event.msg_key, "71_1_1698741698");
        assert_eq!(delivery.query.client_ip(), Some("127.0.0.1"));
        assert_eq!(delivery.query.request_time(), Some(TIME));
        assert_eq!(delivery.body, AFTER_SEND.as_bytes());

        let delivery =
            receive::<OfficialChannelEvent>(&signed(AFTER_SEND_CMD), AFTER_SEND).unwrap();
        assert!(
            matches!(delivery.event, OfficialChannelEvent::AfterSendMsg(ref e) if e.msg_key == "71_1_1698741698")
        );
    }

    #[test]
    fn the_probe_is_acknowledged() {
        for probe in ["{}", " { } \n"] {
            let outcome = receive::<AfterSendMsg>(&signed(AFTER_SEND_CMD), probe).unwrap_err();
            assert_eq!(outcome, NotDelivered::Probe);
            assert_eq!(outcome.status(), 200);
            assert_eq!(Answer::from(outcome), Answer::ok());
        }
    }

    #[test]
    fn other_commands_are_acknowledged_not_rejected() {
        let before = r#"{"CallbackCommand":"OfficialAccount.CallbackBeforeSendMsg","Official_Account":"a","MsgBody":[],"EventTime":1}"#;
        let outcome =
            receive::<AfterSendMsg>(&signed("OfficialAccount.CallbackBeforeSendMsg"), before)
                .unwrap_err();
        assert_eq!(
            outcome,
            NotDelivered::OtherCommand(CallbackCommand::OfficialAccountBeforeSendMsg)
        );
        assert!(
            receive::<BeforeSendMsg>(&signed("OfficialAccount.CallbackBeforeSendMsg"), before)
                .is_ok()
        );

        let c2c = r#"{"CallbackCommand":"C2C.CallbackAfterSendMsg","From_Account":"a"}"#;
        let outcome =
            receive::<OfficialChannelEvent>(&signed("C2C.CallbackAfterSendMsg"), c2c).unwrap_err();
        assert!(matches!(outcome, NotDelivered::OtherCommand(_)));
    }

    #[test]
    fn body_and_query_commands_must_agree() {
        let rejection =
            rejected::<AfterSendMsg>(&signed("OfficialAccount.CallbackBeforeSendMsg"), AFTER_SEND);
        assert_eq!(
            rejection,
            Rejection::CommandMismatch {
                query: CallbackCommand::OfficialAccountBeforeSendMsg,
                body: Some(AFTER_SEND_CMD.into()),
            }
        );
        let rejection = rejected::<AfterSendMsg>(&signed(AFTER_SEND_CMD), r#"{"MsgKey":"k"}"#);
        assert!(matches!(
            rejection,
            Rejection::CommandMismatch { body: None, .. }
        ));
    }

    #[test]
    fn malformed_bodies_are_rejected() {
        for body in [
            "",
            "not json",
            "[]",
            "\"CallbackCommand\"",
            "null",
            r#"{"CallbackCommand":1}"#,
            r#"{"CallbackCommand":"OfficialAccount.CallbackAfterSendMsg","CallbackCommand":"OfficialAccount.CallbackAfterSendMsg"}"#,
            r#"{"CallbackCommand":"OfficialAccount.CallbackAfterSendMsg"} trailing"#,
            r#"{"CallbackCommand":"OfficialAccount.CallbackAfterSendMsg","MsgKey":"k"}"#,
        ] {
            let rejection = rejected::<AfterSendMsg>(&signed(AFTER_SEND_CMD), body);
            assert!(
                matches!(rejection, Rejection::MalformedBody(_)),
                "{body}: {rejection:?}"
            );
            assert_eq!(Answer::from(&rejection).status(), 400);
        }
    }

    #[test]
    fn a_malformed_body_says_where() {
        let mut sample: serde_json::Value = serde_json::from_str(AFTER_SEND).unwrap();
        sample["MsgBody"] = serde_json::json!({"x": 1});
        let body = sample.to_string();
        let rejection = rejected::<AfterSendMsg>(&signed(AFTER_SEND_CMD), &body);
        let info = rejection.public_info();
        assert!(
            info.starts_with("malformed body: MsgBody: invalid type: map, expected a sequence"),
            "{info}"
        );
        let mut sample: serde_json::Value = serde_json::from_str(AFTER_SEND).unwrap();
        sample["MsgBody"][0]["MsgContent"]["Text"] = 7.into();
        let body = sample.to_string();
        let info = rejected::<AfterSendMsg>(&signed(AFTER_SEND_CMD), &body).public_info();
        assert!(
            info.starts_with("malformed body: MsgBody[0]: invalid type: integer `7`"),
            "{info}"
        );
        let info = rejected::<AfterSendMsg>(&signed(AFTER_SEND_CMD), "[]").public_info();
        assert!(
            info.starts_with("malformed body: invalid type: sequence"),
            "{info}"
        );
    }

    #[test]
    fn authentication_happens_before_the_body_is_looked_at() {
        let forged = signed(AFTER_SEND_CMD).replace("Sign=1", "Sign=2");
        assert_eq!(
            rejected::<AfterSendMsg>(&forged, "this body is never parsed"),
            Rejection::Unauthenticated(AuthFailure::SignMismatch)
        );
        let unknown = "SdkAppid=9&CallbackCommand=OfficialAccount.CallbackAfterSendMsg";
        assert_eq!(
            rejected::<AfterSendMsg>(unknown, "{}"),
            Rejection::UnknownApp { sdk_app_id: 9 }
        );
        assert!(matches!(
            rejected::<AfterSendMsg>("", "{}"),
            Rejection::MalformedQuery(_)
        ));
        let unsigned = "SdkAppid=1400000001&CallbackCommand=OfficialAccount.CallbackAfterSendMsg";
        assert!(receive::<AfterSendMsg>(unsigned, AFTER_SEND).is_ok());
    }

    #[test]
    fn receive_enforces_the_body_limit() {
        let big = format!(
            r#"{{"CallbackCommand":"{AFTER_SEND_CMD}","pad":"{}"}}"#,
            "x".repeat(4096)
        );
        assert_eq!(
            rejected::<AfterSendMsg>(&signed(AFTER_SEND_CMD), &big),
            Rejection::BodyTooLarge { limit: 4096 }
        );
    }

    #[test]
    fn an_announced_length_is_checked_against_the_limit() {
        let config = config();
        for ok in [
            None,
            Some(&b"4096"[..]),
            Some(b"0"),
            Some(b" 12 "),
            Some(b"junk"),
            Some(b"-5"),
        ] {
            let query = signed(AFTER_SEND_CMD);
            assert!(config.authenticate(Some(&query), ok).is_ok(), "{ok:?}");
        }
        for over in [&b"4097"[..], b"18446744073709551615"] {
            let query = signed(AFTER_SEND_CMD);
            assert_eq!(
                config.authenticate(Some(&query), Some(over)).unwrap_err(),
                Rejection::BodyTooLarge { limit: 4096 }
            );
        }
        // The signature is checked first: a forged request learns nothing of the limit.
        let forged = signed(AFTER_SEND_CMD).replace("Sign=1", "Sign=2");
        assert!(matches!(
            config.authenticate(Some(&forged), Some(b"4097")),
            Err(Rejection::Unauthenticated(_))
        ));
        for (error, status) in [
            (BodyError::TooLarge, 413),
            (BodyError::Unreadable, 400),
            (BodyError::TimedOut, 408),
        ] {
            let outcome = config
                .authenticate(Some(&signed(AFTER_SEND_CMD)), None)
                .unwrap()
                .decode::<AfterSendMsg>(Err(error))
                .unwrap_err();
            assert_eq!(outcome.status(), status, "{error:?}");
        }
    }

    #[test]
    fn rejections_and_acknowledgements_are_counted_by_command() {
        let forged = signed(AFTER_SEND_CMD).replace("Sign=1", "Sign=2");
        let lines = recorded(|| {
            assert!(receive::<AfterSendMsg>(&signed(AFTER_SEND_CMD), AFTER_SEND).is_ok());
            let _ = receive::<AfterSendMsg>(&signed(AFTER_SEND_CMD), "{}");
            let _ = receive::<AfterSendMsg>(&signed("Forged.Anything"), "{}");
            let _ = receive::<AfterSendMsg>(&forged, AFTER_SEND);
            let _ = receive::<AfterSendMsg>(&signed(AFTER_SEND_CMD), "not json");
            let _ = receive::<AfterSendMsg>("", AFTER_SEND);
            let _ = missing_config();
        });
        let requests = |labels: &str| {
            (
                format!("tencent_chat_webhook_requests_total{{{labels}}}"),
                1,
            )
        };
        assert_eq!(
            lines,
            [
                requests("command=OfficialAccount.CallbackAfterSendMsg,outcome=acknowledged"),
                requests("command=OfficialAccount.CallbackAfterSendMsg,outcome=malformed_body"),
                requests("command=OfficialAccount.CallbackAfterSendMsg,outcome=unauthenticated"),
                requests("command=none,outcome=malformed_query"),
                requests("command=none,outcome=missing_config"),
                requests("command=other,outcome=acknowledged"),
            ]
        );
    }

    #[test]
    fn under_allow_the_answer_at_the_deadline_is_the_commands_own_default() {
        let config = WebhookConfig::builder()
            .app(1400000000, ["xxxxyyyy"])
            .clock(Clock::fixed(TIME))
            .answer_deadline(std::time::Duration::ZERO)
            .build()
            .unwrap();
        let stage = HandlerStage::new();
        config
            .authenticate(Some(&signed("Sns.CallbackPrevFriendAdd")), None)
            .unwrap()
            .with_stage(Some(stage.clone()))
            .decode::<crate::WebhookEvent>(Ok(Bytes::from_static(
                fixture!("sns", "prev_friend_add").as_bytes(),
            )))
            .unwrap();
        // Every target allowed, as Tencent documents the reply, not a bare OK.
        assert_eq!(
            crate::test_support::canonical(stage.expire().unwrap().body()),
            crate::test_support::canonical(fixture!("sns", "prev_friend_reply"))
        );
    }

    #[test]
    fn a_stage_is_armed_only_by_a_decoded_event() {
        let config = WebhookConfig::builder()
            .app(1400000000, ["xxxxyyyy"])
            .clock(Clock::fixed(TIME))
            .answer_deadline(std::time::Duration::ZERO)
            .failure_strategy(FailureStrategy::Refuse)
            .build()
            .unwrap();
        let decode = |command: &str, body: &'static str| {
            let stage = HandlerStage::new();
            let outcome = config
                .authenticate(Some(&signed(command)), None)
                .unwrap()
                .with_stage(Some(stage.clone()))
                .decode::<OfficialChannelEvent>(Ok(Bytes::from_static(body.as_bytes())));
            (stage, outcome)
        };
        let before = fixture!("official_channel", "before_send_msg");
        let (stage, delivery) = decode("OfficialAccount.CallbackBeforeSendMsg", before);
        let delivery = delivery.unwrap();
        assert!(delivery.stage.is_some(), "the delivery carries its stage");
        assert_eq!(
            stage.expire().unwrap().body(),
            r#"{"ActionStatus":"OK","ErrorCode":1,"ErrorInfo":""}"#
        );
        for (command, body) in [(AFTER_SEND_CMD, "{}"), (AFTER_SEND_CMD, "not json")] {
            let (stage, outcome) = decode(command, body);
            assert!(outcome.is_err());
            assert_eq!(stage.expire(), None, "{body}: never answered for a handler");
        }
    }

    #[test]
    fn a_duplicate_is_counted_once() {
        let config = config();
        let query = signed(AFTER_SEND_CMD);
        let unstaged = receive::<AfterSendMsg>(&query, AFTER_SEND).unwrap();
        let stage = HandlerStage::new();
        let staged = config
            .authenticate(Some(&query), None)
            .unwrap()
            .with_stage(Some(stage.clone()))
            .decode::<AfterSendMsg>(Ok(Bytes::from_static(AFTER_SEND.as_bytes())))
            .unwrap();
        let lines = recorded(|| {
            crate::observe::duplicate(&unstaged);
            crate::observe::duplicate(&staged);
            // The handler that was not called ends: neither handled nor timed.
            stage.finish();
        });
        assert_eq!(
            lines,
            [(
                "tencent_chat_webhook_requests_total{command=OfficialAccount.CallbackAfterSendMsg,outcome=duplicate}".to_owned(),
                2
            )]
        );
    }

    #[test]
    fn a_body_read_past_its_timeout_is_refused_with_408() {
        let config = WebhookConfig::builder()
            .app(1400000000, ["xxxxyyyy"])
            .clock(Clock::fixed(TIME))
            .body_read_timeout(Duration::from_millis(1500))
            .build()
            .unwrap();
        let authenticated = config
            .authenticate(Some(&signed(AFTER_SEND_CMD)), None)
            .unwrap();
        assert_eq!(
            authenticated.body_read_timeout(),
            Duration::from_millis(1500)
        );
        let outcome = authenticated
            .decode::<AfterSendMsg>(Err(BodyError::TimedOut))
            .unwrap_err();
        assert_eq!(
            outcome,
            NotDelivered::Rejected(Rejection::BodyTimeout {
                timeout: Duration::from_millis(1500)
            })
        );
        assert_eq!(outcome.to_string(), "body not received within 1500 ms");
        let answer = Answer::from(outcome);
        assert_eq!(answer.status(), 408);
        assert_eq!(
            answer.body(),
            r#"{"ActionStatus":"FAIL","ErrorCode":40801,"ErrorInfo":"body read timed out"}"#
        );
    }

    #[test]
    fn escaped_commands_in_the_body_still_match() {
        let body = AFTER_SEND.replace(
            "OfficialAccount.CallbackAfterSendMsg",
            "OfficialAccount\\u002eCallbackAfterSendMsg",
        );
        assert!(body.contains("\\u002e"));
        assert!(receive::<AfterSendMsg>(&signed(AFTER_SEND_CMD), &body).is_ok());
    }
}
