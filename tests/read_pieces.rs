//! Reading a zone file in parallel pieces must give exactly what one
//! sequential read gives: the same records in the same order with the same
//! positions, the same model, or the same errors. Each case also says
//! whether the pieces were used or the file was (rightly) read again in
//! one piece.

mod common;

use std::path::{Path, PathBuf};

use common::{interop_testdata, project_root, rec, Rec};
use zonesign::check::CheckReport;
use zonesign::name::Name;
use zonesign::zone::load::read_zone_into_pieces;
use zonesign::zone::BuildOptions;
use zonesign::zonefile::{read_zone, read_zone_in_pieces, ReadOptions};

fn opts(origin: Option<&str>, pieces: usize) -> ReadOptions {
    ReadOptions {
        origin: origin.map(|o| Name::from_ascii(o).expect("origin")),
        default_ttl: None,
        pieces,
        ..Default::default()
    }
}

fn sequential(path: &Path, origin: Option<&str>) -> Result<Vec<Rec>, String> {
    let mut out = Vec::new();
    read_zone(path, &opts(origin, 1), &mut |r| out.push(rec(r)))
        .map(|_| out)
        .map_err(|e| e.to_string())
}

/// Records per piece (one list per sink), or the errors.
fn in_pieces(path: &Path, origin: Option<&str>, pieces: usize) -> Result<Vec<Vec<Rec>>, String> {
    read_zone_in_pieces(
        path,
        &opts(origin, pieces),
        |_, _| Vec::new(),
        |v: &mut Vec<Rec>, r| v.push(rec(r)),
    )
    .map(|(_, sinks)| sinks)
    .map_err(|e| e.to_string())
}

/// Asserts agreement for several piece counts; returns how many pieces the
/// largest count was actually read in.
fn agrees(path: &Path, origin: Option<&str>) -> usize {
    let want = sequential(path, origin);
    let mut used = 0;
    for pieces in [2, 3, 5, 16, 200] {
        let got = in_pieces(path, origin, pieces);
        match (&want, &got) {
            (Ok(w), Ok(g)) => {
                let flat: Vec<Rec> = g.concat();
                assert_eq!(w, &flat, "{} in {pieces} pieces differs", path.display());
                used = g.len();
            }
            (Err(w), Err(g)) => assert_eq!(w, g, "{} errors differ", path.display()),
            _ => panic!(
                "{} in {pieces} pieces: sequential {:?} vs pieces {:?}",
                path.display(),
                want.as_ref().map(Vec::len),
                got.as_ref().map(Vec::len)
            ),
        }
    }
    used
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).expect("write");
    p
}

#[test]
fn pieces_agree_on_every_zone_we_have() {
    let mut files: Vec<PathBuf> = Vec::new();
    for dir in [
        project_root().join("testdata"),
        interop_testdata().join("zones"),
        interop_testdata().join("signed"),
        interop_testdata().join("broken"),
    ] {
        for e in std::fs::read_dir(&dir).expect("read_dir") {
            let p = e.expect("entry").path();
            if p.extension().is_some_and(|x| x == "zone") {
                files.push(p);
            }
        }
    }
    files.sort();
    assert!(files.len() > 60, "found only {} zones", files.len());
    let mut split = 0;
    for f in &files {
        if agrees(f, None) > 1 {
            split += 1;
        }
    }
    // Most of these have a $TTL or a TTL on every line and no $INCLUDE, so
    // they really are read in pieces.
    assert!(
        split * 2 > files.len(),
        "only {split} of {} read in pieces",
        files.len()
    );
}

#[test]
fn state_carries_across_pieces() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut text = String::from("$ORIGIN example.\n$TTL 300\n@ SOA ns hm 1 2 3 4 5\n  NS ns\n");
    for i in 0..200 {
        if i % 50 == 0 {
            text.push_str(&format!("$ORIGIN s{i}.example.\n$TTL {}\n", 100 + i));
        }
        // Blank owners, explicit TTLs and classes, comments, relative and
        // absolute names, parentheses on one line.
        text.push_str(&format!(
            "h{i} A 192.0.2.{}\n  IN TXT \"t {i}\" ; c\nx{i}.example. {} IN AAAA ( 2001:db8::{i:x} )\n\n; only a comment\n",
            i % 250,
            i + 1
        ));
    }
    let p = write(dir.path(), "z.zone", &text);
    assert!(agrees(&p, None) > 100);
}

