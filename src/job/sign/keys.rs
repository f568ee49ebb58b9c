//! The run's keys put to work: every key that signs has its private half
//! and every key is the zone's, and the signers go by role, KSKs for the
//! apex key RRsets and ZSKs for the rest (RFC 4035 §2.2, RFC 6781 §3.1).

use super::{SignRunError, SignerFor};
use crate::keys::{KeyError, SigningKey};
use crate::name::Name;
use crate::sign::keyset::{describe_unusable, RunKey};
use crate::sign::{SignError, SigningKeys, ZoneSigningKey};

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
