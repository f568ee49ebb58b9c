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

pub fn project_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared/testdata` beside the project (CI clones it there).
pub fn shared_testdata() -> PathBuf {
    let p = project_root().join("../shared/testdata");
    assert!(p.is_dir(), "shared test data not found at {}", p.display());
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
