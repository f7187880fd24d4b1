//! The adapter in process: every outcome, with exact status and body bytes.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::Router;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, FromRef, State};
use axum::http::{Request, StatusCode, header};
use axum::routing::{post, post_service};
use axum::{Extension, body};
use tencent_chat_webhook_axum::official_channel::{
    AfterAddSubscriber, AfterCreateOfficialAccount, AfterDeleteSubscriber, AfterMsgWithDraw,
    AfterOfficialAccountDestroyed, AfterOfficialAccountFull, AfterOfficialAccountInfoChanged,
    AfterSendMsg, BeforeAddSubscriber, BeforeCreateOfficialAccount, BeforeSendMsg,
    BeforeSendMsgReply, OfficialChannelEvent,
};
use tencent_chat_webhook_axum::{
    Ack, Callback, Clock, Delivery, Event, ExtensionCallback, OfficialChannelHandler,
    OfficialChannelService, Reply, WebhookConfig, async_trait, sign,
};
use tower::ServiceExt;

const TIME: u64 = 1_669_872_112;
const APP: u64 = 1_400_000_000;
const TOKEN: &str = "xxxxyyyy";

const OK: &str = r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}"#;
const MALFORMED_QUERY: &str =
    r#"{"ActionStatus":"FAIL","ErrorCode":40001,"ErrorInfo":"malformed query string"}"#;
const MALFORMED_BODY: &str =
    r#"{"ActionStatus":"FAIL","ErrorCode":40002,"ErrorInfo":"malformed body"}"#;
const MISMATCH: &str = r#"{"ActionStatus":"FAIL","ErrorCode":40003,"ErrorInfo":"CallbackCommand of body and query differ"}"#;
const UNAUTHENTICATED: &str =
    r#"{"ActionStatus":"FAIL","ErrorCode":40101,"ErrorInfo":"authentication failed"}"#;
const UNKNOWN_APP: &str =
    r#"{"ActionStatus":"FAIL","ErrorCode":40301,"ErrorInfo":"unknown SdkAppid"}"#;
const TOO_LARGE: &str = r#"{"ActionStatus":"FAIL","ErrorCode":41301,"ErrorInfo":"body too large"}"#;
const NOT_CONFIGURED: &str =
    r#"{"ActionStatus":"FAIL","ErrorCode":50001,"ErrorInfo":"webhook not configured"}"#;

macro_rules! fixture {
    ($name:literal) => {
        include_str!(concat!(
            "../../tencent-chat-webhook/tests/fixtures/",
            $name,
            ".json"
        ))
    };
}

const AFTER_SEND: &str = fixture!("after_send_msg");
const BEFORE_SEND: &str = fixture!("before_send_msg");
const AFTER_SEND_CMD: &str = "OfficialAccount.CallbackAfterSendMsg";

fn builder() -> tencent_chat_webhook_axum::WebhookConfigBuilder {
    WebhookConfig::builder()
        .app(APP, [TOKEN])
        .clock(Clock::fixed(TIME))
}

fn config() -> WebhookConfig {
    builder().build().unwrap()
}

fn signed(command: &str) -> String {
    format!(
        "SdkAppid={APP}&CallbackCommand={command}&contenttype=json&ClientIP=127.0.0.1\
         &OptPlatform=RESTAPI&Sign={}&RequestTime={TIME}",
        sign(TOKEN, TIME)
    )
}

fn command_of(fixture: &str) -> String {
    let start = fixture.find("Official").unwrap();
    let len = fixture[start..].find('"').unwrap();
    fixture[start..start + len].to_owned()
}

/// Sends `body` to `/webhook?{query}`; the status and body of the answer.
async fn send(app: Router, query: &str, body: impl Into<Body>) -> (StatusCode, String) {
    let request = Request::post(format!("/webhook?{query}"))
        .body(body.into())
        .unwrap();
    let response = app.oneshot(request).await.unwrap();
    let status = response.status();
    let content_type = response.headers().get(header::CONTENT_TYPE).cloned();
    let bytes = body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    let text = String::from_utf8(bytes.to_vec()).unwrap();
    if text.starts_with('{') {
        assert_eq!(content_type.unwrap(), "application/json");
    }
    (status, text)
}

/// State that counts how often the handler ran.
#[derive(Clone)]
struct Counted {
    config: WebhookConfig,
    calls: Arc<AtomicUsize>,
}

