//! The chain of trust into the zone (RFC 4035 §5.2): a DS set (or trust
//! anchor) must match a DNSKEY of the zone by key tag, algorithm and
//! digest (RFC 4034 §5.1.4), and that key must sign the DNSKEY RRset with
//! a valid RRSIG. Without a DS set the DNSKEY RRset's self-signature by a
//! SEP key is the anchor, and the report says so.
//!
//! A DNSKEY whose Zone Key flag (bit 7) is clear must not be used to
//! verify RRSIGs (RFC 4034 §2.1.1), even if a DS points at it.

use std::path::Path;

use super::finding::{Code, Finding, Severity};
use super::Ctx;
use crate::ds::{ds_digest, DigestType};
use crate::name::Name;
use crate::rdata::rtype;
use crate::zonefile::{
    read_zone, read_zone_bytes, ParseError, ParseErrors, ReadOptions, RecordRef, SourceFiles,
};

/// Where the chain of trust starts.
#[derive(Debug, Clone, Default)]
pub enum TrustAnchor {
    /// DS records at the apex in the zone file (parent-style) if any, else
    /// like [`TrustAnchor::DnskeyOnly`].
    #[default]
    Auto,
    /// The DNSKEY RRset's self-signature by a SEP key is the anchor.
    DnskeyOnly,
    /// DS and/or DNSKEY records (from `--ds` or `--trust-anchor`).
    Records {
        records: Vec<AnchorRecord>,
        /// For the report: where they came from.
        source: String,
    },
}

/// One DS or DNSKEY trust-anchor record and where it was read.
#[derive(Debug, Clone)]
pub struct AnchorRecord {
    pub rtype: u16,
    /// Wire RDATA.
    pub rdata: Vec<u8>,
    pub file: String,
    pub line: u32,
}

/// Reads a file of DS records (`allow_dnskey`: DS or DNSKEY records) for
/// the zone `apex` with the zone-file reader, so that errors carry
/// `file:line:column`. Records of other types are ignored (a dsset file or
/// a parent zone file both work); a DS or DNSKEY owned by another name is
/// an error, and so is a file without any.
pub fn load_anchor_file(
    path: &Path,
    apex: &Name,
    allow_dnskey: bool,
) -> Result<Vec<AnchorRecord>, ParseErrors> {
    load_anchor_file_limited(path, apex, allow_dnskey, crate::limits::Limits::default())
}

/// [`load_anchor_file`] with caps on bytes, records and `$GENERATE`
/// (`/dev/zero` as a DS file stops at the byte cap).
pub fn load_anchor_file_limited(
    path: &Path,
    apex: &Name,
    allow_dnskey: bool,
    limits: crate::limits::Limits,
) -> Result<Vec<AnchorRecord>, ParseErrors> {
    anchors_from(apex, allow_dnskey, limits, |opts, sink| {
        read_zone(path, opts, sink)
    })
}

/// [`load_anchor_file`] for text held in memory (`display` names it in
/// messages; no `$INCLUDE`).
pub fn load_anchor_bytes(
    text: &[u8],
    display: &str,
    apex: &Name,
    allow_dnskey: bool,
) -> Result<Vec<AnchorRecord>, ParseErrors> {
    anchors_from(
        apex,
        allow_dnskey,
        crate::limits::Limits::default(),
        |opts, sink| read_zone_bytes(text, display, opts, sink),
    )
}

