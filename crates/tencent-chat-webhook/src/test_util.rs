//! Building webhook requests the way Tencent sends them, for tests and tools.
//!
//! [`WebhookRequest`] produces the query string (`SdkAppid`, `CallbackCommand`,
//! `contenttype`, `ClientIP`, `OptPlatform`, and when signed `Sign` and `RequestTime`)
//! and the JSON body of a webhook, for any event, with the hostile variants a test
//! needs: stale or future `RequestTime`, wrong `Sign`, malformed `RequestTime`, another
//! `SdkAppid`, a command that differs from the body's, an oversized body.
//!
//! Pair it with a configuration whose clock is stopped at the signing time,
//! [`Clock::fixed`], so the signature stays fresh however long the test runs:
//!
//! ```
//! use tencent_chat_webhook::test_util::{self, Clock, WebhookRequest};
//! use tencent_chat_webhook::answer::AuthFailure;
//! use tencent_chat_webhook::{Rejection, WebhookConfig};
//!
//! let config = WebhookConfig::builder()
//!     .app(1400000000, ["xxxxyyyy"])
//!     .clock(Clock::fixed(1669872112))
//!     .build()?;
//!
//! let request = test_util::sample("official_channel/after_send_msg")
//!     .unwrap()
//!     .request(1400000000)
//!     .signed("xxxxyyyy", 1669872112);
//! assert!(config.authenticate(Some(&request.query()), None).is_ok());
//! assert_eq!(request.path_and_query("/webhook"), format!("/webhook?{}", request.query()));
//!
//! let stale = request.clone().stale(61);
//! assert_eq!(
//!     config.authenticate(Some(&stale.query()), None).unwrap_err(),
//!     Rejection::Unauthenticated(AuthFailure::Expired { age_secs: 61 }),
//! );
//! # Ok::<(), tencent_chat_webhook::config::ConfigError>(())
//! ```
//!
//! [`doc_config`] and [`Sample::doc_request`] are that pair for the app of Tencent's
//! documentation.
//!
//! What comes back is compared byte for byte with [`OK_BODY`], [`REFUSED_BODY`], the
//! body of each rejection ([`AUTHENTICATION_FAILED_BODY`], [`UNKNOWN_APP_BODY`], …,
//! and [`malformed_query_body`] and [`malformed_body_body`] for the 400s, which say
//! what was wrong), or read back with [`Envelope`].
//!
//! The adapters' READMEs show it driving an axum router (`tower::ServiceExt::oneshot`)
//! and an actix-web app (`actix_web::test`).

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

use async_trait::async_trait;
use bytes::Bytes;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::answer::{Answer, Rejection};
use crate::config::{FailureStrategy, WebhookConfig, WebhookConfigBuilder};
use crate::request::{CallbackCommand, Delivery, Family, sign};
use crate::webhook::{WebhookEvent, WebhookHandler};

/// The clock to put in a test configuration: [`Clock::fixed`] at the signing time.
pub use crate::config::Clock;

/// The token of Tencent's documented signature example.
pub const DOC_TOKEN: &str = "xxxxyyyy";
/// The `RequestTime` of Tencent's documented signature example.
pub const DOC_REQUEST_TIME: u64 = 1_669_872_112;
/// The `SdkAppid` used in Tencent's documentation.
pub const DOC_SDK_APP_ID: u64 = 1_400_000_000;

/// A configuration for the documented app: [`DOC_SDK_APP_ID`] signed with
/// [`DOC_TOKEN`], its clock stopped at [`DOC_REQUEST_TIME`], so that every
/// [`Sample::doc_request`] is accepted. Add limits or other apps, then build it.
///
/// ```
/// use tencent_chat_webhook::official_channel::AfterSendMsg;
/// use tencent_chat_webhook::test_util;
///
/// let config = test_util::doc_config().body_limit(4096).build()?;
/// let request = test_util::sample("official_channel/after_send_msg").unwrap().doc_request();
/// assert!(config.receive::<AfterSendMsg>(Some(&request.query()), request.body()).is_ok());
/// # Ok::<(), tencent_chat_webhook::config::ConfigError>(())
/// ```
pub fn doc_config() -> WebhookConfigBuilder {
    WebhookConfig::builder()
        .app(DOC_SDK_APP_ID, [DOC_TOKEN])
        .clock(Clock::fixed(DOC_REQUEST_TIME))
}

