//! Field layouts: most types are a fixed sequence of a few field kinds. One
//! table drives parsing, presentation and the canonical form, so the three
//! cannot disagree about where a name sits.

use std::net::{Ipv4Addr, Ipv6Addr};

use super::bitmap::{decode_type_bitmap, encode_type_bitmap};
use super::kind::F;
use super::present::{self, sep, Reader};
use super::text::{decode_hex, Parser};
use super::time::{parse_sig_time, write_sig_time};
use super::types::{
    algorithm_from_mnemonic, cert_type_from_mnemonic, cert_type_mnemonic, type_from_mnemonic,
    type_mnemonic,
};
use super::{rtype, RdataError};
use crate::name::write_name_text;
use data_encoding::BASE32HEX_NOPAD;

const SIG: &[F] = &[
    F::Type("type covered"),
    F::Alg("algorithm"),
    F::U8("labels"),
    F::Ttl("original TTL"),
    F::Time("expiration"),
    F::Time("inception"),
    F::U16("key tag"),
    F::Name("signer"),
    F::B64("signature"),
];
const KEY: &[F] = &[
    F::U16("flags"),
    F::U8("protocol"),
    F::Alg("algorithm"),
    F::B64("public key"),
];
const DS: &[F] = &[
    F::U16("key tag"),
    F::Alg("algorithm"),
    F::U8("digest type"),
    F::Hex("digest"),
];
const TLSA: &[F] = &[
    F::U8("usage"),
    F::U8("selector"),
    F::U8("matching type"),
    F::Hex("data"),
];

