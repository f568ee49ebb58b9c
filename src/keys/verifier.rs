//! DNSKEY public keys prepared for verification.
//!
//! A [`VerifyingKey`] parses a DNSKEY's public key once (RFC 3110 §2 for
//! RSA, RFC 6605 §4 for ECDSA, RFC 8080 §3 for Ed25519) into aws-lc-rs's
//! `ParsedPublicKey`, so verifying the many RRSIGs made by one key does no
//! parsing. aws-lc-rs is the fastest verifier of every algorithm measured
//! on this project's machine (`benches/backends.rs`, table in
//! `benches/RESULTS.md`): against ring, RSA-2048 ~1.5x (the parsed key
//! saves the modulus set-up ring redoes per call), P-384 ~4x, Ed25519
//! ~1.3x, P-256 level.
//!
//! Ed25519 signatures can also be checked many at a time
//! ([`verify_ed25519_batch`], ed25519-dalek's batch verification: 3.2x
//! ring and 2.3x aws-lc-rs per signature in batches of 64, same table).
//! A batch passes only when, with overwhelming probability, every
//! signature in it satisfies the group equation of RFC 8032 §5.1.7; the
//! caller checks the signatures one by one when it fails, to name the bad
//! one.

use aws_lc_rs::signature::{self as lc, ParsedPublicKey, RsaPublicKeyComponents};

use super::algorithm::Algorithm;
use super::dnskey::{bit_len, check_public_key, rsa_public_key_decode, strip_leading_zeros};
use super::KeyError;

/// The smallest RSA modulus we verify: RFC 8624 §3.1 leaves RSA keys under
/// 1024 bits behind, and every backend measured refuses them.
pub const RSA_MIN_VERIFY_BITS: u32 = 1024;

/// A DNSKEY public key, parsed once, that checks signatures of its
/// algorithm. `Send + Sync`: one is shared by all verifying threads.
#[derive(Clone)]
pub struct VerifyingKey {
    algorithm: Algorithm,
    key: ParsedPublicKey,
    /// Ed25519 only, and only for a point of the prime-order subgroup: the
    /// key for batch verification (see [`VerifyingKey::batchable`]).
    batch: Option<ed25519_dalek::VerifyingKey>,
}

impl std::fmt::Debug for VerifyingKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VerifyingKey")
            .field("algorithm", &self.algorithm)
            .finish_non_exhaustive()
    }
}

impl VerifyingKey {
    /// Prepares the public key of a DNSKEY of algorithm number `algorithm`.
    ///
    /// `Err` when the check cannot be made: an algorithm we do not verify,
    /// a malformed public key, an RSA modulus under 1024 bits.
    pub fn new(algorithm: u8, public_key: &[u8]) -> Result<VerifyingKey, KeyError> {
        let alg = Algorithm::from_number(algorithm)?;
        check_public_key(alg, public_key)?;
        let rejected = |e: aws_lc_rs::error::KeyRejected| {
            KeyError::BadKey(format!("{alg} public key rejected ({e})"))
        };
        let mut batch = None;
        let key = match alg {
            Algorithm::RsaSha256 | Algorithm::RsaSha512 => {
                let (e, n) = rsa_public_key_decode(public_key)?;
                if bit_len(n) < RSA_MIN_VERIFY_BITS {
                    return Err(KeyError::BadKey(format!(
                        "RSA modulus of {} bits is below the {RSA_MIN_VERIFY_BITS} bits we verify",
                        bit_len(n)
                    )));
                }
                let params: &'static lc::RsaParameters = if alg == Algorithm::RsaSha512 {
                    &lc::RSA_PKCS1_1024_8192_SHA512_FOR_LEGACY_USE_ONLY
                } else {
                    &lc::RSA_PKCS1_1024_8192_SHA256_FOR_LEGACY_USE_ONLY
                };
                RsaPublicKeyComponents {
                    n: strip_leading_zeros(n),
                    e: strip_leading_zeros(e),
                }
                .to_parsed_public_key(params)
                .map_err(rejected)?
            }
            Algorithm::EcdsaP256Sha256 | Algorithm::EcdsaP384Sha384 => {
                let params: &'static lc::EcdsaVerificationAlgorithm =
                    if alg == Algorithm::EcdsaP256Sha256 {
                        &lc::ECDSA_P256_SHA256_FIXED
                    } else {
                        &lc::ECDSA_P384_SHA384_FIXED
                    };
                // RFC 6605 §4: the DNSKEY holds x || y; SEC 1 adds the 04.
                let mut point = Vec::with_capacity(1 + public_key.len());
                point.push(4);
                point.extend_from_slice(public_key);
                ParsedPublicKey::new(params, &point).map_err(rejected)?
            }
            Algorithm::Ed25519 => {
                let parsed = ParsedPublicKey::new(&lc::ED25519, public_key).map_err(rejected)?;
                batch = batch_key(public_key);
                parsed
            }
        };
        Ok(VerifyingKey {
            algorithm: alg,
            key,
            batch,
        })
    }

    /// Whether this key's signatures may go into [`verify_ed25519_batch`]:
    /// an Ed25519 key whose point has no small-order component. With such
    /// a component the batch's equation and the cofactorless check of
    /// OpenSSL and BoringSSL (which BIND, Knot and aws-lc-rs apply) could
    /// disagree on signatures over `[k]A`'s torsion part, so those keys are
    /// only ever checked one signature at a time.
    pub fn batchable(&self) -> bool {
        self.batch.is_some()
    }

    pub fn algorithm(&self) -> Algorithm {
        self.algorithm
    }

    /// Whether `sig` (DNSSEC wire form) is a valid signature of `data` (the
    /// RFC 4034 §3.1.8.1 signed data).
    pub fn verify(&self, data: &[u8], sig: &[u8]) -> bool {
        self.key.verify_sig(data, sig).is_ok()
    }
}

