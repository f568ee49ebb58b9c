//! Issue #14: re-signing from a previous signed output (`--previous`).
//! Unchanged RRsets keep their signatures byte for byte, changed ones and
//! their denial records are signed afresh, the SOA serial moves only when
//! the output changes, and a signature that does not verify is never kept.
//! Counts come from the JSON report; every output passes the peers.

mod common;
use common::*;
use std::path::{Path, PathBuf};

/// A small zone with a delegation, glue and a wildcard (no data below a
/// cut: Knot's policy would refuse it).
const ZONE: &str = "$ORIGIN example.com.
$TTL 3600
@ IN SOA ns1 hostmaster 2026120101 7200 3600 1209600 300
@ IN NS ns1
@ IN MX 10 mail
ns1 IN A 192.0.2.1
mail IN A 192.0.2.25
www IN A 192.0.2.80
www IN AAAA 2001:db8::80
*.wild IN TXT \"wildcard\"
sub IN NS ns.sub
ns.sub IN A 192.0.2.53
";

struct Setup {
    dir: tempfile::TempDir,
    keys: PathBuf,
}

impl Setup {
    /// Keys of `alg` for example.com. in a fresh directory.
    fn new(alg: &str) -> Setup {
        let dir = tempfile::tempdir().expect("tempdir");
        let keys = dir.path().join("keys");
        std::fs::create_dir(&keys).expect("mkdir");
        for ksk in [true, false] {
            let mut args = vec!["keygen", "-a", alg, "-K"];
            let k = keys.to_str().expect("utf-8 path");
            args.push(k);
            if ksk {
                args.push("--ksk");
            }
            args.push("example.com");
            let o = zonesign(&args);
            assert!(o.status.success(), "keygen: {}", text(&o.stderr));
        }
        Setup { dir, keys }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn zone(&self, name: &str, content: &str) -> PathBuf {
        write(self.dir.path(), name, content)
    }

    /// Signs `zone` into `out`, with `extra` flags; the JSON report.
    fn sign(&self, zone: &Path, out: &str, extra: &[&str]) -> serde_json::Value {
        let (code, r) = json_run(
            &[
                "sign",
                &zone.display().to_string(),
                "--keys",
                &self.keys.display().to_string(),
                "-f",
                &self.path(out).display().to_string(),
                "--ds-out",
                &self.path("dsset").display().to_string(),
                "--report",
                "json",
            ],
            extra,
        );
        assert_eq!(code, 0, "sign {zone:?} {extra:?}: {r}");
        r
    }

    fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.path(name)).expect("signed output")
    }
}

fn count(r: &serde_json::Value, field: &str) -> u64 {
    r[field]
        .as_u64()
        .unwrap_or_else(|| panic!("no {field} in {r}"))
}

fn renewed(r: &serde_json::Value, why: &str) -> u64 {
    r["renewed"][why]
        .as_u64()
        .unwrap_or_else(|| panic!("no renewed.{why} in {r}"))
}

/// The lines of `a` that are not in `b` (as sets), owner and type only.
fn changed_rrs(a: &str, b: &str) -> Vec<String> {
    let lines_b: std::collections::HashSet<&str> = b.lines().collect();
    let mut out: Vec<String> = a
        .lines()
        .filter(|l| !l.starts_with(';') && !lines_b.contains(l))
        .map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            match f.get(3) {
                Some(&"RRSIG") => format!("{} RRSIG {}", f[0], f[4]),
                _ => format!("{} {}", f[0], f.get(3).unwrap_or(&"")),
            }
        })
        .collect();
    out.sort();
    out
}

#[test]
fn an_unchanged_zone_comes_out_byte_identical_for_every_denial() {
    for (alg, denial) in [
        ("13", &[][..]),
        ("13", &["--nsec3", "--opt-out"][..]),
        ("15", &["--nsec3", "--salt", "abcd"][..]),
        ("13", &["--zonemd", "sha384"][..]),
    ] {
        let s = Setup::new(alg);
        let zone = s.zone("z.zone", ZONE);
        let first = s.sign(&zone, "a.signed", denial);
        let prev = s.path("a.signed").display().to_string();
        let mut args = denial.to_vec();
        args.extend([
            "--previous",
            &prev,
            "--now",
            "now+1d",
            "--serial",
            "increment",
        ]);
        let again = s.sign(&zone, "b.signed", &args);
        assert_eq!(
            s.read("a.signed"),
            s.read("b.signed"),
            "alg {alg} {denial:?}"
        );
        assert_eq!(count(&again, "rrsigs_new"), 0, "{again}");
        assert_eq!(count(&again, "rrsigs_kept"), count(&first, "rrsigs"));
        assert_eq!(count(&again, "rrsigs"), count(&first, "rrsigs"));
        assert_eq!(again["serial"], first["serial"], "unchanged: same serial");
    }
}

