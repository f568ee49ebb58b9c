//! WKS (RFC 1035 §3.4.2): an IPv4 address, an IP protocol number, and a
//! bitmap of the ports on which that protocol offers a service (bit N set
//! for port N, the first octet holding ports 0..7, high bit first).
//!
//! Text (RFC 1035 §5.2 and BIND): `address protocol service...`, where the
//! protocol is a number 0..255 or `tcp`/`udp`, and each service a port
//! number 0..65535 or, for TCP and UDP, a name from a fixed table of
//! well-known services (RFC 1010 and the IANA port registry). BIND looks
//! names up in the system's protocols and services databases; reading
//! `/etc/services` would make a zone's meaning depend on the machine, so
//! the table here is small and fixed, and any other service is given by
//! number. Output always uses numbers, as BIND's does.
//!
//! The bitmap is as short as the highest port allows: a trailing zero
//! octet adds nothing but a second wire form for the same RDATA (BIND's
//! wire reader refuses it), so RDATA with one has no text form and is not
//! accepted in the RFC 3597 form. No services at all is an empty bitmap.

use std::net::Ipv4Addr;

use super::present::Reader;
use super::text::{parse_decimal, Parser};
use super::RdataError;

pub(crate) const FIELDS: &[&str] = &["address", "protocol"];

const TCP: u8 = 6;
const UDP: u8 = 17;

/// Ports 0..=65535: 8192 octets of bitmap at most.
const MAX_BITMAP: usize = 65536 / 8;

/// Well-known TCP services (IANA port registry; RFC 1010 names).
const TCP_SERVICES: &[(&str, u16)] = &[
    ("tcpmux", 1),
    ("echo", 7),
    ("discard", 9),
    ("systat", 11),
    ("daytime", 13),
    ("netstat", 15),
    ("qotd", 17),
    ("chargen", 19),
    ("ftp-data", 20),
    ("ftp", 21),
    ("ssh", 22),
    ("telnet", 23),
    ("smtp", 25),
    ("time", 37),
    ("whois", 43),
    ("nicname", 43),
    ("domain", 53),
    ("gopher", 70),
    ("finger", 79),
    ("http", 80),
    ("www", 80),
    ("kerberos", 88),
    ("pop3", 110),
    ("sunrpc", 111),
    ("auth", 113),
    ("nntp", 119),
    ("imap", 143),
    ("bgp", 179),
    ("ldap", 389),
    ("https", 443),
    ("submission", 587),
    ("ldaps", 636),
    ("imaps", 993),
    ("pop3s", 995),
];

/// Well-known UDP services (IANA port registry; RFC 1010 names).
const UDP_SERVICES: &[(&str, u16)] = &[
    ("echo", 7),
    ("discard", 9),
    ("daytime", 13),
    ("time", 37),
    ("domain", 53),
    ("bootps", 67),
    ("bootpc", 68),
    ("tftp", 69),
    ("kerberos", 88),
    ("sunrpc", 111),
    ("ntp", 123),
    ("snmp", 161),
    ("snmp-trap", 162),
    ("syslog", 514),
];

fn protocol(text: &[u8]) -> Option<u8> {
    if let Some(v) = parse_decimal(text, 255) {
        return Some(v as u8);
    }
    if text.eq_ignore_ascii_case(b"tcp") {
        Some(TCP)
    } else if text.eq_ignore_ascii_case(b"udp") {
        Some(UDP)
    } else {
        None
    }
}

fn service(proto: u8, text: &[u8]) -> Option<u16> {
    if let Some(v) = parse_decimal(text, 65535) {
        return Some(v as u16);
    }
    let table = match proto {
        TCP => TCP_SERVICES,
        UDP => UDP_SERVICES,
        _ => return None,
    };
    table
        .iter()
        .find(|(n, _)| n.as_bytes().eq_ignore_ascii_case(text))
        .map(|&(_, port)| port)
}

