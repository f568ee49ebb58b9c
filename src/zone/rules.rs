//! Zone-content rules (RFC 1035 §5.2, RFC 1034 §4.2.1, RFC 2181, RFC 4035
//! §2, RFC 6672, RFC 4592): one implementation for `check`, `sign` and
//! `verify`. The model build collects every rule a zone breaks as a
//! [`Violation`]; `check` and `sign` turn those of severity error into
//! `file:line:column` errors and the rest into warnings, while `verify`
//! (an audit) turns them into findings and goes on.

use rayon::prelude::*;
use serde::Serialize;

use super::{NameKind, Row, Zone};
use crate::name::Name;
use crate::rdata::{self, rtype};

/// How `check` and `sign` treat a rule: errors stop them (exit 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleSeverity {
    Error,
    Warning,
}

macro_rules! rules {
    ($( $(#[doc = $doc:literal])* $v:ident = $s:literal, $sev:ident, $signed:literal, $rfc:literal; )*) => {
        /// A zone-content rule (README.md, "Zone-content rules").
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        pub enum Rule { $( $(#[doc = $doc])* $v, )* }

        impl Rule {
            /// Every rule, in declaration order (for documentation and tests).
            pub const ALL: &'static [Rule] = &[$(Rule::$v,)*];

            /// The rule's stable name (the `verify` finding code where one applies).
            pub fn as_str(self) -> &'static str {
                match self { $(Rule::$v => $s,)* }
            }

            /// What `check` and `sign` make of a violation.
            pub fn severity(self) -> RuleSeverity {
                match self { $(Rule::$v => RuleSeverity::$sev,)* }
            }

            /// Whether the rule is checked on a signed zone (`verify`); the
            /// others are about input to the signer.
            pub fn applies_to_signed(self) -> bool {
                match self { $(Rule::$v => $signed,)* }
            }

            /// The RFC section the rule comes from.
            pub fn rfc(self) -> &'static str {
                match self { $(Rule::$v => $rfc,)* }
            }

            /// One-line description.
            pub fn description(self) -> &'static str {
                match self { $(Rule::$v => concat!($($doc),*).trim_ascii(),)* }
            }
        }
    };
}

rules! {
    /// The zone has no SOA record at its apex.
    SoaMissing = "soa-missing", Error, true, "RFC 1035 §5.2, RFC 1034 §4.2.1";
    /// More than one SOA record at the apex.
    SoaMultiple = "soa-multiple", Error, true, "RFC 1035 §5.2, RFC 2181 §6.1";
    /// An SOA record at a name other than the apex ("not at top of zone").
    SoaNotAtApex = "soa-not-at-apex", Error, true, "RFC 1035 §5.2, RFC 1034 §4.2.1";
    /// No NS records at the apex.
    ApexNsMissing = "apex-ns-missing", Error, true, "RFC 1035 §5.2, RFC 1034 §4.2.1";
    /// Records outside the zone (not at or below the apex): ignored.
    OutOfZoneData = "out-of-zone-data", Warning, true, "RFC 1035 §5.2, RFC 2181 §6";
    /// A CNAME beside other data (RRSIG and NSEC excepted in a signed zone).
    CnameAndOtherData = "cname-and-other-data", Error, true, "RFC 2181 §10.1, RFC 1034 §3.6.2, RFC 4035 §2.5";
    /// More than one CNAME record at one name.
    CnameMultiple = "cname-multiple", Error, true, "RFC 2181 §10.1";
    /// More than one DNAME record at one name.
    DnameMultiple = "dname-multiple", Error, true, "RFC 6672 §2.4";
    /// Records below a DNAME: never served (occluded); one message per record.
    DataBelowDname = "data-below-dname", Warning, true, "RFC 6672 §2.4";
    /// Records below a zone cut that are not glue, or at a zone cut other than NS, DS and glue: not authoritative, not served (occluded).
    OccludedData = "occluded-data", Warning, true, "RFC 2181 §6, RFC 1034 §4.2.1";
    /// A delegation's name server is below a zone cut of this zone and has no A or AAAA glue.
    GlueMissing = "glue-missing", Warning, true, "RFC 1035 §5.2, RFC 1034 §4.2.1";
    /// An NS, MX or SRV target is a CNAME (an alias).
    TargetIsCname = "target-is-cname", Warning, true, "RFC 2181 §10.3, RFC 2782";
    /// An NS, MX or SRV target in the zone's authoritative data does not exist or has no A or AAAA record.
    TargetNoAddress = "target-no-address", Warning, true, "RFC 2181 §10.3, RFC 1035 §3.3.9, RFC 2782";
    /// A DS RRset at the apex: the parent's record, not the zone's.
    DsAtApex = "ds-at-apex", Error, false, "RFC 4035 §2.4";
    /// A DS RRset at a name that is not a delegation point.
    DsNotAtDelegation = "ds-not-at-delegation", Error, true, "RFC 4035 §2.4, RFC 4034 §5";
    /// An NS RRset at a wildcard name.
    WildcardNs = "wildcard-ns", Warning, true, "RFC 4592 §4.2";
    /// A DNAME at a wildcard name.
    WildcardDname = "wildcard-dname", Warning, true, "RFC 4592 §4.4";
    /// A `*` label that is not the leftmost label: an ordinary name, not a wildcard.
    AsteriskNotWildcard = "asterisk-label-not-wildcard", Warning, true, "RFC 4592 §2.1.1";
    /// Records of one RRset with different TTLs (all set to the lowest).
    RrsetTtlMismatch = "rrset-ttl-mismatch", Warning, true, "RFC 2181 §5.2";
    /// RRSIG, NSEC, NSEC3 or NSEC3PARAM records in a zone to be signed: the signer drops and remakes them.
    DnssecInUnsigned = "dnssec-records-in-input", Warning, false, "RFC 4035 §2";
    /// A DNSKEY RRset at a name other than the apex.
    DnskeyNotAtApex = "dnskey-not-at-apex", Warning, false, "RFC 4035 §2.1, RFC 4034 §2.1.1";
    /// An NSEC3 owner label or next hashed owner whose length is not that of the record's hash algorithm (SHA-1: 20 octets, 32 base32hex characters).
    Nsec3HashLength = "nsec3-hash-length", Error, true, "RFC 5155 §3, §3.1.7, §3.3";
    /// A CDS or CDNSKEY (not the delete form) of an algorithm no apex DNSKEY has.
    CdsAlgorithmNoDnskey = "cds-algorithm-no-dnskey", Error, true, "RFC 7344 §4.1, RFC 8078 §4";
    /// A CDS or CDNSKEY (not the delete form) that names no apex DNSKEY, though one of its algorithm exists.
    CdsNoMatchingDnskey = "cds-no-matching-dnskey", Warning, true, "RFC 7344 §4.1";
    /// The CDS `0 0 0 00` or CDNSKEY `0 3 0 AA==` delete form beside other records of its type.
    CdsDeleteNotAlone = "cds-delete-not-alone", Error, true, "RFC 8078 §4";
}

/// One rule broken, at one record. `file`, `line` and `col` locate the
/// record (`file` indexes the zone's [`crate::zonefile::SourceFiles`]);
/// `col` is the owner's column (1) when the name is what breaks the rule,
/// the type mnemonic's when the type is (see [`Rule::points_at_type`]).
#[derive(Debug, Clone)]
pub struct Violation {
    pub rule: Rule,
    /// The owner the violation is about (may be outside the zone).
    pub owner: Name,
    pub rtype: u16,
    pub file: u16,
    pub line: u32,
    pub col: u32,
    pub message: String,
}

impl Rule {
    /// Whether a violation points at the record's type (a type that must
    /// not be at this name, or one record too many of it) rather than at
    /// its owner (a name that must not hold data at all). The target rules
    /// are about an RDATA field, whose column the model does not keep (the
    /// row has room for one column): they point at the type, the nearest
    /// column it has.
    pub fn points_at_type(self) -> bool {
        !matches!(
            self,
            Rule::SoaMissing
                | Rule::ApexNsMissing
                | Rule::OutOfZoneData
                | Rule::DataBelowDname
                | Rule::AsteriskNotWildcard
        )
    }
}

/// At most this many violations of one rule are kept; the rest are
/// counted in one closing violation, so a broken 10M-name zone does not
/// produce 10M messages.
pub const MAX_PER_RULE: usize = 100;

/// A violation found by the parallel pass, before its message is made:
/// `row` indexes [`Zone::rows`] (the record pointed at).
#[derive(Debug, Clone, Copy)]
struct Hit {
    rule: Rule,
    owner: u32,
    row: u32,
}

/// Where the rules of one owner put their hits, in the order found.
struct OwnerHits<'a> {
    owner: u32,
    out: &'a mut Vec<Hit>,
}

impl OwnerHits<'_> {
    /// A hit of `rule` at `row`; none when the row is not there.
    fn hit(&mut self, rule: Rule, row: Option<u32>) {
        if let Some(row) = row {
            self.out.push(Hit {
                rule,
                owner: self.owner,
                row,
            });
        }
    }
}

