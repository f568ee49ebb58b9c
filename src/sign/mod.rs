//! Signing's building blocks: the signature window (RFC 4034 §3.1.5), the
//! keys a run signs with and their roles ([`SigningKeys`], [`keyset`]),
//! RRSIGs for every RRset that needs one, one per signing key, in parallel
//! ([`sign_zone`], RFC 4035 §2.2, RFC 4034 §3.1.8.1), and ZONEMD in a
//! signed zone ([`zonemd`]). The job that runs them in order, from the zone
//! file to the published output, is [`crate::job::sign`]: nothing here
//! reads the zone file, verifies or publishes the output.
//!
//! The work list is built once, in output order; rayon splits it into
//! chunks, each with its own scratch buffer; chunks return their RRSIG
//! RDATA in an arena and are concatenated in order, so the result does not
//! depend on the number of threads.

pub mod cadence;
pub mod keyset;
pub mod reuse;
pub mod serial;
pub mod zonemd;

use rayon::prelude::*;

use crate::denial::nsec::NsecChain;
use crate::denial::nsec3::Nsec3Chain;
use crate::keys::{KeyError, SigningKey, VerifyingKey};
use crate::name::Name;
use crate::rdata::rtype;
use crate::rrsig::{labels_field, signed_data, RrsigFields};
use crate::signed::{RrsigEntry, Signatures};
use crate::zone::{NameKind, Rrset, Zone};
use reuse::{Previous, ReuseCounts, ReuseRule, RrsetView};

/// Why signing failed.
#[derive(Debug, thiserror::Error)]
pub enum SignError {
    #[error("signing {owner} {rtype} with key {key_tag} failed: {source}")]
    Crypto {
        owner: String,
        rtype: String,
        key_tag: u16,
        #[source]
        source: Box<KeyError>,
    },
    #[error("no active key can sign the zone: {0}")]
    NoKeys(String),
    /// A window no resolver can ever accept (RFC 4034 §3.1.5): cannot be forced.
    #[error("signature validity: {0}")]
    Window(String),
    /// A window that is valid in itself but wrong at the signing time:
    /// expired, not yet begun, or outlived by cached data.
    #[error("signature validity: {problems}; sign anyway with --allow-unsafe-window")]
    UnsafeWindow { problems: String },
}

/// A key the signer can use. Implemented by [`crate::keys::SigningKey`];
/// tests may bring their own.
pub trait ZoneSigningKey: Sync {
    fn algorithm(&self) -> u8;
    fn key_tag(&self) -> u16;
    /// Signs `data`, returning the DNSSEC wire-format signature.
    fn sign(&self, data: &[u8]) -> Result<Vec<u8>, KeyError>;
    /// The DNSKEY public key field (RFC 4034 §2.1.4), to verify a previous
    /// signature before keeping it; `None`: previous signatures by this
    /// signer are never kept.
    fn public_key(&self) -> Option<&[u8]> {
        None
    }
    /// The public key prepared for verification; `None` as for
    /// [`ZoneSigningKey::public_key`].
    fn verifier(&self) -> Option<&VerifyingKey> {
        None
    }
}

/// The signer of a key pair is the pair itself.
impl ZoneSigningKey for SigningKey {
    fn algorithm(&self) -> u8 {
        SigningKey::algorithm(self).number()
    }
    fn key_tag(&self) -> u16 {
        SigningKey::key_tag(self).0
    }
    fn sign(&self, data: &[u8]) -> Result<Vec<u8>, KeyError> {
        SigningKey::sign(self, data)
    }
    fn public_key(&self) -> Option<&[u8]> {
        Some(&self.dnskey().public_key)
    }
    fn verifier(&self) -> Option<&VerifyingKey> {
        SigningKey::verifier(self)
    }
}

/// RRSIG times are 32-bit serial numbers (RFC 4034 §3.1.5, RFC 1982):
/// two of them compare only when less than 2^31 seconds apart.
const SERIAL_HALF: i64 = 1 << 31;

impl<T: ZoneSigningKey + ?Sized> ZoneSigningKey for &T {
    fn algorithm(&self) -> u8 {
        (**self).algorithm()
    }
    fn key_tag(&self) -> u16 {
        (**self).key_tag()
    }
    fn sign(&self, data: &[u8]) -> Result<Vec<u8>, KeyError> {
        (**self).sign(data)
    }
    fn public_key(&self) -> Option<&[u8]> {
        (**self).public_key()
    }
    fn verifier(&self) -> Option<&VerifyingKey> {
        (**self).verifier()
    }
}

