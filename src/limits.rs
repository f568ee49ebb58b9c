//! Caps on what reading input may take, and a bounded whole-file read.
//!
//! Every input is bounded: a zone and its `$INCLUDE`s by a byte cap and a
//! record cap, a `$GENERATE` by the number of values of its range, key and
//! state files by a small fixed size. A file that is not a regular file (a
//! pipe, `/dev/zero`, a character device) has no size to check first, so it
//! is read in steps and refused at the cap; memory that cannot be had is an
//! error, never an abort.

use std::io::{self, Read};
use std::path::Path;

/// Default `--max-input-bytes`: 64 GiB. A 10M-name zone is about 1.7 GB of
/// text unsigned; signed by us it measured (at 10k names, scaled) about
/// 760 bytes more per name with ECDSA P-256 and 1650 more with RSA-2048, so
/// 9 GB and 18 GB; a ZSK rollover's double signatures and RSA-4096 double
/// that again. A regular file is mapped, not copied, so this cap costs no
/// memory; it only stops an input that never ends.
pub const DEFAULT_MAX_INPUT_BYTES: u64 = 64 << 30;
/// Default cap on one input that is not a regular file (a pipe, a
/// device): such an input is held in memory whole, so its cap must fit in
/// memory, not on disk. 2 GiB holds a 10M-name zone unsigned (1.7 GB) and
/// stops `/dev/zero` in about a second; `--max-input-bytes`, when given,
/// sets this cap too.
pub const DEFAULT_MAX_STREAM_BYTES: u64 = 2 << 30;
/// Default `--max-records`: 200 million. A 10M-name zone is about 24.5M
/// records unsigned and 70M signed with NSEC (7 per name, measured at 10k
/// names); NSEC3 and a ZSK rollover (two RRSIGs per RRset) take it near
/// 100M. Records are what the model holds in memory, so this is the cap
/// that bounds memory for regular files.
pub const DEFAULT_MAX_RECORDS: u64 = 200_000_000;
/// Default `--max-generate`: 2^24 values per `$GENERATE`, the PTR records
/// of a whole IPv4 /8 (BIND sets no cap; its range is a C `int`).
pub const DEFAULT_MAX_GENERATE: u64 = 1 << 24;
/// Largest key file (`.key`, `.private`) read: the biggest real one, an
/// RSA-4096 `.private`, is about 3.3 KB.
pub const MAX_KEY_FILE_BYTES: u64 = 64 << 10;
/// Largest lifecycle state file (`state.yaml`) or lock file read.
pub const MAX_STATE_FILE_BYTES: u64 = 16 << 20;

/// Caps on reading one zone (with its includes) or one DS / trust-anchor
/// file. `None` turns a cap off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Bytes read across the file and every file it includes.
    pub max_input_bytes: Option<u64>,
    /// Bytes read from one file that is not a regular file (held in
    /// memory whole, so capped lower by default).
    pub max_stream_bytes: Option<u64>,
    /// Records read across the file and every file it includes,
    /// `$GENERATE`d ones included.
    pub max_records: Option<u64>,
    /// Values of one `$GENERATE` range, checked before it is expanded.
    pub max_generate: Option<u64>,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_input_bytes: Some(DEFAULT_MAX_INPUT_BYTES),
            max_stream_bytes: Some(DEFAULT_MAX_STREAM_BYTES),
            max_records: Some(DEFAULT_MAX_RECORDS),
            max_generate: Some(DEFAULT_MAX_GENERATE),
        }
    }
}

impl Limits {
    /// No caps at all.
    pub fn unlimited() -> Limits {
        Limits {
            max_input_bytes: None,
            max_stream_bytes: None,
            max_records: None,
            max_generate: None,
        }
    }
}

