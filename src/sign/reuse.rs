//! Keeping the signatures of a previous signed zone (incremental
//! re-signing, as `dnssec-signzone` does with a signed input, `-i`).
//!
//! An RRSIG of the previous zone is kept, byte for byte, for an RRset of
//! this run and a key of this run when all of these hold:
//!
//! * the RRset is unchanged: same owner, type, TTL and canonical RDATA
//!   (RFC 4034 §6.3), so the signed data is the same (RFC 4034 §3.1.8.1);
//! * the RRSIG was made by that key for that role: same algorithm and key
//!   tag, and it verifies with the key's public key (a key tag alone can
//!   collide, RFC 4034 App. B);
//! * its fields are what this run would write: signer the apex, the labels
//!   of the owner (RFC 4034 §3.1.3), the original TTL of the RRset;
//! * it is valid now and stays valid for more than the refresh interval
//!   (RFC 4034 §3.1.5, in serial arithmetic): a signature about to expire
//!   is renewed before resolvers see it expire.
//!
//! Everything else is signed afresh, and why is counted ([`Renewal`]).
//! A kept signature is verified unless the previous file is exactly one
//! zonesign wrote (its trailer, [`crate::signed::has_valid_trailer`]) and
//! its DNSKEY RRset holds this run's key and no other of that tag: then
//! the signature is the one made over this very RRset by this key. Any
//! other previous file (a peer's, or one edited or damaged since) has
//! every kept signature verified, and one that does not verify over the
//! RRset as it is now is renewed.

use rayon::prelude::*;
use serde::Serialize;

use super::ZoneSigningKey;
use crate::denial::nsec::NsecChain;
use crate::denial::nsec3::Nsec3Chain;
use crate::rdata::rtype;
use crate::rrsig::{signed_data, RrsigFields};
use crate::zone::Zone;

/// The previous signed zone of a re-sign, loaded as the verifier loads a
/// signed zone (TTLs as written, DNSSEC records kept).
pub struct Previous {
    zone: Zone,
    /// The file is, byte for byte, one zonesign wrote (its trailer holds).
    written_by_us: bool,
    /// `(key tag, algorithm, public key)` of its apex DNSKEY RRset.
    dnskeys: Vec<(u16, u8, Vec<u8>)>,
}

/// When a previous signature may be kept.
#[derive(Debug, Clone, Copy)]
pub struct ReuseRule {
    /// The signing time, seconds since the epoch.
    pub now: i64,
    /// A signature is renewed when it expires within this many seconds.
    pub refresh: u32,
}

/// Why an RRSIG was made afresh rather than kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Renewal {
    /// The RRset is new or differs from the previous zone's.
    Changed,
    /// The previous zone has no RRSIG over it by this key.
    KeyChange,
    /// The previous RRSIG expires within the refresh interval, or is not
    /// valid yet.
    Expiring,
    /// The previous RRSIG has other fields than this run would write, or
    /// does not verify.
    Unverifiable,
}

/// What a re-sign kept and renewed, counted per RRSIG.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ReuseCounts {
    /// RRSIGs kept from the previous zone.
    pub kept: u64,
    /// RRSIGs made in this run.
    pub new: u64,
    /// New because their RRset is new or changed.
    pub changed: u64,
    /// New because the previous zone had none by this key.
    pub key_change: u64,
    /// New because the previous one was about to expire.
    pub expiring: u64,
    /// New because the previous one had wrong fields or did not verify.
    pub unverifiable: u64,
}

impl ReuseCounts {
    pub(crate) fn count_new(&mut self, why: Option<Renewal>) {
        self.new += 1;
        match why {
            Some(Renewal::Changed) => self.changed += 1,
            Some(Renewal::KeyChange) => self.key_change += 1,
            Some(Renewal::Expiring) => self.expiring += 1,
            Some(Renewal::Unverifiable) => self.unverifiable += 1,
            None => {}
        }
    }

    pub(crate) fn add(&mut self, o: &ReuseCounts) {
        self.kept += o.kept;
        self.new += o.new;
        self.changed += o.changed;
        self.key_change += o.key_change;
        self.expiring += o.expiring;
        self.unverifiable += o.unverifiable;
    }
}

/// One RRset of this run, as the reuse check needs it.
pub(crate) struct RrsetView<'a, I> {
    /// Canonical owner key ([`crate::name::Name::canonical_key`]).
    pub owner_key: &'a [u8],
    pub owner_wire: &'a [u8],
    pub rtype: u16,
    pub ttl: u32,
    pub class: u16,
    /// Canonical RDATA in canonical order.
    pub rdatas: I,
}

