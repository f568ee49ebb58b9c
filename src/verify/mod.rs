//! Verification of a signed zone (RFC 4035 §5): DS → DNSKEY → RRSIG for
//! every RRset, and the NSEC/NSEC3 chain. Problems are findings (data, see
//! [`finding`]), not errors: "the zone is bogus" is a successful run.
//!
//! The verifier reads the zone with the same reader and model as the signer
//! ([`crate::zone::load::read_zone_into`], without the TTL cap and keeping
//! DNSSEC records; [`crate::zone::ZoneBuilder::finish_signed`], so
//! zone-content problems become findings rather than stopping the load) and
//! builds the signed data with the signer's [`crate::rrsig::signed_data`],
//! so a bug there shows up in both.
//!
//! * [`trust`]: DS set / trust anchor → DNSKEY (RFC 4035 §5.2).
//! * [`rrsig`]: per-RRset signatures (RFC 4034 §3, RFC 4035 §2.2, §5.3).
//! * [`nsec`]: the NSEC chain (RFC 4034 §4, RFC 4035 §2.3).
//! * [`nsec3`]: the NSEC3 chain (RFC 5155 §7.1, §8).
//! * [`zonemd`]: the zone digest, when the apex has a ZONEMD (RFC 8976 §4).
//!
//! The library never prints and never reads the clock: the caller passes
//! the verification time, and an optional progress callback.

pub mod finding;
pub mod nsec;
pub mod nsec3;
pub mod rrsig;
pub mod trust;
pub mod zonemd;

use std::path::Path;

use crate::keys::{Dnskey, VerifyingKey};
use crate::name::Name;
use crate::rdata::{self, rtype};
use crate::zone::load::read_zone_into;
use crate::zone::{BuildOptions, NameKind, Row, Rule, Zone};
use crate::zonefile::ParseErrors;

pub use finding::{Code, EarliestExpiration, Finding, Severity, Summary, VerifyReport};
pub use trust::{load_anchor_file, load_anchor_file_limited, AnchorRecord, TrustAnchor};

/// Seven days: the default for `--warn-expiry`.
pub const DEFAULT_WARN_EXPIRY: u32 = 7 * 86_400;

/// What to verify against, validated (the CLI builds it from its flags).
#[derive(Debug, Clone)]
pub struct VerifyConfig {
    pub anchor: TrustAnchor,
    /// Verification time, seconds since the epoch.
    pub now: u64,
    /// Warn about RRSIGs expiring within this many seconds.
    pub warn_expiry: u32,
    /// RRSIGs expiring within this many seconds are errors
    /// (`rrsig-expiring`); 0: none.
    pub fail_expiry: u32,
    /// Warn about RRsets whose TTL is above this (`None`: no check).
    pub max_ttl: Option<u32>,
    /// Which RRSIGs get their signature checked; every other rule is
    /// checked on all of them whatever this says.
    pub crypto: CryptoScope,
}

/// Which RRSIGs are checked cryptographically.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum CryptoScope {
    /// Every one.
    #[default]
    All,
    /// The apex DNSKEY RRset's, and a deterministic sample of the rest:
    /// the RRsets whose (owner, type) hash falls in 1/64, or a larger
    /// share of a small zone so that about 200 are checked (all of them
    /// below 400). For checking the signer's own output, where a wrong
    /// signature is a systematic bug that a sample catches.
    Sample,
}

impl Default for VerifyConfig {
    fn default() -> Self {
        VerifyConfig {
            anchor: TrustAnchor::Auto,
            now: 0,
            warn_expiry: DEFAULT_WARN_EXPIRY,
            fail_expiry: 0,
            max_ttl: Some(crate::zone::DEFAULT_MAX_TTL),
            crypto: CryptoScope::All,
        }
    }
}

/// Reads a signed zone for verification: TTLs as written (no cap), DNSSEC
/// records kept (RRSIGs become an RRSIG RRset at each owner).
/// Zone-content problems (an SOA below the apex, CNAME and other data, no
/// apex NS, out-of-zone data, ...) do not stop the load: they are kept in
/// [`Zone::violations`] and [`verify_zone`] reports them as findings, so an
/// error here means the input cannot be read at all.
pub fn load_signed_zone(path: &Path, origin: Option<Name>) -> Result<Zone, ParseErrors> {
    load_signed_zone_limited(path, origin, crate::limits::Limits::default())
}