/// The body of [`Answer::ok`]: processed, nothing to add. Every after-webhook, the
/// console's probe and a command the handler did not ask for are answered with it.
pub const OK_BODY: &str = r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}"#;
/// The body of a before-webhook's plain refusal (`ErrorCode` 1), e.g.
/// `BeforeSendMsgReply::Refuse`.
pub const REFUSED_BODY: &str = r#"{"ActionStatus":"OK","ErrorCode":1,"ErrorInfo":""}"#;
/// The body of the 400 answer to a body whose `CallbackCommand` is missing or is not
/// the query's ([`Rejection::CommandMismatch`]).
pub const COMMAND_MISMATCH_BODY: &str = r#"{"ActionStatus":"FAIL","ErrorCode":40003,"ErrorInfo":"CallbackCommand of body and query differ"}"#;
/// The body of the 401 answer to any authentication failure
/// ([`Rejection::Unauthenticated`]), whatever its cause.
pub const AUTHENTICATION_FAILED_BODY: &str =
    r#"{"ActionStatus":"FAIL","ErrorCode":40101,"ErrorInfo":"authentication failed"}"#;
/// The body of the 403 answer to an unknown `SdkAppid` ([`Rejection::UnknownApp`]).
pub const UNKNOWN_APP_BODY: &str =
    r#"{"ActionStatus":"FAIL","ErrorCode":40301,"ErrorInfo":"unknown SdkAppid"}"#;
/// The body of the 403 answer to a request from a source outside the allow-list
/// ([`Rejection::SourceNotAllowed`]), whatever its cause.
pub const SOURCE_NOT_ALLOWED_BODY: &str =
    r#"{"ActionStatus":"FAIL","ErrorCode":40302,"ErrorInfo":"source not allowed"}"#;
/// The body of the 413 answer to a body over the limit ([`Rejection::BodyTooLarge`]).
pub const TOO_LARGE_BODY: &str =
    r#"{"ActionStatus":"FAIL","ErrorCode":41301,"ErrorInfo":"body too large"}"#;
/// The body of the 408 answer to a body still arriving after the body read timeout
/// ([`Rejection::BodyTimeout`]).
pub const TIMED_OUT_BODY: &str =
    r#"{"ActionStatus":"FAIL","ErrorCode":40801,"ErrorInfo":"body read timed out"}"#;
/// The body of the 500 answer of a route without a configuration
/// ([`Rejection::MissingConfig`]).
pub const NOT_CONFIGURED_BODY: &str =
    r#"{"ActionStatus":"FAIL","ErrorCode":50001,"ErrorInfo":"webhook not configured"}"#;

/// The body of the 400 answer to a malformed query string ([`Rejection::MalformedQuery`])
/// whose cause is `detail`, cut as the answer cuts it
/// ([`Detail::PUBLIC_LEN`](crate::answer::Detail::PUBLIC_LEN) bytes).
///
/// ```
/// use tencent_chat_webhook::test_util;
///
/// assert_eq!(
///     test_util::malformed_query_body("missing SdkAppid"),
///     r#"{"ActionStatus":"FAIL","ErrorCode":40001,"ErrorInfo":"malformed query string: missing SdkAppid"}"#,
/// );
/// ```
pub fn malformed_query_body(detail: &str) -> String {
    answer_body(&Rejection::malformed_query(detail))
}

/// The body of the 400 answer to a malformed body ([`Rejection::MalformedBody`]) whose
/// cause is `detail`, cut as the answer cuts it
/// ([`Detail::PUBLIC_LEN`](crate::answer::Detail::PUBLIC_LEN) bytes).
///
/// ```
/// use tencent_chat_webhook::test_util;
///
/// assert_eq!(
///     test_util::malformed_body_body("expected value at line 1 column 1"),
///     r#"{"ActionStatus":"FAIL","ErrorCode":40002,"ErrorInfo":"malformed body: expected value at line 1 column 1"}"#,
/// );
/// ```
pub fn malformed_body_body(detail: &str) -> String {
    answer_body(&Rejection::malformed_body(detail))
}

