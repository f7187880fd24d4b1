//! The extractor, the answers and the handler mounting, in-process through `actix_web::test`.

use std::sync::Mutex;

use actix_web::body::BoxBody;
use actix_web::dev::{Handler, ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use actix_web::test::{self, TestRequest};
use actix_web::{App, Error, FromRequest, HttpResponse, Responder, web};
use tencent_chat_webhook_actix::official_channel::{
    AfterSendMsg, BeforeSendMsg, BeforeSendMsgReply, OfficialChannelEvent,
};
use tencent_chat_webhook_actix::{
    Ack, Callback, Clock, Delivery, OfficialChannelHandler, Reply, WebhookConfig, async_trait,
    official_channel_resource, sign,
};

const TIME: u64 = 1_669_872_112;
const TOKEN: &str = "xxxxyyyy";
const APP: u64 = 1_400_000_000;
const LIMIT: usize = 4096;
const OK: &str = r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}"#;
const AFTER_SEND_CMD: &str = "OfficialAccount.CallbackAfterSendMsg";
const BEFORE_SEND_CMD: &str = "OfficialAccount.CallbackBeforeSendMsg";

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

/// The documented sample of each of the 11 Official Channel commands.
fn samples() -> impl Iterator<Item = &'static str> {
    tencent_chat_webhook::test_util::samples()
        .iter()
        .map(|sample| sample.body)
}

fn config() -> WebhookConfig {
    WebhookConfig::builder()
        .app(APP, [TOKEN])
        .clock(Clock::fixed(TIME))
        .body_limit(LIMIT)
        .build()
        .unwrap()
}

