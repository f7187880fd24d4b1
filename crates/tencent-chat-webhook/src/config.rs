//! Which apps are accepted, with which tokens, and the limits of the pipeline.

use std::error::Error as StdError;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
/// An IPv4 or IPv6 address range (CIDR), from the `ipnet` crate: `"203.0.113.0/24".parse()`,
/// or `IpNet::from(address)` for one address.
pub use ipnet::IpNet;

/// What a before-webhook is answered at the deadline; defined with the answers.
pub use crate::answer::FailureStrategy;

use crate::answer::{NotDelivered, Rejection};
use crate::pipeline::{self, Authenticated, BodyError};
use crate::request::sign::{self, Token};
use crate::request::{CallbackQuery, Delivery, Event};
use crate::source::Sources;

/// Where "now" comes from when checking the freshness of `RequestTime`.
///
/// ```
/// use tencent_chat_webhook::config::Clock;
///
/// assert_eq!(Clock::fixed(1669872112).now(), 1669872112);
/// assert!(Clock::system().now() > 1669872112);
/// ```
#[derive(Clone)]
pub struct Clock(ClockKind);

#[derive(Clone)]
enum ClockKind {
    System,
    Fixed(u64),
    Custom(Arc<dyn Fn() -> u64 + Send + Sync>),
}

impl Clock {
    /// The system's wall clock.
    pub fn system() -> Self {
        Self(ClockKind::System)
    }

    /// A clock stopped at `unix_seconds`, for tests.
    pub fn fixed(unix_seconds: u64) -> Self {
        Self(ClockKind::Fixed(unix_seconds))
    }

    /// A clock that calls `now` for the current Unix time in seconds.
    pub fn from_fn(now: impl Fn() -> u64 + Send + Sync + 'static) -> Self {
        Self(ClockKind::Custom(Arc::new(now)))
    }

    /// The current Unix time in seconds (0 if the system clock is before 1970).
    pub fn now(&self) -> u64 {
        match &self.0 {
            ClockKind::System => SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |elapsed| elapsed.as_secs()),
            ClockKind::Fixed(now) => *now,
            ClockKind::Custom(now) => now(),
        }
    }
}

impl Default for Clock {
    fn default() -> Self {
        Self::system()
    }
}

impl fmt::Debug for Clock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            ClockKind::System => f.write_str("Clock::System"),
            ClockKind::Fixed(now) => write!(f, "Clock::Fixed({now})"),
            ClockKind::Custom(_) => f.write_str("Clock::Custom"),
        }
    }
}

/// One accepted app: its `SdkAppid` and how its requests are signed.
#[derive(Debug, Clone)]
pub(crate) struct App {
    pub(crate) sdk_app_id: u64,
    /// Empty only for an app explicitly configured as unsigned.
    pub(crate) tokens: Vec<Token>,
}

#[derive(Debug)]
pub(crate) struct Inner {
    pub(crate) apps: Vec<App>,
    pub(crate) max_age: Duration,
    pub(crate) max_ahead: Duration,
    pub(crate) body_limit: usize,
    pub(crate) body_read_timeout: Duration,
    pub(crate) clock: Clock,
    /// `None`: any source is accepted.
    pub(crate) sources: Option<Sources>,
    pub(crate) answer_deadline: Duration,
    pub(crate) failure_strategy: FailureStrategy,
}

/// The webhook configuration: accepted apps, tokens and limits.
///
/// Cheap to clone (one `Arc`), so it can sit in a router state or `app_data`.
///
/// ```
/// use std::time::Duration;
/// use tencent_chat_webhook::WebhookConfig;
///
/// let config = WebhookConfig::builder()
///     // Two tokens while the console's token is being rotated.
///     .app(1400000000, ["new-token", "old-token"])
///     // Token authentication is off in the console for this test app.
///     .unsigned_app(1400000001)
///     .freshness(Duration::from_secs(30), Duration::from_secs(10))
///     .body_limit(256 * 1024)
///     .body_read_timeout(Duration::from_secs(3))
///     .build()?;
/// assert_eq!(config.body_limit(), 256 * 1024);
/// assert_eq!(config.body_read_timeout(), Duration::from_secs(3));
/// assert!(!format!("{config:?}").contains("new-token"));
/// # Ok::<(), tencent_chat_webhook::config::ConfigError>(())
/// ```
#[derive(Clone)]
pub struct WebhookConfig {
    pub(crate) inner: Arc<Inner>,
}