fn anchors_from(
    apex: &Name,
    allow_dnskey: bool,
    limits: crate::limits::Limits,
    read: impl FnOnce(&ReadOptions, &mut dyn FnMut(&RecordRef<'_>)) -> Result<SourceFiles, ParseErrors>,
) -> Result<Vec<AnchorRecord>, ParseErrors> {
    let mut records = Vec::new();
    let mut errors = Vec::new();
    let mut wrong: Vec<(u32, u32, u32, String, u16)> = Vec::new();
    // dsset files (dnssec-dsfromkey output) carry no TTL.
    let opts = ReadOptions {
        origin: Some(apex.clone()),
        default_ttl: Some(0),
        pieces: 1,
        limits,
    };
    let result = read(&opts, &mut |r| {
        let wanted = r.rtype == rtype::DS || (allow_dnskey && r.rtype == rtype::DNSKEY);
        if !wanted {
            return;
        }
        if !r.owner.eq_ignore_case(apex) {
            wrong.push((r.file, r.line, r.col, r.owner.to_string(), r.rtype));
            return;
        }
        records.push((r.rtype, r.rdata.to_vec(), r.file, r.line));
    });
    let sources = result?;
    let loc = |file: u32, line: u32, col: u32| sources.loc(file, line, col);
    for (file, line, col, owner, t) in wrong {
        errors.push(ParseError {
            loc: loc(file, line, col),
            message: format!(
                "{} record for {owner}, which is not the zone apex {apex}: this trust anchor is for another zone",
                crate::rdata::type_mnemonic(t)
            ),
        });
    }
    if errors.is_empty() && records.is_empty() {
        errors.push(ParseError {
            loc: loc(0, 1, 1),
            message: format!(
                "no {} records for {apex} in this file",
                if allow_dnskey { "DS or DNSKEY" } else { "DS" }
            ),
        });
    }
    if !errors.is_empty() {
        return Err(ParseErrors { errors });
    }
    Ok(records
        .into_iter()
        .map(|(rtype, rdata, file, line)| AnchorRecord {
            rtype,
            rdata,
            file: sources.name(file),
            line,
        })
        .collect())
}

/// Checks the trust chain; returns a description of the anchor used.
/// `dnskey_signers` are the zone keys (indices into `ctx.keys`) with a
/// fully valid RRSIG over the DNSKEY RRset.
pub(crate) fn check(ctx: &Ctx<'_>, dnskey_signers: &[usize], out: &mut Vec<Finding>) -> String {
    let zone = ctx.zone;
    let apex = ctx.apex;
    let dnskey_set = zone.rrset(apex, rtype::DNSKEY);
    let dnskey_row = dnskey_set.and_then(|s| s.rows.first());
    if ctx.keys.is_empty() {
        out.push(ctx.finding(
            Code::DnskeyMissing,
            apex,
            rtype::DNSKEY,
            None,
            ctx.first_row(apex),
            "no DNSKEY RRset at the zone apex: nothing can be verified".into(),
        ));
        return "none (no DNSKEY)".into();
    }
    key_usability_rules(ctx, out);
    key_flag_rules(ctx, dnskey_signers, out);
    zone_keys_below_apex(ctx, out);

    // Resolve Auto.
    let zone_ds: Vec<AnchorRecord>;
    let (records, source): (&[AnchorRecord], String) = match &ctx.cfg.anchor {
        super::TrustAnchor::Records { records, source } => (records, source.clone()),
        super::TrustAnchor::DnskeyOnly => {
            return dnskey_only(ctx, dnskey_signers, dnskey_row, "--dnskey-only", out)
        }
        super::TrustAnchor::Auto => match apex_ds_records(ctx) {
            Some(ds) => {
                zone_ds = ds;
                (&zone_ds, "DS records at the apex in the zone file".into())
            }
            None => {
                return dnskey_only(
                    ctx,
                    dnskey_signers,
                    dnskey_row,
                    "no DS given (--ds/--trust-anchor) and none in the zone file",
                    out,
                )
            }
        },
    };

    let trusted = anchored_keys(ctx, records, out);
    if trusted.is_empty() {
        return source;
    }
    let usable = trusted_key_rules(ctx, &trusted, out);
    require_signed_by(
        ctx,
        dnskey_signers,
        &trusted,
        &usable,
        dnskey_row,
        "the DS set points to",
        out,
    );
    source
}

/// Each DNSKEY has protocol 3 (RFC 4034 §2.1.2) and an algorithm and key
/// this verifier can use (RFC 8624 §3.1).
fn key_usability_rules(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for k in &ctx.keys {
        if k.dnskey.protocol != 3 {
            out.push(ctx.finding(
                Code::DnskeyBadProtocol,
                ctx.apex,
                rtype::DNSKEY,
                Some(k.tag),
                Some(&k.row),
                format!("DNSKEY {} has protocol {}, not 3", k.tag, k.dnskey.protocol),
            ));
        } else if !k.usable {
            out.push(ctx.finding(
                Code::DnskeyUnsupportedAlgorithm,
                ctx.apex,
                rtype::DNSKEY,
                Some(k.tag),
                Some(&k.row),
                format!(
                    "DNSKEY {} (algorithm {}) cannot be used here: {}",
                    k.tag,
                    k.dnskey.algorithm,
                    k.dnskey
                        .check_public_key()
                        .err()
                        .map(|e| e.to_string())
                        .unwrap_or_default()
                ),
            ));
        }
    }
}

/// The DS records at the apex of a parent-style zone file, as anchors;
/// `None` when there are none.
fn apex_ds_records(ctx: &Ctx<'_>) -> Option<Vec<AnchorRecord>> {
    let zone = ctx.zone;
    let s = zone.rrset(ctx.apex, rtype::DS)?;
    Some(
        s.rows
            .iter()
            .map(|r| AnchorRecord {
                rtype: rtype::DS,
                rdata: zone.rdata(r).to_vec(),
                file: zone.sources.name(u32::from(r.file)),
                line: r.line,
            })
            .collect(),
    )
}

/// A finding about the anchor record `r`, at its own file and line.
fn anchor_finding(
    ctx: &Ctx<'_>,
    code: Code,
    tag: Option<u16>,
    t: u16,
    r: &AnchorRecord,
    msg: String,
) -> Finding {
    let mut f = ctx.finding(code, ctx.apex, t, tag, None, msg);
    f.file = Some(r.file.clone());
    f.line = Some(r.line);
    f
}

/// The zone keys (indices into `ctx.keys`, sorted) that an anchor record
/// matches (RFC 4035 §5.2). A record that matches nothing is an error,
/// or a warning when another matches: a DS for a retired key beside one
/// that matches is normal in a rollover.
fn anchored_keys(ctx: &Ctx<'_>, records: &[AnchorRecord], out: &mut Vec<Finding>) -> Vec<usize> {
    let mut trusted: Vec<usize> = Vec::new();
    let mut pending: Vec<Finding> = Vec::new();
    // RFC 4509 §3: with a SHA-256 (or stronger) DS in the set, validators
    // ignore the SHA-1 ones, so a SHA-1 match alone builds no chain.
    let has_strong_ds = records
        .iter()
        .any(|r| r.rtype == rtype::DS && r.rdata.len() >= 4 && matches!(r.rdata[3], 2 | 4));
    for r in records {
        if r.rtype == rtype::DNSKEY {
            trusted.extend(dnskey_anchor_keys(ctx, r, &mut pending));
        } else {
            trusted.extend(ds_keys(ctx, r, has_strong_ds, &mut pending, out));
        }
    }
    trusted.sort_unstable();
    trusted.dedup();
    push_deferred(
        out,
        pending,
        !trusted.is_empty(),
        " (another DS record matches a DNSKEY)",
    );
    trusted
}

/// Appends the `deferred` findings to `out`; when `lesser`, as warnings
/// with `why` appended (another record or key did what they could not).
fn push_deferred(out: &mut Vec<Finding>, deferred: Vec<Finding>, lesser: bool, why: &str) {
    for mut f in deferred {
        if lesser {
            f.severity = Severity::Warning;
            f.message.push_str(why);
        }
        out.push(f);
    }
}

/// The zone keys equal to the trust-anchor DNSKEY `r` (RFC 4035 §5).
fn dnskey_anchor_keys(ctx: &Ctx<'_>, r: &AnchorRecord, pending: &mut Vec<Finding>) -> Vec<usize> {
    let hit: Vec<usize> = (0..ctx.keys.len())
        .filter(|&n| ctx.zone.rdata(&ctx.keys[n].row) == r.rdata.as_slice())
        .collect();
    let tag = crate::keys::key_tag(&r.rdata).0;
    if hit.is_empty() {
        pending.push(anchor_finding(
            ctx,
            Code::TrustAnchorNoMatchingDnskey,
            Some(tag),
            rtype::DNSKEY,
            r,
            format!("trust-anchor DNSKEY {tag} is not in the zone's DNSKEY RRset"),
        ));
    }
    hit
}

/// The fields of a DS RDATA (RFC 4034 §5.1).
struct DsFields<'a> {
    tag: u16,
    algorithm: u8,
    digest_type: u8,
    digest: &'a [u8],
}

impl<'a> DsFields<'a> {
    /// `None` when the RDATA is shorter than key tag, algorithm and
    /// digest type.
    fn parse(rdata: &'a [u8]) -> Option<DsFields<'a>> {
        if rdata.len() < 4 {
            return None;
        }
        Some(DsFields {
            tag: u16::from_be_bytes([rdata[0], rdata[1]]),
            algorithm: rdata[2],
            digest_type: rdata[3],
            digest: &rdata[4..],
        })
    }
}

/// The zone keys the DS `r` matches by key tag, algorithm and digest
/// (RFC 4034 §5.1.4, RFC 4035 §5.2). Findings that another matching
/// record makes a warning go to `pending`.
fn ds_keys(
    ctx: &Ctx<'_>,
    r: &AnchorRecord,
    has_strong_ds: bool,
    pending: &mut Vec<Finding>,
    out: &mut Vec<Finding>,
) -> Vec<usize> {
    let zone = ctx.zone;
    let Some(ds) = DsFields::parse(&r.rdata) else {
        pending.push(anchor_finding(
            ctx,
            Code::DsMalformed,
            None,
            rtype::DS,
            r,
            format!(
                "DS RDATA is {} octet(s), shorter than key tag, algorithm and digest type",
                r.rdata.len()
            ),
        ));
        return Vec::new();
    };
    if !ds_digest_rules(ctx, r, &ds, has_strong_ds, pending, out) {
        return Vec::new();
    }
    let DsFields {
        tag,
        algorithm: alg,
        digest_type: dtype,
        digest,
    } = ds;
    let cands: Vec<usize> = (0..ctx.keys.len())
        .filter(|&n| ctx.keys[n].tag == tag && ctx.keys[n].dnskey.algorithm == alg)
        .collect();
    if cands.is_empty() {
        pending.push(anchor_finding(
            ctx,
            Code::DsNoMatchingDnskey,
            Some(tag),
            rtype::DS,
            r,
            format!(
                "DS {tag} algorithm {alg}: no DNSKEY in the zone has this key tag and algorithm"
            ),
        ));
        return Vec::new();
    }
    let dt = match DigestType::from_number(dtype) {
        Ok(d) => d,
        Err(_) => {
            out.push(anchor_finding(
                ctx,
                Code::DsUnsupportedDigest,
                Some(tag),
                rtype::DS,
                r,
                format!("DS {tag} digest type {dtype} is not supported: ignored"),
            ));
            return Vec::new();
        }
    };
    let hit: Vec<usize> = cands
        .iter()
        .copied()
        .filter(|&n| ds_digest(&zone.origin, zone.rdata(&ctx.keys[n].row), dt) == digest)
        .collect();
    if hit.is_empty() {
        pending.push(anchor_finding(
            ctx,
            Code::DsDigestMismatch,
            Some(tag),
            rtype::DS,
            r,
            format!(
                "DS {tag} algorithm {alg} {}: the digest does not match DNSKEY {tag}",
                dt.mnemonic()
            ),
        ));
    }
    hit
}

/// The digest type rules of the DS `r` (fields `ds`): SHA-1 and GOST
/// must not be used for new DS records (RFC 8624 §3.3), a SHA-1 DS beside
/// a stronger one is ignored by validators (RFC 4509 §3), and a digest has
/// its type's length (RFC 4034 §5.1.4, RFC 4509 §2.2). False when the
/// record can match no key.
fn ds_digest_rules(
    ctx: &Ctx<'_>,
    r: &AnchorRecord,
    ds: &DsFields<'_>,
    has_strong_ds: bool,
    pending: &mut Vec<Finding>,
    out: &mut Vec<Finding>,
) -> bool {
    let DsFields {
        tag,
        digest_type: dtype,
        digest,
        ..
    } = *ds;
    if matches!(dtype, 1 | 3) {
        out.push(anchor_finding(
            ctx,
            Code::DsDigestNotRecommended,
            Some(tag),
            rtype::DS,
            r,
            format!(
                "DS {tag} uses digest type {dtype} ({}), which must not be used for new DS records; use 2 (SHA-256)",
                if dtype == 1 { "SHA-1" } else { "GOST R 34.11-94" }
            ),
        ));
    }
    if dtype == 1 && has_strong_ds {
        out.push(anchor_finding(
            ctx,
            Code::DsSha1Ignored,
            Some(tag),
            rtype::DS,
            r,
            format!("DS {tag} SHA-1 is ignored by validators: the DS set also has SHA-256/SHA-384 records"),
        ));
        return false;
    }
    if let Ok(dt) = DigestType::from_number(dtype) {
        if digest.len() != dt.len() {
            pending.push(anchor_finding(
                ctx,
                Code::DsMalformed,
                Some(tag),
                rtype::DS,
                r,
                format!(
                    "DS {tag} {} digest is {} octets; it must be {}",
                    dt.mnemonic(),
                    digest.len(),
                    dt.len()
                ),
            ));
            return false;
        }
    }
    true
}

/// Of the `trusted` keys, the ones that can anchor the chain: not revoked
/// (RFC 5011 §2.1; a warning when another trusted key is not, as in an
/// RFC 5011 rollover), with the Zone Key flag (RFC 4034 §2.1.1); a key
/// without the SEP flag is allowed but noted (RFC 4034 §2.1.1).
fn trusted_key_rules(ctx: &Ctx<'_>, trusted: &[usize], out: &mut Vec<Finding>) -> Vec<usize> {
    let apex = ctx.apex;
    let mut usable: Vec<usize> = Vec::new();
    let mut revoked: Vec<Finding> = Vec::new();
    for &n in trusted {
        let k = &ctx.keys[n];
        if k.dnskey.is_revoked() {
            revoked.push(ctx.finding(
                Code::DsMatchesRevokedKey,
                apex,
                rtype::DNSKEY,
                Some(k.tag),
                Some(&k.row),
                format!(
                    "the trust anchor matches DNSKEY {} (flags {}), which has the REVOKE flag: it must not be used as a trust anchor",
                    k.tag, k.dnskey.flags
                ),
            ));
            continue;
        }
        if !k.dnskey.is_zone_key() {
            out.push(ctx.finding(
                Code::DnskeyKskZoneFlagClear,
                apex,
                rtype::DNSKEY,
                Some(k.tag),
                Some(&k.row),
                format!(
                    "the trust anchor matches DNSKEY {} (flags {}), whose Zone Key flag is clear: it must not verify RRSIGs",
                    k.tag, k.dnskey.flags
                ),
            ));
            continue;
        }
        if !k.dnskey.is_ksk() {
            out.push(ctx.finding(
                Code::DsMatchesNonSepKey,
                apex,
                rtype::DNSKEY,
                Some(k.tag),
                Some(&k.row),
                format!(
                    "the trust anchor matches DNSKEY {} which has no SEP flag",
                    k.tag
                ),
            ));
        }
        usable.push(n);
    }
    push_deferred(
        out,
        revoked,
        !usable.is_empty(),
        " (another trusted key is not revoked)",
    );
    usable
}

fn dnskey_only(
    ctx: &Ctx<'_>,
    dnskey_signers: &[usize],
    dnskey_row: Option<&crate::zone::Row>,
    why: &str,
    out: &mut Vec<Finding>,
) -> String {
    // A revoked key cannot be an anchor (RFC 5011 §2.1).
    let zone_keys: Vec<usize> = (0..ctx.keys.len())
        .filter(|&n| ctx.keys[n].dnskey.is_zone_key() && !ctx.keys[n].dnskey.is_revoked())
        .collect();
    let sep: Vec<usize> = zone_keys
        .iter()
        .copied()
        .filter(|&n| ctx.keys[n].dnskey.is_ksk())
        .collect();
    let anchors = if sep.is_empty() { zone_keys } else { sep };
    out.push(ctx.finding(
        Code::TrustDnskeyOnly,
        ctx.apex,
        rtype::DNSKEY,
        None,
        dnskey_row,
        format!("{why}: the DNSKEY RRset's self-signature is the trust anchor; the DS -> DNSKEY link is not checked"),
    ));
    require_signed_by(
        ctx,
        dnskey_signers,
        &anchors,
        &anchors,
        dnskey_row,
        "is a SEP key",
        out,
    );
    "DNSKEY self-signature (no DS checked)".into()
}

/// DNSKEY flags bits other than Zone Key (bit 7), REVOKE (bit 8, RFC 5011
/// §7) and SEP (bit 15) are reserved (RFC 4034 §2.1.1).
const KNOWN_FLAGS: u16 = 0x0100 | 0x0080 | 0x0001;

/// Algorithms RFC 8624 §3.1 lists as MUST NOT or NOT RECOMMENDED for
/// signing: RSAMD5, DSA, RSASHA1, DSA-NSEC3-SHA1, RSASHA1-NSEC3-SHA1,
/// RSASHA512, ECC-GOST.
const NOT_RECOMMENDED_ALGS: &[u8] = &[1, 3, 5, 6, 7, 10, 12];

/// The flag and algorithm rules of each DNSKEY: reserved bits (RFC 4034
/// §2.1.1), RFC 8624 §3.1 status, a revoked key that does not sign the
/// DNSKEY RRset (RFC 5011 §2.1: "The new revoked key MUST self-sign the
/// DNSKEY RRset").
fn key_flag_rules(ctx: &Ctx<'_>, dnskey_signers: &[usize], out: &mut Vec<Finding>) {
    let apex = ctx.apex;
    for (n, k) in ctx.keys.iter().enumerate() {
        let flags = k.dnskey.flags;
        if flags & !KNOWN_FLAGS != 0 {
            out.push(ctx.finding(
                Code::DnskeyReservedFlags,
                apex,
                rtype::DNSKEY,
                Some(k.tag),
                Some(&k.row),
                format!(
                    "DNSKEY {} flags {flags} set reserved bit(s) {:#06x}; they must be 0",
                    k.tag,
                    flags & !KNOWN_FLAGS
                ),
            ));
        }
        if NOT_RECOMMENDED_ALGS.contains(&k.dnskey.algorithm) {
            out.push(ctx.finding(
                Code::DnskeyAlgorithmNotRecommended,
                apex,
                rtype::DNSKEY,
                Some(k.tag),
                Some(&k.row),
                format!(
                    "DNSKEY {} uses algorithm {}, which must not or should not be used for signing",
                    k.tag, k.dnskey.algorithm
                ),
            ));
        }
        if k.dnskey.is_revoked() && k.dnskey.is_zone_key() && !dnskey_signers.contains(&n) {
            out.push(ctx.finding(
                Code::DnskeyRevokedNotSelfSigned,
                apex,
                rtype::DNSKEY,
                Some(k.tag),
                Some(&k.row),
                format!(
                    "DNSKEY {} has the REVOKE flag but no valid RRSIG of its own over the DNSKEY RRset: resolvers cannot see the revocation",
                    k.tag
                ),
            ));
        }
    }
}

/// A DNSKEY with the Zone Key flag below the apex, where the owner is not
/// a zone (RFC 4034 §2.1.1).
fn zone_keys_below_apex(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let apex = ctx.apex;
    let zone = ctx.zone;
    for i in 0..zone.owners.len() {
        if i == apex || ctx.kinds[i] != crate::zone::NameKind::Authoritative {
            continue;
        }
        let Some(set) = zone.rrset(i, rtype::DNSKEY) else {
            continue;
        };
        for row in set.rows {
            let rd = zone.rdata(row);
            if rd.len() >= 2 && u16::from_be_bytes([rd[0], rd[1]]) & 0x0100 != 0 {
                out.push(ctx.finding(
                    Code::DnskeyZoneKeyNotAtApex,
                    i,
                    rtype::DNSKEY,
                    Some(crate::keys::key_tag(rd).0),
                    Some(row),
                    format!(
                        "DNSKEY with the Zone Key flag at {}, which is not the apex of a zone",
                        zone.owner_name(i)
                    ),
                ));
            }
        }
    }
}

/// The DNSKEY RRset must have a valid RRSIG by one of `usable`.
fn require_signed_by(
    ctx: &Ctx<'_>,
    dnskey_signers: &[usize],
    anchors: &[usize],
    usable: &[usize],
    dnskey_row: Option<&crate::zone::Row>,
    what: &str,
    out: &mut Vec<Finding>,
) {
    if usable.iter().any(|n| dnskey_signers.contains(n)) {
        return;
    }
    let tags = |v: &[usize]| {
        v.iter()
            .map(|&n| ctx.keys[n].tag.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let first = anchors.first().map(|&n| ctx.keys[n].tag);
    if dnskey_signers.is_empty() {
        out.push(ctx.finding(
            Code::DnskeyNoTrustedSignature,
            ctx.apex,
            rtype::DNSKEY,
            first,
            dnskey_row,
            format!(
                "the DNSKEY RRset has no valid RRSIG by any usable key, so no chain of trust (key(s) {} {what})",
                tags(anchors)
            ),
        ));
    } else {
        out.push(ctx.finding(
            Code::DnskeySignedByZskOnly,
            ctx.apex,
            rtype::DNSKEY,
            first,
            dnskey_row,
            format!(
                "the DNSKEY RRset is validly signed only by {}; no valid RRSIG by {} (which {what}): no chain of trust",
                tags(dnskey_signers),
                if anchors.is_empty() { "any trusted key".into() } else { tags(anchors) }
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use super::*;

    const ZONE: &str = example_zone!();

    #[test]
    fn anchor_file_positions_and_owner_check() {
        let apex = Name::from_ascii("example.").unwrap();
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("ds");
        std::fs::write(
            &p,
            "; comment\nexample. IN NS ns.example.\nexample. IN DS 1 15 2 00AA\nexample. 60 IN DNSKEY 257 3 15 AAAA\n",
        )
        .unwrap();
        let ds = load_anchor_file(&p, &apex, false).unwrap();
        assert_eq!(ds.len(), 1);
        assert_eq!(
            (ds[0].line, ds[0].file.clone()),
            (3, p.display().to_string())
        );
        assert_eq!(load_anchor_file(&p, &apex, true).unwrap().len(), 2);
        std::fs::write(&p, "\n  \nsub.example. IN DS 1 15 2 00AA\n").unwrap();
        let e = load_anchor_file(&p, &apex, false).unwrap_err().to_string();
        assert!(e.starts_with(&format!("{}:3:1: ", p.display())), "{e}");
    }

    #[test]
    fn dnskey_only_needs_a_sep_self_signature() {
        let ksk = key(true);
        let zsk = key(false);
        // Everything signed by the ZSK; the KSK is published but signs nothing.
        let zone = format!(
            "{ZONE}example. 3600 IN DNSKEY {}\n",
            ksk.dnskey().rdata_text()
        );
        let text = sign(&zone, &zsk, |_, _| true, |_, _, _| {});
        let r = verify_text(&text);
        assert_has(&r, "dnskey-signed-by-zsk-only", "example.", "DNSKEY");
    }

    #[test]
    fn rsasha512_and_reserved_flags_are_reported_on_the_key() {
        let ksk = key(true);
        // An RSASHA512 (RFC 8624 §3.1: NOT RECOMMENDED) key with bit 14 set; it signs nothing.
        let zone = format!("{ZONE}example. 3600 IN DNSKEY 258 3 10 AwEAAQ==\n");
        let r = verify_text(&sign(&zone, &ksk, |_, _| true, |_, _, _| {}));
        let warned = |c: Code| {
            r.findings
                .iter()
                .any(|f| f.code == c && f.severity == Severity::Warning)
        };
        assert!(
            warned(Code::DnskeyAlgorithmNotRecommended),
            "{:?}",
            r.findings
        );
        assert!(warned(Code::DnskeyReservedFlags), "{:?}", r.findings);
        // The Ed25519 KSK is neither.
        assert_eq!(
            r.findings
                .iter()
                .filter(|f| f.code == Code::DnskeyReservedFlags)
                .count(),
            1
        );
    }

    #[test]
    fn ds_matching() {
        let ksk = key(true);
        let text = sign(ZONE, &ksk, |_, _| true, |_, _, _| {});
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("z");
        std::fs::write(&p, &text).unwrap();
        let z = crate::verify::load_signed_zone(&p, None).unwrap();
        let good = crate::ds::ds_rdata(&z.origin, &ksk.dnskey().to_rdata(), DigestType::Sha256);
        let mut bad = good.clone();
        let n = bad.len() - 1;
        bad[n] ^= 1;
        let mut other_tag = good.clone();
        other_tag[0] ^= 0x80;
        let run = |recs: Vec<Vec<u8>>| {
            let cfg = crate::verify::VerifyConfig {
                anchor: TrustAnchor::Records {
                    records: recs
                        .into_iter()
                        .map(|rdata| AnchorRecord {
                            rtype: rtype::DS,
                            rdata,
                            file: "ds".into(),
                            line: 1,
                        })
                        .collect(),
                    source: "test".into(),
                },
                now: NOW,
                ..Default::default()
            };
            crate::verify::verify_zone(&z, &cfg, None)
        };
        let r = run(vec![good.clone()]);
        assert!(
            !errors(&r).iter().any(|(c, _, _)| c.starts_with("ds-")),
            "{:?}",
            errors(&r)
        );
        let r = run(vec![bad.clone()]);
        assert!(has(&r, "ds-digest-mismatch", "example.", "DS"));
        let r = run(vec![other_tag]);
        assert!(has(&r, "ds-no-matching-dnskey", "example.", "DS"));
        // A stale DS beside a good one is a warning, not an error.
        let r = run(vec![good, bad]);
        assert!(!has(&r, "ds-digest-mismatch", "example.", "DS"));
        assert!(r.findings.iter().any(|f| f.code == Code::DsDigestMismatch));
    }
}