/// Adds `v` unless its rule already has [`MAX_PER_RULE`]; counts the rest.
pub(crate) fn push_capped(out: &mut Vec<Violation>, counts: &mut [usize], v: Violation) {
    let n = &mut counts[v.rule as usize];
    *n += 1;
    if *n <= MAX_PER_RULE {
        out.push(v);
    }
}

/// One closing violation per rule that went over the cap.
pub(crate) fn close_capped(out: &mut Vec<Violation>, counts: &[usize]) {
    for (i, &n) in counts.iter().enumerate() {
        if n > MAX_PER_RULE {
            let rule = Rule::ALL[i];
            let last = out.iter().rev().find(|v| v.rule == rule).cloned();
            if let Some(last) = last {
                out.push(Violation {
                    message: format!(
                        "{} more {} problems not listed ({n} in all)",
                        n - MAX_PER_RULE,
                        rule.as_str()
                    ),
                    ..last
                });
            }
        }
    }
}

fn has(zone: &Zone, i: usize, t: u16) -> bool {
    zone.rrset(i, t).is_some()
}

fn has_address(zone: &Zone, i: usize) -> bool {
    has(zone, i, rtype::A) || has(zone, i, rtype::AAAA)
}

/// The target name of an NS, MX or SRV record (canonical RDATA).
fn target_of(t: u16, rd: &[u8]) -> Option<Name> {
    let skip = match t {
        rtype::NS => 0,
        rtype::MX => 2,
        rtype::SRV => 6,
        _ => return None,
    };
    Name::from_wire(rd.get(skip..)?).ok()
}

