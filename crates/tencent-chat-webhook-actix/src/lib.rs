#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod deadline;
mod extract;
mod handle;
mod response;

pub use crate::deadline::AnswerDeadline;
pub use crate::extract::Callback;
pub use crate::handle::{HandlerFuture, handle};
pub use crate::response::Reply;

// The core, so that one dependency gives everything.
#[cfg(feature = "test-util")]
#[cfg_attr(docsrs, doc(cfg(feature = "test-util")))]
pub use tencent_chat_webhook::test_util;
pub use tencent_chat_webhook::{
    Answer, CallbackCommand, Delivery, Handlers, Rejection, WebhookConfig, WebhookEvent,
    async_trait,
};
pub use tencent_chat_webhook::{answer, config, dedupe, message, observe, request, time, webhook};
// The families.
pub use tencent_chat_webhook::{
    alert, bot, c2c, chatbot, content_callback, follow, group, official_channel, profile, push,
    sns, state,
};