/// Why a bounded read failed.
#[derive(Debug, thiserror::Error)]
pub enum ReadCapError {
    #[error("{0}")]
    Io(#[from] io::Error),
    /// More than `cap` bytes were there to read.
    #[error("more than {cap} bytes")]
    TooLarge { cap: u64 },
    /// The buffer could not grow (an address-space limit, say).
    #[error("out of memory after reading {read} bytes")]
    NoMemory { read: u64 },
}

impl From<ReadCapError> for io::Error {
    fn from(e: ReadCapError) -> io::Error {
        match e {
            ReadCapError::Io(e) => e,
            ReadCapError::TooLarge { cap } => io::Error::new(
                io::ErrorKind::FileTooLarge,
                format!("larger than {cap} bytes, more than such a file can hold"),
            ),
            e @ ReadCapError::NoMemory { .. } => {
                io::Error::new(io::ErrorKind::OutOfMemory, e.to_string())
            }
        }
    }
}

/// Reads `r` to its end, refusing more than `cap` bytes. The buffer grows
/// with the data actually read (never by a size announced up front), and a
/// failed allocation is an error.
pub fn read_capped(r: impl Read, cap: u64) -> Result<Vec<u8>, ReadCapError> {
    const STEP: usize = 64 << 10;
    let mut out: Vec<u8> = Vec::new();
    let mut chunk = vec![0u8; STEP];
    // One byte past the cap tells "exactly cap" from "more".
    let mut r = r.take(cap.saturating_add(1));
    loop {
        let n = match r.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e.into()),
        };
        if out.len() as u64 + n as u64 > cap {
            return Err(ReadCapError::TooLarge { cap });
        }
        out.try_reserve(n).map_err(|_| ReadCapError::NoMemory {
            read: out.len() as u64,
        })?;
        out.extend_from_slice(&chunk[..n]);
    }
    Ok(out)
}

/// Reads a whole file of at most `cap` bytes. A regular file larger than
/// that is refused from its size, before anything is read; anything else
/// (a pipe, a device) is read up to the cap. Errors are `io::Error`s
/// (`NotFound` stays `NotFound`), for callers that report I/O errors.
pub fn read_file_capped(path: &Path, cap: u64) -> io::Result<Vec<u8>> {
    let (file, meta) = open_input(path)?;
    read_opened(file, &meta, cap)
}

/// Reads an opened input up to `cap`: a regular file larger than the cap
/// is refused before any read, and a FIFO that gave nothing is an error.
fn read_opened(file: std::fs::File, meta: &std::fs::Metadata, cap: u64) -> io::Result<Vec<u8>> {
    if meta.is_file() && meta.len() > cap {
        return Err(ReadCapError::TooLarge { cap }.into());
    }
    let bytes = read_capped(file, cap)?;
    check_fifo_gave_data(meta, &bytes)?;
    Ok(bytes)
}

/// The message for a FIFO (named pipe) that gave nothing.
pub const FIFO_WITHOUT_WRITER: &str = "is a FIFO (named pipe) that gave no data: no process \
     had it open for writing (start the writer first), or the writer sent nothing";

/// Opens an input the user named (a zone, an `$INCLUDE`, a DS or trust
/// anchor file, a key file) for reading, and returns it with its `fstat`.
///
/// POSIX `open(2)` of a FIFO for reading blocks until a writer opens it, so
/// a FIFO with no writer would hang the run for ever (no cap can stop a
/// read that never starts). The open is therefore non-blocking
/// (`O_NONBLOCK`, which does nothing to regular files); the file type is
/// then known from `fstat`, and for anything but a regular file the flag
/// is cleared again, so reads wait for data as usual. A FIFO whose writer
/// is there (a pipe on `/dev/stdin`, `<(...)`, a producer started first)
/// reads as before; one with no writer reads end-of-file at once (POSIX
/// `read(2)`: "If no process has the pipe open for writing, read() shall
/// return 0"), which [`check_fifo_gave_data`] turns into an error naming
/// the cause. A directory is refused here.
pub fn open_input(path: &Path) -> io::Result<(std::fs::File, std::fs::Metadata)> {
    use std::os::unix::fs::OpenOptionsExt;
    use std::os::unix::io::AsRawFd;
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_CLOEXEC)
        .open(path)?;
    let meta = file.metadata()?;
    if meta.is_dir() {
        return Err(io::Error::new(
            io::ErrorKind::IsADirectory,
            "is a directory",
        ));
    }
    if !meta.is_file() {
        let fd = file.as_raw_fd();
        // SAFETY: F_GETFL/F_SETFL on a descriptor we own and keep open;
        // they only read and set the file status flags.
        let flags = unsafe { libc::fcntl(fd, libc::F_GETFL) };
        if flags < 0 || unsafe { libc::fcntl(fd, libc::F_SETFL, flags & !libc::O_NONBLOCK) } < 0 {
            return Err(io::Error::last_os_error());
        }
    }
    Ok((file, meta))
}

