//! The URL parameters Tencent appends to the webhook URL.

use std::borrow::Cow;
use std::fmt;

use percent_encoding::percent_decode_str;

use super::CallbackCommand;
use crate::answer::Rejection;

crate::de::wire_enum! {
    /// The platform that triggered the event (`OptPlatform`), or a device's platform in an
    /// event body (`State.StateChange`'s `KickedDevice[].Platform`).
    ///
    /// Known names are matched case-insensitively, since Tencent spells iOS both
    /// `iOS` and `IOS` and the Mac both `Mac` and `macOS`; any other value is kept. In a
    /// body it decodes from a string and serializes back to [`as_str`](Self::as_str).
    pub enum OptPlatform {
        /// `RESTAPI`: the request came through the server REST API.
        RestApi = "RESTAPI",
        /// `Web`: the Web SDK.
        Web = "Web",
        /// `Android`.
        Android = "Android",
        /// `iOS` (or `IOS`).
        Ios = "iOS" | "IOS",
        /// `Windows`.
        Windows = "Windows",
        /// `Mac` (or `macOS`).
        Mac = "Mac" | "macOS",
        /// `iPad`.
        IPad = "iPad",
        /// `Linux` (listed for kicked devices only).
        Linux = "Linux",
        /// `Unknown`: Tencent does not know the device type.
        Unknown = "Unknown",
    }
}

/// The parsed query string of a webhook request.
///
/// ```
/// use tencent_chat_webhook::CallbackCommand;
/// use tencent_chat_webhook::request::{CallbackQuery, OptPlatform};
///
/// let query = CallbackQuery::parse(
///     "SdkAppid=1400000000&CallbackCommand=OfficialAccount.CallbackAfterSendMsg\
///      &contenttype=json&ClientIP=127.0.0.1&OptPlatform=RESTAPI",
/// )?;
/// assert_eq!(query.sdk_app_id(), 1400000000);
/// assert_eq!(query.callback_command(), &CallbackCommand::OfficialAccountAfterSendMsg);
/// assert_eq!(query.opt_platform(), Some(&OptPlatform::RestApi));
/// assert_eq!(query.request_time(), None);
/// # Ok::<(), tencent_chat_webhook::Rejection>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct CallbackQuery {
    sdk_app_id: u64,
    callback_command: CallbackCommand,
    content_type: Option<String>,
    client_ip: Option<String>,
    opt_platform: Option<OptPlatform>,
    sign: Option<SignParam>,
    request_time: Option<TimeParam>,
}

/// `Sign` as received: its 32 bytes when it is 64 hexadecimal digits of either case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SignParam {
    Valid([u8; 32]),
    Malformed,
}

impl SignParam {
    fn parse(sign: &str) -> Self {
        let Ok(sign) = <&[u8; 64]>::try_from(sign.as_bytes()) else {
            return Self::Malformed;
        };
        // No table and no early exit, so that the compiler can decode many digits at once.
        let nibbles = sign.map(hex_digit);
        if nibbles.iter().fold(0, |all, nibble| all | nibble) > 0x0f {
            return Self::Malformed;
        }
        let mut out = [0u8; 32];
        for (byte, [high, low]) in out.iter_mut().zip(nibbles.as_chunks::<2>().0) {
            *byte = (high << 4) | low;
        }
        Self::Valid(out)
    }
}

/// The value of a hexadecimal digit of either case; 0xff for any other byte.
fn hex_digit(byte: u8) -> u8 {
    let digit = byte.wrapping_sub(b'0');
    let letter = (byte | 0x20).wrapping_sub(b'a'); // `A` to `F` become `a` to `f`
    if digit < 10 {
        digit
    } else if letter < 6 {
        letter + 10
    } else {
        0xff
    }
}

/// `RequestTime` as received: the digits that were signed, and their value.
///
/// It must be 1 to 10 ASCII digits. Capping the length keeps the value in range and
/// rules out SHA-256 length extension, since `Sign` is a plain hash over a secret
/// prefix followed by exactly these digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TimeParam {
    Valid {
        value: u64,
        digits: [u8; 10],
        len: u8,
    },
    Malformed,
}

