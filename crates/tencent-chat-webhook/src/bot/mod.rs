//! The chatbot family (`Bot.*`): a message sent to a chatbot account (`@RBT#…`), one to
//! one ([`OnC2cMessage`]) or in a group that @-mentions the chatbot ([`OnGroupMessage`]).
//!
//! Both are after-webhooks: the message has been sent, and the reply is the plain OK
//! envelope. The group event needs the console's chatbot event switch and is not sent
//! for an @all mention. Each event type is named after its command without `Bot.`.

mod events;

pub use self::events::{OnC2cMessage, OnGroupMessage};
pub use crate::catalog::bot::{BotEvent, BotHandler, dispatch};
