//! Why a request was refused, and how to answer it.

use std::error::Error as StdError;
use std::fmt;

use std::borrow::Cow;
use std::net::IpAddr;
use std::time::Duration;

use http::StatusCode;

use crate::request::CallbackCommand;

/// Why a webhook request was refused.
///
/// Each rejection decides its own answer: an HTTP [`status`](Rejection::status), a
/// documented non-zero [`error_code`](Rejection::error_code) and a short
/// [`public_info`](Rejection::public_info) that goes into the `ErrorInfo` of the
/// `FAIL` envelope. A 400 says what was wrong, so that whoever reads the console's
/// logs can act on it; a 401 says only `authentication failed`, whatever the cause,
/// so that a forger learns nothing. `Display` gives the whole cause for logs; no
/// rejection ever carries a token or an expected signature.
///
/// The [table of rejections](crate#rejections) gives each one's status, `ErrorCode`
/// and `ErrorInfo`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Rejection {
    /// The query string is missing a required parameter, repeats one, or holds a malformed value.
    MalformedQuery(Detail),
    /// The body could not be read, is not a JSON object, or does not fit the command's event.
    MalformedBody(Detail),
    /// The body's `CallbackCommand` is missing or differs from the query's.
    CommandMismatch {
        /// The command named in the query string.
        query: CallbackCommand,
        /// The command named in the body, if it had one.
        body: Option<String>,
    },
    /// The signature is missing, malformed, stale or wrong.
    Unauthenticated(AuthFailure),
    /// The `SdkAppid` is not one of the configured apps.
    UnknownApp {
        /// The `SdkAppid` received.
        sdk_app_id: u64,
    },
    /// The body is larger than the configured limit.
    BodyTooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// The body did not arrive whole within the configured body read timeout: a client
    /// sending slowly or stalled mid-body, since Tencent gives up after 2 s.
    BodyTimeout {
        /// The timeout.
        timeout: Duration,
    },
    /// The web framework holds no [`WebhookConfig`](crate::WebhookConfig) for this route.
    MissingConfig,
    /// The request comes from an address outside the configured allow-list of sources,
    /// or a trusted proxy forwarded a malformed `X-Forwarded-For`.
    SourceNotAllowed(SourceRefusal),
    /// Sources are restricted, but the server gave the adapter no peer address to check:
    /// the service is served in a way that hides it (answered like
    /// [`MissingConfig`](Self::MissingConfig)).
    NoPeerAddress,
}

impl Rejection {
    /// The HTTP status of the answer.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::MalformedQuery(_) | Self::MalformedBody(_) | Self::CommandMismatch { .. } => {
                StatusCode::BAD_REQUEST
            }
            Self::Unauthenticated(_) => StatusCode::UNAUTHORIZED,
            Self::UnknownApp { .. } | Self::SourceNotAllowed(_) => StatusCode::FORBIDDEN,
            Self::BodyTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            Self::BodyTimeout { .. } => StatusCode::REQUEST_TIMEOUT,
            Self::MissingConfig | Self::NoPeerAddress => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The `ErrorCode` of the `FAIL` envelope: the status followed by a two-digit kind.
    pub fn error_code(&self) -> u32 {
        match self {
            Self::MalformedQuery(_) => 40001,
            Self::MalformedBody(_) => 40002,
            Self::CommandMismatch { .. } => 40003,
            Self::Unauthenticated(_) => 40101,
            Self::UnknownApp { .. } => 40301,
            Self::SourceNotAllowed(_) => 40302,
            Self::BodyTooLarge { .. } => 41301,
            Self::BodyTimeout { .. } => 40801,
            Self::MissingConfig | Self::NoPeerAddress => 50001,
        }
    }

    /// The message sent as `ErrorInfo`: the kind of rejection, and for a 400 what was
    /// wrong (at most [`Detail::PUBLIC_LEN`] bytes of it). Nothing in it is secret.
    pub fn public_info(&self) -> Cow<'static, str> {
        match self {
            Self::MalformedQuery(detail) => {
                format!("malformed query string: {}", detail.public()).into()
            }
            Self::MalformedBody(detail) => format!("malformed body: {}", detail.public()).into(),
            Self::CommandMismatch { .. } => "CallbackCommand of body and query differ".into(),
            Self::Unauthenticated(_) => "authentication failed".into(),
            Self::UnknownApp { .. } => "unknown SdkAppid".into(),
            Self::SourceNotAllowed(_) => "source not allowed".into(),
            Self::BodyTooLarge { .. } => "body too large".into(),
            Self::BodyTimeout { .. } => "body read timed out".into(),
            Self::MissingConfig | Self::NoPeerAddress => "webhook not configured".into(),
        }
    }

    pub(crate) fn malformed_query(detail: impl Into<String>) -> Self {
        Self::MalformedQuery(Detail::new(detail))
    }

    pub(crate) fn malformed_body(detail: impl Into<String>) -> Self {
        Self::MalformedBody(Detail::new(detail))
    }
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MalformedQuery(detail) => write!(f, "malformed query string: {detail}"),
            Self::MalformedBody(detail) => write!(f, "malformed body: {detail}"),
            Self::CommandMismatch { query, body: None } => {
                write!(
                    f,
                    "body has no CallbackCommand, query says {:?}",
                    query.as_str()
                )
            }
            Self::CommandMismatch {
                query,
                body: Some(body),
            } => write!(
                f,
                "body says CallbackCommand {body:?}, query says {:?}",
                query.as_str()
            ),
            Self::Unauthenticated(cause) => write!(f, "authentication failed: {cause}"),
            Self::UnknownApp { sdk_app_id } => write!(f, "unknown SdkAppid {sdk_app_id}"),
            Self::BodyTooLarge { limit } => write!(f, "body larger than {limit} bytes"),
            Self::BodyTimeout { timeout } => {
                write!(f, "body not received within {} ms", timeout.as_millis())
            }
            Self::MissingConfig => f.write_str("no webhook configuration for this route"),
            Self::SourceNotAllowed(cause) => write!(f, "source not allowed: {cause}"),
            Self::NoPeerAddress => {
                f.write_str("sources are restricted but the server gives no peer address to check")
            }
        }
    }
}