/// The layout of each type handled by the table (LOC, SVCB/HTTPS and
/// IPSECKEY have their own code; A6 and NXT only a canonical form).
pub(crate) fn layout(t: u16) -> Option<&'static [F]> {
    use rtype::*;
    Some(match t {
        A => &[F::A("address")],
        NS => &[F::Name("nameserver")],
        MD | MF | MB => &[F::Name("madname")],
        CNAME | DNAME | PTR => &[F::Name("target")],
        SOA => &[
            F::Name("mname"),
            F::Name("rname"),
            F::U32("serial"),
            F::Ttl("refresh"),
            F::Ttl("retry"),
            F::Ttl("expire"),
            F::Ttl("minimum"),
        ],
        MG => &[F::Name("mgmname")],
        MR => &[F::Name("newname")],
        HINFO => &[F::Str("cpu"), F::Str("os")],
        MINFO => &[F::Name("rmailbx"), F::Name("emailbx")],
        MX => &[F::U16("preference"), F::Name("exchange")],
        TXT | SPF => &[F::Strs("text")],
        RP => &[F::Name("mbox"), F::Name("txt-dname")],
        AFSDB => &[F::U16("subtype"), F::Name("hostname")],
        RT => &[F::U16("preference"), F::Name("intermediate-host")],
        SIG | RRSIG => self::SIG,
        KEY | DNSKEY | CDNSKEY => self::KEY,
        PX => &[F::U16("preference"), F::Name("map822"), F::Name("mapx400")],
        AAAA => &[F::Aaaa("address")],
        SRV => &[
            F::U16("priority"),
            F::U16("weight"),
            F::U16("port"),
            F::Name("target"),
        ],
        NAPTR => &[
            F::U16("order"),
            F::U16("preference"),
            F::Str("flags"),
            F::Str("services"),
            F::Str("regexp"),
            F::Name("replacement"),
        ],
        KX => &[F::U16("preference"), F::Name("exchanger")],
        CERT => &[
            F::CertType("type"),
            F::U16("key tag"),
            F::Alg("algorithm"),
            F::B64("certificate"),
        ],
        DS | CDS => self::DS,
        SSHFP => &[
            F::U8("algorithm"),
            F::U8("fingerprint type"),
            F::Hex("fingerprint"),
        ],
        NSEC => &[F::Name("next domain name"), F::Bitmap("type list")],
        DHCID => &[F::B64("data")],
        NSEC3 => &[
            F::U8("hash algorithm"),
            F::U8("flags"),
            F::U16("iterations"),
            F::Salt("salt"),
            F::Hash("next hashed owner"),
            F::Bitmap("type list"),
        ],
        NSEC3PARAM => &[
            F::U8("hash algorithm"),
            F::U8("flags"),
            F::U16("iterations"),
            F::Salt("salt"),
        ],
        TLSA | SMIMEA => self::TLSA,
        OPENPGPKEY => &[F::B64("public key")],
        CSYNC => &[F::U32("serial"), F::U16("flags"), F::Bitmap("type list")],
        ZONEMD => &[
            F::U32("serial"),
            F::U8("scheme"),
            F::U8("hash algorithm"),
            F::Hex("digest"),
        ],
        EUI48 => &[F::Eui("address", 6)],
        EUI64 => &[F::Eui("address", 8)],
        URI => &[F::U16("priority"), F::U16("weight"), F::RestStr("target")],
        CAA => &[F::U8("flags"), F::CaaTag("tag"), F::RestStr("value")],
        // RFC 1183 §3.1: one <character-string>, the X.121 PSDN address.
        X25 => &[F::Psdn("PSDN address")],
        // RFC 1183 §3.2: ISDN address and an optional subaddress.
        ISDN => &[F::Str("ISDN address"), F::OptStr("optional subaddress")],
        // RFC 1706 §5.
        NSAP => &[F::Nsap("NSAP address")],
        // RFC 1348 (deprecated by RFC 1706 §6 in favour of PTR): one name.
        NSAP_PTR => &[F::Name("owner")],
        // RFC 1712 §3: the field the RFC calls longitude is bounded by 90 and
        // the one it calls latitude by 180 (its example is -32.6882 116.8652).
        GPOS => &[
            F::Decimal("longitude", Some(90)),
            F::Decimal("latitude", Some(180)),
            F::Decimal("altitude", None),
        ],
        // Nimrod EID and locator (Patton, "DNS Resource Records for Nimrod
        // Routing Architecture", the IANA reference): opaque octets in hex.
        EID => &[F::Hex("endpoint identifier")],
        NIMLOC => &[F::Hex("Nimrod locator")],
        // ATM Forum af-dans-0152.000 §5.2: format octet and address.
        ATMA => &[F::Atma("address")],
        // draft-eastlake-kitchen-sink-02: meaning, coding, subcoding, data.
        SINK => &[
            F::U8("meaning"),
            F::U8("coding"),
            F::U8("subcoding"),
            F::B64Opt("optional data"),
        ],
        // TXT-like types: one or more <character-string>s. NINFO
        // (draft-lewis-dns-undocumented-types), AVC (IANA, Cisco), RESINFO
        // (RFC 9606 §3: key=value pairs written as TXT strings), WALLET (IANA).
        NINFO | AVC | RESINFO | WALLET => &[F::Strs("text")],
        // draft-reid-dnsext-rkey-00 §2: the DNSKEY layout.
        RKEY => self::KEY,
        // draft-ietf-dnsop-dnssec-trust-history-02: previous and next names.
        TALINK => &[F::Name("previous name"), F::Name("next name")],
        // RFC 9859 §2.1: RRtype, scheme, port, target.
        DSYNC => &[
            F::Type("RRtype"),
            F::DsyncScheme("scheme"),
            F::U16("port"),
            F::Name("target"),
        ],
        // DRIP (draft-ietf-drip-registries, the IANA reference): HHIT and
        // BRID carry opaque octets, written in base64.
        HHIT => &[F::B64("data")],
        BRID => &[F::B64("data")],
        // RFC 6742 §2.1-2.4 (ILNP).
        NID => &[F::U16("preference"), F::Locator64("node ID")],
        L32 => &[F::U16("preference"), F::A("locator32")],
        L64 => &[F::U16("preference"), F::Locator64("locator64")],
        LP => &[F::U16("preference"), F::Name("FQDN")],
        // draft-durand-doa-over-dns-03 §3: enterprise, type, location,
        // media type, data (`-` when empty).
        DOA => &[
            F::U32("enterprise"),
            F::U32("type"),
            F::U8("location"),
            F::Str("media type"),
            F::B64Dash("data"),
        ],
        // TA (Weiler, "Deploying DNSSEC Without a Signed Root", the IANA
        // reference) and DLV (RFC 4431 §2): the DS layout.
        TA | DLV => self::DS,
        _ => return None,
    })
}

// ---------------------------------------------------------------- parsing

pub(crate) fn parse_fields(
    p: &mut Parser<'_, '_>,
    layout: &[F],
    out: &mut Vec<u8>,
) -> Result<(), RdataError> {
    for &f in layout {
        parse_field(p, f, out)?;
    }
    p.finish()
}