/// A FIFO that read empty had no writer (or an empty one): an error saying
/// so, rather than an empty input whose errors ("no SOA") would mislead.
pub fn check_fifo_gave_data(meta: &std::fs::Metadata, bytes: &[u8]) -> io::Result<()> {
    use std::os::unix::fs::FileTypeExt;
    if bytes.is_empty() && meta.file_type().is_fifo() {
        return Err(io::Error::other(FIFO_WITHOUT_WRITER));
    }
    Ok(())
}

/// The error text of [`open_regular_no_follow`] for a file that is not a
/// regular file (an `io::Error` with no OS code, so callers can tell it).
pub const NOT_REGULAR: &str = "not a regular file";

/// Opens a file the program keeps for itself (a state directory's
/// `state.yaml`, lock and key files) for reading: never through a symbolic
/// link at its last component (`O_NOFOLLOW`, `ELOOP` otherwise), and only if
/// it is a regular file. A link planted there (as root, to `/etc/shadow`)
/// must not be read, let alone quoted; `O_NONBLOCK` keeps a FIFO planted
/// there from blocking the open before the file type is checked.
pub fn open_regular_no_follow(path: &Path) -> io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_CLOEXEC)
        .open(path)?;
    if !file.metadata()?.is_file() {
        return Err(io::Error::other(NOT_REGULAR));
    }
    Ok(file)
}

/// Whether `e` says "a symbolic link" ([`open_regular_no_follow`] on a link).
pub fn is_symlink_refusal(e: &io::Error) -> bool {
    e.raw_os_error() == Some(libc::ELOOP)
}

/// Whether `e` says "not a regular file" ([`open_regular_no_follow`]).
pub fn is_not_regular_refusal(e: &io::Error) -> bool {
    e.raw_os_error().is_none() && e.to_string() == NOT_REGULAR
}

/// [`read_file_capped`] through [`open_regular_no_follow`].
pub fn read_regular_no_follow(path: &Path, cap: u64) -> io::Result<Vec<u8>> {
    let file = open_regular_no_follow(path)?;
    let meta = file.metadata()?;
    read_opened(file, &meta, cap)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_capped_takes_exactly_the_cap_and_refuses_one_more() {
        let data = vec![7u8; 200_000];
        assert_eq!(read_capped(&data[..], 200_000).expect("at cap"), data);
        assert!(matches!(
            read_capped(&data[..], 199_999),
            Err(ReadCapError::TooLarge { cap: 199_999 })
        ));
    }

    #[cfg(unix)]
    #[test]
    fn read_file_capped_stops_on_an_endless_device() {
        let e = read_file_capped(Path::new("/dev/zero"), 1 << 20).expect_err("endless");
        assert_eq!(e.kind(), io::ErrorKind::FileTooLarge);
    }

    #[test]
    fn read_file_capped_refuses_a_large_regular_file_by_size() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("big");
        std::fs::write(&p, vec![b'x'; 5000]).expect("write");
        let e = read_file_capped(&p, 4999).expect_err("too big");
        assert_eq!(e.kind(), io::ErrorKind::FileTooLarge);
        assert_eq!(read_file_capped(&p, 5000).expect("fits").len(), 5000);
        let missing = read_file_capped(&dir.path().join("none"), 10).expect_err("missing");
        assert_eq!(missing.kind(), io::ErrorKind::NotFound);
    }
}
