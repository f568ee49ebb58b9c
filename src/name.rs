//! Domain names: presentation parsing, wire form, canonical order.
//!
//! A [`Name`] holds the uncompressed wire form (RFC 1035 §3.1) of an absolute
//! name in the case it was written in (RFC 1035 §2.3.3: case is preserved,
//! compared case-insensitively per RFC 4343). The canonical sort key
//! ([`Name::canonical_key`]) turns RFC 4034 §6.1 ordering into a plain byte
//! comparison.

use std::cmp::Ordering;
use std::fmt;

/// RFC 1035 §2.3.4: a label is at most 63 octets.
pub const MAX_LABEL_LEN: usize = 63;
/// RFC 1035 §2.3.4: a name is at most 255 octets in wire form.
pub const MAX_NAME_LEN: usize = 255;

/// Why a name could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    #[error("label longer than 63 octets")]
    LabelTooLong,
    #[error("name longer than 255 octets")]
    NameTooLong,
    #[error("empty label in name")]
    EmptyLabel,
    #[error("bad escape in name: {0}")]
    BadEscape(String),
    #[error("relative name with no origin to complete it")]
    NoOrigin,
    #[error("malformed wire-format name")]
    BadWire,
    /// A raw control octet (0x00-0x1f, 0x7f) in presentation text. RFC
    /// 1035 §5.1 and RFC 4343 §2.1 spell such octets as `\DDD`; BIND and
    /// Knot refuse them raw, and a raw one would reach a terminal or log as
    /// it is. `at` is its byte offset in the text.
    #[error("invalid character \\{byte:03} in a name: a raw control byte (write the escape \\{byte:03} if that octet is meant)")]
    ControlByte { byte: u8, at: usize },
}

/// An absolute domain name in uncompressed wire form, original case kept.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Name {
    wire: Vec<u8>,
}

impl Name {
    /// The root name `.`.
    pub fn root() -> Name {
        Name { wire: vec![0] }
    }

    /// Takes an uncompressed wire-form name, checking its structure.
    pub fn from_wire(wire: &[u8]) -> Result<Name, NameError> {
        let len = wire_name_len(wire)?;
        if len != wire.len() {
            return Err(NameError::BadWire);
        }
        Ok(Name {
            wire: wire.to_vec(),
        })
    }

    /// Parses a name in presentation form (RFC 1035 §5.1): `\X` and `\DDD`
    /// escapes, a trailing dot for absolute names, otherwise `origin` is
    /// appended. `@` is *not* handled here (it is a zone-file token, not a name).
    pub fn parse(text: &[u8], origin: Option<&Name>) -> Result<Name, NameError> {
        let mut wire = Vec::with_capacity(text.len() + 2);
        let absolute = parse_name_into(text, &mut wire)?;
        if !absolute {
            let origin = origin.ok_or(NameError::NoOrigin)?;
            wire.extend_from_slice(&origin.wire);
            if wire.len() > MAX_NAME_LEN {
                return Err(NameError::NameTooLong);
            }
        }
        Ok(Name { wire })
    }

    /// Like [`Name::parse`], but into this name's buffer (no allocation
    /// once it is large enough). On error the name is left empty-rooted.
    pub fn parse_in_place(&mut self, text: &[u8], origin: Option<&Name>) -> Result<(), NameError> {
        self.wire.clear();
        let r = parse_name_into(text, &mut self.wire).and_then(|absolute| {
            if !absolute {
                let origin = origin.ok_or(NameError::NoOrigin)?;
                self.wire.extend_from_slice(&origin.wire);
                if self.wire.len() > MAX_NAME_LEN {
                    return Err(NameError::NameTooLong);
                }
            }
            Ok(())
        });
        if r.is_err() {
            self.wire.clear();
            self.wire.push(0);
        }
        r
    }

    /// Parses an absolute name given as text (convenience for tests and CLI).
    pub fn from_ascii(text: &str) -> Result<Name, NameError> {
        let t = if text.ends_with('.') {
            text.to_string()
        } else {
            format!("{text}.")
        };
        Name::parse(t.as_bytes(), None)
    }

    /// The wire form, original case.
    pub fn as_wire(&self) -> &[u8] {
        &self.wire
    }

