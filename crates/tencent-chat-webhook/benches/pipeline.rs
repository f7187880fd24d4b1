//! The core's full path (query parse, token authentication, typed decode) and its body
//! half alone, for each body side by side with a generic `serde_json::Value` parse of the
//! same bytes (the baseline) and with a bare `serde_json` decode into the same typed
//! event (the least any typed receiver does); then authentication alone, and its two
//! halves.
//!
//! `cargo bench -p tencent-chat-webhook --bench pipeline`

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use tencent_chat_webhook::official_channel::AfterSendMsg;
use tencent_chat_webhook::request::{Bytes, CallbackQuery};

mod support;

use support::{BODIES, config, query};

fn full_path_vs_value(c: &mut Criterion) {
    let config = config();
    let query = query();
    let authenticated = config.authenticate(Some(&query), None).unwrap();
    for (name, body) in BODIES {
        let body = Bytes::from_static(body.as_bytes());
        let mut group = c.benchmark_group(name);
        group.bench_function("full_path", |b| {
            b.iter(|| {
                config
                    .receive::<AfterSendMsg>(Some(black_box(&query)), black_box(body.clone()))
                    .unwrap()
            })
        });
        group.bench_function("decode", |b| {
            b.iter(|| {
                black_box(authenticated.clone())
                    .decode::<AfterSendMsg>(Ok(black_box(body.clone())))
                    .unwrap()
            })
        });
        group.bench_function("serde_json_value", |b| {
            b.iter(|| serde_json::from_slice::<serde_json::Value>(black_box(&body)).unwrap())
        });
        group.bench_function("serde_json_typed", |b| {
            b.iter(|| serde_json::from_slice::<AfterSendMsg>(black_box(&body)).unwrap())
        });
        group.finish();
    }
}

fn authentication(c: &mut Criterion) {
    let config = config();
    let query = query();
    let parsed = CallbackQuery::parse(&query).unwrap();
    let mut group = c.benchmark_group("authentication");
    group.bench_function("authenticate", |b| {
        b.iter(|| config.authenticate(Some(black_box(&query)), None).unwrap())
    });
    group.bench_function("query_parse", |b| {
        b.iter(|| CallbackQuery::parse(black_box(&query)).unwrap())
    });
    group.bench_function("sign_check", |b| {
        b.iter(|| config.check(black_box(&parsed)).unwrap())
    });
    group.finish();
}

criterion_group!(benches, full_path_vs_value, authentication);
criterion_main!(benches);