/// When signatures are valid (RFC 4034 §3.1.5). Only [`SignatureWindow::new`]
/// makes one, so every window the signer sees can be valid at some time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignatureWindow {
    /// Seconds since the epoch.
    inception: i64,
    expiration: i64,
    /// Expirations are spread over `[expiration - jitter, expiration]`,
    /// by a hash of owner and type, so re-signing load is spread out and a
    /// rerun with the same inputs gives the same output.
    jitter: u32,
}

impl SignatureWindow {
    /// A window that some validator at some time can accept, judged at
    /// `now` (RFC 4034 §3.1.5): the expiration after the inception, both
    /// after 1970, the window (and every jittered expiration in it) less
    /// than 2^31 s wide, and both times less than 2^31 s from `now`, so
    /// the 32-bit fields do not wrap for a validator running at `now`.
    /// None of these can be forced; for what can, see [`Self::unsafe_at`].
    pub fn new(
        inception: i64,
        expiration: i64,
        jitter: u32,
        now: i64,
    ) -> Result<SignatureWindow, SignError> {
        let show = crate::timespec::format_yyyymmddhhmmss;
        let bad = |m: String| Err(SignError::Window(m));
        if inception < 0 || expiration < 0 {
            return bad(format!(
                "{} {} is before 1970; RRSIG times cannot hold it",
                if inception < 0 {
                    "inception"
                } else {
                    "expiration"
                },
                if inception < 0 { inception } else { expiration }
            ));
        }
        if expiration <= inception {
            return bad(format!(
                "expiration {} is not after inception {}",
                show(expiration),
                show(inception)
            ));
        }
        let width = expiration - inception;
        if width >= SERIAL_HALF {
            return bad(format!(
                "the window from {} to {} is {width} s wide; RRSIG times compare in serial arithmetic only up to 2^31-1 s (about 68 years)",
                show(inception),
                show(expiration)
            ));
        }
        for (what, t) in [("inception", inception), ("expiration", expiration)] {
            if t.checked_sub(now)
                .is_none_or(|d| d.unsigned_abs() >= SERIAL_HALF as u64)
            {
                return bad(format!(
                    "{what} {} is 2^31 s or more from now ({}): the 32-bit RRSIG field wraps and validators read another date",
                    show(t),
                    show(now)
                ));
            }
        }
        if i64::from(jitter) >= width {
            return bad(format!(
                "jitter {jitter}s is not shorter than the validity period {width}s: some expirations would not be after the inception"
            ));
        }
        Ok(SignatureWindow {
            inception,
            expiration,
            jitter,
        })
    }

    pub fn inception(&self) -> i64 {
        self.inception
    }

    /// The latest expiration; RRSIGs expire between
    /// [`Self::earliest_expiration`] and this.
    pub fn expiration(&self) -> i64 {
        self.expiration
    }

    pub fn jitter(&self) -> u32 {
        self.jitter
    }

    /// The same window with expirations spread over `jitter` seconds, no
    /// more than now (so every rule [`Self::new`] checked still holds).
    pub fn with_narrower_jitter(self, jitter: u32) -> SignatureWindow {
        SignatureWindow {
            jitter: jitter.min(self.jitter),
            ..self
        }
    }

    /// The expiration of the RRSIG that expires first.
    pub fn earliest_expiration(&self) -> i64 {
        self.expiration - i64::from(self.jitter)
    }

    /// What is wrong with the window at `now` that a user may knowingly
    /// accept: signatures already expired or not yet valid (RFC 4035
    /// §5.3.1), or expiring before data cached for `max_ttl` seconds from
    /// now does (RFC 4035 §5.3.3 limits cached TTLs to the signature's
    /// validity, so such data is refetched and bogus). Empty when safe.
    pub fn unsafe_at(&self, now: i64, max_ttl: Option<u32>) -> Vec<String> {
        let show = crate::timespec::format_yyyymmddhhmmss;
        let mut out = Vec::new();
        let first = self.earliest_expiration();
        if self.expiration <= now {
            out.push(format!(
                "every signature has expired: expiration {} is not after now ({})",
                show(self.expiration),
                show(now)
            ));
        } else if first <= now {
            out.push(format!(
                "some signatures have expired: with the jitter the earliest expiration is {}, not after now ({})",
                show(first),
                show(now)
            ));
        }
        if self.inception > now {
            out.push(format!(
                "no signature is valid yet: inception {} is after now ({})",
                show(self.inception),
                show(now)
            ));
        }
        if let Some(ttl) = max_ttl {
            if first > now && first - now < i64::from(ttl) {
                out.push(format!(
                    "signatures expire {} s from now (earliest expiration {}), before data cached with the maximum TTL {ttl} s would",
                    first - now,
                    show(first)
                ));
            }
        }
        out
    }