    /// The labels from the leftmost down to (not including) the root.
    pub fn labels(&self) -> Labels<'_> {
        Labels { wire: &self.wire }
    }

    /// Number of labels, not counting the root (the RRSIG Labels field
    /// counts the same way, RFC 4034 §3.1.3).
    pub fn label_count(&self) -> usize {
        self.labels().count()
    }

    /// True when the leftmost label is `*` (RFC 4592).
    pub fn is_wildcard(&self) -> bool {
        self.wire.len() >= 2 && self.wire[0] == 1 && self.wire[1] == b'*'
    }

    /// True for the root name.
    pub fn is_root(&self) -> bool {
        self.wire.len() == 1
    }

    /// The same name with ASCII letters lowercased (RFC 4034 §6.2).
    pub fn to_lowercase(&self) -> Name {
        Name {
            wire: lowercase_wire(&self.wire),
        }
    }

    /// Case-insensitive equality (RFC 4343).
    pub fn eq_ignore_case(&self, other: &Name) -> bool {
        self.wire.eq_ignore_ascii_case(&other.wire)
    }

    /// True when `self` is `other` or below it.
    pub fn is_subdomain_of(&self, other: &Name) -> bool {
        if other.wire.len() > self.wire.len() {
            return false;
        }
        // Walk our labels until the remaining suffix has other's length;
        // only label boundaries count.
        let mut pos = 0;
        while self.wire.len() - pos > other.wire.len() {
            pos += 1 + self.wire[pos] as usize;
        }
        self.wire.len() - pos == other.wire.len()
            && self.wire[pos..].eq_ignore_ascii_case(&other.wire)
    }

    /// The name with the leftmost label removed; `None` for the root.
    pub fn parent(&self) -> Option<Name> {
        if self.is_root() {
            None
        } else {
            let skip = 1 + self.wire[0] as usize;
            Some(Name {
                wire: self.wire[skip..].to_vec(),
            })
        }
    }

    /// Prepends one label (raw octets).
    pub fn prepend_label(&self, label: &[u8]) -> Result<Name, NameError> {
        if label.is_empty() {
            return Err(NameError::EmptyLabel);
        }
        if label.len() > MAX_LABEL_LEN {
            return Err(NameError::LabelTooLong);
        }
        let mut wire = Vec::with_capacity(self.wire.len() + label.len() + 1);
        wire.push(label.len() as u8);
        wire.extend_from_slice(label);
        wire.extend_from_slice(&self.wire);
        if wire.len() > MAX_NAME_LEN {
            return Err(NameError::NameTooLong);
        }
        Ok(Name { wire })
    }

    /// Appends the canonical sort key of this name to `out`.
    ///
    /// The key lists the labels from the root down, each lowercased and
    /// ended by `0x00`; inside a label `0x00` becomes `0x01 0x01` and `0x01`
    /// becomes `0x01 0x02`. A byte-wise comparison of two keys is then
    /// exactly the RFC 4034 §6.1 canonical order.
    pub fn canonical_key(&self, out: &mut Vec<u8>) {
        canonical_key_from_wire(&self.wire, out)
    }

    /// Canonical-order comparison (RFC 4034 §6.1).
    pub fn canonical_cmp(&self, other: &Name) -> Ordering {
        canonical_cmp_wire(&self.wire, &other.wire)
    }

    /// Rebuilds a name from a canonical key made by [`Name::canonical_key`].
    pub fn from_canonical_key(key: &[u8]) -> Result<Name, NameError> {
        let mut labels: Vec<Vec<u8>> = Vec::new();
        let mut cur = Vec::new();
        let mut i = 0;
        while i < key.len() {
            match key[i] {
                0 => labels.push(std::mem::take(&mut cur)),
                1 => {
                    i += 1;
                    match key.get(i) {
                        Some(1) => cur.push(0),
                        Some(2) => cur.push(1),
                        _ => return Err(NameError::BadWire),
                    }
                }
                b => cur.push(b),
            }
            i += 1;
        }
        if !cur.is_empty() {
            return Err(NameError::BadWire);
        }
        let mut wire = Vec::with_capacity(key.len() + 1);
        for l in labels.iter().rev() {
            wire.push(l.len() as u8);
            wire.extend_from_slice(l);
        }
        wire.push(0);
        Ok(Name { wire })
    }
}

