//! The NSEC3 chain (RFC 5155 §7.1) with the RFC 9276 defaults: SHA-1,
//! no extra iterations, empty salt.

use rayon::prelude::*;
use sha1::{Digest, Sha1};

use super::{bitmap_types, denial_ttl, in_chain, Chain, DenialError};
use crate::name::{lowercase_wire, Name};
use crate::rdata::nsec3::salt_end;
pub use crate::rdata::nsec3::{hash_len, hash_length_error, HashLengthError, HASH_SHA1};
use crate::rdata::{encode_type_bitmap, rtype};
use crate::zone::{NameKind, Zone};

/// RFC 5155 §3.1.2: the Opt-Out flag.
pub const FLAG_OPT_OUT: u8 = 1;
/// RFC 9276 §3.1: use no extra iterations. Above this we warn.
pub const RECOMMENDED_MAX_ITERATIONS: u16 = 0;

/// NSEC3 parameters (RFC 5155 §4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Nsec3Params {
    pub algorithm: u8,
    pub iterations: u16,
    pub salt: Vec<u8>,
    pub opt_out: bool,
}

impl Default for Nsec3Params {
    fn default() -> Self {
        Nsec3Params {
            algorithm: HASH_SHA1,
            iterations: 0,
            salt: Vec::new(),
            opt_out: false,
        }
    }
}

impl Nsec3Params {
    /// NSEC3PARAM RDATA (RFC 5155 §4.2). Its flags are always 0: opt-out
    /// is a property of the NSEC3 records only (§4.1.2).
    pub fn nsec3param_rdata(&self) -> Vec<u8> {
        let mut v = vec![self.algorithm, 0];
        v.extend_from_slice(&self.iterations.to_be_bytes());
        v.push(self.salt.len() as u8);
        v.extend_from_slice(&self.salt);
        v
    }

    /// Parses NSEC3PARAM RDATA (also the first fields of NSEC3 RDATA).
    pub fn from_rdata(rd: &[u8]) -> Option<(Nsec3Params, u8, usize)> {
        let end = salt_end(rd)?;
        Some((
            Nsec3Params {
                algorithm: rd[0],
                iterations: u16::from_be_bytes([rd[2], rd[3]]),
                salt: rd[5..end].to_vec(),
                opt_out: rd[1] & FLAG_OPT_OUT != 0,
            },
            rd[1],
            end,
        ))
    }

    /// The warnings RFC 9276 asks a signer to give.
    pub fn advice(&self) -> Vec<String> {
        let mut w = Vec::new();
        if self.iterations > RECOMMENDED_MAX_ITERATIONS {
            w.push(format!(
                "NSEC3 with {} extra iterations: RFC 9276 §3.1 recommends 0 (validators may treat high counts as insecure)",
                self.iterations
            ));
        }
        if !self.salt.is_empty() {
            w.push("NSEC3 salt set: RFC 9276 §3.1 recommends an empty salt".to_string());
        }
        w
    }
}

/// RFC 5155 §5: IH(salt, x, 0) = H(x || salt); IH(salt, x, k) = H(IH(salt, x, k-1) || salt).
/// `owner_wire` is lowercased first (canonical form).
pub fn hash_name(owner_wire: &[u8], salt: &[u8], iterations: u16) -> [u8; 20] {
    let mut h = Sha1::new();
    h.update(lowercase_wire(owner_wire));
    h.update(salt);
    let mut d: [u8; 20] = h.finalize().into();
    for _ in 0..iterations {
        let mut h = Sha1::new();
        h.update(d);
        h.update(salt);
        d = h.finalize().into();
    }
    d
}

/// base32hex without padding, lowercase (RFC 4648 §7, RFC 5155 §3.3).
pub fn base32hex(hash: &[u8]) -> String {
    data_encoding::BASE32HEX_NOPAD
        .encode(hash)
        .to_ascii_lowercase()
}

