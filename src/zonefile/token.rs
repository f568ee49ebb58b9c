//! One field of a zone-file entry, with where it stands in its file.

/// A field of an entry as written: for a quoted string the bytes between the
/// quotes; escapes (`\X`, `\DDD`) are left in place, because their meaning
/// depends on the field (a name label or a character-string, RFC 1035 §5.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token<'a> {
    pub text: &'a [u8],
    /// Written between double quotes.
    pub quoted: bool,
    /// 1-based line of the first byte.
    pub line: u32,
    /// 1-based column (in bytes) of the first byte (of the opening quote for a quoted token).
    pub col: u32,
}

impl<'a> Token<'a> {
    pub fn new(text: &'a [u8], line: u32, col: u32) -> Token<'a> {
        Token {
            text,
            quoted: false,
            line,
            col,
        }
    }

    pub fn quoted(text: &'a [u8], line: u32, col: u32) -> Token<'a> {
        Token {
            text,
            quoted: true,
            line,
            col,
        }
    }

    /// The text, lossily as UTF-8, for messages.
    pub fn display(&self) -> String {
        String::from_utf8_lossy(self.text).into_owned()
    }
}
