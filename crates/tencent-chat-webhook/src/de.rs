//! Lenient number decoding.
//!
//! Tencent documents its numeric fields as integers, yet several of its own
//! samples send them as numeric strings (`"EventTime":"1670574414123"`). These
//! helpers accept either form, for use with `#[serde(deserialize_with = "...")]`.

use std::fmt;
use std::marker::PhantomData;
use std::str::FromStr;

use serde::Deserializer;
use serde::de::{self, Visitor};

/// A number type that can come from a JSON integer, a JSON float or a string.
trait Lenient: Sized + FromStr {
    const EXPECTING: &'static str;
    fn from_u64(v: u64) -> Option<Self>;
    fn from_i64(v: i64) -> Option<Self>;
    fn from_f64(v: f64) -> Option<Self>;
}

macro_rules! lenient_int {
    ($($ty:ty => $expecting:literal),* $(,)?) => {$(
        impl Lenient for $ty {
            const EXPECTING: &'static str = $expecting;
            fn from_u64(v: u64) -> Option<Self> {
                v.try_into().ok()
            }
            fn from_i64(v: i64) -> Option<Self> {
                v.try_into().ok()
            }
            fn from_f64(_: f64) -> Option<Self> {
                None
            }
        }
    )*};
}

lenient_int! {
    u64 => "an unsigned integer or a string of digits",
    u32 => "a 32-bit unsigned integer or a string of digits",
    i64 => "an integer or a string of digits",
}

impl Lenient for f64 {
    const EXPECTING: &'static str = "a number or a numeric string";
    fn from_u64(v: u64) -> Option<Self> {
        Some(v as f64)
    }
    fn from_i64(v: i64) -> Option<Self> {
        Some(v as f64)
    }
    fn from_f64(v: f64) -> Option<Self> {
        Some(v)
    }
}

struct LenientVisitor<T>(PhantomData<T>);

impl<T: Lenient> Visitor<'_> for LenientVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(T::EXPECTING)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
        T::from_u64(v).ok_or_else(|| E::invalid_value(de::Unexpected::Unsigned(v), &self))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
        T::from_i64(v).ok_or_else(|| E::invalid_value(de::Unexpected::Signed(v), &self))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<T, E> {
        T::from_f64(v).ok_or_else(|| E::invalid_value(de::Unexpected::Float(v), &self))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        v.trim()
            .parse()
            .map_err(|_| E::invalid_value(de::Unexpected::Str(v), &self))
    }
}

fn lenient<'de, D: Deserializer<'de>, T: Lenient>(d: D) -> Result<T, D::Error> {
    d.deserialize_any(LenientVisitor(PhantomData))
}

/// A `u64` from an integer or a string of digits.
pub(crate) fn u64<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    lenient(d)
}

/// A `u32` from an integer or a string of digits.
pub(crate) fn u32<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    lenient(d)
}

/// An `i64` from an integer or a string of digits.
pub(crate) fn i64<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    lenient(d)
}

/// An `f64` from a number or a numeric string.
pub(crate) fn f64<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    lenient(d)
}

/// Wraps a lenient number so that `Option` fields can use it.
struct Opt<T>(PhantomData<T>);

impl<'de, T: Lenient> Visitor<'de> for Opt<T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "null or {}", T::EXPECTING)
    }

    fn visit_none<E: de::Error>(self) -> Result<Option<T>, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Option<T>, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Option<T>, D::Error> {
        d.deserialize_any(Present(PhantomData))
    }
}

/// A present optional number: lenient, and an empty (or blank) string means none, as
/// some of Tencent's samples send it (`"MsgRandom": ""`).
struct Present<T>(PhantomData<T>);

