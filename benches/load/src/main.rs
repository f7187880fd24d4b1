//! The load client of `benches/load.sh`: sends signed `OfficialAccount.CallbackAfterSendMsg`
//! requests, each with its own `MsgKey`, over `--concurrency` keep-alive connections, then
//! checks from the service's own log that every `MsgKey` was handled exactly once, that
//! every answer was 200 with the OK envelope, and that the service's resident memory at
//! the end is within 20% of what it was after the warm-up.
//!
//! A plain HTTP/1.1 client on tokio sockets: one request in flight per connection, the
//! answer read by its `Content-Length`, so that nothing but the service is measured.

use std::collections::HashMap;
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
    /// The service's address.
    #[arg(long, default_value = "127.0.0.1:3000")]
    addr: String,
    /// The `SdkAppid` the service accepts.
    #[arg(long, default_value_t = 1_400_000_000)]
    sdkappid: u64,
    /// The service's token.
    #[arg(long)]
    token: String,
    /// Requests of the measured run.
    #[arg(long, default_value_t = 100_000)]
    requests: usize,
    /// Requests of the warm-up, before the first memory reading.
    #[arg(long, default_value_t = 20_000)]
    warmup: usize,
    /// Connections, each with one request in flight.
    #[arg(long, default_value_t = 64)]
    concurrency: usize,
    /// The service's process id, for its resident memory (`VmRSS`).
    #[arg(long)]
    pid: u32,
    /// The file the service's log goes to.
    #[arg(long)]
    log: PathBuf,
    /// The prefix of every `MsgKey`, so that runs never collide.
    #[arg(long, default_value = "load")]
    prefix: String,
}

/// What one phase sent and got back.
#[derive(Debug, Default)]
struct Tally {
    sent: usize,
    ok: usize,
    not_ok: usize,
    errors: usize,
    reconnects: usize,
}

fn main() -> ExitCode {
    let args = Args::parse();
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
    let warm_prefix = format!("{}-warm", args.prefix);
    let main_prefix = format!("{}-main", args.prefix);

    let warm = phase(&args, &warm_prefix, args.warmup).await?;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let rss_warm = vm_rss_kib(args.pid)?;

    let started = Instant::now();
    let main = phase(&args, &main_prefix, args.requests).await?;
    let elapsed = started.elapsed();
    tokio::time::sleep(Duration::from_millis(500)).await;
    let rss_end = vm_rss_kib(args.pid)?;

    // The log is written as the service goes: wait until it stops growing.
    let mut counts = HashMap::new();
    let mut last = usize::MAX;
    for _ in 0..20 {
        counts = count_keys(&args.log, &args.prefix)?;
        let total: usize = counts.values().sum();
        if total == last {
            break;
        }
        last = total;
        tokio::time::sleep(Duration::from_millis(250)).await;
    }

    let mut missing = 0;
    let mut duplicated = 0;
    for (prefix, n) in [(&warm_prefix, args.warmup), (&main_prefix, args.requests)] {
        for i in 0..n {
            match counts.remove(&format!("{prefix}-{i}")) {
                None => missing += 1,
                Some(1) => {}
                Some(_) => duplicated += 1,
            }
        }
    }
    let unexpected = counts.len();
    let rps = main.sent as f64 / elapsed.as_secs_f64();
    let growth = (rss_end as f64 / rss_warm as f64 - 1.0) * 100.0;

    println!(
        "warm-up: {} requests, {} OK, {} not OK, {} errors",
        warm.sent, warm.ok, warm.not_ok, warm.errors
    );
    println!(
        "run:     {} requests at concurrency {} in {:.2} s = {:.0} requests/s; {} OK (200 + OK envelope), {} not OK, {} errors, {} reconnects",
        main.sent,
        args.concurrency,
        elapsed.as_secs_f64(),
        rps,
        main.ok,
        main.not_ok,
        main.errors,
        main.reconnects + warm.reconnects
    );
    println!(
        "log:     {} MsgKeys expected, {missing} missing, {duplicated} handled more than once, {unexpected} unexpected",
        args.warmup + args.requests
    );
    println!(
        "memory:  VmRSS {rss_warm} KiB after warm-up, {rss_end} KiB at the end ({growth:+.1}%)"
    );

    let passed = warm.not_ok + warm.errors + main.not_ok + main.errors == 0
        && main.ok == args.requests
        && missing + duplicated + unexpected == 0
        && growth <= 20.0;
    println!("{}", if passed { "PASS" } else { "FAIL" });
    Ok(passed)
}