/// How a signed zone is modelled for verification: TTLs as written (no
/// cap), DNSSEC records kept.
fn signed_build(limits: crate::limits::Limits) -> BuildOptions {
    BuildOptions {
        max_ttl: None,
        strip_dnssec: false,
        limits,
    }
}

/// [`load_signed_zone`] with caps on bytes, records and `$GENERATE`.
pub fn load_signed_zone_limited(
    path: &Path,
    origin: Option<Name>,
    limits: crate::limits::Limits,
) -> Result<Zone, ParseErrors> {
    let (builder, sources, apex) = read_zone_into(path, origin, signed_build(limits))?;
    builder.finish_signed(&apex, sources)
}

/// The first RRSIG expiration in the summary, and a warning when it comes
/// before the SOA EXPIRE interval (RFC 1035 §3.3.13) runs out: a secondary
/// that loses its primary keeps serving the zone that long, and its
/// signatures must last as long (RFC 4641 §4.4.1).
fn earliest_expiration(
    ctx: &Ctx<'_>,
    apex: usize,
    e: rrsig::Earliest,
    summary: &mut Summary,
    findings: &mut Vec<Finding>,
) {
    let zone = ctx.zone;
    let unix = ctx.cfg.now as i64 + i64::from(e.from_now);
    summary.earliest_expiration = Some(EarliestExpiration {
        time: crate::timespec::format_yyyymmddhhmmss(unix),
        unix,
        owner: zone.owner_name(e.owner).to_string(),
        rtype: crate::rdata::type_mnemonic(e.rtype).into_owned(),
    });
    // EXPIRE: the fourth timer field.
    let expire = zone.soa().and_then(|soa| crate::zone::soa_field(soa, 3));
    if let Some(expire) = expire {
        if e.from_now >= 0 && i64::from(e.from_now) < i64::from(expire) {
            findings.push(ctx.finding(
                Code::RrsigOutlivedBySoaExpire,
                apex,
                rtype::SOA,
                None,
                ctx.first_row(apex),
                format!(
                    "the first signature expires at {} ({} {}), {} s from now, before the SOA EXPIRE of {expire} s: a secondary cut off from its primary would serve expired signatures",
                    crate::timespec::format_yyyymmddhhmmss(unix),
                    zone.owner_name(e.owner),
                    crate::rdata::type_mnemonic(e.rtype),
                    e.from_now
                ),
            ));
        }
    }
}

/// The finding code of a zone-content rule that applies to a signed zone.
fn rule_code(rule: Rule) -> Option<Code> {
    Some(match rule {
        Rule::SoaMissing => Code::SoaMissing,
        Rule::SoaMultiple => Code::SoaMultiple,
        Rule::SoaNotAtApex => Code::SoaNotAtApex,
        Rule::ApexNsMissing => Code::ApexNsMissing,
        Rule::OutOfZoneData => Code::OutOfZoneData,
        Rule::CnameAndOtherData => Code::CnameAndOtherData,
        Rule::CnameMultiple => Code::CnameMultiple,
        Rule::DnameMultiple => Code::DnameMultiple,
        Rule::DataBelowDname => Code::DataBelowDname,
        Rule::OccludedData => Code::OccludedData,
        Rule::GlueMissing => Code::GlueMissing,
        Rule::TargetIsCname => Code::TargetIsCname,
        Rule::TargetNoAddress => Code::TargetNoAddress,
        Rule::DsNotAtDelegation => Code::DsNotAtDelegation,
        Rule::WildcardNs => Code::WildcardNs,
        Rule::WildcardDname => Code::WildcardDname,
        Rule::AsteriskNotWildcard => Code::AsteriskNotWildcard,
        Rule::RrsetTtlMismatch => Code::RrsetTtlMismatch,
        Rule::Nsec3HashLength => Code::Nsec3HashLength,
        Rule::CdsAlgorithmNoDnskey => Code::CdsAlgorithmNoDnskey,
        Rule::CdsNoMatchingDnskey => Code::CdsNoMatchingDnskey,
        Rule::CdsDeleteNotAlone => Code::CdsDeleteNotAlone,
        Rule::DsAtApex | Rule::DnssecInUnsigned | Rule::DnskeyNotAtApex => return None,
    })
}

