//! One table of webhook cases, and the same service on axum and on actix-web to run it
//! against.
//!
//! `tests/conformance.rs` serves [`axum_router`] and [`actix_routes`] on `127.0.0.1:0`
//! with the same [`config`], sends every [`Case`] of [`cases`] to both over real HTTP,
//! and checks each answer against the case and against the other adapter, byte for
//! byte. Both services record what their handler decoded in a [`Log`], so accepted
//! events are checked too.
//!
//! Every route has a configuration: on axum the router state always provides one, so
//! a route without it cannot be written there. actix-web's answer to a route without
//! one (500) is checked in that adapter's own tests.
//!
//! Sources are restricted: the peer of every request is 127.0.0.1, which is both an
//! allowed source and a trusted proxy, so a case without `X-Forwarded-For` comes from an
//! allowed source, and a case with one is checked against the client it names
//! ([`TENCENT`] is allowed, anything else is not).

use std::sync::{Arc, Mutex};

use axum::extract::{FromRef, State};
use serde_json::json;
use tencent_chat_webhook::answer::{MessageCodes, RefusalCodes};
use tencent_chat_webhook::c2c::C2cEvent;
use tencent_chat_webhook::config::IpNet;
use tencent_chat_webhook::group::{
    BeforeApplyJoinGroupReply, BeforeCreateGroupReply, BeforeCreateTopicReply,
    BeforeInviteJoinGroupReply, GroupCodes, GroupEvent,
};
use tencent_chat_webhook::message::{BeforeSendReply, MsgElement};
use tencent_chat_webhook::official_channel::{
    BeforeAddSubscriberReply, BeforeCreateReply, BeforeSendMsgReply, OfficialChannelEvent,
};
use tencent_chat_webhook::request::{Bytes, Family, sign};
use tencent_chat_webhook::sns::{PrevFriendReply, SnsEvent};
use tencent_chat_webhook::test_util::{
    self, AUTHENTICATION_FAILED_BODY, COMMAND_MISMATCH_BODY, Clock, OK_BODY, REFUSED_BODY,
    SOURCE_NOT_ALLOWED_BODY, TOO_LARGE_BODY, UNKNOWN_APP_BODY, WebhookRequest, malformed_body_body,
    malformed_query_body,
};
use tencent_chat_webhook::{Answer, WebhookConfig, WebhookEvent};

// The root README's quick starts compile as doc tests of this crate, which depends on
// both adapters and both frameworks.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct RootReadme;

/// The time of the fixed clock, and of every signature in the table.
pub const NOW: u64 = test_util::DOC_REQUEST_TIME;
/// The signed app, with two tokens (a rotation in progress).
pub const APP: u64 = test_util::DOC_SDK_APP_ID;
/// The current token of [`APP`].
pub const TOKEN: &str = test_util::DOC_TOKEN;
/// The token [`APP`] is being rotated away from; still accepted.
pub const ROTATED_TOKEN: &str = "rotated-token";
/// An app whose token authentication is off.
pub const UNSIGNED_APP: u64 = 1_400_000_001;
/// A second signed app.
pub const SECOND_APP: u64 = 1_400_000_002;
/// The token of [`SECOND_APP`].
pub const SECOND_TOKEN: &str = "second-app-token";
/// The body limit of the configuration.
pub const BODY_LIMIT: usize = 8192;
/// The allowed source range that stands for Tencent's webhook addresses (TEST-NET-3),
/// beside 127.0.0.1.
pub const TENCENT: &str = "203.0.113.0/24";
/// The trusted proxy, and the peer of every request: the loopback the servers listen on.
pub const LOOPBACK: &str = "127.0.0.1/32";

/// The configuration both services run with.
///
/// # Panics
///
/// Never: the configuration is valid.
pub fn config() -> WebhookConfig {
    WebhookConfig::builder()
        .app(APP, [TOKEN, ROTATED_TOKEN])
        .unsigned_app(UNSIGNED_APP)
        .app(SECOND_APP, [SECOND_TOKEN])
        .clock(Clock::fixed(NOW))
        .body_limit(BODY_LIMIT)
        .allowed_sources([range(LOOPBACK), range(TENCENT)])
        .trusted_proxies([range(LOOPBACK)])
        .build()
        .expect("a valid configuration")
}

fn range(range: &str) -> IpNet {
    range.parse().expect("a valid range")
}

/// What a handler decoded: a one-line summary and the event's full JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The event's `Display`, then the `MsgType` of each message element.
    pub summary: String,
    /// The event re-serialized as JSON.
    pub json: String,
}

impl Decoded {
    /// The record of `event`.
    pub fn of(event: &WebhookEvent) -> Self {
        let mut summary = event.to_string();
        let value = serde_json::to_value(event).unwrap_or_default();
        if let Some(body) = value.get("MsgBody").and_then(|body| body.as_array()) {
            let types: Vec<&str> = body
                .iter()
                .map(|element| element["MsgType"].as_str().unwrap_or("?"))
                .collect();
            summary += &format!(" MsgTypes={}", types.join(","));
        }
        let json = serde_json::to_string(event).unwrap_or_default();
        Self { summary, json }
    }
}

/// Where a service records what its handler decoded, in order.
pub type Log = Arc<Mutex<Vec<Decoded>>>;

/// The handler's verdict, the same on both frameworks: OK for after-webhooks, and for
/// before-webhooks a reply that depends on the event, so that every reply shape is
/// covered.
///
/// # Panics
///
/// Never: the custom refusal codes are in range.
pub fn verdict(event: &WebhookEvent) -> Answer {
    match event {
        WebhookEvent::OfficialChannel(event) => official_channel_verdict(event),
        WebhookEvent::C2c(C2cEvent::BeforeSendMsg(msg)) => {
            before_send_verdict::<MessageCodes>(msg.texts())
        }
        WebhookEvent::Group(event) => group_verdict(event),
        WebhookEvent::Sns(SnsEvent::PrevFriendAdd(add)) => friend_verdict(add.targets()),
        WebhookEvent::Sns(SnsEvent::PrevFriendResponse(response)) => {
            friend_verdict(response.targets())
        }
        other => other.default_answer(),
    }
}

/// A before-send message: refused, discarded, rewritten or refused with the first code of
/// its range when its text says so, otherwise allowed.
fn before_send_verdict<'a, C: RefusalCodes>(mut texts: impl Iterator<Item = &'a str>) -> Answer {
    let reply = match texts.find_map(|text| text.split_whitespace().next()) {
        Some("refuse") => BeforeSendReply::<C>::Refuse,
        Some("discard") => BeforeSendReply::Discard,
        Some("rewrite") => BeforeSendReply::rewrite(vec![MsgElement::text("***")])
            .with_cloud_custom_data("moderated"),
        Some("custom") => {
            BeforeSendReply::refuse_with(*C::CODES.start(), "blocked").expect("a code of its range")
        }
        _ => BeforeSendReply::allow(),
    };
    reply.into()
}

/// A friend request: targets named `bot_…` refused with 38000, the others allowed.
fn friend_verdict<'a>(targets: impl Iterator<Item = &'a str>) -> Answer {
    targets
        .fold(
            PrevFriendReply::allowing(Vec::<String>::new()),
            |reply, target| {
                if target.starts_with("bot_") {
                    reply
                        .refuse_with(target, 38_000, "no bots")
                        .expect("a refusal code")
                } else {
                    reply.allow(target)
                }
            },
        )
        .into()
}

/// The group before-webhooks: names `Forbidden` refused, `Reserved` refused with 10100,
/// invitees named `bot_…` left out, a requestor named `bot_…` refused.
fn group_verdict(event: &GroupEvent) -> Answer {
    let by_name = |name: &str, refuse: Answer, custom: fn() -> Answer| match name {
        "Forbidden" => Some(refuse),
        "Reserved" => Some(custom()),
        _ => None,
    };
    let verdict = match event {
        GroupEvent::BeforeSendMsg(msg) => Some(before_send_verdict::<GroupCodes>(msg.texts())),
        GroupEvent::BeforeCreateGroup(create) => {
            by_name(&create.name, BeforeCreateGroupReply::Refuse.into(), || {
                BeforeCreateGroupReply::refuse_with(10_100, "name is reserved")
                    .unwrap()
                    .into()
            })
        }
        GroupEvent::BeforeCreateTopic(create) => {
            by_name(&create.name, BeforeCreateTopicReply::Refuse.into(), || {
                BeforeCreateTopicReply::refuse_with(10_100, "name is reserved")
                    .unwrap()
                    .into()
            })
        }
        GroupEvent::BeforeApplyJoinGroup(apply) => match apply.requestor_account.as_str() {
            "bot_1" => Some(BeforeApplyJoinGroupReply::Refuse.into()),
            "bot_2" => Some(
                BeforeApplyJoinGroupReply::refuse_with(10_200, "no bots")
                    .unwrap()
                    .into(),
            ),
            _ => None,
        },
        GroupEvent::BeforeInviteJoinGroup(invite) => {
            let bots = invite
                .destination_members
                .iter()
                .map(|member| member.member_account.as_str())
                .filter(|account| account.starts_with("bot_"));
            Some(BeforeInviteJoinGroupReply::refuse_members(bots).into())
        }
        _ => None,
    };
    verdict.unwrap_or_else(|| WebhookEvent::Group(event.clone()).default_answer())
}

