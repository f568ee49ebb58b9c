//! Authenticated denial of existence: NSEC (RFC 4034 §4, RFC 4035 §2.3)
//! and NSEC3 (RFC 5155 §7.1, RFC 9276) chains built from the zone model.

pub mod nsec;
pub mod nsec3;

use crate::rdata::rtype;
use crate::zone::{NameKind, Zone};

/// Why a denial chain could not be built.
#[derive(Debug, thiserror::Error)]
pub enum DenialError {
    /// RFC 5155 §7.1: two names with one hash cannot both be proven.
    #[error("NSEC3 hash collision: {first} and {second} both hash to {hash}; choose another salt")]
    HashCollision {
        first: String,
        second: String,
        hash: String,
    },
    #[error("the zone has no SOA at its apex")]
    NoSoa,
}

/// Denial records: one RDATA per entry, kept in one arena.
#[derive(Debug, Default)]
pub struct DenialSet {
    pub arena: Vec<u8>,
    pub ttl: u32,
}

/// TTL of NSEC and NSEC3 records: the lower of the SOA's own TTL and its
/// MINIMUM field (RFC 9077 §3, updating RFC 4034 §4 and RFC 5155 §3).
pub fn denial_ttl(zone: &Zone) -> Result<u32, DenialError> {
    let apex = zone.apex().ok_or(DenialError::NoSoa)?;
    let soa = zone.rrset(apex, rtype::SOA).ok_or(DenialError::NoSoa)?;
    let rd = zone.rdata(&soa.rows[0]);
    let n = rd.len().checked_sub(4).ok_or(DenialError::NoSoa)?;
    let minimum = u32::from_be_bytes([rd[n], rd[n + 1], rd[n + 2], rd[n + 3]]);
    Ok(soa.ttl.min(minimum))
}

/// Owners that take part in the denial chain: the apex, authoritative
/// names and delegations (RFC 4035 §2.3; glue and occluded names do not).
pub fn in_chain(kind: NameKind) -> bool {
    matches!(
        kind,
        NameKind::Apex | NameKind::Authoritative | NameKind::Delegation
    )
}

/// The types an owner has for a bitmap. At a delegation only NS and DS
/// are the parent's (RFC 4035 §2.3); everything else there is not ours.
pub fn owner_types(zone: &Zone, i: usize) -> Vec<u16> {
    let kind = zone.owners[i].kind;
    zone.rrsets(i)
        .map(|s| s.rtype)
        .filter(|&t| kind != NameKind::Delegation || t == rtype::NS || t == rtype::DS)
        .filter(|&t| !matches!(t, rtype::RRSIG | rtype::NSEC | rtype::NSEC3))
        .collect()
}

/// True when the owner has RRsets that get signatures: anything
/// authoritative, and at a delegation only a DS (RFC 4035 §2.2).
pub fn owner_is_signed(zone: &Zone, i: usize) -> bool {
    match zone.owners[i].kind {
        NameKind::Apex | NameKind::Authoritative => true,
        NameKind::Delegation => zone.rrset(i, rtype::DS).is_some(),
        _ => false,
    }
}
