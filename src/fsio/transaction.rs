//! One write transaction for every file a command produces.
//!
//! Every output (signed zone, DS set, `--emit`, key files, `state.yaml`) is
//! first written completely to a temporary file in its target's directory
//! and fsynced; only when every file of the transaction is complete (and
//! an optional pre-commit check, e.g. verifying the staged signed zone, has
//! passed) are they renamed over their targets. A failure at any point
//! before the renames leaves every previous file as it was; a failure of
//! one rename rolls the earlier ones back from hard-linked backups.
//!
//! Why no temporary file survives:
//! - On Linux the temporary file is an `O_TMPFILE`: it has no name while it
//!   is written, so a SIGKILL (or a crash, or a full disk) leaves nothing;
//!   the kernel frees it with the last descriptor. At commit it is given a
//!   name with `linkat` through `/proc/self/fd/N` (`AT_EMPTY_PATH` would
//!   need CAP_DAC_READ_SEARCH) and renamed over the target (`linkat` cannot
//!   replace a file).
//! - The name it gets for that instant, and the name of the fallback
//!   temporary file on filesystems without `O_TMPFILE`, is
//!   `.NAME.zonesign-tmp-PID-RAND`. The next run that writes NAME removes
//!   every such file whose PID is not alive (a crash between `linkat` and
//!   `rename`, or a kill of the fallback).
//! - SIGINT and SIGTERM: the CLI's handler calls [`abort_pending`], which
//!   waits for a commit in progress to finish (so the outputs are either
//!   all old or all new), removes every named temporary file of this run
//!   and stops any later commit; the CLI then exits 130 or 143.
//!
//! Modes: published files are created 0666 less the umask (0644 under
//! 022: a name server running as its own user must read the signed zone
//! and the DS set); private key files 0600 whatever the umask, set at
//! creation, so no byte of a key is ever readable by others.

use std::ffi::OsString;
use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::WriteError;

/// Who may read a file we create.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileMode {
    /// Published output: 0666 less the umask.
    Published,
    /// A private key: 0600 whatever the umask.
    Private,
}

impl FileMode {
    fn bits(self) -> u32 {
        match self {
            FileMode::Published => 0o666,
            FileMode::Private => 0o600,
        }
    }
}

/// What commit does when the target already exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnExisting {
    /// Replace it atomically (rename over it).
    Replace,
    /// Fail with [`WriteError::Exists`] (key files are never overwritten);
    /// the file appears atomically, complete, or not at all.
    Refuse,
}

/// Named temporary files of this process (and backups during a commit),
/// removed by [`abort_pending`]; `aborted` stops any later commit.
struct Pending {
    paths: Vec<PathBuf>,
    aborted: bool,
}

static PENDING: Mutex<Pending> = Mutex::new(Pending {
    paths: Vec::new(),
    aborted: false,
});

fn pending() -> std::sync::MutexGuard<'static, Pending> {
    // A panic elsewhere must not stop the cleanup.
    PENDING.lock().unwrap_or_else(|e| e.into_inner())
}

fn forget(p: &Path) {
    pending().paths.retain(|q| q != p);
}

/// For a signal handler: waits for a commit in progress, removes every
/// named temporary file of this process and makes later commits fail.
/// Returns how many files were removed.
pub fn abort_pending() -> usize {
    let mut g = pending();
    g.aborted = true;
    let mut n = 0;
    for p in g.paths.drain(..) {
        if fs::remove_file(&p).is_ok() {
            n += 1;
        }
    }
    n
}

/// The marker in every temporary name: `.NAME.zonesign-tmp-PID-RAND`.
const TMP_MARK: &str = ".zonesign-tmp-";

fn temp_name(name: &std::ffi::OsStr) -> OsString {
    let mut s = OsString::from(".");
    s.push(name);
    s.push(format!(
        "{TMP_MARK}{}-{:08x}",
        std::process::id(),
        rand::random::<u32>()
    ));
    s
}

/// Whether process `pid` still runs: its `/proc` entry exists and is not a
/// zombie (a zombie has exited; only its parent has not reaped it). Without
/// `/proc` we cannot tell and say yes, so nothing of a live run is removed.
/// Shared with the lifecycle's stale-lock rule.
pub(crate) fn pid_alive(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    let proc_root = Path::new("/proc");
    if !proc_root.join("self").exists() {
        return true;
    }
    match fs::read_to_string(proc_root.join(pid.to_string()).join("stat")) {
        Ok(stat) => !stat
            .rsplit_once(')')
            .map(|(_, rest)| rest.trim_start().starts_with('Z'))
            .unwrap_or(false),
        Err(_) => false,
    }
}

