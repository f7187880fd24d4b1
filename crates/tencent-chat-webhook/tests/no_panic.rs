//! No query string, no body and no `X-Forwarded-For` makes the pipeline panic, and every
//! outcome is one of the documented answers.

use proptest::prelude::*;
use tencent_chat_webhook::answer::NotDelivered;
use tencent_chat_webhook::config::{Clock, IpNet};
use tencent_chat_webhook::official_channel::{AfterSendMsg, OfficialChannelEvent};
use tencent_chat_webhook::pipeline::Peer;
use tencent_chat_webhook::request::{Bytes, CallbackQuery, Event, sign};
use tencent_chat_webhook::test_util::{self, Envelope, SOURCE_NOT_ALLOWED_BODY};
use tencent_chat_webhook::{Answer, WebhookConfig, WebhookEvent};

const TIME: u64 = 1_669_872_112;

const AFTER_SEND: &str = include_str!("fixtures/official_channel/after_send_msg.json");

fn config() -> WebhookConfig {
    WebhookConfig::builder()
        .app(1400000000, ["xxxxyyyy"])
        .unsigned_app(1400000001)
        .clock(Clock::fixed(TIME))
        .body_limit(64 * 1024)
        .build()
        .unwrap()
}

/// Runs the whole pipeline and checks that the answer is a documented one.
fn run<E: Event>(query: &str, body: &[u8]) {
    let outcome = config().receive::<E>(Some(query), Bytes::copy_from_slice(body));
    let answer = match outcome {
        Ok(_) => Answer::ok(),
        Err(ref not_delivered) => Answer::from(not_delivered),
    };
    let envelope: Envelope = serde_json::from_slice(answer.body()).unwrap();
    match outcome {
        Err(NotDelivered::Rejected(ref rejection)) => {
            assert!([400, 401, 403, 413].contains(&answer.status().as_u16()));
            assert_eq!(envelope.action_status, "FAIL");
            assert_eq!(envelope.error_code, rejection.error_code());
        }
        // Delivered, or acknowledged: the console's probe, another command.
        _ => {
            assert_eq!(answer.status(), 200);
            assert!(envelope.is_ok());
        }
    }
}

/// Decodes as every event (the command's own type), one family's, and one command's.
fn run_all(query: &str, body: &[u8]) {
    run::<WebhookEvent>(query, body);
    run::<OfficialChannelEvent>(query, body);
    run::<AfterSendMsg>(query, body);
}

fn signed_query(command: &str) -> String {
    format!(
        "SdkAppid=1400000000&CallbackCommand={command}&Sign={}&RequestTime={TIME}",
        sign("xxxxyyyy", TIME)
    )
}

/// Query strings made of the real parameter names with arbitrary values and noise.
fn query_strategy() -> impl Strategy<Value = String> {
    let key = prop_oneof![
        Just("SdkAppid".to_owned()),
        Just("SdkAppId".to_owned()),
        Just("CallbackCommand".to_owned()),
        Just("contenttype".to_owned()),
        Just("ClientIP".to_owned()),
        Just("OptPlatform".to_owned()),
        Just("Sign".to_owned()),
        Just("RequestTime".to_owned()),
        "[%+=&a-zA-Z0-9]{0,12}",
    ];
    let value = prop_oneof![
        Just("1400000000".to_owned()),
        Just("1400000001".to_owned()),
        Just("OfficialAccount.CallbackAfterSendMsg".to_owned()),
        Just(sign("xxxxyyyy", TIME)),
        Just(TIME.to_string()),
        "[0-9]{0,25}",
        "(%[0-9a-fA-F]{2}|[+&=a-z0-9.])*",
        any::<String>(),
    ];
    prop::collection::vec((key, value), 0..10).prop_map(|pairs| {
        pairs
            .into_iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("&")
    })
}