    /// [`Self::unsafe_at`] as a result: an error unless `allow_unsafe`,
    /// else the problems as warnings.
    pub fn check_at(
        &self,
        now: i64,
        max_ttl: Option<u32>,
        allow_unsafe: bool,
    ) -> Result<Vec<String>, SignError> {
        let problems = self.unsafe_at(now, max_ttl);
        if problems.is_empty() || allow_unsafe {
            return Ok(problems
                .into_iter()
                .map(|p| format!("signature validity (allowed by --allow-unsafe-window): {p}"))
                .collect());
        }
        Err(SignError::UnsafeWindow {
            problems: problems.join("; "),
        })
    }

    /// A time inside the window, as close to `now` as can be: `now` itself
    /// for a safe window. The output check of a forced window verifies at
    /// this time, so the window problems the user accepted are not
    /// findings while every other rule still is.
    pub fn nearest_valid_time(&self, now: i64) -> i64 {
        now.clamp(self.inception, self.earliest_expiration())
    }

    /// Expiration for one RRset: deterministic in (owner, type), never
    /// before [`Self::earliest_expiration`]. Times past 2^32 wrap, as
    /// serial arithmetic wants (RFC 4034 §3.1.5).
    fn expiration_for(&self, owner_key: &[u8], rtype: u16) -> u32 {
        if self.jitter == 0 {
            return self.expiration as u32;
        }
        // FNV-1a: cheap, stable across runs and platforms.
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for &b in owner_key.iter().chain(&rtype.to_be_bytes()) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        (self.expiration - (h % (u64::from(self.jitter) + 1)) as i64) as u32
    }
}

/// The keys for one run: KSKs sign the apex DNSKEY/CDS/CDNSKEY RRsets,
/// ZSKs everything else (RFC 4035 §2.2, RFC 6781 §3.1). With no ZSK the
/// KSKs sign everything (a combined signing key).
pub struct SigningKeys<'k> {
    pub ksks: Vec<&'k dyn ZoneSigningKey>,
    pub zsks: Vec<&'k dyn ZoneSigningKey>,
}

impl<'k> SigningKeys<'k> {
    /// The keys that sign `t`, and the index of the first in
    /// [`Self::run_keys`].
    fn for_type(&self, at_apex: bool, t: u16) -> (usize, &[&'k dyn ZoneSigningKey]) {
        let key_set = at_apex && matches!(t, rtype::DNSKEY | rtype::CDS | rtype::CDNSKEY);
        if (key_set && !self.ksks.is_empty()) || self.zsks.is_empty() {
            (0, &self.ksks)
        } else {
            (self.ksks.len(), &self.zsks)
        }
    }

    /// Algorithm and key tag of every key, KSKs first: what an RRSIG
    /// entry's key index names ([`Signatures::keys`]).
    fn run_keys(&self) -> Result<Vec<(u8, u16)>, SignError> {
        let v: Vec<(u8, u16)> = self
            .ksks
            .iter()
            .chain(&self.zsks)
            .map(|k| (k.algorithm(), k.key_tag()))
            .collect();
        if v.len() >= usize::from(crate::signed::KEPT) {
            return Err(SignError::NoKeys(format!(
                "{} signing keys: at most {} can sign one zone",
                v.len(),
                crate::signed::KEPT - 1
            )));
        }
        Ok(v)
    }
}

/// What is being signed.
#[derive(Debug, Clone, Copy)]
enum What {
    /// Rows of the zone: index range into `zone.rows`.
    Rows(u32, u32),
    /// NSEC entry `k`.
    Nsec(u32),
    /// NSEC3 entry `k`.
    Nsec3(u32),
}

/// One RRset to sign.
#[derive(Debug, Clone, Copy)]
struct Job {
    /// Owner index for zone RRsets and NSEC; unused for NSEC3.
    owner: u32,
    rtype: u16,
    ttl: u32,
    what: What,
}

/// What one signing chunk produced.
struct ChunkOut {
    entries: Vec<RrsigEntry>,
    arena: Vec<u8>,
    counts: ReuseCounts,
}

/// The previous signed zone of a re-sign and when its signatures may be
/// kept ([`reuse`]).
#[derive(Clone, Copy)]
pub struct Reuse<'p> {
    pub previous: &'p Previous,
    pub rule: ReuseRule,
}

