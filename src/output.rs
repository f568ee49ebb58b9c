//! Writing zones in presentation format (RFC 1035 §5.1, RFC 3597 §5 for
//! unknown types): an unsigned zone as `check --emit` writes it, and a
//! [`SignedZone`] in its canonical order. Where the bytes go, atomically and
//! with which mode, is [`crate::fsio`]'s business.

use std::io::{self, Write};

use rayon::prelude::*;

use crate::name::write_name_text;
use crate::rdata;
use crate::signed::{signed_order, SignedItem, SignedOrder, SignedZone};
use crate::zone::Zone;

/// Which records of a signed zone an output file holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SignedZoneFormat {
    /// Every record, one per line, fully qualified, with the trailer that
    /// lets a later run re-sign from it.
    #[default]
    Full,
    /// Only the records the signer makes: DNSKEY, RRSIG, NSEC, NSEC3 and
    /// NSEC3PARAM, for `$INCLUDE` beside the unsigned zone file they were
    /// made from (as `dnssec-signzone -D`). No trailer: such a file is not
    /// a zone a re-sign can start from.
    DnssecOnly,
}

impl SignedZoneFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            SignedZoneFormat::Full => "full",
            SignedZoneFormat::DnssecOnly => "dnssec-only",
        }
    }
}

/// Owners formatted per parallel chunk; large enough to amortise the
/// hand-off, small enough to keep every core busy.
const CHUNK_OWNERS: usize = 4096;

/// Writes the zone in canonical order, one record per line, fully
/// qualified: `owner<TAB>ttl<TAB>class<TAB>type<TAB>rdata`. Chunks of
/// owners are formatted in parallel and written in order.
pub fn write_zone_text<W: Write>(zone: &Zone, w: &mut W) -> io::Result<()> {
    let class = rdata::class_mnemonic(zone.class);
    let n = zone.owners.len();
    let chunks: Vec<std::ops::Range<usize>> = (0..n)
        .step_by(CHUNK_OWNERS)
        .map(|s| s..(s + CHUNK_OWNERS).min(n))
        .collect();
    // Format a window of chunks at a time to bound memory.
    for window in chunks.chunks(rayon::current_num_threads().max(1) * 4) {
        let texts: Vec<String> = window
            .par_iter()
            .map(|r| {
                let mut s = String::with_capacity(r.len() * 128);
                for i in r.clone() {
                    format_owner(zone, i, &class, &mut s);
                }
                s
            })
            .collect();
        for t in texts {
            w.write_all(t.as_bytes())?;
        }
    }
    Ok(())
}

/// The RRsets of owner `i` in the order they are written: the SOA first
/// (RFC 1035 §5.2: the SOA begins the zone; every peer writes it first, and
/// loaders and reviewers expect it there), then the rest in canonical type
/// order. Only the apex has an SOA, so every other owner keeps its order.
fn rrsets_in_writing_order(zone: &Zone, i: usize) -> impl Iterator<Item = crate::zone::Rrset<'_>> {
    let soa = zone.rrsets(i).filter(|set| set.rtype == rdata::rtype::SOA);
    soa.chain(zone.rrsets(i).filter(|set| set.rtype != rdata::rtype::SOA))
}

/// Formats every record of owner `i`.
pub fn format_owner(zone: &Zone, i: usize, class: &str, out: &mut String) {
    use std::fmt::Write as _;
    let mut owner = String::new();
    write_name_text(zone.owner_name(i).as_wire(), &mut owner);
    for set in rrsets_in_writing_order(zone, i) {
        let tname = rdata::type_mnemonic(set.rtype);
        for row in set.rows {
            let _ = write!(out, "{owner}\t{}\t{class}\t{tname}\t", row.ttl);
            rdata::write_rdata(set.rtype, zone.rdata_original(row), out);
            out.push('\n');
        }
    }
}

/// Writes a signed zone in canonical order: per owner each RRset followed
/// by its RRSIGs, then the owner's NSEC and its RRSIG; NSEC3 records sit at
/// their hashed owner names in canonical order among the zone's names.
/// Formatting runs in parallel chunks; the order does not depend on threads.
/// The last line is the [`trailer`](crate::signed::trailer): the SHA-256
/// of everything before it, by which a re-sign knows its previous output
/// is the file written here.
pub fn write_signed_zone<W: Write>(s: &SignedZone, w: &mut W) -> io::Result<()> {
    let mut digest = ring::digest::Context::new(&ring::digest::SHA256);
    write_signed_records(s, false, &mut |bytes| {
        digest.update(bytes);
        w.write_all(bytes)
    })?;
    w.write_all(crate::signed::trailer(digest.finish().as_ref()).as_bytes())
}

/// Writes `s` as `format` says: [`write_signed_zone`], or the records
/// the signer made, in the same order.
pub fn write_signed_zone_as<W: Write>(
    s: &SignedZone,
    format: SignedZoneFormat,
    w: &mut W,
) -> io::Result<()> {
    match format {
        SignedZoneFormat::Full => write_signed_zone(s, w),
        SignedZoneFormat::DnssecOnly => write_signed_records(s, true, &mut |b| w.write_all(b)),
    }
}

/// The types of the zone's own RRsets a `dnssec-only` output keeps (the
/// signer's additions at the apex; RRSIG, NSEC and NSEC3 are written
/// apart from the RRsets).
fn made_by_signer(rtype: u16) -> bool {
    matches!(
        rtype,
        crate::rdata::rtype::DNSKEY | crate::rdata::rtype::NSEC3PARAM
    )
}

