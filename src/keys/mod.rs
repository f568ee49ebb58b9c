//! DNSSEC keys: algorithms, key pairs, BIND/ldns key files, key tags.
//!
//! * [`algorithm`]: the algorithms we sign with (RFC 8624 §3.1): 8, 10, 13, 14, 15.
//! * [`dnskey`]: DNSKEY RDATA (RFC 4034 §2) and the public-key encodings
//!   (RFC 3110 §2 for RSA, RFC 6605 §4 for ECDSA, RFC 8080 §3 for Ed25519).
//! * [`key_tag`]: the key tag (RFC 4034 Appendix B), from [`crate::keytag`].
//! * [`timing`]: BIND's key timing metadata (`Created:` … `Delete:`).
//! * [`crypto`]: key pairs, generation and signing (aws-lc-rs, ring for
//!   P-256, the `rsa` crate for RSA key generation and keys under 2048 bits).
//! * [`verifier`]: DNSKEY public keys parsed once for verification.
//! * [`keyfile`]: BIND's `K<zone>+<alg>+<tag>.key` / `.private` files (and the
//!   ldns v1.2 and Knot PKCS#8 PEM variants we read).
//!
//! Private key bytes never appear in `Debug` output or in any error message.

pub mod algorithm;
pub mod crypto;
mod der;
pub mod dnskey;
pub mod keyfile;
pub mod timing;
pub mod verifier;

use std::path::PathBuf;

pub use crate::keytag::{key_tag, KeyTag};
pub use algorithm::Algorithm;
pub use crypto::{generate, SigningKey};
pub use dnskey::Dnskey;
pub use keyfile::{
    generate_into_dir, generate_keys_into_dir, key_pair_from_text, load_key_pair, load_key_pair_at,
    load_key_pair_with_warnings, load_public_key, load_public_key_at, write_key_files, write_keys,
    KeyLocation, KeyPaths, KeyWarning, PublicKeyFile,
};
pub use timing::KeyTiming;
pub use verifier::{verify_signature, VerifyingKey};

/// The supported algorithms, as printed in error messages.
pub const SUPPORTED_ALGORITHMS: &str =
    "8 (RSASHA256), 10 (RSASHA512), 13 (ECDSAP256SHA256), 14 (ECDSAP384SHA384), 15 (ED25519)";

/// Why a key could not be made, read or used.
///
/// No variant ever carries private key material: messages name files, lines,
/// field names and key tags only.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// An algorithm we do not sign with (given as typed or as found in a file).
    #[error(
        "unsupported DNSSEC algorithm {}; supported algorithms: {SUPPORTED_ALGORITHMS}",
        crate::quote::quote_str(given)
    )]
    UnsupportedAlgorithm { given: String },
    /// A bad command-line value (bits, digest type, zone name...).
    #[error("{0}")]
    InvalidArgument(String),
    /// A key file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A key file that exists but is garbled.
    #[error("{}{}: {msg}", path.display(), line.map(|l| format!(":{l}")).unwrap_or_default())]
    BadKeyFile {
        path: PathBuf,
        line: Option<usize>,
        msg: String,
    },
    /// The private half does not belong to the public half.
    #[error(
        "{} (key tag {key_tag}) and {} ({private_desc}) do not belong together: {detail}",
        key_path.display(),
        private_path.display()
    )]
    Mismatch {
        key_path: PathBuf,
        key_tag: KeyTag,
        private_path: PathBuf,
        /// "key tag N" when the private half's own tag is known.
        private_desc: String,
        detail: String,
    },
    /// Key material a crypto library refused (wrong size, not on the curve...).
    #[error("invalid key: {0}")]
    BadKey(String),
    /// Signing failed (should not happen with a key that loaded).
    #[error("signing failed: {0}")]
    Sign(String),
    /// Refusing to overwrite an existing key file.
    #[error("{}: already exists; not overwriting a key file", path.display())]
    Exists { path: PathBuf },
    #[error("{0}")]
    Other(String),
}
