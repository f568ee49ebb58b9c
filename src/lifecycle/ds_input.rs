//! DS records as the operator hands them back (`confirm-ds-published`):
//! zone-file / dsset text (`example.com. 3600 IN DS 12345 13 2 ABCD...`, as
//! `dnssec-dsfromkey` prints), or bare RDATA (`12345 13 2 ABCD...`), and
//! the check of each against the zone's KSKs (key tag, algorithm, digest;
//! RFC 4034 §5.1.4).

use crate::ds::{DigestType, Ds};
use crate::keys::{Algorithm, Dnskey};
use crate::name::Name;

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

/// A record's starting line and its tokens.
type RawRecord = (usize, Vec<String>);

/// Splits text into records: `;` comments dropped, parentheses join lines.
/// Errors carry the line.
fn records(text: &str) -> Result<Vec<RawRecord>, (usize, String)> {
    let mut out = Vec::new();
    let mut cur: Vec<String> = Vec::new();
    let mut start = 0;
    let mut depth = 0usize;
    for (i, raw) in text.lines().enumerate() {
        let line = raw.split(';').next().unwrap_or("");
        let spaced = line.replace('(', " ( ").replace(')', " ) ");
        for tok in spaced.split_whitespace() {
            if cur.is_empty() && depth == 0 {
                start = i + 1;
            }
            match tok {
                "(" => depth += 1,
                ")" => {
                    depth = depth
                        .checked_sub(1)
                        .ok_or((i + 1, "unbalanced \")\"".to_string()))?;
                }
                t => cur.push(t.to_string()),
            }
        }
        if depth == 0 && !cur.is_empty() {
            out.push((start, std::mem::take(&mut cur)));
        }
    }
    if depth != 0 {
        return Err((start, "unclosed \"(\"".into()));
    }
    Ok(out)
}

fn is_class(t: &str) -> bool {
    matches!(t.to_ascii_uppercase().as_str(), "IN" | "CH" | "HS" | "CS")
}

fn is_ttl(t: &str) -> bool {
    !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit())
}

/// Parses DS records from text. `source` names the origin for messages
/// (`FILE` gives `FILE:LINE`; a `--ds-record` gives `--ds-record #N`).
/// Owners other than the zone, other record types and malformed RDATA are
/// errors naming the record.
pub fn parse_ds_text(
    text: &str,
    source: &str,
    per_line: bool,
    zone: &Name,
) -> Result<Vec<GivenDs>, String> {
    let recs = records(text).map_err(|(l, m)| format!("{source}:{l}: {m}"))?;
    // A key file given as DS input: say so, and quote nothing of it.
    for (line, toks) in &recs {
        if let Some(what) = toks
            .first()
            .and_then(|t| crate::quote::key_material_line(t.as_bytes()))
        {
            return Err(format!(
                "{source}:{line}: this is {what}, not DS records; nothing of it is shown"
            ));
        }
    }
    let withhold = crate::quote::name_may_hold_secrets(std::path::Path::new(source));
    let mut origin = zone.clone();
    let mut out = Vec::new();
    for (line, toks) in recs {
        let src = if per_line {
            format!("{source}:{line}")
        } else {
            source.to_string()
        };
        let joined = toks.join(" ");
        let q = crate::quote::quote_str;
        let err = |m: String| {
            if withhold {
                format!("{src}: {}", crate::quote::withhold_quotations(&m))
            } else {
                format!("{src} ({}): {m}", q(&joined))
            }
        };
        if let Some(first) = toks.first() {
            if first.starts_with('$') {
                match first.to_ascii_uppercase().as_str() {
                    "$ORIGIN" => {
                        let o = toks
                            .get(1)
                            .ok_or_else(|| err("$ORIGIN without a name".into()))?;
                        origin = Name::parse(o.as_bytes(), Some(&origin))
                            .map_err(|e| err(format!("bad $ORIGIN: {e}")))?;
                    }
                    "$TTL" => {}
                    d => return Err(err(format!("unsupported directive {}", q(d)))),
                }
                continue;
            }
        }
        let ds_at = toks.iter().position(|t| t.eq_ignore_ascii_case("DS"));
        let rdata: &[String] = match ds_at {
            Some(i) => {
                // Before "DS": [owner] [ttl] [class] in either order.
                let mut owner = None;
                for (j, t) in toks[..i].iter().enumerate() {
                    if is_ttl(t) || is_class(t) {
                        continue;
                    }
                    if j == 0 && owner.is_none() {
                        owner = Some(t);
                    } else {
                        return Err(err(format!("unexpected {} before DS", q(t))));
                    }
                }
                if let Some(o) = owner {
                    let name = if o == "@" {
                        origin.clone()
                    } else {
                        Name::parse(o.as_bytes(), Some(&origin))
                            .map_err(|e| err(format!("bad owner name: {e}")))?
                    };
                    if !name.eq_ignore_case(zone) {
                        return Err(err(format!(
                            "owner {name} is not the zone {zone}; a DS for this zone is owned by {zone}"
                        )));
                    }
                }
                &toks[i + 1..]
            }
            None => {
                // Any other type named before the RDATA?
                if let Some(t) = toks.iter().find(|t| {
                    t.chars().all(|c| c.is_ascii_alphabetic())
                        && t.len() > 1
                        && !is_class(t)
                        && !t.bytes().all(|b| b.is_ascii_hexdigit())
                }) {
                    return Err(err(format!("not a DS record (found {})", q(t))));
                }
                &toks[..]
            }
        };
        if rdata.len() < 4 {
            return Err(err(
                "expected DS RDATA: key tag, algorithm, digest type, digest".into(),
            ));
        }
        let key_tag: u16 = rdata[0]
            .parse()
            .map_err(|_| err(format!("bad key tag {} (0 to 65535)", q(&rdata[0]))))?;
        let algorithm = match rdata[1].parse::<u8>() {
            Ok(n) => n,
            Err(_) => rdata[1]
                .parse::<Algorithm>()
                .map(|a| a.number())
                .map_err(|_| err(format!("bad algorithm {}", q(&rdata[1]))))?,
        };
        let digest_type: u8 = rdata[2]
            .parse()
            .map_err(|_| err(format!("bad digest type {}", q(&rdata[2]))))?;
        let hex: String = rdata[3..].concat();
        let digest = data_encoding::HEXUPPER_PERMISSIVE
            .decode(hex.as_bytes())
            .map_err(|_| err("the digest is not hexadecimal".into()))?;
        out.push(GivenDs {
            source: src,
            text: joined,
            key_tag,
            algorithm,
            digest_type,
            digest,
        });
    }
    Ok(out)
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
