//! **Rules** (the model): the zone's lifecycle state as `state.yaml`
//! holds it, human-readable and hand-editable (with care), and its text
//! form. Every field is checked when the text is read; a bad file is an
//! error naming the field (exit 2), never a silent reset. Values in,
//! values out: reading and writing the file is [`super::store`]'s.
//!
//! ```yaml
//! version: 1
//! zone: example.com.
//! status: active            # disabled | pending_ds | active | rotating_ksk | rotating_zsk
//! algorithm: 13
//! policy: { dnskey_ttl: 3600, propagation_delay: 3600, max_zone_ttl: 604800,
//!           parent_ds_ttl: 86400, ksk_lifetime: 31536000, zsk_lifetime: 2592000 }
//! keys:                     # every key the zone ever had, removed ones included
//! - file: Kexample.com.+013+12345
//!   key_tag: 12345
//!   role: KSK               # KSK | ZSK
//!   algorithm: 13
//!   state: active           # pending | published | active | retired | removed
//!   created: 2026-04-23T10:00:00Z
//!   published: 2026-04-23T10:00:00Z
//!   active: 2026-04-23T10:00:00Z
//!   inactive: null          # scheduled or past
//!   deleted: null
//!   expires_at: 2027-04-23T10:00:00Z
//! ds_published: [...]       # confirmed at the parent
//! ds_pending: [...]         # to publish at the parent, not yet confirmed
//! ds_to_remove: [...]       # to remove at the parent (after remove_after)
//! rollover: null            # or { kind, started, old_key, new_key, ds_confirmed, swap_at }
//! events: [...]             # { at, event, key, detail }, oldest first
//! ```

use serde::{Deserialize, Serialize};

use super::time::Timestamp;
use crate::keys::Algorithm;
use crate::name::Name;
use crate::quote::quote_str;

/// The format version this code reads and writes.
pub const VERSION: u32 = 1;
/// The zone as the API names it (`domain_id`): presentation form without
/// the trailing dot (`.` for the root).
pub fn domain_id(zone: &Name) -> String {
    let s = zone.to_string();
    match s.strip_suffix('.') {
        Some(t) if !t.is_empty() => t.to_string(),
        _ => s,
    }
}

/// The zone's status, as in the lifecycle reference's GET response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ZoneStatus {
    Disabled,
    PendingDs,
    Active,
    RotatingKsk,
    RotatingZsk,
}

impl ZoneStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ZoneStatus::Disabled => "disabled",
            ZoneStatus::PendingDs => "pending_ds",
            ZoneStatus::Active => "active",
            ZoneStatus::RotatingKsk => "rotating_ksk",
            ZoneStatus::RotatingZsk => "rotating_zsk",
        }
    }
}

/// KSK (flags 257) or ZSK (flags 256).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum KeyRole {
    #[serde(rename = "KSK")]
    Ksk,
    #[serde(rename = "ZSK")]
    Zsk,
}

impl KeyRole {
    pub fn as_str(self) -> &'static str {
        match self {
            KeyRole::Ksk => "KSK",
            KeyRole::Zsk => "ZSK",
        }
    }
}

/// Where a key is in its life (after RFC 7583 §3.1, simplified to what an
/// offline signer needs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyState {
    /// Generated, not in the DNSKEY RRset yet (a new KSK waiting for its DS).
    Pending,
    /// In the DNSKEY RRset, not signing yet (a pre-published ZSK).
    Published,
    /// In the DNSKEY RRset and signing.
    Active,
    /// In the DNSKEY RRset, no longer signing (an old ZSK whose signatures
    /// may still be cached).
    Retired,
    /// Out of the DNSKEY RRset; its files are in `retired/`.
    Removed,
}