impl FromRef<Counted> for WebhookConfig {
    fn from_ref(state: &Counted) -> Self {
        state.config.clone()
    }
}

async fn counted_after_send(
    State(state): State<Counted>,
    msg: Callback<AfterSendMsg>,
) -> Reply<Ack> {
    assert_eq!(msg.event.msg_key, "71_1_1698741698");
    state.calls.fetch_add(1, Ordering::SeqCst);
    Reply(Ack)
}

fn counted(config: WebhookConfig) -> (Router, Arc<AtomicUsize>) {
    let calls = Arc::new(AtomicUsize::new(0));
    let app = Router::new()
        .route("/webhook", post(counted_after_send))
        .with_state(Counted {
            config,
            calls: Arc::clone(&calls),
        });
    (app, calls)
}

async fn expect(config: WebhookConfig, query: &str, body: &str, status: StatusCode, answer: &str) {
    let (app, calls) = counted(config);
    assert_eq!(
        send(app, query, body.to_owned()).await,
        (status, answer.to_owned()),
        "{query} {body}"
    );
    let expected_calls = usize::from(answer == OK && body == AFTER_SEND);
    assert_eq!(calls.load(Ordering::SeqCst), expected_calls);
}

#[tokio::test]
async fn delivers_and_calls_the_handler_once() {
    let (app, calls) = counted(config());
    let answer = send(app, &signed(AFTER_SEND_CMD), AFTER_SEND).await;
    assert_eq!(answer, (StatusCode::OK, OK.to_owned()));
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn every_rejection_kind() {
    use StatusCode as S;
    let q = signed(AFTER_SEND_CMD);
    // 400: malformed query string.
    expect(config(), "", AFTER_SEND, S::BAD_REQUEST, MALFORMED_QUERY).await;
    let bad_app = q.replace("SdkAppid=1400000000", "SdkAppid=abc");
    expect(
        config(),
        &bad_app,
        AFTER_SEND,
        S::BAD_REQUEST,
        MALFORMED_QUERY,
    )
    .await;
    // 400: malformed body.
    expect(config(), &q, "not json", S::BAD_REQUEST, MALFORMED_BODY).await;
    let missing_fields = r#"{"CallbackCommand":"OfficialAccount.CallbackAfterSendMsg"}"#;
    expect(config(), &q, missing_fields, S::BAD_REQUEST, MALFORMED_BODY).await;
    // 400: the body names another command than the query.
    let before = signed("OfficialAccount.CallbackBeforeSendMsg");
    expect(config(), &before, AFTER_SEND, S::BAD_REQUEST, MISMATCH).await;
    // 401: wrong, missing or stale signature.
    let wrong = q.replace(&sign(TOKEN, TIME), &sign("another token", TIME));
    expect(
        config(),
        &wrong,
        AFTER_SEND,
        S::UNAUTHORIZED,
        UNAUTHENTICATED,
    )
    .await;
    let unsigned = format!("SdkAppid={APP}&CallbackCommand={AFTER_SEND_CMD}");
    expect(
        config(),
        &unsigned,
        AFTER_SEND,
        S::UNAUTHORIZED,
        UNAUTHENTICATED,
    )
    .await;
    let stale = builder().clock(Clock::fixed(TIME + 61)).build().unwrap();
    expect(stale, &q, AFTER_SEND, S::UNAUTHORIZED, UNAUTHENTICATED).await;
    // 403: unknown SdkAppid.
    let other_app = q.replace("SdkAppid=1400000000", "SdkAppid=1400000009");
    expect(config(), &other_app, AFTER_SEND, S::FORBIDDEN, UNKNOWN_APP).await;
    // 413: over the configured limit.
    let small = builder().body_limit(AFTER_SEND.len() - 1).build().unwrap();
    expect(small, &q, AFTER_SEND, S::PAYLOAD_TOO_LARGE, TOO_LARGE).await;
    let exact = builder().body_limit(AFTER_SEND.len()).build().unwrap();
    expect(exact, &q, AFTER_SEND, S::OK, OK).await;
}

#[tokio::test]
async fn authentication_comes_before_the_body() {
    // A forged request with a body over every limit is refused for its signature.
    let small = builder().body_limit(16).build().unwrap();
    let wrong = signed(AFTER_SEND_CMD).replace(&sign(TOKEN, TIME), &"0".repeat(64));
    let (app, _) = counted(small);
    assert_eq!(
        send(app, &wrong, "x".repeat(1 << 20)).await,
        (StatusCode::UNAUTHORIZED, UNAUTHENTICATED.to_owned())
    );
}

#[tokio::test]
async fn an_announced_length_over_the_limit_is_refused_unread() {
    // The body itself is the probe `{}`, answered OK if it were read; the announced
    // length alone gets the 413.
    let small = builder().body_limit(1024).build().unwrap();
    let (app, calls) = counted(small);
    let request = Request::post(format!("/webhook?{}", signed(AFTER_SEND_CMD)))
        .header(header::CONTENT_LENGTH, "1025")
        .body(Body::from("{}"))
        .unwrap();
    let response = app.oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let bytes = body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    assert_eq!(bytes, TOO_LARGE.as_bytes());
    assert_eq!(calls.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn default_body_limit_smaller_than_the_config_answers_413() {
    let (app, calls) = counted(config());
    let app = app.layer(DefaultBodyLimit::max(AFTER_SEND.len() - 1));
    assert_eq!(
        send(app, &signed(AFTER_SEND_CMD), AFTER_SEND).await,
        (StatusCode::PAYLOAD_TOO_LARGE, TOO_LARGE.to_owned())
    );
    assert_eq!(calls.load(Ordering::SeqCst), 0);

    let (app, calls) = counted(config());
    let app = app.layer(DefaultBodyLimit::max(AFTER_SEND.len()));
    assert_eq!(
        send(app, &signed(AFTER_SEND_CMD), AFTER_SEND).await,
        (StatusCode::OK, OK.to_owned())
    );
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn acknowledged_requests_never_reach_the_handler() {
    // The console's probe.
    expect(config(), &signed(AFTER_SEND_CMD), "{}", StatusCode::OK, OK).await;
    // A command of the family the handler did not ask for.
    let before = signed("OfficialAccount.CallbackBeforeSendMsg");
    expect(config(), &before, BEFORE_SEND, StatusCode::OK, OK).await;
    // A command the library does not model.
    let c2c =
        r#"{"CallbackCommand":"C2C.CallbackAfterSendMsg","From_Account":"a","To_Account":"b"}"#;
    expect(
        config(),
        &signed("C2C.CallbackAfterSendMsg"),
        c2c,
        StatusCode::OK,
        OK,
    )
    .await;
}

#[tokio::test]
async fn missing_configuration_is_a_500_for_the_extension_extractor() {
    async fn hook(_: ExtensionCallback<AfterSendMsg>) -> Reply<Ack> {
        Reply(Ack)
    }
    let app = Router::new().route("/webhook", post(hook));
    assert_eq!(
        send(app.clone(), &signed(AFTER_SEND_CMD), AFTER_SEND).await,
        (StatusCode::INTERNAL_SERVER_ERROR, NOT_CONFIGURED.to_owned())
    );
    let configured = app.layer(Extension(config()));
    assert_eq!(
        send(configured, &signed(AFTER_SEND_CMD), AFTER_SEND).await,
        (StatusCode::OK, OK.to_owned())
    );
}

#[tokio::test]
async fn an_extension_overrides_the_state() {
    async fn hook(msg: Callback<AfterSendMsg>) -> String {
        msg.query.sdk_app_id().to_string()
    }
    let other = WebhookConfig::builder()
        .unsigned_app(1_400_000_001)
        .build()
        .unwrap();
    let nested = Router::new()
        .route("/webhook", post(hook))
        .layer(Extension(other));
    let app = Router::new()
        .route("/webhook", post(hook))
        .nest("/other", nested)
        .with_state(config());
    let unsigned = format!("SdkAppid=1400000001&CallbackCommand={AFTER_SEND_CMD}");

    let request = |uri: String| Request::post(uri).body(Body::from(AFTER_SEND)).unwrap();
    let response = app
        .clone()
        .oneshot(request(format!("/other/webhook?{unsigned}")))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body = body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    assert_eq!(body, "1400000001");

    assert_eq!(
        send(app, &unsigned, AFTER_SEND).await,
        (StatusCode::FORBIDDEN, UNKNOWN_APP.to_owned())
    );
}

#[tokio::test]
async fn the_handler_reaches_query_and_raw_body() {
    async fn hook(msg: Callback<AfterSendMsg>) -> String {
        let delivery: Delivery<AfterSendMsg> = msg.into_inner();
        format!(
            "{:?} {:?} {}",
            delivery.query.client_ip(),
            delivery.query.request_time(),
            delivery.body.len()
        )
    }
    let app = Router::new()
        .route("/webhook", post(hook))
        .with_state(config());
    assert_eq!(
        send(app, &signed(AFTER_SEND_CMD), AFTER_SEND).await,
        (
            StatusCode::OK,
            format!("Some(\"127.0.0.1\") Some({TIME}) {}", AFTER_SEND.len())
        )
    );
}

/// The documented sample of each of the 11 Official Channel commands.
fn samples() -> impl Iterator<Item = &'static str> {
    tencent_chat_webhook::test_util::samples()
        .iter()
        .map(|sample| sample.body)
}

async fn handled<E: Event>(_: Callback<E>) -> &'static str {
    "handled"
}

#[tokio::test]
async fn each_command_reaches_its_typed_extractor() {
    let routes = [
        post(handled::<BeforeCreateOfficialAccount>),
        post(handled::<AfterCreateOfficialAccount>),
        post(handled::<AfterOfficialAccountInfoChanged>),
        post(handled::<AfterOfficialAccountDestroyed>),
        post(handled::<BeforeAddSubscriber>),
        post(handled::<AfterAddSubscriber>),
        post(handled::<AfterOfficialAccountFull>),
        post(handled::<AfterDeleteSubscriber>),
        post(handled::<BeforeSendMsg>),
        post(handled::<AfterSendMsg>),
        post(handled::<AfterMsgWithDraw>),
    ];
    for (i, route) in routes.into_iter().enumerate() {
        let app = Router::new().route("/webhook", route).with_state(config());
        for (j, fixture) in samples().enumerate() {
            let query = signed(&command_of(fixture));
            let expected = if i == j { "handled" } else { OK };
            assert_eq!(
                send(app.clone(), &query, fixture).await,
                (StatusCode::OK, expected.to_owned()),
                "route {i}, fixture {j}"
            );
        }
    }
}

#[tokio::test]
async fn each_command_reaches_the_enum_extractor() {
    async fn hook(msg: Callback<OfficialChannelEvent>) -> String {
        msg.event.to_string()
    }
    let app = Router::new()
        .route("/webhook", post(hook))
        .with_state(config());
    for fixture in samples() {
        let command = command_of(fixture);
        let (status, line) = send(app.clone(), &signed(&command), fixture).await;
        assert_eq!(status, StatusCode::OK);
        assert!(line.starts_with(&command), "{line}");
    }
    assert_eq!(
        send(app, &signed(AFTER_SEND_CMD), AFTER_SEND).await.1,
        r#"OfficialAccount.CallbackAfterSendMsg Official_Account=@TOA#_2J4SZEAEL MsgKey=71_1_1698741698 Text="red packet""#
    );
}

#[tokio::test]
async fn replies_are_written_as_the_core_answers() {
    async fn refuse(_: Callback<BeforeSendMsg>) -> Reply<BeforeSendMsgReply> {
        Reply(BeforeSendMsgReply::Refuse)
    }
    let app = Router::new()
        .route("/webhook", post(refuse))
        .with_state(config());
    let query = signed("OfficialAccount.CallbackBeforeSendMsg");
    assert_eq!(
        send(app, &query, BEFORE_SEND).await,
        (
            StatusCode::OK,
            r#"{"ActionStatus":"OK","ErrorCode":1,"ErrorInfo":""}"#.to_owned()
        )
    );
}

#[derive(Default)]
struct Recorder {
    seen: std::sync::Mutex<Vec<String>>,
}

#[async_trait]
impl OfficialChannelHandler for Recorder {
    async fn before_send_msg(&self, msg: Delivery<BeforeSendMsg>) -> BeforeSendMsgReply {
        self.seen.lock().unwrap().push(msg.event.official_account);
        BeforeSendMsgReply::Refuse
    }

    async fn after_send_msg(&self, msg: Delivery<AfterSendMsg>) {
        self.seen.lock().unwrap().push(msg.event.msg_key);
    }
}

#[tokio::test]
async fn the_handler_trait_serves_every_command() {
    let service = OfficialChannelService::new(config(), Recorder::default());
    let app = Router::new().route("/webhook", post_service(service.clone()));
    for fixture in samples() {
        let command = command_of(fixture);
        let expected = if fixture == BEFORE_SEND {
            r#"{"ActionStatus":"OK","ErrorCode":1,"ErrorInfo":""}"#
        } else {
            OK
        };
        assert_eq!(
            send(app.clone(), &signed(&command), fixture).await,
            (StatusCode::OK, expected.to_owned()),
            "{command}"
        );
    }
    assert_eq!(
        *service.handler().seen.lock().unwrap(),
        ["@TOA#_2J4SZEAEL", "71_1_1698741698"]
    );

    // Acknowledged and rejected requests do not reach it.
    let c2c = r#"{"CallbackCommand":"C2C.CallbackAfterSendMsg"}"#;
    let wrong = signed(AFTER_SEND_CMD).replace(&sign(TOKEN, TIME), &sign("nope", TIME));
    for (query, body, expected) in [
        (signed(AFTER_SEND_CMD), "{}", (StatusCode::OK, OK)),
        (
            signed("C2C.CallbackAfterSendMsg"),
            c2c,
            (StatusCode::OK, OK),
        ),
        (
            wrong,
            AFTER_SEND,
            (StatusCode::UNAUTHORIZED, UNAUTHENTICATED),
        ),
    ] {
        assert_eq!(
            send(app.clone(), &query, body).await,
            (expected.0, expected.1.to_owned())
        );
    }
    assert_eq!(service.handler().seen.lock().unwrap().len(), 2);

    // The body limits apply to it too.
    let app = Router::new()
        .route("/webhook", post_service(service.clone()))
        .layer(DefaultBodyLimit::max(10));
    assert_eq!(
        send(app, &signed(AFTER_SEND_CMD), AFTER_SEND).await,
        (StatusCode::PAYLOAD_TOO_LARGE, TOO_LARGE.to_owned())
    );
}

/// A body that fails after its first chunk, like a connection reset mid-upload.
struct Broken(bool);

impl http_body::Body for Broken {
    type Data = axum::body::Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        _cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        let first = !std::mem::replace(&mut self.0, true);
        std::task::Poll::Ready(Some(if first {
            Ok(http_body::Frame::data(axum::body::Bytes::from_static(
                b"{\"Callback",
            )))
        } else {
            Err(std::io::ErrorKind::ConnectionReset.into())
        }))
    }
}

#[tokio::test]
async fn a_body_that_fails_to_read_is_malformed() {
    let (app, calls) = counted(config());
    assert_eq!(
        send(app, &signed(AFTER_SEND_CMD), Body::new(Broken(false))).await,
        (StatusCode::BAD_REQUEST, MALFORMED_BODY.to_owned())
    );
    assert_eq!(calls.load(Ordering::SeqCst), 0);
}

/// The rejection type's `Debug` and `Display`, and its answer, never show the token or
/// a valid signature, whatever the rejection.
#[tokio::test]
async fn rejections_never_show_the_token_or_a_valid_signature() {
    use axum::extract::FromRequest;

    let valid = sign(TOKEN, TIME);
    let query = signed(AFTER_SEND_CMD);
    let uris = [
        query.replace(&format!("RequestTime={TIME}"), "RequestTime=1669872000"),
        query.replace(&format!("RequestTime={TIME}"), "RequestTime=%2B1669872112"),
        query.replace(&format!("SdkAppid={APP}"), "SdkAppid=7"),
        format!("{query}&Sign={valid}"),
        query.replace(&valid, &valid[..63]),
        query.replace(&valid, &"0".repeat(64)),
    ];
    for uri in uris {
        for body in [AFTER_SEND, "not json", "{}"] {
            let req = Request::post(format!("/webhook?{uri}"))
                .body(Body::from(body))
                .unwrap();
            let rejection = Callback::<OfficialChannelEvent>::from_request(req, &config())
                .await
                .unwrap_err();
            let shown = format!(
                "{rejection:?} {rejection} {:?} {}",
                rejection.answer(),
                String::from_utf8_lossy(rejection.answer().body())
            )
            .to_ascii_lowercase();
            assert!(!shown.contains(TOKEN), "{shown}");
            assert!(!shown.contains(&valid), "{shown}");
        }
    }
}
