//! Findings: what `verify` reports. Each has a stable code (documented in
//! README.md, `### zonesign verify`), a severity, the owner and type it is
//! about, a key tag where one is involved, the `file:line` of the record
//! and a one-line explanation. Findings are data (ARCHITECTURE.md §8).

use std::fmt;

use serde::{Serialize, Serializer};

/// How bad a finding is. Only errors make `verify` fail (exit 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    /// Information about how the zone was verified (e.g. no DS given).
    Note,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }
}

macro_rules! codes {
    ($( $(#[doc = $doc:literal])* $v:ident = $s:literal, $sev:ident, $rfc:literal; )*) => {
        /// A finding's stable code (kebab-case in text and JSON).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code { $( $(#[doc = $doc])* $v, )* }

        impl Code {
            /// Every code, in declaration order (for documentation and tests).
            pub const ALL: &'static [Code] = &[$(Code::$v,)*];

            /// The code as printed.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$v => $s,)* }
            }

            /// The severity the code usually has (a few RRSIG problems are
            /// downgraded to warnings when another valid RRSIG covers the RRset).
            pub fn default_severity(self) -> Severity {
                match self { $(Code::$v => Severity::$sev,)* }
            }

            /// The rule the check enforces.
            pub fn rule(self) -> &'static str {
                match self { $(Code::$v => $rfc,)* }
            }

            /// One-line description of the check.
            pub fn description(self) -> &'static str {
                match self { $(Code::$v => concat!($($doc),*).trim_ascii(),)* }
            }
        }
    };
}

