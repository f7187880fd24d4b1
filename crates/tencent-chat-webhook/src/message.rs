//! Message bodies (`MsgBody`): the `TIMMsgElement` array.
//!
//! A message body is a JSON array of elements, each shaped as
//! `{"MsgType": "TIMTextElem", "MsgContent": {...}}`. [`MsgElement`] models one
//! element. The nine documented element types decode into typed content
//! structs; any other `MsgType` (for example `TIMStreamElem`) becomes
//! [`MsgElement::Unknown`] and keeps its raw `MsgContent`, so a new element
//! type never makes a webhook fail.
//!
//! Decoding does not depend on key order: `MsgContent` may come before
//! `MsgType` (Tencent's own merged-message sample does this). Numbers are
//! decoded leniently, from JSON numbers or numeric strings. Encoding always
//! writes `MsgType` first and numbers as JSON numbers, so a decoded body can be
//! sent back unchanged in a before-send reply.
//!
//! Field names follow the wire exactly, including its inconsistent casing:
//! `Url` (sound, file) vs `URL` (image) vs `VideoUrl`/`ThumbUrl`,
//! `Download_Flag` vs `VideoDownloadFlag`, `UUID` vs `VideoUUID`.
//!
//! [`BeforeSendReply`] is the reply of the before-send webhooks: deliver the message,
//! possibly with a new body, refuse it, or drop it. [`MsgExtension`] is one key-value
//! pair of a message's extensions.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::ser::{SerializeStruct, Serializer};
use serde::{Deserialize, Serialize};
use serde_json::Value;

mod extension;
mod reply;

pub use self::extension::{ExtensionOperation, MsgExtension};
pub use self::reply::BeforeSendReply;

/// Wire name of the `MsgType` key.
const MSG_TYPE: &str = "MsgType";
/// Wire name of the `MsgContent` key.
const MSG_CONTENT: &str = "MsgContent";

/// One element of a message body (`TIMMsgElement`).
///
/// On the wire: `{"MsgType": "TIMTextElem", "MsgContent": {"Text": "hi"}}`.
///
/// Build replacement bodies with [`MsgElement::text`], [`MsgElement::custom`]
/// or `From` on any content struct:
///
/// ```ignore
/// let body = vec![
///     MsgElement::text("hello"),
///     MsgElement::from(CustomElem::new(r#"{"k":1}"#).with_desc("notification")),
/// ];
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq)]
pub enum MsgElement {
    /// `TIMTextElem`: text.
    Text(TextElem),
    /// `TIMLocationElem`: a location.
    Location(LocationElem),
    /// `TIMFaceElem`: an app-defined emoji.
    Face(FaceElem),
    /// `TIMCustomElem`: an app-defined payload. At most one per message.
    Custom(CustomElem),
    /// `TIMSoundElem`: a voice message.
    Sound(SoundElem),
    /// `TIMImageElem`: an image, in several sizes.
    Image(ImageElem),
    /// `TIMFileElem`: a file.
    File(FileElem),
    /// `TIMVideoFileElem`: a video with its thumbnail.
    VideoFile(VideoFileElem),
    /// `TIMRelayElem`: a merged ("combined") forward of several messages.
    Relay(RelayElem),
    /// An element type this library does not model, such as `TIMStreamElem`.
    ///
    /// The raw content is kept as-is and is written back unchanged.
    Unknown {
        /// The wire `MsgType`, e.g. `"TIMStreamElem"`.
        msg_type: String,
        /// The raw `MsgContent`.
        content: Value,
    },
}

impl MsgElement {
    /// Wire name of the text element type.
    pub const TEXT: &'static str = "TIMTextElem";
    /// Wire name of the location element type.
    pub const LOCATION: &'static str = "TIMLocationElem";
    /// Wire name of the face (emoji) element type.
    pub const FACE: &'static str = "TIMFaceElem";
    /// Wire name of the custom element type.
    pub const CUSTOM: &'static str = "TIMCustomElem";
    /// Wire name of the sound (voice) element type.
    pub const SOUND: &'static str = "TIMSoundElem";
    /// Wire name of the image element type.
    pub const IMAGE: &'static str = "TIMImageElem";
    /// Wire name of the file element type.
    pub const FILE: &'static str = "TIMFileElem";
    /// Wire name of the video element type.
    pub const VIDEO_FILE: &'static str = "TIMVideoFileElem";
    /// Wire name of the merged-forward element type.
    pub const RELAY: &'static str = "TIMRelayElem";

    /// A text element.
    pub fn text(text: impl Into<String>) -> Self {
        Self::Text(TextElem::new(text))
    }

    /// A custom element carrying only `Data`.
    ///
    /// Use `CustomElem::new(data).with_desc(..)` and `From` to set the other
    /// fields.
    pub fn custom(data: impl Into<String>) -> Self {
        Self::Custom(CustomElem::new(data))
    }

    /// The wire `MsgType`, e.g. `"TIMTextElem"`.
    pub fn msg_type(&self) -> &str {
        match self {
            Self::Text(_) => Self::TEXT,
            Self::Location(_) => Self::LOCATION,
            Self::Face(_) => Self::FACE,
            Self::Custom(_) => Self::CUSTOM,
            Self::Sound(_) => Self::SOUND,
            Self::Image(_) => Self::IMAGE,
            Self::File(_) => Self::FILE,
            Self::VideoFile(_) => Self::VIDEO_FILE,
            Self::Relay(_) => Self::RELAY,
            Self::Unknown { msg_type, .. } => msg_type,
        }
    }

    /// The text of a text element; `None` for every other element.
    pub fn as_text(&self) -> Option<&str> {
        match self {
            Self::Text(t) => Some(&t.text),
            _ => None,
        }
    }
}

/// The text of the text elements of `body`, in order: what the `texts()` of every
/// message event gives for its `MsgBody`.
pub(crate) fn texts(body: &[MsgElement]) -> impl Iterator<Item = &str> {
    body.iter().filter_map(MsgElement::as_text)
}

macro_rules! from_elem {
    ($($variant:ident($ty:ty)),* $(,)?) => {$(
        impl From<$ty> for MsgElement {
            fn from(elem: $ty) -> Self {
                Self::$variant(elem)
            }
        }
    )*};
}

