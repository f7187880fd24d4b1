//! Every webhook the library types, one declaration each.
//!
//! A line names a command's enum variant and wire name, its event type and handler
//! method (also the name of its fixture, `tests/fixtures/<family>/<method>.json`), and
//! for a before-webhook the type of its reply. A family block names its module, its
//! [`Family`] variant, its event enum and its handler trait. From this table follow
//! [`CallbackCommand`], [`Family`], each family's event enum, handler trait and
//! `dispatch`, [`WebhookEvent`], [`Handlers`] and the test kit's samples.
//!
//! Adding a command: write its struct (with `Display` for the log line) in its family's
//! module, add its line here and its documented sample as its fixture.
//!
//! `[not_named_in_body]` marks a command whose body has no `CallbackCommand`.

use std::fmt;
use std::sync::Arc;

use serde::de::{Deserialize, Deserializer};
use serde::{Serialize, Serializer};

use crate::answer::Answer;
use crate::request::{Delivery, Event};
use crate::webhook::Defaults;

#[macro_use]
mod expand;

webhooks! {
    /// Any one of the eleven Official Channel events.
    official_channel OfficialChannel: OfficialChannelEvent, OfficialChannelHandler {
        /// `OfficialAccount.CallbackBeforeCreateOfficialAccount`: a channel is about to be created.
        OfficialAccountBeforeCreate = "OfficialAccount.CallbackBeforeCreateOfficialAccount"
            => BeforeCreateOfficialAccount, before_create_official_account -> BeforeCreateReply;
        /// `OfficialAccount.CallbackAfterCreateOfficialAccount`: a channel was created.
        OfficialAccountAfterCreate = "OfficialAccount.CallbackAfterCreateOfficialAccount"
            => AfterCreateOfficialAccount, after_create_official_account;
        /// `OfficialAccount.CallbackAfterOfficialAccountInfoChanged`: a channel's profile changed.
        OfficialAccountAfterInfoChanged = "OfficialAccount.CallbackAfterOfficialAccountInfoChanged"
            => AfterOfficialAccountInfoChanged, after_official_account_info_changed;
        /// `OfficialAccount.CallbackAfterOfficialAccountDestroyed`: a channel was destroyed.
        OfficialAccountAfterDestroyed = "OfficialAccount.CallbackAfterOfficialAccountDestroyed"
            => AfterOfficialAccountDestroyed, after_official_account_destroyed;
        /// `OfficialAccount.CallbackBeforeAddSubscriber`: users are about to subscribe.
        OfficialAccountBeforeAddSubscriber = "OfficialAccount.CallbackBeforeAddSubscriber"
            => BeforeAddSubscriber, before_add_subscriber -> BeforeAddSubscriberReply;
        /// `OfficialAccount.CallbackAfterAddSubscriber`: users subscribed.
        OfficialAccountAfterAddSubscriber = "OfficialAccount.CallbackAfterAddSubscriber"
            => AfterAddSubscriber, after_add_subscriber;
        /// `OfficialAccount.CallbackAfterOfficialAccountFull`: a channel reached its subscriber limit.
        OfficialAccountAfterFull = "OfficialAccount.CallbackAfterOfficialAccountFull"
            => AfterOfficialAccountFull, after_official_account_full;
        /// `OfficialAccount.CallbackAfterDeleteSubscriber`: users unsubscribed or were removed.
        OfficialAccountAfterDeleteSubscriber = "OfficialAccount.CallbackAfterDeleteSubscriber"
            => AfterDeleteSubscriber, after_delete_subscriber;
        /// `OfficialAccount.CallbackBeforeSendMsg`: a channel message is about to be delivered.
        OfficialAccountBeforeSendMsg = "OfficialAccount.CallbackBeforeSendMsg"
            => BeforeSendMsg, before_send_msg -> BeforeSendMsgReply;
        /// `OfficialAccount.CallbackAfterSendMsg`: a channel message was delivered.
        OfficialAccountAfterSendMsg = "OfficialAccount.CallbackAfterSendMsg"
            => AfterSendMsg, after_send_msg;
        /// `OfficialAccount.CallbackAfterMsgWithDraw`: channel messages were recalled.
        OfficialAccountAfterMsgWithDraw = "OfficialAccount.CallbackAfterMsgWithDraw"
            => AfterMsgWithDraw, after_msg_with_draw;
    }
}

#[cfg(test)]
mod tests;
