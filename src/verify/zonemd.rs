//! The zone digest (RFC 8976 §4): every apex ZONEMD we can compute must
//! carry the SOA serial and the digest of the zone as read. The ZONEMD
//! RRset's own RRSIGs are checked with every other RRset's.

use super::{Code, Ctx, Finding};
use crate::rdata::rtype;
use crate::zonemd::{apex_records, digest_zone, soa_serial, ZonemdError};

pub(crate) fn check(ctx: &Ctx<'_>, findings: &mut Vec<Finding>) {
    let zone = ctx.zone;
    let records = apex_records(zone);
    if records.is_empty() {
        return;
    }
    let serial = zone.soa().and_then(soa_serial);
    let mut seen: Vec<(u8, u8)> = Vec::new();
    let mut to_check = Vec::new();
    for (row, parsed) in &records {
        let finding = |code: Code, message: String| {
            ctx.finding(code, ctx.apex, rtype::ZONEMD, None, Some(row), message)
        };
        let z = match parsed {
            Ok(z) => z,
            Err(e) => {
                findings.push(finding(Code::ZonemdMalformed, e.to_string()));
                continue;
            }
        };
        if seen.contains(&(z.scheme, z.hash)) {
            let e = ZonemdError::Duplicate {
                scheme: z.scheme,
                hash: z.hash,
            };
            findings.push(finding(Code::ZonemdDuplicate, e.to_string()));
            continue;
        }
        seen.push((z.scheme, z.hash));
        if let Err(e) = z.supported() {
            findings.push(finding(
                Code::ZonemdUnsupported,
                format!("{e}; not checked"),
            ));
            continue;
        }
        if Some(z.serial) != serial {
            findings.push(finding(
                Code::ZonemdSerialMismatch,
                format!(
                    "ZONEMD serial {} is not the SOA serial {}",
                    z.serial,
                    serial.map_or("(none)".into(), |s| s.to_string())
                ),
            ));
        }
        to_check.push((*row, z.clone()));
    }
    if to_check.is_empty() {
        return;
    }
    let hashes: Vec<u8> = to_check.iter().map(|(_, z)| z.hash).collect();
    let Ok(digests) = digest_zone(zone, &hashes) else {
        return;
    };
    for (row, z) in &to_check {
        let Some((_, d)) = digests.iter().find(|(h, _)| *h == z.hash) else {
            continue;
        };
        if *d != z.digest {
            findings.push(ctx.finding(
                Code::ZonemdDigestMismatch,
                ctx.apex,
                rtype::ZONEMD,
                None,
                Some(row),
                format!(
                    "ZONEMD (scheme {}, hash {}) does not match the zone: the zone's digest is {}",
                    z.scheme,
                    z.hash,
                    data_encoding::HEXLOWER.encode(d)
                ),
            ));
        }
    }
}