impl StdError for Rejection {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            Self::Unauthenticated(cause) => Some(cause),
            Self::SourceNotAllowed(cause) => Some(cause),
            _ => None,
        }
    }
}

/// What exactly was wrong with a query string or a body, for logs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detail(String);

impl Detail {
    /// The most bytes of a detail sent in `ErrorInfo`; the log has all of it.
    pub const PUBLIC_LEN: usize = 200;

    pub(crate) fn new(detail: impl Into<String>) -> Self {
        Self(detail.into())
    }

    /// The detail, cut to [`PUBLIC_LEN`](Self::PUBLIC_LEN) bytes at a character
    /// boundary: a decoding error may quote a long string from the body.
    fn public(&self) -> &str {
        let mut end = self.0.len().min(Self::PUBLIC_LEN);
        while !self.0.is_char_boundary(end) {
            end -= 1;
        }
        &self.0[..end]
    }
}

impl fmt::Display for Detail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The cause of an authentication failure.
///
/// All of them are answered alike (401, `authentication failed`) so that a forger
/// learns nothing; the cause is for the operator's logs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum AuthFailure {
    /// The app has tokens but the query has no `Sign`.
    MissingSign,
    /// The app has tokens but the query has no `RequestTime`.
    MissingRequestTime,
    /// `Sign` is not exactly 64 hexadecimal digits.
    MalformedSign,
    /// `RequestTime` is not 1 to 10 ASCII digits.
    MalformedRequestTime,
    /// `RequestTime` is further in the past than the freshness window allows.
    Expired {
        /// How old it is, in seconds.
        age_secs: u64,
    },
    /// `RequestTime` is further in the future than the freshness window allows.
    FromTheFuture {
        /// How far ahead of the clock it is, in seconds.
        ahead_secs: u64,
    },
    /// `Sign` matches none of the app's tokens.
    SignMismatch,
}

impl fmt::Display for AuthFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MissingSign => f.write_str("missing Sign"),
            Self::MissingRequestTime => f.write_str("missing RequestTime"),
            Self::MalformedSign => f.write_str("Sign is not 64 hexadecimal digits"),
            Self::MalformedRequestTime => f.write_str("RequestTime is not 1 to 10 digits"),
            Self::Expired { age_secs } => write!(f, "RequestTime is {age_secs} s old"),
            Self::FromTheFuture { ahead_secs } => {
                write!(f, "RequestTime is {ahead_secs} s ahead of the clock")
            }
            Self::SignMismatch => f.write_str("Sign matches no token"),
        }
    }
}

impl StdError for AuthFailure {}

/// Why a request's source was refused.
///
/// All of them are answered alike (403, `source not allowed`); the cause, with the
/// addresses, is for the operator's logs.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SourceRefusal {
    /// The client's address is in none of the allowed ranges.
    NotAllowed {
        /// The client: the peer, or the address a trusted proxy forwarded for.
        client: IpAddr,
        /// The connection's peer address.
        peer: IpAddr,
    },
    /// A trusted proxy's `X-Forwarded-For` holds an entry that is not an IP address
    /// where the client's address should be.
    MalformedForwardedFor {
        /// The trusted proxy the connection comes from.
        peer: IpAddr,
        /// The entry, cut to [`SourceRefusal::ENTRY_LEN`] bytes.
        entry: String,
    },
}

