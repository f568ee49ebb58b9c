//! Per-RRset signature checks (RFC 4035 §2.2 for what must be signed,
//! RFC 4035 §5.3 and RFC 4034 §3.1 for each RRSIG): every authoritative
//! RRset has a valid RRSIG for each algorithm of the zone's keys, each
//! RRSIG's fields agree with the RRset and the zone, and nothing that must
//! not be signed (delegation NS, glue, occluded data) is.
//!
//! Owners are checked in parallel (rayon); the findings are sorted by the
//! driver afterwards, so the order does not depend on scheduling.

use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;

use super::finding::{Code, Finding};
use super::{serial_le, Ctx};
use crate::keys::verifier::verify_ed25519_batch;
use crate::keys::{Algorithm, VerifyingKey};
use crate::name::{lowercase_wire, Name};
use crate::rdata::{rtype, type_mnemonic};
use crate::rrsig::{labels_field, signed_data, RrsigFields};
use crate::zone::{NameKind, Row, Rrset};

/// What the RRSIG pass found.
#[derive(Debug, Default)]
pub(crate) struct RrsigResult {
    pub findings: Vec<Finding>,
    pub rrsets: u64,
    pub signed_rrsets: u64,
    pub rrsigs: u64,
    pub verified: u64,
    pub valid: u64,
    /// Indices into `ctx.keys` of the keys with a fully valid RRSIG over
    /// the apex DNSKEY RRset (the trust check needs them).
    pub dnskey_signers: Vec<usize>,
    /// The RRSIG that expires first.
    pub earliest: Option<Earliest>,
}

/// The RRSIG that expires first: seconds from the verification time to its
/// expiration (serial arithmetic; negative when expired), owner, type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Earliest {
    pub from_now: i32,
    pub owner: usize,
    pub rtype: u16,
}

impl Earliest {
    /// The earlier of two; on a tie the first in canonical order, so the
    /// result does not depend on threads.
    fn min(a: Option<Earliest>, b: Option<Earliest>) -> Option<Earliest> {
        match (a, b) {
            (Some(x), Some(y)) => Some(
                if (y.from_now, y.owner, y.rtype) < (x.from_now, x.owner, x.rtype) {
                    y
                } else {
                    x
                },
            ),
            (x, None) => x,
            (None, y) => y,
        }
    }
}

impl RrsigResult {
    fn merge(mut self, mut o: RrsigResult) -> RrsigResult {
        self.findings.append(&mut o.findings);
        self.rrsets += o.rrsets;
        self.signed_rrsets += o.signed_rrsets;
        self.rrsigs += o.rrsigs;
        self.verified += o.verified;
        self.valid += o.valid;
        self.dnskey_signers.append(&mut o.dnskey_signers);
        self.earliest = Earliest::min(self.earliest, o.earliest);
        self
    }
}

/// Progress is reported every this many owners.
const PROGRESS_STEP: u64 = 1024;

/// Owners checked together: one unit of parallel work, and one Ed25519
/// batch (a zone has two to four RRSIGs an owner, so about 64-128
/// signatures, where batch verification has most of its gain).
const CHUNK_OWNERS: usize = 32;

/// Checks the RRsets and RRSIGs of every owner.
pub(crate) fn check_all(ctx: &Ctx<'_>, progress: Option<&(dyn Fn(u64) + Sync)>) -> RrsigResult {
    let done = AtomicU64::new(0);
    let n = ctx.zone.owners.len();
    let apex_wire = lowercase_wire(ctx.zone.origin.as_wire());
    let batch = ctx
        .keys
        .iter()
        .any(|k| k.verifier.as_ref().is_ok_and(VerifyingKey::batchable));
    let mut r = (0..n.div_ceil(CHUNK_OWNERS))
        .into_par_iter()
        .fold(
            || (RrsigResult::default(), Work::new(batch)),
            |(mut acc, mut work), c| {
                let owners = c * CHUNK_OWNERS..((c + 1) * CHUNK_OWNERS).min(n);
                let len = owners.len() as u64;
                check_chunk(ctx, owners, &apex_wire, &mut work, &mut acc);
                if let Some(p) = progress {
                    let d = done.fetch_add(len, Ordering::Relaxed) + len;
                    if (d - len) / PROGRESS_STEP != d / PROGRESS_STEP {
                        p(d);
                    }
                }
                (acc, work)
            },
        )
        .map(|(acc, _)| acc)
        .reduce(RrsigResult::default, RrsigResult::merge);
    if let Some(p) = progress {
        p(n as u64);
    }
    r.dnskey_signers.sort_unstable();
    r.dnskey_signers.dedup();
    r
}

