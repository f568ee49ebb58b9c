//! Writing files so that no run half-replaces anything: every output of
//! a run staged completely and committed together ([`OutputTransaction`]:
//! `O_TMPFILE` and `linkat`, rollback, cleanup on SIGINT/SIGTERM), the
//! modes files and key directories are created with, and the rule that no
//! output may be one of the run's inputs.
//!
//! The bottom of the library: it names no other module of ours, so the
//! zone writer ([`crate::output`]), key files ([`crate::keys`]) and the
//! lifecycle's state directory ([`crate::lifecycle`]) all write through it.

use std::fs::File;
use std::io::{self, BufWriter};
use std::path::{Path, PathBuf};

mod transaction;

pub(crate) use transaction::pid_alive;
pub use transaction::{
    abort_pending, remove_stale_temp_files, FileMode, OnExisting, OutputTransaction,
};

/// Why an output file could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("cannot write {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: io::Error,
    },
    /// A file that is never overwritten (a key file) is already there.
    #[error("{path}: already exists; not overwriting it")]
    Exists { path: String },
    /// SIGINT or SIGTERM arrived: nothing more is published.
    #[error("interrupted: no output written")]
    Interrupted,
    /// An output path names an input of the run (RFC-independent safety
    /// rule: a run must never destroy what it reads).
    #[error("{output}: {what}; refusing to overwrite an input (choose another output path)")]
    WouldOverwriteInput { output: String, what: String },
}

/// Writes one published file atomically (see [`OutputTransaction`]): the
/// old file stays untouched on any failure or kill.
pub fn atomic_write<F>(path: &Path, fill: F) -> Result<(), WriteError>
where
    F: FnOnce(&mut BufWriter<&File>) -> io::Result<()>,
{
    atomic_write_mode(path, FileMode::Published, fill)
}

/// [`atomic_write`] with an explicit mode (private key files: 0600).
pub fn atomic_write_mode<F>(path: &Path, mode: FileMode, fill: F) -> Result<(), WriteError>
where
    F: FnOnce(&mut BufWriter<&File>) -> io::Result<()>,
{
    let mut t = OutputTransaction::new();
    t.stage_with(path, mode, OnExisting::Replace, fill)?;
    t.commit()
}

/// Creates `dir` (and missing parents) with mode 0700 whatever the umask:
/// key and state directories must not let others drop a key pair in
/// (`sign --keys` uses every pair it finds). An existing directory is
/// left as it is.
pub fn create_private_dir(dir: &Path) -> io::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    b.create(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // The umask may have cleared owner bits; set the mode explicitly.
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

/// A warning when an existing key or state directory can be written by
/// group or others (anyone could add a key pair that would then sign).
pub fn writable_by_others_warning(dir: &Path) -> Option<String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let m = std::fs::metadata(dir).ok()?.permissions().mode();
        (m & 0o022 != 0).then(|| {
            format!(
                "{}: directory is writable by {} (mode {:o}); anyone who can write there can add keys: chmod go-w it",
                dir.display(),
                if m & 0o002 != 0 { "everyone" } else { "its group" },
                m & 0o7777
            )
        })
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        None
    }
}

/// Device and inode of a file (`None`: it does not exist).
#[cfg(unix)]
fn file_id(p: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(p).ok().map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn file_id(p: &Path) -> Option<(u64, u64)> {
    std::fs::canonicalize(p).ok().map(|c| {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        c.hash(&mut h);
        (0, h.finish())
    })
}

/// Refuses outputs that are one of the inputs, however named (same device
/// and inode: hard links, symlinks, `./x` and `x` alike), or that are
/// named twice. `inputs`: (path, what it is, for the message).
pub fn check_outputs_spare_inputs(
    outputs: &[&Path],
    inputs: &[(PathBuf, String)],
) -> Result<(), WriteError> {
    let ids: Vec<(Option<(u64, u64)>, &String)> =
        inputs.iter().map(|(p, w)| (file_id(p), w)).collect();
    for (i, out) in outputs.iter().enumerate() {
        let Some(id) = file_id(out) else {
            // Not there yet: it can only clash with another output.
            if outputs[..i].iter().any(|o| o == out) {
                return Err(WriteError::WouldOverwriteInput {
                    output: out.display().to_string(),
                    what: "named as two outputs".into(),
                });
            }
            continue;
        };
        if let Some((_, what)) = ids.iter().find(|(j, _)| *j == Some(id)) {
            return Err(WriteError::WouldOverwriteInput {
                output: out.display().to_string(),
                what: format!("is {what}"),
            });
        }
        if outputs[..i].iter().any(|o| file_id(o) == Some(id)) {
            return Err(WriteError::WouldOverwriteInput {
                output: out.display().to_string(),
                what: "named as two outputs".into(),
            });
        }
    }
    Ok(())
}
