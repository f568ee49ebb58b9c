//! **Storage**: `state.lock`, one changing run at a time per zone.
//!
//! The lock is a file created with `create_new` (atomic: only one process
//! can create it) holding `pid=N` and `time=T`. A second run finds it and
//! fails with a state conflict (exit 3). A lock whose process is gone (a
//! run killed with `kill -9`) is stale: it is broken, with a notice. To
//! break it safely when two runs find the same stale lock, it is first
//! renamed to a name unique to this process (only one rename can succeed);
//! the renamed file is then checked to be the stale one we judged.
//!
//! Whether a pid is alive is read from `/proc/<pid>` (Linux); where there
//! is no `/proc`, a lock is never considered stale and has to be removed by
//! hand (the message says how).

use std::fs::{self, OpenOptions};
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};

use super::STATE_FILE;
use crate::lifecycle::time::format_time;
use crate::lifecycle::StateError;

pub const LOCK_FILE: &str = "state.lock";

/// Holds the lock; removes the lock file when dropped (if it is still ours).
#[derive(Debug)]
pub struct LockGuard {
    path: PathBuf,
    content: String,
}

impl Drop for LockGuard {
    fn drop(&mut self) {
        if read_lock(&self.path).as_deref() == Some(self.content.as_str()) {
            let _ = fs::remove_file(&self.path);
        }
    }
}

/// A lock file's text, read like every file of a state directory
/// (`read_state_file`): `None` for a link, a non-regular file or
/// anything unreadable.
fn read_lock(path: &Path) -> Option<String> {
    String::from_utf8(super::read_state_file(path).ok()?).ok()
}

/// The `time=` line of a lock, escaped and cut short for messages.
fn time_line(held: &str) -> String {
    held.lines()
        .find(|l| l.starts_with("time="))
        .map(crate::quote::quote_str)
        .unwrap_or_else(|| "time unknown".into())
}

fn parse_pid(content: &str) -> Option<u32> {
    content
        .lines()
        .find_map(|l| l.strip_prefix("pid="))
        .and_then(|p| p.trim().parse().ok())
}

/// Takes the lock of the state directory `dir` at time `now`. Returns the
/// guard and notices (a stale lock broken, leftover temp files removed).
pub fn acquire(dir: &Path, now: i64) -> Result<(LockGuard, Vec<String>), StateError> {
    let path = dir.join(LOCK_FILE);
    let me = std::process::id();
    let content = format!("pid={me}\ntime={}\n", format_time(now));
    let mut notices = Vec::new();
    for _attempt in 0..3 {
        match OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(mut f) => {
                f.write_all(content.as_bytes())
                    .and_then(|_| f.sync_all())
                    .map_err(StateError::io(&path))?;
                let guard = LockGuard {
                    path: path.clone(),
                    content,
                };
                clean_temp_files(dir, &mut notices);
                return Ok((guard, notices));
            }
            Err(e) if e.kind() == ErrorKind::AlreadyExists => {
                let held = read_lock(&path).unwrap_or_default();
                match parse_pid(&held) {
                    Some(pid) if !crate::fsio::pid_alive(pid) => {
                        if break_stale(&path, &held, me)? {
                            notices.push(format!(
                                "{}: broke a stale lock of process {pid}, which is no longer running ({})",
                                path.display(),
                                time_line(&held)
                            ));
                        }
                        continue;
                    }
                    Some(pid) => {
                        return Err(StateError::Locked {
                            path,
                            msg: format!(
                                "another zonesign run (process {pid}, {}) is changing this zone's state; try again when it has finished (if no zonesign is running, remove the lock file)",
                                time_line(&held)
                            ),
                        })
                    }
                    None => {
                        return Err(StateError::Locked {
                            path,
                            msg: "lock file without a pid (being written, or damaged); if no zonesign is running, remove it".into(),
                        })
                    }
                }
            }
            Err(e) => return Err(StateError::io(&path)(e)),
        }
    }
    Err(StateError::Locked {
        path,
        msg: "could not take the lock (it keeps changing hands)".into(),
    })
}

/// For a command that reads without the lock (`sync --dry-run`): a note
/// on a lock present in `dir`, if any. A live holder may change the state
/// right after we read it; a dead one's lock is only broken by the next
/// run that takes the lock, since breaking it is a write.
pub fn held_note(dir: &Path) -> Option<String> {
    let path = dir.join(LOCK_FILE);
    let held = read_lock(&path)?;
    let note = match parse_pid(&held) {
        Some(pid) if crate::fsio::pid_alive(pid) => format!(
            "another zonesign run (process {pid}, {}) holds the lock and may be changing the state; this report can be out of date",
            time_line(&held)
        ),
        Some(pid) => format!(
            "a stale lock of process {pid} ({}), which is no longer running, is left; the next run that changes the state breaks it",
            time_line(&held)
        ),
        None => "a lock file without a pid is present (being written, or damaged)".to_string(),
    };
    Some(format!("{}: {note}", path.display()))
}

/// Renames the stale lock away and removes it if it is the one we judged
/// stale; if another process replaced it meanwhile, puts that one back.
/// Returns whether we broke it.
fn break_stale(path: &Path, judged: &str, me: u32) -> Result<bool, StateError> {
    let aside = path.with_file_name(format!("{LOCK_FILE}.stale.{me}"));
    match fs::rename(path, &aside) {
        Ok(()) => {}
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(StateError::io(path)(e)),
    }
    let got = read_lock(&aside).unwrap_or_default();
    if got == judged {
        let _ = fs::remove_file(&aside);
        Ok(true)
    } else {
        // Someone else's fresh lock: give it back (hard_link fails if a
        // new lock appeared meanwhile; then that one wins and ours is a
        // conflict they will see).
        let _ = fs::hard_link(&aside, path);
        let _ = fs::remove_file(&aside);
        Ok(false)
    }
}

/// Removes temp files a killed run left behind (`.state.yaml.*`, and
/// key files' `.K*`). Only called with the lock held.
fn clean_temp_files(dir: &Path, notices: &mut Vec<String>) {
    let Ok(rd) = fs::read_dir(dir) else { return };
    for e in rd.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        // Older versions' `.NAME.XXXXXX.tmp`, and the output transaction's
        // `.NAME.zonesign-tmp-PID-RAND` (only a dead lock holder writes here).
        let ours = ((name.starts_with(&format!(".{STATE_FILE}.")) || name.starts_with(".K"))
            && name.ends_with(".tmp"))
            || name.contains(".zonesign-tmp-");
        if ours && fs::remove_file(e.path()).is_ok() {
            notices.push(format!(
                "{}: removed a temporary file left by an interrupted run",
                e.path().display()
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_acquire_conflicts_and_drop_releases() {
        let d = tempfile::tempdir().unwrap();
        let (g, _) = acquire(d.path(), 0).unwrap();
        let e = acquire(d.path(), 0).unwrap_err();
        assert!(matches!(e, StateError::Locked { .. }), "{e}");
        drop(g);
        assert!(!d.path().join(LOCK_FILE).exists());
        acquire(d.path(), 0).unwrap();
    }

    #[test]
    fn stale_lock_is_broken() {
        let d = tempfile::tempdir().unwrap();
        // pid 0 is never a user process (and not in /proc).
        fs::write(d.path().join(LOCK_FILE), "pid=999999999\ntime=x\n").unwrap();
        let (_g, notes) = acquire(d.path(), 0).unwrap();
        assert!(notes.iter().any(|n| n.contains("stale lock")), "{notes:?}");
    }

    #[test]
    fn own_pid_is_alive() {
        assert!(crate::fsio::pid_alive(std::process::id()));
    }
}
