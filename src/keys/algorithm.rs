//! DNSSEC signing algorithms (IANA "DNS Security Algorithm Numbers").
//!
//! We sign and verify with the algorithms RFC 8624 §3.1 says to implement
//! for signing: 8 RSASHA256 and 10 RSASHA512 (RFC 5702), 13 ECDSAP256SHA256
//! and 14 ECDSAP384SHA384 (RFC 6605), 15 ED25519 (RFC 8080). Everything else
//! (1, 3, 5, 6, 7, 12, 16, ...) is refused with [`KeyError::UnsupportedAlgorithm`].

use std::fmt;
use std::str::FromStr;

use super::KeyError;

/// A supported DNSSEC algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Algorithm {
    /// 8: RSA/SHA-256 (RFC 5702).
    RsaSha256,
    /// 10: RSA/SHA-512 (RFC 5702).
    RsaSha512,
    /// 13: ECDSA P-256 with SHA-256 (RFC 6605).
    EcdsaP256Sha256,
    /// 14: ECDSA P-384 with SHA-384 (RFC 6605).
    EcdsaP384Sha384,
    /// 15: Ed25519 (RFC 8080).
    Ed25519,
}

impl Algorithm {
    /// Every supported algorithm, in number order.
    pub const ALL: [Algorithm; 5] = [
        Algorithm::RsaSha256,
        Algorithm::RsaSha512,
        Algorithm::EcdsaP256Sha256,
        Algorithm::EcdsaP384Sha384,
        Algorithm::Ed25519,
    ];

    /// The default for new keys: 13 (RFC 8624 §3.1 "MUST", small and fast).
    pub const DEFAULT: Algorithm = Algorithm::EcdsaP256Sha256;

    /// The IANA number.
    pub fn number(self) -> u8 {
        match self {
            Algorithm::RsaSha256 => 8,
            Algorithm::RsaSha512 => 10,
            Algorithm::EcdsaP256Sha256 => 13,
            Algorithm::EcdsaP384Sha384 => 14,
            Algorithm::Ed25519 => 15,
        }
    }

    /// The IANA mnemonic, as BIND prints it in `Algorithm: 13 (ECDSAP256SHA256)`.
    pub fn mnemonic(self) -> &'static str {
        match self {
            Algorithm::RsaSha256 => "RSASHA256",
            Algorithm::RsaSha512 => "RSASHA512",
            Algorithm::EcdsaP256Sha256 => "ECDSAP256SHA256",
            Algorithm::EcdsaP384Sha384 => "ECDSAP384SHA384",
            Algorithm::Ed25519 => "ED25519",
        }
    }

    /// The algorithm with IANA number `n`, or an error naming the supported list.
    pub fn from_number(n: u8) -> Result<Algorithm, KeyError> {
        Algorithm::ALL
            .iter()
            .copied()
            .find(|a| a.number() == n)
            .ok_or_else(|| KeyError::UnsupportedAlgorithm {
                given: describe_number(n),
            })
    }

    /// True for the RSA algorithms (8, 10).
    pub fn is_rsa(self) -> bool {
        matches!(self, Algorithm::RsaSha256 | Algorithm::RsaSha512)
    }

    /// Key size in bits for the fixed-size algorithms; `None` for RSA.
    pub fn fixed_bits(self) -> Option<u32> {
        match self {
            Algorithm::RsaSha256 | Algorithm::RsaSha512 => None,
            Algorithm::EcdsaP256Sha256 | Algorithm::Ed25519 => Some(256),
            Algorithm::EcdsaP384Sha384 => Some(384),
        }
    }
}

/// "5 (RSASHA1)" for refused algorithms IANA names (the table the RDATA
/// reader takes mnemonics from), "42" otherwise.
fn describe_number(n: u8) -> String {
    match crate::rdata::algorithm_mnemonic(n) {
        Some(m) => format!("{n} ({m})"),
        None => n.to_string(),
    }
}

impl fmt::Display for Algorithm {
    /// The mnemonic (`ECDSAP256SHA256`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.mnemonic())
    }
}

impl FromStr for Algorithm {
    type Err = KeyError;

    /// Accepts the number (`13`) or the mnemonic in any case
    /// (`ECDSAP256SHA256`, `ecdsap256sha256`; also `ECDSA256`/`ECDSA384`
    /// and `ED25519`).
    fn from_str(s: &str) -> Result<Algorithm, KeyError> {
        let t = s.trim();
        if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
            return match t.parse::<u8>() {
                Ok(n) => Algorithm::from_number(n),
                Err(_) => Err(KeyError::UnsupportedAlgorithm {
                    given: t.to_string(),
                }),
            };
        }
        let upper = t.to_ascii_uppercase().replace(['-', '_'], "");
        let found = match upper.as_str() {
            "RSASHA256" => Some(Algorithm::RsaSha256),
            "RSASHA512" => Some(Algorithm::RsaSha512),
            "ECDSAP256SHA256" | "ECDSA256" | "ECDSAP256" => Some(Algorithm::EcdsaP256Sha256),
            "ECDSAP384SHA384" | "ECDSA384" | "ECDSAP384" => Some(Algorithm::EcdsaP384Sha384),
            "ED25519" => Some(Algorithm::Ed25519),
            _ => None,
        };
        found.ok_or_else(|| KeyError::UnsupportedAlgorithm {
            given: format!("{t:?}"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_mnemonics_round_trip() {
        for a in Algorithm::ALL {
            assert_eq!(Algorithm::from_number(a.number()).unwrap(), a);
            assert_eq!(a.mnemonic().parse::<Algorithm>().unwrap(), a);
            assert_eq!(a.number().to_string().parse::<Algorithm>().unwrap(), a);
            assert_eq!(a.mnemonic().to_lowercase().parse::<Algorithm>().unwrap(), a);
        }
    }

    #[test]
    fn refused_algorithms_name_the_supported_list() {
        for n in [0u8, 1, 3, 5, 6, 7, 12, 16, 253, 255] {
            let e = Algorithm::from_number(n).unwrap_err();
            let msg = e.to_string();
            assert!(msg.contains(SUPPORTED), "{msg}");
        }
        let msg = "RSASHA1".parse::<Algorithm>().unwrap_err().to_string();
        assert!(msg.contains("RSASHA1") && msg.contains(SUPPORTED), "{msg}");
        assert!(Algorithm::from_number(5)
            .unwrap_err()
            .to_string()
            .contains("5 (RSASHA1)"));
        assert!("300".parse::<Algorithm>().is_err());
        assert!("".parse::<Algorithm>().is_err());
    }

    const SUPPORTED: &str = crate::keys::SUPPORTED_ALGORITHMS;
}
