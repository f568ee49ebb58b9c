//! The `sign` job, one straight path from the zone file to the published
//! output, each phase's own code in its file:
//!
//! 0. options: checked in one step before any input ([`SignOptions`],
//!    `options.rs`);
//! 1. load: the zone file read into the model (RFC 1035 §5), its apex known;
//! 2. keys: the run's keys for that apex, from its [`KeySource`]
//!    (`keys.rs`);
//! 3. the zone to sign: the DNSKEY, ZONEMD placeholder and NSEC3PARAM
//!    records added at the apex (`apex.rs`), the model finished;
//! 4. denial: the NSEC (RFC 4034 §4) or NSEC3 (RFC 5155) chain;
//! 5. sign: an RRSIG per RRset and signing key ([`crate::sign::sign_zone`]);
//! 6. ZONEMD: the digest of the signed zone and its RRSIGs made again
//!    ([`crate::sign::zonemd`], RFC 8976 §3);
//! 7. publish check: the staged output verified ([`publish_check`]);
//! 8. write: the signed zone and the DS set committed together (`write.rs`).
//!
//! What the run did is its [`SignReport`] (`report.rs`).

mod apex;
mod keys;
mod options;
mod previous;
pub mod publish_check;
mod report;
mod write;

use std::path::PathBuf;
use std::time::Instant;

use crate::denial::nsec;
use crate::denial::nsec3::{self, Nsec3Params};
use crate::denial::DenialError;
use crate::ds::DigestType;
use crate::job::config::{ConfigError, Threads};
use crate::keys::{KeyError, SigningKey};
use crate::name::Name;
use crate::sign::reuse::ReuseRule;
use crate::sign::serial::SerialPolicy;
use crate::sign::{sign_zone, Reuse, SignError, SignatureWindow, ZoneSigningKey};
use crate::signed::SignedZone;
use crate::zone::load::read_zone_into;
use crate::zone::BuildOptions;
use crate::zonefile::ParseErrors;
use publish_check::{PublishCheckError, VerifyMode};

pub use keys::{KeyGen, KeySource};
pub use options::{Nsec3Options, PreviousFile, SignOptions};
pub use report::{KeyReport, Phases, SignReport};
pub use write::{default_ds_path, is_stdout, STDOUT};

/// Which denial of existence to build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DenialMode {
    Nsec,
    Nsec3(Nsec3Params),
}

