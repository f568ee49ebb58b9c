//! What a signing run did: per key, per phase, per record kind (the
//! `--report` text and JSON).

use std::collections::BTreeMap;

use serde::Serialize;

use super::publish_check::VerifyMode;
use super::SignConfig;
use crate::sign::keyset::RunKey;
use crate::sign::reuse::ReuseCounts;
use crate::signed::SignedZone;
use crate::zone::ZoneStats;

/// Per key: what it did in this run.
#[derive(Debug, Clone, Serialize)]
pub struct KeyReport {
    pub key_tag: u16,
    pub algorithm: u8,
    pub role: &'static str,
    pub published: bool,
    pub signing: bool,
    pub rrsigs: u64,
    pub file: String,
}

/// Milliseconds per phase.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Phases {
    pub parse_ms: u64,
    pub sort_ms: u64,
    pub denial_ms: u64,
    pub sign_ms: u64,
    /// Verifying the staged output before it is published.
    pub verify_ms: u64,
    /// Writing the output files, not counting `verify_ms`.
    pub write_ms: u64,
    pub total_ms: u64,
}

impl Phases {
    /// One line: `time: parse N ms, ..., total N ms`.
    pub fn to_text(&self) -> String {
        format!(
            "time: parse {} ms, sort {} ms, denial {} ms, sign {} ms, verify {} ms, write {} ms, total {} ms",
            self.parse_ms,
            self.sort_ms,
            self.denial_ms,
            self.sign_ms,
            self.verify_ms,
            self.write_ms,
            self.total_ms
        )
    }
}

/// What a signing run did.
#[derive(Debug, Clone, Serialize)]
pub struct SignReport {
    /// With standard output as the output: the verified signed zone in a
    /// temporary file, for the caller to stream (the library never prints).
    #[serde(skip)]
    pub stdout_zone: Option<std::sync::Arc<tempfile::NamedTempFile>>,
    pub zone: String,
    pub output: String,
    pub ds_output: Option<String>,
    pub owners: u64,
    pub rrsets: u64,
    pub rrsets_signed: u64,
    pub rrsigs: u64,
    pub nsec: u64,
    pub nsec3: u64,
    pub nsec3_empty_non_terminals: u64,
    pub nsec3_opted_out: u64,
    pub keys: Vec<KeyReport>,
    pub ds_records: Vec<String>,
    /// The apex ZONEMD records as written (RDATA text; RFC 8976).
    pub zonemd: Vec<String>,
    pub ttl_capped_records: BTreeMap<String, u64>,
    pub ttl_capped_rrsets: BTreeMap<String, u64>,
    pub stats: ZoneStats,
    pub phases: Phases,
    /// `--verify` mode the output was checked with before publishing.
    pub verify: &'static str,
    /// RRSIGs whose signature that check verified.
    pub rrsigs_verified: u64,
    /// The previous signed output re-signed from (`--previous`).
    pub previous: Option<String>,
    /// RRSIGs kept byte for byte from the previous output.
    pub rrsigs_kept: u64,
    /// RRSIGs made in this run (`rrsigs` is kept + new).
    pub rrsigs_new: u64,
    /// Why RRSIGs of the previous output were not kept.
    pub renewed: Renewed,
    /// The SOA serial written.
    pub serial: Option<u32>,
    pub serial_policy: &'static str,
    pub warnings: Vec<String>,
}

/// Why signatures were made afresh in a re-sign, per RRSIG.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Renewed {
    /// The RRset is new or changed (the SOA when its serial moved).
    pub changed: u64,
    /// The previous output had none by this key.
    pub key_change: u64,
    /// The previous one expired within the refresh interval.
    pub expiring: u64,
    /// The previous one had wrong fields or did not verify.
    pub unverifiable: u64,
}

impl From<&ReuseCounts> for Renewed {
    fn from(c: &ReuseCounts) -> Self {
        Renewed {
            changed: c.changed,
            key_change: c.key_change,
            expiring: c.expiring,
            unverifiable: c.unverifiable,
        }
    }
}