/// RFC 8078 §4: the RDATA of the CDS `0 0 0 00` and CDNSKEY `0 3 0 AA==`
/// records that ask the parent to delete the DS RRset.
fn is_delete_form(t: u16, rd: &[u8]) -> bool {
    match t {
        rtype::CDS => rd == [0, 0, 0, 0, 0],
        rtype::CDNSKEY => rd == [0, 0, 3, 0, 0],
        _ => false,
    }
}

/// The DNSSEC algorithm a CDS (DS format) or CDNSKEY (DNSKEY format) names.
fn cds_algorithm(t: u16, rd: &[u8]) -> Option<u8> {
    rd.get(if t == rtype::CDS { 2 } else { 3 }).copied()
}

impl Zone {
    /// Row index of the first row of owner `i`'s `t` RRset.
    fn row_index(&self, i: usize, t: u16, nth: usize) -> Option<u32> {
        let r = self.owners[i].rows.clone();
        (r.start..r.end)
            .filter(|&k| self.rows[k as usize].rtype == t)
            .nth(nth)
    }

    /// The nearest ancestor owner (strictly above `name`, strictly below
    /// the apex) that is a zone cut or owns a DNAME: `(owner, is_dname)`.
    fn occluder(&self, name: &Name) -> Option<(usize, bool)> {
        let mut cur = name.parent()?;
        while cur.is_subdomain_of(&self.origin) && !cur.eq_ignore_case(&self.origin) {
            if let Some(j) = self.find_owner(&cur) {
                if self.owners[j].kind == NameKind::Delegation {
                    return Some((j, false));
                }
                if has(self, j, rtype::DNAME) {
                    return Some((j, true));
                }
            }
            cur = cur.parent()?;
        }
        None
    }

