//! The state machine: zone statuses, key states, and the timing of the two
//! rollovers.
//!
//! **Key states** follow from a key's times: `pending` (no `published`
//! yet or in the future), `published` (in the DNSKEY RRset), `active`
//! (signing), `retired` (published, no longer signing), `removed` (out of
//! the DNSKEY RRset). Time-driven transitions are applied by [`advance`] on
//! every command at `now`; each is logged at the time it took effect.
//!
//! **Pre-publish ZSK rollover** (RFC 6781 §4.1.1.1), started at `t0`:
//! the new ZSK is published at `t0` and not signing; at
//! `t1 = t0 + propagation_delay + dnskey_ttl` (every cache has the DNSKEY
//! RRset holding it, RFC 7583 §3.3.1 Ipub) it becomes the signing ZSK and
//! the old one stops signing; at
//! `t2 = t1 + propagation_delay + min(max_zone_ttl, 1 week)` (signatures
//! by the old ZSK have expired from caches, RFC 7583 Iret) the old ZSK is
//! removed. The zone is `rotating_zsk` from `t0` to `t2`.
//!
//! **Double-DS KSK rollover** (RFC 6781 §4.1.2), started at `r0`: the new
//! KSK is generated (not published) and its DS is returned for the parent;
//! the zone is `rotating_ksk` and the old KSK keeps signing alone. At
//! `confirm-ds-published` (`c`) the zone is `active` again and the swap is
//! scheduled at `s = c + parent_ds_ttl`: by then no cache holds a DS RRset
//! without the new DS. At `s` the DNSKEY RRset changes in one step: the new
//! KSK is published and signs it, the old KSK leaves (both DS are at the
//! parent, so caches with either DNSKEY RRset validate). The old DS is then
//! reported as to be removed at the parent after
//! `s + propagation_delay + dnskey_ttl`, when no cache holds the old DNSKEY
//! RRset any more.

use std::fs;
use std::path::Path;

use super::state::{
    KeyEntry, KeyRole, KeyState, Policy, RolloverKind, StateDir, ZoneState, ZoneStatus, TTL_CAP,
};
use super::time::{add, format_time, Timestamp};
use super::StateError;

/// A key's state at `now`, from its times.
pub fn state_at(k: &KeyEntry, now: i64) -> KeyState {
    let due = |t: Option<Timestamp>| t.is_some_and(|t| t.0 <= now);
    if due(k.deleted) {
        KeyState::Removed
    } else if due(k.inactive) {
        KeyState::Retired
    } else if due(k.active) {
        KeyState::Active
    } else if due(k.published) {
        KeyState::Published
    } else {
        KeyState::Pending
    }
}

/// When a pre-publish ZSK rollover started at `t0` activates the new key
/// (`t1`) and removes the old one (`t2`).
pub fn zsk_schedule(p: &Policy, t0: i64) -> (i64, i64) {
    let t1 = add(add(t0, p.propagation_delay), p.dnskey_ttl);
    let t2 = add(add(t1, p.propagation_delay), p.max_zone_ttl.min(TTL_CAP));
    (t1, t2)
}

/// When the KSKs swap after the new DS was confirmed at `c`.
pub fn ksk_swap_time(p: &Policy, c: i64) -> i64 {
    add(c, p.parent_ds_ttl)
}

/// When the old DS may go after a KSK swap at `s`.
pub fn ds_removal_time(p: &Policy, s: i64) -> i64 {
    add(add(s, p.propagation_delay), p.dnskey_ttl)
}

/// `expires_at` of a key: its scheduled end of signing, else start of
/// signing (or creation) plus the role's planned lifetime.
pub fn expires_at(k: &KeyEntry, p: &Policy) -> Timestamp {
    if let Some(t) = k.inactive {
        return t;
    }
    let start = k.active.unwrap_or(k.created).0;
    let life = match k.role {
        KeyRole::Ksk => p.ksk_lifetime,
        KeyRole::Zsk => p.zsk_lifetime,
    };
    Timestamp(add(start, life))
}

/// Refuses a `now` earlier than the last recorded event: the state cannot
/// go back in time (a wrong clock or a wrong `--now`).
pub fn check_now(state: &ZoneState, now: i64) -> Result<(), StateError> {
    match state.last_event_time() {
        Some(last) if now < last => Err(StateError::Invalid(format!(
            "--now {} is earlier than the last recorded event ({}); the state cannot go back in time",
            format_time(now),
            format_time(last)
        ))),
        _ => Ok(()),
    }
}

/// What [`advance`] did.
#[derive(Debug, Default)]
pub struct Advanced {
    /// Keys that left the zone (their files go to `retired/`).
    pub removed: Vec<String>,
    /// True when anything changed.
    pub changed: bool,
}

