//! The way a request travels: query → authentication → body → event.
//!
//! An adapter calls [`WebhookConfig::authenticate`] with the raw query string,
//! reads at most [`WebhookConfig::body_limit`] bytes of body, then calls
//! [`Authenticated::decode`]. Every answer it writes comes from [`Answer`].

use std::error::Error as StdError;
use std::fmt;

use bytes::Bytes;
use serde::Deserializer;

use crate::{Answer, CallbackCommand, CallbackQuery, Rejection, WebhookConfig, body};

/// An event type a handler can ask for: one command's event, or an enum of several.
///
/// The library implements it for each Official Channel event and for
/// [`OfficialChannelEvent`](crate::official_channel::OfficialChannelEvent). An
/// application may implement it for a command the library does not model yet.
pub trait Event: Sized {
    /// Whether requests with `command` are meant for this type. Others are acknowledged
    /// with the OK envelope without reaching the handler, since Tencent sends every
    /// command of an app to the same URL.
    fn accepts(command: &CallbackCommand) -> bool;

    /// Decodes the event of a request with `command` (one that [`accepts`](Self::accepts))
    /// from its JSON body. For a type that implements `Deserialize`, this is
    /// `Self::deserialize(deserializer)`.
    ///
    /// The body's `CallbackCommand` field is checked against the query's by the
    /// pipeline and is not passed on to the event.
    ///
    /// # Errors
    ///
    /// The deserializer's error when the body does not fit the event; it is
    /// answered with [`Rejection::MalformedBody`].
    fn decode<'de, D: Deserializer<'de>>(
        command: &CallbackCommand,
        deserializer: D,
    ) -> Result<Self, D::Error>;
}

/// A decoded event with what came with it.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Delivery<E> {
    /// The event.
    pub event: E,
    /// The authenticated query string: `SdkAppid`, `ClientIP`, `OptPlatform`, `RequestTime`.
    pub query: CallbackQuery,
    /// The raw body, exactly as received.
    pub body: Bytes,
}

impl<E> Delivery<E> {
    /// The same delivery with its event transformed by `f`.
    pub fn map<F>(self, f: impl FnOnce(E) -> F) -> Delivery<F> {
        Delivery {
            event: f(self.event),
            query: self.query,
            body: self.body,
        }
    }
}

/// Proof that a request's query passed [`WebhookConfig::authenticate`]; its body
/// may now be read.
#[derive(Debug, Clone)]
pub struct Authenticated {
    query: CallbackQuery,
}

/// A request answered with the OK envelope without reaching the handler.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Acknowledgement {
    /// The body was `{}`: the console checking that the URL answers.
    Probe,
    /// The command is not one the handler asked for (or not one the library models).
    OtherCommand(CallbackCommand),
}

impl fmt::Display for Acknowledgement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Probe => f.write_str("acknowledged the console's probe"),
            Self::OtherCommand(command) => write!(f, "acknowledged {command} without handling it"),
        }
    }
}

/// Why a request did not reach the handler: acknowledged, or rejected.
///
/// Either way [`Answer::from`] gives the answer to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotDelivered {
    /// Answered OK without calling the handler.
    Acknowledged(Acknowledgement),
    /// Refused with a `FAIL` envelope.
    Rejected(Rejection),
}

impl NotDelivered {
    /// The HTTP status of the answer: 200 when acknowledged, the rejection's otherwise.
    pub fn status(&self) -> http::StatusCode {
        match self {
            Self::Acknowledged(_) => http::StatusCode::OK,
            Self::Rejected(rejection) => rejection.status(),
        }
    }
}

impl fmt::Display for NotDelivered {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Acknowledged(ack) => ack.fmt(f),
            Self::Rejected(rejection) => rejection.fmt(f),
        }
    }
}

impl StdError for NotDelivered {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            Self::Acknowledged(_) => None,
            Self::Rejected(rejection) => Some(rejection),
        }
    }
}

impl From<Rejection> for NotDelivered {
    fn from(rejection: Rejection) -> Self {
        Self::Rejected(rejection)
    }
}

impl From<&NotDelivered> for Answer {
    fn from(outcome: &NotDelivered) -> Self {
        match outcome {
            NotDelivered::Acknowledged(_) => Answer::ok(),
            NotDelivered::Rejected(rejection) => Answer::from(rejection),
        }
    }
}

impl From<NotDelivered> for Answer {
    fn from(outcome: NotDelivered) -> Self {
        Answer::from(&outcome)
    }
}

impl WebhookConfig {
    /// Parses and authenticates the raw query string of a request (`None` when the URL
    /// has no `?`). Call it before reading any of the body: a forged request costs
    /// neither buffering nor a JSON parse.
    ///
    /// # Errors
    ///
    /// [`Rejection::MalformedQuery`], [`Rejection::UnknownApp`] or
    /// [`Rejection::Unauthenticated`]; see [`CallbackQuery::parse`] and
    /// [`WebhookConfig::check`].
    pub fn authenticate(&self, raw_query: Option<&str>) -> Result<Authenticated, Rejection> {
        let query = CallbackQuery::parse(raw_query.unwrap_or_default())?;
        self.check(&query)?;
        Ok(Authenticated { query })
    }

