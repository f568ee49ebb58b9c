//! SVCB and HTTPS (RFC 9460 §2.1, §7, Appendix A). Ours: hickory-proto 0.26
//! rejects unsorted keys on input (Appendix D Figure 9), does not decode
//! `\DDD` in values (Figure 6) nor the `\,` list escapes (Figure 10),
//! lowercases the target, and its Display leaves trailing commas; see
//! `hickory_tests.rs`.

use std::net::{Ipv4Addr, Ipv6Addr};

use super::present::{sep, write_base64, write_unquoted, Reader};
use super::text::{parse_decimal, unescape, Parser, BASE64};
use super::RdataError;
use crate::name::write_name_text;
use base64::Engine;

pub(crate) const FIELDS: &[&str] = &["priority", "target"];

const MANDATORY: u16 = 0;
const ALPN: u16 = 1;
const NO_DEFAULT_ALPN: u16 = 2;
const PORT: u16 = 3;
const IPV4HINT: u16 = 4;
const ECH: u16 = 5;
const IPV6HINT: u16 = 6;
const DOHPATH: u16 = 7;
const OHTTP: u16 = 8;
const INVALID_KEY: u16 = 65535;

const KEY_NAMES: &[(u16, &str)] = &[
    (MANDATORY, "mandatory"),
    (ALPN, "alpn"),
    (NO_DEFAULT_ALPN, "no-default-alpn"),
    (PORT, "port"),
    (IPV4HINT, "ipv4hint"),
    (ECH, "ech"),
    (IPV6HINT, "ipv6hint"),
    (DOHPATH, "dohpath"),
    (OHTTP, "ohttp"),
];

/// §2.1: a key is `alpha-lc` (lower-case letters, digits, `-`): a
/// registered name or `keyNNNNN`. Upper case is not a key at all (`PORT`,
/// `KEY3`), so it is refused rather than folded.
fn key_from_name(name: &[u8]) -> Option<u16> {
    if let Some(&(k, _)) = KEY_NAMES.iter().find(|(_, n)| n.as_bytes() == name) {
        return Some(k);
    }
    let digits = name.strip_prefix(b"key")?;
    parse_decimal(digits, 65535).map(|v| v as u16)
}

fn write_key(key: u16, out: &mut String) {
    match KEY_NAMES.iter().find(|&&(k, _)| k == key) {
        Some((_, n)) => out.push_str(n),
        None => {
            out.push_str("key");
            out.push_str(&key.to_string());
        }
    }
}

/// Appendix A.1 comma-separated list, applied after character-string
/// decoding: items split on `,`; within an item `\,` is a comma and `\\`
/// a backslash, and no other backslash is allowed (`escaped-item =
/// 1*(item-allowed / "\," / "\\")`). So the zone-file text `a\,b`
/// (decoded `a,b`) is two items, as in the Appendix A.1 example; `a\\,b`
/// (decoded `a\,b`) is the one item `a,b`; and `a\\b` (decoded `a\b`) is
/// an error rather than `ab` (BIND drops the backslash there).
fn split_value_list(v: &[u8]) -> Result<Vec<Vec<u8>>, String> {
    let mut items = vec![Vec::new()];
    let mut i = 0;
    while i < v.len() {
        match v[i] {
            b'\\' => {
                let b = match v.get(i + 1) {
                    Some(&b @ (b',' | b'\\')) => b,
                    Some(_) => {
                        return Err(
                            "a backslash in a list item must be followed by ',' or '\\' once the zone-file escapes are decoded (RFC 9460 Appendix A.1); write \\\\\\\\ for a backslash, \\\\, for a comma"
                                .into(),
                        )
                    }
                    None => return Err("backslash at end of list".into()),
                };
                items.last_mut().ok_or("empty list")?.push(b);
                i += 2;
            }
            b',' => {
                items.push(Vec::new());
                i += 1;
            }
            b => {
                items.last_mut().ok_or("empty list")?.push(b);
                i += 1;
            }
        }
    }
    if items.iter().any(Vec::is_empty) {
        return Err("empty item in comma-separated list".into());
    }
    Ok(items)
}

