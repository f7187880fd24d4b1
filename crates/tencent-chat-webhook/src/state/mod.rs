//! The State family: one after-webhook, [`StateChange`], sent when a user logs in, logs
//! out, loses the connection or sets a custom status.
//!
//! Tencent sends this command's `OptPlatform` spelled `IOS` where every other command
//! spells it `iOS`; both spellings (in any case) decode to the same
//! [`OptPlatform`](crate::request::OptPlatform), in the query and in `KickedDevice`.

mod events;

pub use self::events::{KickedDevice, StateAction, StateChange, StateInfo, StateReason};
pub use crate::catalog::state::{StateEvent, StateHandler, dispatch};
