//! Interop with BIND for the RDATA types added to the field table for
//! issue #12 (X25 ... DLV): one zone with a record of each, read by us
//! (`check --emit`) and by `named-compilezone`. The wire RDATA is compared
//! record by record: ours against BIND's own bytes (its raw-format dump),
//! then through text in both directions (we read BIND's text dump, BIND
//! reads our emitted zone).

mod common;
use common::*;

use std::path::Path;
use std::process::Command;

use zonesign::name::Name;
use zonesign::rdata::{canonicalize_rdata, type_from_mnemonic, type_mnemonic};
use zonesign::zonefile::{read_zone, ReadOptions};

/// One record of every added type (two where the type has two forms).
/// Names in LP, TALINK, DSYNC and NSAP-PTR are in mixed case: their case
/// must survive both tools (they are not in the RFC 4034 §6.2 list).
const ZONE: &str = r#"$ORIGIN example.
$TTL 3600
@        SOA   ns hostmaster 1 3600 600 86400 300
@        NS    ns
ns       A     192.0.2.1
x25      X25   311061700956
isdn     ISDN  150862028003217
isdn2    ISDN  "150862028003217" "004"
nsap     NSAP  0x47.0005.80.005a00.0000.0001.e133.ffffff000161.00
nsapptr  NSAP-PTR Foo.Example.
gpos     GPOS  -32.6882 116.8652 10.0
eid      EID   12 89 AB
nimloc   NIMLOC 32893A
atma     ATMA  +16505551234
atma2    ATMA  39.246f.00.0e7c9c.0312.0001.0001.000012345678.00
sink     SINK  1 2 3 AAECAwQ=
sink2    SINK  1 2 3
ninfo    NINFO "foo" "bar baz"
rkey     RKEY  0 3 5 AwEAAQ==
talink   TALINK A.Example. b.example.
dsync    DSYNC CDS 1 5359 CDS-Scanner.example.net.
dsync2   DSYNC CSYNC NOTIFY 5360 csync-scanner.example.net.
hhit     HHIT  AAECAwQFBgcICQoLDA0ODw==
brid     BRID  AAECAwQ=
unspec   UNSPEC \# 3 010203
nid      NID   10 0014:4fff:ff20:ee64
l32      L32   10 10.1.2.0
l64      L64   10 2001:0DB8:1140:1000
lp       LP    10 L64-Subnet1.Example.
avc      AVC   "app-name:WOLFGANG|app-class:OAM|business=yes"
doa      DOA   0 1 2 "" aHR0cHM6Ly93d3cuaXNjLm9yZy8=
doa2     DOA   1234567890 1234567890 1 "image/gif" -
resinfo  RESINFO qnamemin exterr=15,16,17 infourl=https://resolver.example.com/guide
wallet   WALLET "BTC" "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"
ta       TA    60485 5 1 2BB183AF5F22588179A53B0A98631FAD1A292118
dlv      DLV   60485 5 1 2BB183AF5F22588179A53B0A98631FAD1A292118
"#;

/// The types under test (UNSPEC has no presentation form: `\#` everywhere).
const TYPES: &[&str] = &[
    "X25", "ISDN", "NSAP", "NSAP-PTR", "GPOS", "EID", "NIMLOC", "ATMA", "SINK", "NINFO", "RKEY",
    "TALINK", "DSYNC", "HHIT", "BRID", "UNSPEC", "NID", "L32", "L64", "LP", "AVC", "DOA",
    "RESINFO", "WALLET", "TA", "DLV",
];

/// (owner, type, class, TTL, canonical RDATA), sorted.
type Recs = Vec<(String, u16, u16, u32, Vec<u8>)>;

