//! Key pairs: generation and signing.
//!
//! Signatures are RSA PKCS#1 v1.5 with SHA-256/SHA-512 (RFC 5702 §3),
//! ECDSA P-256/P-384 with fixed-width `r || s` (RFC 6605 §4) and Ed25519
//! (RFC 8080 §4). Each algorithm is signed by the backend measured fastest
//! on this project's machine (`benches/backends.rs`, `benches/RESULTS.md`):
//!
//! * RSA 2048..=8192 bits: aws-lc-rs on CPUs with AVX-512 IFMA (~2.4x
//!   ring there: aws-lc has IFMA code for 2048 and 4096 bits), ring on
//!   the others for 2048..=4096 bits (where aws-lc-rs measured 0.90-0.98x
//!   ring on an AMD EPYC without AVX-512; see [`rsa_prefers_aws_lc`]).
//!   Other RSA keys (1024-bit, odd sizes under 2048, the RFC 5702
//!   examples) are signed with the `rsa` crate, with blinding.
//! * P-256: ring (level with aws-lc-rs, both ~50k/s per core).
//! * P-384: aws-lc-rs (~6x ring, s2n-bignum).
//! * Ed25519: aws-lc-rs (~2.6x ring, ~1.9x ed25519-dalek).
//!
//! Verification is [`super::verifier`]. RSA key generation uses the `rsa`
//! crate; ECDSA and Ed25519 generation use ring.
//!
//! The key objects are built once, when a key is loaded or generated, so
//! [`SigningKey::sign`] does no parsing; [`SigningKey`] is `Send + Sync`.

use std::fmt;

use ring::rand::{SecureRandom, SystemRandom};
use ring::signature::{self, EcdsaKeyPair, Ed25519KeyPair, KeyPair};
use rsa::traits::{PrivateKeyParts, PublicKeyParts};
use rsa::BigUint;
use sha2::{Digest, Sha256, Sha512};
use zeroize::Zeroizing;

use super::algorithm::Algorithm;
use super::der;
use super::dnskey::{
    bit_len, check_public_key, rsa_public_key_encode, strip_leading_zeros, Dnskey,
};
use super::timing::KeyTiming;
use super::verifier::VerifyingKey;
use super::KeyError;
use crate::keytag::KeyTag;
use crate::name::Name;

/// Bytes that are wiped on drop and never printed.
pub type Secret = Zeroizing<Vec<u8>>;

fn secret(b: &[u8]) -> Secret {
    Zeroizing::new(b.to_vec())
}

/// RSA private key components as BIND stores them (big-endian, no leading
/// zeros). `Debug` redacts everything but the public parts' sizes.
#[derive(Clone)]
pub struct RsaPrivate {
    pub modulus: Vec<u8>,
    pub public_exponent: Vec<u8>,
    pub private_exponent: Secret,
    pub prime1: Secret,
    pub prime2: Secret,
    pub exponent1: Secret,
    pub exponent2: Secret,
    pub coefficient: Secret,
}

impl fmt::Debug for RsaPrivate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "RsaPrivate {{ modulus_bits: {}, private: <redacted> }}",
            bit_len(&self.modulus)
        )
    }
}

/// Private key material of a supported algorithm.
#[derive(Clone)]
pub enum PrivateKey {
    Rsa(RsaPrivate),
    /// The ECDSA private scalar, big-endian, padded to the field size.
    Ecdsa(Secret),
    /// The 32-byte Ed25519 seed (RFC 8032 "private key").
    Ed25519(Secret),
}

impl fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PrivateKey::Rsa(r) => r.fmt(f),
            PrivateKey::Ecdsa(_) => f.write_str("PrivateKey::Ecdsa(<redacted>)"),
            PrivateKey::Ed25519(_) => f.write_str("PrivateKey::Ed25519(<redacted>)"),
        }
    }
}

/// The prepared signer: the backend's key object, built once.
enum Engine {
    RsaAwsLc(aws_lc_rs::signature::RsaKeyPair),
    RsaRing(ring::rsa::KeyPair),
    /// RSA keys aws-lc-rs refuses to sign with (see the module docs).
    RsaSoft(Box<rsa::RsaPrivateKey>),
    EcdsaRing(EcdsaKeyPair),
    EcdsaAwsLc(aws_lc_rs::signature::EcdsaKeyPair),
    Ed25519AwsLc(aws_lc_rs::signature::Ed25519KeyPair),
}

/// A loaded or generated key pair: owner, DNSKEY, tag, timing and the
/// private half, ready to sign.
pub struct SigningKey {
    owner: Name,
    algorithm: Algorithm,
    dnskey: Dnskey,
    tag: KeyTag,
    timing: KeyTiming,
    private: PrivateKey,
    engine: Engine,
    /// `None` for RSA keys under 1024 bits, which sign (the RFC 5702
    /// examples) but which no verifier here checks.
    verifier: Option<VerifyingKey>,
    rng: SystemRandom,
    aws_rng: aws_lc_rs::rand::SystemRandom,
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKey")
            .field("owner", &self.owner)
            .field("algorithm", &self.algorithm)
            .field("flags", &self.dnskey.flags)
            .field("tag", &self.tag)
            .field("timing", &self.timing)
            .field("private", &"<redacted>")
            .finish()
    }
}

