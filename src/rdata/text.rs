//! Reading presentation-form fields: a cursor over the tokens of one entry
//! and decoders for the field syntaxes shared by several types.

use super::kind::F;
use super::RdataError;
use crate::master::token::Token;
use crate::name::{parse_escape, Name};
use base64::Engine;

/// Cursor over the RDATA tokens of one entry.
pub(crate) struct Parser<'a, 't> {
    pub toks: &'a [Token<'t>],
    pub pos: usize,
    pub origin: &'a Name,
    /// Type, for messages (its mnemonic is looked up only when one is written).
    pub tname: TypeName,
    /// The fields of the type, for "missing field" messages.
    pub fields: FieldList,
}

/// What is being parsed, for messages: a record type (shown as its
/// mnemonic, looked up only when a message is written) or a fixed text.
#[derive(Debug, Clone, Copy)]
pub(crate) enum TypeName {
    Type(u16),
    Text(&'static str),
}

impl std::fmt::Display for TypeName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TypeName::Type(t) => f.write_str(&super::type_mnemonic(*t)),
            TypeName::Text(s) => f.write_str(s),
        }
    }
}

/// The field names of a type, looked at only to write a message.
#[derive(Clone, Copy)]
pub(crate) enum FieldList {
    Names(&'static [&'static str]),
    Layout(&'static [F]),
}