/// One parameter as read: key, whether a value was given, its octets, token.
struct Param {
    key: u16,
    value: Option<Vec<u8>>,
    token: usize,
}

fn read_params(p: &mut Parser<'_, '_>) -> Result<Vec<Param>, RdataError> {
    let tn = p.tname;
    let mut params = Vec::new();
    while let Some(t) = p.peek() {
        let i = p.pos;
        p.pos += 1;
        if t.quoted {
            return Err(p.err(
                i,
                format!(
                    "{tn} parameter {} must be key or key=value, not a quoted string",
                    t.display()
                ),
            ));
        }
        let (key_text, value_text) = match t.text.iter().position(|&c| c == b'=') {
            Some(eq) => (&t.text[..eq], Some(&t.text[eq + 1..])),
            None => (t.text, None),
        };
        let key = key_from_name(key_text).ok_or_else(|| {
            p.err(
                i,
                format!(
                    "{tn} unknown parameter key {}",
                    crate::quote::quote(key_text)
                ),
            )
        })?;
        if key == INVALID_KEY {
            return Err(p.err(i, format!("{tn} key65535 is reserved (invalid key)")));
        }
        let value = match value_text {
            None => None,
            Some(v) => {
                // `key="a b"` as one token, or `key=` followed by a quoted token.
                let raw: Vec<u8> = if v.is_empty() {
                    match p.peek() {
                        Some(next) if next.quoted => {
                            p.pos += 1;
                            next.text.to_vec()
                        }
                        _ => Vec::new(),
                    }
                } else if v.len() >= 2 && v[0] == b'"' && v[v.len() - 1] == b'"' {
                    v[1..v.len() - 1].to_vec()
                } else {
                    v.to_vec()
                };
                Some(unescape(&raw).map_err(|e| {
                    p.err(
                        i,
                        format!("bad escape in {tn} parameter {}: {e}", t.display()),
                    )
                })?)
            }
        };
        params.push(Param {
            key,
            value,
            token: i,
        });
    }
    Ok(params)
}

fn encode_value(tn: &str, param: &Param) -> Result<Vec<u8>, String> {
    let mut name = String::new();
    write_key(param.key, &mut name);
    let needs_value = || format!("{tn} parameter {name} needs a value");
    let mut out = Vec::new();
    match param.key {
        NO_DEFAULT_ALPN | OHTTP => {
            if param.value.is_some() {
                return Err(format!("{tn} parameter {name} takes no value"));
            }
        }
        MANDATORY => {
            let v = param.value.as_deref().ok_or_else(needs_value)?;
            let mut keys = Vec::new();
            for item in split_value_list(v).map_err(|e| format!("{tn} mandatory: {e}"))? {
                let k = key_from_name(&item).ok_or_else(|| {
                    format!("{tn} mandatory: unknown key {}", crate::quote::quote(&item))
                })?;
                if k == MANDATORY {
                    return Err(format!("{tn} mandatory must not list mandatory"));
                }
                keys.push(k);
            }
            keys.sort_unstable();
            if keys.windows(2).any(|w| w[0] == w[1]) {
                return Err(format!("{tn} mandatory lists a key twice"));
            }
            for k in keys {
                out.extend_from_slice(&k.to_be_bytes());
            }
        }
        ALPN => {
            let v = param.value.as_deref().ok_or_else(needs_value)?;
            for item in split_value_list(v).map_err(|e| format!("{tn} alpn: {e}"))? {
                if item.len() > 255 {
                    return Err(format!("{tn} alpn identifier longer than 255 octets"));
                }
                out.push(item.len() as u8);
                out.extend_from_slice(&item);
            }
        }
        PORT => {
            let v = param.value.as_deref().ok_or_else(needs_value)?;
            let port = parse_decimal(v, 65535).ok_or_else(|| {
                format!(
                    "{tn} port {} is not a number 0..65535",
                    crate::quote::quote(v)
                )
            })?;
            out.extend_from_slice(&(port as u16).to_be_bytes());
        }
        IPV4HINT | IPV6HINT => {
            let v = param.value.as_deref().ok_or_else(needs_value)?;
            let s = std::str::from_utf8(v).map_err(|_| format!("bad {tn} {name}"))?;
            for a in s.split(',') {
                if param.key == IPV4HINT {
                    let ip: Ipv4Addr = a.parse().map_err(|_| {
                        format!(
                            "bad IPv4 address {} in {tn} ipv4hint",
                            crate::quote::quote_str(a)
                        )
                    })?;
                    out.extend_from_slice(&ip.octets());
                } else {
                    let ip: Ipv6Addr = a.parse().map_err(|_| {
                        format!(
                            "bad IPv6 address {} in {tn} ipv6hint",
                            crate::quote::quote_str(a)
                        )
                    })?;
                    out.extend_from_slice(&ip.octets());
                }
            }
        }
        ECH => {
            let v = param.value.as_deref().ok_or_else(needs_value)?;
            out = BASE64
                .decode(v)
                .ok()
                .filter(|b| !b.is_empty())
                .ok_or_else(|| format!("bad base64 in {tn} ech"))?;
        }
        DOHPATH => {
            let v = param.value.as_deref().ok_or_else(needs_value)?;
            if v.is_empty() {
                return Err(needs_value());
            }
            out = v.to_vec();
        }
        _ => out = param.value.clone().unwrap_or_default(),
    }
    if out.len() > 65535 {
        return Err(format!("{tn} parameter {name} longer than 65535 octets"));
    }
    Ok(out)
}

