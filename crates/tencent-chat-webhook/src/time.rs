//! Points in time as Tencent sends them: Unix milliseconds or Unix seconds, told apart
//! by their types.
//!
//! Most events carry `EventTime` in milliseconds; message times (`MsgTime`,
//! `LastReadTime`) and the push reports' times are in seconds. Both decode from a JSON
//! number or a string of digits, since Tencent's samples send either, and serialize
//! back as a number.
//!
//! ```
//! use std::time::{Duration, UNIX_EPOCH};
//! use tencent_chat_webhook::time::{UnixMillis, UnixSecs};
//!
//! let at: UnixMillis = serde_json::from_str(r#""1670574414123""#)?;
//! assert_eq!(at.as_millis(), 1_670_574_414_123);
//! assert_eq!(at.to_system_time(), UNIX_EPOCH + Duration::from_millis(1_670_574_414_123));
//! let stored: UnixSecs = serde_json::from_str("1490686222")?;
//! assert_eq!(stored.as_secs(), 1_490_686_222);
//! assert_eq!(serde_json::to_string(&stored)?, "1490686222");
//! # Ok::<(), serde_json::Error>(())
//! ```

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

macro_rules! unix_time {
    ($(#[$doc:meta])* $name:ident, $unit:literal, $get:ident, $from:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
        pub struct $name(pub u64);

        impl $name {
            #[doc = concat!("The number of ", $unit, " since the Unix epoch.")]
            pub const fn $get(self) -> u64 {
                self.0
            }

            /// The same instant as a [`SystemTime`].
            pub fn to_system_time(self) -> SystemTime {
                UNIX_EPOCH + Duration::$from(self.0)
            }
        }

        impl From<u64> for $name {
            fn from(value: u64) -> Self {
                Self(value)
            }
        }

        impl From<$name> for u64 {
            fn from(value: $name) -> Self {
                value.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                crate::de::u64(deserializer).map(Self)
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_u64(self.0)
            }
        }
    };
}

unix_time! {
    /// An instant in Unix milliseconds, such as most events' `EventTime`.
    UnixMillis, "milliseconds", as_millis, from_millis
}

unix_time! {
    /// An instant in Unix seconds, such as `MsgTime` or a push report's `EventTime`.
    UnixSecs, "seconds", as_secs, from_secs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Times {
        #[serde(rename = "EventTime")]
        event_time: UnixMillis,
        #[serde(rename = "MsgTime", default)]
        msg_time: Option<UnixSecs>,
    }

    #[test]
    fn numbers_and_strings_decode_alike_and_garbage_does_not() {
        let number: Times = serde_json::from_str(r#"{"EventTime":1670574414123}"#).unwrap();
        let string: Times =
            serde_json::from_str(r#"{"EventTime":"1670574414123","MsgTime":"1"}"#).unwrap();
        assert_eq!(number.event_time, string.event_time);
        assert_eq!(number.msg_time, None);
        assert_eq!(string.msg_time, Some(UnixSecs(1)));
        for bad in [
            r#"{"EventTime":-1}"#,
            r#"{"EventTime":"x"}"#,
            r#"{"EventTime":1.5}"#,
        ] {
            assert!(serde_json::from_str::<Times>(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn units_differ_by_type() {
        assert_eq!(
            UnixMillis(1_000).to_system_time(),
            UnixSecs(1).to_system_time()
        );
        assert_eq!(UnixMillis(5).to_string(), "5");
        assert_eq!(serde_json::to_string(&UnixMillis(7)).unwrap(), "7");
    }
}