/// Applies every time-driven transition due at `now`, in time order, and
/// logs each at the time it took effect. Does not touch files.
pub fn advance(state: &mut ZoneState, now: i64) -> Advanced {
    let mut out = Advanced::default();
    // (time, sequence, event, key, detail)
    let mut evs: Vec<(i64, usize, &'static str, Option<String>, String)> = Vec::new();
    let policy = state.policy;
    for k in state.keys.iter_mut() {
        if k.state == KeyState::Removed {
            continue;
        }
        let target = state_at(k, now);
        if target == k.state {
            continue;
        }
        let stages = [
            (
                KeyState::Published,
                k.published,
                "key-published",
                "added to the DNSKEY RRset",
            ),
            (KeyState::Active, k.active, "key-activated", "signing"),
            (
                KeyState::Retired,
                k.inactive,
                "key-inactivated",
                "no longer signing",
            ),
            (
                KeyState::Removed,
                k.deleted,
                "key-removed",
                "removed from the DNSKEY RRset; files moved to retired/",
            ),
        ];
        for (stage, t, name, detail) in stages {
            if let Some(t) = t {
                if stage > k.state && stage <= target && t.0 <= now {
                    let n = evs.len();
                    evs.push((
                        t.0,
                        n,
                        name,
                        Some(k.file.clone()),
                        format!("{} {}: {detail}", k.role.as_str(), k.key_tag),
                    ));
                }
            }
        }
        k.state = target;
        if target == KeyState::Removed {
            out.removed.push(k.file.clone());
        }
        out.changed = true;
    }
    // Rollovers that completed.
    if let Some(r) = state.rollover.clone() {
        match r.kind {
            RolloverKind::Zsk => {
                let old = state.key(&r.old_key);
                if let Some(old) = old.filter(|o| o.state == KeyState::Removed) {
                    let at = old.deleted.map(|t| t.0).unwrap_or(now);
                    let n = evs.len();
                    evs.push((
                        at,
                        n,
                        "rollover-finished",
                        None,
                        format!("ZSK rollover {} -> {} finished", r.old_key, r.new_key),
                    ));
                    state.rollover = None;
                    state.status = ZoneStatus::Active;
                    out.changed = true;
                }
            }
            RolloverKind::Ksk => {
                if let Some(s) = r.swap_at.filter(|s| s.0 <= now) {
                    let old_tag = state.key(&r.old_key).map(|k| k.key_tag);
                    let remove_after = Timestamp(ds_removal_time(&policy, s.0));
                    let mut moved = Vec::new();
                    state.ds_published.retain(|d| {
                        if Some(d.key_tag) == old_tag {
                            moved.push(d.clone());
                            false
                        } else {
                            true
                        }
                    });
                    for mut d in moved {
                        let n = evs.len();
                        evs.push((
                            s.0,
                            n,
                            "ds-to-remove",
                            Some(r.old_key.clone()),
                            format!(
                                "remove DS {} at the parent after {remove_after}",
                                d.rdata_text()
                            ),
                        ));
                        d.remove_after = Some(remove_after);
                        d.since = None;
                        state.ds_to_remove.push(d);
                    }
                    let n = evs.len();
                    evs.push((
                        s.0,
                        n,
                        "rollover-finished",
                        None,
                        format!("KSK rollover {} -> {} finished", r.old_key, r.new_key),
                    ));
                    state.rollover = None;
                    out.changed = true;
                }
            }
        }
    }
    evs.sort_by_key(|e| (e.0, e.1));
    for (at, _, name, key, detail) in evs {
        state.log(at, name, key.as_deref(), detail);
    }
    refresh_expiry(state);
    out
}

/// Sets `expires_at` of every current key.
pub fn refresh_expiry(state: &mut ZoneState) {
    let p = state.policy;
    for k in state.keys.iter_mut() {
        if k.state != KeyState::Removed {
            k.expires_at = Some(expires_at(k, &p));
        }
    }
}

/// Moves a removed key's files into `retired/` (never deletes; a name
/// already taken there gets a numeric suffix). Missing files are skipped.
/// Returns what was moved.
pub fn retire_files(dir: &StateDir, file: &str) -> Result<Vec<String>, StateError> {
    let retired = dir.retired_dir();
    let mut moved = Vec::new();
    for ext in [".key", ".private", ".pem"] {
        let src = dir.dir.join(format!("{file}{ext}"));
        if !src.exists() {
            continue;
        }
        crate::fsio::create_private_dir(&retired).map_err(StateError::io(&retired))?;
        let dst = free_name(&retired, &format!("{file}{ext}"));
        fs::rename(&src, &dst).map_err(StateError::io(&src))?;
        moved.push(format!("{} -> {}", src.display(), dst.display()));
    }
    Ok(moved)
}

fn free_name(dir: &Path, name: &str) -> std::path::PathBuf {
    let p = dir.join(name);
    if !p.exists() {
        return p;
    }
    (1u32..)
        .map(|i| dir.join(format!("{name}.{i}")))
        .find(|p| !p.exists())
        .unwrap_or(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(
        published: Option<i64>,
        active: Option<i64>,
        inactive: Option<i64>,
        deleted: Option<i64>,
    ) -> KeyEntry {
        KeyEntry {
            file: "Kx.+013+00001".into(),
            key_tag: 1,
            role: KeyRole::Zsk,
            algorithm: 13,
            state: KeyState::Pending,
            created: Timestamp(0),
            published: published.map(Timestamp),
            active: active.map(Timestamp),
            inactive: inactive.map(Timestamp),
            deleted: deleted.map(Timestamp),
            expires_at: None,
        }
    }

    #[test]
    fn states_from_times() {
        let k = key(Some(10), Some(20), Some(30), Some(40));
        assert_eq!(state_at(&k, 5), KeyState::Pending);
        assert_eq!(state_at(&k, 10), KeyState::Published);
        assert_eq!(state_at(&k, 25), KeyState::Active);
        assert_eq!(state_at(&k, 30), KeyState::Retired);
        assert_eq!(state_at(&k, 40), KeyState::Removed);
        assert_eq!(
            state_at(&key(None, None, None, None), 99),
            KeyState::Pending
        );
    }

    #[test]
    fn zsk_timing() {
        let p = Policy::default();
        assert_eq!(zsk_schedule(&p, 0), (7200, 7200 + 3600 + 604_800));
        let p2 = Policy {
            max_zone_ttl: 10 * 604_800,
            ..Policy::default()
        };
        assert_eq!(
            zsk_schedule(&p2, 0).1,
            7200 + 3600 + 604_800,
            "capped at a week"
        );
        assert_eq!(ksk_swap_time(&p, 100), 86_500);
        assert_eq!(ds_removal_time(&p, 0), 7200);
    }
}
