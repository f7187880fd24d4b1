//! The identifiers of an event written as `Name=value` pairs on one log line.

use std::fmt;

use crate::message::MsgElement;

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
    for text in body.iter().filter_map(MsgElement::as_text) {
        write!(f, " Text={text:?}")?;
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