/// One NSEC3 record of the chain; its RDATA is in the chain's arena
/// ([`Nsec3Chain::rdata`]): one allocation per record was 48 bytes of
/// heap and 24 of vector beside 34 of data, 700 MB at 10M names.
#[derive(Debug, Clone)]
pub struct Nsec3Entry {
    /// The owner is `<base32hex(hash)>.<apex>` ([`Nsec3Chain::owner`]); it is
    /// not stored, which saves an allocation per record of a big chain.
    pub hash: [u8; 20],
    /// The zone owner it stands for, or [`NO_SOURCE`].
    source: u32,
    off: u32,
    len: u16,
}

/// [`Nsec3Entry`]'s source of an empty non-terminal.
const NO_SOURCE: u32 = u32::MAX;

const _: () = assert!(std::mem::size_of::<Nsec3Entry>() == 32);

impl Nsec3Entry {
    /// The zone owner it stands for, or `None` for an empty non-terminal.
    pub fn source(&self) -> Option<u32> {
        (self.source != NO_SOURCE).then_some(self.source)
    }
}

/// The NSEC3 chain, sorted by hash (which is canonical order of the
/// hashed owner names, base32hex preserving byte order).
#[derive(Debug, Default)]
pub struct Nsec3Chain {
    pub entries: Vec<Nsec3Entry>,
    /// Every record's RDATA, one after another.
    arena: Vec<u8>,
    /// The zone apex the hashed owner names sit under.
    pub apex: Name,
    pub params: Option<Nsec3Params>,
    pub ttl: u32,
    pub empty_non_terminals: u64,
    pub opted_out: u64,
}

impl Nsec3Chain {
    /// RDATA of record `k` (RFC 5155 §3.2).
    pub fn rdata(&self, k: usize) -> &[u8] {
        let e = &self.entries[k];
        &self.arena[e.off as usize..e.off as usize + e.len as usize]
    }

    /// Owner name of record `k`: `<base32hex(hash)>.<apex>` (RFC 5155 §3).
    pub fn owner(&self, k: usize) -> Name {
        // A 32-character label under a valid apex only fails when the apex
        // is already 223+ octets long; fall back to the apex then.
        self.apex
            .prepend_label(base32hex(&self.entries[k].hash).as_bytes())
            .unwrap_or_else(|_| self.apex.clone())
    }

    /// Canonical sort key of record `k`'s owner (see [`Name::canonical_key`]).
    pub fn owner_key(&self, k: usize, out: &mut Vec<u8>) {
        self.apex.canonical_key(out);
        out.extend_from_slice(base32hex(&self.entries[k].hash).as_bytes());
        out.push(0);
    }
}

/// Builds the chain: hashes every authoritative name, every delegation
/// (with opt-out only the secure ones, RFC 5155 §6) and every empty
/// non-terminal above them, in parallel.
pub fn build(zone: &Zone, params: &Nsec3Params) -> Result<Nsec3Chain, DenialError> {
    let ttl = denial_ttl(zone)?;
    let (names, opted_out) = chain_names(zone, params);
    let empty_non_terminals = names.iter().filter(|n| n.1.is_none()).count() as u64;
    let hashed = hash_sorted(&names, params)?;
    let flags = if params.opt_out { FLAG_OPT_OUT } else { 0 };
    let n = hashed.len();
    // Built in parallel pieces, each with its own arena, then joined.
    const PIECE: usize = 16384;
    let pieces: Vec<(Vec<Nsec3Entry>, Vec<u8>)> = (0..n.div_ceil(PIECE))
        .into_par_iter()
        .map(|p| {
            let range = p * PIECE..((p + 1) * PIECE).min(n);
            let mut entries = Vec::with_capacity(range.len());
            let mut arena = Vec::with_capacity(range.len() * 40);
            for k in range {
                let (hash, idx) = hashed[k];
                let next = hashed[(k + 1) % n].0;
                let source = names[idx].1;
                let off = arena.len();
                nsec3_rdata(zone, params, flags, &next, source, &mut arena);
                entries.push(Nsec3Entry {
                    hash,
                    source: source.unwrap_or(NO_SOURCE),
                    off: off as u32,
                    len: (arena.len() - off) as u16,
                });
            }
            arena.shrink_to_fit();
            (entries, arena)
        })
        .collect();
    drop(hashed);
    drop(names);
    let mut entries = Vec::with_capacity(n);
    let mut arena = Vec::with_capacity(pieces.iter().map(|p| p.1.len()).sum());
    for (piece, bytes) in pieces {
        let base = u32::try_from(arena.len()).map_err(|_| DenialError::TooLarge)?;
        u32::try_from(arena.len() + bytes.len()).map_err(|_| DenialError::TooLarge)?;
        entries.extend(piece.into_iter().map(|mut e| {
            e.off += base;
            e
        }));
        arena.extend_from_slice(&bytes);
    }
    Ok(Nsec3Chain {
        entries,
        arena,
        apex: zone.origin.clone(),
        params: Some(params.clone()),
        ttl,
        empty_non_terminals,
        opted_out,
    })
}

