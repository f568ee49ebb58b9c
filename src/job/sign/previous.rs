//! Re-signing from a previous signed output: loading it, and the SOA
//! serial of the new output ([`crate::sign::serial`]).
//!
//! The serial is decided in two steps. Before signing, the SOA gets the
//! serial an unchanged output would have (the zone file's, or the previous
//! output's when that is greater), so that an unchanged zone keeps its
//! SOA signature and comes out byte-identical. After signing, when the
//! output differs from the previous one in anything but the SOA (records,
//! the denial chain, any renewed signature), the policy gives the new
//! serial and the SOA alone is signed again.

use super::{SignConfig, SignRunError};
use crate::name::Name;
use crate::rdata::rtype;
use crate::sign::reuse::{Previous, ReuseCounts};
use crate::sign::serial::{changed_serial, unchanged_serial, SerialPolicy};
use crate::sign::{resign_rrset, rrsigs_over, SigningKeys};
use crate::signed::SignedZone;
use crate::zone::Zone;
use crate::zonemd::soa_serial;

/// Serials known before signing.
#[derive(Debug, Clone, Copy)]
pub(super) struct Serials {
    /// What the SOA was signed with: the serial of an unchanged output.
    start: Option<u32>,
    /// The previous output's serial.
    previous: Option<u32>,
}

/// The previous signed output, when the run has one: read as the verifier
/// reads a signed zone (no TTL cap, DNSSEC records kept), and refused when
/// it is another zone's.
pub(super) fn load(cfg: &SignConfig, apex: &Name) -> Result<Option<Previous>, SignRunError> {
    let Some(path) = &cfg.previous else {
        return Ok(None);
    };
    // Its apex from its own SOA, so that another zone's file is named as
    // such rather than read as out-of-zone data.
    let (builder, sources, prev_apex) = crate::zone::load::read_zone_into(
        path,
        None,
        crate::zone::BuildOptions {
            max_ttl: None,
            strip_dnssec: false,
            limits: cfg.limits,
        },
    )?;
    if !prev_apex.eq_ignore_case(apex) {
        return Err(SignRunError::Previous(format!(
            "{}: the previous signed zone is {prev_apex}, not {apex}",
            path.display()
        )));
    }
    let zone = builder.finish_for_reuse(&prev_apex, sources)?;
    if zone.soa().is_none() {
        return Err(SignRunError::Previous(format!(
            "{}: the previous signed zone has no SOA at {apex}",
            path.display()
        )));
    }
    Ok(Some(Previous::new(zone, written_by_us(path))))
}

/// Whether the file at `path` is, byte for byte, a signed zone zonesign
/// wrote. It has been read once already, within the run's size cap.
fn written_by_us(path: &std::path::Path) -> bool {
    let Ok(file) = std::fs::File::open(path) else {
        return false;
    };
    // SAFETY: read-only map of a file read just before; a change under us
    // at worst makes the digest fail, which means verifying every kept
    // signature.
    match unsafe { memmap2::Mmap::map(&file) } {
        Ok(map) => crate::signed::has_valid_trailer(&map),
        Err(_) => false,
    }
}

/// Sets the SOA serial the zone is signed with (see the module docs).
/// Without a previous output every run is a change: the policy applies to
/// the zone file's serial.
pub(super) fn start_serial(
    cfg: &SignConfig,
    zone: &mut Zone,
    previous: Option<&Previous>,
) -> Result<Serials, SignRunError> {
    let input = zone.soa().and_then(soa_serial);
    let prev = previous.and_then(|p| p.zone().soa()).and_then(soa_serial);
    let start = match (input, previous) {
        (Some(i), Some(_)) => Some(unchanged_serial(i, prev)),
        (Some(i), None) => Some(changed_serial(cfg.serial, i, cfg.now)),
        (None, _) => None,
    };
    if let (Some(s), Some(i)) = (start, input) {
        if s != i && !zone.set_soa_serial(s) {
            return Err(SignRunError::Previous(
                "the zone's SOA has no serial field".into(),
            ));
        }
    }
    Ok(Serials {
        start,
        previous: prev,
    })
}

/// The output's final serial: when it differs from the previous output
/// in anything but the SOA, the policy moves the serial and the SOA is
/// signed again. A change left at the previous serial (`keep`) is
/// warned about: secondaries that hold that serial will not fetch it.
#[allow(clippy::too_many_arguments)]
pub(super) fn finish_serial(
    cfg: &SignConfig,
    signed: &mut SignedZone,
    previous: Option<&Previous>,
    serials: Serials,
    keys: &SigningKeys<'_>,
    counts: &mut ReuseCounts,
    warnings: &mut Vec<String>,
) -> Result<Option<u32>, SignRunError> {
    let (Some(previous), Some(start)) = (previous, serials.start) else {
        return Ok(serials.start);
    };
    let Some(apex) = signed.zone.apex() else {
        return Ok(Some(start));
    };
    let soa_sigs = kept_soa_signatures(signed, previous, apex);
    // ZONEMD placeholders never match the previous digest: their
    // signatures are made again after the digest, kept if it is the same.
    let zonemd_sigs = signatures_over(signed, apex, rtype::ZONEMD);
    let renewed_elsewhere = counts.new > soa_sigs.new + zonemd_sigs;
    let changed = renewed_elsewhere
        || !previous.same_records(&signed.zone, signed.nsec.as_ref(), signed.nsec3.as_ref());
    if !changed {
        return Ok(Some(start));
    }
    let serial = changed_serial(cfg.serial, start, cfg.now);
    if serial == start {
        if serials.previous == Some(start) && cfg.serial == SerialPolicy::Keep {
            warnings.push(format!(
                "the signed zone changed but the SOA serial stays {start} (--serial keep): \
                 secondaries that hold serial {start} will not fetch the change"
            ));
        }
        return Ok(Some(serial));
    }
    signed.zone.set_soa_serial(serial);
    resign_rrset(
        &signed.zone,
        keys,
        &cfg.window,
        apex,
        rtype::SOA,
        &mut signed.signatures,
        None,
    )?;
    // The SOA's signatures kept from the previous output are new now.
    counts.kept -= soa_sigs.kept;
    counts.new += soa_sigs.kept;
    counts.changed += soa_sigs.kept;
    Ok(Some(serial))
}

/// How many RRSIGs there are over `rtype` at `owner`.
pub(super) fn signatures_over(signed: &SignedZone, owner: usize, rtype: u16) -> u64 {
    rrsigs_over(&signed.signatures, owner, rtype).len() as u64
}

/// How many of the SOA's RRSIGs were kept from the previous output and
/// how many made: a kept one is byte for byte one of the previous SOA's.
struct SoaSignatures {
    kept: u64,
    new: u64,
}

fn kept_soa_signatures(signed: &SignedZone, previous: &Previous, apex: usize) -> SoaSignatures {
    let p = previous.zone();
    let prev_sigs: Vec<&[u8]> = p
        .apex()
        .and_then(|a| p.rrset(a, rtype::RRSIG))
        .map(|s| s.rows.iter().map(|r| p.rdata(r)).collect())
        .unwrap_or_default();
    let mut out = SoaSignatures { kept: 0, new: 0 };
    let sigs = &signed.signatures;
    for e in &sigs.entries[rrsigs_over(sigs, apex, rtype::SOA)] {
        if prev_sigs.contains(&sigs.rdata(e).as_slice()) {
            out.kept += 1;
        } else {
            out.new += 1;
        }
    }
    out
}
