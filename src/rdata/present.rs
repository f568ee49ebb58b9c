//! Writing presentation form: a checked reader over wire RDATA and the
//! writers for the field syntaxes shared by several types. Every reader
//! method returns `None` on malformed input so the caller can fall back to
//! the RFC 3597 form.

use std::fmt::Write;

use super::text::BASE64;
use crate::name::wire_name_len;
use base64::Engine;

pub(crate) struct Reader<'a> {
    pub b: &'a [u8],
    pub pos: usize,
}

impl<'a> Reader<'a> {
    pub fn new(b: &'a [u8]) -> Self {
        Reader { b, pos: 0 }
    }

    pub fn at_end(&self) -> bool {
        self.pos >= self.b.len()
    }

    pub fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let s = self.b.get(self.pos..self.pos.checked_add(n)?)?;
        self.pos += n;
        Some(s)
    }

    pub fn rest(&mut self) -> &'a [u8] {
        let s = self.b.get(self.pos..).unwrap_or(&[]);
        self.pos = self.b.len();
        s
    }

    pub fn u8(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }

    pub fn u16(&mut self) -> Option<u16> {
        let s = self.take(2)?;
        Some(u16::from_be_bytes([s[0], s[1]]))
    }

    pub fn u32(&mut self) -> Option<u32> {
        let s = self.take(4)?;
        Some(u32::from_be_bytes([s[0], s[1], s[2], s[3]]))
    }

    /// An uncompressed wire name (a compression pointer is malformed here).
    pub fn name(&mut self) -> Option<&'a [u8]> {
        let rest = self.b.get(self.pos..)?;
        let len = wire_name_len(rest).ok()?;
        self.take(len)
    }

    /// A <character-string>: length octet and data.
    pub fn char_string(&mut self) -> Option<&'a [u8]> {
        let n = self.u8()?;
        self.take(n.into())
    }
}

/// Adds a field separator unless `out` is empty.
pub(crate) fn sep(out: &mut String) {
    if !out.is_empty() {
        out.push(' ');
    }
}

/// A quoted <character-string>: `"` and `\` escaped, non-printable octets as `\DDD`.
pub(crate) fn write_quoted(bytes: &[u8], out: &mut String) {
    out.push('"');
    for &b in bytes {
        match b {
            b'"' | b'\\' => {
                out.push('\\');
                out.push(b as char);
            }
            0x20..=0x7e => out.push(b as char),
            _ => {
                let _ = write!(out, "\\{b:03}");
            }
        }
    }
    out.push('"');
}

/// Unquoted text where every octet that could end or change the token
/// (space, quote, `;`, parentheses, backslash, non-printables) is escaped.
pub(crate) fn write_unquoted(bytes: &[u8], out: &mut String) {
    for &b in bytes {
        match b {
            b'"' | b'\\' | b';' | b'(' | b')' => {
                out.push('\\');
                out.push(b as char);
            }
            0x21..=0x7e => out.push(b as char),
            _ => {
                let _ = write!(out, "\\{b:03}");
            }
        }
    }
}

pub(crate) fn write_hex_upper(bytes: &[u8], out: &mut String) {
    for b in bytes {
        let _ = write!(out, "{b:02X}");
    }
}

pub(crate) fn write_hex_lower(bytes: &[u8], out: &mut String) {
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
}

pub(crate) fn write_base64(bytes: &[u8], out: &mut String) {
    out.push_str(&BASE64.encode(bytes));
}

/// RFC 3597 §5 generic form: `\# len hex` (lowercase, no hex for length 0).
pub(crate) fn write_generic(rdata: &[u8], out: &mut String) {
    let _ = write!(out, "\\# {}", rdata.len());
    if !rdata.is_empty() {
        out.push(' ');
        write_hex_lower(rdata, out);
    }
}
