//! APL (RFC 3123): a list of address prefixes, each possibly negated.
//!
//! Wire (§4): zero or more items of ADDRESSFAMILY (16 bits), PREFIX (8
//! bits), N (1 bit, negation) with AFDLENGTH (7 bits), then AFDLENGTH
//! octets of AFDPART. §4.1: AFDPART is the address "with trailing zero
//! octets removed", and "the sender MUST NOT include trailing zero octets
//! in the AFDPART regardless of the value of PREFIX", because DNSSEC needs
//! one wire form for each list. A zone file is what is sent, so RDATA with
//! trailing zero octets (which BIND's wire reader refuses too, though its
//! printer writes them) has no text form here and is refused in the
//! RFC 3597 form: its text would read back shorter.
//!
//! Text (§5): items `[!]afi:address/prefix`, AFI 1 (IPv4, prefix 0..32)
//! and 2 (IPv6, prefix 0..128), the only families §4.1 gives a format for.
//! Items of other families are valid RDATA without a text form: they are
//! kept in the RFC 3597 form. The bits of the address past PREFIX are kept
//! as written: RFC 3123 asks nothing of them.

use std::net::{Ipv4Addr, Ipv6Addr};

use super::present::{sep, Reader};
use super::text::{parse_decimal, parse_ip, Parser};
use super::RdataError;

pub(crate) const FIELDS: &[&str] = &["address prefix list"];

const NEGATE: u8 = 0x80;

/// Address length and longest prefix of the families §4.1 defines.
fn family(afi: u16) -> Option<(usize, u8)> {
    match afi {
        1 => Some((4, 32)),
        2 => Some((16, 128)),
        _ => None,
    }
}

pub(crate) fn parse(p: &mut Parser<'_, '_>, out: &mut Vec<u8>) -> Result<(), RdataError> {
    let tn = p.tname;
    while let Some(t) = p.peek() {
        let i = p.pos;
        p.pos += 1;
        let bad = |why: &str| {
            p.err(
                i,
                format!(
                    "bad {tn} item {}: {why} (the form is [!]afi:address/prefix)",
                    t.display()
                ),
            )
        };
        if t.quoted {
            return Err(bad("it is quoted"));
        }
        let (neg, body) = match t.text.split_first() {
            Some((b'!', rest)) => (true, rest),
            _ => (false, t.text),
        };
        let colon = body
            .iter()
            .position(|&c| c == b':')
            .ok_or_else(|| bad("no ':'"))?;
        let slash = body
            .iter()
            .rposition(|&c| c == b'/')
            .ok_or_else(|| bad("no '/'"))?;
        if slash < colon {
            return Err(bad("'/' before ':'"));
        }
        let afi = parse_decimal(&body[..colon], 65535)
            .ok_or_else(|| bad("the family is not a number 0..65535"))? as u16;
        let (len, max) = family(afi).ok_or_else(|| {
            bad(&format!(
                "address family {afi} has no text form (RFC 3123 §4.1 defines 1 and 2; use the RFC 3597 form)"
            ))
        })?;
        let prefix = parse_decimal(&body[slash + 1..], u32::from(max))
            .ok_or_else(|| bad(&format!("the prefix is not a number 0..{max}")))?
            as u8;
        let addr_text = &body[colon + 1..slash];
        let octets: Vec<u8> = if afi == 1 {
            parse_ip::<Ipv4Addr>(addr_text).map(|a| a.octets().to_vec())
        } else {
            parse_ip::<Ipv6Addr>(addr_text).map(|a| a.octets().to_vec())
        }
        .ok_or_else(|| {
            bad(&format!(
                "not an IPv{} address",
                if afi == 1 { 4 } else { 6 }
            ))
        })?;
        debug_assert_eq!(octets.len(), len);
        // §4.1: the shortest AFDPART, trailing zero octets removed.
        let afd = octets.iter().rposition(|&b| b != 0).map_or(0, |k| k + 1);
        out.extend_from_slice(&afi.to_be_bytes());
        out.push(prefix);
        out.push(afd as u8 | if neg { NEGATE } else { 0 });
        out.extend_from_slice(&octets[..afd]);
    }
    Ok(())
}

