//! DS digests (RFC 4034 §5.1.4; SHA-256 per RFC 4509, SHA-384 per RFC
//! 6605 §6): the digest types, the digest of a DNSKEY, and whether DS-format
//! RDATA names a DNSKEY (§5.2).
//!
//! Functions of RDATA alone, below the zone model: the zone rules match CDS
//! records to the apex DNSKEYs with them (RFC 7344 §3.1), while [`crate::ds`]
//! above builds DS records for keys. Reading a digest type from input (with
//! its `KeyError` messages) is in [`crate::ds`].

use std::fmt;

use sha1::Sha1;
use sha2::{Digest, Sha256, Sha384};

use crate::keytag::key_tag;
use crate::name::Name;

/// A DS digest type (IANA "Delegation Signer (DS) Resource Record (RR) Type
/// Digest Algorithms").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DigestType {
    /// 1: SHA-1 (RFC 4034). Deprecated for new DS records (RFC 8624 §3.3).
    Sha1,
    /// 2: SHA-256 (RFC 4509). The default.
    Sha256,
    /// 4: SHA-384 (RFC 6605).
    Sha384,
}

impl DigestType {
    /// The IANA number.
    pub fn number(self) -> u8 {
        match self {
            DigestType::Sha1 => 1,
            DigestType::Sha256 => 2,
            DigestType::Sha384 => 4,
        }
    }

    /// The name as dnssec-dsfromkey spells it (`SHA-256`).
    pub fn mnemonic(self) -> &'static str {
        match self {
            DigestType::Sha1 => "SHA-1",
            DigestType::Sha256 => "SHA-256",
            DigestType::Sha384 => "SHA-384",
        }
    }

    /// Digest length in octets.
    pub fn len(self) -> usize {
        match self {
            DigestType::Sha1 => 20,
            DigestType::Sha256 => 32,
            DigestType::Sha384 => 48,
        }
    }

    /// Never empty; here for clippy's `len_without_is_empty`.
    pub fn is_empty(self) -> bool {
        false
    }

    /// True for SHA-1: only on explicit request, with a warning.
    pub fn is_deprecated(self) -> bool {
        self == DigestType::Sha1
    }

    /// The digest type with IANA number `n`, if we can compute it.
    pub fn from_iana(n: u8) -> Option<DigestType> {
        match n {
            1 => Some(DigestType::Sha1),
            2 => Some(DigestType::Sha256),
            4 => Some(DigestType::Sha384),
            _ => None,
        }
    }

    /// Hashes `parts` in order.
    fn hash(self, parts: &[&[u8]]) -> Vec<u8> {
        fn run<D: Digest>(parts: &[&[u8]]) -> Vec<u8> {
            let mut h = D::new();
            for p in parts {
                h.update(p);
            }
            h.finalize().to_vec()
        }
        match self {
            DigestType::Sha1 => run::<Sha1>(parts),
            DigestType::Sha256 => run::<Sha256>(parts),
            DigestType::Sha384 => run::<Sha384>(parts),
        }
    }
}

impl fmt::Display for DigestType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.mnemonic())
    }
}

/// The DS digest alone: H(lowercased owner wire | DNSKEY RDATA).
pub fn ds_digest(owner: &Name, dnskey_rdata: &[u8], digest: DigestType) -> Vec<u8> {
    let owner = owner.to_lowercase();
    digest.hash(&[owner.as_wire(), dnskey_rdata])
}

/// Whether DS-format RDATA (a DS or a CDS, RFC 4034 §5.1, RFC 7344 §3.1)
/// names the DNSKEY `dnskey_rdata` owned by `owner`: key tag, algorithm
/// and digest agree (RFC 4034 §5.2). A digest type we cannot compute
/// matches on tag and algorithm alone. RDATA too short for the fixed
/// fields matches nothing.
pub fn ds_names_dnskey(owner: &Name, ds_rdata: &[u8], dnskey_rdata: &[u8]) -> bool {
    let (Some(fixed), Some(&key_alg)) = (ds_rdata.get(..4), dnskey_rdata.get(3)) else {
        return false;
    };
    let tag = u16::from_be_bytes([fixed[0], fixed[1]]);
    if fixed[2] != key_alg || key_tag(dnskey_rdata).0 != tag {
        return false;
    }
    match DigestType::from_iana(fixed[3]) {
        Some(dt) => ds_digest(owner, dnskey_rdata, dt) == ds_rdata[4..],
        None => true,
    }
}
