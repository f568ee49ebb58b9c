//! The outputs of a signing run: no output may be one of the run's inputs
//! (checked before anything is written), and the signed zone and its DS
//! set (RFC 4034 §5.1.4) are published as one transaction: both staged
//! completely, the staged zone verified against that DS set
//! ([`super::publish_check`]), then both renamed, so a DS set that cannot
//! be written or a zone that does not verify leaves the previous files in
//! place.

use std::path::{Path, PathBuf};
use std::time::Instant;

use super::publish_check::{check_staged, PublishCheck, VerifyMode};
use super::{SignConfig, SignRunError};
use crate::ds::Ds;
use crate::fsio::{check_outputs_spare_inputs, OutputTransaction, WriteError};
use crate::name::Name;
use crate::output::SignedZoneFormat;
use crate::sign::keyset::RunKey;
use crate::signed::SignedZone;
use crate::zonefile::SourceFiles;

/// The output name that means standard output: the signed zone is staged
/// in a temporary file, verified, and handed to the caller to stream
/// ([`super::SignReport::stdout_zone`]) only once the run has succeeded.
pub const STDOUT: &str = "-";

/// Whether `output` is [`STDOUT`].
pub fn is_stdout(output: &Path) -> bool {
    output == Path::new(STDOUT)
}

/// The default DS file: `dsset-<zone>` beside the output (as dnssec-signzone
/// does), in the working directory when the zone goes to standard output.
pub fn default_ds_path(output: &Path, zone: &Name) -> PathBuf {
    let dir = output
        .parent()
        .filter(|p| !p.as_os_str().is_empty() && !is_stdout(output))
        .unwrap_or(Path::new("."));
    dir.join(format!("dsset-{}", zone.to_lowercase()))
}

/// Before the zone file is read: no output is the zone file.
pub(super) fn spare_zone_file(cfg: &SignConfig) -> Result<(), WriteError> {
    let mut outs: Vec<&Path> = vec![];
    if !is_stdout(&cfg.output) {
        outs.push(&cfg.output);
    }
    if let Some(d) = &cfg.ds_output {
        outs.push(d);
    }
    check_outputs_spare_inputs(
        &outs,
        &[(cfg.zonefile.clone(), "the zone file being signed".into())],
    )
}

/// Once the keys are known: no output is the zone file, a file it
/// includes, or a key file.
pub(super) fn spare_inputs(
    cfg: &SignConfig,
    ds_path: &Path,
    sources: &SourceFiles,
    keys: &[RunKey],
) -> Result<(), WriteError> {
    let outs: Vec<&Path> = [cfg.output.as_path(), ds_path]
        .into_iter()
        .filter(|p| !is_stdout(p))
        .collect();
    check_outputs_spare_inputs(&outs, &inputs_of_run(&cfg.zonefile, sources, keys))
}

/// Every file a signing run reads, for the rule that no output may be one.
fn inputs_of_run(
    zonefile: &Path,
    sources: &SourceFiles,
    keys: &[RunKey],
) -> Vec<(PathBuf, String)> {
    let mut v = vec![(
        zonefile.to_path_buf(),
        "the zone file being signed".to_string(),
    )];
    // The first is the zone file itself, under its own name.
    for f in sources.files.iter().skip(1) {
        v.push((
            PathBuf::from(f),
            format!("{f}, a file included by the zone"),
        ));
    }
    for k in keys {
        let paths = crate::keys::KeyPaths::from_arg(&k.path);
        for p in [paths.key, paths.private, paths.pem] {
            let what = format!("the key file {}", p.display());
            v.push((p, what));
        }
    }
    v
}

/// What publishing did.
pub(super) struct Published {
    /// The DS set as written, one record per line.
    pub ds_records: Vec<String>,
    pub check: PublishCheck,
    /// Milliseconds the publish check took.
    pub verify_ms: u64,
    /// With [`STDOUT`] as the output: the verified signed zone, to stream.
    pub stdout_zone: Option<tempfile::NamedTempFile>,
}

