//! `tcwebhook`: play Tencent's part against a running webhook service.
//!
//! ```text
//! tcwebhook sign --token xxxxyyyy --time 1669872112
//! tcwebhook samples
//! tcwebhook send --url http://127.0.0.1:3000/webhook --sdkappid 1400000000 --token xxxxyyyy --sample official_channel/after_send_msg
//! ```

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use clap::{Args, Parser, Subcommand};
use tencent_chat_webhook::request::sign;
use tencent_chat_webhook::test_util::{self, Envelope, WebhookRequest};

/// Sign and send Tencent Cloud Chat webhooks, the way Tencent does.
#[derive(Debug, Parser)]
#[command(name = "tcwebhook", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Print the `Sign` and `RequestTime` Tencent sends for a token.
    Sign {
        /// The webhook token set in the console.
        #[arg(long)]
        token: String,
        /// The `RequestTime`, in Unix seconds (default: now).
        #[arg(long)]
        time: Option<u64>,
    },
    /// Send a webhook: a built-in sample or a JSON file, signed when a token is given.
    Send(Send),
    /// List the built-in samples, one per line, with their commands.
    Samples,
}

#[derive(Debug, Args)]
struct Send {
    /// The webhook URL, e.g. http://127.0.0.1:3000/webhook.
    #[arg(long)]
    url: String,
    /// The app (`SdkAppid`).
    #[arg(long = "sdkappid", value_name = "SDKAPPID")]
    sdk_app_id: u64,
    /// The webhook token; without it the request is unsigned.
    #[arg(long)]
    token: Option<String>,
    /// The `CallbackCommand` of the query string (default: the body's).
    #[arg(long)]
    command: Option<String>,
    /// The `RequestTime` to sign with, in Unix seconds (default: now).
    #[arg(long)]
    time: Option<u64>,
    #[command(flatten)]
    body: Body,
}

#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
struct Body {
    /// A built-in sample (see `tcwebhook samples`).
    #[arg(long)]
    sample: Option<String>,
    /// A JSON file holding the body.
    #[arg(long)]
    file: Option<PathBuf>,
}

fn main() -> ExitCode {
    // Usage errors exit with 2 (clap); everything else that fails exits with 1.
    let cli = Cli::parse();
    match run(cli.command) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("tcwebhook: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run(command: Command) -> Result<ExitCode, String> {
    match command {
        Command::Sign { token, time } => {
            let time = time.unwrap_or_else(now);
            println!("Sign={}", sign(&token, time));
            println!("RequestTime={time}");
            Ok(ExitCode::SUCCESS)
        }
        Command::Samples => {
            let width = test_util::samples()
                .iter()
                .map(|sample| sample.name.len())
                .max()
                .unwrap_or(0);
            for sample in test_util::samples() {
                println!("{:width$}  {}", sample.name, sample.command);
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Send(send) => send_webhook(send),
    }
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs())
}

fn request(send: &Send) -> Result<WebhookRequest, String> {
    let mut request = match (&send.body.sample, &send.body.file) {
        (Some(name), _) => test_util::sample(name)
            .ok_or_else(|| format!("no sample named {name:?} (see `tcwebhook samples`)"))?
            .request(send.sdk_app_id),
        (None, Some(path)) => {
            let body = std::fs::read(path)
                .map_err(|error| format!("cannot read {}: {error}", path.display()))?;
            let command = match &send.command {
                Some(command) => command.clone(),
                None => body_command(&body).ok_or_else(|| {
                    format!(
                        "{} has no \"CallbackCommand\" string: pass --command",
                        path.display()
                    )
                })?,
            };
            WebhookRequest::raw(send.sdk_app_id, command, body)
        }
        (None, None) => return Err("pass --sample NAME or --file BODY.json".into()),
    };
    if let Some(command) = &send.command {
        request = request.command(command.clone());
    }
    if let Some(token) = &send.token {
        request = request.signed(token.clone(), send.time.unwrap_or_else(now));
    }
    Ok(request)
}

fn body_command(body: &[u8]) -> Option<String> {
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    Some(value.get("CallbackCommand")?.as_str()?.to_owned())
}

fn send_webhook(send: Send) -> Result<ExitCode, String> {
    let request = request(&send)?;
    let separator = if send.url.contains('?') { '&' } else { '?' };
    let url = format!("{}{separator}{}", send.url, request.query());
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        // Tencent gives up after 2 s; a little more tells a slow service from a dead one.
        .timeout_global(Some(Duration::from_secs(5)))
        .build()
        .into();
    let response = agent
        .post(&url)
        .header("content-type", "application/json")
        .send(&request.body()[..])
        .map_err(|error| format!("cannot send to {}: {error}", send.url))?;
    let status = response.status();
    let body = response
        .into_body()
        .read_to_string()
        .map_err(|error| format!("cannot read the answer: {error}"))?;
    println!(
        "{} {}",
        status.as_u16(),
        status.canonical_reason().unwrap_or("")
    );
    println!("{body}");

    let envelope = serde_json::from_str::<Envelope>(&body).ok();
    match envelope {
        Some(envelope) if status.as_u16() == 200 && envelope.is_ok() => Ok(ExitCode::SUCCESS),
        Some(envelope) => Err(format!(
            "the answer is not OK: HTTP {}, ActionStatus {}, ErrorCode {}",
            status.as_u16(),
            envelope.action_status,
            envelope.error_code
        )),
        None => Err(format!(
            "the answer is not a webhook envelope (HTTP {})",
            status.as_u16()
        )),
    }
}
