//! **Storage**: the one part of the lifecycle that touches the filesystem.
//! The rules ([`super::state`], [`super::timing`], [`super::machine`],
//! [`super::response`]) take values and return values; the operations
//! ([`super::ops`], [`super::sync`](mod@super::sync), [`super::signing`]) load through this
//! module, apply the rules and commit through it.
//!
//! One directory per zone (default `./dnssec/<zone>/`):
//!
//! * `state.yaml`: read without following a symbolic link and only if it
//!   is a regular file, capped in size; replaced atomically (temp file,
//!   fsync, rename; mode 0600), so a run killed anywhere leaves the old or
//!   the new state, and an unlocked reader sees a whole one.
//! * `state.lock` ([`lock`]): one changing run at a time.
//! * the key files (BIND format, [`crate::keys`]): generated keys written
//!   refusing to overwrite, timing rewritten as one transaction per key;
//!   never read through a link ([`crate::keys::KeyLocation::StateDir`]).
//! * `retired/`: where the files of a key that left the zone are moved
//!   (never deleted).

pub mod lock;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use super::state::{domain_id, KeyEntry, KeyRole, ZoneState};
use super::StateError;
use crate::fsio::{atomic_write_mode, FileMode};
use crate::keys::keyfile::{key_file_text, private_file_text, KeyPaths};
use crate::keys::{
    load_key_pair_at, load_public_key_at, write_key_files, Dnskey, KeyError, KeyLocation,
    KeyTiming, PublicKeyFile, SigningKey,
};
use crate::name::Name;
use crate::quote::quote_str;

pub use lock::LockGuard;

/// The state file's name inside the zone's directory.
pub const STATE_FILE: &str = "state.yaml";
/// Where keys go when they leave the zone.
pub const RETIRED_DIR: &str = "retired";
/// The files a key may have; `.pem` is Knot's private key form.
const KEY_FILE_EXTS: [&str; 3] = [".key", ".private", ".pem"];

/// `./dnssec/<zone>` (zone lowercased, without the trailing dot; the root
/// zone is `root`).
pub fn default_state_dir(zone: &Name) -> PathBuf {
    PathBuf::from("dnssec").join(zone_dir_name(zone))
}

fn zone_dir_name(zone: &Name) -> String {
    if zone.is_root() {
        return "root".into();
    }
    let s = zone.to_lowercase().to_string();
    let s = s.strip_suffix('.').unwrap_or(&s).to_string();
    // A name with a `/` label must not escape the directory.
    s.replace('/', "_")
}

// ---------------------------------------------------------------------------
// The test seam

/// Nanoseconds to sleep before `state.yaml`'s rename; 0 for none.
static PAUSE_BEFORE_RENAME_NS: AtomicU64 = AtomicU64::new(0);

/// Test seam, not an API: from now on in this process, [`StateDir::save`]
/// sleeps for `pause` once the new `state.yaml` is complete and synced,
/// before the rename, so a test can hold the lock or kill the process
/// mid-write. The binary sets it from `ZONESIGN_TEST_PAUSE_BEFORE_RENAME`;
/// the library never reads the environment.
#[doc(hidden)]
pub fn set_test_pause_before_rename(pause: Option<Duration>) {
    let ns = pause.map_or(0, |p| u64::try_from(p.as_nanos()).unwrap_or(u64::MAX));
    PAUSE_BEFORE_RENAME_NS.store(ns, Ordering::Relaxed);
}

fn test_pause_before_rename() -> Option<Duration> {
    match PAUSE_BEFORE_RENAME_NS.load(Ordering::Relaxed) {
        0 => None,
        ns => Some(Duration::from_nanos(ns)),
    }
}

// ---------------------------------------------------------------------------
// The state directory

/// The state directory of one zone.
#[derive(Debug, Clone)]
pub struct StateDir {
    pub dir: PathBuf,
}

impl StateDir {
    pub fn new(dir: impl Into<PathBuf>) -> StateDir {
        StateDir { dir: dir.into() }
    }

    pub fn state_file(&self) -> PathBuf {
        self.dir.join(STATE_FILE)
    }

    pub fn retired_dir(&self) -> PathBuf {
        self.dir.join(RETIRED_DIR)
    }

    /// Base path of a key's files in the state directory.
    pub fn key_base(&self, file: &str) -> PathBuf {
        self.dir.join(file)
    }

