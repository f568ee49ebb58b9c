//! RDATA: presentation text ⇄ wire form for every type we read, and the
//! canonical form used for ordering and signing (RFC 4034 §6.2, RFC 6840 §5.1).
//!
//! RDATA is kept as uncompressed wire bytes everywhere in zonesign; this module
//! is the only place that knows the field layout of each type.
//!
//! # Ours, not hickory-proto's
//!
//! The parsers and writers here are ours; hickory-proto 0.26 serves as the
//! oracle in golden tests (`hickory_tests.rs`) where it is right. Measured
//! reasons (each has a test in `hickory_tests.rs`):
//! - Its text entry point (`RData::try_from_str`) takes a `&str` and reports
//!   no field position, while our errors must name the offending token; our
//!   tokens keep escapes in place, which we would have to re-quote for it.
//! - It refuses DNSKEY/CDNSKEY/CDS/RRSIG/NSEC/NSEC3/NSEC3PARAM text, has no
//!   DNAME/LOC/URI/ZONEMD, and no RFC 3597 `\#` form.
//! - SVCB: it rejects the RFC 9460 Appendix D vector whose keys are not in
//!   order, does not decode `\DDD` in `key667="hello\210qoo"`, lowercases
//!   the target name, and its Display leaves trailing commas.
//! - SSHFP with the fingerprint split over two fields, and CERT with a
//!   mnemonic type (`PGP`), are refused.
//! - TXT Display drops the quotes.
//!
//! Where it agrees (CAA, TLSA, SSHFP, CERT, SVCB in simple cases, type
//! bitmaps, the type table) the tests check our bytes against its bytes.

mod a6;
mod amtrelay;
mod apl;
mod bitmap;
mod fields;
mod hip;
mod ipseckey;
mod kind;
mod loc;
pub mod nsec3;
mod present;
mod svcb;
mod text;
mod time;
mod types;
mod wks;

#[cfg(test)]
mod hickory_tests;
#[cfg(test)]
mod kat_complex;
#[cfg(test)]
mod kat_fields;
#[cfg(test)]
mod tests;

pub use bitmap::{decode_type_bitmap, encode_type_bitmap};
pub(crate) use types::algorithm_mnemonic;
pub use types::{class_from_mnemonic, class_mnemonic, type_from_mnemonic, type_mnemonic};

use crate::master::token::Token;
use crate::name::Name;
use text::{FieldList, Parser};

/// Why the RDATA fields of an entry could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct RdataError {
    /// Index of the offending token in the slice given to [`parse_rdata`];
    /// `tokens.len()` when a field is missing (the message says which).
    pub token: usize,
    pub message: String,
}