/// Everything a signing run needs, validated: built by
/// [`SignOptions::validate`] (or by hand, by a caller that has the values).
#[derive(Debug, Clone)]
pub struct SignConfig {
    pub zonefile: PathBuf,
    pub origin: Option<Name>,
    /// Where the keys come from; they are found once the apex is known.
    pub keys: KeySource,
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
    /// The run's worker threads.
    pub threads: Threads,
    /// A previous signed output of the zone whose valid signatures are
    /// kept (incremental re-signing, [`crate::sign::reuse`]).
    pub previous: Option<PathBuf>,
    /// Previous signatures expiring within this many seconds are renewed
    /// (or sooner, [`crate::sign::cadence`]).
    pub refresh: u32,
    /// Whether the window's jitter was given (else it is fitted to the
    /// zone, [`crate::sign::cadence::fit`]).
    pub jitter_given: bool,
    /// How the SOA serial moves when the output changes.
    pub serial: SerialPolicy,
    /// Which records the signed output holds.
    pub output_format: crate::output::SignedZoneFormat,
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
    /// The worker threads could not be started.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The previous signed zone is not one this run can re-sign from.
    #[error("{0}")]
    Previous(String),
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

/// Signs `cfg.zonefile` and writes the output files, in a pool of
/// `cfg.threads`. `progress(total, done_delta)`: `(n, 0)` once before
/// signing, then the RRsets done per chunk.
pub fn run(
    cfg: &SignConfig,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<SignReport, SignRunError> {
    run_with_signers(cfg, progress, &|k| Box::new(k))
}

/// Makes the signer of a run's key: the key itself, or (in tests) a
/// wrapper around it.
pub type SignerFor<'a> = dyn for<'k> Fn(&'k SigningKey) -> Box<dyn ZoneSigningKey + 'k> + Sync + 'a;

/// [`run`], with every signature made through `signer_for(key)`: tests
/// bring a signer that makes wrong signatures, to see the check before
/// publishing catch them.
pub fn run_with_signers(
    cfg: &SignConfig,
    progress: &(dyn Fn(u64, u64) + Sync),
    signer_for: &SignerFor<'_>,
) -> Result<SignReport, SignRunError> {
    cfg.threads
        .install(|| run_in_pool(cfg, progress, signer_for))?
}

/// The zone's part of [`options`]' rule for a `dnssec-only` output: the
/// records it is included beside are the zone file's, so a TTL the cap
/// lowered would leave RRSIGs whose TTL and Original TTL are not the
/// RRset's (RFC 4035 §2.2, RFC 4034 §3.1.4), and an apex ZONEMD in the
/// file would be stale beside the signatures.
fn dnssec_only_fits_zone(zone: &crate::zone::Zone) -> Result<(), ConfigError> {
    let capped: u64 = zone.stats.ttl_capped_records.values().sum();
    if capped > 0 {
        return Err(ConfigError::Invalid(format!(
            "--output-format dnssec-only: {capped} records have TTLs above the cap (--max-ttl, default one week); the zone \
             file they are included beside keeps those TTLs, so their signatures would not \
             match (lower them in the zone file, or sign with --max-ttl 0)"
        )));
    }
    if zone.apex().is_some_and(|a| {
        zone.rrsets(a)
            .any(|set| set.rtype == crate::rdata::rtype::ZONEMD)
    }) {
        return Err(ConfigError::Invalid(
            "--output-format dnssec-only: the zone has a ZONEMD record, which the signed \
             records would make stale (remove it from the zone file)"
                .into(),
        ));
    }
    Ok(())
}

fn run_in_pool(
    cfg: &SignConfig,
    progress: &(dyn Fn(u64, u64) + Sync),
    signer_for: &SignerFor<'_>,
) -> Result<SignReport, SignRunError> {
    let mut warnings = Vec::new();
    let t0 = Instant::now();
    let mut phases = Phases::default();

    // 1. Load. Never destroy an input: the zone file is checked before it
    // is read, the included files and key files once known, all before
    // any write.
    write::spare_zone_file(cfg)?;
    let build = BuildOptions {
        max_ttl: cfg.max_ttl,
        strip_dnssec: true,
        limits: cfg.limits,
    };
    let (mut builder, sources, apex) = read_zone_into(&cfg.zonefile, cfg.origin.clone(), build)?;
    phases.parse_ms = t0.elapsed().as_millis() as u64;

    // 2. Keys.
    let keys = cfg.keys.load(&apex, cfg.now, &mut warnings)?;
    let keys = keys.as_slice();
    let ds_path = cfg
        .ds_output
        .clone()
        .unwrap_or_else(|| default_ds_path(&cfg.output, &apex));
    write::spare_inputs(cfg, &ds_path, &sources, keys)?;
    let signing = keys::signing_pairs(keys, &apex, cfg.now)?;

    // 3. The zone to sign, with the values a lifecycle state owns.
    let owned = keys::owned_values(cfg)?;
    let dnskey_ttl = owned.as_ref().map(|o| o.dnskey_ttl).or(cfg.dnskey_ttl);
    apex::add_records(&mut builder, cfg, dnskey_ttl, &apex, keys, &mut warnings)?;
    let t1 = Instant::now();
    let mut zone = builder.finish(&apex, sources)?;
    if cfg.output_format == crate::output::SignedZoneFormat::DnssecOnly {
        dnssec_only_fits_zone(&zone)?;
    }
    let previous = previous::load(cfg, &apex)?;
    let serials = previous::start_serial(cfg, &mut zone, previous.as_ref())?;
    let zonemd_hashes = crate::sign::zonemd::placeholders(&mut zone, &mut warnings)?;
    phases.sort_ms = t1.elapsed().as_millis() as u64;
    // The window against the zone's real maximum TTL (after the cap),
    // known only now; the rest was checked before reading.
    let max_ttl = zone.rows.iter().map(|r| r.ttl).max();
    if let Some(o) = &owned {
        keys::check_max_ttl(o, max_ttl)?;
    }
    // The cadence fitted to the zone; the rest of the run sees it as its
    // config.
    let cadence = crate::sign::cadence::fit(
        cfg.window,
        cfg.now,
        cfg.refresh,
        cfg.jitter_given,
        max_ttl,
        zone.soa().and_then(|soa| crate::zone::soa_field(soa, 3)),
    );
    let fitted = SignConfig {
        window: cadence.window,
        refresh: cadence.keep_threshold,
        ..cfg.clone()
    };
    let cfg = &fitted;
    warnings.extend(
        cfg.window
            .check_at(cfg.now, max_ttl, cfg.allow_unsafe_window)?,
    );
    warnings.extend(
        zone.warnings
            .iter()
            .map(|w| format!("{}: {}", w.location, w.message)),
    );

    // 4. Denial.
    let t2 = Instant::now();
    let (nsec_chain, nsec3_chain) = match &cfg.denial {
        DenialMode::Nsec => (Some(nsec::build(&zone)?), None),
        DenialMode::Nsec3(p) => (None, Some(nsec3::build(&zone, p)?)),
    };
    phases.denial_ms = t2.elapsed().as_millis() as u64;

    // 5. Sign.
    let t3 = Instant::now();
    let signers = keys::signers(&signing, signer_for);
    let signing_keys = keys::by_role(&signers, &mut warnings);
    let reuse = previous.as_ref().map(|p| Reuse {
        previous: p,
        rule: ReuseRule {
            now: cfg.now,
            refresh: cfg.refresh,
        },
    });
    let (sigs, mut counts) = sign_zone(
        &zone,
        &signing_keys,
        nsec_chain.as_ref(),
        nsec3_chain.as_ref(),
        &cfg.window,
        reuse,
        progress,
    )?;
    // The tasks' entry lists were joined into one and freed; hand their
    // pages back before the write's buffers are taken (10M names: the
    // freed lists were 588 MB beside the joined one).
    write::release_freed_memory();
    let mut signed = SignedZone {
        zone,
        nsec: nsec_chain,
        nsec3: nsec3_chain,
        signatures: sigs,
    };
    let serial = previous::finish_serial(
        cfg,
        &mut signed,
        previous.as_ref(),
        serials,
        &signing_keys,
        &mut counts,
        &mut warnings,
    )?;

    // 6. ZONEMD: signed again over its digest; the placeholder's
    // signatures counted as made are replaced by what this counts.
    let placeholder_sigs = signed.zone.apex().map_or(0, |a| {
        previous::signatures_over(&signed, a, crate::rdata::rtype::ZONEMD)
    });
    let (zonemd, zonemd_counts) = crate::sign::zonemd::finish(
        &mut signed,
        &zonemd_hashes,
        &signing_keys,
        &cfg.window,
        reuse,
    )?;
    if let Some(c) = zonemd_counts {
        counts.new -= placeholder_sigs;
        if previous.is_some() {
            counts.changed -= placeholder_sigs;
        }
        counts.add(&c);
    }
    drop(previous);
    phases.sign_ms = t3.elapsed().as_millis() as u64;

    // 7 and 8. Publish check and write. The report's counts are taken
    // first: `publish` drops the signed zone once it is written, so the
    // zone read back for the check never sits beside it in memory.
    let mut r = report::report(cfg, keys, &signed);
    let t4 = Instant::now();
    let published = write::publish(cfg, signed, keys, &apex, &ds_path, &mut warnings)?;
    phases.verify_ms = published.verify_ms;
    phases.write_ms = (t4.elapsed().as_millis() as u64).saturating_sub(published.verify_ms);
    phases.total_ms = t0.elapsed().as_millis() as u64;
    r.ds_records = published.ds_records;
    r.phases = phases;
    r.warnings = warnings;
    r.ds_output = Some(ds_path.display().to_string());
    r.stdout_zone = published.stdout_zone.map(std::sync::Arc::new);
    r.zonemd = zonemd;
    r.verify = published.check.mode.as_str();
    r.rrsigs_verified = published.check.rrsigs_verified;
    r.previous = cfg.previous.as_ref().map(|p| p.display().to_string());
    r.rrsigs_kept = counts.kept;
    r.rrsigs_new = r.rrsigs - counts.kept;
    r.renewed = report::Renewed::from(&counts);
    r.serial = serial;
    r.serial_policy = cfg.serial.as_str();
    Ok(r)
}