/// The ed25519-dalek key of an Ed25519 DNSKEY (RFC 8080 §3: the 32-octet
/// RFC 8032 encoding), `None` unless it decodes to a point of the
/// prime-order subgroup.
fn batch_key(public_key: &[u8]) -> Option<ed25519_dalek::VerifyingKey> {
    let bytes: &[u8; 32] = public_key.try_into().ok()?;
    let key = ed25519_dalek::VerifyingKey::from_bytes(bytes).ok()?;
    key.to_edwards().is_torsion_free().then_some(key)
}

/// Checks many Ed25519 signatures at once: `true` when every `(key,
/// signed data, signature)` verifies (each key [`VerifyingKey::batchable`]),
/// `false` when one or more do not, or a key is not batchable, or a
/// signature is not 64 octets, or a list is empty or of another length.
///
/// What `true` means: the random linear combination of the RFC 8032
/// §5.1.7 equations is the identity, so (but for a chance of about
/// 2^-128) each signature's `[S]B - R - [k]A` is the identity or a point
/// of small order. RFC 8032 §5.1.7 accepts both ("sufficient, but not
/// required" to leave the cofactor out); OpenSSL's and BoringSSL's checks
/// one by one accept only the identity. The two can differ only for an R
/// with a small-order component, which only the private key's holder can
/// make, on purpose (and a batch holding one passes only when its
/// deterministic weights cancel that component). An R that is itself of
/// small order, the simplest such signature, is refused here before the
/// batch (three doublings); keys with a small-order component never get
/// here ([`VerifyingKey::batchable`]).
pub fn verify_ed25519_batch(keys: &[&VerifyingKey], data: &[&[u8]], sigs: &[&[u8]]) -> bool {
    if keys.is_empty() || keys.len() != data.len() || keys.len() != sigs.len() {
        return false;
    }
    let mut dalek_keys = Vec::with_capacity(keys.len());
    let mut dalek_sigs = Vec::with_capacity(sigs.len());
    for (k, s) in keys.iter().zip(sigs) {
        let (Some(key), Ok(bytes)) = (k.batch, <&[u8; 64]>::try_from(*s)) else {
            return false;
        };
        let r: [u8; 32] = bytes[..32].try_into().expect("32 of 64 octets");
        let small_r = curve25519_dalek::edwards::CompressedEdwardsY(r)
            .decompress()
            .is_none_or(|p| p.is_small_order());
        if small_r {
            return false;
        }
        dalek_keys.push(key);
        dalek_sigs.push(ed25519_dalek::Signature::from_bytes(bytes));
    }
    ed25519_dalek::verify_batch(data, &dalek_sigs, &dalek_keys).is_ok()
}

