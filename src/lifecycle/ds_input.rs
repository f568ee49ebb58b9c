//! DS records as the operator hands them back (`confirm-ds-published`):
//! zone-file / dsset text (`example.com. 3600 IN DS 12345 13 2 ABCD...`, as
//! `dnssec-dsfromkey` prints), or bare RDATA (`12345 13 2 ABCD...`), and
//! the check of each against the zone's KSKs (key tag, algorithm, digest;
//! RFC 4034 §5.1.4).

use crate::ds::{DigestType, Ds};
use crate::keys::Dnskey;
use crate::master::lexer::{Entries, LexErrorKind};
use crate::master::token::Token;
use crate::master::ttl::looks_like_ttl;
use crate::name::Name;
use crate::rdata::{class_from_mnemonic, rtype, type_from_mnemonic};
use crate::zonefile::entry::{origin_directive, parse_name, parse_record_head};

/// A DS record read from the operator's input, with where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GivenDs {
    /// `FILE:LINE` or `--ds-record #N`.
    pub source: String,
    /// The text as given (one line).
    pub text: String,
    pub key_tag: u16,
    pub algorithm: u8,
    pub digest_type: u8,
    pub digest: Vec<u8>,
}

impl GivenDs {
    pub fn describe(&self) -> String {
        format!("{} ({})", self.source, crate::quote::quote_str(&self.text))
    }
}

/// Parses DS records from text. `source` names the origin for messages
/// (`FILE` gives `FILE:LINE`; a `--ds-record` gives `--ds-record #N`).
/// The text is zone-file text, read with the zone reader's lexer, record
/// fields and RDATA parser (RFC 4034 §5.3 presentation form); a record may
/// also be given as its bare RDATA. Owners other than the zone, other
/// record types and malformed RDATA are errors naming the record.
pub fn parse_ds_text(
    text: &str,
    source: &str,
    per_line: bool,
    zone: &Name,
) -> Result<Vec<GivenDs>, String> {
    let split = Entries::split(text.as_bytes());
    if let Some(e) = &split.error {
        let m = match e.kind {
            LexErrorKind::UnclosedParenthesis => "unclosed \"(\"",
            LexErrorKind::StrayParenthesis => "unbalanced \")\"",
            LexErrorKind::UnterminatedQuote => e.message(),
        };
        return Err(format!("{source}:{}: {m}", e.line));
    }
    // A key file given as DS input: say so, and quote nothing of it.
    if let Some((line, what)) = split.key_material() {
        return Err(format!(
            "{source}:{line}: this is {what}, not DS records; nothing of it is shown"
        ));
    }
    let withhold = crate::quote::name_may_hold_secrets(std::path::Path::new(source));
    let mut origin = zone.clone();
    let mut out = Vec::new();
    for (start, mut tokens) in split.entries {
        let line = start.line;
        if withhold {
            for t in &mut tokens {
                t.withheld = true;
            }
        }
        let src = if per_line {
            format!("{source}:{line}")
        } else {
            source.to_string()
        };
        let joined = tokens
            .iter()
            .map(|t| String::from_utf8_lossy(t.text))
            .collect::<Vec<_>>()
            .join(" ");
        let q = crate::quote::quote_str;
        let err = |m: String| {
            if withhold {
                format!("{src}: {}", crate::quote::withhold_quotations(&m))
            } else {
                format!("{src} ({}): {m}", q(&joined))
            }
        };
        let first = tokens[0];
        if !first.quoted && first.text.first() == Some(&b'$') {
            match first.text.to_ascii_uppercase().as_slice() {
                b"$ORIGIN" => {
                    origin = origin_directive(&tokens, Some(&origin)).map_err(|e| err(e.message))?
                }
                // A DS set's TTL is the parent's to set; nothing here uses it.
                b"$TTL" => {}
                d => {
                    return Err(err(format!(
                        "unsupported directive {}",
                        crate::quote::quote(d)
                    )))
                }
            }
            continue;
        }
        let fields = match record_type_at(&tokens) {
            Some(type_at) => {
                // `[owner] [ttl] [class] DS rdata`: the owner may be left out.
                let owner_given = type_at > 0
                    && !looks_like_ttl(first.text)
                    && class_from_mnemonic(first.text).is_none();
                let head = parse_record_head(&tokens, usize::from(owner_given))
                    .map_err(|e| err(e.message))?;
                if head.rtype != rtype::DS {
                    return Err(err(format!(
                        "not a DS record (found {})",
                        tokens[head.type_at].display()
                    )));
                }
                if owner_given {
                    let name = parse_name(&first, Some(&origin)).map_err(|e| err(e.message))?;
                    if !name.eq_ignore_case(zone) {
                        return Err(err(format!(
                            "owner {name} is not the zone {zone}; a DS for this zone is owned by {zone}"
                        )));
                    }
                }
                &tokens[head.type_at + 1..]
            }
            None => &tokens[..],
        };
        let mut rdata = Vec::new();
        crate::rdata::parse_rdata(rtype::DS, fields, &origin, &mut rdata)
            .map_err(|e| err(e.message))?;
        // RFC 4034 §5.1: key tag, algorithm, digest type, digest.
        let [t0, t1, algorithm, digest_type, ref digest @ ..] = rdata[..] else {
            return Err(err("DS RDATA shorter than its 4 fixed octets".into()));
        };
        out.push(GivenDs {
            source: src,
            text: joined,
            key_tag: u16::from_be_bytes([t0, t1]),
            algorithm,
            digest_type,
            digest: digest.to_vec(),
        });
    }
    Ok(out)
}

