//! Refusals with the app's own code, which Tencent passes on to the client.

use std::error::Error as StdError;
use std::fmt;
use std::ops::RangeInclusive;

use super::Answer;

/// A refusal whose `ErrorCode` and `ErrorInfo` Tencent passes on to the client.
///
/// The code must lie in the range Tencent reserves for the app's own codes: 120001–130000
/// for messages and the Official Channel, 10100–10200 for groups. Each reply's
/// `refuse_with` checks its own range.
///
/// ```
/// use tencent_chat_webhook::answer::CustomRefusal;
///
/// let refusal = CustomRefusal::new(120001, "channel is read-only")?;
/// assert_eq!(refusal.code(), 120001);
/// assert!(CustomRefusal::new(1, "not a custom code").is_err());
/// # Ok::<(), tencent_chat_webhook::answer::InvalidRefusalCode>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomRefusal {
    code: u32,
    info: String,
}

impl CustomRefusal {
    /// The range of codes Tencent passes through to the client.
    pub const CODES: std::ops::RangeInclusive<u32> = 120_001..=130_000;

    /// A refusal with `code` and `info` for the client.
    ///
    /// # Errors
    ///
    /// [`InvalidRefusalCode`] when `code` is outside [`CustomRefusal::CODES`].
    pub fn new(code: u32, info: impl Into<String>) -> Result<Self, InvalidRefusalCode> {
        Self::within(Self::CODES, code, info)
    }

    /// A refusal with `code` from `codes`, the range a command documents.
    pub(crate) fn within(
        codes: RangeInclusive<u32>,
        code: u32,
        info: impl Into<String>,
    ) -> Result<Self, InvalidRefusalCode> {
        InvalidRefusalCode::check(codes, code).map(|code| Self {
            code,
            info: info.into(),
        })
    }

    /// The `ErrorCode`.
    pub fn code(&self) -> u32 {
        self.code
    }

    /// The `ErrorInfo` shown to the client.
    pub fn info(&self) -> &str {
        &self.info
    }

    pub(crate) fn answer(&self) -> Answer {
        Answer::verdict(self.code, &self.info, ())
    }
}

/// A refusal code outside the range its command documents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidRefusalCode {
    /// The code that was given.
    pub code: u32,
    /// The codes the command accepts.
    pub range: RangeInclusive<u32>,
}

impl InvalidRefusalCode {
    /// `code` when it lies in `range`.
    pub(crate) fn check(range: RangeInclusive<u32>, code: u32) -> Result<u32, Self> {
        if range.contains(&code) {
            Ok(code)
        } else {
            Err(Self { code, range })
        }
    }
}

impl fmt::Display for InvalidRefusalCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "refusal code {} is outside {}..={}",
            self.code,
            self.range.start(),
            self.range.end()
        )
    }
}

impl StdError for InvalidRefusalCode {}
