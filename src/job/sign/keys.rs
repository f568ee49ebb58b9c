//! The run's keys: found in their source once the apex is known, then put
//! to work: every key that signs has its private half and every key is the
//! zone's, and the signers go by role, KSKs for the apex key RRsets and
//! ZSKs for the rest (RFC 4035 §2.2, RFC 6781 §3.1).

use std::path::PathBuf;

use super::{SignRunError, SignerFor};
use crate::keys::{Algorithm, KeyError, SigningKey};
use crate::lifecycle::{OwnedSigningValues, StateError};
use crate::name::Name;
use crate::sign::keyset::{self, describe_unusable, KeyMaterial, RunKey};
use crate::sign::{SignError, SigningKeys, ZoneSigningKey};

/// The keys `--generate-keys` makes: a KSK and a ZSK of one algorithm,
/// RSA moduli of the given sizes (default 2048 bits).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyGen {
    pub algorithm: Algorithm,
    pub ksk_bits: Option<u32>,
    pub zsk_bits: Option<u32>,
}

/// Where a run's keys come from. A new source (an HSM, a batch's shared
/// key store) is a new variant here; the pipeline only sees [`RunKey`]s.
#[derive(Debug, Clone)]
pub enum KeySource {
    /// All `K<zone>+*.key` files of the zone in a directory, published and
    /// active as their timing says at the signing time (BIND's
    /// `dnssec-signzone -S`); with `generate`, a KSK and a ZSK of that
    /// algorithm are made there first when it holds none.
    Dir {
        dir: PathBuf,
        generate: Option<KeyGen>,
    },
    /// Explicit key files: `ksk` sign the DNSKEY RRset, `zsk` the rest.
    Files {
        ksk: Vec<PathBuf>,
        zsk: Vec<PathBuf>,
    },
    /// A lifecycle state directory: exactly the keys its state says are
    /// published and active at the signing time.
    StateDir(PathBuf),
}

impl Default for KeySource {
    /// `./keys`, as `dnssec-signzone` looks in the working directory.
    fn default() -> Self {
        KeySource::Dir {
            dir: PathBuf::from("keys"),
            generate: None,
        }
    }
}

impl KeySource {
    /// The keys of `apex` at `now`, adding any warnings.
    pub fn load(
        &self,
        apex: &Name,
        now: i64,
        warnings: &mut Vec<String>,
    ) -> Result<Vec<RunKey>, SignRunError> {
        match self {
            KeySource::StateDir(dir) => {
                let keys = crate::lifecycle::keys_for_signing(dir, apex, now)?;
                Ok(keys
                    .into_iter()
                    .map(|k| RunKey {
                        path: dir.join(format!("{}.key", k.key.base_name())),
                        key: KeyMaterial::Pair(Box::new(k.key)),
                        publish: k.publish,
                        sign: k.sign,
                    })
                    .collect())
            }
            KeySource::Files { ksk, zsk } => Ok(keyset::load_files(ksk, zsk, apex, warnings)?),
            KeySource::Dir { dir, generate } => {
                let existing = if dir.is_dir() {
                    keyset::load_dir(dir, apex, now, warnings)?
                } else {
                    Vec::new()
                };
                match generate {
                    Some(g) if existing.is_empty() => Ok(keyset::generate(
                        dir,
                        apex,
                        g.algorithm,
                        [g.ksk_bits, g.zsk_bits],
                        now,
                    )?),
                    _ if existing.is_empty() && !dir.is_dir() => {
                        // No keys to sign with: a key problem (exit 5).
                        Err(KeyError::Other(format!(
                            "key directory {} does not exist (use --generate-keys to create it with keys, or -k/-z)",
                            dir.display()
                        ))
                        .into())
                    }
                    _ => Ok(existing),
                }
            }
        }
    }
}

/// With keys from a lifecycle state, the values its timing counts on
/// (RFC 7583 §3.3): a DNSKEY TTL asked for must be the state's, as must
/// the algorithm of the keys (checked where the keys are loaded).
pub(super) fn owned_values(
    cfg: &super::SignConfig,
) -> Result<Option<OwnedSigningValues>, SignRunError> {
    let KeySource::StateDir(dir) = &cfg.keys else {
        return Ok(None);
    };
    let owned = crate::lifecycle::owned_signing_values(dir)?;
    if let Some(t) = cfg.dnskey_ttl.filter(|t| *t != owned.dnskey_ttl) {
        return Err(StateError::Conflict(format!(
            "DNSKEY TTL {t} contradicts the lifecycle state, which owns it: {} policy.dnskey_ttl is {}",
            owned.state_file.display(),
            owned.dnskey_ttl
        ))
        .into());
    }
    Ok(Some(owned))
}

/// The zone's largest TTL (after the cap) must not exceed the lifecycle
/// state's `max_zone_ttl`: its rollovers wait that long for cached
/// signatures to expire (RFC 7583 §3.3), and a longer TTL would outlive
/// the wait.
pub(super) fn check_max_ttl(
    owned: &OwnedSigningValues,
    max_ttl: Option<u32>,
) -> Result<(), SignRunError> {
    match max_ttl {
        Some(t) if u64::from(t) > owned.max_zone_ttl => Err(StateError::Conflict(format!(
            "the zone's largest TTL, {t} s, exceeds the lifecycle state's {} policy.max_zone_ttl ({} s): its rollovers would not wait long enough; cap TTLs with --max-ttl {} or raise max_zone_ttl",
            owned.state_file.display(),
            owned.max_zone_ttl,
            owned.max_zone_ttl
        ))
        .into()),
        _ => Ok(()),
    }
}

/// The key pairs that sign. A key source only makes public-only keys that
/// do not sign, and one that broke that gets a key problem, not a silently
/// unsigned zone; a key of another zone is refused too.
pub(super) fn signing_pairs<'k>(
    keys: &'k [RunKey],
    apex: &Name,
    now: i64,
) -> Result<Vec<&'k SigningKey>, SignRunError> {
    let mut signing: Vec<&SigningKey> = Vec::new();
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
        if keys.is_empty() {
            // Name the zone: a wrong one (a mistyped -o, or a path given
            // to -o out of zonesign 0.1's habit) is the likeliest cause.
            return Err(SignError::NoKeys(format!(
                "no key files found for zone {} (K{}+*.key)",
                apex,
                apex.to_lowercase()
            ))
            .into());
        }
        return Err(SignError::NoKeys(describe_unusable(keys, now)).into());
    }
    for k in keys {
        if !k.key.owner().eq_ignore_case(apex) {
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
    Ok(signing)
}

/// A signer per signing key, with whether it is a KSK.
pub(super) fn signers<'k>(
    signing: &[&'k SigningKey],
    signer_for: &SignerFor<'_>,
) -> Vec<(bool, Box<dyn ZoneSigningKey + 'k>)> {
    signing
        .iter()
        .map(|k| (k.is_ksk(), signer_for(k)))
        .collect()
}

/// The signers by role; with no KSK the ZSKs sign everything, with a
/// warning.
pub(super) fn by_role<'s>(
    signers: &'s [(bool, Box<dyn ZoneSigningKey + '_>)],
    warnings: &mut Vec<String>,
) -> SigningKeys<'s> {
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
    SigningKeys { ksks, zsks }
}