fn read(path: &Path) -> Recs {
    let opts = ReadOptions {
        origin: Some(Name::from_ascii("example.").expect("origin")),
        ..Default::default()
    };
    let mut out = Vec::new();
    read_zone(path, &opts, &mut |r| {
        let mut rdata = r.rdata.to_vec();
        canonicalize_rdata(r.rtype, &mut rdata);
        out.push((
            r.owner.to_string().to_ascii_lowercase(),
            r.rtype,
            r.class,
            r.ttl,
            rdata,
        ));
    })
    .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    out.sort();
    out
}

fn emit(zone: &Path, out: &Path) -> String {
    let o = zonesign([
        "check".as_ref(),
        zone.as_os_str(),
        "--origin".as_ref(),
        "example.".as_ref(),
        "--emit".as_ref(),
        out.as_os_str(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "check {}: {}",
        zone.display(),
        text(&o.stderr)
    );
    std::fs::read_to_string(out).expect("emitted zone")
}

fn named_compilezone(zone: &Path, out: &Path) -> String {
    let o = Command::new("named-compilezone")
        .args(["-i", "none", "-D", "-o"])
        .arg(out)
        .arg("example")
        .arg(zone)
        .output()
        .expect("run named-compilezone");
    assert!(
        o.status.success(),
        "named-compilezone {}: {}{}",
        zone.display(),
        text(&o.stdout),
        text(&o.stderr)
    );
    std::fs::read_to_string(out).expect("BIND dump")
}

/// BIND's own wire bytes: `named-compilezone -F raw` writes each RRset as
/// it holds it in memory (lib/dns/masterdump.c, dump_rdataset_raw), so
/// this comparison does not go through any text form. Layout: a header
/// (format, version, dump time, and for version 1 flags, source serial,
/// last transfer: 32 bits each), then per RRset: total length (32), class,
/// type, covers (16 each), TTL, count (32), owner (16-bit length, wire
/// name), and `count` times a 16-bit length and the RDATA.
fn bind_raw(zone: &Path, out: &Path) -> Recs {
    let o = Command::new("named-compilezone")
        .args(["-i", "none", "-F", "raw", "-o"])
        .arg(out)
        .arg("example")
        .arg(zone)
        .output()
        .expect("run named-compilezone");
    assert!(
        o.status.success(),
        "named-compilezone -F raw: {}",
        text(&o.stdout)
    );
    let b = std::fs::read(out).expect("raw dump");
    let u16_at = |i: usize| u16::from_be_bytes([b[i], b[i + 1]]);
    let u32_at = |i: usize| u32::from_be_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
    assert_eq!(u32_at(0), 2, "not a raw-format dump");
    let mut pos = match u32_at(4) {
        0 => 12,
        1 => 24,
        v => panic!("raw format version {v}"),
    };
    let mut recs = Vec::new();
    while pos < b.len() {
        let end = pos + u32_at(pos) as usize;
        let (class, rtype, ttl, count) = (
            u16_at(pos + 4),
            u16_at(pos + 6),
            u32_at(pos + 10),
            u32_at(pos + 14),
        );
        let nlen = u16_at(pos + 18) as usize;
        let owner = Name::from_wire(&b[pos + 20..pos + 20 + nlen]).expect("owner");
        let mut p = pos + 20 + nlen;
        for _ in 0..count {
            let len = u16_at(p) as usize;
            let mut rdata = b[p + 2..p + 2 + len].to_vec();
            canonicalize_rdata(rtype, &mut rdata);
            recs.push((
                owner.to_string().to_ascii_lowercase(),
                rtype,
                class,
                ttl,
                rdata,
            ));
            p += 2 + len;
        }
        assert_eq!(p, end, "RRset length at {pos}");
        pos = end;
    }
    recs.sort();
    recs
}

/// The records of `a` and `b` that differ, for the message.
fn diff(a: &Recs, b: &Recs) -> String {
    let fmt = |r: &(String, u16, u16, u32, Vec<u8>)| {
        let hex: String = r.4.iter().map(|x| format!("{x:02x}")).collect();
        format!("{} {} {hex}", r.0, type_mnemonic(r.1))
    };
    let only_a: Vec<String> = a.iter().filter(|r| !b.contains(r)).map(fmt).collect();
    let only_b: Vec<String> = b.iter().filter(|r| !a.contains(r)).map(fmt).collect();
    format!(
        "only left:\n  {}\nonly right:\n  {}",
        only_a.join("\n  "),
        only_b.join("\n  ")
    )
}

/// The RDATA text of each record of a listed type in a zone file written
/// one record per line (`owner ttl class type rdata`).
fn rdata_lines<'a>(zone: &'a str, rtype: &str) -> Vec<&'a str> {
    zone.lines()
        .filter_map(|l| {
            let mut f = l.split_whitespace();
            let (_, _, _, t) = (f.next()?, f.next()?, f.next()?, f.next()?);
            if t != rtype {
                return None;
            }
            let rest = l.split_once(t)?.1.trim();
            Some(rest)
        })
        .collect()
}

