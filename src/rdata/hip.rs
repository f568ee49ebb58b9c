//! HIP (RFC 8005 §5, which obsoletes RFC 5205): a Host Identity Tag, the
//! Host Identity public key, and any rendezvous servers.
//!
//! Wire (§5): HIT length (8 bits), PK algorithm (8 bits), PK length (16
//! bits), the HIT, the public key, then zero or more rendezvous server
//! names to the end, uncompressed ("MUST NOT be compressed", §5).
//!
//! Text (§5): `pk-algorithm base16-HIT base64-public-key [rendezvous-server
//! ...]`. The HIT and the key are one field each (the names that may
//! follow would be ambiguous otherwise), so both are at least one octet
//! and RDATA with an empty HIT or key has no text form. The HIT is written
//! in upper case like the RFC's example and BIND; the server names are not
//! lowercased in the canonical form (HIP is not in the RFC 4034 §6.2 list).

use super::present::{write_base64, write_hex_upper, Reader};
use super::text::{decode_hex, Parser, BASE64};
use super::RdataError;
use crate::name::write_name_text;
use base64::Engine;

pub(crate) const FIELDS: &[&str] = &["PK algorithm", "HIT", "public key"];

pub(crate) fn parse(p: &mut Parser<'_, '_>, out: &mut Vec<u8>) -> Result<(), RdataError> {
    let tn = p.tname;
    let alg = p.u8("PK algorithm")?;
    let (hi, ht) = p.next("HIT")?;
    let mut hit = Vec::new();
    if ht.text.is_empty()
        || !ht.text.iter().all(u8::is_ascii_hexdigit)
        || decode_hex(ht.text, &mut hit).is_none()
    {
        return Err(p.err(
            hi,
            format!(
                "bad {tn} HIT {}: not an even number of hex digits",
                ht.display()
            ),
        ));
    }
    if hit.len() > 255 {
        return Err(p.err(
            hi,
            format!("{tn} HIT of {} octets is longer than 255", hit.len()),
        ));
    }
    let (ki, kt) = p.next("public key")?;
    let key = BASE64
        .decode(kt.text)
        .ok()
        .filter(|k| !k.is_empty())
        .ok_or_else(|| {
            p.err(
                ki,
                format!("bad base64 in {tn} public key {}", kt.display()),
            )
        })?;
    if key.len() > 65535 {
        return Err(p.err(ki, format!("{tn} public key longer than 65535 octets")));
    }
    out.push(hit.len() as u8);
    out.push(alg);
    out.extend_from_slice(&(key.len() as u16).to_be_bytes());
    out.extend_from_slice(&hit);
    out.extend_from_slice(&key);
    while !p.at_end() {
        p.name("rendezvous server", out)?;
    }
    Ok(())
}

pub(crate) fn format(rdata: &[u8]) -> Option<String> {
    let mut r = Reader::new(rdata);
    let hit_len = r.u8()?;
    let alg = r.u8()?;
    let key_len = r.u16()?;
    if hit_len == 0 || key_len == 0 {
        return None;
    }
    let hit = r.take(hit_len.into())?;
    let key = r.take(key_len.into())?;
    let mut out = format!("{alg} ");
    write_hex_upper(hit, &mut out);
    out.push(' ');
    write_base64(key, &mut out);
    while !r.at_end() {
        out.push(' ');
        write_name_text(r.name()?, &mut out);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::super::rtype;
    use super::super::tests::{fmt, h, parse};

    #[test]
    fn malformed() {
        for (text, token) in [
            ("2 ABC AQID", 1),
            ("2 XY AQID", 1),
            ("2 AB !!", 2),
            ("2 AB", 2),
            ("256 AB AQID", 0),
            ("2 AB AQID a..b", 3),
        ] {
            assert_eq!(
                parse(rtype::HIP, text).map_err(|e| e.token),
                Err(token),
                "{text}"
            );
        }
        // Empty HIT or key; lengths past the end; a name cut short.
        for wire in [
            "00 02 0001 01",
            "01 02 0000 ab",
            "02 02 0001 ab",
            "01 02 0002 ab 01",
            "01 02 0001 ab 01 0161",
            "01 02 0001 ab 01 c00c",
        ] {
            assert!(fmt(rtype::HIP, &h(wire)).starts_with("\\#"), "{wire}");
        }
        assert_eq!(fmt(rtype::HIP, &h("01 02 0001 ab 01 00")), "2 AB AQ== .");
    }
}