impl WebhookConfig {
    /// The default limit for the age of `RequestTime` and for how far ahead it may be.
    pub const DEFAULT_FRESHNESS: Duration = Duration::from_secs(60);
    /// The default body limit: 1 MiB.
    pub const DEFAULT_BODY_LIMIT: usize = 1024 * 1024;
    /// The default body read timeout: 5 s. Tencent gives up on a request after 2 s, so
    /// no genuine body takes longer than that to arrive; the rest is margin.
    pub const DEFAULT_BODY_READ_TIMEOUT: Duration = Duration::from_secs(5);
    /// The longest token accepted, in bytes.
    pub const MAX_TOKEN_LEN: usize = 128;
    /// The default answer deadline: 1.5 s, under the 2 s Tencent waits for an answer.
    pub const DEFAULT_ANSWER_DEADLINE: Duration = Duration::from_millis(1500);
    /// How long Tencent waits for an answer before it gives up on it.
    pub const TENCENT_TIMEOUT: Duration = Duration::from_secs(2);

    /// Starts a configuration.
    pub fn builder() -> WebhookConfigBuilder {
        WebhookConfigBuilder::default()
    }

    /// The largest body, in bytes, that the adapters read.
    pub fn body_limit(&self) -> usize {
        self.inner.body_limit
    }

    /// The longest time the adapters spend reading a body, from their first read of it
    /// to its last byte; a body still arriving then is refused with 408
    /// ([`Rejection::BodyTimeout`]).
    pub fn body_read_timeout(&self) -> Duration {
        self.inner.body_read_timeout
    }

    /// The clock used for the freshness check.
    pub fn clock(&self) -> &Clock {
        &self.inner.clock
    }

    /// How long after a request arrives the adapters' deadline layer answers for a
    /// handler that has not answered yet (default 1.5 s).
    pub fn answer_deadline(&self) -> Duration {
        self.inner.answer_deadline
    }

    /// What a before-webhook is answered at the deadline (default: allow).
    pub fn failure_strategy(&self) -> FailureStrategy {
        self.inner.failure_strategy
    }

    pub(crate) fn app(&self, sdk_app_id: u64) -> Option<&App> {
        self.inner
            .apps
            .iter()
            .find(|app| app.sdk_app_id == sdk_app_id)
    }

    /// Checks the head of a request before any of its body is read: parses the raw
    /// query string (`None` when the URL has no `?`) and authenticates it, then refuses
    /// a body whose `Content-Length` (the raw header value) announces more than
    /// [`body_limit`](Self::body_limit). A forged request costs neither buffering nor a
    /// JSON parse. A missing or unparseable `Content-Length` passes: the adapter's
    /// limited read still stops the body at the limit.
    ///
    /// Adapters call this first; see [`crate::pipeline`].
    ///
    /// # Errors
    ///
    /// [`Rejection::MalformedQuery`], [`Rejection::UnknownApp`],
    /// [`Rejection::Unauthenticated`] or [`Rejection::BodyTooLarge`]. Each is logged at
    /// WARN with its cause.
    pub fn authenticate(
        &self,
        raw_query: Option<&str>,
        content_length: Option<&[u8]>,
    ) -> Result<Authenticated, Rejection> {
        let query = CallbackQuery::parse(raw_query.unwrap_or_default())
            .map_err(pipeline::report_rejection)?;
        match self
            .check(&query)
            .and_then(|()| self.check_content_length(content_length))
        {
            Ok(()) => Ok(Authenticated::new(
                query,
                self.body_limit(),
                self.body_read_timeout(),
                self.inner.answer_deadline,
                self.inner.failure_strategy,
            )),
            Err(rejection) => Err(pipeline::report_rejection_of(
                Some(query.callback_command()),
                rejection,
            )),
        }
    }

