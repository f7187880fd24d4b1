//! The built `tcwebhook` binary, against a webhook service written with the axum adapter
//! (as the example services are), served in-process on `127.0.0.1:0`.

use std::net::SocketAddr;
use std::process::{Command, Output};

use axum::Router;
use axum::routing::post;
use tencent_chat_webhook::test_util;
use tencent_chat_webhook_axum::official_channel::{BeforeSendMsgReply, OfficialChannelEvent};
use tencent_chat_webhook_axum::{
    Answer, Callback, CallbackCommand, Reply, WebhookConfig, WebhookEvent,
};

const TOKEN: &str = "xxxxyyyy";
const APP: &str = "1400000000";

fn tcwebhook(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tcwebhook"))
        .args(args)
        .output()
        .expect("tcwebhook runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("UTF-8 output")
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("UTF-8 output")
}

/// What the example services answer, with case-sensitive matching: a `BeforeSendMsg`
/// whose text contains a blocked word is refused, any other allowed, and every other event
/// acknowledged.
fn answer(event: &WebhookEvent, blocked_words: &[&str]) -> Answer {
    match event {
        WebhookEvent::OfficialChannel(OfficialChannelEvent::BeforeSendMsg(msg)) => {
            if msg
                .texts()
                .any(|text| blocked_words.iter().any(|word| text.contains(word)))
            {
                BeforeSendMsgReply::Refuse.into()
            } else {
                BeforeSendMsgReply::allow().into()
            }
        }
        _ => Answer::ok(),
    }
}

/// A webhook service with token `xxxxyyyy`, on its own thread for the rest of the test.
fn serve(blocked_words: &[&'static str]) -> String {
    let config = WebhookConfig::builder()
        .app(1_400_000_000, [TOKEN])
        .build()
        .expect("a valid configuration");
    let blocked_words = blocked_words.to_vec();
    let webhook = move |Callback(delivery): Callback<WebhookEvent>| {
        let reply = Reply(answer(&delivery.event, &blocked_words));
        async move { reply }
    };
    let app = Router::new()
        .route("/webhook", post(webhook))
        .with_state(config);
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    listener.set_nonblocking(true).expect("non-blocking");
    let addr: SocketAddr = listener.local_addr().expect("an address");
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("a runtime");
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).expect("a listener");
            axum::serve(listener, app).await.expect("serves");
        });
    });
    format!("http://{addr}/webhook")
}

#[test]
fn sign_prints_the_documented_vector() {
    let output = tcwebhook(&["sign", "--token", "xxxxyyyy", "--time", "1669872112"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        stdout(&output),
        "Sign=17773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d484061\n\
         RequestTime=1669872112\n"
    );
}

#[test]
fn sign_defaults_to_now() {
    let output = tcwebhook(&["sign", "--token", "t"]);
    let out = stdout(&output);
    let time: u64 = out
        .lines()
        .find_map(|line| line.strip_prefix("RequestTime="))
        .expect("a RequestTime line")
        .parse()
        .expect("a number");
    assert!(time > 1_669_872_112);
    assert!(out.starts_with(&format!(
        "Sign={}\n",
        tencent_chat_webhook::request::sign("t", time)
    )));
}

#[test]
fn samples_lists_every_command() {
    let output = tcwebhook(&["samples"]);
    assert!(output.status.success());
    let out = stdout(&output);
    let lines: Vec<_> = out.lines().collect();
    assert_eq!(lines.len(), CallbackCommand::ALL.len());
    for (line, sample) in lines.iter().zip(test_util::samples()) {
        let fields: Vec<_> = line.split_whitespace().collect();
        assert_eq!(fields, [sample.name, sample.command]);
    }
}

#[test]
fn send_delivers_every_sample_to_an_axum_service() {
    let url = serve(&[]);
    for sample in test_util::samples() {
        let output = tcwebhook(&[
            "send",
            "--url",
            &url,
            "--sdkappid",
            APP,
            "--token",
            TOKEN,
            "--sample",
            sample.name,
        ]);
        assert!(
            output.status.success(),
            "{}: {}",
            sample.name,
            stderr(&output)
        );
        assert_eq!(
            stdout(&output),
            "200 OK\n{\"ActionStatus\":\"OK\",\"ErrorCode\":0,\"ErrorInfo\":\"\"}\n",
            "{}",
            sample.name
        );
    }
}

#[test]
fn send_shows_a_before_webhook_verdict_and_sends_files() {
    let url = serve(&["red packet"]);
    let output = tcwebhook(&[
        "send",
        "--url",
        &url,
        "--sdkappid",
        APP,
        "--token",
        TOKEN,
        "--sample",
        "official_channel/before_send_msg",
    ]);
    // The verdict is a refusal, but the answer is OK: the service did its job.
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        stdout(&output),
        "200 OK\n{\"ActionStatus\":\"OK\",\"ErrorCode\":1,\"ErrorInfo\":\"\"}\n"
    );

    let file = std::env::temp_dir().join(format!("tcwebhook-{}.json", std::process::id()));
    std::fs::write(
        &file,
        r#"{"CallbackCommand":"Group.CallbackAfterMemberKicked","GroupId":"@TGS#1"}"#,
    )
    .expect("a temporary file");
    let output = tcwebhook(&[
        "send",
        "--url",
        &url,
        "--sdkappid",
        APP,
        "--token",
        TOKEN,
        "--file",
        file.to_str().expect("a UTF-8 path"),
    ]);
    std::fs::remove_file(&file).ok();
    assert!(output.status.success(), "{}", stderr(&output));
}

#[test]
fn send_fails_when_the_answer_is_not_ok() {
    let url = serve(&[]);
    let output = tcwebhook(&[
        "send",
        "--url",
        &url,
        "--sdkappid",
        APP,
        "--token",
        "wrong",
        "--sample",
        "official_channel/after_send_msg",
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stdout(&output),
        "401 Unauthorized\n{\"ActionStatus\":\"FAIL\",\"ErrorCode\":40101,\"ErrorInfo\":\"authentication failed\"}\n"
    );
    assert_eq!(
        stderr(&output),
        "tcwebhook: the answer is not OK: HTTP 401, ActionStatus FAIL, ErrorCode 40101\n"
    );

    let output = tcwebhook(&[
        "send",
        "--url",
        &url,
        "--sdkappid",
        APP,
        "--token",
        TOKEN,
        "--sample",
        "official_channel/after_send_msg",
        "--command",
        "OfficialAccount.CallbackBeforeSendMsg",
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).starts_with("400 Bad Request\n"));
}

#[test]
fn errors_are_one_line() {
    let output = tcwebhook(&[
        "send",
        "--url",
        "http://127.0.0.1:1/webhook",
        "--sdkappid",
        APP,
        "--sample",
        "nope",
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        "tcwebhook: no sample named \"nope\" (see `tcwebhook samples`)\n"
    );

    let output = tcwebhook(&[
        "send",
        "--url",
        "http://127.0.0.1:1/webhook",
        "--sdkappid",
        APP,
        "--sample",
        "official_channel/after_send_msg",
    ]);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(
        err.starts_with("tcwebhook: cannot send to http://127.0.0.1:1/webhook: "),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");

    let output = tcwebhook(&[
        "send",
        "--url",
        "http://127.0.0.1:1/webhook",
        "--sdkappid",
        APP,
        "--file",
        "/nonexistent.json",
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).starts_with("tcwebhook: cannot read /nonexistent.json: "));

    // Usage errors are clap's, with exit code 2.
    let output = tcwebhook(&["send", "--url", "x", "--sdkappid", APP]);
    assert_eq!(output.status.code(), Some(2));
}
