//! **Operation**: `sync`, reconciling `state.yaml` with the key files on
//! disk. What is on disk is asked of [`super::store`], which also does
//! every move and rewrite; this file decides.
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

use super::ops::{Context, Outcome, Session};
use super::response::SyncResponse;
use super::state::KeyState;
use super::timing::key_timing;
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
        if !sess.dir.has_key_files(&k.file) && sess.dir.retired_has_key(&k.file) {
            changes.push(format!(
                "restore {} from retired/ ({} {} is {} in state.yaml)",
                k.file,
                k.role.as_str(),
                k.key_tag,
                k.state.as_str()
            ));
            if !dry_run {
                sess.dir.restore_key_files(&k.file)?;
            } else {
                continue;
            }
        }
        if let Err(m) = sess.dir.check_key_file(k) {
            problems.push(m);
            continue;
        }
        if dry_run {
            if let Ok(key) = sess.dir.load_key_pair(&k.file) {
                if *key.timing() != key_timing(k) {
                    changes.push(format!(
                        "rewrite the timing of {} to match state.yaml",
                        k.file
                    ));
                }
            }
        } else if sess.dir.write_key_timing(&k.file, key_timing(k))? {
            changes.push(format!(
                "rewrote the timing of {} to match state.yaml",
                k.file
            ));
        }
    }
    // Removed keys still in the directory, and unknown key files.
    let known_current: BTreeSet<String> = current.iter().map(|k| k.file.clone()).collect();
    let extra: BTreeSet<String> = sess
        .dir
        .key_file_bases()
        .into_iter()
        .filter(|b| !known_current.contains(b) && !pending_moves.contains(b))
        .collect();
    for base in &extra {
        let why = match sess.state.key(base) {
            Some(k) if k.state == KeyState::Removed => "removed key",
            _ => "key not in state.yaml",
        };
        changes.push(format!("move {why} {base} to retired/"));
        if !dry_run {
            sess.dir.retire_key_files(base)?;
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
    let keys = sess.public_keys();
    let state = sess.views(&keys).get(problems.clone());
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
