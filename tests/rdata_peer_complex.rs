//! Interop for the RDATA types with code of their own (A6, AMTRELAY, APL,
//! HIP, WKS, IPSECKEY, SVCB) and for RFC 3597 §5 validation: a zone of
//! them goes through `zonesign check --emit` and through BIND's
//! `named-compilezone -D`, both outputs are read back with our reader, and
//! the wire RDATA must be the same record for record. ldns, which prints
//! the wire form itself with `-u TYPE`, checks APL, HIP and IPSECKEY too.

mod common;
use common::*;
use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;
use zonesign::zonefile::{read_zone_bytes, ReadOptions};

/// Owner, type and wire RDATA of each record.
type Records = BTreeSet<(String, u16, Vec<u8>)>;

const ORIGIN: &str = "example.com.";

const ZONE: &str = r#"$ORIGIN example.com.
$TTL 3600
@ SOA ns hm 1 7200 900 1209600 3600
@ NS ns
ns A 192.0.2.53
; RFC 2874 §3.1.1 examples, a prefix length not a multiple of 8, 128.
a6 A6 64 ::1:11:111:1111 SUBNET-1.IP6.X.EXAMPLE.
a6 A6 0 2345:00C1:CA11:1:1:11:111:1111
a6 A6 65 ::7f00:0:0:1 x.example.
a6 A6 128 x.example.
; Address bits inside the prefix are dropped ("set to zero when loading").
a6b A6 65 ffff::ffff:0:0:1 x.example.
; RFC 8777 §4.3.2.
amt AMTRELAY 10 0 1 203.0.113.15
amt AMTRELAY 10 0 2 2001:db8::15
amt AMTRELAY 128 1 3 amtrelays.example.com.
amt AMTRELAY 0 1 0 .
; A relay type RFC 8777 leaves undefined: RFC 3597 form only.
amt2 AMTRELAY \# 4 0a84abcd
; RFC 3123 §8, bits past the prefix, and the empty list.
apl APL 1:192.168.32.0/21 !1:192.168.38.0/28
apl APL 1:224.0.0.0/4 2:FF00:0:0:0:0:0:0:0/8
apl APL 1:10.1.2.3/8
apl APL
; RFC 8005 §6.
hip HIP ( 2 200100107B1A74DF365639CC39F1D578
          AwEAAbdxyhNuSutc5EMzxTs9LBPCIkOFH8cIvM4p9+LrV4e19WzK00+CI6zBCQTdtWsuxKbWIy87UOoJTwkUs7lBu+Upr1gsNrut79ryra+bSRGQb1slImA8YVJyuIDsj7kwzG7jnERNqnWxZ48AWkskmdHaVDP4BcelrTI3rMXdXF5D
          rvs1.example.com. rvs2.example.com. )
hip2 HIP 2 200100107B1A74DF365639CC39F1D578 AQID
; Service names BIND takes from /etc/services, we from a fixed table.
wks WKS 10.0.0.1 tcp ftp smtp 80 65535
wks WKS 10.0.0.2 UDP domain 0
wks WKS 10.0.0.3 17
; RFC 9460 Appendix A.1: two levels of escapes in value lists.
svc SVCB 1 . alpn="a\\\\b,h2"
svc SVCB 2 . alpn=a\\,b
svc SVCB 3 . alpn="a\,b" port=0
svc SVCB 4 . alpn="part1,part2,part3\\,part4\\\\"
; RFC 4025 §3.2.
ipsec IPSECKEY 10 1 2 192.0.2.38 AQNRU3mG7TVTO2BkR47usntb102uFJtugbo6BSGvgqt4AQ==
ipsec IPSECKEY 10 0 2 . AQNRU3mG7TVTO2BkR47usntb102uFJtugbo6BSGvgqt4AQ==
; RFC 3597 form of known types: written in their own form.
gen A \# 4 0a000001
gen MX \# 5 000a016100
"#;