codes! {
    // --- trust: DS / trust anchor -> DNSKEY ---
    /// No DNSKEY has the DS record's key tag and algorithm.
    DsNoMatchingDnskey = "ds-no-matching-dnskey", Error, "RFC 4035 §5.2";
    /// A DNSKEY has the DS record's key tag and algorithm, but the digest differs.
    DsDigestMismatch = "ds-digest-mismatch", Error, "RFC 4034 §5.1.4, RFC 4035 §5.2";
    /// A DS record uses a digest type we cannot compute; it is ignored.
    DsUnsupportedDigest = "ds-unsupported-digest", Warning, "RFC 8624 §3.3";
    /// The DS matches a DNSKEY without the SEP flag (allowed, but unusual).
    DsMatchesNonSepKey = "ds-matches-non-sep-key", Warning, "RFC 4034 §2.1.1";
    /// A trust-anchor DNSKEY is not in the zone's DNSKEY RRset.
    TrustAnchorNoMatchingDnskey = "trust-anchor-no-matching-dnskey", Error, "RFC 4035 §5";
    /// The key the DS (or trust anchor) points to has the Zone Key flag clear, so it must not verify RRSIGs.
    DnskeyKskZoneFlagClear = "dnskey-ksk-zone-flag-clear", Error, "RFC 4034 §2.1.1";
    /// The DNSKEY RRset has valid RRSIGs, but none by a key the DS (or trust anchor, or the SEP flag) points to.
    DnskeySignedByZskOnly = "dnskey-signed-by-zsk-only", Error, "RFC 4035 §5.2";
    /// The DNSKEY RRset has no valid RRSIG at all, so there is no chain of trust.
    DnskeyNoTrustedSignature = "dnskey-no-trusted-signature", Error, "RFC 4035 §5.2";
    /// The zone has no DNSKEY RRset at its apex.
    DnskeyMissing = "dnskey-missing", Error, "RFC 4035 §2.1";
    /// A DNSKEY's Protocol field is not 3.
    DnskeyBadProtocol = "dnskey-bad-protocol", Error, "RFC 4034 §2.1.2";
    /// A DNSKEY of an algorithm this verifier cannot check (its RRSIGs are not verified).
    DnskeyUnsupportedAlgorithm = "dnskey-unsupported-algorithm", Warning, "RFC 8624 §3.1";
    /// Verified without a DS set: the DNSKEY RRset's self-signature is the trust anchor.
    TrustDnskeyOnly = "trust-dnskey-only", Note, "RFC 4035 §5";

    // --- RRSIGs ---
    /// An authoritative RRset has no RRSIG at all.
    RrsetNoRrsig = "rrset-no-rrsig", Error, "RFC 4035 §2.2";
    /// An RRset has no RRSIG and the NSEC/NSEC3 bitmap at its owner lacks its type: it was added after signing.
    UnsignedRrsetAdded = "unsigned-rrset-added", Error, "RFC 4035 §2.2, RFC 4034 §4.1.2";
    /// An authoritative RRset has no RRSIG of an algorithm in the DNSKEY RRset.
    RrsetMissingAlgorithm = "rrset-missing-algorithm", Error, "RFC 4035 §2.2, RFC 6840 §5.11";
    /// The signature does not verify over the canonical RRset.
    RrsigBadSignature = "rrsig-bad-signature", Error, "RFC 4034 §3.1.8.1, RFC 4035 §5.3.3";
    /// The RRSIG's expiration is before the verification time.
    RrsigExpired = "rrsig-expired", Error, "RFC 4034 §3.1.5, RFC 4035 §5.3.1";
    /// The RRSIG's inception is after the verification time.
    RrsigNotYetValid = "rrsig-not-yet-valid", Error, "RFC 4034 §3.1.5, RFC 4035 §5.3.1";
    /// The RRSIG expires within --warn-expiry.
    RrsigExpiresSoon = "rrsig-expires-soon", Warning, "RFC 4034 §3.1.5";
    /// The RRSIG expires within --fail-expiring: re-sign before resolvers see it expire.
    RrsigExpiring = "rrsig-expiring", Error, "RFC 4034 §3.1.5, RFC 4035 §5.3.1";
    /// The earliest RRSIG expiration comes before the SOA EXPIRE interval would: a secondary cut off from its primary serves expired signatures.
    RrsigOutlivedBySoaExpire = "rrsig-outlived-by-soa-expire", Warning, "RFC 1035 §3.3.13, RFC 4641 §4.4.1";
    /// No DNSKEY has the RRSIG's key tag and algorithm.
    RrsigUnknownKeytag = "rrsig-unknown-keytag", Error, "RFC 4035 §5.3.1";
    /// The only DNSKEY with the RRSIG's tag and algorithm has the Zone Key flag clear.
    DnskeyZoneFlagClear = "dnskey-zone-flag-clear", Error, "RFC 4034 §2.1.1";
    /// The RRSIG's Labels field does not match the owner (labels minus a leading wildcard).
    RrsigLabelsWrong = "rrsig-labels-wrong", Error, "RFC 4034 §3.1.3, RFC 4035 §5.3.1";
    /// The RRSIG's Original TTL is below the RRset's TTL.
    RrsigOrigTtlLow = "rrsig-orig-ttl-low", Error, "RFC 4034 §3.1.4, RFC 4035 §2.2";
    /// The RRSIG record's own TTL differs from the TTL of the RRset it covers.
    RrsigTtlMismatch = "rrsig-ttl-mismatch", Warning, "RFC 4034 §3";
    /// The RRSIG's signer name is not the zone apex.
    RrsigWrongSigner = "rrsig-wrong-signer", Error, "RFC 4035 §2.2, §5.3.1";
    /// The RRSIG's algorithm is one this verifier cannot check.
    RrsigUnsupportedAlgorithm = "rrsig-unsupported-algorithm", Warning, "RFC 8624 §3.1";
    /// The RRSIG RDATA cannot be parsed.
    RrsigMalformed = "rrsig-malformed", Error, "RFC 4034 §3.1";
    /// An RRSIG covers a type the owner has no RRset of.
    RrsigOrphan = "rrsig-orphan", Error, "RFC 4035 §2.2";
    /// An RRSIG over glue (address records below a zone cut): glue must not be signed.
    RrsigOverGlue = "rrsig-over-glue", Error, "RFC 4035 §2.2";
    /// An RRSIG over occluded data (below a zone cut or a DNAME).
    RrsigOverOccluded = "rrsig-over-occluded", Error, "RFC 4035 §2.2, RFC 6672 §2.4";
    /// An RRSIG over a delegation's NS (or other non-DS, non-NSEC) RRset: the child's data, not ours.
    RrsigOverDelegation = "rrsig-over-delegation", Error, "RFC 4035 §2.2";

    // --- NSEC ---
    /// The zone has neither NSEC nor NSEC3 records.
    DenialMissing = "denial-missing", Error, "RFC 4035 §2.3";
    /// The zone has both an NSEC and an NSEC3 chain: a transition between
    /// them left unfinished (both are checked).
    DenialBothChains = "denial-both-chains", Warning, "RFC 5155 §10.4, §10.5";
    /// An authoritative name or delegation has no NSEC.
    NsecMissing = "nsec-missing", Error, "RFC 4035 §2.3";
    /// An NSEC's next name is not the next name of the zone in canonical order.
    NsecChainBroken = "nsec-chain-broken", Error, "RFC 4034 §4.1.1, RFC 4035 §2.3";
    /// The NSEC type bitmap lacks a type present at the owner.
    NsecBitmapMissingType = "nsec-bitmap-missing-type", Error, "RFC 4034 §4.1.2";
    /// The NSEC type bitmap has a type not present at the owner.
    NsecBitmapExtraType = "nsec-bitmap-extra-type", Error, "RFC 4034 §4.1.2";
    /// The NSEC type bitmap is not in its one valid encoding: a window block
    /// that lists no type, or a block with trailing zero octets.
    NsecBitmapNotCanonical = "nsec-bitmap-not-canonical", Error, "RFC 4034 §4.1.2";
    /// More than one NSEC record at one owner.
    NsecDuplicate = "nsec-duplicate", Error, "RFC 4034 §4";
    /// An NSEC at a name that is not in the chain (glue, occluded).
    NsecUnexpected = "nsec-unexpected", Error, "RFC 4035 §2.3";
    /// The NSEC RDATA cannot be parsed.
    NsecMalformed = "nsec-malformed", Error, "RFC 4034 §4.1";
    /// The NSEC TTL is not min(SOA TTL, SOA MINIMUM).
    NsecTtlMismatch = "nsec-ttl-mismatch", Warning, "RFC 9077 §3";

    // --- NSEC3 ---
    /// NSEC3PARAM parameters match no NSEC3 chain in the zone.
    Nsec3paramMismatch = "nsec3param-mismatch", Error, "RFC 5155 §4, §7.1";
    /// NSEC3 records but no NSEC3PARAM at the apex.
    Nsec3paramMissing = "nsec3param-missing", Error, "RFC 5155 §7.1";
    /// NSEC3PARAM flags are not 0.
    Nsec3paramFlags = "nsec3param-flags", Warning, "RFC 5155 §4.1.2";
    /// NSEC3 iterations or salt are not the RFC 9276 recommendation (0, empty).
    Nsec3ParamsNotRecommended = "nsec3-params-not-recommended", Warning, "RFC 9276 §3.1";
    /// An NSEC3 whose parameters differ from the chain's (NSEC3PARAM's).
    Nsec3StrayParams = "nsec3-stray-params", Error, "RFC 5155 §7.1";
    /// An NSEC3 with a hash algorithm other than 1 (SHA-1).
    Nsec3UnknownHash = "nsec3-unknown-hash", Error, "RFC 5155 §11";
    /// A name that needs an NSEC3 (authoritative, ENT, secure delegation) has none.
    Nsec3Missing = "nsec3-missing", Error, "RFC 5155 §7.1";
    /// An NSEC3's next hashed owner is not the following hash in the chain.
    Nsec3ChainBroken = "nsec3-chain-broken", Error, "RFC 5155 §7.1";
    /// The NSEC3 type bitmap lacks a type present at the original owner.
    Nsec3BitmapMissingType = "nsec3-bitmap-missing-type", Error, "RFC 5155 §3.2, §7.1";
    /// The NSEC3 type bitmap is not in its one valid encoding (as for NSEC).
    Nsec3BitmapNotCanonical = "nsec3-bitmap-not-canonical", Error, "RFC 5155 §3.2.1, RFC 4034 §4.1.2";
    /// The NSEC3 type bitmap has a type not present at the original owner.
    Nsec3BitmapExtraType = "nsec3-bitmap-extra-type", Error, "RFC 5155 §3.2, §7.1";
    /// An NSEC3 whose hash is no name of the zone.
    Nsec3Orphan = "nsec3-orphan", Error, "RFC 5155 §7.1";
    /// More than one NSEC3 at one hashed owner.
    Nsec3Duplicate = "nsec3-duplicate", Error, "RFC 5155 §7.1";
    /// An NSEC3 that is not at `<base32hex hash>.<apex>`, or sits beside other data.
    Nsec3Misplaced = "nsec3-misplaced", Error, "RFC 5155 §3, §7.1";
    /// The NSEC3 RDATA cannot be parsed.
    Nsec3Malformed = "nsec3-malformed", Error, "RFC 5155 §3.2";
    /// The NSEC3 TTL is not min(SOA TTL, SOA MINIMUM).
    Nsec3TtlMismatch = "nsec3-ttl-mismatch", Warning, "RFC 9077 §3";

    // --- ZONEMD (RFC 8976) ---
    /// An apex ZONEMD's digest is not the digest of the zone.
    ZonemdDigestMismatch = "zonemd-digest-mismatch", Error, "RFC 8976 §3.3.1, §4";
    /// An apex ZONEMD's serial is not the SOA serial: it is for another version of the zone.
    ZonemdSerialMismatch = "zonemd-serial-mismatch", Error, "RFC 8976 §4";
    /// Two apex ZONEMD records with the same scheme and hash algorithm.
    ZonemdDuplicate = "zonemd-duplicate", Error, "RFC 8976 §2, §4";
    /// An apex ZONEMD RDATA is too short, or its digest has the wrong length for its hash.
    ZonemdMalformed = "zonemd-malformed", Error, "RFC 8976 §2.2";
    /// An apex ZONEMD with a scheme or hash algorithm this verifier cannot compute; it is not checked.
    ZonemdUnsupported = "zonemd-unsupported", Warning, "RFC 8976 §4";

    // --- conformance walk (issue #11): RFC 4034, 4035, 4509, 5011, 5155, 8624, 9276 ---
    /// The RRSIG's expiration is not after its inception in serial arithmetic (a window of 2^31 s or more wraps): no time is inside it.
    RrsigWindowInverted = "rrsig-window-inverted", Error, "RFC 4034 §3.1.5, RFC 4035 §5.3.1";
    /// The RRSIG's Original TTL is above the RRset's TTL in the zone (it must be the TTL as published).
    RrsigOrigTtlHigh = "rrsig-orig-ttl-high", Error, "RFC 4034 §3.1.4";
    /// An RRSIG over anything but the apex DNSKEY RRset by a key with the REVOKE flag: it must not be used.
    RrsigByRevokedKey = "rrsig-by-revoked-key", Error, "RFC 5011 §2.1";
    /// A DNSKEY with the REVOKE flag has no valid RRSIG over the DNSKEY RRset, so no resolver can see the revocation.
    DnskeyRevokedNotSelfSigned = "dnskey-revoked-not-self-signed", Warning, "RFC 5011 §2.1";
    /// The DS (or trust anchor) points to a DNSKEY with the REVOKE flag: it must not be a trust anchor.
    DsMatchesRevokedKey = "ds-matches-revoked-key", Error, "RFC 5011 §2.1, RFC 4035 §5.2";
    /// A DNSKEY has reserved flag bits set (anything but Zone Key, REVOKE and SEP).
    DnskeyReservedFlags = "dnskey-reserved-flags", Warning, "RFC 4034 §2.1.1, RFC 5011 §7";
    /// A DNSKEY algorithm that RFC 8624 says MUST NOT or NOT RECOMMENDED be used for signing (1, 3, 5, 6, 7, 10, 12).
    DnskeyAlgorithmNotRecommended = "dnskey-algorithm-not-recommended", Warning, "RFC 8624 §3.1";
    /// A DNSKEY with the Zone Key flag at a name that is not the apex of a zone.
    DnskeyZoneKeyNotAtApex = "dnskey-zone-key-not-at-apex", Error, "RFC 4034 §2.1.1";
    /// A DS RDATA shorter than its fixed fields, or a digest whose length is not that of its digest type.
    DsMalformed = "ds-malformed", Error, "RFC 4034 §5.1, §5.1.4, RFC 4509 §2.2";
    /// A DS digest type that RFC 8624 says MUST NOT be used for new DS records (1 SHA-1, 3 GOST).
    DsDigestNotRecommended = "ds-digest-not-recommended", Warning, "RFC 8624 §3.3";
    /// A SHA-1 DS that validators ignore because the DS set also has SHA-256/SHA-384 records.
    DsSha1Ignored = "ds-sha1-ignored", Warning, "RFC 4509 §3";
    /// An NSEC3 with flag bits other than Opt-Out: validators ignore it.
    Nsec3FlagsUnknown = "nsec3-flags-unknown", Error, "RFC 5155 §3.1.2, §8.2";
    /// NSEC3 iterations above 150: validators may (and BIND, Unbound, Knot Resolver do) treat the zone as insecure.
    Nsec3IterationsInsecure = "nsec3-iterations-insecure", Error, "RFC 9276 §3.2";

    // --- TTLs ---
    /// An RRset's TTL is above --max-ttl (the signer would cap it).
    TtlAboveMax = "ttl-above-max", Warning, "operator policy";

    // --- zone content (RFC 1035 §5.2, RFC 2181, RFC 4035 §2): the model's
    // rules (crate::zone::Rule), reported instead of stopping the load ---
    /// The zone has no SOA record at its apex.
    SoaMissing = "soa-missing", Error, "RFC 1035 §5.2, RFC 1034 §4.2.1";
    /// More than one SOA record at the apex.
    SoaMultiple = "soa-multiple", Error, "RFC 1035 §5.2, RFC 2181 §6.1";
    /// An SOA record at a name other than the apex.
    SoaNotAtApex = "soa-not-at-apex", Error, "RFC 1035 §5.2, RFC 1034 §4.2.1";
    /// No NS records at the apex.
    ApexNsMissing = "apex-ns-missing", Error, "RFC 1035 §5.2, RFC 1034 §4.2.1";
    /// Records outside the zone (not at or below the apex); they are not verified.
    OutOfZoneData = "out-of-zone-data", Error, "RFC 1035 §5.2, RFC 2181 §6";
    /// A CNAME beside data other than RRSIG and NSEC.
    CnameAndOtherData = "cname-and-other-data", Error, "RFC 2181 §10.1, RFC 4035 §2.5";
    /// More than one CNAME record at one name.
    CnameMultiple = "cname-multiple", Error, "RFC 2181 §10.1";
    /// More than one DNAME record at one name.
    DnameMultiple = "dname-multiple", Error, "RFC 6672 §2.4";
    /// Records below a DNAME: never served (one finding per record).
    DataBelowDname = "data-below-dname", Warning, "RFC 6672 §2.4";
    /// Records below a zone cut that are not glue, or non-NS/DS data at a cut: not served.
    OccludedData = "occluded-data", Warning, "RFC 2181 §6, RFC 1034 §4.2.1";
    /// A delegation's name server below a zone cut of this zone has no A or AAAA glue.
    GlueMissing = "glue-missing", Warning, "RFC 1035 §5.2, RFC 1034 §4.2.1";
    /// An NS, MX or SRV target is a CNAME.
    TargetIsCname = "target-is-cname", Warning, "RFC 2181 §10.3, RFC 2782";
    /// An NS, MX or SRV target in the zone does not exist or has no A or AAAA record.
    TargetNoAddress = "target-no-address", Warning, "RFC 2181 §10.3, RFC 2782";
    /// A DS RRset at a name that is not a delegation point.
    DsNotAtDelegation = "ds-not-at-delegation", Error, "RFC 4035 §2.4, RFC 4034 §5";
    /// An NS RRset at a wildcard name.
    WildcardNs = "wildcard-ns", Warning, "RFC 4592 §4.2";
    /// A DNAME at a wildcard name.
    WildcardDname = "wildcard-dname", Warning, "RFC 4592 §4.4";
    /// A `*` label that is not the leftmost label (an ordinary name, not a wildcard).
    AsteriskNotWildcard = "asterisk-label-not-wildcard", Warning, "RFC 4592 §2.1.1";
    /// Records of one RRset with different TTLs.
    RrsetTtlMismatch = "rrset-ttl-mismatch", Warning, "RFC 2181 §5.2";
    /// An NSEC3 owner label or next hashed owner not of the hash's length (SHA-1: 20 octets, 32 base32hex characters).
    Nsec3HashLength = "nsec3-hash-length", Error, "RFC 5155 §3, §3.1.7, §3.3";
    /// A CDS or CDNSKEY (not the delete form) of an algorithm no apex DNSKEY has.
    CdsAlgorithmNoDnskey = "cds-algorithm-no-dnskey", Error, "RFC 7344 §4.1, RFC 8078 §4";
    /// A CDS or CDNSKEY (not the delete form) that names no apex DNSKEY.
    CdsNoMatchingDnskey = "cds-no-matching-dnskey", Warning, "RFC 7344 §4.1";
    /// The CDS or CDNSKEY delete form beside other records of its type.
    CdsDeleteNotAlone = "cds-delete-not-alone", Error, "RFC 8078 §4";
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// One problem (or note) about the zone.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub code: Code,
    pub severity: Severity,
    /// Owner name, absolute, as written in the zone.
    pub owner: String,
    /// Type mnemonic of the RRset the finding is about.
    #[serde(rename = "type")]
    pub rtype: String,
    /// Key tag of the DNSKEY / RRSIG / DS involved, if any.
    pub key_tag: Option<u16>,
    /// File of the offending record (a DS file for DS findings).
    pub file: Option<String>,
    pub line: Option<u32>,
    pub message: String,
    /// Canonical sort key of the owner (ordering only).
    #[serde(skip)]
    pub(crate) order_key: Vec<u8>,
    #[serde(skip)]
    pub(crate) type_num: u16,
}

