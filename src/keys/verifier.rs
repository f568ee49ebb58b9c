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
                ParsedPublicKey::new(&lc::ED25519, public_key).map_err(rejected)?
            }
        };
        Ok(VerifyingKey {
            algorithm: alg,
            key,
        })
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
