//! AMTRELAY (RFC 8777 §4): where to find an AMT relay for a multicast
//! source.
//!
//! Wire (§4.2): precedence octet, then one octet holding the D
//! ("discovery optional") bit and a 7-bit relay type, then the relay:
//! nothing for type 0, an IPv4 address for 1, an IPv6 address for 2, an
//! uncompressed wire name for 3 (§4.2.3, §4.2.4). Types 4..=127 are unassigned:
//! such records are valid RDATA that gateways "SHOULD NOT" use (§4.2.3),
//! and having no text form for their relay they are kept and written in the
//! RFC 3597 form (the form §4.3.2 itself shows for servers that cannot
//! present AMTRELAY).
//!
//! Text (§4.3.1): `precedence D-bit type relay`, all four required, the
//! relay `.` for type 0. The relay name is not lowercased in the canonical
//! form (AMTRELAY is not in the RFC 4034 §6.2 list).

use std::net::{Ipv4Addr, Ipv6Addr};

use super::present::Reader;
use super::text::Parser;
use super::RdataError;
use crate::name::write_name_text;

pub(crate) const FIELDS: &[&str] = &["precedence", "discovery optional", "type", "relay"];

const D_BIT: u8 = 0x80;

/// RDATA whose relay type RFC 8777 does not define (4..=127).
pub(crate) fn is_undefined_relay_type(rdata: &[u8]) -> bool {
    rdata.get(1).is_some_and(|b| b & !D_BIT > 3)
}

pub(crate) fn parse(p: &mut Parser<'_, '_>, out: &mut Vec<u8>) -> Result<(), RdataError> {
    let tn = p.tname;
    out.push(p.u8("precedence")?);
    let d = p.number("discovery optional", 1)? as u8;
    let ti = p.pos;
    let rtype = p.number("type", 127)? as u8;
    if rtype > 3 {
        return Err(p.err(
            ti,
            format!(
                "{tn} relay type {rtype} is not defined (RFC 8777 §4.2.3 defines 0..3); write such a record in the RFC 3597 form \\# <length> <hex>"
            ),
        ));
    }
    out.push(if d == 1 { D_BIT | rtype } else { rtype });
    match rtype {
        0 => {
            let (i, t) = p.next("relay")?;
            if t.text != b"." || t.quoted {
                return Err(p.err(
                    i,
                    format!(
                        "{tn} relay must be \".\" for relay type 0, not {}",
                        t.display()
                    ),
                ));
            }
        }
        1 => out.extend_from_slice(&p.ipv4("relay")?.octets()),
        2 => out.extend_from_slice(&p.ipv6("relay")?.octets()),
        _ => p.name("relay", out)?,
    }
    p.finish()
}

pub(crate) fn format(rdata: &[u8]) -> Option<String> {
    use std::fmt::Write;
    let mut r = Reader::new(rdata);
    let precedence = r.u8()?;
    let b = r.u8()?;
    let (d, rtype) = (u8::from(b & D_BIT != 0), b & !D_BIT);
    let mut out = format!("{precedence} {d} {rtype} ");
    match rtype {
        0 => out.push('.'),
        1 => {
            let a: [u8; 4] = r.take(4)?.try_into().ok()?;
            let _ = write!(out, "{}", Ipv4Addr::from(a));
        }
        2 => {
            let a: [u8; 16] = r.take(16)?.try_into().ok()?;
            let _ = write!(out, "{}", Ipv6Addr::from(a));
        }
        3 => write_name_text(r.name()?, &mut out),
        _ => return None,
    }
    r.at_end().then_some(out)
}

#[cfg(test)]
mod tests {
    use super::super::rtype;
    use super::super::tests::{fmt, h, parse, round_trip};

    #[test]
    fn undefined_relay_types_are_opaque() {
        // Type 4 text has no defined relay syntax: refused, at the type.
        let e = parse(rtype::AMTRELAY, "10 0 4 x").expect_err("type 4");
        assert_eq!(e.token, 2);
        assert!(e.message.contains("RFC 3597"), "{}", e.message);
        assert_eq!(
            parse(rtype::AMTRELAY, "10 0 128 .").map_err(|e| e.token),
            Err(2)
        );
        assert_eq!(
            parse(rtype::AMTRELAY, "10 2 0 .").map_err(|e| e.token),
            Err(1)
        );
        // ...but its generic form is valid RDATA and comes out generic.
        assert_eq!(parse(rtype::AMTRELAY, "\\# 4 0a84abcd"), Ok(h("0a84abcd")));
        assert_eq!(fmt(rtype::AMTRELAY, &h("0a84abcd")), "\\# 4 0a84abcd");
        round_trip(rtype::AMTRELAY, &h("0a7f"));
        // Type 0 needs ".", and nothing on the wire.
        assert_eq!(
            parse(rtype::AMTRELAY, "10 0 0 x.").map_err(|e| e.token),
            Err(3)
        );
        assert!(parse(rtype::AMTRELAY, "\\# 3 0a0000").is_err());
        assert!(parse(rtype::AMTRELAY, "\\# 5 0a01c00002").is_err());
        assert!(parse(rtype::AMTRELAY, "10 0 1 192.0.2.1 x").is_err());
    }
}