#[test]
fn added_types_agree_with_bind_both_ways() {
    require_tool("named-compilezone", "bind9-utils");
    let dir = tempfile::tempdir().expect("tempdir");
    let src = write(dir.path(), "zone.db", ZONE);
    let want = read(&src);
    for t in TYPES {
        let n = type_from_mnemonic(t.as_bytes()).expect("mnemonic");
        assert!(want.iter().any(|r| r.1 == n), "no {t} record in the zone");
    }

    // Ours: every added type is written in its own form (UNSPEC as \#),
    // and reads back to the same records.
    let ours_path = dir.path().join("ours.zone");
    let ours = emit(&src, &ours_path);
    for t in TYPES {
        let lines = rdata_lines(&ours, t);
        assert!(!lines.is_empty(), "no {t} line in our output:\n{ours}");
        for l in lines {
            assert_eq!(l.starts_with("\\#"), *t == "UNSPEC", "{t} written as {l:?}");
        }
    }
    let ours_recs = read(&ours_path);
    assert!(
        ours_recs == want,
        "our emitted zone:\n{}",
        diff(&want, &ours_recs)
    );

    // BIND's wire bytes for the source (no text involved): the same records.
    let raw = bind_raw(&src, &dir.path().join("bind.raw"));
    assert!(
        raw == want,
        "BIND's raw dump of the source:\n{}",
        diff(&want, &raw)
    );

    // BIND's text dump of the source, read by us: the same records.
    let bind_path = dir.path().join("bind.zone");
    let bind = named_compilezone(&src, &bind_path);
    let bind_recs = read(&bind_path);
    assert!(
        bind_recs == want,
        "BIND's dump of the source:\n{}\n{bind}",
        diff(&want, &bind_recs)
    );
    // And `check --emit` of BIND's dump is our own output, byte for byte.
    let again = emit(&bind_path, &dir.path().join("again.zone"));
    assert_eq!(
        again, ours,
        "emit of BIND's dump differs from emit of the source"
    );

    // BIND reads what we write to the same records.
    let bind_of_ours = dir.path().join("bind-of-ours.zone");
    named_compilezone(&ours_path, &bind_of_ours);
    let recs = read(&bind_of_ours);
    assert!(
        recs == want,
        "BIND's dump of our output:\n{}",
        diff(&want, &recs)
    );

    // Mixed-case names in types outside RFC 4034 §6.2 keep their case
    // through both tools.
    for (t, needle) in [
        ("LP", "L64-Subnet1.Example."),
        ("TALINK", "A.Example."),
        ("DSYNC", "CDS-Scanner.example.net."),
        ("NSAP-PTR", "Foo.Example."),
    ] {
        for (who, z) in [("ours", &ours), ("BIND", &bind)] {
            assert!(
                rdata_lines(z, t).iter().any(|l| l.contains(needle)),
                "{who} lost the case of {needle} in {t}:\n{z}"
            );
        }
    }
}

