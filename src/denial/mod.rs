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
    /// The chain's RDATA would outgrow its 32-bit offsets (4 GiB).
    #[error("the NSEC3 chain's records exceed 4 GiB")]
    TooLarge,
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

/// Which denial chain a type bitmap belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Chain {
    Nsec,
    Nsec3,
}

/// The types the NSEC or NSEC3 type bitmap for owner `i` lists, sorted:
/// one rule for the signer that writes the bitmaps and the verifier that
/// checks them.
///
/// * The RRsets at the owner (RFC 4034 §4.1.2; RFC 5155 §3.2: those of the
///   original owner name) — but at a delegation only NS and DS, the
///   parent's side of the cut, and not the other data there, which is the
///   child's (RFC 4035 §2.3); glue has owners of its own and no denial
///   record ([`in_chain`]). At the apex not a DS either: it is the
///   parent's record (RFC 4035 §2.4; a zone to sign with one is refused at
///   load, a signed zone given to `verify` may still have one).
/// * Never RRSIG, NSEC or NSEC3 as found: what the chain itself puts at
///   the owner is decided here. RFC 5155 §3.2 / §7.1: the NSEC3 type is
///   never in an NSEC3 bitmap, and an NSEC3 chain has no NSEC — except in
///   a zone moving between the two (§10.4, §10.5), where the owner's NSEC
///   is one of its types, signed (BIND and Knot expect it listed).
/// * NSEC: plus NSEC and RRSIG, since the NSEC is there and signed
///   (RFC 4035 §2.3), at a delegation too.
/// * NSEC3: plus RRSIG when the owner has signed RRsets
///   ([`owner_is_signed`]; RFC 5155 §7.1): not for an insecure delegation.
pub fn bitmap_types(zone: &Zone, i: usize, chain: Chain) -> Vec<u16> {
    let kind = zone.owners[i].kind;
    let mut types: Vec<u16> = zone
        .rrsets(i)
        .map(|s| s.rtype)
        .filter(|&t| kind != NameKind::Delegation || t == rtype::NS || t == rtype::DS)
        .filter(|&t| !(kind == NameKind::Apex && t == rtype::DS))
        .filter(|&t| !matches!(t, rtype::RRSIG | rtype::NSEC | rtype::NSEC3))
        .collect();
    match chain {
        Chain::Nsec => types.extend([rtype::NSEC, rtype::RRSIG]),
        Chain::Nsec3 if owner_is_signed(zone, i) => types.push(rtype::RRSIG),
        Chain::Nsec3 => {}
    }
    if chain == Chain::Nsec3 && zone.rrset(i, rtype::NSEC).is_some() {
        types.extend([rtype::NSEC, rtype::RRSIG]);
    }
    types.sort_unstable();
    types.dedup();
    types
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::name::Name;
    use crate::rdata::rtype::*;

    #[test]
    fn bitmap_types_at_apex_delegations_and_names() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("z.zone");
        let digest = "00".repeat(32);
        std::fs::write(
            &p,
            format!(
                "$ORIGIN example.\n$TTL 300\n@ SOA ns hm 1 2 3 4 300\n@ NS ns\n@ DS 1 13 2 {digest}\n\
                 ns A 192.0.2.1\nsec NS ns.sec\nsec DS 2 13 2 {digest}\nns.sec A 192.0.2.2\n\
                 insec NS ns.other.\ninsec TXT \"not ours\"\n"
            ),
        )
        .unwrap();
        let zone = crate::verify::load_signed_zone(&p, None).unwrap();
        let at = |n: &str| zone.find_owner(&Name::from_ascii(n).unwrap()).unwrap();
        let types = |n: &str, c: Chain| bitmap_types(&zone, at(n), c);
        // RFC 4035 §2.4: the apex DS is the parent's.
        assert_eq!(types("example.", Chain::Nsec), [NS, SOA, RRSIG, NSEC]);
        assert_eq!(types("example.", Chain::Nsec3), [NS, SOA, RRSIG]);
        assert_eq!(types("ns.example.", Chain::Nsec3), [A, RRSIG]);
        // RFC 4035 §2.3: at a cut only NS and DS; RFC 5155 §7.1: no RRSIG
        // for an insecure delegation's NSEC3.
        assert_eq!(types("sec.example.", Chain::Nsec), [NS, DS, RRSIG, NSEC]);
        assert_eq!(types("sec.example.", Chain::Nsec3), [NS, DS, RRSIG]);
        assert_eq!(types("insec.example.", Chain::Nsec), [NS, RRSIG, NSEC]);
        assert_eq!(types("insec.example.", Chain::Nsec3), [NS]);
        assert!(!in_chain(zone.owners[at("ns.sec.example.")].kind));
    }
}