    /// Whether `state.yaml` exists (a zone that was never enabled has none).
    pub fn has_state(&self) -> bool {
        self.state_file().exists()
    }

    /// Creates the directory (mode 0700) if it does not exist.
    pub fn create(&self) -> Result<(), StateError> {
        crate::fsio::create_private_dir(&self.dir).map_err(StateError::io(&self.dir))
    }

    /// Takes the lock at `now` ([`lock::acquire`]).
    pub fn lock(&self, now: i64) -> Result<(LockGuard, Vec<String>), StateError> {
        lock::acquire(&self.dir, now)
    }

    /// A note on a lock held in the directory, for a reader that takes none
    /// ([`lock::held_note`]).
    pub fn lock_note(&self) -> Option<String> {
        lock::held_note(&self.dir)
    }

    // -- state.yaml

    /// Reads `state.yaml`: `Ok(None)` when it does not exist.
    pub fn load(&self) -> Result<Option<ZoneState>, StateError> {
        let path = self.state_file();
        let bytes = match read_state_file(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(state_open_error(&path, e)),
        };
        let text = String::from_utf8(bytes).map_err(|_| StateError::BadStateFile {
            path: path.clone(),
            msg: "not UTF-8 text".into(),
        })?;
        ZoneState::from_yaml(&text)
            .map(Some)
            .map_err(|msg| StateError::BadStateFile {
                path,
                msg: format!("{msg} (fix the file or restore it from a backup; it is never reset)"),
            })
    }

    /// Loads the state of `zone`: not found is the reference's 404, a state
    /// directory of another zone is bad input.
    pub fn load_zone(&self, zone: &Name) -> Result<ZoneState, StateError> {
        let state = self.load()?.ok_or_else(|| StateError::NotFound {
            zone: domain_id(zone),
            path: self.state_file(),
        })?;
        self.check_zone(&state, zone)?;
        Ok(state)
    }

    /// The state file must be the requested zone's.
    pub fn check_zone(&self, state: &ZoneState, zone: &Name) -> Result<(), StateError> {
        if state.is_zone(zone) {
            Ok(())
        } else {
            Err(StateError::Invalid(format!(
                "{}: holds the state of zone {}, not {zone} (wrong --state-dir?)",
                self.state_file().display(),
                quote_str(&state.zone)
            )))
        }
    }

    /// Writes `state.yaml` atomically (temp file, fsync, rename).
    pub fn save(&self, state: &ZoneState) -> Result<(), StateError> {
        let path = self.state_file();
        let text = state.to_yaml().map_err(|msg| StateError::BadStateFile {
            path: path.clone(),
            msg: format!("cannot serialise the state: {msg}"),
        })?;
        let pause = test_pause_before_rename();
        // 0600 as before: the state is the operator's, not published.
        atomic_write_mode(&path, FileMode::Private, |w| {
            w.write_all(text.as_bytes())?;
            if let Some(p) = pause {
                w.flush()?;
                w.get_ref().sync_all()?;
                std::thread::sleep(p);
            }
            Ok(())
        })
        .map_err(|e| StateError::Io {
            path: path.clone(),
            source: std::io::Error::other(e.to_string()),
        })
    }

    // -- key files

    /// Loads a key pair of this directory, never through a symbolic link.
    pub fn load_key_pair(&self, file: &str) -> Result<SigningKey, KeyError> {
        load_key_pair_at(&self.key_base(file), KeyLocation::StateDir).map(|(k, _)| k)
    }

    /// The public half of a key of this directory, never through a link.
    pub fn load_public_key(&self, file: &str) -> Result<PublicKeyFile, KeyError> {
        load_public_key_at(&self.key_base(file), KeyLocation::StateDir)
    }

    /// The DNSKEY of a key from the state directory or `retired/`; `None`
    /// when neither has a readable `.key`.
    pub fn public_key(&self, file: &str) -> Option<Dnskey> {
        self.load_public_key(file)
            .or_else(|_| load_public_key_at(&self.retired_dir().join(file), KeyLocation::StateDir))
            .ok()
            .map(|p| p.dnskey)
    }

    /// The DNSKEY of every key the state names, where readable: the public
    /// data the views show ([`super::response::Views`]).
    pub fn public_keys(&self, state: &ZoneState) -> BTreeMap<String, Dnskey> {
        state
            .keys
            .iter()
            .filter_map(|k| Some((k.file.clone(), self.public_key(&k.file)?)))
            .collect()
    }