/// Where the type of a record stands in an entry, or `None` for bare DS
/// RDATA (`12345 13 2 ABCD...`): the first type mnemonic that is not also
/// hexadecimal, since a digest token may read `A` or `AAAA`.
fn record_type_at(tokens: &[Token<'_>]) -> Option<usize> {
    tokens.iter().position(|t| {
        !t.quoted
            && type_from_mnemonic(t.text).is_some()
            && !t.text.iter().all(u8::is_ascii_hexdigit)
    })
}

/// A KSK the given records are checked against.
#[derive(Debug, Clone)]
pub struct KskRef {
    pub file: String,
    pub key_tag: u16,
    pub algorithm: u8,
    /// `None` for a retired key whose `.key` file is gone.
    pub dnskey: Option<Dnskey>,
    /// False for keys that left the zone.
    pub current: bool,
}

/// Checks one record against the zone's KSKs; `Ok(index)` of the current
/// KSK it is for, or why not.
pub fn check_one(zone: &Name, ds: &GivenDs, ksks: &[KskRef]) -> Result<usize, String> {
    let current: Vec<String> = ksks
        .iter()
        .filter(|k| k.current)
        .map(|k| format!("{} (algorithm {})", k.key_tag, k.algorithm))
        .collect();
    let Some(i) = ksks
        .iter()
        .position(|k| k.current && k.key_tag == ds.key_tag)
    else {
        if let Some(old) = ksks.iter().find(|k| !k.current && k.key_tag == ds.key_tag) {
            return Err(format!(
                "key tag {} is the retired KSK {}, no longer in the zone; do not publish its DS",
                ds.key_tag, old.file
            ));
        }
        return Err(format!(
            "key tag {} matches no KSK of the zone (current KSKs: {})",
            ds.key_tag,
            current.join(", ")
        ));
    };
    let k = &ksks[i];
    if ds.algorithm != k.algorithm {
        return Err(format!(
            "algorithm {} does not match KSK {} (algorithm {})",
            ds.algorithm, k.key_tag, k.algorithm
        ));
    }
    let dt = DigestType::from_number(ds.digest_type).map_err(|_| {
        format!(
            "digest type {} is not supported (2 SHA-256, 4 SHA-384, 1 SHA-1)",
            ds.digest_type
        )
    })?;
    if ds.digest.len() != dt.len() {
        return Err(format!(
            "a {} digest is {} octets, this one {}",
            dt,
            dt.len(),
            ds.digest.len()
        ));
    }
    let Some(dnskey) = &k.dnskey else {
        return Err(format!(
            "the public key of KSK {} cannot be read",
            k.key_tag
        ));
    };
    let want = Ds::from_dnskey(zone, &dnskey.to_rdata(), dt);
    if want.digest != ds.digest {
        return Err(format!(
            "digest does not match KSK {} (its {} DS is {})",
            k.key_tag,
            dt,
            want.rdata_text()
        ));
    }
    Ok(i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zone() -> Name {
        Name::from_ascii("example.com").unwrap()
    }

    #[test]
    fn forms() {
        let z = zone();
        let text = "; dsset\nexample.com. 3600 IN DS 1234 13 2 ( AABB\n CCDD )\n\
                    example.com. IN DS 1234 ECDSAP256SHA256 2 aabbccdd\n@ DS 1 13 2 00\n";
        let v = parse_ds_text(text, "f", true, &z).unwrap();
        assert_eq!(v.len(), 3);
        assert_eq!(v[0].digest, vec![0xAA, 0xBB, 0xCC, 0xDD]);
        assert_eq!(v[0].source, "f:2");
        assert_eq!(v[1].algorithm, 13);
        let v = parse_ds_text("1234 13 2 AABB", "--ds-record #1", false, &z).unwrap();
        assert_eq!(v[0].key_tag, 1234);
        for bad in [
            "other.com. IN DS 1 13 2 00",
            "example.com. IN DNSKEY 257 3 13 AAAA",
            "1 13 2",
            "70000 13 2 00",
            "1 13 2 XYZ",
            "( 1 13 2 00",
        ] {
            assert!(parse_ds_text(bad, "x", false, &z).is_err(), "{bad}");
        }
    }

    proptest::proptest! {
        #[test]
        fn parsing_never_panics(s in "[ -~\n()]{0,120}", t in "(example.com. )?(3600 )?(IN )?(DS )?[0-9]{1,6} [0-9A-Za-z]{1,16} [0-9]{1,3} [0-9a-fA-F ()]{0,80}") {
            let _ = parse_ds_text(&s, "x", true, &zone());
            let _ = parse_ds_text(&t, "x", false, &zone());
        }
    }
}