/// What went wrong pairing a private half with a public half; the key file
/// layer turns this into a [`KeyError::Mismatch`] with file names.
#[derive(Debug)]
pub(crate) enum PairError {
    /// The halves do not belong together; the private half's tag if known.
    Mismatch {
        private_tag: Option<PrivateTags>,
        detail: String,
    },
    Bad(KeyError),
}

impl From<KeyError> for PairError {
    fn from(e: KeyError) -> PairError {
        PairError::Bad(e)
    }
}

impl PairError {
    /// For callers without file names.
    pub(crate) fn into_key_error(self, key_tag: KeyTag) -> KeyError {
        match self {
            PairError::Bad(e) => e,
            PairError::Mismatch {
                private_tag,
                detail,
            } => KeyError::Mismatch {
                key_path: "public key".into(),
                key_tag,
                private_path: "private key".into(),
                private_desc: describe_private_tag(private_tag),
                detail,
            },
        }
    }
}

/// The key tags the private half's public key would have as a ZSK (flags
/// 256) and as a KSK (257): a private file does not record the flags.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PrivateTags {
    pub zsk: KeyTag,
    pub ksk: KeyTag,
}

impl PrivateTags {
    fn of(alg: Algorithm, public_key: &[u8]) -> PrivateTags {
        PrivateTags {
            zsk: tag_of(super::dnskey::FLAGS_ZSK, alg, public_key),
            ksk: tag_of(super::dnskey::FLAGS_KSK, alg, public_key),
        }
    }
}

/// "private key of key tag N (as a ZSK) / M (as a KSK)", or "of another key"
/// when the public half cannot be derived here (ECDSA).
pub(crate) fn describe_private_tag(tag: Option<PrivateTags>) -> String {
    match tag {
        Some(t) => format!(
            "private key of key tag {} as a ZSK, {} as a KSK",
            t.zsk, t.ksk
        ),
        None => "private key of another key".to_string(),
    }
}

fn ecdsa_params(alg: Algorithm) -> Option<(&'static signature::EcdsaSigningAlgorithm, usize)> {
    match alg {
        Algorithm::EcdsaP256Sha256 => Some((&signature::ECDSA_P256_SHA256_FIXED_SIGNING, 32)),
        Algorithm::EcdsaP384Sha384 => Some((&signature::ECDSA_P384_SHA384_FIXED_SIGNING, 48)),
        _ => None,
    }
}

/// Left-pads (or strips leading zeros of) a big-endian scalar to `len`.
fn fit_scalar(scalar: &[u8], len: usize) -> Option<Secret> {
    let s = strip_leading_zeros(scalar);
    if s.len() > len || s.is_empty() {
        return None;
    }
    let mut v = Zeroizing::new(vec![0u8; len]);
    v[len - s.len()..].copy_from_slice(s);
    Some(v)
}

fn tag_of(flags: u16, alg: Algorithm, public_key: &[u8]) -> KeyTag {
    Dnskey {
        flags,
        protocol: 3,
        algorithm: alg.number(),
        public_key: public_key.to_vec(),
    }
    .key_tag()
}

fn big(b: &[u8]) -> BigUint {
    BigUint::from_bytes_be(b)
}

/// Builds and checks the RSA engine; fills in missing/derived CRT values.
fn rsa_engine(r: &mut RsaPrivate) -> Result<Engine, KeyError> {
    let soft = rsa::RsaPrivateKey::from_components(
        big(&r.modulus),
        big(&r.public_exponent),
        big(&r.private_exponent),
        vec![big(&r.prime1), big(&r.prime2)],
    )
    .map_err(|e| KeyError::BadKey(format!("RSA private key components are inconsistent ({e})")))?;
    // Derived CRT values; a file's own values must agree with them.
    let (dp, dq, qinv) = match (soft.dp(), soft.dq(), soft.crt_coefficient()) {
        (Some(dp), Some(dq), Some(qinv)) => {
            (dp.to_bytes_be(), dq.to_bytes_be(), qinv.to_bytes_be())
        }
        _ => {
            return Err(KeyError::BadKey(
                "RSA private key: cannot derive the CRT exponents".into(),
            ))
        }
    };
    for (label, given, derived) in [
        ("Exponent1", &r.exponent1, &dp),
        ("Exponent2", &r.exponent2, &dq),
        ("Coefficient", &r.coefficient, &qinv),
    ] {
        if !given.is_empty() && strip_leading_zeros(given) != strip_leading_zeros(derived) {
            return Err(KeyError::BadKey(format!(
                "RSA private key: {label} does not agree with the primes"
            )));
        }
    }
    r.exponent1 = Zeroizing::new(dp);
    r.exponent2 = Zeroizing::new(dq);
    r.coefficient = Zeroizing::new(qinv);
    if !rsa_prefers_aws_lc() {
        if let Some(kp) = ring_rsa(r) {
            return Ok(Engine::RsaRing(kp));
        }
    }
    // aws-lc-rs signs 2048..=8192-bit moduli; it refuses the rest, which
    // the rsa crate signs (the consistency checks above were made on both).
    match aws_lc_rsa(r) {
        Some(kp) => Ok(Engine::RsaAwsLc(kp)),
        None => Ok(Engine::RsaSoft(Box::new(soft))),
    }
}