/// Owners (or NSEC3 records) per rayon task: small enough to balance two
/// cores, big enough that the hand-off is noise next to the signatures.
/// Each task plans its own RRsets, so no list of every RRset of the zone
/// is ever held (at 10M names that list was 760 MB beside the signatures).
const TASK_OWNERS: usize = 128;

/// One task's share of the work: a range of zone owners (their RRsets and
/// NSEC records) or of NSEC3 records.
#[derive(Debug, Clone, Copy)]
enum Task {
    Owners(u32, u32),
    Nsec3(u32, u32),
}

/// The tasks of a run, in output order: owners, then NSEC3 records (the
/// writer merges those in by name).
fn tasks(zone: &Zone, nsec3: Option<&Nsec3Chain>) -> Vec<Task> {
    let ranges = |n: usize| {
        (0..n)
            .step_by(TASK_OWNERS)
            .map(move |s| (s as u32, (s + TASK_OWNERS).min(n) as u32))
    };
    let mut v: Vec<Task> = ranges(zone.owners.len())
        .map(|(a, b)| Task::Owners(a, b))
        .collect();
    if let Some(c) = nsec3 {
        v.extend(ranges(c.entries.len()).map(|(a, b)| Task::Nsec3(a, b)));
    }
    v
}

/// Signs the zone, keeping what `reuse` allows of a previous signed zone.
/// `progress(total, done)` is called once with the number of RRsets to
/// sign (`done` 0), then after each task with the number done (for a
/// progress bar; may be a no-op). Returns the signatures and what was kept
/// and made.
#[allow(clippy::too_many_arguments)]
pub fn sign_zone(
    zone: &Zone,
    keys: &SigningKeys<'_>,
    nsec: Option<&NsecChain>,
    nsec3: Option<&Nsec3Chain>,
    window: &SignatureWindow,
    reuse: Option<Reuse<'_>>,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<(Signatures, ReuseCounts), SignError> {
    if keys.ksks.is_empty() && keys.zsks.is_empty() {
        return Err(SignError::NoKeys("no active KSK or ZSK".into()));
    }
    let run_keys = keys.run_keys()?;
    progress(count_jobs(zone, nsec, nsec3), 0);
    let signer = zone.origin.to_lowercase();
    let tasks = tasks(zone, nsec3);
    let chunks: Vec<Result<ChunkOut, SignError>> = tasks
        .par_iter()
        .map_init(
            || (Vec::with_capacity(4096), Vec::new()),
            |(data, jobs), task| {
                jobs.clear();
                plan_task(zone, nsec, nsec3, *task, jobs);
                let mut out = ChunkOut {
                    entries: Vec::new(),
                    arena: Vec::new(),
                    counts: ReuseCounts::default(),
                };
                let ctx = JobCtx {
                    zone,
                    keys,
                    nsec,
                    nsec3,
                    window,
                    signer: &signer,
                    reuse,
                };
                for job in jobs.iter() {
                    sign_job(&ctx, job, data, &mut out)?;
                }
                // Held until the zone is written: no spare capacity (the
                // vectors grew by doubling; at 10M names the slack was
                // hundreds of MB).
                out.entries.shrink_to_fit();
                out.arena.shrink_to_fit();
                progress(0, jobs.len() as u64);
                Ok(out)
            },
        )
        .collect();
    drop(tasks);
    let chunks = chunks.into_iter().collect::<Result<Vec<_>, _>>()?;
    let mut all = Signatures {
        entries: Vec::with_capacity(chunks.iter().map(|c| c.entries.len()).sum()),
        arenas: Vec::with_capacity(chunks.len()),
        signer: signer.as_wire().to_vec(),
        inception: window.inception as u32,
        keys: run_keys,
    };
    let mut counts = ReuseCounts::default();
    for c in chunks {
        counts.add(&c.counts);
        let id = all.arenas.len() as u32;
        all.entries.extend(c.entries.into_iter().map(|mut e| {
            e.arena = id;
            e
        }));
        all.arenas.push(c.arena);
    }
    Ok((all, counts))
}

