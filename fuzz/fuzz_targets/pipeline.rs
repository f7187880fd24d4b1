//! The whole pipeline: the input is a query string, a newline, and a body.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tencent_chat_webhook::official_channel::{AfterSendMsg, OfficialChannelEvent};

fuzz_target!(|data: &[u8]| {
    let (query, body) = match data.iter().position(|&b| b == b'\n') {
        Some(newline) => (&data[..newline], &data[newline + 1..]),
        None => (data, &[][..]),
    };
    // The frameworks hand the adapters the query as `&str`.
    let query = String::from_utf8_lossy(query);
    thread_local! {
        static CONFIG: tencent_chat_webhook::WebhookConfig = tencent_chat_webhook_fuzz::config();
    }
    CONFIG.with(|config| {
        tencent_chat_webhook_fuzz::receive::<OfficialChannelEvent>(config, &query, body);
        tencent_chat_webhook_fuzz::receive::<AfterSendMsg>(config, &query, body);
    });
});
