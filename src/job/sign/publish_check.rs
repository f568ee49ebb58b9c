//! The last gate before a signed zone is published: the staged output file
//! is read back with the verifier's own loader and verified (RFC 4035 §5)
//! against the DS set about to be written, so what is checked is the bytes
//! that will be renamed into place, not the signer's in-memory model.
//!
//! A zone that fails is never published: the caller runs this after the
//! staged file is complete and before any rename.
//!
//! With a forced window (`--allow-unsafe-window`) the check verifies at
//! [`SignatureWindow::nearest_valid_time`]: the window problems the user
//! explicitly accepted (expired, not yet valid, outlived by cached data)
//! are not findings, while every other rule, including each signature
//! checked and the chain of trust, is still fatal.

use std::path::Path;

use crate::ds::Ds;
use crate::limits::Limits;
use crate::name::Name;
use crate::rdata::rtype;
use crate::sign::SignatureWindow;
use crate::verify::{
    load_signed_zone_limited, verify_zone, AnchorRecord, CryptoScope, TrustAnchor, VerifyConfig,
    VerifyReport,
};
use crate::zonefile::ParseErrors;

/// Caps for reading the staged output back: none. The caps of a run bound
/// what its *input* may cost; signing then adds RRSIG, NSEC/NSEC3 and
/// DNSKEY records (about three times the records of an unsigned zone with
/// NSEC, see [`crate::limits::DEFAULT_MAX_RECORDS`]), so any
/// cap on the output, the run's or the defaults, refuses zones the run
/// accepted (a zone signed with `--max-records 0` or a raised cap could pass
/// the default 200M after signing). The file is our own: staged a moment
/// ago in an unnamed `O_TMPFILE` (or, where there is none, a temp file we
/// created exclusively), and
/// its records are those the signer just held in memory, so reading it
/// back costs no more than signing did. A regular file is mapped, so a byte
/// cap would bound no memory either.
const OWN_OUTPUT_LIMITS: Limits = Limits {
    max_input_bytes: None,
    max_stream_bytes: None,
    max_records: None,
    max_generate: None,
};

/// How much of the signed output is verified before it is published.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum VerifyMode {
    /// Not at all.
    None,
    /// Every rule of the verifier; the apex DNSKEY RRset's signatures and
    /// a deterministic sample of the others checked cryptographically
    /// ([`CryptoScope::Sample`]).
    #[default]
    Structure,
    /// Every rule and every signature.
    Full,
}

impl VerifyMode {
    pub fn as_str(self) -> &'static str {
        match self {
            VerifyMode::None => "none",
            VerifyMode::Structure => "structure",
            VerifyMode::Full => "full",
        }
    }
}

/// Why the signed output was not published.
#[derive(Debug, thiserror::Error)]
pub enum PublishCheckError {
    #[error("the signed output fails verification with {errors} error(s); nothing was published and the previous files are as they were")]
    Rejected {
        errors: usize,
        /// Every finding, for the caller to show.
        report: Box<VerifyReport>,
    },
    #[error("the signed output cannot be read back, so nothing was published: {0}")]
    Unreadable(#[source] ParseErrors),
}

/// What the check did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PublishCheck {
    pub mode: VerifyMode,
    /// RRSIGs in the output.
    pub rrsigs: u64,
    /// RRSIGs whose signature was checked.
    pub rrsigs_verified: u64,
    /// Findings of severity warning or note (not fatal).
    pub warnings: usize,
}

/// Verifies the staged signed zone at `path` for `origin`, with the DS
/// records being written as the trust anchor (none: the DNSKEY RRset's
/// self-signature by a SEP key), at `now` (or, for a forced window, the
/// time inside `window` nearest to it). Any finding of severity error
/// rejects the zone.
pub fn check_staged(
    path: &Path,
    origin: &Name,
    ds: &[Ds],
    mode: VerifyMode,
    window: &SignatureWindow,
    now: i64,
) -> Result<PublishCheck, PublishCheckError> {
    let crypto = match mode {
        VerifyMode::None => {
            return Ok(PublishCheck {
                mode,
                ..PublishCheck::default()
            })
        }
        VerifyMode::Structure => CryptoScope::Sample,
        VerifyMode::Full => CryptoScope::All,
    };
    let zone = load_signed_zone_limited(path, Some(origin.clone()), OWN_OUTPUT_LIMITS)
        .map_err(PublishCheckError::Unreadable)?;
    let anchor = if ds.is_empty() {
        TrustAnchor::DnskeyOnly
    } else {
        TrustAnchor::Records {
            records: ds
                .iter()
                .enumerate()
                .map(|(n, d)| AnchorRecord {
                    rtype: rtype::DS,
                    rdata: d.to_rdata(),
                    file: "the DS set being written".into(),
                    line: n as u32 + 1,
                })
                .collect(),
            source: "the DS set being written".into(),
        }
    };
    let cfg = VerifyConfig {
        anchor,
        // `new` keeps the window after 1970, so this is never negative.
        now: window.nearest_valid_time(now).max(0) as u64,
        // Expiry warnings and the TTL cap are the signer's business, not
        // reasons to refuse the output.
        warn_expiry: 0,
        fail_expiry: 0,
        max_ttl: None,
        crypto,
    };
    let report = verify_zone(&zone, &cfg, None);
    if !report.ok {
        return Err(PublishCheckError::Rejected {
            errors: report.errors(),
            report: Box::new(report),
        });
    }
    Ok(PublishCheck {
        mode,
        rrsigs: report.summary.rrsigs,
        rrsigs_verified: report.summary.rrsigs_verified,
        warnings: (report.summary.warnings + report.summary.notes) as usize,
    })
}
