//! The core's full path (query parse, token authentication, typed decode) side by
//! side with a generic `serde_json::Value` parse of the same bytes.
//!
//! `cargo bench -p tencent-chat-webhook --bench pipeline`

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use tencent_chat_webhook::official_channel::AfterSendMsg;
use tencent_chat_webhook::{Bytes, Clock, WebhookConfig, sign};

const AFTER_SEND: &str = include_str!("../tests/fixtures/after_send_msg.json");
const TIME: u64 = 1_669_872_112;

fn after_send_msg(c: &mut Criterion) {
    let config = WebhookConfig::builder()
        .app(1400000000, ["xxxxyyyy"])
        .clock(Clock::fixed(TIME))
        .build()
        .unwrap();
    let query = format!(
        "SdkAppid=1400000000&CallbackCommand=OfficialAccount.CallbackAfterSendMsg&contenttype=json\
         &ClientIP=127.0.0.1&OptPlatform=RESTAPI&Sign={}&RequestTime={TIME}",
        sign("xxxxyyyy", TIME)
    );
    let body = Bytes::from_static(AFTER_SEND.as_bytes());

    let mut group = c.benchmark_group("after_send_msg");
    group.bench_function("full_path", |b| {
        b.iter(|| {
            config
                .receive::<AfterSendMsg>(Some(black_box(&query)), black_box(body.clone()))
                .unwrap()
        })
    });
    group.bench_function("serde_json_value", |b| {
        b.iter(|| serde_json::from_slice::<serde_json::Value>(black_box(&body)).unwrap())
    });
    group.bench_function("authenticate", |b| {
        b.iter(|| config.authenticate(Some(black_box(&query))).unwrap())
    });
    group.finish();
}

criterion_group!(benches, after_send_msg);
criterion_main!(benches);