impl Previous {
    /// `written_by_us`: the file's trailer holds
    /// ([`crate::signed::has_valid_trailer`]).
    pub fn new(zone: Zone, written_by_us: bool) -> Previous {
        let dnskeys = zone
            .apex()
            .and_then(|a| zone.rrset(a, rtype::DNSKEY))
            .map(|set| {
                set.rows
                    .iter()
                    .filter_map(|r| {
                        let rd = zone.rdata(r);
                        let alg = *rd.get(3)?;
                        Some((crate::keytag::key_tag(rd).0, alg, rd.get(4..)?.to_vec()))
                    })
                    .collect()
            })
            .unwrap_or_default();
        Previous {
            zone,
            written_by_us,
            dnskeys,
        }
    }

    /// Whether a signature of the previous zone with `key`'s tag and
    /// algorithm is `key`'s without checking it: the file is one zonesign
    /// wrote (so each of its signatures was made for its RRset and passed
    /// the check before publishing), and its DNSKEY RRset holds `key` and
    /// no other key with that tag and algorithm (tags collide, RFC 4034
    /// App. B). ARCHITECTURE.md, "Re-signing", says why this is safe.
    fn vouched_for(&self, key: &dyn ZoneSigningKey) -> bool {
        let Some(pk) = key.public_key() else {
            return false;
        };
        let mut same = self
            .dnskeys
            .iter()
            .filter(|(t, a, _)| *t == key.key_tag() && *a == key.algorithm())
            .peekable();
        same.peek().is_some() && same.all(|(_, _, p)| p.as_slice() == pk)
    }

    /// The previous zone.
    pub fn zone(&self) -> &Zone {
        &self.zone
    }

    /// The previous RRSIG RDATA over `set` by `key` that may be kept, or
    /// why there is none. `data` is scratch space.
    pub(crate) fn reusable<'p, 'a, I>(
        &'p self,
        set: RrsetView<'a, I>,
        key: &dyn ZoneSigningKey,
        want: &RrsigFields,
        rule: &ReuseRule,
        data: &mut Vec<u8>,
    ) -> Result<&'p [u8], Renewal>
    where
        I: Iterator<Item = &'a [u8]> + Clone,
    {
        let z = &self.zone;
        let po = z.find_owner_key(set.owner_key).ok_or(Renewal::Changed)?;
        if !rrset_is(z, po, set.rtype, set.ttl, set.rdatas.clone()) {
            return Err(Renewal::Changed);
        }
        let sigs = z.rrset(po, rtype::RRSIG).ok_or(Renewal::KeyChange)?;
        let verifier = key.verifier();
        let vouched = self.written_by_us && self.vouched_for(key);
        let mut why = Renewal::KeyChange;
        for row in sigs.rows {
            let rd = z.rdata(row);
            let Some((f, sig)) = RrsigFields::parse(rd) else {
                continue;
            };
            if f.type_covered != set.rtype
                || f.algorithm != key.algorithm()
                || f.key_tag != key.key_tag()
            {
                continue;
            }
            if f.labels != want.labels
                || f.original_ttl != want.original_ttl
                // Length octets (at most 63) are no letters: an ASCII
                // case-blind compare of wire names is a name compare.
                || !f.signer.eq_ignore_ascii_case(&want.signer)
            {
                why = Renewal::Unverifiable;
                continue;
            }
            if !valid_long_enough(&f, rule) {
                if why == Renewal::KeyChange {
                    why = Renewal::Expiring;
                }
                continue;
            }
            if vouched {
                return Ok(rd);
            }
            let Some(verifier) = verifier else {
                why = Renewal::Unverifiable;
                continue;
            };
            data.clear();
            signed_data(&f, set.owner_wire, set.class, set.rdatas.clone(), data);
            if verifier.verify(data, sig) {
                return Ok(rd);
            }
            why = Renewal::Unverifiable;
        }
        Err(why)
    }
}