impl KeyState {
    pub fn as_str(self) -> &'static str {
        match self {
            KeyState::Pending => "pending",
            KeyState::Published => "published",
            KeyState::Active => "active",
            KeyState::Retired => "retired",
            KeyState::Removed => "removed",
        }
    }

    /// In the DNSKEY RRset.
    pub fn is_published(self) -> bool {
        matches!(
            self,
            KeyState::Published | KeyState::Active | KeyState::Retired
        )
    }
}

/// Intervals the rollover timing uses, in seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// TTL of the zone's DNSKEY RRset.
    #[serde(default = "d_dnskey_ttl")]
    pub dnskey_ttl: u64,
    /// Time for a change to reach all the zone's name servers (RFC 7583
    /// §3.3 "propagation delay", Dprp).
    #[serde(default = "d_propagation_delay")]
    pub propagation_delay: u64,
    /// The zone's largest TTL; capped at one week when used (the signer
    /// and the hosted service cap TTLs there).
    #[serde(default = "d_max_zone_ttl")]
    pub max_zone_ttl: u64,
    /// TTL of the DS RRset at the parent (the double-DS KSK rollover waits
    /// this long after the new DS is confirmed before swapping KSKs).
    #[serde(default = "d_parent_ds_ttl")]
    pub parent_ds_ttl: u64,
    /// Planned KSK lifetime (for `expires_at`).
    #[serde(default = "d_ksk_lifetime")]
    pub ksk_lifetime: u64,
    /// Planned ZSK lifetime (for `expires_at`).
    #[serde(default = "d_zsk_lifetime")]
    pub zsk_lifetime: u64,
}

fn d_dnskey_ttl() -> u64 {
    3600
}
fn d_propagation_delay() -> u64 {
    3600
}
fn d_max_zone_ttl() -> u64 {
    604_800
}
fn d_parent_ds_ttl() -> u64 {
    86_400
}
fn d_ksk_lifetime() -> u64 {
    365 * 86_400
}
fn d_zsk_lifetime() -> u64 {
    30 * 86_400
}

/// One week: the TTL cap used for signature expiry from caches.
pub const TTL_CAP: u64 = 604_800;
/// Largest interval accepted in the policy (ten years).
pub const MAX_INTERVAL: u64 = 10 * 366 * 86_400;

impl Default for Policy {
    fn default() -> Policy {
        Policy {
            dnskey_ttl: d_dnskey_ttl(),
            propagation_delay: d_propagation_delay(),
            max_zone_ttl: d_max_zone_ttl(),
            parent_ds_ttl: d_parent_ds_ttl(),
            ksk_lifetime: d_ksk_lifetime(),
            zsk_lifetime: d_zsk_lifetime(),
        }
    }
}

impl Policy {
    /// The fields with their names, for checks and messages.
    pub fn fields(&self) -> [(&'static str, u64); 6] {
        [
            ("dnskey_ttl", self.dnskey_ttl),
            ("propagation_delay", self.propagation_delay),
            ("max_zone_ttl", self.max_zone_ttl),
            ("parent_ds_ttl", self.parent_ds_ttl),
            ("ksk_lifetime", self.ksk_lifetime),
            ("zsk_lifetime", self.zsk_lifetime),
        ]
    }

    /// Checks every interval is at most [`MAX_INTERVAL`]; names the field.
    pub fn check(&self) -> Result<(), String> {
        for (name, v) in self.fields() {
            if v > MAX_INTERVAL {
                return Err(format!(
                    "{name}: {v} seconds is more than the maximum {MAX_INTERVAL} (ten years)"
                ));
            }
        }
        Ok(())
    }
}

/// One key of the zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyEntry {
    /// BIND base name of the key files (`Kexample.com.+013+12345`), in the
    /// state directory (or in `retired/` once removed).
    pub file: String,
    pub key_tag: u16,
    pub role: KeyRole,
    pub algorithm: u8,
    pub state: KeyState,
    pub created: Timestamp,
    #[serde(default)]
    pub published: Option<Timestamp>,
    #[serde(default)]
    pub active: Option<Timestamp>,
    #[serde(default)]
    pub inactive: Option<Timestamp>,
    #[serde(default)]
    pub deleted: Option<Timestamp>,
    #[serde(default)]
    pub expires_at: Option<Timestamp>,
}

