//! The NSEC3 chain (RFC 5155 §7.1, checked as §8 describes): every NSEC3
//! uses the parameters of the NSEC3PARAM; every authoritative name, every
//! empty non-terminal and every delegation has an NSEC3 at
//! `<base32hex(hash)>.<apex>`, except insecure delegations (and empty
//! non-terminals that exist only because of them) covered by an opt-out
//! NSEC3 (RFC 5155 §6); each NSEC3's next hash is the following hash in
//! sorted order, the last pointing at the first; bitmaps list exactly the
//! types at the original owner; and no NSEC3 stands for no name.
//!
//! In the zone model NSEC3 records are ordinary owners `<hash>.<apex>`
//! whose only types are NSEC3 and RRSIG; they form the chain and do not
//! need NSEC3 records themselves.

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;

use super::finding::{Code, Finding};
use super::nsec::{bitmap_diff, ttl_finding, type_list};
use super::Ctx;
use crate::denial::nsec3::{
    base32hex, hash_length_error, hash_name, HashLengthError, Nsec3Params, HASH_SHA1,
};
use crate::denial::{bitmap_types, in_chain, Chain};
use crate::name::{Labels, Name};
use crate::rdata::{decode_type_bitmap, rtype};
use crate::zone::{NameKind, Row, Zone};

/// Marks the owners that are NSEC3 owners: one label below the apex, an
/// NSEC3 RRset, and nothing but NSEC3 and RRSIG.
pub(crate) fn find_hash_owners(zone: &Zone, apex: usize) -> Vec<bool> {
    let apex_key = zone.owner_key(apex);
    let apex_labels = apex_key.iter().filter(|&&b| b == 0).count();
    (0..zone.owners.len())
        .map(|i| {
            let key = zone.owner_key(i);
            i != apex
                && key.starts_with(apex_key)
                && key.iter().filter(|&&b| b == 0).count() == apex_labels + 1
                && zone.rrset(i, rtype::NSEC3).is_some()
                && zone
                    .rrsets(i)
                    .all(|s| s.rtype == rtype::NSEC3 || s.rtype == rtype::RRSIG)
        })
        .collect()
}

/// RFC 9276 §3.2 lets validators answer insecure (or SERVFAIL) above an
/// iteration limit of their choosing; BIND 9.18, Unbound and Knot
/// Resolver use 150, so above it a zone is insecure for most of the
/// Internet.
const MAX_SECURE_ITERATIONS: u16 = 150;

/// Hash algorithm, iterations, salt.
type Params = (u8, u16, Vec<u8>);

/// One parsed NSEC3 record.
struct Entry<'z> {
    owner: usize,
    row: &'z Row,
    hash: Vec<u8>,
    params: (u8, u16, Vec<u8>),
    opt_out: bool,
    next: Vec<u8>,
    types: Vec<u16>,
    matched: bool,
}

/// A name that needs an NSEC3.
struct Needed {
    name: Name,
    /// Owner index, or `None` for an empty non-terminal.
    owner: Option<usize>,
    /// May be left out under opt-out (insecure delegation, or an ENT that
    /// exists only because of insecure delegations).
    optional: bool,
    /// An owner whose first row gives the position in messages.
    pos_owner: usize,
}

fn params_text(p: &(u8, u16, Vec<u8>)) -> String {
    format!(
        "hash algorithm {}, iterations {}, salt {}",
        p.0,
        p.1,
        if p.2.is_empty() {
            "-".to_string()
        } else {
            data_encoding::HEXUPPER.encode(&p.2)
        }
    )
}

