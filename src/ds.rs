//! DS records from DNSKEYs (RFC 4034 §5.1.4; SHA-256 per RFC 4509, SHA-384
//! per RFC 6605 §6).
//!
//! digest = H(canonical owner name | DNSKEY RDATA), the owner name in
//! lowercase uncompressed wire form (RFC 4034 §6.2). Digest type 2 (SHA-256)
//! is the default; 4 (SHA-384) is available; 1 (SHA-1) only when asked for
//! explicitly (RFC 8624 §3.3: MUST NOT be used to create DS records), and
//! callers should warn ([`DigestType::is_deprecated`]). The digest itself
//! is computed in [`crate::dsdigest`], which the zone rules use too.

use std::str::FromStr;

pub use crate::dsdigest::{ds_digest, DigestType};
use crate::keys::KeyError;
use crate::keytag::{key_tag, KeyTag};
use crate::name::Name;

/// Digest types as given by the user or read from DS input: the messages
/// are `KeyError`s, which is why this half of `DigestType` is here and not
/// in [`crate::dsdigest`], below `keys`.
impl DigestType {
    /// The digest type with IANA number `n`.
    pub fn from_number(n: u8) -> Result<DigestType, KeyError> {
        DigestType::from_iana(n).ok_or_else(|| {
            KeyError::InvalidArgument(format!(
                "unsupported DS digest type {n}; supported: 2 (SHA-256), 4 (SHA-384), 1 (SHA-1, deprecated)"
            ))
        })
    }
}

impl FromStr for DigestType {
    type Err = KeyError;

    /// `sha256`, `SHA-256`, `2`; `sha384`, `SHA-384`, `4`; `sha1`, `SHA-1`, `1`.
    fn from_str(s: &str) -> Result<DigestType, KeyError> {
        let t = s.trim().to_ascii_lowercase().replace(['-', '_'], "");
        match t.as_str() {
            "sha256" | "2" => Ok(DigestType::Sha256),
            "sha384" | "4" => Ok(DigestType::Sha384),
            "sha1" | "1" => Ok(DigestType::Sha1),
            _ => Err(KeyError::InvalidArgument(format!(
                "unsupported DS digest type {s:?}; supported: sha256 (2), sha384 (4), sha1 (1, deprecated)"
            ))),
        }
    }
}

/// A DS record's RDATA fields.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Ds {
    pub key_tag: KeyTag,
    pub algorithm: u8,
    pub digest_type: DigestType,
    pub digest: Vec<u8>,
}

impl Ds {
    /// The DS for a DNSKEY RDATA owned by `owner`. Total: RDATA shorter than
    /// the 4 fixed octets gives algorithm 0.
    pub fn from_dnskey(owner: &Name, dnskey_rdata: &[u8], digest: DigestType) -> Ds {
        Ds {
            key_tag: key_tag(dnskey_rdata),
            algorithm: dnskey_rdata.get(3).copied().unwrap_or(0),
            digest_type: digest,
            digest: ds_digest(owner, dnskey_rdata, digest),
        }
    }

    /// Wire form: key tag, algorithm, digest type, digest (RFC 4034 §5.1).
    pub fn to_rdata(&self) -> Vec<u8> {
        let mut v = Vec::with_capacity(4 + self.digest.len());
        v.extend_from_slice(&self.key_tag.0.to_be_bytes());
        v.push(self.algorithm);
        v.push(self.digest_type.number());
        v.extend_from_slice(&self.digest);
        v
    }

    /// Presentation RDATA: `34808 13 2 607425B9...` (hex in upper case, as
    /// BIND prints it).
    pub fn rdata_text(&self) -> String {
        format!(
            "{} {} {} {}",
            self.key_tag,
            self.algorithm,
            self.digest_type.number(),
            data_encoding::HEXUPPER.encode(&self.digest)
        )
    }

    /// The whole record exactly as `dnssec-dsfromkey` prints it (no TTL):
    /// `example.com. IN DS 34808 13 2 607425B9...`.
    pub fn to_text(&self, owner: &Name) -> String {
        format!("{owner} IN DS {}", self.rdata_text())
    }
}

/// DS RDATA in wire form for a DNSKEY RDATA owned by `owner`.
pub fn ds_rdata(owner: &Name, dnskey_rdata: &[u8], digest: DigestType) -> Vec<u8> {
    Ds::from_dnskey(owner, dnskey_rdata, digest).to_rdata()
}

