//! Type and class mnemonics (IANA "Resource Record (RR) TYPEs" and
//! "DNS CLASSes" registries), with RFC 3597 §5 `TYPEnnn` / `CLASSnnn`.
//!
//! Ours rather than hickory's `RecordType`: hickory 0.26 has no LOC, URI,
//! ZONEMD, RP, AFSDB, KX, DHCID, EUI48/64, IPSECKEY, SPF, MB/MG/MR/MINFO …
//! (they become `Unknown` and print as "Unknown", not `TYPEnnn`), and it maps
//! the private-use number 65305 to "ANAME". The test
//! `hickory_record_type_agrees_where_it_knows` checks that we agree with
//! hickory on every number it does name; `hickory_lacks_loc_and_type_nnn`
//! shows what it lacks.

use std::borrow::Cow;

/// (number, mnemonic), from the IANA registry (2025). Every mnemonic here is
/// accepted on input and printed on output.
pub(crate) const TYPES: &[(u16, &str)] = &[
    (1, "A"),
    (2, "NS"),
    (3, "MD"),
    (4, "MF"),
    (5, "CNAME"),
    (6, "SOA"),
    (7, "MB"),
    (8, "MG"),
    (9, "MR"),
    (10, "NULL"),
    (11, "WKS"),
    (12, "PTR"),
    (13, "HINFO"),
    (14, "MINFO"),
    (15, "MX"),
    (16, "TXT"),
    (17, "RP"),
    (18, "AFSDB"),
    (19, "X25"),
    (20, "ISDN"),
    (21, "RT"),
    (22, "NSAP"),
    (23, "NSAP-PTR"),
    (24, "SIG"),
    (25, "KEY"),
    (26, "PX"),
    (27, "GPOS"),
    (28, "AAAA"),
    (29, "LOC"),
    (30, "NXT"),
    (31, "EID"),
    (32, "NIMLOC"),
    (33, "SRV"),
    (34, "ATMA"),
    (35, "NAPTR"),
    (36, "KX"),
    (37, "CERT"),
    (38, "A6"),
    (39, "DNAME"),
    (40, "SINK"),
    (41, "OPT"),
    (42, "APL"),
    (43, "DS"),
    (44, "SSHFP"),
    (45, "IPSECKEY"),
    (46, "RRSIG"),
    (47, "NSEC"),
    (48, "DNSKEY"),
    (49, "DHCID"),
    (50, "NSEC3"),
    (51, "NSEC3PARAM"),
    (52, "TLSA"),
    (53, "SMIMEA"),
    (55, "HIP"),
    (56, "NINFO"),
    (57, "RKEY"),
    (58, "TALINK"),
    (59, "CDS"),
    (60, "CDNSKEY"),
    (61, "OPENPGPKEY"),
    (62, "CSYNC"),
    (63, "ZONEMD"),
    (64, "SVCB"),
    (65, "HTTPS"),
    (66, "DSYNC"),
    (67, "HHIT"),
    (68, "BRID"),
    (99, "SPF"),
    (100, "UINFO"),
    (101, "UID"),
    (102, "GID"),
    (103, "UNSPEC"),
    (104, "NID"),
    (105, "L32"),
    (106, "L64"),
    (107, "LP"),
    (108, "EUI48"),
    (109, "EUI64"),
    (128, "NXNAME"),
    (249, "TKEY"),
    (250, "TSIG"),
    (251, "IXFR"),
    (252, "AXFR"),
    (253, "MAILB"),
    (254, "MAILA"),
    (255, "ANY"),
    (256, "URI"),
    (257, "CAA"),
    (258, "AVC"),
    (259, "DOA"),
    (260, "AMTRELAY"),
    (261, "RESINFO"),
    (262, "WALLET"),
    (263, "CLA"),
    (264, "IPN"),
    (32768, "TA"),
    (32769, "DLV"),
];

const CLASSES: &[(u16, &str)] = &[(1, "IN"), (2, "CS"), (3, "CH"), (4, "HS")];

