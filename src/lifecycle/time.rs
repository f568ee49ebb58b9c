//! Times in the lifecycle: Unix seconds inside, RFC 3339 (UTC) in
//! `state.yaml` and in responses.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// Latest time we accept (9999-12-31T23:59:59Z): keeps every sum of a
/// time and a policy interval representable as RFC 3339.
pub const MAX_TIME: i64 = 253_402_300_799;

/// RFC 3339 in UTC (`2026-04-23T10:00:00Z`); Unix seconds as a fallback
/// for values outside years 0..=9999 (never produced by our own arithmetic).
pub fn format_time(t: i64) -> String {
    OffsetDateTime::from_unix_timestamp(t)
        .ok()
        .and_then(|d| d.format(&Rfc3339).ok())
        .unwrap_or_else(|| t.to_string())
}

/// A point in time stored as RFC 3339 text in `state.yaml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub i64);

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&format_time(self.0))
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format_time(self.0))
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Timestamp, D::Error> {
        let s = String::deserialize(d)?;
        let t = OffsetDateTime::parse(s.trim(), &Rfc3339).map_err(|_| {
            serde::de::Error::custom(format!(
                "invalid time {s:?}: expected RFC 3339, e.g. 2026-04-23T10:00:00Z"
            ))
        })?;
        let v = t.unix_timestamp();
        if !(0..=MAX_TIME).contains(&v) {
            return Err(serde::de::Error::custom(format!(
                "time {s:?} is out of range"
            )));
        }
        Ok(Timestamp(v))
    }
}

/// `t + secs`, saturating at [`MAX_TIME`].
pub fn add(t: i64, secs: u64) -> i64 {
    let secs = i64::try_from(secs).unwrap_or(i64::MAX);
    t.saturating_add(secs).min(MAX_TIME)
}

/// "1h", "7d", "1d 2h", "30s": a duration for messages.
pub fn human_duration(secs: u64) -> String {
    if secs == 0 {
        return "0s".into();
    }
    let mut parts = Vec::new();
    let mut rest = secs;
    for (unit, n) in [("d", 86_400u64), ("h", 3600), ("m", 60), ("s", 1)] {
        if rest >= n {
            parts.push(format!("{}{unit}", rest / n));
            rest %= n;
        }
    }
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_rfc_3339() {
        assert_eq!(format_time(1_776_938_400), "2026-04-23T10:00:00Z");
    }

    #[test]
    fn saturating_add() {
        assert_eq!(add(MAX_TIME - 1, 10), MAX_TIME);
        assert_eq!(add(10, u64::MAX), MAX_TIME);
        assert_eq!(human_duration(90_061), "1d 1h 1m 1s");
    }
}