/// The root name.
impl Default for Name {
    fn default() -> Self {
        Name::root()
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = String::with_capacity(self.wire.len() + 4);
        write_name_text(&self.wire, &mut s);
        f.write_str(&s)
    }
}

impl fmt::Debug for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Name({self})")
    }
}

/// Iterator over the labels of a wire name, leftmost first.
pub struct Labels<'a> {
    wire: &'a [u8],
}

impl<'a> Labels<'a> {
    /// Labels of a wire-form name.
    pub fn new(wire: &'a [u8]) -> Labels<'a> {
        Labels { wire }
    }
}

impl<'a> Iterator for Labels<'a> {
    type Item = &'a [u8];
    fn next(&mut self) -> Option<&'a [u8]> {
        let len = *self.wire.first()? as usize;
        if len == 0 || self.wire.len() < 1 + len {
            return None;
        }
        let label = &self.wire[1..1 + len];
        self.wire = &self.wire[1 + len..];
        Some(label)
    }
}

/// Length of the uncompressed wire name at the start of `wire`, checking
/// label and name length limits (RFC 1035 §2.3.4).
pub fn wire_name_len(wire: &[u8]) -> Result<usize, NameError> {
    let mut pos = 0;
    loop {
        let len = *wire.get(pos).ok_or(NameError::BadWire)? as usize;
        if len > MAX_LABEL_LEN {
            return Err(NameError::BadWire);
        }
        pos += 1 + len;
        if pos > MAX_NAME_LEN {
            return Err(NameError::NameTooLong);
        }
        if len == 0 {
            return Ok(pos);
        }
        if pos > wire.len() {
            return Err(NameError::BadWire);
        }
    }
}

/// Lowercases the ASCII letters of a wire name. Length octets are at most
/// 63, below `b'A'`, so lowercasing every byte is safe.
pub fn lowercase_wire(wire: &[u8]) -> Vec<u8> {
    wire.to_ascii_lowercase()
}

/// Appends the canonical sort key of a wire-form name (see [`Name::canonical_key`]).
pub fn canonical_key_from_wire(wire: &[u8], out: &mut Vec<u8>) {
    let mut starts: [u8; 128] = [0; 128];
    let mut n = 0;
    let mut pos = 0usize;
    while pos < wire.len() && wire[pos] != 0 && n < 128 {
        starts[n] = pos as u8;
        n += 1;
        pos += 1 + wire[pos] as usize;
    }
    for &s in starts[..n].iter().rev() {
        let s = s as usize;
        let len = wire[s] as usize;
        let label = &wire[s + 1..(s + 1 + len).min(wire.len())];
        if label.iter().all(|&b| b > 1) {
            // The usual case: copy, then lowercase in place.
            let at = out.len();
            out.extend_from_slice(label);
            out[at..].make_ascii_lowercase();
        } else {
            for &b in label {
                match b {
                    0 => out.extend_from_slice(&[1, 1]),
                    1 => out.extend_from_slice(&[1, 2]),
                    b => out.push(b.to_ascii_lowercase()),
                }
            }
        }
        out.push(0);
    }
}

/// RFC 4034 §6.1 canonical comparison of two wire names.
pub fn canonical_cmp_wire(a: &[u8], b: &[u8]) -> Ordering {
    let mut ka = Vec::with_capacity(a.len() + 4);
    let mut kb = Vec::with_capacity(b.len() + 4);
    canonical_key_from_wire(a, &mut ka);
    canonical_key_from_wire(b, &mut kb);
    ka.cmp(&kb)
}

/// Ends the label whose length octet is at `label_start`: 1 to 63 octets
/// (RFC 1035 §2.3.4); the length octet is written.
fn close_label(wire: &mut [u8], label_start: usize) -> Result<(), NameError> {
    let len = wire.len() - label_start - 1;
    if len == 0 {
        return Err(NameError::EmptyLabel);
    }
    if len > MAX_LABEL_LEN {
        return Err(NameError::LabelTooLong);
    }
    wire[label_start] = len as u8;
    Ok(())
}

