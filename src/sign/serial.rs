//! The SOA serial of a signed zone (RFC 1035 §3.3.13), compared and
//! advanced in serial number arithmetic (RFC 1982). A secondary fetches a
//! zone only when the primary's serial is greater than its own (RFC 1996,
//! RFC 1995): a signed zone that changed, even only in refreshed
//! signatures, needs a greater serial, and one that did not change must
//! keep its serial so that a rebuild is byte-identical.

/// How the serial moves when the signed output changes: the forms of
/// `dnssec-signzone -N`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SerialPolicy {
    /// The zone file's serial (never below the previous output's).
    #[default]
    Keep,
    /// One more than the current serial.
    Increment,
    /// The signing time in seconds since the epoch, or one more than the
    /// current serial when that is not greater.
    UnixTime,
    /// `YYYYMMDDnn` of the signing day (UTC), or one more than the current
    /// serial when that is not greater.
    Date,
}

impl SerialPolicy {
    /// The policy named as [`SerialPolicy::as_str`] writes it.
    pub fn parse(s: &str) -> Option<SerialPolicy> {
        [
            SerialPolicy::Keep,
            SerialPolicy::Increment,
            SerialPolicy::UnixTime,
            SerialPolicy::Date,
        ]
        .into_iter()
        .find(|p| p.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SerialPolicy::Keep => "keep",
            SerialPolicy::Increment => "increment",
            SerialPolicy::UnixTime => "unixtime",
            SerialPolicy::Date => "date",
        }
    }
}

impl std::str::FromStr for SerialPolicy {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Ok(match s.to_ascii_lowercase().as_str() {
            "keep" => SerialPolicy::Keep,
            "increment" => SerialPolicy::Increment,
            "unixtime" => SerialPolicy::UnixTime,
            "date" => SerialPolicy::Date,
            _ => {
                return Err(format!(
                    "serial policy {} is not keep, increment, unixtime or date",
                    crate::quote::quote_str(s)
                ))
            }
        })
    }
}

/// `a < b` in serial number arithmetic (RFC 1982 §3.2). Two serials 2^31
/// apart are not comparable: neither is less.
pub fn serial_lt(a: u32, b: u32) -> bool {
    let d = b.wrapping_sub(a);
    d != 0 && d < 1 << 31
}

/// The serial of an output that did not change: the zone file's, unless
/// the previous output's is greater (its serial never goes back).
pub fn unchanged_serial(input: u32, previous: Option<u32>) -> u32 {
    match previous {
        Some(p) if serial_lt(input, p) => p,
        _ => input,
    }
}

/// The serial of a changed output, from `current` (the zone file's, or
/// the previous output's when greater) at the signing time `now`. Always
/// greater than `current` except with [`SerialPolicy::Keep`]. An
/// increment that would give 0 gives 1, as BIND does (0 reads as "unset"
/// to some tools).
pub fn changed_serial(policy: SerialPolicy, current: u32, now: i64) -> u32 {
    let next = |s: u32| match s.wrapping_add(1) {
        0 => 1,
        n => n,
    };
    let at_least = |candidate: u32| {
        if serial_lt(current, candidate) {
            candidate
        } else {
            next(current)
        }
    };
    match policy {
        SerialPolicy::Keep => current,
        SerialPolicy::Increment => next(current),
        SerialPolicy::UnixTime => at_least(now as u32),
        SerialPolicy::Date => at_least(date_serial(now)),
    }
}

/// `YYYYMMDD00` of the UTC day of `now`, the first serial of that day.
fn date_serial(now: i64) -> u32 {
    let day = time::OffsetDateTime::from_unix_timestamp(now)
        .map(|t| t.date())
        .unwrap_or(time::Date::MIN);
    let ymd = day.year().clamp(0, 4294) as u32 * 10_000
        + u32::from(u8::from(day.month())) * 100
        + u32::from(day.day());
    ymd.saturating_mul(100)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2026-12-02 00:00:00 UTC.
    const DAY: i64 = 1_796_169_600;

    #[test]
    fn rfc1982_comparison_wraps() {
        assert!(serial_lt(1, 2));
        assert!(!serial_lt(2, 1));
        assert!(!serial_lt(5, 5));
        assert!(serial_lt(u32::MAX, 0), "0 follows 2^32-1");
        assert!(serial_lt(u32::MAX - 10, 5));
        // 2^31 apart: undefined, so neither.
        assert!(!serial_lt(0, 1 << 31) && !serial_lt(1 << 31, 0));
    }

    #[test]
    fn every_policy_moves_forward() {
        assert_eq!(changed_serial(SerialPolicy::Keep, 7, DAY), 7);
        assert_eq!(changed_serial(SerialPolicy::Increment, 7, DAY), 8);
        assert_eq!(
            changed_serial(SerialPolicy::Increment, u32::MAX, DAY),
            1,
            "skips 0"
        );
        assert_eq!(changed_serial(SerialPolicy::UnixTime, 7, DAY), DAY as u32);
        assert_eq!(
            changed_serial(SerialPolicy::UnixTime, DAY as u32 + 5, DAY),
            DAY as u32 + 6,
            "never back to the clock"
        );
        assert_eq!(changed_serial(SerialPolicy::Date, 7, DAY), 2_026_120_200);
        assert_eq!(
            changed_serial(SerialPolicy::Date, 2_026_120_200, DAY + 3600),
            2_026_120_201,
            "a second change that day"
        );
        assert_eq!(
            changed_serial(SerialPolicy::Date, 2_026_120_299, DAY),
            2_026_120_300,
            "the 101st change runs into the next day's numbers, as BIND's does"
        );
    }

    #[test]
    fn an_unchanged_output_keeps_the_greater_serial() {
        assert_eq!(unchanged_serial(5, None), 5);
        assert_eq!(unchanged_serial(5, Some(9)), 9);
        assert_eq!(unchanged_serial(10, Some(9)), 10, "the zone file moved on");
        assert_eq!(unchanged_serial(3, Some(u32::MAX)), 3, "3 is after 2^32-1");
    }

    #[test]
    fn policies_parse() {
        for p in ["keep", "increment", "unixtime", "date"] {
            assert_eq!(p.parse::<SerialPolicy>().unwrap().as_str(), p);
        }
        assert!("soon".parse::<SerialPolicy>().is_err());
    }
}
