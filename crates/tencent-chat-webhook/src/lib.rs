#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod auth;
mod body;
mod command;
mod config;
mod de;
mod error;
mod handler;
mod message;
pub mod official_channel;
mod pipeline;
mod query;
mod response;
#[cfg(feature = "test-util")]
#[cfg_attr(docsrs, doc(cfg(feature = "test-util")))]
pub mod test_util;

pub use async_trait::async_trait;
pub use bytes::Bytes;

pub use crate::auth::sign;
pub use crate::command::CallbackCommand;
pub use crate::config::{Clock, Token, WebhookConfig, WebhookConfigBuilder};
pub use crate::error::{AuthFailure, ConfigError, Detail, InvalidRefusalCode, Rejection};
pub use crate::handler::{OfficialChannelHandler, dispatch};
pub use crate::message::{
    CustomElem, FaceElem, FileElem, ImageElem, ImageFormat, ImageInfo, ImageKind, LocationElem,
    MsgElement, RelayElem, RelayMsg, SoundElem, TextElem, VideoFileElem,
};
pub use crate::pipeline::{Acknowledgement, Authenticated, Delivery, Event, NotDelivered};
pub use crate::query::{CallbackQuery, OptPlatform};
pub use crate::response::{Ack, Answer, Envelope};
