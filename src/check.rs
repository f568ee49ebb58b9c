//! `zonesign check`: read a zone, build the model, report what is in it.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use crate::name::Name;
use crate::rdata::{self, rtype};
use crate::zone::{Analysis, BuildOptions, Warning, Zone, ZoneBuilder, ZoneStats};
use crate::zonefile::{
    read_zone_bytes, read_zone_in_pieces, ParseError, ParseErrors, ReadOptions, RecordRef,
    SourceLoc,
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
) -> Result<(ZoneBuilder, crate::zonefile::SourceFiles, Name), ParseErrors> {
    let opts = ReadOptions {
        origin: origin.clone(),
        default_ttl: None,
        pieces: 1,
        limits: build.limits,
    };
    let mut builder = ZoneBuilder::new(build, text.len());
    let mut first_soa = None;
    let sources = read_zone_bytes(text, display, &opts, &mut |r| {
        if r.rtype == rtype::SOA && first_soa.is_none() {
            first_soa = Some(r.owner.clone());
        }
        builder.add(r);
    })?;
    let Some(apex) = origin.or(first_soa) else {
        return Err(ParseErrors {
            errors: vec![ParseError {
                loc: SourceLoc {
                    file: display.to_string(),
                    line: 1,
                    col: 1,
                    included_from: Vec::new(),
                },
                message: "no SOA record and no --origin: cannot tell the zone apex".into(),
            }],
        });
    };
    Ok((builder, sources, apex))
}

/// Reads a zone file into a builder (so a caller can add records before
/// [`ZoneBuilder::finish`]); returns the builder, the files read and the apex.
pub fn read_zone_into(
    path: &Path,
    origin: Option<Name>,
    build: BuildOptions,
) -> Result<(ZoneBuilder, crate::zonefile::SourceFiles, Name), ParseErrors> {
    read_zone_into_pieces(path, origin, build, 0)
}

/// [`read_zone_into`], reading the file in `pieces` parallel pieces (0:
/// one per thread for large files; see [`read_zone_in_pieces`]).
pub fn read_zone_into_pieces(
    path: &Path,
    origin: Option<Name>,
    build: BuildOptions,
    pieces: usize,
) -> Result<(ZoneBuilder, crate::zonefile::SourceFiles, Name), ParseErrors> {
    let size = std::fs::metadata(path)
        .map(|m| m.len() as usize)
        .unwrap_or(0);
    let opts = ReadOptions {
        origin: origin.clone(),
        default_ttl: None,
        pieces,
        limits: build.limits,
    };
    // The first piece's builder becomes the zone's, so it is sized for the
    // whole file (its arenas then never reallocate while the others are
    // appended); each later one for its piece.
    let new_piece = |i: usize, bytes: usize| {
        let hint = if i == 0 { size.max(bytes) } else { bytes };
        (ZoneBuilder::new(build.clone(), hint), None::<Name>)
    };
    let feed = |piece: &mut (ZoneBuilder, Option<Name>), r: &RecordRef<'_>| {
        if r.rtype == rtype::SOA && piece.1.is_none() {
            piece.1 = Some(r.owner.clone());
        }
        piece.0.add(r);
    };
    let (sources, pieces) = read_zone_in_pieces(path, &opts, new_piece, feed)?;
    let mut pieces = pieces.into_iter();
    let (mut builder, mut first_soa) = pieces.next().unwrap_or_else(|| new_piece(0, size));
    let mut arenas_full = false;
    for (next, soa) in pieces.by_ref() {
        if !builder.append(next) {
            arenas_full = true;
            break;
        }
        first_soa = first_soa.or(soa);
    }
    if arenas_full {
        // Offsets past 4 GiB: the sequential read reports the record. The
        // pieces go first, so the two reads never hold the zone together.
        drop(pieces);
        drop(builder);
        return read_zone_into_pieces(path, origin, build, 1);
    }
    let apex = match origin.or(first_soa) {
        Some(o) => o,
        None => {
            return Err(ParseErrors {
                errors: vec![ParseError {
                    loc: SourceLoc {
                        file: path.display().to_string(),
                        line: 1,
                        col: 1,
                        included_from: Vec::new(),
                    },
                    message: "no SOA record and no --origin: cannot tell the zone apex".into(),
                }],
            })
        }
    };
    Ok((builder, sources, apex))
}

/// What `check` reports.
#[derive(Debug, Clone, Serialize)]
pub struct CheckReport {
    pub zone: String,
    pub owners: u64,
    pub rrsets: u64,
    pub records: u64,
    pub records_per_type: BTreeMap<String, u64>,
    #[serde(flatten)]
    pub analysis: Analysis,
    pub stats: ZoneStats,
    pub max_ttl: Option<u32>,
    /// Each apex ZONEMD and whether it matches the zone as read (RFC 8976 §4).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub zonemd: Vec<ZonemdStatus>,
    pub warnings: Vec<Warning>,
}

/// What `check` found of one apex ZONEMD record.
#[derive(Debug, Clone, Serialize)]
pub struct ZonemdStatus {
    pub scheme: u8,
    pub hash: u8,
    /// `valid`, `digest-mismatch`, `serial-mismatch`, `unsupported`,
    /// `malformed`, or `not-checked` when the cap or the RFC 2181 TTL
    /// fix-up changed TTLs, so the model is not the zone as written.
    pub status: &'static str,
}

