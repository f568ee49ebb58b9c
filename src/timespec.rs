//! Points in time and durations as operators type them on the command line.
//!
//! Times: `YYYYMMDDHHMMSS` (UTC, as in RRSIG presentation, RFC 4034 §3.2),
//! seconds since the epoch, RFC 3339 (`2026-01-01T00:00:00Z`), `now`, and
//! `now+DURATION` / `now-DURATION`. Durations: seconds or units
//! `1w2d3h4m5s` (the zone-file TTL syntax, plus `y` for 365 days).
//!
//! [`parse_time`] and [`parse_duration`] are the one parser of each behind
//! every flag that takes a time or a duration; a command narrows the range
//! it can use afterwards. The current time is the caller's, as a value.

use time::format_description::well_known::Rfc3339;
use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time};

/// Parses a duration in seconds.
pub fn parse_duration(s: &str) -> Result<i64, String> {
    let t = s.trim();
    if t.is_empty() {
        return Err("empty duration".into());
    }
    let s = crate::quote::quote_str(s);
    let mut total: i64 = 0;
    let mut cur: i64 = 0;
    let mut digits = false;
    for c in t.chars() {
        if let Some(d) = c.to_digit(10) {
            cur = cur
                .checked_mul(10)
                .and_then(|v| v.checked_add(i64::from(d)))
                .ok_or_else(|| format!("duration {s} is too large"))?;
            digits = true;
            continue;
        }
        let mult = match c.to_ascii_lowercase() {
            'y' => 365 * 86_400,
            'w' => 604_800,
            'd' => 86_400,
            'h' => 3_600,
            'm' => 60,
            's' => 1,
            _ => {
                return Err(format!(
                    "bad duration {s}: use seconds or units y, w, d, h, m, s"
                ))
            }
        };
        if !digits {
            return Err(format!("bad duration {s}: unit without a number"));
        }
        total = cur
            .checked_mul(mult)
            .and_then(|v| total.checked_add(v))
            .ok_or_else(|| format!("duration {s} is too large"))?;
        cur = 0;
        digits = false;
    }
    Ok(total + cur)
}

/// Parses a point in time in any of the forms above, relative forms
/// against `now`.
pub fn parse_time(s: &str, now: i64) -> Result<i64, String> {
    let t = s.trim();
    if t.eq_ignore_ascii_case("now") {
        return Ok(now);
    }
    if let Some(rest) = t.strip_prefix("now+").or_else(|| t.strip_prefix('+')) {
        return now
            .checked_add(parse_duration(rest)?)
            .ok_or_else(|| format!("time \"{s}\" is too far in the future"));
    }
    if let Some(rest) = t.strip_prefix("now-") {
        return now
            .checked_sub(parse_duration(rest)?)
            .ok_or_else(|| format!("time \"{s}\" is too far in the past"));
    }
    parse_absolute(t)
}

/// Parses an absolute time: `YYYYMMDDHHMMSS` (UTC), seconds since the
/// epoch (up to 10 digits), or RFC 3339.
fn parse_absolute(s: &str) -> Result<i64, String> {
    let t = s.trim();
    let s = crate::quote::quote_str(s);
    if let Some(v) = parse_timestamp(t) {
        return Ok(v);
    }
    if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "bad time {s}: not a valid YYYYMMDDHHMMSS date or seconds since the epoch"
        ));
    }
    OffsetDateTime::parse(t, &Rfc3339).map(|d| d.unix_timestamp()).map_err(|_| {
        format!("bad time {s}: use YYYYMMDDHHMMSS, seconds since the epoch, RFC 3339 or now[+-DURATION]")
    })
}

/// Parses `YYYYMMDDHHMMSS` (UTC). BIND also accepts a plain Unix time of
/// fewer than 14 digits in some places; so do we.
pub fn parse_timestamp(s: &str) -> Option<i64> {
    let s = s.trim();
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if s.len() != 14 {
        return if s.len() <= 10 { s.parse().ok() } else { None };
    }
    let num = |r: std::ops::Range<usize>| s.get(r).and_then(|x| x.parse::<u32>().ok());
    let year = i32::try_from(num(0..4)?).ok()?;
    let month = Month::try_from(u8::try_from(num(4..6)?).ok()?).ok()?;
    let day = u8::try_from(num(6..8)?).ok()?;
    let date = Date::from_calendar_date(year, month, day).ok()?;
    let time = Time::from_hms(
        u8::try_from(num(8..10)?).ok()?,
        u8::try_from(num(10..12)?).ok()?,
        u8::try_from(num(12..14)?).ok()?,
    )
    .ok()?;
    Some(
        PrimitiveDateTime::new(date, time)
            .assume_utc()
            .unix_timestamp(),
    )
}

/// Formats seconds since the epoch as `YYYYMMDDHHMMSS` (UTC).
pub fn format_yyyymmddhhmmss(t: i64) -> String {
    match OffsetDateTime::from_unix_timestamp(t) {
        Ok(d) => format!(
            "{:04}{:02}{:02}{:02}{:02}{:02}",
            d.year(),
            d.month() as u8,
            d.day(),
            d.hour(),
            d.minute(),
            d.second()
        ),
        Err(_) => t.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("30d"), Ok(30 * 86400));
        assert_eq!(parse_duration("1w2d"), Ok(9 * 86400));
        assert_eq!(parse_duration("3600"), Ok(3600));
        assert_eq!(parse_duration("1h30"), Ok(3630));
        assert!(parse_duration("x").is_err());
        assert!(parse_duration("").is_err());
    }

    #[test]
    fn times() {
        assert_eq!(parse_time("20260101000000", 0), Ok(1_767_225_600));
        assert_eq!(parse_time("1767225600", 0), Ok(1_767_225_600));
        assert_eq!(parse_time("2026-01-01T00:00:00Z", 0), Ok(1_767_225_600));
        assert_eq!(parse_time("now+1h", 100), Ok(3700));
        assert_eq!(parse_time("now-100", 100), Ok(0));
        assert!(parse_time("20261301000000", 0).is_err());
        assert_eq!(format_yyyymmddhhmmss(1_767_225_600), "20260101000000");
    }
}