/// The names that get an NSEC3 (RFC 5155 §7.1), in canonical order, each
/// with the zone owner it is (`None` for an empty non-terminal), and the
/// number of insecure delegations left out under opt-out (§6).
fn chain_names(zone: &Zone, params: &Nsec3Params) -> (Vec<(Name, Option<u32>)>, u64) {
    let origin_labels = zone.origin.label_count();
    let mut opted_out = 0u64;
    let mut names: Vec<(Name, Option<u32>)> = Vec::new();
    let mut prev: Option<Name> = None;
    for i in 0..zone.owners.len() {
        let kind = zone.owners[i].kind;
        if !in_chain(kind) {
            continue;
        }
        if params.opt_out && kind == NameKind::Delegation && zone.rrset(i, rtype::DS).is_none() {
            opted_out += 1;
            continue;
        }
        let name = zone.owner_name(i);
        if let Some(p) = &prev {
            push_empty_non_terminals(p, &name, origin_labels, &mut names);
        }
        names.push((name.clone(), Some(i as u32)));
        prev = Some(name);
    }
    (names, opted_out)
}

/// Empty non-terminals: the ancestors of `name` below the deepest common
/// ancestor with the previous member `prev` (see zone::ent_count), top
/// down. Each needs an NSEC3 (RFC 5155 §7.1).
fn push_empty_non_terminals(
    prev: &Name,
    name: &Name,
    origin_labels: usize,
    names: &mut Vec<(Name, Option<u32>)>,
) {
    let common = common_labels(prev, name).max(origin_labels);
    let depth = name.label_count();
    let mut anc = Vec::new();
    let mut cur = name.parent();
    let mut d = depth - 1;
    while d > common {
        if let Some(c) = cur {
            cur = c.parent();
            anc.push(c);
        }
        d -= 1;
    }
    for a in anc.into_iter().rev() {
        names.push((a, None));
    }
}

/// `(hash, index into names)` for every name (RFC 5155 §5), hashed in
/// parallel and sorted by hash; two names with one hash are an error (the
/// chain cannot prove both, RFC 5155 §7.1).
fn hash_sorted(
    names: &[(Name, Option<u32>)],
    params: &Nsec3Params,
) -> Result<Vec<([u8; 20], usize)>, DenialError> {
    let mut hashed: Vec<([u8; 20], usize)> = names
        .par_iter()
        .enumerate()
        .map(|(k, (n, _))| (hash_name(n.as_wire(), &params.salt, params.iterations), k))
        .collect();
    hashed.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
    if let Some((a, b)) = first_collision(&hashed) {
        return Err(DenialError::HashCollision {
            first: names[a].0.to_string(),
            second: names[b].0.to_string(),
            hash: base32hex(&hashed.iter().find(|h| h.1 == a).map_or([0; 20], |h| h.0)),
        });
    }
    Ok(hashed)
}