/// The zone's content-rule violations as findings (verification goes on).
fn violation_findings(zone: &Zone, findings: &mut Vec<Finding>) {
    for v in &zone.violations {
        let Some(code) = rule_code(v.rule) else {
            continue;
        };
        let mut key = Vec::new();
        v.owner.canonical_key(&mut key);
        findings.push(Finding {
            code,
            severity: code.default_severity(),
            owner: v.owner.to_string(),
            rtype: rdata::type_mnemonic(v.rtype).into_owned(),
            key_tag: None,
            file: Some(zone.sources.name(u32::from(v.file))),
            line: Some(v.line),
            message: v.message.clone(),
            order_key: key,
            type_num: v.rtype,
        });
    }
}

/// [`load_signed_zone`] for text held in memory (`display` names it in
/// messages; no `$INCLUDE`).
pub fn load_signed_zone_bytes(
    text: &[u8],
    display: &str,
    origin: Option<Name>,
    limits: crate::limits::Limits,
) -> Result<Zone, ParseErrors> {
    let (builder, sources, apex) =
        crate::zone::load::read_zone_bytes_into(text, display, origin, signed_build(limits))?;
    builder.finish_signed(&apex, sources)
}

/// A DNSKEY of the apex DNSKEY RRset.
#[derive(Debug, Clone)]
pub(crate) struct ZoneKey {
    pub dnskey: Dnskey,
    pub tag: u16,
    pub row: Row,
    /// An algorithm we can verify, and a public key that fits it.
    pub usable: bool,
    /// The public key parsed once for all its RRSIGs, or why it cannot be.
    pub verifier: Result<VerifyingKey, String>,
}

/// What every check needs: the zone, the config, the apex and its keys.
pub(crate) struct Ctx<'z> {
    pub zone: &'z Zone,
    pub cfg: &'z VerifyConfig,
    pub apex: usize,
    pub keys: Vec<ZoneKey>,
    /// Algorithms every authoritative RRset must be signed with: those of
    /// the zone keys (Zone Key flag set) that we can verify (RFC 4035 §2.2).
    pub required_algs: Vec<u8>,
    /// Per owner: an NSEC3 owner `<hash>.<apex>` (only NSEC3 and RRSIG there).
    pub hash_owner: Vec<bool>,
    /// Per owner: kind, with glue that carries (wrong) RRSIGs seen as glue.
    pub kinds: Vec<NameKind>,
    /// RFC 9077 TTL for NSEC/NSEC3: min(SOA TTL, SOA MINIMUM).
    pub denial_ttl: Option<u32>,
    pub soa_minimum: Option<u32>,
    /// The verification time modulo 2^32 (RRSIG times, RFC 4034 §3.1.5).
    pub now32: u32,
    /// NSEC3PARAM iterations and salt, if the apex has one.
    pub nsec3_params: Option<(u16, Vec<u8>)>,
    /// RRSIGs of one RRset in this many get their signature checked.
    pub crypto_one_in: u64,
}