/// Checks the NSEC3 chain; returns the number of NSEC3 records.
pub(crate) fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) -> u64 {
    let zone = ctx.zone;
    let apex = ctx.apex;
    let mut count = 0u64;

    // 1. Parse every NSEC3.
    let mut entries: Vec<Entry<'_>> = Vec::new();
    for i in 0..zone.owners.len() {
        let Some(set) = zone.rrset(i, rtype::NSEC3) else {
            continue;
        };
        count += set.rows.len() as u64;
        if !ctx.hash_owner[i] {
            out.push(ctx.finding(
                Code::Nsec3Misplaced,
                i,
                rtype::NSEC3,
                None,
                set.rows.first(),
                "NSEC3 must be alone (with its RRSIG) at <hash>.<apex>".into(),
            ));
            continue;
        }
        let name = zone.owner_name(i);
        let label = Labels::new(name.as_wire()).next().unwrap_or(&[]);
        if let Some(HashLengthError::OwnerLabel { .. }) =
            hash_length_error(Some(label), zone.rdata(&set.rows[0]))
        {
            // The zone rule nsec3-hash-length reports it (one code, one
            // implementation: crate::denial::nsec3::hash_length_error).
            continue;
        }
        let hash = data_encoding::BASE32HEX_NOPAD
            .decode(&label.to_ascii_uppercase())
            .ok()
            .filter(|h| h.len() == 20);
        let Some(hash) = hash else {
            out.push(ctx.finding(
                Code::Nsec3Misplaced,
                i,
                rtype::NSEC3,
                None,
                set.rows.first(),
                "NSEC3 owner label is not the base32hex form of a SHA-1 hash".into(),
            ));
            continue;
        };
        if set.rows.len() > 1 {
            out.push(ctx.finding(
                Code::Nsec3Duplicate,
                i,
                rtype::NSEC3,
                None,
                Some(&set.rows[1]),
                format!("{} NSEC3 records at one hashed owner", set.rows.len()),
            ));
        }
        let row = &set.rows[0];
        let rd = zone.rdata(row);
        let parsed = Nsec3Params::from_rdata(rd).and_then(|(p, flags, off)| {
            let hlen = *rd.get(off)? as usize;
            let next = rd.get(off + 1..off + 1 + hlen)?.to_vec();
            let bitmap = rd.get(off + 1 + hlen..)?;
            let types = decode_type_bitmap(bitmap)?;
            Some((p, flags, next, types, bitmap))
        });
        let Some((p, flags, next, types, bitmap)) = parsed else {
            out.push(ctx.finding(
                Code::Nsec3Malformed,
                i,
                rtype::NSEC3,
                None,
                Some(row),
                "NSEC3 RDATA cannot be parsed".into(),
            ));
            continue;
        };
        if let Some(problem) = super::nsec::bitmap_encoding_problem(bitmap) {
            out.push(ctx.finding(
                Code::Nsec3BitmapNotCanonical,
                i,
                rtype::NSEC3,
                None,
                Some(row),
                format!("NSEC3 type bitmap: {problem}"),
            ));
        }
        if flags & !1 != 0 {
            out.push(ctx.finding(
                Code::Nsec3FlagsUnknown,
                i,
                rtype::NSEC3,
                None,
                Some(row),
                format!(
                    "NSEC3 flags are {flags}: only Opt-Out (1) is defined, and validators ignore an NSEC3 with any other bit set"
                ),
            ));
        }
        entries.push(Entry {
            owner: i,
            row,
            hash,
            params: (p.algorithm, p.iterations, p.salt),
            opt_out: flags & 1 != 0,
            next,
            types,
            matched: false,
        });
    }

    // 2. Which chain is the zone's: the one NSEC3PARAM names.
    let mut groups: BTreeMap<(u8, u16, Vec<u8>), usize> = BTreeMap::new();
    for e in &entries {
        *groups.entry(e.params.clone()).or_default() += 1;
    }
    let largest = groups
        .iter()
        .max_by_key(|(_, &n)| n)
        .map(|(p, _)| p.clone());
    let param_set = zone.rrset(apex, rtype::NSEC3PARAM);
    let mut param_rows: Vec<(&Row, Params, u8)> = Vec::new();
    if let Some(s) = param_set {
        for row in s.rows {
            match Nsec3Params::from_rdata(zone.rdata(row)) {
                Some((p, flags, _)) => {
                    param_rows.push((row, (p.algorithm, p.iterations, p.salt), flags))
                }
                None => out.push(ctx.finding(
                    Code::Nsec3Malformed,
                    apex,
                    rtype::NSEC3PARAM,
                    None,
                    Some(row),
                    "NSEC3PARAM RDATA cannot be parsed".into(),
                )),
            }
        }
    }
    for (row, _, flags) in &param_rows {
        if *flags != 0 {
            out.push(ctx.finding(
                Code::Nsec3paramFlags,
                apex,
                rtype::NSEC3PARAM,
                None,
                Some(row),
                format!("NSEC3PARAM flags are {flags}; they must be 0"),
            ));
        }
    }
    let active: Option<(u8, u16, Vec<u8>)> = if param_rows.is_empty() {
        if param_set.is_none() {
            out.push(ctx.finding(
                Code::Nsec3paramMissing,
                apex,
                rtype::NSEC3PARAM,
                None,
                ctx.first_row(apex),
                "NSEC3 records but no NSEC3PARAM at the apex".into(),
            ));
        }
        largest
    } else if let Some((_, p, _)) = param_rows.iter().find(|(_, p, _)| groups.contains_key(p)) {
        Some(p.clone())
    } else {
        let (row, p, _) = &param_rows[0];
        out.push(ctx.finding(
            Code::Nsec3paramMismatch,
            apex,
            rtype::NSEC3PARAM,
            None,
            Some(row),
            format!(
                "NSEC3PARAM says {}, but no NSEC3 record uses these parameters{}",
                params_text(p),
                match &largest {
                    Some(l) => format!(" (the NSEC3 chain uses {})", params_text(l)),
                    None => String::new(),
                }
            ),
        ));
        largest.or_else(|| Some(p.clone()))
    };
    let Some(active) = active else {
        return count;
    };
    if active.0 != HASH_SHA1 {
        out.push(ctx.finding(
            Code::Nsec3UnknownHash,
            apex,
            rtype::NSEC3PARAM,
            None,
            ctx.first_row(apex),
            format!(
                "NSEC3 hash algorithm {} is unknown (only 1, SHA-1)",
                active.0
            ),
        ));
        return count;
    }
    if active.1 > 0 || !active.2.is_empty() {
        let row = param_rows
            .first()
            .map(|r| r.0)
            .or_else(|| ctx.first_row(apex));
        if active.1 > MAX_SECURE_ITERATIONS {
            out.push(ctx.finding(
                Code::Nsec3IterationsInsecure,
                apex,
                rtype::NSEC3PARAM,
                None,
                row,
                format!(
                    "NSEC3 uses {} iterations; validators may treat more than {MAX_SECURE_ITERATIONS} as insecure (RFC 9276 §3.2), so the zone is not validated as secure",
                    active.1
                ),
            ));
        }
        out.push(ctx.finding(
            Code::Nsec3ParamsNotRecommended,
            apex,
            rtype::NSEC3PARAM,
            None,
            row,
            format!(
                "NSEC3 uses {}; RFC 9276 recommends 0 extra iterations and an empty salt",
                params_text(&active)
            ),
        ));
    }
    let other_params: Vec<&(u8, u16, Vec<u8>)> = param_rows.iter().map(|r| &r.1).collect();
    let mut chain: Vec<usize> = Vec::new();
    for (n, e) in entries.iter().enumerate() {
        if e.params == active {
            chain.push(n);
        } else if !other_params.contains(&&e.params) {
            out.push(ctx.finding(
                Code::Nsec3StrayParams,
                e.owner,
                rtype::NSEC3,
                None,
                Some(e.row),
                format!(
                    "NSEC3 uses {}, the chain uses {}",
                    params_text(&e.params),
                    params_text(&active)
                ),
            ));
        }
    }
    chain.sort_by(|&a, &b| entries[a].hash.cmp(&entries[b].hash));

    // 3. The chain is closed: each next hash is the following owner's.
    for (k, &n) in chain.iter().enumerate() {
        let following = &entries[chain[(k + 1) % chain.len()]];
        let e = &entries[n];
        // A next hash of the wrong length is nsec3-hash-length (a zone rule).
        if e.next.len() == e.hash.len() && e.next != following.hash {
            out.push(ctx.finding(
                Code::Nsec3ChainBroken,
                e.owner,
                rtype::NSEC3,
                None,
                Some(e.row),
                format!(
                    "NSEC3 next hashed owner is {}, but the following hash in the chain is {}",
                    base32hex(&e.next),
                    base32hex(&following.hash)
                ),
            ));
        }
        if let Some(f) = ttl_finding(ctx, Code::Nsec3TtlMismatch, e.owner, rtype::NSEC3, e.row) {
            out.push(f);
        }
    }

    // 4. The names that need an NSEC3, hashed in parallel.
    let needed = needed_names(ctx);
    let (salt, iterations) = (&active.2, active.1);
    let hashes: Vec<[u8; 20]> = needed
        .par_iter()
        .map(|nd| hash_name(nd.name.as_wire(), salt, iterations))
        .collect();
    let by_hash: HashMap<&[u8], usize> = chain
        .iter()
        .map(|&n| (entries[n].hash.as_slice(), n))
        .collect();
    let origin = &zone.origin;
    let mut matched: Vec<usize> = Vec::new();
    for (nd, h) in needed.iter().zip(&hashes) {
        let hash_owner = Name::from_ascii(&format!("{}.{}", base32hex(h), origin))
            .unwrap_or_else(|_| origin.clone());
        match by_hash.get(&h[..]) {
            Some(&n) => {
                matched.push(n);
                let e = &entries[n];
                let want = match nd.owner {
                    Some(i) => bitmap_types(zone, i, Chain::Nsec3),
                    None => Vec::new(),
                };
                let (missing, extra) = bitmap_diff(&want, &e.types);
                if !missing.is_empty() {
                    out.push(ctx.finding(
                        Code::Nsec3BitmapMissingType,
                        e.owner,
                        rtype::NSEC3,
                        None,
                        Some(e.row),
                        format!(
                            "NSEC3 for {} lacks {} in its type bitmap although the name has it",
                            nd.name,
                            type_list(&missing)
                        ),
                    ));
                }
                if !extra.is_empty() {
                    out.push(ctx.finding(
                        Code::Nsec3BitmapExtraType,
                        e.owner,
                        rtype::NSEC3,
                        None,
                        Some(e.row),
                        format!(
                            "NSEC3 for {} lists {} in its type bitmap, which the name does not have",
                            nd.name,
                            type_list(&extra)
                        ),
                    ));
                }
            }
            None => {
                // The NSEC3 whose span covers the hash: the last one below it.
                let cover = match chain.partition_point(|&n| entries[n].hash.as_slice() < &h[..]) {
                    0 => chain.last(),
                    k => chain.get(k - 1),
                };
                let opted_out = cover.is_some_and(|&n| entries[n].opt_out);
                if nd.optional && opted_out {
                    continue;
                }
                let what = match nd.owner {
                    None => "empty non-terminal",
                    Some(i) if ctx.kinds[i] == NameKind::Delegation => {
                        if nd.optional {
                            "insecure delegation (not covered by an opt-out NSEC3)"
                        } else {
                            "secure delegation"
                        }
                    }
                    Some(_) => "name",
                };
                out.push(ctx.finding_at(
                    Code::Nsec3Missing,
                    &hash_owner,
                    rtype::NSEC3,
                    None,
                    ctx.first_row(nd.pos_owner),
                    format!(
                        "no NSEC3 for {what} {} (hashed owner {hash_owner}){}",
                        nd.name,
                        if opted_out {
                            "; the opt-out NSEC3 covering it may only skip insecure delegations"
                        } else {
                            ""
                        }
                    ),
                ));
            }
        }
    }
    for &n in &matched {
        entries[n].matched = true;
    }
    for &n in &chain {
        let e = &entries[n];
        if !e.matched {
            out.push(ctx.finding(
                Code::Nsec3Orphan,
                e.owner,
                rtype::NSEC3,
                None,
                Some(e.row),
                "NSEC3 hash matches no name of the zone (authoritative name, delegation or empty non-terminal)".into(),
            ));
        }
    }
    count
}