fn official_channel_verdict(event: &OfficialChannelEvent) -> Answer {
    match event {
        OfficialChannelEvent::BeforeSendMsg(msg) => {
            let says = |word: &str| msg.texts().any(|text| text.contains(word));
            if says("refuse") {
                BeforeSendMsgReply::Refuse.into()
            } else if says("discard") {
                BeforeSendMsgReply::Discard.into()
            } else if says("rewrite") {
                BeforeSendMsgReply::rewrite(vec![MsgElement::text("***")])
                    .with_cloud_custom_data("moderated")
                    .into()
            } else if says("read-only") {
                BeforeSendMsgReply::refuse_with(120_001, "channel is read-only")
                    .expect("a custom code")
                    .into()
            } else {
                BeforeSendMsgReply::allow().into()
            }
        }
        OfficialChannelEvent::BeforeAddSubscriber(add) => {
            BeforeAddSubscriberReply::refuse_subscribers(
                add.subscribe_account_list
                    .iter()
                    .map(|s| s.subscriber_account.as_str())
                    .filter(|account| account.starts_with("bot_")),
            )
            .into()
        }
        OfficialChannelEvent::BeforeCreateOfficialAccount(create) => match create.name.as_str() {
            "Forbidden" => BeforeCreateReply::Refuse.into(),
            "Reserved" => BeforeCreateReply::refuse_with(120_002, "name is reserved")
                .expect("a custom code")
                .into(),
            _ => BeforeCreateReply::Allow.into(),
        },
        _ => Answer::ok(),
    }
}

fn record(log: &Log, event: &WebhookEvent) {
    log.lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .push(Decoded::of(event));
}

#[derive(Clone)]
struct AxumState {
    config: WebhookConfig,
    log: Log,
}

impl FromRef<AxumState> for WebhookConfig {
    fn from_ref(state: &AxumState) -> Self {
        state.config.clone()
    }
}

/// The axum service: `POST /webhook` configured through the router state.
pub fn axum_router(config: WebhookConfig, log: Log) -> axum::Router {
    use axum::routing::post;
    use tencent_chat_webhook_axum::{Callback, Reply};

    async fn webhook(
        State(state): State<AxumState>,
        callback: Callback<WebhookEvent>,
    ) -> Reply<Answer> {
        record(&state.log, &callback.event);
        Reply(verdict(&callback.event))
    }

    axum::Router::new()
        .route("/webhook", post(webhook))
        .with_state(AxumState { config, log })
}

/// The actix-web service: `POST /webhook` with the configuration in the resource's
/// `app_data`.
pub fn actix_routes(cfg: &mut actix_web::web::ServiceConfig, config: &WebhookConfig, log: &Log) {
    use actix_web::web;
    use tencent_chat_webhook_actix::{Callback, Reply};

    async fn webhook(log: web::Data<Log>, callback: Callback<WebhookEvent>) -> Reply<Answer> {
        record(&log, &callback.event);
        Reply(verdict(&callback.event))
    }

    cfg.app_data(web::Data::new(log.clone())).service(
        web::resource("/webhook")
            .app_data(config.clone())
            .route(web::post().to(webhook)),
    );
}

/// One request and the answer both adapters must give.
#[derive(Debug, Clone)]
pub struct Case {
    /// What the case is about; failures name it.
    pub name: String,
    /// The raw query string, sent as is.
    pub query: String,
    /// The body, sent as is.
    pub body: Bytes,
    /// The expected HTTP status.
    pub status: u16,
    /// The expected answer body, byte for byte.
    pub answer: String,
    /// For a request the handler receives, the expected [`Decoded::summary`].
    pub decoded: Option<String>,
    /// Sent instead of `query` when set: bytes a `String` cannot hold.
    pub raw_query: Option<Bytes>,
    /// For a request an HTTP server refuses before the adapter runs, on one framework or
    /// both: the status and answer of each, axum's then actix-web's (a server's own
    /// answer has an empty body). `status` and `answer` then do not apply, and the two
    /// cannot be byte-identical.
    pub per_framework: Option<[(u16, String); 2]>,
    /// The value of each `X-Forwarded-For` header sent, in order (none when empty).
    pub forwarded_for: Vec<String>,
}

impl Case {
    fn new(name: impl Into<String>, query: impl Into<String>, body: impl Into<Bytes>) -> Self {
        Self {
            name: name.into(),
            query: query.into(),
            body: body.into(),
            status: 0,
            answer: String::new(),
            decoded: None,
            raw_query: None,
            per_framework: None,
            forwarded_for: Vec::new(),
        }
    }

    fn of(name: impl Into<String>, request: &WebhookRequest) -> Self {
        Self::new(name, request.query(), request.body())
    }

    /// Delivered to the handler, which decodes `decoded` and answers `answer`.
    fn replied(mut self, answer: &str, decoded: impl Into<String>) -> Self {
        self.status = 200;
        self.answer = answer.to_owned();
        self.decoded = Some(decoded.into());
        self
    }

    fn delivered(self, decoded: impl Into<String>) -> Self {
        self.replied(OK_BODY, decoded)
    }

    /// Answered OK without reaching the handler.
    fn acknowledged(mut self) -> Self {
        self.status = 200;
        self.answer = OK_BODY.to_owned();
        self
    }

    fn rejected(mut self, status: u16, answer: impl Into<String>) -> Self {
        self.status = status;
        self.answer = answer.into();
        self
    }

    /// Rejected with 400 for a malformed query string, which `detail` describes.
    fn malformed_query(self, detail: &str) -> Self {
        self.rejected(400, malformed_query_body(detail))
    }

    /// Rejected with 400 for a malformed body, which `detail` describes.
    fn malformed_body(self, detail: &str) -> Self {
        self.rejected(400, malformed_body_body(detail))
    }

    /// Answered by each framework's server as given (axum, actix-web).
    fn per_framework(mut self, axum: (u16, String), actix: (u16, String)) -> Self {
        self.status = axum.0;
        self.answer.clone_from(&axum.1);
        self.per_framework = Some([axum, actix]);
        self
    }

    /// Sent with one `X-Forwarded-For` header per value, in order.
    fn forwarded_for(mut self, values: &[&str]) -> Self {
        self.forwarded_for = values.iter().map(|&value| value.to_owned()).collect();
        self
    }

    /// The query string sent as these raw bytes.
    fn raw_query(mut self, raw: impl Into<Bytes>) -> Self {
        self.raw_query = Some(raw.into());
        self
    }
}

const AFTER_SEND: &str = "OfficialAccount.CallbackAfterSendMsg";
const BEFORE_SEND: &str = "OfficialAccount.CallbackBeforeSendMsg";
const AFTER_SEND_DECODED: &str = r#"OfficialAccount.CallbackAfterSendMsg Official_Account=@TOA#_2J4SZEAEL MsgKey=71_1_1698741698 Text="red packet" MsgTypes=TIMTextElem"#;

/// The documented sample `name`, signed for [`APP`] with [`TOKEN`] at [`NOW`].
fn signed(name: &str) -> WebhookRequest {
    test_util::sample(name)
        .unwrap_or_else(|| panic!("no sample {name}"))
        .doc_request()
}

fn after_send() -> WebhookRequest {
    signed("official_channel/after_send_msg")
}

