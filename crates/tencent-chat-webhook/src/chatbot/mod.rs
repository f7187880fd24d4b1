//! The smart chatbot family (`Chatbot.*`): a one-to-one signal (custom) message to a
//! chatbot account ([`OnC2cSignalMessage`]).
//!
//! **UNVERIFIED**: no official page documents this command. Its fields come from a
//! third-party SDK's model, so every field is optional and any JSON in `Data` is kept;
//! the reply is taken to be the plain OK envelope of an after-webhook.

mod events;

pub use self::events::OnC2cSignalMessage;
pub use crate::catalog::chatbot::{ChatbotEvent, ChatbotHandler, dispatch};
