//! The NSEC chain (RFC 4034 §4, RFC 4035 §2.3): one NSEC at every
//! authoritative name and delegation, each pointing at the next such name
//! in canonical order (RFC 4034 §6.1), the last back at the apex; the type
//! bitmap lists exactly the types present (RFC 4034 §4.1.2), which at a
//! delegation means NS, DS if any, NSEC and RRSIG. TTL: min(SOA TTL, SOA
//! MINIMUM) (RFC 9077 §3); a different TTL is only a warning, since
//! signers older than RFC 9077 used the SOA MINIMUM.

use super::finding::{Code, Finding};
use super::Ctx;
use crate::denial::{bitmap_types, in_chain, Chain};
use crate::name::{canonical_key_from_wire, wire_name_len, Name};
use crate::rdata::{decode_type_bitmap, rtype, type_mnemonic};
use crate::zone::{NameKind, Row};

/// Types as `A NS SOA`.
pub(crate) fn type_list(types: &[u16]) -> String {
    types
        .iter()
        .map(|&t| type_mnemonic(t).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// What is wrong with the encoding of a type bitmap that
/// [`decode_type_bitmap`] accepted (windows in increasing order, block
/// lengths 1..32), if anything. RFC 4034 §4.1.2 (and RFC 5155 §3.2.1 for
/// NSEC3) leaves one encoding per set of types: "Blocks with no types
/// present MUST NOT be included. Trailing zero octets in the bitmap MUST
/// be omitted." A validator may treat any other as a malformed record
/// (BIND's wire parser refuses it), so the denial it carries can fail.
pub(crate) fn bitmap_encoding_problem(bytes: &[u8]) -> Option<String> {
    let mut pos = 0usize;
    while let (Some(&window), Some(&len)) = (bytes.get(pos), bytes.get(pos + 1)) {
        let block = bytes.get(pos + 2..pos + 2 + len as usize)?;
        if block.iter().all(|&b| b == 0) {
            return Some(format!(
                "window block {window} lists no type (blocks with no types must not be included)"
            ));
        }
        if block.last() == Some(&0) {
            let zeros = block.iter().rev().take_while(|&&b| b == 0).count();
            return Some(format!(
                "window block {window} ends in {zeros} zero octet(s) (trailing zero octets must be omitted)"
            ));
        }
        pos += 2 + len as usize;
    }
    None
}

/// `(missing, extra)`: types in `want` not in `have`, and the reverse.
pub(crate) fn bitmap_diff(want: &[u16], have: &[u16]) -> (Vec<u16>, Vec<u16>) {
    let missing = want.iter().copied().filter(|t| !have.contains(t)).collect();
    let extra = have.iter().copied().filter(|t| !want.contains(t)).collect();
    (missing, extra)
}

/// Checks the NSEC chain; returns the number of NSEC records.
pub(crate) fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) -> u64 {
    let members = chain_members(ctx);
    let count = unexpected_rules(ctx, &members, out);
    let mut key = Vec::new();
    for (k, &i) in members.iter().enumerate() {
        let next = members[(k + 1) % members.len()];
        let Some((row, next_wire, types)) = parse_nsec(ctx, i, out) else {
            continue;
        };
        next_name_rule(ctx, i, row, next_wire, next, &mut key, out);
        bitmap_rules(ctx, i, row, &types, out);
        if let Some(f) = ttl_finding(ctx, Code::NsecTtlMismatch, i, rtype::NSEC, row) {
            out.push(f);
        }
    }
    count
}

/// The owners the chain links, in canonical order: authoritative names
/// and delegations (RFC 4035 §2.3), NSEC3 owners aside.
fn chain_members(ctx: &Ctx<'_>) -> Vec<usize> {
    (0..ctx.zone.owners.len())
        .filter(|&i| in_chain(ctx.kinds[i]) && !ctx.hash_owner[i])
        .collect()
}

/// An NSEC only at a chain member (RFC 4035 §2.3); returns the number of
/// NSEC records.
fn unexpected_rules(ctx: &Ctx<'_>, members: &[usize], out: &mut Vec<Finding>) -> u64 {
    let zone = ctx.zone;
    let mut count = 0u64;
    for i in 0..zone.owners.len() {
        if let Some(s) = zone.rrset(i, rtype::NSEC) {
            count += s.rows.len() as u64;
            let member = members.binary_search(&i).is_ok();
            if !member {
                out.push(ctx.finding(
                    Code::NsecUnexpected,
                    i,
                    rtype::NSEC,
                    None,
                    s.rows.first(),
                    format!(
                        "NSEC at {}, which is {} and not part of the NSEC chain",
                        zone.owner_name(i),
                        match ctx.kinds[i] {
                            NameKind::Glue => "glue",
                            NameKind::Occluded => "occluded",
                            _ => "an NSEC3 owner",
                        }
                    ),
                ));
            }
        }
    }
    count
}

/// The NSEC of chain member `i`: there is one (RFC 4035 §2.3), only one
/// (RFC 4034 §4), and its RDATA parses (RFC 4034 §4.1) into the next name
/// and the types, the bitmap in its one encoding (RFC 4034 §4.1.2).
/// `None` when there is no NSEC to check further.
fn parse_nsec<'z>(
    ctx: &Ctx<'z>,
    i: usize,
    out: &mut Vec<Finding>,
) -> Option<(&'z Row, &'z [u8], Vec<u16>)> {
    let zone = ctx.zone;
    let set = match zone.rrset(i, rtype::NSEC) {
        Some(s) => s,
        None => {
            out.push(ctx.finding(
                Code::NsecMissing,
                i,
                rtype::NSEC,
                None,
                ctx.first_row(i),
                format!(
                    "no NSEC at {}: the chain must cover every authoritative name and delegation",
                    zone.owner_name(i)
                ),
            ));
            return None;
        }
    };
    let row = &set.rows[0];
    if set.rows.len() > 1 {
        out.push(ctx.finding(
            Code::NsecDuplicate,
            i,
            rtype::NSEC,
            None,
            Some(&set.rows[1]),
            format!(
                "{} NSEC records at one owner; there must be one",
                set.rows.len()
            ),
        ));
    }
    let rd = zone.rdata(row);
    let parsed = wire_name_len(rd)
        .ok()
        .and_then(|n| Some((&rd[..n], decode_type_bitmap(&rd[n..])?)));
    let (next_wire, types) = match parsed {
        Some(p) => p,
        None => {
            out.push(ctx.finding(
                Code::NsecMalformed,
                i,
                rtype::NSEC,
                None,
                Some(row),
                "NSEC RDATA cannot be parsed (next name or type bitmap)".into(),
            ));
            return None;
        }
    };
    if let Some(problem) = bitmap_encoding_problem(&rd[next_wire.len()..]) {
        out.push(ctx.finding(
            Code::NsecBitmapNotCanonical,
            i,
            rtype::NSEC,
            None,
            Some(row),
            format!("NSEC type bitmap: {problem}"),
        ));
    }
    Some((row, next_wire, types))
}

