//! What both benchmarks measure: the bodies, and the documented app with its signed query
//! string, built by the crate's test kit.

use tencent_chat_webhook::WebhookConfig;
use tencent_chat_webhook::config::Clock;
use tencent_chat_webhook::test_util::{self, DOC_REQUEST_TIME, DOC_SDK_APP_ID, DOC_TOKEN};

/// The documented `CallbackAfterSendMsg` sample, an image message, and a merged-forward
/// message near the 12 KB limit of its inline `MsgList`.
pub(crate) const BODIES: [(&str, &str); 3] = [
    (
        "after_send_msg",
        include_str!("../../tests/fixtures/official_channel/after_send_msg.json"),
    ),
    (
        "after_send_msg_image",
        include_str!("../../tests/fixtures/bench_after_send_msg_image.json"),
    ),
    (
        "after_send_msg_relay_12k",
        include_str!("../../tests/fixtures/bench_after_send_msg_relay_12k.json"),
    ),
];

/// The documented app and token, with the clock standing still at the signing time.
pub(crate) fn config() -> WebhookConfig {
    WebhookConfig::builder()
        .app(DOC_SDK_APP_ID, [DOC_TOKEN])
        .clock(Clock::fixed(DOC_REQUEST_TIME))
        .build()
        .expect("a valid config")
}

/// The query string Tencent sends for an after-send webhook, signed for [`config`].
pub(crate) fn query() -> String {
    test_util::sample("after_send_msg")
        .expect("a documented sample")
        .request(DOC_SDK_APP_ID)
        .client_ip("127.0.0.1")
        .opt_platform("RESTAPI")
        .signed(DOC_TOKEN, DOC_REQUEST_TIME)
        .query()
}