    /// Refuses a body whose `Content-Length` (the raw header value) announces more than
    /// [`body_limit`](Self::body_limit), so that none of it is read. A missing or
    /// unparseable header passes: the limited read still stops the body at the limit.
    ///
    /// ```
    /// use tencent_chat_webhook::{Rejection, WebhookConfig};
    ///
    /// let config = WebhookConfig::builder().unsigned_app(1).body_limit(1024).build()?;
    /// assert_eq!(config.check_content_length(Some(b"1024")), Ok(()));
    /// assert_eq!(config.check_content_length(None), Ok(()));
    /// assert_eq!(
    ///     config.check_content_length(Some(b"1025")),
    ///     Err(Rejection::BodyTooLarge { limit: 1024 }),
    /// );
    /// # Ok::<(), tencent_chat_webhook::ConfigError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`Rejection::BodyTooLarge`] when the announced length is over the limit.
    pub fn check_content_length(&self, content_length: Option<&[u8]>) -> Result<(), Rejection> {
        let limit = self.body_limit();
        let announced = content_length
            .and_then(|raw| std::str::from_utf8(raw).ok())
            .and_then(|raw| raw.trim().parse::<u64>().ok());
        match announced {
            Some(length) if length > limit as u64 => Err(Rejection::BodyTooLarge { limit }),
            _ => Ok(()),
        }
    }

    /// The whole pipeline at once, for a request whose body is already in memory.
    ///
    /// ```
    /// use tencent_chat_webhook::official_channel::AfterSendMsg;
    /// use tencent_chat_webhook::{sign, Clock, WebhookConfig};
    ///
    /// let config = WebhookConfig::builder()
    ///     .app(1400000000, ["xxxxyyyy"])
    ///     .clock(Clock::fixed(1669872112))
    ///     .build()?;
    /// let query = format!(
    ///     "SdkAppid=1400000000&CallbackCommand=OfficialAccount.CallbackAfterSendMsg\
    ///      &contenttype=json&Sign={}&RequestTime=1669872112",
    ///     sign("xxxxyyyy", 1669872112),
    /// );
    /// let body = r#"{"CallbackCommand":"OfficialAccount.CallbackAfterSendMsg",
    ///     "Official_Account":"@TOA#_2J4SZEAEL","MsgKey":"71_1_1698741698","MsgTime":1490686222,
    ///     "OnlineOnlyFlag":1,"MsgBody":[{"MsgType":"TIMTextElem","MsgContent":{"Text":"red packet"}}],
    ///     "EventTime":1670574414123}"#;
    ///
    /// let delivery = config.receive::<AfterSendMsg>(Some(&query), body.into()).unwrap();
    /// assert_eq!(delivery.event.msg_key, "71_1_1698741698");
    /// assert_eq!(delivery.query.sdk_app_id(), 1400000000);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// See [`authenticate`](Self::authenticate) and [`Authenticated::decode`].
    pub fn receive<E: Event>(
        &self,
        raw_query: Option<&str>,
        body: Bytes,
    ) -> Result<Delivery<E>, NotDelivered> {
        let authenticated = self.authenticate(raw_query)?;
        if body.len() > self.body_limit() {
            return Err(Rejection::BodyTooLarge {
                limit: self.body_limit(),
            }
            .into());
        }
        authenticated.decode(body)
    }
}

impl Authenticated {
    /// The authenticated query.
    pub fn query(&self) -> &CallbackQuery {
        &self.query
    }

    /// Decodes the body into `E`.
    ///
    /// The body must be a JSON object whose `CallbackCommand` equals the query's. An
    /// empty object (the console's probe) and a command that `E` does not
    /// [accept](Event::accepts) are acknowledged rather than decoded.
    ///
    /// # Errors
    ///
    /// [`NotDelivered::Acknowledged`] as above; [`NotDelivered::Rejected`] with
    /// [`Rejection::MalformedBody`] or [`Rejection::CommandMismatch`].
    pub fn decode<E: Event>(self, body: Bytes) -> Result<Delivery<E>, NotDelivered> {
        let command = self.query.callback_command();
        if body::is_probe(&body) {
            return Err(NotDelivered::Acknowledged(Acknowledgement::Probe));
        }
        if !E::accepts(command) {
            body::check_command(&body, command)?;
            return Err(NotDelivered::Acknowledged(Acknowledgement::OtherCommand(
                command.clone(),
            )));
        }
        let event = body::decode(&body, command)?;
        Ok(Delivery {
            event,
            query: self.query,
            body,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::official_channel::{AfterSendMsg, BeforeSendMsg, OfficialChannelEvent};
    use crate::{AuthFailure, Clock, sign};

    const AFTER_SEND: &str = include_str!("../tests/fixtures/after_send_msg.json");
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
            assert_eq!(outcome, NotDelivered::Acknowledged(Acknowledgement::Probe));
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
            NotDelivered::Acknowledged(Acknowledgement::OtherCommand(
                CallbackCommand::OfficialAccountBeforeSendMsg
            ))
        );
        assert!(
            receive::<BeforeSendMsg>(&signed("OfficialAccount.CallbackBeforeSendMsg"), before)
                .is_ok()
        );

        let c2c = r#"{"CallbackCommand":"C2C.CallbackAfterSendMsg","From_Account":"a"}"#;
        let outcome =
            receive::<OfficialChannelEvent>(&signed("C2C.CallbackAfterSendMsg"), c2c).unwrap_err();
        assert!(matches!(
            outcome,
            NotDelivered::Acknowledged(Acknowledgement::OtherCommand(_))
        ));
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
            assert_eq!(config.check_content_length(ok), Ok(()), "{ok:?}");
        }
        for over in [&b"4097"[..], b"18446744073709551615"] {
            assert_eq!(
                config.check_content_length(Some(over)),
                Err(Rejection::BodyTooLarge { limit: 4096 })
            );
        }
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