pub(crate) fn parse(p: &mut Parser<'_, '_>, out: &mut Vec<u8>) -> Result<(), RdataError> {
    let tn = p.tname;
    out.extend_from_slice(&p.ipv4("address")?.octets());
    let (pi, pt) = p.next("protocol")?;
    let proto = protocol(pt.text).ok_or_else(|| {
        p.err(
            pi,
            format!(
                "{tn} protocol {} is not a number 0..255, tcp or udp",
                pt.display()
            ),
        )
    })?;
    out.push(proto);
    let mut bitmap = Vec::new();
    while let Some(t) = p.peek() {
        let port = service(proto, t.text).ok_or_else(|| {
            let known = match proto {
                TCP | UDP => " or a well-known service name",
                _ => "",
            };
            p.err(
                p.pos,
                format!(
                    "{tn} service {} is not a port number 0..65535{known} (zonesign knows a fixed list of names, not /etc/services)",
                    t.display()
                ),
            )
        })?;
        p.pos += 1;
        let octet = usize::from(port / 8);
        if bitmap.len() <= octet {
            bitmap.resize(octet + 1, 0);
        }
        bitmap[octet] |= 0x80 >> (port % 8);
    }
    out.extend_from_slice(&bitmap);
    Ok(())
}

pub(crate) fn format(rdata: &[u8]) -> Option<String> {
    use std::fmt::Write;
    let mut r = Reader::new(rdata);
    let a: [u8; 4] = r.take(4)?.try_into().ok()?;
    let proto = r.u8()?;
    let bitmap = r.rest();
    if bitmap.len() > MAX_BITMAP || bitmap.last() == Some(&0) {
        return None;
    }
    let mut out = format!("{} {proto}", Ipv4Addr::from(a));
    for (k, &b) in bitmap.iter().enumerate() {
        for bit in 0..8 {
            if b & (0x80 >> bit) != 0 {
                let _ = write!(out, " {}", k * 8 + bit);
            }
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::super::rtype;
    use super::super::tests::{fmt, h, parse, round_trip};
    use super::*;

    #[test]
    fn names_and_bounds() {
        assert_eq!(protocol(b"TCP"), Some(6));
        assert_eq!(protocol(b"udp"), Some(17));
        assert_eq!(protocol(b"256"), None);
        assert_eq!(protocol(b"icmp"), None);
        assert_eq!(service(TCP, b"SMTP"), Some(25));
        assert_eq!(service(UDP, b"smtp"), None);
        assert_eq!(service(1, b"echo"), None);
        assert_eq!(service(1, b"65535"), Some(65535));
        assert_eq!(service(TCP, b"65536"), None);
        // Highest port: a bitmap of 8192 octets, the last bit set.
        let top = parse(rtype::WKS, "10.0.0.1 6 65535").expect("65535");
        assert_eq!(top.len(), 5 + 8192);
        assert_eq!(top[5 + 8191], 0x01);
        round_trip(rtype::WKS, &top);
        // No services: an empty bitmap.
        assert_eq!(parse(rtype::WKS, "10.0.0.1 17"), Ok(h("0a000001 11")));
        assert_eq!(fmt(rtype::WKS, &h("0a000001 11")), "10.0.0.1 17");
        // Errors point at the field.
        for (text, token) in [
            ("10.0.0 6 25", 0),
            ("10.0.0.1 tcpx 25", 1),
            ("10.0.0.1 6 65536", 2),
            ("10.0.0.1 6 25 nosuch", 3),
            ("10.0.0.1 1 echo", 2),
        ] {
            assert_eq!(
                parse(rtype::WKS, text).map_err(|e| e.token),
                Err(token),
                "{text}"
            );
        }
        // A trailing zero octet, or a bitmap past port 65535: generic only.
        assert!(fmt(rtype::WKS, &h("0a000001 06 4000")).starts_with("\\#"));
        assert!(parse(rtype::WKS, "\\# 7 0a000001064000").is_err());
        let mut long = h("0a000001 06");
        long.resize(5 + 8193, 0xff);
        assert!(fmt(rtype::WKS, &long).starts_with("\\#"));
        assert!(fmt(rtype::WKS, &h("0a0000")).starts_with("\\#"));
    }
}