    /// The rules of one owner, in type order.
    fn owner_hits(&self, i: usize, apex: usize, signed: bool, out: &mut Vec<Hit>) {
        let kind = self.owners[i].kind;
        let mut hits = OwnerHits {
            owner: i as u32,
            out,
        };
        if i == apex {
            self.apex_hits(i, signed, &mut hits);
        } else if has(self, i, rtype::SOA) {
            hits.hit(Rule::SoaNotAtApex, self.row_index(i, rtype::SOA, 0));
        }
        let served = matches!(
            kind,
            NameKind::Apex | NameKind::Authoritative | NameKind::Delegation
        );
        if served {
            self.served_name_hits(i, &mut hits);
        }
        match kind {
            NameKind::Authoritative => {
                if has(self, i, rtype::DS) {
                    hits.hit(Rule::DsNotAtDelegation, self.row_index(i, rtype::DS, 0));
                }
                if !signed && has(self, i, rtype::DNSKEY) {
                    hits.hit(Rule::DnskeyNotAtApex, self.row_index(i, rtype::DNSKEY, 0));
                }
            }
            NameKind::Delegation => self.zone_cut_hits(i, &mut hits),
            NameKind::Occluded => self.occluded_hits(i, &mut hits),
            _ => {}
        }
        self.nsec3_hits(i, &mut hits);
        if !signed {
            for s in self.rrsets(i) {
                if matches!(
                    s.rtype,
                    rtype::RRSIG | rtype::NSEC | rtype::NSEC3 | rtype::NSEC3PARAM
                ) {
                    let row = self.row_index(i, s.rtype, 0);
                    // The signer's own NSEC3PARAM is not in the input.
                    let generated = row
                        .is_some_and(|r| self.rows[r as usize].file == crate::zone::GENERATED_FILE);
                    if !generated {
                        hits.hit(Rule::DnssecInUnsigned, row);
                    }
                }
            }
        }
        if served {
            self.target_hits(i, kind, &mut hits);
        }
    }

    /// The rules of the apex `i`: one SOA, NS records, no DS in signer
    /// input, and the CDS and CDNSKEY rules.
    fn apex_hits(&self, i: usize, signed: bool, hits: &mut OwnerHits<'_>) {
        let first = Some(self.owners[i].rows.start);
        match self.rrset(i, rtype::SOA) {
            None => hits.hit(Rule::SoaMissing, first),
            Some(s) if s.rows.len() > 1 => {
                hits.hit(Rule::SoaMultiple, self.row_index(i, rtype::SOA, 1))
            }
            _ => {}
        }
        if !has(self, i, rtype::NS) {
            hits.hit(Rule::ApexNsMissing, first);
        }
        if !signed && has(self, i, rtype::DS) {
            hits.hit(Rule::DsAtApex, self.row_index(i, rtype::DS, 0));
        }
        for (rule, k) in self.cds_hits(i) {
            hits.hit(rule, Some(k));
        }
    }

