//! The load client of `benches/load.sh`: sends signed `OfficialAccount.CallbackAfterSendMsg`
//! deliveries, each with its own `MsgKey`, to one or more instances of a service over
//! `--concurrency` requests in flight on keep-alive connections, a share of them twice (to
//! the next instance, as Tencent's retry reaching another instance behind a load balancer).
//! Then it checks, from the instances' own logs, that every `MsgKey` was handled exactly
//! once between them (or once per sending, with `--no-dedupe`), that every answer was 200
//! with the OK envelope, and that each instance's resident memory at the end is within
//! `--max-growth` of what it was after the warm-up.
//!
//! A plain HTTP/1.1 client on tokio sockets: one request in flight per connection, the
//! answer read by its `Content-Length`, so that nothing but the service is measured.

use std::collections::{HashMap, VecDeque};
use std::error::Error;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use clap::Parser;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

type BoxError = Box<dyn Error + Send + Sync>;

const OK: &[u8] = br#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}"#;
const COMMAND: &str = "OfficialAccount.CallbackAfterSendMsg";

/// Load a webhook service and check that it lost and duplicated nothing.
#[derive(Debug, Parser)]
struct Args {
    /// An instance's address; repeat for each instance.
    #[arg(long = "addr", required = true)]
    addrs: Vec<String>,
    /// An instance's process id, for its resident memory (`VmRSS`); one per `--addr`.
    #[arg(long = "pid", required = true)]
    pids: Vec<u32>,
    /// The file an instance's log goes to; one per `--addr`.
    #[arg(long = "log", required = true)]
    logs: Vec<PathBuf>,
    /// The `SdkAppid` the service accepts.
    #[arg(long, default_value_t = 1_400_000_000)]
    sdkappid: u64,
    /// The service's token.
    #[arg(long)]
    token: String,
    /// Distinct deliveries of the measured run.
    #[arg(long, default_value_t = 100_000)]
    requests: usize,
    /// Distinct deliveries of the warm-up, before the first memory reading.
    #[arg(long, default_value_t = 20_000)]
    warmup: usize,
    /// The percentage of deliveries sent a second time, to the next instance.
    #[arg(long, default_value_t = 10)]
    repeat_percent: usize,
    /// Requests in flight, each on its own connection.
    #[arg(long, default_value_t = 64)]
    concurrency: usize,
    /// The service handles a repeat again (no dedupe): expect a repeated `MsgKey` twice.
    #[arg(long)]
    no_dedupe: bool,
    /// The largest growth of an instance's `VmRSS` from the warm-up to the end, in percent.
    #[arg(long, default_value_t = 20.0)]
    max_growth: f64,
    /// The service keeps each delivery's identity in its own memory for the time to live
    /// (the in-memory store): its growth is reported per identity and not checked.
    #[arg(long)]
    memory_store: bool,
    /// The prefix of every `MsgKey`, so that runs never collide.
    #[arg(long, default_value = "load")]
    prefix: String,
}

/// One request to send: the delivery's number, and the instance it goes to.
#[derive(Debug, Clone, Copy)]
struct Sending {
    key: usize,
    instance: usize,
}

/// What one phase sent and got back.
#[derive(Debug, Default)]
struct Tally {
    sent: usize,
    ok: usize,
    not_ok: usize,
    errors: usize,
}

impl Tally {
    fn add(&mut self, other: &Tally) {
        self.sent += other.sent;
        self.ok += other.ok;
        self.not_ok += other.not_ok;
        self.errors += other.errors;
    }
}

fn main() -> ExitCode {
    let args = Args::parse();
    if args.pids.len() != args.addrs.len() || args.logs.len() != args.addrs.len() {
        eprintln!("error: give one --pid and one --log per --addr");
        return ExitCode::from(2);
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    match runtime.block_on(run(args)) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(2)
        }
    }
}