/// A DS record as kept in the state (RFC 4034 §5.1 fields; digest in
/// upper-case hex).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DsEntry {
    pub key_tag: u16,
    pub algorithm: u8,
    pub digest_type: u8,
    pub digest: String,
    /// When it was asked for (pending) or confirmed (published).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<Timestamp>,
    /// For `ds_to_remove`: the earliest time removing it at the parent is
    /// safe.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remove_after: Option<Timestamp>,
}

impl DsEntry {
    /// Same DS RDATA (ignoring the bookkeeping times; digest case-blind).
    pub fn same_record(&self, other: &DsEntry) -> bool {
        self.key_tag == other.key_tag
            && self.algorithm == other.algorithm
            && self.digest_type == other.digest_type
            && self.digest.eq_ignore_ascii_case(&other.digest)
    }

    /// `12345 13 2 ABCD...` (presentation RDATA).
    pub fn rdata_text(&self) -> String {
        format!(
            "{} {} {} {}",
            self.key_tag, self.algorithm, self.digest_type, self.digest
        )
    }

    /// As the shared DS type (for the signer's and verifier's tests).
    pub fn to_ds(&self) -> Option<crate::ds::Ds> {
        Some(crate::ds::Ds {
            key_tag: crate::keys::KeyTag(self.key_tag),
            algorithm: self.algorithm,
            digest_type: crate::ds::DigestType::from_number(self.digest_type).ok()?,
            digest: data_encoding::HEXUPPER_PERMISSIVE
                .decode(self.digest.as_bytes())
                .ok()?,
        })
    }
}

/// Which rollover.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RolloverKind {
    /// Pre-publish ZSK rollover (RFC 6781 §4.1.1.1).
    Zsk,
    /// Double-DS KSK rollover (RFC 6781 §4.1.2).
    Ksk,
}

/// The rollover in progress.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rollover {
    pub kind: RolloverKind,
    pub started: Timestamp,
    /// `file` of the key being replaced.
    pub old_key: String,
    /// `file` of the replacement.
    pub new_key: String,
    /// KSK: when the new DS was confirmed at the parent.
    #[serde(default)]
    pub ds_confirmed: Option<Timestamp>,
    /// KSK: when the new KSK replaces the old one in the DNSKEY RRset.
    #[serde(default)]
    pub swap_at: Option<Timestamp>,
}

/// One line of the event log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Event {
    pub at: Timestamp,
    pub event: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub detail: String,
}

/// The whole of `state.yaml`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ZoneState {
    pub version: u32,
    /// The zone, absolute (`example.com.`).
    pub zone: String,
    pub status: ZoneStatus,
    /// Algorithm of the zone's keys.
    pub algorithm: u8,
    #[serde(default)]
    pub policy: Policy,
    #[serde(default)]
    pub keys: Vec<KeyEntry>,
    #[serde(default)]
    pub ds_published: Vec<DsEntry>,
    #[serde(default)]
    pub ds_pending: Vec<DsEntry>,
    #[serde(default)]
    pub ds_to_remove: Vec<DsEntry>,
    #[serde(default)]
    pub rollover: Option<Rollover>,
    #[serde(default)]
    pub events: Vec<Event>,
}

impl ZoneState {
    /// A fresh state for a zone that has never been enabled.
    pub fn new(zone: &Name, algorithm: Algorithm, policy: Policy) -> ZoneState {
        ZoneState {
            version: VERSION,
            zone: zone.to_string(),
            status: ZoneStatus::Disabled,
            algorithm: algorithm.number(),
            policy,
            keys: Vec::new(),
            ds_published: Vec::new(),
            ds_pending: Vec::new(),
            ds_to_remove: Vec::new(),
            rollover: None,
            events: Vec::new(),
        }
    }

