//! Known-answer tests for the types with code of their own (A6, AMTRELAY,
//! APL, HIP, WKS, IPSECKEY, SVCB) and for RFC 3597 §5 validation: the wire
//! bytes are written out by hand from the RFC examples, field by field.

use super::tests::{fmt, h, parse, round_trip};
use super::*;

/// text → exactly `wire_hex`, `wire_hex` → `expected` text, round trip.
fn kat(t: u16, text: &str, wire_hex: &str, expected: &str) {
    let wire = h(wire_hex);
    assert_eq!(
        parse(t, text).map(hex),
        Ok(hex(wire.clone())),
        "parsing {} {text:?}",
        type_mnemonic(t)
    );
    assert_eq!(fmt(t, &wire), expected, "formatting {}", type_mnemonic(t));
    round_trip(t, &wire);
}

fn hex(b: Vec<u8>) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn err(t: u16, text: &str) -> (usize, String) {
    let e = parse(t, text).expect_err(text);
    (e.token, e.message)
}

// Wire names, label by label.
const SUBNET1_IP6_X_EXAMPLE: &str = "08 5355424e45542d31 03 495036 01 58 07 4558414d504c45 00";
const IP6_X_EXAMPLE: &str = "03 495036 01 58 07 4558414d504c45 00";
const SUBSCRIBER_X_IP6_A_NET: &str = "0c 535542534352494245522d58 03 495036 01 41 03 4e4554 00";
const EXAMPLE_COM: &str = "07 6578616d706c65 03 636f6d 00";

/// RFC 2874 §3.1.1, the "first option" example zone (`$ORIGIN EXAMPLE.`,
/// names written out absolute), and the "third option" prefix length 0.
#[test]
fn a6_rfc2874_examples() {
    // NS1.X A6 64 ::1:11:111:1111 SUBNET-1.IP6.X: 8 octets of suffix.
    kat(
        rtype::A6,
        "64 ::1:11:111:1111 SUBNET-1.IP6.X.EXAMPLE.",
        &format!("40 0001 0011 0111 1111 {SUBNET1_IP6_X_EXAMPLE}"),
        "64 ::1:11:111:1111 SUBNET-1.IP6.X.EXAMPLE.",
    );
    // SUBNET-1.IP6.X A6 48 0:0:0:1:: IP6.X: 10 octets of suffix.
    kat(
        rtype::A6,
        "48 0:0:0:1:: IP6.X.EXAMPLE.",
        &format!("30 0001 0000 0000 0000 0000 {IP6_X_EXAMPLE}"),
        "48 0:0:0:1:: IP6.X.EXAMPLE.",
    );
    // IP6.X A6 48 0::0 SUBSCRIBER-X.IP6.A.NET.
    kat(
        rtype::A6,
        "48 0::0 SUBSCRIBER-X.IP6.A.NET.",
        &format!("30 0000 0000 0000 0000 0000 {SUBSCRIBER_X_IP6_A_NET}"),
        "48 :: SUBSCRIBER-X.IP6.A.NET.",
    );
    // NS1.X A6 0 2345:00C1:CA11:1:1:11:111:1111: the whole address, no name.
    kat(
        rtype::A6,
        "0 2345:00C1:CA11:1:1:11:111:1111",
        "00 2345 00c1 ca11 0001 0001 0011 0111 1111",
        "0 2345:c1:ca11:1:1:11:111:1111",
    );
    // A prefix length that is not a multiple of 8: 16 - 65/8 = 8 octets,
    // the top bit of the first one padding.
    kat(
        rtype::A6,
        "65 ::7f00:0:0:1 X.EXAMPLE.",
        "41 7f00 0000 0000 0001 01 58 07 4558414d504c45 00",
        "65 ::7f00:0:0:1 X.EXAMPLE.",
    );
    // Prefix length 128: no suffix octets, in text as on the wire.
    kat(
        rtype::A6,
        "128 X.EXAMPLE.",
        "80 01 58 07 4558414d504c45 00",
        "128 X.EXAMPLE.",
    );
    // The canonical form lowercases the prefix name (RFC 4034 §6.2).
    let mut wire = parse(rtype::A6, "64 ::1 SUBNET-1.IP6.X.EXAMPLE.").expect("a6");
    canonicalize_rdata(rtype::A6, &mut wire);
    assert_eq!(fmt(rtype::A6, &wire), "64 ::1 subnet-1.ip6.x.example.");
}

