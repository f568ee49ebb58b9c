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

/// The fenced `sh` block after `heading` in README.md, as one script.
fn readme_block(heading: &str) -> String {
    let readme = std::fs::read_to_string(project_root().join("README.md")).expect("README");
    let from = readme.find(heading).expect("heading in README");
    let rest = &readme[from..];
    let start = rest.find("```sh\n").expect("a sh block") + 6;
    let end = start + rest[start..].find("```").expect("block end");
    rest[start..end].to_string()
}

/// README's quick start and "First steps" as a new user runs them, from
/// a directory with the project's testdata and a fresh target/, with
/// `zonesign` on PATH: every command exits 0 (`set -e`, pipefail).
#[test]
fn the_readme_first_steps_run_as_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::os::unix::fs::symlink(project_root().join("testdata"), dir.path().join("testdata"))
        .expect("link testdata");
    std::fs::create_dir(dir.path().join("target")).unwrap();
    let bindir = dir.path().join("bin");
    std::fs::create_dir(&bindir).unwrap();
    std::os::unix::fs::symlink(bin(), bindir.join("zonesign")).unwrap();
    let quick = readme_block("## On a fresh machine").replace("cargo run --release --", "zonesign");
    assert!(quick.starts_with("zonesign sign "), "{quick}");
    let script = format!(
        "set -euo pipefail\n{quick}\n{}",
        readme_block("### First steps")
    );
    let path = format!(
        "{}:{}",
        bindir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let o = Command::new("bash")
        .arg("-c")
        .arg(&script)
        .current_dir(dir.path())
        .env("PATH", path)
        .output()
        .expect("bash");
    assert!(
        o.status.success(),
        "README steps failed:\n{script}\n{}{}",
        text(&o.stdout),
        text(&o.stderr)
    );
    // The roll happened: the last signed zone has two ZSKs published.
    let signed = std::fs::read_to_string(dir.path().join("target/lc.signed")).unwrap();
    let zsks = signed
        .lines()
        .filter(|l| l.contains("\tDNSKEY\t256 "))
        .count();
    assert_eq!(zsks, 2, "old and new ZSK published during the roll");
}