/// Whether aws-lc-rs signs RSA faster than ring on this CPU: where AVX-512
/// IFMA is there (aws-lc's RSA-2048/4096 code uses it: 4,000 against
/// ring's 1,650 signatures/s per core, benches/RESULTS.md, Intel). Without
/// it the two share the same kind of Montgomery code and ring measured
/// 2-10% ahead (AMD EPYC, same file), so ring signs there.
pub fn rsa_prefers_aws_lc() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::arch::is_x86_feature_detected!("avx512ifma")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

/// The CRT components of `r` as `$krate::rsa::KeyPairComponents`: ring
/// and aws-lc-rs take the same struct, but as two distinct types.
macro_rules! rsa_components {
    ($krate:ident, $r:expr) => {
        $krate::rsa::KeyPairComponents {
            public_key: $krate::rsa::PublicKeyComponents {
                n: strip_leading_zeros(&$r.modulus),
                e: strip_leading_zeros(&$r.public_exponent),
            },
            d: strip_leading_zeros(&$r.private_exponent),
            p: strip_leading_zeros(&$r.prime1),
            q: strip_leading_zeros(&$r.prime2),
            dP: strip_leading_zeros(&$r.exponent1),
            dQ: strip_leading_zeros(&$r.exponent2),
            qInv: strip_leading_zeros(&$r.coefficient),
        }
    };
}

/// ring's RSA signer (2048..=4096-bit moduli), `None` for other sizes.
/// The components must be complete (see [`rsa_engine`]).
fn ring_rsa(r: &RsaPrivate) -> Option<ring::rsa::KeyPair> {
    ring::rsa::KeyPair::from_components(&rsa_components!(ring, r)).ok()
}

/// aws-lc-rs's RSA signer (2048..=8192-bit moduli), `None` for others.
fn aws_lc_rsa(r: &RsaPrivate) -> Option<aws_lc_rs::signature::RsaKeyPair> {
    aws_lc_rs::signature::RsaKeyPair::from_components(&rsa_components!(aws_lc_rs, r)).ok()
}

