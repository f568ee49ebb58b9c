//! TTL values in zone files: plain seconds (RFC 1035 §5.1) or BIND's unit
//! form `1w2d3h4m5s` (as accepted by `$TTL`, RFC 2308 §4).

/// RFC 2181 §8: a TTL is an unsigned 31-bit number.
pub const MAX_TTL: u32 = 0x7fff_ffff;

/// Why [`sum_units`] gave up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum UnitError {
    /// A number above twice 2^32: no TTL or timer is near that.
    TooLarge,
    /// A byte that is neither a digit nor a unit.
    BadChar(u8),
    /// A unit with no number before it.
    UnitWithoutNumber,
}

/// A duration in BIND's unit form, summed: every `<number><unit>` pair
/// (units w, d, h, m, s, any case) and the bare number after the last
/// unit, if any. The sum saturates, so no input can overflow it. Both TTL
/// readers (record TTLs here, SOA timers in RDATA) stand on this and add
/// their own rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct UnitSum {
    pub total: u64,
    pub trailing: Option<u64>,
}

pub(crate) fn sum_units(text: &[u8]) -> Result<UnitSum, UnitError> {
    let mut total: u64 = 0;
    let mut cur: Option<u64> = None;
    for &c in text {
        if c.is_ascii_digit() {
            let v = cur.unwrap_or(0) * 10 + u64::from(c - b'0');
            if v > u64::from(u32::MAX) * 2 {
                return Err(UnitError::TooLarge);
            }
            cur = Some(v);
        } else {
            let mult: u64 = match c.to_ascii_lowercase() {
                b'w' => 604_800,
                b'd' => 86_400,
                b'h' => 3_600,
                b'm' => 60,
                b's' => 1,
                _ => return Err(UnitError::BadChar(c)),
            };
            let n = cur.take().ok_or(UnitError::UnitWithoutNumber)?;
            total = total.saturating_add(n * mult);
        }
    }
    Ok(UnitSum {
        total,
        trailing: cur,
    })
}

/// Parses a TTL; `Err` carries a message naming the problem.
pub fn parse_ttl(text: &[u8]) -> Result<u32, String> {
    let shown = crate::quote::quote(text);
    if text.is_empty() || !text[0].is_ascii_digit() {
        return Err(format!("bad TTL {shown}: must start with a digit"));
    }
    let sum = sum_units(text).map_err(|e| match e {
        UnitError::TooLarge => format!("bad TTL {shown}: number too large"),
        UnitError::BadChar(c) => format!(
            "bad TTL {shown}: unexpected {} (use seconds or units w, d, h, m, s)",
            crate::quote::quote(&[c])
        ),
        UnitError::UnitWithoutNumber => format!("bad TTL {shown}: unit without a number"),
    })?;
    // A trailing bare number after units counts as seconds (BIND: "1h30").
    let total = sum.total.saturating_add(sum.trailing.unwrap_or(0));
    if total > u64::from(MAX_TTL) {
        return Err(format!(
            "TTL {shown} is above 2147483647 (RFC 2181 §8 limits TTLs to 31 bits)"
        ));
    }
    Ok(total as u32)
}

/// True when a token looks like a TTL (starts with a digit). Used to tell a
/// TTL field from a class or type mnemonic, which never start with one.
pub fn looks_like_ttl(text: &[u8]) -> bool {
    text.first().is_some_and(u8::is_ascii_digit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units() {
        assert_eq!(parse_ttl(b"3600"), Ok(3600));
        assert_eq!(
            parse_ttl(b"1w2d3h4m5s"),
            Ok(604800 + 2 * 86400 + 3 * 3600 + 4 * 60 + 5)
        );
        assert_eq!(parse_ttl(b"2W"), Ok(1_209_600));
        assert_eq!(parse_ttl(b"1h30"), Ok(3630));
        assert_eq!(parse_ttl(b"0"), Ok(0));
        assert_eq!(parse_ttl(b"2147483647"), Ok(MAX_TTL));
    }

    #[test]
    fn ttl_units() {
        // From keys::keyfile, whose `.key` TTLs are read here now.
        let parse_ttl = |s: &str| parse_ttl(s.as_bytes()).ok();
        assert_eq!(parse_ttl("3600"), Some(3600));
        assert_eq!(parse_ttl("1h30m"), Some(5400));
        assert_eq!(parse_ttl("2w"), Some(1_209_600));
        assert_eq!(parse_ttl("h"), None);
        assert_eq!(parse_ttl("IN"), None);
    }

    #[test]
    fn bad() {
        assert!(parse_ttl(b"").is_err());
        assert!(parse_ttl(b"h").is_err());
        assert!(parse_ttl(b"1x").is_err());
        assert!(parse_ttl(b"2147483648").is_err());
        assert!(parse_ttl(b"99999999999999999999").is_err());
        assert!(parse_ttl(b"1hh").is_err());
        // Thousands of large terms saturate instead of overflowing.
        let huge = "8589934590w".repeat(8000);
        assert!(parse_ttl(huge.as_bytes())
            .expect_err("too large")
            .contains("above 2147483647"));
    }
}