/// One wire item: (afi, prefix, negated, afdpart), checked against §4.1:
/// AFDPART present in full, without trailing zero octets, and within the
/// address and prefix lengths of the families that have them.
fn item<'a>(r: &mut Reader<'a>) -> Option<(u16, u8, bool, &'a [u8])> {
    let afi = r.u16()?;
    let prefix = r.u8()?;
    let b = r.u8()?;
    let afd = r.take(usize::from(b & !NEGATE))?;
    if afd.last() == Some(&0) {
        return None;
    }
    if let Some((len, max)) = family(afi) {
        if afd.len() > len || prefix > max {
            return None;
        }
    }
    Some((afi, prefix, b & NEGATE != 0, afd))
}

/// Well-formed RDATA with an item of a family that has no text form: valid,
/// but only writable in the RFC 3597 form.
pub(crate) fn is_opaque_valid(rdata: &[u8]) -> bool {
    let mut r = Reader::new(rdata);
    let mut other = false;
    while !r.at_end() {
        match item(&mut r) {
            Some((afi, ..)) => other |= family(afi).is_none(),
            None => return false,
        }
    }
    other
}

pub(crate) fn format(rdata: &[u8]) -> Option<String> {
    use std::fmt::Write;
    let mut r = Reader::new(rdata);
    let mut out = String::new();
    while !r.at_end() {
        let (afi, prefix, neg, afd) = item(&mut r)?;
        let (len, _) = family(afi)?;
        let mut addr = [0u8; 16];
        addr[..afd.len()].copy_from_slice(afd);
        sep(&mut out);
        if neg {
            out.push('!');
        }
        let _ = if len == 4 {
            write!(
                out,
                "{afi}:{}/{prefix}",
                Ipv4Addr::new(addr[0], addr[1], addr[2], addr[3])
            )
        } else {
            write!(out, "{afi}:{}/{prefix}", Ipv6Addr::from(addr))
        };
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::super::rtype;
    use super::super::tests::{fmt, h, parse, round_trip};

    #[test]
    fn trailing_zeros_and_families() {
        // Trailing zero octets are never written, whatever the prefix.
        assert_eq!(parse(rtype::APL, "1:10.0.0.0/32"), Ok(h("0001 20 01 0a")));
        assert_eq!(parse(rtype::APL, "1:0.0.0.0/0"), Ok(h("0001 00 00")));
        assert_eq!(parse(rtype::APL, "!2:::/0"), Ok(h("0002 00 80")));
        // ...and RDATA that has them is not accepted in RFC 3597 form.
        assert!(fmt(rtype::APL, &h("0001 08 02 0a00")).starts_with("\\#"));
        let e = parse(rtype::APL, "\\# 6 000108020a00").expect_err("trailing zero");
        assert_eq!(e.token, 2);
        // Bits past the prefix are kept as written.
        assert_eq!(
            parse(rtype::APL, "1:10.1.2.3/8"),
            Ok(h("0001 08 04 0a010203"))
        );
        // Other families: no text form, but valid RDATA in RFC 3597 form.
        assert_eq!(parse(rtype::APL, "3:x/1").map_err(|e| e.token), Err(0));
        assert_eq!(
            parse(rtype::APL, "\\# 6 00030102abcd"),
            Ok(h("00030102abcd"))
        );
        round_trip(rtype::APL, &h("0001 08 01 0a 0003 01 02 abcd"));
        // Range and syntax errors point at the item.
        for bad in [
            "1:10.0.0.0/33",
            "2:::/129",
            "1:10.0.0/8",
            "1:::1/8",
            "2:10.0.0.1/8",
            "1:10.0.0.0",
            "110.0.0.0/8",
            "x:10.0.0.0/8",
            "!!1:10.0.0.0/8",
            "1:10.0.0.0/-1",
        ] {
            let e = parse(rtype::APL, &format!("1:1.2.3.4/32 {bad}")).expect_err(bad);
            assert_eq!(e.token, 1, "{bad}: {}", e.message);
        }
        // Wire items cut short or over length.
        for bad in [
            "0001 08",
            "0001 08 02 0a",
            "0001 21 01 0a",
            "0001 08 05 0102030405",
        ] {
            assert!(fmt(rtype::APL, &h(bad)).starts_with("\\#"), "{bad}");
        }
        // Empty RDATA is an empty list (§4: zero or more items).
        assert_eq!(parse(rtype::APL, ""), Ok(vec![]));
        assert_eq!(fmt(rtype::APL, &[]), "");
        assert_eq!(parse(rtype::APL, "\\# 0"), Ok(vec![]));
    }
}