/// Authoritative names, delegations and empty non-terminals, in canonical order.
fn needed_names(ctx: &Ctx<'_>) -> Vec<Needed> {
    let zone = ctx.zone;
    let apex_key = zone.owner_key(ctx.apex).to_vec();
    let mut out: Vec<Needed> = Vec::new();
    // ENT key -> (required, a descendant owner for positions).
    let mut ents: BTreeMap<Vec<u8>, (bool, usize)> = BTreeMap::new();
    for i in 0..zone.owners.len() {
        if ctx.hash_owner[i] || !in_chain(ctx.kinds[i]) {
            continue;
        }
        let insecure = ctx.kinds[i] == NameKind::Delegation && zone.rrset(i, rtype::DS).is_none();
        out.push(Needed {
            name: zone.owner_name(i),
            owner: Some(i),
            optional: insecure,
            pos_owner: i,
        });
        // Ancestors strictly between the apex and this name that have no records.
        let key = zone.owner_key(i);
        let mut pos = apex_key.len();
        while pos < key.len() {
            let end = match key[pos..].iter().position(|&b| b == 0) {
                Some(z) => pos + z + 1,
                None => break,
            };
            if end >= key.len() {
                break;
            }
            let anc = &key[..end];
            if find_key(zone, anc).is_none() {
                let e = ents.entry(anc.to_vec()).or_insert((false, i));
                e.0 |= !insecure;
            }
            pos = end;
        }
    }
    for (k, (required, pos_owner)) in ents {
        if let Ok(name) = Name::from_canonical_key(&k) {
            out.push(Needed {
                name,
                owner: None,
                optional: !required,
                pos_owner,
            });
        }
    }
    out
}

/// Owner index by canonical key.
fn find_key(zone: &Zone, key: &[u8]) -> Option<usize> {
    let n = zone.owners.len();
    let (mut lo, mut hi) = (0usize, n);
    while lo < hi {
        let mid = (lo + hi) / 2;
        match zone.owner_key(mid).cmp(key) {
            std::cmp::Ordering::Less => lo = mid + 1,
            std::cmp::Ordering::Greater => hi = mid,
            std::cmp::Ordering::Equal => return Some(mid),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc5155_appendix_a_hash() {
        // RFC 5155 Appendix A: H(example) with salt aabbccdd, 12 iterations.
        let n = Name::from_ascii("example").unwrap();
        let h = hash_name(n.as_wire(), &[0xaa, 0xbb, 0xcc, 0xdd], 12);
        assert_eq!(base32hex(&h), "0p9mhaveqvm6t7vbl5lop2u3t2rp3tom");
    }
}