impl Finding {
    /// `file:line` (or just the file, or nothing).
    pub fn location(&self) -> Option<String> {
        match (&self.file, self.line) {
            (Some(f), Some(l)) if l > 0 => Some(format!("{f}:{l}")),
            (Some(f), _) => Some(f.clone()),
            _ => None,
        }
    }

    /// One line for people: `file:line: owner TYPE: code: explanation`
    /// (warnings and notes say so before the explanation).
    pub fn to_text(&self) -> String {
        let loc = self
            .location()
            .map(|l| format!("{l}: "))
            .unwrap_or_default();
        let sev = match self.severity {
            Severity::Error => "",
            Severity::Warning => "warning: ",
            Severity::Note => "note: ",
        };
        format!(
            "{loc}{} {}: {}: {sev}{}",
            self.owner, self.rtype, self.code, self.message
        )
    }

    /// Deterministic order: canonical owner order, then type, then code,
    /// then position and message (so equal-looking findings stay stable).
    pub(crate) fn sort_key(&self) -> impl Ord + '_ {
        (
            &self.order_key,
            self.type_num,
            self.code,
            self.key_tag,
            self.line,
            &self.message,
        )
    }
}

/// Counts in the summary.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    pub errors: u64,
    pub warnings: u64,
    pub notes: u64,
    pub owners: u64,
    pub rrsets: u64,
    /// Authoritative RRsets that need signatures.
    pub signed_rrsets: u64,
    pub rrsigs: u64,
    /// Cryptographic verifications made.
    pub rrsigs_verified: u64,
    pub rrsigs_valid: u64,
    pub nsec: u64,
    pub nsec3: u64,
    /// Findings per code.
    pub by_code: std::collections::BTreeMap<String, u64>,
    /// The RRSIG that expires first, for monitoring (`None`: no RRSIG).
    pub earliest_expiration: Option<EarliestExpiration>,
}