/// The body of the answer to `rejection`, as text.
fn answer_body(rejection: &Rejection) -> String {
    String::from_utf8_lossy(Answer::from(rejection).body()).into_owned()
}

/// The three fields every answer has, for reading an answer back.
///
/// ```
/// use tencent_chat_webhook::test_util::Envelope;
///
/// let envelope: Envelope = serde_json::from_str(
///     r#"{"ActionStatus":"FAIL","ErrorCode":40101,"ErrorInfo":"authentication failed"}"#,
/// )?;
/// assert!(!envelope.is_ok());
/// assert_eq!(envelope.error_code, 40101);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Envelope {
    /// `OK` when the request was processed, `FAIL` when it was rejected.
    #[serde(rename = "ActionStatus")]
    pub action_status: String,
    /// 0, a before-webhook's verdict, or a rejection's code.
    #[serde(rename = "ErrorCode")]
    pub error_code: u32,
    /// Free text; empty on success.
    #[serde(rename = "ErrorInfo")]
    pub error_info: String,
}

impl Envelope {
    /// Whether `ActionStatus` is `OK`.
    pub fn is_ok(&self) -> bool {
        self.action_status == "OK"
    }
}

/// Everything but the unreserved characters is escaped in query values.
const VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The name of the field [`WebhookRequest::oversized`] pads the body with.
pub const PADDING_FIELD: &str = "TestUtilPadding";

/// A complete webhook request: its query string and its body.
///
/// Build it from an event ([`new`](Self::new)), from any serializable body with a
/// command ([`from_json`](Self::from_json)), from raw bytes ([`raw`](Self::raw)) or from
/// a built-in [`Sample`]. It starts unsigned, with `contenttype=json`,
/// `ClientIP=127.0.0.1` and `OptPlatform=RESTAPI`; [`signed`](Self::signed) adds a
/// correct `Sign` and `RequestTime`, and the other methods make it hostile.
#[derive(Clone)]
pub struct WebhookRequest {
    sdk_app_id: u64,
    command: String,
    body: Bytes,
    client_ip: Option<String>,
    opt_platform: Option<String>,
    signing: Option<Signing>,
    offset: i64,
    wrong_sign: bool,
    raw_request_time: Option<String>,
}

#[derive(Clone)]
struct Signing {
    token: String,
    request_time: u64,
}

impl fmt::Debug for WebhookRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A signed query holds a valid `Sign`: like the token, it is not shown.
        let query = self.query();
        let query: Vec<&str> = query
            .split('&')
            .map(|pair| {
                if pair.starts_with("Sign=") {
                    "Sign=<redacted>"
                } else {
                    pair
                }
            })
            .collect();
        f.debug_struct("WebhookRequest")
            .field("query", &query.join("&"))
            .field("body", &String::from_utf8_lossy(&self.body))
            .finish()
    }
}

impl WebhookRequest {
    /// A request carrying `event` under its command, its body the event's wire JSON with
    /// `CallbackCommand` as the first key (where the command has one in its body).
    pub fn new(sdk_app_id: u64, event: impl Into<WebhookEvent>) -> Self {
        let event = event.into();
        let command = event.command();
        Self::from_json(sdk_app_id, command.as_str(), &event)
    }

    /// A request for `command` whose body is `body` serialized as a JSON object, with
    /// `"CallbackCommand": command` inserted as its first key (replacing any
    /// `CallbackCommand` it had), unless the command's bodies have none
    /// ([`CallbackCommand::is_named_in_body`]). Use it for commands the library does not
    /// model.
    ///
    /// ```
    /// use tencent_chat_webhook::test_util::WebhookRequest;
    ///
    /// let request = WebhookRequest::from_json(
    ///     1400000000,
    ///     "C2C.CallbackAfterSendMsg",
    ///     &serde_json::json!({"From_Account": "jared"}),
    /// );
    /// assert_eq!(
    ///     request.body(),
    ///     r#"{"CallbackCommand":"C2C.CallbackAfterSendMsg","From_Account":"jared"}"#,
    /// );
    /// ```
    ///
    /// # Panics
    ///
    /// When `body` does not serialize to JSON (a map with non-string keys).
    pub fn from_json(sdk_app_id: u64, command: impl Into<String>, body: &impl Serialize) -> Self {
        let command = command.into();
        let body = serde_json::to_value(body).expect("the body serializes to JSON");
        let body = with_command(&command, body);
        Self::raw(sdk_app_id, command, body)
    }