impl SigningKey {
    /// Pairs private key material with the public DNSKEY it should belong
    /// to, checks they match and prepares the signer.
    pub(crate) fn from_parts(
        owner: Name,
        dnskey: Dnskey,
        private: PrivateKey,
        timing: KeyTiming,
    ) -> Result<SigningKey, PairError> {
        let algorithm = dnskey.supported_algorithm()?;
        check_public_key(algorithm, &dnskey.public_key)?;
        let rng = SystemRandom::new();
        let mismatch = |private_tag: Option<PrivateTags>, detail: &str| PairError::Mismatch {
            private_tag,
            detail: detail.to_string(),
        };
        let (private, engine) = match (algorithm, private) {
            (Algorithm::RsaSha256 | Algorithm::RsaSha512, PrivateKey::Rsa(mut r)) => {
                let derived = rsa_public_key_encode(&r.public_exponent, &r.modulus);
                if derived != dnskey.public_key {
                    return Err(mismatch(
                        Some(PrivateTags::of(algorithm, &derived)),
                        "the RSA modulus or exponent differs",
                    ));
                }
                let engine = rsa_engine(&mut r)?;
                (PrivateKey::Rsa(r), engine)
            }
            (Algorithm::EcdsaP256Sha256 | Algorithm::EcdsaP384Sha384, PrivateKey::Ecdsa(s)) => {
                let (ring_alg, len) = ecdsa_params(algorithm)
                    .ok_or_else(|| KeyError::BadKey("not an ECDSA algorithm".into()))?;
                let scalar = fit_scalar(&s, len).ok_or_else(|| {
                    KeyError::BadKey(format!(
                        "{algorithm} private key has the wrong length ({} octets, expected {len})",
                        s.len()
                    ))
                })?;
                let mut point = Vec::with_capacity(1 + dnskey.public_key.len());
                point.push(4);
                point.extend_from_slice(&dnskey.public_key);
                let rejected = |e: &dyn std::fmt::Display| {
                    if e.to_string() == "InconsistentComponents" {
                        mismatch(None, "the ECDSA private key does not give this public key")
                    } else {
                        PairError::Bad(KeyError::BadKey(format!(
                            "{algorithm} private key rejected ({e})"
                        )))
                    }
                };
                let engine = if algorithm == Algorithm::EcdsaP256Sha256 {
                    Engine::EcdsaRing(
                        EcdsaKeyPair::from_private_key_and_public_key(
                            ring_alg, &scalar, &point, &rng,
                        )
                        .map_err(|e| rejected(&e))?,
                    )
                } else {
                    Engine::EcdsaAwsLc(
                        aws_lc_rs::signature::EcdsaKeyPair::from_private_key_and_public_key(
                            &aws_lc_rs::signature::ECDSA_P384_SHA384_FIXED_SIGNING,
                            &scalar,
                            &point,
                        )
                        .map_err(|e| rejected(&e))?,
                    )
                };
                (PrivateKey::Ecdsa(scalar), engine)
            }
            (Algorithm::Ed25519, PrivateKey::Ed25519(seed)) => {
                if seed.len() != 32 {
                    return Err(KeyError::BadKey(format!(
                        "ED25519 private key is {} octets, expected 32",
                        seed.len()
                    ))
                    .into());
                }
                let kp = aws_lc_rs::signature::Ed25519KeyPair::from_seed_unchecked(&seed)
                    .map_err(|e| KeyError::BadKey(format!("ED25519 private key rejected ({e})")))?;
                {
                    use aws_lc_rs::signature::KeyPair as _;
                    if kp.public_key().as_ref() != dnskey.public_key.as_slice() {
                        return Err(mismatch(
                            Some(PrivateTags::of(algorithm, kp.public_key().as_ref())),
                            "the Ed25519 private key gives another public key",
                        ));
                    }
                }
                (PrivateKey::Ed25519(seed), Engine::Ed25519AwsLc(kp))
            }
            (_, _) => {
                return Err(KeyError::BadKey(format!(
                    "private key material is not of algorithm {algorithm}"
                ))
                .into())
            }
        };
        let tag = dnskey.key_tag();
        let verifier = VerifyingKey::new(algorithm.number(), &dnskey.public_key).ok();
        Ok(SigningKey {
            owner,
            algorithm,
            dnskey,
            tag,
            timing,
            private,
            engine,
            verifier,
            rng,
            aws_rng: aws_lc_rs::rand::SystemRandom::new(),
        })
    }

    /// Builds a key pair from a DNSKEY and BIND-style private key material,
    /// checking that the halves match.
    pub fn new(
        owner: Name,
        dnskey: Dnskey,
        private: PrivateKey,
        timing: KeyTiming,
    ) -> Result<SigningKey, KeyError> {
        let tag = dnskey.key_tag();
        SigningKey::from_parts(owner, dnskey, private, timing).map_err(|e| e.into_key_error(tag))
    }

    /// The zone (owner of the DNSKEY).
    pub fn owner(&self) -> &Name {
        &self.owner
    }

    pub fn algorithm(&self) -> Algorithm {
        self.algorithm
    }

    pub fn dnskey(&self) -> &Dnskey {
        &self.dnskey
    }

    pub fn key_tag(&self) -> KeyTag {
        self.tag
    }

    pub fn flags(&self) -> u16 {
        self.dnskey.flags
    }

    /// SEP bit set (a KSK).
    pub fn is_ksk(&self) -> bool {
        self.dnskey.is_ksk()
    }

    pub fn timing(&self) -> &KeyTiming {
        &self.timing
    }

    pub fn set_timing(&mut self, timing: KeyTiming) {
        self.timing = timing;
    }

    /// The private material (for writing key files). Its `Debug` redacts.
    pub fn private_key(&self) -> &PrivateKey {
        &self.private
    }

    /// Key size in bits (RSA modulus length, else the algorithm's size).
    pub fn bits(&self) -> u32 {
        self.dnskey.key_bits().unwrap_or(0)
    }

    /// BIND's base file name: `K<zone>+<alg 3 digits>+<tag 5 digits>`,
    /// e.g. `Kexample.com.+013+06976`. The root zone gives `K.+013+...`.
    pub fn base_name(&self) -> String {
        base_name(&self.owner, self.algorithm.number(), self.tag)
    }