    /// The whole pipeline at once, for a request whose body is already in memory:
    /// what a test of a handler, or a framework without an adapter, needs.
    ///
    /// ```
    /// use tencent_chat_webhook::official_channel::AfterSendMsg;
    /// use tencent_chat_webhook::config::Clock;
    /// use tencent_chat_webhook::request::sign;
    /// use tencent_chat_webhook::WebhookConfig;
    ///
    /// let config = WebhookConfig::builder()
    ///     .app(1400000000, ["xxxxyyyy"])
    ///     .clock(Clock::fixed(1669872112))
    ///     .build()?;
    /// let query = format!(
    ///     "SdkAppid=1400000000&CallbackCommand=OfficialAccount.CallbackAfterSendMsg\
    ///      &contenttype=json&Sign={}&RequestTime=1669872112",
    ///     sign("xxxxyyyy", 1669872112),
    /// );
    /// let body = r#"{"CallbackCommand":"OfficialAccount.CallbackAfterSendMsg",
    ///     "Official_Account":"@TOA#_2J4SZEAEL","MsgKey":"71_1_1698741698","MsgTime":1490686222,
    ///     "OnlineOnlyFlag":1,"MsgBody":[{"MsgType":"TIMTextElem","MsgContent":{"Text":"red packet"}}],
    ///     "EventTime":1670574414123}"#;
    ///
    /// let delivery = config.receive::<AfterSendMsg>(Some(&query), body.into()).unwrap();
    /// assert_eq!(delivery.event.msg_key, "71_1_1698741698");
    /// assert_eq!(delivery.query.sdk_app_id(), 1400000000);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// See [`authenticate`](Self::authenticate) and
    /// [`Authenticated::decode`](crate::pipeline::Authenticated::decode).
    pub fn receive<E: Event>(
        &self,
        raw_query: Option<&str>,
        body: Bytes,
    ) -> Result<Delivery<E>, NotDelivered> {
        let authenticated = self.authenticate(raw_query, None)?;
        if body.len() > self.body_limit() {
            return authenticated.decode(Err(BodyError::TooLarge));
        }
        authenticated.decode(Ok(body))
    }

    /// Checks a parsed query: its `SdkAppid` is one of the configured apps and, unless
    /// that app was configured as unsigned, `Sign` and `RequestTime` are present, well
    /// formed, fresh by the configured [`Clock`], and `Sign` equals
    /// `SHA-256(token ‖ RequestTime)` for one of the app's tokens, compared in constant
    /// time. [`authenticate`](Self::authenticate) parses and checks in one call.
    ///
    /// # Errors
    ///
    /// [`Rejection::UnknownApp`] for an unknown `SdkAppid`, and
    /// [`Rejection::Unauthenticated`] with its cause for any failed check.
    pub fn check(&self, query: &CallbackQuery) -> Result<(), Rejection> {
        let sdk_app_id = query.sdk_app_id();
        let app = self
            .app(sdk_app_id)
            .ok_or(Rejection::UnknownApp { sdk_app_id })?;
        let now = self.inner.clock.now();
        sign::verify(
            &app.tokens,
            query,
            now,
            self.inner.max_age,
            self.inner.max_ahead,
        )
        .map_err(Rejection::Unauthenticated)
    }

    fn check_content_length(&self, content_length: Option<&[u8]>) -> Result<(), Rejection> {
        let limit = self.body_limit();
        let announced = content_length
            .and_then(|raw| std::str::from_utf8(raw).ok())
            .and_then(|raw| raw.trim().parse::<u64>().ok());
        match announced {
            Some(length) if length > limit as u64 => Err(Rejection::BodyTooLarge { limit }),
            _ => Ok(()),
        }
    }
}

