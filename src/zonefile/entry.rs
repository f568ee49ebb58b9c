//! One zone-file entry's fields before its RDATA (RFC 1035 §5.1): the
//! owner name, TTL, class and type, and the `$ORIGIN` and `$TTL`
//! directives. The reader, the directive scan that splits a file for
//! parallel reading, key files and DS input all read entries with these.

use crate::master::token::Token;
use crate::master::ttl::{looks_like_ttl, parse_ttl};
use crate::name::Name;
use crate::rdata::{class_from_mnemonic, type_from_mnemonic};

/// The Internet class (RFC 1035 §3.2.4), the default.
pub const CLASS_IN: u16 = 1;

/// An error inside one entry: position and message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryError {
    pub line: u32,
    pub col: u32,
    pub message: String,
}

impl EntryError {
    pub(super) fn at(tok: &Token<'_>, message: impl Into<String>) -> EntryError {
        EntryError {
            line: tok.line,
            col: tok.col,
            message: message.into(),
        }
    }
}

/// The fields of a record entry between its owner and its RDATA, read
/// from `tokens[from..]`: TTL and class in either order, each at most
/// once, then the type (RFC 1035 §5.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordHead {
    pub ttl: Option<u32>,
    pub class: Option<u16>,
    /// Index of the class token, when there is one.
    pub class_at: Option<usize>,
    pub rtype: u16,
    /// Index of the type token: the RDATA fields follow it.
    pub type_at: usize,
}

/// Reads the [`RecordHead`] of an entry whose owner field, if it has one,
/// ends before `tokens[from]`. A TTL starts with a digit; class and type
/// are mnemonics (or RFC 3597 `CLASSnn`/`TYPEnn`), never quoted.
pub fn parse_record_head(tokens: &[Token<'_>], from: usize) -> Result<RecordHead, EntryError> {
    let mut ttl: Option<u32> = None;
    let mut class: Option<u16> = None;
    let mut class_at: Option<usize> = None;
    let mut i = from;
    while let Some(t) = tokens.get(i) {
        if looks_like_ttl(t.text) && !t.quoted {
            if ttl.is_some() {
                return Err(EntryError::at(
                    t,
                    format!("unexpected {}: TTL given twice", t.display()),
                ));
            }
            ttl = Some(parse_ttl(t.text).map_err(|m| EntryError::at(t, m))?);
        } else if let Some(c) = class_from_mnemonic(t.text).filter(|_| !t.quoted) {
            if class.is_some() {
                return Err(EntryError::at(
                    t,
                    format!("unexpected {}: class given twice", t.display()),
                ));
            }
            class = Some(c);
            class_at = Some(i);
        } else if let Some(rtype) = type_from_mnemonic(t.text).filter(|_| !t.quoted) {
            return Ok(RecordHead {
                ttl,
                class,
                class_at,
                rtype,
                type_at: i,
            });
        } else {
            return Err(EntryError::at(
                t,
                format!("unknown class or type {}", t.display()),
            ));
        }
        i += 1;
    }
    let (line, col) = match tokens.last() {
        Some(last) => (last.line, last.col + last.text.len() as u32),
        None => (0, 1),
    };
    Err(EntryError {
        line,
        col,
        message: "missing record type".into(),
    })
}

/// `$ORIGIN name` (RFC 1035 §5.1), `tokens[0]` being the directive: the
/// new origin, a relative name completed with the current one.
pub fn origin_directive(tokens: &[Token<'_>], origin: Option<&Name>) -> Result<Name, EntryError> {
    parse_name(
        sole_argument(tokens, "$ORIGIN", "a domain name", "name")?,
        origin,
    )
}

/// `$TTL value` (RFC 2308 §4), `tokens[0]` being the directive: the TTL
/// of the records that give none.
pub fn ttl_directive(tokens: &[Token<'_>]) -> Result<u32, EntryError> {
    let t = sole_argument(tokens, "$TTL", "a TTL value", "value")?;
    parse_ttl(t.text).map_err(|m| EntryError::at(t, m))
}

/// The one argument of a directive: "`$X` needs `what`" without it,
/// "unexpected ... after `$X` `field`" for anything after it.
fn sole_argument<'t, 'a>(
    tokens: &'t [Token<'a>],
    directive: &str,
    what: &str,
    field: &str,
) -> Result<&'t Token<'a>, EntryError> {
    let t = tokens
        .get(1)
        .ok_or_else(|| EntryError::at(&tokens[0], format!("{directive} needs {what}")))?;
    if let Some(extra) = tokens.get(2) {
        return Err(EntryError::at(
            extra,
            format!("unexpected {} after {directive} {field}", extra.display()),
        ));
    }
    Ok(t)
}

/// A domain name field: `@` is the origin, a relative name is completed
/// with it (RFC 1035 §5.1). The directive scan that splits a file for
/// parallel reading follows `$ORIGIN` with this too.
pub fn parse_name(t: &Token<'_>, origin: Option<&Name>) -> Result<Name, EntryError> {
    if t.text == b"@" {
        return origin.cloned().ok_or_else(|| {
            EntryError::at(
                t,
                "'@' used but no origin is known (use $ORIGIN or --origin)",
            )
        });
    }
    Name::parse(t.text, origin).map_err(|e| name_error(t, e))
}

pub(super) fn name_error(t: &Token<'_>, e: crate::name::NameError) -> EntryError {
    let msg = match &e {
        crate::name::NameError::NoOrigin => format!(
            "relative name {} but no origin is known (use $ORIGIN or --origin)",
            t.display()
        ),
        // The token itself holds the raw byte: the column says where.
        e @ crate::name::NameError::ControlByte { .. } => e.to_string(),
        other => format!("bad name {}: {other}", t.display()),
    };
    let mut err = EntryError::at(t, msg);
    if let crate::name::NameError::ControlByte { at, .. } = e {
        // Point at the byte itself (a quoted token's column is its quote's).
        err.col = t.col + u32::from(t.quoted) + at as u32;
    }
    err
}