    /// A request for `command` with `body` sent exactly as given: the console's probe
    /// `{}`, a fixture file, or a malformed body.
    pub fn raw(sdk_app_id: u64, command: impl Into<String>, body: impl Into<Bytes>) -> Self {
        Self {
            sdk_app_id,
            command: command.into(),
            body: body.into(),
            client_ip: Some("127.0.0.1".into()),
            opt_platform: Some("RESTAPI".into()),
            signing: None,
            offset: 0,
            wrong_sign: false,
            raw_request_time: None,
        }
    }

    /// Signs the request with `token` at `request_time`: the `Sign` and `RequestTime`
    /// a configuration with that token and [`Clock::fixed(request_time)`](Clock::fixed)
    /// accepts.
    #[must_use]
    pub fn signed(mut self, token: impl Into<String>, request_time: u64) -> Self {
        self.signing = Some(Signing {
            token: token.into(),
            request_time,
        });
        self
    }

    /// Removes `Sign` and `RequestTime`, as for an app whose token authentication is off.
    #[must_use]
    pub fn unsigned(mut self) -> Self {
        self.signing = None;
        self
    }

    /// Sets `ClientIP`.
    #[must_use]
    pub fn client_ip(mut self, client_ip: impl Into<String>) -> Self {
        self.client_ip = Some(client_ip.into());
        self
    }

    /// Sets `OptPlatform` (`RESTAPI`, `Web`, `Android`, `iOS`, …).
    #[must_use]
    pub fn opt_platform(mut self, opt_platform: impl Into<String>) -> Self {
        self.opt_platform = Some(opt_platform.into());
        self
    }

    /// Sends `RequestTime` `secs` seconds before the signing time, correctly signed: a
    /// configuration whose clock is at the signing time sees a request `secs` old. No
    /// effect on an unsigned request.
    #[must_use]
    pub fn stale(mut self, secs: u64) -> Self {
        self.offset = -i64::try_from(secs).unwrap_or(i64::MAX);
        self
    }

    /// Sends `RequestTime` `secs` seconds after the signing time, correctly signed. No
    /// effect on an unsigned request.
    #[must_use]
    pub fn future(mut self, secs: u64) -> Self {
        self.offset = i64::try_from(secs).unwrap_or(i64::MAX);
        self
    }

    /// Sends a well-formed `Sign` that matches no token (the right one with its last
    /// digit changed). No effect on an unsigned request.
    #[must_use]
    pub fn wrong_sign(mut self) -> Self {
        self.wrong_sign = true;
        self
    }

    /// Sends `RequestTime` as `raw`, exactly as given (escape it yourself, e.g. `%2B`
    /// for `+`), with the `Sign` of the signing time. No effect on an unsigned request.
    #[must_use]
    pub fn malformed_request_time(mut self, raw: impl Into<String>) -> Self {
        self.raw_request_time = Some(raw.into());
        self
    }

    /// Sends the request for another app (`SdkAppid`), still signed with the same token.
    #[must_use]
    pub fn sdk_app_id(mut self, sdk_app_id: u64) -> Self {
        self.sdk_app_id = sdk_app_id;
        self
    }

    /// Names `command` in the query string, leaving the body as it is: unless the body
    /// has the same command, a command mismatch.
    #[must_use]
    pub fn command(mut self, command: impl Into<String>) -> Self {
        self.command = command.into();
        self
    }