    /// Whether a new key named `file` would clash with files already here
    /// or in `retired/`.
    pub fn key_name_taken(&self, file: &str) -> bool {
        self.dir.join(format!("{file}.key")).exists()
            || self.dir.join(format!("{file}.private")).exists()
            || self.retired_dir().join(format!("{file}.key")).exists()
    }

    /// Writes a new key's files, refusing to overwrite any.
    pub fn write_new_key(&self, key: &SigningKey) -> Result<(), StateError> {
        write_key_files(&self.dir, key)?;
        Ok(())
    }

    /// Rewrites a key's files with the timing `want` (BIND's
    /// `Publish`/`Activate`/`Inactive`/`Delete`, so `dnssec-signzone -S`
    /// makes the same choice as `keys_for_signing`). Returns whether they
    /// differed.
    pub fn write_key_timing(&self, file: &str, want: KeyTiming) -> Result<bool, StateError> {
        let mut key = self.load_key_pair(file)?;
        if *key.timing() == want {
            return Ok(false);
        }
        key.set_timing(want);
        rewrite_key_files(&self.key_base(file), &key)?;
        Ok(true)
    }

    /// Whether the key has a `.key` or `.private` file in the directory.
    pub fn has_key_files(&self, file: &str) -> bool {
        self.dir.join(format!("{file}.key")).exists()
            || self.dir.join(format!("{file}.private")).exists()
    }

    /// Whether `retired/` holds the key's `.key` file.
    pub fn retired_has_key(&self, file: &str) -> bool {
        self.retired_dir().join(format!("{file}.key")).exists()
    }

    /// Moves a key's files back from `retired/`.
    pub fn restore_key_files(&self, file: &str) -> Result<(), StateError> {
        for ext in KEY_FILE_EXTS {
            let src = self.retired_dir().join(format!("{file}{ext}"));
            if src.exists() {
                let dst = self.dir.join(format!("{file}{ext}"));
                fs::rename(&src, &dst).map_err(StateError::io(&src))?;
            }
        }
        Ok(())
    }

    /// Moves a key's files into `retired/` (never deletes; a name already
    /// taken there gets a numeric suffix). Missing files are skipped.
    /// Returns what was moved.
    pub fn retire_key_files(&self, file: &str) -> Result<Vec<String>, StateError> {
        let retired = self.retired_dir();
        let mut moved = Vec::new();
        for ext in KEY_FILE_EXTS {
            let src = self.dir.join(format!("{file}{ext}"));
            if !src.exists() {
                continue;
            }
            crate::fsio::create_private_dir(&retired).map_err(StateError::io(&retired))?;
            let dst = free_name(&retired, &format!("{file}{ext}"));
            fs::rename(&src, &dst).map_err(StateError::io(&src))?;
            moved.push(format!("{} -> {}", src.display(), dst.display()));
        }
        Ok(moved)
    }

    /// Base names (`K...`) of the key files in the directory; empty when it
    /// cannot be listed.
    pub fn key_file_bases(&self) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        if let Ok(rd) = fs::read_dir(&self.dir) {
            for e in rd.flatten() {
                let name = e.file_name().to_string_lossy().into_owned();
                let base = KEY_FILE_EXTS.iter().find_map(|ext| name.strip_suffix(ext));
                if let Some(base) = base.filter(|b| b.starts_with('K')) {
                    out.insert(base.to_string());
                }
            }
        }
        out
    }

    /// Loads every key the zone uses (pending, published, active, retired)
    /// as a pair and checks it is the key the state names. Returns
    /// (file, message) for each problem; the message names the file.
    pub fn check_key_files(&self, state: &ZoneState) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for k in state.current_keys() {
            if let Err(m) = self.check_key_file(k) {
                out.push((k.file.clone(), m));
            }
        }
        out
    }

    /// Checks one key's files in the state directory.
    pub fn check_key_file(&self, k: &KeyEntry) -> Result<(), String> {
        let base = self.key_base(&k.file);
        let private = base.with_file_name(format!("{}.private", k.file));
        let hint = |e: String| {
            format!(
                "{} {} ({}): {e}; restore the key files from a backup (then run sync) or roll the key",
                k.role.as_str(),
                k.key_tag,
                k.file
            )
        };
        if !Path::new(&format!("{}.key", base.display())).exists() {
            return Err(hint(format!("{}.key is missing", base.display())));
        }
        if !private.exists() && !base.with_file_name(format!("{}.pem", k.file)).exists() {
            return Err(hint(format!("{} is missing", private.display())));
        }
        let key = self
            .load_key_pair(&k.file)
            .map_err(|e| hint(e.to_string()))?;
        if key.key_tag().0 != k.key_tag || key.algorithm().number() != k.algorithm {
            return Err(hint(format!(
                "the files hold key {} algorithm {}, state.yaml says {} algorithm {}",
                key.key_tag(),
                key.algorithm().number(),
                k.key_tag,
                k.algorithm
            )));
        }
        if key.is_ksk() != (k.role == KeyRole::Ksk) {
            return Err(hint(format!(
                "flags {} do not make a {}",
                key.flags(),
                k.role.as_str()
            )));
        }
        Ok(())
    }
}

