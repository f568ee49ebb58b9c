//! **Rules** (views): what the commands print: the lifecycle reference's
//! JSON bodies (GET state; enable, disable, rotate-zsk, rotate-ksk,
//! confirm-ds-published, sync), Route 53's GetDNSSEC shape (`status
//! --format route53`), and a text rendering of both. Built from values (a
//! state, the keys' public data as storage read it, `now`); never any
//! private key material: public keys, DS and DNSKEY RDATA only.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use base64::Engine;
use serde::Serialize;

use super::state::{domain_id, DsEntry, KeyEntry, KeyRole, KeyState, ZoneState, ZoneStatus};
use super::time::{format_time, Timestamp};
use super::timing::state_at;
use crate::ds::{DigestType, Ds};
use crate::keys::{Algorithm, Dnskey};
use crate::name::Name;

/// A key as the lifecycle reference shows it (`key_tag` … `active`), plus
/// where it is in its life.
#[derive(Debug, Clone, Serialize)]
pub struct KeyView {
    pub key_tag: u16,
    pub algorithm: u8,
    /// Base64 of the DNSKEY public key field ("" when the `.key` file
    /// cannot be read; see `key_problems`).
    pub public_key: String,
    pub key_type: &'static str,
    pub created_at: String,
    pub expires_at: Option<String>,
    /// Signing now.
    pub active: bool,
    /// pending | published | active | retired | removed
    pub state: &'static str,
    /// In the DNSKEY RRset now.
    pub published: bool,
    pub published_at: Option<String>,
    pub active_at: Option<String>,
    pub inactive_at: Option<String>,
    pub removed_at: Option<String>,
    /// Key file base name in the state directory.
    pub file: String,
}

/// A DS record (reference fields) plus its presentation line.
#[derive(Debug, Clone, Serialize)]
pub struct DsView {
    pub key_tag: u16,
    pub algorithm: u8,
    pub digest_type: u8,
    pub digest: String,
    /// `example.com. IN DS 12345 13 2 ABCD...`
    pub record: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remove_after: Option<String>,
}

/// A rollover in progress.
#[derive(Debug, Clone, Serialize)]
pub struct RolloverView {
    /// `zsk` (pre-publish) or `ksk` (double-DS).
    pub kind: &'static str,
    pub started: String,
    pub old_key: Option<u16>,
    pub new_key: Option<u16>,
    /// What happens next, in words.
    pub next_step: String,
}

/// A scheduled time-driven transition.
#[derive(Debug, Clone, Serialize)]
pub struct ScheduleItem {
    pub at: String,
    pub event: String,
}

/// The reference's GET response, with `domain_id` and the details of DS
/// sets and rollover added.
#[derive(Debug, Clone, Serialize)]
pub struct GetResponse {
    pub domain_id: String,
    pub enabled: bool,
    pub status: &'static str,
    pub algorithm: u8,
    pub ksk: Vec<KeyView>,
    pub zsk: Vec<KeyView>,
    /// The DS records the parent must have: confirmed ones, and those
    /// waiting to be published and confirmed.
    pub ds_records: Vec<DsView>,
    /// Confirmed at the parent.
    pub ds_published: Vec<DsView>,
    /// To publish at the parent, then `confirm-ds-published`.
    pub ds_pending: Vec<DsView>,
    /// To remove at the parent (after `remove_after`).
    pub ds_to_remove: Vec<DsView>,
    pub rollover: Option<RolloverView>,
    pub schedule: Vec<ScheduleItem>,
    /// Key files that are missing, unreadable or do not match.
    pub key_problems: Vec<String>,
}

/// The response of a state-changing command.
#[derive(Debug, Clone, Serialize)]
pub struct ActionResponse {
    pub domain_id: String,
    pub action: &'static str,
    pub message: String,
    pub status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ksk: Option<KeyView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zsk: Option<KeyView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_key: Option<KeyView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new_key: Option<KeyView>,
    pub ds_records: Vec<DsView>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ds_to_remove: Vec<DsView>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub retired_keys: Vec<KeyView>,
    pub schedule: Vec<ScheduleItem>,
}