/// A worker's buffers: the signed data being built, and the Ed25519
/// checks put off to the end of the chunk.
struct Work {
    buf: Vec<u8>,
    deferred: Option<Deferred>,
}

/// Ed25519 signatures to check as one batch: per item the key (an index
/// into `ctx.keys`) and where its signed data and signature sit in `bytes`.
#[derive(Default)]
struct Deferred {
    bytes: Vec<u8>,
    items: Vec<(usize, std::ops::Range<usize>, std::ops::Range<usize>)>,
}

impl Work {
    fn new(batch: bool) -> Work {
        Work {
            buf: Vec::with_capacity(1024),
            deferred: batch.then(Deferred::default),
        }
    }
}

impl Deferred {
    fn push(&mut self, key: usize, data: &[u8], sig: &[u8]) {
        let d = self.bytes.len();
        self.bytes.extend_from_slice(data);
        let s = self.bytes.len();
        self.bytes.extend_from_slice(sig);
        self.items.push((key, d..s, s..self.bytes.len()));
    }

    /// Whether every deferred signature verifies (one batch).
    fn all_verify(&self, ctx: &Ctx<'_>) -> bool {
        if self.items.is_empty() {
            return true;
        }
        let mut keys = Vec::with_capacity(self.items.len());
        let mut data = Vec::with_capacity(self.items.len());
        let mut sigs = Vec::with_capacity(self.items.len());
        for (k, d, s) in &self.items {
            let Ok(v) = &ctx.keys[*k].verifier else {
                return false;
            };
            keys.push(v);
            data.push(&self.bytes[d.clone()]);
            sigs.push(&self.bytes[s.clone()]);
        }
        verify_ed25519_batch(&keys, &data, &sigs)
    }

    fn clear(&mut self) {
        self.bytes.clear();
        self.items.clear();
    }
}

/// Checks the owners of one chunk. With Ed25519 batching, each Ed25519
/// signature is first taken as valid and queued; when the chunk's batch
/// then verifies, every result stands as if checked one by one (the batch
/// passes only if each signature does, see `verify_ed25519_batch`). When
/// it does not, the chunk's results are thrown away and its owners checked
/// again signature by signature, so the findings name the bad ones.
fn check_chunk(
    ctx: &Ctx<'_>,
    owners: std::ops::Range<usize>,
    apex_wire: &[u8],
    work: &mut Work,
    acc: &mut RrsigResult,
) {
    if let Some(d) = work.deferred.as_mut() {
        d.clear();
    }
    let mut chunk = RrsigResult::default();
    for i in owners.clone() {
        check_owner(ctx, i, apex_wire, work, &mut chunk);
    }
    if !work.deferred.as_ref().is_none_or(|d| d.all_verify(ctx)) {
        let deferred = work.deferred.take();
        chunk = RrsigResult::default();
        for i in owners {
            check_owner(ctx, i, apex_wire, work, &mut chunk);
        }
        work.deferred = deferred;
    }
    *acc = std::mem::take(acc).merge(chunk);
}

/// One parsed RRSIG at an owner.
struct Sig<'z> {
    row: &'z Row,
    f: RrsigFields,
    sig: &'z [u8],
}