impl TimeParam {
    fn parse(raw: &str) -> Self {
        let bytes = raw.as_bytes();
        if bytes.is_empty() || bytes.len() > 10 || !bytes.iter().all(u8::is_ascii_digit) {
            return Self::Malformed;
        }
        let mut digits = [0u8; 10];
        digits[..bytes.len()].copy_from_slice(bytes);
        let value = bytes
            .iter()
            .fold(0u64, |value, digit| value * 10 + u64::from(digit - b'0'));
        Self::Valid {
            value,
            digits,
            len: bytes.len() as u8,
        }
    }

    /// The digits as signed.
    pub(crate) fn digits(&self) -> Option<&[u8]> {
        match self {
            Self::Valid { digits, len, .. } => Some(&digits[..usize::from(*len)]),
            Self::Malformed => None,
        }
    }

    pub(crate) fn value(&self) -> Option<u64> {
        match self {
            Self::Valid { value, .. } => Some(*value),
            Self::Malformed => None,
        }
    }
}

impl CallbackQuery {
    /// Parses a raw query string (the part of the URL after `?`).
    ///
    /// Keys and values are percent-decoded (`+` is a space) and must be UTF-8.
    /// `SdkAppid` (or `SdkAppId`) and `CallbackCommand` are required; every known
    /// parameter may appear once at most; unknown parameters are ignored; the raw
    /// string must be ASCII (other characters arrive percent-encoded). `Sign` and
    /// `RequestTime` are kept as received and checked by
    /// [`WebhookConfig::authenticate`](crate::WebhookConfig::authenticate).
    ///
    /// # Errors
    ///
    /// [`Rejection::MalformedQuery`] when the string is not ASCII, a required parameter
    /// is missing or empty, a parameter is repeated, a key or value is not valid
    /// percent-encoded UTF-8, or `SdkAppid` is not a canonical decimal `u64` (no sign, no
    /// leading zero).
    pub fn parse(raw: &str) -> Result<Self, Rejection> {
        // A URI is ASCII (RFC 3986; anything else is percent-encoded). actix-web's
        // server refuses other bytes before the adapter runs while hyper passes UTF-8
        // on: refusing it here gives both frameworks the same status.
        if !raw.is_ascii() {
            return Err(Rejection::malformed_query("the query string is not ASCII"));
        }

        let mut sdk_app_id = None;
        let mut callback_command = None;
        let mut content_type = None;
        let mut client_ip = None;
        let mut opt_platform = None;
        let mut sign = None;
        let mut request_time = None;

        // Tencent escapes nothing: look once, and borrow every key and value then. A fold
        // rather than `any`, which stops early and so looks at one byte at a time; a
        // closure, so that the borrowing is inlined rather than a call per key and value.
        let escaped = raw
            .bytes()
            .fold(false, |found, byte| found | (byte == b'%') | (byte == b'+'));
        let decoded = |raw| {
            if escaped {
                decode(raw)
            } else {
                Ok(Cow::Borrowed(raw))
            }
        };

        // An empty pair (`&&`) has the empty key, which is unknown.
        for pair in raw.split('&') {
            // Not `split_once('=')`: its `memchr` takes longer to set up than this scan of
            // the few bytes of a key.
            let (key, value) = match pair.bytes().position(|byte| byte == b'=') {
                Some(at) => (&pair[..at], &pair[at + 1..]),
                None => (pair, ""),
            };
            let key = decoded(key)?;
            // `SdkAppId` is the spelling of Tencent's sibling products.
            let key = if key == "SdkAppId" { "SdkAppid" } else { &key };
            // Only the value of a known key must decode.
            let value = decoded(value);
            let repeated = match key {
                "SdkAppid" => sdk_app_id.replace(parse_sdk_app_id(&value?)?).is_some(),
                "CallbackCommand" => callback_command
                    .replace(CallbackCommand::from_wire(&value?))
                    .is_some(),
                "contenttype" => content_type.replace(value?.into_owned()).is_some(),
                "ClientIP" => client_ip.replace(value?.into_owned()).is_some(),
                "OptPlatform" => opt_platform
                    .replace(OptPlatform::from_wire(&value?))
                    .is_some(),
                "Sign" => sign.replace(SignParam::parse(&value?)).is_some(),
                "RequestTime" => request_time.replace(TimeParam::parse(&value?)).is_some(),
                _ => false, // unknown parameters are ignored
            };
            if repeated {
                return Err(Rejection::malformed_query(format!(
                    "{key} appears more than once"
                )));
            }
        }

        let sdk_app_id =
            sdk_app_id.ok_or_else(|| Rejection::malformed_query("missing SdkAppid"))?;
        let callback_command = match callback_command {
            Some(command) if !command.as_str().is_empty() => command,
            _ => return Err(Rejection::malformed_query("missing CallbackCommand")),
        };
        Ok(Self {
            sdk_app_id,
            callback_command,
            content_type,
            client_ip,
            opt_platform,
            sign,
            request_time,
        })
    }