    /// Pads the JSON object body with an unknown string field ([`PADDING_FIELD`]) so
    /// that it is `bytes` long (or as short as possible, if it is already longer),
    /// keeping it valid JSON that decodes to the same event.
    ///
    /// # Panics
    ///
    /// When the body is not a JSON object (does not end with `}`).
    #[must_use]
    pub fn oversized(mut self, bytes: usize) -> Self {
        let text = String::from_utf8_lossy(&self.body);
        let end = text.trim_end().len();
        let object = &text[..end];
        assert!(
            object.ends_with('}'),
            "oversized pads a JSON object, not {object:?}"
        );
        let inner = &object[..end - 1];
        let empty = inner.trim_end().ends_with('{');
        let prefix = format!("{}\"{PADDING_FIELD}\":\"", if empty { "" } else { "," });
        let fixed = inner.len() + prefix.len() + "\"}".len();
        let padding = "x".repeat(bytes.saturating_sub(fixed));
        self.body = format!("{inner}{prefix}{padding}\"}}").into();
        self
    }

    /// The query string, without the `?`.
    pub fn query(&self) -> String {
        let mut query = format!(
            "SdkAppid={}&CallbackCommand={}&contenttype=json",
            self.sdk_app_id,
            utf8_percent_encode(&self.command, VALUE),
        );
        if let Some(client_ip) = &self.client_ip {
            query += &format!("&ClientIP={}", utf8_percent_encode(client_ip, VALUE));
        }
        if let Some(opt_platform) = &self.opt_platform {
            query += &format!("&OptPlatform={}", utf8_percent_encode(opt_platform, VALUE));
        }
        if let Some(signing) = &self.signing {
            let request_time = signing.request_time.saturating_add_signed(self.offset);
            let mut signature = sign(&signing.token, request_time);
            if self.wrong_sign {
                let last = if signature.ends_with('0') { "1" } else { "0" };
                signature.pop();
                signature.push_str(last);
            }
            let request_time = self
                .raw_request_time
                .clone()
                .unwrap_or_else(|| request_time.to_string());
            query += &format!("&Sign={signature}&RequestTime={request_time}");
        }
        query
    }

    /// The body.
    pub fn body(&self) -> Bytes {
        self.body.clone()
    }

    /// `path`, `?` and the query string: the request target for a test client.
    pub fn path_and_query(&self, path: &str) -> String {
        format!("{path}?{}", self.query())
    }

    /// The request as an `http` 1.x `POST` to `path`, with `Content-Type:
    /// application/json` (what an axum router's `oneshot` takes, after `.map(Body::from)`).
    ///
    /// # Panics
    ///
    /// When `path` is not a valid URI path.
    pub fn to_http(&self, path: &str) -> http::Request<Bytes> {
        http::Request::post(self.path_and_query(path))
            .header(http::header::CONTENT_TYPE, "application/json")
            .body(self.body())
            .expect("a valid request target")
    }
}

/// `body` as JSON text with `"CallbackCommand": command` as its first key, where the
/// command names itself in its body.
fn with_command(command: &str, body: Value) -> Vec<u8> {
    let named = CallbackCommand::from_wire(command).is_named_in_body();
    let Value::Object(mut fields) = body.clone() else {
        return serde_json::to_vec(&body).unwrap_or_default();
    };
    if !named {
        return serde_json::to_vec(&body).unwrap_or_default();
    }
    fields.remove("CallbackCommand");
    let mut out =
        serde_json::to_vec(&serde_json::json!({ "CallbackCommand": command })).unwrap_or_default();
    if !fields.is_empty() {
        let rest = serde_json::to_vec(&fields).unwrap_or_default();
        out.pop(); // `}`
        out.push(b',');
        out.extend_from_slice(&rest[1..]);
    }
    out
}

/// A documented sample webhook: one per command, declared with it in the catalog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Sample {
    /// Its name: the family's module and the command's handler method
    /// (`official_channel/after_send_msg`, `c2c/before_send_msg`).
    pub name: &'static str,
    /// Its `CallbackCommand`.
    pub command: &'static str,
    /// Its body, as documented by Tencent.
    pub body: &'static str,
}

impl Sample {
    /// An unsigned request for `sdk_app_id` carrying this sample.
    pub fn request(&self, sdk_app_id: u64) -> WebhookRequest {
        WebhookRequest::raw(
            sdk_app_id,
            self.command,
            Bytes::from_static(self.body.as_bytes()),
        )
    }