fn fail(code: u32, info: &str) -> String {
    format!(r#"{{"ActionStatus":"FAIL","ErrorCode":{code},"ErrorInfo":"{info}"}}"#)
}

fn command_of(fixture: &str) -> String {
    let body: serde_json::Value = serde_json::from_str(fixture).unwrap();
    body["CallbackCommand"].as_str().unwrap().to_owned()
}

/// The URI of a request Tencent signed with the right token at `TIME`.
fn signed(command: &str) -> String {
    with_sign(command, &sign(TOKEN, TIME))
}

fn with_sign(command: &str, sign: &str) -> String {
    format!(
        "/webhook?SdkAppid={APP}&CallbackCommand={command}&contenttype=json\
         &ClientIP=127.0.0.1&OptPlatform=RESTAPI&Sign={sign}&RequestTime={TIME}"
    )
}

fn post(uri: &str, body: &str) -> TestRequest {
    TestRequest::post().uri(uri).set_payload(body.to_owned())
}

/// Sends `req` to `app` and returns the status, the body and the content type.
async fn send<T>(app: App<T>, req: TestRequest) -> (u16, String, String)
where
    T: ServiceFactory<
            ServiceRequest,
            Config = (),
            Response = ServiceResponse<BoxBody>,
            Error = Error,
            InitError = (),
        > + 'static,
{
    let app = test::init_service(app).await;
    let res = test::call_service(&app, req.to_request()).await;
    let status = res.status().as_u16();
    let content_type = res
        .headers()
        .get(CONTENT_TYPE)
        .map(|value| value.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let body = test::read_body(res).await;
    (
        status,
        String::from_utf8(body.to_vec()).unwrap(),
        content_type,
    )
}

/// A handler whose answer shows that it ran, and what it received.
async fn any_event(callback: Callback<OfficialChannelEvent>) -> HttpResponse {
    HttpResponse::Ok().body(format!(
        "handled {} {:?} {}",
        callback.event.command(),
        callback.event.official_account(),
        callback.query.sdk_app_id(),
    ))
}

async fn after_send(callback: Callback<AfterSendMsg>) -> HttpResponse {
    assert_eq!(callback.body, AFTER_SEND.as_bytes());
    HttpResponse::Ok().body(format!("handled {}", callback.event.msg_key))
}

/// An app with the configuration and `handler` on `POST /webhook`.
fn app_with<F, Args>(
    handler: F,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<BoxBody>,
        Error = Error,
        InitError = (),
    >,
>
where
    F: Handler<Args>,
    Args: FromRequest + 'static,
    F::Output: Responder + 'static,
{
    App::new()
        .app_data(config())
        .route("/webhook", web::post().to(handler))
}

async fn assert_answer(req: TestRequest, status: u16, body: &str) {
    let (got_status, got_body, content_type) = send(app_with(any_event), req).await;
    assert_eq!((got_status, got_body.as_str()), (status, body));
    assert_eq!(content_type, "application/json");
}

#[actix_web::test]
async fn delivers_each_of_the_eleven_commands() {
    for fixture in samples() {
        let command = command_of(fixture);
        let (status, body, _) = send(app_with(any_event), post(&signed(&command), fixture)).await;
        let json: serde_json::Value = serde_json::from_str(fixture).unwrap();
        let account = format!("{:?}", json["Official_Account"].as_str());
        assert_eq!(status, 200, "{command}");
        assert_eq!(body, format!("handled {command} {account} {APP}"));
    }
}

#[actix_web::test]
async fn a_single_command_extractor_gets_its_event_and_the_raw_body() {
    let (status, body, _) = send(
        app_with(after_send),
        post(&signed(AFTER_SEND_CMD), AFTER_SEND),
    )
    .await;
    assert_eq!((status, body.as_str()), (200, "handled 71_1_1698741698"));
}

#[actix_web::test]
async fn other_commands_are_acknowledged_without_the_handler() {
    // Every official-channel command but after-send, to the after-send handler.
    for fixture in samples() {
        let command = command_of(fixture);
        if command == AFTER_SEND_CMD {
            continue;
        }
        let (status, body, _) = send(app_with(after_send), post(&signed(&command), fixture)).await;
        assert_eq!((status, body.as_str()), (200, OK), "{command}");
    }
    // A command of another family, which the library does not model.
    let c2c = r#"{"CallbackCommand":"C2C.CallbackAfterSendMsg","From_Account":"jared","To_Account":"Jonh","MsgBody":[]}"#;
    assert_answer(post(&signed("C2C.CallbackAfterSendMsg"), c2c), 200, OK).await;
}

#[actix_web::test]
async fn the_console_probe_is_acknowledged_without_the_handler() {
    assert_answer(post(&signed(AFTER_SEND_CMD), "{}"), 200, OK).await;
    let (status, body, _) = send(app_with(after_send), post(&signed(AFTER_SEND_CMD), "{}")).await;
    assert_eq!((status, body.as_str()), (200, OK));
}

#[actix_web::test]
async fn malformed_query_is_400() {
    let malformed = fail(40001, "malformed query string");
    let uri = format!("/webhook?SdkAppid=abc&CallbackCommand={AFTER_SEND_CMD}");
    assert_answer(post(&uri, AFTER_SEND), 400, &malformed).await;
    // No query at all.
    assert_answer(post("/webhook", AFTER_SEND), 400, &malformed).await;
}

#[actix_web::test]
async fn malformed_body_is_400() {
    let malformed = fail(40002, "malformed body");
    for body in ["", "not json", "[]", r#"{"CallbackCommand":"#] {
        assert_answer(post(&signed(AFTER_SEND_CMD), body), 400, &malformed).await;
    }
    // Valid JSON that does not fit the event.
    let wrong = r#"{"CallbackCommand":"OfficialAccount.CallbackAfterSendMsg","MsgKey":7}"#;
    assert_answer(post(&signed(AFTER_SEND_CMD), wrong), 400, &malformed).await;
}

#[actix_web::test]
async fn command_mismatch_is_400() {
    let mismatch = fail(40003, "CallbackCommand of body and query differ");
    assert_answer(post(&signed(BEFORE_SEND_CMD), AFTER_SEND), 400, &mismatch).await;
    assert_answer(
        post(&signed(AFTER_SEND_CMD), r#"{"MsgKey":"k"}"#),
        400,
        &mismatch,
    )
    .await;
}

#[actix_web::test]
async fn failed_authentication_is_401() {
    let unauthenticated = fail(40101, "authentication failed");
    let wrong = sign("another token", TIME);
    assert_answer(
        post(&with_sign(AFTER_SEND_CMD, &wrong), AFTER_SEND),
        401,
        &unauthenticated,
    )
    .await;
    // Stale: signed correctly, but two minutes before the clock.
    let stale = format!(
        "/webhook?SdkAppid={APP}&CallbackCommand={AFTER_SEND_CMD}&Sign={}&RequestTime={}",
        sign(TOKEN, TIME - 120),
        TIME - 120
    );
    assert_answer(post(&stale, AFTER_SEND), 401, &unauthenticated).await;
    let unsigned = format!("/webhook?SdkAppid={APP}&CallbackCommand={AFTER_SEND_CMD}");
    assert_answer(post(&unsigned, AFTER_SEND), 401, &unauthenticated).await;
}

#[actix_web::test]
async fn unknown_app_is_403() {
    let uri = format!(
        "/webhook?SdkAppid=1400000009&CallbackCommand={AFTER_SEND_CMD}&Sign={}&RequestTime={TIME}",
        sign(TOKEN, TIME)
    );
    assert_answer(
        post(&uri, AFTER_SEND),
        403,
        &fail(40301, "unknown SdkAppid"),
    )
    .await;
}

#[actix_web::test]
async fn body_over_the_configured_limit_is_413() {
    let too_large = fail(41301, "body too large");
    let padded = format!(
        r#"{{"CallbackCommand":"{AFTER_SEND_CMD}","Padding":"{}"}}"#,
        "x".repeat(LIMIT)
    );
    // Refused on its Content-Length.
    assert_answer(post(&signed(AFTER_SEND_CMD), &padded), 413, &too_large).await;
    // Refused while reading, when the Content-Length understates the body.
    let understated = post(&signed(AFTER_SEND_CMD), &padded).insert_header((CONTENT_LENGTH, "10"));
    assert_answer(understated, 413, &too_large).await;
    // Far above actix-web's own 256 KiB default, when the configuration allows it.
    let big = WebhookConfig::builder()
        .app(APP, [TOKEN])
        .clock(Clock::fixed(TIME))
        .body_limit(1024 * 1024)
        .build()
        .unwrap();
    let padded = format!(
        r#"{{"CallbackCommand":"{AFTER_SEND_CMD}","Padding":"{}"}}"#,
        "x".repeat(512 * 1024)
    );
    let app = App::new()
        .app_data(big)
        .route("/webhook", web::post().to(any_event));
    // It decodes as far as the event and fails there: the body was read whole.
    let (status, body, _) = send(app, post(&signed(AFTER_SEND_CMD), &padded)).await;
    assert_eq!(
        (status, body.as_str()),
        (400, fail(40002, "malformed body").as_str())
    );
}

#[actix_web::test]
async fn the_query_is_authenticated_before_the_body_is_read() {
    let padded = "x".repeat(LIMIT * 4);
    let wrong = sign("another token", TIME);
    assert_answer(
        post(&with_sign(AFTER_SEND_CMD, &wrong), &padded),
        401,
        &fail(40101, "authentication failed"),
    )
    .await;
}

#[actix_web::test]
async fn missing_config_is_500() {
    let app = App::new().route("/webhook", web::post().to(any_event));
    let (status, body, content_type) = send(app, post(&signed(AFTER_SEND_CMD), AFTER_SEND)).await;
    assert_eq!(
        (status, body.as_str(), content_type.as_str()),
        (
            500,
            fail(50001, "webhook not configured").as_str(),
            "application/json"
        )
    );
}

#[actix_web::test]
async fn config_is_found_as_plain_app_data_or_web_data() {
    let expected = format!("handled {AFTER_SEND_CMD} Some(\"@TOA#_2J4SZEAEL\") {APP}");
    let plain = app_with(any_event);
    let (status, body, _) = send(plain, post(&signed(AFTER_SEND_CMD), AFTER_SEND)).await;
    assert_eq!((status, body.as_str()), (200, expected.as_str()));

    let data = App::new()
        .app_data(web::Data::new(config()))
        .route("/webhook", web::post().to(any_event));
    let (status, body, _) = send(data, post(&signed(AFTER_SEND_CMD), AFTER_SEND)).await;
    assert_eq!((status, body.as_str()), (200, expected.as_str()));

    // On the resource rather than the app.
    let resource = App::new().service(
        web::resource("/webhook")
            .app_data(web::Data::new(config()))
            .route(web::post().to(any_event)),
    );
    let (status, body, _) = send(resource, post(&signed(AFTER_SEND_CMD), AFTER_SEND)).await;
    assert_eq!((status, body.as_str()), (200, expected.as_str()));
}

#[actix_web::test]
async fn replies_are_written_as_the_core_answers() {
    async fn refuse(_: Callback<BeforeSendMsg>) -> Reply<BeforeSendMsgReply> {
        Reply(BeforeSendMsgReply::Refuse)
    }
    async fn ack(_: Callback<AfterSendMsg>) -> Reply<Ack> {
        Reply(Ack)
    }
    let app = app_with(refuse);
    let (status, body, content_type) = send(app, post(&signed(BEFORE_SEND_CMD), BEFORE_SEND)).await;
    assert_eq!(
        (status, body.as_str(), content_type.as_str()),
        (
            200,
            r#"{"ActionStatus":"OK","ErrorCode":1,"ErrorInfo":""}"#,
            "application/json"
        )
    );
    let app = app_with(ack);
    let (status, body, content_type) = send(app, post(&signed(AFTER_SEND_CMD), AFTER_SEND)).await;
    assert_eq!(
        (status, body.as_str(), content_type.as_str()),
        (200, OK, "application/json")
    );
}

/// Records what reached it; refuses messages, refuses the first subscriber.
#[derive(Default)]
struct Recorder(Mutex<Vec<String>>);

#[async_trait]
impl OfficialChannelHandler for Recorder {
    async fn before_send_msg(&self, msg: Delivery<BeforeSendMsg>) -> BeforeSendMsgReply {
        self.0.lock().unwrap().push(msg.event.official_account);
        BeforeSendMsgReply::Refuse
    }

    async fn after_send_msg(&self, msg: Delivery<AfterSendMsg>) {
        self.0.lock().unwrap().push(msg.event.msg_key);
    }
}

/// Wraps a shared recorder so the test can read it after the app owns the handler.
struct Shared(std::sync::Arc<Recorder>);

#[async_trait]
impl OfficialChannelHandler for Shared {
    async fn before_send_msg(&self, msg: Delivery<BeforeSendMsg>) -> BeforeSendMsgReply {
        self.0.before_send_msg(msg).await
    }

    async fn after_send_msg(&self, msg: Delivery<AfterSendMsg>) {
        self.0.after_send_msg(msg).await;
    }
}

#[actix_web::test]
async fn official_channel_mounts_a_handler() {
    let recorder = std::sync::Arc::new(Recorder::default());
    let app = test::init_service(
        App::new().service(
            official_channel_resource("/webhook", Shared(std::sync::Arc::clone(&recorder)))
                .app_data(config()),
        ),
    )
    .await;
    let call = |req: TestRequest| {
        let app = &app;
        async move {
            let res = test::call_service(app, req.to_request()).await;
            let status = res.status().as_u16();
            (
                status,
                String::from_utf8(test::read_body(res).await.to_vec()).unwrap(),
            )
        }
    };

    // Each of the 11 commands gets its answer; the two overridden methods run.
    for fixture in samples() {
        let command = command_of(fixture);
        let expected = if command == BEFORE_SEND_CMD {
            r#"{"ActionStatus":"OK","ErrorCode":1,"ErrorInfo":""}"#
        } else {
            OK
        };
        assert_eq!(
            call(post(&signed(&command), fixture)).await,
            (200, expected.to_owned()),
            "{command}"
        );
    }
    // Acknowledged without the handler: the probe and another family's command.
    assert_eq!(
        call(post(&signed(AFTER_SEND_CMD), "{}")).await,
        (200, OK.to_owned())
    );
    let c2c = r#"{"CallbackCommand":"C2C.CallbackAfterSendMsg","From_Account":"jared"}"#;
    assert_eq!(
        call(post(&signed("C2C.CallbackAfterSendMsg"), c2c)).await,
        (200, OK.to_owned())
    );
    // Rejected without the handler.
    let wrong = sign("another token", TIME);
    assert_eq!(
        call(post(&with_sign(AFTER_SEND_CMD, &wrong), AFTER_SEND)).await,
        (401, fail(40101, "authentication failed"))
    );
    // Other methods are actix-web's 405.
    assert_eq!(
        call(TestRequest::get().uri(&signed(AFTER_SEND_CMD)))
            .await
            .0,
        405
    );

    assert_eq!(
        *recorder.0.lock().unwrap(),
        ["@TOA#_2J4SZEAEL", "71_1_1698741698"]
    );
}

#[actix_web::test]
async fn official_channel_without_config_is_500() {
    let app = App::new().service(official_channel_resource("/webhook", Recorder::default()));
    let (status, body, _) = send(app, post(&signed(AFTER_SEND_CMD), AFTER_SEND)).await;
    assert_eq!((status, body), (500, fail(50001, "webhook not configured")));
}

/// A payload that fails after its first chunk, like a connection reset mid-upload: the
/// answer is 400 malformed body, and the handler never sees a partial body.
#[actix_web::test]
async fn a_payload_that_fails_mid_body_is_malformed_and_reaches_no_handler() {
    use std::pin::Pin;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use actix_web::error::PayloadError;
    use actix_web::web::Bytes;

    static CALLS: AtomicUsize = AtomicUsize::new(0);
    async fn counted(_: Callback<OfficialChannelEvent>) -> HttpResponse {
        CALLS.fetch_add(1, Ordering::SeqCst);
        HttpResponse::Ok().finish()
    }

    let half = Bytes::from_static(&AFTER_SEND.as_bytes()[..AFTER_SEND.len() / 2]);
    let chunks: Vec<Result<Bytes, PayloadError>> = vec![
        Ok(half),
        Err(PayloadError::Incomplete(Some(
            std::io::ErrorKind::ConnectionReset.into(),
        ))),
    ];
    let stream: Pin<Box<dyn futures_util::Stream<Item = Result<Bytes, PayloadError>>>> =
        Box::pin(futures_util::stream::iter(chunks));
    let (request, _) = TestRequest::post()
        .uri(&signed(AFTER_SEND_CMD))
        .insert_header((CONTENT_LENGTH, AFTER_SEND.len()))
        .to_request()
        .replace_payload(actix_web::dev::Payload::Stream { payload: stream });

    let app = test::init_service(app_with(counted)).await;
    let res = test::call_service(&app, request).await;
    assert_eq!(res.status().as_u16(), 400);
    let body = test::read_body(res).await;
    assert_eq!(body, fail(40002, "malformed body").as_bytes());
    assert_eq!(CALLS.load(Ordering::SeqCst), 0);
}

/// The rejection type's `Debug` and `Display`, and its answer, never show the token or
/// a valid signature, whatever the rejection.
#[actix_web::test]
async fn rejections_never_show_the_token_or_a_valid_signature() {
    use actix_web::ResponseError;

    let valid = sign(TOKEN, TIME);
    let uri = signed(AFTER_SEND_CMD);
    let uris = [
        uri.replace(&format!("RequestTime={TIME}"), "RequestTime=1669872000"),
        uri.replace(&format!("RequestTime={TIME}"), "RequestTime=%2B1669872112"),
        uri.replace(&format!("SdkAppid={APP}"), "SdkAppid=7"),
        format!("{uri}&Sign={valid}"),
        uri.replace(&valid, &valid[..63]),
        with_sign(AFTER_SEND_CMD, &"0".repeat(64)),
    ];
    for uri in uris {
        for body in [AFTER_SEND, "not json", "{}"] {
            let (req, mut payload) = post(&uri, body).app_data(config()).to_http_parts();
            let rejection = Callback::<OfficialChannelEvent>::from_request(&req, &mut payload)
                .await
                .unwrap_err();
            let response = rejection.error_response();
            let answer = test::read_body(ServiceResponse::new(req, response)).await;
            let shown = format!(
                "{rejection:?} {rejection} {:?} {}",
                rejection.answer(),
                String::from_utf8_lossy(&answer)
            )
            .to_ascii_lowercase();
            assert!(!shown.contains(TOKEN), "{shown}");
            assert!(!shown.contains(&valid), "{shown}");
        }
    }
}