/// Stages the signed zone at `cfg.output` and the DS records of every
/// published KSK at `ds_path`, verifies the staged zone against them and
/// commits both. Temporary files of interrupted runs removed on the way
/// are named in `warnings`.
pub(super) fn publish(
    cfg: &SignConfig,
    signed: SignedZone,
    keys: &[RunKey],
    apex: &Name,
    ds_path: &Path,
    warnings: &mut Vec<String>,
) -> Result<Published, SignRunError> {
    let mut ds_set = Vec::new();
    for k in keys.iter().filter(|k| k.publish && k.key.is_ksk()) {
        for d in &cfg.digests {
            ds_set.push(Ds::from_dnskey(apex, &k.key.dnskey().to_rdata(), *d));
        }
    }
    let ds_records: Vec<String> = ds_set.iter().map(|d| d.to_text(apex)).collect();
    let mut txn = OutputTransaction::new();
    let format = cfg.output_format;
    let to_stdout = is_stdout(&cfg.output);
    // The publish check reads the whole signed zone: when the output is
    // not that (standard output cannot be staged and renamed; a
    // dnssec-only output is a part), it goes to a temporary file
    // (removed when dropped) beside the output.
    // Standard output: a temporary file the caller streams once
    // everything else is committed.
    let stdout_zone = match to_stdout {
        true => temp_zone(cfg, &signed, format, true)?.into_named(),
        false => None,
    };
    let full = if format != SignedZoneFormat::Full && cfg.verify != VerifyMode::None {
        Some(temp_zone(cfg, &signed, SignedZoneFormat::Full, false)?)
    } else {
        None
    };
    let zone_staged = if to_stdout {
        None
    } else {
        Some(txn.stage(&cfg.output, |w| {
            crate::output::write_signed_zone_as(&signed, format, w)
        })?)
    };
    txn.stage(ds_path, |w| {
        use std::io::Write;
        for line in &ds_records {
            writeln!(w, "{line}")?;
        }
        Ok(())
    })?;
    warnings.extend(txn.removed_stale.iter().map(|p| {
        format!(
            "removed {}, a temporary file left by an interrupted run",
            p.display()
        )
    }));
    let staged = match (&full, &stdout_zone, zone_staged) {
        (Some(tmp), _, _) => tmp.path(),
        (None, Some(tmp), _) => Some(tmp.path().to_path_buf()),
        (None, None, Some(z)) => txn.staged_path(z),
        (None, None, None) => None,
    }
    .ok_or_else(|| WriteError::Io {
        path: cfg.output.display().to_string(),
        source: std::io::Error::other("the staged signed zone cannot be read back"),
    })?;
    // Everything is written: the check reads the zone back from the
    // staged file, and the model it was written from would only double
    // the run's peak memory (two signed zones of 10M names do not fit).
    drop(signed);
    release_freed_memory();
    let tv = Instant::now();
    let check = check_staged(&staged, apex, &ds_set, cfg.verify, &cfg.window, cfg.now)?;
    let verify_ms = tv.elapsed().as_millis() as u64;
    txn.commit()?;
    Ok(Published {
        ds_records,
        check,
        verify_ms,
        stdout_zone,
    })
}

/// `signed` as `format` in a temporary file: unnamed (unlinked from
/// the start, so no crash leaves it behind) in the output's directory,
/// so a large zone lands where the operator made room for it, or, named,
/// in the system's for standard output, whose caller streams it.
fn temp_zone(
    cfg: &SignConfig,
    signed: &SignedZone,
    format: SignedZoneFormat,
    named: bool,
) -> Result<TempZone, WriteError> {
    let io = |source| WriteError::Io {
        path: "a temporary file for the signed zone".into(),
        source,
    };
    let dir = if is_stdout(&cfg.output) {
        std::env::temp_dir()
    } else {
        cfg.output
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf()
    };
    let mut zone = if named {
        TempZone::Named(tempfile::NamedTempFile::new_in(&dir).map_err(io)?)
    } else {
        TempZone::Unnamed(tempfile::tempfile_in(&dir).map_err(io)?)
    };
    {
        let file = match &mut zone {
            TempZone::Named(t) => t.as_file_mut(),
            TempZone::Unnamed(f) => f,
        };
        let mut w = std::io::BufWriter::new(file);
        crate::output::write_signed_zone_as(signed, format, &mut w).map_err(io)?;
        std::io::Write::flush(&mut w).map_err(io)?;
    }
    Ok(zone)
}

enum TempZone {
    Named(tempfile::NamedTempFile),
    Unnamed(std::fs::File),
}

impl TempZone {
    /// A path the publish check can open it by.
    fn path(&self) -> Option<PathBuf> {
        match self {
            TempZone::Named(t) => Some(t.path().to_path_buf()),
            #[cfg(unix)]
            TempZone::Unnamed(f) => {
                use std::os::unix::io::AsRawFd;
                Some(PathBuf::from(format!("/proc/self/fd/{}", f.as_raw_fd())))
            }
            #[cfg(not(unix))]
            TempZone::Unnamed(_) => None,
        }
    }

    fn into_named(self) -> Option<tempfile::NamedTempFile> {
        match self {
            TempZone::Named(t) => Some(t),
            TempZone::Unnamed(_) => None,
        }
    }
}

/// Hands the pages freed by the dropped signed zone back to the system.
/// glibc keeps them in its per-thread arenas, where the check's (other
/// threads') allocations do not reuse them: without this the publish check
/// raised the 1M-name peak from 551 MB (verify alone) to 823 MB.
pub(super) fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free memory to the system; it takes
    // no pointers and is safe to call at any time.
    unsafe {
        libc::malloc_trim(0);
    }
}