/// RFC 8777 §4.3.2: the three example records and their RFC 3597 forms.
/// The RFC's hex has errors fixed by its errata: `2001:db8::15` ends in
/// `0015` (not `000f`), and the relay name has its terminating root label
/// (so the third RDATA is 25 octets, not 24).
#[test]
fn amtrelay_rfc8777_examples() {
    kat(
        rtype::AMTRELAY,
        "10 0 1 203.0.113.15",
        "0a 01 cb00710f",
        "10 0 1 203.0.113.15",
    );
    kat(
        rtype::AMTRELAY,
        "10 0 2 2001:db8::15",
        "0a 02 20010db8000000000000000000000015",
        "10 0 2 2001:db8::15",
    );
    kat(
        rtype::AMTRELAY,
        "128 1 3 amtrelays.example.com.",
        &format!("80 83 09 616d7472656c617973 {EXAMPLE_COM}"),
        "128 1 3 amtrelays.example.com.",
    );
    // Appendix A: `128 0 3 amtrelays.example.com.`, D bit clear.
    kat(
        rtype::AMTRELAY,
        "128 0 3 amtrelays.example.com.",
        &format!("80 03 09 616d7472656c617973 {EXAMPLE_COM}"),
        "128 0 3 amtrelays.example.com.",
    );
    // Relay type 0: "the relay field MUST be ".""; no relay octets.
    kat(rtype::AMTRELAY, "0 1 0 .", "00 80", "0 1 0 .");
    // The RFC 3597 forms of §4.3.2 read as the same records.
    assert_eq!(
        fmt(
            rtype::AMTRELAY,
            &parse(rtype::AMTRELAY, "\\# ( 6 0a 01 cb00710f )").expect("generic")
        ),
        "10 0 1 203.0.113.15"
    );
    // Missing fields: all four are REQUIRED (§4.3.1).
    assert_eq!(err(rtype::AMTRELAY, "10 0 0").0, 3);
    assert_eq!(err(rtype::AMTRELAY, "10 0 1").0, 3);
}

/// RFC 3123 §8 examples, each item's AFDPART cut after its last non-zero
/// octet (§4.1).
#[test]
fn apl_rfc3123_examples() {
    // foo.example. IN APL 1:192.168.32.0/21 !1:192.168.38.0/28
    kat(
        rtype::APL,
        "1:192.168.32.0/21 !1:192.168.38.0/28",
        "0001 15 03 c0a820  0001 1c 83 c0a826",
        "1:192.168.32.0/21 !1:192.168.38.0/28",
    );
    // 42.example. IN APL 1:192.168.42.0/26 1:192.168.42.64/26 1:192.168.42.128/25
    kat(
        rtype::APL,
        "1:192.168.42.0/26 1:192.168.42.64/26 1:192.168.42.128/25",
        "0001 1a 03 c0a82a  0001 1a 04 c0a82a40  0001 19 04 c0a82a80",
        "1:192.168.42.0/26 1:192.168.42.64/26 1:192.168.42.128/25",
    );
    // _axfr.sbo.example. IN APL 1:127.0.0.1/32 1:172.16.64.0/22
    kat(
        rtype::APL,
        "1:127.0.0.1/32 1:172.16.64.0/22",
        "0001 20 04 7f000001  0001 16 03 ac1040",
        "1:127.0.0.1/32 1:172.16.64.0/22",
    );
    // multicast.example. IN APL 1:224.0.0.0/4 2:FF00:0:0:0:0:0:0:0/8
    kat(
        rtype::APL,
        "1:224.0.0.0/4 2:FF00:0:0:0:0:0:0:0/8",
        "0001 04 01 e0  0002 08 01 ff",
        "1:224.0.0.0/4 2:ff00::/8",
    );
}

const HIT: &str = "200100107B1A74DF365639CC39F1D578";
const HIP_KEY: &str = "AwEAAbdxyhNuSutc5EMzxTs9LBPCIkOFH8cIvM4p9+LrV4e19WzK00+CI6zBCQTdtWsuxKbWIy87UOoJTwkUs7lBu+Upr1gsNrut79ryra+bSRGQb1slImA8YVJyuIDsj7kwzG7jnERNqnWxZ48AWkskmdHaVDP4BcelrTI3rMXdXF5D";
/// The key above, 132 octets: an RSA key (RFC 3110 layout), exponent
/// length 3, exponent 65537, then the modulus.
const HIP_KEY_HEX: &str = "03 010001 b771ca136e4aeb5ce44333c53b3d2c13c22243851fc708bcce29f7e2eb5787b5f56ccad34f8223acc10904ddb56b2ec4a6d6232f3b50ea094f0914b3b941bbe529af582c36bbadefdaf2adaf9b4911906f5b2522603c615272b880ec8fb930cc6ee39c444daa75b1678f005a4b2499d1da5433f805c7a5ad3237acc5dd5c5e43";

