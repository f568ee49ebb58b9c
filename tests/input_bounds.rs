//! Bounded everything (issue #11 item 5 and part of item 8): `$GENERATE`
//! ranges, input bytes and records are capped with a clear
//! `file:line:column` error and exit 2; endless inputs (`/dev/zero` as a
//! zone, an include or a DS file) stop fast within a memory limit; raw
//! control bytes in names are refused; `--threads` is capped.

mod common;
use common::*;

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

const HEAD: &str = "$ORIGIN example.\n$TTL 300\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\nns A 192.0.2.1\n";

/// Runs zonesign under `sh -c` with an address-space limit (KiB) and a
/// wall-clock timeout; returns the output and how long it took.
fn limited(vmem_kib: u64, secs: u64, args: &[&str]) -> (Output, Duration) {
    let mut script = format!("ulimit -v {vmem_kib}; exec timeout {secs} \"$0\"");
    for i in 1..=args.len() {
        script.push_str(&format!(" \"${{{i}}}\""));
    }
    let t = Instant::now();
    let out = Command::new("sh")
        .arg("-c")
        .arg(script)
        .arg(bin())
        .args(args)
        .output()
        .expect("run sh");
    (out, t.elapsed())
}

fn stderr(o: &Output) -> String {
    text(&o.stderr)
}

/// The reader's own words for a stopped endless input: the cap, or memory
/// it could not have (the old code said "cannot read file: out of memory"
/// after growing to the address-space limit, or aborted).
fn assert_bounded_message(o: &Output, what: &str) {
    let e = stderr(o);
    assert!(
        e.contains("input above the cap of") || e.contains("cannot hold /dev/zero in memory"),
        "{what}: {e}"
    );
}

/// Exit 2 (input error), no signal, no timeout.
fn assert_input_error(o: &Output, what: &str) {
    assert_eq!(o.status.code(), Some(2), "{what}: {o:?}\n{}", stderr(o));
}

#[test]
fn generate_of_a_billion_values_is_refused_fast_with_position_and_exit_2() {
    let dir = tempfile::tempdir().expect("tempdir");
    let z = write(
        dir.path(),
        "gen.zone",
        &format!("{HEAD}$GENERATE 0-1000000000 h$ A 192.0.2.1\n"),
    );
    let zs = z.to_str().expect("utf8 path");
    for cmd in ["check", "verify"] {
        let (o, took) = limited(2 << 20, 20, &[cmd, zs]);
        assert_input_error(&o, cmd);
        let e = stderr(&o);
        assert!(
            e.contains("gen.zone:6:11: $GENERATE: invalid range '0-1000000000'")
                && e.contains("--max-generate"),
            "{e}"
        );
        assert!(took < Duration::from_secs(5), "{cmd} took {took:?}");
    }
}

#[test]
fn max_generate_flag_sets_the_cap_and_a_range_at_the_cap_is_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    let z = write(
        dir.path(),
        "gen.zone",
        &format!("{HEAD}$GENERATE 1-10 h$ A 192.0.2.$\n"),
    );
    let o = zonesign(["check", "--max-generate", "9", z.to_str().expect("path")]);
    assert_input_error(&o, "above cap");
    assert!(
        stderr(&o).contains("10 values, above the cap of 9"),
        "{}",
        stderr(&o)
    );
    let o = zonesign(["check", "--max-generate", "10", z.to_str().expect("path")]);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn dev_zero_as_zone_stops_fast_within_a_memory_limit() {
    for cmd in ["check", "verify"] {
        let (o, took) = limited(1 << 20, 20, &[cmd, "--origin", "example", "/dev/zero"]);
        assert_input_error(&o, cmd);
        assert!(stderr(&o).starts_with("/dev/zero:1:1: "), "{}", stderr(&o));
        assert_bounded_message(&o, cmd);
        assert!(took < Duration::from_secs(5), "{cmd} took {took:?}");
    }
}

#[test]
fn dev_zero_as_zone_stops_at_the_default_stream_cap_of_2_gib() {
    // Room for the 2 GiB buffer: the default cap, not memory, stops it.
    let (o, took) = limited(5 << 20, 30, &["check", "--origin", "example", "/dev/zero"]);
    assert_input_error(&o, "default cap");
    let e = stderr(&o);
    assert!(e.contains("goes on past 2147483648 bytes"), "{e}");
    assert!(took < Duration::from_secs(15), "took {took:?}");
}