impl<T: Lenient> Visitor<'_> for Present<T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "null, an empty string or {}", T::EXPECTING)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Option<T>, E> {
        LenientVisitor(PhantomData).visit_u64(v).map(Some)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Option<T>, E> {
        LenientVisitor(PhantomData).visit_i64(v).map(Some)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Option<T>, E> {
        LenientVisitor(PhantomData).visit_f64(v).map(Some)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Option<T>, E> {
        if v.trim().is_empty() {
            Ok(None)
        } else {
            LenientVisitor(PhantomData).visit_str(v).map(Some)
        }
    }
}

fn optional<'de, D: Deserializer<'de>, T: Lenient>(d: D) -> Result<Option<T>, D::Error> {
    d.deserialize_option(Opt(PhantomData))
}

/// An optional `u64` (absent, `null` or an empty string is none); pair with
/// `#[serde(default)]`.
pub(crate) fn opt_u64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    optional(d)
}

/// An optional `u32` (absent, `null` or an empty string is none); pair with
/// `#[serde(default)]`.
pub(crate) fn opt_u32<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
    optional(d)
}

struct FlagVisitor;

impl Visitor<'_> for FlagVisitor {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("0, 1, a string of digits or a boolean")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<bool, E> {
        Ok(v)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<bool, E> {
        Ok(v == 1)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<bool, E> {
        Ok(v == 1)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<bool, E> {
        match v.trim().parse::<u64>() {
            Ok(n) => Ok(n == 1),
            Err(_) => Err(E::invalid_value(de::Unexpected::Str(v), &self)),
        }
    }
}

/// A protocol flag where `1` means yes and any other number means no.
pub(crate) fn flag<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    d.deserialize_any(FlagVisitor)
}

/// Serializes a flag back as the protocol's `1` or `0`.
pub(crate) fn serialize_flag<S: serde::Serializer>(v: &bool, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u8(u8::from(*v))
}

/// A list of strings where Tencent also sends one string, read as a list of one
/// (`To_Account`, `TopicIdList`).
pub(crate) fn one_or_many<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    d.deserialize_any(OneOrMany { null: false })
}

/// [`one_or_many`] for an optional field, where `null` reads as an empty list
/// (`TextContent`).
pub(crate) fn opt_one_or_many<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    d.deserialize_any(OneOrMany { null: true })
}

struct OneOrMany {
    /// Whether `null` is an empty list rather than an error.
    null: bool,
}

impl<'de> Visitor<'de> for OneOrMany {
    type Value = Vec<String>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string or an array of strings")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Vec<String>, E> {
        Ok(vec![v.to_owned()])
    }

    fn visit_unit<E: de::Error>(self) -> Result<Vec<String>, E> {
        if self.null {
            Ok(Vec::new())
        } else {
            Err(E::invalid_type(de::Unexpected::Unit, &self))
        }
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<String>, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(items)
    }
}

/// Declares a closed list of string values Tencent documents (`Login`, `Add_Type_Both`, …)
/// as an enum that keeps any other value in `Other`, so a value added later never fails
/// a decode. Values are matched case-insensitively against the documented spelling and
/// any listed alternative spellings, and serialize back in the documented spelling.
macro_rules! wire_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $(
                $(#[$variant_meta:meta])*
                $variant:ident = $wire:literal $(| $alias:literal)*,
            )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        $vis enum $name {
            $(
                $(#[$variant_meta])*
                $variant,
            )*
            /// Any other value, as received.
            Other(String),
        }

        impl $name {
            /// Reads a wire value; unknown values become `Other`.
            $vis fn from_wire(value: &str) -> Self {
                $(
                    if value.eq_ignore_ascii_case($wire)
                        $(|| value.eq_ignore_ascii_case($alias))*
                    {
                        return Self::$variant;
                    }
                )*
                Self::Other(value.to_owned())
            }

            /// The documented spelling, or the value as received.
            $vis fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)*
                    Self::Other(other) => other,
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                <String as ::serde::Deserialize>::deserialize(deserializer)
                    .map(|value| Self::from_wire(&value))
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
    };
}