#[test]
fn the_output_file_itself_can_be_the_previous_one() {
    let s = Setup::new("13");
    let zone = s.zone("z.zone", ZONE);
    s.sign(&zone, "z.signed", &[]);
    let before = s.read("z.signed");
    let prev = s.path("z.signed").display().to_string();
    let r = s.sign(&zone, "z.signed", &["--previous", &prev]);
    assert_eq!(count(&r, "rrsigs_new"), 0, "{r}");
    assert_eq!(before, s.read("z.signed"));
}

#[test]
fn a_one_record_change_resigns_that_rrset_and_the_soa_only() {
    let s = Setup::new("13");
    let zone = s.zone("z.zone", ZONE);
    let first = s.sign(&zone, "a.signed", &[]);
    let prev = s.path("a.signed").display().to_string();
    let edited = s.zone("z2.zone", &ZONE.replace("192.0.2.80", "198.51.100.80"));
    let r = s.sign(
        &edited,
        "b.signed",
        &["--previous", &prev, "--serial", "increment"],
    );
    // The www A RRset and the SOA (its serial moved): one ZSK each.
    assert_eq!(count(&r, "rrsigs_new"), 2, "{r}");
    assert_eq!(renewed(&r, "changed"), 2, "{r}");
    assert_eq!(count(&r, "rrsigs_kept"), count(&first, "rrsigs") - 2);
    assert_eq!(
        r["serial"].as_u64(),
        first["serial"].as_u64().map(|s| s + 1),
        "increment"
    );
    let (a, b) = (s.read("a.signed"), s.read("b.signed"));
    assert_eq!(
        changed_rrs(&b, &a),
        [
            "example.com. RRSIG SOA",
            "example.com. SOA",
            "www.example.com. A",
            "www.example.com. RRSIG A"
        ]
    );
    peers_accept(&s.path("b.signed"), &s.path("dsset"), "example.com.", true);
}

#[test]
fn a_new_name_resigns_its_records_and_the_denial_records_around_it() {
    for denial in [&[][..], &["--nsec3"][..]] {
        let s = Setup::new("13");
        let zone = s.zone("z.zone", ZONE);
        s.sign(&zone, "a.signed", denial);
        let prev = s.path("a.signed").display().to_string();
        let edited = s.zone("z2.zone", &format!("{ZONE}new IN A 192.0.2.99\n"));
        let mut args = denial.to_vec();
        args.extend(["--previous", &prev, "--serial", "unixtime"]);
        let r = s.sign(&edited, "b.signed", &args);
        // NSEC: new A, new NSEC, the predecessor's NSEC (its next name
        // changed), SOA. NSEC3: new A, the new name's NSEC3, the NSEC3
        // whose next hash changed, SOA.
        assert_eq!(count(&r, "rrsigs_new"), 4, "{denial:?}: {r}");
        assert_eq!(renewed(&r, "changed"), 4, "{r}");
        peers_accept(&s.path("b.signed"), &s.path("dsset"), "example.com.", true);
    }
}

#[test]
fn signatures_past_the_refresh_threshold_are_renewed() {
    let s = Setup::new("13");
    // SOA EXPIRE 3 days: below every refresh here, so --refresh decides.
    let zone = s.zone("z.zone", &ZONE.replace(" 1209600 ", " 259200 "));
    let first = s.sign(&zone, "a.signed", &["--validity", "30d", "--jitter", "0"]);
    let prev = s.path("a.signed").display().to_string();
    // 24 days on, every signature expires within 6 days: under --refresh 7d.
    let r = s.sign(
        &zone,
        "b.signed",
        &[
            "--previous",
            &prev,
            "--now",
            "now+24d",
            "--refresh",
            "7d",
            "--serial",
            "date",
        ],
    );
    assert_eq!(count(&r, "rrsigs_kept"), 0, "{r}");
    // The SOA's is signed again for its new serial, counted once.
    assert_eq!(renewed(&r, "expiring"), count(&first, "rrsigs"), "{r}");
    assert_eq!(count(&r, "rrsigs_new"), count(&first, "rrsigs"));
    // With 5 days to go they are still kept under a 4-day refresh.
    let r = s.sign(
        &zone,
        "c.signed",
        &["--previous", &prev, "--now", "now+24d", "--refresh", "4d"],
    );
    assert_eq!(count(&r, "rrsigs_new"), 0, "{r}");
}