/// `sync`: what changed (or would), what cannot be fixed, and the state
/// after.
#[derive(Debug, Clone, Serialize)]
pub struct SyncResponse {
    pub action: &'static str,
    pub message: String,
    pub dry_run: bool,
    pub changes: Vec<String>,
    pub problems: Vec<String>,
    #[serde(flatten)]
    pub state: GetResponse,
}

// ---------------------------------------------------------------------------
// Route 53 GetDNSSEC (route53-get-dnssec-api.rst)

#[derive(Debug, Clone, Serialize)]
pub struct R53Status {
    /// SIGNING | NOT_SIGNING | DELETING | ACTION_NEEDED | INTERNAL_FAILURE
    #[serde(rename = "ServeSignature")]
    pub serve_signature: &'static str,
    #[serde(rename = "StatusMessage", skip_serializing_if = "Option::is_none")]
    pub status_message: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct R53Ksk {
    #[serde(rename = "Name")]
    pub name: String,
    #[serde(rename = "Flag")]
    pub flag: u16,
    #[serde(rename = "SigningAlgorithmMnemonic")]
    pub signing_algorithm_mnemonic: String,
    #[serde(rename = "SigningAlgorithmType")]
    pub signing_algorithm_type: u8,
    #[serde(rename = "DigestAlgorithmMnemonic")]
    pub digest_algorithm_mnemonic: &'static str,
    #[serde(rename = "DigestAlgorithmType")]
    pub digest_algorithm_type: u8,
    #[serde(rename = "KeyTag")]
    pub key_tag: u16,
    #[serde(rename = "DigestValue")]
    pub digest_value: String,
    #[serde(rename = "PublicKey")]
    pub public_key: String,
    #[serde(rename = "DSRecord")]
    pub ds_record: String,
    #[serde(rename = "DNSKEYRecord")]
    pub dnskey_record: String,
    /// ACTIVE | INACTIVE | DELETING | ACTION_NEEDED | INTERNAL_FAILURE
    #[serde(rename = "Status")]
    pub status: &'static str,
    #[serde(rename = "StatusMessage", skip_serializing_if = "Option::is_none")]
    pub status_message: Option<String>,
    #[serde(rename = "CreatedDate")]
    pub created_date: String,
    #[serde(rename = "LastModifiedDate")]
    pub last_modified_date: String,
}

/// The GetDNSSEC response body. `KmsArn` is left out: there is no KMS key
/// offline (the private key is the `.private` file named in messages).
#[derive(Debug, Clone, Serialize)]
pub struct GetDnssec {
    #[serde(rename = "Status")]
    pub status: R53Status,
    #[serde(rename = "KeySigningKeys")]
    pub key_signing_keys: Vec<R53Ksk>,
}

// ---------------------------------------------------------------------------
// building

/// The DNSKEY of each key, by key file base name; a key whose `.key` file
/// could not be read is absent (its view shows no public key).
pub type PublicKeys = BTreeMap<String, Dnskey>;

fn opt_time(t: Option<Timestamp>) -> Option<String> {
    t.map(|t| format_time(t.0))
}

/// Builds views of a state at `now`.
pub struct Views<'a> {
    pub keys: &'a PublicKeys,
    pub state: &'a ZoneState,
    pub zone: &'a Name,
    pub now: i64,
}

