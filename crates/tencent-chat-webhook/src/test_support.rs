//! What the families' tests share: their fixtures, decoding with a serialize round trip,
//! the required fields of an event, and the bodies of replies.

use std::fmt::Debug;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::Answer;

/// The text of the fixture `tests/fixtures/<family>/<name>.json`, read at compile time:
/// `fixture!("c2c", "before_send_msg")`.
macro_rules! fixture {
    ($family:literal, $name:literal) => {
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/",
            $family,
            "/",
            $name,
            ".json"
        ))
    };
}

pub(crate) use fixture;

/// Decodes `json`, and checks that what the event writes decodes to the same event.
pub(crate) fn decode<E>(json: &str) -> E
where
    E: DeserializeOwned + Serialize + PartialEq + Debug,
{
    let event: E = serde_json::from_str(json).unwrap();
    let written = serde_json::to_string(&event).unwrap();
    assert_eq!(
        serde_json::from_str::<E>(&written).unwrap(),
        event,
        "{written}"
    );
    event
}

/// Takes each top-level field out of `fixture` in turn: the decode fails exactly when
/// that field is one of `required`. The whole fixture decodes, and has every field of
/// `required`.
pub(crate) fn assert_required<E: DeserializeOwned + Debug>(fixture: &str, required: &[&str]) {
    assert_required_at::<E>(fixture, "", required);
}

/// [`assert_required`] for the fields of the object at `pointer` in `fixture` (a JSON
/// pointer such as `/Events/0`), the rest of the fixture left whole.
pub(crate) fn assert_required_at<E: DeserializeOwned + Debug>(
    fixture: &str,
    pointer: &str,
    required: &[&str],
) {
    let whole: Value = serde_json::from_str(fixture).unwrap();
    if let Err(error) = serde_json::from_str::<E>(fixture) {
        panic!("the whole fixture does not decode: {error}");
    }
    let Some(Value::Object(fields)) = whole.pointer(pointer) else {
        panic!("{pointer:?} is not an object of the fixture")
    };
    for name in required {
        assert!(fields.contains_key(*name), "{name} is not in the fixture");
    }
    for name in fields.keys() {
        let mut without = whole.clone();
        if let Some(Value::Object(fields)) = without.pointer_mut(pointer) {
            fields.remove(name);
        }
        let decoded = serde_json::from_str::<E>(&without.to_string());
        assert_eq!(
            decoded.is_err(),
            required.contains(&name.as_str()),
            "without {pointer}/{name}: {decoded:?}"
        );
    }
}

/// The body of `answer`, as text.
pub(crate) fn body(answer: impl Into<Answer>) -> String {
    String::from_utf8(answer.into().body().to_vec()).unwrap()
}

/// The JSON text with its object keys sorted, so that two bodies compare whatever their
/// key order (Tencent's samples write `ErrorInfo` before `ErrorCode`).
pub(crate) fn canonical(json: &(impl AsRef<[u8]> + ?Sized)) -> Vec<u8> {
    serde_json::to_vec(&serde_json::from_slice::<Value>(json.as_ref()).unwrap()).unwrap()
}

/// `reply` is answered with status 200 and, keys sorted, the `documented` body.
pub(crate) fn assert_body(reply: impl Into<Answer>, documented: &str) {
    let answer = reply.into();
    assert_eq!(answer.status(), 200);
    assert_eq!(
        canonical(answer.body()),
        canonical(documented),
        "{:?}",
        answer.body()
    );
}
