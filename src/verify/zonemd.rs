//! The zone digest (RFC 8976 §4): every apex ZONEMD we can compute must
//! carry the SOA serial and the digest of the zone as read. The ZONEMD
//! RRset's own RRSIGs are checked with every other RRset's.

use super::{Code, Ctx, Finding};
use crate::rdata::rtype;
use crate::zonemd::{weigh_apex, ZonemdError};

pub(crate) fn check(ctx: &Ctx<'_>, findings: &mut Vec<Finding>) {
    let (soa_serial, records) = weigh_apex(ctx.zone, true);
    for a in &records {
        let finding = |code: Code, message: String| {
            ctx.finding(code, ctx.apex, rtype::ZONEMD, None, Some(&a.row), message)
        };
        let z = match &a.record {
            Ok(z) => z,
            Err(e) => {
                findings.push(finding(Code::ZonemdMalformed, e.to_string()));
                continue;
            }
        };
        if a.duplicate {
            let e = ZonemdError::Duplicate {
                scheme: z.scheme,
                hash: z.hash,
            };
            findings.push(finding(Code::ZonemdDuplicate, e.to_string()));
            continue;
        }
        if let Err(e) = z.supported() {
            findings.push(finding(
                Code::ZonemdUnsupported,
                format!("{e}; not checked"),
            ));
            continue;
        }
        if Some(z.serial) != soa_serial {
            findings.push(finding(
                Code::ZonemdSerialMismatch,
                format!(
                    "ZONEMD serial {} is not the SOA serial {}",
                    z.serial,
                    soa_serial.map_or("(none)".into(), |s| s.to_string())
                ),
            ));
        }
        if let Some(d) = a.zone_digest.as_ref().filter(|d| **d != z.digest) {
            findings.push(finding(
                Code::ZonemdDigestMismatch,
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
