//! DNSKEY RDATA (RFC 4034 §2.1) and the algorithm-specific public-key
//! encodings: RSA exponent length + exponent + modulus (RFC 3110 §2),
//! ECDSA uncompressed point x || y without the 0x04 prefix (RFC 6605 §4),
//! Ed25519 raw 32-byte public key (RFC 8080 §3).

use base64::Engine;

use super::algorithm::Algorithm;
use super::KeyError;
use crate::keytag::{key_tag, KeyTag};

/// Zone Key flag, bit 7 (RFC 4034 §2.1.1).
pub const FLAG_ZONE: u16 = 0x0100;
/// REVOKE flag, bit 8 (RFC 5011 §2.1).
pub const FLAG_REVOKE: u16 = 0x0080;
/// Secure Entry Point flag, bit 15 (RFC 4034 §2.1.1, RFC 3757).
pub const FLAG_SEP: u16 = 0x0001;
/// Flags of a key-signing key (Zone Key + SEP).
pub const FLAGS_KSK: u16 = FLAG_ZONE | FLAG_SEP;
/// Flags of a zone-signing key (Zone Key).
pub const FLAGS_ZSK: u16 = FLAG_ZONE;
/// The Protocol field is always 3 (RFC 4034 §2.1.2).
pub const PROTOCOL: u8 = 3;

/// A DNSKEY record's RDATA. The algorithm is kept as its number so that keys
/// of algorithms we do not support can still be read, tagged and digested.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Dnskey {
    pub flags: u16,
    pub protocol: u8,
    pub algorithm: u8,
    pub public_key: Vec<u8>,
}

impl Dnskey {
    /// A DNSKEY with protocol 3 and KSK (257) or ZSK (256) flags.
    pub fn new(algorithm: Algorithm, ksk: bool, public_key: Vec<u8>) -> Dnskey {
        Dnskey {
            flags: if ksk { FLAGS_KSK } else { FLAGS_ZSK },
            protocol: PROTOCOL,
            algorithm: algorithm.number(),
            public_key,
        }
    }

    /// Wire form: flags, protocol, algorithm, public key.
    pub fn to_rdata(&self) -> Vec<u8> {
        let mut v = Vec::with_capacity(4 + self.public_key.len());
        v.extend_from_slice(&self.flags.to_be_bytes());
        v.push(self.protocol);
        v.push(self.algorithm);
        v.extend_from_slice(&self.public_key);
        v
    }

    /// Reads wire-form RDATA (at least the 4 fixed octets; the key may be empty
    /// here, [`Dnskey::check_public_key`] says whether it fits the algorithm).
    pub fn from_rdata(rdata: &[u8]) -> Result<Dnskey, KeyError> {
        if rdata.len() < 4 {
            return Err(KeyError::BadKey(format!(
                "DNSKEY RDATA of {} octets is shorter than the 4 fixed octets",
                rdata.len()
            )));
        }
        Ok(Dnskey {
            flags: u16::from_be_bytes([rdata[0], rdata[1]]),
            protocol: rdata[2],
            algorithm: rdata[3],
            public_key: rdata[4..].to_vec(),
        })
    }

    /// The key tag (RFC 4034 Appendix B).
    pub fn key_tag(&self) -> KeyTag {
        key_tag(&self.to_rdata())
    }

    /// SEP bit set: a key-signing key by convention (RFC 4034 §2.1.1).
    pub fn is_ksk(&self) -> bool {
        self.flags & FLAG_SEP != 0
    }

    /// Zone Key bit set: only such keys may verify RRSIGs (RFC 4034 §2.1.1).
    pub fn is_zone_key(&self) -> bool {
        self.flags & FLAG_ZONE != 0
    }

    /// REVOKE bit set (RFC 5011).
    pub fn is_revoked(&self) -> bool {
        self.flags & FLAG_REVOKE != 0
    }

    /// The supported algorithm, or the "unsupported algorithm" error.
    pub fn supported_algorithm(&self) -> Result<Algorithm, KeyError> {
        Algorithm::from_number(self.algorithm)
    }

    /// Checks that the public key is well-formed for its algorithm
    /// (RFC 3110 / RFC 6605 §4 / RFC 8080 §3 sizes).
    pub fn check_public_key(&self) -> Result<(), KeyError> {
        check_public_key(self.supported_algorithm()?, &self.public_key)
    }

    /// Presentation form of the RDATA: `257 3 13 base64` (one base64 word).
    pub fn rdata_text(&self) -> String {
        format!(
            "{} {} {} {}",
            self.flags,
            self.protocol,
            self.algorithm,
            base64::engine::general_purpose::STANDARD.encode(&self.public_key)
        )
    }

    /// Key size in bits as BIND reports it: the RSA modulus length, else the
    /// algorithm's fixed size.
    pub fn key_bits(&self) -> Option<u32> {
        let alg = self.supported_algorithm().ok()?;
        match alg.fixed_bits() {
            Some(b) => Some(b),
            None => {
                let (_, n) = rsa_public_key_decode(&self.public_key).ok()?;
                Some(bit_len(n))
            }
        }
    }
}