fn read(text: &[u8], what: &str) -> Records {
    let opts = ReadOptions {
        origin: Some(zonesign::name::Name::from_ascii(ORIGIN).expect("origin")),
        ..ReadOptions::default()
    };
    let mut out = Records::new();
    read_zone_bytes(text, what, &opts, &mut |r| {
        out.insert((r.owner.to_string(), r.rtype, r.rdata.to_vec()));
    })
    .unwrap_or_else(|e| panic!("reading {what}: {e:?}"));
    out
}

fn emit(zone: &Path, out: &Path) -> String {
    let o = zonesign([
        "check".as_ref(),
        zone.as_os_str(),
        "--emit".as_ref(),
        out.as_os_str(),
    ]);
    assert_eq!(o.status.code(), Some(0), "check: {}", text(&o.stderr));
    std::fs::read_to_string(out).expect("emitted file")
}

fn bind_dump(zone: &Path) -> String {
    require_tool("named-compilezone", "bind9-utils");
    let o = Command::new("named-compilezone")
        .args(["-D", "-o", "-", ORIGIN])
        .arg(zone)
        .output()
        .expect("named-compilezone");
    assert!(o.status.success(), "named-compilezone: {}", text(&o.stdout));
    // stdout is the dump, then BIND's own "zone ... loaded" / "OK" lines.
    text(&o.stdout)
        .lines()
        .filter(|l| !l.starts_with("zone ") && *l != "OK")
        .map(|l| format!("{l}\n"))
        .collect()
}

fn diff(a: &Records, b: &Records) -> String {
    let show = |(o, t, r): &(String, u16, Vec<u8>)| {
        let mut s = String::new();
        zonesign::rdata::write_rdata(*t, r, &mut s);
        format!("{o} {} {s}", zonesign::rdata::type_mnemonic(*t))
    };
    let only_a: Vec<String> = a.difference(b).map(show).collect();
    let only_b: Vec<String> = b.difference(a).map(show).collect();
    format!("only ours: {only_a:#?}\nonly theirs: {only_b:#?}")
}

#[test]
fn bind_and_zonesign_agree_on_wire_rdata() {
    let dir = tempfile::tempdir().expect("tempdir");
    let zone = write(dir.path(), "z.zone", ZONE);
    let source = read(ZONE.as_bytes(), "source");
    assert_eq!(source.len(), 30, "records in the test zone");
    let ours = emit(&zone, &dir.path().join("ours"));
    let ours = read(ours.as_bytes(), "zonesign --emit");
    let bind = bind_dump(&zone);
    let theirs = read(bind.as_bytes(), "named-compilezone -D");
    assert!(
        ours == source,
        "emit changed the zone\n{}",
        diff(&ours, &source)
    );
    assert!(ours == theirs, "BIND differs\n{}", diff(&ours, &theirs));
}

/// What the emitted text says for the RFC 3597 and escape cases.
#[test]
fn emitted_text_forms() {
    let dir = tempfile::tempdir().expect("tempdir");
    let zone = write(dir.path(), "z.zone", ZONE);
    let out = emit(&zone, &dir.path().join("ours"));
    for line in [
        "gen.example.com.\t3600\tIN\tA\t10.0.0.1",
        "gen.example.com.\t3600\tIN\tMX\t10 a.",
        "amt2.example.com.\t3600\tIN\tAMTRELAY\t\\# 4 0a84abcd",
        "a6b.example.com.\t3600\tIN\tA6\t65 ::7fff:0:0:1 x.example.",
        "a6.example.com.\t3600\tIN\tA6\t128 x.example.",
        r"svc.example.com.	3600	IN	SVCB	1 . alpn=a\\\\b,h2",
        r"svc.example.com.	3600	IN	SVCB	2 . alpn=a\\,b",
        "svc.example.com.\t3600\tIN\tSVCB\t3 . alpn=a,b port=0",
        "wks.example.com.\t3600\tIN\tWKS\t10.0.0.1 6 21 25 80 65535",
        "apl.example.com.\t3600\tIN\tAPL\t1:224.0.0.0/4 2:ff00::/8",
    ] {
        assert!(
            out.lines().any(|l| l.trim_end() == line),
            "no line {line:?} in\n{out}"
        );
    }
}

