//! Issue #11 items 4 and 6: SIGKILL, SIGTERM and SIGINT at random points of
//! `sign` (on a zone that takes about a second or more to sign) and of
//! `sign --generate-keys` / `keygen`. After each kill the previous outputs
//! are byte-identical or the new ones complete and valid (`zonesign
//! verify` with the DS set), SIGTERM/SIGINT leave no temporary file at all,
//! SIGKILL leaves none after the next run, and no lone key half is ever
//! used silently.
//!
//! Kill times are drawn from a seeded RNG over the measured duration of
//! one run; half of them fall in the write phase (measured from the
//! report), where the files are staged and committed. Environment:
//! `ZONESIGN_KILL_SCALE=N` multiplies every iteration count (default 1:
//! 50 SIGKILL, 20 SIGTERM, 20 SIGINT of sign); `ZONESIGN_KILL_SEED` sets
//! the seed (printed on failure).

mod common;
use common::*;
use rand::{Rng, SeedableRng};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

const KSK: &str = "testdata/keys/bind.alg13/Kexample.com.+013+34808";
const ZSK: &str = "testdata/keys/bind.alg13/Kexample.com.+013+46059";
/// Inception of the first signing run; each later run adds an hour, so a
/// new output always differs from the old one.
const INCEPTION0: i64 = 1_767_225_600; // 2026-01-01
const EXPIRATION: &str = "20361231000000";

fn scale() -> usize {
    std::env::var("ZONESIGN_KILL_SCALE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1)
        .max(1)
}

fn seed() -> u64 {
    std::env::var("ZONESIGN_KILL_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20261202)
}

/// A zone of `n` hosts (A and TXT each) under example.com.
fn big_zone(dir: &Path, n: usize) -> PathBuf {
    use std::fmt::Write;
    let mut s = String::from(
        "$ORIGIN example.com.\n$TTL 3600\n@ SOA ns1 hostmaster 1 2h 1h 2w 300\n@ NS ns1\nns1 A 192.0.2.1\n",
    );
    for i in 0..n {
        let _ = writeln!(
            s,
            "h{i} A 10.{}.{}.{}\nh{i} TXT \"host {i}\"",
            (i >> 16) & 255,
            (i >> 8) & 255,
            i & 255
        );
    }
    write(dir, "big.zone", &s)
}

fn sign_cmd(dir: &Path, zone: &Path, run: i64) -> Command {
    let mut c = Command::new(bin());
    c.current_dir(dir)
        .args(sign_args(
            zone,
            KSK,
            ZSK,
            &dir.join("out.signed"),
            &[
                "--inception",
                &(INCEPTION0 + run * 3600).to_string(),
                "--expiration",
                EXPIRATION,
            ],
        ))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    c
}

/// Names in `dir` that look like a temporary file (ours, or the old
/// tempfile-crate `.NAME.XXXXXX.tmp`).
fn temp_files(dir: &Path) -> Vec<String> {
    match std::fs::read_dir(dir) {
        Ok(rd) => rd
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains(".zonesign-tmp-") || (n.starts_with('.') && n.ends_with(".tmp")))
            .collect(),
        Err(_) => Vec::new(),
    }
}

fn signal(child: &std::process::Child, sig: i32) {
    let pid = child.id() as libc::pid_t;
    // SAFETY: kill(2) on our own child, which has not been waited for.
    unsafe {
        libc::kill(pid, sig);
    }
}

/// Spawns, waits `delay`, sends `sig`, and returns how the process ended.
fn run_and_signal(mut c: Command, delay: Duration, sig: i32) -> ExitStatus {
    let mut child = c.spawn().expect("spawn zonesign");
    std::thread::sleep(delay);
    signal(&child, sig);
    child.wait().expect("wait")
}

fn name(sig: i32) -> &'static str {
    match sig {
        libc::SIGKILL => "SIGKILL",
        libc::SIGTERM => "SIGTERM",
        libc::SIGINT => "SIGINT",
        _ => "signal",
    }
}

/// SIGTERM/SIGINT: our handler exits 128+sig; a run that had already
/// finished exits 0; in the first instants (before the handler is
/// installed) the default action kills it.
fn check_status(sig: i32, st: ExitStatus, ctx: &str) {
    use std::os::unix::process::ExitStatusExt;
    if sig == libc::SIGKILL {
        assert!(
            st.signal() == Some(libc::SIGKILL) || st.success(),
            "{ctx}: {st:?}"
        );
        return;
    }
    let ok = st.code() == Some(128 + sig) || st.success() || st.signal() == Some(sig);
    assert!(ok, "{ctx}: unexpected status {st:?}");
}

#[derive(Default, Debug)]
struct Tally {
    old_kept: usize,
    new_complete: usize,
    temp_left_after_kill: usize,
    handler_exits: usize,
}