/// The NSEC's next name is the following member in canonical order, the
/// last pointing at the apex (RFC 4034 §4.1.1, §6.1; RFC 4035 §2.3).
/// `key` is scratch space.
fn next_name_rule(
    ctx: &Ctx<'_>,
    i: usize,
    row: &Row,
    next_wire: &[u8],
    next: usize,
    key: &mut Vec<u8>,
    out: &mut Vec<Finding>,
) {
    let zone = ctx.zone;
    key.clear();
    canonical_key_from_wire(next_wire, key);
    if key.as_slice() != zone.owner_key(next) {
        let shown = Name::from_wire(next_wire)
            .map(|n| n.to_string())
            .unwrap_or_default();
        out.push(ctx.finding(
            Code::NsecChainBroken,
            i,
            rtype::NSEC,
            None,
            Some(row),
            format!(
                "NSEC next name is {shown}, but the next name of the zone in canonical order is {}",
                zone.owner_name(next)
            ),
        ));
    }
}

/// The NSEC bitmap `types` at member `i` lists exactly the types present
/// (RFC 4034 §4.1.2).
fn bitmap_rules(ctx: &Ctx<'_>, i: usize, row: &Row, types: &[u16], out: &mut Vec<Finding>) {
    let want = bitmap_types(ctx.zone, i, Chain::Nsec);
    let (missing, extra) = bitmap_diff(&want, types);
    if !missing.is_empty() {
        out.push(ctx.finding(
            Code::NsecBitmapMissingType,
            i,
            rtype::NSEC,
            None,
            Some(row),
            format!(
                "NSEC type bitmap lacks {} although the owner has it",
                type_list(&missing)
            ),
        ));
    }
    if !extra.is_empty() {
        out.push(ctx.finding(
            Code::NsecBitmapExtraType,
            i,
            rtype::NSEC,
            None,
            Some(row),
            format!(
                "NSEC type bitmap lists {} which the owner does not have",
                type_list(&extra)
            ),
        ));
    }
}