impl<'z> Ctx<'z> {
    fn new(zone: &'z Zone, cfg: &'z VerifyConfig, apex: usize) -> Ctx<'z> {
        let mut keys = Vec::new();
        if let Some(set) = zone.rrset(apex, rtype::DNSKEY) {
            for row in set.rows {
                let rd = zone.rdata(row);
                if let Ok(k) = Dnskey::from_rdata(rd) {
                    let usable = k.protocol == 3 && k.check_public_key().is_ok();
                    let verifier =
                        VerifyingKey::new(k.algorithm, &k.public_key).map_err(|e| e.to_string());
                    keys.push(ZoneKey {
                        tag: crate::keys::key_tag(rd).0,
                        dnskey: k,
                        row: *row,
                        usable,
                        verifier,
                    });
                }
            }
        }
        let mut required_algs: Vec<u8> = keys
            .iter()
            // A revoked key must sign nothing but the DNSKEY RRset (RFC 5011 §2.1).
            .filter(|k| k.usable && k.dnskey.is_zone_key() && !k.dnskey.is_revoked())
            .map(|k| k.dnskey.algorithm)
            .collect();
        required_algs.sort_unstable();
        required_algs.dedup();
        let hash_owner = nsec3::find_hash_owners(zone, apex);
        let kinds: Vec<NameKind> = zone.owners.iter().map(|o| o.kind).collect();
        let (denial_ttl, soa_minimum) = match zone.rrset(apex, rtype::SOA) {
            Some(s) => {
                let rd = zone.rdata(&s.rows[0]);
                match rd.len().checked_sub(4) {
                    Some(n) => {
                        let min = u32::from_be_bytes([rd[n], rd[n + 1], rd[n + 2], rd[n + 3]]);
                        (Some(s.ttl.min(min)), Some(min))
                    }
                    None => (None, None),
                }
            }
            None => (None, None),
        };
        let crypto_one_in = match cfg.crypto {
            CryptoScope::All => 1,
            CryptoScope::Sample => {
                let rrsigs: u64 = (0..zone.owners.len())
                    .filter_map(|i| zone.rrset(i, rtype::RRSIG))
                    .map(|s| s.rows.len() as u64)
                    .sum();
                (rrsigs / 200).clamp(1, 64)
            }
        };
        Ctx {
            crypto_one_in,
            zone,
            cfg,
            apex,
            keys,
            required_algs,
            hash_owner,
            kinds,
            denial_ttl,
            soa_minimum,
            now32: (cfg.now % (1u64 << 32)) as u32,
            nsec3_params: zone
                .rrset(apex, rtype::NSEC3PARAM)
                .and_then(|s| crate::denial::nsec3::Nsec3Params::from_rdata(zone.rdata(&s.rows[0])))
                .map(|(p, _, _)| (p.iterations, p.salt)),
        }
    }

    /// The types the denial record of owner `i` lists: its NSEC's bitmap,
    /// or the bitmap of the NSEC3 for its hash. `None` when there is none.
    pub fn denial_types(&self, i: usize) -> Option<Vec<u16>> {
        let zone = self.zone;
        let bitmap_of = |rd: &[u8], nsec3: bool| -> Option<Vec<u16>> {
            if nsec3 {
                let (_, _, off) = crate::denial::nsec3::Nsec3Params::from_rdata(rd)?;
                let hlen = *rd.get(off)? as usize;
                rdata::decode_type_bitmap(rd.get(off + 1 + hlen..)?)
            } else {
                let n = crate::name::wire_name_len(rd).ok()?;
                rdata::decode_type_bitmap(&rd[n..])
            }
        };
        if let Some(s) = zone.rrset(i, rtype::NSEC) {
            return bitmap_of(zone.rdata(&s.rows[0]), false);
        }
        let (iter, salt) = self.nsec3_params.as_ref()?;
        let h = crate::denial::nsec3::hash_name(zone.owner_name(i).as_wire(), salt, *iter);
        let name = Name::from_ascii(&format!(
            "{}.{}",
            crate::denial::nsec3::base32hex(&h),
            zone.origin
        ))
        .ok()?;
        let j = zone.find_owner(&name)?;
        let s = zone.rrset(j, rtype::NSEC3)?;
        bitmap_of(zone.rdata(&s.rows[0]), true)
    }

    /// Whether the RRSIGs over RRset (`i`, `rtype`) get their signature
    /// checked ([`CryptoScope`]): always for the apex DNSKEY RRset (the
    /// chain of trust starts there), else by an FNV-1a hash of owner and
    /// type, so reruns check the same ones.
    pub fn crypto_wanted(&self, i: usize, rtype: u16) -> bool {
        if self.crypto_one_in <= 1 || (i == self.apex && rtype == rtype::DNSKEY) {
            return true;
        }
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for &b in self.zone.owner_key(i).iter().chain(&rtype.to_be_bytes()) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        h.is_multiple_of(self.crypto_one_in)
    }

    /// A finding about owner `i`.
    pub fn finding(
        &self,
        code: Code,
        owner: usize,
        rtype: u16,
        key_tag: Option<u16>,
        row: Option<&Row>,
        message: String,
    ) -> Finding {
        Finding {
            code,
            severity: code.default_severity(),
            owner: self.zone.owner_name(owner).to_string(),
            rtype: rdata::type_mnemonic(rtype).into_owned(),
            key_tag,
            file: row.map(|r| self.file_of(r)),
            line: row.map(|r| r.line),
            message,
            order_key: self.zone.owner_key(owner).to_vec(),
            type_num: rtype,
        }
    }

    /// A finding about a name that need not be an owner of the zone.
    pub fn finding_at(
        &self,
        code: Code,
        name: &Name,
        rtype: u16,
        key_tag: Option<u16>,
        row: Option<&Row>,
        message: String,
    ) -> Finding {
        let mut key = Vec::new();
        name.canonical_key(&mut key);
        Finding {
            code,
            severity: code.default_severity(),
            owner: name.to_string(),
            rtype: rdata::type_mnemonic(rtype).into_owned(),
            key_tag,
            file: row.map(|r| self.file_of(r)),
            line: row.map(|r| r.line),
            message,
            order_key: key,
            type_num: rtype,
        }
    }

    fn file_of(&self, r: &Row) -> String {
        self.zone.sources.name(u32::from(r.file))
    }

    /// First row of owner `i` (for a position when the record is missing).
    pub fn first_row(&self, i: usize) -> Option<&Row> {
        self.zone.rows.get(self.zone.owners[i].rows.start as usize)
    }
}