impl SourceRefusal {
    /// The most bytes of a malformed `X-Forwarded-For` entry kept for the log.
    pub const ENTRY_LEN: usize = 64;

    pub(crate) fn malformed_forwarded_for(peer: IpAddr, entry: &[u8]) -> Self {
        let end = entry.len().min(Self::ENTRY_LEN);
        Self::MalformedForwardedFor {
            peer,
            entry: String::from_utf8_lossy(&entry[..end]).into_owned(),
        }
    }
}

impl fmt::Display for SourceRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotAllowed { client, peer } if client == peer => {
                write!(f, "{client} is in no allowed range")
            }
            Self::NotAllowed { client, peer } => write!(
                f,
                "{client}, forwarded by trusted proxy {peer}, is in no allowed range"
            ),
            // Quoted with escapes: the entry comes from the network.
            Self::MalformedForwardedFor { peer, entry } => write!(
                f,
                "trusted proxy {peer} forwarded for {entry:?}, which is not an IP address"
            ),
        }
    }
}

impl StdError for SourceRefusal {}

#[cfg(test)]
mod tests {
    use super::*;

    fn every_kind() -> Vec<Rejection> {
        vec![
            Rejection::malformed_query("missing SdkAppid"),
            Rejection::malformed_body("expected value"),
            Rejection::CommandMismatch {
                query: CallbackCommand::OfficialAccountAfterSendMsg,
                body: Some("OfficialAccount.CallbackBeforeSendMsg".into()),
            },
            Rejection::Unauthenticated(AuthFailure::SignMismatch),
            Rejection::UnknownApp { sdk_app_id: 7 },
            Rejection::BodyTooLarge { limit: 1024 },
            Rejection::BodyTimeout {
                timeout: Duration::from_secs(5),
            },
            Rejection::MissingConfig,
            Rejection::SourceNotAllowed(SourceRefusal::NotAllowed {
                client: IpAddr::from([203, 0, 113, 9]),
                peer: IpAddr::from([203, 0, 113, 9]),
            }),
            Rejection::NoPeerAddress,
        ]
    }

    #[test]
    fn each_kind_has_its_status_and_code() {
        let answers: Vec<_> = every_kind()
            .iter()
            .map(|r| (r.status().as_u16(), r.error_code()))
            .collect();
        assert_eq!(
            answers,
            [
                (400, 40001),
                (400, 40002),
                (400, 40003),
                (401, 40101),
                (403, 40301),
                (413, 41301),
                (408, 40801),
                (500, 50001),
                (403, 40302),
                (500, 50001),
            ]
        );
    }

    #[test]
    fn codes_never_collide_with_verdicts() {
        for rejection in every_kind() {
            let code = rejection.error_code();
            assert!(code > 2 && !(120_001..=130_000).contains(&code), "{code}");
        }
    }

    #[test]
    fn every_auth_cause_has_one_public_message() {
        let causes = [
            AuthFailure::MissingSign,
            AuthFailure::MissingRequestTime,
            AuthFailure::MalformedSign,
            AuthFailure::MalformedRequestTime,
            AuthFailure::Expired { age_secs: 75 },
            AuthFailure::FromTheFuture { ahead_secs: 61 },
            AuthFailure::SignMismatch,
        ];
        for cause in causes {
            let rejection = Rejection::Unauthenticated(cause);
            assert_eq!(rejection.public_info(), "authentication failed");
            assert_eq!(rejection.status(), StatusCode::UNAUTHORIZED);
            assert!(rejection.to_string().ends_with(&cause.to_string()));
        }
    }

    #[test]
    fn display_is_lower_case_without_trailing_punctuation() {
        for rejection in every_kind() {
            let text = rejection.to_string();
            assert!(!text.ends_with('.'), "{text}");
            assert!(text.starts_with(|c: char| c.is_lowercase()), "{text}");
        }
    }

    #[test]
    fn a_400_says_what_was_wrong_in_at_most_200_bytes() {
        assert_eq!(
            Rejection::malformed_query("missing SdkAppid").public_info(),
            "malformed query string: missing SdkAppid"
        );
        let long = format!("invalid type: string \"{}\"", "é".repeat(300));
        let info = Rejection::malformed_body(long.clone()).public_info();
        assert_eq!(info.len(), "malformed body: ".len() + Detail::PUBLIC_LEN);
        assert!(long.starts_with(&info["malformed body: ".len()..]));
        assert!(
            Rejection::malformed_body(long.clone())
                .to_string()
                .ends_with(&long)
        );
    }
}
