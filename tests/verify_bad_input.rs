//! Bad input to `zonesign verify`: exit 2 with `file:line:column`.

mod common;

use std::path::PathBuf;

fn data() -> PathBuf {
    common::project_root().join("testdata/verify")
}

fn run(args: &[&str]) -> (i32, String, String) {
    let out = common::zonesign(args);
    (
        out.status.code().expect("exit code"),
        common::text(&out.stdout),
        common::text(&out.stderr),
    )
}

#[test]
fn truncated_zone_is_exit_2_with_position() {
    let src = std::fs::read_to_string(data().join("signed/example.bind.alg13.nsec.zone")).unwrap();
    // Cut inside the SOA's parentheses: the entry never ends.
    let cut = src
        .find("3600       ; retry")
        .expect("SOA in multi-line form");
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("truncated.zone");
    std::fs::write(&p, &src[..cut]).unwrap();
    let (code, out, err) = run(&["verify", p.to_str().unwrap()]);
    assert_eq!(code, 2, "{out}{err}");
    let first = err.lines().next().unwrap_or("");
    let prefix = format!("{}:", p.display());
    assert!(first.starts_with(&prefix), "{err}");
    let pos: Vec<&str> = first[prefix.len()..].splitn(3, ':').collect();
    assert!(
        pos[0].parse::<u32>().is_ok() && pos[1].parse::<u32>().is_ok(),
        "{first}"
    );
    assert!(out.is_empty());
}

#[test]
fn garbage_ds_file_is_exit_2_with_position() {
    let dir = tempfile::tempdir().unwrap();
    let ds = dir.path().join("garbage.ds");
    std::fs::write(&ds, "example.com. IN DS 34808 13 2 ZZZZ-not-hex\n").unwrap();
    let z = data().join("signed/example.bind.alg13.nsec.zone");
    let (code, _, err) = run(&["verify", z.to_str().unwrap(), "--ds", ds.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert!(err.starts_with(&format!("{}:1:", ds.display())), "{err}");
    assert!(
        !err.contains("wrapper") && !err.contains("included from"),
        "{err}"
    );

    std::fs::write(&ds, "this is not a zone file at all (\n").unwrap();
    let (code, _, err) = run(&["verify", z.to_str().unwrap(), "--ds", ds.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert!(err.starts_with(&format!("{}:", ds.display())), "{err}");
}

#[test]
fn ds_for_another_zone_is_exit_2_with_position() {
    let dir = tempfile::tempdir().unwrap();
    let ds = dir.path().join("other.ds");
    std::fs::write(
        &ds,
        "; a DS set for the wrong zone\n\
         example.net. IN DS 34808 13 2 607425B968847AC5068B164A452B386D0D2FACCC959B6A22C38CCF9218799A70\n",
    )
    .unwrap();
    let z = data().join("signed/example.bind.alg13.nsec.zone");
    let (code, _, err) = run(&["verify", z.to_str().unwrap(), "--ds", ds.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert!(err.starts_with(&format!("{}:2:1: ", ds.display())), "{err}");
    assert!(
        err.contains("example.net.") && err.contains("another zone"),
        "{err}"
    );
}

#[test]
fn missing_or_empty_ds_file_is_exit_2() {
    let z = data().join("signed/example.bind.alg13.nsec.zone");
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.ds");
    let (code, _, err) = run(&[
        "verify",
        z.to_str().unwrap(),
        "--ds",
        missing.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("nope.ds:1:1"), "{err}");
    let empty = dir.path().join("empty.ds");
    std::fs::write(&empty, "; nothing\n").unwrap();
    let (code, _, err) = run(&[
        "verify",
        z.to_str().unwrap(),
        "--ds",
        empty.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("no DS records"), "{err}");
}

#[test]
fn usage_errors_are_exit_2() {
    let z = data().join("signed/example.bind.alg13.nsec.zone");
    let z = z.to_str().unwrap();
    let ds = data().join("keys/bind.alg13/dsset-example.com.");
    for args in [
        vec!["verify", z, "--now", "yesterday"],
        vec!["verify", z, "--warn-expiry", "7x"],
        vec!["verify", z, "--dnskey-only", "--ds", ds.to_str().unwrap()],
        vec!["verify", z, "--format", "xml"],
        vec!["verify", z, "--threads", "0"],
        vec!["verify", "/nonexistent/zone"],
    ] {
        let (code, _, err) = run(&args);
        assert_eq!(code, 2, "{args:?}: {err}");
    }
}

#[test]
fn trust_anchor_file_of_dnskeys() {
    // The KSK's DNSKEY record as a trust anchor (taken from the zone).
    let zpath = data().join("signed/example.ldns.alg13.nsec.zone");
    let z = std::fs::read_to_string(&zpath).unwrap();
    let ksk = z
        .lines()
        .find(|l| l.contains("\tDNSKEY\t257 "))
        .expect("KSK line");
    let dir = tempfile::tempdir().unwrap();
    let ta = dir.path().join("ta.key");
    std::fs::write(&ta, format!("{ksk}\n")).unwrap();
    let (code, out, err) = run(&[
        "verify",
        zpath.to_str().unwrap(),
        "--now",
        "20300101000000",
        "--trust-anchor",
        ta.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("trust: trust anchor"), "{out}");
    // A DNSKEY the zone does not have: exit 1, trust-anchor-no-matching-dnskey.
    let other = ksk.replace("257 3 13 ", "257 3 13 AAAA");
    std::fs::write(&ta, format!("{other}\n")).unwrap();
    let (code, out, _) = run(&[
        "verify",
        zpath.to_str().unwrap(),
        "--now",
        "20300101000000",
        "--trust-anchor",
        ta.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("trust-anchor-no-matching-dnskey"), "{out}");
}