/// Verifies a loaded zone. `progress`, if given, is called now and then
/// with the number of owner names whose RRsets have been checked.
/// Runs on the current rayon pool (the CLI installs one for `--threads`).
pub fn verify_zone(
    zone: &Zone,
    cfg: &VerifyConfig,
    progress: Option<&(dyn Fn(u64) + Sync)>,
) -> VerifyReport {
    let mut findings: Vec<Finding> = Vec::new();
    violation_findings(zone, &mut findings);
    let mut summary = Summary {
        owners: zone.owners.len() as u64,
        ..Summary::default()
    };
    let apex = match zone.apex() {
        Some(a) => a,
        None => {
            // No record at the apex: the violations say so, and there is
            // nothing to verify a chain from.
            return finish(zone, cfg, findings, summary, "none".into(), "none".into());
        }
    };
    let ctx = Ctx::new(zone, cfg, apex);

    // 1. Keys and RRSIGs of every RRset (parallel, the expensive part).
    let rr = rrsig::check_all(&ctx, progress);
    findings.extend(rr.findings);
    summary.rrsets = rr.rrsets;
    summary.signed_rrsets = rr.signed_rrsets;
    summary.rrsigs = rr.rrsigs;
    summary.rrsigs_verified = rr.verified;
    summary.rrsigs_valid = rr.valid;
    if let Some(e) = rr.earliest {
        earliest_expiration(&ctx, apex, e, &mut summary, &mut findings);
    }

    // 2. Trust: DS / anchor → DNSKEY.
    let anchor_desc = trust::check(&ctx, &rr.dnskey_signers, &mut findings);

    // 3. Denial of existence.
    let has_nsec = (0..zone.owners.len()).any(|i| zone.rrset(i, rtype::NSEC).is_some());
    let has_nsec3 = ctx.hash_owner.iter().any(|&h| h)
        || zone.rrset(apex, rtype::NSEC3PARAM).is_some()
        || (0..zone.owners.len()).any(|i| zone.rrset(i, rtype::NSEC3).is_some());
    let denial = match (has_nsec, has_nsec3) {
        (true, true) => "nsec+nsec3",
        (true, false) => "nsec",
        (false, true) => "nsec3",
        (false, false) => "none",
    };
    if has_nsec && has_nsec3 {
        // RFC 5155 §10.4-§10.5: a signer builds the new chain before it
        // removes the old one, so both exist only mid-transition; which
        // one a server answers with depends on the NSEC3PARAM.
        findings.push(ctx.finding(
            Code::DenialBothChains,
            apex,
            rtype::NSEC3PARAM,
            None,
            ctx.first_row(apex),
            "the zone has both an NSEC and an NSEC3 chain: a transition between them is unfinished \
             (name servers answer with NSEC3 while an NSEC3PARAM is at the apex); both chains are checked"
                .into(),
        ));
    }
    if has_nsec {
        summary.nsec = nsec::check(&ctx, &mut findings);
    }
    if has_nsec3 {
        summary.nsec3 = nsec3::check(&ctx, &mut findings);
    }
    if !has_nsec && !has_nsec3 {
        findings.push(
            ctx.finding(
                Code::DenialMissing,
                apex,
                rtype::NSEC,
                None,
                ctx.first_row(apex),
                "the zone has neither NSEC nor NSEC3 records: no authenticated denial of existence"
                    .into(),
            ),
        );
    }

    // 4. Zone digest, if the apex has one.
    zonemd::check(&ctx, &mut findings);

    // 5. TTL cap (a warning: the signer caps, verify only reports).
    if let Some(max) = cfg.max_ttl {
        for i in 0..zone.owners.len() {
            for s in zone.rrsets(i) {
                if s.rtype != rtype::RRSIG && s.ttl > max {
                    findings.push(ctx.finding(
                        Code::TtlAboveMax,
                        i,
                        s.rtype,
                        None,
                        s.rows.first(),
                        format!("TTL {} is above the cap of {max} seconds", s.ttl),
                    ));
                }
            }
        }
    }
    finish(zone, cfg, findings, summary, anchor_desc, denial.into())
}

