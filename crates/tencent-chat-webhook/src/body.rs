//! Reading a body: the console's probe, the `CallbackCommand` cross-check, and the
//! event itself, in one pass over the bytes.
//!
//! Almost every body repeats its command in a `CallbackCommand` field. Rather than parse the
//! body twice (once for that field, once for the event), the event is decoded
//! through [`Intercept`], a deserializer that takes `CallbackCommand` out of the
//! top-level object on the way and hands every other field to the event.

use std::borrow::Cow;
use std::fmt;

use serde::de::value::{BorrowedStrDeserializer, StringDeserializer};
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use crate::answer::Rejection;
use crate::request::{CallbackCommand, Event};

const FIELD: &str = "CallbackCommand";

/// Whether the body is an empty JSON object: the console checking that the URL answers.
pub(crate) fn is_probe(body: &[u8]) -> bool {
    let inner = match body.trim_ascii() {
        [b'{', inner @ .., b'}'] => inner,
        _ => return false,
    };
    inner.trim_ascii().is_empty()
}

/// The body as text. Checking the whole body at once is much faster than letting
/// the JSON parser check every string it meets.
fn text(body: &[u8]) -> Result<&str, Rejection> {
    std::str::from_utf8(body).map_err(|_| Rejection::malformed_body("body is not UTF-8"))
}

/// Decodes `E` from `body`, which must name `command` in its `CallbackCommand`.
pub(crate) fn decode<E: Event>(body: &[u8], command: &CallbackCommand) -> Result<E, Rejection> {
    let body = text(body)?;
    let mut found = None;
    let mut deserializer = serde_json::Deserializer::from_str(body);
    let decoded = E::decode(
        command,
        Intercept {
            inner: &mut deserializer,
            found: &mut found,
        },
    )
    .and_then(|event| deserializer.end().map(|()| event));
    match decoded {
        Ok(event) => {
            check(command, found)?;
            Ok(event)
        }
        Err(error) => {
            // The decoder may have stopped before reaching `CallbackCommand`: a body
            // for another command is a mismatch rather than a malformed body.
            check_text_command(body, command)?;
            Err(Rejection::malformed_body(locate::<E>(body, command, error)))
        }
    }
}

/// The decoding error with the path of the field where it happened
/// (`MsgBody[0]: invalid type: …`), found by decoding again with the
/// path tracked: only a failed request pays for it.
fn locate<E: Event>(body: &str, command: &CallbackCommand, error: serde_json::Error) -> String {
    let mut track = serde_path_to_error::Track::new();
    let mut deserializer = serde_json::Deserializer::from_str(body);
    let mut found = None;
    let tracked = serde_path_to_error::Deserializer::new(
        Intercept {
            inner: &mut deserializer,
            found: &mut found,
        },
        &mut track,
    );
    let _ = E::decode(command, tracked);
    match track.path().to_string().as_str() {
        "." => error.to_string(),
        path => format!("{path}: {error}"),
    }
}

/// Checks that `body` is a JSON object naming `command`, without decoding anything else.
pub(crate) fn check_command(body: &[u8], command: &CallbackCommand) -> Result<(), Rejection> {
    check_text_command(text(body)?, command)
}

fn check_text_command(body: &str, command: &CallbackCommand) -> Result<(), Rejection> {
    let mut deserializer = serde_json::Deserializer::from_str(body);
    let found = deserializer
        .deserialize_map(HeadVisitor)
        .and_then(|found| deserializer.end().map(|()| found))
        .map_err(|error| Rejection::malformed_body(error.to_string()))?;
    check(command, found)
}

/// The body's `CallbackCommand` must be the query's; a body without one is fine only for
/// the commands Tencent sends that way.
fn check(command: &CallbackCommand, found: Option<Cow<'_, str>>) -> Result<(), Rejection> {
    let named = match found.as_deref() {
        Some(found) => found == command.as_str(),
        None => !command.is_named_in_body(),
    };
    if named {
        Ok(())
    } else {
        Err(Rejection::CommandMismatch {
            query: command.clone(),
            body: found.map(Cow::into_owned),
        })
    }
}

/// Reads an object's `CallbackCommand` and skips every other field.
struct HeadVisitor;

impl<'de> Visitor<'de> for HeadVisitor {
    type Value = Option<Cow<'de, str>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut found = None;
        while let Some(Key(key)) = map.next_key()? {
            if key == FIELD {
                take_command(&mut map, &mut found)?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(found)
    }
}

fn take_command<'de, A: MapAccess<'de>>(
    map: &mut A,
    found: &mut Option<Cow<'de, str>>,
) -> Result<(), A::Error> {
    if found.is_some() {
        return Err(de::Error::duplicate_field(FIELD));
    }
    *found = Some(map.next_value::<Key<'de>>()?.0);
    Ok(())
}

/// A string that borrows from the body when it has no escapes (serde's own `Cow`
/// always allocates).
struct Key<'de>(Cow<'de, str>);

impl<'de> de::Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;

        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }

            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
        }

        deserializer.deserialize_str(KeyVisitor)
    }
}