/// Checks the RRsets of owner `i` and the RRSIGs over them.
fn check_owner(ctx: &Ctx<'_>, i: usize, apex_wire: &[u8], work: &mut Work, acc: &mut RrsigResult) {
    let zone = ctx.zone;
    let kind = ctx.kinds[i];
    let sigs = parse_sigs(ctx, i, acc);
    let owner = zone.owner_name(i);
    let owner_wire = owner.as_wire();
    let want_labels = labels_field(owner_wire);
    for s in zone.rrsets(i) {
        if s.rtype == rtype::RRSIG {
            continue;
        }
        acc.rrsets += 1;
        // A DS at the apex is the parent's record (a parent-style file): not ours.
        if kind == NameKind::Apex && s.rtype == rtype::DS {
            continue;
        }
        let covering = sigs.iter().filter(|g| g.f.type_covered == s.rtype);
        if !must_be_signed(kind, s.rtype) {
            signed_but_not_authoritative(ctx, i, &s, covering, acc);
            continue;
        }
        acc.signed_rrsets += 1;
        let mut algs_seen: Vec<u8> = Vec::new();
        for g in covering {
            algs_seen.push(g.f.algorithm);
            let at = SigAt { ctx, i, s: &s, g };
            check_sig(at, owner_wire, want_labels, apex_wire, work, acc);
        }
        if algs_seen.is_empty() {
            no_rrsig(ctx, i, &s, acc);
            continue;
        }
        missing_algorithms(ctx, i, &s, &algs_seen, acc);
    }
    orphan_rrsigs(ctx, i, &sigs, &owner, acc);
}

/// The RRSIGs at owner `i` whose RDATA parses (RFC 4034 §3.1).
fn parse_sigs<'z>(ctx: &Ctx<'z>, i: usize, acc: &mut RrsigResult) -> Vec<Sig<'z>> {
    let zone = ctx.zone;
    let mut sigs: Vec<Sig<'z>> = Vec::new();
    if let Some(set) = zone.rrset(i, rtype::RRSIG) {
        for row in set.rows {
            match RrsigFields::parse(zone.rdata(row)) {
                Some((f, sig)) => sigs.push(Sig { row, f, sig }),
                None => acc.findings.push(ctx.finding(
                    Code::RrsigMalformed,
                    i,
                    rtype::RRSIG,
                    None,
                    Some(row),
                    "RRSIG RDATA too short or signer name malformed".into(),
                )),
            }
        }
    }
    sigs
}

/// Whether an RRset of type `t` at an owner of `kind` is the zone's to
/// sign (RFC 4035 §2.2): everything authoritative; at a delegation only
/// DS and NSEC; never glue or occluded data.
fn must_be_signed(kind: NameKind, t: u16) -> bool {
    match kind {
        NameKind::Apex | NameKind::Authoritative => true,
        NameKind::Delegation => matches!(t, rtype::DS | rtype::NSEC),
        NameKind::Glue | NameKind::Occluded => false,
    }
}

/// Each RRSIG over an RRset that must not be signed: glue, occluded data
/// (RFC 4035 §2.2, RFC 6672 §2.4) or a delegation's child data (RFC 4035
/// §2.2).
fn signed_but_not_authoritative<'a, 'z: 'a>(
    ctx: &Ctx<'_>,
    i: usize,
    s: &Rrset<'_>,
    covering: impl Iterator<Item = &'a Sig<'z>>,
    acc: &mut RrsigResult,
) {
    for g in covering {
        let at = SigAt { ctx, i, s, g };
        let (code, why) = match ctx.kinds[i] {
            NameKind::Glue => (
                Code::RrsigOverGlue,
                "glue below a zone cut is not authoritative and must not be signed",
            ),
            NameKind::Occluded => (
                Code::RrsigOverOccluded,
                "data below a zone cut or DNAME is occluded and must not be signed",
            ),
            _ => (
                Code::RrsigOverDelegation,
                "at a delegation only DS and NSEC are signed; the rest is the child zone's",
            ),
        };
        acc.findings.push(at.finding(
            code,
            format!("RRSIG({}) present: {why}", type_mnemonic(s.rtype)),
        ));
    }
}

/// An RRset that must be signed has no RRSIG (RFC 4035 §2.2); when the
/// denial bitmap at its owner does not list it either (RFC 4034 §4.1.2),
/// it was added after signing.
fn no_rrsig(ctx: &Ctx<'_>, i: usize, s: &Rrset<'_>, acc: &mut RrsigResult) {
    let added = ctx.denial_types(i).is_some_and(|t| !t.contains(&s.rtype));
    let (code, why) = if added {
        (
            Code::UnsignedRrsetAdded,
            ", and the NSEC/NSEC3 type bitmap does not list it: added after signing",
        )
    } else {
        (Code::RrsetNoRrsig, "")
    };
    acc.findings.push(ctx.finding(
        code,
        i,
        s.rtype,
        None,
        s.rows.first(),
        format!(
            "{} RRset ({} RR{}) has no RRSIG{why}",
            type_mnemonic(s.rtype),
            s.rows.len(),
            if s.rows.len() == 1 { "" } else { "s" }
        ),
    ));
}

