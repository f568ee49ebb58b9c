//! The whole `sign` job, one clear pass per phase: read and model the zone,
//! add the DNSKEY (and NSEC3PARAM) RRsets, build the denial chain, sign
//! every RRset in parallel, write the signed zone and the DS set.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::Serialize;

use super::keyset::{describe_unusable, RunKey};
use super::publish_check::{check_staged, PublishCheckError, VerifyMode};
use super::{sign_zone, SignError, SignatureWindow, SigningKeys, ZoneSigningKey};
use crate::denial::nsec;
use crate::denial::nsec3::{self, Nsec3Params};
use crate::denial::DenialError;
use crate::ds::{DigestType, Ds};
use crate::keys::{KeyError, SigningKey};
use crate::name::Name;
use crate::rdata::rtype;
use crate::signed::SignedZone;
use crate::zone::load::read_zone_into;
use crate::zone::{BuildOptions, ZoneStats};
use crate::zonefile::ParseErrors;

impl ZoneSigningKey for SigningKey {
    fn algorithm(&self) -> u8 {
        SigningKey::algorithm(self).number()
    }
    fn key_tag(&self) -> u16 {
        SigningKey::key_tag(self).0
    }
    fn sign(&self, data: &[u8]) -> Result<Vec<u8>, KeyError> {
        SigningKey::sign(self, data)
    }
}

/// Which denial of existence to build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DenialMode {
    Nsec,
    Nsec3(Nsec3Params),
}

/// Everything a signing run needs, validated (the CLI builds it from flags).
#[derive(Debug, Clone)]
pub struct SignConfig {
    pub zonefile: PathBuf,
    pub origin: Option<Name>,
    pub output: PathBuf,
    /// DS set file; `None` means `dsset-<zone>` beside the output.
    pub ds_output: Option<PathBuf>,
    pub window: SignatureWindow,
    pub denial: DenialMode,
    pub max_ttl: Option<u32>,
    /// TTL of the DNSKEY RRset; default the SOA's TTL.
    pub dnskey_ttl: Option<u32>,
    pub digests: Vec<DigestType>,
    /// Hash algorithms of SIMPLE-scheme ZONEMD records to publish (RFC
    /// 8976); an apex ZONEMD already in the zone is recomputed anyway.
    pub zonemd: Vec<u8>,
    /// Caps on reading the zone (bytes, records, `$GENERATE`).
    pub limits: crate::limits::Limits,
    /// The signing time, seconds since the epoch: the window is judged,
    /// and the output verified, at this time.
    pub now: i64,
    /// Sign even though signatures will be expired, not yet valid, or
    /// outlived by cached data ([`SignatureWindow::unsafe_at`]).
    pub allow_unsafe_window: bool,
    /// How the signed output is verified before it is published.
    pub verify: VerifyMode,
}