impl fmt::Debug for WebhookConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let apps: Vec<_> = self
            .inner
            .apps
            .iter()
            .map(|app| AppSummary(app.sdk_app_id, app.tokens.len()))
            .collect();
        f.debug_struct("WebhookConfig")
            .field("apps", &apps)
            .field("max_age", &self.inner.max_age)
            .field("max_ahead", &self.inner.max_ahead)
            .field("body_limit", &self.inner.body_limit)
            .field("body_read_timeout", &self.inner.body_read_timeout)
            .field("clock", &self.inner.clock)
            .field("sources", &self.inner.sources)
            .field("answer_deadline", &self.inner.answer_deadline)
            .field("failure_strategy", &self.inner.failure_strategy)
            .finish()
    }
}

struct AppSummary(u64, usize);

impl fmt::Debug for AppSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.1 {
            0 => write!(f, "{} (unsigned)", self.0),
            1 => write!(f, "{} (1 secret)", self.0),
            n => write!(f, "{} ({n} secrets)", self.0),
        }
    }
}

/// Builds a [`WebhookConfig`]; see there for an example.
#[derive(Debug)]
#[must_use]
pub struct WebhookConfigBuilder {
    apps: Vec<PendingApp>,
    max_age: Duration,
    max_ahead: Duration,
    body_limit: usize,
    body_read_timeout: Duration,
    clock: Clock,
    allowed_sources: Option<Vec<IpNet>>,
    trusted_proxies: Vec<IpNet>,
    answer_deadline: Duration,
    failure_strategy: FailureStrategy,
}

enum PendingApp {
    Signed(u64, Vec<String>),
    Unsigned(u64),
}

impl PendingApp {
    fn sdk_app_id(&self) -> u64 {
        match self {
            Self::Signed(id, _) | Self::Unsigned(id) => *id,
        }
    }
}

impl fmt::Debug for PendingApp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Signed(id, tokens) => write!(f, "{:?}", AppSummary(*id, tokens.len())),
            Self::Unsigned(id) => write!(f, "{:?}", AppSummary(*id, 0)),
        }
    }
}

impl Default for WebhookConfigBuilder {
    fn default() -> Self {
        Self {
            apps: Vec::new(),
            max_age: WebhookConfig::DEFAULT_FRESHNESS,
            max_ahead: WebhookConfig::DEFAULT_FRESHNESS,
            body_limit: WebhookConfig::DEFAULT_BODY_LIMIT,
            body_read_timeout: WebhookConfig::DEFAULT_BODY_READ_TIMEOUT,
            clock: Clock::system(),
            allowed_sources: None,
            trusted_proxies: Vec::new(),
            answer_deadline: WebhookConfig::DEFAULT_ANSWER_DEADLINE,
            failure_strategy: FailureStrategy::default(),
        }
    }
}

impl WebhookConfigBuilder {
    /// Accepts `sdk_app_id`, signed with any one of `tokens`.
    ///
    /// Several tokens let a token be rotated without refusing requests while the
    /// console's change spreads. The tokens are checked by [`build`](Self::build).
    pub fn app<I>(mut self, sdk_app_id: u64, tokens: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        let tokens = tokens.into_iter().map(Into::into).collect();
        self.apps.push(PendingApp::Signed(sdk_app_id, tokens));
        self
    }

    /// Accepts `sdk_app_id` **without any signature check**.
    ///
    /// Only for an app whose webhook authentication is off in the console: anyone
    /// who knows the URL and the `SdkAppid` can then send events.
    pub fn unsigned_app(mut self, sdk_app_id: u64) -> Self {
        self.apps.push(PendingApp::Unsigned(sdk_app_id));
        self
    }

    /// How old (`max_age`) and how far ahead (`max_ahead`) of the clock `RequestTime`
    /// may be; both are inclusive and default to 60 s. Sub-second parts are ignored.
    pub fn freshness(mut self, max_age: Duration, max_ahead: Duration) -> Self {
        self.max_age = max_age;
        self.max_ahead = max_ahead;
        self
    }

