//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_zonesign")
}

/// Runs zonesign with arguments.
pub fn zonesign<I, S>(args: I) -> Output
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    Command::new(bin())
        .args(args)
        .output()
        .expect("run zonesign")
}

/// Everything the reader says about a record: owner, TTL, class, type,
/// RDATA, file, line, column.
pub type Rec = (String, u32, u16, u16, Vec<u8>, u32, u32, u32);

pub fn rec(r: &zonesign::zonefile::RecordRef<'_>) -> Rec {
    (
        r.owner.to_string(),
        r.ttl,
        r.class,
        r.rtype,
        r.rdata.to_vec(),
        r.file,
        r.line,
        r.col,
    )
}

/// The signature window most tests sign with: 2026-01-01 to 2036-12-31.
pub const SIGN_WINDOW: [&str; 4] = [
    "--inception",
    "20260101000000",
    "--expiration",
    "20361231000000",
];

/// `zonesign sign ZONE -k KSK -z ZSK -o OUT --quiet`, then `extra` (the
/// window, the denial mode, ...). Key paths are relative to the project.
pub fn sign_args(zone: &Path, ksk: &str, zsk: &str, out: &Path, extra: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = vec![
        "sign".into(),
        zone.display().to_string(),
        "-k".into(),
        project_root().join(ksk).display().to_string(),
        "-z".into(),
        project_root().join(zsk).display().to_string(),
        "-f".into(),
        out.display().to_string(),
        "--quiet".into(),
    ];
    v.extend(extra.iter().map(|s| s.to_string()));
    v
}

/// Base64 as the RFCs print it (line breaks and spaces ignored).
pub fn b64(s: &str) -> Vec<u8> {
    use base64::Engine;
    let clean: String = s.split_whitespace().collect();
    base64::engine::general_purpose::STANDARD
        .decode(clean)
        .expect("base64 in a test vector")
}

/// Hex as the RFCs print it (either case, line breaks and spaces ignored).
pub fn hex(s: &str) -> Vec<u8> {
    let clean: String = s.split_whitespace().collect();
    data_encoding::HEXLOWER_PERMISSIVE
        .decode(clean.as_bytes())
        .expect("hex in a test vector")
}

pub fn project_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The interop test data (unsigned and peer-signed zones, keys, broken zones), copied
/// into `testdata/interop/` (see its SOURCE.md) so the repository alone
/// passes its tests.
pub fn interop_testdata() -> PathBuf {
    let p = project_root().join("testdata/interop");
    assert!(p.is_dir(), "interop test data not found at {}", p.display());
    p
}

/// Fails (never skips) when a peer tool is missing, naming its package.
pub fn require_tool(tool: &str, package: &str) {
    let ok = Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {tool}"))
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    assert!(
        ok,
        "peer tool {tool} is missing: install the Debian package {package} (scripts/install-peers.sh)"
    );
}

pub fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

pub fn write(dir: &Path, name: &str, content: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, content).expect("write test file");
    p
}

/// Runs a peer tool; it must exit 0.
pub fn run_peer(cmd: &mut Command, what: &str) {
    let o = cmd.output().expect("run peer");
    assert!(
        o.status.success(),
        "{what} rejected our zone (exit {:?}):\n{}\n{}",
        o.status.code(),
        text(&o.stdout),
        text(&o.stderr)
    );
}

/// The three verifiers, each must exit 0. `knot` is false where Knot's own
/// policy rejects a valid zone (data below a DNAME, which RFC 6672 §2.3
/// allows to exist, occluded).
pub fn peers_accept(signed: &Path, ds: &Path, origin: &str, knot: bool) {
    require_tool("dnssec-verify", "bind9-utils");
    require_tool("ldns-verify-zone", "ldnsutils");
    require_tool("kzonecheck", "knot-dnssecutils");
    let tag = signed.display().to_string();
    run_peer(
        Command::new("dnssec-verify")
            .args(["-o", origin])
            .arg(signed),
        &format!("dnssec-verify on {tag}"),
    );
    run_peer(
        Command::new("ldns-verify-zone")
            .arg("-k")
            .arg(ds)
            .arg(signed),
        &format!("ldns-verify-zone on {tag}"),
    );
    // And our own verifier, with the DS set as trust anchor.
    run_peer(
        Command::new(bin())
            .arg("verify")
            .arg(signed)
            .arg("--ds")
            .arg(ds)
            .arg("--quiet"),
        &format!("zonesign verify on {tag}"),
    );
    if knot {
        run_peer(
            Command::new("kzonecheck")
                .args(["-o", origin, "-d", "on"])
                .arg(signed),
            &format!("kzonecheck on {tag}"),
        );
    }
}
