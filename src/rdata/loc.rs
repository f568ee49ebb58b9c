//! LOC (RFC 1876). Ours: hickory-proto 0.26 has no LOC at all.
//!
//! Text (RFC 1876 §3):
//! `d1 [m1 [s1]] {N|S} d2 [m2 [s2]] {E|W} alt[m] [siz[m] [hp[m] [vp[m]]]]`
//! Wire (§2): version 0, size, horizontal and vertical precision as
//! mantissa/exponent of centimetres, latitude and longitude as thousandths
//! of an arc second offset by 2^31, altitude in centimetres above 100 km
//! below the WGS 84 reference spheroid.

use std::fmt::Write;

use super::present::Reader;
use super::text::Parser;
use super::RdataError;

pub(crate) const FIELDS: &[&str] = &["latitude", "longitude", "altitude"];

const EQUATOR: i64 = 1 << 31;
const ALT_BASE: i64 = 10_000_000;
/// Thousandths of an arc second in one degree.
const DEG: i64 = 3_600_000;

/// Decimal with at most `frac` fractional digits, scaled by 10^frac.
fn parse_fixed(text: &[u8], frac: u32, allow_neg: bool) -> Option<i64> {
    let (neg, body) = match text.split_first() {
        Some((b'-', rest)) if allow_neg => (true, rest),
        _ => (false, text),
    };
    let (int, fr) = match body.iter().position(|&c| c == b'.') {
        Some(dot) => (&body[..dot], &body[dot + 1..]),
        None => (body, &[][..]),
    };
    if int.is_empty() || int.len() > 10 || fr.len() > frac as usize {
        return None;
    }
    if !int.iter().chain(fr).all(u8::is_ascii_digit) {
        return None;
    }
    let mut v: i64 = 0;
    for &d in int {
        v = v * 10 + i64::from(d - b'0');
    }
    for k in 0..frac as usize {
        v = v * 10 + fr.get(k).map_or(0, |&d| i64::from(d - b'0'));
    }
    Some(if neg { -v } else { v })
}

/// Strips one trailing `m`/`M`.
fn strip_m(text: &[u8]) -> &[u8] {
    match text.split_last() {
        Some((b'm' | b'M', rest)) => rest,
        _ => text,
    }
}

/// RFC 1876 precsize_aton: centimetres → mantissa/exponent (truncating).
fn encode_size(cm: i64) -> u8 {
    let mut exp = 0u32;
    while exp < 9 && cm >= 10i64.pow(exp + 1) {
        exp += 1;
    }
    let mantissa = (cm / 10i64.pow(exp)).min(9);
    ((mantissa as u8) << 4) | exp as u8
}

/// One coordinate: `d [m [s]] H` where H is one of `hemi` (positive first).
fn parse_coord(
    p: &mut Parser<'_, '_>,
    field: &str,
    max_deg: i64,
    hemi: [u8; 2],
) -> Result<u32, RdataError> {
    let tn = p.tname;
    let is_hemi = |t: &[u8]| t.len() == 1 && hemi.contains(&t[0].to_ascii_uppercase());
    let (i, t) = p.next(field)?;
    let deg = super::text::parse_decimal(t.text, max_deg as u32).ok_or_else(|| {
        p.err(
            i,
            format!(
                "{tn} {field} degrees {} is not a number 0..{max_deg}",
                t.display()
            ),
        )
    })?;
    let mut total = i64::from(deg) * DEG;
    let mut parts = 0;
    let hemisphere = loop {
        let (i, t) = p.next(field)?;
        if is_hemi(t.text) {
            break t.text[0].to_ascii_uppercase();
        }
        let v = match parts {
            0 => super::text::parse_decimal(t.text, 59).map(|m| i64::from(m) * 60_000),
            1 => parse_fixed(t.text, 3, false).filter(|&s| s < 60_000),
            _ => None,
        };
        let what = ["minutes 0..59", "seconds 0..59.999", "hemisphere"][parts];
        let hemis = format!("{}/{}", hemi[0] as char, hemi[1] as char);
        total += v.ok_or_else(|| {
            p.err(
                i,
                format!("{tn} {field}: {} is not {what} or {hemis}", t.display()),
            )
        })?;
        parts += 1;
    };
    if total > max_deg * DEG {
        return Err(p.err(
            p.pos - 1,
            format!("{tn} {field} is more than {max_deg} degrees"),
        ));
    }
    let signed = if hemisphere == hemi[0] { total } else { -total };
    Ok((EQUATOR + signed) as u32)
}