from_elem! {
    Text(TextElem),
    Location(LocationElem),
    Face(FaceElem),
    Custom(CustomElem),
    Sound(SoundElem),
    Image(ImageElem),
    File(FileElem),
    VideoFile(VideoFileElem),
    Relay(RelayElem),
}

impl Serialize for MsgElement {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("MsgElement", 2)?;
        s.serialize_field(MSG_TYPE, self.msg_type())?;
        match self {
            Self::Text(c) => s.serialize_field(MSG_CONTENT, c)?,
            Self::Location(c) => s.serialize_field(MSG_CONTENT, c)?,
            Self::Face(c) => s.serialize_field(MSG_CONTENT, c)?,
            Self::Custom(c) => s.serialize_field(MSG_CONTENT, c)?,
            Self::Sound(c) => s.serialize_field(MSG_CONTENT, c)?,
            Self::Image(c) => s.serialize_field(MSG_CONTENT, c)?,
            Self::File(c) => s.serialize_field(MSG_CONTENT, c)?,
            Self::VideoFile(c) => s.serialize_field(MSG_CONTENT, c)?,
            Self::Relay(c) => s.serialize_field(MSG_CONTENT, c)?,
            Self::Unknown { content, .. } => s.serialize_field(MSG_CONTENT, content)?,
        }
        s.end()
    }
}

/// The decoded `MsgType`; doubles as the seed that decodes `MsgContent`.
enum Kind {
    Text,
    Location,
    Face,
    Custom,
    Sound,
    Image,
    File,
    VideoFile,
    Relay,
    Unknown(String),
}

impl<'de> Deserialize<'de> for Kind {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KindVisitor;

        impl Visitor<'_> for KindVisitor {
            type Value = Kind;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a MsgType string")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Kind, E> {
                Ok(match v {
                    MsgElement::TEXT => Kind::Text,
                    MsgElement::LOCATION => Kind::Location,
                    MsgElement::FACE => Kind::Face,
                    MsgElement::CUSTOM => Kind::Custom,
                    MsgElement::SOUND => Kind::Sound,
                    MsgElement::IMAGE => Kind::Image,
                    MsgElement::FILE => Kind::File,
                    MsgElement::VIDEO_FILE => Kind::VideoFile,
                    MsgElement::RELAY => Kind::Relay,
                    other => Kind::Unknown(other.to_owned()),
                })
            }

            fn visit_string<E: de::Error>(self, v: String) -> Result<Kind, E> {
                match self.visit_str::<E>(&v)? {
                    Kind::Unknown(_) => Ok(Kind::Unknown(v)),
                    known => Ok(known),
                }
            }
        }

        deserializer.deserialize_str(KindVisitor)
    }
}

impl<'de> DeserializeSeed<'de> for Kind {
    type Value = MsgElement;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<MsgElement, D::Error> {
        Ok(match self {
            Kind::Text => MsgElement::Text(TextElem::deserialize(d)?),
            Kind::Location => MsgElement::Location(LocationElem::deserialize(d)?),
            Kind::Face => MsgElement::Face(FaceElem::deserialize(d)?),
            Kind::Custom => MsgElement::Custom(CustomElem::deserialize(d)?),
            Kind::Sound => MsgElement::Sound(SoundElem::deserialize(d)?),
            Kind::Image => MsgElement::Image(ImageElem::deserialize(d)?),
            Kind::File => MsgElement::File(FileElem::deserialize(d)?),
            Kind::VideoFile => MsgElement::VideoFile(VideoFileElem::deserialize(d)?),
            Kind::Relay => MsgElement::Relay(RelayElem::deserialize(d)?),
            Kind::Unknown(msg_type) => MsgElement::Unknown {
                msg_type,
                content: Value::deserialize(d)?,
            },
        })
    }
}

/// A key of the element object.
enum Field {
    MsgType,
    MsgContent,
    Other,
}

impl<'de> Deserialize<'de> for Field {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct FieldVisitor;

        impl Visitor<'_> for FieldVisitor {
            type Value = Field;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a field name")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Field, E> {
                Ok(match v {
                    MSG_TYPE => Field::MsgType,
                    MSG_CONTENT => Field::MsgContent,
                    _ => Field::Other,
                })
            }
        }

        deserializer.deserialize_identifier(FieldVisitor)
    }
}

struct ElementVisitor;

impl<'de> Visitor<'de> for ElementVisitor {
    type Value = MsgElement;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a message element object with MsgType and MsgContent")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<MsgElement, A::Error> {
        let mut seen_type = false;
        // Set while `MsgType` is known but `MsgContent` has not been read yet.
        let mut kind: Option<Kind> = None;
        // `MsgContent` that came before `MsgType`.
        let mut buffered: Option<Value> = None;
        let mut element: Option<MsgElement> = None;

        while let Some(key) = map.next_key::<Field>()? {
            match key {
                Field::MsgType => {
                    if seen_type {
                        return Err(de::Error::duplicate_field(MSG_TYPE));
                    }
                    seen_type = true;
                    let k: Kind = map.next_value()?;
                    match buffered.take() {
                        Some(content) => {
                            element = Some(
                                DeserializeSeed::deserialize(k, content)
                                    .map_err(de::Error::custom)?,
                            );
                        }
                        None => kind = Some(k),
                    }
                }
                Field::MsgContent => {
                    if element.is_some() || buffered.is_some() {
                        return Err(de::Error::duplicate_field(MSG_CONTENT));
                    }
                    match kind.take() {
                        // Hot path: decode straight into the content struct.
                        Some(k) => element = Some(map.next_value_seed(k)?),
                        None => buffered = Some(map.next_value()?),
                    }
                }
                Field::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }

        match element {
            Some(element) => Ok(element),
            None if !seen_type => Err(de::Error::missing_field(MSG_TYPE)),
            None => Err(de::Error::missing_field(MSG_CONTENT)),
        }
    }
}

impl<'de> Deserialize<'de> for MsgElement {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_struct("MsgElement", &[MSG_TYPE, MSG_CONTENT], ElementVisitor)
    }
}

/// `TIMTextElem` content.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct TextElem {
    /// `Text`: the message text, also used as the offline-push text.
    #[serde(rename = "Text")]
    pub text: String,
}