/// RFC 8005 §6: the same HIT and key with no, one and two rendezvous
/// servers. Header: HIT length 16, PK algorithm 2 (RSA), PK length 132.
#[test]
fn hip_rfc8005_examples() {
    let head = format!("10 02 0084 {HIT} {HIP_KEY_HEX}");
    kat(
        rtype::HIP,
        &format!("( 2 {HIT} {HIP_KEY} )"),
        &head,
        &format!("2 {HIT} {HIP_KEY}"),
    );
    kat(
        rtype::HIP,
        &format!("( 2 {HIT} {HIP_KEY} rvs.example.com. )"),
        &format!("{head} 03 727673 {EXAMPLE_COM}"),
        &format!("2 {HIT} {HIP_KEY} rvs.example.com."),
    );
    kat(
        rtype::HIP,
        &format!("( 2 {HIT} {HIP_KEY} rvs1.example.com. rvs2.example.com. )"),
        &format!("{head} 04 72767331 {EXAMPLE_COM} 04 72767332 {EXAMPLE_COM}"),
        &format!("2 {HIT} {HIP_KEY} rvs1.example.com. rvs2.example.com."),
    );
    // The HIT is hex, in either case; written upper case.
    assert_eq!(
        parse(rtype::HIP, &format!("2 {} {HIP_KEY}", HIT.to_lowercase())).map(hex),
        Ok(hex(h(&head)))
    );
}

/// RFC 1035 §3.4.2: address, protocol, then one bit per port.
#[test]
fn wks_bitmap() {
    // Port 21: octet 2, bit 5 (0x04); port 25: octet 3, bit 1 (0x40).
    kat(
        rtype::WKS,
        "10.0.0.1 6 21 25",
        "0a000001 06 00000440",
        "10.0.0.1 6 21 25",
    );
    kat(
        rtype::WKS,
        "10.0.0.1 tcp ftp smtp",
        "0a000001 06 00000440",
        "10.0.0.1 6 21 25",
    );
    // Port 0 is the high bit of the first octet; order and repeats in the
    // text do not matter.
    kat(
        rtype::WKS,
        "192.0.2.1 UDP 53 0 domain",
        "c0000201 11 80000000 000004",
        "192.0.2.1 17 0 53",
    );
}

/// RFC 4025 §2.4: algorithm 0 means no key; §2.5: gateway type 0 is `.`.
#[test]
fn ipseckey_no_key() {
    // §3.1 example style, gateway 192.0.2.38 and no key.
    kat(
        rtype::IPSECKEY,
        "10 1 0 192.0.2.38",
        "0a 01 00 c0000226",
        "10 1 0 192.0.2.38",
    );
    kat(rtype::IPSECKEY, "10 0 0 .", "0a 00 00", "10 0 0 .");
    assert_eq!(
        err(rtype::IPSECKEY, "10 1 0 192.0.2.38 AQID"),
        (
            4,
            "IPSECKEY algorithm 0 means no public key (RFC 4025 §2.4), but one is given".into()
        )
    );
    // On the wire: no text form, and refused in the RFC 3597 form.
    assert_eq!(
        fmt(rtype::IPSECKEY, &h("0a 01 00 c0000226 010203")),
        "\\# 10 0a0100c0000226010203"
    );
    assert_eq!(err(rtype::IPSECKEY, "\\# 10 0a0100c0000226010203").0, 2);
    // Gateway type 0 takes "." only, unquoted.
    assert_eq!(err(rtype::IPSECKEY, "10 0 2 \".\" AQID").0, 3);
    assert_eq!(err(rtype::IPSECKEY, "10 0 2 192.0.2.38 AQID").0, 3);
    // Gateway type 0 with gateway octets on the wire is not valid.
    assert_eq!(err(rtype::IPSECKEY, "\\# 4 0a000000").0, 2);
}