impl<'a, 't> Parser<'a, 't> {
    pub fn new(
        toks: &'a [Token<'t>],
        origin: &'a Name,
        tname: TypeName,
        fields: FieldList,
    ) -> Self {
        Parser {
            toks,
            pos: 0,
            origin,
            tname,
            fields,
        }
    }

    pub fn err(&self, token: usize, message: String) -> RdataError {
        RdataError { token, message }
    }

    /// `missing field: exchange (MX needs preference and exchange)`.
    pub fn missing(&self, field: &str) -> RdataError {
        let names: Vec<&str> = match self.fields {
            FieldList::Names(n) => n.to_vec(),
            FieldList::Layout(l) => l.iter().map(|f| f.name()).collect(),
        };
        let needs = match names.split_last() {
            None => String::new(),
            Some((last, [])) => (*last).to_string(),
            Some((last, init)) => format!("{} and {last}", init.join(", ")),
        };
        self.err(
            self.toks.len(),
            format!("missing field: {field} ({} needs {needs})", self.tname),
        )
    }

    pub fn peek(&self) -> Option<&'a Token<'t>> {
        self.toks.get(self.pos)
    }

    pub fn at_end(&self) -> bool {
        self.pos >= self.toks.len()
    }

    /// The next token, or a "missing field" error naming `field`.
    pub fn next(&mut self, field: &str) -> Result<(usize, &'a Token<'t>), RdataError> {
        match self.toks.get(self.pos) {
            Some(t) => {
                self.pos += 1;
                Ok((self.pos - 1, t))
            }
            None => Err(self.missing(field)),
        }
    }

    /// All remaining tokens (at least one), for fields that run to the end.
    pub fn rest(&mut self, field: &str) -> Result<(usize, &'a [Token<'t>]), RdataError> {
        if self.at_end() {
            return Err(self.missing(field));
        }
        let start = self.pos;
        self.pos = self.toks.len();
        Ok((start, &self.toks[start..]))
    }

    /// Errors on any token left over.
    pub fn finish(&self) -> Result<(), RdataError> {
        match self.toks.get(self.pos) {
            Some(t) => Err(self.err(self.pos, format!("unexpected extra field {}", t.display()))),
            None => Ok(()),
        }
    }

    pub fn number(&mut self, field: &str, max: u32) -> Result<u32, RdataError> {
        let (i, t) = self.next(field)?;
        parse_decimal(t.text, max).ok_or_else(|| {
            self.err(
                i,
                format!(
                    "{} {field} {} is not a number 0..{max}",
                    self.tname,
                    t.display()
                ),
            )
        })
    }

    pub fn u8(&mut self, field: &str) -> Result<u8, RdataError> {
        Ok(self.number(field, u8::MAX.into())? as u8)
    }

    pub fn u16(&mut self, field: &str) -> Result<u16, RdataError> {
        Ok(self.number(field, u16::MAX.into())? as u16)
    }

    pub fn u32(&mut self, field: &str) -> Result<u32, RdataError> {
        self.number(field, u32::MAX)
    }

    /// A 32-bit duration: decimal seconds or BIND units (`1w2d3h4m5s`).
    pub fn ttl(&mut self, field: &str) -> Result<u32, RdataError> {
        let (i, t) = self.next(field)?;
        parse_ttl(t.text).ok_or_else(|| {
            self.err(
                i,
                format!(
                    "{} {field} {} is not a number of seconds 0..4294967295 or a duration like 1h30m",
                    self.tname,
                    t.display()
                ),
            )
        })
    }

    /// An IPv4 address in dotted-quad form (RFC 1035 §3.4.1 text).
    pub fn ipv4(&mut self, field: &str) -> Result<std::net::Ipv4Addr, RdataError> {
        let (i, t) = self.next(field)?;
        parse_ip(t.text).ok_or_else(|| {
            self.err(
                i,
                format!(
                    "bad {} {field}: {} is not an IPv4 address",
                    self.tname,
                    t.display()
                ),
            )
        })
    }

    /// An IPv6 address in RFC 4291 §2.2 text form.
    pub fn ipv6(&mut self, field: &str) -> Result<std::net::Ipv6Addr, RdataError> {
        let (i, t) = self.next(field)?;
        parse_ip(t.text).ok_or_else(|| {
            self.err(
                i,
                format!(
                    "bad {} {field}: {} is not an IPv6 address",
                    self.tname,
                    t.display()
                ),
            )
        })
    }

    /// A domain name, completed with the origin; `@` is the origin itself.
    pub fn name(&mut self, field: &str, out: &mut Vec<u8>) -> Result<(), RdataError> {
        let (i, t) = self.next(field)?;
        let name = self.name_of(i, t, field)?;
        out.extend_from_slice(name.as_wire());
        Ok(())
    }

    pub fn name_of(&self, i: usize, t: &Token<'_>, field: &str) -> Result<Name, RdataError> {
        if t.text == b"@" && !t.quoted {
            return Ok(self.origin.clone());
        }
        Name::parse(t.text, Some(self.origin)).map_err(|e| match e {
            // The token holds a raw control byte: not quoted.
            crate::name::NameError::ControlByte { .. } => {
                self.err(i, format!("bad {} {field}: {e}", self.tname))
            }
            e => self.err(
                i,
                format!("bad {} {field} {}: {e}", self.tname, t.display()),
            ),
        })
    }

    /// One <character-string>, with its length octet.
    pub fn char_string(&mut self, field: &str, out: &mut Vec<u8>) -> Result<(), RdataError> {
        let (i, t) = self.next(field)?;
        self.push_char_string(i, t, field, out)
    }

    /// "TXT" or "HINFO cpu", for messages.
    fn what(&self, field: &str) -> String {
        if field.is_empty() {
            self.tname.to_string()
        } else {
            format!("{} {field}", self.tname)
        }
    }

    /// One <character-string> from token `i`; `field` may be empty (TXT).
    pub fn push_char_string(
        &self,
        i: usize,
        t: &Token<'_>,
        field: &str,
        out: &mut Vec<u8>,
    ) -> Result<(), RdataError> {
        let bytes = self.unescape(i, t, field)?;
        if bytes.len() > 255 {
            return Err(self.err(
                i,
                format!(
                    "{} character-string longer than 255 octets",
                    self.what(field)
                ),
            ));
        }
        out.push(bytes.len() as u8);
        out.extend_from_slice(&bytes);
        Ok(())
    }

    /// Decodes `\X` and `\DDD` escapes in a token.
    pub fn unescape(&self, i: usize, t: &Token<'_>, field: &str) -> Result<Vec<u8>, RdataError> {
        unescape(t.text)
            .map_err(|e| self.err(i, format!("bad escape in {}: {e}", self.what(field))))
    }

    /// Hex digits spread over all remaining tokens (at least one octet).
    pub fn hex_rest(&mut self, field: &str, out: &mut Vec<u8>) -> Result<(), RdataError> {
        let (start, toks) = self.rest(field)?;
        let mut digits = Vec::new();
        for (k, t) in toks.iter().enumerate() {
            if !t.text.iter().all(u8::is_ascii_hexdigit) || t.text.is_empty() {
                return Err(self.err(
                    start + k,
                    format!("bad hex in {} {field} {}", self.tname, t.display()),
                ));
            }
            digits.extend_from_slice(t.text);
        }
        let last = start + toks.len() - 1;
        decode_hex(&digits, out).ok_or_else(|| {
            self.err(
                last,
                format!(
                    "odd number of hex digits in {} {field} ({})",
                    self.tname,
                    digits.len()
                ),
            )
        })
    }

    /// Base64 spread over all remaining tokens (at least one octet).
    pub fn base64_rest(&mut self, field: &str, out: &mut Vec<u8>) -> Result<(), RdataError> {
        let (start, toks) = self.rest(field)?;
        let mut text = Vec::new();
        for t in toks {
            text.extend_from_slice(t.text);
        }
        match BASE64.decode(&text) {
            Ok(bytes) if !bytes.is_empty() => {
                out.extend_from_slice(&bytes);
                Ok(())
            }
            _ => Err(self.err(start, format!("bad base64 in {} {field}", self.tname))),
        }
    }
}