    /// Which implementation signs: `"aws-lc-rs"`, `"ring"` (P-256, and
    /// RSA without AVX-512 IFMA), or `"rsa"` for RSA keys neither takes
    /// (under 2048 bits).
    pub fn backend(&self) -> &'static str {
        match self.engine {
            Engine::RsaSoft(_) => "rsa",
            Engine::EcdsaRing(_) | Engine::RsaRing(_) => "ring",
            Engine::RsaAwsLc(_) | Engine::EcdsaAwsLc(_) | Engine::Ed25519AwsLc(_) => "aws-lc-rs",
        }
    }

    /// The public half, prepared for checking signatures (those a re-sign
    /// keeps); `None` for RSA keys under 1024 bits.
    pub fn verifier(&self) -> Option<&VerifyingKey> {
        self.verifier.as_ref()
    }

    /// Length of a signature by this key in octets.
    pub fn signature_len(&self) -> usize {
        match &self.engine {
            Engine::RsaAwsLc(kp) => kp.public_modulus_len(),
            Engine::RsaRing(kp) => kp.public().modulus_len(),
            Engine::RsaSoft(k) => k.size(),
            Engine::EcdsaRing(_) | Engine::EcdsaAwsLc(_) => {
                if self.algorithm == Algorithm::EcdsaP256Sha256 {
                    64
                } else {
                    96
                }
            }
            Engine::Ed25519AwsLc(_) => 64,
        }
    }

    /// Signs `data` (the RFC 4034 §3.1.8.1 signed data) and returns the
    /// signature in DNSSEC wire form: RSA PKCS#1 v1.5 (RFC 5702 §3),
    /// ECDSA `r || s` fixed width (RFC 6605 §4), Ed25519 (RFC 8080 §4).
    pub fn sign(&self, data: &[u8]) -> Result<Vec<u8>, KeyError> {
        let failed =
            |what: &str| KeyError::Sign(format!("{} key {}: {what}", self.algorithm, self.tag));
        match &self.engine {
            Engine::RsaAwsLc(kp) => {
                let padding: &'static dyn aws_lc_rs::signature::RsaEncoding =
                    if self.algorithm == Algorithm::RsaSha512 {
                        &aws_lc_rs::signature::RSA_PKCS1_SHA512
                    } else {
                        &aws_lc_rs::signature::RSA_PKCS1_SHA256
                    };
                let mut sig = vec![0u8; kp.public_modulus_len()];
                kp.sign(padding, &self.aws_rng, data, &mut sig)
                    .map_err(|_| failed("RSA signing failed"))?;
                Ok(sig)
            }
            Engine::RsaRing(kp) => {
                let padding: &'static dyn signature::RsaEncoding =
                    if self.algorithm == Algorithm::RsaSha512 {
                        &signature::RSA_PKCS1_SHA512
                    } else {
                        &signature::RSA_PKCS1_SHA256
                    };
                let mut sig = vec![0u8; kp.public().modulus_len()];
                kp.sign(padding, &self.rng, data, &mut sig)
                    .map_err(|_| failed("RSA signing failed"))?;
                Ok(sig)
            }
            Engine::RsaSoft(k) => {
                let digest_info = rsa_digest_info(self.algorithm, data);
                k.sign_with_rng(
                    &mut rand::rngs::OsRng,
                    rsa::Pkcs1v15Sign::new_unprefixed(),
                    &digest_info,
                )
                .map_err(|e| failed(&format!("RSA signing failed ({e})")))
            }
            Engine::EcdsaRing(kp) => kp
                .sign(&self.rng, data)
                .map(|s| s.as_ref().to_vec())
                .map_err(|_| failed("ECDSA signing failed")),
            Engine::EcdsaAwsLc(kp) => kp
                .sign(&self.aws_rng, data)
                .map(|s| s.as_ref().to_vec())
                .map_err(|_| failed("ECDSA signing failed")),
            Engine::Ed25519AwsLc(kp) => kp
                .try_sign(data)
                .map(|s| s.as_ref().to_vec())
                .map_err(|_| failed("Ed25519 signing failed")),
        }
    }
}

/// `K<zone>+<alg>+<tag>` for an owner, algorithm number and tag. The zone
/// is lowercased in the file name, as dnssec-keygen does (the records keep
/// the owner's case).
pub fn base_name(owner: &Name, algorithm: u8, tag: KeyTag) -> String {
    let zone = owner.to_lowercase().to_string();
    let zone = if zone.ends_with('.') {
        zone
    } else {
        format!("{zone}.")
    };
    format!("K{zone}+{algorithm:03}+{}", tag.padded())
}

/// DER DigestInfo prefixes (RFC 8017 §9.2 note 1) for PKCS#1 v1.5.
const SHA256_PREFIX: &[u8] = &[
    0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05,
    0x00, 0x04, 0x20,
];
const SHA512_PREFIX: &[u8] = &[
    0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03, 0x05,
    0x00, 0x04, 0x40,
];

fn rsa_digest_info(alg: Algorithm, data: &[u8]) -> Vec<u8> {
    let mut v = Vec::with_capacity(19 + 64);
    if alg == Algorithm::RsaSha512 {
        v.extend_from_slice(SHA512_PREFIX);
        v.extend_from_slice(&Sha512::digest(data));
    } else {
        v.extend_from_slice(SHA256_PREFIX);
        v.extend_from_slice(&Sha256::digest(data));
    }
    v
}

