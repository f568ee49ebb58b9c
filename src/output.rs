//! Writing zones and files: presentation format (RFC 1035 §5.1, RFC 3597
//! §5 for unknown types) and atomic replacement of the target file.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::name::write_name_text;
use crate::rdata;
use crate::zone::Zone;

/// Why an output file could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("cannot write {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: io::Error,
    },
}

/// Writes a file atomically: the content goes to a temporary file in the
/// target's directory, is flushed and fsynced, and only then renamed over
/// the target. Any failure (or a kill) leaves the old file untouched and
/// removes the temporary file.
pub fn atomic_write<F>(path: &Path, fill: F) -> Result<(), WriteError>
where
    F: FnOnce(&mut BufWriter<&File>) -> io::Result<()>,
{
    let err = |source: io::Error| WriteError::Io {
        path: path.display().to_string(),
        source,
    };
    let dir: PathBuf = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".tmp")
        .tempfile_in(&dir)
        .map_err(err)?;
    {
        let mut w = BufWriter::with_capacity(1 << 20, tmp.as_file());
        fill(&mut w).map_err(err)?;
        w.flush().map_err(err)?;
    }
    tmp.as_file().sync_all().map_err(err)?;
    // `persist` renames; on error the NamedTempFile is dropped and removed.
    tmp.persist(path).map_err(|e| err(e.error))?;
    // Make the rename itself durable.
    if let Ok(d) = File::open(&dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// Owners formatted per parallel chunk; large enough to amortise the
/// hand-off, small enough to keep every core busy.
const CHUNK_OWNERS: usize = 4096;

/// Writes the zone in canonical order, one record per line, fully
/// qualified: `owner<TAB>ttl<TAB>class<TAB>type<TAB>rdata`. Chunks of
/// owners are formatted in parallel and written in order.
pub fn write_zone_text<W: Write>(zone: &Zone, w: &mut W) -> io::Result<()> {
    let class = rdata::class_mnemonic(zone.class);
    let n = zone.owners.len();
    let chunks: Vec<std::ops::Range<usize>> = (0..n)
        .step_by(CHUNK_OWNERS)
        .map(|s| s..(s + CHUNK_OWNERS).min(n))
        .collect();
    // Format a window of chunks at a time to bound memory.
    for window in chunks.chunks(rayon::current_num_threads().max(1) * 4) {
        let texts: Vec<String> = window
            .par_iter()
            .map(|r| {
                let mut s = String::with_capacity(r.len() * 128);
                for i in r.clone() {
                    format_owner(zone, i, &class, &mut s);
                }
                s
            })
            .collect();
        for t in texts {
            w.write_all(t.as_bytes())?;
        }
    }
    Ok(())
}

/// Formats every record of owner `i`.
pub fn format_owner(zone: &Zone, i: usize, class: &str, out: &mut String) {
    use std::fmt::Write as _;
    let mut owner = String::new();
    write_name_text(zone.owner_name(i).as_wire(), &mut owner);
    for set in zone.rrsets(i) {
        let tname = rdata::type_mnemonic(set.rtype);
        for row in set.rows {
            let _ = write!(out, "{owner}\t{}\t{class}\t{tname}\t", row.ttl);
            rdata::write_rdata(set.rtype, zone.rdata_original(row), out);
            out.push('\n');
        }
    }
}
