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
    let (mut entries, count) = parse_entries(ctx, out);
    let param_rows = parse_nsec3params(ctx, out);
    let Some(active) = active_params(ctx, &entries, &param_rows, out) else {
        return count;
    };
    if !hash_and_iterations_rules(ctx, &active, &param_rows, out) {
        return count;
    }
    let chain = chain_of(ctx, &entries, &active, &param_rows, out);
    chain_order_rules(ctx, &entries, &chain, out);
    let matched = coverage_rules(ctx, &entries, &chain, &active, out);
    for &n in &matched {
        entries[n].matched = true;
    }
    orphan_rules(ctx, &entries, &chain, out);
    count
}

/// Parses every NSEC3 record (RFC 5155 §3); returns the ones that can be
/// part of a chain and the number of NSEC3 records.
fn parse_entries<'z>(ctx: &Ctx<'z>, out: &mut Vec<Finding>) -> (Vec<Entry<'z>>, u64) {
    let zone = ctx.zone;
    let mut count = 0u64;
    let mut entries: Vec<Entry<'z>> = Vec::new();
    for i in 0..zone.owners.len() {
        let Some(set) = zone.rrset(i, rtype::NSEC3) else {
            continue;
        };
        count += set.rows.len() as u64;
        let Some(hash) = owner_hash(ctx, i, set.rows, out) else {
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
        if let Some(e) = parse_entry(ctx, i, &set.rows[0], hash, out) {
            entries.push(e);
        }
    }
    (entries, count)
}

/// The hash an NSEC3 owner stands for: its first label, base32hex (RFC
/// 5155 §3), at `<hash>.<apex>` with nothing beside it but RRSIG (§7.1).
/// `None` when the record cannot be part of a chain.
fn owner_hash(ctx: &Ctx<'_>, i: usize, rows: &[Row], out: &mut Vec<Finding>) -> Option<Vec<u8>> {
    let zone = ctx.zone;
    if !ctx.hash_owner[i] {
        out.push(ctx.finding(
            Code::Nsec3Misplaced,
            i,
            rtype::NSEC3,
            None,
            rows.first(),
            "NSEC3 must be alone (with its RRSIG) at <hash>.<apex>".into(),
        ));
        return None;
    }
    let name = zone.owner_name(i);
    let label = Labels::new(name.as_wire()).next().unwrap_or(&[]);
    if let Some(HashLengthError::OwnerLabel { .. }) =
        hash_length_error(Some(label), zone.rdata(&rows[0]))
    {
        // The zone rule nsec3-hash-length reports it (one code, one
        // implementation: crate::rdata::nsec3::hash_length_error).
        return None;
    }
    let hash = data_encoding::BASE32HEX_NOPAD
        .decode(&label.to_ascii_uppercase())
        .ok()
        .filter(|h| h.len() == 20);
    if hash.is_none() {
        out.push(ctx.finding(
            Code::Nsec3Misplaced,
            i,
            rtype::NSEC3,
            None,
            rows.first(),
            "NSEC3 owner label is not the base32hex form of a SHA-1 hash".into(),
        ));
    }
    hash
}

/// The RDATA of the NSEC3 `row` at owner `i` (RFC 5155 §3.2), with the
/// rules on its encoding: one bitmap encoding per type set (§3.2.1) and
/// no flag but Opt-Out, since validators ignore an NSEC3 with another
/// (§3.1.2, §8.2). `None` when it cannot be parsed.
fn parse_entry<'z>(
    ctx: &Ctx<'z>,
    i: usize,
    row: &'z Row,
    hash: Vec<u8>,
    out: &mut Vec<Finding>,
) -> Option<Entry<'z>> {
    let rd = ctx.zone.rdata(row);
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
        return None;
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
    Some(Entry {
        owner: i,
        row,
        hash,
        params: (p.algorithm, p.iterations, p.salt),
        opt_out: flags & 1 != 0,
        next,
        types,
        matched: false,
    })
}

