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
    /// Read from a file that may hold a private key: never shown in a
    /// message.
    pub withheld: bool,
}

impl<'a> Token<'a> {
    pub fn new(text: &'a [u8], line: u32, col: u32) -> Token<'a> {
        Token {
            text,
            quoted: false,
            line,
            col,
            withheld: false,
        }
    }

    pub fn quoted(text: &'a [u8], line: u32, col: u32) -> Token<'a> {
        Token {
            text,
            quoted: true,
            line,
            col,
            withheld: false,
        }
    }

    /// The text for messages, between quotes, escaped and cut short
    /// ([`crate::quote::quote`]); nothing of it for a withheld token.
    pub fn display(&self) -> String {
        if self.withheld {
            crate::quote::WITHHELD.to_string()
        } else {
            crate::quote::quote(self.text)
        }
    }
}