async fn run(args: Args) -> Result<bool, BoxError> {
    let args = Arc::new(args);
    let phases = [
        (format!("{}-warm", args.prefix), args.warmup),
        (format!("{}-main", args.prefix), args.requests),
    ];
    let instances = args.addrs.len();

    let warm_schedule = schedule(args.warmup, args.repeat_percent, instances);
    let warm = phase(&args, &phases[0].0, warm_schedule).await?;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let rss_warm = args
        .pids
        .iter()
        .map(|&pid| vm_rss_kib(pid))
        .collect::<Result<Vec<_>, _>>()?;

    let main_schedule = schedule(args.requests, args.repeat_percent, instances);
    let repeats = main_schedule.len() - args.requests;
    let started = Instant::now();
    let main = phase(&args, &phases[1].0, main_schedule).await?;
    let elapsed = started.elapsed();
    tokio::time::sleep(Duration::from_millis(500)).await;
    let rss_end = args
        .pids
        .iter()
        .map(|&pid| vm_rss_kib(pid))
        .collect::<Result<Vec<_>, _>>()?;

    // The logs are written as the instances go: read them until they stop growing.
    let mut log = LogCount::default();
    let mut last = usize::MAX;
    for _ in 0..20 {
        log = LogCount::read(&args.logs, &args.prefix)?;
        if log.lines == last {
            break;
        }
        last = log.lines;
        tokio::time::sleep(Duration::from_millis(250)).await;
    }

    // How often each MsgKey must have been handled, between all the instances.
    let mut expected = HashMap::new();
    for (prefix, n) in &phases {
        for (key, times) in sent_times(*n, args.repeat_percent) {
            let times = if args.no_dedupe { times } else { 1 };
            expected.insert(format!("{prefix}-{key}"), times);
        }
    }
    let mut missing = 0;
    let mut wrong = 0;
    for (key, times) in &expected {
        match log.handled.remove(key) {
            None => missing += 1,
            Some(handled) if handled == *times => {}
            Some(_) => wrong += 1,
        }
    }
    let unexpected = log.handled.len();
    let duplicates_expected = if args.no_dedupe {
        0
    } else {
        phases
            .iter()
            .map(|(_, n)| {
                sent_times(*n, args.repeat_percent)
                    .filter(|(_, times)| *times == 2)
                    .count()
            })
            .sum()
    };

    let rps = main.sent as f64 / elapsed.as_secs_f64();
    println!(
        "warm-up: {} requests, {} OK, {} not OK, {} errors",
        warm.sent, warm.ok, warm.not_ok, warm.errors
    );
    println!(
        "run:     {} requests ({} deliveries, {repeats} of them sent twice) to {instances} \
         instance(s) at concurrency {} in {:.2} s = {rps:.0} requests/s; {} OK (200 + OK \
         envelope), {} not OK, {} errors",
        main.sent,
        args.requests,
        args.concurrency,
        elapsed.as_secs_f64(),
        main.ok,
        main.not_ok,
        main.errors,
    );
    println!(
        "log:     {} MsgKeys, each expected handled {}: {missing} missing, {wrong} handled \
         another number of times, {unexpected} unexpected; {} handled per instance; {} \
         answered as duplicates (expected {duplicates_expected})",
        expected.len(),
        if args.no_dedupe {
            "once per sending"
        } else {
            "once"
        },
        join(&log.handled_per_log),
        log.duplicates,
    );
    let mut growths = Vec::new();
    for (i, (warm, end)) in rss_warm.iter().zip(&rss_end).enumerate() {
        let growth = (*end as f64 / *warm as f64 - 1.0) * 100.0;
        println!(
            "memory:  instance {i}: VmRSS {warm} KiB after warm-up, {end} KiB at the end \
             ({growth:+.1}%)"
        );
        growths.push(growth);
    }
    let max_growth = growths.iter().copied().fold(f64::MIN, f64::max);
    if args.memory_store {
        let stored = rss_end[0].saturating_sub(rss_warm[0]) * 1024 / args.requests.max(1) as u64;
        println!(
            "         not checked: the in-memory store keeps the {} new identities for its time \
             to live, about {stored} bytes each",
            args.requests
        );
    }

    let passed = warm.not_ok + warm.errors + main.not_ok + main.errors == 0
        && warm.ok == warm.sent
        && main.ok == main.sent
        && missing + wrong + unexpected == 0
        && log.duplicates == duplicates_expected
        && (args.memory_store || max_growth <= args.max_growth);
    println!("{}", if passed { "PASS" } else { "FAIL" });
    // One line for the script's table.
    println!("RESULT rps={rps:.0} growth={max_growth:.1} passed={passed}");
    Ok(passed)
}

