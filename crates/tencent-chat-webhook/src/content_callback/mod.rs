//! The content moderation family (`ContentCallback.*`): the result of Tencent's cloud
//! moderation of a message, a profile or a group's details ([`ResultNotify`]).
//!
//! An after-webhook, answered with the plain OK envelope (the doc shows no reply;
//! UNVERIFIED). By default only content found in violation is reported; the console
//! can report every result. The body has no `CallbackCommand` field, and spells some
//! names its own way: `SdkAppId`, `ToGroupId`, `MsgID`, `FileURL`.

mod events;

pub use self::events::{ContactItem, ContactType, ResultNotify};
pub use crate::catalog::content_callback::{
    ContentCallbackEvent, ContentCallbackHandler, dispatch,
};
