//! RRSIG time fields (RFC 4034 §3.2): `YYYYMMDDHHmmSS` in UTC or a decimal
//! count of seconds since the epoch.
//!
//! §3.2 allows the year 0001-9999 "but see Section 3.1.5", and §3.1.5 says
//! the field is a 32-bit count of seconds compared in serial-number
//! arithmetic (RFC 1982): the wire value of a date is its distance from
//! 1970-01-01 modulo 2^32, in either direction. So every date of years
//! 0001-9999 is read, before 1970 as well as after 2106, and year 0000 (not
//! in §3.2's range) is refused. Peers differ (README.md, "Reader:
//! deliberate differences from BIND and Knot"): BIND wraps both ways and
//! takes year 0000 too; Knot refuses years before 1970 and after 2225.

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = i64::from((m + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719468;
    let era = z.div_euclid(146097);
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

/// Parses an RRSIG time; `None` if it is neither form.
pub(crate) fn parse_sig_time(text: &[u8]) -> Option<u32> {
    if text.is_empty() || !text.iter().all(u8::is_ascii_digit) {
        return None;
    }
    if text.len() == 14 {
        let num = |r: std::ops::Range<usize>| -> u32 {
            text[r]
                .iter()
                .fold(0u32, |a, &d| a * 10 + u32::from(d - b'0'))
        };
        let (y, mo, d) = (i64::from(num(0..4)), num(4..6), num(6..8));
        let (h, mi, s) = (num(8..10), num(10..12), num(12..14));
        if y < 1 || !(1..=12).contains(&mo) || d == 0 || d > days_in_month(y, mo) {
            return None;
        }
        if h > 23 || mi > 59 || s > 59 {
            return None;
        }
        let secs = days_from_civil(y, mo, d) * 86400
            + i64::from(h) * 3600
            + i64::from(mi) * 60
            + i64::from(s);
        return Some(secs.rem_euclid(1 << 32) as u32);
    }
    if text.len() > 10 {
        return None;
    }
    let v = text.iter().fold(0u64, |a, &d| a * 10 + u64::from(d - b'0'));
    u32::try_from(v).ok()
}

/// Writes an RRSIG time as `YYYYMMDDHHmmSS` (UTC).
pub(crate) fn write_sig_time(t: u32, out: &mut String) {
    use std::fmt::Write;
    let t = i64::from(t);
    let (y, m, d) = civil_from_days(t / 86400);
    let s = t % 86400;
    let _ = write!(
        out,
        "{y:04}{m:02}{d:02}{:02}{:02}{:02}",
        s / 3600,
        s / 60 % 60,
        s % 60
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(t: u32) -> String {
        let mut s = String::new();
        write_sig_time(t, &mut s);
        s
    }

    #[test]
    fn known_values() {
        // RFC 4034 §3.3 example: 20030322173103 = 1048354263.
        assert_eq!(parse_sig_time(b"20030322173103"), Some(1048354263));
        assert_eq!(w(1048354263), "20030322173103");
        assert_eq!(parse_sig_time(b"19700101000000"), Some(0));
        assert_eq!(w(0), "19700101000000");
        assert_eq!(w(u32::MAX), "21060207062815");
        assert_eq!(parse_sig_time(b"21060207062815"), Some(u32::MAX));
        // Wraps modulo 2^32 past 2106.
        assert_eq!(parse_sig_time(b"21060207062816"), Some(0));
        assert_eq!(parse_sig_time(b"20240229000000"), Some(1709164800));
        assert_eq!(parse_sig_time(b"1048354263"), Some(1048354263));
        assert_eq!(parse_sig_time(b"4294967295"), Some(u32::MAX));
    }

    #[test]
    fn rejects() {
        assert_eq!(parse_sig_time(b"4294967296"), None);
        assert_eq!(parse_sig_time(b"20230229000000"), None);
        assert_eq!(parse_sig_time(b"20231301000000"), None);
        assert_eq!(parse_sig_time(b"20231231240000"), None);
        assert_eq!(parse_sig_time(b"2023123123595"), None);
        assert_eq!(parse_sig_time(b"-1"), None);
        // RFC 4034 §3.2: the year is 0001-9999.
        assert_eq!(parse_sig_time(b"00000101000000"), None);
        assert_eq!(parse_sig_time(b""), None);
    }

    /// Dates outside 1970-2106 wrap modulo 2^32 both ways (RFC 4034 §3.1.5,
    /// §3.2). The expected values are the dates `named-checkzone -D` (BIND
    /// 9.18) prints for these inputs, converted to seconds by hand: BIND
    /// wraps the same way. Before, 2226 wrapped but 0010 and 1969 were
    /// refused.
    #[test]
    fn dates_outside_the_32_bit_span_wrap_both_ways() {
        // 2226-01-01 -> shown by BIND as 20891123173144.
        assert_eq!(parse_sig_time(b"22260101000000"), Some(3783605504));
        assert_eq!(w(3783605504), "20891123173144");
        // 0010-01-01 -> 20510714010400.
        assert_eq!(parse_sig_time(b"00100101000000"), Some(2572909440));
        assert_eq!(w(2572909440), "20510714010400");
        // 9999-12-31 23:59:59 -> 19691223021215, i.e. 2^32 - 769665.
        assert_eq!(parse_sig_time(b"99991231235959"), Some(4294197631));
        // One second before the epoch is 2^32 - 1.
        assert_eq!(parse_sig_time(b"19691231235959"), Some(u32::MAX));
        assert_eq!(parse_sig_time(b"00010101000000").map(|_| ()), Some(()));
    }

    #[test]
    fn every_day_round_trips() {
        for day in 0..(u32::MAX / 86400) {
            let t = day * 86400 + 86399;
            let s = w(t);
            assert_eq!(parse_sig_time(s.as_bytes()), Some(t), "{s}");
        }
    }
}