    /// The largest body the adapters read, in bytes (default 1 MiB); larger bodies get 413.
    pub fn body_limit(mut self, bytes: usize) -> Self {
        self.body_limit = bytes;
        self
    }

    /// The longest time the adapters spend reading a body (default 5 s,
    /// [`WebhookConfig::DEFAULT_BODY_READ_TIMEOUT`]), counted from their first read of it;
    /// a body still arriving then is refused with 408, so that a client sending a byte
    /// now and then cannot hold a request open. Checked by [`build`](Self::build): it
    /// must not be zero.
    pub fn body_read_timeout(mut self, timeout: Duration) -> Self {
        self.body_read_timeout = timeout;
        self
    }

    /// The clock for the freshness check (default: the system clock).
    pub fn clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// Accepts requests only from these source ranges, e.g. Tencent's webhook egress
    /// addresses (the crate's README says how to fetch them); others get 403
    /// (`ErrorCode` 40302, [`Rejection::SourceNotAllowed`]). Without it, any source is
    /// accepted. An address converts into a range of one address; calls add up.
    ///
    /// Adapters check the source with [`WebhookConfig::check_source`] before anything
    /// else of the request is read, against the connection's peer address, or behind
    /// [`trusted_proxies`](Self::trusted_proxies) against the client they forward for.
    pub fn allowed_sources<I>(mut self, ranges: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<IpNet>,
    {
        self.allowed_sources
            .get_or_insert_with(Vec::new)
            .extend(ranges.into_iter().map(|range| range.into().trunc()));
        self
    }

    /// The proxies (load balancers, reverse proxies) in front of the service whose
    /// `X-Forwarded-For` is believed; none by default. Only with
    /// [`allowed_sources`](Self::allowed_sources): a request from one of them is checked
    /// against the first address of `X-Forwarded-For`, read from the right, that is not
    /// itself a trusted proxy. Name only proxies that append the address they received
    /// from: whatever the client wrote itself stays on the left and is never read.
    pub fn trusted_proxies<I>(mut self, ranges: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<IpNet>,
    {
        self.trusted_proxies
            .extend(ranges.into_iter().map(|range| range.into().trunc()));
        self
    }

    /// How long after a request arrives a handler may take to answer (default 1.5 s,
    /// under the 2 s Tencent waits). Past it, the adapter's deadline layer answers the
    /// command's default ([`FailureStrategy::answer_for`]), logs a WARN, and lets the
    /// handler run on to completion. Only routes wrapped in that layer have a deadline.
    ///
    /// A deadline of 2 s or more is accepted, and announced at WARN by
    /// [`build`](Self::build): Tencent has given up on the answer by then.
    pub fn answer_deadline(mut self, deadline: Duration) -> Self {
        self.answer_deadline = deadline;
        self
    }

    /// What a before-webhook is answered at the deadline: set it to the failure
    /// strategy of the app's console (default [`FailureStrategy::Allow`], as the
    /// console's). After-webhooks are always answered OK.
    pub fn failure_strategy(mut self, strategy: FailureStrategy) -> Self {
        self.failure_strategy = strategy;
        self
    }

    /// Checks the apps, tokens and sources and builds the configuration.
    ///
    /// # Errors
    ///
    /// A [`ConfigError`] when no app is configured, an app is configured twice, a
    /// signed app has no token, a token is empty or longer than
    /// [`WebhookConfig::MAX_TOKEN_LEN`] bytes, the allow-list of sources is empty,
    /// trusted proxies are given without an allow-list, or the body read timeout is zero.
    pub fn build(self) -> Result<WebhookConfig, ConfigError> {
        if self.apps.is_empty() {
            return Err(ConfigError::NoApps);
        }
        let sources = match self.allowed_sources {
            None if !self.trusted_proxies.is_empty() => {
                return Err(ConfigError::TrustedProxiesWithoutAllowList);
            }
            None => None,
            Some(allowed) if allowed.is_empty() => return Err(ConfigError::NoAllowedSources),
            Some(allowed) => Some(Sources {
                allowed: allowed.into(),
                trusted_proxies: self.trusted_proxies.into(),
            }),
        };
        if self.body_read_timeout.is_zero() {
            return Err(ConfigError::ZeroBodyReadTimeout);
        }
        let mut apps: Vec<App> = Vec::with_capacity(self.apps.len());
        for pending in self.apps {
            let sdk_app_id = pending.sdk_app_id();
            if apps.iter().any(|app| app.sdk_app_id == sdk_app_id) {
                return Err(ConfigError::DuplicateApp { sdk_app_id });
            }
            let tokens = match pending {
                PendingApp::Unsigned(_) => {
                    tracing::warn!(
                        "SdkAppid {sdk_app_id} is configured as unsigned: any request naming it is accepted without a signature check"
                    );
                    Vec::new()
                }
                PendingApp::Signed(_, tokens) if tokens.is_empty() => {
                    return Err(ConfigError::NoTokens { sdk_app_id });
                }
                PendingApp::Signed(_, tokens) => tokens
                    .into_iter()
                    .map(|token| match token.len() {
                        0 => Err(ConfigError::EmptyToken { sdk_app_id }),
                        n if n > WebhookConfig::MAX_TOKEN_LEN => {
                            Err(ConfigError::TokenTooLong { sdk_app_id })
                        }
                        _ => Ok(Token(token.into_boxed_str())),
                    })
                    .collect::<Result<_, _>>()?,
            };
            apps.push(App { sdk_app_id, tokens });
        }
        if self.answer_deadline >= WebhookConfig::TENCENT_TIMEOUT {
            tracing::warn!(
                "the answer deadline is {} ms: Tencent stops waiting for an answer after {} ms",
                self.answer_deadline.as_millis(),
                WebhookConfig::TENCENT_TIMEOUT.as_millis()
            );
        }
        Ok(WebhookConfig {
            inner: Arc::new(Inner {
                apps,
                max_age: self.max_age,
                max_ahead: self.max_ahead,
                body_limit: self.body_limit,
                body_read_timeout: self.body_read_timeout,
                clock: self.clock,
                sources,
                answer_deadline: self.answer_deadline,
                failure_strategy: self.failure_strategy,
            }),
        })
    }
}

/// Why a [`WebhookConfig`] could not be built.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConfigError {
    /// No app was configured, so every request would be refused.
    NoApps,
    /// The same `SdkAppid` was configured twice.
    DuplicateApp {
        /// The repeated `SdkAppid`.
        sdk_app_id: u64,
    },
    /// An app was given an empty list of tokens; use `unsigned_app` to accept unsigned requests.
    NoTokens {
        /// The app's `SdkAppid`.
        sdk_app_id: u64,
    },
    /// A token is empty.
    EmptyToken {
        /// The app's `SdkAppid`.
        sdk_app_id: u64,
    },
    /// A token is longer than [`WebhookConfig::MAX_TOKEN_LEN`] bytes.
    TokenTooLong {
        /// The app's `SdkAppid`.
        sdk_app_id: u64,
    },
    /// The allow-list of sources names no range, so every request would be refused;
    /// leave it out to accept any source.
    NoAllowedSources,
    /// Trusted proxies were given without an allow-list of sources, where they mean
    /// nothing: any source would be accepted.
    TrustedProxiesWithoutAllowList,
    /// The body read timeout is zero, so every body would be refused.
    ZeroBodyReadTimeout,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoApps => f.write_str("no app configured"),
            Self::DuplicateApp { sdk_app_id } => {
                write!(f, "SdkAppid {sdk_app_id} configured twice")
            }
            Self::NoTokens { sdk_app_id } => write!(
                f,
                "SdkAppid {sdk_app_id} has no token; configure it as unsigned to accept unsigned requests"
            ),
            Self::EmptyToken { sdk_app_id } => write!(f, "empty token for SdkAppid {sdk_app_id}"),
            Self::TokenTooLong { sdk_app_id } => write!(
                f,
                "token for SdkAppid {sdk_app_id} is longer than {} bytes",
                WebhookConfig::MAX_TOKEN_LEN
            ),
            Self::NoAllowedSources => {
                f.write_str("the allow-list of sources is empty: every request would be refused")
            }
            Self::TrustedProxiesWithoutAllowList => f.write_str(
                "trusted proxies without an allow-list of sources: any source would be accepted",
            ),
            Self::ZeroBodyReadTimeout => f.write_str("the body read timeout is zero"),
        }
    }
}

