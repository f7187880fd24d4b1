//! The adapter in process: every outcome, with exact status and body bytes.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{DefaultBodyLimit, FromRef, State};
use axum::http::{Request, StatusCode, header};
use axum::routing::post;
use axum::{Extension, body};
use tencent_chat_webhook::test_util::{
    self, AUTHENTICATION_FAILED_BODY, COMMAND_MISMATCH_BODY, DOC_REQUEST_TIME, DOC_SDK_APP_ID,
    DOC_TOKEN, OK_BODY, REFUSED_BODY, Recorder, TIMED_OUT_BODY, TOO_LARGE_BODY, UNKNOWN_APP_BODY,
    WebhookRequest, malformed_body_body, malformed_query_body,
};
use tencent_chat_webhook_axum::answer::{AuthFailure, NotDelivered};
use tencent_chat_webhook_axum::official_channel::{
    AfterAddSubscriber, AfterCreateOfficialAccount, AfterDeleteSubscriber, AfterMsgWithDraw,
    AfterOfficialAccountDestroyed, AfterOfficialAccountFull, AfterOfficialAccountInfoChanged,
    AfterSendMsg, BeforeAddSubscriber, BeforeCreateOfficialAccount, BeforeSendMsg,
    BeforeSendMsgReply, OfficialChannelEvent,
};
use tencent_chat_webhook_axum::request::{CallbackCommand, Event, Family};
use tencent_chat_webhook_axum::{
    Answer, Callback, Delivery, Rejection, Reply, WebhookConfig, handle,
};
use tower::ServiceExt;

const AFTER_SEND_CMD: &str = "OfficialAccount.CallbackAfterSendMsg";
const BEFORE_SEND_CMD: &str = "OfficialAccount.CallbackBeforeSendMsg";

fn config() -> WebhookConfig {
    test_util::doc_config().build().unwrap()
}

/// The documented after-send sample, signed as Tencent's documentation signs it.
fn after_send() -> WebhookRequest {
    test_util::sample("official_channel/after_send_msg")
        .unwrap()
        .doc_request()
}

/// The documented before-send sample, signed likewise.
fn before_send() -> WebhookRequest {
    test_util::sample("official_channel/before_send_msg")
        .unwrap()
        .doc_request()
}

/// The after-send sample's body.
fn after_send_body() -> Bytes {
    after_send().body()
}

/// A signed request for `command` with `body` as given.
fn signed_raw(command: &str, body: impl Into<Bytes>) -> WebhookRequest {
    WebhookRequest::raw(DOC_SDK_APP_ID, command, body).signed(DOC_TOKEN, DOC_REQUEST_TIME)
}

/// A request to `/webhook` built by hand, for query strings the test kit does not write.
fn raw_request(query: &str, body: impl Into<Bytes>) -> Request<Bytes> {
    Request::post(format!("/webhook?{query}"))
        .body(body.into())
        .unwrap()
}