/// An address from its text; `None` for anything else (escapes included).
pub(crate) fn parse_ip<T: std::str::FromStr>(text: &[u8]) -> Option<T> {
    std::str::from_utf8(text).ok()?.parse().ok()
}

/// Standard alphabet, padding optional on input; always written padded.
pub(crate) const BASE64: base64::engine::GeneralPurpose = base64::engine::GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    base64::engine::GeneralPurposeConfig::new()
        .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
);

/// Decimal digits only, at most `max`.
pub(crate) fn parse_decimal(text: &[u8], max: u32) -> Option<u32> {
    if text.is_empty() || text.len() > 10 || !text.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let v = text.iter().fold(0u64, |a, &d| a * 10 + u64::from(d - b'0'));
    if v > u64::from(max) {
        None
    } else {
        Some(v as u32)
    }
}

/// Decimal seconds, or BIND-style units: one or more `<number><unit>` with
/// units w, d, h, m, s (any case). The total must fit 32 bits (SOA timers
/// go to 2^32-1, RFC 1035 §3.3.13), and unlike a record TTL a bare number
/// after units ("1h30") is not accepted.
pub(crate) fn parse_ttl(text: &[u8]) -> Option<u32> {
    if let Some(v) = parse_decimal(text, u32::MAX) {
        return Some(v);
    }
    if text.is_empty() {
        return None;
    }
    let sum = crate::master::ttl::sum_units(text).ok()?;
    if sum.trailing.is_some() {
        return None;
    }
    u32::try_from(sum.total).ok()
}

/// Decodes the `\X` / `\DDD` escapes of RFC 1035 §5.1.
pub(crate) fn unescape(text: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        if text[i] == b'\\' {
            let (b, used) = parse_escape(&text[i..]).map_err(|e| e.to_string())?;
            out.push(b);
            i += used;
        } else {
            out.push(text[i]);
            i += 1;
        }
    }
    Ok(out)
}

fn hex_val(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// Decodes an even number of hex digits; `None` otherwise.
pub(crate) fn decode_hex(digits: &[u8], out: &mut Vec<u8>) -> Option<()> {
    if !digits.len().is_multiple_of(2) {
        return None;
    }
    for pair in digits.chunks_exact(2) {
        out.push(hex_val(pair[0])? << 4 | hex_val(pair[1])?);
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ttl_units() {
        assert_eq!(parse_ttl(b"3600"), Some(3600));
        assert_eq!(parse_ttl(b"1h"), Some(3600));
        assert_eq!(parse_ttl(b"1H30M"), Some(5400));
        assert_eq!(parse_ttl(b"1w2d"), Some(604_800 + 2 * 86_400));
        assert_eq!(parse_ttl(b"2d"), Some(172_800));
        assert_eq!(parse_ttl(b"10s"), Some(10));
        assert_eq!(parse_ttl(b"4294967295"), Some(u32::MAX));
        assert_eq!(parse_ttl(b"4294967296"), None);
        assert_eq!(parse_ttl(b"1h30"), None);
        assert_eq!(parse_ttl("8589934590w".repeat(8000).as_bytes()), None);
        assert_eq!(parse_ttl(b"7102w"), None);
        assert_eq!(parse_ttl(b"1h30"), None);
        assert_eq!(parse_ttl(b"h"), None);
        assert_eq!(parse_ttl(b"1x"), None);
        assert_eq!(parse_ttl(b""), None);
    }

    #[test]
    fn escapes() {
        assert_eq!(unescape(br#"a\"b\\c\059\000"#), Ok(b"a\"b\\c;\0".to_vec()));
        assert!(unescape(b"a\\").is_err());
        assert!(unescape(b"\\25").is_err());
        assert!(unescape(b"\\256").is_err());
    }
}
