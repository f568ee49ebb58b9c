//! Loading a zone: the zone-file reader feeding a [`ZoneBuilder`], the
//! apex found, and the model built. One way in for `check`, `sign`,
//! `verify` and ZONEMD, so that they all read a zone alike.
//!
//! Without an origin the apex is the owner of the first SOA record (RFC
//! 1035 §5.2: a zone file holds one zone, its SOA at the top); relative
//! names before a `$ORIGIN` are then errors.

use std::fmt::Display;
use std::path::Path;

use super::{BuildOptions, Zone, ZoneBuilder};
use crate::name::Name;
use crate::rdata::rtype;
use crate::zonefile::{
    read_zone_bytes, read_zone_in_pieces, ParseError, ParseErrors, ReadOptions, RecordRef,
    SourceFiles, SourceLoc,
};

/// Reads and models a zone file. Without `origin`, the owner of the first
/// SOA record is the apex (relative names before a `$ORIGIN` are errors).
pub fn load_zone(
    path: &Path,
    origin: Option<Name>,
    build: BuildOptions,
) -> Result<Zone, ParseErrors> {
    let (builder, sources, apex) = read_zone_into(path, origin, build)?;
    builder.finish(&apex, sources)
}

/// [`load_zone`] for zone-file text held in memory (`display` names it in
/// messages); `$INCLUDE` is refused there (see [`read_zone_bytes`]).
pub fn load_zone_bytes(
    text: &[u8],
    display: &str,
    origin: Option<Name>,
    build: BuildOptions,
) -> Result<Zone, ParseErrors> {
    let (builder, sources, apex) = read_zone_bytes_into(text, display, origin, build)?;
    builder.finish(&apex, sources)
}

/// [`read_zone_into`] for zone-file text held in memory.
pub fn read_zone_bytes_into(
    text: &[u8],
    display: &str,
    origin: Option<Name>,
    build: BuildOptions,
) -> Result<(ZoneBuilder, SourceFiles, Name), ParseErrors> {
    let opts = read_options(&origin, &build, 1);
    let mut piece = Piece {
        builder: ZoneBuilder::new(build, text.len()),
        first_soa: None,
    };
    let sources = read_zone_bytes(text, display, &opts, &mut |r| piece.add(r))?;
    let apex = zone_apex(origin, piece.first_soa, &display)?;
    Ok((piece.builder, sources, apex))
}

/// Reads a zone file into a builder (so a caller can add records before
/// [`ZoneBuilder::finish`]); returns the builder, the files read and the apex.
pub fn read_zone_into(
    path: &Path,
    origin: Option<Name>,
    build: BuildOptions,
) -> Result<(ZoneBuilder, SourceFiles, Name), ParseErrors> {
    read_zone_into_pieces(path, origin, build, 0)
}

/// [`read_zone_into`], reading the file in `pieces` parallel pieces (0:
/// one per thread for large files; see [`read_zone_in_pieces`]).
pub fn read_zone_into_pieces(
    path: &Path,
    origin: Option<Name>,
    build: BuildOptions,
    pieces: usize,
) -> Result<(ZoneBuilder, SourceFiles, Name), ParseErrors> {
    let size = std::fs::metadata(path)
        .map(|m| m.len() as usize)
        .unwrap_or(0);
    let opts = read_options(&origin, &build, pieces);
    // The first piece's builder becomes the zone's, so it is sized for the
    // whole file (its arenas then never reallocate while the others are
    // appended); each later one for its piece.
    let new_piece = |i: usize, bytes: usize| Piece {
        builder: ZoneBuilder::new(build.clone(), if i == 0 { size.max(bytes) } else { bytes }),
        first_soa: None,
    };
    let (sources, read) = read_zone_in_pieces(path, &opts, new_piece, Piece::add)?;
    let Some(zone) = merge_pieces(read, || new_piece(0, size)) else {
        // Offsets past 4 GiB: the sequential read reports the record. The
        // pieces are gone by now, so the two reads never hold the zone
        // together.
        return read_zone_into_pieces(path, origin, build, 1);
    };
    let apex = zone_apex(origin, zone.first_soa, &path.display())?;
    Ok((zone.builder, sources, apex))
}

/// The reader's options for a zone loaded with `build`: its caps, and no
/// default TTL (that is for DS sets and key files, which carry none).
fn read_options(origin: &Option<Name>, build: &BuildOptions, pieces: usize) -> ReadOptions {
    ReadOptions {
        origin: origin.clone(),
        default_ttl: None,
        pieces,
        limits: build.limits,
    }
}

/// The records of one piece of a zone file (the whole file when it is read
/// in one), and the owner of the first SOA record among them.
struct Piece {
    builder: ZoneBuilder,
    first_soa: Option<Name>,
}

impl Piece {
    fn add(&mut self, r: &RecordRef<'_>) {
        if r.rtype == rtype::SOA && self.first_soa.is_none() {
            self.first_soa = Some(r.owner.clone());
        }
        self.builder.add(r);
    }
}

/// Joins the pieces of a file, in file order, into the first one (or into
/// `empty()` when there are none); the first SOA is the first piece's that
/// has one. `None` when the joined arenas would outgrow their 32-bit
/// offsets: every piece has then been dropped.
fn merge_pieces(pieces: Vec<Piece>, empty: impl FnOnce() -> Piece) -> Option<Piece> {
    let mut pieces = pieces.into_iter();
    let mut zone = pieces.next().unwrap_or_else(empty);
    for next in pieces {
        if !zone.builder.append(next.builder) {
            return None;
        }
        zone.first_soa = zone.first_soa.or(next.first_soa);
    }
    Some(zone)
}

/// The zone apex: `origin` when given, else the owner of the first SOA.
/// Without either there is no zone to speak of, an error at the top of
/// `file`.
fn zone_apex(
    origin: Option<Name>,
    first_soa: Option<Name>,
    file: &dyn Display,
) -> Result<Name, ParseErrors> {
    origin.or(first_soa).ok_or_else(|| ParseErrors {
        errors: vec![ParseError {
            loc: SourceLoc {
                file: file.to_string(),
                line: 1,
                col: 1,
                included_from: Vec::new(),
            },
            message: "no SOA record and no --origin: cannot tell the zone apex".into(),
        }],
    })
}
