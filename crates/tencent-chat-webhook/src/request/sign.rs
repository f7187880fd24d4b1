//! Token signature (`Sign`, `RequestTime`) and its freshness window.

use std::fmt;
use std::time::Duration;

use sha2::{Digest, Sha256};
use subtle::{Choice, ConstantTimeEq};

use super::CallbackQuery;
use super::query::SignParam;
use crate::answer::AuthFailure;

/// A webhook token, as set in the Chat console. Its `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Token(pub(crate) Box<str>);

impl Token {
    pub(crate) fn as_bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(<redacted>)")
    }
}

/// Computes `Sign` for a token and a `RequestTime`: the lower-case hex of
/// `SHA-256(token ‖ request_time)`, as Tencent does. Useful for tests and tools
/// that play Tencent's part.
///
/// ```
/// use tencent_chat_webhook::request::sign;
///
/// assert_eq!(
///     sign("xxxxyyyy", 1669872112),
///     "17773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d484061",
/// );
/// ```
pub fn sign(token: &str, request_time: u64) -> String {
    hex(&digest(
        token.as_bytes(),
        request_time.to_string().as_bytes(),
    ))
}

/// A SHA-256 digest in lower-case hex, as `Sign` is written.
pub(crate) fn hex(digest: &[u8; 32]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    digest
        .iter()
        .flat_map(|byte| [HEX[usize::from(byte >> 4)], HEX[usize::from(byte & 0xf)]])
        .map(char::from)
        .collect()
}

fn digest(token: &[u8], request_time: &[u8]) -> [u8; 32] {
    Sha256::new()
        .chain_update(token)
        .chain_update(request_time)
        .finalize()
        .into()
}

/// Compares two digests in constant time, as four words rather than 32 bytes:
/// `subtle` puts an optimisation barrier on each element it compares.
fn equal(a: &[u8; 32], b: &[u8; 32]) -> Choice {
    let words = |digest: &[u8; 32]| {
        let mut words = [0u64; 4];
        for (word, bytes) in words.iter_mut().zip(digest.chunks_exact(8)) {
            *word = u64::from_ne_bytes(bytes.try_into().unwrap_or_default());
        }
        words
    };
    words(a).ct_eq(&words(b))
}

