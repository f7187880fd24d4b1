//! The token, and the signature a forger would need, appear nowhere: not in `Debug` or
//! `Display` of the configuration, the query, errors or rejections, not in the answers,
//! and not in what is logged for each rejection.

mod support;

use std::fmt::Write as _;

use tencent_chat_webhook::answer::NotDelivered;
use tencent_chat_webhook::config::{Clock, ConfigError};
use tencent_chat_webhook::official_channel::AfterSendMsg;
use tencent_chat_webhook::pipeline::BodyError;
use tencent_chat_webhook::request::{Bytes, CallbackQuery, sign};
use tencent_chat_webhook::{Answer, WebhookConfig};

use crate::support::logged;

const TOKEN: &str = "s3cr3t-t0ken-never-shown";
const OLD_TOKEN: &str = "0ld-s3cr3t-being-rotated";
const NOW: u64 = 1_700_000_000;
const BODY: &str = include_str!("fixtures/official_channel/after_send_msg.json");

fn config() -> WebhookConfig {
    WebhookConfig::builder()
        .app(1400000000, [TOKEN, OLD_TOKEN])
        .clock(Clock::fixed(NOW))
        .body_limit(2048)
        .build()
        .unwrap()
}

/// Every secret a leak could show: the tokens and the signatures they make for the
/// times used below.
fn secrets() -> Vec<String> {
    let mut secrets = vec![TOKEN.to_owned(), OLD_TOKEN.to_owned()];
    for time in [NOW, NOW - 61, NOW + 61, NOW - 1] {
        for token in [TOKEN, OLD_TOKEN] {
            let signature = sign(token, time);
            secrets.push(signature.to_ascii_uppercase());
            secrets.push(signature);
        }
    }
    secrets
}

fn query(sign: Option<&str>, time: Option<&str>) -> String {
    let mut query =
        "SdkAppid=1400000000&CallbackCommand=OfficialAccount.CallbackAfterSendMsg".to_owned();
    if let Some(sign) = sign {
        write!(query, "&Sign={sign}").unwrap();
    }
    if let Some(time) = time {
        write!(query, "&RequestTime={time}").unwrap();
    }
    query
}

/// Requests that end in every kind of rejection, and every cause of a 401.
fn hostile_requests() -> Vec<(String, String)> {
    let wrong = sign("guessed-token", NOW);
    let stale = (NOW - 61).to_string();
    let ahead = (NOW + 61).to_string();
    let now = NOW.to_string();
    let good = sign(TOKEN, NOW);
    let body = BODY.to_owned();
    vec![
        (query(None, Some(&now)), body.clone()),
        (query(Some(&good), None), body.clone()),
        (query(Some(&good[..63]), Some(&now)), body.clone()),
        (query(Some(&good), Some("+1700000000")), body.clone()),
        (
            query(Some(&sign(TOKEN, NOW - 61)), Some(&stale)),
            body.clone(),
        ),
        (
            query(Some(&sign(TOKEN, NOW + 61)), Some(&ahead)),
            body.clone(),
        ),
        (query(Some(&wrong), Some(&now)), body.clone()),
        // The right signature for another time: what a replay with an edited time looks like.
        (query(Some(&sign(TOKEN, NOW - 1)), Some(&now)), body.clone()),
        (
            "SdkAppid=9&CallbackCommand=OfficialAccount.CallbackAfterSendMsg".to_owned(),
            body.clone(),
        ),
        ("SdkAppid=01&CallbackCommand=X".to_owned(), body.clone()),
        (query(Some(&good), Some(&now)), "not json".to_owned()),
        (
            query(Some(&good), Some(&now)),
            BODY.replace("CallbackAfterSendMsg", "CallbackBeforeSendMsg"),
        ),
        (query(Some(&good), Some(&now)), "x".repeat(4096)),
    ]
}

fn assert_no_secret(what: &str, text: &str) {
    for secret in secrets() {
        assert!(!text.contains(&secret), "{what} shows a secret: {text}");
    }
}

#[test]
fn no_rejection_shows_a_secret_in_any_form() {
    let config = config();
    let mut rejections = 0;
    let log = logged(|| {
        for (query, body) in hostile_requests() {
            let outcome = config.receive::<AfterSendMsg>(Some(&query), Bytes::from(body));
            let Err(NotDelivered::Rejected(rejection)) = outcome else {
                panic!("{query} was not rejected: {outcome:?}");
            };
            rejections += 1;
            let answer = Answer::from(&rejection);
            assert_no_secret("an answer", &format!("{answer:?}"));
            assert_no_secret("Display", &rejection.to_string());
            assert_no_secret("Debug", &format!("{rejection:?}"));
            if let Some(source) = std::error::Error::source(&rejection) {
                assert_no_secret("the source", &format!("{source} {source:?}"));
            }
            if let Ok(parsed) = CallbackQuery::parse(&query) {
                assert_no_secret("a query's Debug", &format!("{parsed:?}"));
            }
        }
    });
    assert_eq!(
        log.lines().count(),
        rejections,
        "one log line per rejection:\n{log}"
    );
    assert!(
        log.lines().all(|line| line.starts_with("WARN ")),
        "every rejection is logged at WARN:\n{log}"
    );
    for cause in [
        "authentication failed: Sign matches no token",
        "authentication failed: RequestTime is 61 s old",
        "unknown SdkAppid 9",
        "body larger than 2048 bytes",
    ] {
        assert!(log.contains(cause), "{cause}: {log}");
    }
    assert_no_secret("the log", &log);
}

