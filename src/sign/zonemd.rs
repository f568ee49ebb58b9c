//! ZONEMD in a signing run (RFC 8976 §3): a placeholder goes into the zone
//! before it is signed (§3.1), so the denial chain lists the type and the
//! RRset is signed like any other (§3.2); once every other RRSIG exists the
//! digest is computed over the signed zone (§3.3), written into the
//! records (§3.4), and the ZONEMD RRset alone is signed again (§3.5).

use super::reuse::ReuseCounts;
use super::{resign_rrset, Reuse, SignError, SignatureWindow, SigningKeys};
use crate::name::Name;
use crate::rdata::{self, rtype};
use crate::signed::{signed_order, SignedItem, SignedZone};
use crate::zone::{NameKind, Zone, ZoneBuilder};
use crate::zonemd::{
    check_unique, covers_zonemd, digest_items, soa_serial, CanonicalRrs, Zonemd, ZonemdError,
};

/// Adds a placeholder for each requested hash the apex has no SIMPLE
/// ZONEMD for, after checking the ones already there.
pub(crate) fn add_requested(
    builder: &mut ZoneBuilder,
    apex: &Name,
    ttl: u32,
    hashes: &[u8],
) -> Result<(), ZonemdError> {
    let existing: Vec<Zonemd> = builder
        .rdata_at(apex, rtype::ZONEMD)
        .iter()
        .map(|rd| Zonemd::from_rdata(rd))
        .collect::<Result<_, _>>()?;
    check_unique(&existing)?;
    let mut have: Vec<(u8, u8)> = existing.iter().map(|z| (z.scheme, z.hash)).collect();
    for &h in hashes {
        let z = Zonemd::placeholder(0, h)?;
        if !have.contains(&(z.scheme, z.hash)) {
            have.push((z.scheme, z.hash));
            builder.add_generated(apex, ttl, rtype::ZONEMD, &z.to_rdata());
        }
    }
    Ok(())
}

/// Turns every apex ZONEMD we can compute into a placeholder carrying the
/// SOA serial. Returns the hashes to compute; one we cannot compute stays
/// as it is, with a warning.
pub(crate) fn placeholders(
    zone: &mut Zone,
    warnings: &mut Vec<String>,
) -> Result<Vec<u8>, ZonemdError> {
    let Some(apex) = zone.apex() else {
        return Ok(Vec::new());
    };
    if zone.rrset(apex, rtype::ZONEMD).is_none() {
        return Ok(Vec::new());
    }
    let serial = zone.soa().and_then(soa_serial).unwrap_or(0);
    let mut hashes = Vec::new();
    let mut failure = None;
    zone.rewrite_rrset(apex, rtype::ZONEMD, |rd| {
        let z = match Zonemd::from_rdata(rd) {
            Ok(z) => z,
            Err(e) => {
                failure.get_or_insert(e);
                return rd.to_vec();
            }
        };
        // `placeholder` succeeds for every scheme and hash `supported` accepts.
        match z.supported().and_then(|()| Zonemd::placeholder(serial, z.hash)) {
            Ok(p) => {
                hashes.push(z.hash);
                p.to_rdata()
            }
            Err(why) => {
                warnings.push(format!(
                    "apex ZONEMD with scheme {} and hash algorithm {} left as it is: {why}; it will not verify",
                    z.scheme, z.hash
                ));
                rd.to_vec()
            }
        }
    });
    match failure {
        Some(e) => Err(e),
        None => Ok(hashes),
    }
}

/// Fills in the digests of the apex ZONEMD records (placeholders so far)
/// and signs their RRset again. Returns the records as text.
/// With `reuse`, the previous zone's RRSIGs over an identical ZONEMD
/// RRset are kept. Returns the records as text, and what the ZONEMD
/// RRset's signing kept and made (`None` when it was not signed again).
pub(crate) fn finish(
    s: &mut SignedZone,
    hashes: &[u8],
    keys: &SigningKeys<'_>,
    window: &SignatureWindow,
    reuse: Option<Reuse<'_>>,
) -> Result<(Vec<String>, Option<ReuseCounts>), SignError> {
    let Some(apex) = s.zone.apex() else {
        return Ok((Vec::new(), None));
    };
    let mut counts = None;
    if !hashes.is_empty() {
        // The serial may have moved since the placeholders were made (a
        // re-sign's serial policy): ZONEMD's must be the SOA's (RFC 8976
        // §2.2.1), and is part of what is digested.
        let serial = s.zone.soa().and_then(crate::zonemd::soa_serial);
        if let Some(serial) = serial {
            s.zone
                .rewrite_rrset(apex, rtype::ZONEMD, |rd| match Zonemd::from_rdata(rd) {
                    Ok(mut z) if z.supported().is_ok() => {
                        z.serial = serial;
                        z.to_rdata()
                    }
                    _ => rd.to_vec(),
                });
        }
        let digests = digest_signed_zone(s, hashes)
            .map_err(|e| SignError::NoKeys(format!("internal: {e}")))?;
        s.zone.rewrite_rrset(apex, rtype::ZONEMD, |rd| {
            let Ok(mut z) = Zonemd::from_rdata(rd) else {
                return rd.to_vec();
            };
            if z.supported().is_err() {
                return rd.to_vec();
            }
            match digests.iter().find(|(h, _)| *h == z.hash) {
                Some((_, d)) => {
                    z.digest = d.clone();
                    z.to_rdata()
                }
                None => rd.to_vec(),
            }
        });
        counts = Some(resign_rrset(
            &s.zone,
            keys,
            window,
            apex,
            rtype::ZONEMD,
            &mut s.signatures,
            reuse,
        )?);
    }
    let text = s
        .zone
        .rrset(apex, rtype::ZONEMD)
        .map(|set| {
            set.rows
                .iter()
                .map(|r| {
                    let mut t = String::new();
                    rdata::write_rdata(rtype::ZONEMD, s.zone.rdata(r), &mut t);
                    t
                })
                .collect()
        })
        .unwrap_or_default();
    Ok((text, counts))
}