/// RSA key sizes `generate` accepts.
pub const RSA_BITS: std::ops::RangeInclusive<u32> = 1024..=4096;
/// RSA key size when none is given.
pub const RSA_DEFAULT_BITS: u32 = 2048;

/// Generates a new key pair for `zone`: a KSK (flags 257) when `ksk`, else a
/// ZSK (256). `bits` is for RSA (1024..=4096, default 2048); for the other
/// algorithms it must be absent or equal to the fixed size. Timing is left
/// empty: the caller sets it (the library does not read the clock).
pub fn generate(
    zone: &Name,
    algorithm: Algorithm,
    ksk: bool,
    bits: Option<u32>,
) -> Result<SigningKey, KeyError> {
    let rng = SystemRandom::new();
    let rng_failed = || KeyError::Other("the system random number generator failed".into());
    let (public_key, private) = match algorithm {
        Algorithm::RsaSha256 | Algorithm::RsaSha512 => {
            let bits = bits.unwrap_or(RSA_DEFAULT_BITS);
            if !RSA_BITS.contains(&bits) {
                return Err(KeyError::InvalidArgument(format!(
                    "RSA key size {bits} bits is out of range; use 1024 to 4096 (default {RSA_DEFAULT_BITS})"
                )));
            }
            let k = rsa::RsaPrivateKey::new(&mut rand::rngs::OsRng, bits as usize)
                .map_err(|e| KeyError::Other(format!("RSA key generation failed ({e})")))?;
            let primes = k.primes();
            let (p, q) = match primes {
                [p, q] => (p, q),
                _ => {
                    return Err(KeyError::Other(
                        "RSA key generation gave more than two primes".into(),
                    ))
                }
            };
            let r = RsaPrivate {
                modulus: k.n().to_bytes_be(),
                public_exponent: k.e().to_bytes_be(),
                private_exponent: Zeroizing::new(k.d().to_bytes_be()),
                prime1: Zeroizing::new(p.to_bytes_be()),
                prime2: Zeroizing::new(q.to_bytes_be()),
                exponent1: Zeroizing::new(Vec::new()),
                exponent2: Zeroizing::new(Vec::new()),
                coefficient: Zeroizing::new(Vec::new()),
            };
            (
                rsa_public_key_encode(&r.public_exponent, &r.modulus),
                PrivateKey::Rsa(r),
            )
        }
        Algorithm::EcdsaP256Sha256 | Algorithm::EcdsaP384Sha384 => {
            check_fixed_bits(algorithm, bits)?;
            let (ring_alg, len) = ecdsa_params(algorithm)
                .ok_or_else(|| KeyError::Other("not an ECDSA algorithm".into()))?;
            let doc = EcdsaKeyPair::generate_pkcs8(ring_alg, &rng).map_err(|_| rng_failed())?;
            let pkcs8 = der::parse_pkcs8(doc.as_ref())
                .ok_or_else(|| KeyError::Other("cannot read ring's PKCS#8 document".into()))?;
            let (scalar, public) = der::parse_ec_private_key(pkcs8.private_key)
                .ok_or_else(|| KeyError::Other("cannot read ring's EC private key".into()))?;
            let public = public
                .and_then(|p| p.strip_prefix(&[4u8][..]))
                .ok_or_else(|| {
                    KeyError::Other("ring's EC private key lacks the public key".into())
                })?;
            let scalar = fit_scalar(scalar, len)
                .ok_or_else(|| KeyError::Other("ring's EC private key has a bad length".into()))?;
            (public.to_vec(), PrivateKey::Ecdsa(scalar))
        }
        Algorithm::Ed25519 => {
            check_fixed_bits(algorithm, bits)?;
            let mut seed = Zeroizing::new(vec![0u8; 32]);
            rng.fill(&mut seed).map_err(|_| rng_failed())?;
            let kp = Ed25519KeyPair::from_seed_unchecked(&seed)
                .map_err(|e| KeyError::Other(format!("Ed25519 key generation failed ({e})")))?;
            (kp.public_key().as_ref().to_vec(), PrivateKey::Ed25519(seed))
        }
    };
    let dnskey = Dnskey::new(algorithm, ksk, public_key);
    SigningKey::new(zone.clone(), dnskey, private, KeyTiming::default())
}

fn check_fixed_bits(alg: Algorithm, bits: Option<u32>) -> Result<(), KeyError> {
    match (bits, alg.fixed_bits()) {
        (Some(b), Some(fixed)) if b != fixed => Err(KeyError::InvalidArgument(format!(
            "--bits is for RSA keys; {alg} keys are always {fixed} bits"
        ))),
        _ => Ok(()),
    }
}