/// Removes `.NAME.zonesign-tmp-PID-*` files in `dir` left by processes
/// that are gone (killed between link and rename, or on a filesystem
/// without O_TMPFILE). Returns the files removed.
pub fn remove_stale_temp_files(dir: &Path, name: &std::ffi::OsStr) -> Vec<PathBuf> {
    let mut prefix = String::from(".");
    prefix.push_str(&name.to_string_lossy());
    prefix.push_str(TMP_MARK);
    let mut removed = Vec::new();
    let Ok(entries) = fs::read_dir(dir) else {
        return removed;
    };
    for e in entries.flatten() {
        let fname = e.file_name();
        let fname = fname.to_string_lossy();
        let Some(rest) = fname.strip_prefix(&prefix) else {
            continue;
        };
        let Some(pid) = rest.split('-').next().and_then(|p| p.parse::<u32>().ok()) else {
            continue;
        };
        if !pid_alive(pid) {
            let p = e.path();
            if fs::remove_file(&p).is_ok() {
                removed.push(p);
            }
        }
    }
    removed
}

struct Staged {
    target: PathBuf,
    dir: PathBuf,
    name: OsString,
    file: File,
    /// The fallback's named temporary file; `None` for an O_TMPFILE.
    named: Option<PathBuf>,
    on_existing: OnExisting,
}

/// A set of output files written together: stage each, then commit.
/// Dropping it without commit leaves every target as it was and removes
/// the temporary files.
#[derive(Default)]
pub struct OutputTransaction {
    files: Vec<Staged>,
    /// Stale temporary files removed while staging (for a warning).
    pub removed_stale: Vec<PathBuf>,
}

fn split_target(path: &Path) -> Result<(PathBuf, OsString), io::Error> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_os_string())
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "not a file name"))?;
    Ok((dir, name))
}

