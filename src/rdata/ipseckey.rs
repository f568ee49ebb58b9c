//! IPSECKEY (RFC 4025 §3.1): `precedence gateway-type algorithm gateway
//! [public-key]`; the gateway's form depends on its type (§2.3, §2.5:
//! `.` for type 0, which has no gateway octets; types past 3 have no
//! defined form). §2.4: algorithm 0 "indicates that no key is present", so
//! a key with algorithm 0 is refused, in text and on the wire (BIND takes
//! it). A key left out with another algorithm is kept: §3.1 makes the
//! field optional. Ours: hickory-proto 0.26 has no IPSECKEY. The gateway
//! name is not lowercased in the canonical form (IPSECKEY is not in the
//! RFC 4034 §6.2 list).

use std::net::{Ipv4Addr, Ipv6Addr};

use super::present::{write_base64, Reader};
use super::text::{Parser, BASE64};
use super::RdataError;
use crate::name::write_name_text;
use base64::Engine;

pub(crate) const FIELDS: &[&str] = &["precedence", "gateway type", "algorithm", "gateway"];

pub(crate) fn parse(p: &mut Parser<'_, '_>, out: &mut Vec<u8>) -> Result<(), RdataError> {
    let tn = p.tname;
    out.push(p.u8("precedence")?);
    let gi = p.pos;
    let gtype = p.u8("gateway type")?;
    if gtype > 3 {
        return Err(p.err(gi, format!("{tn} gateway type {gtype} is not 0..3")));
    }
    out.push(gtype);
    let alg = p.u8("algorithm")?;
    out.push(alg);
    let (i, t) = p.next("gateway")?;
    match gtype {
        0 => {
            if t.text != b"." || t.quoted {
                return Err(p.err(
                    i,
                    format!(
                        "{tn} gateway must be \".\" for gateway type 0 (RFC 4025 §2.5), not {}",
                        t.display()
                    ),
                ));
            }
        }
        1 => {
            let a: Ipv4Addr = std::str::from_utf8(t.text)
                .ok()
                .and_then(|s| s.parse().ok())
                .ok_or_else(|| p.err(i, format!("bad IPv4 address {}", t.display())))?;
            out.extend_from_slice(&a.octets());
        }
        2 => {
            let a: Ipv6Addr = std::str::from_utf8(t.text)
                .ok()
                .and_then(|s| s.parse().ok())
                .ok_or_else(|| p.err(i, format!("bad IPv6 address {}", t.display())))?;
            out.extend_from_slice(&a.octets());
        }
        _ => {
            let name = p.name_of(i, t, "gateway")?;
            out.extend_from_slice(name.as_wire());
        }
    }
    if !p.at_end() {
        let start = p.pos;
        if alg == 0 {
            return Err(p.err(
                start,
                format!("{tn} algorithm 0 means no public key (RFC 4025 §2.4), but one is given"),
            ));
        }
        let mut text = Vec::new();
        while let Some(t) = p.peek() {
            text.extend_from_slice(t.text);
            p.pos += 1;
        }
        let key = BASE64
            .decode(&text)
            .ok()
            .filter(|k| !k.is_empty())
            .ok_or_else(|| p.err(start, format!("bad base64 in {tn} public key")))?;
        out.extend_from_slice(&key);
    }
    Ok(())
}

pub(crate) fn format(rdata: &[u8]) -> Option<String> {
    use std::fmt::Write;
    let mut r = Reader::new(rdata);
    let (prec, gtype, alg) = (r.u8()?, r.u8()?, r.u8()?);
    let mut out = format!("{prec} {gtype} {alg} ");
    match gtype {
        0 => out.push('.'),
        1 => {
            let b = r.take(4)?;
            let _ = write!(out, "{}", Ipv4Addr::new(b[0], b[1], b[2], b[3]));
        }
        2 => {
            let b: [u8; 16] = r.take(16)?.try_into().ok()?;
            let _ = write!(out, "{}", Ipv6Addr::from(b));
        }
        3 => write_name_text(r.name()?, &mut out),
        _ => return None,
    }
    let key = r.rest();
    if alg == 0 && !key.is_empty() {
        return None;
    }
    if !key.is_empty() {
        out.push(' ');
        write_base64(key, &mut out);
    }
    Some(out)
}
