//! Refusals with the app's own code, which Tencent passes on to the client.

use std::error::Error as StdError;
use std::fmt;
use std::marker::PhantomData;
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

/// The range of custom refusal codes a reply accepts, fixed by a marker type.
///
/// A reply generic over `C: RefusalCodes` (such as
/// [`BeforeSendReply`](crate::message::BeforeSendReply)) holds its refusal as a
/// [`CheckedRefusal<C>`], which is only built through a check against `C::CODES`; so a
/// reply cannot carry a code documented for another command. The trait is sealed: its
/// markers are [`MessageCodes`] and [`GroupCodes`](crate::group::GroupCodes).
pub trait RefusalCodes: sealed::Sealed {
    /// The codes Tencent passes on to the client.
    const CODES: RangeInclusive<u32>;
}

pub(crate) mod sealed {
    /// Keeps [`RefusalCodes`](super::RefusalCodes) to this crate's markers.
    pub trait Sealed {}
}

/// The custom refusal codes of one-to-one messages and the Official Channel:
/// [`CustomRefusal::CODES`], 120001–130000.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MessageCodes {}

impl sealed::Sealed for MessageCodes {}

impl RefusalCodes for MessageCodes {
    const CODES: RangeInclusive<u32> = CustomRefusal::CODES;
}

/// A [`CustomRefusal`] whose code was checked against the range `C` documents.
///
/// ```
/// use tencent_chat_webhook::answer::{CheckedRefusal, CustomRefusal, MessageCodes};
///
/// let refusal = CheckedRefusal::<MessageCodes>::new(120001, "channel is read-only")?;
/// assert_eq!((refusal.code(), refusal.info()), (120001, "channel is read-only"));
/// assert!(CheckedRefusal::<MessageCodes>::new(10100, "a group code").is_err());
/// // The Official Channel's replies hold a `CustomRefusal`: this range is one.
/// let _: CustomRefusal = refusal.into();
/// # Ok::<(), tencent_chat_webhook::answer::InvalidRefusalCode>(())
/// ```
///
/// A group's refusal is not:
///
/// ```compile_fail
/// use tencent_chat_webhook::answer::{CheckedRefusal, CustomRefusal};
/// use tencent_chat_webhook::group::GroupCodes;
///
/// let group = CheckedRefusal::<GroupCodes>::new(10100, "members only").unwrap();
/// let _: CustomRefusal = group.into();
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedRefusal<C> {
    refusal: CustomRefusal,
    codes: PhantomData<fn() -> C>,
}

impl<C: RefusalCodes> CheckedRefusal<C> {
    /// A refusal with `code` and `info` for the client.
    ///
    /// # Errors
    ///
    /// [`InvalidRefusalCode`] when `code` is outside `C::CODES`.
    pub fn new(code: u32, info: impl Into<String>) -> Result<Self, InvalidRefusalCode> {
        CustomRefusal::within(C::CODES, code, info).map(|refusal| Self {
            refusal,
            codes: PhantomData,
        })
    }
}

impl<C> CheckedRefusal<C> {
    /// The `ErrorCode`.
    pub fn code(&self) -> u32 {
        self.refusal.code()
    }

    /// The `ErrorInfo` shown to the client.
    pub fn info(&self) -> &str {
        self.refusal.info()
    }

    pub(crate) fn answer(&self) -> Answer {
        self.refusal.answer()
    }
}

/// Only a refusal checked against [`CustomRefusal::CODES`] is one: a group code (10100–10200)
/// must not reach a reply whose command documents 120001–130000.
impl From<CheckedRefusal<MessageCodes>> for CustomRefusal {
    fn from(refusal: CheckedRefusal<MessageCodes>) -> Self {
        refusal.refusal
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