/// Whether delivery `key` of a phase is sent twice: `percent` of them, spread evenly.
fn repeated(key: usize, percent: usize) -> bool {
    (key + 1) * percent / 100 != key * percent / 100
}

/// How many times each of `n` deliveries is sent.
fn sent_times(n: usize, percent: usize) -> impl Iterator<Item = (usize, usize)> {
    (0..n).map(move |key| (key, if repeated(key, percent) { 2 } else { 1 }))
}

/// The order of a phase's requests: delivery `key` goes to instance `key % instances`, and a
/// repeated one goes again to the next instance about 200 requests later, as Tencent's retry
/// comes after the first attempt.
fn schedule(n: usize, percent: usize, instances: usize) -> Vec<Sending> {
    const RETRY_AFTER: usize = 200;
    let mut order = Vec::with_capacity(n + n * percent / 100 + 1);
    let mut retries = VecDeque::new();
    for key in 0..n {
        let instance = key % instances;
        order.push(Sending { key, instance });
        if repeated(key, percent) {
            let instance = (instance + 1) % instances;
            retries.push_back((order.len() + RETRY_AFTER, Sending { key, instance }));
        }
        while retries.front().is_some_and(|(due, _)| *due <= order.len()) {
            order.push(retries.pop_front().expect("a retry is due").1);
        }
    }
    order.extend(retries.into_iter().map(|(_, retry)| retry));
    order
}

/// Sends the requests of `order`, with `MsgKey`s `{prefix}-{key}`, `args.concurrency` at a
/// time.
async fn phase(args: &Arc<Args>, prefix: &str, order: Vec<Sending>) -> Result<Tally, BoxError> {
    let order: Arc<[Sending]> = order.into();
    let next = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for _ in 0..args.concurrency {
        let (args, order, next) = (args.clone(), order.clone(), next.clone());
        let prefix = prefix.to_owned();
        tasks.push(tokio::spawn(async move {
            sender(&args, &prefix, &order, &next).await
        }));
    }
    let mut tally = Tally::default();
    for task in tasks {
        tally.add(&task.await??);
    }
    Ok(tally)
}

/// One request in flight at a time, each on the keep-alive connection to its instance,
/// until `order` is sent. A broken connection is replaced; its request counts as an error.
async fn sender(
    args: &Args,
    prefix: &str,
    order: &[Sending],
    next: &AtomicUsize,
) -> Result<Tally, BoxError> {
    let mut tally = Tally::default();
    let mut connections: Vec<Option<TcpStream>> = args.addrs.iter().map(|_| None).collect();
    let mut signed = (0, String::new());
    let mut request = Vec::with_capacity(1024);
    let mut buffer = Vec::with_capacity(1024);
    while let Some(sending) = order.get(next.fetch_add(1, Ordering::Relaxed)) {
        let addr = &args.addrs[sending.instance];
        let now = SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs();
        if signed.0 != now {
            signed = (now, tencent_chat_webhook::request::sign(&args.token, now));
        }
        let msg_key = format!("{prefix}-{}", sending.key);
        write_request(&mut request, addr, args.sdkappid, &signed.1, now, &msg_key);
        let stream = match &mut connections[sending.instance] {
            Some(stream) => stream,
            empty => {
                let stream = TcpStream::connect(addr).await?;
                stream.set_nodelay(true)?;
                empty.insert(stream)
            }
        };
        tally.sent += 1;
        let answer = match stream.write_all(&request).await {
            Ok(()) => read_answer(stream, &mut buffer).await,
            Err(error) => Err(error),
        };
        match answer {
            Ok(true) => tally.ok += 1,
            Ok(false) => tally.not_ok += 1,
            Err(error) => {
                eprintln!("{msg_key} to {addr}: {error}");
                tally.errors += 1;
                connections[sending.instance] = None;
            }
        }
    }
    Ok(tally)
}