    /// The app the webhook is for (`SdkAppid`).
    pub fn sdk_app_id(&self) -> u64 {
        self.sdk_app_id
    }

    /// The command named in the query (`CallbackCommand`).
    pub fn callback_command(&self) -> &CallbackCommand {
        &self.callback_command
    }

    /// The declared content type (`contenttype`), normally `json`.
    pub fn content_type(&self) -> Option<&str> {
        self.content_type.as_deref()
    }

    /// The IP address of the client that caused the event (`ClientIP`), as sent.
    pub fn client_ip(&self) -> Option<&str> {
        self.client_ip.as_deref()
    }

    /// The platform that caused the event (`OptPlatform`).
    pub fn opt_platform(&self) -> Option<&OptPlatform> {
        self.opt_platform.as_ref()
    }

    /// The signing time (`RequestTime`, Unix seconds), when present and well formed.
    pub fn request_time(&self) -> Option<u64> {
        self.request_time.and_then(|time| time.value())
    }

    pub(crate) fn time_param(&self) -> Option<TimeParam> {
        self.request_time
    }

    pub(crate) fn sign_param(&self) -> Option<SignParam> {
        self.sign
    }
}

impl fmt::Debug for CallbackQuery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CallbackQuery")
            .field("sdk_app_id", &self.sdk_app_id)
            .field("callback_command", &self.callback_command)
            .field("content_type", &self.content_type())
            .field("client_ip", &self.client_ip())
            .field("opt_platform", &self.opt_platform)
            .field("signed", &self.sign.is_some())
            .field("request_time", &self.request_time())
            .finish()
    }
}

fn parse_sdk_app_id(raw: &str) -> Result<u64, Rejection> {
    let canonical = !raw.is_empty()
        && raw.bytes().all(|b| b.is_ascii_digit())
        && (raw == "0" || !raw.starts_with('0'));
    canonical
        .then(|| raw.parse().ok())
        .flatten()
        .ok_or_else(|| Rejection::malformed_query("SdkAppid is not a decimal u64"))
}

