//! The identifiers of an event written as `Name=value` pairs on one log line.

use std::fmt;

use crate::c2c::{ExtensionOperation, MsgExtension};
use crate::message::{self, MsgElement};

/// A value written bare when it is one plain word (`jared`, `@TGS#2J4SZEAEL`), quoted as
/// a Rust string otherwise, so that a value holding a space, a quote or a line break
/// cannot pass for another pair or start another log line.
pub(crate) struct Word<'a>(pub(crate) &'a str);

impl fmt::Display for Word<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let plain = !self.0.is_empty()
            && !self
                .0
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || c == '"' || c == '\\');
        if plain {
            f.write_str(self.0)
        } else {
            write!(f, "{:?}", self.0)
        }
    }
}

/// Writes ` Text="…"` for each text element of `body`, in order.
pub(crate) fn texts(f: &mut fmt::Formatter<'_>, body: &[MsgElement]) -> fmt::Result {
    for text in message::texts(body) {
        write!(f, " Text={text:?}")?;
    }
    Ok(())
}

/// Writes `From_Account=… To_Account=… MsgKey=…`, the pairs a one-to-one message starts with.
pub(crate) fn message(f: &mut fmt::Formatter<'_>, from: &str, to: &str, key: &str) -> fmt::Result {
    write!(
        f,
        "From_Account={} To_Account={} MsgKey={}",
        Word(from),
        Word(to),
        Word(key)
    )
}

/// Writes ` SendMsgResult=…` when a sent message was not delivered (`result` is not 0).
pub(crate) fn send_msg_result(f: &mut fmt::Formatter<'_>, result: i64) -> fmt::Result {
    if result == 0 {
        return Ok(());
    }
    write!(f, " SendMsgResult={result}")
}

/// Writes ` TopicId=…` when the message or group event is in a topic.
pub(crate) fn topic(f: &mut fmt::Formatter<'_>, topic_id: Option<&str>) -> fmt::Result {
    match topic_id {
        Some(topic_id) => write!(f, " TopicId={}", Word(topic_id)),
        None => Ok(()),
    }
}

/// Writes ` OperateType=…` and ` Key=…` for each key of a message's extensions affected.
pub(crate) fn extensions(
    f: &mut fmt::Formatter<'_>,
    operate_type: ExtensionOperation,
    extensions: &[MsgExtension],
) -> fmt::Result {
    write!(f, " OperateType={}", operate_type.0)?;
    for extension in extensions {
        write!(f, " Key={}", Word(&extension.key))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::Word;

    #[test]
    fn plain_words_are_bare_and_others_quoted() {
        assert_eq!(Word("jared").to_string(), "jared");
        assert_eq!(Word("@TGS#2J4SZEAEL").to_string(), "@TGS#2J4SZEAEL");
        assert_eq!(
            Word("48374_2837546_1557481126").to_string(),
            "48374_2837546_1557481126"
        );
        assert_eq!(Word("").to_string(), r#""""#);
        assert_eq!(Word("a b").to_string(), r#""a b""#);
        assert_eq!(
            Word("x\nC2C.CallbackAfterSendMsg From_Account=forged").to_string(),
            r#""x\nC2C.CallbackAfterSendMsg From_Account=forged""#
        );
        assert_eq!(Word(r#"a"b"#).to_string(), r#""a\"b""#);
    }
}