fn sign_under_signals(sig: i32, iterations: usize, names: usize, rng: &mut rand::rngs::StdRng) {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    let zone = big_zone(dir, names);
    let out = dir.join("out.signed");
    let ds = dir.join("dsset-example.com.");
    // One measured run: its wall time and write phase bound the kill times.
    let mut args = sign_args(
        &zone,
        KSK,
        ZSK,
        &out,
        &[
            "--inception",
            &INCEPTION0.to_string(),
            "--expiration",
            EXPIRATION,
        ],
    );
    args.extend(["--report".into(), "json".into()]);
    let t = Instant::now();
    let o = Command::new(bin())
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    let total = t.elapsed();
    assert!(o.status.success(), "baseline sign: {}", text(&o.stderr));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json report");
    let write = Duration::from_millis(report["phases"]["write_ms"].as_u64().unwrap_or(0));
    let mut old_zone = std::fs::read(&out).unwrap();
    let old_ds = std::fs::read(&ds).unwrap();
    let mut tally = Tally::default();
    let total_ms = total.as_millis() as u64;
    let write_ms = write.as_millis() as u64;
    for i in 0..iterations {
        let run = i as i64 + 1;
        // Even iterations anywhere in the run; odd ones around the write
        // and commit (the end of the run).
        let at = if i % 2 == 0 {
            rng.gen_range(0..=total_ms)
        } else {
            // A loaded machine stretches a run: reach a little past it.
            let lo = total_ms.saturating_sub(write_ms + 150);
            rng.gen_range(lo..=total_ms + total_ms / 5 + 30)
        };
        let ctx = format!(
            "{} #{i} at {at} ms (run {total_ms} ms, write {write_ms} ms)",
            name(sig)
        );
        let st = run_and_signal(sign_cmd(dir, &zone, run), Duration::from_millis(at), sig);
        check_status(sig, st, &ctx);
        if st.code() == Some(128 + sig) {
            tally.handler_exits += 1;
        }
        let left = temp_files(dir);
        if sig != libc::SIGKILL {
            assert!(
                left.is_empty(),
                "{ctx}: temp files after the handler: {left:?}"
            );
        } else if !left.is_empty() {
            tally.temp_left_after_kill += 1;
        }
        let now_zone = std::fs::read(&out).unwrap();
        assert_eq!(std::fs::read(&ds).unwrap(), old_ds, "{ctx}: DS set changed");
        if now_zone == old_zone {
            tally.old_kept += 1;
        } else {
            // The new zone must be complete and valid with its DS set.
            let v = zonesign([
                "verify",
                &out.display().to_string(),
                "--ds",
                &ds.display().to_string(),
                "--now",
                &(INCEPTION0 + run * 3600 + 7200).to_string(),
                "--quiet",
            ]);
            assert!(
                v.status.success(),
                "{ctx}: a new zone that does not verify: {}{}",
                text(&v.stdout),
                text(&v.stderr)
            );
            tally.new_complete += 1;
            old_zone = now_zone;
        }
        // The next run cleans up what a SIGKILL left (and every tenth
        // iteration runs to the end anyway).
        if !left.is_empty() || i % 10 == 9 {
            let next = sign_cmd(dir, &zone, run + 1000).status().unwrap();
            assert!(next.success(), "{ctx}: the next run failed");
            let after = temp_files(dir);
            assert!(
                after.is_empty(),
                "{ctx}: left after the next run: {after:?}"
            );
            old_zone = std::fs::read(&out).unwrap();
        }
    }
    eprintln!("sign under {}: {iterations} kills, {tally:?}", name(sig));
    assert_eq!(tally.old_kept + tally.new_complete, iterations);
}

#[test]
fn sign_killed_at_random_points_leaves_old_or_new_complete_outputs_and_no_temp_file() {
    let seed = seed();
    eprintln!("seed {seed} (ZONESIGN_KILL_SEED)");
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let k = scale();
    // About a second or more to sign with the debug binary here.
    let names = 6000;
    sign_under_signals(libc::SIGKILL, 50 * k, names, &mut rng);
    sign_under_signals(libc::SIGTERM, 20 * k, names, &mut rng);
    sign_under_signals(libc::SIGINT, 20 * k, names, &mut rng);
}

/// Lists `.key` and `.private` files and temp files of a key directory.
fn key_files(dir: &Path) -> (Vec<String>, Vec<String>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return (Vec::new(), Vec::new());
    };
    let names: Vec<String> = rd
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    let keys = names
        .iter()
        .filter(|n| n.ends_with(".key"))
        .cloned()
        .collect();
    let privates = names
        .iter()
        .filter(|n| n.ends_with(".private"))
        .cloned()
        .collect();
    (keys, privates)
}

fn has_lone_half(keys: &[String], privates: &[String]) -> bool {
    let stem = |s: &String, ext: &str| s.strip_suffix(ext).map(str::to_string);
    let k: Vec<_> = keys.iter().filter_map(|s| stem(s, ".key")).collect();
    let p: Vec<_> = privates
        .iter()
        .filter_map(|s| stem(s, ".private"))
        .collect();
    k.iter().any(|x| !p.contains(x)) || p.iter().any(|x| !k.contains(x))
}