/// ldns prints the wire form itself (`-u TYPE`); our reading of the zone
/// must match it for the types it has (it has no A6, AMTRELAY or WKS, and
/// its SVCB list escapes are one level, not RFC 9460's two).
#[test]
fn ldns_agrees_on_apl_hip_ipseckey() {
    require_tool("ldns-read-zone", "ldnsutils");
    let dir = tempfile::tempdir().expect("tempdir");
    let wanted = ["apl", "hip", "hip2", "ipsec", "@", "ns"];
    let subset: String = ZONE
        .lines()
        .filter(|l| {
            l.starts_with('$')
                || l.starts_with(' ')
                || wanted.iter().any(|w| l.starts_with(&format!("{w} ")))
        })
        .map(|l| format!("{l}\n"))
        .collect();
    let zone = write(dir.path(), "sub.zone", &subset);
    let o = Command::new("ldns-read-zone")
        .args(["-u", "APL", "-u", "HIP", "-u", "IPSECKEY"])
        .arg(&zone)
        .output()
        .expect("ldns-read-zone");
    assert!(o.status.success(), "ldns-read-zone: {}", text(&o.stderr));
    let dump = text(&o.stdout);
    assert!(
        dump.contains("TYPE42"),
        "ldns did not write APL generically:\n{dump}"
    );
    let theirs = read(dump.as_bytes(), "ldns-read-zone -u");
    let ours = read(subset.as_bytes(), "subset");
    assert_eq!(ours.len(), 11);
    assert!(ours == theirs, "ldns differs\n{}", diff(&ours, &theirs));
}

/// One bad record in an otherwise good zone: is it refused?
fn refused(dir: &Path, record: &str) -> (bool, Option<bool>) {
    let zone = write(
        dir,
        "bad.zone",
        &format!("$ORIGIN example.com.\n$TTL 1\n@ SOA ns hm 1 2 3 4 5\n@ NS ns.example.net.\nx {record}\n"),
    );
    let ours = !zonesign(["check".as_ref(), zone.as_os_str()])
        .status
        .success();
    let bind = Command::new("named-compilezone")
        .args(["-D", "-o", "/dev/null", ORIGIN])
        .arg(&zone)
        .output()
        .ok()
        .map(|o| !o.status.success());
    (ours, bind)
}

/// RDATA invalid for its type is refused by both, in the RFC 3597 form as
/// in text; where BIND accepts, the RFC says otherwise (noted per case).
#[test]
fn both_refuse_invalid_rdata() {
    require_tool("named-compilezone", "bind9-utils");
    let dir = tempfile::tempdir().expect("tempdir");
    for record in [
        r"A \# 0",
        r"SOA \# 0",
        r"DS \# 0",
        r"TXT \# 0",
        r"SVCB \# 2 0001",
        // Compression pointers (RFC 3597 §4).
        r"MX \# 4 000ac00c",
        r"NS \# 2 c00c",
        // APL with a trailing zero octet (RFC 3123 §4.1).
        r"APL \# 6 000108020a00",
        // WKS bitmap with a trailing zero octet.
        r"WKS \# 7 0a000001064000",
        // AMTRELAY type 0 with relay octets.
        r"AMTRELAY \# 3 0a0000",
        // A6 with a pad bit set (RFC 2874 §3.1.1).
        r"A6 \# 10 41800000000000000100",
        r"HIP \# 4 00020000",
        r"AMTRELAY 10 0 4 x",
        "SVCB 1 . PORT=1",
        "A6 0 2001:db8::1 x.",
    ] {
        assert_eq!(refused(dir.path(), record), (true, Some(true)), "{record}");
    }
    // BIND accepts these; we follow the RFCs. RFC 4025 §2.4: algorithm 0
    // means no key. RFC 9460 Appendix A.1: `a\\b` decodes to `a\b`, and a
    // backslash before `b` is outside the list grammar (BIND drops it).
    for record in [
        r"IPSECKEY \# 10 0a0100c0000226010203",
        "IPSECKEY 10 1 0 192.0.2.38 AQID",
        r"SVCB 1 . alpn=a\\b",
    ] {
        assert_eq!(refused(dir.path(), record), (true, Some(false)), "{record}");
    }
}