pub(crate) fn parse(p: &mut Parser<'_, '_>, out: &mut Vec<u8>) -> Result<(), RdataError> {
    let tn = p.tname;
    let lat = parse_coord(p, "latitude", 90, [b'N', b'S'])?;
    let lon = parse_coord(p, "longitude", 180, [b'E', b'W'])?;
    let (i, t) = p.next("altitude")?;
    let alt = parse_fixed(strip_m(t.text), 2, true)
        .filter(|&cm| (-ALT_BASE..=i64::from(u32::MAX) - ALT_BASE).contains(&cm))
        .ok_or_else(|| {
            p.err(
                i,
                format!(
                    "{tn} altitude {} is not metres -100000.00..42849672.95",
                    t.display()
                ),
            )
        })?;
    // Defaults (RFC 1876 §3): size 1m, horizontal 10000m, vertical 10m.
    let mut sizes = [100i64, 1_000_000, 1_000];
    for (k, what) in ["size", "horizontal precision", "vertical precision"]
        .iter()
        .enumerate()
    {
        let Some(t) = p.peek() else { break };
        let i = p.pos;
        sizes[k] = parse_fixed(strip_m(t.text), 2, false)
            .filter(|&cm| cm <= 9_000_000_000)
            .ok_or_else(|| {
                p.err(
                    i,
                    format!("{tn} {what} {} is not metres 0..90000000.00", t.display()),
                )
            })?;
        p.pos += 1;
    }
    p.finish()?;
    out.push(0);
    for s in sizes {
        out.push(encode_size(s));
    }
    out.extend_from_slice(&lat.to_be_bytes());
    out.extend_from_slice(&lon.to_be_bytes());
    out.extend_from_slice(&((alt + ALT_BASE) as u32).to_be_bytes());
    Ok(())
}

/// BIND's form of a size: whole metres from 1m up, else `0.cc`.
fn write_size(b: u8, out: &mut String) -> Option<()> {
    let (m, e) = (u64::from(b >> 4), u32::from(b & 0x0f));
    // Mantissa 0 with a non-zero exponent would read back as 0x00.
    if m > 9 || e > 9 || (m == 0 && e > 0) {
        return None;
    }
    if e >= 2 {
        let _ = write!(out, "{}m", m * 10u64.pow(e - 2));
    } else {
        let _ = write!(out, "0.{:02}m", m * 10u64.pow(e));
    }
    Some(())
}

fn write_coord(v: u32, max_deg: i64, hemi: [char; 2], out: &mut String) -> Option<()> {
    let signed = i64::from(v) - EQUATOR;
    let abs = signed.abs();
    if abs > max_deg * DEG {
        return None;
    }
    let h = if signed >= 0 { hemi[0] } else { hemi[1] };
    let _ = write!(
        out,
        "{} {} {}.{:03} {h}",
        abs / DEG,
        abs / 60_000 % 60,
        abs / 1000 % 60,
        abs % 1000
    );
    Some(())
}

pub(crate) fn format(rdata: &[u8]) -> Option<String> {
    let mut r = Reader::new(rdata);
    if r.u8()? != 0 {
        return None;
    }
    let (size, hp, vp) = (r.u8()?, r.u8()?, r.u8()?);
    let (lat, lon, alt) = (r.u32()?, r.u32()?, r.u32()?);
    if !r.at_end() {
        return None;
    }
    let mut out = String::with_capacity(64);
    write_coord(lat, 90, ['N', 'S'], &mut out)?;
    out.push(' ');
    write_coord(lon, 180, ['E', 'W'], &mut out)?;
    let alt = i64::from(alt) - ALT_BASE;
    let sign = if alt < 0 { "-" } else { "" };
    let _ = write!(out, " {sign}{}.{:02}m", alt.abs() / 100, alt.abs() % 100);
    for b in [size, hp, vp] {
        out.push(' ');
        write_size(b, &mut out)?;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(encode_size(100), 0x12);
        assert_eq!(encode_size(1_000_000), 0x16);
        assert_eq!(encode_size(1_000), 0x13);
        assert_eq!(encode_size(0), 0x00);
        assert_eq!(encode_size(3_000), 0x33);
        assert_eq!(encode_size(9_000_000_000), 0x99);
        assert_eq!(encode_size(150), 0x12); // truncates like precsize_aton
        assert_eq!(parse_fixed(b"23.5", 3, false), Some(23_500));
        assert_eq!(parse_fixed(b"-2.00", 2, true), Some(-200));
        assert_eq!(parse_fixed(b"-2", 2, false), None);
        assert_eq!(parse_fixed(b"1.234", 2, false), None);
        assert_eq!(parse_fixed(b".5", 2, false), None);
    }
}