/// A documented sample with one byte replaced, removed or inserted: mostly almost-valid
/// JSON, with the sample's command.
fn mutated_sample() -> impl Strategy<Value = (&'static str, Vec<u8>)> {
    let samples = test_util::samples();
    (
        0..samples.len(),
        any::<prop::sample::Index>(),
        any::<u8>(),
        0..3u8,
    )
        .prop_map(move |(which, at, byte, how)| {
            let sample = &samples[which];
            let mut body = sample.body.as_bytes().to_vec();
            let at = at.index(body.len());
            match how {
                0 => body[at] = byte,
                1 => {
                    body.remove(at);
                }
                _ => body.insert(at, byte),
            }
            (sample.command, body)
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn any_query_string(query in query_strategy()) {
        let _ = CallbackQuery::parse(&query);
        run_all(&query, AFTER_SEND.as_bytes());
    }

    #[test]
    fn any_text_as_query(query in any::<String>()) {
        let _ = CallbackQuery::parse(&query);
        run_all(&query, b"{}");
    }

    #[test]
    fn any_bytes_as_body(body in prop::collection::vec(any::<u8>(), 0..512)) {
        for command in ["OfficialAccount.CallbackAfterSendMsg", "OfficialAccount.CallbackBeforeSendMsg", "C2C.CallbackAfterSendMsg"] {
            run_all(&signed_query(command), &body);
        }
    }

    #[test]
    fn mutated_samples_as_body((command, body) in mutated_sample()) {
        run_all(&signed_query(command), &body);
    }
}

/// Tencent at 203.0.113.0/24 and 2001:db8:7e::/48, behind proxies at 127.0.0.1 and
/// fd00::/8.
fn restricted() -> WebhookConfig {
    let range = |range: &str| range.parse::<IpNet>().unwrap();
    WebhookConfig::builder()
        .app(1400000000, ["xxxxyyyy"])
        .allowed_sources([range("203.0.113.0/24"), range("2001:db8:7e::/48")])
        .trusted_proxies([range("127.0.0.1/32"), range("fd00::/8")])
        .build()
        .unwrap()
}

/// `X-Forwarded-For` values: lists of addresses of every kind, ports, brackets, noise.
fn forwarded_for_strategy() -> impl Strategy<Value = Vec<Vec<u8>>> {
    let hop = prop_oneof![
        Just("203.0.113.9".to_owned()),
        Just("127.0.0.1".to_owned()),
        Just("fd00::1".to_owned()),
        Just("[2001:db8:7e::1]:443".to_owned()),
        Just("::ffff:203.0.113.9".to_owned()),
        any::<std::net::IpAddr>().prop_map(|ip| ip.to_string()),
        r"[ \t]{0,2}[0-9a-fA-F:.\[\]%]{0,40}[ \t]{0,2}",
        any::<String>(),
    ];
    let value = prop_oneof![
        prop::collection::vec(hop, 0..6).prop_map(|hops| hops.join(",").into_bytes()),
        prop::collection::vec(any::<u8>(), 0..64),
    ];
    prop::collection::vec(value, 0..4)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Whatever a peer sends as `X-Forwarded-For`, the check answers, and only with a
    /// client in an allowed range or the documented 403.
    #[test]
    fn any_forwarded_for(
        peer in prop_oneof![
            Just("127.0.0.1".parse::<std::net::IpAddr>().unwrap()),
            Just("fd00::1".parse().unwrap()),
            Just("203.0.113.9".parse().unwrap()),
            any::<std::net::IpAddr>(),
        ],
        values in forwarded_for_strategy(),
    ) {
        let config = restricted();
        let outcome = config.check_source(Peer::Known(peer), values.iter().map(Vec::as_slice));
        match outcome {
            Ok(Some(client)) => {
                let allowed = config.allowed_sources().unwrap();
                prop_assert!(allowed.iter().any(|range| range.contains(&client)), "{client}");
            }
            Ok(None) => prop_assert!(false, "sources are restricted"),
            Err(rejection) => {
                let answer = Answer::from(&rejection);
                prop_assert_eq!(answer.status().as_u16(), 403);
                prop_assert_eq!(&answer.body()[..], SOURCE_NOT_ALLOWED_BODY.as_bytes());
            }
        }
    }
}

#[test]
fn deeply_nested_bodies_are_rejected_not_overflowed() {
    let nested = format!(
        r#"{{"CallbackCommand":"OfficialAccount.CallbackAfterSendMsg","x":{}{}}}"#,
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let config = WebhookConfig::builder()
        .unsigned_app(1)
        .body_limit(1 << 20)
        .build()
        .unwrap();
    let outcome = config.receive::<AfterSendMsg>(
        Some("SdkAppid=1&CallbackCommand=OfficialAccount.CallbackAfterSendMsg"),
        Bytes::from(nested),
    );
    assert!(
        matches!(outcome, Err(NotDelivered::Rejected(ref r)) if r.status() == 400),
        "{outcome:?}"
    );
}