/// Checks `Sign` and `RequestTime` against `tokens`, and `RequestTime` against the
/// freshness window around `now`. No tokens (an app configured as unsigned) passes.
pub(crate) fn verify(
    tokens: &[Token],
    query: &CallbackQuery,
    now: u64,
    max_age: Duration,
    max_ahead: Duration,
) -> Result<(), AuthFailure> {
    if tokens.is_empty() {
        return Ok(());
    }
    let sign = match query.sign_param() {
        None => return Err(AuthFailure::MissingSign),
        Some(SignParam::Malformed) => return Err(AuthFailure::MalformedSign),
        Some(SignParam::Valid(sign)) => sign,
    };
    let time = query.time_param().ok_or(AuthFailure::MissingRequestTime)?;
    let (Some(request_time), Some(digits)) = (time.value(), time.digits()) else {
        return Err(AuthFailure::MalformedRequestTime);
    };

    if request_time <= now {
        let age_secs = now - request_time;
        if age_secs > max_age.as_secs() {
            return Err(AuthFailure::Expired { age_secs });
        }
    } else {
        let ahead_secs = request_time - now;
        if ahead_secs > max_ahead.as_secs() {
            return Err(AuthFailure::FromTheFuture { ahead_secs });
        }
    }

    // Every token is tried, so the time taken does not tell which one matched.
    let matched = tokens.iter().fold(Choice::from(0), |matched, token| {
        matched | equal(&digest(token.as_bytes(), digits), &sign)
    });
    if bool::from(matched) {
        Ok(())
    } else {
        Err(AuthFailure::SignMismatch)
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::config::Clock;
    use crate::{Rejection, WebhookConfig};

    const DOC_SIGN: &str = "17773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d484061";
    const DOC_TIME: u64 = 1_669_872_112;

    fn config(now: u64) -> WebhookConfig {
        WebhookConfig::builder()
            .app(1400000000, ["xxxxyyyy"])
            .unsigned_app(1400000001)
            .clock(Clock::fixed(now))
            .build()
            .unwrap()
    }

    fn query(app: u64, sign: Option<&str>, time: Option<&str>) -> CallbackQuery {
        let mut raw =
            format!("SdkAppid={app}&CallbackCommand=OfficialAccount.CallbackAfterSendMsg");
        if let Some(sign) = sign {
            raw += &format!("&Sign={sign}");
        }
        if let Some(time) = time {
            raw += &format!("&RequestTime={time}");
        }
        CallbackQuery::parse(&raw).unwrap()
    }

    fn failure(config: &WebhookConfig, query: &CallbackQuery) -> AuthFailure {
        match config.check(query) {
            Err(Rejection::Unauthenticated(cause)) => cause,
            other => panic!("expected an authentication failure, got {other:?}"),
        }
    }

    #[test]
    fn known_answer_vectors() {
        let vectors = [
            ("xxxxyyyy", 1669872112, DOC_SIGN),
            (
                "123456A",
                1669872112,
                "fb1561b2e2daf6e98d4fcaf7a26d1ed02608f9f9669721f7ead1ff0f7b4f32ca",
            ),
            (
                "123456A",
                1697075895,
                "a990654049bdb6caa85f3763098570d25f02e49dfc9e7f04960367bca54f7615",
            ),
            (
                "my_token",
                1700000000,
                "63b7452c43a5ccb94a07b830e8480f3d7a6d0de52a844288e48a3a4295affb4d",
            ),
            (
                "",
                1669872112,
                "c199f1270d2e6032fa95fdce733686f462ab67b1ff94e022bbaeb960fd1333c1",
            ),
        ];
        for (token, time, expected) in vectors {
            assert_eq!(sign(token, time), expected, "{token:?} {time}");
        }
    }

    #[test]
    fn digests_are_equal_only_when_every_byte_is() {
        let a = digest(b"xxxxyyyy", b"1669872112");
        assert!(bool::from(equal(&a, &a)));
        for i in 0..32 {
            let mut b = a;
            b[i] ^= 1;
            assert!(!bool::from(equal(&a, &b)), "byte {i}");
        }
    }

    #[test]
    fn accepts_the_documented_signature() {
        let time = DOC_TIME.to_string();
        assert_eq!(
            config(DOC_TIME).check(&query(1400000000, Some(DOC_SIGN), Some(&time))),
            Ok(())
        );
        let upper = DOC_SIGN.to_ascii_uppercase();
        assert_eq!(
            config(DOC_TIME).check(&query(1400000000, Some(&upper), Some(&time))),
            Ok(())
        );
    }

    #[test]
    fn rejects_a_signature_for_another_token_or_time() {
        let config = config(DOC_TIME);
        let time = DOC_TIME.to_string();
        let other_token = sign("xxxxyyyz", DOC_TIME);
        assert_eq!(
            failure(&config, &query(1400000000, Some(&other_token), Some(&time))),
            AuthFailure::SignMismatch
        );
        let next = (DOC_TIME + 1).to_string();
        assert_eq!(
            failure(&config, &query(1400000000, Some(DOC_SIGN), Some(&next))),
            AuthFailure::SignMismatch
        );
    }

    #[test]
    fn freshness_boundaries_are_inclusive() {
        let signed = |time: u64| {
            let raw = time.to_string();
            query(1400000000, Some(&sign("xxxxyyyy", time)), Some(&raw))
        };
        let config = config(DOC_TIME);
        assert_eq!(config.check(&signed(DOC_TIME - 60)), Ok(()));
        assert_eq!(
            failure(&config, &signed(DOC_TIME - 61)),
            AuthFailure::Expired { age_secs: 61 }
        );
        assert_eq!(config.check(&signed(DOC_TIME + 60)), Ok(()));
        assert_eq!(
            failure(&config, &signed(DOC_TIME + 61)),
            AuthFailure::FromTheFuture { ahead_secs: 61 }
        );
    }

    #[test]
    fn freshness_limits_are_configurable_and_overflow_safe() {
        let config = WebhookConfig::builder()
            .app(1, ["t"])
            .freshness(Duration::from_secs(5), Duration::MAX)
            .clock(Clock::fixed(u64::MAX))
            .build()
            .unwrap();
        let time = 9_999_999_999u64;
        let raw = time.to_string();
        let q = CallbackQuery::parse(&format!(
            "SdkAppid=1&CallbackCommand=X&Sign={}&RequestTime={raw}",
            sign("t", time)
        ))
        .unwrap();
        assert_eq!(
            failure(&config, &q),
            AuthFailure::Expired {
                age_secs: u64::MAX - time
            }
        );

        let config = WebhookConfig::builder()
            .app(1, ["t"])
            .freshness(Duration::MAX, Duration::from_secs(0))
            .clock(Clock::fixed(0))
            .build()
            .unwrap();
        assert_eq!(
            failure(&config, &q),
            AuthFailure::FromTheFuture { ahead_secs: time }
        );
    }

    #[test]
    fn any_token_of_a_rotation_is_accepted() {
        let config = WebhookConfig::builder()
            .app(9, ["new", "old"])
            .clock(Clock::fixed(DOC_TIME))
            .build()
            .unwrap();
        let time = DOC_TIME.to_string();
        for token in ["new", "old"] {
            let q = query(9, Some(&sign(token, DOC_TIME)), Some(&time));
            assert_eq!(config.check(&q), Ok(()), "{token}");
        }
        let q = query(9, Some(&sign("older", DOC_TIME)), Some(&time));
        assert_eq!(failure(&config, &q), AuthFailure::SignMismatch);
    }

    #[test]
    fn missing_and_malformed_parameters_fail() {
        let config = config(DOC_TIME);
        let time = DOC_TIME.to_string();
        assert_eq!(
            failure(&config, &query(1400000000, None, Some(&time))),
            AuthFailure::MissingSign
        );
        assert_eq!(
            failure(&config, &query(1400000000, Some(DOC_SIGN), None)),
            AuthFailure::MissingRequestTime
        );
        for bad_sign in [
            &DOC_SIGN[..63],
            &format!("{DOC_SIGN}0"),
            &format!("{}g", &DOC_SIGN[..63]),
            "",
        ] {
            assert_eq!(
                failure(&config, &query(1400000000, Some(bad_sign), Some(&time))),
                AuthFailure::MalformedSign,
                "{bad_sign}"
            );
        }
        // Extra bytes after the signed time, as in a length-extension attempt, never reach the hash.
        for bad_time in [
            "",
            "%2B1669872112",
            "1669872112%00",
            "16698721120",
            "18446744073709551615",
            "1669872112%20",
        ] {
            assert_eq!(
                failure(&config, &query(1400000000, Some(DOC_SIGN), Some(bad_time))),
                AuthFailure::MalformedRequestTime,
                "{bad_time}"
            );
        }
    }

    #[test]
    fn unknown_apps_are_forbidden_and_unsigned_apps_pass() {
        let config = config(DOC_TIME);
        assert_eq!(
            config.check(&query(5, None, None)),
            Err(Rejection::UnknownApp { sdk_app_id: 5 })
        );
        assert_eq!(config.check(&query(1400000001, None, None)), Ok(()));
        // An unsigned app ignores whatever signature parameters arrive.
        assert_eq!(
            config.check(&query(1400000001, Some("junk"), Some("junk"))),
            Ok(())
        );
    }
}
