//! Malformed input: every case must give `file:line:column: message` for
//! the exact position, exit code 2, and write no output file.

mod common;
use common::*;

/// (name, zone text, expected line, expected column, a word the message must contain)
const CASES: &[(&str, &str, u32, u32, &str)] = &[
    ("unclosed paren", "$ORIGIN x.\n$TTL 1\n@ SOA ns hm (1 2 3 4 5\n@ NS ns\n", 3, 13, "parenthes"),
    ("close without open", "$ORIGIN x.\n$TTL 1\n@ SOA ns hm 1 2 3 4 5 )\n", 3, 23, "parenthes"),
    ("unterminated quote", "$ORIGIN x.\n$TTL 1\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\nt TXT \"abc\n", 5, 7, "quot"),
    ("bad escape in name", "$ORIGIN x.\n$TTL 1\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\na\\25 A 192.0.2.1\n", 5, 1, "escape"),
    ("ddd above 255", "$ORIGIN x.\n$TTL 1\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\na\\256 A 192.0.2.1\n", 5, 1, "255"),
    ("bad ttl unit", "$ORIGIN x.\n$TTL 1\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\nwww 1x A 192.0.2.1\n", 5, 5, "TTL"),
    ("ttl too large", "$ORIGIN x.\n$TTL 1\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\nwww 2147483648 A 192.0.2.1\n", 5, 5, "2147483647"),
    ("unknown type", "$ORIGIN x.\n$TTL 1\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\nwww IN FOO 1\n", 5, 8, "FOO"),
    ("class mismatch", "$ORIGIN x.\n$TTL 1\n@ IN SOA ns hm 1 2 3 4 5\n@ NS ns\nwww CH A 192.0.2.1\n", 5, 5, "class"),
    ("truncated mx", "$ORIGIN x.\n$TTL 1\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\nmx MX 10\n", 5, 9, "MX"),
    ("bad ipv4", "$ORIGIN x.\n$TTL 1\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\na A 192.0.2\n", 5, 5, "192.0.2"),
    ("bad ipv6", "$ORIGIN x.\n$TTL 1\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\na AAAA 2001:db8:::1\n", 5, 8, "2001:db8:::1"),
    ("bad base64", "$ORIGIN x.\n$TTL 1\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\n@ DNSKEY 256 3 13 abc*def\n", 5, 19, "base64"),
    ("bad hex", "$ORIGIN x.\n$TTL 1\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\nd DS 1 13 2 abcdefgz\n", 5, 13, "hex"),
    ("rfc3597 length", "$ORIGIN x.\n$TTL 1\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\nu TYPE65534 \\# 4 abcdef\n", 5, 16, "4"),
    ("name too long", "$ORIGIN x.\n$TTL 1\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\naaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa A 192.0.2.1\n", 5, 1, "255"),
    ("label too long", "$ORIGIN x.\n$TTL 1\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\naaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa A 192.0.2.1\n", 5, 1, "63"),
    ("empty label", "$ORIGIN x.\n$TTL 1\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\na..b A 192.0.2.1\n", 5, 1, "empty label"),
    ("cname and data", "$ORIGIN x.\n$TTL 1\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\nc CNAME a\nc A 192.0.2.1\n", 6, 3, "CNAME"),
    ("two cnames", "$ORIGIN x.\n$TTL 1\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\nc CNAME a\nc CNAME b\n", 6, 3, "CNAME"),
    ("unknown directive", "$ORIGIN x.\n$FOO bar\n", 2, 1, "$FOO"),
    ("ttl directive empty", "$ORIGIN x.\n$TTL\n", 2, 1, "$TTL"),
    ("origin directive empty", "$ORIGIN\n", 1, 1, "$ORIGIN"),
    ("generate bad range", "$ORIGIN x.\n$TTL 1\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\n$GENERATE 5-1 h$ A 192.0.2.$\n", 5, 11, "range"),
    ("generate offset overflow", "$ORIGIN x.\n$TTL 1\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\n$GENERATE 1-2 h${2147483647} A 192.0.2.1\n", 5, 15, "out of range"),
    ("generate bad modifier", "$ORIGIN x.\n$TTL 1\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\n$GENERATE 1-2 h${0,2,q} A 192.0.2.$\n", 5, 15, "base"),
    ("no origin for relative", "$TTL 1\nwww A 192.0.2.1\n", 2, 1, "origin"),
    ("blank first owner", "$ORIGIN x.\n$TTL 1\n  A 192.0.2.1\n", 3, 1, "owner"),
    ("no ttl anywhere", "$ORIGIN x.\na A 192.0.2.1\n", 2, 1, "TTL"),
    ("txt string too long", "$ORIGIN x.\n$TTL 1\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\nt TXT aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n", 5, 7, "255"),
    ("mx preference not a number", "$ORIGIN x.\n$TTL 1\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\nm MX ten mail\n", 5, 6, "ten"),
    ("extra field", "$ORIGIN x.\n$TTL 1\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\na A 192.0.2.1 5\n", 5, 15, "5"),
    ("no soa", "$ORIGIN x.\n$TTL 1\n@ NS ns\n", 1, 1, "SOA"),
    ("two soa", "$ORIGIN x.\n$TTL 1\n@ SOA ns hm 1 2 3 4 5\n@ SOA ns hm 2 2 3 4 5\n@ NS ns\n", 4, 3, "SOA"),
    ("soa missing fields", "$ORIGIN x.\n$TTL 1\n@ SOA ns hm 1 2 3\n", 3, 18, "SOA"),
    ("missing type", "$ORIGIN x.\n$TTL 1\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\nwww IN 300\n", 5, 11, "type"),
    ("rrsig bad time", "$ORIGIN x.\n$TTL 1\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\n@ RRSIG A 13 1 300 2026131300000 20260101000000 1 x. AAAA\n", 5, 20, "expiration"),
    ("nsec3 bad base32", "$ORIGIN x.\n$TTL 1\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\nh NSEC3 1 0 0 - zzzz A\n", 5, 17, "base32"),
    ("svcb duplicate key", "$ORIGIN x.\n$TTL 1\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\ns SVCB 1 . port=1 port=2\n", 5, 19, "port"),
    ("caa bad tag", "$ORIGIN x.\n$TTL 1\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\n@ CAA 0 is-sue \"x\"\n", 5, 9, "tag"),
    ("bad class number", "$ORIGIN x.\n$TTL 1\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\nwww CLASS99999 A 192.0.2.1\n", 5, 5, "CLASS99999"),
];