fn parse_field(p: &mut Parser<'_, '_>, f: F, out: &mut Vec<u8>) -> Result<(), RdataError> {
    let tn = p.tname;
    match f {
        F::U8(n) => out.push(p.u8(n)?),
        F::U16(n) => out.extend_from_slice(&p.u16(n)?.to_be_bytes()),
        F::U32(n) => out.extend_from_slice(&p.u32(n)?.to_be_bytes()),
        F::Ttl(n) => out.extend_from_slice(&p.ttl(n)?.to_be_bytes()),
        F::Alg(n) => {
            let (i, t) = p.next(n)?;
            let v = super::text::parse_decimal(t.text, 255)
                .map(|v| v as u8)
                .or_else(|| algorithm_from_mnemonic(t.text))
                .ok_or_else(|| {
                    p.err(
                        i,
                        format!(
                            "{tn} {n} {} is not a number 0..255 or an algorithm mnemonic",
                            t.display()
                        ),
                    )
                })?;
            out.push(v);
        }
        F::Name(n) => p.name(n, out)?,
        F::Str(n) => p.char_string(n, out)?,
        F::Strs(n) => {
            let (start, toks) = p.rest(n)?;
            for (k, t) in toks.iter().enumerate() {
                p.push_char_string(start + k, t, "", out)?;
            }
        }
        F::A(n) => {
            let (i, t) = p.next(n)?;
            let a: Ipv4Addr = std::str::from_utf8(t.text)
                .ok()
                .and_then(|s| s.parse().ok())
                .ok_or_else(|| p.err(i, format!("bad IPv4 address {}", t.display())))?;
            out.extend_from_slice(&a.octets());
        }
        F::Aaaa(n) => {
            let (i, t) = p.next(n)?;
            let a: Ipv6Addr = std::str::from_utf8(t.text)
                .ok()
                .and_then(|s| s.parse().ok())
                .ok_or_else(|| p.err(i, format!("bad IPv6 address {}", t.display())))?;
            out.extend_from_slice(&a.octets());
        }
        F::Hex(n) => p.hex_rest(n, out)?,
        F::B64(n) => p.base64_rest(n, out)?,
        F::Time(n) => {
            let (i, t) = p.next(n)?;
            let v = parse_sig_time(t.text).ok_or_else(|| {
                p.err(
                    i,
                    format!(
                        "{tn} {n} {} is neither YYYYMMDDHHmmSS nor seconds 0..4294967295",
                        t.display()
                    ),
                )
            })?;
            out.extend_from_slice(&v.to_be_bytes());
        }
        F::Type(n) => {
            let (i, t) = p.next(n)?;
            let v = type_from_mnemonic(t.text)
                .ok_or_else(|| p.err(i, format!("{tn} {n}: unknown type {}", t.display())))?;
            out.extend_from_slice(&v.to_be_bytes());
        }
        F::Bitmap(n) => {
            let mut types = Vec::new();
            while let Some(t) = p.peek() {
                let i = p.pos;
                let v = type_from_mnemonic(t.text)
                    .ok_or_else(|| p.err(i, format!("unknown type {} in {tn} {n}", t.display())))?;
                types.push(v);
                p.pos += 1;
            }
            encode_type_bitmap(&types, out);
        }
        F::Salt(n) => {
            let (i, t) = p.next(n)?;
            let mut salt = Vec::new();
            if t.text != b"-" {
                let ok = t.text.iter().all(u8::is_ascii_hexdigit)
                    && !t.text.is_empty()
                    && decode_hex(t.text, &mut salt).is_some();
                if !ok {
                    return Err(p.err(
                        i,
                        format!(
                            "bad hex in {tn} {n} {} (use \"-\" for no salt)",
                            t.display()
                        ),
                    ));
                }
            }
            if salt.len() > 255 {
                return Err(p.err(i, format!("{tn} {n} longer than 255 octets")));
            }
            out.push(salt.len() as u8);
            out.extend_from_slice(&salt);
        }
        F::Hash(n) => {
            let (i, t) = p.next(n)?;
            let upper = t.text.to_ascii_uppercase();
            let bytes = BASE32HEX_NOPAD
                .decode(&upper)
                .ok()
                .filter(|b| !b.is_empty() && b.len() <= 255)
                .ok_or_else(|| p.err(i, format!("bad base32hex in {tn} {n} {}", t.display())))?;
            out.push(bytes.len() as u8);
            out.extend_from_slice(&bytes);
        }
        F::Eui(n, len) => {
            let (i, t) = p.next(n)?;
            let bad = || p.err(i, format!("bad {tn} {n} {}", t.display()));
            // xx-xx-...: 3 characters per octet minus the last hyphen.
            if t.text.len() != len * 3 - 1 {
                return Err(bad());
            }
            let mut digits = Vec::with_capacity(len * 2);
            for (k, chunk) in t.text.chunks(3).enumerate() {
                let hex_ok = chunk.len() >= 2 && chunk[..2].iter().all(u8::is_ascii_hexdigit);
                let sep_ok = k + 1 == len || chunk.get(2) == Some(&b'-');
                if !hex_ok || !sep_ok {
                    return Err(bad());
                }
                digits.extend_from_slice(&chunk[..2]);
            }
            decode_hex(&digits, out).ok_or_else(bad)?;
        }
        F::RestStr(n) => {
            let (i, t) = p.next(n)?;
            let bytes = p.unescape(i, t, n)?;
            out.extend_from_slice(&bytes);
        }
        F::CaaTag(n) => {
            let (i, t) = p.next(n)?;
            if !caa_tag_ok(t.text) {
                return Err(p.err(
                    i,
                    format!(
                        "{tn} {n} {} must be letters and digits (at least one)",
                        t.display()
                    ),
                ));
            }
            out.push(t.text.len() as u8);
            out.extend_from_slice(t.text);
        }
        F::CertType(n) => {
            let (i, t) = p.next(n)?;
            let v = super::text::parse_decimal(t.text, 65535)
                .map(|v| v as u16)
                .or_else(|| cert_type_from_mnemonic(t.text))
                .ok_or_else(|| {
                    p.err(
                        i,
                        format!(
                            "{tn} {n} {} is not a number 0..65535 or a certificate type mnemonic",
                            t.display()
                        ),
                    )
                })?;
            out.extend_from_slice(&v.to_be_bytes());
        }
        F::Decimal(n, bound) => {
            let (i, t) = p.next(n)?;
            let bytes = p.unescape(i, t, n)?;
            match decimal_value(&bytes) {
                None => {
                    return Err(p.err(
                        i,
                        format!(
                            "{tn} {n} {} is not a decimal number like -32.6882",
                            t.display()
                        ),
                    ))
                }
                Some(v) if !in_bound(v, bound) => {
                    let b = bound.unwrap_or(0);
                    return Err(p.err(i, format!("{tn} {n} {} is outside -{b}..{b}", t.display())));
                }
                Some(_) => {}
            }
            p.push_char_string(i, t, n, out)?;
        }
        F::Psdn(n) => {
            let (i, t) = p.next(n)?;
            let bytes = p.unescape(i, t, n)?;
            if !psdn_ok(&bytes) {
                return Err(p.err(
                    i,
                    format!(
                        "{tn} {n} {} must be 4 to 255 decimal digits (X.121: DNIC first)",
                        t.display()
                    ),
                ));
            }
            p.push_char_string(i, t, n, out)?;
        }
        F::OptStr(n) => {
            if !p.at_end() {
                p.char_string(n, out)?;
            }
        }
        F::Locator64(n) => {
            let (i, t) = p.next(n)?;
            let v = parse_locator64(t.text).ok_or_else(|| {
                p.err(
                    i,
                    format!(
                        "{tn} {n} {} is not four groups of 1 to 4 hex digits like 2001:db8:1140:1000",
                        t.display()
                    ),
                )
            })?;
            out.extend_from_slice(&v);
        }
        F::DsyncScheme(n) => {
            let (i, t) = p.next(n)?;
            let v = super::text::parse_decimal(t.text, 255)
                .map(|v| v as u8)
                .or_else(|| dsync_scheme_from_mnemonic(t.text))
                .ok_or_else(|| {
                    p.err(
                        i,
                        format!(
                            "{tn} {n} {} is not a number 0..255 or a scheme mnemonic (NOTIFY)",
                            t.display()
                        ),
                    )
                })?;
            out.push(v);
        }
        F::Nsap(n) => {
            let (i, t) = p.next(n)?;
            let hex = t
                .text
                .strip_prefix(b"0x")
                .or_else(|| t.text.strip_prefix(b"0X"))
                .ok_or_else(|| {
                    p.err(
                        i,
                        format!("{tn} {n} {} does not start with 0x", t.display()),
                    )
                })?;
            let digits: Vec<u8> = hex.iter().copied().filter(|&c| c != b'.').collect();
            let start = out.len();
            if digits.is_empty()
                || !digits.iter().all(u8::is_ascii_hexdigit)
                || decode_hex(&digits, out).is_none()
            {
                out.truncate(start);
                return Err(p.err(
                    i,
                    format!(
                        "{tn} {n} {} must be 0x and an even number (at least 2) of hex digits, dots ignored",
                        t.display()
                    ),
                ));
            }
        }
        F::Atma(n) => {
            let (i, t) = p.next(n)?;
            let start = out.len();
            let ok = match t.text.strip_prefix(b"+") {
                Some(e164) => {
                    out.push(ATMA_E164);
                    dotted(e164, u8::is_ascii_digit).map(|d| out.extend_from_slice(&d))
                }
                None => {
                    out.push(ATMA_AESA);
                    dotted(t.text, u8::is_ascii_hexdigit).and_then(|d| decode_hex(&d, out))
                }
            };
            if ok.is_none() {
                out.truncate(start);
                return Err(p.err(
                    i,
                    format!(
                        "{tn} {n} {} must be + and decimal digits (E.164) or an even number of hex digits (AESA), dots only between digits",
                        t.display()
                    ),
                ));
            }
        }
        F::B64Opt(n) => {
            if !p.at_end() {
                p.base64_rest(n, out)?;
            }
        }
        F::B64Dash(n) => match p.peek() {
            Some(t) if t.text == b"-" && !t.quoted => {
                p.pos += 1;
            }
            _ => p.base64_rest(n, out)?,
        },
    }
    Ok(())
}