/// NSEC3 RDATA (RFC 5155 §3.2) pointing at `next`, appended to `rd`; the type bitmap lists
/// the types at `source` (none for an empty non-terminal), RRSIG
/// included where it has signed RRsets.
fn nsec3_rdata(
    zone: &Zone,
    params: &Nsec3Params,
    flags: u8,
    next: &[u8; 20],
    source: Option<u32>,
    rd: &mut Vec<u8>,
) {
    rd.extend_from_slice(&[params.algorithm, flags]);
    rd.extend_from_slice(&params.iterations.to_be_bytes());
    rd.push(params.salt.len() as u8);
    rd.extend_from_slice(&params.salt);
    rd.push(20);
    rd.extend_from_slice(next);
    if let Some(i) = source {
        encode_type_bitmap(&bitmap_types(zone, i as usize, Chain::Nsec3), rd);
    }
}

/// In hash-sorted `(hash, name index)` pairs, the first two names with one
/// hash (RFC 5155 §7.1: the zone cannot prove both; another salt is needed).
fn first_collision(sorted: &[([u8; 20], usize)]) -> Option<(usize, usize)> {
    sorted
        .windows(2)
        .find(|w| w[0].0 == w[1].0)
        .map(|w| (w[0].1, w[1].1))
}

/// Number of labels two names share from the right (case-insensitive).
fn common_labels(a: &Name, b: &Name) -> usize {
    let la: Vec<&[u8]> = a.labels().collect();
    let lb: Vec<&[u8]> = b.labels().collect();
    la.iter()
        .rev()
        .zip(lb.iter().rev())
        .take_while(|(x, y)| x.eq_ignore_ascii_case(y))
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc5155_appendix_a_hashes() {
        let salt = [0xaa, 0xbb, 0xcc, 0xdd];
        let cases = [
            ("example", "0p9mhaveqvm6t7vbl5lop2u3t2rp3tom"),
            ("a.example", "35mthgpgcu1qg68fab165klnsnk3dpvl"),
            ("ai.example", "gjeqe526plbf1g8mklp59enfd789njgi"),
            ("ns1.example", "2t7b4g4vsa5smi47k61mv5bv1a22bojr"),
            ("ns2.example", "q04jkcevqvmu85r014c7dkba38o0ji5r"),
            ("w.example", "k8udemvp1j2f7eg6jebps17vp3n8i58h"),
            ("*.w.example", "r53bq7cc2uvmubfu5ocmm6pers9tk9en"),
            ("x.w.example", "b4um86eghhds6nea196smvmlo4ors995"),
            ("y.w.example", "ji6neoaepv8b5o6k4ev33abha8ht9fgc"),
            ("x.y.w.example", "2vptu5timamqttgl4luu9kg21e0aor3s"),
            ("xx.example", "t644ebqk9bibcna874givr6joj62mlhv"),
        ];
        for (name, want) in cases {
            let n = Name::from_ascii(name).expect("name");
            assert_eq!(
                base32hex(&hash_name(n.as_wire(), &salt, 12)),
                want,
                "{name}"
            );
        }
    }

    #[test]
    fn collisions_are_found() {
        let h = |b: u8| [b; 20];
        assert_eq!(first_collision(&[(h(1), 0), (h(2), 1), (h(3), 2)]), None);
        assert_eq!(
            first_collision(&[(h(1), 4), (h(2), 1), (h(2), 7)]),
            Some((1, 7))
        );
    }

    #[test]
    fn hash_is_case_insensitive() {
        let a = Name::from_ascii("Example").expect("name");
        let b = Name::from_ascii("example").expect("name");
        assert_eq!(
            hash_name(a.as_wire(), &[], 0),
            hash_name(b.as_wire(), &[], 0)
        );
    }
}