/// `query` with the value of `key` replaced by `value` (`None` removes the parameter).
fn set_param(query: &str, key: &str, value: Option<&str>) -> String {
    query
        .split('&')
        .filter_map(|pair| match pair.split_once('=') {
            Some((k, _)) if k == key => value.map(|value| format!("{k}={value}")),
            _ => Some(pair.to_owned()),
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// A before-send message with one text element.
fn before_send_saying(text: &str) -> WebhookRequest {
    WebhookRequest::from_json(
        APP,
        BEFORE_SEND,
        &json!({
            "Official_Account": "@TOA#_2J4SZEAEL",
            "MsgBody": [{"MsgType": "TIMTextElem", "MsgContent": {"Text": text}}],
            "EventTime": 1670574414123u64,
        }),
    )
    .signed(TOKEN, NOW)
}

/// An after-send message whose body is the element `element` (JSON text).
fn after_send_with(key: &str, element: &str) -> WebhookRequest {
    let body = format!(
        r#"{{"CallbackCommand":"{AFTER_SEND}","Official_Account":"@TOA#_conformance","MsgKey":"{key}","MsgTime":1490686222,"MsgBody":[{element}],"EventTime":1670574414123}}"#
    );
    WebhookRequest::raw(APP, AFTER_SEND, body).signed(TOKEN, NOW)
}

macro_rules! fixture {
    ($name:literal) => {
        include_str!(concat!(
            "../../crates/tencent-chat-webhook/tests/fixtures/",
            $name,
            ".json"
        ))
    };
}

/// Every case, named.
pub fn cases() -> Vec<Case> {
    let mut cases = Vec::new();
    let sign = sign(TOKEN, NOW);

    // Every Official Channel command, from its documented sample.
    for (name, decoded) in [
        (
            "before_create_official_account",
            r#"OfficialAccount.CallbackBeforeCreateOfficialAccount Owner_Account=107867 Name="TestOfficialAccount""#,
        ),
        (
            "after_create_official_account",
            "OfficialAccount.CallbackAfterCreateOfficialAccount Official_Account=@TOA#_test_OA_for_penn",
        ),
        (
            "after_official_account_info_changed",
            "OfficialAccount.CallbackAfterOfficialAccountInfoChanged Official_Account=@TOA#_test_OA_for_penn",
        ),
        (
            "after_official_account_destroyed",
            "OfficialAccount.CallbackAfterOfficialAccountDestroyed Official_Account=@TOA#_test_OA_for_penn",
        ),
        (
            "before_add_subscriber",
            "OfficialAccount.CallbackBeforeAddSubscriber Official_Account=@TOA#_test_for_penn",
        ),
        (
            "after_add_subscriber",
            "OfficialAccount.CallbackAfterAddSubscriber Official_Account=@TOA#_test_for_penn",
        ),
        (
            "after_official_account_full",
            "OfficialAccount.CallbackAfterOfficialAccountFull Official_Account=@TOA#_test_OA_for_penn",
        ),
        (
            "after_delete_subscriber",
            "OfficialAccount.CallbackAfterDeleteSubscriber Official_Account=@TOA#_test_OA_for_penn",
        ),
        (
            "before_send_msg",
            r#"OfficialAccount.CallbackBeforeSendMsg Official_Account=@TOA#_2J4SZEAEL Text="red packet" MsgTypes=TIMTextElem"#,
        ),
        ("after_send_msg", AFTER_SEND_DECODED),
        (
            "after_msg_with_draw",
            "OfficialAccount.CallbackAfterMsgWithDraw Official_Account=#TOA#_123 MsgKey=71_1_1698741698",
        ),
    ] {
        let request = signed(&format!("official_channel/{name}"));
        cases.push(Case::of(format!("command: {name}"), &request).delivered(decoded));
    }

    // Every command of the other families, from its documented sample: delivered, with
    // the default answer (for a before-webhook, everything allowed), the event as the core
    // decodes it in-process (each family's tests check the decoded fields).
    let core = config();
    for sample in test_util::samples() {
        if sample.callback_command().family() == Some(Family::OfficialChannel) {
            continue;
        }
        let request = sample.doc_request();
        let event = core
            .receive::<WebhookEvent>(Some(&request.query()), request.body())
            .unwrap_or_else(|outcome| panic!("{}: {outcome}", sample.name))
            .event;
        let answer = String::from_utf8_lossy(event.default_answer().body()).into_owned();
        cases.push(
            Case::of(format!("command: {}", sample.name), &request)
                .replied(&answer, Decoded::of(&event).summary),
        );
    }

    // Every other before-webhook: a refusal, and a rewrite or a partial refusal, from its
    // documented sample with the fields that decide the verdict changed.
    let before = |name: &str, change: &dyn Fn(&mut serde_json::Value)| {
        let sample = test_util::sample(name).unwrap_or_else(|| panic!("no sample {name}"));
        let mut body: serde_json::Value = serde_json::from_str(sample.body).expect("JSON");
        change(&mut body);
        let request = WebhookRequest::from_json(APP, sample.command, &body).signed(TOKEN, NOW);
        let event = core
            .receive::<WebhookEvent>(Some(&request.query()), request.body())
            .unwrap_or_else(|outcome| panic!("{name}: {outcome}"))
            .event;
        (request, Decoded::of(&event).summary)
    };
    let text = |text: &'static str| {
        move |body: &mut serde_json::Value| body["MsgBody"][0]["MsgContent"]["Text"] = json!(text)
    };
    let field = |key: &'static str, value: serde_json::Value| {
        move |body: &mut serde_json::Value| body[key] = value.clone()
    };
    let friends = |list: &'static str, accounts: &'static [&'static str]| {
        move |body: &mut serde_json::Value| {
            for (item, account) in body[list]
                .as_array_mut()
                .into_iter()
                .flatten()
                .zip(accounts)
            {
                item["To_Account"] = json!(account);
            }
        }
    };
    for (name, sample, change, answer) in [
        ("reply: C2C before-send refused", "c2c/before_send_msg", &text("refuse it") as &dyn Fn(&mut serde_json::Value), REFUSED_BODY.to_owned()),
        ("reply: C2C before-send rewritten", "c2c/before_send_msg", &text("rewrite it"), r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","MsgBody":[{"MsgType":"TIMTextElem","MsgContent":{"Text":"***"}}],"CloudCustomData":"moderated"}"#.to_owned()),
        ("reply: C2C before-send discarded", "c2c/before_send_msg", &text("discard it"), r#"{"ActionStatus":"OK","ErrorCode":2,"ErrorInfo":""}"#.to_owned()),
        ("reply: C2C before-send custom refusal", "c2c/before_send_msg", &text("custom"), r#"{"ActionStatus":"OK","ErrorCode":120001,"ErrorInfo":"blocked"}"#.to_owned()),
        ("reply: group before-send refused", "group/before_send_msg", &text("refuse it"), REFUSED_BODY.to_owned()),
        ("reply: group before-send rewritten", "group/before_send_msg", &text("rewrite it"), r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","MsgBody":[{"MsgType":"TIMTextElem","MsgContent":{"Text":"***"}}],"CloudCustomData":"moderated"}"#.to_owned()),
        ("reply: group before-send custom refusal", "group/before_send_msg", &text("custom"), r#"{"ActionStatus":"OK","ErrorCode":10100,"ErrorInfo":"blocked"}"#.to_owned()),
        ("reply: friend add partly refused", "sns/prev_friend_add", &friends("FriendItem", &["id1", "bot_1"]), r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ResultItem":[{"To_Account":"id1","ResultCode":0,"ResultInfo":""},{"To_Account":"bot_1","ResultCode":38000,"ResultInfo":"no bots"}]}"#.to_owned()),
        ("reply: friend add refused", "sns/prev_friend_add", &friends("FriendItem", &["bot_1", "bot_2"]), r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ResultItem":[{"To_Account":"bot_1","ResultCode":38000,"ResultInfo":"no bots"},{"To_Account":"bot_2","ResultCode":38000,"ResultInfo":"no bots"}]}"#.to_owned()),
        ("reply: friend response partly refused", "sns/prev_friend_response", &friends("ResponseFriendItem", &["bot_1", "id2"]), r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ResultItem":[{"To_Account":"bot_1","ResultCode":38000,"ResultInfo":"no bots"},{"To_Account":"id2","ResultCode":0,"ResultInfo":""}]}"#.to_owned()),
        ("reply: friend response refused", "sns/prev_friend_response", &friends("ResponseFriendItem", &["bot_1", "bot_2"]), r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ResultItem":[{"To_Account":"bot_1","ResultCode":38000,"ResultInfo":"no bots"},{"To_Account":"bot_2","ResultCode":38000,"ResultInfo":"no bots"}]}"#.to_owned()),
        ("reply: group create refused", "group/before_create_group", &field("Name", json!("Forbidden")), REFUSED_BODY.to_owned()),
        ("reply: group create custom refusal", "group/before_create_group", &field("Name", json!("Reserved")), r#"{"ActionStatus":"OK","ErrorCode":10100,"ErrorInfo":"name is reserved"}"#.to_owned()),
        ("reply: topic create refused", "group/before_create_topic", &field("Name", json!("Forbidden")), REFUSED_BODY.to_owned()),
        ("reply: topic create custom refusal", "group/before_create_topic", &field("Name", json!("Reserved")), r#"{"ActionStatus":"OK","ErrorCode":10100,"ErrorInfo":"name is reserved"}"#.to_owned()),
        ("reply: join request refused", "group/before_apply_join_group", &field("Requestor_Account", json!("bot_1")), REFUSED_BODY.to_owned()),
        ("reply: join request custom refusal", "group/before_apply_join_group", &field("Requestor_Account", json!("bot_2")), r#"{"ActionStatus":"OK","ErrorCode":10200,"ErrorInfo":"no bots"}"#.to_owned()),
        ("reply: invitation partly refused", "group/before_invite_join_group", &field("DestinationMembers", json!([{"Member_Account": "jared"}, {"Member_Account": "bot_1"}])), r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","RefusedMembers_Account":["bot_1"]}"#.to_owned()),
    ] {
        let (request, decoded) = before(sample, change);
        cases.push(Case::of(name, &request).replied(&answer, decoded));
    }

    // The replies of the before-webhooks.
    let before_send_decoded = |text: &str| {
        format!(
            r#"OfficialAccount.CallbackBeforeSendMsg Official_Account=@TOA#_2J4SZEAEL Text="{text}" MsgTypes=TIMTextElem"#
        )
    };
    for (name, text, answer) in [
        ("reply: before-send refused", "please refuse", REFUSED_BODY),
        (
            "reply: before-send discarded",
            "discard me",
            r#"{"ActionStatus":"OK","ErrorCode":2,"ErrorInfo":""}"#,
        ),
        (
            "reply: before-send rewritten",
            "rewrite this",
            r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","MsgBody":[{"MsgType":"TIMTextElem","MsgContent":{"Text":"***"}}],"CloudCustomData":"moderated"}"#,
        ),
        (
            "reply: before-send custom refusal",
            "read-only?",
            r#"{"ActionStatus":"OK","ErrorCode":120001,"ErrorInfo":"channel is read-only"}"#,
        ),
        (
            "reply: before-send allowed with non-ASCII text",
            "你好 👋",
            OK_BODY,
        ),
    ] {
        cases.push(
            Case::of(name, &before_send_saying(text)).replied(answer, before_send_decoded(text)),
        );
    }
    let subscribers = WebhookRequest::from_json(
        APP,
        "OfficialAccount.CallbackBeforeAddSubscriber",
        &json!({
            "Official_Account": "@TOA#_test_for_penn",
            "SubscribeAccountList": [
                {"Subscriber_Account": "jared"},
                {"Subscriber_Account": "bot_1"},
                {"Subscriber_Account": "bot_2"},
            ],
            "EventTime": 1670574414123u64,
        }),
    )
    .signed(TOKEN, NOW);
    cases.push(Case::of("reply: before-add-subscriber refuses some subscribers", &subscribers).replied(
        r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","RefusedSubscribers_Account":["bot_1","bot_2"]}"#,
        "OfficialAccount.CallbackBeforeAddSubscriber Official_Account=@TOA#_test_for_penn",
    ));
    for (name, channel, answer) in [
        ("reply: before-create refused", "Forbidden", REFUSED_BODY),
        (
            "reply: before-create custom refusal",
            "Reserved",
            r#"{"ActionStatus":"OK","ErrorCode":120002,"ErrorInfo":"name is reserved"}"#,
        ),
    ] {
        let request = WebhookRequest::from_json(
            APP,
            "OfficialAccount.CallbackBeforeCreateOfficialAccount",
            &json!({"Operator_Account": "107867", "Owner_Account": "107867", "Name": channel, "EventTime": 1670574414123u64}),
        )
        .signed(TOKEN, NOW);
        cases.push(Case::of(name, &request).replied(
            answer,
            format!(
                r#"OfficialAccount.CallbackBeforeCreateOfficialAccount Owner_Account=107867 Name="{channel}""#
            ),
        ));
    }

    // Every message element fixture, in an after-send message.
    for (key, element, types) in [
        (
            "elem_text",
            fixture!("elem_text"),
            "Text=\"hello world\" MsgTypes=TIMTextElem",
        ),
        (
            "elem_content_first",
            fixture!("elem_content_first"),
            "Text=\"hello world\" MsgTypes=TIMTextElem",
        ),
        (
            "elem_custom",
            fixture!("elem_custom"),
            "MsgTypes=TIMCustomElem",
        ),
        ("elem_face", fixture!("elem_face"), "MsgTypes=TIMFaceElem"),
        ("elem_file", fixture!("elem_file"), "MsgTypes=TIMFileElem"),
        (
            "elem_file_legacy",
            fixture!("elem_file_legacy"),
            "MsgTypes=TIMFileElem",
        ),
        (
            "elem_image",
            fixture!("elem_image"),
            "MsgTypes=TIMImageElem",
        ),
        (
            "elem_location",
            fixture!("elem_location"),
            "MsgTypes=TIMLocationElem",
        ),
        (
            "elem_relay",
            fixture!("elem_relay"),
            "MsgTypes=TIMRelayElem",
        ),
        (
            "elem_relay_large",
            fixture!("elem_relay_large"),
            "MsgTypes=TIMRelayElem",
        ),
        (
            "elem_sound",
            fixture!("elem_sound"),
            "MsgTypes=TIMSoundElem",
        ),
        (
            "elem_sound_legacy",
            fixture!("elem_sound_legacy"),
            "MsgTypes=TIMSoundElem",
        ),
        (
            "elem_string_numbers",
            fixture!("elem_string_numbers"),
            "MsgTypes=TIMImageElem",
        ),
        (
            "elem_unknown",
            fixture!("elem_unknown"),
            "MsgTypes=TIMStreamElem",
        ),
        (
            "elem_video",
            fixture!("elem_video"),
            "MsgTypes=TIMVideoFileElem",
        ),
        (
            "elem_video_legacy",
            fixture!("elem_video_legacy"),
            "MsgTypes=TIMVideoFileElem",
        ),
    ] {
        let decoded = format!(
            "OfficialAccount.CallbackAfterSendMsg Official_Account=@TOA#_conformance MsgKey={key} {types}"
        );
        cases.push(
            Case::of(format!("element: {key}"), &after_send_with(key, element)).delivered(decoded),
        );
    }

    // Every quirk fixture.
    for (name, command, body, decoded) in [
        (
            "quirk_after_send_msg_every_element",
            AFTER_SEND,
            fixture!("official_channel/quirk_after_send_msg_every_element"),
            r#"OfficialAccount.CallbackAfterSendMsg Official_Account=@TOA#_2J4SZEAEL MsgKey=71_2_1698741700 Text="hello world" MsgTypes=TIMTextElem,TIMLocationElem,TIMFaceElem,TIMCustomElem,TIMSoundElem,TIMImageElem,TIMFileElem,TIMVideoFileElem,TIMRelayElem,TIMStreamElem"#,
        ),
        (
            "quirk_after_send_msg_string_numbers",
            AFTER_SEND,
            fixture!("official_channel/quirk_after_send_msg_string_numbers"),
            AFTER_SEND_DECODED,
        ),
        (
            "quirk_before_send_msg_minimal",
            BEFORE_SEND,
            fixture!("official_channel/quirk_before_send_msg_minimal"),
            r#"OfficialAccount.CallbackBeforeSendMsg Official_Account=@TOA#_2J4SZEAEL Text="hi" MsgTypes=TIMTextElem"#,
        ),
        (
            "quirk_info_changed_name_only",
            "OfficialAccount.CallbackAfterOfficialAccountInfoChanged",
            fixture!("official_channel/quirk_info_changed_name_only"),
            "OfficialAccount.CallbackAfterOfficialAccountInfoChanged Official_Account=@TOA#_test_OA_for_penn",
        ),
    ] {
        let request = WebhookRequest::raw(APP, command, body).signed(TOKEN, NOW);
        cases.push(Case::of(format!("quirk: {name}"), &request).delivered(decoded));
    }

    // The console's probe, and commands the library does not model.
    let probe = WebhookRequest::raw(APP, AFTER_SEND, "{}").signed(TOKEN, NOW);
    cases.push(Case::of("probe: {}", &probe).acknowledged());
    let probe = WebhookRequest::raw(APP, BEFORE_SEND, " { }\n").signed(TOKEN, NOW);
    cases.push(Case::of("probe: { } with whitespace, before-webhook", &probe).acknowledged());
    let probe = WebhookRequest::raw(UNSIGNED_APP, AFTER_SEND, "{}");
    cases.push(Case::of("probe: unsigned app", &probe).acknowledged());
    let kicked = WebhookRequest::from_json(
        APP,
        "Group.CallbackAfterMemberKicked",
        &json!({"GroupId": "@TGS#1", "KickedMembers": ["jared"]}),
    )
    .signed(TOKEN, NOW);
    cases.push(
        Case::of("unmodelled: Group.CallbackAfterMemberKicked", &kicked)
            .delivered("Group.CallbackAfterMemberKicked"),
    );
    cases.push(
        Case::of(
            "unmodelled: body names another command",
            &kicked.clone().command("Group.CallbackAfterMemberInvited"),
        )
        .rejected(400, COMMAND_MISMATCH_BODY),
    );

    // 400: malformed query strings.
    let query = after_send().query();
    let body = after_send().body();
    for (name, raw, detail) in [
        ("query: empty", String::new(), "missing SdkAppid"),
        (
            "query: missing SdkAppid",
            set_param(&query, "SdkAppid", None),
            "missing SdkAppid",
        ),
        (
            "query: missing CallbackCommand",
            set_param(&query, "CallbackCommand", None),
            "missing CallbackCommand",
        ),
        (
            "query: empty CallbackCommand",
            set_param(&query, "CallbackCommand", Some("")),
            "missing CallbackCommand",
        ),
        (
            "query: SdkAppid not a number",
            set_param(&query, "SdkAppid", Some("abc")),
            "SdkAppid is not a decimal u64",
        ),
        (
            "query: SdkAppid with a leading zero",
            set_param(&query, "SdkAppid", Some("01400000000")),
            "SdkAppid is not a decimal u64",
        ),
        (
            "query: SdkAppid with a sign",
            set_param(&query, "SdkAppid", Some("%2B1400000000")),
            "SdkAppid is not a decimal u64",
        ),
        (
            "query: SdkAppid over u64",
            set_param(&query, "SdkAppid", Some("18446744073709551616")),
            "SdkAppid is not a decimal u64",
        ),
        (
            "query: duplicated SdkAppid",
            format!("{query}&SdkAppid={APP}"),
            "SdkAppid appears more than once",
        ),
        (
            "query: SdkAppid and SdkAppId both",
            format!("{query}&SdkAppId={APP}"),
            "SdkAppid appears more than once",
        ),
        (
            "query: duplicated CallbackCommand",
            format!("{query}&CallbackCommand={AFTER_SEND}"),
            "CallbackCommand appears more than once",
        ),
        (
            "query: duplicated Sign",
            format!("{query}&Sign={sign}"),
            "Sign appears more than once",
        ),
        (
            "query: duplicated RequestTime",
            format!("{query}&RequestTime={NOW}"),
            "RequestTime appears more than once",
        ),
        (
            "query: invalid percent-encoded UTF-8",
            set_param(&query, "ClientIP", Some("%FF")),
            "a parameter is not UTF-8 once percent-decoded",
        ),
    ] {
        cases.push(Case::new(name, raw, body.clone()).malformed_query(detail));
    }

    // 400: malformed bodies.
    for (name, bad, detail) in [
        (
            "body: empty",
            "",
            "EOF while parsing a value at line 1 column 0",
        ),
        (
            "body: not JSON",
            "not json",
            "expected ident at line 1 column 2",
        ),
        (
            "body: a JSON array",
            "[]",
            "invalid type: sequence, expected a JSON object at line 1 column 0",
        ),
        (
            "body: null",
            "null",
            "invalid type: null, expected a JSON object at line 1 column 4",
        ),
        (
            "body: trailing bytes",
            r#"{"CallbackCommand":"OfficialAccount.CallbackAfterSendMsg"} trailing"#,
            "trailing characters at line 1 column 60",
        ),
        (
            "body: missing fields",
            r#"{"CallbackCommand":"OfficialAccount.CallbackAfterSendMsg","MsgKey":"k"}"#,
            "missing field `Official_Account` at line 1 column 71",
        ),
        (
            "body: wrong field type",
            r#"{"CallbackCommand":"OfficialAccount.CallbackAfterSendMsg","Official_Account":1,"MsgKey":"k","MsgBody":[],"EventTime":1}"#,
            "Official_Account: invalid type: integer `1`, expected a string at line 1 column 78",
        ),
    ] {
        cases.push(Case::new(name, query.clone(), bad).malformed_body(detail));
    }

    // 400: the body's command is not the query's.
    cases.push(
        Case::of(
            "mismatch: query names another command",
            &after_send().command(BEFORE_SEND),
        )
        .rejected(400, COMMAND_MISMATCH_BODY),
    );
    cases.push(
        Case::new(
            "mismatch: body without CallbackCommand",
            query.clone(),
            r#"{"MsgKey":"k"}"#,
        )
        .rejected(400, COMMAND_MISMATCH_BODY),
    );

    // 401: every cause, with the same answer.
    for (name, raw) in [
        ("auth: missing Sign", set_param(&query, "Sign", None)),
        (
            "auth: missing RequestTime",
            set_param(&query, "RequestTime", None),
        ),
        (
            "auth: Sign of 63 digits",
            set_param(&query, "Sign", Some(&sign[..63])),
        ),
        (
            "auth: Sign of 65 digits",
            set_param(&query, "Sign", Some(&format!("{sign}0"))),
        ),
        (
            "auth: Sign not hex",
            set_param(&query, "Sign", Some(&format!("{}g", &sign[..63]))),
        ),
        ("auth: empty Sign", set_param(&query, "Sign", Some(""))),
    ] {
        cases.push(Case::new(name, raw, body.clone()).rejected(401, AUTHENTICATION_FAILED_BODY));
    }
    for (name, raw) in [
        ("auth: RequestTime with a sign", "%2B1669872112"),
        ("auth: RequestTime with a space", "1669872112%20"),
        ("auth: RequestTime with a plus", "1669872112+"),
        ("auth: RequestTime of 11 digits", "16698721120"),
        ("auth: RequestTime empty", ""),
    ] {
        cases.push(
            Case::of(name, &after_send().malformed_request_time(raw))
                .rejected(401, AUTHENTICATION_FAILED_BODY),
        );
    }
    cases.push(
        Case::of(
            "auth: unsigned request to a signed app",
            &after_send().unsigned(),
        )
        .rejected(401, AUTHENTICATION_FAILED_BODY),
    );
    cases.push(
        Case::of("auth: wrong Sign", &after_send().wrong_sign())
            .rejected(401, AUTHENTICATION_FAILED_BODY),
    );
    cases.push(
        Case::of(
            "auth: signed with a retired token",
            &after_send().signed("retired-token", NOW),
        )
        .rejected(401, AUTHENTICATION_FAILED_BODY),
    );
    cases.push(
        Case::of(
            "auth: signed with another app's token",
            &after_send().signed(SECOND_TOKEN, NOW),
        )
        .rejected(401, AUTHENTICATION_FAILED_BODY),
    );

    // Freshness: 60 s either way is accepted, 61 s is not.
    cases.push(
        Case::of("freshness: exactly 60 s old", &after_send().stale(60))
            .delivered(AFTER_SEND_DECODED),
    );
    cases.push(
        Case::of("freshness: exactly 60 s ahead", &after_send().future(60))
            .delivered(AFTER_SEND_DECODED),
    );
    cases.push(
        Case::of("freshness: 61 s old", &after_send().stale(61))
            .rejected(401, AUTHENTICATION_FAILED_BODY),
    );
    cases.push(
        Case::of("freshness: 61 s ahead", &after_send().future(61))
            .rejected(401, AUTHENTICATION_FAILED_BODY),
    );
    cases.push(
        Case::of("freshness: a day old", &after_send().stale(86_400))
            .rejected(401, AUTHENTICATION_FAILED_BODY),
    );

    // Token rotation and several apps.
    cases.push(Case::of("rotation: current token", &after_send()).delivered(AFTER_SEND_DECODED));
    cases.push(
        Case::of(
            "rotation: previous token",
            &after_send().signed(ROTATED_TOKEN, NOW),
        )
        .delivered(AFTER_SEND_DECODED),
    );
    cases.push(
        Case::of(
            "apps: unsigned app",
            &after_send().unsigned().sdk_app_id(UNSIGNED_APP),
        )
        .delivered(AFTER_SEND_DECODED),
    );
    cases.push(
        Case::of(
            "apps: unsigned app ignores a bad Sign",
            &after_send().wrong_sign().sdk_app_id(UNSIGNED_APP),
        )
        .delivered(AFTER_SEND_DECODED),
    );
    cases.push(
        Case::of(
            "apps: second signed app",
            &after_send()
                .sdk_app_id(SECOND_APP)
                .signed(SECOND_TOKEN, NOW),
        )
        .delivered(AFTER_SEND_DECODED),
    );
    cases.push(
        Case::of(
            "apps: second app with the first app's token",
            &after_send().sdk_app_id(SECOND_APP),
        )
        .rejected(401, AUTHENTICATION_FAILED_BODY),
    );

    // 403.
    cases.push(
        Case::of(
            "app: unknown SdkAppid",
            &after_send().sdk_app_id(1_400_000_009),
        )
        .rejected(403, UNKNOWN_APP_BODY),
    );
    cases.push(
        Case::of(
            "app: unknown SdkAppid, unsigned",
            &after_send().unsigned().sdk_app_id(7),
        )
        .rejected(403, UNKNOWN_APP_BODY),
    );

    // 413, and the limit itself.
    cases.push(
        Case::of(
            "limit: body of exactly the limit",
            &after_send().oversized(BODY_LIMIT),
        )
        .delivered(AFTER_SEND_DECODED),
    );
    cases.push(
        Case::of(
            "limit: one byte over",
            &after_send().oversized(BODY_LIMIT + 1),
        )
        .rejected(413, TOO_LARGE_BODY),
    );
    cases.push(
        Case::of(
            "limit: twice the limit",
            &after_send().oversized(2 * BODY_LIMIT),
        )
        .rejected(413, TOO_LARGE_BODY),
    );
    cases.push(
        Case::of(
            "limit: forged and oversized is 401, not 413",
            &after_send().wrong_sign().oversized(2 * BODY_LIMIT),
        )
        .rejected(401, AUTHENTICATION_FAILED_BODY),
    );

    // Spelling and encoding of the parameters.
    cases.push(
        Case::new(
            "query: SdkAppId spelling",
            query.replace("SdkAppid=", "SdkAppId="),
            body.clone(),
        )
        .delivered(AFTER_SEND_DECODED),
    );
    let encoded = query
        .replace(
            "CallbackCommand=OfficialAccount.Callback",
            "CallbackCommand=OfficialAccount%2ECallback",
        )
        .replace("ClientIP=127.0.0.1", "ClientIP=%3A%3A1")
        .replace(
            "RequestTime=1669872112",
            "RequestTime=%31%36%36%39%38%37%32%31%31%32",
        )
        .replace(
            &format!("Sign={}", &sign[..2]),
            &format!(
                "Sign=%{:02X}%{:02X}",
                sign.as_bytes()[0],
                sign.as_bytes()[1]
            ),
        );
    cases.push(
        Case::new("query: percent-encoded values", encoded, body.clone())
            .delivered(AFTER_SEND_DECODED),
    );
    cases.push(
        Case::new(
            "query: percent-encoded key",
            query.replace("SdkAppid=", "Sdk%41ppid="),
            body.clone(),
        )
        .delivered(AFTER_SEND_DECODED),
    );
    cases.push(
        Case::new(
            "query: upper-case Sign",
            query.replace(&sign, &sign.to_ascii_uppercase()),
            body.clone(),
        )
        .delivered(AFTER_SEND_DECODED),
    );
    cases.push(
        Case::new(
            "query: unknown parameters are ignored",
            format!("{query}&Foo=bar&Foo=baz&flag"),
            body.clone(),
        )
        .delivered(AFTER_SEND_DECODED),
    );
    cases.push(
        Case::of(
            "query: unknown OptPlatform, IPv6 ClientIP",
            &after_send()
                .opt_platform("Harmony%")
                .client_ip("2001:db8::1"),
        )
        .delivered(AFTER_SEND_DECODED),
    );
    cases.push(
        Case::new(
            "query: parameters in another order",
            {
                let mut pairs: Vec<_> = query.split('&').collect();
                pairs.reverse();
                pairs.join("&")
            },
            body.clone(),
        )
        .delivered(AFTER_SEND_DECODED),
    );
    cases.push(
        Case::of(
            "body: escaped command still matches",
            &WebhookRequest::raw(
                APP,
                AFTER_SEND,
                fixture!("official_channel/after_send_msg")
                    .replace("OfficialAccount.Callback", "OfficialAccount\\u002eCallback"),
            )
            .signed(TOKEN, NOW),
        )
        .delivered(AFTER_SEND_DECODED),
    );

    hostile(&mut cases);
    sources(&mut cases);
    cases
}

/// Where requests come from: the client a trusted proxy (the loopback peer) forwards
/// for, read from the right of `X-Forwarded-For`, must be in an allowed range, and it is
/// checked before anything else of the request.
fn sources(cases: &mut Vec<Case>) {
    const STRANGER: &str = "198.51.100.1";
    let sample = after_send();
    for (name, forwarded_for) in [
        ("source: forwarded for Tencent", &["203.0.113.9"][..]),
        (
            "source: trusted hops are skipped",
            &["203.0.113.9, 127.0.0.1 , 127.0.0.1"],
        ),
        (
            "source: every hop trusted, the leftmost is the client",
            &["127.0.0.1"],
        ),
        (
            "source: what the client wrote on the left is not read",
            &["garbage, 198.51.100.1, 203.0.113.9"],
        ),
        (
            "source: two headers, Tencent's last",
            &[STRANGER, "203.0.113.9"],
        ),
        (
            "source: IPv4-mapped IPv6 with a port",
            &["[::ffff:203.0.113.9]:443"],
        ),
        ("source: an empty header", &[""]),
        (
            "source: spaces, tabs and empty elements",
            &[" ,	203.0.113.9 ,, "],
        ),
    ] {
        cases.push(
            Case::of(name, &sample)
                .forwarded_for(forwarded_for)
                .delivered(AFTER_SEND_DECODED),
        );
    }
    for (name, forwarded_for) in [
        ("source: forwarded for a stranger", &[STRANGER][..]),
        (
            "source: Tencent's address written by the client on the left",
            &["203.0.113.9, 198.51.100.1"],
        ),
        (
            "source: two headers, a stranger's last",
            &["203.0.113.9", STRANGER],
        ),
        ("source: an IPv6 stranger", &["2001:db8::1"]),
        ("source: garbage where the client should be", &["garbage"]),
        (
            "source: garbage right of Tencent's address",
            &["203.0.113.9, unknown"],
        ),
        ("source: a CIDR instead of an address", &["203.0.113.0/24"]),
    ] {
        cases.push(
            Case::of(name, &sample)
                .forwarded_for(forwarded_for)
                .rejected(403, SOURCE_NOT_ALLOWED_BODY),
        );
    }
    // Checked before anything else: a stranger learns nothing of its query, its
    // signature, its app or its body.
    let stranger = [STRANGER];
    for (name, request) in [
        (
            "source: a stranger's forged Sign",
            sample.clone().wrong_sign(),
        ),
        (
            "source: a stranger's unknown app",
            sample.clone().sdk_app_id(9),
        ),
        (
            "source: a stranger's oversized body",
            sample.clone().oversized(BODY_LIMIT * 2),
        ),
        (
            "source: a stranger's probe",
            WebhookRequest::raw(APP, AFTER_SEND, "{}").signed(TOKEN, NOW),
        ),
    ] {
        cases.push(
            Case::of(name, &request)
                .forwarded_for(&stranger)
                .rejected(403, SOURCE_NOT_ALLOWED_BODY),
        );
    }
    cases.push(
        Case::new("source: a stranger's empty query", "", sample.body())
            .forwarded_for(&stranger)
            .rejected(403, SOURCE_NOT_ALLOWED_BODY),
    );
}

/// An HTTP server's own answer: no envelope, an empty body.
const EMPTY: &str = "";

/// Malformed and adversarial requests beyond the rejections above: every body shape
/// and wrong field type, oversized requests, bytes that are not UTF-8, and forged
/// authentication parameters.
fn hostile(cases: &mut Vec<Case>) {
    let sign = sign(TOKEN, NOW);
    let query = after_send().query();
    let body = after_send().body();
    let fields = |body: &Bytes| -> serde_json::Map<String, serde_json::Value> {
        serde_json::from_slice(body).expect("a sample is a JSON object")
    };

    // Bodies that are not an event.
    let nested = |depth: usize| "[".repeat(depth) + &"]".repeat(depth);
    let with_field = |field: &str, value: &str| {
        format!(
            r#"{{"CallbackCommand":"{AFTER_SEND}","Official_Account":"@TOA#_2J4SZEAEL","MsgKey":"k","MsgBody":[],"EventTime":1670574414123,"{field}":{value}}}"#
        )
    };
    let mut invalid_utf8 =
        br#"{"CallbackCommand":"OfficialAccount.CallbackAfterSendMsg","Official_Account":""#
            .to_vec();
    invalid_utf8.extend_from_slice(b"\xff\xfe\xc3");
    invalid_utf8.extend_from_slice(br#"","MsgKey":"k","MsgBody":[],"EventTime":1}"#);
    let mut bom = b"\xef\xbb\xbf".to_vec();
    bom.extend_from_slice(&body);
    for (name, bad, detail) in [
        (
            "body: a JSON number",
            Bytes::from("42"),
            "invalid type: integer `42`, expected a JSON object at line 1 column 2",
        ),
        (
            "body: a JSON string",
            Bytes::from(r#""{}""#),
            r#"invalid type: string "{}", expected a JSON object at line 1 column 4"#,
        ),
        (
            "body: JSON true",
            Bytes::from("true"),
            "invalid type: boolean `true`, expected a JSON object at line 1 column 4",
        ),
        (
            "body: whitespace only",
            Bytes::from(" \r\n\t"),
            "EOF while parsing a value at line 2 column 1",
        ),
        (
            "body: an unclosed object",
            body.slice(..body.len() / 2),
            "EOF while parsing a string at line 7 column 9",
        ),
        (
            "body: 4000 nested arrays",
            Bytes::from(nested(4000)),
            "invalid type: sequence, expected a JSON object at line 1 column 0",
        ),
        (
            "body: 4000 nested arrays as MsgBody",
            Bytes::from(with_field("MsgBody", &nested(4000)).replacen(r#""MsgBody":[],"#, "", 1)),
            "MsgBody[0]: invalid type: sequence, expected a message element object with MsgType and MsgContent at line 1 column 146",
        ),
        (
            "body: bytes that are not UTF-8",
            Bytes::from_static(b"\xff\xfe\x00\x01"),
            "body is not UTF-8",
        ),
        (
            "body: a string that is not UTF-8",
            Bytes::from(invalid_utf8),
            "body is not UTF-8",
        ),
        (
            "body: a byte-order mark before the object",
            Bytes::from(bom),
            "expected value at line 1 column 1",
        ),
        (
            "body: a lone surrogate escape",
            Bytes::from(with_field("CloudCustomData", r#""\ud800""#)),
            "CloudCustomData: unexpected end of hex escape at line 1 column 173",
        ),
        (
            "body: MsgTime over u64",
            Bytes::from(with_field("MsgTime", "18446744073709551616")),
            "MsgTime: invalid value: floating point `1.8446744073709552e+19`, expected an unsigned integer or a string of digits at line 1 column 177",
        ),
        (
            "body: EventTime negative",
            Bytes::from(with_field("EventTime", "-1").replacen(
                r#""EventTime":1670574414123,"#,
                "",
                1,
            )),
            "EventTime: invalid value: integer `-1`, expected an unsigned integer or a string of digits at line 1 column 135",
        ),
        (
            "body: a NUL byte after the object",
            Bytes::from([&body[..], b"\0"].concat()),
            "trailing characters at line 18 column 1",
        ),
        (
            "body: two objects",
            Bytes::from([&body[..], &body[..]].concat()),
            "trailing characters at line 18 column 1",
        ),
        (
            "body: MsgBody element without MsgType",
            Bytes::from(
                with_field("MsgBody", r#"[{"MsgContent":{"Text":"hi"}}]"#).replacen(
                    r#""MsgBody":[],"#,
                    "",
                    1,
                ),
            ),
            "MsgBody[0]: missing field `MsgType` at line 1 column 173",
        ),
        (
            "body: MsgType a number",
            Bytes::from(
                with_field("MsgBody", r#"[{"MsgType":1,"MsgContent":{"Text":"hi"}}]"#).replacen(
                    r#""MsgBody":[],"#,
                    "",
                    1,
                ),
            ),
            "MsgBody[0].MsgType: invalid type: integer `1`, expected a MsgType string at line 1 column 157",
        ),
        (
            "body: text MsgContent a string",
            Bytes::from(
                with_field(
                    "MsgBody",
                    r#"[{"MsgType":"TIMTextElem","MsgContent":"hi"}]"#,
                )
                .replacen(r#""MsgBody":[],"#, "", 1),
            ),
            r#"MsgBody[0].MsgContent: invalid type: string "hi", expected struct TextElem at line 1 column 187"#,
        ),
        (
            "body: Text a number",
            Bytes::from(
                with_field(
                    "MsgBody",
                    r#"[{"MsgType":"TIMTextElem","MsgContent":{"Text":7}}]"#,
                )
                .replacen(r#""MsgBody":[],"#, "", 1),
            ),
            "MsgBody[0].MsgContent.Text: invalid type: integer `7`, expected a string at line 1 column 192",
        ),
    ] {
        cases.push(Case::new(name, query.clone(), bad).malformed_body(detail));
    }

    // Unknown fields are skipped without recursion, however deep.
    for (name, unknown) in [
        ("body: 4000 nested arrays in an unknown field", nested(4000)),
        (
            "body: 1000 nested objects in an unknown field",
            r#"{"a":"#.repeat(1000) + "1" + &"}".repeat(1000),
        ),
    ] {
        cases.push(
            Case::new(name, query.clone(), with_field("Unknown", &unknown)).delivered(
                "OfficialAccount.CallbackAfterSendMsg Official_Account=@TOA#_2J4SZEAEL MsgKey=k MsgTypes=",
            ),
        );
    }

    // A wrong type for every required field of every command.
    // Each field with the column of the body where decoding stops.
    for (sample, required) in [
        ("before_create_official_account", &[("EventTime", 96)][..]),
        (
            "after_create_official_account",
            &[("Official_Account", 146), ("EventTime", 95)],
        ),
        (
            "after_official_account_info_changed",
            &[("Official_Account", 211), ("EventTime", 100)],
        ),
        (
            "after_official_account_destroyed",
            &[("Official_Account", 149), ("EventTime", 98)],
        ),
        (
            "before_add_subscriber",
            &[("Official_Account", 110), ("EventTime", 88)],
        ),
        (
            "after_add_subscriber",
            &[("Official_Account", 109), ("EventTime", 87)],
        ),
        (
            "after_official_account_full",
            &[("Official_Account", 115), ("EventTime", 93)],
        ),
        (
            "after_delete_subscriber",
            &[("Official_Account", 112), ("EventTime", 90)],
        ),
        (
            "before_send_msg",
            &[
                ("Official_Account", 220),
                ("MsgBody", 138),
                ("EventTime", 125),
            ],
        ),
        (
            "after_send_msg",
            &[
                ("Official_Account", 267),
                ("MsgKey", 211),
                ("MsgBody", 137),
                ("EventTime", 124),
            ],
        ),
        (
            "after_msg_with_draw",
            &[("Official_Account", 107), ("EventTime", 85)],
        ),
    ] {
        let request = signed(&format!("official_channel/{sample}"));
        for &(field, column) in required {
            let mut object = fields(&request.body());
            assert!(object.contains_key(field), "{sample} has {field}");
            // A type no lenient reading accepts: numbers for strings, an object for the
            // list, a word for the time (numbers may arrive as digit strings).
            let (wrong, why) = match field {
                "MsgBody" => (
                    json!({"MsgType": "TIMTextElem"}),
                    "invalid type: map, expected a sequence",
                ),
                "EventTime" => (
                    json!("yesterday"),
                    r#"invalid value: string "yesterday", expected an unsigned integer or a string of digits"#,
                ),
                "MsgKey" => (json!(71), "invalid type: integer `71`, expected a string"),
                _ => (
                    json!(["@TOA#_2J4SZEAEL"]),
                    "invalid type: sequence, expected a string",
                ),
            };
            object.insert(field.to_owned(), wrong);
            let bad = serde_json::to_vec(&object).expect("JSON");
            cases.push(
                Case::new(
                    format!("wrong type: {sample} {field}"),
                    request.query(),
                    bad,
                )
                .malformed_body(&format!("{field}: {why} at line 1 column {column}")),
            );
        }
    }

    // Oversized: a 10 MB body is refused from its Content-Length without reading it.
    cases.push(
        Case::of("limit: 10 MB body", &after_send().oversized(10 << 20))
            .rejected(413, TOO_LARGE_BODY),
    );
    // A 60 KB query string still reaches the core (an ignored parameter).
    cases.push(
        Case::new(
            "query: 60 KB with an unknown parameter",
            format!("{query}&Padding={}", "a".repeat(60_000)),
            body.clone(),
        )
        .delivered(AFTER_SEND_DECODED),
    );
    // `http` caps a URI at 64 KiB: past it the server answers alone, hyper with
    // 414 URI Too Long and actix-web with 400 Bad Request.
    cases.push(
        Case::new(
            "query: 100 KB, over the URI limit of the servers",
            format!("{query}&Padding={}", "a".repeat(100_000)),
            body.clone(),
        )
        .per_framework((414, EMPTY.into()), (400, EMPTY.into())),
    );
    // Raw bytes that are not UTF-8 never pass either server's URI parser; raw UTF-8
    // passes hyper's (and the core refuses it) but not actix-web's.
    cases.push(
        Case::new("query: raw bytes that are not UTF-8", "", body.clone())
            .raw_query([query.as_bytes(), b"&ClientIP=\xff\xfe"].concat())
            .per_framework((400, EMPTY.into()), (400, EMPTY.into())),
    );
    cases.push(
        Case::new(
            "query: raw UTF-8 in a value",
            set_param(&query, "ClientIP", Some("caf\u{e9}")),
            body.clone(),
        )
        .per_framework(
            (400, malformed_query_body("the query string is not ASCII")),
            (400, EMPTY.into()),
        ),
    );

    // 400: hostile query strings.
    for (name, raw, detail) in [
        (
            "query: Sign percent-encoded to bytes that are not UTF-8",
            set_param(&query, "Sign", Some("%FF%FE")),
            "a parameter is not UTF-8 once percent-decoded",
        ),
        (
            "query: SdkAppid percent-encoded NUL",
            set_param(&query, "SdkAppid", Some("1400000000%00")),
            "SdkAppid is not a decimal u64",
        ),
        (
            "query: SdkAppid of zeros",
            set_param(&query, "SdkAppid", Some("0001400000000")),
            "SdkAppid is not a decimal u64",
        ),
        (
            "query: SdkAppid negative",
            set_param(&query, "SdkAppid", Some("-1400000000")),
            "SdkAppid is not a decimal u64",
        ),
        (
            "query: SdkAppid with a trailing space",
            set_param(&query, "SdkAppid", Some("1400000000+")),
            "SdkAppid is not a decimal u64",
        ),
        (
            "query: SdkAppid empty",
            set_param(&query, "SdkAppid", Some("")),
            "SdkAppid is not a decimal u64",
        ),
        (
            "query: SdkAppid far over u64",
            set_param(&query, "SdkAppid", Some(&"9".repeat(400))),
            "SdkAppid is not a decimal u64",
        ),
        (
            "query: Sign twice, the second empty",
            format!("{query}&Sign="),
            "Sign appears more than once",
        ),
        (
            "query: RequestTime twice, the second fresh",
            format!(
                "{}&RequestTime={NOW}",
                set_param(&query, "RequestTime", Some("1"))
            ),
            "RequestTime appears more than once",
        ),
        (
            "query: percent-encoded Sign key repeated",
            format!("{query}&%53ign={sign}"),
            "Sign appears more than once",
        ),
    ] {
        cases.push(Case::new(name, raw, body.clone()).malformed_query(detail));
    }

    // 403.
    cases.push(
        Case::new(
            "app: SdkAppid u64::MAX",
            set_param(&query, "SdkAppid", Some(&u64::MAX.to_string())),
            body.clone(),
        )
        .rejected(403, UNKNOWN_APP_BODY),
    );
    cases.push(
        Case::new(
            "app: SdkAppid 0",
            set_param(&query, "SdkAppid", Some("0")),
            body.clone(),
        )
        .rejected(403, UNKNOWN_APP_BODY),
    );

    // 401: forged RequestTime and Sign, each with the Sign of the real time.
    for (name, raw) in [
        ("auth: RequestTime negative", "-1669872112"),
        ("auth: RequestTime with a leading space", "%201669872112"),
        ("auth: RequestTime with a leading plus", "+1669872112"),
        ("auth: RequestTime u64::MAX", "18446744073709551615"),
        ("auth: RequestTime over u64", "18446744073709551616"),
        (
            "auth: RequestTime of 20 digits, zero-padded",
            "00000000001669872112",
        ),
        ("auth: RequestTime with a decimal point", "1669872112.0"),
        ("auth: RequestTime in hex", "0x638A5D30"),
        // SHA-256 length extension with glue that is UTF-8 once decoded (the real
        // glue's 0x80 is not: see the 400 case below), then more bytes.
        (
            "auth: length extension after RequestTime",
            "1669872112%C2%80%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%01extra",
        ),
        ("auth: RequestTime with a NUL", "1669872112%00"),
    ] {
        cases.push(
            Case::of(name, &after_send().malformed_request_time(raw))
                .rejected(401, AUTHENTICATION_FAILED_BODY),
        );
    }
    // The true SHA-256 glue padding starts with byte 0x80, which is not UTF-8: the
    // query is malformed before authentication is tried.
    cases.push(
        Case::of(
            "query: length extension with SHA-256 glue padding",
            &after_send().malformed_request_time("1669872112%80%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%90extra"),
        )
        .malformed_query("a parameter is not UTF-8 once percent-decoded"),
    );
    for (name, raw) in [
        (
            "auth: Sign with a 0x prefix",
            set_param(&query, "Sign", Some(&format!("0x{sign}"))),
        ),
        (
            "auth: Sign twice over",
            set_param(&query, "Sign", Some(&sign.repeat(2))),
        ),
        (
            "auth: Sign with a trailing space",
            set_param(&query, "Sign", Some(&format!("{sign}+"))),
        ),
        (
            "auth: Sign of 64 non-hex letters",
            set_param(&query, "Sign", Some(&"z".repeat(64))),
        ),
        (
            "auth: lower-case sign key is not Sign",
            format!("{}&sign={sign}", set_param(&query, "Sign", None)),
        ),
    ] {
        cases.push(Case::new(name, raw, body.clone()).rejected(401, AUTHENTICATION_FAILED_BODY));
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;
    use std::net::Ipv4Addr;

    use tencent_chat_webhook::answer::NotDelivered;
    use tencent_chat_webhook::pipeline::Peer;

    use super::*;

    #[test]
    fn the_table_is_large_and_every_name_is_unique() {
        let cases = cases();
        assert!(cases.len() >= 250, "{} cases", cases.len());
        let names: HashSet<_> = cases.iter().map(|case| case.name.as_str()).collect();
        assert_eq!(names.len(), cases.len());
        assert!(cases.iter().all(|case| case.status != 0));
    }

    /// The table agrees with the core run in-process, so a failure over HTTP is the adapter's.
    #[test]
    fn the_core_gives_the_expected_answer_to_every_case() {
        let config = config();
        // Cases a server answers alone never reach the core.
        for case in cases()
            .into_iter()
            .filter(|case| case.raw_query.is_none() && case.per_framework.is_none())
        {
            let peer = Peer::Known(Ipv4Addr::LOCALHOST.into());
            let forwarded_for = case.forwarded_for.iter().map(String::as_bytes);
            let received = config
                .check_source(peer, forwarded_for)
                .map_err(NotDelivered::from)
                .and_then(|_| config.receive::<WebhookEvent>(Some(&case.query), case.body.clone()));
            let answer = match received {
                Ok(delivery) => {
                    assert_eq!(
                        Some(Decoded::of(&delivery.event).summary),
                        case.decoded,
                        "{}",
                        case.name
                    );
                    verdict(&delivery.event)
                }
                Err(not_delivered) => {
                    assert_eq!(case.decoded, None, "{}", case.name);
                    Answer::from(not_delivered)
                }
            };
            assert_eq!(answer.status().as_u16(), case.status, "{}", case.name);
            assert_eq!(answer.body(), case.answer.as_bytes(), "{}", case.name);
        }
    }
}