/// A signed RRset has an RRSIG of each algorithm the DNSKEY RRset has a
/// zone key of (RFC 4035 §2.2, RFC 6840 §5.11).
fn missing_algorithms(
    ctx: &Ctx<'_>,
    i: usize,
    s: &Rrset<'_>,
    algs_seen: &[u8],
    acc: &mut RrsigResult,
) {
    for &alg in &ctx.required_algs {
        if !algs_seen.contains(&alg) {
            acc.findings.push(ctx.finding(
                Code::RrsetMissingAlgorithm,
                i,
                s.rtype,
                None,
                s.rows.first(),
                format!(
                    "no RRSIG({}) of algorithm {alg}, which the DNSKEY RRset has a zone key of",
                    type_mnemonic(s.rtype)
                ),
            ));
        }
    }
}

/// Each RRSIG covers a type the owner has an RRset of (RFC 4035 §2.2).
fn orphan_rrsigs(ctx: &Ctx<'_>, i: usize, sigs: &[Sig<'_>], owner: &Name, acc: &mut RrsigResult) {
    for g in sigs {
        let t = g.f.type_covered;
        if t == rtype::RRSIG || ctx.zone.rrset(i, t).is_none() {
            acc.rrsigs += 1;
            acc.findings.push(ctx.finding(
                Code::RrsigOrphan,
                i,
                t,
                Some(g.f.key_tag),
                Some(g.row),
                format!(
                    "RRSIG covers {} but {} has no such RRset",
                    type_mnemonic(t),
                    owner
                ),
            ));
        }
    }
}

/// One RRSIG `g` over the RRset `s` at owner `i`: what the rules on an
/// RRSIG look at, and what their findings name.
#[derive(Clone, Copy)]
struct SigAt<'a> {
    ctx: &'a Ctx<'a>,
    i: usize,
    s: &'a Rrset<'a>,
    g: &'a Sig<'a>,
}

impl SigAt<'_> {
    /// A finding about this RRSIG.
    fn finding(&self, code: Code, message: String) -> Finding {
        let (s, g) = (self.s, self.g);
        self.ctx.finding(
            code,
            self.i,
            s.rtype,
            Some(g.f.key_tag),
            Some(g.row),
            message,
        )
    }
}

/// Checks one RRSIG over one RRset (RFC 4035 §5.3): its fields, its
/// window, its key and its signature. It counts as valid only when every
/// rule holds.
fn check_sig(
    at: SigAt<'_>,
    owner_wire: &[u8],
    want_labels: u8,
    apex_wire: &[u8],
    work: &mut Work,
    acc: &mut RrsigResult,
) {
    acc.rrsigs += 1;
    let mut ok = field_rules(at, want_labels, apex_wire, acc);
    ok &= window_and_ttl_rules(at, acc);
    ok &= validity_rules(at, acc);
    let Some(zone_cands) = signer_keys(at, acc) else {
        return;
    };
    if revoked_signer(at, &zone_cands, acc) {
        ok = false;
    }
    let Some(n) = verify_with(at, owner_wire, &zone_cands, work, acc) else {
        return;
    };
    if ok {
        acc.valid += 1;
        if at.i == at.ctx.apex && at.s.rtype == rtype::DNSKEY {
            acc.dnskey_signers.push(n);
        }
    }
}