#[test]
fn signatures_that_would_not_outlive_the_soa_expire_are_renewed() {
    let s = Setup::new("13");
    // SOA EXPIRE 14 days: a secondary cut off from its primary serves the
    // zone that long, so a signature with 10 days left is renewed even
    // under a 4-day refresh (sign::cadence).
    let zone = s.zone("z.zone", ZONE);
    let first = s.sign(&zone, "a.signed", &["--validity", "30d", "--jitter", "0"]);
    let prev = s.path("a.signed").display().to_string();
    let r = s.sign(
        &zone,
        "b.signed",
        &["--previous", &prev, "--now", "now+20d", "--refresh", "4d"],
    );
    assert_eq!(count(&r, "rrsigs_kept"), 0, "{r}");
    assert_eq!(renewed(&r, "expiring"), count(&first, "rrsigs"), "{r}");
    // With 17 days left they outlive it and are kept.
    let r = s.sign(
        &zone,
        "c.signed",
        &["--previous", &prev, "--now", "now+13d", "--refresh", "4d"],
    );
    assert_eq!(count(&r, "rrsigs_new"), 0, "{r}");
    let out = s.path("b.signed");
    let o = zonesign([
        "verify",
        out.to_str().expect("utf-8"),
        "--dnskey-only",
        "--now",
        "now+20d",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert!(
        !v.to_string().contains("rrsig-outlived-by-soa-expire"),
        "a re-signed zone outlives its SOA EXPIRE: {v}"
    );
}

#[test]
fn a_tampered_signature_in_the_previous_file_is_not_kept() {
    let s = Setup::new("13");
    let zone = s.zone("z.zone", ZONE);
    s.sign(&zone, "a.signed", &[]);
    let a = s.read("a.signed");
    // Flip one base64 character of the mail A RRSIG's signature.
    let line = a
        .lines()
        .find(|l| l.starts_with("mail.example.com.") && l.contains("\tRRSIG\tA "))
        .expect("mail A RRSIG");
    let sig_start = line.rfind(' ').expect("signature field") + 1;
    let mut bad = line.to_string();
    let c = if &line[sig_start..sig_start + 1] == "A" {
        "B"
    } else {
        "A"
    };
    bad.replace_range(sig_start..sig_start + 1, c);
    s.zone("t.signed", &a.replace(line, &bad));
    let prev = s.path("t.signed").display().to_string();
    let r = s.sign(
        &zone,
        "b.signed",
        &["--previous", &prev, "--serial", "increment"],
    );
    assert_eq!(renewed(&r, "unverifiable"), 1, "{r}");
    assert!(
        !s.read("b.signed").contains(&bad),
        "the tampered RRSIG is gone"
    );
    peers_accept(&s.path("b.signed"), &s.path("dsset"), "example.com.", true);
}

#[test]
fn a_new_zsk_signs_everything_and_the_old_signatures_stay() {
    let s = Setup::new("13");
    let zone = s.zone("z.zone", ZONE);
    let first = s.sign(&zone, "a.signed", &[]);
    let zsk_sigs = count(&first, "rrsigs") - 1; // all but the DNSKEY RRset's
    let k = s.keys.display().to_string();
    let o = zonesign(["keygen", "-a", "13", "-K", &k, "example.com"]);
    assert!(o.status.success(), "keygen: {}", text(&o.stderr));
    let prev = s.path("a.signed").display().to_string();
    let r = s.sign(
        &zone,
        "b.signed",
        &["--previous", &prev, "--serial", "increment"],
    );
    // The new ZSK signs every ZSK RRset ("key change"); the DNSKEY RRset
    // has a new member (its KSK signature is new: "changed"), and so does
    // the SOA for its serial; the old ZSK's other signatures stay.
    assert_eq!(renewed(&r, "key_change"), zsk_sigs, "{r}");
    assert_eq!(
        renewed(&r, "changed"),
        2,
        "DNSKEY by the KSK, SOA by the old ZSK: {r}"
    );
    assert_eq!(count(&r, "rrsigs_kept"), zsk_sigs - 1, "{r}");
    peers_accept(&s.path("b.signed"), &s.path("dsset"), "example.com.", true);
}

#[test]
fn a_previous_file_of_another_zone_or_unreadable_writes_nothing() {
    let s = Setup::new("13");
    let zone = s.zone("z.zone", ZONE);
    s.sign(&zone, "a.signed", &[]);
    let other = s.zone(
        "org.signed",
        &s.read("a.signed").replace("example.com.", "example.org."),
    );
    let broken = s.zone("broken.signed", "example.com. 3600 IN SOA not enough\n");
    let sign_from = |prev: &Path| {
        zonesign([
            "sign".as_ref(),
            zone.as_os_str(),
            "--keys".as_ref(),
            s.keys.as_os_str(),
            "-f".as_ref(),
            s.path("never.signed").as_os_str(),
            "--previous".as_ref(),
            prev.as_os_str(),
        ])
    };
    for prev in [&other, &broken] {
        let o = sign_from(prev);
        assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
        assert!(!s.path("never.signed").exists(), "nothing written");
    }
    let o = sign_from(&other);
    assert!(
        text(&o.stderr).contains("is example.org., not example.com."),
        "{}",
        text(&o.stderr)
    );
}

/// A zone BIND (and one ldns) signed, given as the previous output with
/// the same keys: every signature over an unchanged RRset is kept.
#[test]
fn peer_signed_previous_zones_keep_their_valid_signatures() {
    let data = interop_testdata();
    let dir = tempfile::tempdir().expect("tempdir");
    for (signer, denial, extra) in [
        ("bind", "nsec", &[][..]),
        ("bind", "nsec3", &["--nsec3"][..]),
        ("ldns", "nsec", &[][..]),
    ] {
        let prev = data.join(format!("signed/example.{signer}.alg13.{denial}.zone"));
        let out = dir.path().join(format!("{signer}.{denial}.signed"));
        let mut args: Vec<String> = [
            "sign",
            data.join("zones/example.com.zone").to_str().expect("path"),
            "--keys",
            data.join(format!("keys/{signer}.alg13"))
                .to_str()
                .expect("path"),
            "-f",
            out.to_str().expect("path"),
            "--ds-out",
            dir.path().join("dsset").to_str().expect("path"),
            "--previous",
            prev.to_str().expect("path"),
            // Inside the peers' window (2026-01-01 to 2036-12-31); their
            // TTLs are not capped.
            "--max-ttl",
            "0",
            "--report",
            "json",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        args.extend(extra.iter().map(|s| s.to_string()));
        let o = zonesign(&args);
        assert!(o.status.success(), "{}", text(&o.stderr));
        let r: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
        assert_eq!(count(&r, "rrsigs_new"), 0, "{signer} {denial}: {r}");
        assert!(count(&r, "rrsigs_kept") > 60, "{r}");
        // The kept signatures are the peer's, byte for byte.
        let sigs_of = |p: &Path| -> std::collections::BTreeSet<Vec<u8>> {
            let mut out = std::collections::BTreeSet::new();
            let opts = zonesign::zonefile::ReadOptions {
                origin: Some(zonesign::name::Name::from_ascii("example.com.").expect("name")),
                ..Default::default()
            };
            zonesign::zonefile::read_zone(p, &opts, &mut |r| {
                if r.rtype == zonesign::rdata::rtype::RRSIG {
                    out.insert(r.rdata.to_vec());
                }
            })
            .expect("readable zone");
            out
        };
        let (ours, theirs) = (sigs_of(&out), sigs_of(&prev));
        assert_eq!(ours.len() as u64, count(&r, "rrsigs"));
        assert!(
            ours.is_subset(&theirs),
            "{signer} {denial}: signatures not the peer's"
        );
        peers_accept(&out, &dir.path().join("dsset"), "example.com.", true);
    }
}

/// Runs zonesign with `args` then `extra`: its exit code and the JSON on
/// its standard output.
fn json_run(args: &[&str], extra: &[&str]) -> (i32, serde_json::Value) {
    let o = zonesign(args.iter().chain(extra));
    let r = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|_| panic!("{args:?} {extra:?}: {}", text(&o.stderr)));
    (o.status.code().unwrap_or(-1), r)
}

/// The JSON report of `zonesign verify` on `signed`, and its exit code.
fn verify_json(s: &Setup, signed: &str, extra: &[&str]) -> (i32, serde_json::Value) {
    let (zone, ds) = (
        s.path(signed).display().to_string(),
        s.path("dsset").display().to_string(),
    );
    json_run(&["verify", &zone, "--ds", &ds, "--format", "json"], extra)
}

#[test]
fn verify_fails_on_signatures_expiring_soon_and_reports_the_first() {
    let s = Setup::new("13");
    let zone = s.zone("z.zone", ZONE);
    let signed = s.sign(
        &zone,
        "a.signed",
        &[
            "--now",
            "20270101000000",
            "--validity",
            "10d",
            "--jitter",
            "0",
        ],
    );
    let rrsigs = count(&signed, "rrsigs");
    // Two days in: eight days left, more than the three asked for.
    let (code, r) = verify_json(
        &s,
        "a.signed",
        &["--now", "20270103000000", "--fail-expiring", "3d"],
    );
    assert_eq!(code, 0, "{r}");
    let first = &r["summary"]["earliest_expiration"];
    // Inception 2026-12-31T23:00 (an hour before --now), ten days on.
    assert_eq!(first["time"], "20270110230000", "{r}");
    assert_eq!(first["unix"], 1_799_622_000_i64);
    assert!(first["owner"]
        .as_str()
        .is_some_and(|o| o.ends_with("example.com.")));
    // Nine days in: every signature expires within three days.
    let (code, r) = verify_json(
        &s,
        "a.signed",
        &["--now", "20270109000000", "--fail-expiring", "3d"],
    );
    assert_eq!(code, 1, "{r}");
    assert_eq!(
        r["summary"]["by_code"]["rrsig-expiring"].as_u64(),
        Some(rrsigs),
        "{r}"
    );
    // The SOA EXPIRE of the zone is 14 days: ten-day signatures do not
    // outlive it.
    assert_eq!(
        r["summary"]["by_code"]["rrsig-outlived-by-soa-expire"], 1,
        "{r}"
    );
    let s30 = s.sign(&zone, "b.signed", &["--validity", "30d"]);
    assert!(count(&s30, "rrsigs") > 0);
    let (code, r) = verify_json(&s, "b.signed", &[]);
    assert_eq!(code, 0, "{r}");
    assert!(
        r["summary"]["by_code"]["rrsig-outlived-by-soa-expire"].is_null(),
        "{r}"
    );
}

#[test]
fn switching_between_nsec_and_nsec3_keeps_every_data_signature() {
    let s = Setup::new("13");
    let zone = s.zone("z.zone", ZONE);
    let first = s.sign(&zone, "a.signed", &[]);
    let prev = s.path("a.signed").display().to_string();
    // To NSEC3 (opt-out): the NSEC signatures go, the NSEC3 chain and the
    // NSEC3PARAM are signed, the SOA for its serial; the data keeps its own.
    let r = s.sign(
        &zone,
        "b.signed",
        &[
            "--previous",
            &prev,
            "--nsec3",
            "--opt-out",
            "--serial",
            "increment",
            "--verify",
            "full",
        ],
    );
    let nsec = count(&first, "nsec");
    let nsec3 = count(&r, "nsec3");
    assert!(nsec3 > 0 && nsec > 0);
    assert_eq!(
        count(&r, "rrsigs_kept"),
        count(&first, "rrsigs") - nsec - 1,
        "{r}"
    );
    assert_eq!(count(&r, "rrsigs_new"), nsec3 + 2, "{r}");
    peers_accept(&s.path("b.signed"), &s.path("dsset"), "example.com.", true);
    // And back to NSEC.
    let prev = s.path("b.signed").display().to_string();
    let back = s.sign(
        &zone,
        "c.signed",
        &[
            "--previous",
            &prev,
            "--serial",
            "increment",
            "--verify",
            "full",
        ],
    );
    assert_eq!(
        count(&back, "rrsigs_kept"),
        count(&r, "rrsigs") - nsec3 - 2,
        "{back}"
    );
    assert_eq!(count(&back, "rrsigs_new"), nsec + 1, "{back}");
    peers_accept(&s.path("c.signed"), &s.path("dsset"), "example.com.", true);
}