/// Sends `request` to `app`; the status and body of the answer.
async fn send(app: Router, request: Request<impl Into<Body>>) -> (StatusCode, String) {
    let response = app.oneshot(request.map(Into::into)).await.unwrap();
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

/// Sends `request` to `app` at `/webhook`.
async fn send_to(app: Router, request: &WebhookRequest) -> (StatusCode, String) {
    send(app, request.to_http("/webhook")).await
}

/// `(status, body)` as [`send`] gives it.
fn answer(status: StatusCode, body: &str) -> (StatusCode, String) {
    (status, body.to_owned())
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
) -> Reply<Answer> {
    assert_eq!(msg.event.msg_key, "71_1_1698741698");
    state.calls.fetch_add(1, Ordering::SeqCst);
    Reply(Answer::ok())
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

/// Sends `request` to the counting after-send handler: the answer must be `status` and
/// `body`, and the handler must have run only for the after-send sample answered OK.
async fn expect(config: WebhookConfig, request: Request<Bytes>, status: StatusCode, body: &str) {
    let delivered = status == StatusCode::OK && body == OK_BODY;
    let delivered = delivered && request.body() == &after_send_body();
    let name = format!("{} {:?}", request.uri(), request.body());
    let (app, calls) = counted(config);
    assert_eq!(send(app, request).await, answer(status, body), "{name}");
    assert_eq!(
        calls.load(Ordering::SeqCst),
        usize::from(delivered),
        "{name}"
    );
}

#[tokio::test]
async fn delivers_and_calls_the_handler_once() {
    let (app, calls) = counted(config());
    assert_eq!(
        send_to(app, &after_send()).await,
        answer(StatusCode::OK, OK_BODY)
    );
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn every_rejection_kind() {
    use StatusCode as S;
    let http = |request: WebhookRequest| request.to_http("/webhook");
    let body = after_send_body();
    // 400: malformed query string, saying what was wrong.
    let missing = malformed_query_body("missing SdkAppid");
    expect(
        config(),
        raw_request("", body.clone()),
        S::BAD_REQUEST,
        &missing,
    )
    .await;
    let bad_app = after_send()
        .query()
        .replace("SdkAppid=1400000000", "SdkAppid=abc");
    expect(
        config(),
        raw_request(&bad_app, body.clone()),
        S::BAD_REQUEST,
        &malformed_query_body("SdkAppid is not a decimal u64"),
    )
    .await;
    // 400: malformed body, saying what was wrong.
    expect(
        config(),
        http(signed_raw(AFTER_SEND_CMD, "not json")),
        S::BAD_REQUEST,
        &malformed_body_body("expected ident at line 1 column 2"),
    )
    .await;
    let missing_fields = format!(r#"{{"CallbackCommand":"{AFTER_SEND_CMD}"}}"#);
    expect(
        config(),
        http(signed_raw(AFTER_SEND_CMD, missing_fields)),
        S::BAD_REQUEST,
        &malformed_body_body("missing field `Official_Account` at line 1 column 58"),
    )
    .await;
    // 400: the body names another command than the query.
    let mismatch = after_send().command(BEFORE_SEND_CMD);
    expect(
        config(),
        http(mismatch),
        S::BAD_REQUEST,
        COMMAND_MISMATCH_BODY,
    )
    .await;
    // 401: wrong, missing or stale signature.
    for forged in [
        after_send().signed("another token", DOC_REQUEST_TIME),
        after_send().wrong_sign(),
        after_send().unsigned(),
        after_send().stale(61),
        after_send().future(61),
    ] {
        expect(
            config(),
            http(forged),
            S::UNAUTHORIZED,
            AUTHENTICATION_FAILED_BODY,
        )
        .await;
    }
    // 403: unknown SdkAppid.
    let other_app = after_send().sdk_app_id(1_400_000_009);
    expect(config(), http(other_app), S::FORBIDDEN, UNKNOWN_APP_BODY).await;
    // 413: over the configured limit.
    let small = test_util::doc_config().body_limit(body.len() - 1);
    let small = small.build().unwrap();
    expect(
        small,
        http(after_send()),
        S::PAYLOAD_TOO_LARGE,
        TOO_LARGE_BODY,
    )
    .await;
    let exact = test_util::doc_config().body_limit(body.len());
    expect(exact.build().unwrap(), http(after_send()), S::OK, OK_BODY).await;
}

/// The literal answers, not the test kit's: what Tencent's console shows.
#[tokio::test]
async fn a_400_says_what_was_wrong() {
    let (app, calls) = counted(config());
    let query = after_send().query().replace("SdkAppid=1400000000&", "");
    assert_eq!(
        send(app.clone(), raw_request(&query, after_send_body())).await,
        answer(
            StatusCode::BAD_REQUEST,
            r#"{"ActionStatus":"FAIL","ErrorCode":40001,"ErrorInfo":"malformed query string: missing SdkAppid"}"#
        )
    );
    let sample = String::from_utf8(after_send_body().to_vec()).unwrap();
    let wrong_type = sample.replace("\"71_1_1698741698\"", "71");
    assert_eq!(
        send_to(app, &signed_raw(AFTER_SEND_CMD, wrong_type)).await,
        answer(
            StatusCode::BAD_REQUEST,
            r#"{"ActionStatus":"FAIL","ErrorCode":40002,"ErrorInfo":"malformed body: MsgKey: invalid type: integer `71`, expected a string at line 4 column 14"}"#
        )
    );
    assert_eq!(calls.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn authentication_comes_before_the_body() {
    // A forged request with a body over every limit is refused for its signature.
    let small = test_util::doc_config().body_limit(16).build().unwrap();
    let forged = signed_raw(AFTER_SEND_CMD, "x".repeat(1 << 20)).wrong_sign();
    let (app, _) = counted(small);
    assert_eq!(
        send_to(app, &forged).await,
        answer(StatusCode::UNAUTHORIZED, AUTHENTICATION_FAILED_BODY)
    );
}

#[tokio::test]
async fn an_announced_length_over_the_limit_is_refused_unread() {
    // The body itself is the probe `{}`, answered OK if it were read; the announced
    // length alone gets the 413.
    let small = test_util::doc_config().body_limit(1024).build().unwrap();
    let (app, calls) = counted(small);
    let mut request = signed_raw(AFTER_SEND_CMD, "{}").to_http("/webhook");
    request
        .headers_mut()
        .insert(header::CONTENT_LENGTH, "1025".parse().unwrap());
    assert_eq!(
        send(app, request).await,
        answer(StatusCode::PAYLOAD_TOO_LARGE, TOO_LARGE_BODY)
    );
    assert_eq!(calls.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn default_body_limit_smaller_than_the_config_answers_413() {
    let len = after_send_body().len();
    let (app, calls) = counted(config());
    let app = app.layer(DefaultBodyLimit::max(len - 1));
    assert_eq!(
        send_to(app, &after_send()).await,
        answer(StatusCode::PAYLOAD_TOO_LARGE, TOO_LARGE_BODY)
    );
    assert_eq!(calls.load(Ordering::SeqCst), 0);

    let (app, calls) = counted(config());
    let app = app.layer(DefaultBodyLimit::max(len));
    assert_eq!(
        send_to(app, &after_send()).await,
        answer(StatusCode::OK, OK_BODY)
    );
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn acknowledged_requests_never_reach_the_handler() {
    let ok = |request: WebhookRequest| (request.to_http("/webhook"), StatusCode::OK, OK_BODY);
    let other = signed_raw(
        "Group.CallbackAfterMemberKicked",
        r#"{"CallbackCommand":"Group.CallbackAfterMemberKicked"}"#,
    );
    for (request, status, body) in [
        // The console's probe.
        ok(signed_raw(AFTER_SEND_CMD, "{}")),
        // A command of the family the handler did not ask for.
        ok(before_send()),
        // A command the library does not model.
        ok(other),
    ] {
        expect(config(), request, status, body).await;
    }
}

/// A handler that takes what did not reach it: what it was, whether it is acknowledged,
/// and the answer the core gives it.
async fn not_delivered(callback: Result<Callback<AfterSendMsg>, Reply<NotDelivered>>) -> String {
    match callback {
        Ok(callback) => format!("delivered {}", callback.event.msg_key),
        Err(Reply(not)) => format!("{not:?} {} {:?}", not.is_acknowledged(), Answer::from(&not)),
    }
}

#[tokio::test]
async fn a_handler_can_take_what_was_not_delivered() {
    let app = Router::new()
        .route("/webhook", post(not_delivered))
        .with_state(config());
    let said = |request: WebhookRequest| {
        let app = app.clone();
        async move {
            let (status, body) = send_to(app, &request).await;
            assert_eq!(status, StatusCode::OK, "the handler answers");
            body
        }
    };
    assert_eq!(said(after_send()).await, "delivered 71_1_1698741698");
    // Acknowledged: another command of the family, the console's probe.
    let ok = format!("{:?}", Answer::ok());
    assert_eq!(
        said(before_send()).await,
        format!("OtherCommand(OfficialAccountBeforeSendMsg) true {ok}")
    );
    let probe = said(signed_raw(AFTER_SEND_CMD, "{}")).await;
    assert_eq!(probe, format!("Probe true {ok}"));
    // Refused.
    let forged = Answer::from(Rejection::Unauthenticated(AuthFailure::SignMismatch));
    assert_eq!(
        said(after_send().wrong_sign()).await,
        format!("Rejected(Unauthenticated(SignMismatch)) false {forged:?}")
    );
}

/// A route's own `Extension(WebhookConfig)` layer beats the router state, for the
/// extractor and for `handle` alike.
#[tokio::test]
async fn a_route_layer_overrides_the_state() {
    async fn hook(msg: Callback<AfterSendMsg>) -> String {
        msg.query.sdk_app_id().to_string()
    }
    // An unsigned app that only the routes with the layer know.
    let other_app = 1_400_000_001;
    let other_config = WebhookConfig::builder().unsigned_app(other_app).build();
    let layer = Extension(other_config.unwrap());
    let recorder = Recorder::new();
    let handler = post(handle(recorder.clone()));
    let app = Router::new()
        .route("/webhook", post(hook))
        .route("/other", post(hook).layer(layer.clone()))
        .route("/handler", handler.layer(layer))
        .with_state(config());
    let other = after_send().unsigned().sdk_app_id(other_app);
    for (path, request, status, body) in [
        ("/other", &other, StatusCode::OK, "1400000001"),
        ("/handler", &other, StatusCode::OK, OK_BODY),
        ("/webhook", &after_send(), StatusCode::OK, "1400000000"),
        (
            "/other",
            &after_send(),
            StatusCode::FORBIDDEN,
            UNKNOWN_APP_BODY,
        ),
        (
            "/handler",
            &after_send(),
            StatusCode::FORBIDDEN,
            UNKNOWN_APP_BODY,
        ),
        ("/webhook", &other, StatusCode::FORBIDDEN, UNKNOWN_APP_BODY),
    ] {
        assert_eq!(
            send(app.clone(), request.to_http(path)).await,
            answer(status, body),
            "{path} {request:?}"
        );
    }
    // Only the other app's request reached the handler.
    assert_eq!(
        recorder.commands(),
        [CallbackCommand::OfficialAccountAfterSendMsg]
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
        send_to(app, &after_send()).await,
        answer(
            StatusCode::OK,
            &format!(
                "Some(\"127.0.0.1\") Some({DOC_REQUEST_TIME}) {}",
                after_send_body().len()
            )
        )
    );
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
        for (j, sample) in test_util::family_samples(Family::OfficialChannel).enumerate() {
            let expected = if i == j { "handled" } else { OK_BODY };
            assert_eq!(
                send_to(app.clone(), &sample.doc_request()).await,
                answer(StatusCode::OK, expected),
                "route {i}, sample {}",
                sample.name
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
    for sample in test_util::family_samples(Family::OfficialChannel) {
        let (status, line) = send_to(app.clone(), &sample.doc_request()).await;
        assert_eq!(status, StatusCode::OK);
        assert!(line.starts_with(sample.command), "{line}");
    }
    assert_eq!(
        send_to(app, &after_send()).await.1,
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
    assert_eq!(
        send_to(app, &before_send()).await,
        answer(StatusCode::OK, REFUSED_BODY)
    );
}

#[tokio::test]
async fn handle_dispatches_every_command() {
    let recorder = Recorder::new();
    let app = Router::new()
        .route("/webhook", post(handle(recorder.clone())))
        .with_state(config());
    // Every command reaches it: the before-webhooks are refused.
    for sample in test_util::samples() {
        let expected = Recorder::answer_body(&sample.callback_command());
        assert_eq!(
            send_to(app.clone(), &sample.doc_request()).await,
            answer(StatusCode::OK, expected),
            "{}",
            sample.name
        );
    }
    assert_eq!(recorder.commands(), CallbackCommand::ALL);
    let handled = CallbackCommand::ALL.len();

    // Acknowledged and rejected requests do not reach it; a known command whose body
    // does not fit its type is a 400.
    let empty = signed_raw(
        AFTER_SEND_CMD,
        r#"{"CallbackCommand":"OfficialAccount.CallbackAfterSendMsg"}"#,
    );
    for (request, expected) in [
        (
            signed_raw(AFTER_SEND_CMD, "{}"),
            answer(StatusCode::OK, OK_BODY),
        ),
        (
            empty,
            answer(
                StatusCode::BAD_REQUEST,
                &malformed_body_body("missing field `Official_Account` at line 1 column 58"),
            ),
        ),
        (
            after_send().signed("nope", DOC_REQUEST_TIME),
            answer(StatusCode::UNAUTHORIZED, AUTHENTICATION_FAILED_BODY),
        ),
    ] {
        assert_eq!(send_to(app.clone(), &request).await, expected);
    }
    assert_eq!(recorder.deliveries().len(), handled);

    // The body limits apply to it too.
    let app = app.layer(DefaultBodyLimit::max(10));
    assert_eq!(
        send_to(app, &after_send()).await,
        answer(StatusCode::PAYLOAD_TOO_LARGE, TOO_LARGE_BODY)
    );
    assert_eq!(recorder.deliveries().len(), handled);
}

/// A body that fails after its first chunk, like a connection reset mid-upload.
struct Broken(bool);

impl http_body::Body for Broken {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        _cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        let first = !std::mem::replace(&mut self.0, true);
        std::task::Poll::Ready(Some(if first {
            Ok(http_body::Frame::data(Bytes::from_static(b"{\"Callback")))
        } else {
            Err(std::io::ErrorKind::ConnectionReset.into())
        }))
    }
}

#[tokio::test]
async fn a_body_that_fails_to_read_is_malformed() {
    let (app, calls) = counted(config());
    let request = after_send()
        .to_http("/webhook")
        .map(|_| Body::new(Broken(false)));
    assert_eq!(
        send(app, request).await,
        answer(
            StatusCode::BAD_REQUEST,
            &malformed_body_body("the body could not be read to its end")
        )
    );
    assert_eq!(calls.load(Ordering::SeqCst), 0);
}

/// A body that arrives one byte every `every`, as a slow or hostile client sends it.
struct Trickle {
    left: Bytes,
    every: std::time::Duration,
    next: std::pin::Pin<Box<tokio::time::Sleep>>,
}

impl Trickle {
    fn new(body: Bytes, every: std::time::Duration) -> Self {
        let next = Box::pin(tokio::time::sleep(every));
        Self {
            left: body,
            every,
            next,
        }
    }
}

impl http_body::Body for Trickle {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        if self.left.is_empty() {
            return std::task::Poll::Ready(None);
        }
        std::task::ready!(self.next.as_mut().poll(cx));
        let deadline = tokio::time::Instant::now() + self.every;
        self.next.as_mut().reset(deadline);
        let byte = self.left.split_to(1);
        std::task::Poll::Ready(Some(Ok(http_body::Frame::data(byte))))
    }
}

/// A body still arriving at the body read timeout is answered 408 then, and the handler
/// never runs; one that arrives slowly but whole within it is delivered. (Tokio's clock
/// is paused: it jumps to each timer, so the test takes no real time and its instants
/// are exact to the timer's millisecond.)
#[tokio::test(start_paused = true)]
async fn a_body_still_arriving_at_the_read_timeout_is_408() {
    use std::time::Duration;

    let timeout = Duration::from_secs(2);
    let config = test_util::doc_config()
        .body_read_timeout(timeout)
        .build()
        .unwrap();
    let (app, calls) = counted(config);
    let body = after_send_body();
    // One byte a second: the sample would take minutes.
    let request = after_send()
        .to_http("/webhook")
        .map(|_| Body::new(Trickle::new(body.clone(), Duration::from_secs(1))));
    let started = tokio::time::Instant::now();
    assert_eq!(
        send(app.clone(), request).await,
        answer(StatusCode::REQUEST_TIMEOUT, TIMED_OUT_BODY)
    );
    // At the timeout, to the timer's millisecond.
    let elapsed = started.elapsed();
    assert!(
        elapsed >= timeout && elapsed <= timeout + Duration::from_millis(2),
        "{elapsed:?}"
    );
    assert_eq!(calls.load(Ordering::SeqCst), 0);

    // The timeout bounds the whole body, not the wait for each byte: one byte every
    // millisecond is delivered as long as the last one comes within it.
    let every = Duration::from_millis(1);
    assert!(every * u32::try_from(body.len()).unwrap() < timeout);
    let request = after_send()
        .to_http("/webhook")
        .map(|_| Body::new(Trickle::new(body.clone(), every)));
    let started = tokio::time::Instant::now();
    assert_eq!(send(app, request).await, answer(StatusCode::OK, OK_BODY));
    assert!(started.elapsed() >= every * u32::try_from(body.len()).unwrap());
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

/// The rejection's `Debug` and `Display`, and its answer, never show the token or a
/// valid signature, whatever the rejection.
#[tokio::test]
async fn rejections_never_show_the_token_or_a_valid_signature() {
    use axum::extract::FromRequest;

    let valid = tencent_chat_webhook_axum::request::sign(DOC_TOKEN, DOC_REQUEST_TIME);
    let query = after_send().query();
    let queries = [
        after_send().stale(112).query(),
        after_send().malformed_request_time("%2B1669872112").query(),
        after_send().sdk_app_id(7).query(),
        format!("{query}&Sign={valid}"),
        query.replace(&valid, &valid[..63]),
        after_send().wrong_sign().query(),
    ];
    // Refused by the query, before the body is read; then a valid query (it holds the
    // valid `Sign`) refused by its body.
    let sample = after_send_body();
    let mut requests: Vec<(String, Vec<u8>)> =
        queries.into_iter().map(|q| (q, sample.to_vec())).collect();
    let mismatch = b"{\"CallbackCommand\":\"OfficialAccount.CallbackBeforeSendMsg\"}";
    for body in [&b"not json"[..], b"[]", mismatch] {
        requests.push((query.clone(), body.to_vec()));
    }
    for (query, body) in requests {
        let request = raw_request(&query, body).map(Body::from);
        let rejection = Callback::<OfficialChannelEvent>::from_request(request, &config())
            .await
            .unwrap_err();
        let answer = Answer::from(&rejection.0);
        let shown = format!(
            "{rejection:?} {rejection} {answer:?} {}",
            String::from_utf8_lossy(answer.body())
        )
        .to_ascii_lowercase();
        assert!(!shown.contains(DOC_TOKEN), "{shown}");
        assert!(!shown.contains(&valid), "{shown}");
    }
}