/// Private key material from a PKCS#8 DER document (Knot's `.pem` files,
/// GnuTLS-written: an EC scalar may carry a leading zero octet).
pub(crate) fn private_key_from_pkcs8(
    doc: &[u8],
    algorithm: Algorithm,
) -> Result<PrivateKey, String> {
    let p = der::parse_pkcs8(doc).ok_or("not a PKCS#8 PrivateKeyInfo")?;
    match algorithm {
        Algorithm::RsaSha256 | Algorithm::RsaSha512 => {
            if p.algorithm != der::OID_RSA {
                return Err("the PKCS#8 key is not an RSA key".into());
            }
            let [n, e, d, p1, p2, e1, e2, c] =
                der::parse_rsa_private_key(p.private_key).ok_or("malformed RSAPrivateKey")?;
            Ok(PrivateKey::Rsa(RsaPrivate {
                modulus: n.to_vec(),
                public_exponent: e.to_vec(),
                private_exponent: secret(d),
                prime1: secret(p1),
                prime2: secret(p2),
                exponent1: secret(e1),
                exponent2: secret(e2),
                coefficient: secret(c),
            }))
        }
        Algorithm::EcdsaP256Sha256 | Algorithm::EcdsaP384Sha384 => {
            let curve = if algorithm == Algorithm::EcdsaP256Sha256 {
                der::OID_P256
            } else {
                der::OID_P384
            };
            if p.algorithm != der::OID_EC_PUBLIC_KEY || p.parameter != Some(curve) {
                return Err(format!("the PKCS#8 key is not an {algorithm} key"));
            }
            let (scalar, _) =
                der::parse_ec_private_key(p.private_key).ok_or("malformed ECPrivateKey")?;
            Ok(PrivateKey::Ecdsa(secret(scalar)))
        }
        Algorithm::Ed25519 => {
            if p.algorithm != der::OID_ED25519 {
                return Err("the PKCS#8 key is not an Ed25519 key".into());
            }
            let seed = der::Reader::new(p.private_key)
                .read(der::TAG_OCTET_STRING)
                .ok_or("malformed Ed25519 CurvePrivateKey")?;
            Ok(PrivateKey::Ed25519(secret(seed)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::verify_signature;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn signing_key_is_send_and_sync() {
        assert_send_sync::<SigningKey>();
    }

    #[test]
    fn generated_keys_sign_and_verify() {
        let zone = Name::from_ascii("example.com").unwrap();
        for alg in Algorithm::ALL {
            let bits = if alg.is_rsa() { Some(1024) } else { None };
            let key = generate(&zone, alg, true, bits).unwrap();
            assert!(key.is_ksk());
            assert_eq!(key.flags(), 257);
            let sig = key.sign(b"hello").unwrap();
            assert_eq!(sig.len(), key.signature_len());
            let pk = &key.dnskey().public_key;
            assert!(verify_signature(alg.number(), pk, b"hello", &sig).unwrap());
            assert!(!verify_signature(alg.number(), pk, b"hellO", &sig).unwrap());
            let dbg = format!("{key:?}");
            assert!(dbg.contains("redacted"), "{dbg}");
        }
    }

    /// PKCS#1 v1.5 signatures are deterministic (RFC 8017 §8.2), so every
    /// RSA backend must give the same bytes for the same key and data: a
    /// known-answer test of aws-lc-rs against ring and the rsa crate.
    #[test]
    fn rsa_backends_give_the_same_signature() {
        let zone = Name::from_ascii("example.com").unwrap();
        for (alg, bits) in [
            (Algorithm::RsaSha256, 2048),
            (Algorithm::RsaSha512, 2048),
            (Algorithm::RsaSha256, 2304),
            (Algorithm::RsaSha256, 3072),
        ] {
            let key = generate(&zone, alg, false, Some(bits)).unwrap();
            let PrivateKey::Rsa(r) = key.private_key().clone() else {
                panic!("not RSA")
            };
            let fastest = if !rsa_prefers_aws_lc() && ring_rsa(&r).is_some() {
                "ring"
            } else {
                "aws-lc-rs"
            };
            assert_eq!(key.backend(), fastest, "{alg} {bits}");
            let soft = rsa::RsaPrivateKey::from_components(
                big(&r.modulus),
                big(&r.public_exponent),
                big(&r.private_exponent),
                vec![big(&r.prime1), big(&r.prime2)],
            )
            .unwrap();
            let ours = key.sign(b"data").unwrap();
            let digest_info = rsa_digest_info(alg, b"data");
            let via_rsa = soft
                .sign(rsa::Pkcs1v15Sign::new_unprefixed(), &digest_info)
                .unwrap();
            assert_eq!(ours, via_rsa, "{alg} {bits}: {fastest} vs rsa");
            let padding: (
                &'static dyn signature::RsaEncoding,
                &'static dyn aws_lc_rs::signature::RsaEncoding,
            ) = if alg == Algorithm::RsaSha512 {
                (
                    &signature::RSA_PKCS1_SHA512,
                    &aws_lc_rs::signature::RSA_PKCS1_SHA512,
                )
            } else {
                (
                    &signature::RSA_PKCS1_SHA256,
                    &aws_lc_rs::signature::RSA_PKCS1_SHA256,
                )
            };
            let aws = aws_lc_rsa(&r).expect("aws-lc-rs takes 2048..=8192 bits");
            let mut via_aws = vec![0u8; aws.public_modulus_len()];
            aws.sign(
                padding.1,
                &aws_lc_rs::rand::SystemRandom::new(),
                b"data",
                &mut via_aws,
            )
            .unwrap();
            assert_eq!(ours, via_aws, "{alg} {bits}: {fastest} vs aws-lc-rs");
            if let Some(ring_key) = ring_rsa(&r) {
                let mut via_ring = vec![0u8; ring_key.public().modulus_len()];
                ring_key
                    .sign(padding.0, &SystemRandom::new(), b"data", &mut via_ring)
                    .unwrap();
                assert_eq!(ours, via_ring, "{alg} {bits}: {fastest} vs ring");
            }
            assert!(key.verifier().unwrap().verify(b"data", &ours));
        }
        let small = generate(&zone, Algorithm::RsaSha512, false, Some(1024)).unwrap();
        assert_eq!(small.backend(), "rsa");
        let sig = small.sign(b"x").unwrap();
        assert!(verify_signature(10, &small.dnskey().public_key, b"x", &sig).unwrap());
    }

    /// Ed25519 is deterministic too (RFC 8032 §5.1.6): aws-lc-rs must give
    /// ring's bytes. ECDSA is not (RFC 6605 §4 signatures are randomised),
    /// so there each backend must accept the other's signatures.
    #[test]
    fn ed25519_and_ecdsa_backends_agree() {
        let zone = Name::from_ascii("example.com").unwrap();
        let key = generate(&zone, Algorithm::Ed25519, false, None).unwrap();
        assert_eq!(key.backend(), "aws-lc-rs");
        let PrivateKey::Ed25519(seed) = key.private_key().clone() else {
            panic!("not Ed25519")
        };
        let ring_key = Ed25519KeyPair::from_seed_unchecked(&seed).unwrap();
        assert_eq!(key.sign(b"data").unwrap(), ring_key.sign(b"data").as_ref());
        for (alg, ring_verify) in [
            (
                Algorithm::EcdsaP256Sha256,
                &signature::ECDSA_P256_SHA256_FIXED,
            ),
            (
                Algorithm::EcdsaP384Sha384,
                &signature::ECDSA_P384_SHA384_FIXED,
            ),
        ] {
            let key = generate(&zone, alg, false, None).unwrap();
            let sig = key.sign(b"data").unwrap();
            let mut point = vec![4u8];
            point.extend_from_slice(&key.dnskey().public_key);
            signature::UnparsedPublicKey::new(ring_verify, &point)
                .verify(b"data", &sig)
                .expect("ring accepts the signature");
            assert!(
                key.verifier().unwrap().verify(b"data", &sig),
                "aws-lc-rs accepts it"
            );
        }
        let p384 = generate(&zone, Algorithm::EcdsaP384Sha384, false, None).unwrap();
        assert_eq!(p384.backend(), "aws-lc-rs");
        let p256 = generate(&zone, Algorithm::EcdsaP256Sha256, false, None).unwrap();
        assert_eq!(p256.backend(), "ring");
    }

    #[test]
    fn generate_takes_a_curve_size_that_fits() {
        // The sizes refused are tested with their exit code (2) in
        // src/cli/error.rs.
        let zone = Name::from_ascii("example.com").unwrap();
        assert!(generate(&zone, Algorithm::EcdsaP384Sha384, false, Some(384)).is_ok());
    }

    #[test]
    fn verify_refuses_malformed_keys() {
        assert!(verify_signature(13, &[0; 10], b"x", &[0; 64]).is_err());
        assert!(verify_signature(5, &[0; 10], b"x", &[0; 64]).is_err());
        assert!(verify_signature(8, &[], b"x", &[0; 64]).is_err());
        // A garbage signature of the right key type is just "false".
        let zone = Name::root();
        let k = generate(&zone, Algorithm::Ed25519, false, None).unwrap();
        assert!(!verify_signature(15, &k.dnskey().public_key, b"x", &[0; 3]).unwrap());
    }

    #[test]
    fn base_names() {
        let zone = Name::from_ascii("example.com").unwrap();
        assert_eq!(
            base_name(&zone, 13, KeyTag(6976)),
            "Kexample.com.+013+06976"
        );
        assert_eq!(base_name(&Name::root(), 8, KeyTag(1)), "K.+008+00001");
        let mixed = Name::from_ascii("Example.COM").unwrap();
        assert_eq!(base_name(&mixed, 15, KeyTag(7)), "Kexample.com.+015+00007");
    }
}