/// Parses presentation text into wire labels appended to `wire`. Returns
/// whether the name was absolute (ended in an unescaped dot, or was `.`).
pub fn parse_name_into(text: &[u8], wire: &mut Vec<u8>) -> Result<bool, NameError> {
    let start = wire.len();
    if text == b"." {
        wire.push(0);
        return Ok(true);
    }
    if text.is_empty() {
        return Err(NameError::EmptyLabel);
    }
    let mut label_start = wire.len();
    wire.push(0);
    let mut i = 0;
    let mut absolute = false;
    while i < text.len() {
        let c = text[i];
        match c {
            b'.' => {
                close_label(wire, label_start)?;
                if i + 1 == text.len() {
                    absolute = true;

                    break;
                }
                label_start = wire.len();
                wire.push(0);
                i += 1;
            }
            b'\\' => {
                // `\X` with X itself a raw control byte is still a raw
                // control byte in the text.
                if let Some(&x) = text.get(i + 1).filter(|&&x| is_control(x)) {
                    return Err(NameError::ControlByte { byte: x, at: i + 1 });
                }
                let (byte, used) = parse_escape(&text[i..])?;
                wire.push(byte);
                i += used;
            }
            _ if is_control(c) => return Err(NameError::ControlByte { byte: c, at: i }),
            _ => {
                wire.push(c);
                i += 1;
            }
        }
    }
    if !absolute {
        close_label(wire, label_start)?;
    } else {
        wire.push(0);
    }
    let total = wire.len() - start + usize::from(!absolute);
    if total > MAX_NAME_LEN {
        return Err(NameError::NameTooLong);
    }
    Ok(absolute)
}

/// A C0 control byte or DEL: never part of a name's presentation text
/// unescaped.
fn is_control(b: u8) -> bool {
    b < 0x20 || b == 0x7f
}

/// Decodes one `\X` or `\DDD` escape at the start of `s` (RFC 1035 §5.1).
/// Returns the octet and the number of input bytes used.
pub fn parse_escape(s: &[u8]) -> Result<(u8, usize), NameError> {
    debug_assert_eq!(s.first(), Some(&b'\\'));
    match s.get(1) {
        None => Err(NameError::BadEscape("backslash at end of text".into())),
        Some(d) if d.is_ascii_digit() => {
            if s.len() < 4 || !s[2].is_ascii_digit() || !s[3].is_ascii_digit() {
                return Err(NameError::BadEscape(
                    "\\DDD needs exactly three decimal digits".into(),
                ));
            }
            let v = (s[1] - b'0') as u32 * 100 + (s[2] - b'0') as u32 * 10 + (s[3] - b'0') as u32;
            if v > 255 {
                return Err(NameError::BadEscape(format!("\\{v:03} is above 255")));
            }
            Ok((v as u8, 4))
        }
        Some(&c) => Ok((c, 2)),
    }
}

/// Writes a wire name in presentation form, escaping as RFC 1035 §5.1 and
/// RFC 4343 §2.1 require (`.`, `\`, `"`, `;`, `(`, `)`, `@`, `$` and
/// whitespace are `\X`; other non-printables `\DDD`).
pub fn write_name_text(wire: &[u8], out: &mut String) {
    if wire.len() <= 1 {
        out.push('.');
        return;
    }
    for label in (Labels { wire }) {
        for &b in label {
            push_escaped_name_byte(b, out);
        }
        out.push('.');
    }
}