fn write_signed_records(
    s: &SignedZone,
    dnssec_only: bool,
    w: &mut dyn FnMut(&[u8]) -> io::Result<()>,
) -> io::Result<()> {
    let zone = &s.zone;
    let SignedOrder {
        items,
        owner_first,
        nsec3_first,
    } = signed_order(s);
    let class = rdata::class_mnemonic(zone.class);
    for window in items.chunks(CHUNK_OWNERS * rayon::current_num_threads().max(1) * 4) {
        let texts: Vec<String> = window
            .par_chunks(CHUNK_OWNERS)
            .map(|chunk| {
                let mut out = String::with_capacity(chunk.len() * 400);
                for item in chunk {
                    match *item {
                        SignedItem::Owner(i) => format_signed_owner(
                            s,
                            i as usize,
                            owner_first[i as usize],
                            &class,
                            dnssec_only,
                            &mut out,
                        ),
                        SignedItem::Nsec3(k) => {
                            format_nsec3(s, k as usize, nsec3_first[k as usize], &class, &mut out)
                        }
                    }
                }
                out
            })
            .collect();
        for t in texts {
            w(t.as_bytes())?;
        }
    }
    Ok(())
}

fn push_record(
    out: &mut String,
    owner: &str,
    ttl: u32,
    class: &str,
    rtype: u16,
    rdata_wire: &[u8],
) {
    use std::fmt::Write as _;
    let _ = write!(
        out,
        "{owner}\t{ttl}\t{class}\t{}\t",
        rdata::type_mnemonic(rtype)
    );
    rdata::write_rdata(rtype, rdata_wire, out);
    out.push('\n');
}

/// Which RRset RRSIG entries cover: (owner index, NSEC3 index, type).
type Covered = (u32, u32, u16);

/// The RRSIGs over `rtype` at owner `i`, among the owner's entries from
/// `first` on (`u32::MAX`: the owner has none), pushed in order.
fn push_rrsigs_of(
    s: &SignedZone,
    first: u32,
    i: usize,
    rtype: u16,
    owner_text: &str,
    class: &str,
    out: &mut String,
) {
    if first == u32::MAX {
        return;
    }
    let e = &s.signatures.entries;
    let mut k = first as usize;
    // An owner's entries are contiguous, each RRset's together (in the
    // signer's order, the NSEC's last): find `rtype`'s.
    while k < e.len() && e[k].owner() == i as u32 && !e[k].nsec3 && e[k].type_covered != rtype {
        k += 1;
    }
    push_rrsigs(s, k, (i as u32, 0, rtype), owner_text, class, out);
}

thread_local! {
    /// An RRSIG's RDATA, put together from its compact entry to be written.
    static RDATA: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// RRSIGs from entry `k` on that cover `id`; returns the next entry.
fn push_rrsigs(
    s: &SignedZone,
    mut k: usize,
    id: Covered,
    owner_text: &str,
    class: &str,
    out: &mut String,
) -> usize {
    let e = &s.signatures.entries;
    RDATA.with_borrow_mut(|rd| {
        while k < e.len() && (e[k].owner(), e[k].nsec3_index(), e[k].type_covered) == id {
            rd.clear();
            s.signatures.write_rdata(&e[k], rd);
            push_record(
                out,
                owner_text,
                e[k].ttl,
                class,
                crate::rdata::rtype::RRSIG,
                rd,
            );
            k += 1;
        }
    });
    k
}

fn format_signed_owner(
    s: &SignedZone,
    i: usize,
    first: u32,
    class: &str,
    dnssec_only: bool,
    out: &mut String,
) {
    let zone = &s.zone;
    let mut owner = String::new();
    write_name_text(zone.owner_name(i).as_wire(), &mut owner);
    for set in rrsets_in_writing_order(zone, i) {
        let rows = if dnssec_only && !made_by_signer(set.rtype) {
            &[][..]
        } else {
            set.rows
        };
        for row in rows {
            push_record(
                out,
                &owner,
                row.ttl,
                class,
                set.rtype,
                zone.rdata_original(row),
            );
        }
        push_rrsigs_of(s, first, i, set.rtype, &owner, class, out);
    }
    if let Some(c) = &s.nsec {
        if let Ok(pos) = c.entries.binary_search_by_key(&(i as u32), |e| e.owner) {
            let e = &c.entries[pos];
            push_record(
                out,
                &owner,
                c.ttl,
                class,
                crate::rdata::rtype::NSEC,
                c.rdata(e),
            );
            push_rrsigs_of(s, first, i, crate::rdata::rtype::NSEC, &owner, class, out);
        }
    }
}

fn format_nsec3(s: &SignedZone, k: usize, first: u32, class: &str, out: &mut String) {
    let Some(c) = &s.nsec3 else { return };
    let mut owner = String::new();
    write_name_text(c.owner(k).as_wire(), &mut owner);
    push_record(
        out,
        &owner,
        c.ttl,
        class,
        crate::rdata::rtype::NSEC3,
        c.rdata(k),
    );
    if first != u32::MAX {
        push_rrsigs(
            s,
            first as usize,
            (u32::MAX, k as u32, crate::rdata::rtype::NSEC3),
            &owner,
            class,
            out,
        );
    }
}