/// RFC 1712 §3: a real number as a printable string; no exponent form is
/// described, so only `[+-]digits[.digits]` (either side of the point may
/// be empty, not both).
fn decimal_value(s: &[u8]) -> Option<f64> {
    let body = s
        .strip_prefix(b"-")
        .or_else(|| s.strip_prefix(b"+"))
        .unwrap_or(s);
    let (int, frac) = match body.iter().position(|&c| c == b'.') {
        Some(k) => (&body[..k], &body[k + 1..]),
        None => (body, &b""[..]),
    };
    let digits = |x: &[u8]| x.iter().all(u8::is_ascii_digit);
    if int.len() + frac.len() == 0 || !digits(int) || !digits(frac) {
        return None;
    }
    std::str::from_utf8(s).ok()?.parse().ok()
}

fn in_bound(v: f64, bound: Option<u16>) -> bool {
    bound.is_none_or(|b| v.abs() <= f64::from(b))
}

/// RFC 1183 §3.1: the PSDN address is X.121 digits, starting with the
/// 4-digit DNIC.
fn psdn_ok(s: &[u8]) -> bool {
    (4..=255).contains(&s.len()) && s.iter().all(u8::is_ascii_digit)
}

/// RFC 6742 §2.3: four 16-bit groups in hex separated by colons (like the
/// IPv6 text form, leading zeros may be left out; no `::`).
fn parse_locator64(text: &[u8]) -> Option<[u8; 8]> {
    let mut v = [0u8; 8];
    let mut groups = 0;
    for g in text.split(|&c| c == b':') {
        if groups == 4 || g.is_empty() || g.len() > 4 || !g.iter().all(u8::is_ascii_hexdigit) {
            return None;
        }
        let x = u16::from_str_radix(std::str::from_utf8(g).ok()?, 16).ok()?;
        v[groups * 2..groups * 2 + 2].copy_from_slice(&x.to_be_bytes());
        groups += 1;
    }
    (groups == 4).then_some(v)
}