    /// The rules of a name whose data is served (the apex, authoritative
    /// names, zone cuts): CNAME and DNAME alone and single, wildcards
    /// without NS or DNAME, `*` only as the leftmost label.
    fn served_name_hits(&self, i: usize, hits: &mut OwnerHits<'_>) {
        if let Some(c) = self.rrset(i, rtype::CNAME) {
            // RFC 4035 §2.5: RRSIG and NSEC belong beside a CNAME in a
            // signed zone.
            let other = self
                .rrsets(i)
                .find(|s| !matches!(s.rtype, rtype::CNAME | rtype::RRSIG | rtype::NSEC));
            if let Some(other) = other {
                let later = if (other.rows[0].file, other.rows[0].line)
                    >= (c.rows[0].file, c.rows[0].line)
                {
                    other.rtype
                } else {
                    rtype::CNAME
                };
                hits.hit(Rule::CnameAndOtherData, self.row_index(i, later, 0));
            }
            if c.rows.len() > 1 {
                hits.hit(Rule::CnameMultiple, self.row_index(i, rtype::CNAME, 1));
            }
        }
        if self
            .rrset(i, rtype::DNAME)
            .is_some_and(|d| d.rows.len() > 1)
        {
            hits.hit(Rule::DnameMultiple, self.row_index(i, rtype::DNAME, 1));
        }
        let key = self.owner_key(i);
        let wildcard = key.ends_with(b"\0*\0") || key == b"*\0";
        if wildcard && has(self, i, rtype::NS) {
            hits.hit(Rule::WildcardNs, self.row_index(i, rtype::NS, 0));
        }
        if wildcard && has(self, i, rtype::DNAME) {
            hits.hit(Rule::WildcardDname, self.row_index(i, rtype::DNAME, 0));
        }
        // The key lists labels root first: a `*` label anywhere but
        // last in the key is not the leftmost label.
        let star_inside = key.split(|&b| b == 0).rev().skip(2).any(|l| l == b"*");
        if star_inside {
            hits.hit(Rule::AsteriskNotWildcard, Some(self.owners[i].rows.start));
        }
    }

    /// The rule of a zone cut `i`: at a cut only NS, DS, the denial
    /// records and glue addresses are the parent's (RFC 4035 §2.6); CNAME
    /// is reported by [`Zone::served_name_hits`].
    fn zone_cut_hits(&self, i: usize, hits: &mut OwnerHits<'_>) {
        if let Some(s) = self.rrsets(i).find(|s| {
            !matches!(
                s.rtype,
                rtype::NS
                    | rtype::DS
                    | rtype::NSEC
                    | rtype::RRSIG
                    | rtype::A
                    | rtype::AAAA
                    | rtype::CNAME
            )
        }) {
            hits.hit(Rule::OccludedData, self.row_index(i, s.rtype, 0));
        }
    }

    /// The rules of an occluded name `i`: below a zone cut it is reported
    /// once; below a DNAME each of its records is.
    fn occluded_hits(&self, i: usize, hits: &mut OwnerHits<'_>) {
        let by_dname = self.occluder(&self.owner_name(i)).is_some_and(|(_, d)| d);
        if !by_dname {
            hits.hit(Rule::OccludedData, Some(self.owners[i].rows.start));
        } else if !self
            .rrsets(i)
            .all(|s| matches!(s.rtype, rtype::NSEC3 | rtype::RRSIG))
        {
            // RFC 6672 §2.4: no records at all below a DNAME. Each
            // is reported, so each can be found and removed; their
            // RRSIGs go with them. NSEC3 owners are exempt: a DNAME
            // at the apex (which §2.3 allows) has them all below it.
            let r = self.owners[i].rows.clone();
            for k in r {
                if self.rows[k as usize].rtype != rtype::RRSIG {
                    hits.hit(Rule::DataBelowDname, Some(k));
                }
            }
        }
    }

    /// NSEC3 records of owner `i` whose hash lengths are wrong (RFC 5155 §3).
    fn nsec3_hits(&self, i: usize, hits: &mut OwnerHits<'_>) {
        if let Some(s) = self.rrset(i, rtype::NSEC3) {
            let start = self.row_index(i, rtype::NSEC3, 0).unwrap_or(0);
            let label = self.hash_label(i);
            for (n, row) in s.rows.iter().enumerate() {
                if rdata::nsec3::hash_length_error(label.as_deref(), self.rdata(row)).is_some() {
                    hits.hit(Rule::Nsec3HashLength, Some(start + n as u32));
                }
            }
        }
    }