fn generate_keys_cmd(dir: &Path, keys: &str) -> Command {
    let mut c = Command::new(bin());
    c.current_dir(dir)
        .args([
            "sign",
            "small.zone",
            "--generate-keys",
            "--keys",
            keys,
            "-f",
            &format!("{keys}.signed"),
            "--report",
            "json",
            "--inception",
            "20260101000000",
            "--expiration",
            EXPIRATION,
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    c
}

#[test]
fn generate_keys_killed_at_random_points_never_signs_with_half_a_key_set() {
    let seed = seed() ^ 0x6b657973;
    eprintln!("seed {seed}");
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    std::fs::copy(
        project_root().join("testdata/small.zone"),
        dir.join("small.zone"),
    )
    .unwrap();
    let t = Instant::now();
    assert!(generate_keys_cmd(dir, "measure")
        .status()
        .unwrap()
        .success());
    let total_ms = (t.elapsed().as_millis() as u64).max(5);
    let k = scale();
    let mut lone_refused = 0;
    for (sig, n) in [
        (libc::SIGKILL, 30 * k),
        (libc::SIGTERM, 10 * k),
        (libc::SIGINT, 10 * k),
    ] {
        for i in 0..n {
            let keys = format!("k-{}-{i}", name(sig));
            let at = rng.gen_range(0..=total_ms + 5);
            let ctx = format!("{} #{i} at {at} ms of {total_ms} ms", name(sig));
            let st = run_and_signal(
                generate_keys_cmd(dir, &keys),
                Duration::from_millis(at),
                sig,
            );
            check_status(sig, st, &ctx);
            let kd = dir.join(&keys);
            let (pub_files, private_files) = key_files(&kd);
            let left = temp_files(&kd);
            if sig != libc::SIGKILL {
                assert!(left.is_empty(), "{ctx}: {left:?}");
            }
            let lone = has_lone_half(&pub_files, &private_files);
            // The next run: either refuses a lone half (exit 5, naming it)
            // or signs with a full KSK + ZSK set.
            let next = generate_keys_cmd(dir, &keys)
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .output()
                .unwrap();
            if lone {
                assert_eq!(next.status.code(), Some(5), "{ctx}: {}", text(&next.stderr));
                assert!(
                    text(&next.stderr).contains("lone"),
                    "{}",
                    text(&next.stderr)
                );
                lone_refused += 1;
            } else {
                assert!(next.status.success(), "{ctx}: {}", text(&next.stderr));
                let r: serde_json::Value = serde_json::from_slice(&next.stdout).unwrap();
                let roles: Vec<&str> = r["keys"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|k| k["role"].as_str().unwrap())
                    .collect();
                assert_eq!(roles.len(), 2, "{ctx}: {roles:?}");
                assert!(
                    roles.contains(&"KSK") && roles.contains(&"ZSK"),
                    "{ctx}: {roles:?}"
                );
            }
            let after = temp_files(&kd);
            assert!(
                after.is_empty(),
                "{ctx}: left after the next run: {after:?}"
            );
        }
    }
    eprintln!("generate-keys kills: {lone_refused} lone halves refused");
}

#[test]
fn keygen_killed_at_random_points_leaves_no_temp_file_and_no_silent_half() {
    let seed = seed() ^ 0x6b67;
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    std::fs::copy(
        project_root().join("testdata/small.zone"),
        dir.join("small.zone"),
    )
    .unwrap();
    let keygen = |kd: &Path| {
        let mut c = Command::new(bin());
        c.args(["keygen", "example.com", "-a", "8", "-b", "2048", "-K"])
            .arg(kd)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        c
    };
    let m = dir.join("measure");
    std::fs::create_dir(&m).unwrap();
    let t = Instant::now();
    assert!(keygen(&m).status().unwrap().success());
    let total_ms = (t.elapsed().as_millis() as u64).max(5);
    for i in 0..20 * scale() {
        let kd = dir.join(format!("k{i}"));
        std::fs::create_dir(&kd).unwrap();
        let at = rng.gen_range(0..=total_ms + 5);
        let ctx = format!("keygen SIGKILL #{i} at {at} ms of {total_ms} ms");
        let st = run_and_signal(keygen(&kd), Duration::from_millis(at), libc::SIGKILL);
        check_status(libc::SIGKILL, st, &ctx);
        let (pubs, privs) = key_files(&kd);
        let lone = has_lone_half(&pubs, &privs);
        // A following keygen in the same directory removes what it can and
        // signing with the directory never silently drops a half.
        let next = zonesign([
            "sign",
            &dir.join("small.zone").display().to_string(),
            "--keys",
            &kd.display().to_string(),
            "-f",
            &kd.join("out").display().to_string(),
            "--quiet",
        ]);
        if lone {
            assert_eq!(next.status.code(), Some(5), "{ctx}: {}", text(&next.stderr));
        } else if pubs.is_empty() {
            assert!(!next.status.success(), "{ctx}: signed with no key");
        } else {
            assert!(next.status.success(), "{ctx}: {}", text(&next.stderr));
        }
        assert!(temp_files(&kd).is_empty(), "{ctx}: {:?}", temp_files(&kd));
    }
}
