//! Per-type tests: text → exact wire bytes (from the RFC examples where
//! there are some), wire → expected text, and the round trip.

use super::*;

/// A small zone-file tokenizer for tests: whitespace separates fields,
/// `"..."` is a quoted field, `\X` escapes are kept, parentheses are
/// ignored, and a `"` inside an unquoted field runs to the closing quote
/// (so `key="a b"` is one field).
pub(crate) fn toks(s: &str) -> Vec<Token<'_>> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_whitespace() || c == b'(' || c == b')' {
            i += 1;
        } else if c == b'"' {
            let start = i + 1;
            let mut j = start;
            while j < b.len() && b[j] != b'"' {
                j += if b[j] == b'\\' { 2 } else { 1 };
            }
            let end = j.min(b.len());
            out.push(Token::quoted(&b[start..end], 1, (i + 1) as u32));
            i = end + 1;
        } else {
            let start = i;
            let mut j = i;
            while j < b.len() && !b[j].is_ascii_whitespace() && b[j] != b'(' && b[j] != b')' {
                if b[j] == b'\\' {
                    j += 2;
                } else if b[j] == b'"' {
                    j += 1;
                    while j < b.len() && b[j] != b'"' {
                        j += if b[j] == b'\\' { 2 } else { 1 };
                    }
                    j += 1;
                } else {
                    j += 1;
                }
            }
            let end = j.min(b.len());
            out.push(Token::new(&b[start..end], 1, (start + 1) as u32));
            i = end;
        }
    }
    out
}

pub(crate) fn origin() -> Name {
    Name::from_ascii("example.com.").expect("origin")
}

pub(crate) fn parse(t: u16, s: &str) -> Result<Vec<u8>, RdataError> {
    let mut out = Vec::new();
    parse_rdata(t, &toks(s), &origin(), &mut out).map(|()| out)
}

pub(crate) fn fmt(t: u16, b: &[u8]) -> String {
    let mut s = String::new();
    write_rdata(t, b, &mut s);
    s
}

pub(crate) fn h(s: &str) -> Vec<u8> {
    let digits: Vec<u8> = s.bytes().filter(|c| !c.is_ascii_whitespace()).collect();
    let mut out = Vec::new();
    text::decode_hex(&digits, &mut out).expect("test hex");
    out
}

fn err(t: u16, s: &str) -> (usize, String) {
    let e = parse(t, s).expect_err(s);
    (e.token, e.message)
}

/// Asserts the round trip of wire bytes through text, in both the
/// type-specific form and the RFC 3597 form. RDATA that is not valid for
/// its (known) type is written in RFC 3597 form and, by RFC 3597 §5, that
/// form must then be refused on reading: asserted too.
pub(crate) fn round_trip(t: u16, wire: &[u8]) {
    let text = fmt(t, wire);
    let mut generic = String::new();
    present::write_generic(wire, &mut generic);
    if text.starts_with("\\#") && has_presentation(t) && !opaque_allowed(t, wire) {
        assert!(
            parse(t, &text).is_err(),
            "type {t}: invalid RDATA {text:?} accepted in RFC 3597 form"
        );
        return;
    }
    assert_eq!(
        parse(t, &text).as_deref(),
        Ok(wire),
        "type {t} text {text:?} does not read back"
    );
    assert_eq!(parse(t, &generic).as_deref(), Ok(wire), "{generic}");
}

/// text → wire (exact), wire → expected text, round trip.
fn check(t: u16, text: &str, wire_hex: &str, expected: &str) {
    let wire = h(wire_hex);
    assert_eq!(
        parse(t, text).map(|b| b.iter().map(|x| format!("{x:02x}")).collect::<String>()),
        Ok(wire.iter().map(|x| format!("{x:02x}")).collect::<String>()),
        "parsing {} {text:?}",
        type_mnemonic(t)
    );
    assert_eq!(fmt(t, &wire), expected, "formatting {}", type_mnemonic(t));
    round_trip(t, &wire);
}

const EXAMPLE_COM: &str = "076578616d706c6503636f6d00";

#[test]
fn a_and_aaaa() {
    check(rtype::A, "192.0.2.1", "c0000201", "192.0.2.1");
    check(
        rtype::AAAA,
        "2001:DB8::1",
        "20010db8000000000000000000000001",
        "2001:db8::1",
    );
    check(
        rtype::AAAA,
        "::ffff:192.0.2.1",
        "00000000000000000000ffffc0000201",
        "::ffff:192.0.2.1",
    );
    assert_eq!(
        err(rtype::A, "1.2.3"),
        (0, "bad IPv4 address \"1.2.3\"".into())
    );
    assert_eq!(
        err(rtype::A, "1.2.3.4 foo"),
        (1, "unexpected extra field \"foo\"".into())
    );
    assert_eq!(
        err(rtype::A, ""),
        (0, "missing field: address (A needs address)".into())
    );
    assert_eq!(err(rtype::AAAA, "2001:db8::g").0, 0);
    assert_eq!(err(rtype::AAAA, "192.0.2.1").0, 0);
}