    /// Targets (RFC 2181 §10.3): NS at the apex and at cuts, MX and SRV
    /// in authoritative data.
    fn target_hits(&self, i: usize, kind: NameKind, hits: &mut OwnerHits<'_>) {
        let r = self.owners[i].rows.clone();
        for k in r.start..r.end {
            let row = &self.rows[k as usize];
            let wanted = match row.rtype {
                rtype::NS => true,
                rtype::MX | rtype::SRV => kind != NameKind::Delegation,
                _ => false,
            };
            if wanted {
                if let Some(rule) = self.target_rule(row.rtype, self.rdata(row)) {
                    hits.hit(rule, Some(k));
                }
            }
        }
    }

    /// The first label of owner `i` when it is one label below the apex,
    /// where an NSEC3 owner is `<base32hex(hash)>.<apex>` (RFC 5155 §3).
    fn hash_label(&self, i: usize) -> Option<Vec<u8>> {
        let key = self.owner_key(i);
        let mut origin = Vec::new();
        self.origin.canonical_key(&mut origin);
        let rest = key.strip_prefix(origin.as_slice())?;
        // One label: its bytes and the key's 0x00 terminator, nothing after.
        let label = rest.strip_suffix(&[0])?;
        (!label.is_empty() && !label.contains(&0)).then(|| label.to_vec())
    }

    /// CDS and CDNSKEY rules at the apex `i` (RFC 7344 §4.1, RFC 8078 §4):
    /// `(rule, row)`. Without a DNSKEY RRset nothing is said: signer input
    /// gets its keys when it is signed (and `sign` checks again with them),
    /// and a signed zone without one has `dnskey-missing`.
    fn cds_hits(&self, i: usize) -> Vec<(Rule, u32)> {
        let mut out = Vec::new();
        let Some(keys) = self.rrset(i, rtype::DNSKEY) else {
            return out;
        };
        let keys: Vec<&[u8]> = keys.rows.iter().map(|r| self.rdata(r)).collect();
        for t in [rtype::CDS, rtype::CDNSKEY] {
            let (Some(set), Some(start)) = (self.rrset(i, t), self.row_index(i, t, 0)) else {
                continue;
            };
            for (n, row) in set.rows.iter().enumerate() {
                let k = start + n as u32;
                let rd = self.rdata(row);
                if is_delete_form(t, rd) {
                    if set.rows.len() > 1 {
                        out.push((Rule::CdsDeleteNotAlone, k));
                    }
                    continue;
                }
                let alg = cds_algorithm(t, rd);
                if !keys
                    .iter()
                    .any(|key| key.get(3).copied() == alg && alg.is_some())
                {
                    out.push((Rule::CdsAlgorithmNoDnskey, k));
                    continue;
                }
                let named = keys.iter().any(|key| match t {
                    rtype::CDS => crate::dsdigest::ds_names_dnskey(&self.origin, rd, key),
                    _ => *key == rd,
                });
                if !named {
                    out.push((Rule::CdsNoMatchingDnskey, k));
                }
            }
        }
        out
    }

    /// What is wrong with the target of one NS, MX or SRV record, if anything.
    fn target_rule(&self, t: u16, rd: &[u8]) -> Option<Rule> {
        let target = target_of(t, rd)?;
        // A null MX or SRV target "." means no service (RFC 7505, RFC 2782).
        if target.is_root() || !target.is_subdomain_of(&self.origin) {
            return None;
        }
        let below_cut = || self.occluder(&target).is_some_and(|(_, d)| !d);
        match self.find_owner(&target) {
            Some(j) => {
                if has_address(self, j) {
                    return has(self, j, rtype::CNAME).then_some(Rule::TargetIsCname);
                }
                match self.owners[j].kind {
                    NameKind::Glue | NameKind::Occluded if t == rtype::NS => {
                        Some(Rule::GlueMissing)
                    }
                    NameKind::Glue | NameKind::Occluded => None,
                    NameKind::Delegation if t == rtype::NS => Some(Rule::GlueMissing),
                    NameKind::Delegation => None,
                    _ if has(self, j, rtype::CNAME) => Some(Rule::TargetIsCname),
                    _ => Some(Rule::TargetNoAddress),
                }
            }
            None if below_cut() => (t == rtype::NS).then_some(Rule::GlueMissing),
            None if self.occluder(&target).is_some() => None,
            None => Some(Rule::TargetNoAddress),
        }
    }