/// The request Tencent would send for an after-send message with `msg_key`.
fn write_request(
    request: &mut Vec<u8>,
    addr: &str,
    sdk_app_id: u64,
    sign: &str,
    now: u64,
    msg_key: &str,
) {
    let body = format!(
        r#"{{"CallbackCommand":"{COMMAND}","Official_Account":"@TOA#_load","MsgKey":"{msg_key}","MsgTime":{now},"OnlineOnlyFlag":1,"MsgBody":[{{"MsgType":"TIMTextElem","MsgContent":{{"Text":"load test"}}}}],"EventTime":{now}000}}"#
    );
    request.clear();
    request.extend_from_slice(
        format!(
            "POST /webhook?SdkAppid={sdk_app_id}&CallbackCommand={COMMAND}&contenttype=json\
             &ClientIP=127.0.0.1&OptPlatform=RESTAPI&Sign={sign}&RequestTime={now} HTTP/1.1\r\n\
             Host: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        )
        .as_bytes(),
    );
}

/// Reads one answer; whether it is 200 with the OK envelope.
async fn read_answer(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> std::io::Result<bool> {
    buffer.clear();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
        let read = stream.read(&mut chunk).await?;
        if read == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        buffer.extend_from_slice(&chunk[..read]);
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let length = head
        .lines()
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse::<usize>().ok())
                .flatten()
        })
        .ok_or_else(|| std::io::Error::other(format!("no Content-Length in {head:?}")))?;
    while buffer.len() < head_end + length {
        let read = stream.read(&mut chunk).await?;
        if read == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        buffer.extend_from_slice(&chunk[..read]);
    }
    Ok(head.starts_with("HTTP/1.1 200 ") && &buffer[head_end..head_end + length] == OK)
}

/// An instance's resident memory, from `/proc/PID/status`.
fn vm_rss_kib(pid: u32) -> Result<u64, BoxError> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
        .ok_or_else(|| "no VmRSS".into())
}

/// What the instances' logs say of the `MsgKey`s starting with a prefix.
#[derive(Debug, Default)]
struct LogCount {
    /// How many times each `MsgKey` was handled (its event's INFO line, `MsgKey=…`).
    handled: HashMap<String, usize>,
    /// The handled lines of each log.
    handled_per_log: Vec<usize>,
    /// The repeats answered without the handler (`duplicate delivery … :key:…`).
    duplicates: usize,
    /// The lines read that name the prefix.
    lines: usize,
}

impl LogCount {
    fn read(logs: &[PathBuf], prefix: &str) -> Result<Self, BoxError> {
        let handled_at = format!("MsgKey={prefix}-");
        let duplicate_at = format!(":key:{prefix}-");
        let mut count = Self::default();
        for log in logs {
            let text = std::fs::read_to_string(log)?;
            let mut handled = 0;
            for line in text.lines() {
                if let Some(at) = line.find(&handled_at) {
                    let key = line[at + "MsgKey=".len()..]
                        .split_whitespace()
                        .next()
                        .unwrap_or_default();
                    *count.handled.entry(key.to_owned()).or_insert(0) += 1;
                    handled += 1;
                    count.lines += 1;
                } else if line.contains("duplicate delivery") && line.contains(&duplicate_at) {
                    count.duplicates += 1;
                    count.lines += 1;
                }
            }
            count.handled_per_log.push(handled);
        }
        Ok(count)
    }
}

/// `a + b + …`.
fn join(counts: &[usize]) -> String {
    counts
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(" + ")
}
