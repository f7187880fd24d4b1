//! What every fuzz target checks: the pipeline never panics, and every outcome is
//! one of the documented answers.

use tencent_chat_webhook::official_channel::{
    AfterAddSubscriber, AfterCreateOfficialAccount, AfterDeleteSubscriber, AfterMsgWithDraw,
    AfterOfficialAccountDestroyed, AfterOfficialAccountFull, AfterOfficialAccountInfoChanged,
    AfterSendMsg, BeforeAddSubscriber, BeforeCreateOfficialAccount, BeforeSendMsg,
    OfficialChannelEvent,
};
use tencent_chat_webhook::{
    Answer, Bytes, CallbackCommand, Clock, Envelope, Event, NotDelivered, WebhookConfig,
};

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
pub fn check<E>(outcome: &Result<tencent_chat_webhook::Delivery<E>, NotDelivered>) {
    let answer = match outcome {
        Ok(_) => Answer::ok(),
        Err(not_delivered) => Answer::from(not_delivered),
    };
    let envelope: Envelope =
        serde_json::from_slice(answer.body()).expect("every answer is an envelope");
    match outcome {
        Ok(_) | Err(NotDelivered::Acknowledged(_)) => {
            assert_eq!(answer.status(), 200);
            assert!(envelope.is_ok());
        }
        Err(NotDelivered::Rejected(rejection)) => {
            assert!([400, 401, 403, 413].contains(&answer.status().as_u16()));
            assert_eq!(envelope.action_status, "FAIL");
            assert_eq!(envelope.error_code, rejection.error_code());
            // Display and Debug of every rejection work.
            let _ = format!("{rejection} {rejection:?}");
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

/// Decodes `body` as every event type, each under its own command, and as the enum.
pub fn decode_every_event(config: &WebhookConfig, command: &CallbackCommand, body: &[u8]) {
    let query = unsigned_query(command);
    receive::<OfficialChannelEvent>(config, &query, body);
    receive::<BeforeCreateOfficialAccount>(config, &query, body);
    receive::<AfterCreateOfficialAccount>(config, &query, body);
    receive::<AfterOfficialAccountInfoChanged>(config, &query, body);
    receive::<AfterOfficialAccountDestroyed>(config, &query, body);
    receive::<BeforeAddSubscriber>(config, &query, body);
    receive::<AfterAddSubscriber>(config, &query, body);
    receive::<AfterOfficialAccountFull>(config, &query, body);
    receive::<AfterDeleteSubscriber>(config, &query, body);
    receive::<BeforeSendMsg>(config, &query, body);
    receive::<AfterSendMsg>(config, &query, body);
    receive::<AfterMsgWithDraw>(config, &query, body);
}