/// The SIMPLE digests of a signed zone as it will be written (RFC 8976
/// §3.3.1): every RR in canonical order (the owner's RRSIGs, type 46, and
/// NSEC, 47, among its other types), without the apex ZONEMD RRset and the
/// RRSIGs covering it.
pub fn digest_signed_zone(
    s: &SignedZone,
    hashes: &[u8],
) -> Result<Vec<(u8, Vec<u8>)>, ZonemdError> {
    let order = signed_order(s);
    digest_items(&order.items, hashes, |item, rrs| match *item {
        SignedItem::Owner(i) => push_owner(s, i as usize, order.owner_first[i as usize], rrs),
        SignedItem::Nsec3(k) => push_nsec3(s, k as usize, order.nsec3_first[k as usize], rrs),
    })
}

/// RRSIG RDATA from entry `first` on while it belongs to `(owner, nsec3)`,
/// in canonical RDATA order (RFC 4034 §6.3), with their TTLs.
fn rrsigs_of(s: &SignedZone, first: u32, owner: u32, nsec3: u32) -> Vec<(Vec<u8>, u32)> {
    let mut v = Vec::new();
    if first == u32::MAX {
        return v;
    }
    let e = &s.signatures.entries;
    let mut k = first as usize;
    while k < e.len() && (e[k].owner(), e[k].nsec3_index()) == (owner, nsec3) {
        v.push((s.signatures.rdata(&e[k]), e[k].ttl));
        k += 1;
    }
    v.sort_unstable();
    v
}

fn push_owner(s: &SignedZone, i: usize, first: u32, rrs: &mut CanonicalRrs) {
    let zone = &s.zone;
    let owner = zone.owner_name(i).to_lowercase();
    let owner = owner.as_wire();
    let at_apex = zone.owners[i].kind == NameKind::Apex;
    let mut sigs = rrsigs_of(s, first, i as u32, 0);
    if at_apex {
        sigs.retain(|(rd, _)| !covers_zonemd(rd));
    }
    let nsec = s.nsec.as_ref().and_then(|c| {
        c.entries
            .binary_search_by_key(&(i as u32), |e| e.owner)
            .ok()
            .map(|p| (c.rdata(&c.entries[p]), c.ttl))
    });
    let push_denial = |rrs: &mut CanonicalRrs| {
        for (rd, ttl) in &sigs {
            rrs.push(owner, rtype::RRSIG, zone.class, *ttl, rd);
        }
        if let Some((rd, ttl)) = nsec {
            rrs.push(owner, rtype::NSEC, zone.class, ttl, rd);
        }
    };
    let mut denial_done = false;
    for set in zone.rrsets(i) {
        if set.rtype > rtype::NSEC && !denial_done {
            push_denial(rrs);
            denial_done = true;
        }
        if at_apex && set.rtype == rtype::ZONEMD {
            continue;
        }
        for row in set.rows {
            rrs.push(owner, set.rtype, zone.class, row.ttl, zone.rdata(row));
        }
    }
    if !denial_done {
        push_denial(rrs);
    }
}

fn push_nsec3(s: &SignedZone, k: usize, first: u32, rrs: &mut CanonicalRrs) {
    let Some(c) = &s.nsec3 else { return };
    let owner = c.owner(k).to_lowercase();
    for (rd, ttl) in rrsigs_of(s, first, u32::MAX, k as u32) {
        rrs.push(owner.as_wire(), rtype::RRSIG, s.zone.class, ttl, &rd);
    }
    rrs.push(
        owner.as_wire(),
        rtype::NSEC3,
        s.zone.class,
        c.ttl,
        c.rdata(k),
    );
}