    /// The violation of hit `h`: its message, and the column it points at.
    fn describe(&self, h: &Hit) -> Violation {
        let i = h.owner as usize;
        let row = self.rows[h.row as usize];
        let owner = self.owner_name(i);
        let message = self.message(h, row, &owner);
        // Data below a cut is wrong by its name; data at a cut by its type.
        let by_name = h.rule == Rule::OccludedData && self.owners[i].kind == NameKind::Occluded;
        let col = if h.rule.points_at_type() && !by_name {
            row.type_col()
        } else {
            1
        };
        Violation {
            rule: h.rule,
            owner,
            rtype: row.rtype,
            file: row.file,
            line: row.line,
            col,
            message,
        }
    }

    /// The message of hit `h` at `row` of `owner`.
    fn message(&self, h: &Hit, row: Row, owner: &Name) -> String {
        let i = h.owner as usize;
        let t = rdata::type_mnemonic(row.rtype);
        let target = || {
            target_of(row.rtype, self.rdata(&row))
                .map(|n| n.to_string())
                .unwrap_or_default()
        };
        match h.rule {
            Rule::SoaMissing => format!("no SOA record at the zone apex {}", self.origin),
            Rule::SoaMultiple => {
                let n = self.rrset(i, rtype::SOA).map_or(0, |s| s.rows.len());
                format!("{n} SOA records at the apex; a zone has exactly one")
            }
            Rule::SoaNotAtApex => format!(
                "SOA record at {owner}, not at the top of the zone {}: a zone has its one SOA at its apex",
                self.origin
            ),
            Rule::ApexNsMissing => format!("no NS records at the zone apex {}", self.origin),
            Rule::CnameAndOtherData => {
                let other = self
                    .rrsets(i)
                    .find(|s| !matches!(s.rtype, rtype::CNAME | rtype::RRSIG | rtype::NSEC))
                    .map(|s| rdata::type_mnemonic(s.rtype).into_owned())
                    .unwrap_or_default();
                format!("{owner} has a CNAME and other data ({other}); RFC 2181 §10.1 forbids this")
            }
            Rule::CnameMultiple => format!(
                "{owner} has {} CNAME records; only one is allowed",
                self.rrset(i, rtype::CNAME).map_or(0, |s| s.rows.len())
            ),
            Rule::DnameMultiple => format!(
                "{owner} has {} DNAME records; only one is allowed",
                self.rrset(i, rtype::DNAME).map_or(0, |s| s.rows.len())
            ),
            Rule::DataBelowDname => {
                let d = self
                    .occluder(owner)
                    .map(|(j, _)| self.owner_name(j).to_string())
                    .unwrap_or_default();
                format!("{owner} {t} is below the DNAME at {d}: no records may exist below a DNAME, and this one is never served")
            }
            Rule::Nsec3HashLength => {
                let e = rdata::nsec3::hash_length_error(
                    self.hash_label(i).as_deref(),
                    self.rdata(&row),
                );
                e.map(|e| e.to_string()).unwrap_or_default()
            }
            Rule::CdsAlgorithmNoDnskey | Rule::CdsNoMatchingDnskey | Rule::CdsDeleteNotAlone => {
                self.cds_message(h.rule, row)
            }
            Rule::OccludedData if self.owners[i].kind == NameKind::Delegation => format!(
                "{owner} {t} is at a zone cut: only NS, DS and glue there are the parent's; it is not served"
            ),
            Rule::OccludedData => {
                let d = self
                    .occluder(owner)
                    .map(|(j, _)| self.owner_name(j).to_string())
                    .unwrap_or_default();
                format!("{owner} is below the zone cut at {d} and is not glue: its records are not served")
            }
            Rule::GlueMissing => format!(
                "name server {} of {owner} is below a zone cut of this zone and has no A or AAAA glue",
                target()
            ),
            Rule::TargetIsCname => format!(
                "{t} target {} is an alias (CNAME); it must name a host",
                target()
            ),
            Rule::TargetNoAddress => {
                let tn = target_of(row.rtype, self.rdata(&row));
                let exists = tn.and_then(|n| self.find_owner(&n)).is_some();
                if exists {
                    format!("{t} target {} has no A or AAAA record in the zone", target())
                } else {
                    format!("{t} target {} does not exist in the zone", target())
                }
            }
            Rule::DsAtApex => format!(
                "DS record at the apex {}: DS records belong in the parent zone, at the delegation",
                self.origin
            ),
            Rule::DsNotAtDelegation => format!(
                "DS record at {owner}, which has no NS records: DS records belong only at delegation points"
            ),
            Rule::WildcardNs => format!("NS records at the wildcard {owner}: delegation by wildcard is undefined"),
            Rule::WildcardDname => format!("DNAME at the wildcard {owner}: its meaning is undefined"),
            Rule::AsteriskNotWildcard => format!(
                "{owner} has a \"*\" label that is not the leftmost label: it is an ordinary name, not a wildcard"
            ),
            Rule::DnssecInUnsigned => format!(
                "{t} records in the input (already signed?): the signer drops and remakes them"
            ),
            Rule::DnskeyNotAtApex => format!(
                "DNSKEY records at {owner}, not at the zone apex {}",
                self.origin
            ),
            Rule::OutOfZoneData | Rule::RrsetTtlMismatch => String::new(),
        }
    }