/// RFC 9460 §2.1: keys are lower case (`alpha-lc`); Appendix A.1: the
/// two levels of escapes in value lists.
#[test]
fn svcb_keys_and_list_escapes() {
    for (text, token, msg) in [
        ("1 . PORT=0", 2, "SVCB unknown parameter key \"PORT\""),
        ("1 . Alpn=h2", 2, "SVCB unknown parameter key \"Alpn\""),
        ("1 . KEY3=0", 2, "SVCB unknown parameter key \"KEY3\""),
        (
            "1 . mandatory=PORT port=1",
            2,
            "SVCB mandatory: unknown key \"PORT\"",
        ),
    ] {
        assert_eq!(err(rtype::SVCB, text), (token, msg.to_string()), "{text}");
    }
    assert_eq!(
        parse(rtype::SVCB, "1 . port=0").map(hex),
        Ok(hex(h("0001 00 0003 0002 0000")))
    );
    // Zone text `a\\\\b`: character-string decoding gives `a\\b`, the list
    // decoding the one item `a\b`; written back with both levels.
    kat(
        rtype::SVCB,
        r#"1 . alpn="a\\\\b""#,
        "0001 00 0001 0004 03 615c62",
        r"1 . alpn=a\\\\b",
    );
    // `a\\,b`: decoded `a\,b`, the one item `a,b`.
    kat(
        rtype::SVCB,
        r"1 . alpn=a\\,b",
        "0001 00 0001 0004 03 612c62",
        r"1 . alpn=a\\,b",
    );
    // `"a\,b"`: decoded `a,b`, two items (the Appendix A.1 example:
    // `part1\,\p\a\r\t2` is the two items part1 and part2).
    kat(
        rtype::SVCB,
        r#"1 . alpn="a\,b""#,
        "0001 00 0001 0004 01 61 01 62",
        "1 . alpn=a,b",
    );
    // `a\\b` and `a\092b` decode to `a\b`: a backslash before neither
    // `,` nor `\` is not in the list grammar, and is refused (not dropped).
    for text in [r"1 . alpn=a\\b", r"1 . alpn=a\092b", r#"1 . alpn="h2\\""#] {
        let (token, msg) = err(rtype::SVCB, text);
        assert_eq!(token, 2, "{text}");
        assert!(
            msg.contains("Appendix A.1") || msg.contains("end of list"),
            "{text}: {msg}"
        );
    }
    // Appendix A.1's own example: three items.
    let v = r#"1 . alpn="part1,part2,part3\\,part4\\\\""#;
    let w = r"1 . alpn=part1\,\p\a\r\t2\044part3\092,part4\092\\";
    let three = "0001 00 0001 0019 05 7061727431 05 7061727432 0c 70617274332c70617274345c";
    assert_eq!(parse(rtype::SVCB, v).map(hex), Ok(hex(h(three))));
    assert_eq!(parse(rtype::SVCB, w).map(hex), Ok(hex(h(three))));
    round_trip(rtype::SVCB, &h(three));
}

/// RFC 3597 §5: RDATA of a known type in the generic form must be valid
/// for that type; unknown types stay opaque.
#[test]
fn generic_form_of_known_types() {
    // Valid: accepted, and written in the type's own form.
    assert_eq!(
        parse(rtype::A, "\\# 4 0a000001").map(hex),
        Ok("0a000001".into())
    );
    assert_eq!(fmt(rtype::A, &h("0a000001")), "10.0.0.1");
    // Not valid for the type: refused, pointing at the data (or at the
    // length when there is no data).
    for (t, text, token) in [
        (rtype::A, "\\# 0", 1),
        (rtype::A, "\\# 3 0a0000", 2),
        (rtype::A, "\\# 5 0a00000100", 2),
        (rtype::SOA, "\\# 0", 1),
        (rtype::DS, "\\# 0", 1),
        (rtype::DS, "\\# 4 00010801", 2),
        (rtype::TXT, "\\# 0", 1),
        (rtype::TXT, "\\# 2 0561", 2),
        (rtype::MX, "\\# 4 000a0161", 2),
        (rtype::LOC, "\\# 16 01000000000000000000000000000000", 2),
        (rtype::SVCB, "\\# 2 0001", 2),
        (rtype::A6, "\\# 1 81", 2),
        (rtype::WKS, "\\# 4 0a000001", 2),
        (rtype::HIP, "\\# 4 00020000", 2),
    ] {
        let (i, m) = err(t, text);
        assert_eq!(i, token, "{text}: {m}");
        let want = format!("RFC 3597 data is not valid {} RDATA", type_mnemonic(t));
        assert!(m.starts_with(&want), "{text}: {m}");
    }
    assert_eq!(
        err(rtype::A, "\\# 0").1,
        "RFC 3597 data is not valid A RDATA: it is empty"
    );
    // RFC 3597 §4: names in RDATA are never compressed; a pointer (label
    // length 0xc0) is malformed, whatever it would point at.
    for (t, text) in [
        (rtype::NS, "\\# 2 c00c"),
        (rtype::CNAME, "\\# 2 c000"),
        (rtype::MX, "\\# 4 000ac00c"),
        (
            rtype::SOA,
            "\\# 24 c00c c00c 0000000100000002000000030000000400000005",
        ),
        (rtype::AMTRELAY, "\\# 4 0a03c00c"),
        (rtype::HIP, "\\# 8 01020001ab01c00c"),
        (rtype::A6, "\\# 11 40 0000000000000001 c00c"),
        (rtype::IPSECKEY, "\\# 5 0a0302c00c"),
    ] {
        assert_eq!(err(t, text).0, 2, "{text}");
    }
    // The same octets with the name spelt out are fine.
    assert_eq!(
        parse(rtype::MX, "\\# 5 000a016100").map(hex),
        Ok("000a016100".into())
    );
    // Unknown types and NULL (no presentation format) take anything.
    assert_eq!(parse(65280, "\\# 0"), Ok(vec![]));
    assert_eq!(parse(rtype::NULL, "\\# 2 c00c").map(hex), Ok("c00c".into()));
}
