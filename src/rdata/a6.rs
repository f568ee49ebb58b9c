//! A6 (RFC 2874 §3.1, historic since RFC 6563): an IPv6 address given as a
//! suffix of `128 - prefix length` bits plus the name under which the
//! remaining prefix is looked up.
//!
//! Wire (§3.1.1): prefix length (0..=128), then exactly enough octets for
//! `128 - prefix length` bits, the 0..7 leading pad bits zero, then the
//! prefix name, present iff the prefix length is not 0 and never
//! compressed. The canonical form lowercases that name (RFC 4034 §6.2 lists
//! A6); `a6_name_range` in `mod.rs` finds it with the same arithmetic as
//! [`suffix_len`].
//!
//! Text (§3.1.2): `prefix-length [address-suffix] [prefix-name]` in wire
//! order, the suffix (absent for length 128, as on the wire) written as a
//! whole IPv6 address of which only the low bits are kept.

use std::net::Ipv6Addr;

use super::present::Reader;
use super::text::Parser;
use super::RdataError;
use crate::name::write_name_text;

pub(crate) const FIELDS: &[&str] = &["prefix length", "address suffix", "prefix name"];

/// Octets of the address suffix for a prefix length of at most 128.
pub(crate) fn suffix_len(plen: u8) -> usize {
    (128 - usize::from(plen)).div_ceil(8)
}

/// The bits of the first suffix octet that belong to the prefix (the pad).
fn pad_mask(plen: u8) -> u8 {
    match plen % 8 {
        0 => 0,
        r => 0xff << (8 - r),
    }
}

pub(crate) fn parse(p: &mut Parser<'_, '_>, out: &mut Vec<u8>) -> Result<(), RdataError> {
    let tn = p.tname;
    let plen = p.number("prefix length", 128)? as u8;
    out.push(plen);
    let n = suffix_len(plen);
    // §3.1.1: "The address suffix component SHALL NOT be present if the
    // prefix length is 128", in the text as on the wire.
    if n > 0 {
        let addr = p.ipv6("address suffix")?.octets();
        // The prefix bits of the text address are not carried, and "Pad
        // bits ... MUST be set to zero when loading a zone file".
        let mut suffix = addr[16 - n..].to_vec();
        if let Some(first) = suffix.first_mut() {
            *first &= !pad_mask(plen);
        }
        out.extend_from_slice(&suffix);
    }
    if plen > 0 {
        p.name("prefix name", out)?;
    } else if let Some(t) = p.peek() {
        // §3.1.1: "The domain name component SHALL NOT be present if the
        // prefix length is zero."
        return Err(p.err(
            p.pos,
            format!(
                "{tn} with prefix length 0 has no prefix name, found {}",
                t.display()
            ),
        ));
    }
    p.finish()
}

pub(crate) fn format(rdata: &[u8]) -> Option<String> {
    let mut r = Reader::new(rdata);
    let plen = r.u8()?;
    if plen > 128 {
        return None;
    }
    let n = suffix_len(plen);
    let suffix = r.take(n)?;
    if suffix.first().is_some_and(|b| b & pad_mask(plen) != 0) {
        return None;
    }
    let mut out = plen.to_string();
    if n > 0 {
        let mut addr = [0u8; 16];
        addr[16 - n..].copy_from_slice(suffix);
        out.push(' ');
        out.push_str(&Ipv6Addr::from(addr).to_string());
    }
    if plen > 0 {
        out.push(' ');
        write_name_text(r.name()?, &mut out);
    }
    r.at_end().then_some(out)
}

#[cfg(test)]
mod tests {
    use super::super::rtype;
    use super::super::tests::{fmt, h, parse, round_trip};
    use super::*;

    #[test]
    fn lengths() {
        assert_eq!(suffix_len(0), 16);
        assert_eq!(suffix_len(64), 8);
        assert_eq!(suffix_len(65), 8);
        assert_eq!(suffix_len(127), 1);
        assert_eq!(suffix_len(128), 0);
        assert_eq!(pad_mask(65), 0x80);
        assert_eq!(pad_mask(71), 0xfe);
        assert_eq!(pad_mask(72), 0);
    }

    #[test]
    fn prefix_bits_cleared_and_name_rules() {
        // Bits of the text address inside the prefix are not carried.
        assert_eq!(
            parse(rtype::A6, "65 ffff::ffff:0:0:1 x."),
            Ok(h("41 7fff000000000001 0178 00"))
        );
        assert_eq!(
            parse(rtype::A6, "0 2001:db8::1 x.").map_err(|e| e.token),
            Err(2)
        );
        assert_eq!(parse(rtype::A6, "64 ::1").map_err(|e| e.token), Err(2));
        assert_eq!(parse(rtype::A6, "129 ::1 x.").map_err(|e| e.token), Err(0));
        assert_eq!(
            parse(rtype::A6, "64 1.2.3.4 x.").map_err(|e| e.token),
            Err(1)
        );
        // Pad bit set on the wire: no text form, and refused as RFC 3597 data.
        assert!(fmt(rtype::A6, &h("41 8000000000000001 00")).starts_with("\\#"));
        assert!(parse(rtype::A6, "\\# 10 41800000000000000100").is_err());
        // Name after a prefix length of 0, or missing, on the wire.
        assert!(fmt(rtype::A6, &h("00 20010db8000000000000000000000001 00")).starts_with("\\#"));
        assert!(fmt(rtype::A6, &h("80")).starts_with("\\#"));
        round_trip(rtype::A6, &h("80 03666f6f 00"));
        assert_eq!(fmt(rtype::A6, &h("80 03666f6f 00")), "128 foo.");
        assert_eq!(parse(rtype::A6, "128 foo."), Ok(h("80 03666f6f 00")));
        assert!(parse(rtype::A6, "128 :: foo.").is_err());
    }
}