impl Views<'_> {
    pub fn key(&self, k: &KeyEntry) -> KeyView {
        let public_key = self
            .keys
            .get(&k.file)
            .map(|d| base64::engine::general_purpose::STANDARD.encode(&d.public_key))
            .unwrap_or_default();
        let st = state_at(k, self.now);
        KeyView {
            key_tag: k.key_tag,
            algorithm: k.algorithm,
            public_key,
            key_type: k.role.as_str(),
            created_at: format_time(k.created.0),
            expires_at: opt_time(k.expires_at),
            active: st == KeyState::Active,
            state: st.as_str(),
            published: st.is_published(),
            published_at: opt_time(k.published),
            active_at: opt_time(k.active),
            inactive_at: opt_time(k.inactive),
            removed_at: opt_time(k.deleted),
            file: k.file.clone(),
        }
    }

    pub fn key_by_file(&self, file: &str) -> Option<KeyView> {
        self.state.key(file).map(|k| self.key(k))
    }

    pub fn ds(&self, d: &DsEntry) -> DsView {
        DsView {
            key_tag: d.key_tag,
            algorithm: d.algorithm,
            digest_type: d.digest_type,
            digest: d.digest.to_ascii_uppercase(),
            record: format!(
                "{} IN DS {}",
                self.zone,
                d.rdata_text().to_ascii_uppercase()
            ),
            remove_after: opt_time(d.remove_after),
        }
    }

    pub fn ds_list(&self, v: &[DsEntry]) -> Vec<DsView> {
        v.iter().map(|d| self.ds(d)).collect()
    }

    /// Upcoming time-driven transitions, soonest first.
    pub fn schedule(&self) -> Vec<ScheduleItem> {
        // (time, stage, text): at one time, additions before removals.
        let mut items: Vec<(i64, u8, String)> = Vec::new();
        for k in self.state.current_keys() {
            let what = format!("{} {}", k.role.as_str(), k.key_tag);
            for (stage, t, ev) in [
                (0u8, k.published, "published (added to the DNSKEY RRset)"),
                (1, k.active, "starts signing"),
                (2, k.inactive, "stops signing"),
                (3, k.deleted, "removed from the DNSKEY RRset"),
            ] {
                if let Some(t) = t.filter(|t| t.0 > self.now) {
                    items.push((t.0, stage, format!("{what} {ev}")));
                }
            }
        }
        for d in &self.state.ds_to_remove {
            if let Some(t) = d.remove_after.filter(|t| t.0 > self.now) {
                items.push((
                    t.0,
                    4,
                    format!("DS {} may be removed at the parent", d.key_tag),
                ));
            }
        }
        items.sort();
        items
            .into_iter()
            .map(|(t, _, event)| ScheduleItem {
                at: format_time(t),
                event,
            })
            .collect()
    }

    fn rollover(&self) -> Option<RolloverView> {
        let r = self.state.rollover.as_ref()?;
        let tag = |f: &str| self.state.key(f).map(|k| k.key_tag);
        let (kind, next_step) = match r.kind {
            super::state::RolloverKind::Zsk => {
                let new = self.state.key(&r.new_key);
                let old = self.state.key(&r.old_key);
                let next = match (new.and_then(|k| k.active), old.and_then(|k| k.deleted)) {
                    (Some(a), _) if a.0 > self.now => format!(
                        "new ZSK {} starts signing at {a} (re-sign the zone then)",
                        new.map(|k| k.key_tag).unwrap_or(0)
                    ),
                    (_, Some(d)) => format!(
                        "old ZSK {} is removed at {d} (re-sign the zone then)",
                        old.map(|k| k.key_tag).unwrap_or(0)
                    ),
                    _ => "finishing".into(),
                };
                ("zsk", next)
            }
            super::state::RolloverKind::Ksk => {
                let next = match r.swap_at {
                    None => format!(
                        "publish the DS of the new KSK {} at the parent (beside the old one), then run confirm-ds-published",
                        tag(&r.new_key).unwrap_or(0)
                    ),
                    Some(s) => format!(
                        "KSK {} replaces KSK {} in the DNSKEY RRset at {s} (re-sign the zone then)",
                        tag(&r.new_key).unwrap_or(0),
                        tag(&r.old_key).unwrap_or(0)
                    ),
                };
                ("ksk", next)
            }
        };
        Some(RolloverView {
            kind,
            started: format_time(r.started.0),
            old_key: tag(&r.old_key),
            new_key: tag(&r.new_key),
            next_step,
        })
    }

    /// The GET body. `problems` are the key file problems storage found
    /// ([`super::store::StateDir::check_key_files`]).
    pub fn get(&self, problems: Vec<String>) -> GetResponse {
        let s = self.state;
        let current: Vec<&KeyEntry> = s.current_keys().collect();
        let of = |role: KeyRole| {
            current
                .iter()
                .filter(|k| k.role == role)
                .map(|k| self.key(k))
                .collect::<Vec<_>>()
        };
        let mut ds_records = self.ds_list(&s.ds_published);
        ds_records.extend(self.ds_list(&s.ds_pending));
        GetResponse {
            domain_id: domain_id(self.zone),
            enabled: s.status != ZoneStatus::Disabled,
            status: s.status.as_str(),
            algorithm: s.algorithm,
            ksk: of(KeyRole::Ksk),
            zsk: of(KeyRole::Zsk),
            ds_records,
            ds_published: self.ds_list(&s.ds_published),
            ds_pending: self.ds_list(&s.ds_pending),
            ds_to_remove: self.ds_list(&s.ds_to_remove),
            rollover: self.rollover(),
            schedule: self.schedule(),
            key_problems: problems,
        }
    }

    /// An action response with the common fields filled.
    pub fn action(&self, action: &'static str, message: String) -> ActionResponse {
        ActionResponse {
            domain_id: domain_id(self.zone),
            action,
            message,
            status: self.state.status.as_str(),
            ksk: None,
            zsk: None,
            old_key: None,
            new_key: None,
            ds_records: Vec::new(),
            ds_to_remove: Vec::new(),
            retired_keys: Vec::new(),
            schedule: self.schedule(),
        }
    }

    /// Route 53's GetDNSSEC body. `problems` maps key files to messages.
    pub fn route53(&self, problems: &[(String, String)]) -> GetDnssec {
        let s = self.state;
        let problem_of = |file: &str| {
            problems
                .iter()
                .find(|(f, _)| f == file)
                .map(|(_, m)| m.clone())
        };
        let mut ksks = Vec::new();
        for k in s.keys.iter().filter(|k| k.role == KeyRole::Ksk) {
            let st = state_at(k, self.now);
            let ds_left = s.ds_to_remove.iter().any(|d| d.key_tag == k.key_tag);
            if st == KeyState::Removed && !ds_left {
                continue;
            }
            let Some(dnskey) = self.keys.get(&k.file) else {
                continue;
            };
            let rdata = dnskey.to_rdata();
            let ds = Ds::from_dnskey(self.zone, &rdata, DigestType::Sha256);
            let (status, msg) = if let Some(m) = problem_of(&k.file) {
                ("ACTION_NEEDED", Some(m))
            } else {
                match st {
                    KeyState::Active => ("ACTIVE", None),
                    KeyState::Removed => (
                        "DELETING",
                        Some(format!(
                            "removed from the DNSKEY RRset at {}; remove its DS at the parent{}",
                            opt_time(k.deleted).unwrap_or_default(),
                            s.ds_to_remove
                                .iter()
                                .find(|d| d.key_tag == k.key_tag)
                                .and_then(|d| d.remove_after)
                                .map(|t| format!(" after {t}"))
                                .unwrap_or_default()
                        )),
                    ),
                    KeyState::Pending => (
                        "INACTIVE",
                        Some("waiting for its DS at the parent (double-DS KSK rollover)".into()),
                    ),
                    _ => ("INACTIVE", None),
                }
            };
            let last = [
                Some(k.created),
                k.published,
                k.active,
                k.inactive,
                k.deleted,
            ]
            .into_iter()
            .flatten()
            .filter(|t| t.0 <= self.now)
            .max()
            .unwrap_or(k.created);
            let alg = Algorithm::from_number(k.algorithm).ok();
            ksks.push(R53Ksk {
                name: format!("ksk_{}_{}", k.algorithm, k.key_tag),
                flag: dnskey.flags,
                signing_algorithm_mnemonic: alg
                    .map(|a| a.mnemonic().to_string())
                    .unwrap_or_default(),
                signing_algorithm_type: k.algorithm,
                digest_algorithm_mnemonic: DigestType::Sha256.mnemonic(),
                digest_algorithm_type: DigestType::Sha256.number(),
                key_tag: k.key_tag,
                digest_value: data_encoding::HEXUPPER.encode(&ds.digest),
                public_key: base64::engine::general_purpose::STANDARD.encode(&dnskey.public_key),
                ds_record: ds.rdata_text(),
                dnskey_record: dnskey.rdata_text(),
                status,
                status_message: msg,
                created_date: format_time(k.created.0),
                last_modified_date: format_time(last.0),
            });
        }
        let status = if s.status == ZoneStatus::Disabled {
            R53Status {
                serve_signature: "NOT_SIGNING",
                status_message: None,
            }
        } else if !problems.is_empty() {
            R53Status {
                serve_signature: "ACTION_NEEDED",
                status_message: Some(
                    problems
                        .iter()
                        .map(|(_, m)| m.as_str())
                        .collect::<Vec<_>>()
                        .join("; "),
                ),
            }
        } else {
            R53Status {
                serve_signature: "SIGNING",
                status_message: None,
            }
        };
        GetDnssec {
            status,
            key_signing_keys: ksks,
        }
    }
}