    /// The message of a CDS or CDNSKEY rule at `row`.
    fn cds_message(&self, rule: Rule, row: Row) -> String {
        let t = rdata::type_mnemonic(row.rtype);
        let rd = self.rdata(&row);
        let mut shown = String::new();
        rdata::write_rdata(row.rtype, rd, &mut shown);
        match rule {
            Rule::CdsAlgorithmNoDnskey => format!(
                "{t} {shown}: no DNSKEY of the zone has algorithm {}; a parent applying it would break the chain of trust",
                cds_algorithm(row.rtype, rd).unwrap_or(0)
            ),
            Rule::CdsNoMatchingDnskey => format!(
                "{t} {shown} names no DNSKEY of the zone; a parent applying it would point at a key that is not there"
            ),
            _ => format!(
                "{t} {shown} is the delete form, which must be the only {t} record (RFC 8078 §4)"
            ),
        }
    }

    /// Checks every owner against the zone-content rules, in parallel;
    /// violations come out in canonical owner order. `signed`: the zone is
    /// checked as a signed zone (`verify`) rather than as signer input.
    pub(crate) fn content_rules(
        &self,
        signed: bool,
        out: &mut Vec<Violation>,
        counts: &mut [usize],
    ) {
        let apex = match self.apex() {
            Some(a) => a,
            None => return,
        };
        let hits: Vec<Hit> = (0..self.owners.len())
            .into_par_iter()
            .fold(Vec::new, |mut v, i| {
                self.owner_hits(i, apex, signed, &mut v);
                v
            })
            .reduce(Vec::new, |mut a, mut b| {
                a.append(&mut b);
                a
            });
        let mut dnssec_seen: Vec<u16> = Vec::new();
        for h in &hits {
            if h.rule == Rule::DnssecInUnsigned {
                // One warning per type is enough.
                let t = self.rows[h.row as usize].rtype;
                if dnssec_seen.contains(&t) {
                    continue;
                }
                dnssec_seen.push(t);
            }
            if counts[h.rule as usize] >= MAX_PER_RULE {
                counts[h.rule as usize] += 1;
                continue;
            }
            push_capped(out, counts, self.describe(h));
        }
    }
}