fn finish(
    zone: &Zone,
    cfg: &VerifyConfig,
    mut findings: Vec<Finding>,
    mut summary: Summary,
    trust_anchor: String,
    denial: String,
) -> VerifyReport {
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    for f in &findings {
        match f.severity {
            Severity::Error => summary.errors += 1,
            Severity::Warning => summary.warnings += 1,
            Severity::Note => summary.notes += 1,
        }
        *summary.by_code.entry(f.code.as_str().into()).or_default() += 1;
    }
    VerifyReport {
        zone: zone.origin.to_string(),
        ok: summary.errors == 0,
        trust_anchor,
        denial,
        now: cfg.now,
        summary,
        findings,
    }
}

/// RFC 1982 serial comparison on 32-bit RRSIG times (RFC 4034 §3.1.5):
/// true when `a` is at or before `b`.
pub(crate) fn serial_le(a: u32, b: u32) -> bool {
    (b.wrapping_sub(a) as i32) >= 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serial_arithmetic() {
        assert!(serial_le(1, 2));
        assert!(serial_le(5, 5));
        assert!(!serial_le(2, 1));
        // Across the 2^32 wrap (2106): a later time that wrapped is still later.
        assert!(serial_le(u32::MAX - 10, 5));
        assert!(!serial_le(5, u32::MAX - 10));
    }

    #[test]
    fn every_signed_zone_rule_has_a_finding_code_of_the_same_name() {
        for &rule in Rule::ALL {
            match rule_code(rule) {
                Some(code) => {
                    assert!(rule.applies_to_signed(), "{}", rule.as_str());
                    assert_eq!(code.as_str(), rule.as_str());
                }
                None => assert!(!rule.applies_to_signed(), "{}", rule.as_str()),
            }
        }
    }

    #[test]
    fn every_code_is_kebab_case_and_unique() {
        let mut seen = std::collections::HashSet::new();
        for c in Code::ALL {
            let s = c.as_str();
            assert!(
                s.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{s}"
            );
            assert!(seen.insert(s), "duplicate {s}");
            assert!(!c.description().is_empty(), "{s}");
        }
    }
}

/// Helpers for the check modules' unit tests: sign a small zone text with
/// a fresh Ed25519 key, optionally tweaking RRSIG fields, and verify it.
#[cfg(test)]
pub(crate) mod testutil {
    use super::*;
    use crate::keys::{generate, Algorithm, SigningKey};
    use crate::rrsig::{labels_field, signed_data, RrsigFields};