// ---------------------------------------------------------------------------
// text

fn key_line(out: &mut String, label: &str, k: &KeyView) {
    let _ = writeln!(
        out,
        "{label:<8} {} {} alg {} {}{} created {} expires {}",
        k.key_type,
        k.key_tag,
        k.algorithm,
        k.state,
        if k.active { " (signing)" } else { "" },
        k.created_at,
        k.expires_at.as_deref().unwrap_or("-"),
    );
}

fn ds_lines(out: &mut String, label: &str, v: &[DsView]) {
    for d in v {
        let _ = writeln!(
            out,
            "{label:<8} {}{}",
            d.record,
            d.remove_after
                .as_ref()
                .map(|t| format!("  (remove after {t})"))
                .unwrap_or_default()
        );
    }
}

impl GetResponse {
    pub fn to_text(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "zone:    {}", self.domain_id);
        let _ = writeln!(
            s,
            "status:  {}{}",
            self.status,
            if self.enabled {
                ""
            } else {
                " (DNSSEC not enabled)"
            }
        );
        let _ = writeln!(s, "algorithm: {}", self.algorithm);
        for k in self.ksk.iter().chain(self.zsk.iter()) {
            key_line(&mut s, "key:", k);
        }
        ds_lines(&mut s, "DS:", &self.ds_published);
        ds_lines(&mut s, "DS new:", &self.ds_pending);
        ds_lines(&mut s, "DS old:", &self.ds_to_remove);
        if let Some(r) = &self.rollover {
            let _ = writeln!(
                s,
                "rollover: {} since {}: {}",
                r.kind, r.started, r.next_step
            );
        }
        for i in &self.schedule {
            let _ = writeln!(s, "at {}: {}", i.at, i.event);
        }
        for p in &self.key_problems {
            let _ = writeln!(s, "problem: {p}");
        }
        s
    }
}