impl TextElem {
    /// A text element content.
    pub fn new(text: impl Into<String>) -> Self {
        Self { text: text.into() }
    }
}

/// `TIMLocationElem` content.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct LocationElem {
    /// `Desc`: description of the location. Empty when absent.
    #[serde(rename = "Desc", default)]
    pub desc: String,
    /// `Latitude`.
    #[serde(rename = "Latitude", deserialize_with = "crate::de::f64")]
    pub latitude: f64,
    /// `Longitude`.
    #[serde(rename = "Longitude", deserialize_with = "crate::de::f64")]
    pub longitude: f64,
}

impl LocationElem {
    /// A location element content.
    pub fn new(desc: impl Into<String>, latitude: f64, longitude: f64) -> Self {
        Self {
            desc: desc.into(),
            latitude,
            longitude,
        }
    }
}

/// `TIMFaceElem` content: an app-defined emoji.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct FaceElem {
    /// `Index`: the app-defined emoji index.
    #[serde(rename = "Index", deserialize_with = "crate::de::i64")]
    pub index: i64,
    /// `Data`: extra data. Empty when absent.
    #[serde(rename = "Data", default)]
    pub data: String,
}

impl FaceElem {
    /// A face element content.
    pub fn new(index: i64, data: impl Into<String>) -> Self {
        Self {
            index,
            data: data.into(),
        }
    }
}

/// `TIMCustomElem` content. At most one custom element is allowed per message.
///
/// If a message holds only one custom element and neither `Desc` nor
/// `OfflinePushInfo.Desc` is set, no offline push is sent.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CustomElem {
    /// `Data`: the app-defined payload (often JSON encoded as a string). It is
    /// not put in the APNs payload.
    #[serde(rename = "Data", default, skip_serializing_if = "Option::is_none")]
    pub data: Option<String>,
    /// `Desc`: description, used as the offline-push text.
    #[serde(rename = "Desc", default, skip_serializing_if = "Option::is_none")]
    pub desc: Option<String>,
    /// `Ext`: extension, delivered as the `ext` key of the APNs payload.
    #[serde(rename = "Ext", default, skip_serializing_if = "Option::is_none")]
    pub ext: Option<String>,
    /// `Sound`: custom APNs sound file name.
    #[serde(rename = "Sound", default, skip_serializing_if = "Option::is_none")]
    pub sound: Option<String>,
}

impl CustomElem {
    /// A custom element content with `Data` set.
    pub fn new(data: impl Into<String>) -> Self {
        Self {
            data: Some(data.into()),
            ..Self::default()
        }
    }

    /// Sets `Desc`, the offline-push text.
    #[must_use]
    pub fn with_desc(mut self, desc: impl Into<String>) -> Self {
        self.desc = Some(desc.into());
        self
    }

    /// Sets `Ext`, the APNs `ext` value.
    #[must_use]
    pub fn with_ext(mut self, ext: impl Into<String>) -> Self {
        self.ext = Some(ext.into());
        self
    }

    /// Sets `Sound`, the APNs sound file name.
    #[must_use]
    pub fn with_sound(mut self, sound: impl Into<String>) -> Self {
        self.sound = Some(sound.into());
        self
    }
}

/// `TIMSoundElem` content: a voice message.
///
/// 2.x/3.x SDKs send only `UUID`, `Size` and `Second`, so `url` and
/// `download_flag` are `None` for them.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SoundElem {
    /// `Url`: download URL (4.x+ SDKs).
    #[serde(rename = "Url", default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// `UUID`: unique ID, often an MD5. Empty when absent.
    #[serde(rename = "UUID", default)]
    pub uuid: String,
    /// `Size`: bytes. 0 when absent.
    #[serde(rename = "Size", default, deserialize_with = "crate::de::u64")]
    pub size: u64,
    /// `Second`: duration in seconds. 0 when absent.
    #[serde(rename = "Second", default, deserialize_with = "crate::de::u64")]
    pub second: u64,
    /// `Download_Flag`: `2` means download from `Url` (4.x+ SDKs).
    #[serde(
        rename = "Download_Flag",
        default,
        deserialize_with = "crate::de::opt_u32",
        skip_serializing_if = "Option::is_none"
    )]
    pub download_flag: Option<u32>,
}

/// An image format code (`ImageFormat`). Unknown codes are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ImageFormat(#[serde(deserialize_with = "crate::de::u32")] pub u32);

impl ImageFormat {
    /// JPG (1).
    pub const JPG: Self = Self(1);
    /// GIF (2).
    pub const GIF: Self = Self(2);
    /// PNG (3).
    pub const PNG: Self = Self(3);
    /// BMP (4).
    pub const BMP: Self = Self(4);
    /// Any other format (255).
    pub const OTHER: Self = Self(255);
}

/// The size variant of an image (`ImageInfoArray[].Type`). Unknown codes are
/// kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ImageKind(#[serde(deserialize_with = "crate::de::u32")] pub u32);

impl ImageKind {
    /// The original image (1).
    pub const ORIGINAL: Self = Self(1);
    /// The large image (2).
    pub const LARGE: Self = Self(2);
    /// The thumbnail (3).
    pub const THUMBNAIL: Self = Self(3);
}

/// `TIMImageElem` content: one image in several sizes.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ImageElem {
    /// `UUID`: image ID. Empty when absent.
    #[serde(rename = "UUID", default)]
    pub uuid: String,
    /// `ImageFormat`: format code. 0 when absent.
    #[serde(rename = "ImageFormat", default)]
    pub image_format: ImageFormat,
    /// `ImageInfoArray`: one entry per size (original, large, thumbnail).
    #[serde(rename = "ImageInfoArray", default)]
    pub image_info_array: Vec<ImageInfo>,
}

impl ImageElem {
    /// The first entry of the given kind, e.g. [`ImageKind::THUMBNAIL`].
    pub fn info(&self, kind: ImageKind) -> Option<&ImageInfo> {
        self.image_info_array.iter().find(|i| i.kind == kind)
    }
}

