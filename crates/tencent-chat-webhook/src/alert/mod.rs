//! The alarm family (`Alert.*`): a REST API used near its rate limit
//! ([`RequestOverLimit`]).
//!
//! An after-webhook, answered with the plain OK envelope. Tencent sends it once a
//! webhook URL is configured, without a console switch.

mod events;

pub use self::events::RequestOverLimit;
pub use crate::catalog::alert::{AlertEvent, AlertHandler, dispatch};
