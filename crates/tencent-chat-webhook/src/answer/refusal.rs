//! Refusals with the app's own code, which Tencent passes on to the client.

use std::error::Error as StdError;
use std::fmt;

use super::Answer;

/// A refusal whose `ErrorCode` and `ErrorInfo` Tencent passes on to the client.
///
/// The code must lie in 120001–130000, the range Tencent reserves for the app.
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
        if Self::CODES.contains(&code) {
            Ok(Self {
                code,
                info: info.into(),
            })
        } else {
            Err(InvalidRefusalCode(code))
        }
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

/// A refusal code outside 120001–130000, the range Tencent passes through to clients.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvalidRefusalCode(pub u32);

impl fmt::Display for InvalidRefusalCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "refusal code {} is outside 120001..=130000", self.0)
    }
}

impl StdError for InvalidRefusalCode {}
