//! What every fuzz target checks: the pipeline never panics, and every outcome is
//! one of the documented answers.

use tencent_chat_webhook::answer::NotDelivered;
use tencent_chat_webhook::config::Clock;
use tencent_chat_webhook::official_channel::{AfterSendMsg, OfficialChannelEvent};
use tencent_chat_webhook::request::{Bytes, Event};
use tencent_chat_webhook::{Answer, CallbackCommand, Delivery, WebhookConfig, WebhookEvent};

/// The time of the fixed clock.
pub const NOW: u64 = 1_669_872_112;
/// A signed app (token `xxxxyyyy`).
pub const SIGNED_APP: u64 = 1_400_000_000;
/// An app without token authentication, so that any body reaches the decoder.
pub const UNSIGNED_APP: u64 = 1_400_000_001;

/// The configuration of every target.
pub fn config() -> WebhookConfig {
    WebhookConfig::builder()
        .app(SIGNED_APP, ["xxxxyyyy", "rotated"])
        .unsigned_app(UNSIGNED_APP)
        .clock(Clock::fixed(NOW))
        .body_limit(1 << 20)
        .build()
        .expect("a valid configuration")
}

/// Checks that `outcome` is answered with a documented status and envelope.
pub fn check<E>(outcome: &Result<Delivery<E>, NotDelivered>) {
    let answer = match outcome {
        Ok(_) => Answer::ok(),
        Err(not_delivered) => Answer::from(not_delivered),
    };
    let envelope: serde_json::Value =
        serde_json::from_slice(answer.body()).expect("every answer is an envelope");
    let field = |name: &str| envelope.get(name).expect("the envelope's three fields");
    match outcome {
        Err(NotDelivered::Rejected(rejection)) => {
            assert!([400, 401, 403, 413].contains(&answer.status().as_u16()));
            assert_eq!(field("ActionStatus"), "FAIL");
            assert_eq!(field("ErrorCode"), rejection.error_code());
            // What a 400 says of its cause is cut short; everything else is fixed text.
            let info = rejection.public_info();
            assert_eq!(field("ErrorInfo"), &*info);
            assert!(info.len() <= 256, "{info}");
            // Display and Debug of every rejection work.
            let _ = format!("{rejection} {rejection:?}");
        }
        // Acknowledged: the probe, another command.
        Err(not_delivered) => {
            assert!(not_delivered.is_acknowledged(), "{not_delivered}");
            assert_eq!(answer, Answer::ok());
        }
        Ok(_) => {
            assert_eq!(answer, Answer::ok());
            assert_eq!(field("ActionStatus"), "OK");
        }
    }
}

/// Runs the whole pipeline for event type `E` and checks the answer.
pub fn receive<E: Event + std::fmt::Debug>(config: &WebhookConfig, query: &str, body: &[u8]) {
    let outcome = config.receive::<E>(Some(query), Bytes::copy_from_slice(body));
    if let Ok(delivery) = &outcome {
        let _ = format!("{delivery:?}");
    }
    check(&outcome);
}

/// The query string of an unsigned request for `command`.
pub fn unsigned_query(command: &CallbackCommand) -> String {
    format!(
        "SdkAppid={UNSIGNED_APP}&CallbackCommand={}&contenttype=json&ClientIP=127.0.0.1&OptPlatform=Web",
        command.as_str()
    )
}

/// Decodes `body` under `command` as [`WebhookEvent`], which decodes it with the event
/// type of `command` (or as JSON for a command not modelled), and as a family enum and
/// one command's type, which acknowledge the commands they do not cover.
pub fn decode_every_event(config: &WebhookConfig, command: &CallbackCommand, body: &[u8]) {
    let query = unsigned_query(command);
    receive::<WebhookEvent>(config, &query, body);
    receive::<OfficialChannelEvent>(config, &query, body);
    receive::<AfterSendMsg>(config, &query, body);
}