fn push_escaped_name_byte(b: u8, out: &mut String) {
    match b {
        b'.' | b'\\' | b'"' | b';' | b'(' | b')' | b'@' | b'$' => {
            out.push('\\');
            out.push(b as char);
        }
        0x21..=0x7e => out.push(b as char),
        _ => {
            use std::fmt::Write;
            let _ = write!(out, "\\{b:03}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> Name {
        Name::parse(s.as_bytes(), None).expect("valid name")
    }

    #[test]
    fn parses_absolute_and_relative() {
        let origin = n("example.com.");
        let a = Name::parse(b"www", Some(&origin)).expect("ok");
        assert_eq!(a.to_string(), "www.example.com.");
        assert_eq!(n(".").as_wire(), &[0]);
        assert_eq!(a.label_count(), 3);
        assert!(Name::parse(b"www", None).is_err());
    }

    #[test]
    fn escapes_round_trip() {
        let a = n("dot\\.label.a\\032b.\\255x.");
        let labels: Vec<&[u8]> = a.labels().collect();
        assert_eq!(labels[0], b"dot.label");
        assert_eq!(labels[1], b"a b");
        assert_eq!(labels[2], &[255, b'x']);
        assert_eq!(a.to_string(), "dot\\.label.a\\032b.\\255x.");
        assert_eq!(n(&a.to_string()), a);
    }

    #[test]
    fn raw_control_bytes_in_names_are_refused_with_their_offset() {
        for (text, byte, at) in [
            (&b"a\x00b."[..], 0u8, 1usize),
            (b"ok.\x1b[31m.", 0x1b, 3),
            (b"del\x7f.", 0x7f, 3),
            (b"tab\\\tx.", b'\t', 4),
        ] {
            assert_eq!(
                Name::parse(text, None),
                Err(NameError::ControlByte { byte, at }),
                "{text:?}"
            );
        }
        let msg = Name::parse(b"a\x00b.", None).unwrap_err().to_string();
        assert!(msg.contains("\\000") && !msg.contains('\0'), "{msg}");
    }

    #[test]
    fn escaped_control_bytes_and_high_octets_are_legal() {
        // RFC 1035 §5.1 / RFC 4343 §2.1: `\DDD` may spell any octet.
        let a = n("a\\000b.\\027.\\127.");
        let labels: Vec<&[u8]> = a.labels().collect();
        assert_eq!(labels, vec![&b"a\x00b"[..], b"\x1b", b"\x7f"]);
        assert_eq!(
            n("caf\u{e9}.").labels().next(),
            Some("caf\u{e9}".as_bytes())
        );
    }

    #[test]
    fn bad_names() {
        assert_eq!(Name::parse(b"a..b.", None), Err(NameError::EmptyLabel));
        let long = "a".repeat(64) + ".";
        assert_eq!(
            Name::parse(long.as_bytes(), None),
            Err(NameError::LabelTooLong)
        );
        let too_long = "abcdefghi.".repeat(26);
        assert_eq!(
            Name::parse(too_long.as_bytes(), None),
            Err(NameError::NameTooLong)
        );
        assert!(matches!(
            Name::parse(b"a\\25.", None),
            Err(NameError::BadEscape(_))
        ));
        assert!(matches!(
            Name::parse(b"a\\256.", None),
            Err(NameError::BadEscape(_))
        ));
    }

    #[test]
    fn max_length_name_accepted() {
        // 4 labels of 63 octets = 4*64 + 1 = 257 > 255; 3*64 + 62 + 1 = 255.
        let l63 = "a".repeat(63);
        let l61 = "b".repeat(61);
        let s = format!("{l63}.{l63}.{l63}.{l61}.");
        let name = n(&s);
        assert_eq!(name.as_wire().len(), 255);
    }

    /// RFC 4034 §6.1 example, in the order the RFC lists it.
    #[test]
    fn rfc4034_canonical_order_example() {
        let names = [
            "example.",
            "a.example.",
            "yljkjljk.a.example.",
            "Z.a.example.",
            "zABC.a.EXAMPLE.",
            "z.example.",
            "\\001.z.example.",
            "*.z.example.",
            "\\200.z.example.",
        ];
        let parsed: Vec<Name> = names.iter().map(|s| n(s)).collect();
        for w in parsed.windows(2) {
            assert_eq!(
                w[0].canonical_cmp(&w[1]),
                Ordering::Less,
                "{} < {}",
                w[0],
                w[1]
            );
        }
        for p in &parsed {
            let mut k = Vec::new();
            p.canonical_key(&mut k);
            assert_eq!(
                Name::from_canonical_key(&k).expect("key").to_lowercase(),
                p.to_lowercase()
            );
        }
    }

    #[test]
    fn subdomain() {
        assert!(n("a.b.example.").is_subdomain_of(&n("Example.")));
        assert!(n("example.").is_subdomain_of(&n("example.")));
        assert!(!n("aexample.").is_subdomain_of(&n("example.")));
        assert!(n("x.").is_subdomain_of(&Name::root()));
        assert_eq!(n("a.b.").parent(), Some(n("b.")));
    }
}
