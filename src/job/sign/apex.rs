//! The records the signer adds at the apex before the zone is finished:
//! the DNSKEY RRset of every published key (RFC 4035 §2.1), the ZONEMD
//! placeholders asked for (RFC 8976 §3.1) and, for NSEC3, the NSEC3PARAM
//! (RFC 5155 §4).

use super::{DenialMode, SignConfig};
use crate::name::Name;
use crate::rdata::rtype;
use crate::sign::keyset::RunKey;
use crate::zone::ZoneBuilder;
use crate::zonemd::ZonemdError;

/// Adds the apex records of this run to `builder`, beside any the zone
/// file has; the DNSKEY RRset gets `dnskey_ttl` (default the SOA's TTL);
/// advice about the NSEC3 parameters goes to `warnings`.
pub(super) fn add_records(
    builder: &mut ZoneBuilder,
    cfg: &SignConfig,
    dnskey_ttl: Option<u32>,
    apex: &Name,
    keys: &[RunKey],
    warnings: &mut Vec<String>,
) -> Result<(), ZonemdError> {
    let soa_ttl = builder.first_ttl_of(rtype::SOA).unwrap_or(3600);
    let dnskey_ttl = dnskey_ttl.unwrap_or(soa_ttl);
    let dnskey_ttl = cfg.max_ttl.map_or(dnskey_ttl, |m| dnskey_ttl.min(m));
    for k in keys.iter().filter(|k| k.publish) {
        builder.add_generated(apex, dnskey_ttl, rtype::DNSKEY, &k.key.dnskey().to_rdata());
    }
    crate::sign::zonemd::add_requested(builder, apex, soa_ttl, &cfg.zonemd)?;
    if let DenialMode::Nsec3(p) = &cfg.denial {
        // TTL 0 as BIND writes it: NSEC3PARAM is for the zone's own
        // servers, not resolvers (RFC 5155 §4).
        builder.add_generated(apex, 0, rtype::NSEC3PARAM, &p.nsec3param_rdata());
        warnings.extend(p.advice());
    }
    Ok(())
}
