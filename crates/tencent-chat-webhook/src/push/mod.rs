//! The push family (`Push.*`): reports from the push plugin on offline pushes of
//! messages ([`OfflinePush`]) and on all-user, tag and single-user pushes
//! ([`AllMemberPush`]).
//!
//! Both are after-webhooks, answered with the plain OK envelope, and both come in
//! batches: the body is `{"Events":[…]}` with 1 to 100 events, each carrying its own
//! `CallbackCommand`, and there is no `CallbackCommand` at the top. Each type decodes
//! the whole body; the events are in its `events`. Unlike most webhooks, every time
//! here (`EventTime`, `TaskTime`, `MsgTime`) is in seconds.

mod events;

pub use self::events::{
    AllMemberPush, AllMemberPushEvent, ConversationType, OfflinePush, OfflinePushEvent, PushKind,
    PushPlatform, PushStage,
};
pub use crate::catalog::push::{PushEvent, PushHandler, dispatch};