/// The RRSIG's signer is the zone apex (RFC 4035 §2.2, §5.3.1), its
/// Labels field that of the owner (RFC 4034 §3.1.3), its Original TTL not
/// below the RRset's (RFC 4034 §3.1.4), and its own TTL the RRset's (RFC
/// 4034 §3; only a warning). Returns false when the RRSIG is unusable.
fn field_rules(at: SigAt<'_>, want_labels: u8, apex_wire: &[u8], acc: &mut RrsigResult) -> bool {
    let SigAt { ctx, s, g, .. } = at;
    let f = &g.f;
    let tn = type_mnemonic(s.rtype);
    let mut ok = true;
    if lowercase_wire(&f.signer) != apex_wire {
        ok = false;
        let signer = crate::name::Name::from_wire(&f.signer)
            .map(|n| n.to_string())
            .unwrap_or_else(|_| "(malformed)".into());
        acc.findings.push(at.finding(
            Code::RrsigWrongSigner,
            format!(
                "RRSIG({tn}) signer name {signer} is not the zone apex {}",
                ctx.zone.origin
            ),
        ));
    }
    if f.labels != want_labels {
        ok = false;
        acc.findings.push(at.finding(
            Code::RrsigLabelsWrong,
            format!(
                "RRSIG({tn}) labels field {}, but the owner has {want_labels} label(s) (not counting a leading wildcard)",
                f.labels
            ),
        ));
    }
    if f.original_ttl < s.ttl {
        ok = false;
        acc.findings.push(at.finding(
            Code::RrsigOrigTtlLow,
            format!(
                "RRSIG({tn}) original TTL {} is lower than the RRset TTL {}",
                f.original_ttl, s.ttl
            ),
        ));
    }
    if g.row.ttl != s.ttl {
        acc.findings.push(at.finding(
            Code::RrsigTtlMismatch,
            format!(
                "RRSIG({tn}) TTL {} differs from the RRset TTL {}",
                g.row.ttl, s.ttl
            ),
        ));
    }
    ok
}

/// The verification time lies between inception and expiration (RFC 4034
/// §3.1.5, RFC 4035 §5.3.1), with a warning when the expiration is near.
/// Returns false when the RRSIG is unusable.
fn validity_rules(at: SigAt<'_>, acc: &mut RrsigResult) -> bool {
    let SigAt { ctx, s, g, .. } = at;
    let f = &g.f;
    let tn = type_mnemonic(s.rtype);
    let now = ctx.now32;
    let mut ok = true;
    acc.earliest = Earliest::min(
        acc.earliest,
        Some(Earliest {
            from_now: f.expiration.wrapping_sub(now) as i32,
            owner: at.i,
            rtype: s.rtype,
        }),
    );
    if !serial_le(f.inception, now) {
        ok = false;
        acc.findings.push(at.finding(
            Code::RrsigNotYetValid,
            format!(
                "RRSIG({tn}) not yet valid: inception {} is after {}",
                sig_time(f.inception),
                sig_time(now)
            ),
        ));
    }
    if !serial_le(now, f.expiration) {
        ok = false;
        acc.findings.push(at.finding(
            Code::RrsigExpired,
            format!(
                "RRSIG({tn}) expired: expiration {} is before {}",
                sig_time(f.expiration),
                sig_time(now)
            ),
        ));
    } else if f.expiration.wrapping_sub(now) < ctx.cfg.fail_expiry {
        acc.findings.push(at.finding(
            Code::RrsigExpiring,
            format!(
                "RRSIG({tn}) expires at {}, within --fail-expiring: re-sign the zone",
                sig_time(f.expiration)
            ),
        ));
    } else if f.expiration.wrapping_sub(now) < ctx.cfg.warn_expiry {
        acc.findings.push(at.finding(
            Code::RrsigExpiresSoon,
            format!(
                "RRSIG({tn}) expires at {}, within the warning period",
                sig_time(f.expiration)
            ),
        ));
    }
    ok
}

/// The zone keys (indices into `ctx.keys`) that may have made the RRSIG:
/// same tag and algorithm (RFC 4035 §5.3.1; tags collide, so each is
/// tried) and the Zone Key flag (RFC 4034 §2.1.1). `None` when there is
/// none.
fn signer_keys(at: SigAt<'_>, acc: &mut RrsigResult) -> Option<Vec<usize>> {
    let SigAt { ctx, s, g, .. } = at;
    let f = &g.f;
    let tn = type_mnemonic(s.rtype);
    let cands: Vec<usize> = ctx
        .keys
        .iter()
        .enumerate()
        .filter(|(_, k)| k.tag == f.key_tag && k.dnskey.algorithm == f.algorithm)
        .map(|(n, _)| n)
        .collect();
    if cands.is_empty() {
        acc.findings.push(at.finding(
            Code::RrsigUnknownKeytag,
            format!(
                "RRSIG({tn}) key tag {} algorithm {} matches no DNSKEY of the zone",
                f.key_tag, f.algorithm
            ),
        ));
        return None;
    }
    let zone_cands: Vec<usize> = cands
        .iter()
        .copied()
        .filter(|&n| ctx.keys[n].dnskey.is_zone_key())
        .collect();
    if zone_cands.is_empty() {
        acc.findings.push(at.finding(
            Code::DnskeyZoneFlagClear,
            format!(
                "RRSIG({tn}) made by DNSKEY {} whose Zone Key flag is clear (flags {}): it must not be used to verify RRSIGs",
                f.key_tag, ctx.keys[cands[0]].dnskey.flags
            ),
        ));
        return None;
    }
    Some(zone_cands)
}

