//! hickory-proto 0.26 as an oracle (golden tests where it is right), and
//! the measured reasons we do not route text through it (tests that assert
//! its refusals and wrong output, so we notice if a later version fixes them).

use super::tests::{fmt, h, parse};
use super::*;
use hickory_proto::rr::{RData, RecordType};
use hickory_proto::serialize::binary::BinEncodable;

fn hickory_bytes(t: RecordType, text: &str) -> Vec<u8> {
    RData::try_from_str(t, text)
        .unwrap_or_else(|e| panic!("hickory refused {t} {text}: {e}"))
        .to_bytes()
        .unwrap_or_else(|e| panic!("hickory could not encode {t} {text}: {e}"))
}

/// Our bytes equal hickory's and the hand-computed ones.
fn golden(t: RecordType, text: &str, wire_hex: &str) {
    let ours = parse(u16::from(t), text).unwrap_or_else(|e| panic!("{text}: {e}"));
    assert_eq!(ours, h(wire_hex), "ours vs hand-computed: {t} {text}");
    assert_eq!(ours, hickory_bytes(t, text), "ours vs hickory: {t} {text}");
}

#[test]
fn golden_against_hickory() {
    golden(
        RecordType::CAA,
        r#"0 issue "ca.example.net; account=230123""#,
        "00 05 6973737565 63612e6578616d706c652e6e65743b206163636f756e743d323330313233",
    );
    golden(
        RecordType::CAA,
        r#"128 tbs "Unknown""#,
        "80 03 746273 556e6b6e6f776e",
    );
    golden(
        RecordType::CAA,
        r#"0 iodef "mailto:security@example.com""#,
        "00 05 696f646566 6d61696c746f3a7365637572697479406578616d706c652e636f6d",
    );
    golden(
        RecordType::SSHFP,
        "1 1 dd465c09cfa51fb45020cc83316fff21b9ec74ac",
        "0101 dd465c09cfa51fb45020cc83316fff21b9ec74ac",
    );
    golden(
        RecordType::TLSA,
        "3 1 1 0c72ac70b745ac19998811b131d662c9ac69dbdbe7cb23e5b514b56664c5d3d6",
        "030101 0c72ac70b745ac19998811b131d662c9ac69dbdbe7cb23e5b514b56664c5d3d6",
    );
    golden(
        RecordType::SMIMEA,
        "3 1 1 0c72ac70b745ac19998811b131d662c9ac69dbdbe7cb23e5b514b56664c5d3d6",
        "030101 0c72ac70b745ac19998811b131d662c9ac69dbdbe7cb23e5b514b56664c5d3d6",
    );
    golden(RecordType::CERT, "1 12345 8 AAAA", "0001 3039 08 000000");
    golden(
        RecordType::DS,
        "60485 5 1 2BB183AF5F22588179A53B0A98631FAD1A292118",
        "ec45 05 01 2bb183af5f22588179a53b0a98631fad1a292118",
    );
    golden(
        RecordType::SVCB,
        r#"1 foo.example.com. ipv6hint="2001:db8::1,2001:db8::53:1""#,
        "0001 03666f6f076578616d706c6503636f6d00 0006 0020 20010db8000000000000000000000001 20010db8000000000000000000530001",
    );
    golden(
        RecordType::SVCB,
        "1 foo.example.com. key667=hello",
        "0001 03666f6f076578616d706c6503636f6d00 029b 0005 68656c6c6f",
    );
    golden(
        RecordType::HTTPS,
        "0 foo.example.com.",
        "0000 03666f6f076578616d706c6503636f6d00",
    );
    golden(RecordType::TXT, r#""a b" "c;d" """#, "03612062 03633b64 00");
    golden(
        RecordType::HINFO,
        r#""Generic PC" Linux"#,
        "0a47656e65726963205043 054c696e7578",
    );
}

/// hickory refuses the DNSSEC types in text (issue #2358) and lacks DNAME,
/// so it cannot read a signed zone.
#[test]
fn hickory_refuses_dnssec_and_dname_text() {
    for (t, text) in [
        (RecordType::DNSKEY, "256 3 13 AQIDBA=="),
        (RecordType::CDNSKEY, "0 3 0 AA=="),
        (RecordType::CDS, "0 0 0 00"),
        (
            RecordType::RRSIG,
            "A 5 3 86400 20030322173103 20030220173103 2642 example.com. AAAA",
        ),
        (RecordType::NSEC, "host.example.com. A MX"),
        (RecordType::NSEC3PARAM, "1 0 12 aabbccdd"),
        (RecordType::DNAME, "example.com."),
    ] {
        assert!(RData::try_from_str(t, text).is_err(), "{t}");
        assert!(parse(u16::from(t), text).is_ok(), "{t}");
    }
}

/// SSHFP with the fingerprint in two fields, and CERT with a mnemonic type.
#[test]
fn hickory_refuses_split_hex_and_cert_mnemonic() {
    let split = "1 1 dd465c09cfa51fb45020cc83 316fff21b9ec74ac";
    assert!(RData::try_from_str(RecordType::SSHFP, split).is_err());
    assert_eq!(
        parse(rtype::SSHFP, split),
        Ok(h("0101 dd465c09cfa51fb45020cc83316fff21b9ec74ac"))
    );
    assert!(RData::try_from_str(RecordType::CERT, "PGP 0 0 AAAA").is_err());
    assert_eq!(
        parse(rtype::CERT, "PGP 0 0 AAAA"),
        Ok(h("0003 0000 00 000000"))
    );
}

/// SVCB: RFC 9460 Appendix D Figures 6, 9 and 10, the target's case, and
/// the Display's trailing commas.
#[test]
fn hickory_svcb_problems() {
    // Figure 9: keys out of order in the text are refused at encoding.
    let fig9 = "16 foo.example.org. alpn=h2,h3-19 mandatory=ipv4hint,alpn ipv4hint=192.0.2.1";
    let r = RData::try_from_str(RecordType::SVCB, fig9).expect("parses");
    assert!(r.to_bytes().is_err());
    // Display leaves a trailing comma after each list.
    assert!(r.to_string().contains("alpn=h2,h3-19,"), "{r}");
    assert!(parse(rtype::SVCB, fig9).is_ok());

    // Figure 6: `\210` is kept as four octets instead of 0xd2.
    let fig6 = r#"1 foo.example.com. key667="hello\210qoo""#;
    let theirs = hickory_bytes(RecordType::SVCB, fig6);
    assert!(theirs.ends_with(br"hello\210qoo"));
    assert!(parse(rtype::SVCB, fig6)
        .expect("ours")
        .ends_with(&h("68656c6c6fd2716f6f")));

    // Figure 10: the list escapes give a 6-octet first item, not "f\oo,bar".
    let fig10 = r#"16 foo.example.org. alpn="f\\\\oo\\,bar,h2""#;
    let theirs = hickory_bytes(RecordType::SVCB, fig10);
    assert_ne!(theirs, parse(rtype::SVCB, fig10).expect("ours"));
    assert!(parse(rtype::SVCB, fig10)
        .expect("ours")
        .ends_with(&h("0001 000c 08 665c6f6f2c626172 02 6832")));

    // The target is lowercased; we keep the case (RFC 4034 §6.2 does not
    // list SVCB, so its canonical form keeps the case too).
    let theirs = hickory_bytes(RecordType::SVCB, "1 Foo.Example.Com.");
    assert_eq!(&theirs[2..6], b"\x03foo");
    assert_eq!(
        &parse(rtype::SVCB, "1 Foo.Example.Com.").expect("ours")[2..6],
        b"\x03Foo"
    );

    // Our output has no trailing commas.
    let ours = parse(rtype::SVCB, fig9).expect("ours");
    assert_eq!(
        fmt(rtype::SVCB, &ours),
        "16 foo.example.org. mandatory=alpn,ipv4hint alpn=h2,h3-19 ipv4hint=192.0.2.1"
    );
}

/// TXT Display drops the quotes, so its output does not read back.
#[test]
fn hickory_txt_display_drops_quotes() {
    let text = r#""a b" "c;d" """#;
    let r = RData::try_from_str(RecordType::TXT, text).expect("parses");
    assert_eq!(r.to_string(), "a bc;d");
    let ours = parse(rtype::TXT, text).expect("ours");
    assert_eq!(fmt(rtype::TXT, &ours), text);
}

/// No RFC 3597 form in hickory's text parser.
#[test]
fn hickory_has_no_generic_form() {
    assert!(RData::try_from_str(RecordType::Unknown(65534), r"\# 2 abcd").is_err());
    assert!(RData::try_from_str(RecordType::A, r"\# 4 0a000001").is_err());
    assert_eq!(parse(65534, r"\# 2 abcd"), Ok(h("abcd")));
}
