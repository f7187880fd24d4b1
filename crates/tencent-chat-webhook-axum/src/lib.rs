#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod extract;
mod response;
mod service;

pub use tencent_chat_webhook::*;

pub use crate::extract::{Callback, CallbackRejection, ExtensionCallback};
pub use crate::response::Reply;
pub use crate::service::OfficialChannelService;