/// The apex NSEC3PARAM records that parse (RFC 5155 §4), as (row,
/// parameters, flags); their flags must be 0 (§4.1.2).
fn parse_nsec3params<'z>(ctx: &Ctx<'z>, out: &mut Vec<Finding>) -> Vec<(&'z Row, Params, u8)> {
    let zone = ctx.zone;
    let apex = ctx.apex;
    let mut param_rows: Vec<(&Row, Params, u8)> = Vec::new();
    if let Some(s) = zone.rrset(apex, rtype::NSEC3PARAM) {
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
    param_rows
}

/// Which chain is the zone's: the one the NSEC3PARAM names (RFC 5155
/// §7.1, §4), else the largest. `None` when there is no chain at all.
fn active_params(
    ctx: &Ctx<'_>,
    entries: &[Entry<'_>],
    param_rows: &[(&Row, Params, u8)],
    out: &mut Vec<Finding>,
) -> Option<Params> {
    let apex = ctx.apex;
    let mut groups: BTreeMap<(u8, u16, Vec<u8>), usize> = BTreeMap::new();
    for e in entries {
        *groups.entry(e.params.clone()).or_default() += 1;
    }
    let largest = groups
        .iter()
        .max_by_key(|(_, &n)| n)
        .map(|(p, _)| p.clone());
    if param_rows.is_empty() {
        if ctx.zone.rrset(apex, rtype::NSEC3PARAM).is_none() {
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
    }
}

/// The chain's hash algorithm must be one we know, SHA-1 (RFC 5155 §11;
/// false when it is not, and nothing more can be checked); its iterations
/// and salt should be none (RFC 9276 §3.1), and above a validator's
/// iteration limit the zone is insecure (RFC 9276 §3.2).
fn hash_and_iterations_rules(
    ctx: &Ctx<'_>,
    active: &Params,
    param_rows: &[(&Row, Params, u8)],
    out: &mut Vec<Finding>,
) -> bool {
    let apex = ctx.apex;
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
        return false;
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
                params_text(active)
            ),
        ));
    }
    true
}

/// The entries of the active chain (indices into `entries`), sorted by
/// hash. Every NSEC3 uses the chain's parameters (RFC 5155 §7.1); one of
/// another NSEC3PARAM's chain is not stray.
fn chain_of(
    ctx: &Ctx<'_>,
    entries: &[Entry<'_>],
    active: &Params,
    param_rows: &[(&Row, Params, u8)],
    out: &mut Vec<Finding>,
) -> Vec<usize> {
    let other_params: Vec<&(u8, u16, Vec<u8>)> = param_rows.iter().map(|r| &r.1).collect();
    let mut chain: Vec<usize> = Vec::new();
    for (n, e) in entries.iter().enumerate() {
        if e.params == *active {
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
                    params_text(active)
                ),
            ));
        }
    }
    chain.sort_by(|&a, &b| entries[a].hash.cmp(&entries[b].hash));
    chain
}

/// The chain is closed: each next hashed owner is the following hash in
/// sorted order, the last pointing at the first (RFC 5155 §7.1); and each
/// TTL is the denial TTL (RFC 9077 §3).
fn chain_order_rules(
    ctx: &Ctx<'_>,
    entries: &[Entry<'_>],
    chain: &[usize],
    out: &mut Vec<Finding>,
) {
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
}

/// Every name that needs an NSEC3 has one (RFC 5155 §7.1), hashed in
/// parallel (§5), and its bitmap is right; returns the entries that stand
/// for a name.
fn coverage_rules(
    ctx: &Ctx<'_>,
    entries: &[Entry<'_>],
    chain: &[usize],
    active: &Params,
    out: &mut Vec<Finding>,
) -> Vec<usize> {
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
    let mut matched: Vec<usize> = Vec::new();
    for (nd, h) in needed.iter().zip(&hashes) {
        match by_hash.get(&h[..]) {
            Some(&n) => {
                matched.push(n);
                bitmap_rules(ctx, nd, &entries[n], out);
            }
            None => missing_rules(ctx, nd, h, entries, chain, out),
        }
    }
    matched
}

/// The bitmap of the NSEC3 `e` for the name `nd` lists exactly the types
/// at the original owner (RFC 5155 §3.2, §7.1).
fn bitmap_rules(ctx: &Ctx<'_>, nd: &Needed, e: &Entry<'_>, out: &mut Vec<Finding>) {
    let want = nd
        .owner
        .map_or_else(Vec::new, |i| bitmap_types(ctx.zone, i, Chain::Nsec3));
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

/// The name `nd`, of hash `h`, has no NSEC3: an error unless it is an
/// insecure delegation (or an ENT only above such) and the NSEC3 whose
/// span covers the hash has Opt-Out (RFC 5155 §6, §7.1).
fn missing_rules(
    ctx: &Ctx<'_>,
    nd: &Needed,
    h: &[u8; 20],
    entries: &[Entry<'_>],
    chain: &[usize],
    out: &mut Vec<Finding>,
) {
    // The NSEC3 whose span covers the hash: the last one below it.
    let cover = match chain.partition_point(|&n| entries[n].hash.as_slice() < &h[..]) {
        0 => chain.last(),
        k => chain.get(k - 1),
    };
    let opted_out = cover.is_some_and(|&n| entries[n].opt_out);
    if nd.optional && opted_out {
        return;
    }
    let origin = &ctx.zone.origin;
    let hash_owner = Name::from_ascii(&format!("{}.{}", base32hex(h), origin))
        .unwrap_or_else(|_| origin.clone());
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

/// Every NSEC3 of the chain stands for a name of the zone (RFC 5155
/// §7.1: its owner is the hash of an original owner name).
fn orphan_rules(ctx: &Ctx<'_>, entries: &[Entry<'_>], chain: &[usize], out: &mut Vec<Finding>) {
    for &n in chain {
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