/// Number of significant bits in a big-endian unsigned integer.
pub fn bit_len(be: &[u8]) -> u32 {
    let be = strip_leading_zeros(be);
    match be.first() {
        None => 0,
        Some(first) => (be.len() as u32 - 1) * 8 + (8 - first.leading_zeros()),
    }
}

/// Drops leading zero octets of a big-endian integer.
pub fn strip_leading_zeros(be: &[u8]) -> &[u8] {
    let first = be.iter().position(|b| *b != 0).unwrap_or(be.len());
    &be[first..]
}

/// RFC 3110 §2: exponent length (1 octet, or 0 then 2 octets), exponent,
/// modulus; both big-endian without leading zeros.
pub fn rsa_public_key_encode(e: &[u8], n: &[u8]) -> Vec<u8> {
    let e = strip_leading_zeros(e);
    let n = strip_leading_zeros(n);
    let mut v = Vec::with_capacity(3 + e.len() + n.len());
    if e.len() <= 255 {
        v.push(e.len() as u8);
    } else {
        v.push(0);
        v.extend_from_slice(&(e.len() as u16).to_be_bytes());
    }
    v.extend_from_slice(e);
    v.extend_from_slice(n);
    v
}

/// Splits an RFC 3110 public key into (exponent, modulus).
pub fn rsa_public_key_decode(key: &[u8]) -> Result<(&[u8], &[u8]), KeyError> {
    let bad = |why: &str| KeyError::BadKey(format!("RSA public key (RFC 3110): {why}"));
    let (elen, rest) = match key.split_first() {
        None => return Err(bad("empty")),
        Some((0, rest)) => {
            if rest.len() < 2 {
                return Err(bad("truncated exponent length"));
            }
            (
                usize::from(u16::from_be_bytes([rest[0], rest[1]])),
                &rest[2..],
            )
        }
        Some((l, rest)) => (usize::from(*l), rest),
    };
    if elen == 0 || rest.len() <= elen {
        return Err(bad("exponent or modulus missing"));
    }
    let (e, n) = rest.split_at(elen);
    if n.first() == Some(&0) {
        return Err(bad("modulus has a leading zero octet"));
    }
    Ok((e, n))
}

/// Checks a public key's size/encoding for `alg`.
pub fn check_public_key(alg: Algorithm, key: &[u8]) -> Result<(), KeyError> {
    let want = match alg {
        Algorithm::RsaSha256 | Algorithm::RsaSha512 => {
            let (_, n) = rsa_public_key_decode(key)?;
            let bits = bit_len(n);
            if !(512..=4096).contains(&bits) {
                return Err(KeyError::BadKey(format!(
                    "RSA modulus of {bits} bits (RFC 3110 allows 512 to 4096)"
                )));
            }
            return Ok(());
        }
        Algorithm::EcdsaP256Sha256 => 64,
        Algorithm::EcdsaP384Sha384 => 96,
        Algorithm::Ed25519 => 32,
    };
    if key.len() != want {
        return Err(KeyError::BadKey(format!(
            "{alg} public key is {} octets, expected {want}",
            key.len()
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rdata_round_trip_and_flags() {
        let k = Dnskey::new(Algorithm::Ed25519, true, vec![7; 32]);
        let r = k.to_rdata();
        assert_eq!(&r[..4], &[1, 1, 3, 15]);
        let back = Dnskey::from_rdata(&r).unwrap();
        assert_eq!(back, k);
        assert!(back.is_ksk() && back.is_zone_key() && !back.is_revoked());
        let z = Dnskey::new(Algorithm::Ed25519, false, vec![7; 32]);
        assert!(!z.is_ksk() && z.is_zone_key());
        assert!(Dnskey::from_rdata(&[1, 0, 3]).is_err());
    }

    #[test]
    fn rsa_encoding_long_exponent_form() {
        let e = vec![1u8; 300];
        let n = vec![0xC0u8; 128];
        let enc = rsa_public_key_encode(&e, &n);
        assert_eq!(&enc[..3], &[0, 1, 44]);
        let (e2, n2) = rsa_public_key_decode(&enc).unwrap();
        assert_eq!((e2, n2), (&e[..], &n[..]));
        let short = rsa_public_key_encode(&[1, 0, 1], &[0, 0xC0, 1]);
        assert_eq!(short, vec![3, 1, 0, 1, 0xC0, 1]);
        assert!(rsa_public_key_decode(&[]).is_err());
        assert!(rsa_public_key_decode(&[0, 1]).is_err());
        assert!(rsa_public_key_decode(&[3, 1, 0, 1]).is_err());
    }

    #[test]
    fn bit_lengths() {
        assert_eq!(bit_len(&[0, 0x80, 0]), 16);
        assert_eq!(bit_len(&[1]), 1);
        assert_eq!(bit_len(&[]), 0);
    }
}