/// Sends `n` requests with `MsgKey`s `{prefix}-0` … over `args.concurrency` connections.
async fn phase(args: &Args, prefix: &str, n: usize) -> Result<Tally, BoxError> {
    let next = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for _ in 0..args.concurrency {
        let next = next.clone();
        let addr = args.addr.clone();
        let token = args.token.clone();
        let prefix = prefix.to_owned();
        let sdk_app_id = args.sdkappid;
        tasks.push(tokio::spawn(async move {
            connection(&addr, sdk_app_id, &token, &prefix, n, &next).await
        }));
    }
    let mut tally = Tally::default();
    for task in tasks {
        let part = task.await??;
        tally.sent += part.sent;
        tally.ok += part.ok;
        tally.not_ok += part.not_ok;
        tally.errors += part.errors;
        tally.reconnects += part.reconnects;
    }
    Ok(tally)
}

/// One keep-alive connection sending requests until `next` reaches `n`. A broken
/// connection is counted and replaced; its request counts as an error.
async fn connection(
    addr: &str,
    sdk_app_id: u64,
    token: &str,
    prefix: &str,
    n: usize,
    next: &AtomicUsize,
) -> Result<Tally, BoxError> {
    let mut tally = Tally::default();
    let mut stream = TcpStream::connect(addr).await?;
    stream.set_nodelay(true)?;
    let mut signed = (0, String::new());
    let mut request = Vec::with_capacity(1024);
    let mut buffer = Vec::with_capacity(1024);
    loop {
        let i = next.fetch_add(1, Ordering::Relaxed);
        if i >= n {
            return Ok(tally);
        }
        let now = SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs();
        if signed.0 != now {
            signed = (now, tencent_chat_webhook::request::sign(token, now));
        }
        write_request(
            &mut request,
            addr,
            sdk_app_id,
            &signed.1,
            now,
            &format!("{prefix}-{i}"),
        );
        tally.sent += 1;
        let answer = match stream.write_all(&request).await {
            Ok(()) => read_answer(&mut stream, &mut buffer).await,
            Err(error) => Err(error),
        };
        match answer {
            Ok(true) => tally.ok += 1,
            Ok(false) => tally.not_ok += 1,
            Err(error) => {
                eprintln!("{prefix}-{i}: {error}");
                tally.errors += 1;
                tally.reconnects += 1;
                stream = TcpStream::connect(addr).await?;
                stream.set_nodelay(true)?;
            }
        }
    }
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

/// The service's resident memory, from `/proc/PID/status`.
fn vm_rss_kib(pid: u32) -> Result<u64, BoxError> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
        .ok_or_else(|| "no VmRSS".into())
}

/// How many times the log names each `MsgKey` starting with `prefix`.
fn count_keys(log: &PathBuf, prefix: &str) -> Result<HashMap<String, usize>, BoxError> {
    let text = std::fs::read_to_string(log)?;
    let mut counts = HashMap::new();
    let needle = format!("MsgKey={prefix}-");
    for line in text.lines() {
        if let Some(at) = line.find(&needle) {
            let key = line[at + "MsgKey=".len()..]
                .split_whitespace()
                .next()
                .unwrap_or_default();
            *counts.entry(key.to_owned()).or_insert(0) += 1;
        }
    }
    Ok(counts)
}