/// The presentation line dnssec-dsfromkey prints for this key and digest.
pub fn ds_text(owner: &Name, dnskey_rdata: &[u8], digest: DigestType) -> String {
    Ds::from_dnskey(owner, dnskey_rdata, digest).to_text(owner)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{b64, dnskey_rdata as rdata, hex};

    /// RFC 4034 §5.4: dskey.example.com. 86400 IN DNSKEY 256 3 5 (...)
    fn rfc4034_dskey() -> Vec<u8> {
        rdata(
            256,
            5,
            &b64(
                "AQOeiiR0GOMYkDshWoSKz9Xz fwJr1AYtsmx3TGkJaNXVbfi/ 2pHm822aJ5iI9BMzNXxeYCmZ
                  DRD99WYwYqUSdjMmmAphXdvx egXd/M5+X7OrzKBaMbCVdFLU Uh6DhweJBjEVv5f2wwjM9Xzc
                  nOf+EPbtG9DMBmADjFDc2w/r ljwvFw==",
            ),
        )
    }

    #[test]
    fn rfc4034_section_5_4_sha1() {
        let owner = Name::from_ascii("dskey.example.com.").unwrap();
        let ds = Ds::from_dnskey(&owner, &rfc4034_dskey(), DigestType::Sha1);
        assert_eq!(ds.key_tag, KeyTag(60485));
        assert_eq!(ds.algorithm, 5);
        assert_eq!(ds.digest, hex("2BB183AF5F22588179A53B0A98631FAD1A292118"));
        assert_eq!(
            ds.to_text(&owner),
            "dskey.example.com. IN DS 60485 5 1 2BB183AF5F22588179A53B0A98631FAD1A292118"
        );
        // The owner name is lowercased before hashing (RFC 4034 §6.2).
        let upper = Name::from_ascii("DSKEY.Example.COM.").unwrap();
        assert_eq!(
            ds_digest(&upper, &rfc4034_dskey(), DigestType::Sha1),
            ds.digest
        );
    }

    #[test]
    fn rfc4509_section_2_3_sha256() {
        let owner = Name::from_ascii("dskey.example.com.").unwrap();
        let wire = ds_rdata(&owner, &rfc4034_dskey(), DigestType::Sha256);
        let mut want = vec![0xEC, 0x45, 5, 2]; // 60485 = 0xEC45
        want.extend(hex(
            "D4B7D520E7BB5F0F67674A0CCEB1E3E0614B93C4F9E99B83 83F6A1E4469DA50A",
        ));
        assert_eq!(wire, want);
    }

    #[test]
    fn rfc6605_section_6_ds() {
        let owner = Name::from_ascii("example.net.").unwrap();
        // §6.1 P-256 KSK, DS SHA-256.
        let p256 = rdata(
            257,
            13,
            &b64("GojIhhXUN/u4v54ZQqGSnyhWJwaubCvTmeexv7bR6edb
                  krSqQpF64cYbcB7wNcP+e+MAnLr+Wi9xMWyQLc8NAA=="),
        );
        let ds = Ds::from_dnskey(&owner, &p256, DigestType::Sha256);
        assert_eq!(
            ds.rdata_text(),
            "55648 13 2 B4C8C1FE2E7477127B27115656AD6256F424625BF5C1E2770CE6D6E37DF61D17"
        );
        // §6.2 P-384 KSK, DS SHA-384.
        let p384 = rdata(
            257,
            14,
            &b64("xKYaNhWdGOfJ+nPrL8/arkwf2EY3MDJ+SErKivBVSum1
                  w/egsXvSADtNJhyem5RCOpgQ6K8X1DRSEkrbYQ+OB+v8
                  /uX45NBwY8rp65F6Glur8I/mlVNgF6W/qTI37m40"),
        );
        let ds = Ds::from_dnskey(&owner, &p384, DigestType::Sha384);
        assert_eq!(ds.key_tag, KeyTag(10771));
        assert_eq!(
            ds.digest,
            hex(
                "72d7b62976ce06438e9c0bf319013cf801f09ecc84b8d7e9495f27e305c6a9b0
                 563a9b5f4d288405c3008a946df983d6"
            )
        );
    }

    #[test]
    fn rfc8080_section_6_ds() {
        let owner = Name::from_ascii("example.com.").unwrap();
        for (key, tag, digest) in [
            (
                "l02Woi0iS8Aa25FQkUd9RMzZHJpBoRQwAQEX1SxZJA4=",
                3613,
                "3aa5ab37efce57f737fc1627013fee07bdf241bd10f3b1964ab55c78e79a304b",
            ),
            (
                "zPnZ/QwEe7S8C5SPz2OfS5RR40ATk2/rYnE9xHIEijs=",
                35217,
                "401781b934e392de492ec77ae2e15d70f6575a1c0bc59c5275c04ebe80c6614c",
            ),
        ] {
            let ds = Ds::from_dnskey(&owner, &rdata(257, 15, &b64(key)), DigestType::Sha256);
            assert_eq!(ds.key_tag, KeyTag(tag));
            assert_eq!(ds.digest, hex(digest));
        }
    }

    #[test]
    fn digest_type_parsing() {
        assert_eq!("sha256".parse::<DigestType>().unwrap(), DigestType::Sha256);
        assert_eq!("SHA-384".parse::<DigestType>().unwrap(), DigestType::Sha384);
        assert_eq!("1".parse::<DigestType>().unwrap(), DigestType::Sha1);
        assert!(DigestType::Sha1.is_deprecated());
        assert!("md5".parse::<DigestType>().is_err());
        assert!(DigestType::from_number(3).is_err());
    }

    #[test]
    fn short_rdata_does_not_panic() {
        let owner = Name::root();
        for n in 0..6 {
            let _ = ds_rdata(&owner, &vec![0u8; n], DigestType::Sha256);
        }
    }
}