/// The RFC 9077 TTL check shared by NSEC and NSEC3.
pub(crate) fn ttl_finding(
    ctx: &Ctx<'_>,
    code: Code,
    i: usize,
    t: u16,
    row: &crate::zone::Row,
) -> Option<Finding> {
    let want = ctx.denial_ttl?;
    if row.ttl == want {
        return None;
    }
    let note = if Some(row.ttl) == ctx.soa_minimum {
        " (it is the SOA MINIMUM, the rule before RFC 9077)"
    } else {
        ""
    };
    Some(ctx.finding(
        code,
        i,
        t,
        None,
        Some(row),
        format!(
            "{} TTL {} is not min(SOA TTL, SOA MINIMUM) = {want}{note}",
            type_mnemonic(t),
            row.ttl
        ),
    ))
}

#[cfg(test)]
mod tests {

    /// RFC 4034 §4.3's bitmap (A MX RRSIG NSEC TYPE1234), written out from
    /// the RFC text, is the canonical one; the same types with a trailing
    /// zero octet or an extra empty block are not.
    #[test]
    fn bitmap_encoding_rfc4034_example_and_its_non_canonical_variants() {
        let mut rfc = vec![0x00, 0x06, 0x40, 0x01, 0x00, 0x00, 0x00, 0x03, 0x04, 0x1b];
        rfc.extend([0u8; 26]);
        rfc.push(0x20);
        assert_eq!(decode_type_bitmap(&rfc), Some(vec![1, 15, 46, 47, 1234]));
        assert_eq!(bitmap_encoding_problem(&rfc), None);
        let trailing = [0x00, 0x07, 0x40, 0x01, 0x00, 0x00, 0x00, 0x03, 0x00];
        assert_eq!(decode_type_bitmap(&trailing), Some(vec![1, 15, 46, 47]));
        let p = bitmap_encoding_problem(&trailing).expect("trailing zero");
        assert!(p.contains("window block 0 ends in 1 zero octet"), "{p}");
        let empty = [
            0x00, 0x06, 0x40, 0x01, 0x00, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00,
        ];
        assert_eq!(decode_type_bitmap(&empty), Some(vec![1, 15, 46, 47]));
        let p = bitmap_encoding_problem(&empty).expect("empty block");
        assert!(p.contains("window block 2 lists no type"), "{p}");
    }

    use super::*;

    #[test]
    fn diff_both_ways() {
        let (m, e) = bitmap_diff(&[1, 2, 46, 47], &[1, 46, 47, 16]);
        assert_eq!(m, vec![2]);
        assert_eq!(e, vec![16]);
        assert_eq!(type_list(&[1, 15]), "A MX");
    }
}

#[cfg(test)]
mod chain_tests {
    use super::super::testutil::*;

    const ZONE: &str = example_zone!(
        "sub.example. IN NS ns.sub.example.",
        "ns.sub.example. IN A 192.0.2.3"
    );

    fn signed(nsec: &str) -> String {
        let k = key(true);
        let z = format!("{ZONE}{nsec}");
        sign(
            &z,
            &k,
            |o, t| !(o.ends_with("sub.example.") && t != 47),
            |_, _, _| {},
        )
    }

    #[test]
    fn a_correct_chain_passes() {
        let r = verify_text(&signed(
            "example. 300 IN NSEC ns.example. NS SOA RRSIG NSEC DNSKEY
ns.example. 300 IN NSEC sub.example. A RRSIG NSEC
sub.example. 300 IN NSEC example. NS RRSIG NSEC
",
        ));
        assert!(errors(&r).is_empty(), "{:?}", errors(&r));
    }

    #[test]
    fn broken_chain_bitmap_missing_and_ttl() {
        let r = verify_text(&signed(
            "example. 300 IN NSEC sub.example. NS SOA RRSIG NSEC DNSKEY
ns.example. 3600 IN NSEC sub.example. A MX RRSIG NSEC
",
        ));
        assert_has(&r, "nsec-chain-broken", "example.", "NSEC");
        assert!(has(&r, "nsec-bitmap-extra-type", "ns.example.", "NSEC"));
        assert!(has(&r, "nsec-missing", "sub.example.", "NSEC"));
        assert!(r
            .findings
            .iter()
            .any(|f| f.code.as_str() == "nsec-ttl-mismatch"));
        let r = verify_text(&signed(
            "example. 300 IN NSEC ns.example. NS SOA RRSIG NSEC DNSKEY
ns.example. 300 IN NSEC sub.example. RRSIG NSEC
sub.example. 300 IN NSEC example. NS RRSIG NSEC
ns.sub.example. 300 IN NSEC example. A RRSIG NSEC
",
        ));
        assert_has(&r, "nsec-bitmap-missing-type", "ns.example.", "NSEC");
        assert!(has(&r, "nsec-unexpected", "ns.sub.example.", "NSEC"));
    }
}
