#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod extract;
mod resource;
mod response;

pub use tencent_chat_webhook::*;

pub use crate::extract::{Callback, CallbackRejection};
pub use crate::resource::official_channel_resource;
pub use crate::response::Reply;
