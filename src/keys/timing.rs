//! Key timing metadata as BIND keeps it in `.private` files (and repeats in
//! `.key` comments): `Created:`, `Publish:`, `Activate:`, `Inactive:`,
//! `Delete:`, each `YYYYMMDDHHMMSS` in UTC.

pub use crate::timespec::parse_timestamp;
use time::OffsetDateTime;

/// When a key was made and when it is to be published, used, retired and
/// removed; Unix seconds (UTC). `None` when unset.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, serde::Serialize)]
pub struct KeyTiming {
    pub created: Option<i64>,
    pub publish: Option<i64>,
    pub activate: Option<i64>,
    pub inactive: Option<i64>,
    pub delete: Option<i64>,
}

impl KeyTiming {
    /// Created, published and active at `now` (what dnssec-keygen sets).
    pub fn created_now(now: i64) -> KeyTiming {
        KeyTiming {
            created: Some(now),
            publish: Some(now),
            activate: Some(now),
            inactive: None,
            delete: None,
        }
    }

    /// The fields in BIND's order with their file labels.
    pub fn fields(&self) -> [(&'static str, Option<i64>); 5] {
        [
            ("Created", self.created),
            ("Publish", self.publish),
            ("Activate", self.activate),
            ("Inactive", self.inactive),
            ("Delete", self.delete),
        ]
    }

    /// Sets the field labelled `label` (case-insensitive); false if unknown.
    pub fn set(&mut self, label: &str, value: i64) -> bool {
        let slot = match label.to_ascii_lowercase().as_str() {
            "created" => &mut self.created,
            "publish" => &mut self.publish,
            "activate" => &mut self.activate,
            "inactive" => &mut self.inactive,
            "delete" => &mut self.delete,
            _ => return false,
        };
        *slot = Some(value);
        true
    }

    /// True when no field is set.
    pub fn is_empty(&self) -> bool {
        self.fields().iter().all(|(_, v)| v.is_none())
    }
}

/// `YYYYMMDDHHMMSS` (UTC) for Unix seconds; `None` outside years 0..=9999.
pub fn format_timestamp(unix: i64) -> Option<String> {
    let t = OffsetDateTime::from_unix_timestamp(unix).ok()?;
    if !(0..=9999).contains(&t.year()) {
        return None;
    }
    Some(format!(
        "{:04}{:02}{:02}{:02}{:02}{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    ))
}

/// ctime(3)-style text as BIND writes it in `.key` comments, in UTC:
/// `Tue Nov 24 22:41:44 2026`.
pub fn format_ctime(unix: i64) -> Option<String> {
    const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let t = OffsetDateTime::from_unix_timestamp(unix).ok()?;
    let day = DAYS[usize::from(t.weekday().number_days_from_monday())];
    let month = MONTHS[usize::from(u8::from(t.month())) - 1];
    Some(format!(
        "{day} {month} {:2} {:02}:{:02}:{:02} {}",
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.year()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_round_trip() {
        // 20261124224144 is Tue Nov 24 22:41:44 2026 UTC (testdata bind.alg13).
        let t = parse_timestamp("20261124224144").unwrap();
        assert_eq!(format_timestamp(t).unwrap(), "20261124224144");
        assert_eq!(format_ctime(t).unwrap(), "Tue Nov 24 22:41:44 2026");
        assert_eq!(parse_timestamp("20000101000000"), Some(946_684_800));
        assert_eq!(
            format_ctime(946_684_800).unwrap(),
            "Sat Jan  1 00:00:00 2000"
        );
        assert_eq!(parse_timestamp("20261324224144"), None);
        assert_eq!(parse_timestamp("2026112422414x"), None);
        assert_eq!(parse_timestamp(""), None);
        assert_eq!(parse_timestamp("1767231000"), Some(1_767_231_000));
    }

    #[test]
    fn set_fields() {
        let mut t = KeyTiming::default();
        assert!(t.is_empty());
        assert!(t.set("Inactive", 5));
        assert!(!t.set("Revoke", 5));
        assert_eq!(t.inactive, Some(5));
        assert_eq!(KeyTiming::created_now(9).activate, Some(9));
    }
}
