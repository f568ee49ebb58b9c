//! Issue #16: the examples run. `examples/Makefile` checks, signs
//! (re-signing from its last output), verifies and deploys only when the
//! verifier is satisfied; `examples/nightly.sh` re-signs, verifies with
//! `--fail-expiring 3d` and publishes only on success.

mod common;
use common::*;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A copy of the bundled example zone (and its include) in `dir`.
fn example_zone(dir: &Path) -> PathBuf {
    for f in ["example.com.zone", "example.com.inc"] {
        std::fs::copy(project_root().join("testdata").join(f), dir.join(f)).expect("copy");
    }
    dir.join("example.com.zone")
}

fn make(dir: &Path, zone: &Path, target: &str) -> std::process::Output {
    require_tool("make", "make");
    Command::new("make")
        .current_dir(dir)
        .arg("-f")
        .arg(project_root().join("examples/Makefile"))
        .arg(format!("ZONESIGN={}", bin()))
        .arg(format!("ZONE={}", zone.display()))
        .arg(target)
        .output()
        .expect("make")
}

#[test]
fn the_makefile_signs_verifies_and_deploys_only_a_good_zone() {
    let dir = tempfile::tempdir().expect("tempdir");
    let zone = example_zone(dir.path());
    let o = make(dir.path(), &zone, "deploy");
    assert!(
        o.status.success(),
        "make deploy: {}{}",
        text(&o.stdout),
        text(&o.stderr)
    );
    let deployed = dir.path().join("deploy/example.com.signed");
    let first = std::fs::read(&deployed).expect("deployed zone");
    peers_accept(
        &deployed,
        &dir.path().join("deploy/dsset-example.com."),
        "example.com",
        true,
    );

    // A changed zone is re-signed from the last output.
    let text_zone = std::fs::read_to_string(&zone).expect("zone");
    std::fs::write(&zone, text_zone.replace("192.0.2.80", "192.0.2.81")).expect("edit");
    let o = make(dir.path(), &zone, "deploy");
    assert!(o.status.success(), "{}{}", text(&o.stdout), text(&o.stderr));
    assert_ne!(std::fs::read(&deployed).expect("deployed"), first);

    // Signatures that expire within three days: verify fails, make stops,
    // the deployed zone stays the last good one.
    let good = std::fs::read(&deployed).expect("deployed");
    std::fs::write(
        dir.path().join("zonesign.yaml"),
        "validity: 2d\nmax-ttl: 3600\n",
    )
    .expect("policy");
    std::fs::write(&zone, text_zone.replace("192.0.2.80", "192.0.2.82")).expect("edit");
    let o = make(dir.path(), &zone, "deploy");
    assert!(!o.status.success(), "a zone expiring in 2 days deployed");
    assert!(text(&o.stdout).contains("--fail-expiring") || text(&o.stderr).contains("expir"));
    assert_eq!(std::fs::read(&deployed).expect("deployed"), good);
}

#[test]
fn the_nightly_job_resigns_verifies_and_publishes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let zone = example_zone(dir.path());
    let keys = dir.path().join("keys");
    for ksk in [true, false] {
        let k = keys.to_str().expect("utf-8");
        let mut args = vec!["keygen", "-K", k, "example.com"];
        if ksk {
            args.push("--ksk");
        }
        let o = zonesign(&args);
        assert!(o.status.success(), "{}", text(&o.stderr));
    }
    let run = || {
        Command::new("sh")
            .arg(project_root().join("examples/nightly.sh"))
            .current_dir(dir.path())
            .env("ZONESIGN", bin())
            .env("ZONE", &zone)
            .env("ORIGIN", "example.com")
            .env("KEYS", &keys)
            .env("PUBLISHED", dir.path().join("published"))
            .output()
            .expect("nightly.sh")
    };
    let o = run();
    assert!(o.status.success(), "{}{}", text(&o.stdout), text(&o.stderr));
    assert!(
        text(&o.stdout).contains("\"rrsigs_kept\": 0"),
        "{}",
        text(&o.stdout)
    );
    let published = dir.path().join("published/example.com.signed");
    let first = std::fs::read(&published).expect("published");
    // The next night: nothing changed, nothing new, the same bytes.
    let o = run();
    assert!(o.status.success(), "{}{}", text(&o.stdout), text(&o.stderr));
    assert!(
        text(&o.stdout).contains("\"rrsigs_new\": 0"),
        "{}",
        text(&o.stdout)
    );
    assert_eq!(std::fs::read(&published).expect("published"), first);
}
