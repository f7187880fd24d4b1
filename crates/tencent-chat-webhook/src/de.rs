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
        lenient(d).map(Some)
    }
}

fn optional<'de, D: Deserializer<'de>, T: Lenient>(d: D) -> Result<Option<T>, D::Error> {
    d.deserialize_option(Opt(PhantomData))
}

/// An optional `u64`; pair with `#[serde(default)]`.
pub(crate) fn opt_u64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    optional(d)
}

/// An optional `u32`; pair with `#[serde(default)]`.
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
    }

    #[test]
    fn out_of_range_and_garbage_are_errors() {
        assert!(parse(r#"{"time":-1,"random":2,"latitude":3,"online_only":0}"#).is_err());
        assert!(parse(r#"{"time":1,"random":4294967296,"latitude":3,"online_only":0}"#).is_err());
        assert!(parse(r#"{"time":"12a","random":2,"latitude":3,"online_only":0}"#).is_err());
        assert!(parse(r#"{"time":1.5,"random":2,"latitude":3,"online_only":0}"#).is_err());
        assert!(parse(r#"{"time":1,"random":2,"latitude":3,"online_only":"yes"}"#).is_err());
    }
}