pub(crate) fn parse(p: &mut Parser<'_, '_>, out: &mut Vec<u8>) -> Result<(), RdataError> {
    let tn = p.tname;
    let priority = p.u16("priority")?;
    out.extend_from_slice(&priority.to_be_bytes());
    p.name("target", out)?;
    let mut params = read_params(p)?;
    // Wire form wants strictly increasing keys (§2.2): sort, refuse repeats.
    params.sort_by_key(|x| (x.key, x.token));
    for w in params.windows(2) {
        if w[0].key == w[1].key {
            let mut name = String::new();
            write_key(w[1].key, &mut name);
            return Err(p.err(
                w[1].token.max(w[0].token),
                format!("{tn} parameter {name} given twice"),
            ));
        }
    }
    let mut encoded = Vec::with_capacity(params.len());
    for param in &params {
        let v = encode_value(&tn.to_string(), param).map_err(|m| p.err(param.token, m))?;
        encoded.push(v);
    }
    // §8: every key listed in mandatory must be present.
    if let Some(pos) = params.iter().position(|x| x.key == MANDATORY) {
        for k in encoded[pos].chunks_exact(2) {
            let k = u16::from_be_bytes([k[0], k[1]]);
            if !params.iter().any(|x| x.key == k) {
                let mut name = String::new();
                write_key(k, &mut name);
                return Err(p.err(
                    params[pos].token,
                    format!("{tn} mandatory lists {name}, which is not present"),
                ));
            }
        }
    }
    for (param, v) in params.iter().zip(&encoded) {
        out.extend_from_slice(&param.key.to_be_bytes());
        out.extend_from_slice(&(v.len() as u16).to_be_bytes());
        out.extend_from_slice(v);
    }
    p.finish()
}

/// Writes one value-list item: `,` and `\` get a list-level backslash,
/// then everything is escaped for the zone file.
fn write_list_item(item: &[u8], out: &mut String) {
    let mut lvl = Vec::with_capacity(item.len() + 2);
    for &b in item {
        if b == b',' || b == b'\\' {
            lvl.push(b'\\');
        }
        lvl.push(b);
    }
    write_unquoted(&lvl, out);
}