/// Parses `<prefix>nnn` (prefix case-insensitive, nnn decimal 0..=65535).
fn generic_number(text: &[u8], prefix: &[u8]) -> Option<u16> {
    if text.len() <= prefix.len() || !text[..prefix.len()].eq_ignore_ascii_case(prefix) {
        return None;
    }
    parse_u16_digits(&text[prefix.len()..])
}

fn parse_u16_digits(digits: &[u8]) -> Option<u16> {
    if digits.is_empty() || digits.len() > 5 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let v = digits
        .iter()
        .fold(0u32, |acc, &d| acc * 10 + u32::from(d - b'0'));
    u16::try_from(v).ok()
}

/// Type mnemonic → number, case-insensitive, including `TYPEnnn` (RFC 3597 §5).
pub fn type_from_mnemonic(text: &[u8]) -> Option<u16> {
    // The common types as zone files usually write them: this is on the
    // reader's hot path (every record), the table scan below is not cheap.
    let common = match text {
        b"A" => 1,
        b"NS" => 2,
        b"CNAME" => 5,
        b"SOA" => 6,
        b"PTR" => 12,
        b"MX" => 15,
        b"TXT" => 16,
        b"AAAA" => 28,
        b"SRV" => 33,
        b"DS" => 43,
        b"RRSIG" => 46,
        b"NSEC" => 47,
        b"DNSKEY" => 48,
        b"NSEC3" => 50,
        b"TLSA" => 52,
        b"HTTPS" => 65,
        b"CAA" => 257,
        _ => 0,
    };
    if common != 0 {
        return Some(common);
    }
    TYPES
        .iter()
        .find(|(_, m)| m.as_bytes().eq_ignore_ascii_case(text))
        .map(|&(n, _)| n)
        .or_else(|| generic_number(text, b"TYPE"))
}

/// Number → mnemonic; `TYPEnnn` for types without one.
pub fn type_mnemonic(rtype: u16) -> Cow<'static, str> {
    match TYPES.binary_search_by_key(&rtype, |&(n, _)| n) {
        Ok(i) => Cow::Borrowed(TYPES[i].1),
        Err(_) => Cow::Owned(format!("TYPE{rtype}")),
    }
}

/// Class mnemonic → number: IN, CS, CH, HS and `CLASSnnn`; case-insensitive.
pub fn class_from_mnemonic(text: &[u8]) -> Option<u16> {
    CLASSES
        .iter()
        .find(|(_, m)| m.as_bytes().eq_ignore_ascii_case(text))
        .map(|&(n, _)| n)
        .or_else(|| generic_number(text, b"CLASS"))
}

/// Number → class mnemonic; `CLASSnnn` for the others.
pub fn class_mnemonic(class: u16) -> Cow<'static, str> {
    match CLASSES.iter().find(|&&(n, _)| n == class) {
        Some(&(_, m)) => Cow::Borrowed(m),
        None => Cow::Owned(format!("CLASS{class}")),
    }
}

/// DNSSEC algorithm mnemonics (IANA "DNS Security Algorithm Numbers"),
/// accepted on input where an algorithm number is expected (DNSKEY, RRSIG,
/// DS, CERT), as BIND does. Output always uses the number.
const ALGORITHMS: &[(u8, &str)] = &[
    (1, "RSAMD5"),
    (2, "DH"),
    (3, "DSA"),
    (5, "RSASHA1"),
    (6, "DSA-NSEC3-SHA1"),
    (7, "RSASHA1-NSEC3-SHA1"),
    (8, "RSASHA256"),
    (10, "RSASHA512"),
    (12, "ECC-GOST"),
    (13, "ECDSAP256SHA256"),
    (14, "ECDSAP384SHA384"),
    (15, "ED25519"),
    (16, "ED448"),
    (252, "INDIRECT"),
    (253, "PRIVATEDNS"),
    (254, "PRIVATEOID"),
];

/// The IANA mnemonic of a DNSSEC algorithm number, if it has one.
pub(crate) fn algorithm_mnemonic(n: u8) -> Option<&'static str> {
    ALGORITHMS.iter().find(|&&(k, _)| k == n).map(|&(_, m)| m)
}

pub(crate) fn algorithm_from_mnemonic(text: &[u8]) -> Option<u8> {
    ALGORITHMS
        .iter()
        .find(|(_, m)| m.as_bytes().eq_ignore_ascii_case(text))
        .map(|&(n, _)| n)
}