    /// Appends an event.
    pub fn log(&mut self, at: i64, event: &str, key: Option<&str>, detail: impl Into<String>) {
        self.events.push(Event {
            at: Timestamp(at),
            event: event.to_string(),
            key: key.map(str::to_string),
            detail: detail.into(),
        });
    }

    /// Time of the last event (the state's "now" so far).
    pub fn last_event_time(&self) -> Option<i64> {
        self.events.iter().map(|e| e.at.0).max()
    }

    pub fn key(&self, file: &str) -> Option<&KeyEntry> {
        self.keys.iter().find(|k| k.file == file)
    }

    pub fn key_mut(&mut self, file: &str) -> Option<&mut KeyEntry> {
        self.keys.iter_mut().find(|k| k.file == file)
    }

    /// Keys of `role` in `state`.
    pub fn keys_in(&self, role: KeyRole, state: KeyState) -> impl Iterator<Item = &KeyEntry> {
        self.keys
            .iter()
            .filter(move |k| k.role == role && k.state == state)
    }

    /// Keys not removed (still part of the zone).
    pub fn current_keys(&self) -> impl Iterator<Item = &KeyEntry> {
        self.keys.iter().filter(|k| k.state != KeyState::Removed)
    }

    /// Whether this is the state of `zone` (names compared case-blind).
    pub fn is_zone(&self, zone: &Name) -> bool {
        Name::from_ascii(&self.zone)
            .map(|n| n.eq_ignore_case(zone))
            .unwrap_or(false)
    }

    /// Serialises to YAML text (with a header comment).
    pub fn to_yaml(&self) -> Result<String, String> {
        let body = serde_yaml::to_string(self).map_err(|e| e.to_string())?;
        Ok(format!(
            "# zonesign DNSSEC key lifecycle state (see README: Key lifecycle).\n\
             # Written by `zonesign dnssec`; edit only while no zonesign runs.\n{body}"
        ))
    }

    /// Parses and checks YAML text; errors name the field (and line).
    pub fn from_yaml(text: &str) -> Result<ZoneState, String> {
        // Check the version first, so a future format gets a clear message
        // rather than an unknown-field error.
        if let Ok(v) = serde_yaml::from_str::<serde_yaml::Value>(text) {
            if let Some(ver) = v.get("version") {
                if ver.as_u64() != Some(u64::from(VERSION)) {
                    // The value is not shown: a state file quotes nothing of
                    // itself beyond the field that is wrong.
                    return Err(format!(
                        "version: unsupported state file version (this zonesign reads version {VERSION})"
                    ));
                }
            }
        }
        check_times(text)?;
        let state: ZoneState = serde_yaml::from_str(text).map_err(|e| yaml_error(&e))?;
        state.check()?;
        Ok(state)
    }