/// Checks the apex ZONEMD records against the model, adding a warning for
/// each one that does not match. Only meaningful when no TTL was changed.
fn zonemd_status(zone: &Zone, warnings: &mut Vec<Warning>) -> Vec<ZonemdStatus> {
    let st = &zone.stats;
    let ttls_changed =
        !st.ttl_capped_records.is_empty() || st.soa_minimum_capped || st.rrsets_ttl_mismatch > 0;
    let (soa_serial, records) = crate::zonemd::weigh_apex(zone, !ttls_changed);
    let mut out = Vec::new();
    for a in &records {
        let (scheme, hash) = a.scheme_hash(zone);
        let status = match &a.record {
            Err(_) => "malformed",
            Ok(z) if z.supported().is_err() => "unsupported",
            Ok(_) if ttls_changed => "not-checked",
            Ok(z) if Some(z.serial) != soa_serial => "serial-mismatch",
            Ok(z) if a.zone_digest.as_ref() == Some(&z.digest) => "valid",
            Ok(_) => "digest-mismatch",
        };
        if matches!(status, "malformed" | "serial-mismatch" | "digest-mismatch") {
            warnings.push(Warning {
                location: zone
                    .sources
                    .loc(u32::from(a.row.file), a.row.line, 1)
                    .to_string(),
                message: format!(
                    "ZONEMD (scheme {scheme}, hash {hash}) is not valid for this zone: {status} (RFC 8976 §4); signing recomputes it"
                ),
            });
        }
        out.push(ZonemdStatus {
            scheme,
            hash,
            status,
        });
    }
    out
}

impl CheckReport {
    pub fn new(zone: &Zone, max_ttl: Option<u32>) -> CheckReport {
        let mut per_type: BTreeMap<String, u64> = BTreeMap::new();
        let mut rrsets = 0u64;
        let mut counts: BTreeMap<u16, u64> = BTreeMap::new();
        for i in 0..zone.owners.len() {
            for s in zone.rrsets(i) {
                rrsets += 1;
                *counts.entry(s.rtype).or_default() += s.rows.len() as u64;
            }
        }
        for (t, c) in counts {
            per_type.insert(rdata::type_mnemonic(t).into_owned(), c);
        }
        let mut warnings = zone.warnings.clone();
        let zonemd = zonemd_status(zone, &mut warnings);
        CheckReport {
            zone: zone.origin.to_string(),
            owners: zone.owners.len() as u64,
            rrsets,
            records: zone.rows.len() as u64,
            records_per_type: per_type,
            analysis: zone.analysis.clone(),
            stats: zone.stats.clone(),
            max_ttl,
            zonemd,
            warnings,
        }
    }

    /// The report for people.
    pub fn to_text(&self) -> String {
        use std::fmt::Write;
        let mut s = String::new();
        let a = &self.analysis;
        let st = &self.stats;
        let _ = writeln!(s, "zone {}: OK", self.zone);
        let _ = writeln!(s, "  owners            {}", self.owners);
        let _ = writeln!(s, "  rrsets            {}", self.rrsets);
        let _ = writeln!(s, "  records           {}", self.records);
        let types: Vec<String> = self
            .records_per_type
            .iter()
            .map(|(t, c)| format!("{t} {c}"))
            .collect();
        let _ = writeln!(s, "  records per type  {}", types.join(", "));
        let _ = writeln!(
            s,
            "  delegations       {} ({} with DS)",
            a.delegations, a.secure_delegations
        );
        let _ = writeln!(
            s,
            "  glue              {} names, {} records",
            a.glue_names, a.glue_records
        );
        let _ = writeln!(
            s,
            "  occluded          {} names, {} records",
            a.occluded_names, a.occluded_records
        );
        let _ = writeln!(s, "  empty non-terminals {}", a.empty_non_terminals);
        let _ = writeln!(s, "  wildcards         {}", a.wildcards);
        let capped_r: u64 = st.ttl_capped_records.values().sum();
        let capped_s: u64 = st.ttl_capped_rrsets.values().sum();
        match self.max_ttl {
            Some(m) => {
                let per: Vec<String> = st
                    .ttl_capped_records
                    .iter()
                    .map(|(t, c)| {
                        format!(
                            "{t} {c}/{}",
                            st.ttl_capped_rrsets.get(t).copied().unwrap_or(0)
                        )
                    })
                    .collect();
                let _ = write!(
                    s,
                    "  TTLs capped at {m}: {capped_r} records in {capped_s} RRsets"
                );
                if !per.is_empty() {
                    let _ = write!(s, " (records/RRsets: {})", per.join(", "));
                }
                if st.soa_minimum_capped {
                    let _ = write!(s, "; SOA MINIMUM capped");
                }
                s.push('\n');
            }
            None => s.push_str("  TTL cap off\n"),
        }
        let _ = writeln!(s, "  duplicates removed {}", st.duplicates_removed);
        if st.out_of_zone_ignored > 0 {
            let _ = writeln!(
                s,
                "  out-of-zone records ignored {}",
                st.out_of_zone_ignored
            );
        }
        if st.rrsets_ttl_mismatch > 0 {
            let _ = writeln!(
                s,
                "  RRsets with mixed TTLs (lowered) {}",
                st.rrsets_ttl_mismatch
            );
        }
        for z in &self.zonemd {
            let _ = writeln!(
                s,
                "  ZONEMD scheme {} hash {}: {}",
                z.scheme, z.hash, z.status
            );
        }
        for w in &self.warnings {
            let _ = writeln!(s, "warning: {}: {}", w.location, w.message);
        }
        s
    }
}
