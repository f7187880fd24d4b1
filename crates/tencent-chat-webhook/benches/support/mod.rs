//! What both benchmarks measure: the bodies, the app and its signed query string.

use tencent_chat_webhook::{Clock, WebhookConfig, sign};

/// The signing time; the config's clock stands still at it.
const TIME: u64 = 1_669_872_112;

/// The documented `CallbackAfterSendMsg` sample, an image message, and a merged-forward
/// message near the 12 KB limit of its inline `MsgList`.
pub(crate) const BODIES: [(&str, &str); 3] = [
    (
        "after_send_msg",
        include_str!("../../tests/fixtures/after_send_msg.json"),
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

/// One signed app, with the clock at [`TIME`].
pub(crate) fn config() -> WebhookConfig {
    WebhookConfig::builder()
        .app(1400000000, ["xxxxyyyy"])
        .clock(Clock::fixed(TIME))
        .build()
        .expect("a valid config")
}

/// The query string Tencent sends for an after-send webhook, signed for [`config`].
pub(crate) fn query() -> String {
    format!(
        "SdkAppid=1400000000&CallbackCommand=OfficialAccount.CallbackAfterSendMsg&contenttype=json\
         &ClientIP=127.0.0.1&OptPlatform=RESTAPI&Sign={}&RequestTime={TIME}",
        sign("xxxxyyyy", TIME)
    )
}