    /// Consistency checks serde cannot do; each error names its field.
    pub fn check(&self) -> Result<(), String> {
        if self.version != VERSION {
            return Err(format!(
                "version: unsupported state file version {} (this zonesign reads version {VERSION})",
                self.version
            ));
        }
        Name::from_ascii(&self.zone)
            .map_err(|e| format!("zone: bad zone name {}: {e}", quote_str(&self.zone)))?;
        Algorithm::from_number(self.algorithm).map_err(|e| format!("algorithm: {e}"))?;
        self.policy.check().map_err(|e| format!("policy.{e}"))?;
        for (i, k) in self.keys.iter().enumerate() {
            let f = |field: &str| format!("keys[{i}].{field}");
            if k.file.is_empty()
                || k.file.contains('/')
                || k.file.contains('\\')
                || !k.file.starts_with('K')
            {
                return Err(format!(
                    "{}: {} is not a key file base name (Kzone.+alg+tag)",
                    f("file"),
                    quote_str(&k.file)
                ));
            }
            let want_suffix = format!("+{:03}+{:05}", k.algorithm, k.key_tag);
            if !k.file.ends_with(&want_suffix) {
                return Err(format!(
                    "{}: {} does not end in {want_suffix} (algorithm {} and key_tag {})",
                    f("file"),
                    quote_str(&k.file),
                    k.algorithm,
                    k.key_tag
                ));
            }
            if self.keys[..i].iter().any(|o| o.file == k.file) {
                return Err(format!(
                    "{}: {} is listed twice",
                    f("file"),
                    quote_str(&k.file)
                ));
            }
            Algorithm::from_number(k.algorithm).map_err(|e| format!("{}: {e}", f("algorithm")))?;
            let order = [
                ("created", Some(k.created)),
                ("published", k.published),
                ("active", k.active),
                ("inactive", k.inactive),
                ("deleted", k.deleted),
            ];
            let mut prev: Option<(&str, Timestamp)> = None;
            for (name, t) in order {
                if let Some(t) = t {
                    if let Some((pn, pt)) = prev {
                        if t < pt {
                            return Err(format!("{}: {t} is before {pn} ({pt})", f(name)));
                        }
                    }
                    prev = Some((name, t));
                }
            }
            let needs = |field: &str, t: Option<Timestamp>| -> Result<(), String> {
                if t.is_none() {
                    Err(format!(
                        "{}: a key in state {} needs a {field} time",
                        f("state"),
                        k.state.as_str()
                    ))
                } else {
                    Ok(())
                }
            };
            match k.state {
                KeyState::Pending => {}
                KeyState::Published => needs("published", k.published)?,
                KeyState::Active => {
                    needs("published", k.published)?;
                    needs("active", k.active)?;
                }
                KeyState::Retired => {
                    needs("published", k.published)?;
                    needs("inactive", k.inactive)?;
                }
                KeyState::Removed => needs("deleted", k.deleted)?,
            }
        }
        for (list, entries) in [
            ("ds_published", &self.ds_published),
            ("ds_pending", &self.ds_pending),
            ("ds_to_remove", &self.ds_to_remove),
        ] {
            for (i, d) in entries.iter().enumerate() {
                if d.to_ds().is_none() {
                    return Err(format!(
                        "{list}[{i}]: digest type {} with digest {} is not a valid DS digest (types 1, 2, 4; hex)",
                        d.digest_type, quote_str(&d.digest)
                    ));
                }
            }
        }
        if let Some(r) = &self.rollover {
            for (field, file) in [("old_key", &r.old_key), ("new_key", &r.new_key)] {
                if self.key(file).is_none() {
                    return Err(format!(
                        "rollover.{field}: no key {} in keys",
                        quote_str(file)
                    ));
                }
            }
        }
        let want_rollover = match self.status {
            ZoneStatus::RotatingKsk => Some(RolloverKind::Ksk),
            ZoneStatus::RotatingZsk => Some(RolloverKind::Zsk),
            _ => None,
        };
        match (want_rollover, &self.rollover) {
            (Some(kind), Some(r)) if r.kind != kind => {
                return Err(format!(
                    "status: {} but rollover.kind is {:?}",
                    self.status.as_str(),
                    r.kind
                ))
            }
            (Some(_), None) => {
                return Err(format!(
                    "status: {} but there is no rollover",
                    self.status.as_str()
                ))
            }
            (None, Some(_)) if self.status != ZoneStatus::Active => {
                return Err(format!(
                    "rollover: a rollover cannot run while the status is {}",
                    self.status.as_str()
                ))
            }
            _ => {}
        }
        if self.status != ZoneStatus::Disabled {
            for role in [KeyRole::Ksk, KeyRole::Zsk] {
                if self.current_keys().all(|k| k.role != role) {
                    return Err(format!(
                        "keys: status {} but no current {} (every {} is removed)",
                        self.status.as_str(),
                        role.as_str(),
                        role.as_str()
                    ));
                }
            }
        }
        Ok(())
    }
}