fn format_value(key: u16, v: &[u8], present: &[u16], out: &mut String) -> Option<()> {
    use std::fmt::Write;
    match key {
        NO_DEFAULT_ALPN | OHTTP => {
            if !v.is_empty() {
                return None;
            }
        }
        MANDATORY => {
            if v.is_empty() || !v.len().is_multiple_of(2) {
                return None;
            }
            let keys: Vec<u16> = v
                .chunks_exact(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect();
            if keys.windows(2).any(|w| w[0] >= w[1])
                || keys
                    .iter()
                    .any(|k| *k == MANDATORY || *k == INVALID_KEY || !present.contains(k))
            {
                return None;
            }
            out.push('=');
            for (n, k) in keys.iter().enumerate() {
                if n > 0 {
                    out.push(',');
                }
                write_key(*k, out);
            }
        }
        ALPN => {
            let mut r = Reader::new(v);
            let mut items = Vec::new();
            while !r.at_end() {
                let item = r.char_string()?;
                if item.is_empty() {
                    return None;
                }
                items.push(item);
            }
            if items.is_empty() {
                return None;
            }
            out.push('=');
            for (n, item) in items.iter().enumerate() {
                if n > 0 {
                    out.push(',');
                }
                write_list_item(item, out);
            }
        }
        PORT => {
            let b: [u8; 2] = v.try_into().ok()?;
            let _ = write!(out, "={}", u16::from_be_bytes(b));
        }
        IPV4HINT => {
            if v.is_empty() || !v.len().is_multiple_of(4) {
                return None;
            }
            out.push('=');
            for (n, c) in v.chunks_exact(4).enumerate() {
                if n > 0 {
                    out.push(',');
                }
                let _ = write!(out, "{}", Ipv4Addr::new(c[0], c[1], c[2], c[3]));
            }
        }
        IPV6HINT => {
            if v.is_empty() || !v.len().is_multiple_of(16) {
                return None;
            }
            out.push('=');
            for (n, c) in v.chunks_exact(16).enumerate() {
                if n > 0 {
                    out.push(',');
                }
                let a: [u8; 16] = c.try_into().ok()?;
                let _ = write!(out, "{}", Ipv6Addr::from(a));
            }
        }
        ECH => {
            if v.is_empty() {
                return None;
            }
            out.push('=');
            write_base64(v, out);
        }
        DOHPATH => {
            if v.is_empty() {
                return None;
            }
            out.push('=');
            write_unquoted(v, out);
        }
        INVALID_KEY => return None,
        _ => {
            if !v.is_empty() {
                out.push('=');
                write_unquoted(v, out);
            }
        }
    }
    Some(())
}

pub(crate) fn format(rdata: &[u8]) -> Option<String> {
    use std::fmt::Write;
    let mut r = Reader::new(rdata);
    let priority = r.u16()?;
    let target = r.name()?;
    let mut params = Vec::new();
    while !r.at_end() {
        let key = r.u16()?;
        let len = r.u16()?;
        let value = r.take(len.into())?;
        if params.last().is_some_and(|&(k, _)| k >= key) {
            return None;
        }
        params.push((key, value));
    }
    let present: Vec<u16> = params.iter().map(|&(k, _)| k).collect();
    let mut out = String::with_capacity(rdata.len() * 2 + 16);
    let _ = write!(out, "{priority} ");
    write_name_text(target, &mut out);
    for (key, value) in params {
        sep(&mut out);
        write_key(key, &mut out);
        format_value(key, value, &present, &mut out)?;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_list() {
        assert_eq!(
            split_value_list(br"f\\oo\,bar,h2"),
            Ok(vec![b"f\\oo,bar".to_vec(), b"h2".to_vec()])
        );
        assert!(split_value_list(b"a,,b").is_err());
        assert!(split_value_list(b"a,").is_err());
        assert!(split_value_list(b"").is_err());
        assert!(split_value_list(b"a\\").is_err());
        assert!(split_value_list(br"a\b").is_err());
        assert_eq!(split_value_list(br"a\\b"), Ok(vec![br"a\b".to_vec()]));
        let mut s = String::new();
        write_list_item(b"f\\oo,bar", &mut s);
        assert_eq!(s, r"f\\\\oo\\,bar");
    }

    #[test]
    fn keys() {
        assert_eq!(key_from_name(b"alpn"), Some(1));
        assert_eq!(key_from_name(b"key667"), Some(667));
        assert_eq!(key_from_name(b"KEY3"), None);
        assert_eq!(key_from_name(b"Port"), None);
        assert_eq!(key_from_name(b"key03"), Some(3));
        assert_eq!(key_from_name(b"key"), None);
        assert_eq!(key_from_name(b"key65536"), None);
        assert_eq!(key_from_name(b"foo"), None);
    }
}