/// The signature over the canonical RRset (RFC 4034 §3.1.8.1) verifies
/// with one of `zone_cands` (RFC 4035 §5.3.3); returns that key. `None`
/// when it does not, when the algorithm is one this verifier cannot check
/// (RFC 8624 §3.1), or when `--crypto` leaves this RRset out.
fn verify_with(
    at: SigAt<'_>,
    owner_wire: &[u8],
    zone_cands: &[usize],
    work: &mut Work,
    acc: &mut RrsigResult,
) -> Option<usize> {
    let SigAt { ctx, i, s, g } = at;
    let zone = ctx.zone;
    let f = &g.f;
    let tn = type_mnemonic(s.rtype);
    if Algorithm::from_number(f.algorithm).is_err() {
        acc.findings.push(at.finding(
            Code::RrsigUnsupportedAlgorithm,
            format!(
                "RRSIG({tn}) uses algorithm {}, which this verifier cannot check",
                f.algorithm
            ),
        ));
        return None;
    }
    if !ctx.crypto_wanted(i, s.rtype) {
        return None;
    }
    let buf = &mut work.buf;
    buf.clear();
    signed_data(
        f,
        owner_wire,
        zone.class,
        s.rows.iter().map(|r| zone.rdata(r)),
        buf,
    );
    acc.verified += 1;
    // The first key that can check it is the one a check one by one
    // would try first: queued, it stands for that check (`check_chunk`).
    if let Some(deferred) = work.deferred.as_mut() {
        let first = zone_cands
            .iter()
            .find_map(|&n| ctx.keys[n].verifier.as_ref().ok().map(|v| (n, v)));
        if let Some((n, _)) = first.filter(|(_, v)| v.batchable()) {
            deferred.push(n, buf, g.sig);
            return Some(n);
        }
    }
    let mut err = None;
    for &n in zone_cands {
        match &ctx.keys[n].verifier {
            Ok(v) if v.verify(buf, g.sig) => return Some(n),
            Ok(_) => {}
            Err(e) => err = Some(e),
        }
    }
    let why = match err {
        Some(e) => format!("cannot be checked with DNSKEY {}: {e}", f.key_tag),
        None => format!("does not verify with DNSKEY {}", f.key_tag),
    };
    acc.findings.push(at.finding(
        Code::RrsigBadSignature,
        format!("RRSIG({tn}) signature over the canonical RRset {why}"),
    ));
    None
}

/// RFC 4034 §3.1.5: the window is read in serial arithmetic, so an
/// expiration not after the inception (or 2^31 s or more past it, which
/// wraps) leaves no instant at which RFC 4035 §5.3.1 lets the RRSIG be
/// used. RFC 4034 §3.1.4: the Original TTL is the TTL "as it appears in
/// the authoritative zone"; a higher one verifies over its own signed
/// data but not over the RRset as published (BIND and Knot reject it too).
/// Returns false when the RRSIG is unusable.
fn window_and_ttl_rules(at: SigAt<'_>, acc: &mut RrsigResult) -> bool {
    let SigAt { s, g, .. } = at;
    let f = &g.f;
    let tn = type_mnemonic(s.rtype);
    let mut ok = true;
    if (f.expiration.wrapping_sub(f.inception) as i32) <= 0 {
        ok = false;
        acc.findings.push(at.finding(
            Code::RrsigWindowInverted,
            format!(
                "RRSIG({tn}) expiration {} is not after inception {} in serial arithmetic (RFC 1982): the window is empty",
                sig_time(f.expiration),
                sig_time(f.inception)
            ),
        ));
    }
    if f.original_ttl > s.ttl {
        ok = false;
        acc.findings.push(at.finding(
            Code::RrsigOrigTtlHigh,
            format!(
                "RRSIG({tn}) original TTL {} is above the RRset TTL {} in the zone",
                f.original_ttl, s.ttl
            ),
        ));
    }
    ok
}

