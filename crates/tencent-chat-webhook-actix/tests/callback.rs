//! The extractor, the answers and the handler mounting, in-process through `actix_web::test`.

use actix_web::body::BoxBody;
use actix_web::dev::{Handler, ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use actix_web::test::{self, TestRequest};
use actix_web::web::Bytes;
use actix_web::{App, Error, FromRequest, HttpResponse, Responder, web};
use tencent_chat_webhook::test_util::{
    self, AUTHENTICATION_FAILED_BODY, COMMAND_MISMATCH_BODY, DOC_REQUEST_TIME, DOC_SDK_APP_ID,
    DOC_TOKEN, NOT_CONFIGURED_BODY, OK_BODY, REFUSED_BODY, Recorder, TIMED_OUT_BODY,
    TOO_LARGE_BODY, UNKNOWN_APP_BODY, WebhookRequest, malformed_body_body, malformed_query_body,
};
use tencent_chat_webhook_actix::answer::{AuthFailure, NotDelivered};
use tencent_chat_webhook_actix::official_channel::{
    AfterSendMsg, BeforeSendMsg, BeforeSendMsgReply, OfficialChannelEvent,
};
use tencent_chat_webhook_actix::request::{CallbackCommand, Family};
use tencent_chat_webhook_actix::{Answer, Callback, Rejection, Reply, WebhookConfig, handle};

const LIMIT: usize = 4096;
const AFTER_SEND_CMD: &str = "OfficialAccount.CallbackAfterSendMsg";
const BEFORE_SEND_CMD: &str = "OfficialAccount.CallbackBeforeSendMsg";

fn config() -> WebhookConfig {
    test_util::doc_config().body_limit(LIMIT).build().unwrap()
}

/// The documented after-send sample, signed as Tencent's documentation signs it.
fn after_send() -> WebhookRequest {
    test_util::sample("official_channel/after_send_msg")
        .unwrap()
        .doc_request()
}

/// A signed request for `command` with `body` as given.
fn signed_raw(command: &str, body: impl Into<Bytes>) -> WebhookRequest {
    WebhookRequest::raw(DOC_SDK_APP_ID, command, body).signed(DOC_TOKEN, DOC_REQUEST_TIME)
}

/// `request` as a `POST` to `/webhook`.
fn post(request: &WebhookRequest) -> TestRequest {
    post_to("/webhook", request)
}

fn post_to(path: &str, request: &WebhookRequest) -> TestRequest {
    TestRequest::post()
        .uri(&request.path_and_query(path))
        .set_payload(request.body())
}

/// A `POST` built by hand, for request targets the test kit does not write.
fn raw_post(uri: &str, body: impl Into<Bytes>) -> TestRequest {
    TestRequest::post().uri(uri).set_payload(body.into())
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

/// What [`any_event`] answers to the after-send sample of `app`.
fn handled_after_send(app: u64) -> String {
    format!("handled {AFTER_SEND_CMD} Some(\"@TOA#_2J4SZEAEL\") {app}")
}

async fn after_send_handler(callback: Callback<AfterSendMsg>) -> HttpResponse {
    assert_eq!(callback.body, after_send().body());
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
    for sample in test_util::family_samples(Family::OfficialChannel) {
        let (status, body, _) = send(app_with(any_event), post(&sample.doc_request())).await;
        let json: serde_json::Value = serde_json::from_str(sample.body).unwrap();
        let account = format!("{:?}", json["Official_Account"].as_str());
        assert_eq!(status, 200, "{}", sample.name);
        assert_eq!(
            body,
            format!("handled {} {account} {DOC_SDK_APP_ID}", sample.command)
        );
    }
}

#[actix_web::test]
async fn a_single_command_extractor_gets_its_event_and_the_raw_body() {
    let (status, body, _) = send(app_with(after_send_handler), post(&after_send())).await;
    assert_eq!((status, body.as_str()), (200, "handled 71_1_1698741698"));
}

#[actix_web::test]
async fn other_commands_are_acknowledged_without_the_handler() {
    // Every official-channel command but after-send, to the after-send handler.
    for sample in test_util::family_samples(Family::OfficialChannel) {
        if sample.command == AFTER_SEND_CMD {
            continue;
        }
        let request = post(&sample.doc_request());
        let (status, body, _) = send(app_with(after_send_handler), request).await;
        assert_eq!((status, body.as_str()), (200, OK_BODY), "{}", sample.name);
    }
    // A command of another family.
    let c2c = WebhookRequest::from_json(
        DOC_SDK_APP_ID,
        "C2C.CallbackAfterSendMsg",
        &serde_json::json!({"From_Account": "jared", "To_Account": "Jonh", "MsgBody": []}),
    )
    .signed(DOC_TOKEN, DOC_REQUEST_TIME);
    assert_answer(post(&c2c), 200, OK_BODY).await;
}

#[actix_web::test]
async fn the_console_probe_is_acknowledged_without_the_handler() {
    let probe = signed_raw(AFTER_SEND_CMD, "{}");
    assert_answer(post(&probe), 200, OK_BODY).await;
    let (status, body, _) = send(app_with(after_send_handler), post(&probe)).await;
    assert_eq!((status, body.as_str()), (200, OK_BODY));
}

#[actix_web::test]
async fn malformed_query_is_400_and_says_what_was_wrong() {
    let uri = format!("/webhook?SdkAppid=abc&CallbackCommand={AFTER_SEND_CMD}");
    let body = after_send().body();
    assert_answer(
        raw_post(&uri, body.clone()),
        400,
        &malformed_query_body("SdkAppid is not a decimal u64"),
    )
    .await;
    // No query at all.
    assert_answer(
        raw_post("/webhook", body),
        400,
        &malformed_query_body("missing SdkAppid"),
    )
    .await;
}

#[actix_web::test]
async fn malformed_body_is_400_and_says_what_was_wrong() {
    for (body, detail) in [
        ("", "EOF while parsing a value at line 1 column 0"),
        ("not json", "expected ident at line 1 column 2"),
        (
            "[]",
            "invalid type: sequence, expected a JSON object at line 1 column 0",
        ),
        (
            r#"{"CallbackCommand":"#,
            "EOF while parsing a value at line 1 column 19",
        ),
        // Valid JSON that does not fit the event.
        (
            r#"{"CallbackCommand":"OfficialAccount.CallbackAfterSendMsg","MsgKey":7}"#,
            "MsgKey: invalid type: integer `7`, expected a string at line 1 column 68",
        ),
    ] {
        let request = post(&signed_raw(AFTER_SEND_CMD, body));
        assert_answer(request, 400, &malformed_body_body(detail)).await;
    }
}

/// The literal answer, not the test kit's: what Tencent's console shows.
#[actix_web::test]
async fn a_400_says_what_was_wrong() {
    let query = after_send().query().replace("SdkAppid=1400000000&", "");
    assert_answer(
        raw_post(&format!("/webhook?{query}"), after_send().body()),
        400,
        r#"{"ActionStatus":"FAIL","ErrorCode":40001,"ErrorInfo":"malformed query string: missing SdkAppid"}"#,
    )
    .await;
}

#[actix_web::test]
async fn command_mismatch_is_400() {
    let mismatch = after_send().command(BEFORE_SEND_CMD);
    assert_answer(post(&mismatch), 400, COMMAND_MISMATCH_BODY).await;
    let no_command = WebhookRequest::raw(DOC_SDK_APP_ID, AFTER_SEND_CMD, r#"{"MsgKey":"k"}"#)
        .signed(DOC_TOKEN, DOC_REQUEST_TIME);
    assert_answer(post(&no_command), 400, COMMAND_MISMATCH_BODY).await;
}

#[actix_web::test]
async fn failed_authentication_is_401() {
    for forged in [
        after_send().signed("another token", DOC_REQUEST_TIME),
        // Signed correctly, but two minutes before the clock.
        after_send().stale(120),
        after_send().unsigned(),
    ] {
        assert_answer(post(&forged), 401, AUTHENTICATION_FAILED_BODY).await;
    }
}

#[actix_web::test]
async fn unknown_app_is_403() {
    let other_app = after_send().sdk_app_id(1_400_000_009);
    assert_answer(post(&other_app), 403, UNKNOWN_APP_BODY).await;
}

#[actix_web::test]
async fn body_over_the_configured_limit_is_413() {
    let padded = after_send().oversized(LIMIT + 1);
    // Refused on its Content-Length.
    assert_answer(post(&padded), 413, TOO_LARGE_BODY).await;
    // Refused while reading, when the Content-Length understates the body.
    let understated = post(&padded).insert_header((CONTENT_LENGTH, "10"));
    assert_answer(understated, 413, TOO_LARGE_BODY).await;
    // Far above actix-web's own 256 KiB default, when the configuration allows it: the
    // body is read whole and delivered.
    let big = test_util::doc_config().body_limit(1024 * 1024);
    let app = App::new()
        .app_data(big.build().unwrap())
        .route("/webhook", web::post().to(any_event));
    let padded = after_send().oversized(512 * 1024);
    let (status, body, _) = send(app, post(&padded)).await;
    assert_eq!(
        (status, body.as_str()),
        (200, handled_after_send(DOC_SDK_APP_ID).as_str())
    );
}

#[actix_web::test]
async fn the_query_is_authenticated_before_the_body_is_read() {
    let forged =
        signed_raw(AFTER_SEND_CMD, "x".repeat(LIMIT * 4)).signed("another token", DOC_REQUEST_TIME);
    assert_answer(post(&forged), 401, AUTHENTICATION_FAILED_BODY).await;
}

#[actix_web::test]
async fn missing_config_is_500() {
    let app = App::new().route("/webhook", web::post().to(any_event));
    let (status, body, content_type) = send(app, post(&after_send())).await;
    assert_eq!(
        (status, body.as_str(), content_type.as_str()),
        (500, NOT_CONFIGURED_BODY, "application/json")
    );
}

#[actix_web::test]
async fn config_is_found_as_plain_app_data_or_web_data() {
    let expected = handled_after_send(DOC_SDK_APP_ID);
    let plain = app_with(any_event);
    let (status, body, _) = send(plain, post(&after_send())).await;
    assert_eq!((status, body.as_str()), (200, expected.as_str()));

    let data = App::new()
        .app_data(web::Data::new(config()))
        .route("/webhook", web::post().to(any_event));
    let (status, body, _) = send(data, post(&after_send())).await;
    assert_eq!((status, body.as_str()), (200, expected.as_str()));

    // On the resource rather than the app.
    let resource = App::new().service(
        web::resource("/webhook")
            .app_data(web::Data::new(config()))
            .route(web::post().to(any_event)),
    );
    let (status, body, _) = send(resource, post(&after_send())).await;
    assert_eq!((status, body.as_str()), (200, expected.as_str()));
}

/// A resource's own configuration beats the app's, for the extractor and for
/// `handle` alike.
#[actix_web::test]
async fn a_resource_configuration_overrides_the_app_one() {
    // An unsigned app that only the resources with their own configuration know.
    let other_app = 1_400_000_001;
    let other_config = WebhookConfig::builder().unsigned_app(other_app).build();
    let other_config = other_config.unwrap();
    let recorder = Recorder::new();
    let app = || {
        let handler = handle(recorder.clone());
        App::new()
            .app_data(config())
            .route("/webhook", web::post().to(any_event))
            .service(
                web::resource("/other")
                    .app_data(other_config.clone())
                    .route(web::post().to(any_event)),
            )
            .service(
                web::resource("/handler")
                    .app_data(other_config.clone())
                    .route(web::post().to(handler)),
            )
    };
    let other = after_send().unsigned().sdk_app_id(other_app);
    for (path, request, status, body) in [
        ("/other", &other, 200, handled_after_send(other_app)),
        ("/handler", &other, 200, OK_BODY.to_owned()),
        (
            "/webhook",
            &after_send(),
            200,
            handled_after_send(DOC_SDK_APP_ID),
        ),
        ("/other", &after_send(), 403, UNKNOWN_APP_BODY.to_owned()),
        ("/handler", &after_send(), 403, UNKNOWN_APP_BODY.to_owned()),
        ("/webhook", &other, 403, UNKNOWN_APP_BODY.to_owned()),
    ] {
        let (got_status, got_body, _) = send(app(), post_to(path, request)).await;
        assert_eq!((got_status, got_body), (status, body), "{path} {request:?}");
    }
    // Only the other app's request reached the handler.
    assert_eq!(
        recorder.commands(),
        [CallbackCommand::OfficialAccountAfterSendMsg]
    );
}

#[actix_web::test]
async fn replies_are_written_as_the_core_answers() {
    async fn refuse(_: Callback<BeforeSendMsg>) -> Reply<BeforeSendMsgReply> {
        Reply(BeforeSendMsgReply::Refuse)
    }
    async fn ok(_: Callback<AfterSendMsg>) -> Reply<Answer> {
        Reply(Answer::ok())
    }
    let app = app_with(refuse);
    let (status, body, content_type) = send(
        app,
        post(
            &test_util::sample("official_channel/before_send_msg")
                .unwrap()
                .doc_request(),
        ),
    )
    .await;
    assert_eq!(
        (status, body.as_str(), content_type.as_str()),
        (200, REFUSED_BODY, "application/json")
    );
    let app = app_with(ok);
    let (status, body, content_type) = send(app, post(&after_send())).await;
    assert_eq!(
        (status, body.as_str(), content_type.as_str()),
        (200, OK_BODY, "application/json")
    );
}

/// A handler that takes what did not reach it: what it was, whether it is acknowledged,
/// and the answer the core gives it.
async fn not_delivered(
    callback: Result<Callback<AfterSendMsg>, Reply<NotDelivered>>,
) -> HttpResponse {
    HttpResponse::Ok().body(match callback {
        Ok(callback) => format!("delivered {}", callback.event.msg_key),
        Err(Reply(not)) => format!("{not:?} {} {:?}", not.is_acknowledged(), Answer::from(&not)),
    })
}

#[actix_web::test]
async fn a_handler_can_take_what_was_not_delivered() {
    let app = test::init_service(app_with(not_delivered)).await;
    let call = async |request: &WebhookRequest| {
        let req = post(request).to_request();
        String::from_utf8(test::call_and_read_body(&app, req).await.to_vec()).unwrap()
    };
    let delivered = call(&after_send()).await;
    assert_eq!(delivered, "delivered 71_1_1698741698");

    // Acknowledged as another command: the answer the core gives it is OK.
    let before_send = test_util::sample("official_channel/before_send_msg")
        .unwrap()
        .doc_request();
    let other_command = call(&before_send).await;
    let (what, answer) = other_command.split_once(" true ").unwrap();
    assert_eq!(what, "OtherCommand(OfficialAccountBeforeSendMsg)");
    assert_eq!(answer, format!("{:?}", Answer::ok()));
    let probe = call(&signed_raw(AFTER_SEND_CMD, "{}")).await;
    assert_eq!(probe.split_once(" true "), Some(("Probe", answer)));

    // Refused: the answer is the rejection's.
    let forged = call(&after_send().wrong_sign()).await;
    let (what, answer) = forged.split_once(" false ").unwrap();
    assert_eq!(what, "Rejected(Unauthenticated(SignMismatch))");
    let refused = Answer::from(Rejection::Unauthenticated(AuthFailure::SignMismatch));
    assert_eq!(answer, format!("{refused:?}"));
}

#[actix_web::test]
async fn handle_dispatches_every_command() {
    let recorder = Recorder::new();
    let handler = handle(recorder.clone());
    let app = test::init_service(
        App::new()
            .app_data(config())
            .service(web::resource("/webhook").route(web::post().to(handler))),
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

    // Every command reaches it: the before-webhooks are refused.
    for sample in test_util::samples() {
        let expected = Recorder::answer_body(&sample.callback_command());
        assert_eq!(
            call(post(&sample.doc_request())).await,
            (200, expected.to_owned()),
            "{}",
            sample.name
        );
    }
    assert_eq!(recorder.commands(), CallbackCommand::ALL);
    let handled = CallbackCommand::ALL.len();
    // Acknowledged without the handler: the probe.
    assert_eq!(
        call(post(&signed_raw(AFTER_SEND_CMD, "{}"))).await,
        (200, OK_BODY.to_owned())
    );
    // Rejected without the handler.
    let forged = after_send().signed("another token", DOC_REQUEST_TIME);
    assert_eq!(
        call(post(&forged)).await,
        (401, AUTHENTICATION_FAILED_BODY.to_owned())
    );
    // Other methods are actix-web's 405.
    let get = TestRequest::get().uri(&after_send().path_and_query("/webhook"));
    assert_eq!(call(get).await.0, 405);

    assert_eq!(recorder.deliveries().len(), handled);
}

#[actix_web::test]
async fn handle_without_config_is_500() {
    let recorder = Recorder::new();
    let handler = handle(recorder.clone());
    let app = App::new().route("/webhook", web::post().to(handler));
    let (status, body, content_type) = send(app, post(&after_send())).await;
    assert_eq!(
        (status, body.as_str(), content_type.as_str()),
        (500, NOT_CONFIGURED_BODY, "application/json")
    );
    assert!(recorder.deliveries().is_empty());
}

/// A payload that fails after its first chunk, like a connection reset mid-upload: the
/// answer is 400 malformed body, and the handler never sees a partial body.
#[actix_web::test]
async fn a_payload_that_fails_mid_body_is_malformed_and_reaches_no_handler() {
    use std::pin::Pin;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use actix_web::error::PayloadError;

    static CALLS: AtomicUsize = AtomicUsize::new(0);
    async fn counted(_: Callback<OfficialChannelEvent>) -> HttpResponse {
        CALLS.fetch_add(1, Ordering::SeqCst);
        HttpResponse::Ok().finish()
    }

    let sample = after_send();
    let body = sample.body();
    let chunks: Vec<Result<Bytes, PayloadError>> = vec![
        Ok(body.slice(..body.len() / 2)),
        Err(PayloadError::Incomplete(Some(
            std::io::ErrorKind::ConnectionReset.into(),
        ))),
    ];
    let stream: Pin<Box<dyn futures_util::Stream<Item = Result<Bytes, PayloadError>>>> =
        Box::pin(futures_util::stream::iter(chunks));
    let (request, _) = TestRequest::post()
        .uri(&sample.path_and_query("/webhook"))
        .insert_header((CONTENT_LENGTH, body.len()))
        .to_request()
        .replace_payload(actix_web::dev::Payload::Stream { payload: stream });

    let app = test::init_service(app_with(counted)).await;
    let res = test::call_service(&app, request).await;
    assert_eq!(res.status().as_u16(), 400);
    let answer = test::read_body(res).await;
    assert_eq!(
        answer,
        malformed_body_body("the body could not be read to its end").as_bytes()
    );
    assert_eq!(CALLS.load(Ordering::SeqCst), 0);
}

/// A body still arriving at the body read timeout is answered 408 then, and the handler
/// never runs; one that arrives slowly but whole within it is delivered. (Tokio's clock
/// is paused: it jumps to each timer, so the test takes no real time and its instants
/// are exact to the timer's millisecond.)
#[actix_web::test]
async fn a_body_still_arriving_at_the_read_timeout_is_408() {
    use std::pin::Pin;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    use actix_web::dev::Payload;
    use actix_web::error::PayloadError;
    use tokio::time::{Instant, sleep};

    static CALLS: AtomicUsize = AtomicUsize::new(0);
    async fn counted(_: Callback<AfterSendMsg>) -> HttpResponse {
        CALLS.fetch_add(1, Ordering::SeqCst);
        HttpResponse::Ok().finish()
    }

    /// The sample's body, one byte every `every`, as a slow or hostile client sends it.
    fn trickle(body: Bytes, every: Duration) -> Payload {
        let bytes = futures_util::stream::unfold(body, move |mut left| async move {
            if left.is_empty() {
                return None;
            }
            sleep(every).await;
            let byte = left.split_to(1);
            Some((Ok::<_, PayloadError>(byte), left))
        });
        let payload: Pin<Box<dyn futures_util::Stream<Item = Result<Bytes, PayloadError>>>> =
            Box::pin(bytes);
        Payload::Stream { payload }
    }

    tokio::time::pause();
    let timeout = Duration::from_secs(2);
    let config = test_util::doc_config()
        .body_read_timeout(timeout)
        .build()
        .unwrap();
    let app = App::new()
        .app_data(config)
        .route("/webhook", web::post().to(counted));
    let app = test::init_service(app).await;
    let sample = after_send();
    let body = sample.body();
    let request = |every| {
        TestRequest::post()
            .uri(&sample.path_and_query("/webhook"))
            .insert_header((CONTENT_LENGTH, body.len()))
            .to_request()
            .replace_payload(trickle(body.clone(), every))
            .0
    };

    // One byte a second: the sample would take minutes.
    let started = Instant::now();
    let res = test::call_service(&app, request(Duration::from_secs(1))).await;
    assert_eq!(res.status().as_u16(), 408);
    assert_eq!(test::read_body(res).await, TIMED_OUT_BODY.as_bytes());
    // At the timeout, to the timer's millisecond.
    let elapsed = started.elapsed();
    assert!(
        elapsed >= timeout && elapsed <= timeout + Duration::from_millis(2),
        "{elapsed:?}"
    );
    assert_eq!(CALLS.load(Ordering::SeqCst), 0);

    // The timeout bounds the whole body, not the wait for each byte: one byte every
    // millisecond is delivered as long as the last one comes within it.
    let every = Duration::from_millis(1);
    assert!(every * u32::try_from(body.len()).unwrap() < timeout);
    let started = Instant::now();
    let res = test::call_service(&app, request(every)).await;
    assert_eq!(res.status().as_u16(), 200);
    assert!(started.elapsed() >= every * u32::try_from(body.len()).unwrap());
    assert_eq!(CALLS.load(Ordering::SeqCst), 1);
}

/// The rejection's `Debug` and `Display`, and its answer, never show the token or a
/// valid signature, whatever the rejection.
#[actix_web::test]
async fn rejections_never_show_the_token_or_a_valid_signature() {
    use actix_web::ResponseError;

    let valid = tencent_chat_webhook_actix::request::sign(DOC_TOKEN, DOC_REQUEST_TIME);
    let uri = after_send().path_and_query("/webhook");
    let uris = [
        after_send().stale(112).path_and_query("/webhook"),
        after_send()
            .malformed_request_time("%2B1669872112")
            .path_and_query("/webhook"),
        after_send().sdk_app_id(7).path_and_query("/webhook"),
        format!("{uri}&Sign={valid}"),
        uri.replace(&valid, &valid[..63]),
        after_send().wrong_sign().path_and_query("/webhook"),
    ];
    // Refused by the query, before the body is read; then a valid query (it holds the
    // valid `Sign`) refused by its body.
    let sample = after_send().body();
    let mut requests: Vec<(String, Bytes)> =
        uris.into_iter().map(|u| (u, sample.clone())).collect();
    let mismatch = r#"{"CallbackCommand":"OfficialAccount.CallbackBeforeSendMsg"}"#;
    for body in ["not json", "[]", mismatch] {
        requests.push((uri.clone(), Bytes::from(body)));
    }
    for (uri, body) in requests {
        let (req, mut payload) = raw_post(&uri, body).app_data(config()).to_http_parts();
        let rejection = Callback::<OfficialChannelEvent>::from_request(&req, &mut payload)
            .await
            .unwrap_err();
        let response = rejection.error_response();
        let written = test::read_body(ServiceResponse::new(req, response)).await;
        let shown = format!(
            "{rejection:?} {rejection} {:?} {}",
            Answer::from(&rejection.0),
            String::from_utf8_lossy(&written)
        )
        .to_ascii_lowercase();
        assert!(!shown.contains(DOC_TOKEN), "{shown}");
        assert!(!shown.contains(&valid), "{shown}");
    }
}