    pub const NOW: u64 = 1_893_456_000; // 2030-01-01
    pub const INCEPTION: u32 = 1_767_225_600; // 2026-01-01
    pub const EXPIRATION: u32 = 2_114_380_800; // 2037-01-01

    /// The test zone `example.` (SOA, NS, the name server's A) and the
    /// lines given after it, as one string literal.
    macro_rules! example_zone {
        ($($line:literal),*) => {
            concat!(
                "$TTL 3600\n",
                "example. IN SOA ns.example. h.example. 1 7200 3600 1209600 300\n",
                "example. IN NS ns.example.\n",
                "ns.example. IN A 192.0.2.1\n",
                $($line, "\n"),*
            )
        };
    }
    pub(crate) use example_zone;

    pub fn key(ksk: bool) -> SigningKey {
        generate(
            &Name::from_ascii("example.").unwrap(),
            Algorithm::Ed25519,
            ksk,
            None,
        )
        .unwrap()
    }

    fn load(text: &str) -> (tempfile::TempDir, Zone) {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("z.zone");
        std::fs::write(&p, text).unwrap();
        let z = load_signed_zone(&p, None).unwrap_or_else(|e| panic!("{e}\n{text}"));
        (dir, z)
    }

    /// `unsigned` plus the DNSKEY of `k` plus an RRSIG by `k` over every
    /// RRset that `sign(owner, type)` selects, each RRSIG's fields passed
    /// through `tweak` before signing.
    pub fn sign(
        unsigned: &str,
        k: &SigningKey,
        select: impl Fn(&str, u16) -> bool,
        tweak: impl Fn(&str, u16, &mut RrsigFields),
    ) -> String {
        let mut text = format!(
            "{unsigned}\nexample. 3600 IN DNSKEY {}\n",
            k.dnskey().rdata_text()
        );
        let (_d, z) = load(&text);
        for i in 0..z.owners.len() {
            let owner = z.owner_name(i);
            let o = owner.to_string();
            for s in z.rrsets(i) {
                if !select(&o, s.rtype) {
                    continue;
                }
                let mut f = RrsigFields {
                    type_covered: s.rtype,
                    algorithm: 15,
                    labels: labels_field(owner.as_wire()),
                    original_ttl: s.ttl,
                    expiration: EXPIRATION,
                    inception: INCEPTION,
                    key_tag: k.key_tag().0,
                    signer: z.origin.as_wire().to_vec(),
                };
                tweak(&o, s.rtype, &mut f);
                let mut data = Vec::new();
                signed_data(
                    &f,
                    owner.as_wire(),
                    1,
                    s.rows.iter().map(|r| z.rdata(r)),
                    &mut data,
                );
                let mut rd = Vec::new();
                f.write_prefix(&mut rd);
                rd.extend_from_slice(&k.sign(&data).unwrap());
                let mut shown = String::new();
                rdata::write_rdata(rtype::RRSIG, &rd, &mut shown);
                text.push_str(&format!("{o} {} IN RRSIG {shown}\n", s.ttl));
            }
        }
        text
    }

    /// Verifies zone text with the DNSKEY self-signature as anchor.
    pub fn verify_text(text: &str) -> VerifyReport {
        let (_d, z) = load(text);
        let cfg = VerifyConfig {
            anchor: TrustAnchor::DnskeyOnly,
            now: NOW,
            ..VerifyConfig::default()
        };
        verify_zone(&z, &cfg, None)
    }

    /// `(code, owner, type)` of the error findings.
    pub fn errors(r: &VerifyReport) -> Vec<(String, String, String)> {
        r.findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .map(|f| {
                (
                    f.code.as_str().to_string(),
                    f.owner.clone(),
                    f.rtype.clone(),
                )
            })
            .collect()
    }

    pub fn has(r: &VerifyReport, code: &str, owner: &str, t: &str) -> bool {
        errors(r)
            .iter()
            .any(|(c, o, ty)| c == code && o == owner && ty == t)
    }

    /// Fails, listing every error finding, unless `r` has that one.
    #[track_caller]
    pub fn assert_has(r: &VerifyReport, code: &str, owner: &str, t: &str) {
        assert!(has(r, code, owner, t), "{:?}", errors(r));
    }
}