#[test]
fn dev_zero_as_zone_stops_at_a_small_input_cap() {
    let (o, took) = limited(
        1 << 20,
        20,
        &[
            "check",
            "--origin",
            "example",
            "--max-input-bytes",
            "1M",
            "/dev/zero",
        ],
    );
    assert_input_error(&o, "capped");
    let e = stderr(&o);
    assert!(
        e.contains("/dev/zero:1:1: input above the cap of 1048576 bytes")
            && e.contains("not a regular file"),
        "{e}"
    );
    assert!(took < Duration::from_secs(5), "took {took:?}");
}

#[test]
fn dev_zero_as_include_stops_fast_at_the_include() {
    let dir = tempfile::tempdir().expect("tempdir");
    let z = write(
        dir.path(),
        "inc.zone",
        &format!("{HEAD}$INCLUDE /dev/zero\n"),
    );
    let (o, took) = limited(1 << 20, 20, &["check", z.to_str().expect("path")]);
    assert_input_error(&o, "include");
    assert!(stderr(&o).contains("inc.zone:6:10: "), "{}", stderr(&o));
    assert_bounded_message(&o, "include");
    assert!(took < Duration::from_secs(5), "took {took:?}");
    let (o, _) = limited(
        1 << 20,
        20,
        &[
            "check",
            "--max-input-bytes",
            "64K",
            z.to_str().expect("path"),
        ],
    );
    assert_input_error(&o, "include capped");
    let e = stderr(&o);
    assert!(
        e.contains("inc.zone:6:10: input above the cap of 65536 bytes: included file /dev/zero"),
        "{e}"
    );
}

#[test]
fn dev_zero_as_ds_file_stops_fast() {
    let signed = interop_testdata().join("signed/example.bind.alg13.nsec.zone");
    let zs = signed.to_str().expect("path");
    for flag in ["--ds", "--trust-anchor"] {
        let (o, took) = limited(1 << 20, 20, &["verify", zs, flag, "/dev/zero"]);
        assert_input_error(&o, flag);
        assert!(stderr(&o).starts_with("/dev/zero:1:1: "), "{}", stderr(&o));
        assert_bounded_message(&o, flag);
        assert!(took < Duration::from_secs(5), "{flag} took {took:?}");
    }
}

#[test]
fn input_byte_cap_counts_the_zone_and_its_includes_together() {
    let dir = tempfile::tempdir().expect("tempdir");
    let inc = "a A 192.0.2.2\nb A 192.0.2.3\n";
    write(dir.path(), "part.inc", inc);
    let main = format!("{HEAD}$INCLUDE part.inc\n");
    let z = write(dir.path(), "main.zone", &main);
    let total = main.len() + inc.len();
    let zs = z.to_str().expect("path");
    let o = zonesign(["check", "--max-input-bytes", &total.to_string(), zs]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = zonesign(["check", "--max-input-bytes", &(total - 1).to_string(), zs]);
    assert_input_error(&o, "one byte over");
    let e = stderr(&o);
    assert!(
        e.contains(&format!(
            "main.zone:6:10: input above the cap of {} bytes: included file",
            total - 1
        )) && e.contains(&format!("after {} bytes read before it", main.len())),
        "{e}"
    );
    // The top file alone over the cap: said at 1:1.
    let o = zonesign(["check", "--max-input-bytes", "10", zs]);
    assert_input_error(&o, "top file");
    assert!(
        stderr(&o).contains(&format!(
            "main.zone:1:1: input above the cap of 10 bytes: the file is {} bytes",
            main.len()
        )),
        "{}",
        stderr(&o)
    );
}

#[test]
fn record_cap_stops_at_the_first_record_past_it_in_every_command() {
    let dir = tempfile::tempdir().expect("tempdir");
    let z = write(
        dir.path(),
        "r.zone",
        &format!("{HEAD}a A 192.0.2.2\nb A 192.0.2.3\n"),
    );
    let zs = z.to_str().expect("path");
    let o = zonesign(["check", "--max-records", "5", zs]);
    assert!(o.status.success(), "{}", stderr(&o));
    let keys = dir.path().join("keys");
    let ks = keys.to_str().expect("path");
    for args in [
        vec!["check", "--max-records", "4", zs],
        vec!["verify", "--max-records", "4", zs],
        vec![
            "sign",
            "--generate-keys",
            "--keys",
            ks,
            "--max-records",
            "4",
            zs,
        ],
    ] {
        let o = zonesign(&args);
        assert_input_error(&o, args[0]);
        assert!(
            stderr(&o).contains("r.zone:7:1: more than 4 records in the input"),
            "{}: {}",
            args[0],
            stderr(&o)
        );
    }
    assert!(!dir.path().join("r.zone.signed").exists());
}

#[test]
fn record_cap_counts_generated_records() {
    let dir = tempfile::tempdir().expect("tempdir");
    let z = write(
        dir.path(),
        "g.zone",
        &format!("{HEAD}$GENERATE 1-100 h$ A 192.0.2.$\n"),
    );
    let o = zonesign(["check", "--max-records", "50", z.to_str().expect("path")]);
    assert_input_error(&o, "generated");
    assert!(
        stderr(&o).contains("g.zone:6:17: more than 50 records"),
        "{}",
        stderr(&o)
    );
}

fn check_text(dir: &Path, name: &str, body: &[u8]) -> Output {
    let mut zone = HEAD.as_bytes().to_vec();
    zone.extend_from_slice(body);
    let p = dir.join(name);
    std::fs::write(&p, zone).expect("write");
    zonesign([std::ffi::OsStr::new("check"), p.as_os_str()])
}

#[test]
fn raw_nul_and_esc_in_owner_names_are_errors_at_the_byte_printed_escaped() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (byte, shown) in [(0u8, "\\000"), (0x1b, "\\027"), (0x7f, "\\127")] {
        let body = [&b"ab"[..], &[byte], b"c A 192.0.2.2\n"].concat();
        let o = check_text(dir.path(), "owner.zone", &body);
        assert_input_error(&o, shown);
        let e = stderr(&o);
        assert!(
            e.contains(&format!(
                "owner.zone:6:3: invalid character {shown} in a name"
            )),
            "{e}"
        );
        assert!(!o.stderr.contains(&byte), "raw byte {byte} printed: {e:?}");
    }
}