/// Replaces `.private` (0600) and `.key` (0666 less the umask) of a key
/// as one transaction: both complete before either is replaced.
fn rewrite_key_files(base: &Path, key: &SigningKey) -> Result<(), StateError> {
    use crate::fsio::{OnExisting, OutputTransaction};
    let paths = KeyPaths::from_arg(base);
    let err = |path: &Path| {
        let path = path.to_path_buf();
        move |e: crate::fsio::WriteError| StateError::Io {
            path: path.clone(),
            source: std::io::Error::other(e.to_string()),
        }
    };
    let private = zeroize::Zeroizing::new(private_file_text(key));
    let mut txn = OutputTransaction::new();
    txn.stage_with(
        &paths.private,
        FileMode::Private,
        OnExisting::Replace,
        |w| std::io::Write::write_all(w, private.as_bytes()),
    )
    .map_err(err(&paths.private))?;
    txn.stage_with(&paths.key, FileMode::Published, OnExisting::Replace, |w| {
        std::io::Write::write_all(w, key_file_text(key).as_bytes())
    })
    .map_err(err(&paths.key))?;
    txn.commit().map_err(err(&paths.key))
}

fn free_name(dir: &Path, name: &str) -> PathBuf {
    let p = dir.join(name);
    if !p.exists() {
        return p;
    }
    (1u32..)
        .map(|i| dir.join(format!("{name}.{i}")))
        .find(|p| !p.exists())
        .unwrap_or(p)
}

/// Opens a file of a state directory for reading without following a
/// symbolic link, and only if it is a regular file
/// ([`crate::limits::open_regular_no_follow`]): a `state.yaml` linked to
/// another file (as root, `/etc/shadow`) must not be read, let alone quoted.
fn open_state_file(path: &Path) -> std::io::Result<fs::File> {
    crate::limits::open_regular_no_follow(path)
}

/// A file of the state directory, read as [`open_state_file`] opens it
/// and capped in size, so that anything planted in its place (a FIFO, a
/// device, a huge file) cannot fill memory.
fn read_state_file(path: &Path) -> std::io::Result<Vec<u8>> {
    let file = open_state_file(path)?;
    Ok(crate::limits::read_capped(
        file,
        crate::limits::MAX_STATE_FILE_BYTES,
    )?)
}

/// The error for a state file that could not be opened: a symbolic link
/// (`ELOOP` under `O_NOFOLLOW`) or a non-regular file is said as such.
fn state_open_error(path: &Path, e: std::io::Error) -> StateError {
    if crate::limits::is_symlink_refusal(&e) {
        return StateError::BadStateFile {
            path: path.to_path_buf(),
            msg: "is a symbolic link; files of a state directory are never read through a \
                  link (replace the link by the file itself)"
                .into(),
        };
    }
    if crate::limits::is_not_regular_refusal(&e) {
        return StateError::BadStateFile {
            path: path.to_path_buf(),
            msg: "is not a regular file".into(),
        };
    }
    StateError::io(path)(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dir_names() {
        let z = Name::from_ascii("Example.COM.").unwrap();
        assert_eq!(default_state_dir(&z), PathBuf::from("dnssec/example.com"));
        assert_eq!(
            default_state_dir(&Name::root()),
            PathBuf::from("dnssec/root")
        );
    }
}