impl Previous {
    /// Whether this run's records, the denial chain included, are those
    /// of the previous zone. The SOA is left out (its serial is what is
    /// being decided), so are RRSIGs (their renewal is counted apart) and
    /// ZONEMD (a digest of the rest, RFC 8976).
    pub fn same_records(
        &self,
        zone: &Zone,
        nsec: Option<&NsecChain>,
        nsec3: Option<&Nsec3Chain>,
    ) -> bool {
        let p = &self.zone;
        let compared = |t: u16| !matches!(t, rtype::SOA | rtype::RRSIG | rtype::ZONEMD);
        let previous_sets: usize = (0..p.owners.len())
            .into_par_iter()
            .map(|i| p.rrsets(i).filter(|s| compared(s.rtype)).count())
            .sum();
        let zone_sets = (0..zone.owners.len())
            .into_par_iter()
            .map(|i| {
                let po = p.find_owner_key(zone.owner_key(i));
                let mut n = 0;
                for set in zone.rrsets(i).filter(|s| compared(s.rtype)) {
                    let rdatas = set.rows.iter().map(|r| zone.rdata(r));
                    if !po.is_some_and(|po| rrset_is(p, po, set.rtype, set.ttl, rdatas)) {
                        return None;
                    }
                    n += 1;
                }
                Some(n)
            })
            .try_reduce(|| 0, |a, b| Some(a + b));
        let Some(zone_sets) = zone_sets else {
            return false;
        };
        let one = |key: &[u8], t: u16, ttl: u32, rd: &[u8]| {
            p.find_owner_key(key)
                .is_some_and(|po| rrset_is(p, po, t, ttl, std::iter::once(rd)))
        };
        let nsec_sets = match nsec {
            None => Some(0),
            Some(c) => c
                .entries
                .par_iter()
                .all(|e| {
                    one(
                        zone.owner_key(e.owner as usize),
                        rtype::NSEC,
                        c.ttl,
                        c.rdata(e),
                    )
                })
                .then_some(c.entries.len()),
        };
        let nsec3_sets = match nsec3 {
            None => Some(0),
            Some(c) => (0..c.entries.len())
                .into_par_iter()
                .all(|k| {
                    let mut key = Vec::new();
                    c.owner_key(k, &mut key);
                    one(&key, rtype::NSEC3, c.ttl, c.rdata(k))
                })
                .then_some(c.entries.len()),
        };
        match (nsec_sets, nsec3_sets) {
            (Some(a), Some(b)) => previous_sets == zone_sets + a + b,
            _ => false,
        }
    }
}

/// Whether owner `po` of `z` has an RRset of `rtype` with this TTL and
/// exactly these canonical RDATA, in canonical order (RFC 4034 §6.3).
fn rrset_is<'a>(
    z: &Zone,
    po: usize,
    rtype: u16,
    ttl: u32,
    rdatas: impl Iterator<Item = &'a [u8]>,
) -> bool {
    z.rrset(po, rtype)
        .is_some_and(|ps| ps.ttl == ttl && ps.rows.iter().map(|r| z.rdata(r)).eq(rdatas))
}

/// Valid at `rule.now` and for more than `rule.refresh` after it, read in
/// serial arithmetic (RFC 4034 §3.1.5, RFC 1982).
fn valid_long_enough(f: &RrsigFields, rule: &ReuseRule) -> bool {
    let now = rule.now as u32;
    let since_inception = now.wrapping_sub(f.inception) as i32;
    let to_expiration = f.expiration.wrapping_sub(now) as i32;
    since_inception >= 0 && i64::from(to_expiration) > i64::from(rule.refresh)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(inception: u32, expiration: u32) -> RrsigFields {
        RrsigFields {
            type_covered: rtype::A,
            algorithm: 13,
            labels: 2,
            original_ttl: 3600,
            expiration,
            inception,
            key_tag: 1,
            signer: b"\x07example\x00".to_vec(),
        }
    }

    #[test]
    fn refresh_threshold_in_serial_arithmetic() {
        let now = 1_796_169_600;
        let rule = ReuseRule {
            now,
            refresh: 86_400,
        };
        let t = now as u32;
        assert!(valid_long_enough(&fields(t - 10, t + 86_401), &rule));
        assert!(
            !valid_long_enough(&fields(t - 10, t + 86_400), &rule),
            "at the threshold: renewed"
        );
        assert!(
            !valid_long_enough(&fields(t + 10, t + 30 * 86_400), &rule),
            "not valid yet"
        );
        assert!(
            !valid_long_enough(&fields(t - 100, t - 10), &rule),
            "expired"
        );
        // Across the 2106 wrap of 32-bit time.
        let wrap = ReuseRule {
            now: (1_i64 << 32) + 100,
            refresh: 86_400,
        };
        assert!(valid_long_enough(
            &fields(u32::MAX - 1000, 10 * 86_400),
            &wrap
        ));
    }

    #[test]
    fn counts_add_up() {
        let mut c = ReuseCounts::default();
        c.count_new(Some(Renewal::Changed));
        c.count_new(Some(Renewal::Expiring));
        c.count_new(None);
        let mut total = ReuseCounts {
            kept: 5,
            ..ReuseCounts::default()
        };
        total.add(&c);
        assert_eq!(
            (total.kept, total.new, total.changed, total.expiring),
            (5, 3, 1, 1)
        );
    }
}