/// Verifies a DNSSEC signature over `data` with a DNSKEY public key of
/// algorithm number `algorithm`, preparing the key for this one call.
///
/// `Ok(true)`: valid. `Ok(false)`: the signature does not verify.
/// `Err`: the check cannot be made (see [`VerifyingKey::new`]).
pub fn verify_signature(
    algorithm: u8,
    public_key: &[u8],
    data: &[u8],
    sig: &[u8],
) -> Result<bool, KeyError> {
    Ok(VerifyingKey::new(algorithm, public_key)?.verify(data, sig))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn verifying_key_is_send_and_sync() {
        assert_send_sync::<VerifyingKey>();
    }

    /// Ed25519 keys (one KSK, one ZSK) and `n` messages signed by them in turn.
    fn ed25519_batch(n: usize) -> (Vec<VerifyingKey>, Vec<Vec<u8>>, Vec<Vec<u8>>) {
        use crate::keys::{generate, Algorithm};
        let owner = crate::name::Name::from_ascii("example.").unwrap();
        let signers =
            [true, false].map(|ksk| generate(&owner, Algorithm::Ed25519, ksk, None).unwrap());
        let keys = signers
            .iter()
            .map(|k| VerifyingKey::new(15, &k.dnskey().public_key).unwrap())
            .collect();
        let data: Vec<Vec<u8>> = (0..n)
            .map(|i| format!("signed data {i}").into_bytes())
            .collect();
        let sigs = data
            .iter()
            .enumerate()
            .map(|(i, d)| signers[i % 2].sign(d).unwrap())
            .collect();
        (keys, data, sigs)
    }

    fn batch_of(keys: &[VerifyingKey], data: &[Vec<u8>], sigs: &[Vec<u8>]) -> bool {
        let k: Vec<&VerifyingKey> = (0..data.len()).map(|i| &keys[i % 2]).collect();
        let d: Vec<&[u8]> = data.iter().map(Vec::as_slice).collect();
        let s: Vec<&[u8]> = sigs.iter().map(Vec::as_slice).collect();
        verify_ed25519_batch(&k, &d, &s)
    }

    #[test]
    fn an_ed25519_batch_passes_only_when_every_signature_verifies() {
        let (keys, data, mut sigs) = ed25519_batch(70);
        assert!(keys.iter().all(VerifyingKey::batchable));
        assert!(batch_of(&keys, &data, &sigs));
        // Each signature alone agrees (aws-lc-rs, cofactorless).
        assert!((0..70).all(|i| keys[i % 2].verify(&data[i], &sigs[i])));
        for (i, byte) in [(0, 0), (33, 40), (69, 63)] {
            let mut bad = sigs.clone();
            bad[i][byte] ^= 1;
            assert!(
                !batch_of(&keys, &data, &bad),
                "signature {i} octet {byte} changed"
            );
            assert!(!keys[i % 2].verify(&data[i], &bad[i]));
        }
        // The right signature under the other key, or over other data.
        sigs.swap(0, 1);
        assert!(!batch_of(&keys, &data, &sigs));
    }

    #[test]
    fn an_ed25519_batch_refuses_what_it_cannot_check() {
        let (keys, data, sigs) = ed25519_batch(4);
        let d: Vec<&[u8]> = data.iter().map(Vec::as_slice).collect();
        let s: Vec<&[u8]> = sigs.iter().map(Vec::as_slice).collect();
        let k: Vec<&VerifyingKey> = (0..4).map(|i| &keys[i % 2]).collect();
        assert!(!verify_ed25519_batch(&[], &[], &[]));
        assert!(!verify_ed25519_batch(&k[..3], &d, &s), "lengths differ");
        let short: Vec<&[u8]> = s.iter().map(|x| &x[..63]).collect();
        assert!(!verify_ed25519_batch(&k, &d, &short));
        // A small-order R (the identity, y = 1) with S = 0.
        let mut r_identity = vec![0u8; 64];
        r_identity[0] = 1;
        let mut s2 = s.clone();
        s2[2] = &r_identity;
        assert!(!verify_ed25519_batch(&k, &d, &s2));
        // Keys that are not Ed25519 never batch.
        let p256 = crate::keys::generate(
            &crate::name::Name::from_ascii("example.").unwrap(),
            crate::keys::Algorithm::EcdsaP256Sha256,
            false,
            None,
        )
        .unwrap();
        let v = VerifyingKey::new(13, &p256.dnskey().public_key).unwrap();
        assert!(!v.batchable());
        // An Ed25519 point of small order (all zero octets: y = 0, order 4).
        assert!(batch_key(&[0u8; 32]).is_none());
        assert!(batch_key(&[1u8; 31]).is_none(), "not 32 octets");
    }

    #[test]
    fn keys_that_cannot_be_checked_are_errors() {
        assert!(VerifyingKey::new(13, &[0; 10]).is_err());
        assert!(VerifyingKey::new(13, &[0; 64]).is_err(), "not on the curve");
        assert!(VerifyingKey::new(5, &[0; 10]).is_err());
        assert!(VerifyingKey::new(8, &[]).is_err());
        // RFC 3110: exponent length 1, e = 3, a 512-bit modulus.
        let mut small = vec![1, 3];
        small.extend_from_slice(&[0xc1; 64]);
        let e = VerifyingKey::new(8, &small).unwrap_err().to_string();
        assert!(e.contains("512 bits"), "{e}");
    }
}