    /// This sample as Tencent sends it in its documentation: for [`DOC_SDK_APP_ID`],
    /// signed with [`DOC_TOKEN`] at [`DOC_REQUEST_TIME`], which [`doc_config`] accepts.
    pub fn doc_request(&self) -> WebhookRequest {
        self.request(DOC_SDK_APP_ID)
            .signed(DOC_TOKEN, DOC_REQUEST_TIME)
    }

    /// Its command.
    pub fn callback_command(&self) -> CallbackCommand {
        CallbackCommand::from_wire(self.command)
    }
}

/// The documented sample of every command, in the order of [`CallbackCommand::ALL`].
pub fn samples() -> &'static [Sample] {
    crate::catalog::SAMPLES
}

/// The documented samples of `family`'s commands, in the order of [`Family::commands`].
pub fn family_samples(family: Family) -> impl Iterator<Item = &'static Sample> {
    samples()
        .iter()
        .filter(move |sample| sample.callback_command().family() == Some(family))
}

/// The sample named `name` (`c2c/before_send_msg`), if there is one.
pub fn sample(name: &str) -> Option<&'static Sample> {
    samples().iter().find(|sample| sample.name == name)
}

/// A [`WebhookHandler`] that keeps every delivery it is given, for testing how
/// a handler is mounted (its route's configuration, middleware, body limits) apart from
/// what it does.
///
/// It refuses every before-webhook with the plain refusal ([`REFUSED_BODY`]) and does
/// nothing else, so that an answer tells a before-webhook that reached it from one
/// acknowledged without it ([`OK_BODY`]). Its clones share one record: mount one, keep
/// the other to look at.
///
/// ```
/// use tencent_chat_webhook::test_util::Recorder;
///
/// let recorder = Recorder::new();
/// // Mounted, e.g. `post(handle(recorder.clone()))` with axum.
/// let mounted = recorder.clone();
/// # drop(mounted);
/// // Sent requests, then:
/// assert!(recorder.commands().is_empty());
/// ```
#[derive(Debug, Clone, Default)]
pub struct Recorder {
    deliveries: Arc<Mutex<Vec<Delivery<WebhookEvent>>>>,
}