/// RFC 9859, IANA "DSYNC: Location of Synchronization Endpoints" registry.
const DSYNC_SCHEMES: &[(u8, &str)] = &[(1, "NOTIFY")];

fn dsync_scheme_from_mnemonic(text: &[u8]) -> Option<u8> {
    DSYNC_SCHEMES
        .iter()
        .find(|(_, m)| m.as_bytes().eq_ignore_ascii_case(text))
        .map(|&(n, _)| n)
}

/// af-dans-0152.000 §5.2: ATMA format 0 is an AESA (NSAP-format address,
/// hex), format 1 an E.164 number (ASCII digits).
const ATMA_AESA: u8 = 0;
const ATMA_E164: u8 = 1;

/// The digits of `text` with the `.` separators removed; at least one
/// digit, each satisfying `digit`, and dots only between digits (not
/// leading, trailing or doubled), as BIND reads ATMA.
fn dotted(text: &[u8], digit: fn(&u8) -> bool) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len());
    for part in text.split(|&c| c == b'.') {
        if part.is_empty() || !part.iter().all(digit) {
            return None;
        }
        out.extend_from_slice(part);
    }
    Some(out)
}

fn caa_tag_ok(tag: &[u8]) -> bool {
    // The length octet bounds it at 255.
    (1..=255).contains(&tag.len()) && tag.iter().all(u8::is_ascii_alphanumeric)
}