#[cfg(target_os = "linux")]
fn open_unnamed(dir: &Path, mode: FileMode) -> io::Result<Option<File>> {
    use std::os::unix::fs::OpenOptionsExt;
    match fs::OpenOptions::new()
        .read(true)
        .write(true)
        .custom_flags(libc::O_TMPFILE)
        .mode(mode.bits())
        .open(dir)
    {
        Ok(f) => Ok(Some(f)),
        // No O_TMPFILE on this filesystem or kernel: fall back to a name.
        Err(e)
            if matches!(
                e.raw_os_error(),
                Some(libc::EOPNOTSUPP) | Some(libc::EISDIR) | Some(libc::EINVAL)
            ) =>
        {
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

#[cfg(not(target_os = "linux"))]
fn open_unnamed(_dir: &Path, _mode: FileMode) -> io::Result<Option<File>> {
    Ok(None)
}

fn create_named(path: &Path, mode: FileMode) -> io::Result<File> {
    let mut o = fs::OpenOptions::new();
    o.read(true).write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(mode.bits());
    }
    #[cfg(not(unix))]
    let _ = mode;
    o.open(path)
}

/// Gives the O_TMPFILE `file` the name `to` (fails if `to` exists).
#[cfg(target_os = "linux")]
fn link_unnamed(file: &File, to: &Path) -> io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    use std::os::unix::io::AsRawFd;
    let from = format!("/proc/self/fd/{}\0", file.as_raw_fd());
    let mut to_c = to.as_os_str().as_bytes().to_vec();
    if to_c.contains(&0) {
        return Err(io::Error::new(io::ErrorKind::InvalidInput, "NUL in path"));
    }
    to_c.push(0);
    // SAFETY: both are NUL-terminated byte strings that outlive the call.
    let r = unsafe {
        libc::linkat(
            libc::AT_FDCWD,
            from.as_ptr().cast(),
            libc::AT_FDCWD,
            to_c.as_ptr().cast(),
            libc::AT_SYMLINK_FOLLOW,
        )
    };
    if r == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn link_unnamed(_file: &File, _to: &Path) -> io::Result<()> {
    Err(io::Error::new(io::ErrorKind::Unsupported, "no O_TMPFILE"))
}

fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

impl OutputTransaction {
    pub fn new() -> OutputTransaction {
        OutputTransaction::default()
    }

    /// Writes a published file (0666 less the umask) that replaces `path`
    /// at commit. Returns its index for [`staged_path`](Self::staged_path).
    pub fn stage<F>(&mut self, path: &Path, fill: F) -> Result<usize, WriteError>
    where
        F: FnOnce(&mut BufWriter<&File>) -> io::Result<()>,
    {
        self.stage_with(path, FileMode::Published, OnExisting::Replace, fill)
    }

    /// Writes `fill`'s bytes to a temporary file for `path`, completely
    /// and fsynced. Nothing is visible at `path` until [`commit`](Self::commit).
    pub fn stage_with<F>(
        &mut self,
        path: &Path,
        mode: FileMode,
        on_existing: OnExisting,
        fill: F,
    ) -> Result<usize, WriteError>
    where
        F: FnOnce(&mut BufWriter<&File>) -> io::Result<()>,
    {
        let err = |source: io::Error| WriteError::Io {
            path: path.display().to_string(),
            source,
        };
        let (dir, name) = split_target(path).map_err(err)?;
        // A directory (or anything but a file) at the target would make
        // the rename fail after other files were already replaced: refuse
        // it now, before anything is written.
        if let Ok(m) = fs::symlink_metadata(path) {
            if m.is_dir() {
                return Err(err(io::Error::new(
                    io::ErrorKind::IsADirectory,
                    "is a directory",
                )));
            }
            if on_existing == OnExisting::Refuse {
                return Err(WriteError::Exists {
                    path: path.display().to_string(),
                });
            }
        }
        if self.files.iter().any(|s| s.target == path) {
            return Err(err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "named twice as an output",
            )));
        }
        self.removed_stale
            .extend(remove_stale_temp_files(&dir, &name));
        let (file, named) = match open_unnamed(&dir, mode).map_err(err)? {
            Some(f) => (f, None),
            None => {
                let tmp = dir.join(temp_name(&name));
                // Registered before it exists, so a signal never misses it.
                pending().paths.push(tmp.clone());
                match create_named(&tmp, mode) {
                    Ok(f) => (f, Some(tmp)),
                    Err(e) => {
                        forget(&tmp);
                        return Err(err(e));
                    }
                }
            }
        };
        let staged = Staged {
            target: path.to_path_buf(),
            dir,
            name,
            file,
            named,
            on_existing,
        };
        // From here a failure drops `staged`, which removes a named file.
        {
            let mut w = BufWriter::with_capacity(1 << 20, &staged.file);
            fill(&mut w).map_err(err)?;
            w.flush().map_err(err)?;
        }
        staged.file.sync_all().map_err(err)?;
        self.files.push(staged);
        Ok(self.files.len() - 1)
    }

    /// A path the staged file `i` can be read by before commit (for a
    /// pre-commit check such as verifying the signed zone): the named
    /// temporary file, or `/proc/self/fd/N` for an O_TMPFILE.
    pub fn staged_path(&self, i: usize) -> Option<PathBuf> {
        let s = self.files.get(i)?;
        if let Some(n) = &s.named {
            return Some(n.clone());
        }
        #[cfg(unix)]
        {
            use std::os::unix::io::AsRawFd;
            Some(PathBuf::from(format!(
                "/proc/self/fd/{}",
                s.file.as_raw_fd()
            )))
        }
        #[cfg(not(unix))]
        None
    }

    /// Makes every staged file visible at its target, in staging order.
    /// Either all targets are replaced or (on an error) all are as before.
    pub fn commit(mut self) -> Result<(), WriteError> {
        // Held throughout: a signal handler waits for the commit to end.
        let mut g = pending();
        if g.aborted {
            return Err(WriteError::Interrupted);
        }
        let files = std::mem::take(&mut self.files);
        let mut named: Vec<(PathBuf, &Staged)> = Vec::with_capacity(files.len());
        let mut created: Vec<PathBuf> = Vec::new();
        let fail = |g: &mut Pending,
                    named: &[(PathBuf, &Staged)],
                    created: &[PathBuf],
                    s: &Staged,
                    e: io::Error| {
            for (p, _) in named {
                let _ = fs::remove_file(p);
                g.paths.retain(|q| q != p);
            }
            for p in created {
                let _ = fs::remove_file(p);
            }
            if e.kind() == io::ErrorKind::AlreadyExists && s.on_existing == OnExisting::Refuse {
                WriteError::Exists {
                    path: s.target.display().to_string(),
                }
            } else {
                WriteError::Io {
                    path: s.target.display().to_string(),
                    source: e,
                }
            }
        };
        // 1. Every file gets a name (Refuse: its final name, atomically).
        for s in &files {
            match (&s.named, s.on_existing) {
                (Some(p), OnExisting::Replace) => named.push((p.clone(), s)),
                (Some(p), OnExisting::Refuse) => {
                    // hard_link fails if the target exists: no overwrite.
                    if let Err(e) = fs::hard_link(p, &s.target) {
                        return Err(fail(&mut g, &named, &created, s, e));
                    }
                    created.push(s.target.clone());
                    let _ = fs::remove_file(p);
                    g.paths.retain(|q| q != p);
                }
                (None, OnExisting::Replace) => {
                    let p = s.dir.join(temp_name(&s.name));
                    g.paths.push(p.clone());
                    if let Err(e) = link_unnamed(&s.file, &p) {
                        g.paths.retain(|q| q != &p);
                        return Err(fail(&mut g, &named, &created, s, e));
                    }
                    named.push((p, s));
                }
                (None, OnExisting::Refuse) => {
                    if let Err(e) = link_unnamed(&s.file, &s.target) {
                        return Err(fail(&mut g, &named, &created, s, e));
                    }
                    created.push(s.target.clone());
                }
            }
        }
        // 2. Backups of the targets to be replaced, for a rollback.
        let mut backups: Vec<Option<PathBuf>> = Vec::with_capacity(named.len());
        for (_, s) in &named {
            let b = s.dir.join(temp_name(&s.name));
            if fs::symlink_metadata(&s.target).is_ok() {
                g.paths.push(b.clone());
                if fs::hard_link(&s.target, &b).is_ok() {
                    backups.push(Some(b));
                    continue;
                }
                g.paths.retain(|q| q != &b);
            }
            backups.push(None);
        }
        // 3. The renames.
        for k in 0..named.len() {
            let (p, s) = &named[k];
            if let Err(e) = fs::rename(p, &s.target) {
                for j in (0..k).rev() {
                    let t = &named[j].1.target;
                    match &backups[j] {
                        Some(b) => {
                            let _ = fs::rename(b, t);
                        }
                        None => {
                            let _ = fs::remove_file(t);
                        }
                    }
                }
                for b in backups.iter().flatten() {
                    let _ = fs::remove_file(b);
                    g.paths.retain(|q| q != b);
                }
                let rest: Vec<(PathBuf, &Staged)> = named[k..].to_vec();
                return Err(fail(&mut g, &rest, &created, s, e));
            }
            g.paths.retain(|q| q != p);
        }
        for b in backups.iter().flatten() {
            let _ = fs::remove_file(b);
            g.paths.retain(|q| q != b);
        }
        drop(g);
        let mut dirs: Vec<&Path> = files.iter().map(|s| s.dir.as_path()).collect();
        dirs.dedup();
        for d in dirs {
            sync_dir(d);
        }
        Ok(())
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if let Some(p) = &self.named {
            let _ = fs::remove_file(p);
            forget(p);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn failed_rename_rolls_back_the_files_already_replaced() {
        let d = tempfile::tempdir().unwrap();
        let (a, b) = (d.path().join("a"), d.path().join("b"));
        fs::write(&a, "old a").unwrap();
        let mut t = OutputTransaction::new();
        t.stage(&a, |w| w.write_all(b"new a")).unwrap();
        t.stage(&b, |w| w.write_all(b"new b")).unwrap();
        // After staging, `b` becomes a non-empty directory: its rename
        // fails after `a` was already renamed.
        fs::create_dir(&b).unwrap();
        fs::write(b.join("x"), "").unwrap();
        assert!(t.commit().is_err());
        assert_eq!(fs::read_to_string(&a).unwrap(), "old a");
        assert_eq!(
            names(d.path()),
            vec!["a", "b"],
            "no temp file or backup left"
        );
    }

    #[test]
    fn staged_file_is_readable_by_path_before_commit_and_invisible_until_then() {
        let d = tempfile::tempdir().unwrap();
        let z = d.path().join("zone");
        let mut t = OutputTransaction::new();
        let i = t.stage(&z, |w| w.write_all(b"staged")).unwrap();
        let p = t.staged_path(i).unwrap();
        assert_eq!(fs::read_to_string(&p).unwrap(), "staged");
        assert!(!z.exists());
        assert!(names(d.path()).is_empty(), "{:?}", names(d.path()));
        t.commit().unwrap();
        assert_eq!(fs::read_to_string(&z).unwrap(), "staged");
        assert_eq!(names(d.path()), vec!["zone"]);
    }

    #[test]
    fn dropped_transaction_leaves_targets_and_no_temp_file() {
        let d = tempfile::tempdir().unwrap();
        let z = d.path().join("zone");
        fs::write(&z, "old").unwrap();
        let mut t = OutputTransaction::new();
        t.stage(&z, |w| w.write_all(b"new")).unwrap();
        let e = t.stage(&d.path().join("other"), |_| {
            Err(io::Error::other("fill failed"))
        });
        assert!(e.is_err());
        drop(t);
        assert_eq!(fs::read_to_string(&z).unwrap(), "old");
        assert_eq!(names(d.path()), vec!["zone"]);
    }

    #[test]
    fn refuse_never_overwrites_an_existing_file() {
        let d = tempfile::tempdir().unwrap();
        let k = d.path().join("K.key");
        let mut t = OutputTransaction::new();
        t.stage_with(&k, FileMode::Private, OnExisting::Refuse, |w| {
            w.write_all(b"1")
        })
        .unwrap();
        // Appears between staging and commit: the link fails, nothing replaced.
        fs::write(&k, "other").unwrap();
        assert!(matches!(t.commit(), Err(WriteError::Exists { .. })));
        assert_eq!(fs::read_to_string(&k).unwrap(), "other");
    }
}
