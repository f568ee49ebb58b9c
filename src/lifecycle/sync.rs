//! `sync`: reconciles `state.yaml` with the key files on disk.
//!
//! `state.yaml` is authoritative for which keys the zone has and their
//! timing; the files are made to agree where that is safe:
//!
//! * a current key whose files are in `retired/` is moved back;
//! * a key file whose BIND timing differs from the state is rewritten;
//! * a removed key whose files are still in the state directory is moved
//!   to `retired/`;
//! * key files the state does not know (e.g. from an interrupted run) are
//!   moved to `retired/` (never deleted).
//!
//! What cannot be fixed is reported as a problem (missing or mismatched
//! key files of a current key: restore them from a backup, or roll the
//! key); the CLI then exits 5. `--dry-run` only reports.

use std::collections::BTreeSet;
use std::fs;

use super::machine::retire_files;
use super::ops::{write_key_timing, Context, Outcome, Session};
use super::response::{check_key_file, SyncResponse};
use super::state::KeyState;
use super::StateError;

/// `sync [--dry-run]`.
pub fn sync(ctx: &Context, dry_run: bool) -> Result<Outcome<SyncResponse>, StateError> {
    // A dry run only reads: no lock (it would be a write), nothing saved.
    let mut sess = if dry_run {
        Session::open_read_only(ctx)?
    } else {
        Session::open(ctx)?
    };
    let mut changes = Vec::new();
    let mut problems = Vec::new();
    let logged_before = sess.saved_event_count();
    // Time-driven transitions already applied by open(): report them.
    let transitions: Vec<String> = sess
        .state
        .events
        .iter()
        .skip(logged_before)
        .map(|e| format!("{} {}: {}", e.at, e.event, e.detail))
        .collect();
    changes.extend(transitions);
    let pending_moves: Vec<String> = sess.removed.clone();
    for f in &pending_moves {
        changes.push(format!("move the files of removed key {f} to retired/"));
    }
    // Current keys.
    let current: Vec<_> = sess.state.current_keys().cloned().collect();
    for k in &current {
        let here = sess.dir.dir.join(format!("{}.key", k.file)).exists()
            || sess.dir.dir.join(format!("{}.private", k.file)).exists();
        let retired_key = sess.dir.retired_dir().join(format!("{}.key", k.file));
        if !here && retired_key.exists() {
            changes.push(format!(
                "restore {} from retired/ ({} {} is {} in state.yaml)",
                k.file,
                k.role.as_str(),
                k.key_tag,
                k.state.as_str()
            ));
            if !dry_run {
                for ext in [".key", ".private", ".pem"] {
                    let src = sess.dir.retired_dir().join(format!("{}{ext}", k.file));
                    if src.exists() {
                        let dst = sess.dir.dir.join(format!("{}{ext}", k.file));
                        fs::rename(&src, &dst).map_err(StateError::io(&src))?;
                    }
                }
            } else {
                continue;
            }
        }
        if let Err(m) = check_key_file(&sess.dir, k) {
            problems.push(m);
            continue;
        }
        if dry_run {
            let base = sess.dir.key_base(&k.file);
            if let Ok(key) = sess.dir.load_key_pair(&base) {
                let t = key.timing();
                let want = (
                    Some(k.created.0),
                    k.published.map(|t| t.0),
                    k.active.map(|t| t.0),
                    k.inactive.map(|t| t.0),
                    k.deleted.map(|t| t.0),
                );
                if (t.created, t.publish, t.activate, t.inactive, t.delete) != want {
                    changes.push(format!(
                        "rewrite the timing of {} to match state.yaml",
                        k.file
                    ));
                }
            }
        } else if write_key_timing(&sess.dir, k)? {
            changes.push(format!(
                "rewrote the timing of {} to match state.yaml",
                k.file
            ));
        }
    }
    // Removed keys still in the directory, and unknown key files.
    let known_current: BTreeSet<String> = current.iter().map(|k| k.file.clone()).collect();
    let mut extra: BTreeSet<String> = BTreeSet::new();
    if let Ok(rd) = fs::read_dir(&sess.dir.dir) {
        for e in rd.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            let base = [".key", ".private", ".pem"]
                .iter()
                .find_map(|ext| name.strip_suffix(ext));
            if let Some(base) = base.filter(|b| b.starts_with('K')) {
                if !known_current.contains(base) && !pending_moves.iter().any(|f| f == base) {
                    extra.insert(base.to_string());
                }
            }
        }
    }
    for base in &extra {
        let why = match sess.state.key(base) {
            Some(k) if k.state == KeyState::Removed => "removed key",
            _ => "key not in state.yaml",
        };
        changes.push(format!("move {why} {base} to retired/"));
        if !dry_run {
            retire_files(&sess.dir, base)?;
        }
    }
    let message = match (dry_run, changes.len(), problems.len()) {
        (true, 0, 0) => "in sync; nothing to change".to_string(),
        (true, n, p) => format!("would make {n} change(s); {p} problem(s) need you"),
        (false, 0, 0) => "in sync; nothing changed".to_string(),
        (false, n, p) => format!("made {n} change(s); {p} problem(s) need you"),
    };
    if !dry_run {
        if !changes.is_empty() {
            sess.state.log(
                ctx.now,
                "sync",
                None,
                format!("{} change(s)", changes.len()),
            );
        }
        sess.commit()?;
    }
    let v = sess.views();
    let state = v.get(problems.clone());
    Ok(Outcome {
        response: SyncResponse {
            action: "sync",
            message,
            dry_run,
            changes,
            problems,
            state,
        },
        notices: sess.notices.clone(),
    })
}