// ----------------------------------------------------------- presentation

/// Formats wire RDATA by the layout; `None` if it does not decode cleanly
/// (including anything the parser would not read back to the same bytes).
pub(crate) fn format_fields(layout: &[F], rdata: &[u8]) -> Option<String> {
    let mut r = Reader::new(rdata);
    let mut out = String::with_capacity(rdata.len() * 2 + 16);
    for &f in layout {
        format_field(&mut r, f, &mut out)?;
    }
    if r.at_end() {
        Some(out)
    } else {
        None
    }
}

fn format_field(r: &mut Reader<'_>, f: F, out: &mut String) -> Option<()> {
    use std::fmt::Write;
    match f {
        F::U8(_) | F::Alg(_) => {
            let v = r.u8()?;
            sep(out);
            let _ = write!(out, "{v}");
        }
        F::U16(_) => {
            let v = r.u16()?;
            sep(out);
            let _ = write!(out, "{v}");
        }
        F::U32(_) | F::Ttl(_) => {
            let v = r.u32()?;
            sep(out);
            let _ = write!(out, "{v}");
        }
        F::Name(_) => {
            let n = r.name()?;
            sep(out);
            write_name_text(n, out);
        }
        F::Str(_) => {
            let s = r.char_string()?;
            sep(out);
            present::write_quoted(s, out);
        }
        F::Strs(_) => {
            if r.at_end() {
                return None;
            }
            while !r.at_end() {
                let s = r.char_string()?;
                sep(out);
                present::write_quoted(s, out);
            }
        }
        F::A(_) => {
            let b = r.take(4)?;
            sep(out);
            let _ = write!(out, "{}", Ipv4Addr::new(b[0], b[1], b[2], b[3]));
        }
        F::Aaaa(_) => {
            let b: [u8; 16] = r.take(16)?.try_into().ok()?;
            sep(out);
            let _ = write!(out, "{}", Ipv6Addr::from(b));
        }
        F::Hex(_) => {
            let b = r.rest();
            if b.is_empty() {
                return None;
            }
            sep(out);
            present::write_hex_upper(b, out);
        }
        F::B64(_) => {
            let b = r.rest();
            if b.is_empty() {
                return None;
            }
            sep(out);
            present::write_base64(b, out);
        }
        F::Time(_) => {
            let v = r.u32()?;
            sep(out);
            write_sig_time(v, out);
        }
        F::Type(_) => {
            let v = r.u16()?;
            sep(out);
            out.push_str(&type_mnemonic(v));
        }
        F::Bitmap(_) => {
            let b = r.rest();
            let types = decode_type_bitmap(b)?;
            // Only the minimal encoding reads back to the same bytes.
            let mut again = Vec::with_capacity(b.len());
            encode_type_bitmap(&types, &mut again);
            if again != b {
                return None;
            }
            for t in types {
                sep(out);
                out.push_str(&type_mnemonic(t));
            }
        }
        F::Salt(_) => {
            let s = r.char_string()?;
            sep(out);
            if s.is_empty() {
                out.push('-');
            } else {
                present::write_hex_upper(s, out);
            }
        }
        F::Hash(_) => {
            let s = r.char_string()?;
            if s.is_empty() {
                return None;
            }
            sep(out);
            out.push_str(&BASE32HEX_NOPAD.encode(s).to_ascii_lowercase());
        }
        F::Eui(_, len) => {
            let b = r.take(len)?;
            sep(out);
            for (k, x) in b.iter().enumerate() {
                if k > 0 {
                    out.push('-');
                }
                let _ = write!(out, "{x:02x}");
            }
        }
        F::RestStr(_) => {
            let b = r.rest();
            sep(out);
            present::write_quoted(b, out);
        }
        F::CaaTag(_) => {
            let s = r.char_string()?;
            if !caa_tag_ok(s) {
                return None;
            }
            sep(out);
            out.push_str(std::str::from_utf8(s).ok()?);
        }
        F::CertType(_) => {
            let v = r.u16()?;
            sep(out);
            match cert_type_mnemonic(v) {
                Some(m) => out.push_str(m),
                None => {
                    let _ = write!(out, "{v}");
                }
            }
        }
        F::Decimal(_, bound) => {
            let s = r.char_string()?;
            if !decimal_value(s).is_some_and(|v| in_bound(v, bound)) {
                return None;
            }
            sep(out);
            present::write_quoted(s, out);
        }
        F::Psdn(_) => {
            let s = r.char_string()?;
            if !psdn_ok(s) {
                return None;
            }
            sep(out);
            present::write_quoted(s, out);
        }
        F::OptStr(_) => {
            if !r.at_end() {
                let s = r.char_string()?;
                sep(out);
                present::write_quoted(s, out);
            }
        }
        F::Locator64(_) => {
            let b = r.take(8)?;
            sep(out);
            // RFC 6742's examples write each group as four digits.
            for (k, g) in b.chunks_exact(2).enumerate() {
                if k > 0 {
                    out.push(':');
                }
                let _ = write!(out, "{:04x}", u16::from_be_bytes([g[0], g[1]]));
            }
        }
        F::DsyncScheme(_) => {
            let v = r.u8()?;
            sep(out);
            match DSYNC_SCHEMES.iter().find(|&&(n, _)| n == v) {
                Some(&(_, m)) => out.push_str(m),
                None => {
                    let _ = write!(out, "{v}");
                }
            }
        }
        F::Nsap(_) => {
            let b = r.rest();
            if b.is_empty() {
                return None;
            }
            sep(out);
            out.push_str("0x");
            present::write_hex_lower(b, out);
        }
        F::Atma(_) => {
            let format = r.u8()?;
            let b = r.rest();
            if b.is_empty() {
                return None;
            }
            match format {
                ATMA_AESA => {
                    sep(out);
                    present::write_hex_lower(b, out);
                }
                ATMA_E164 if b.iter().all(u8::is_ascii_digit) => {
                    sep(out);
                    out.push('+');
                    out.push_str(std::str::from_utf8(b).ok()?);
                }
                _ => return None,
            }
        }
        F::B64Opt(_) => {
            let b = r.rest();
            if !b.is_empty() {
                sep(out);
                present::write_base64(b, out);
            }
        }
        F::B64Dash(_) => {
            let b = r.rest();
            sep(out);
            if b.is_empty() {
                out.push('-');
            } else {
                present::write_base64(b, out);
            }
        }
    }
    Some(())
}

