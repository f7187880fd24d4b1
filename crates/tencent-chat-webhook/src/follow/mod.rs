//! The Follow family: two after-webhooks, sent when a user followed
//! ([`AfterFollowAdd`]) or unfollowed ([`AfterFollowDelete`]) other users.
//!
//! The two bodies name the other users differently: `FollowList[].To_Account`, one
//! string per entry, in a follow; `To_Account`, an array of strings, in an unfollow.

mod events;

pub use self::events::{AfterFollowAdd, AfterFollowDelete, FollowItem};
pub use crate::catalog::follow::{FollowEvent, FollowHandler, dispatch};