/// One size of an image (`ImageInfoArray[]`).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ImageInfo {
    /// `Type`: original, large or thumbnail. 0 when absent.
    #[serde(rename = "Type", default)]
    pub kind: ImageKind,
    /// `Size`: bytes. 0 when absent.
    #[serde(rename = "Size", default, deserialize_with = "crate::de::u64")]
    pub size: u64,
    /// `Width`: pixels. Can be 0.
    #[serde(rename = "Width", default, deserialize_with = "crate::de::u64")]
    pub width: u64,
    /// `Height`: pixels. Can be 0.
    #[serde(rename = "Height", default, deserialize_with = "crate::de::u64")]
    pub height: u64,
    /// `URL` (upper-case on the wire): download URL. Empty when absent.
    #[serde(rename = "URL", default)]
    pub url: String,
}

/// `TIMFileElem` content.
///
/// 2.x/3.x SDKs send only `UUID`, `FileSize` and `FileName`, so `url` and
/// `download_flag` are `None` for them.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct FileElem {
    /// `Url`: download URL (4.x+ SDKs).
    #[serde(rename = "Url", default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// `UUID`: file ID. Empty when absent.
    #[serde(rename = "UUID", default)]
    pub uuid: String,
    /// `FileSize`: bytes. 0 when absent.
    #[serde(rename = "FileSize", default, deserialize_with = "crate::de::u64")]
    pub file_size: u64,
    /// `FileName`: file name. Empty when absent.
    #[serde(rename = "FileName", default)]
    pub file_name: String,
    /// `Download_Flag`: `2` means download from `Url` (4.x+ SDKs).
    #[serde(
        rename = "Download_Flag",
        default,
        deserialize_with = "crate::de::opt_u32",
        skip_serializing_if = "Option::is_none"
    )]
    pub download_flag: Option<u32>,
}

/// `TIMVideoFileElem` content: a video and its thumbnail.
///
/// 2.x/3.x SDKs omit `VideoUrl`, `ThumbUrl` and both download flags.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct VideoFileElem {
    /// `VideoUrl`: video download URL (4.x+ SDKs).
    #[serde(rename = "VideoUrl", default, skip_serializing_if = "Option::is_none")]
    pub video_url: Option<String>,
    /// `VideoUUID`: video ID. Empty when absent.
    #[serde(rename = "VideoUUID", default)]
    pub video_uuid: String,
    /// `VideoSize`: bytes. 0 when absent.
    #[serde(rename = "VideoSize", default, deserialize_with = "crate::de::u64")]
    pub video_size: u64,
    /// `VideoSecond`: duration in seconds. Web clients send 0.
    #[serde(rename = "VideoSecond", default, deserialize_with = "crate::de::u64")]
    pub video_second: u64,
    /// `VideoFormat`: e.g. `"mp4"`. Empty when absent.
    #[serde(rename = "VideoFormat", default)]
    pub video_format: String,
    /// `VideoDownloadFlag` (no underscore): `2` means download from `VideoUrl`.
    #[serde(
        rename = "VideoDownloadFlag",
        default,
        deserialize_with = "crate::de::opt_u32",
        skip_serializing_if = "Option::is_none"
    )]
    pub video_download_flag: Option<u32>,
    /// `ThumbUrl`: thumbnail download URL (4.x+ SDKs).
    #[serde(rename = "ThumbUrl", default, skip_serializing_if = "Option::is_none")]
    pub thumb_url: Option<String>,
    /// `ThumbUUID`: thumbnail ID. Empty when absent.
    #[serde(rename = "ThumbUUID", default)]
    pub thumb_uuid: String,
    /// `ThumbSize`: bytes. 0 when absent.
    #[serde(rename = "ThumbSize", default, deserialize_with = "crate::de::u64")]
    pub thumb_size: u64,
    /// `ThumbWidth`: pixels. 0 when absent.
    #[serde(rename = "ThumbWidth", default, deserialize_with = "crate::de::u64")]
    pub thumb_width: u64,
    /// `ThumbHeight`: pixels. 0 when absent.
    #[serde(rename = "ThumbHeight", default, deserialize_with = "crate::de::u64")]
    pub thumb_height: u64,
    /// `ThumbFormat`: e.g. `"JPG"`. Empty when absent.
    #[serde(rename = "ThumbFormat", default)]
    pub thumb_format: String,
    /// `ThumbDownloadFlag`: `2` means download from `ThumbUrl`.
    #[serde(
        rename = "ThumbDownloadFlag",
        default,
        deserialize_with = "crate::de::opt_u32",
        skip_serializing_if = "Option::is_none"
    )]
    pub thumb_download_flag: Option<u32>,
}

/// `TIMRelayElem` content: a merged ("combined") forward of several messages.
///
/// When the forwarded messages total at most 12 KB they are inlined in
/// `msg_list`; otherwise `msg_list` is `None` and `json_msg_key` is set.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct RelayElem {
    /// `Title`. Empty when absent.
    #[serde(rename = "Title", default)]
    pub title: String,
    /// `MsgNum`: number of forwarded messages. 0 when absent.
    #[serde(rename = "MsgNum", default, deserialize_with = "crate::de::u64")]
    pub msg_num: u64,
    /// `CompatibleText`: fallback text for SDKs without merged messages.
    #[serde(rename = "CompatibleText", default)]
    pub compatible_text: String,
    /// `AbstractList`: summary lines.
    #[serde(rename = "AbstractList", default)]
    pub abstract_list: Vec<String>,
    /// `MsgList`: the forwarded messages, present only when they total at most
    /// 12 KB.
    #[serde(rename = "MsgList", default, skip_serializing_if = "Option::is_none")]
    pub msg_list: Option<Vec<RelayMsg>>,
    /// `JsonMsgKey`: present instead of `MsgList` when the messages total more
    /// than 12 KB.
    #[serde(
        rename = "JsonMsgKey",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub json_msg_key: Option<String>,
}