/// Signs one RRset of the zone again (after its RDATA changed: the ZONEMD
/// digest, RFC 8976 §3.5; the SOA serial) and puts the new RRSIGs where the
/// old ones were, keeping a previous zone's where `reuse` allows. Returns
/// what was kept and made.
pub fn resign_rrset(
    zone: &Zone,
    keys: &SigningKeys<'_>,
    window: &SignatureWindow,
    owner: usize,
    rtype: u16,
    sigs: &mut Signatures,
    reuse: Option<Reuse<'_>>,
) -> Result<ReuseCounts, SignError> {
    let Some(set) = zone.rrset(owner, rtype) else {
        return Ok(ReuseCounts::default());
    };
    let job = Job {
        owner: owner as u32,
        rtype,
        ttl: set.ttl,
        what: rows_of(zone, &set),
    };
    let mut out = ChunkOut {
        entries: Vec::new(),
        arena: Vec::new(),
        counts: ReuseCounts::default(),
    };
    let signer = zone.origin.to_lowercase();
    let mut data = Vec::new();
    let ctx = JobCtx {
        zone,
        keys,
        nsec: None,
        nsec3: None,
        window,
        signer: &signer,
        reuse,
    };
    sign_job(&ctx, &job, &mut data, &mut out)?;
    let old = rrsigs_over(sigs, owner, rtype);
    if sigs.keys != keys.run_keys()?
        || sigs.signer != signer.as_wire()
        || sigs.inception != window.inception as u32
    {
        return Err(SignError::NoKeys(
            "internal: an RRset signed again with other keys or window than the zone".into(),
        ));
    }
    if old.len() != out.entries.len() {
        return Err(SignError::NoKeys(format!(
            "internal: {} RRSIGs to replace, {} made",
            old.len(),
            out.entries.len()
        )));
    }
    let arena = sigs.arenas.len() as u32;
    for (slot, mut e) in sigs.entries[old].iter_mut().zip(out.entries) {
        e.arena = arena;
        *slot = e;
    }
    sigs.arenas.push(out.arena);
    Ok(out.counts)
}

/// Where in `sigs.entries` the RRSIGs over the RRset `rtype` of `owner`
/// are (one run: the entries are in output order).
pub(crate) fn rrsigs_over(sigs: &Signatures, owner: usize, rtype: u16) -> std::ops::Range<usize> {
    let first = sigs
        .entries
        .iter()
        .position(|e| e.owner() == owner as u32 && e.type_covered == rtype);
    match first {
        Some(f) => {
            f..f + sigs.entries[f..]
                .iter()
                .take_while(|e| e.owner() == owner as u32 && e.type_covered == rtype)
                .count()
        }
        None => 0..0,
    }
}

/// The rows of `set` as a range of `zone.rows`.
fn rows_of(zone: &Zone, set: &Rrset<'_>) -> What {
    let start = set.rows.as_ptr() as usize - zone.rows.as_ptr() as usize;
    let start = (start / std::mem::size_of::<crate::zone::Row>()) as u32;
    What::Rows(start, start + set.rows.len() as u32)
}

/// Whether the RRset `rtype` of an owner of `kind` is signed (RFC 4035
/// §2.2: at a cut only DS, and NSEC, are; glue and occluded data never).
fn is_signed(kind: NameKind, rtype: u16) -> bool {
    match kind {
        NameKind::Apex | NameKind::Authoritative => rtype != rtype::RRSIG,
        NameKind::Delegation => rtype == rtype::DS,
        NameKind::Glue | NameKind::Occluded => false,
    }
}

/// How many RRsets a run signs (for the progress bar's total).
fn count_jobs(zone: &Zone, nsec: Option<&NsecChain>, nsec3: Option<&Nsec3Chain>) -> u64 {
    let sets: usize = (0..zone.owners.len())
        .into_par_iter()
        .map(|i| {
            let kind = zone.owners[i].kind;
            zone.rrsets(i).filter(|s| is_signed(kind, s.rtype)).count()
        })
        .sum();
    (sets + nsec.map_or(0, |c| c.entries.len()) + nsec3.map_or(0, |c| c.entries.len())) as u64
}