/// The report of a run that signed `s` with `keys`, taken before `s` is
/// written and dropped; the caller fills in what only the write phase and
/// the end of the run know (DS records and file, ZONEMD, the publish
/// check, phases, warnings).
pub(super) fn report(cfg: &SignConfig, keys: &[RunKey], s: &SignedZone) -> SignReport {
    let mut per_key: BTreeMap<u16, u64> = BTreeMap::new();
    for e in &s.signatures.entries {
        *per_key.entry(s.signatures.key_tag(e)).or_default() += 1;
    }
    let mut rrsets_signed = 0u64;
    let mut last: Option<(u32, bool, u16)> = None;
    for e in &s.signatures.entries {
        let id = (e.index, e.nsec3, e.type_covered);
        if last != Some(id) {
            rrsets_signed += 1;
            last = Some(id);
        }
    }
    SignReport {
        stdout_zone: None,
        zone: s.zone.origin.to_string(),
        output: cfg.output.display().to_string(),
        ds_output: None,
        owners: s.zone.owners.len() as u64,
        rrsets: s.zone.rrset_count() as u64
            + s.nsec.as_ref().map_or(0, |c| c.entries.len() as u64)
            + s.nsec3.as_ref().map_or(0, |c| c.entries.len() as u64),
        rrsets_signed,
        rrsigs: s.signatures.entries.len() as u64,
        nsec: s.nsec.as_ref().map_or(0, |c| c.entries.len() as u64),
        nsec3: s.nsec3.as_ref().map_or(0, |c| c.entries.len() as u64),
        nsec3_empty_non_terminals: s.nsec3.as_ref().map_or(0, |c| c.empty_non_terminals),
        nsec3_opted_out: s.nsec3.as_ref().map_or(0, |c| c.opted_out),
        keys: keys
            .iter()
            .map(|k| KeyReport {
                key_tag: k.key.key_tag().0,
                algorithm: k.key.algorithm().number(),
                role: if k.key.is_ksk() { "KSK" } else { "ZSK" },
                published: k.publish,
                signing: k.sign,
                rrsigs: per_key.get(&k.key.key_tag().0).copied().unwrap_or(0),
                file: k.path.display().to_string(),
            })
            .collect(),
        ds_records: Vec::new(),
        zonemd: Vec::new(),
        ttl_capped_records: s.zone.stats.ttl_capped_records.clone(),
        ttl_capped_rrsets: s.zone.stats.ttl_capped_rrsets.clone(),
        stats: s.zone.stats.clone(),
        phases: Phases::default(),
        verify: VerifyMode::None.as_str(),
        rrsigs_verified: 0,
        previous: None,
        rrsigs_kept: 0,
        rrsigs_new: s.signatures.entries.len() as u64,
        renewed: Renewed::default(),
        serial: None,
        serial_policy: cfg.serial.as_str(),
        warnings: Vec::new(),
    }
}

impl SignReport {
    /// The report for people.
    pub fn to_text(&self) -> String {
        use std::fmt::Write;
        let mut s = String::new();
        let _ = writeln!(s, "signed {} -> {}", self.zone, self.output);
        let _ = writeln!(
            s,
            "  owners {}, RRsets {} ({} signed), RRSIGs {}",
            self.owners, self.rrsets, self.rrsets_signed, self.rrsigs
        );
        if self.nsec3 > 0 {
            let _ = writeln!(
                s,
                "  NSEC3 records {} ({} empty non-terminals, {} delegations opted out)",
                self.nsec3, self.nsec3_empty_non_terminals, self.nsec3_opted_out
            );
        } else {
            let _ = writeln!(s, "  NSEC records {}", self.nsec);
        }
        for k in &self.keys {
            let _ = writeln!(
                s,
                "  key {} alg {} {}: {}{} {} RRSIGs ({})",
                k.key_tag,
                k.algorithm,
                k.role,
                if k.published {
                    "published"
                } else {
                    "not published"
                },
                if k.signing { ", signing," } else { "," },
                k.rrsigs,
                k.file
            );
        }
        let capped: u64 = self.ttl_capped_records.values().sum();
        let capped_sets: u64 = self.ttl_capped_rrsets.values().sum();
        let _ = writeln!(s, "  TTLs capped: {capped} records in {capped_sets} RRsets");
        if let Some(p) = &self.ds_output {
            let _ = writeln!(s, "  DS records -> {p}");
        }
        for d in &self.ds_records {
            let _ = writeln!(s, "    {d}");
        }
        for z in &self.zonemd {
            let _ = writeln!(s, "  ZONEMD {z}");
        }
        if let Some(prev) = &self.previous {
            let r = &self.renewed;
            let _ = writeln!(
                s,
                "  re-signed from {prev}: {} RRSIGs kept, {} new (changed RRsets {}, key change {}, expiring {}, unverifiable {})",
                self.rrsigs_kept, self.rrsigs_new, r.changed, r.key_change, r.expiring, r.unverifiable
            );
        }
        if self.previous.is_some() || self.serial_policy != "keep" {
            if let Some(serial) = self.serial {
                let _ = writeln!(s, "  SOA serial {serial} (--serial {})", self.serial_policy);
            }
        }
        let _ = writeln!(
            s,
            "  verified before publishing: {} ({} RRSIGs checked cryptographically)",
            self.verify, self.rrsigs_verified
        );
        let _ = writeln!(s, "  {}", self.phases.to_text());
        s
    }
}