/// Type numbers (IANA registry) used across the crate.
pub mod rtype {
    pub const A: u16 = 1;
    pub const NS: u16 = 2;
    pub const MD: u16 = 3;
    pub const MF: u16 = 4;
    pub const CNAME: u16 = 5;
    pub const SOA: u16 = 6;
    pub const MB: u16 = 7;
    pub const MG: u16 = 8;
    pub const MR: u16 = 9;
    pub const NULL: u16 = 10;
    pub const WKS: u16 = 11;
    pub const PTR: u16 = 12;
    pub const HINFO: u16 = 13;
    pub const MINFO: u16 = 14;
    pub const MX: u16 = 15;
    pub const TXT: u16 = 16;
    pub const RP: u16 = 17;
    pub const AFSDB: u16 = 18;
    pub const X25: u16 = 19;
    pub const ISDN: u16 = 20;
    pub const RT: u16 = 21;
    pub const NSAP: u16 = 22;
    pub const NSAP_PTR: u16 = 23;
    pub const SIG: u16 = 24;
    pub const KEY: u16 = 25;
    pub const PX: u16 = 26;
    pub const GPOS: u16 = 27;
    pub const AAAA: u16 = 28;
    pub const LOC: u16 = 29;
    pub const NXT: u16 = 30;
    pub const EID: u16 = 31;
    pub const NIMLOC: u16 = 32;
    pub const SRV: u16 = 33;
    pub const ATMA: u16 = 34;
    pub const NAPTR: u16 = 35;
    pub const KX: u16 = 36;
    pub const CERT: u16 = 37;
    pub const A6: u16 = 38;
    pub const DNAME: u16 = 39;
    pub const SINK: u16 = 40;
    pub const OPT: u16 = 41;
    pub const APL: u16 = 42;
    pub const DS: u16 = 43;
    pub const SSHFP: u16 = 44;
    pub const IPSECKEY: u16 = 45;
    pub const RRSIG: u16 = 46;
    pub const NSEC: u16 = 47;
    pub const DNSKEY: u16 = 48;
    pub const DHCID: u16 = 49;
    pub const NSEC3: u16 = 50;
    pub const NSEC3PARAM: u16 = 51;
    pub const TLSA: u16 = 52;
    pub const SMIMEA: u16 = 53;
    pub const HIP: u16 = 55;
    pub const NINFO: u16 = 56;
    pub const RKEY: u16 = 57;
    pub const TALINK: u16 = 58;
    pub const CDS: u16 = 59;
    pub const CDNSKEY: u16 = 60;
    pub const OPENPGPKEY: u16 = 61;
    pub const CSYNC: u16 = 62;
    pub const ZONEMD: u16 = 63;
    pub const SVCB: u16 = 64;
    pub const HTTPS: u16 = 65;
    pub const DSYNC: u16 = 66;
    pub const HHIT: u16 = 67;
    pub const BRID: u16 = 68;
    pub const SPF: u16 = 99;
    pub const UNSPEC: u16 = 103;
    pub const NID: u16 = 104;
    pub const L32: u16 = 105;
    pub const L64: u16 = 106;
    pub const LP: u16 = 107;
    pub const EUI48: u16 = 108;
    pub const EUI64: u16 = 109;
    pub const TSIG: u16 = 250;
    pub const IXFR: u16 = 251;
    pub const AXFR: u16 = 252;
    pub const ANY: u16 = 255;
    pub const URI: u16 = 256;
    pub const CAA: u16 = 257;
    pub const AVC: u16 = 258;
    pub const DOA: u16 = 259;
    pub const AMTRELAY: u16 = 260;
    pub const RESINFO: u16 = 261;
    pub const WALLET: u16 = 262;
    pub const TA: u16 = 32768;
    pub const DLV: u16 = 32769;
}

/// RFC 1035 §3.2.1: RDLENGTH is 16 bits.
const MAX_RDATA_LEN: usize = 65535;