// ---------------------------------------------------------- canonical form

/// Byte ranges of the names in wire RDATA laid out as `layout`; `None` if
/// the RDATA does not have that structure.
pub(crate) fn name_ranges(layout: &[F], rdata: &[u8]) -> Option<Vec<std::ops::Range<usize>>> {
    let mut r = Reader::new(rdata);
    let mut ranges = Vec::new();
    for &f in layout {
        match f {
            F::U8(_) | F::Alg(_) | F::DsyncScheme(_) => {
                r.u8()?;
            }
            F::U16(_) | F::Type(_) | F::CertType(_) => {
                r.u16()?;
            }
            F::U32(_) | F::Ttl(_) | F::Time(_) | F::A(_) => {
                r.take(4)?;
            }
            F::Aaaa(_) => {
                r.take(16)?;
            }
            F::Eui(_, n) => {
                r.take(n)?;
            }
            F::Locator64(_) => {
                r.take(8)?;
            }
            F::OptStr(_) => {
                if !r.at_end() {
                    r.char_string()?;
                }
            }
            F::Name(_) => {
                let start = r.pos;
                r.name()?;
                ranges.push(start..r.pos);
            }
            F::Str(_) | F::Salt(_) | F::Hash(_) | F::CaaTag(_) | F::Decimal(_, _) | F::Psdn(_) => {
                r.char_string()?;
            }
            F::Strs(_)
            | F::Hex(_)
            | F::B64(_)
            | F::Bitmap(_)
            | F::RestStr(_)
            | F::Nsap(_)
            | F::Atma(_)
            | F::B64Opt(_)
            | F::B64Dash(_) => {
                r.rest();
            }
        }
    }
    if r.at_end() {
        Some(ranges)
    } else {
        None
    }
}