/// RFC 5011 §2.1: a resolver that sees the REVOKE bit "MUST NOT use this
/// key ... for any other purpose except to validate the RRSIG it signed
/// over the DNSKEY RRset". So an RRSIG whose only candidate keys are
/// revoked is unusable anywhere but over the apex DNSKEY RRset. Returns
/// true when it reported that.
fn revoked_signer(at: SigAt<'_>, zone_cands: &[usize], acc: &mut RrsigResult) -> bool {
    let SigAt { ctx, i, s, g } = at;
    let dnskey_rrset = i == ctx.apex && s.rtype == rtype::DNSKEY;
    if dnskey_rrset || !zone_cands.iter().all(|&n| ctx.keys[n].dnskey.is_revoked()) {
        return false;
    }
    acc.findings.push(at.finding(
        Code::RrsigByRevokedKey,
        format!(
            "RRSIG({}) made by DNSKEY {}, which has the REVOKE flag: a revoked key may only sign the DNSKEY RRset",
            type_mnemonic(s.rtype),
            g.f.key_tag
        ),
    ));
    true
}

/// `YYYYMMDDHHMMSS` of a 32-bit RRSIG time (taken as the nearest to 1970
/// onward; RRSIG times wrap in 2106).
pub(crate) fn sig_time(t: u32) -> String {
    match time::OffsetDateTime::from_unix_timestamp(i64::from(t)) {
        Ok(dt) => format!(
            "{:04}{:02}{:02}{:02}{:02}{:02}",
            dt.year(),
            u8::from(dt.month()),
            dt.day(),
            dt.hour(),
            dt.minute(),
            dt.second()
        ),
        Err(_) => t.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use super::*;

    /// NSEC-less zone: only the RRSIG codes matter here.
    const ZONE: &str = example_zone!(
        "*.w.example. IN A 192.0.2.2",
        "sub.example. IN NS ns.sub.example.",
        "ns.sub.example. IN A 192.0.2.3"
    );

    fn authoritative(o: &str, t: u16) -> bool {
        !o.ends_with("sub.example.") || (t != rtype::NS && t != rtype::A)
    }

    /// The signature (last field) of `line` with its first octet changed.
    fn corrupt(line: &str) -> String {
        let (head, sig) = line.rsplit_once(' ').unwrap();
        let first = if sig.starts_with('A') { 'B' } else { 'A' };
        format!("{head} {first}{}", &sig[1..])
    }

    #[test]
    fn one_bad_ed25519_signature_among_many_chunks_is_named_alone() {
        // Enough owners for several chunks (each one Ed25519 batch): the
        // batches without the bad signature pass, its own falls back to
        // checks one by one.
        let mut zone = example_zone!().to_string();
        for n in 0..(CHUNK_OWNERS * 6) {
            zone.push_str(&format!("h{n}.example. IN A 192.0.2.{}\n", n % 250 + 1));
        }
        let k = key(true);
        let text = sign(&zone, &k, |_, _| true, |_, _, _| {});
        let mut changed = 0;
        let text: String = text
            .lines()
            .map(|l| {
                if l.starts_with("h77.example. ") && l.contains(" RRSIG A ") {
                    changed += 1;
                    corrupt(l)
                } else {
                    l.to_string()
                }
            })
            .map(|l| l + "\n")
            .collect();
        assert_eq!(changed, 1);
        let r = verify_text(&text);
        let bad: Vec<_> = errors(&r)
            .into_iter()
            .filter(|(c, _, _)| c != "denial-missing")
            .collect();
        assert_eq!(
            bad,
            [(
                "rrsig-bad-signature".to_string(),
                "h77.example.".to_string(),
                "A".to_string()
            )]
        );
        assert_eq!(r.summary.rrsigs_valid + 1, r.summary.rrsigs);
        assert!(r.summary.rrsigs > (CHUNK_OWNERS * 6) as u64);
    }

    #[test]
    fn a_well_signed_zone_has_no_rrsig_finding() {
        let k = key(true);
        let r = verify_text(&sign(ZONE, &k, authoritative, |_, _, _| {}));
        let errs = errors(&r);
        assert!(
            errs.iter().all(|(c, _, _)| c == "denial-missing"),
            "{errs:?}"
        );
        assert_eq!(r.summary.rrsigs, r.summary.rrsigs_valid);
    }

    #[test]
    fn wildcard_owner_labels_are_one_less() {
        let k = key(true);
        // labels_field already gives 2 for *.w.example.; forcing 3 is wrong.
        let text = sign(ZONE, &k, authoritative, |o, _, f| {
            if o == "*.w.example." {
                f.labels = 3
            }
        });
        let r = verify_text(&text);
        assert_has(&r, "rrsig-labels-wrong", "*.w.example.", "A");
    }

    #[test]
    fn field_problems_each_have_their_code() {
        let k = key(true);
        let text = sign(ZONE, &k, authoritative, |o, t, f| match (o, t) {
            ("ns.example.", rtype::A) => f.original_ttl = 60,
            ("example.", rtype::NS) => f.signer = b"\x07example\x03net\x00".to_vec(),
            ("example.", rtype::SOA) => f.expiration = INCEPTION + 10,
            ("example.", rtype::DNSKEY) => f.inception = EXPIRATION - 10,
            _ => {}
        });
        let r = verify_text(&text);
        for (code, owner, t) in [
            ("rrsig-orig-ttl-low", "ns.example.", "A"),
            ("rrsig-wrong-signer", "example.", "NS"),
            ("rrsig-expired", "example.", "SOA"),
            ("rrsig-not-yet-valid", "example.", "DNSKEY"),
        ] {
            assert!(has(&r, code, owner, t), "{code}: {:?}", errors(&r));
        }
        // The signatures themselves are fine.
        assert!(!errors(&r)
            .iter()
            .any(|(c, _, _)| c == "rrsig-bad-signature"));
    }

    #[test]
    fn glue_delegation_ns_and_orphans() {
        let k = key(true);
        let text = sign(ZONE, &k, |_, _| true, |_, _, _| {});
        let r = verify_text(&text);
        assert_has(&r, "rrsig-over-glue", "ns.sub.example.", "A");
        assert!(has(&r, "rrsig-over-delegation", "sub.example.", "NS"));
        // Remove the wildcard's A, keep its RRSIG: an orphan.
        let orphaned: String = text
            .lines()
            .filter(|l| !l.starts_with("*.w.example. IN A"))
            .map(|l| format!("{l}\n"))
            .collect();
        let r = verify_text(&orphaned);
        assert_has(&r, "rrsig-orphan", "*.w.example.", "A");
    }

    #[test]
    fn unsigned_and_unknown_key() {
        let k = key(true);
        let text = sign(
            ZONE,
            &k,
            |o, t| authoritative(o, t) && o != "ns.example.",
            |o, _, f| {
                if o == "*.w.example." {
                    f.key_tag = f.key_tag.wrapping_add(1)
                }
            },
        );
        let r = verify_text(&text);
        assert_has(&r, "rrset-no-rrsig", "ns.example.", "A");
        assert!(has(&r, "rrsig-unknown-keytag", "*.w.example.", "A"));
    }

    #[test]
    fn every_algorithm_of_the_dnskey_rrset_is_required() {
        let k = key(true);
        let text = sign(ZONE, &k, authoritative, |_, _, _| {});
        // A second zone key of another algorithm (P-256) that signs nothing.
        let other = crate::keys::generate(
            &crate::name::Name::from_ascii("example.").unwrap(),
            crate::keys::Algorithm::EcdsaP256Sha256,
            false,
            None,
        )
        .unwrap();
        let text = format!(
            "{text}example. 3600 IN DNSKEY {}\n",
            other.dnskey().rdata_text()
        );
        let r = verify_text(&text);
        assert_has(&r, "rrset-missing-algorithm", "ns.example.", "A");
    }

    #[test]
    fn sig_time_prints_rrsig_form() {
        assert_eq!(sig_time(INCEPTION), "20260101000000");
    }
}
