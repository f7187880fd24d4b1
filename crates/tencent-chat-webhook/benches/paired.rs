//! Paired timing of the core's full path against its baselines.
//!
//! On a shared machine the speed of a core drifts by tens of percent from one second to
//! the next, so two functions timed a few seconds apart (as criterion times them) give a
//! ratio that moves as much. Here each round times a batch of every case back to back,
//! the ratio of two cases is taken within the round, and the report gives the median
//! over rounds: a slow phase of the machine slows both sides of a ratio alike.
//!
//! ```text
//! cargo bench -p tencent-chat-webhook --bench paired                   # 41 rounds
//! cargo bench -p tencent-chat-webhook --bench paired -- --rounds 101 --batch 500
//! ```
//!
//! `--only CASE --iters N` runs one case N times and prints nothing, for an instruction
//! count under `valgrind --tool=callgrind` (cases: `--list`).

use std::hint::black_box;
use std::time::Instant;

use tencent_chat_webhook::official_channel::AfterSendMsg;
use tencent_chat_webhook::request::{Bytes, CallbackQuery};

mod support;

use support::{BODIES, config, query};

/// One timed operation: its name and a closure doing it once.
struct Case<'a> {
    name: String,
    run: Box<dyn Fn() + 'a>,
}

fn case<'a>(name: impl Into<String>, run: impl Fn() + 'a) -> Case<'a> {
    Case {
        name: name.into(),
        run: Box::new(run),
    }
}

struct Args {
    rounds: usize,
    batch: usize,
    only: Option<String>,
    iters: usize,
    list: bool,
}

fn args() -> Args {
    let mut parsed = Args {
        rounds: 41,
        batch: 2000,
        only: None,
        iters: 10_000,
        list: false,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut number = |name: &str| {
            args.next()
                .and_then(|value| value.parse::<usize>().ok())
                .unwrap_or_else(|| panic!("{name} needs a number"))
        };
        match arg.as_str() {
            "--rounds" => parsed.rounds = number("--rounds").max(1),
            "--batch" => parsed.batch = number("--batch").max(1),
            "--iters" => parsed.iters = number("--iters"),
            "--only" => parsed.only = args.next(),
            "--list" => parsed.list = true,
            // `cargo bench` passes `--bench`.
            "--bench" => {}
            other => panic!("unknown argument {other:?} (a name filter is not supported)"),
        }
    }
    parsed
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    if values.len() % 2 == 1 {
        values[mid]
    } else {
        (values[mid - 1] + values[mid]) / 2.0
    }
}

/// The lower and upper quartiles.
fn quartiles(values: &mut [f64]) -> (f64, f64) {
    values.sort_by(f64::total_cmp);
    let at = |q: f64| values[((values.len() - 1) as f64 * q).round() as usize];
    (at(0.25), at(0.75))
}

fn main() {
    let args = args();
    let config = config();
    let query = query();
    let parsed = CallbackQuery::parse(&query).expect("a valid query");
    let authenticated = config.authenticate(Some(&query), None).expect("authentic");
    let bodies = BODIES.map(|(name, body)| (name, Bytes::from_static(body.as_bytes())));

    let mut cases = Vec::new();
    for (name, body) in &bodies {
        let (config, query) = (&config, &query);
        cases.push(case(format!("{name}/full_path"), move || {
            black_box(
                config
                    .receive::<AfterSendMsg>(Some(black_box(query)), black_box(body.clone()))
                    .expect("a valid request"),
            );
        }));
        let authenticated = &authenticated;
        cases.push(case(format!("{name}/decode"), move || {
            black_box(
                black_box(authenticated.clone())
                    .decode::<AfterSendMsg>(Ok(black_box(body.clone())))
                    .expect("a valid body"),
            );
        }));
        cases.push(case(format!("{name}/serde_json_value"), move || {
            black_box(
                serde_json::from_slice::<serde_json::Value>(black_box(body)).expect("valid JSON"),
            );
        }));
        cases.push(case(format!("{name}/serde_json_typed"), move || {
            black_box(serde_json::from_slice::<AfterSendMsg>(black_box(body)).expect("an event"));
        }));
    }
    cases.push(case("authentication/authenticate", || {
        black_box(
            config
                .authenticate(Some(black_box(&query)), None)
                .expect("authentic"),
        );
    }));
    cases.push(case("authentication/query_parse", || {
        black_box(CallbackQuery::parse(black_box(&query)).expect("a valid query"));
    }));
    cases.push(case("authentication/sign_check", || {
        config.check(black_box(&parsed)).expect("authentic");
    }));

    if args.list {
        cases.iter().for_each(|case| println!("{}", case.name));
        return;
    }
    if let Some(only) = &args.only {
        let case = cases
            .iter()
            .find(|case| &case.name == only)
            .unwrap_or_else(|| panic!("no case {only:?}; see --list"));
        (0..args.iters).for_each(|_| (case.run)());
        return;
    }

    // Warm up, then time every case once per round, in the same order.
    for case in &cases {
        (0..args.batch).for_each(|_| (case.run)());
    }
    let mut nanos = vec![Vec::with_capacity(args.rounds); cases.len()];
    for _ in 0..args.rounds {
        for (case, times) in cases.iter().zip(&mut nanos) {
            let start = Instant::now();
            (0..args.batch).for_each(|_| (case.run)());
            times.push(start.elapsed().as_nanos() as f64 / args.batch as f64);
        }
    }
    let times = |name: &str| -> &Vec<f64> {
        let index = cases.iter().position(|case| case.name == name);
        &nanos[index.unwrap_or_else(|| panic!("no case {name:?}"))]
    };

    println!(
        "{} rounds of {} calls per case; medians per call",
        args.rounds, args.batch
    );
    println!();
    println!("| case | median |");
    println!("|---|--:|");
    for (case, times) in cases.iter().zip(&nanos) {
        let mut times = times.clone();
        println!("| {} | {:.0} ns |", case.name, median(&mut times));
    }
    println!();
    println!("Ratios, taken within each round; median (interquartile range):");
    println!();
    println!(
        "| body | full_path / serde_json_value | full_path / serde_json_typed | serde_json_typed / serde_json_value |"
    );
    println!("|---|--:|--:|--:|");
    for (body, _) in BODIES {
        let ratio = |a: &str, b: &str| {
            let mut ratios: Vec<f64> = times(&format!("{body}/{a}"))
                .iter()
                .zip(times(&format!("{body}/{b}")))
                .map(|(a, b)| a / b)
                .collect();
            let (low, high) = quartiles(&mut ratios);
            format!("{:.3} ({low:.2}–{high:.2})", median(&mut ratios))
        };
        println!(
            "| {body} | {} | {} | {} |",
            ratio("full_path", "serde_json_value"),
            ratio("full_path", "serde_json_typed"),
            ratio("serde_json_typed", "serde_json_value"),
        );
    }
}