/// One task's work list, in output order: per owner its RRsets, then its
/// NSEC; or the task's NSEC3 records.
fn plan_task(
    zone: &Zone,
    nsec: Option<&NsecChain>,
    nsec3: Option<&Nsec3Chain>,
    task: Task,
    jobs: &mut Vec<Job>,
) {
    match task {
        Task::Owners(a, b) => {
            // The chain's entries are in owner order.
            let mut k = nsec.map_or(0, |c| c.entries.partition_point(|e| e.owner < a));
            for i in a as usize..b as usize {
                let kind = zone.owners[i].kind;
                for set in zone.rrsets(i) {
                    if is_signed(kind, set.rtype) {
                        jobs.push(Job {
                            owner: i as u32,
                            rtype: set.rtype,
                            ttl: set.ttl,
                            what: rows_of(zone, &set),
                        });
                    }
                }
                if let Some(c) = nsec {
                    if c.entries.get(k).is_some_and(|e| e.owner as usize == i) {
                        jobs.push(Job {
                            owner: i as u32,
                            rtype: rtype::NSEC,
                            ttl: c.ttl,
                            what: What::Nsec(k as u32),
                        });
                        k += 1;
                    }
                }
            }
        }
        Task::Nsec3(a, b) => {
            let ttl = nsec3.map_or(0, |c| c.ttl);
            jobs.extend((a..b).map(|k| Job {
                owner: u32::MAX,
                rtype: rtype::NSEC3,
                ttl,
                what: What::Nsec3(k),
            }));
        }
    }
}

/// What every job of a run signs with.
struct JobCtx<'a> {
    zone: &'a Zone,
    keys: &'a SigningKeys<'a>,
    nsec: Option<&'a NsecChain>,
    nsec3: Option<&'a Nsec3Chain>,
    window: &'a SignatureWindow,
    signer: &'a Name,
    reuse: Option<Reuse<'a>>,
}

/// Makes the RRSIGs of one job, one per key that signs its type
/// (RFC 4035 §2.2), into `out`, or keeps the previous zone's where
/// [`reuse`] allows; `data` is scratch space.
fn sign_job(
    ctx: &JobCtx<'_>,
    job: &Job,
    data: &mut Vec<u8>,
    out: &mut ChunkOut,
) -> Result<(), SignError> {
    let JobCtx {
        zone,
        keys,
        nsec,
        nsec3,
        window,
        signer,
        reuse,
    } = *ctx;
    let (owner_name, at_apex) = job_owner(zone, nsec3, job)?;
    let owner_wire = owner_name.as_wire();
    let mut owner_key = Vec::with_capacity(owner_wire.len() + 2);
    crate::name::canonical_key_from_wire(owner_wire, &mut owner_key);
    let labels = labels_field(owner_wire);
    let expiration = window.expiration_for(&owner_key, job.rtype);
    let (first_key, signing) = keys.for_type(at_apex, job.rtype);
    for (n, key) in signing.iter().enumerate() {
        let made = Made {
            key: (first_key + n) as u8,
            labels,
            expiration,
        };
        let fields = RrsigFields {
            type_covered: job.rtype,
            algorithm: key.algorithm(),
            labels,
            original_ttl: job.ttl,
            expiration,
            inception: window.inception as u32,
            key_tag: key.key_tag(),
            signer: signer.as_wire().to_vec(),
        };
        let why = match reuse {
            Some(r) => {
                let set = RrsetView {
                    owner_key: &owner_key,
                    owner_wire,
                    rtype: job.rtype,
                    ttl: job.ttl,
                    class: zone.class,
                    rdatas: job_rdatas(zone, nsec, nsec3, job)?,
                };
                match r.previous.reusable(set, *key, &fields, &r.rule, data) {
                    Ok(kept) => {
                        push_rrsig(out, job, None, kept);
                        out.counts.kept += 1;
                        continue;
                    }
                    Err(why) => Some(why),
                }
            }
            None => None,
        };
        data.clear();
        job_signed_data(zone, nsec, nsec3, job, &fields, owner_wire, data)?;
        let sig = key.sign(data).map_err(|source| SignError::Crypto {
            owner: owner_name.to_string(),
            rtype: crate::rdata::type_mnemonic(job.rtype).into_owned(),
            key_tag: key.key_tag(),
            source: Box::new(source),
        })?;
        push_rrsig(out, job, Some(made), &sig);
        out.counts.count_new(why);
    }
    Ok(())
}