#[test]
fn what_the_scan_cannot_know_is_read_in_one_piece() {
    let dir = tempfile::tempdir().expect("tempdir");
    let body = |f: &dyn Fn(usize) -> String| (0..100).map(f).collect::<String>();
    // No $TTL: a record without a TTL takes the last explicit one, which a
    // later piece cannot know.
    let no_ttl = format!(
        "$ORIGIN example.\n@ 60 SOA ns hm 1 2 3 4 5\n{}",
        body(&|i| if i % 7 == 0 {
            format!("a{i} {i} A 192.0.2.1\n")
        } else {
            format!("a{i} A 192.0.2.1\n")
        })
    );
    // No $TTL and a TTL-less SOA: its MINIMUM becomes the default (RFC 2308).
    let soa_min = format!(
        "$ORIGIN example.\n@ SOA ns hm 1 2 3 4 77\n{}",
        body(&|i| format!("a{i} A 192.0.2.1\n"))
    );
    // Parentheses spanning lines whose next line looks like an owner.
    let parens = format!(
        "$ORIGIN example.\n$TTL 1\n@ SOA ns hm 1 2 3 4 5\n{}",
        body(&|i| format!("t{i} TXT ( \"a\"\nb{i} )\n"))
    );
    // A zone of another class: a later piece cannot tell a class-less
    // record's class.
    let chaos = format!(
        "$ORIGIN example.\n$TTL 1\n@ CH SOA ns hm 1 2 3 4 5\n{}",
        body(&|i| format!("a{i} TXT \"x\"\n"))
    );
    let include = format!(
        "$ORIGIN example.\n$TTL 1\n@ SOA ns hm 1 2 3 4 5\n$INCLUDE inc.zone\n{}",
        body(&|i| format!("a{i} A 192.0.2.1\n"))
    );
    write(dir.path(), "inc.zone", "$TTL 9\ninc A 192.0.2.9\n");
    for (name, text) in [
        ("no_ttl", no_ttl),
        ("soa_min", soa_min),
        ("parens", parens),
        ("chaos", chaos),
        ("include", include),
    ] {
        let p = write(dir.path(), &format!("{name}.zone"), &text);
        assert_eq!(agrees(&p, None), 1, "{name} must be read in one piece");
    }
}

#[test]
fn errors_are_those_of_one_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut text = String::from("$ORIGIN example.\n$TTL 1\n@ SOA ns hm 1 2 3 4 5\n");
    for i in 0..300 {
        text.push_str(&match i {
            40 => "bad A 300.1.1.1\n".to_string(),
            150 => "u ( A 192.0.2.1\n".to_string(),
            260 => "x BOGUS 1\n".to_string(),
            _ => format!("a{i} A 192.0.2.1\n"),
        });
    }
    let p = write(dir.path(), "bad.zone", &text);
    let want = sequential(&p, None).expect_err("bad zone");
    for pieces in [2, 7, 40] {
        assert_eq!(in_pieces(&p, None, pieces).expect_err("bad zone"), want);
    }
}

#[test]
fn model_and_report_are_the_same() {
    let dir = tempfile::tempdir().expect("tempdir");
    let zone = project_root().join("testdata/example.com.zone");
    let big = dir.path().join("gen.zone");
    let ok = std::process::Command::new("python3")
        .arg(project_root().join("scripts/genzone.py"))
        .args(["--names", "3000", "--seed", "7", "--plain", "--out"])
        .arg(&big)
        .status()
        .expect("run genzone.py");
    assert!(ok.success());
    for path in [zone, big] {
        let load = |pieces| {
            let (b, sources, apex) =
                read_zone_into_pieces(&path, None, BuildOptions::default(), pieces).expect("read");
            let zone = b.finish(&apex, sources).expect("model");
            let mut text = Vec::new();
            zonesign::output::write_zone_text(&zone, &mut text).expect("emit");
            let report =
                serde_json::to_string(&CheckReport::new(&zone, Some(604_800))).expect("json");
            (text, report)
        };
        let one = load(1);
        for pieces in [2, 9, 64] {
            let got = load(pieces);
            assert!(
                got.0 == one.0,
                "{}: emitted zone differs in {pieces} pieces",
                path.display()
            );
            assert_eq!(got.1, one.1, "{}: report differs", path.display());
        }
    }
}