#[test]
fn raw_nul_and_esc_in_rdata_names_are_errors_printed_escaped() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (byte, shown) in [(0u8, "\\000"), (0x1b, "\\027")] {
        for (rr, col) in [("c CNAME ", 9), ("m MX 10 ", 9), ("d NS ", 6)] {
            let body = [rr.as_bytes(), b"x", &[byte], b"y\n"].concat();
            let o = check_text(dir.path(), "rdata.zone", &body);
            assert_input_error(&o, rr);
            let e = stderr(&o);
            assert!(
                e.contains(&format!("rdata.zone:6:{col}: ")) && e.contains(shown),
                "{rr}: {e}"
            );
            assert!(!o.stderr.contains(&byte), "raw byte {byte} printed: {e:?}");
        }
    }
}

#[test]
fn escaped_control_bytes_in_names_stay_legal() {
    let dir = tempfile::tempdir().expect("tempdir");
    let o = check_text(
        dir.path(),
        "esc.zone",
        b"a\\000b A 192.0.2.2\nc CNAME x\\027y\n",
    );
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn threads_100000_is_capped_with_a_warning_and_returns_fast() {
    let dir = tempfile::tempdir().expect("tempdir");
    let z = write(dir.path(), "t.zone", HEAD);
    let keys = dir.path().join("keys");
    let signed = interop_testdata().join("signed/example.bind.alg13.nsec.zone");
    let runs: [Vec<&str>; 2] = [
        vec![
            "sign",
            "--generate-keys",
            "--keys",
            keys.to_str().expect("path"),
            "--threads",
            "100000",
            z.to_str().expect("path"),
        ],
        vec![
            "verify",
            "--threads",
            "100000",
            signed.to_str().expect("path"),
        ],
    ];
    for args in runs {
        let t = Instant::now();
        let o = Command::new("timeout")
            .arg("20")
            .arg(bin())
            .args(&args)
            .output()
            .expect("run");
        let took = t.elapsed();
        assert_ne!(o.status.code(), Some(124), "{} timed out", args[0]);
        assert_ne!(o.status.code(), Some(2), "{}: {}", args[0], stderr(&o));
        assert!(
            stderr(&o).contains("--threads 100000 is more than 4 per core"),
            "{}: {}",
            args[0],
            stderr(&o)
        );
        assert!(took < Duration::from_secs(3), "{} took {took:?}", args[0]);
    }
}

#[test]
fn record_cap_in_a_parallel_read_reports_the_same_record_as_a_sequential_one() {
    use zonesign::zonefile::{read_zone, read_zone_in_pieces, Limits, ReadOptions};
    let dir = tempfile::tempdir().expect("tempdir");
    let mut zone = HEAD.to_string();
    for i in 0..2000 {
        zone.push_str(&format!("h{i} A 192.0.2.1\n"));
    }
    let p = write(dir.path(), "big.zone", &zone);
    let opts = |pieces| ReadOptions {
        pieces,
        limits: Limits {
            max_records: Some(1500),
            ..Limits::default()
        },
        ..Default::default()
    };
    let one = read_zone(&p, &opts(1), &mut |_| {}).expect_err("over the cap");
    let many =
        read_zone_in_pieces(&p, &opts(4), |_, _| 0u64, |n, _| *n += 1).expect_err("over the cap");
    assert_eq!(one.to_string(), many.to_string());
    assert!(
        one.to_string()
            .contains("big.zone:1503:1: more than 1500 records"),
        "{one}"
    );
}

fn mkfifo(path: &Path) {
    let o = Command::new("mkfifo").arg(path).output().expect("mkfifo");
    assert!(o.status.success(), "mkfifo: {}", stderr(&o));
}

/// A FIFO with no writer given as zone, `$INCLUDE`, DS / trust-anchor
/// file, `confirm-ds-published --ds` file or key file: POSIX open(2)
/// blocks until a writer comes (the old code hung until the timeout
/// killed it, exit 124). Each is refused at once, naming the FIFO.
#[test]
fn fifo_without_a_writer_is_refused_at_once_wherever_a_file_is_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fifo = dir.path().join("pipe");
    mkfifo(&fifo);
    let f = fifo.to_str().expect("path");
    let z = write(dir.path(), "inc.zone", &format!("{HEAD}$INCLUDE {f}\n"));
    let signed = interop_testdata().join("signed/example.bind.alg13.nsec.zone");
    let keyfifo = dir.path().join("Kexample.+013+00001.key");
    mkfifo(&keyfifo);
    let sd = dir.path().join("state");
    let sds = sd.to_str().expect("path");
    let o = zonesign([
        "dnssec",
        "enable",
        "example.",
        "--state-dir",
        sds,
        "--now",
        "20260101000000",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let zs = signed.to_str().expect("path");
    let kf = keyfifo.to_str().expect("path");
    let incp = z.to_str().expect("path");
    let cases: [(&str, Vec<&str>, i32); 7] = [
        ("zone", vec!["check", "--origin", "example.", f], 2),
        ("include", vec!["check", incp], 2),
        (
            "sign zone",
            vec![
                "sign",
                "--origin",
                "example.",
                f,
                "--generate-keys",
                "--keys",
                sds,
            ],
            2,
        ),
        ("verify --ds", vec!["verify", zs, "--ds", f], 2),
        (
            "verify --trust-anchor",
            vec!["verify", zs, "--trust-anchor", f],
            2,
        ),
        (
            "confirm-ds-published --ds",
            vec![
                "dnssec",
                "confirm-ds-published",
                "example.",
                "--state-dir",
                sds,
                "--now",
                "20260101010000",
                "--ds",
                f,
            ],
            2,
        ),
        ("ds KEYFILE", vec!["ds", kf], 5),
    ];
    for (what, args, code) in cases {
        let (o, took) = limited(1 << 20, 20, &args);
        let e = stderr(&o);
        assert_eq!(o.status.code(), Some(code), "{what}: {e}");
        assert!(
            e.contains("is a FIFO (named pipe) that gave no data"),
            "{what}: {e}"
        );
        assert!(took < Duration::from_secs(5), "{what} took {took:?}");
    }
}

/// What a FIFO is for keeps working: a writer already waiting on it (a
/// writer counts from its open, so it must only have started first: the
/// sleep), `/dev/stdin` redirected from a file, and `/dev/stdin` on a pipe.
#[test]
fn fifo_with_a_writer_and_a_piped_stdin_are_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fifo = dir.path().join("pipe");
    mkfifo(&fifo);
    let zone = write(dir.path(), "plain.zone", HEAD);
    let check = "exec timeout 20 \"$0\" check --origin example.";
    for script in [
        format!("cat \"$2\" > \"$1\" & sleep 0.3; {check} \"$1\""),
        format!("{check} /dev/stdin < \"$2\""),
        format!("cat \"$2\" | {check} /dev/stdin"),
    ] {
        let o = Command::new("sh")
            .arg("-c")
            .arg(&script)
            .arg(bin())
            .arg(&fifo)
            .arg(&zone)
            .output()
            .expect("sh");
        assert!(o.status.success(), "{script}: {}", stderr(&o));
        assert!(text(&o.stdout).contains("zone example.: OK"), "{script}");
    }
}
