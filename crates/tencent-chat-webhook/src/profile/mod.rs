//! The Profile family: one after-webhook, [`PortraitSet`], sent when a user's profile
//! fields were updated.
//!
//! A profile field's value is a number or a string depending on its tag (a nickname is
//! a string, a birthday or a level a number, a custom field either), so
//! [`ProfileItem::value`] is left as untyped JSON.

mod events;

pub use self::events::{PortraitSet, ProfileItem};
pub use crate::catalog::profile::{ProfileEvent, ProfileHandler, dispatch};