#[test]
fn malformed_inputs_report_exact_positions() {
    assert!(CASES.len() >= 30);
    let dir = tempfile::tempdir().expect("tempdir");
    let mut failures = Vec::new();
    for (i, (name, zone, line, col, word)) in CASES.iter().enumerate() {
        let path = write(dir.path(), &format!("case{i}.zone"), zone);
        let emit = dir.path().join(format!("case{i}.out"));
        let out = zonesign([
            "check".as_ref(),
            path.as_os_str(),
            "--emit".as_ref(),
            emit.as_os_str(),
        ]);
        let err = text(&out.stderr);
        let want = format!("{}:{line}:{col}: ", path.display());
        let first = err.lines().next().unwrap_or("").to_string();
        let ok = out.status.code() == Some(2)
            && first.starts_with(&want)
            && first.to_lowercase().contains(&word.to_lowercase())
            && !emit.exists();
        if !ok {
            failures.push(format!(
                "{name}: exit {:?}, want prefix {want:?} containing {word:?}, got {first:?}, emit exists {}",
                out.status.code(),
                emit.exists()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn include_loop_names_the_chain() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "a.zone",
        "$ORIGIN x.\n$TTL 1\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\n$INCLUDE b.inc\n",
    );
    write(dir.path(), "b.inc", "www A 192.0.2.1\n$INCLUDE a.zone\n");
    let out = zonesign(["check".as_ref(), dir.path().join("a.zone").as_os_str()]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    let b = dir.path().join("b.inc");
    assert!(
        err.starts_with(&format!("{}:2:10: $INCLUDE loop", b.display())),
        "{err}"
    );
    assert!(err.contains("(included from"), "{err}");
}

#[test]
fn missing_include_points_at_the_directive() {
    let dir = tempfile::tempdir().expect("tempdir");
    let a = write(
        dir.path(),
        "a.zone",
        "$ORIGIN x.\n$TTL 1\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\n$INCLUDE nope.inc\n",
    );
    let out = zonesign(["check".as_ref(), a.as_os_str()]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.starts_with(&format!("{}:5:10: cannot read included file", a.display())),
        "{err}"
    );
}

#[test]
fn error_inside_include_shows_chain() {
    let dir = tempfile::tempdir().expect("tempdir");
    let a = write(
        dir.path(),
        "a.zone",
        "$ORIGIN x.\n$TTL 1\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\n$INCLUDE b.inc\n",
    );
    write(dir.path(), "b.inc", "; comment\nwww A 300.1.1.1\n");
    let out = zonesign(["check".as_ref(), a.as_os_str()]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    let want = format!("{}:2:7: ", dir.path().join("b.inc").display());
    assert!(err.starts_with(&want), "{err}");
    assert!(
        err.contains(&format!("(included from {}:5)", a.display())),
        "{err}"
    );
}

#[test]
fn every_error_is_reported_not_just_the_first() {
    let dir = tempfile::tempdir().expect("tempdir");
    let a = write(
        dir.path(),
        "a.zone",
        "$ORIGIN x.\n$TTL 1\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\na A 1.2.3\nb A 1.2.3.4.5\nc AAAA zz\n",
    );
    let out = zonesign(["check".as_ref(), a.as_os_str()]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert_eq!(err.lines().count(), 3, "{err}");
}

#[test]
fn missing_zone_file_is_an_input_error() {
    let out = zonesign(["check", "/nonexistent/zone.db"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("/nonexistent/zone.db"));
}

#[test]
fn failed_emit_keeps_old_output() {
    let dir = tempfile::tempdir().expect("tempdir");
    let a = write(
        dir.path(),
        "a.zone",
        "$ORIGIN x.\n$TTL 1\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\na A 1.2.3\n",
    );
    let emit = write(dir.path(), "old.out", "previous content\n");
    let out = zonesign([
        "check".as_ref(),
        a.as_os_str(),
        "--emit".as_ref(),
        emit.as_os_str(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        std::fs::read_to_string(&emit).expect("read"),
        "previous content\n"
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .expect("dir")
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty());
}