impl Recorder {
    /// A recorder that has been given nothing yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// What it answers to a delivery of `command`: [`REFUSED_BODY`] for a before-webhook,
    /// [`OK_BODY`] for anything else.
    pub fn answer_body(command: &CallbackCommand) -> &'static str {
        if command.is_before() {
            REFUSED_BODY
        } else {
            OK_BODY
        }
    }

    /// The deliveries it was given, in order.
    pub fn deliveries(&self) -> Vec<Delivery<WebhookEvent>> {
        self.lock().clone()
    }

    /// The command of each delivery it was given, in order.
    pub fn commands(&self) -> Vec<CallbackCommand> {
        self.lock()
            .iter()
            .map(|delivery| delivery.event.command())
            .collect()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Delivery<WebhookEvent>>> {
        // A test that panicked while recording must not hide what was recorded.
        self.deliveries
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

#[async_trait]
impl WebhookHandler for Recorder {
    async fn handle(&self, delivery: Delivery<WebhookEvent>) -> Answer {
        // The plain refusal every before-webhook knows, OK for the others.
        let answer = FailureStrategy::Refuse.answer_for(&delivery.event.command());
        self.lock().push(delivery);
        answer
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answer::{AuthFailure, NotDelivered};
    use crate::official_channel::AfterSendMsg;
    use crate::{Rejection, WebhookConfig};

    const T: u64 = DOC_REQUEST_TIME;

    fn config() -> WebhookConfig {
        doc_config().body_limit(4096).build().unwrap()
    }

    fn request() -> WebhookRequest {
        sample("official_channel/after_send_msg")
            .unwrap()
            .doc_request()
    }

    fn rejection(request: &WebhookRequest) -> Rejection {
        match config().receive::<AfterSendMsg>(Some(&request.query()), request.body()) {
            Err(NotDelivered::Rejected(rejection)) => rejection,
            other => panic!("expected a rejection, got {other:?}"),
        }
    }

    fn auth_failure(request: &WebhookRequest) -> AuthFailure {
        match rejection(request) {
            Rejection::Unauthenticated(cause) => cause,
            other => panic!("expected an authentication failure, got {other:?}"),
        }
    }

    #[test]
    fn the_signed_request_is_the_documented_one_and_is_delivered() {
        let request = request();
        assert_eq!(
            request.query(),
            "SdkAppid=1400000000&CallbackCommand=OfficialAccount.CallbackAfterSendMsg\
             &contenttype=json&ClientIP=127.0.0.1&OptPlatform=RESTAPI\
             &Sign=17773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d484061\
             &RequestTime=1669872112"
        );
        let delivery = config()
            .receive::<AfterSendMsg>(Some(&request.query()), request.body())
            .unwrap();
        assert_eq!(delivery.event.msg_key, "71_1_1698741698");
        assert_eq!(
            delivery.body,
            sample("official_channel/after_send_msg").unwrap().body
        );
    }

    #[test]
    fn freshness_variants_move_request_time_and_stay_signed() {
        assert!(
            config()
                .authenticate(Some(&request().stale(60).query()), None)
                .is_ok()
        );
        assert!(
            config()
                .authenticate(Some(&request().future(60).query()), None)
                .is_ok()
        );
        assert_eq!(
            auth_failure(&request().stale(61)),
            AuthFailure::Expired { age_secs: 61 }
        );
        assert_eq!(
            auth_failure(&request().future(61)),
            AuthFailure::FromTheFuture { ahead_secs: 61 }
        );
    }

    #[test]
    fn hostile_variants_are_rejected_for_their_reason() {
        assert_eq!(
            auth_failure(&request().wrong_sign()),
            AuthFailure::SignMismatch
        );
        for raw in ["%2B1669872112", "1669872112%20", "16698721120", "x"] {
            assert_eq!(
                auth_failure(&request().malformed_request_time(raw)),
                AuthFailure::MalformedRequestTime,
                "{raw}"
            );
        }
        assert_eq!(
            auth_failure(&request().unsigned()),
            AuthFailure::MissingSign
        );
        assert_eq!(
            rejection(&request().sdk_app_id(7)),
            Rejection::UnknownApp { sdk_app_id: 7 }
        );
        assert!(matches!(
            rejection(&request().command("OfficialAccount.CallbackAfterMsgWithDraw")),
            Rejection::CommandMismatch { .. }
        ));
        assert_eq!(
            rejection(&request().oversized(4097)),
            Rejection::BodyTooLarge { limit: 4096 }
        );
    }

    #[test]
    fn a_token_of_another_app_does_not_sign() {
        let request = request().signed("another token", T);
        assert_eq!(auth_failure(&request), AuthFailure::SignMismatch);
    }

    #[test]
    fn oversized_bodies_are_exactly_as_long_and_still_decode() {
        let request = request().oversized(4096);
        assert_eq!(request.body().len(), 4096);
        let delivery = config()
            .receive::<AfterSendMsg>(Some(&request.query()), request.body())
            .unwrap();
        assert_eq!(delivery.event.msg_key, "71_1_1698741698");

        let probe = WebhookRequest::raw(1, "X", "{}").oversized(100);
        assert_eq!(probe.body().len(), 100);
        let value: Value = serde_json::from_slice(&probe.body()).unwrap();
        assert!(value[PADDING_FIELD].is_string());
    }

    #[test]
    fn events_are_sent_with_their_command_first() {
        let sample = sample("official_channel/after_send_msg").unwrap();
        let event: AfterSendMsg = serde_json::from_str(sample.body).unwrap();
        let request = WebhookRequest::new(DOC_SDK_APP_ID, event.clone()).signed(DOC_TOKEN, T);
        assert!(
            request
                .body()
                .starts_with(br#"{"CallbackCommand":"OfficialAccount.CallbackAfterSendMsg","#)
        );
        let delivery = config()
            .receive::<AfterSendMsg>(Some(&request.query()), request.body())
            .unwrap();
        assert_eq!(delivery.event, event);
    }

    #[test]
    fn values_are_escaped_and_client_fields_set() {
        let request = WebhookRequest::from_json(1, "Odd Command&x", &serde_json::json!({}))
            .client_ip("::1")
            .opt_platform("iOS");
        assert_eq!(request.body(), r#"{"CallbackCommand":"Odd Command&x"}"#);
        let query = crate::request::CallbackQuery::parse(&request.query()).unwrap();
        assert_eq!(query.callback_command().as_str(), "Odd Command&x");
        assert_eq!(query.client_ip(), Some("::1"));
        assert_eq!(query.opt_platform().map(|p| p.as_str()), Some("iOS"));
        assert_eq!(query.request_time(), None);
    }

    #[test]
    fn the_answer_bodies_are_the_core_answers() {
        let answer = |answer: Answer| String::from_utf8(answer.body().to_vec()).unwrap();
        assert_eq!(answer(Answer::ok()), OK_BODY);
        assert_eq!(
            answer(crate::official_channel::BeforeSendMsgReply::Refuse.into()),
            REFUSED_BODY
        );
        let mismatch = Rejection::CommandMismatch {
            query: CallbackCommand::OfficialAccountAfterSendMsg,
            body: None,
        };
        for (rejection, body) in [
            (mismatch, COMMAND_MISMATCH_BODY),
            (
                Rejection::Unauthenticated(AuthFailure::SignMismatch),
                AUTHENTICATION_FAILED_BODY,
            ),
            (Rejection::UnknownApp { sdk_app_id: 7 }, UNKNOWN_APP_BODY),
            (Rejection::BodyTooLarge { limit: 1 }, TOO_LARGE_BODY),
            (
                Rejection::BodyTimeout {
                    timeout: std::time::Duration::from_secs(5),
                },
                TIMED_OUT_BODY,
            ),
            (Rejection::MissingConfig, NOT_CONFIGURED_BODY),
            (Rejection::NoPeerAddress, NOT_CONFIGURED_BODY),
            (
                Rejection::SourceNotAllowed(crate::answer::SourceRefusal::NotAllowed {
                    client: [203, 0, 113, 9].into(),
                    peer: [127, 0, 0, 1].into(),
                }),
                SOURCE_NOT_ALLOWED_BODY,
            ),
        ] {
            assert_eq!(answer(rejection.into()), body);
        }
        let missing = rejection(&WebhookRequest::raw(DOC_SDK_APP_ID, "", "{}"));
        assert_eq!(
            answer(missing.into()),
            malformed_query_body("missing CallbackCommand")
        );
        let long = "x".repeat(300);
        assert_eq!(
            malformed_body_body(&long),
            malformed_body_body(&long[..crate::answer::Detail::PUBLIC_LEN])
        );
    }

    #[test]
    fn the_recorder_keeps_every_delivery_and_refuses_every_before_webhook() {
        use std::pin::pin;
        use std::task::{Context, Poll, Waker};

        let recorder = Recorder::new();
        let mounted = recorder.clone();
        for sample in samples() {
            let request = sample.doc_request();
            let delivery = config()
                .receive::<WebhookEvent>(Some(&request.query()), request.body())
                .unwrap();
            let mut answer = pin!(mounted.handle(delivery));
            let Poll::Ready(answer) = answer
                .as_mut()
                .poll(&mut Context::from_waker(Waker::noop()))
            else {
                panic!("the recorder never waits");
            };
            let expected = Recorder::answer_body(&sample.callback_command());
            assert_eq!(answer.body(), expected, "{}", sample.name);
        }
        assert_eq!(recorder.commands(), CallbackCommand::ALL);
        let bodies: Vec<_> = recorder.deliveries().into_iter().map(|d| d.body).collect();
        let samples: Vec<_> = samples().iter().map(|sample| sample.body).collect();
        assert_eq!(bodies, samples);
    }

    #[test]
    fn there_is_a_sample_for_every_command() {
        let commands: Vec<_> = samples().iter().map(Sample::callback_command).collect();
        assert_eq!(commands, CallbackCommand::ALL);
        for sample in samples() {
            let value: Value = serde_json::from_str(sample.body).unwrap();
            let command = sample.callback_command();
            if command.is_named_in_body() {
                assert_eq!(value["CallbackCommand"], sample.command, "{}", sample.name);
            }
            let family = command.family().unwrap().module();
            assert!(sample.name.starts_with(family), "{}", sample.name);
        }
        assert!(sample("nope").is_none());
    }
}
