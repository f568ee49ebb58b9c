//! Helpers for the `zonesign dnssec` tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

/// 2026-01-01T00:00:00Z.
pub const T0: i64 = 1_767_225_600;
pub const HOUR: i64 = 3600;
pub const DAY: i64 = 86_400;

pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_zonesign")
}

/// A temporary working directory with one zone's state directory.
pub struct Env {
    pub tmp: tempfile::TempDir,
    pub zone: String,
}

/// What a run gave: exit code, stdout parsed as JSON (Null if not JSON),
/// stdout and stderr text.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub json: Value,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn ok(self) -> Run {
        assert_eq!(self.code, 0, "expected success: {self:#?}");
        self
    }

    pub fn code(self, want: i32) -> Run {
        assert_eq!(self.code, want, "expected exit {want}: {self:#?}");
        self
    }
}

pub fn finish(o: Output) -> Run {
    let stdout = String::from_utf8_lossy(&o.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
    // Private key material never appears in any output.
    // (Messages may name the `PrivateKey` field, never show a value.)
    for s in [&stdout, &stderr] {
        assert!(
            !s.contains("Private-key-format"),
            "private data printed: {s}"
        );
        for (i, _) in s.match_indices("PrivateKey:") {
            let value = s[i + "PrivateKey:".len()..]
                .split_whitespace()
                .next()
                .unwrap_or("");
            assert!(
                value.len() < 16
                    || !value
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/' || b == b'='),
                "private data printed: {s}"
            );
        }
    }
    Run {
        code: o.status.code().unwrap_or(-1),
        json: serde_json::from_str(&stdout).unwrap_or(Value::Null),
        stdout,
        stderr,
    }
}

impl Env {
    pub fn new(zone: &str) -> Env {
        Env {
            tmp: tempfile::tempdir().expect("tempdir"),
            zone: zone.to_string(),
        }
    }

    /// The zone's state directory (given with --state-dir).
    pub fn sd(&self) -> PathBuf {
        self.tmp.path().join("state")
    }

    pub fn state_yaml(&self) -> PathBuf {
        self.sd().join("state.yaml")
    }

    pub fn state_bytes(&self) -> Vec<u8> {
        std::fs::read(self.state_yaml()).expect("read state.yaml")
    }

    /// `zonesign dnssec <sub> <zone> --state-dir <sd> --now <now> <extra...>`
    pub fn cmd(&self, sub: &str, now: i64, extra: &[&str]) -> Command {
        let mut c = self.cmd_at(sub, &now.to_string());
        c.args(extra);
        c
    }

    /// Like [`Env::cmd`], with `--now` as text (any form the CLI takes).
    pub fn cmd_at(&self, sub: &str, now: &str) -> Command {
        let mut c = Command::new(bin());
        c.current_dir(self.tmp.path())
            .arg("dnssec")
            .arg(sub)
            .arg(&self.zone)
            .arg("--state-dir")
            .arg(self.sd())
            .arg("--now")
            .arg(now);
        c
    }

    pub fn run(&self, sub: &str, now: i64, extra: &[&str]) -> Run {
        finish(self.cmd(sub, now, extra).output().expect("run zonesign"))
    }

    pub fn status(&self, now: i64) -> Value {
        self.run("status", now, &[]).ok().json
    }

    /// enable + confirm the DS: an `active` zone. Returns the KSK tag.
    pub fn active_zone(&self, now: i64) -> u64 {
        let e = self.enable(now, &[]);
        let ds = e.json["ds_records"][0]["record"]
            .as_str()
            .expect("ds record")
            .to_string();
        self.run("confirm-ds-published", now + HOUR, &["--ds-record", &ds])
            .ok();
        e.json["ksk"]["key_tag"].as_u64().expect("tag")
    }

    pub fn enable(&self, now: i64, extra: &[&str]) -> Run {
        self.run("enable", now, extra).ok()
    }
}

/// Tags of the keys in a GET body's `ksk` or `zsk` list with their
/// (published, active) flags.
pub fn keys(get: &Value, role: &str) -> Vec<(u64, bool, bool)> {
    get[role]
        .as_array()
        .map(|v| {
            v.iter()
                .map(|k| {
                    (
                        k["key_tag"].as_u64().unwrap_or(0),
                        k["published"].as_bool().unwrap_or(false),
                        k["active"].as_bool().unwrap_or(false),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Key tags of a DS list.
pub fn ds_tags(v: &Value) -> Vec<u64> {
    let mut t: Vec<u64> = v
        .as_array()
        .map(|a| a.iter().filter_map(|d| d["key_tag"].as_u64()).collect())
        .unwrap_or_default();
    t.sort();
    t
}

pub fn exists(p: &Path) -> bool {
    p.exists()
}