/// When the first signature of a zone expires, and which.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct EarliestExpiration {
    /// `YYYYMMDDHHMMSS` (UTC), as in RRSIG presentation.
    pub time: String,
    /// Seconds since the epoch (the 32-bit field read near the verification time).
    pub unix: i64,
    pub owner: String,
    /// The type the RRSIG covers.
    pub rtype: String,
}

/// The result of a verification run.
#[derive(Debug, Clone, Serialize)]
pub struct VerifyReport {
    pub zone: String,
    /// True when there is no finding of severity error.
    pub ok: bool,
    /// What the chain of trust started from.
    pub trust_anchor: String,
    /// `nsec`, `nsec3`, `nsec+nsec3` or `none`.
    pub denial: String,
    /// Verification time, seconds since the epoch.
    pub now: u64,
    pub summary: Summary,
    pub findings: Vec<Finding>,
}

impl VerifyReport {
    /// The report for people: one line per finding and a summary line.
    pub fn to_text(&self) -> String {
        let mut s = String::new();
        for f in &self.findings {
            s.push_str(&f.to_text());
            s.push('\n');
        }
        s.push_str(&self.summary_line());
        s.push('\n');
        s
    }

    /// `zone example.com.: OK: ...` / `zone example.com.: FAILED: ...`.
    pub fn summary_line(&self) -> String {
        let m = &self.summary;
        format!(
            "zone {}: {}: {} error(s), {} warning(s); {} RRsets, {} RRSIGs ({} verified, {} valid), {} NSEC, {} NSEC3; trust: {}",
            self.zone,
            if self.ok { "OK" } else { "FAILED" },
            m.errors,
            m.warnings,
            m.rrsets,
            m.rrsigs,
            m.rrsigs_verified,
            m.rrsigs_valid,
            m.nsec,
            m.nsec3,
            self.trust_anchor
        )
    }

    /// Number of findings of severity error.
    pub fn errors(&self) -> usize {
        self.summary.errors as usize
    }
}