#[test]
fn name_types() {
    let ns1 = format!("036e7331{EXAMPLE_COM}");
    check(rtype::NS, "ns1", &ns1, "ns1.example.com.");
    check(rtype::NS, "ns1.example.com.", &ns1, "ns1.example.com.");
    check(rtype::CNAME, "@", EXAMPLE_COM, "example.com.");
    check(rtype::DNAME, "example.com.", EXAMPLE_COM, "example.com.");
    check(rtype::PTR, "ns1", &ns1, "ns1.example.com.");
    check(rtype::MB, "ns1", &ns1, "ns1.example.com.");
    check(rtype::MG, "ns1", &ns1, "ns1.example.com.");
    check(rtype::MR, "ns1", &ns1, "ns1.example.com.");
    check(rtype::MD, "ns1", &ns1, "ns1.example.com.");
    check(rtype::MF, "ns1", &ns1, "ns1.example.com.");
    check(rtype::NS, ".", "00", ".");
    // Case kept, escapes written back.
    check(
        rtype::CNAME,
        "A\\.b\\032c.Ex.",
        "0541 2e62 2063 024578 00",
        "A\\.b\\032c.Ex.",
    );
    check(
        rtype::MINFO,
        "rm em",
        &format!("02726d{EXAMPLE_COM}02656d{EXAMPLE_COM}"),
        "rm.example.com. em.example.com.",
    );
    check(
        rtype::RP,
        "mbox txt.example.org.",
        &format!("046d626f78{EXAMPLE_COM}03747874076578616d706c65036f726700"),
        "mbox.example.com. txt.example.org.",
    );
    check(
        rtype::AFSDB,
        "1 afs",
        &format!("000103616673{EXAMPLE_COM}"),
        "1 afs.example.com.",
    );
    check(
        rtype::RT,
        "10 relay",
        &format!("000a0572656c6179{EXAMPLE_COM}"),
        "10 relay.example.com.",
    );
    check(
        rtype::KX,
        "10 kx",
        &format!("000a026b78{EXAMPLE_COM}"),
        "10 kx.example.com.",
    );
    check(
        rtype::PX,
        "10 a b",
        &format!("000a0161{EXAMPLE_COM}0162{EXAMPLE_COM}"),
        "10 a.example.com. b.example.com.",
    );
    let (i, m) = err(rtype::NS, "a..b.");
    assert_eq!(i, 0);
    assert!(m.starts_with("bad NS nameserver \"a..b.\""), "{m}");
}

#[test]
fn mx() {
    check(
        rtype::MX,
        "10 Mail.Example.COM.",
        "000a 044d61696c 074578616d706c65 03434f4d 00",
        "10 Mail.Example.COM.",
    );
    assert_eq!(
        err(rtype::MX, "x mail"),
        (0, "MX preference \"x\" is not a number 0..65535".into())
    );
    assert_eq!(
        err(rtype::MX, "65536 mail").1,
        "MX preference \"65536\" is not a number 0..65535"
    );
    assert_eq!(
        err(rtype::MX, "10"),
        (
            1,
            "missing field: exchange (MX needs preference and exchange)".into()
        )
    );
}

#[test]
fn soa() {
    let wire = "036e7331076578616d706c6503636f6d000a686f73746d6173746572076578616d706c6503636f6d0078a3f17500000e1000000384000bdd800000012c";
    check(
        rtype::SOA,
        "ns1 hostmaster ( 2024010101 1h 15m 1w2d 300 )",
        wire,
        "ns1.example.com. hostmaster.example.com. 2024010101 3600 900 777600 300",
    );
    assert_eq!(
        err(rtype::SOA, "ns1 hm 1h 1 1 1 1").1,
        "SOA serial \"1h\" is not a number 0..4294967295"
    );
    assert_eq!(err(rtype::SOA, "ns1 hm 1 1x 1 1 1").0, 3);
    assert_eq!(
        err(rtype::SOA, "ns1 hm 1 1 1 1"),
        (
            6,
            "missing field: minimum (SOA needs mname, rname, serial, refresh, retry, expire and minimum)"
                .into()
        )
    );
}

