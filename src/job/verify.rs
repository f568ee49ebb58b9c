//! The `verify` job, one straight path: load the signed zone (TTLs as
//! written, DNSSEC records kept), read the trust anchor for its apex, and
//! hand both to the verifier ([`verify_zone`]: the RRSIGs of every RRset,
//! the chain of trust from the anchor, the NSEC or NSEC3 chain, ZONEMD;
//! RFC 4035 §5), whose report is the result. A bogus zone is a successful
//! run: its problems are findings in the report.

use std::path::PathBuf;

use crate::job::config::{ConfigError, Threads};
use crate::limits::Limits;
use crate::name::Name;
use crate::verify::{
    load_anchor_file_limited, load_signed_zone_limited, verify_zone, CryptoScope, TrustAnchor,
    VerifyConfig, VerifyReport,
};
use crate::zonefile::ParseErrors;

/// Where the chain of trust starts (RFC 4035 §5.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnchorSource {
    /// A file of DS records for the zone: a dsset file, or any
    /// zone-format file of DS records.
    Ds(PathBuf),
    /// A file of DS or DNSKEY records.
    TrustAnchor(PathBuf),
    /// The DNSKEY RRset's self-signature by a SEP key.
    DnskeyOnly,
    /// The DS records at the apex in the zone file if there are any, else
    /// the DNSKEY self-signature.
    Auto,
}

/// Everything a verify run needs, built in one step before any input is
/// read (the CLI builds it from flags that clap has checked, and
/// [`Threads::new`]).
#[derive(Debug, Clone)]
pub struct VerifyJobConfig {
    /// The signed zone file.
    pub zonefile: PathBuf,
    pub origin: Option<Name>,
    pub anchor: AnchorSource,
    /// Verification time, seconds since the epoch.
    pub now: u64,
    /// Warn about RRSIGs expiring within this many seconds.
    pub warn_expiry: u32,
    /// RRSIGs expiring within this many seconds are errors; 0: none.
    pub fail_expiry: u32,
    /// Warn about RRsets whose TTL is above this (`None`: no check).
    pub max_ttl: Option<u32>,
    /// Caps on reading the zone and the anchor file.
    pub limits: Limits,
    /// The run's worker threads (signature checks run in parallel).
    pub threads: Threads,
}

/// Why a verify run has no report: an input could not be read.
#[derive(Debug, thiserror::Error)]
pub enum VerifyRunError {
    #[error(transparent)]
    Parse(#[from] ParseErrors),
    /// The worker threads could not be started.
    #[error(transparent)]
    Config(#[from] ConfigError),
}

/// Verifies `cfg.zonefile`, in a pool of `cfg.threads`. `progress(total,
/// done)`, if given, is called with the number of owner names once the
/// inputs are read (`done` 0), then now and then with the number whose
/// RRsets have been checked.
pub fn run(
    cfg: &VerifyJobConfig,
    progress: Option<&(dyn Fn(u64, u64) + Sync)>,
) -> Result<VerifyReport, VerifyRunError> {
    cfg.threads.install(|| run_in_pool(cfg, progress))?
}

fn run_in_pool(
    cfg: &VerifyJobConfig,
    progress: Option<&(dyn Fn(u64, u64) + Sync)>,
) -> Result<VerifyReport, VerifyRunError> {
    // 1. Load.
    let zone = load_signed_zone_limited(&cfg.zonefile, cfg.origin.clone(), cfg.limits)?;

    // 2. Trust anchor.
    let anchor = match &cfg.anchor {
        AnchorSource::Ds(p) => TrustAnchor::Records {
            records: load_anchor_file_limited(p, &zone.origin, false, cfg.limits)?,
            source: format!("DS records from {}", p.display()),
        },
        AnchorSource::TrustAnchor(p) => TrustAnchor::Records {
            records: load_anchor_file_limited(p, &zone.origin, true, cfg.limits)?,
            source: format!("trust anchor {}", p.display()),
        },
        AnchorSource::DnskeyOnly => TrustAnchor::DnskeyOnly,
        AnchorSource::Auto => TrustAnchor::Auto,
    };

    // 3. Signatures, chain of trust, denial: the verifier.
    let verifier = VerifyConfig {
        anchor,
        now: cfg.now,
        warn_expiry: cfg.warn_expiry,
        fail_expiry: cfg.fail_expiry,
        max_ttl: cfg.max_ttl,
        crypto: CryptoScope::All,
    };
    let total = zone.owners.len() as u64;
    let report = match progress {
        Some(p) => {
            p(total, 0);
            let checked = |n: u64| p(total, n);
            verify_zone(&zone, &verifier, Some(&checked))
        }
        None => verify_zone(&zone, &verifier, None),
    };

    // 4. Report.
    Ok(report)
}