/// The canonical RDATA of the job's RRset, in canonical order.
fn job_rdatas<'z>(
    zone: &'z Zone,
    nsec: Option<&'z NsecChain>,
    nsec3: Option<&'z Nsec3Chain>,
    job: &Job,
) -> Result<JobRdatas<'z>, SignError> {
    Ok(match job.what {
        What::Rows(s, e) => JobRdatas::Rows(zone, &zone.rows[s as usize..e as usize]),
        What::Nsec(k) => {
            let c = nsec.ok_or_else(|| SignError::NoKeys("internal: no NSEC chain".into()))?;
            JobRdatas::One(Some(c.rdata(&c.entries[k as usize])))
        }
        What::Nsec3(k) => {
            let c = nsec3.ok_or_else(|| SignError::NoKeys("internal: no NSEC3 chain".into()))?;
            JobRdatas::One(Some(c.rdata(k as usize)))
        }
    })
}

/// An iterator over a job's RDATA (rows of the zone, or one chain record).
#[derive(Clone)]
enum JobRdatas<'z> {
    Rows(&'z Zone, &'z [crate::zone::Row]),
    One(Option<&'z [u8]>),
}

impl<'z> Iterator for JobRdatas<'z> {
    type Item = &'z [u8];
    fn next(&mut self) -> Option<&'z [u8]> {
        match self {
            JobRdatas::Rows(zone, rows) => {
                let (first, rest) = rows.split_first()?;
                *rows = rest;
                Some(zone.rdata(first))
            }
            JobRdatas::One(one) => one.take(),
        }
    }
}

/// The owner of the job's RRset, and whether it is the apex (where the
/// KSKs sign the DNSKEY RRset). An NSEC3 record is never at the apex.
fn job_owner(
    zone: &Zone,
    nsec3: Option<&Nsec3Chain>,
    job: &Job,
) -> Result<(Name, bool), SignError> {
    Ok(match job.what {
        What::Nsec3(k) => {
            let c = nsec3.ok_or_else(|| SignError::NoKeys("internal: no NSEC3 chain".into()))?;
            (c.owner(k as usize), false)
        }
        _ => (
            zone.owner_name(job.owner as usize),
            zone.owners[job.owner as usize].kind == NameKind::Apex,
        ),
    })
}

/// The data an RRSIG with `fields` signs over the job's RRset, appended
/// to `data` (RFC 4034 §3.1.8.1).
fn job_signed_data(
    zone: &Zone,
    nsec: Option<&NsecChain>,
    nsec3: Option<&Nsec3Chain>,
    job: &Job,
    fields: &RrsigFields,
    owner_wire: &[u8],
    data: &mut Vec<u8>,
) -> Result<(), SignError> {
    let rdatas = job_rdatas(zone, nsec, nsec3, job)?;
    signed_data(fields, owner_wire, zone.class, rdatas, data);
    Ok(())
}

/// What an RRSIG made in this run holds beyond the run's shared fields.
#[derive(Clone, Copy)]
struct Made {
    key: u8,
    labels: u8,
    expiration: u32,
}

/// Appends one RRSIG to the task's arena and entries: a signature `made`
/// in this run as its signature bytes, a kept one (`None`) as its whole
/// RDATA.
fn push_rrsig(out: &mut ChunkOut, job: &Job, made: Option<Made>, bytes: &[u8]) {
    let off = out.arena.len() as u32;
    out.arena.extend_from_slice(bytes);
    let (index, nsec3) = match job.what {
        What::Nsec3(k) => (k, true),
        _ => (job.owner, false),
    };
    let made = made.unwrap_or(Made {
        key: crate::signed::KEPT,
        labels: 0,
        expiration: 0,
    });
    out.entries.push(RrsigEntry {
        index,
        nsec3,
        type_covered: job.rtype,
        ttl: job.ttl,
        key: made.key,
        labels: made.labels,
        expiration: made.expiration,
        arena: 0,
        off,
        len: bytes.len() as u16,
    });
}
