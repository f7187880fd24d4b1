//! The Official Channel family: its eleven events, the replies of its three
//! before-webhooks, and a handler trait with one method per event.
//!
//! The product was called Official Account, and the wire still says so: the command
//! strings start with `OfficialAccount.` and the channel's ID is `Official_Account`.
//! Each event type is named after its command without the `Callback` prefix.
//!
//! Tencent sends every command of an app to one URL, and a route has one handler, so
//! take every event of the family on that URL with [`OfficialChannelEvent`] and match
//! on it, or implement [`OfficialChannelHandler`] and mount it with
//! [`Handlers::official_channel`](crate::Handlers::official_channel). An extractor
//! for one command (e.g. [`AfterSendMsg`]) acknowledges the others without calling its
//! handler.

mod events;
mod replies;

pub use self::events::{
    AfterAddSubscriber, AfterCreateOfficialAccount, AfterDeleteSubscriber, AfterMsgWithDraw,
    AfterOfficialAccountDestroyed, AfterOfficialAccountFull, AfterOfficialAccountInfoChanged,
    AfterSendMsg, BeforeAddSubscriber, BeforeCreateOfficialAccount, BeforeSendMsg, Subscriber,
    WithdrawnMsg,
};
pub use self::replies::{BeforeAddSubscriberReply, BeforeCreateReply, BeforeSendMsgReply};
pub use crate::catalog::official_channel::{
    OfficialChannelEvent, OfficialChannelHandler, dispatch,
};