/// Any failure of a signing run.
#[derive(Debug, thiserror::Error)]
pub enum SignRunError {
    #[error(transparent)]
    Parse(#[from] ParseErrors),
    #[error(transparent)]
    Key(Box<KeyError>),
    #[error(transparent)]
    Sign(#[from] SignError),
    #[error(transparent)]
    Denial(#[from] DenialError),
    #[error(transparent)]
    Write(#[from] crate::fsio::WriteError),
    #[error(transparent)]
    Zonemd(#[from] crate::zonemd::ZonemdError),
    /// The signed output failed the check before publishing.
    #[error(transparent)]
    Publish(#[from] PublishCheckError),
    /// Keys from a lifecycle state directory could not be had.
    #[error(transparent)]
    State(Box<crate::lifecycle::StateError>),
}

impl From<crate::lifecycle::StateError> for SignRunError {
    fn from(e: crate::lifecycle::StateError) -> Self {
        SignRunError::State(Box::new(e))
    }
}

impl From<KeyError> for SignRunError {
    fn from(e: KeyError) -> Self {
        SignRunError::Key(Box::new(e))
    }
}

/// Finds the run's keys once the apex is known, adding warnings.
pub type KeyProvider<'a> =
    dyn FnMut(&Name, &mut Vec<String>) -> Result<Vec<RunKey>, SignRunError> + 'a;

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

/// What a signing run did.
#[derive(Debug, Clone, Serialize)]
pub struct SignReport {
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
    pub warnings: Vec<String>,
}

/// Signs `cfg.zonefile` and writes the output files. `get_keys` is called
/// once the apex is known (the zone file names it) and returns the run's
/// keys, adding any warnings. `progress(total, done_delta)`: `(n, 0)` once
/// before signing, then the RRsets done per chunk.
pub fn run(
    cfg: &SignConfig,
    get_keys: &mut KeyProvider<'_>,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<SignReport, SignRunError> {
    run_with_signers(cfg, get_keys, progress, &|k| Box::new(k))
}

/// Makes the signer of a run's key: the key itself, or (in tests) a
/// wrapper around it.
pub type SignerFor<'a> = dyn for<'k> Fn(&'k SigningKey) -> Box<dyn ZoneSigningKey + 'k> + Sync + 'a;

/// [`run`], with every signature made through `signer_for(key)`: tests
/// bring a signer that makes wrong signatures, to see the check before
/// publishing catch them.
pub fn run_with_signers(
    cfg: &SignConfig,
    get_keys: &mut KeyProvider<'_>,
    progress: &(dyn Fn(u64, u64) + Sync),
    signer_for: &SignerFor<'_>,
) -> Result<SignReport, SignRunError> {
    let mut warnings = Vec::new();
    let t0 = Instant::now();
    let mut phases = Phases::default();

    // Parse.
    let build = BuildOptions {
        max_ttl: cfg.max_ttl,
        strip_dnssec: true,
        limits: cfg.limits,
    };
    // Never destroy an input: the zone file is checked before it is read,
    // the included files and key files once known, all before any write.
    {
        let mut outs: Vec<&Path> = vec![&cfg.output];
        if let Some(d) = &cfg.ds_output {
            outs.push(d);
        }
        crate::fsio::check_outputs_spare_inputs(
            &outs,
            &[(cfg.zonefile.clone(), "the zone file being signed".into())],
        )?;
    }
    let (mut builder, sources, apex) = read_zone_into(&cfg.zonefile, cfg.origin.clone(), build)?;
    phases.parse_ms = t0.elapsed().as_millis() as u64;
    let keys = get_keys(&apex, &mut warnings)?;
    let keys = keys.as_slice();
    let ds_path = cfg
        .ds_output
        .clone()
        .unwrap_or_else(|| default_ds_path(&cfg.output, &apex));
    crate::fsio::check_outputs_spare_inputs(
        &[&cfg.output, &ds_path],
        &inputs_of_run(&cfg.zonefile, &sources, keys),
    )?;

    // Every key that signs has its private half: the key set only makes
    // public-only keys that do not sign, and a provider that broke that
    // gets a key problem, not a silently unsigned zone.
    let mut signing: Vec<&crate::keys::SigningKey> = Vec::new();
    for k in keys.iter().filter(|k| k.sign) {
        match k.key.pair() {
            Some(pair) => signing.push(pair),
            None => {
                return Err(KeyError::Other(format!(
                    "{}: key {} is to sign but its private key is missing",
                    k.path.display(),
                    k.key.key_tag()
                ))
                .into())
            }
        }
    }
    if signing.is_empty() {
        return Err(SignError::NoKeys(describe_unusable(keys, cfg.now)).into());
    }
    for k in keys {
        if !k.key.owner().eq_ignore_case(&apex) {
            return Err(KeyError::Other(format!(
                "{}: key {} is for zone {}, not {}",
                k.path.display(),
                k.key.key_tag(),
                k.key.owner(),
                apex
            ))
            .into());
        }
    }

    // The DNSKEY RRset: every published key (RFC 4035 §2.1), beside any
    // DNSKEY already in the zone file.
    let soa_ttl = builder.first_ttl_of(rtype::SOA).unwrap_or(3600);
    let dnskey_ttl = cfg.dnskey_ttl.unwrap_or(soa_ttl);
    let dnskey_ttl = cfg.max_ttl.map_or(dnskey_ttl, |m| dnskey_ttl.min(m));
    for k in keys.iter().filter(|k| k.publish) {
        builder.add_generated(&apex, dnskey_ttl, rtype::DNSKEY, &k.key.dnskey().to_rdata());
    }
    super::zonemd::add_requested(&mut builder, &apex, soa_ttl, &cfg.zonemd)?;
    if let DenialMode::Nsec3(p) = &cfg.denial {
        // TTL 0 as BIND writes it: NSEC3PARAM is for the zone's own
        // servers, not resolvers (RFC 5155 §4).
        builder.add_generated(&apex, 0, rtype::NSEC3PARAM, &p.nsec3param_rdata());
        warnings.extend(p.advice());
    }
    let t1 = Instant::now();
    let mut zone = builder.finish(&apex, sources)?;
    let zonemd_hashes = super::zonemd::placeholders(&mut zone, &mut warnings)?;
    phases.sort_ms = t1.elapsed().as_millis() as u64;
    // The window against the zone's real maximum TTL (after the cap),
    // known only now; the CLI has checked the rest before reading.
    let max_ttl = zone.rows.iter().map(|r| r.ttl).max();
    warnings.extend(
        cfg.window
            .check_at(cfg.now, max_ttl, cfg.allow_unsafe_window)?,
    );
    warnings.extend(
        zone.warnings
            .iter()
            .map(|w| format!("{}: {}", w.location, w.message)),
    );

    // Denial.
    let t2 = Instant::now();
    let (nsec_chain, nsec3_chain) = match &cfg.denial {
        DenialMode::Nsec => (Some(nsec::build(&zone)?), None),
        DenialMode::Nsec3(p) => (None, Some(nsec3::build(&zone, p)?)),
    };
    phases.denial_ms = t2.elapsed().as_millis() as u64;

    // Sign.
    let t3 = Instant::now();
    let signers: Vec<(bool, Box<dyn ZoneSigningKey + '_>)> = signing
        .iter()
        .map(|k| (k.is_ksk(), signer_for(k)))
        .collect();
    let ksks: Vec<&dyn ZoneSigningKey> = signers
        .iter()
        .filter(|(ksk, _)| *ksk)
        .map(|(_, s)| s.as_ref())
        .collect();
    let zsks: Vec<&dyn ZoneSigningKey> = signers
        .iter()
        .filter(|(ksk, _)| !*ksk)
        .map(|(_, s)| s.as_ref())
        .collect();
    if ksks.is_empty() {
        warnings.push("no active KSK: the ZSKs sign the DNSKEY RRset too".into());
    }
    let signing_keys = SigningKeys { ksks, zsks };
    let sigs = sign_zone(
        &zone,
        &signing_keys,
        nsec_chain.as_ref(),
        nsec3_chain.as_ref(),
        &cfg.window,
        progress,
    )?;

    let mut signed = SignedZone {
        zone,
        nsec: nsec_chain,
        nsec3: nsec3_chain,
        signatures: sigs,
    };
    let zonemd = super::zonemd::finish(&mut signed, &zonemd_hashes, &signing_keys, &cfg.window)?;
    phases.sign_ms = t3.elapsed().as_millis() as u64;

    // Write: zone and DS set (RFC 4034 §5.1.4) as one transaction: both
    // staged completely, the staged zone verified against that DS set,
    // then both renamed, so a DS set that cannot be written or a zone
    // that does not verify leaves the previous files in place.
    let t4 = Instant::now();
    let mut ds_set = Vec::new();
    for k in keys.iter().filter(|k| k.publish && k.key.is_ksk()) {
        for d in &cfg.digests {
            ds_set.push(Ds::from_dnskey(&apex, &k.key.dnskey().to_rdata(), *d));
        }
    }
    let ds_records: Vec<String> = ds_set.iter().map(|d| d.to_text(&apex)).collect();
    let mut txn = crate::fsio::OutputTransaction::new();
    let zone_staged = txn.stage(&cfg.output, |w| {
        crate::output::write_signed_zone(&signed, w)
    })?;
    txn.stage(&ds_path, |w| {
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
    let staged = txn
        .staged_path(zone_staged)
        .ok_or_else(|| crate::fsio::WriteError::Io {
            path: cfg.output.display().to_string(),
            source: std::io::Error::other("the staged signed zone cannot be read back"),
        })?;
    let tv = Instant::now();
    let checked = check_staged(&staged, &apex, &ds_set, cfg.verify, &cfg.window, cfg.now)?;
    let verify_ms = tv.elapsed().as_millis() as u64;
    txn.commit()?;
    phases.verify_ms = verify_ms;
    phases.write_ms = (t4.elapsed().as_millis() as u64).saturating_sub(verify_ms);
    phases.total_ms = t0.elapsed().as_millis() as u64;

    let mut r = report(cfg, keys, &signed, ds_records, phases, warnings);
    r.ds_output = Some(ds_path.display().to_string());
    r.zonemd = zonemd;
    r.verify = checked.mode.as_str();
    r.rrsigs_verified = checked.rrsigs_verified;
    Ok(r)
}

fn report(
    cfg: &SignConfig,
    keys: &[RunKey],
    s: &SignedZone,
    ds_records: Vec<String>,
    phases: Phases,
    warnings: Vec<String>,
) -> SignReport {
    let mut per_key: BTreeMap<u16, u64> = BTreeMap::new();
    for e in &s.signatures.entries {
        *per_key.entry(e.key_tag).or_default() += 1;
    }
    let mut rrsets_signed = 0u64;
    let mut last: Option<(u32, u32, u16)> = None;
    for e in &s.signatures.entries {
        let id = (e.owner, e.nsec3, e.type_covered);
        if last != Some(id) {
            rrsets_signed += 1;
            last = Some(id);
        }
    }
    SignReport {
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
        ds_records,
        zonemd: Vec::new(),
        ttl_capped_records: s.zone.stats.ttl_capped_records.clone(),
        ttl_capped_rrsets: s.zone.stats.ttl_capped_rrsets.clone(),
        stats: s.zone.stats.clone(),
        phases,
        verify: VerifyMode::None.as_str(),
        rrsigs_verified: 0,
        warnings,
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
        let p = &self.phases;
        let _ = writeln!(
            s,
            "  verified before publishing: {} ({} RRSIGs checked cryptographically)",
            self.verify, self.rrsigs_verified
        );
        let _ = writeln!(
            s,
            "  time: parse {} ms, sort {} ms, denial {} ms, sign {} ms, verify {} ms, write {} ms, total {} ms",
            p.parse_ms, p.sort_ms, p.denial_ms, p.sign_ms, p.verify_ms, p.write_ms, p.total_ms
        );
        s
    }
}

/// Every file a signing run reads, for the rule that no output may be one.
fn inputs_of_run(
    zonefile: &Path,
    sources: &crate::zonefile::SourceFiles,
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

/// The default DS file: `dsset-<zone>` beside the output (as dnssec-signzone does).
pub fn default_ds_path(output: &Path, zone: &Name) -> PathBuf {
    let dir = output
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    dir.join(format!("dsset-{}", zone.to_lowercase()))
}