impl ActionResponse {
    pub fn to_text(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "{}: {} ({})", self.domain_id, self.message, self.status);
        for (label, k) in [
            ("KSK:", &self.ksk),
            ("ZSK:", &self.zsk),
            ("old:", &self.old_key),
            ("new:", &self.new_key),
        ] {
            if let Some(k) = k {
                key_line(&mut s, label, k);
            }
        }
        for k in &self.retired_keys {
            key_line(&mut s, "retired:", k);
        }
        ds_lines(&mut s, "DS:", &self.ds_records);
        ds_lines(&mut s, "DS old:", &self.ds_to_remove);
        for i in &self.schedule {
            let _ = writeln!(s, "at {}: {}", i.at, i.event);
        }
        s
    }
}

impl SyncResponse {
    pub fn to_text(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "{}: {}", self.state.domain_id, self.message);
        for c in &self.changes {
            let _ = writeln!(s, "{} {c}", if self.dry_run { "would:" } else { "done:" });
        }
        for p in &self.problems {
            let _ = writeln!(s, "problem: {p}");
        }
        s.push_str(&self.state.to_text());
        s
    }
}

impl GetDnssec {
    pub fn to_text(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "ServeSignature: {}{}",
            self.status.serve_signature,
            self.status
                .status_message
                .as_ref()
                .map(|m| format!(" ({m})"))
                .unwrap_or_default()
        );
        for k in &self.key_signing_keys {
            let _ = writeln!(
                s,
                "{} {} {} DS {}{}",
                k.name,
                k.status,
                k.key_tag,
                k.ds_record,
                k.status_message
                    .as_ref()
                    .map(|m| format!(" ({m})"))
                    .unwrap_or_default()
            );
        }
        s
    }
}
