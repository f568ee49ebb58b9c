//! `zonesign check`: what is in a zone, as read and modelled by
//! [`crate::zone::load`], and whether its ZONEMD records match it.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::rdata;
use crate::zone::{Analysis, Warning, Zone, ZoneStats};

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