impl StdError for ConfigError {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answer::Answer;
    use crate::request::CallbackCommand;

    #[test]
    fn defaults_match_the_documentation() {
        let config = WebhookConfig::builder().app(1, ["t"]).build().unwrap();
        assert_eq!(config.inner.max_age, Duration::from_secs(60));
        assert_eq!(config.inner.max_ahead, Duration::from_secs(60));
        assert_eq!(config.body_limit(), 1024 * 1024);
        assert_eq!(config.answer_deadline(), Duration::from_millis(1500));
        assert_eq!(config.failure_strategy(), FailureStrategy::Allow);
        assert_eq!(config.body_read_timeout(), Duration::from_secs(5));
    }

    #[test]
    fn the_answer_at_the_deadline_is_the_commands_default() {
        for command in CallbackCommand::ALL
            .iter()
            .cloned()
            .chain([CallbackCommand::from_wire(
                "Group.CallbackAfterMemberKicked",
            )])
        {
            let allowed = FailureStrategy::Allow.answer_for(&command);
            let refused = FailureStrategy::Refuse.answer_for(&command);
            assert_eq!(allowed, Answer::ok(), "{command}");
            assert_eq!(refused.status(), 200, "{command}");
            let expected = if command.is_before() {
                r#"{"ActionStatus":"OK","ErrorCode":1,"ErrorInfo":""}"#
            } else {
                r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}"#
            };
            assert_eq!(refused.body(), expected, "{command}");
        }
    }

    #[test]
    fn refuses_configurations_that_would_be_unsafe_or_useless() {
        let err = |builder: WebhookConfigBuilder| builder.build().unwrap_err();
        assert_eq!(err(WebhookConfig::builder()), ConfigError::NoApps);
        assert_eq!(
            err(WebhookConfig::builder().app(1, Vec::<String>::new())),
            ConfigError::NoTokens { sdk_app_id: 1 }
        );
        assert_eq!(
            err(WebhookConfig::builder().app(1, [""])),
            ConfigError::EmptyToken { sdk_app_id: 1 }
        );
        assert_eq!(
            err(WebhookConfig::builder().app(1, ["x".repeat(129)])),
            ConfigError::TokenTooLong { sdk_app_id: 1 }
        );
        assert_eq!(
            err(WebhookConfig::builder().app(1, ["a"]).unsigned_app(1)),
            ConfigError::DuplicateApp { sdk_app_id: 1 }
        );
        assert_eq!(
            err(WebhookConfig::builder()
                .app(1, ["a"])
                .body_read_timeout(Duration::ZERO)),
            ConfigError::ZeroBodyReadTimeout
        );
        assert!(
            WebhookConfig::builder()
                .app(1, ["x".repeat(128)])
                .build()
                .is_ok()
        );
    }

    #[test]
    fn debug_never_shows_a_token() {
        let builder = WebhookConfig::builder()
            .app(1400000000, ["s3cr3t-token", "older-s3cr3t"])
            .unsigned_app(7);
        let pending = format!("{builder:?}");
        let config = builder.build().unwrap();
        let built = format!("{config:?}");
        for text in [pending, built, format!("{:?}", config.inner.apps)] {
            assert!(!text.contains("s3cr3t"), "{text}");
        }
        assert!(format!("{config:?}").contains("1400000000 (2 secrets)"));
        assert!(format!("{config:?}").contains("7 (unsigned)"));
    }
}