/// A deserializer that lends `CallbackCommand` of the top-level object to `found`.
pub(crate) struct Intercept<'a, 'de, D> {
    inner: D,
    found: &'a mut Option<Cow<'de, str>>,
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Intercept<'_, 'de, D> {
    type Error = D::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.inner.deserialize_any(InterceptVisitor {
            visitor,
            found: self.found,
        })
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

struct InterceptVisitor<'a, 'de, V> {
    visitor: V,
    found: &'a mut Option<Cow<'de, str>>,
}

/// Forwards what JSON can produce; only objects are intercepted.
impl<'de, V: Visitor<'de>> Visitor<'de> for InterceptVisitor<'_, 'de, V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.visitor.expecting(f)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.visitor.visit_map(InterceptMap {
            map,
            found: self.found,
        })
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        self.visitor.visit_seq(seq)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<V::Value, E> {
        self.visitor.visit_bool(v)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<V::Value, E> {
        self.visitor.visit_i64(v)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<V::Value, E> {
        self.visitor.visit_u64(v)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<V::Value, E> {
        self.visitor.visit_f64(v)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<V::Value, E> {
        self.visitor.visit_str(v)
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<V::Value, E> {
        self.visitor.visit_borrowed_str(v)
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<V::Value, E> {
        self.visitor.visit_string(v)
    }

    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.visitor.visit_unit()
    }
}

struct InterceptMap<'a, 'de, A> {
    map: A,
    found: &'a mut Option<Cow<'de, str>>,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for InterceptMap<'_, 'de, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        while let Some(Key(key)) = self.map.next_key()? {
            if key == FIELD {
                take_command(&mut self.map, self.found)?;
                continue;
            }
            return match key {
                Cow::Borrowed(key) => seed.deserialize(BorrowedStrDeserializer::new(key)),
                Cow::Owned(key) => seed.deserialize(StringDeserializer::new(key)),
            }
            .map(Some);
        }
        Ok(None)
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, A::Error> {
        self.map.next_value_seed(seed)
    }

    fn size_hint(&self) -> Option<usize> {
        self.map.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Sample {
        #[serde(rename = "MsgKey")]
        msg_key: String,
        #[serde(rename = "Nested", default)]
        nested: Option<serde_json::Value>,
    }

    impl Event for Sample {
        fn accepts(_: &CallbackCommand) -> bool {
            true
        }

        fn decode<'de, D: Deserializer<'de>>(_: &CallbackCommand, d: D) -> Result<Self, D::Error> {
            Self::deserialize(d)
        }
    }

    fn command() -> CallbackCommand {
        CallbackCommand::from_wire("X.Y")
    }

    #[test]
    fn probe_is_an_empty_object_and_nothing_else() {
        for probe in ["{}", " {\n} ", "\t{ }\r\n"] {
            assert!(is_probe(probe.as_bytes()), "{probe:?}");
        }
        for other in ["", "{", "}", "{}}", "[]", r#"{"a":1}"#, "{ x }"] {
            assert!(!is_probe(other.as_bytes()), "{other:?}");
        }
    }

    #[test]
    fn the_command_is_taken_wherever_it_stands() {
        for body in [
            r#"{"CallbackCommand":"X.Y","MsgKey":"k"}"#,
            r#"{"MsgKey":"k","CallbackCommand":"X.Y"}"#,
            r#"{"MsgKey":"k","Nested":{"CallbackCommand":"other"},"CallbackCommand":"X\u002eY"}"#,
        ] {
            let sample: Sample = decode(body.as_bytes(), &command()).unwrap();
            assert_eq!(sample.msg_key, "k", "{body}");
        }
    }

    #[test]
    fn a_missing_repeated_or_different_command_is_refused() {
        let mismatch = |body: &str| decode::<Sample>(body.as_bytes(), &command()).unwrap_err();
        assert!(matches!(
            mismatch(r#"{"MsgKey":"k"}"#),
            Rejection::CommandMismatch { body: None, .. }
        ));
        assert!(matches!(
            mismatch(r#"{"CallbackCommand":"X.Z","MsgKey":"k"}"#),
            Rejection::CommandMismatch { body: Some(ref b), .. } if b == "X.Z"
        ));
        // The event fails to decode, but the command says why: it is another command's body.
        assert!(matches!(
            mismatch(r#"{"CallbackCommand":"X.Z"}"#),
            Rejection::CommandMismatch { .. }
        ));
        assert!(matches!(
            mismatch(r#"{"CallbackCommand":"X.Y","CallbackCommand":"X.Y","MsgKey":"k"}"#),
            Rejection::MalformedBody(_)
        ));
        assert!(matches!(
            mismatch(r#"{"CallbackCommand":"X.Y","MsgKey":"k"} x"#),
            Rejection::MalformedBody(_)
        ));
    }

    #[test]
    fn a_body_that_is_not_utf8_is_malformed() {
        let body = b"{\"CallbackCommand\":\"X.Y\",\"MsgKey\":\"\xff\"}";
        for rejection in [
            decode::<Sample>(body, &command()).unwrap_err(),
            check_command(body, &command()).unwrap_err(),
        ] {
            assert_eq!(rejection.to_string(), "malformed body: body is not UTF-8");
        }
    }

    #[test]
    fn check_command_reads_only_the_command() {
        assert_eq!(
            check_command(
                br#"{"a":[1,{"b":null}],"CallbackCommand":"X.Y"}"#,
                &command()
            ),
            Ok(())
        );
        assert!(matches!(
            check_command(b"[]", &command()),
            Err(Rejection::MalformedBody(_))
        ));
    }
}
