//! The Official Channel family: its eleven events, the replies of its three
//! before-webhooks, and a handler trait with one method per event.
//!
//! The product was called Official Account, and the wire still says so: the command
//! strings start with `OfficialAccount.` and the channel's ID is `Official_Account`.
//! Each event type is named after its command without the `Callback` prefix.
//!
//! Tencent sends every command of an app to one URL, and a route has one handler, so
//! take every event of the family on that URL with [`OfficialChannelEvent`] and match
//! on it, or implement [`OfficialChannelHandler`]. An extractor for one command
//! (e.g. [`AfterSendMsg`]) acknowledges the others without calling its handler.

mod events;
mod handler;
mod replies;

pub use self::events::{
    AfterAddSubscriber, AfterCreateOfficialAccount, AfterDeleteSubscriber, AfterMsgWithDraw,
    AfterOfficialAccountDestroyed, AfterOfficialAccountFull, AfterOfficialAccountInfoChanged,
    AfterSendMsg, BeforeAddSubscriber, BeforeCreateOfficialAccount, BeforeSendMsg,
    OfficialChannelEvent, Subscriber, WithdrawnMsg,
};
pub use self::handler::{Dispatcher, OfficialChannelHandler, dispatch};
pub use self::replies::{BeforeAddSubscriberReply, BeforeCreateReply, BeforeSendMsgReply};
