//! Message extensions: key-value pairs attached to a sent message, reported by the
//! one-to-one and group extension webhooks.

use serde::{Deserialize, Serialize};

/// What happened to a message's extensions (`OperateType`). Unknown codes are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ExtensionOperation(#[serde(deserialize_with = "crate::de::u32")] pub u32);

impl ExtensionOperation {
    /// Key-value pairs were set (1).
    pub const SET: Self = Self(1);
    /// Key-value pairs were deleted (2).
    pub const DELETE: Self = Self(2);
    /// Every key-value pair was cleared (3).
    pub const CLEAR: Self = Self(3);
}

/// One entry of `ExtensionList`: a key-value pair of a message's extensions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MsgExtension {
    /// The key (`Key`).
    #[serde(rename = "Key")]
    pub key: String,
    /// The value (`Value`); empty when the key was deleted.
    #[serde(rename = "Value", default)]
    pub value: String,
    /// The key's version (`Seq`).
    #[serde(rename = "Seq", default, deserialize_with = "crate::de::u64")]
    pub seq: u64,
}