/// Encodes the RDATA fields of one entry (everything after the type) into
/// uncompressed wire form appended to `out`. Relative names are completed
/// with `origin`. Accepts RFC 3597 `\# len hex` for every type, holding
/// RDATA of a known type to that type's rules (RFC 3597 §5). On error
/// `out` is left as it was.
pub fn parse_rdata(
    rtype: u16,
    tokens: &[Token<'_>],
    origin: &Name,
    out: &mut Vec<u8>,
) -> Result<(), RdataError> {
    let start = out.len();
    let result = parse_inner(rtype, tokens, origin, out).and_then(|()| {
        if out.len() - start > MAX_RDATA_LEN {
            Err(RdataError {
                token: tokens.len().saturating_sub(1),
                message: format!("RDATA of {} octets is longer than 65535", out.len() - start),
            })
        } else {
            Ok(())
        }
    });
    if result.is_err() {
        out.truncate(start);
    }
    result
}

fn parse_inner(
    rtype: u16,
    tokens: &[Token<'_>],
    origin: &Name,
    out: &mut Vec<u8>,
) -> Result<(), RdataError> {
    if let Some(first) = tokens.first() {
        if first.text == b"\\#" && !first.quoted {
            return parse_generic(rtype, tokens, out);
        }
    }
    parse_presentation(rtype, tokens, origin, out)
}

/// The type's own presentation form (never the RFC 3597 form).
fn parse_presentation(
    rtype: u16,
    tokens: &[Token<'_>],
    origin: &Name,
    out: &mut Vec<u8>,
) -> Result<(), RdataError> {
    let tname = text::TypeName::Type(rtype);
    if let Some(layout) = fields::layout(rtype) {
        let mut p = Parser::new(tokens, origin, tname, FieldList::Layout(layout));
        return fields::parse_fields(&mut p, layout, out);
    }
    let Some(codec) = module_codec(rtype) else {
        return Err(RdataError {
            token: 0,
            message: format!(
                "type {tname} has no known presentation format; use the RFC 3597 form \\# <length> <hex>"
            ),
        });
    };
    let mut p = Parser::new(tokens, origin, tname, FieldList::Names(codec.fields));
    (codec.parse)(&mut p, out)
}

type ParseFn = fn(&mut Parser<'_, '_>, &mut Vec<u8>) -> Result<(), RdataError>;

/// A type with a module of its own rather than a row of the field table:
/// its field names (for messages), its parser and its strict formatter.
struct Codec {
    fields: &'static [&'static str],
    parse: ParseFn,
    format: fn(&[u8]) -> Option<String>,
}

/// The one list of the types with their own module, which parsing,
/// formatting and [`has_presentation`] all read.
fn module_codec(rtype: u16) -> Option<Codec> {
    macro_rules! codec {
        ($m:ident) => {
            Codec {
                fields: $m::FIELDS,
                parse: $m::parse,
                format: $m::format,
            }
        };
    }
    Some(match rtype {
        rtype::LOC => codec!(loc),
        rtype::SVCB | rtype::HTTPS => codec!(svcb),
        rtype::IPSECKEY => codec!(ipseckey),
        rtype::A6 => codec!(a6),
        rtype::AMTRELAY => codec!(amtrelay),
        rtype::APL => codec!(apl),
        rtype::HIP => codec!(hip),
        rtype::WKS => codec!(wks),
        _ => return None,
    })
}

/// RFC 3597 §5: `\# <length> <hex>...`. For a type with a presentation
/// format the octets must be valid RDATA of that type (§5: "the RDATA
/// ... MUST be valid"); they are checked the way the type's own text would
/// be, so the two forms accept exactly the same RDATA. Names decoded from
/// these octets are uncompressed (§4): a compression pointer is a label
/// length over 63 and is refused with the rest of the malformed octets.
fn parse_generic(rtype: u16, tokens: &[Token<'_>], out: &mut Vec<u8>) -> Result<(), RdataError> {
    let root = Name::root();
    let p = Parser::new(
        tokens,
        &root,
        text::TypeName::Text("RFC 3597 form"),
        FieldList::Names(&["\\#", "length", "hex data"]),
    );
    let li = 1;
    let lt = tokens.get(li).ok_or_else(|| p.missing("length"))?;
    let len = text::parse_decimal(lt.text, 65535).ok_or_else(|| {
        p.err(
            li,
            format!("RFC 3597 length {} is not a number 0..65535", lt.display()),
        )
    })? as usize;
    let start = out.len();
    let mut digits = Vec::new();
    for (k, t) in tokens.iter().enumerate().skip(2) {
        if t.text.is_empty() || !t.text.iter().all(u8::is_ascii_hexdigit) {
            return Err(p.err(k, format!("bad hex in RFC 3597 data {}", t.display())));
        }
        digits.extend_from_slice(t.text);
    }
    let last = tokens.len().saturating_sub(1).max(li);
    if text::decode_hex(&digits, out).is_none() {
        return Err(p.err(
            last,
            format!(
                "odd number of hex digits ({}) in RFC 3597 data",
                digits.len()
            ),
        ));
    }
    let got = out.len() - start;
    if got != len {
        // The message is about the length field, so point at it.
        return Err(p.err(
            li,
            format!("RFC 3597 length {len} does not match {got} octets of hex"),
        ));
    }
    if let Err(why) = check_generic(rtype, &out[start..]) {
        // The data token when there is one; for `\# 0` the length.
        let at = if tokens.len() > 2 { 2 } else { li };
        return Err(p.err(
            at,
            format!(
                "RFC 3597 data is not valid {} RDATA: {why}",
                type_mnemonic(rtype)
            ),
        ));
    }
    Ok(())
}

/// Whether `rdata` given in RFC 3597 form is acceptable for `rtype`: a type
/// without a presentation format takes any octets; for the others the
/// strict formatter must write them as text and that text must read back
/// through the type's parser to the same octets.
fn check_generic(rtype: u16, rdata: &[u8]) -> Result<(), String> {
    if !has_presentation(rtype) {
        return Ok(());
    }
    let Some(text) = format_known(rtype, rdata) else {
        if opaque_allowed(rtype, rdata) {
            return Ok(());
        }
        return Err(if rdata.is_empty() {
            "it is empty".to_string()
        } else {
            format!(
                "the octets do not decode as {} fields",
                type_mnemonic(rtype)
            )
        });
    };
    let mut tokens = Vec::new();
    crate::master::lexer::Lexer::new(text.as_bytes())
        .next_entry(&mut tokens)
        .map_err(|e| format!("its text form {text:?} does not read back: {}", e.message()))?;
    let mut back = Vec::new();
    parse_presentation(rtype, &tokens, &Name::root(), &mut back)
        .map_err(|e| format!("{} (in its text form {text:?})", e.message))?;
    if back != rdata {
        return Err(format!(
            "its text form {text:?} reads back as different octets"
        ));
    }
    Ok(())
}

/// RDATA that is valid for its type yet has no text form, so it can only
/// be written in RFC 3597 form: AMTRELAY with a relay type RFC 8777 does
/// not define (§4.2.3: such records are kept, just not used for
/// discovery), and APL with an address family RFC 3123 §4.1 gives no
/// format for.
fn opaque_allowed(rtype: u16, rdata: &[u8]) -> bool {
    match rtype {
        rtype::AMTRELAY => amtrelay::is_undefined_relay_type(rdata),
        rtype::APL => apl::is_opaque_valid(rdata),
        _ => false,
    }
}

/// Types whose RDATA has a presentation format of its own here.
pub(crate) fn has_presentation(rtype: u16) -> bool {
    fields::layout(rtype).is_some() || module_codec(rtype).is_some()
}

/// The type's own text for `rdata`, or `None` for a type without one and
/// for octets that do not decode exactly as that type.
fn format_known(rtype: u16, rdata: &[u8]) -> Option<String> {
    if let Some(layout) = fields::layout(rtype) {
        return fields::format_fields(layout, rdata);
    }
    module_codec(rtype).and_then(|c| (c.format)(rdata))
}

/// Presentation form of wire RDATA, appended to `out`. Names are written
/// absolute with escapes; unknown types, and RDATA that does not decode
/// cleanly for its type, are written as RFC 3597 `\# len hex`. The output
/// reads back with [`parse_rdata`] to the same bytes, except for RDATA of
/// a known type that is not valid for it (which [`parse_rdata`] never
/// produces): its generic form is refused on reading, as RFC 3597 §5 asks.
pub fn write_rdata(rtype: u16, rdata: &[u8], out: &mut String) {
    match format_known(rtype, rdata) {
        Some(t) => out.push_str(&t),
        None => present::write_generic(rdata, out),
    }
}

/// Lowercases the ASCII letters of the names embedded in the RDATA, in
/// place, for the types of RFC 4034 §6.2 as amended by RFC 6840 §5.1 (not
/// NSEC; HINFO has no names). Other fields are untouched; RDATA that does
/// not have the structure of its type is left as is.
pub fn canonicalize_rdata(rtype: u16, rdata: &mut [u8]) {
    use rtype::*;
    let ranges = match rtype {
        NS | MD | MF | CNAME | SOA | MB | MG | MR | PTR | MINFO | MX | RP | AFSDB | RT | SIG
        | PX | NAPTR | KX | SRV | DNAME | RRSIG => match fields::layout(rtype) {
            Some(layout) => fields::name_ranges(layout, rdata),
            None => None,
        },
        NXT => nxt_name_range(rdata),
        A6 => a6_name_range(rdata),
        _ => None,
    };
    for range in ranges.into_iter().flatten() {
        if let Some(bytes) = rdata.get_mut(range) {
            bytes.make_ascii_lowercase();
        }
    }
}

/// NXT (RFC 2535 §5.2): next domain name, then a bitmap we do not read.
fn nxt_name_range(rdata: &[u8]) -> Option<Vec<std::ops::Range<usize>>> {
    let len = crate::name::wire_name_len(rdata).ok()?;
    Some(std::iter::once(0..len).collect())
}

/// A6 (RFC 2874 §3.1): prefix length, address suffix, prefix name if the
/// prefix length is not 0.
fn a6_name_range(rdata: &[u8]) -> Option<Vec<std::ops::Range<usize>>> {
    let plen = *rdata.first()? as usize;
    if plen > 128 {
        return None;
    }
    let start = 1 + a6::suffix_len(plen as u8);
    if plen == 0 {
        return (rdata.len() == start).then(Vec::new);
    }
    let name = rdata.get(start..)?;
    let len = crate::name::wire_name_len(name).ok()?;
    (len == name.len()).then(|| std::iter::once(start..start + len).collect())
}