/// One forwarded message inside a [`RelayElem`] (`MsgList[]`).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct RelayMsg {
    /// `From_Account`: the sender. Empty when absent.
    #[serde(rename = "From_Account", default)]
    pub from_account: String,
    /// `To_Account`: the receiver (one-to-one chats only).
    #[serde(
        rename = "To_Account",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub to_account: Option<String>,
    /// `GroupId`: the group (group chats only).
    #[serde(rename = "GroupId", default, skip_serializing_if = "Option::is_none")]
    pub group_id: Option<String>,
    /// `MsgSeq`: message sequence number. 0 when absent.
    #[serde(rename = "MsgSeq", default, deserialize_with = "crate::de::u32")]
    pub msg_seq: u32,
    /// `MsgRandom`: message random number; can exceed `i32::MAX`. 0 when
    /// absent.
    #[serde(rename = "MsgRandom", default, deserialize_with = "crate::de::u32")]
    pub msg_random: u32,
    /// `MsgTimeStamp`: send time, Unix seconds. 0 when absent.
    #[serde(rename = "MsgTimeStamp", default, deserialize_with = "crate::de::u64")]
    pub msg_time_stamp: u64,
    /// `MsgBody`: the forwarded message's elements.
    #[serde(rename = "MsgBody", default)]
    pub msg_body: Vec<MsgElement>,
    /// `CloudCustomData`: the forwarded message's custom data.
    #[serde(
        rename = "CloudCustomData",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub cloud_custom_data: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn decode(json: &str) -> MsgElement {
        serde_json::from_str(json).unwrap()
    }

    /// Decodes a fixture and checks that encoding gives back the same JSON.
    fn round_trip(json: &str) -> MsgElement {
        let elem = decode(json);
        let expected: Value = serde_json::from_str(json).unwrap();
        assert_eq!(serde_json::to_value(&elem).unwrap(), expected);
        // Decoding from a `Value` (the buffered path) gives the same element.
        assert_eq!(MsgElement::deserialize(expected).unwrap(), elem);
        elem
    }

    #[test]
    fn text() {
        let elem = round_trip(include_str!("../tests/fixtures/elem_text.json"));
        assert_eq!(elem.msg_type(), "TIMTextElem");
        assert_eq!(elem.as_text(), Some("hello world"));
        assert_eq!(elem, MsgElement::text("hello world"));
    }

    #[test]
    fn location() {
        let elem = round_trip(include_str!("../tests/fixtures/elem_location.json"));
        assert_eq!(elem.msg_type(), "TIMLocationElem");
        assert_eq!(elem.as_text(), None);
        let MsgElement::Location(loc) = elem else {
            panic!("not a location: {elem:?}");
        };
        assert_eq!(loc.desc, "someinfo");
        assert_eq!(loc.latitude, 29.340656774469956);
        assert_eq!(loc.longitude, 116.77497920478824);
        assert_eq!(
            loc,
            LocationElem::new("someinfo", 29.340656774469956, 116.77497920478824)
        );
    }

    #[test]
    fn location_desc_defaults_and_numbers_may_be_strings() {
        let elem = decode(
            r#"{"MsgType":"TIMLocationElem","MsgContent":{"Latitude":"29.5","Longitude":116}}"#,
        );
        assert_eq!(elem, LocationElem::new("", 29.5, 116.0).into());
    }

    #[test]
    fn face() {
        let elem = round_trip(include_str!("../tests/fixtures/elem_face.json"));
        assert_eq!(elem.msg_type(), "TIMFaceElem");
        assert_eq!(elem, FaceElem::new(1, "content").into());
        let no_data = decode(r#"{"MsgType":"TIMFaceElem","MsgContent":{"Index":"7"}}"#);
        assert_eq!(no_data, FaceElem::new(7, "").into());
    }

    #[test]
    fn custom() {
        let elem = round_trip(include_str!("../tests/fixtures/elem_custom.json"));
        assert_eq!(elem.msg_type(), "TIMCustomElem");
        let MsgElement::Custom(c) = &elem else {
            panic!("not custom: {elem:?}");
        };
        assert_eq!(c.data.as_deref(), Some("message"));
        assert_eq!(c.desc.as_deref(), Some("notification"));
        assert_eq!(c.ext.as_deref(), Some("url"));
        assert_eq!(c.sound.as_deref(), Some("dingdong.aiff"));
        let built = CustomElem::new("message")
            .with_desc("notification")
            .with_ext("url")
            .with_sound("dingdong.aiff");
        assert_eq!(elem, MsgElement::from(built));
    }

    #[test]
    fn custom_data_only_omits_absent_fields() {
        let elem = decode(r#"{"MsgType":"TIMCustomElem","MsgContent":{"Data":"{\"k\":1}"}}"#);
        assert_eq!(elem, MsgElement::custom(r#"{"k":1}"#));
        assert_eq!(
            serde_json::to_string(&elem).unwrap(),
            r#"{"MsgType":"TIMCustomElem","MsgContent":{"Data":"{\"k\":1}"}}"#
        );
        let empty = decode(r#"{"MsgType":"TIMCustomElem","MsgContent":{}}"#);
        assert_eq!(empty, MsgElement::Custom(CustomElem::default()));
    }

    #[test]
    fn sound() {
        let elem = round_trip(include_str!("../tests/fixtures/elem_sound.json"));
        assert_eq!(elem.msg_type(), "TIMSoundElem");
        let MsgElement::Sound(s) = elem else {
            panic!("not sound: {elem:?}");
        };
        assert_eq!(
            s.url.as_deref(),
            Some(
                "https://1234-5678187359-1253735226.cos.ap-shanghai.myqcloud.com/abc123/c9be9d32c05bfb77b3edafa4312c6c7d"
            )
        );
        assert_eq!(s.uuid, "1053D4B3D61040894AC3DE44CDF28B3EC7EB7C0F");
        assert_eq!(s.size, 62351);
        assert_eq!(s.second, 1);
        assert_eq!(s.download_flag, Some(2));
    }

    #[test]
    fn sound_legacy_has_no_url_or_flag() {
        let json = include_str!("../tests/fixtures/elem_sound_legacy.json");
        let elem = round_trip(json);
        let MsgElement::Sound(s) = &elem else {
            panic!("not sound: {elem:?}");
        };
        assert_eq!(s.url, None);
        assert_eq!(s.download_flag, None);
        assert_eq!(s.uuid, "305c0201");
        assert_eq!(s.size, 62351);
        assert_eq!(s.second, 1);
        let out = serde_json::to_string(&elem).unwrap();
        assert!(
            !out.contains("Url") && !out.contains("Download_Flag"),
            "{out}"
        );
    }

    #[test]
    fn image() {
        let elem = round_trip(include_str!("../tests/fixtures/elem_image.json"));
        assert_eq!(elem.msg_type(), "TIMImageElem");
        let MsgElement::Image(img) = elem else {
            panic!("not image: {elem:?}");
        };
        assert_eq!(img.uuid, "1853095_D61040894AC3DE44CDFFFB3EC7EB720F");
        assert_eq!(img.image_format, ImageFormat::JPG);
        assert_eq!(img.image_info_array.len(), 3);
        let kinds: Vec<_> = img.image_info_array.iter().map(|i| i.kind).collect();
        assert_eq!(
            kinds,
            [ImageKind::ORIGINAL, ImageKind::LARGE, ImageKind::THUMBNAIL]
        );
        let original = img.info(ImageKind::ORIGINAL).unwrap();
        assert_eq!(original.size, 1853095);
        assert_eq!(original.width, 2448);
        assert_eq!(original.height, 3264);
        assert_eq!(
            original.url,
            "http://xxx/3200490432214177468_144115198371610486_D61040894AC3DE44CDFFFB3EC7EB720F/0"
        );
        // The docs' large image is bigger than the original; keep it as sent.
        assert_eq!(img.info(ImageKind::LARGE).unwrap().size, 2565240);
        let thumb = img.info(ImageKind::THUMBNAIL).unwrap();
        assert_eq!((thumb.size, thumb.width, thumb.height), (12535, 0, 0));
        assert!(thumb.url.ends_with("/198"));
    }

    #[test]
    fn image_numbers_may_be_strings_and_encode_as_numbers() {
        let json = include_str!("../tests/fixtures/elem_string_numbers.json");
        let elem = decode(json);
        let MsgElement::Image(img) = &elem else {
            panic!("not image: {elem:?}");
        };
        assert_eq!(img.image_format, ImageFormat::PNG);
        assert_eq!(img.image_info_array.len(), 2);
        let original = &img.image_info_array[0];
        assert_eq!(original.kind, ImageKind::ORIGINAL);
        assert_eq!(
            (original.size, original.width, original.height),
            (1853095, 2448, 3264)
        );
        assert_eq!(img.image_info_array[1].kind, ImageKind::THUMBNAIL);
        assert_eq!(img.image_info_array[1].size, 12535);

        let out = serde_json::to_value(&elem).unwrap();
        assert_eq!(out["MsgContent"]["ImageFormat"], json!(3));
        assert_eq!(out["MsgContent"]["ImageInfoArray"][0]["Type"], json!(1));
        assert_eq!(
            out["MsgContent"]["ImageInfoArray"][0]["Size"],
            json!(1853095)
        );
        assert_eq!(out["MsgContent"]["ImageInfoArray"][1]["Width"], json!(0));
    }

    #[test]
    fn image_keeps_unknown_codes() {
        let json = json!({"MsgType": "TIMImageElem", "MsgContent": {
            "UUID": "x", "ImageFormat": 7,
            "ImageInfoArray": [{"Type": 9, "Size": 1, "Width": 2, "Height": 3, "URL": "u"}]}});
        let elem = MsgElement::deserialize(&json).unwrap();
        let MsgElement::Image(img) = &elem else {
            panic!("not image: {elem:?}");
        };
        assert_eq!(img.image_format, ImageFormat(7));
        assert_eq!(img.image_info_array[0].kind, ImageKind(9));
        assert_eq!(img.info(ImageKind::ORIGINAL), None);
        assert_eq!(serde_json::to_value(&elem).unwrap(), json);
        assert_eq!(ImageFormat::OTHER, ImageFormat(255));
        assert_eq!(ImageFormat::GIF.0, 2);
        assert_eq!(ImageFormat::BMP.0, 4);
    }

    #[test]
    fn file() {
        let elem = round_trip(include_str!("../tests/fixtures/elem_file.json"));
        assert_eq!(elem.msg_type(), "TIMFileElem");
        let MsgElement::File(f) = elem else {
            panic!("not file: {elem:?}");
        };
        assert_eq!(
            f.url.as_deref(),
            Some(
                "https://7492-5678539059-1253735326.cos.ap-shanghai.myqcloud.com/abc123/49be9d32c0fbfba7b31dafa4312c6c7d"
            )
        );
        assert_eq!(f.uuid, "1053D4B3D61040894AC3DE44CDF28B3EC7EB7C0F");
        assert_eq!(f.file_size, 1773552);
        assert_eq!(
            f.file_name,
            "file:///private/var/Application/tmp/trim.B75D5F9B-1426-4913-8845-90DD46797FCD.MOV"
        );
        assert_eq!(f.download_flag, Some(2));
    }

    #[test]
    fn file_legacy_has_no_url_or_flag() {
        let elem = round_trip(include_str!("../tests/fixtures/elem_file_legacy.json"));
        let MsgElement::File(f) = elem else {
            panic!("not file: {elem:?}");
        };
        assert_eq!(f.url, None);
        assert_eq!(f.download_flag, None);
        assert_eq!(f.uuid, "1053D4B3D61040894AC3DE44CDF28B3EC7EB7C0F");
        assert_eq!(f.file_size, 1773552);
        assert!(f.file_name.ends_with(".MOV"));
    }

    #[test]
    fn video() {
        let elem = round_trip(include_str!("../tests/fixtures/elem_video.json"));
        assert_eq!(elem.msg_type(), "TIMVideoFileElem");
        let MsgElement::VideoFile(v) = elem else {
            panic!("not video: {elem:?}");
        };
        assert_eq!(
            v.video_url.as_deref(),
            Some(
                "https://0345-1400187352-1256635546.cos.ap-shanghai.myqcloud.com/abcd/f7c6ad3c50af7d83e23efe0a208b90c9"
            )
        );
        assert_eq!(v.video_uuid, "5da38ba89d6521011e1f6f3fd6692e35");
        assert_eq!(v.video_size, 1194603);
        assert_eq!(v.video_second, 5);
        assert_eq!(v.video_format, "mp4");
        assert_eq!(v.video_download_flag, Some(2));
        assert_eq!(
            v.thumb_url.as_deref(),
            Some(
                "https://0345-1400187352-1256635546.cos.ap-shanghai.myqcloud.com/abcd/a6c170c9c599280cb06e0523d7a1f37b"
            )
        );
        assert_eq!(v.thumb_uuid, "6edaffedef5150684510cf97957b7bc8");
        assert_eq!(v.thumb_size, 13907);
        assert_eq!((v.thumb_width, v.thumb_height), (720, 1280));
        assert_eq!(v.thumb_format, "JPG");
        assert_eq!(v.thumb_download_flag, Some(2));
    }

    #[test]
    fn video_legacy_has_no_urls_or_flags() {
        let elem = round_trip(include_str!("../tests/fixtures/elem_video_legacy.json"));
        let MsgElement::VideoFile(v) = elem else {
            panic!("not video: {elem:?}");
        };
        assert_eq!(v.video_url, None);
        assert_eq!(v.thumb_url, None);
        assert_eq!(v.video_download_flag, None);
        assert_eq!(v.thumb_download_flag, None);
        assert_eq!(v.video_uuid, "5da38ba89d6521011e1f6f3fd6692e35");
        assert_eq!(v.thumb_width, 720);
    }

    #[test]
    fn media_flag_spellings_are_not_interchangeable() {
        // `Download_Flag` belongs to sound/file; video uses `VideoDownloadFlag`.
        let elem = decode(
            r#"{"MsgType":"TIMVideoFileElem","MsgContent":{"VideoUUID":"v","Download_Flag":2,"VideoUrl":"a","Url":"b"}}"#,
        );
        let MsgElement::VideoFile(v) = elem else {
            panic!("not video: {elem:?}");
        };
        assert_eq!(v.video_download_flag, None);
        assert_eq!(v.video_url.as_deref(), Some("a"));
        // Image URLs are upper-case `URL`; `Url` is ignored there.
        let elem = decode(
            r#"{"MsgType":"TIMImageElem","MsgContent":{"ImageInfoArray":[{"Type":"2","Url":"x"}]}}"#,
        );
        let MsgElement::Image(img) = elem else {
            panic!("not image: {elem:?}");
        };
        assert_eq!(img.image_info_array[0].kind, ImageKind::LARGE);
        assert_eq!(img.image_info_array[0].url, "");
    }

    #[test]
    fn relay_content_first_with_large_random() {
        let elem = round_trip(include_str!("../tests/fixtures/elem_relay.json"));
        assert_eq!(elem.msg_type(), "TIMRelayElem");
        let MsgElement::Relay(r) = elem else {
            panic!("not relay: {elem:?}");
        };
        assert_eq!(r.title, "Group chat history");
        assert_eq!(r.msg_num, 2);
        assert!(r.compatible_text.starts_with("The SDK version"));
        assert_eq!(
            r.abstract_list,
            ["A: What do you think of this?", "B: I think it's great."]
        );
        assert_eq!(r.json_msg_key, None);
        let list = r.msg_list.unwrap();
        assert_eq!(list.len(), 2);
        assert_eq!(list[0].from_account, "A");
        assert_eq!(list[0].to_account, None);
        assert_eq!(list[0].group_id.as_deref(), Some("group1"));
        assert_eq!(list[0].msg_seq, 85);
        assert_eq!(list[0].msg_random, 3_998_651_049);
        assert_eq!(list[0].msg_time_stamp, 1664437702);
        assert_eq!(list[0].cloud_custom_data, None);
        assert_eq!(
            list[0].msg_body,
            [MsgElement::text(" What do you think of this?")]
        );
        assert_eq!(list[1].from_account, "B");
        assert_eq!(list[1].msg_seq, 86);
        assert_eq!(list[1].msg_random, 965790);
        assert_eq!(list[1].msg_body[0].as_text(), Some("I think it's great."));
    }

    #[test]
    fn relay_large_has_key_instead_of_list() {
        let elem = round_trip(include_str!("../tests/fixtures/elem_relay_large.json"));
        let MsgElement::Relay(r) = elem else {
            panic!("not relay: {elem:?}");
        };
        assert_eq!(r.msg_list, None);
        assert_eq!(
            r.json_msg_key.as_deref(),
            Some("1400187352_A_1664437702_3998651049_relay")
        );
        assert_eq!(r.msg_num, 40);
        assert_eq!(r.abstract_list.len(), 3);
    }

    #[test]
    fn relay_whole_element_content_first() {
        // The outer element also has MsgContent first, so the nested bodies
        // are decoded from a buffered `Value`.
        let json = r#"{"MsgContent":{"Title":"t","MsgNum":"1","MsgList":[{"From_Account":"A","To_Account":"B","MsgSeq":"1","MsgRandom":"3998651049","MsgTimeStamp":"1664437702","CloudCustomData":"ccd","MsgBody":[{"MsgContent":{"Index":3},"MsgType":"TIMFaceElem"},{"MsgContent":{"a":1},"MsgType":"TIMNewElem"}]}]},"MsgType":"TIMRelayElem"}"#;
        let elem = decode(json);
        let MsgElement::Relay(r) = elem else {
            panic!("not relay: {elem:?}");
        };
        let msg = &r.msg_list.as_ref().unwrap()[0];
        assert_eq!(msg.to_account.as_deref(), Some("B"));
        assert_eq!(msg.group_id, None);
        assert_eq!(msg.msg_random, 3_998_651_049);
        assert_eq!(msg.cloud_custom_data.as_deref(), Some("ccd"));
        assert_eq!(msg.msg_body[0], FaceElem::new(3, "").into());
        assert_eq!(
            msg.msg_body[1],
            MsgElement::Unknown {
                msg_type: "TIMNewElem".into(),
                content: json!({"a": 1})
            }
        );
    }

    #[test]
    fn unknown_type_keeps_raw_content() {
        let json = include_str!("../tests/fixtures/elem_unknown.json");
        let elem = round_trip(json);
        assert_eq!(elem.msg_type(), "TIMStreamElem");
        assert_eq!(elem.as_text(), None);
        let MsgElement::Unknown { msg_type, content } = &elem else {
            panic!("not unknown: {elem:?}");
        };
        assert_eq!(msg_type, "TIMStreamElem");
        assert_eq!(content["Chunks"][1]["Markdown"], json!("**world**"));
        assert_eq!(content["Chunks"][1]["IsLast"], json!(true));
        assert_eq!(
            content["StreamMsgID"],
            json!("stream-144115212826584951-1700000000")
        );
    }

    #[test]
    fn unknown_type_content_first_and_non_object_content() {
        let elem = decode(r#"{"MsgContent":[1,"two"],"MsgType":"TIMFutureElem"}"#);
        assert_eq!(
            elem,
            MsgElement::Unknown {
                msg_type: "TIMFutureElem".into(),
                content: json!([1, "two"])
            }
        );
        let elem = decode(r#"{"MsgType":"TIMFutureElem","MsgContent":null}"#);
        assert_eq!(
            elem,
            MsgElement::Unknown {
                msg_type: "TIMFutureElem".into(),
                content: Value::Null
            }
        );
    }

    #[test]
    fn content_first_text() {
        let json = include_str!("../tests/fixtures/elem_content_first.json");
        let elem = round_trip(json);
        assert_eq!(elem.as_text(), Some("hello world"));
        // Encoding puts MsgType first.
        assert_eq!(
            serde_json::to_string(&elem).unwrap(),
            r#"{"MsgType":"TIMTextElem","MsgContent":{"Text":"hello world"}}"#
        );
    }

    #[test]
    fn unknown_keys_are_ignored() {
        let elem = decode(
            r#"{"Extra":{"a":[1]},"MsgType":"TIMTextElem","Other":2,"MsgContent":{"Text":"hi","Foo":1},"Z":null}"#,
        );
        assert_eq!(elem, MsgElement::text("hi"));
        let elem = decode(r#"{"MsgContent":{"Text":"hi"},"X":1,"MsgType":"TIMTextElem"}"#);
        assert_eq!(elem, MsgElement::text("hi"));
    }

    #[test]
    fn missing_or_bad_parts_are_errors() {
        let err = |json: &str| serde_json::from_str::<MsgElement>(json).unwrap_err();
        assert!(
            err(r#"{"MsgContent":{"Text":"hi"}}"#)
                .to_string()
                .contains("MsgType")
        );
        assert!(
            err(r#"{"MsgType":"TIMTextElem"}"#)
                .to_string()
                .contains("MsgContent")
        );
        assert!(
            err(r#"{"MsgType":"TIMFutureElem"}"#)
                .to_string()
                .contains("MsgContent")
        );
        assert!(err(r#"{}"#).to_string().contains("MsgType"));
        // `Text` is required.
        err(r#"{"MsgType":"TIMTextElem","MsgContent":{}}"#);
        err(r#"{"MsgContent":{},"MsgType":"TIMTextElem"}"#);
        err(r#"{"MsgType":"TIMTextElem","MsgContent":{"Text":5}}"#);
        err(r#"{"MsgType":"TIMTextElem","MsgContent":null}"#);
        err(r#"{"MsgType":7,"MsgContent":{"Text":"hi"}}"#);
        err(r#"{"MsgType":"TIMFaceElem","MsgContent":{"Index":"x"}}"#);
        err(r#"{"MsgType":"TIMTextElem","MsgType":"TIMTextElem","MsgContent":{"Text":"hi"}}"#);
        err(r#"{"MsgType":"TIMTextElem","MsgContent":{"Text":"a"},"MsgContent":{"Text":"b"}}"#);
        err(r#"{"MsgContent":{"Text":"a"},"MsgContent":{"Text":"b"},"MsgType":"TIMTextElem"}"#);
        err(r#"["TIMTextElem",{"Text":"hi"}]"#);
        err(r#""TIMTextElem""#);
    }

    #[test]
    fn body_with_mixed_elements() {
        let body = format!(
            "[{},{},{}]",
            include_str!("../tests/fixtures/elem_text.json"),
            include_str!("../tests/fixtures/elem_unknown.json"),
            include_str!("../tests/fixtures/elem_custom.json"),
        );
        let body: Vec<MsgElement> = serde_json::from_str(&body).unwrap();
        let types: Vec<_> = body.iter().map(MsgElement::msg_type).collect();
        assert_eq!(types, ["TIMTextElem", "TIMStreamElem", "TIMCustomElem"]);
        let texts: Vec<_> = body.iter().filter_map(MsgElement::as_text).collect();
        assert_eq!(texts, ["hello world"]);
    }

    #[test]
    fn constructors_and_from() {
        assert_eq!(
            serde_json::to_value(MsgElement::text("x")).unwrap(),
            json!({"MsgType": "TIMTextElem", "MsgContent": {"Text": "x"}})
        );
        assert_eq!(
            serde_json::to_value(MsgElement::from(LocationElem::new("d", 1.5, -2.0))).unwrap(),
            json!({"MsgType": "TIMLocationElem", "MsgContent": {"Desc": "d", "Latitude": 1.5, "Longitude": -2.0}})
        );
        assert_eq!(
            serde_json::to_value(MsgElement::from(FaceElem::new(-1, ""))).unwrap(),
            json!({"MsgType": "TIMFaceElem", "MsgContent": {"Index": -1, "Data": ""}})
        );
        assert_eq!(
            serde_json::to_value(MsgElement::from(CustomElem::new("d").with_ext("e"))).unwrap(),
            json!({"MsgType": "TIMCustomElem", "MsgContent": {"Data": "d", "Ext": "e"}})
        );
        let cases: [(MsgElement, &str); 9] = [
            (TextElem::new("t").into(), MsgElement::TEXT),
            (LocationElem::default().into(), MsgElement::LOCATION),
            (FaceElem::default().into(), MsgElement::FACE),
            (CustomElem::default().into(), MsgElement::CUSTOM),
            (SoundElem::default().into(), MsgElement::SOUND),
            (ImageElem::default().into(), MsgElement::IMAGE),
            (FileElem::default().into(), MsgElement::FILE),
            (VideoFileElem::default().into(), MsgElement::VIDEO_FILE),
            (RelayElem::default().into(), MsgElement::RELAY),
        ];
        for (elem, name) in cases {
            assert_eq!(elem.msg_type(), name);
            // Every element encodes and decodes back to itself.
            let value = serde_json::to_value(&elem).unwrap();
            assert_eq!(value["MsgType"], json!(name));
            assert_eq!(MsgElement::deserialize(&value).unwrap(), elem);
        }
    }
}
