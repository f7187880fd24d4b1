#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod alert;
pub mod answer;
mod body;
pub mod bot;
pub mod c2c;
mod catalog;
pub mod chatbot;
pub mod config;
pub mod content_callback;
mod de;
pub mod dedupe;
pub mod follow;
pub mod group;
mod log_line;
pub mod message;
pub mod observe;
pub mod official_channel;
pub mod pipeline;
pub mod profile;
pub mod push;
pub mod request;
pub mod sns;
mod source;
mod stage;
pub mod state;
#[cfg(test)]
mod test_support;
#[cfg(feature = "test-util")]
#[cfg_attr(docsrs, doc(cfg(feature = "test-util")))]
pub mod test_util;
pub mod time;
pub mod webhook;

// The few names a handler writes; everything else is in the modules above.
pub use crate::answer::{Answer, Rejection};
pub use crate::config::WebhookConfig;
pub use crate::request::{CallbackCommand, Delivery};
pub use crate::webhook::{Handlers, WebhookEvent};
pub use async_trait::async_trait;

/// Gives an adapter's `Callback<E>(pub Delivery<E>)` extractor `into_inner`, `Deref`,
/// `DerefMut` and `Debug`, so that every adapter's extractor is written one way.
#[doc(hidden)]
#[macro_export]
macro_rules! __callback_wrapper {
    ($name:ident) => {
        impl<E> $name<E> {
            /// The delivery: event, query and raw body.
            pub fn into_inner(self) -> $crate::Delivery<E> {
                self.0
            }
        }

        impl<E> ::std::ops::Deref for $name<E> {
            type Target = $crate::Delivery<E>;

            fn deref(&self) -> &$crate::Delivery<E> {
                &self.0
            }
        }

        impl<E> ::std::ops::DerefMut for $name<E> {
            fn deref_mut(&mut self) -> &mut $crate::Delivery<E> {
                &mut self.0
            }
        }

        impl<E: ::std::fmt::Debug> ::std::fmt::Debug for $name<E> {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_tuple(stringify!($name)).field(&self.0).finish()
            }
        }
    };
}