/// A serde_yaml error as the field and position that are wrong, and what
/// was expected: serde's messages quote the offending value (`invalid
/// type: string "..."`, ``unknown variant `...` ``), and nothing of a state
/// file is shown beyond the field.
fn yaml_error(e: &serde_yaml::Error) -> String {
    let at = e
        .location()
        .map(|l| format!(" at line {} column {}", l.line(), l.column()))
        .unwrap_or_default();
    format!("{}{at}", yaml_error_message(e))
}

/// [`yaml_error`] without the position, for a caller that puts the
/// position first (`file:line:column: ...`).
pub(crate) fn yaml_error_message(e: &serde_yaml::Error) -> String {
    let full = e.to_string();
    // serde_yaml writes `PATH: MESSAGE at line L column C`.
    let body = match full.rfind(" at line ") {
        Some(i) => &full[..i],
        None => full.as_str(),
    };
    let (field, msg) = match body.split_once(": ") {
        Some((p, m))
            if !p.is_empty()
                && p.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"_-.[]".contains(&b)) =>
        {
            (Some(p), m)
        }
        _ => (None, body),
    };
    let kind = [
        ("unknown field", "unknown field"),
        ("unknown variant", "unknown value"),
        ("invalid type", "wrong type of value"),
        ("invalid value", "invalid value"),
        ("invalid length", "wrong number of items"),
        ("duplicate field", "field given twice"),
    ]
    .iter()
    .find(|(k, _)| msg.starts_with(k))
    .map(|(_, say)| *say);
    // An unknown field is the field that is wrong: named, escaped and cut
    // short like any quotation of input.
    // Only a name that could be a key is shown: a file that is not ours
    // (a symlink to /etc/shadow, a key's .private) makes its first line
    // the "key", and that line is not to be echoed.
    let unknown = msg
        .strip_prefix("unknown field `")
        .and_then(|r| r.rfind("`, expected ").map(|i| &r[..i]))
        .filter(|name| {
            (1..=40).contains(&name.len())
                && name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
        .map(|name| format!(" {}", quote_str(name)))
        .unwrap_or_default();
    let what = match kind {
        // The expected part is serde's description of our own schema.
        Some(say) => match msg.rfind(", expected ") {
            Some(i) => format!("{say}{unknown}{}", &msg[i..]),
            None => say.to_string(),
        },
        // `missing field `x`` names a field of the schema; YAML syntax
        // errors describe the syntax. Quotations are dropped all the same.
        None => crate::quote::withhold_quotations(msg),
    };
    match field {
        Some(f) => format!("{f}: {what}"),
        None => what,
    }
}

/// Checks every time field is RFC 3339 before the typed parse, so the
/// error names the field (`keys[1].active`): serde_yaml reports errors of
/// a scalar's own deserializer at the enclosing map only.
fn check_times(text: &str) -> Result<(), String> {
    use serde_yaml::Value;
    let Ok(root) = serde_yaml::from_str::<Value>(text) else {
        return Ok(()); // the typed parse reports syntax errors with lines
    };
    let check = |path: String, v: Option<&Value>| -> Result<(), String> {
        match v {
            None | Some(Value::Null) => Ok(()),
            Some(Value::String(s)) => time::OffsetDateTime::parse(
                s.trim(),
                &time::format_description::well_known::Rfc3339,
            )
            .map(|_| ())
            .map_err(|_| {
                format!("{path}: invalid time: expected RFC 3339, e.g. 2026-04-23T10:00:00Z")
            }),
            Some(_) => Err(format!("{path}: expected an RFC 3339 time string")),
        }
    };
    let lists: [(&str, &[&str]); 5] = [
        (
            "keys",
            &[
                "created",
                "published",
                "active",
                "inactive",
                "deleted",
                "expires_at",
            ],
        ),
        ("ds_published", &["since", "remove_after"]),
        ("ds_pending", &["since", "remove_after"]),
        ("ds_to_remove", &["since", "remove_after"]),
        ("events", &["at"]),
    ];
    for (list, fields) in lists {
        if let Some(Value::Sequence(items)) = root.get(list) {
            for (i, item) in items.iter().enumerate() {
                for f in fields {
                    check(format!("{list}[{i}].{f}"), item.get(*f))?;
                }
            }
        }
    }
    if let Some(r) = root.get("rollover") {
        for f in ["started", "ds_confirmed", "swap_at"] {
            check(format!("rollover.{f}"), r.get(f))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> ZoneState {
        let zone = Name::from_ascii("example.com").unwrap();
        let mut s = ZoneState::new(&zone, Algorithm::EcdsaP256Sha256, Policy::default());
        s.status = ZoneStatus::Active;
        for (tag, role) in [(12345u16, KeyRole::Ksk), (2345, KeyRole::Zsk)] {
            s.keys.push(KeyEntry {
                file: format!("Kexample.com.+013+{tag:05}"),
                key_tag: tag,
                role,
                algorithm: 13,
                state: KeyState::Active,
                created: Timestamp(1_776_938_400),
                published: Some(Timestamp(1_776_938_400)),
                active: Some(Timestamp(1_776_938_400)),
                inactive: None,
                deleted: None,
                expires_at: None,
            });
        }
        s.log(1_776_938_400, "enabled", None, "x");
        s
    }

    #[test]
    fn round_trip() {
        let s = sample();
        let y = s.to_yaml().unwrap();
        assert!(y.contains("version: 1"), "{y}");
        assert!(y.contains("created: 2026-04-23T10:00:00Z"), "{y}");
        assert_eq!(ZoneState::from_yaml(&y).unwrap(), s);
    }

    #[test]
    fn errors_name_the_field() {
        let y = sample().to_yaml().unwrap();
        let cases = [
            (
                y.replace("state: active", "state: glowing"),
                "keys[0].state",
            ),
            (
                y.replace("created: 2026-04-23T10:00:00Z", "created: yesterday"),
                "keys[0].created",
            ),
            (y.replace("version: 1", "version: 2"), "version"),
            (
                y.replace("key_tag: 12345", "key_tag: 99999"),
                "keys[0].key_tag",
            ),
            (
                y.replace("key_tag: 12345", "key_tag: 12346"),
                "keys[0].file",
            ),
            (
                y.replace("status: active", "status: rotating_zsk"),
                "status",
            ),
            (y.replace("role: KSK", "role: CSK"), "keys[0].role"),
            (
                y.replace("dnskey_ttl: 3600", "dnskey_ttl: -1"),
                "policy.dnskey_ttl",
            ),
            (format!("{y}bogus: 1\n"), "unknown field \"bogus\""),
            ("version: 1\nzone: [\n".to_string(), "line"),
        ];
        for (text, want) in cases {
            let e = ZoneState::from_yaml(&text).unwrap_err();
            assert!(e.contains(want), "{want}: {e}");
        }
    }

    #[test]
    fn domain_ids() {
        let z = Name::from_ascii("Example.COM.").unwrap();
        assert_eq!(domain_id(&z), "Example.COM");
        assert_eq!(domain_id(&Name::root()), ".");
    }

    proptest::proptest! {
        #[test]
        fn mutated_state_files_never_panic(pos in 0usize..2000, len in 0usize..8, with in "[ -~\n]{0,8}") {
            let y = sample().to_yaml().unwrap();
            let mut b = y.into_bytes();
            let p = pos.min(b.len());
            let e = (p + len).min(b.len());
            b.splice(p..e, with.bytes());
            if let Ok(t) = String::from_utf8(b) {
                let _ = ZoneState::from_yaml(&t);
            }
        }
    }
}