/// A percent-decoded key or value, `+` being a space.
fn decode(raw: &str) -> Result<Cow<'_, str>, Rejection> {
    percent_decode_str(&raw.replace('+', " "))
        .decode_utf8()
        .map(|decoded| Cow::Owned(decoded.into_owned()))
        .map_err(|_| Rejection::malformed_query("a parameter is not UTF-8 once percent-decoded"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const FULL: &str = "SdkAppid=1400000000&CallbackCommand=OfficialAccount.CallbackAfterSendMsg\
        &contenttype=json&ClientIP=127.0.0.1&OptPlatform=iOS\
        &Sign=17773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d484061&RequestTime=1669872112";

    fn rejected(raw: &str) -> String {
        match CallbackQuery::parse(raw) {
            Err(Rejection::MalformedQuery(detail)) => detail.to_string(),
            other => panic!("expected MalformedQuery for {raw:?}, got {other:?}"),
        }
    }

    #[test]
    fn parses_every_documented_parameter() {
        let query = CallbackQuery::parse(FULL).unwrap();
        assert_eq!(query.sdk_app_id(), 1_400_000_000);
        assert_eq!(
            query.callback_command(),
            &CallbackCommand::OfficialAccountAfterSendMsg
        );
        assert_eq!(query.content_type(), Some("json"));
        assert_eq!(query.client_ip(), Some("127.0.0.1"));
        assert_eq!(query.opt_platform(), Some(&OptPlatform::Ios));
        assert_eq!(query.request_time(), Some(1_669_872_112));
        assert!(matches!(query.sign_param(), Some(SignParam::Valid(bytes)) if bytes[0] == 0x17));
    }

    #[test]
    fn raw_non_ascii_is_refused_and_its_percent_encoding_accepted() {
        assert_eq!(
            rejected(&format!("{FULL}&ClientIP=caf\u{e9}")),
            "the query string is not ASCII"
        );
        assert_eq!(
            rejected("SdkAppid=1&CallbackCommand=X&Foo=\u{1F44B}"),
            "the query string is not ASCII"
        );
        let query = CallbackQuery::parse(
            "SdkAppid=1&CallbackCommand=X&ClientIP=caf%C3%A9&OptPlatform=%F0%9F%91%8B",
        )
        .unwrap();
        assert_eq!(query.client_ip(), Some("caf\u{e9}"));
        assert_eq!(
            query.opt_platform(),
            Some(&OptPlatform::Other("\u{1F44B}".into()))
        );
    }

    #[test]
    fn values_of_any_length_are_kept() {
        for ip in [
            "",
            "1",
            "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255",
            &"a".repeat(46),
            &"b".repeat(300),
        ] {
            let query =
                CallbackQuery::parse(&format!("SdkAppid=1&CallbackCommand=X&ClientIP={ip}"))
                    .unwrap();
            assert_eq!(query.client_ip(), Some(ip));
        }
    }

    #[test]
    fn only_app_and_command_are_required() {
        // As Tencent sends the push reports and moderation results: no `ClientIP`, no
        // `OptPlatform`.
        let query =
            CallbackQuery::parse("SdkAppid=1&CallbackCommand=Push.OfflinePush&contenttype=json")
                .unwrap();
        assert_eq!(query.content_type(), Some("json"));
        assert_eq!(query.client_ip(), None);
        assert_eq!(query.opt_platform(), None);
        assert_eq!(query.sign_param(), None);
        assert_eq!(query.callback_command(), &CallbackCommand::PushOfflinePush);
    }

    #[test]
    fn accepts_the_sdkappid_spelling_of_sibling_products() {
        let query = CallbackQuery::parse("SdkAppId=42&CallbackCommand=X").unwrap();
        assert_eq!(query.sdk_app_id(), 42);
    }

    #[test]
    fn percent_decodes_keys_and_values() {
        let query = CallbackQuery::parse(
            "Sdk%41ppid=7&CallbackCommand=OfficialAccount%2ECallbackAfterSendMsg&ClientIP=%3A%3A1&OptPlatform=Other+Box",
        )
        .unwrap();
        assert_eq!(query.sdk_app_id(), 7);
        assert_eq!(
            query.callback_command(),
            &CallbackCommand::OfficialAccountAfterSendMsg
        );
        assert_eq!(query.client_ip(), Some("::1"));
        assert_eq!(
            query.opt_platform(),
            Some(&OptPlatform::Other("Other Box".into()))
        );
        // Either escape alone, in a key or in a value; `%2B` is a plus sign.
        for (raw, ip) in [
            ("ClientIP=a+b", "a b"),
            ("ClientIP=a%2Bb", "a+b"),
            ("Client%49P=a", "a"),
        ] {
            let query =
                CallbackQuery::parse(&format!("SdkAppid=1&CallbackCommand=X&{raw}")).unwrap();
            assert_eq!(query.client_ip(), Some(ip), "{raw}");
        }
    }

    #[test]
    fn ignores_unknown_and_empty_parameters() {
        let query = CallbackQuery::parse("&&x=1&SdkAppid=5&&CallbackCommand=X&flag&y=%FF").unwrap();
        assert_eq!(query.sdk_app_id(), 5);
    }

    #[test]
    fn missing_required_parameters_are_rejected() {
        assert_eq!(rejected(""), "missing SdkAppid");
        assert_eq!(rejected("CallbackCommand=X"), "missing SdkAppid");
        assert_eq!(rejected("SdkAppid=1"), "missing CallbackCommand");
        assert_eq!(
            rejected("SdkAppid=1&CallbackCommand="),
            "missing CallbackCommand"
        );
    }

    #[test]
    fn repeated_parameters_are_rejected() {
        for repeated in [
            "SdkAppid=1&SdkAppid=1&CallbackCommand=X",
            "SdkAppid=1&SdkAppId=1&CallbackCommand=X",
            "SdkAppid=1&CallbackCommand=X&CallbackCommand=X",
            "SdkAppid=1&CallbackCommand=X&Sign=a&Sign=a",
            "SdkAppid=1&CallbackCommand=X&RequestTime=1&RequestTime=1",
        ] {
            assert!(rejected(repeated).contains("more than once"), "{repeated}");
        }
    }

    #[test]
    fn sdkappid_must_be_a_canonical_u64() {
        for bad in [
            "",
            "-1",
            "+1",
            "%2B1",
            "01400000000",
            "1e3",
            " 1",
            "18446744073709551616",
            "abc",
        ] {
            let raw = format!("SdkAppid={bad}&CallbackCommand=X");
            assert_eq!(rejected(&raw), "SdkAppid is not a decimal u64", "{bad}");
        }
        let max = format!("SdkAppid={}&CallbackCommand=X", u64::MAX);
        assert_eq!(CallbackQuery::parse(&max).unwrap().sdk_app_id(), u64::MAX);
        assert_eq!(
            CallbackQuery::parse("SdkAppid=0&CallbackCommand=X")
                .unwrap()
                .sdk_app_id(),
            0
        );
    }

    #[test]
    fn non_utf8_after_decoding_is_rejected() {
        assert!(rejected("SdkAppid=1&CallbackCommand=%FF").contains("UTF-8"));
        assert!(rejected("%C3%28=1&SdkAppid=1&CallbackCommand=X").contains("UTF-8"));
    }

    #[test]
    fn platforms_are_matched_case_insensitively_and_unknown_kept() {
        assert_eq!(OptPlatform::from_wire("IOS"), OptPlatform::Ios);
        assert_eq!(OptPlatform::from_wire("iOS"), OptPlatform::Ios);
        assert_eq!(OptPlatform::from_wire("macOS"), OptPlatform::Mac);
        assert_eq!(OptPlatform::from_wire("Mac"), OptPlatform::Mac);
        assert_eq!(OptPlatform::from_wire("RESTAPI"), OptPlatform::RestApi);
        assert_eq!(OptPlatform::from_wire("iPad"), OptPlatform::IPad);
        assert_eq!(OptPlatform::from_wire("Unknown"), OptPlatform::Unknown);
        assert_eq!(OptPlatform::from_wire("ANDROID"), OptPlatform::Android);
        assert_eq!(OptPlatform::from_wire("MACOS"), OptPlatform::Mac);
        assert_eq!(OptPlatform::from_wire("unknown"), OptPlatform::Unknown);
        assert_eq!(
            OptPlatform::from_wire("HarmonyOS"),
            OptPlatform::Other("HarmonyOS".into())
        );
        assert_eq!(OptPlatform::Ios.to_string(), "iOS");
        assert_eq!(OptPlatform::from_wire("linux"), OptPlatform::Linux);
    }

    #[test]
    fn platforms_in_a_body_decode_like_the_query_and_serialize_back_spelled_as_documented() {
        let platforms: Vec<OptPlatform> =
            serde_json::from_str(r#"["IOS","iOS","Linux","HarmonyOS"]"#).unwrap();
        assert_eq!(
            platforms,
            [
                OptPlatform::Ios,
                OptPlatform::Ios,
                OptPlatform::Linux,
                OptPlatform::Other("HarmonyOS".into())
            ]
        );
        assert_eq!(
            serde_json::to_string(&platforms).unwrap(),
            r#"["iOS","iOS","Linux","HarmonyOS"]"#
        );
        assert!(serde_json::from_str::<OptPlatform>("1").is_err());
    }

    #[test]
    fn request_time_is_one_to_ten_digits() {
        assert_eq!(TimeParam::parse("0").value(), Some(0));
        assert_eq!(TimeParam::parse("9999999999").value(), Some(9_999_999_999));
        assert_eq!(TimeParam::parse("0012").digits(), Some(&b"0012"[..]));
        for bad in [
            "",
            "12345678901",
            "+1669872112",
            "-1",
            " 1",
            "1 ",
            "1e9",
            "١٢",
        ] {
            assert_eq!(TimeParam::parse(bad), TimeParam::Malformed, "{bad:?}");
        }
    }

    #[test]
    fn sign_is_64_hex_digits_of_either_case() {
        let lower = "17773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d484061";
        let parsed = SignParam::parse(lower);
        assert_eq!(SignParam::parse(&lower.to_ascii_uppercase()), parsed);
        assert!(matches!(parsed, SignParam::Valid(bytes) if bytes[31] == 0x61));
        for bad in [
            &lower[..63],
            &format!("{lower}0"),
            &format!("{}g", &lower[..63]),
            &format!("\u{e9}{}", &lower[2..]), // 64 bytes, one of them a two-byte character
            "",
        ] {
            assert_eq!(SignParam::parse(bad), SignParam::Malformed, "{bad:?}");
        }
    }

    #[test]
    fn pairs_split_at_every_ampersand_and_empty_ones_are_skipped() {
        // One to three `&` before, between and after the pairs.
        let expected = CallbackQuery::parse(FULL).unwrap();
        let pairs: Vec<&str> = FULL.split('&').collect();
        for at in 0..=pairs.len() {
            for empty in 1..=2 {
                let mut parts = pairs.clone();
                parts.splice(at..at, std::iter::repeat_n("", empty));
                let raw = parts.join("&");
                assert_eq!(CallbackQuery::parse(&raw).as_ref(), Ok(&expected), "{raw}");
            }
        }
        // A pair ends at `&` whatever follows; an escaped `&` or a second `=` is in the value.
        let query =
            CallbackQuery::parse("SdkAppid=1&CallbackCommand=X&ClientIP=a&b=c&contenttype=d=e")
                .unwrap();
        assert_eq!(query.client_ip(), Some("a"));
        assert_eq!(query.content_type(), Some("d=e"));
        let query = CallbackQuery::parse("SdkAppid=1&CallbackCommand=X&ClientIP=a%26b").unwrap();
        assert_eq!(query.client_ip(), Some("a&b"));
        // An empty last value is a value, and so is a missing one.
        for raw in [
            "SdkAppid=1&CallbackCommand=X&Sign=",
            "SdkAppid=1&CallbackCommand=X&Sign",
        ] {
            let query = CallbackQuery::parse(raw).unwrap();
            assert_eq!(query.sign_param(), Some(SignParam::Malformed), "{raw}");
        }
    }

    #[test]
    fn every_byte_is_read_as_a_digit_or_refused() {
        for byte in 0..=u8::MAX {
            let expected = char::from(byte)
                .to_digit(16)
                .map_or(0xff, |digit| digit as u8);
            assert_eq!(hex_digit(byte), expected, "{byte:#04x}");
        }
        // And through the parser, at either end of the string and of a decoded byte. A
        // `&str` holds bytes above 0x7f only as parts of longer characters (one is tried
        // in `sign_is_64_hex_digits_of_either_case`).
        for byte in 0..=0x7f {
            let expected = char::from(byte).to_digit(16).map(|digit| digit as u8);
            for at in [0, 1, 62, 63] {
                let mut sign = [b'0'; 64];
                sign[at] = byte;
                let parsed = SignParam::parse(std::str::from_utf8(&sign).unwrap());
                match expected {
                    Some(digit) => {
                        let shift = if at % 2 == 0 { 4 } else { 0 };
                        let mut bytes = [0; 32];
                        bytes[at / 2] = digit << shift;
                        assert_eq!(parsed, SignParam::Valid(bytes), "{byte:#04x} at {at}");
                    }
                    None => assert_eq!(parsed, SignParam::Malformed, "{byte:#04x} at {at}"),
                }
            }
        }
    }

    #[test]
    fn debug_does_not_show_the_signature() {
        let text = format!("{:?}", CallbackQuery::parse(FULL).unwrap());
        assert!(!text.contains("17773bc3"), "{text}");
        assert!(text.contains("signed: true"), "{text}");
    }
}