pub(crate) use wire_enum;

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Sample {
        #[serde(deserialize_with = "super::u64")]
        time: u64,
        #[serde(deserialize_with = "super::u32")]
        random: u32,
        #[serde(deserialize_with = "super::f64")]
        latitude: f64,
        #[serde(default, deserialize_with = "super::opt_u32")]
        size: Option<u32>,
        #[serde(deserialize_with = "super::flag")]
        online_only: bool,
    }

    fn parse(json: &str) -> Result<Sample, serde_json::Error> {
        serde_json::from_str(json)
    }

    #[test]
    fn numbers_and_numeric_strings_decode_alike() {
        let numbers = parse(
            r#"{"time":1670574414123,"random":3998651049,"latitude":29.5,"size":7,"online_only":1}"#,
        )
        .unwrap();
        let strings = parse(
            r#"{"time":"1670574414123","random":"3998651049","latitude":"29.5","size":"7","online_only":"1"}"#,
        )
        .unwrap();
        assert_eq!(numbers, strings);
        assert_eq!(numbers.random, 3_998_651_049);
        assert!(numbers.online_only);
    }

    #[test]
    fn optional_numbers_may_be_absent_or_null() {
        let absent = parse(r#"{"time":1,"random":2,"latitude":3,"online_only":0}"#).unwrap();
        assert_eq!(absent.size, None);
        assert!(!absent.online_only);
        let null =
            parse(r#"{"time":1,"random":2,"latitude":3,"size":null,"online_only":0}"#).unwrap();
        assert_eq!(null.size, None);
        let blank =
            parse(r#"{"time":1,"random":2,"latitude":3,"size":" ","online_only":0}"#).unwrap();
        assert_eq!(blank.size, None);
        assert!(parse(r#"{"time":1,"random":2,"latitude":3,"size":"x","online_only":0}"#).is_err());
    }

    #[test]
    fn out_of_range_and_garbage_are_errors() {
        assert!(parse(r#"{"time":-1,"random":2,"latitude":3,"online_only":0}"#).is_err());
        assert!(parse(r#"{"time":1,"random":4294967296,"latitude":3,"online_only":0}"#).is_err());
        assert!(parse(r#"{"time":"12a","random":2,"latitude":3,"online_only":0}"#).is_err());
        assert!(parse(r#"{"time":1.5,"random":2,"latitude":3,"online_only":0}"#).is_err());
        assert!(parse(r#"{"time":1,"random":2,"latitude":3,"online_only":"yes"}"#).is_err());
    }

    super::wire_enum! {
        /// A test vocabulary.
        enum Answer {
            /// Yes.
            Yes = "Answer_Yes" | "yes",
            /// No.
            No = "Answer_No",
        }
    }

    #[test]
    fn wire_enums_match_any_case_and_spelling_and_keep_unknown_values() {
        let answers: Vec<Answer> =
            serde_json::from_str(r#"["Answer_Yes","YES","answer_no","Answer_Maybe"]"#).unwrap();
        assert_eq!(
            answers,
            [
                Answer::Yes,
                Answer::Yes,
                Answer::No,
                Answer::Other("Answer_Maybe".into())
            ]
        );
        assert_eq!(
            serde_json::to_string(&answers).unwrap(),
            r#"["Answer_Yes","Answer_Yes","Answer_No","Answer_Maybe"]"#
        );
        assert_eq!(Answer::No.to_string(), "Answer_No");
        assert!(serde_json::from_str::<Answer>("1").is_err());
    }

    #[test]
    fn one_or_many_reads_a_string_or_a_list_and_null_only_when_optional() {
        #[derive(serde::Deserialize)]
        struct Field(#[serde(deserialize_with = "super::one_or_many")] Vec<String>);
        #[derive(serde::Deserialize)]
        struct Optional(#[serde(deserialize_with = "super::opt_one_or_many")] Vec<String>);
        let read = |json: &str| serde_json::from_str::<Field>(json).map(|field| field.0);
        assert_eq!(read(r#""a""#).unwrap(), ["a"]);
        assert_eq!(read(r#"["a","b"]"#).unwrap(), ["a", "b"]);
        assert!(read("[]").unwrap().is_empty());
        assert!(read("null").is_err());
        assert!(read("1").is_err());
        assert!(read("[1]").is_err());
        let optional = |json: &str| serde_json::from_str::<Optional>(json).map(|field| field.0);
        assert!(optional("null").unwrap().is_empty());
        assert_eq!(optional(r#""a""#).unwrap(), ["a"]);
    }
}