#[test]
fn txt_and_spf() {
    check(
        rtype::TXT,
        r#""a b" "c;d" """#,
        "03612062 03633b64 00",
        r#""a b" "c;d" """#,
    );
    check(rtype::TXT, "foo", "03666f6f", r#""foo""#);
    check(
        rtype::TXT,
        r#""\"q\\\065\255""#,
        "05 22 71 5c 41 ff",
        r#""\"q\\A\255""#,
    );
    check(
        rtype::SPF,
        r#""v=spf1 -all""#,
        "0b763d73706631202d616c6c",
        r#""v=spf1 -all""#,
    );
    let max = "x".repeat(255);
    assert_eq!(parse(rtype::TXT, &max).map(|b| b.len()), Ok(256));
    let long = format!("ok \"{}\"", "x".repeat(256));
    assert_eq!(
        err(rtype::TXT, &long),
        (1, "TXT character-string longer than 255 octets".into())
    );
    // Escapes count as one octet each.
    let escaped = "\\120".repeat(255);
    assert_eq!(parse(rtype::TXT, &escaped).map(|b| b.len()), Ok(256));
    assert_eq!(err(rtype::TXT, "\"a\\25\"").0, 0);
    assert_eq!(
        err(rtype::TXT, ""),
        (0, "missing field: text (TXT needs text)".into())
    );
    // Empty RDATA is not a valid TXT: written generically.
    assert_eq!(fmt(rtype::TXT, &[]), "\\# 0");
    assert_eq!(fmt(rtype::TXT, &h("0361")), "\\# 2 0361");
}

#[test]
fn hinfo() {
    check(
        rtype::HINFO,
        r#""Generic PC" Linux"#,
        "0a47656e65726963205043 054c696e7578",
        r#""Generic PC" "Linux""#,
    );
    assert_eq!(err(rtype::HINFO, "a").0, 1);
    assert_eq!(
        err(rtype::HINFO, &format!("{} b", "x".repeat(256))),
        (
            0,
            "HINFO cpu character-string longer than 255 octets".into()
        )
    );
    assert_eq!(err(rtype::HINFO, "a b c").0, 2);
}

#[test]
fn srv_and_naptr() {
    check(
        rtype::SRV,
        "0 5 5060 sip",
        &format!("0000 0005 13c4 03736970{EXAMPLE_COM}"),
        "0 5 5060 sip.example.com.",
    );
    // RFC 3403 §6.2 (second example), reading "\\2" as the two octets `\2`.
    check(
        rtype::NAPTR,
        r#"100 10 "" "" "!^urn:cid:.+@([^\\.]+\\.)(.*)$!\\2!i" ."#,
        "0064 000a 00 00 21 215e75726e3a6369643a2e2b40285b5e5c2e5d2b5c2e29282e2a2924215c322169 00",
        r#"100 10 "" "" "!^urn:cid:.+@([^\\.]+\\.)(.*)$!\\2!i" ."#,
    );
    check(
        rtype::NAPTR,
        r#"100 50 "s" "http+I2L+I2C+I2R" "" _http._tcp.gatech.edu."#,
        "0064 0032 0173 10687474702b49324c2b4932432b493252 00 055f68747470045f7463700667617465636803656475 00",
        r#"100 50 "s" "http+I2L+I2C+I2R" "" _http._tcp.gatech.edu."#,
    );
    assert_eq!(
        err(rtype::SRV, "0 5 70000 sip").1,
        "SRV port \"70000\" is not a number 0..65535"
    );
}

#[test]
fn caa() {
    check(
        rtype::CAA,
        r#"0 issue "ca.example.net; account=230123""#,
        "00 05 6973737565 63612e6578616d706c652e6e65743b206163636f756e743d323330313233",
        r#"0 issue "ca.example.net; account=230123""#,
    );
    check(
        rtype::CAA,
        r#"128 tbs "Unknown""#,
        "80 03 746273 556e6b6e6f776e",
        r#"128 tbs "Unknown""#,
    );
    check(
        rtype::CAA,
        r#"0 issue ";""#,
        "00 05 6973737565 3b",
        r#"0 issue ";""#,
    );
    check(
        rtype::CAA,
        r#"0 issue """#,
        "00 05 6973737565",
        r#"0 issue """#,
    );
    check(
        rtype::CAA,
        r#"0 iodef "a\"b\010""#,
        "00 05 696f646566 6122620a",
        r#"0 iodef "a\"b\010""#,
    );
    assert_eq!(
        err(rtype::CAA, r#"0 is-sue "x""#),
        (
            1,
            "CAA tag \"is-sue\" must be letters and digits (at least one)".into()
        )
    );
    // RFC 8659 §4.1: a tag SHOULD be at most 15 octets; 16 is still valid
    // (Knot's suite 52_CAA:16; BIND reads it).
    check(
        rtype::CAA,
        r#"0 abcdefghijklmnop "x""#,
        "00 10 6162636465666768696a6b6c6d6e6f70 78",
        r#"0 abcdefghijklmnop "x""#,
    );
    assert_eq!(err(rtype::CAA, r#"0 "" "x""#).0, 1);
    assert_eq!(err(rtype::CAA, r#"0 issue "x" "y""#).0, 3);
    // A malformed tag on the wire is written generically.
    assert_eq!(fmt(rtype::CAA, &h("00 01 2d 78")), "\\# 4 00012d78");
}

#[test]
fn sshfp_tlsa_smimea() {
    check(
        rtype::SSHFP,
        "1 1 dd465c09cfa51fb45020cc83 316fff21b9ec74ac",
        "01 01 dd465c09cfa51fb45020cc83316fff21b9ec74ac",
        "1 1 DD465C09CFA51FB45020CC83316FFF21B9EC74AC",
    );
    // RFC 6698 §2.3.
    let tlsa = "0C72AC70B745AC19998811B131D662C9AC69DBDBE7CB23E5B514B56664C5D3D6";
    for t in [rtype::TLSA, rtype::SMIMEA] {
        check(
            t,
            &format!("3 1 1 {tlsa}"),
            &format!("030101{tlsa}"),
            &format!("3 1 1 {tlsa}"),
        );
    }
    assert_eq!(
        err(rtype::SSHFP, "1 1 xyz"),
        (2, "bad hex in SSHFP fingerprint \"xyz\"".into())
    );
    assert_eq!(err(rtype::SSHFP, "1 1 abc").0, 2);
    assert_eq!(err(rtype::TLSA, "3 1 1").0, 3);
    // No data: written generically.
    assert_eq!(fmt(rtype::TLSA, &h("030101")), "\\# 3 030101");
}

#[test]
fn ds_cds() {
    // RFC 4034 §5.4.
    check(
        rtype::DS,
        "60485 5 1 ( 2BB183AF5F22588179A53B0A98631FAD1A292118 )",
        "ec45 05 01 2bb183af5f22588179a53b0a98631fad1a292118",
        "60485 5 1 2BB183AF5F22588179A53B0A98631FAD1A292118",
    );
    check(
        rtype::DS,
        "60485 RSASHA1 1 2BB183AF5F22588179A5 3B0A98631FAD1A292118",
        "ec45 05 01 2bb183af5f22588179a53b0a98631fad1a292118",
        "60485 5 1 2BB183AF5F22588179A53B0A98631FAD1A292118",
    );
    // RFC 8078 §4 delete form.
    check(rtype::CDS, "0 0 0 00", "0000 00 00 00", "0 0 0 00");
    assert_eq!(
        err(rtype::DS, "60485 FOO 1 00").1,
        "DS algorithm \"FOO\" is not a number 0..255 or an algorithm mnemonic"
    );
}

#[test]
fn dnskey_cdnskey() {
    check(
        rtype::DNSKEY,
        "256 3 13 AQID BA==",
        "0100 03 0d 01020304",
        "256 3 13 AQIDBA==",
    );
    check(
        rtype::DNSKEY,
        "256 3 ECDSAP256SHA256 AQIDBA",
        "0100 03 0d 01020304",
        "256 3 13 AQIDBA==",
    );
    check(rtype::CDNSKEY, "0 3 0 AA==", "0000 03 00 00", "0 3 0 AA==");
    check(
        rtype::KEY,
        "256 3 13 AQIDBA==",
        "0100 03 0d 01020304",
        "256 3 13 AQIDBA==",
    );
    assert_eq!(
        err(rtype::DNSKEY, "256 3 13 AQ!D"),
        (3, "bad base64 in DNSKEY public key".into())
    );
    assert_eq!(
        err(rtype::DNSKEY, "256 3 13"),
        (
            3,
            "missing field: public key (DNSKEY needs flags, protocol, algorithm and public key)"
                .into()
        )
    );
}

const RFC4034_SIG: &str = "oJB1W6WNGv+ldvQ3WDG0MQkg5IEhjRip8WTr PYGv07h108dUKGMeDPKijVCHX3DDKdfb+v6o B9wfuh3DTJXUAfI/M0zmO/zz8bW0Rznl8O3t GNazPwQKkRN20XPXV6nwwfoXmJQbsLNrLfkG J5D6fwFm8nN+6pBzeDQfsS3Ap3o=";
const RFC4034_RRSIG_WIRE: &str = "00010503000151803e7c9dd73e5510d70a52076578616d706c6503636f6d00a090755ba58d1affa576f4375831b4310920e481218d18a9f164eb3d81afd3b875d3c75428631e0cf2a28d50875f70c329d7dbfafea807dc1fba1dc34c95d401f23f334ce63bfcf3f1b5b44739e5f0eded18d6b33f040a911376d173d757a9f0c1fa1798941bb0b36b2df9062790fa7f0166f2737eea907378341fb12dc0a77a";

#[test]
fn rrsig() {
    // RFC 4034 §3.3.
    let expected = format!(
        "A 5 3 86400 20030322173103 20030220173103 2642 example.com. {}",
        RFC4034_SIG.replace(' ', "")
    );
    check(
        rtype::RRSIG,
        &format!("A 5 3 86400 20030322173103 ( 20030220173103 2642 example.com. {RFC4034_SIG} )"),
        RFC4034_RRSIG_WIRE,
        &expected,
    );
    // Decimal times and TYPEnnn for the covered type.
    assert_eq!(
        parse(
            rtype::RRSIG,
            &format!("TYPE1 5 3 86400 1048354263 1045762263 2642 example.com. {RFC4034_SIG}")
        ),
        Ok(h(RFC4034_RRSIG_WIRE))
    );
    check(rtype::SIG, &expected, RFC4034_RRSIG_WIRE, &expected);
    assert_eq!(
        err(rtype::RRSIG, "FOO 5 3 86400 1 1 1 . AA=="),
        (0, "RRSIG type covered: unknown type \"FOO\"".into())
    );
    assert_eq!(
        err(rtype::RRSIG, "A 5 3 86400 20031322173103 1 1 . AA==").0,
        4
    );
    assert_eq!(err(rtype::RRSIG, "A 5 3 86400 1 x 1 . AA==").0, 5);
}

#[test]
fn nsec() {
    // RFC 4034 §4.3.
    check(
        rtype::NSEC,
        "host.example.com. ( A MX RRSIG NSEC TYPE1234 )",
        &format!(
            "04686f7374{EXAMPLE_COM} 0006400100000003 041b {} 20",
            "00".repeat(26)
        ),
        "host.example.com. A MX RRSIG NSEC TYPE1234",
    );
    check(
        rtype::NSEC,
        "a",
        &format!("0161{EXAMPLE_COM}"),
        "a.example.com.",
    );
    assert_eq!(
        err(rtype::NSEC, "a. A BOGUS"),
        (2, "unknown type \"BOGUS\" in NSEC type list".into())
    );
    // A bitmap with a trailing zero octet decodes but is not minimal: generic.
    assert_eq!(fmt(rtype::NSEC, &h("00 0002 4000")), "\\# 5 0000024000");
}

#[test]
fn nsec3_and_param() {
    // RFC 5155 Appendix A.
    check(
        rtype::NSEC3,
        "1 1 12 aabbccdd ( 2T7B4G4VSA5SMI47K61MV5BV1A22BOJR MX DNSKEY NS SOA NSEC3PARAM RRSIG )",
        "01 01 000c 04aabbccdd 14174eb2409fe28bcb4887a1836f957f0a8425e27b 0007220100000002 90",
        "1 1 12 AABBCCDD 2t7b4g4vsa5smi47k61mv5bv1a22bojr NS SOA MX RRSIG DNSKEY NSEC3PARAM",
    );
    check(
        rtype::NSEC3,
        "1 0 0 - 2t7b4g4vsa5smi47k61mv5bv1a22bojr",
        "01 00 0000 00 14174eb2409fe28bcb4887a1836f957f0a8425e27b",
        "1 0 0 - 2t7b4g4vsa5smi47k61mv5bv1a22bojr",
    );
    check(
        rtype::NSEC3PARAM,
        "1 0 12 aabbccdd",
        "01 00 000c 04aabbccdd",
        "1 0 12 AABBCCDD",
    );
    check(rtype::NSEC3PARAM, "1 0 0 -", "01 00 0000 00", "1 0 0 -");
    assert_eq!(err(rtype::NSEC3PARAM, "1 0 0 abc").0, 3);
    assert_eq!(err(rtype::NSEC3PARAM, "1 0 0 xy").0, 3);
    assert_eq!(
        err(rtype::NSEC3, "1 0 0 - 2t7b4g4vsa5smi47k61mv5bv1a22boj!"),
        (
            4,
            "bad base32hex in NSEC3 next hashed owner \"2t7b4g4vsa5smi47k61mv5bv1a22boj!\"".into()
        )
    );
    // Empty next hashed owner is malformed.
    assert_eq!(
        fmt(rtype::NSEC3, &h("01000000 00 00")),
        "\\# 6 010000000000"
    );
}

#[test]
fn loc() {
    check(
        rtype::LOC,
        "52 22 23.000 N 4 53 32.000 E -2.00m 0.00m 10000m 10m",
        "000016138b3cf018810cbce0009895b8",
        "52 22 23.000 N 4 53 32.000 E -2.00m 0.00m 10000m 10m",
    );
    // RFC 1876 §4 example, defaults for the precisions.
    check(
        rtype::LOC,
        "42 21 54 N 71 06 18 W -24m 30m",
        "0033161389172dd070be15f000988d20",
        "42 21 54.000 N 71 6 18.000 W -24.00m 30m 10000m 10m",
    );
    // Minutes and seconds are optional; default size 1m.
    assert_eq!(
        fmt(rtype::LOC, &parse(rtype::LOC, "42 N 71 w 0").expect("loc")),
        "42 0 0.000 N 71 0 0.000 W 0.00m 1m 10000m 10m"
    );
    assert_eq!(
        fmt(
            rtype::LOC,
            &parse(
                rtype::LOC,
                "0 0 0.5 s 180 E 42849672.95m 90000000m 0.5 0.01"
            )
            .expect("loc")
        ),
        "0 0 0.500 S 180 0 0.000 E 42849672.95m 90000000m 0.50m 0.01m"
    );
    assert_eq!(err(rtype::LOC, "91 N 0 E 0").0, 0);
    assert_eq!(err(rtype::LOC, "90 1 N 0 E 0").0, 2);
    assert_eq!(err(rtype::LOC, "42 60 N 0 E 0").0, 1);
    assert_eq!(err(rtype::LOC, "42 21 54 X 0 E 0").0, 3);
    assert_eq!(err(rtype::LOC, "42 21 54 N 0 E -100000.01m").0, 6);
    assert_eq!(err(rtype::LOC, "42 21 54 N 0 E 0 1 2 3 4").0, 10);
    assert_eq!(
        err(rtype::LOC, "42 21 54 N 0 E"),
        (
            6,
            "missing field: altitude (LOC needs latitude, longitude and altitude)".into()
        )
    );
    // Version 1 and a mantissa above 9 are written generically.
    assert!(fmt(rtype::LOC, &h("010016138b3cf018810cbce0009895b8")).starts_with("\\# 16"));
    assert!(fmt(rtype::LOC, &h("00a016138b3cf018810cbce0009895b8")).starts_with("\\# 16"));
}

#[test]
fn uri_openpgpkey_dhcid_zonemd_cert() {
    check(
        rtype::URI,
        r#"10 1 "ftp://ftp1.example.com/public""#,
        "000a 0001 6674703a2f2f667470312e6578616d706c652e636f6d2f7075626c6963",
        r#"10 1 "ftp://ftp1.example.com/public""#,
    );
    check(rtype::OPENPGPKEY, "AQID BA==", "01020304", "AQIDBA==");
    // RFC 4701 §3.6 (first example).
    check(
        rtype::DHCID,
        "( AAIBY2/AuCccgoJbsaxcQc9TUapptP69lOjxfNuVAA2kjEA= )",
        "000201636fc0b8271c82825bb1ac5c41cf5351aa69b4febd94e8f17cdb95000da48c40",
        "AAIBY2/AuCccgoJbsaxcQc9TUapptP69lOjxfNuVAA2kjEA=",
    );
    // RFC 8976 Appendix A.1.
    let digest = "C68090D90A7AED716BC459F9340E3D7C1370D4D24B7E2FC3A1DDC0B9A87153B9A9713B3C9AE5CC27777F98B8E730044C";
    check(
        rtype::ZONEMD,
        "2018031900 1 1 ( c68090d90a7aed71 6bc459f9340e3d7c 1370d4d24b7e2fc3 a1ddc0b9a87153b9 a9713b3c9ae5cc27 777f98b8e730044c )",
        &format!("7848b91c 01 01 {digest}"),
        &format!("2018031900 1 1 {digest}"),
    );
    check(
        rtype::CERT,
        "PGP 0 0 AQID",
        "0003 0000 00 010203",
        "PGP 0 0 AQID",
    );
    check(
        rtype::CERT,
        "1 12345 RSASHA256 AQID",
        "0001 3039 08 010203",
        "PKIX 12345 8 AQID",
    );
    check(
        rtype::CERT,
        "9 1 1 AQID",
        "0009 0001 01 010203",
        "9 1 1 AQID",
    );
    assert_eq!(err(rtype::CERT, "FOO 1 1 AQID").0, 0);
}

#[test]
fn eui_csync_ipseckey() {
    // RFC 7043 §3.2 and §4.2.
    check(
        rtype::EUI48,
        "00-00-5e-00-53-2A",
        "00005e00532a",
        "00-00-5e-00-53-2a",
    );
    check(
        rtype::EUI64,
        "00-00-5e-ef-10-00-00-2a",
        "00005eef1000002a",
        "00-00-5e-ef-10-00-00-2a",
    );
    assert_eq!(err(rtype::EUI48, "00-00-5e-00-53").0, 0);
    assert_eq!(err(rtype::EUI48, "00:00:5e:00:53:2a").0, 0);
    assert_eq!(err(rtype::EUI48, "00-00-5e-00-53-2g").0, 0);
    // RFC 7477 §2.2.
    check(
        rtype::CSYNC,
        "66 3 A NS AAAA",
        "00000042 0003 0004 60000008",
        "66 3 A NS AAAA",
    );
    // RFC 4025 §3 examples.
    let key = "AQNRU3mG7TVTO2BkR47usntb102uFJtugbo6BSGvgqt4AQ==";
    let keyhex = "010351537986ed35533b6064478eeeb27b5bd74dae149b6e81ba3a0521af82ab7801";
    check(
        rtype::IPSECKEY,
        &format!("( 10 1 2 192.0.2.38 {key} )"),
        &format!("0a0102 c0000226 {keyhex}"),
        &format!("10 1 2 192.0.2.38 {key}"),
    );
    check(
        rtype::IPSECKEY,
        &format!("10 0 2 . {key}"),
        &format!("0a0002 {keyhex}"),
        &format!("10 0 2 . {key}"),
    );
    check(
        rtype::IPSECKEY,
        &format!("10 3 2 mygateway.example.com. {key}"),
        &format!("0a0302 096d7967617465776179{EXAMPLE_COM} {keyhex}"),
        &format!("10 3 2 mygateway.example.com. {key}"),
    );
    check(
        rtype::IPSECKEY,
        &format!("10 2 2 2001:0DB8:0:8002::2000:1 {key}"),
        &format!("0a0202 20010db8000080020000000020000001 {keyhex}"),
        &format!("10 2 2 2001:db8:0:8002::2000:1 {key}"),
    );
    check(rtype::IPSECKEY, "10 0 2 .", "0a0002", "10 0 2 .");
    assert_eq!(err(rtype::IPSECKEY, "10 4 2 .").0, 1);
    assert_eq!(err(rtype::IPSECKEY, "10 0 2 x.").0, 3);
}

#[test]
fn rfc3597_generic() {
    // RFC 3597 §5 examples.
    check(
        731,
        "\\# 6 abcd ( ef 01 23 45 )",
        "abcdef012345",
        "\\# 6 abcdef012345",
    );
    check(62347, "\\# 0", "", "\\# 0");
    check(rtype::A, "\\# 4 0A000001", "0a000001", "10.0.0.1");
    // Known type: the content must be valid for it (RFC 3597 §5).
    assert_eq!(
        err(rtype::MX, "\\# 2 000a"),
        (
            2,
            "RFC 3597 data is not valid MX RDATA: the octets do not decode as MX fields".into()
        )
    );
    assert_eq!(fmt(rtype::MX, &h("000a")), "\\# 2 000a");
    assert_eq!(parse(rtype::MX, "\\# 3 000a00"), Ok(h("000a00")));
    assert_eq!(fmt(rtype::MX, &h("000a00")), "10 .");
    assert_eq!(
        err(65534, "\\# 4 abcdef"),
        (1, "RFC 3597 length 4 does not match 3 octets of hex".into())
    );
    assert_eq!(
        err(65534, "\\# 2 abcdef").1,
        "RFC 3597 length 2 does not match 3 octets of hex"
    );
    assert_eq!(err(65534, "\\# 1 abc").0, 2);
    assert_eq!(err(65534, "\\# 1 zz").0, 2);
    assert_eq!(err(65534, "\\# x").0, 1);
    assert_eq!(err(65534, "\\#").0, 1);
    assert_eq!(err(65534, "\\# 0 00").0, 1);
    // Unknown types have no other form.
    let (i, m) = err(65534, "abcd");
    assert_eq!(i, 0);
    assert!(m.contains("TYPE65534"), "{m}");
    // A quoted "\#" is a character-string, not the generic marker.
    assert_eq!(parse(rtype::TXT, "\"\\\\#\""), Ok(h("025c23")));
}

#[test]
fn error_leaves_out_untouched() {
    let mut out = vec![9, 9];
    let r = parse_rdata(rtype::MX, &toks("10 a..b"), &origin(), &mut out);
    assert!(r.is_err());
    assert_eq!(out, [9, 9]);
    parse_rdata(rtype::MX, &toks("10 a"), &origin(), &mut out).expect("mx");
    assert_eq!(out[..4], [9, 9, 0, 10]);
}

#[test]
fn rdata_length_limit() {
    let s = vec!["\"".to_string() + &"x".repeat(255) + "\""; 257].join(" ");
    let (_, m) = err(rtype::TXT, &s);
    assert!(m.contains("longer than 65535"), "{m}");
}

#[test]
fn canonical_form() {
    let lower = |t: u16, text: &str| {
        let mut b = parse(t, text).expect(text);
        canonicalize_rdata(t, &mut b);
        fmt(t, &b)
    };
    assert_eq!(lower(rtype::MX, "10 MAIL.Example."), "10 mail.example.");
    assert_eq!(
        lower(rtype::SOA, "NS1.EX. Host.EX. 1 2 3 4 5"),
        "ns1.ex. host.ex. 1 2 3 4 5"
    );
    assert_eq!(lower(rtype::SRV, "0 0 65 SIP.EX."), "0 0 65 sip.ex.");
    assert_eq!(
        lower(rtype::NAPTR, r#"1 2 "S" "SIP+D2U" "AB" NEXT.EX."#),
        r#"1 2 "S" "SIP+D2U" "AB" next.ex."#
    );
    assert_eq!(lower(rtype::CNAME, "A.B."), "a.b.");
    assert_eq!(lower(rtype::RP, "A.B. C.D."), "a.b. c.d.");
    // RRSIG: only the signer name; the base64 signature keeps its case.
    let sig = lower(
        rtype::RRSIG,
        "A 5 3 86400 20030322173103 20030220173103 2642 EXAMPLE.Com. QUJDRA==",
    );
    assert_eq!(
        sig,
        "A 5 3 86400 20030322173103 20030220173103 2642 example.com. QUJDRA=="
    );
    // Not lowercased: NSEC (RFC 6840 §5.1), TXT, HINFO, SVCB, CAA.
    assert_eq!(lower(rtype::NSEC, "HOST.Example. A"), "HOST.Example. A");
    assert_eq!(lower(rtype::TXT, "ABC"), "\"ABC\"");
    assert_eq!(lower(rtype::HINFO, "PC LINUX"), "\"PC\" \"LINUX\"");
    assert_eq!(lower(rtype::SVCB, "1 FOO.EX."), "1 FOO.EX.");
    assert_eq!(
        lower(rtype::CAA, "0 ISSUE \"CA.NET\""),
        "0 ISSUE \"CA.NET\""
    );
    // Malformed RDATA is left alone.
    let mut bad = h("000a 03414243");
    canonicalize_rdata(rtype::MX, &mut bad);
    assert_eq!(bad, h("000a 03414243"));
    let mut trailing = h("000a 0141 00 42");
    canonicalize_rdata(rtype::MX, &mut trailing);
    assert_eq!(trailing, h("000a 0141 00 42"));
    // A6: prefix length 64, 8 octets of suffix, then the prefix name.
    let mut a6 = h("40 0000000000000001 0141 00");
    canonicalize_rdata(rtype::A6, &mut a6);
    assert_eq!(a6, h("40 0000000000000001 0161 00"));
    // NXT: the next name, not the bitmap.
    let mut nxt = h("0141 00 41");
    canonicalize_rdata(rtype::NXT, &mut nxt);
    assert_eq!(nxt, h("0161 00 41"));
}

/// Deterministic pseudo-random bytes.
pub(crate) struct Rng(u64);
impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const ALL_TYPES: &[u16] = &[
    rtype::A,
    rtype::NS,
    rtype::MD,
    rtype::MF,
    rtype::CNAME,
    rtype::SOA,
    rtype::MB,
    rtype::MG,
    rtype::MR,
    rtype::PTR,
    rtype::HINFO,
    rtype::MINFO,
    rtype::MX,
    rtype::TXT,
    rtype::RP,
    rtype::AFSDB,
    rtype::RT,
    rtype::SIG,
    rtype::KEY,
    rtype::PX,
    rtype::AAAA,
    rtype::LOC,
    rtype::SRV,
    rtype::NAPTR,
    rtype::KX,
    rtype::CERT,
    rtype::DNAME,
    rtype::DS,
    rtype::SSHFP,
    rtype::IPSECKEY,
    rtype::RRSIG,
    rtype::NSEC,
    rtype::DNSKEY,
    rtype::DHCID,
    rtype::NSEC3,
    rtype::NSEC3PARAM,
    rtype::TLSA,
    rtype::SMIMEA,
    rtype::CDS,
    rtype::CDNSKEY,
    rtype::OPENPGPKEY,
    rtype::CSYNC,
    rtype::ZONEMD,
    rtype::SVCB,
    rtype::HTTPS,
    rtype::SPF,
    rtype::EUI48,
    rtype::EUI64,
    rtype::URI,
    rtype::CAA,
    rtype::NULL,
    rtype::A6,
    rtype::AMTRELAY,
    rtype::APL,
    rtype::HIP,
    rtype::WKS,
    65534,
];

/// Valid samples to mutate, one or more per type.
fn samples() -> Vec<(u16, Vec<u8>)> {
    let texts: &[(u16, &str)] = &[
        (rtype::SOA, "ns1 hm 1 2 3 4 5"),
        (rtype::TXT, r#""a" "" "\"\\;""#),
        (rtype::HINFO, "a b"),
        (rtype::NAPTR, r#"1 2 "a" "b" "c" d"#),
        (rtype::LOC, "42 21 54 N 71 06 18 W -24m 30m"),
        (rtype::RRSIG, "A 5 3 86400 1 2 3 x. AAAA"),
        (rtype::NSEC, "a. A MX TYPE1234"),
        (
            rtype::NSEC3,
            "1 1 12 aabb 2t7b4g4vsa5smi47k61mv5bv1a22bojr A RRSIG",
        ),
        (rtype::NSEC3PARAM, "1 0 1 ab"),
        (rtype::CAA, r#"0 issue "x;y""#),
        (rtype::CERT, "PGP 1 2 AQID"),
        (rtype::IPSECKEY, "1 3 2 gw. AQID"),
        (rtype::IPSECKEY, "1 2 2 ::1"),
        (rtype::URI, r#"1 2 "u""#),
        (rtype::CSYNC, "1 2 A NS"),
        (
            rtype::SVCB,
            r#"16 foo.example.org. alpn="f\\\\oo\\,bar,h2" mandatory=ipv4hint,alpn ipv4hint=192.0.2.1 port=53 ech=AQID ipv6hint=::1 no-default-alpn key667=x\210 dohpath=/q{?dns} ohttp"#,
        ),
        (rtype::HTTPS, "1 . alpn=h2,h3"),
        (rtype::A6, "65 ::7f00:0:0:1 a.b."),
        (rtype::A6, "0 2001:db8::1"),
        (rtype::AMTRELAY, "128 1 3 amtrelays.example.com."),
        (rtype::AMTRELAY, "10 0 2 2001:db8::15"),
        (
            rtype::APL,
            "1:192.168.32.0/21 !1:192.168.38.0/28 2:ff00::/8",
        ),
        (
            rtype::HIP,
            "2 200100107B1A74DF365639CC39F1D578 AQID rvs1. rvs2.",
        ),
        (rtype::WKS, "192.0.2.1 tcp 25 80 1023"),
    ];
    texts
        .iter()
        .map(|&(t, s)| (t, parse(t, s).unwrap_or_else(|e| panic!("{s}: {e}"))))
        .collect()
}

/// Whatever the bytes, the text written reads back to them.
#[test]
fn round_trip_random_and_mutated_rdata() {
    let mut rng = Rng(0x9e3779b97f4a7c15);
    let samples = samples();
    for _ in 0..4000 {
        let t = ALL_TYPES[rng.below(ALL_TYPES.len())];
        let mut b: Vec<u8> = (0..rng.below(40)).map(|_| rng.next() as u8).collect();
        // Bias towards printable text so names and strings often decode.
        if rng.below(2) == 0 {
            for x in b.iter_mut() {
                *x = b"\x03\x00abcAZ.\\\" ;()\x05"[(*x as usize) % 14];
            }
        }
        round_trip(t, &b);
    }
    for (t, base) in &samples {
        round_trip(*t, base);
        for _ in 0..400 {
            let mut b = base.clone();
            match rng.below(4) {
                0 if !b.is_empty() => {
                    let i = rng.below(b.len());
                    b[i] = rng.next() as u8;
                }
                1 if !b.is_empty() => b.truncate(rng.below(b.len())),
                2 => b.push(rng.next() as u8),
                _ if !b.is_empty() => {
                    let i = rng.below(b.len());
                    b[i] ^= 1 << rng.below(8);
                }
                _ => {}
            }
            round_trip(*t, &b);
        }
    }
}

/// Parsing never panics, whatever the fields.
#[test]
fn parse_never_panics() {
    let mut rng = Rng(12345);
    let words = [
        "0",
        "1",
        "65535",
        "4294967296",
        "-",
        "\\#",
        "\\",
        "\\0",
        "\\999",
        "a.",
        ".",
        "@",
        "..",
        "N",
        "S",
        "E",
        "W",
        "1.5",
        "-1m",
        "A",
        "TYPE0",
        "alpn",
        "alpn=",
        "mandatory=alpn",
        "key1=\"",
        "port=x",
        "\"\"",
        "AA==",
        "=",
        "ab",
        "2001:db8::1",
        "1.2.3.4",
        "99999999m",
        "\"a b\"",
        "ech",
        "key65535",
        "mandatory=mandatory",
        "!1:192.0.2.0/24",
        "2:::/0",
        "1:1.2.3.4/33",
        "tcp",
        "smtp",
        "::1",
        "128",
        "AwEAAQ==",
        "200100107B1A74DF",
        "alpn=a\\\\,b",
        "alpn=a\\b",
    ];
    for _ in 0..20000 {
        let t = ALL_TYPES[rng.below(ALL_TYPES.len())];
        let n = rng.below(12);
        let text: Vec<&str> = (0..n).map(|_| words[rng.below(words.len())]).collect();
        let text = text.join(" ");
        if let Ok(b) = parse(t, &text) {
            round_trip(t, &b);
        }
    }
}

/// RFC 9460 Appendix D.1 and D.2.
#[test]
fn svcb_rfc9460_vectors() {
    let foo_com = "03666f6f076578616d706c6503636f6d00";
    let foo_org = "03666f6f076578616d706c65036f726700";
    // Figure 2 (HTTPS AliasMode).
    check(
        rtype::HTTPS,
        "0 foo.example.com.",
        &format!("0000 {foo_com}"),
        "0 foo.example.com.",
    );
    // Figure 3.
    check(rtype::SVCB, "1 .", "0001 00", "1 .");
    // Figure 4.
    check(
        rtype::SVCB,
        "16 foo.example.com. port=53",
        &format!("0010 {foo_com} 0003 0002 0035"),
        "16 foo.example.com. port=53",
    );
    // Figure 5.
    check(
        rtype::SVCB,
        "1 foo.example.com. key667=hello",
        &format!("0001 {foo_com} 029b 0005 68656c6c6f"),
        "1 foo.example.com. key667=hello",
    );
    // Figure 6, as one field and as `key=` followed by a quoted field.
    let fig6 = format!("0001 {foo_com} 029b 0009 68656c6c6fd2716f6f");
    check(
        rtype::SVCB,
        r#"1 foo.example.com. key667="hello\210qoo""#,
        &fig6,
        r"1 foo.example.com. key667=hello\210qoo",
    );
    let split = [
        Token::new(b"1", 1, 1),
        Token::new(b"foo.example.com.", 1, 3),
        Token::new(b"key667=", 1, 20),
        Token::quoted(br"hello\210qoo", 1, 27),
    ];
    let mut out = Vec::new();
    parse_rdata(rtype::SVCB, &split, &origin(), &mut out).expect("split form");
    assert_eq!(out, h(&fig6));
    // Figure 7.
    check(
        rtype::SVCB,
        r#"1 foo.example.com. ( ipv6hint="2001:db8::1,2001:db8::53:1" )"#,
        &format!(
            "0001 {foo_com} 0006 0020 20010db8000000000000000000000001 20010db8000000000000000000530001"
        ),
        "1 foo.example.com. ipv6hint=2001:db8::1,2001:db8::53:1",
    );
    // Figure 8.
    check(
        rtype::SVCB,
        r#"1 example.com. ( ipv6hint="2001:db8:122:344::192.0.2.33" )"#,
        &format!("0001 {EXAMPLE_COM} 0006 0010 20010db8012203440000 0000c0000221"),
        "1 example.com. ipv6hint=2001:db8:122:344::c000:221",
    );
    // Figure 9: keys given out of order are sorted.
    check(
        rtype::SVCB,
        "16 foo.example.org. ( alpn=h2,h3-19 mandatory=ipv4hint,alpn ipv4hint=192.0.2.1 )",
        &format!(
            "0010 {foo_org} 0000 0004 0001 0004 0001 0009 02 6832 05 68332d3139 0004 0004 c0000201"
        ),
        "16 foo.example.org. mandatory=alpn,ipv4hint alpn=h2,h3-19 ipv4hint=192.0.2.1",
    );
    // Figure 10, both spellings.
    let fig10 = format!("0010 {foo_org} 0001 000c 08 665c6f6f2c626172 02 6832");
    check(
        rtype::SVCB,
        r#"16 foo.example.org. alpn="f\\\\oo\\,bar,h2""#,
        &fig10,
        r"16 foo.example.org. alpn=f\\\\oo\\,bar,h2",
    );
    assert_eq!(
        parse(
            rtype::SVCB,
            r"16 foo.example.org. alpn=f\\\092oo\092,bar,h2"
        ),
        Ok(h(&fig10))
    );
}

#[test]
fn svcb_other_keys_and_output() {
    check(
        rtype::HTTPS,
        "1 . alpn=h3 no-default-alpn ech=AQID ohttp dohpath=/dns-query{?dns}",
        "0001 00 0001 0003 026833 0002 0000 0005 0003 010203 0007 0010 2f646e732d7175657279 7b3f646e737d 0008 0000",
        "1 . alpn=h3 no-default-alpn ech=AQID dohpath=/dns-query{?dns} ohttp",
    );
    // Target name case is kept, relative names completed.
    check(
        rtype::SVCB,
        "1 Svc key65534",
        &format!("0001 03537663{EXAMPLE_COM} fffe 0000"),
        "1 Svc.example.com. key65534",
    );
    // Opaque values with spaces and quotes come out escaped, unquoted.
    check(
        rtype::SVCB,
        r#"1 . key9="a b\"c""#,
        "0001 00 0009 0005 6120622263",
        r#"1 . key9=a\032b\"c"#,
    );
    // Out-of-order keys on the wire: generic.
    assert!(fmt(rtype::SVCB, &h("0001 00 0003 0002 0035 0001 0003 026833")).starts_with("\\#"));
    // mandatory naming an absent key on the wire: generic.
    assert!(fmt(rtype::SVCB, &h("0001 00 0000 0002 0003")).starts_with("\\#"));
}

/// RFC 9460 Appendix D.3 failure cases, plus a few more.
#[test]
fn svcb_errors() {
    let cases: &[(&str, usize, &str)] = &[
        (
            "1 foo.example.com. ( key123=abc key123=def )",
            3,
            "SVCB parameter key123 given twice",
        ),
        (
            "1 foo.example.com. mandatory",
            2,
            "SVCB parameter mandatory needs a value",
        ),
        (
            "1 foo.example.com. alpn",
            2,
            "SVCB parameter alpn needs a value",
        ),
        (
            "1 foo.example.com. port",
            2,
            "SVCB parameter port needs a value",
        ),
        (
            "1 foo.example.com. ipv4hint",
            2,
            "SVCB parameter ipv4hint needs a value",
        ),
        (
            "1 foo.example.com. ipv6hint",
            2,
            "SVCB parameter ipv6hint needs a value",
        ),
        (
            "1 foo.example.com. no-default-alpn=abc",
            2,
            "SVCB parameter no-default-alpn takes no value",
        ),
        (
            "1 foo.example.com. mandatory=key123",
            2,
            "SVCB mandatory lists key123, which is not present",
        ),
        (
            "1 foo.example.com. mandatory=mandatory",
            2,
            "SVCB mandatory must not list mandatory",
        ),
        (
            "1 foo.example.com. ( mandatory=key123,key123 key123=abc )",
            2,
            "SVCB mandatory lists a key twice",
        ),
        ("1 . foo=bar", 2, "SVCB unknown parameter key \"foo\""),
        ("1 . port=x", 2, "SVCB port \"x\" is not a number 0..65535"),
        (
            "1 . ipv4hint=1.2.3",
            2,
            "bad IPv4 address \"1.2.3\" in SVCB ipv4hint",
        ),
        (
            "1 . alpn=h2,,h3",
            2,
            "SVCB alpn: empty item in comma-separated list",
        ),
        ("1 . ech=!!", 2, "bad base64 in SVCB ech"),
        ("1 . key65535", 2, "SVCB key65535 is reserved (invalid key)"),
        (
            "1",
            1,
            "missing field: target (SVCB needs priority and target)",
        ),
    ];
    for &(text, token, message) in cases {
        assert_eq!(
            err(rtype::SVCB, text),
            (token, message.to_string()),
            "{text}"
        );
    }
}