/// Input BIND refuses and RFC-strict input we refuse agree for the cases
/// where BIND checks: X25 shorter than the 4-digit DNIC, an empty E.164
/// ATMA, and a leading zero in an L32 locator.
#[test]
fn refused_by_both() {
    require_tool("named-compilezone", "bind9-utils");
    let dir = tempfile::tempdir().expect("tempdir");
    for (i, rr) in [
        "x X25 \"311\"",
        "x ATMA +",
        "x L32 10 10.1.02.0",
        "x NSAP 0x",
        "x L64 10 1:2:3",
    ]
    .iter()
    .enumerate()
    {
        let z = format!(
            "$ORIGIN example.\n$TTL 3600\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\nns A 192.0.2.1\n{rr}\n"
        );
        let path = write(dir.path(), &format!("bad{i}.db"), &z);
        let o = Command::new("named-compilezone")
            .args(["-i", "none", "-D", "-o", "/dev/null", "example"])
            .arg(&path)
            .output()
            .expect("run named-compilezone");
        assert!(!o.status.success(), "BIND accepted {rr}");
        let o = zonesign([
            "check".as_ref(),
            path.as_os_str(),
            "--origin".as_ref(),
            "example.".as_ref(),
        ]);
        assert_ne!(o.status.code(), Some(0), "zonesign accepted {rr}");
        let err = text(&o.stderr);
        assert!(
            err.contains(":6:"),
            "{rr}: error does not point at line 6: {err}"
        );
    }
}

/// The zone's SOA, NS and glue, and our emitted records of `types`.
fn subset(emitted: &str, types: &[&str]) -> String {
    let mut z = String::new();
    for l in emitted.lines() {
        let t = l.split_whitespace().nth(3).unwrap_or("");
        if ["SOA", "NS", "A"].contains(&t) || types.contains(&t) {
            z.push_str(l);
            z.push('\n');
        }
    }
    z
}

/// ldns (1.8) knows some of the added types, Knot (3.2) the ILNP ones:
/// ldns reads our output and writes it back to the same bytes (read by
/// us), and kzonecheck accepts what we write.
#[test]
fn ldns_and_knot_read_what_we_write() {
    require_tool("ldns-read-zone", "ldnsutils");
    require_tool("kzonecheck", "knot-dnssecutils");
    let dir = tempfile::tempdir().expect("tempdir");
    let src = write(dir.path(), "zone.db", ZONE);
    let ours = emit(&src, &dir.path().join("ours.zone"));

    // ldns writes NSAP-PTR's name as a quoted string, which we also read
    // as the name.
    let ldns_types = [
        "X25", "ISDN", "NSAP", "NSAP-PTR", "GPOS", "EID", "NIMLOC", "TALINK", "NID", "L32", "L64",
        "LP", "DLV",
    ];
    let part = write(dir.path(), "ldns-in.zone", &subset(&ours, &ldns_types));
    let o = Command::new("ldns-read-zone")
        .arg(&part)
        .output()
        .expect("run ldns-read-zone");
    assert!(o.status.success(), "ldns-read-zone: {}", text(&o.stderr));
    let back = write(dir.path(), "ldns-out.zone", &text(&o.stdout));
    let (want, got) = (read(&part), read(&back));
    assert_eq!(want.len(), ldns_types.len() + 4, "{}", text(&o.stdout));
    assert!(got == want, "ldns's output:\n{}", diff(&want, &got));

    let knot_types = ["NID", "L32", "L64", "LP"];
    let part = write(dir.path(), "knot.zone", &subset(&ours, &knot_types));
    let o = Command::new("kzonecheck")
        .args(["-o", "example."])
        .arg(&part)
        .output()
        .expect("run kzonecheck");
    assert!(
        o.status.success(),
        "kzonecheck: {}{}",
        text(&o.stdout),
        text(&o.stderr)
    );
}