#[test]
fn acknowledgements_are_logged_at_debug() {
    let config = config();
    let now = NOW.to_string();
    let query = query(Some(&sign(TOKEN, NOW)), Some(&now));
    let log = logged(|| {
        let probe = config.receive::<AfterSendMsg>(Some(&query), Bytes::from_static(b"{}"));
        assert_eq!(probe.unwrap_err(), NotDelivered::Probe);
    });
    assert!(log.starts_with("DEBUG "), "{log}");
    assert!(log.contains("probe"), "{log}");
    assert_eq!(log.lines().count(), 1, "{log}");
}

#[test]
fn configuration_and_its_errors_never_show_a_token() {
    let builder = WebhookConfig::builder().app(1400000000, [TOKEN, OLD_TOKEN]);
    assert_no_secret("the builder", &format!("{builder:?}"));
    let config = builder.build().unwrap();
    assert_no_secret("the config", &format!("{config:?}"));

    let too_long = TOKEN.repeat(10);
    let error = WebhookConfig::builder()
        .app(1, [too_long.as_str()])
        .build()
        .unwrap_err();
    assert_eq!(error, ConfigError::TokenTooLong { sdk_app_id: 1 });
    assert!(!error.to_string().contains(TOKEN) && !format!("{error:?}").contains(TOKEN));

    let mut accepted = None;
    let log = logged(|| {
        accepted = Some(
            config
                .authenticate(Some(&query(Some(&sign(TOKEN, 1)), Some("1"))), None)
                .map(|authenticated| format!("{authenticated:?}")),
        );
    });
    // Stale (the config uses the system clock), but the outcome must not show the secret.
    assert_no_secret("an authentication outcome", &format!("{accepted:?}"));
    assert!(log.contains("RequestTime is"), "{log}");
    assert_no_secret("the log", &log);
}

#[test]
fn a_refused_source_is_logged_at_warn_with_its_address() {
    use tencent_chat_webhook::pipeline::Peer;

    let config = WebhookConfig::builder()
        .app(1400000000, [TOKEN])
        .allowed_sources(["203.0.113.0/24"
            .parse::<tencent_chat_webhook::config::IpNet>()
            .unwrap()])
        .trusted_proxies([std::net::IpAddr::from([127, 0, 0, 1])])
        .build()
        .unwrap();
    let forwarded: &[u8] = b"198.51.100.1";
    let log = logged(|| {
        let peer = Peer::Known([192, 0, 2, 7].into());
        assert!(
            config
                .check_source(peer, std::iter::empty::<&[u8]>())
                .is_err()
        );
        let proxy = Peer::Known([127, 0, 0, 1].into());
        assert!(config.check_source(proxy, [forwarded]).is_err());
    });
    let lines: Vec<_> = log.lines().collect();
    assert_eq!(lines.len(), 2, "{log}");
    assert!(lines.iter().all(|line| line.starts_with("WARN ")), "{log}");
    assert!(
        lines[0].contains("source not allowed: 192.0.2.7 is in no allowed range")
            && lines[0].contains("error_code=40302")
            && lines[0].contains("status=403"),
        "{log}"
    );
    assert!(
        lines[1].contains("198.51.100.1, forwarded by trusted proxy 127.0.0.1"),
        "{log}"
    );

    // Served without a peer address: the service's own fault, at ERROR, with the fix.
    let log = logged(|| {
        let unknown = Peer::Unknown {
            how_to_serve: "serve the app with its peer address",
        };
        assert!(config.check_source(unknown, [forwarded]).is_err());
    });
    assert!(log.starts_with("ERROR "), "{log}");
    assert!(log.contains("serve the app with its peer address"), "{log}");
    assert_eq!(log.lines().count(), 1, "{log}");
}

#[test]
fn a_body_read_past_its_timeout_is_logged_at_warn_without_a_secret() {
    let config = config();
    let now = NOW.to_string();
    let query = query(Some(&sign(TOKEN, NOW)), Some(&now));
    let mut outcome = None;
    let log = logged(|| {
        let authenticated = config.authenticate(Some(&query), None).unwrap();
        outcome = Some(authenticated.decode::<AfterSendMsg>(Err(BodyError::TimedOut)));
    });
    let Some(Err(NotDelivered::Rejected(rejection))) = outcome else {
        panic!("not rejected: {outcome:?}");
    };
    assert_eq!(rejection.status(), 408);
    assert_eq!(log.lines().count(), 1, "{log}");
    assert!(log.starts_with("WARN "), "{log}");
    for part in [
        "body not received within 5000 ms",
        "status=408",
        "error_code=40801",
    ] {
        assert!(log.contains(part), "{part}: {log}");
    }
    assert_no_secret("the log", &log);
    assert_no_secret("Debug", &format!("{rejection:?}"));
}