/// CERT certificate types (RFC 4398 §2.1).
const CERT_TYPES: &[(u16, &str)] = &[
    (1, "PKIX"),
    (2, "SPKI"),
    (3, "PGP"),
    (4, "IPKIX"),
    (5, "ISPKI"),
    (6, "IPGP"),
    (7, "ACPKIX"),
    (8, "IACPKIX"),
    (253, "URI"),
    (254, "OID"),
];

pub(crate) fn cert_type_from_mnemonic(text: &[u8]) -> Option<u16> {
    CERT_TYPES
        .iter()
        .find(|(_, m)| m.as_bytes().eq_ignore_ascii_case(text))
        .map(|&(n, _)| n)
}

pub(crate) fn cert_type_mnemonic(t: u16) -> Option<&'static str> {
    CERT_TYPES.iter().find(|&&(n, _)| n == t).map(|&(_, m)| m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_sorted_and_unique() {
        for w in TYPES.windows(2) {
            assert!(w[0].0 < w[1].0, "{:?}", w);
        }
        for &(n, m) in TYPES {
            assert_eq!(type_from_mnemonic(m.as_bytes()), Some(n));
            assert_eq!(type_mnemonic(n), m);
        }
    }

    #[test]
    fn mnemonics() {
        assert_eq!(type_from_mnemonic(b"a"), Some(1));
        assert_eq!(type_from_mnemonic(b"Nsec3Param"), Some(51));
        assert_eq!(type_from_mnemonic(b"loc"), Some(29));
        assert_eq!(type_from_mnemonic(b"TYPE1234"), Some(1234));
        assert_eq!(type_from_mnemonic(b"type65535"), Some(65535));
        assert_eq!(type_from_mnemonic(b"TYPE65536"), None);
        assert_eq!(type_from_mnemonic(b"TYPE"), None);
        assert_eq!(type_from_mnemonic(b"TYPE-1"), None);
        assert_eq!(type_from_mnemonic(b"FOO"), None);
        assert_eq!(type_from_mnemonic(b""), None);
        assert_eq!(type_mnemonic(1234), "TYPE1234");
        assert_eq!(type_mnemonic(29), "LOC");
        assert_eq!(type_mnemonic(65534), "TYPE65534");
        assert_eq!(class_from_mnemonic(b"in"), Some(1));
        assert_eq!(class_from_mnemonic(b"CH"), Some(3));
        assert_eq!(class_from_mnemonic(b"hs"), Some(4));
        assert_eq!(class_from_mnemonic(b"CS"), Some(2));
        assert_eq!(class_from_mnemonic(b"CLASS32"), Some(32));
        assert_eq!(class_from_mnemonic(b"CLASS65536"), None);
        assert_eq!(class_from_mnemonic(b"A"), None);
        assert_eq!(class_mnemonic(1), "IN");
        assert_eq!(class_mnemonic(32), "CLASS32");
    }

    /// We use hickory's `RecordType` as the oracle for the numbers it names.
    #[test]
    fn hickory_record_type_agrees_where_it_knows() {
        use hickory_proto::rr::RecordType;
        let mut checked = 0;
        for n in 1..=u16::MAX {
            let h = RecordType::from(n);
            // 65305 is a private-use number hickory calls ANAME.
            if matches!(h, RecordType::Unknown(_)) || n == 65305 {
                continue;
            }
            assert_eq!(type_mnemonic(n), h.to_string(), "type {n}");
            checked += 1;
        }
        assert!(checked > 30, "{checked}");
    }

    /// Why the table is ours: hickory does not know LOC/URI/ZONEMD and has no TYPEnnn.
    #[test]
    fn hickory_lacks_loc_and_type_nnn() {
        use hickory_proto::rr::RecordType;
        use std::str::FromStr;
        assert!(RecordType::from_str("LOC").is_err());
        assert!(RecordType::from_str("URI").is_err());
        assert!(RecordType::from_str("ZONEMD").is_err());
        assert!(RecordType::from_str("TYPE1234").is_err());
        assert_eq!(RecordType::from(29).to_string(), "Unknown");
    }
}
