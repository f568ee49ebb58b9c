//! **Rules** (the state machine): the zone's statuses and what each
//! command does to the state, after the rollovers of RFC 6781 §4.1 (the
//! intervals are [`super::timing`]'s, after RFC 7583 §3.3).
//!
//! | command | from | to |
//! |---|---|---|
//! | `enable` | (none), `disabled` | `pending_ds` |
//! | `confirm-ds-published` | `pending_ds` | `active` |
//! | `rotate-zsk` (pre-publish, RFC 6781 §4.1.1.1) | `active` | `rotating_zsk`, `active` when the old ZSK is removed |
//! | `rotate-ksk` (double-DS, RFC 6781 §4.1.2) | `active` | `rotating_ksk` |
//! | `confirm-ds-published` | `rotating_ksk` | `active`, KSK swap scheduled |
//! | `disable` | any enabled | `disabled` |
//!
//! A command not allowed in the zone's status is a conflict (the
//! reference's 409); bad input is its 400. Each function here takes the
//! state (and the values storage read: new keys' entries, DNSKEYs, DS
//! records) and changes it in memory, returning a [`Plan`] of what storage
//! has to write before the state is saved. Never the filesystem, never the
//! clock: `now` is a value.

use super::ds_input::{check_one, GivenDs, KskRef};
use super::state::{
    DsEntry, KeyEntry, KeyRole, KeyState, Policy, Rollover, RolloverKind, ZoneState, ZoneStatus,
    TTL_CAP,
};
use super::time::{format_time, human_duration, Timestamp};
use super::timing::{ksk_swap_time, refresh_expiry, state_at, zsk_schedule};
use super::StateError;
use crate::ds::{DigestType, Ds};
use crate::keys::{Algorithm, Dnskey};
use crate::name::Name;

/// What a command's transition leaves to storage and says.
#[derive(Debug, Default)]
pub struct Plan {
    /// Keys whose files must be rewritten with their new timing
    /// ([`super::timing::key_timing`]), in this order, before the state is
    /// saved.
    pub rewrite_timing: Vec<String>,
    /// Notices for the operator (stderr).
    pub notices: Vec<String>,
    /// The response's `message`.
    pub message: String,
}

/// A new key's entry, created at `created` and published and active at
/// the times given; its state follows from those times.
pub fn new_key_entry(
    file: String,
    key_tag: u16,
    role: KeyRole,
    algorithm: u8,
    (created, published, active): (i64, Option<i64>, Option<i64>),
) -> KeyEntry {
    let mut entry = KeyEntry {
        file,
        key_tag,
        role,
        algorithm,
        state: KeyState::Pending,
        created: Timestamp(created),
        published: published.map(Timestamp),
        active: active.map(Timestamp),
        inactive: None,
        deleted: None,
        expires_at: None,
    };
    entry.state = state_at(&entry, created);
    entry
}

/// The DS (SHA-256) of a KSK for the parent, asked for at `since`.
pub fn ds_entry(zone: &Name, dnskey: &Dnskey, since: i64) -> DsEntry {
    let ds = Ds::from_dnskey(zone, &dnskey.to_rdata(), DigestType::Sha256);
    DsEntry {
        key_tag: ds.key_tag.0,
        algorithm: ds.algorithm,
        digest_type: ds.digest_type.number(),
        digest: data_encoding::HEXUPPER.encode(&ds.digest),
        since: Some(Timestamp(since)),
        remove_after: None,
    }
}

// ---------------------------------------------------------------------------
// enable

/// `enable` is allowed on a zone never enabled or disabled (else 409).
pub fn check_enable(state: &ZoneState) -> Result<(), StateError> {
    if state.status != ZoneStatus::Disabled {
        return Err(StateError::Conflict(format!(
            "enable: DNSSEC is already enabled for {} (status {})",
            state.zone,
            state.status.as_str()
        )));
    }
    Ok(())
}

/// `enable`: the zone signs with `ksk` and `zsk` (already in `st.keys`)
/// and is `pending_ds` until `ds` is confirmed at the parent.
pub fn enable(
    st: &mut ZoneState,
    algorithm: Algorithm,
    policy: Policy,
    ksk: &KeyEntry,
    zsk: &KeyEntry,
    ds: DsEntry,
    now: i64,
) -> Plan {
    st.algorithm = algorithm.number();
    st.policy = policy;
    st.status = ZoneStatus::PendingDs;
    st.ds_published.clear();
    st.ds_pending = vec![ds.clone()];
    st.ds_to_remove.clear();
    st.rollover = None;
    st.log(
        now,
        "enabled",
        None,
        format!("algorithm {}", algorithm.number()),
    );
    for k in [ksk, zsk] {
        st.log(
            now,
            "key-created",
            Some(&k.file),
            format!("{} {}: published and signing", k.role.as_str(), k.key_tag),
        );
    }
    st.log(
        now,
        "ds-pending",
        Some(&ksk.file),
        format!("publish DS {} at the parent", ds.rdata_text()),
    );
    refresh_expiry(st);
    Plan {
        message:
            "DNSSEC enabled; publish the DS record at the parent, then run confirm-ds-published"
                .into(),
        ..Plan::default()
    }
}

// ---------------------------------------------------------------------------
// rotate-zsk, rotate-ksk

/// Why a rotation cannot start now (409), or `Ok`.
pub fn check_can_rotate(state: &ZoneState, what: &str) -> Result<(), StateError> {
    let zone = &state.zone;
    match state.status {
        ZoneStatus::Disabled => Err(StateError::Conflict(format!(
            "{what}: DNSSEC is not enabled for {zone} (status disabled); run enable first"
        ))),
        ZoneStatus::PendingDs => Err(StateError::Conflict(format!(
            "{what}: {zone} is pending_ds: publish its DS at the parent and run confirm-ds-published before rotating keys"
        ))),
        ZoneStatus::RotatingKsk | ZoneStatus::RotatingZsk | ZoneStatus::Active => {
            match &state.rollover {
                None if state.status == ZoneStatus::Active => Ok(()),
                r => Err(StateError::Conflict(format!(
                    "{what}: a {} rollover is already running for {zone} (status {}{}); wait until it has finished",
                    r.as_ref().map(|r| match r.kind {
                        RolloverKind::Ksk => "KSK",
                        RolloverKind::Zsk => "ZSK",
                    }).unwrap_or("key"),
                    state.status.as_str(),
                    r.as_ref().map(|r| format!(", started {}", r.started)).unwrap_or_default()
                ))),
            }
        }
    }
}

/// The active key of `role` that a rollover replaces (409 if none).
pub fn key_to_replace(state: &ZoneState, role: KeyRole, cmd: &str) -> Result<KeyEntry, StateError> {
    state
        .keys_in(role, KeyState::Active)
        .next()
        .cloned()
        .ok_or_else(|| {
            StateError::Conflict(format!("{cmd}: the zone has no active {}", role.as_str()))
        })
}

/// Puts the zone into a rollover from `old` to `new` and logs it: ZSKs
/// roll by pre-publishing (RFC 6781 §4.1.1.1), KSKs by double DS (§4.1.2).
fn begin_rollover(
    st: &mut ZoneState,
    kind: RolloverKind,
    now: i64,
    old: &KeyEntry,
    new: &KeyEntry,
) {
    let (status, what) = match kind {
        RolloverKind::Zsk => (ZoneStatus::RotatingZsk, "ZSK rollover (pre-publish)"),
        RolloverKind::Ksk => (ZoneStatus::RotatingKsk, "KSK rollover (double-DS)"),
    };
    st.status = status;
    st.rollover = Some(Rollover {
        kind,
        started: Timestamp(now),
        old_key: old.file.clone(),
        new_key: new.file.clone(),
        ds_confirmed: None,
        swap_at: None,
    });
    st.log(
        now,
        "rollover-started",
        None,
        format!("{what} {} -> {}", old.key_tag, new.key_tag),
    );
}

/// `rotate-zsk`, pre-publish (RFC 6781 §4.1.1.1): `new` (already in
/// `st.keys`, published at `now`, signing from `t1` of
/// [`zsk_schedule`]) replaces `old`, which stops signing at `t1` and is
/// removed at `t2`. The old key's files get its new timing.
pub fn start_zsk_rollover(st: &mut ZoneState, old: &KeyEntry, new: &KeyEntry, now: i64) -> Plan {
    let p = st.policy;
    let (t1, t2) = zsk_schedule(&p, now);
    let mut plan = Plan::default();
    if let Some(o) = st.key_mut(&old.file) {
        o.inactive = Some(Timestamp(t1));
        o.deleted = Some(Timestamp(t2));
        plan.rewrite_timing.push(old.file.clone());
    }
    begin_rollover(st, RolloverKind::Zsk, now, old, new);
    st.log(
        now,
        "key-created",
        Some(&new.file),
        format!(
            "ZSK {}: published, signs from {} (after propagation delay {} + DNSKEY TTL {})",
            new.key_tag,
            format_time(t1),
            human_duration(p.propagation_delay),
            human_duration(p.dnskey_ttl)
        ),
    );
    st.log(
        now,
        "key-retire-scheduled",
        Some(&old.file),
        format!(
        "ZSK {}: stops signing at {}, removed at {} (after propagation delay + max zone TTL {})",
        old.key_tag, format_time(t1), format_time(t2), human_duration(p.max_zone_ttl.min(TTL_CAP))
    ),
    );
    refresh_expiry(st);
    plan.message = format!(
        "ZSK rollover started: new ZSK {} pre-published, signs from {}; old ZSK {} marked for retirement, removed at {}. Re-sign the zone now and at each scheduled time",
        new.key_tag, format_time(t1), old.key_tag, format_time(t2)
    );
    plan
}

/// `rotate-ksk`, double-DS (RFC 6781 §4.1.2), step 1: `new` (already in
/// `st.keys`, not published) waits for `ds`, its DS, at the parent.
pub fn start_ksk_rollover(
    st: &mut ZoneState,
    old: &KeyEntry,
    new: &KeyEntry,
    ds: DsEntry,
    now: i64,
) -> Plan {
    let ds_text = ds.rdata_text();
    st.ds_pending.push(ds);
    begin_rollover(st, RolloverKind::Ksk, now, old, new);
    st.log(
        now,
        "key-created",
        Some(&new.file),
        format!(
            "KSK {}: not published until its DS is at the parent",
            new.key_tag
        ),
    );
    st.log(
        now,
        "ds-pending",
        Some(&new.file),
        format!("publish DS {ds_text} at the parent beside the current DS"),
    );
    refresh_expiry(st);
    Plan {
        message: format!(
            "KSK rollover started: publish the DS of the new KSK {} at the parent next to the current one (keep the old DS), then run confirm-ds-published",
            new.key_tag
        ),
        ..Plan::default()
    }
}

// ---------------------------------------------------------------------------
// confirm-ds-published

/// The KSKs (files) waiting for their DS: the active KSK while
/// `pending_ds`, the new KSK of a KSK rollover before its DS was
/// confirmed. Any other status expects no confirmation (409).
pub fn awaiting_ds(state: &ZoneState) -> Result<Vec<String>, StateError> {
    match (state.status, &state.rollover) {
        (ZoneStatus::PendingDs, _) => Ok(state
            .keys_in(KeyRole::Ksk, KeyState::Active)
            .map(|k| k.file.clone())
            .collect()),
        (ZoneStatus::RotatingKsk, Some(r)) if r.ds_confirmed.is_none() => {
            Ok(vec![r.new_key.clone()])
        }
        (st, r) => Err(StateError::Conflict(format!(
            "confirm-ds-published: {} expects no DS confirmation (status {}{})",
            state.zone,
            st.as_str(),
            match r {
                Some(r) if r.kind == RolloverKind::Ksk => format!(
                    "; the new DS was confirmed at {}",
                    r.ds_confirmed.map(|t| t.to_string()).unwrap_or_default()
                ),
                _ => String::new(),
            }
        ))),
    }
}

/// `confirm-ds-published`: the DS records `given` are at the parent. Each
/// must match one of `ksks` (the zone's KSKs with their DNSKEYs; RFC 4034
/// §5.1.4), and one must be for a KSK in `awaiting`; otherwise nothing
/// changes (400). `pending_ds` becomes `active`; in a KSK rollover the
/// swap is scheduled after the parent's DS TTL, and both KSKs' files get
/// their new timing.
pub fn confirm_ds(
    st: &mut ZoneState,
    zone: &Name,
    given: &[GivenDs],
    ksks: &[KskRef],
    awaiting: &[String],
    now: i64,
) -> Result<Plan, StateError> {
    let mut errors = Vec::new();
    let mut matched: Vec<(usize, &GivenDs)> = Vec::new();
    for g in given {
        match check_one(zone, g, ksks) {
            Ok(i) => matched.push((i, g)),
            Err(why) => errors.push(format!("DS {}: {why}", g.describe())),
        }
    }
    if !errors.is_empty() {
        return Err(StateError::Invalid(format!(
            "confirm-ds-published: {} of {} DS record(s) do not match the zone's KSKs; nothing changed:\n  {}",
            errors.len(),
            given.len(),
            errors.join("\n  ")
        )));
    }
    if !matched
        .iter()
        .any(|(i, _)| awaiting.contains(&ksks[*i].file))
    {
        let want: Vec<String> = st
            .ds_pending
            .iter()
            .map(|d| format!("{zone} IN DS {}", d.rdata_text()))
            .collect();
        return Err(StateError::Invalid(format!(
            "confirm-ds-published: none of the given DS records is for the KSK waiting for its DS; nothing changed (expected: {})",
            want.join(" or ")
        )));
    }
    let mut plan = Plan::default();
    for (i, g) in &matched {
        if DigestType::from_number(g.digest_type).is_ok_and(|d| d.is_deprecated()) {
            plan.notices.push(format!(
                "DS {}: SHA-1 DS records are deprecated (RFC 8624 §3.3); publish a SHA-256 DS",
                g.describe()
            ));
        }
        let e = DsEntry {
            key_tag: g.key_tag,
            algorithm: g.algorithm,
            digest_type: g.digest_type,
            digest: data_encoding::HEXUPPER.encode(&g.digest),
            since: Some(Timestamp(now)),
            remove_after: None,
        };
        let file = &ksks[*i].file;
        if !st.ds_published.iter().any(|d| d.same_record(&e)) {
            st.log(
                now,
                "ds-confirmed",
                Some(file),
                format!("DS {} is published at the parent", e.rdata_text()),
            );
            st.ds_published.push(e);
        }
        let tag = ksks[*i].key_tag;
        st.ds_pending.retain(|d| d.key_tag != tag);
    }
    plan.message = "DS publication confirmed".to_string();
    match st.status {
        ZoneStatus::PendingDs => {
            st.status = ZoneStatus::Active;
            st.log(
                now,
                "zone-active",
                None,
                "chain of trust confirmed: status active",
            );
        }
        _ => {
            // rotating_ksk: schedule the swap (double-DS).
            let s = ksk_swap_time(&st.policy, now);
            let ttl = st.policy.parent_ds_ttl;
            let Some(mut r) = st.rollover.clone() else {
                return Err(StateError::Conflict(
                    "confirm-ds-published: no KSK rollover".into(),
                ));
            };
            r.ds_confirmed = Some(Timestamp(now));
            r.swap_at = Some(Timestamp(s));
            if let Some(k) = st.key_mut(&r.new_key) {
                k.published = Some(Timestamp(s));
                k.active = Some(Timestamp(s));
            }
            if let Some(k) = st.key_mut(&r.old_key) {
                k.inactive = Some(Timestamp(s));
                k.deleted = Some(Timestamp(s));
            }
            for f in [&r.new_key, &r.old_key] {
                if st.key(f).is_some() {
                    plan.rewrite_timing.push(f.clone());
                }
            }
            let (old_tag, new_tag) = (
                st.key(&r.old_key).map(|k| k.key_tag).unwrap_or(0),
                st.key(&r.new_key).map(|k| k.key_tag).unwrap_or(0),
            );
            st.rollover = Some(r);
            st.status = ZoneStatus::Active;
            st.log(now, "ksk-swap-scheduled", None, format!(
                "KSK {new_tag} replaces KSK {old_tag} in the DNSKEY RRset at {} (after the parent's DS TTL {})",
                format_time(s), human_duration(ttl)
            ));
            plan.message = format!(
                "DS publication confirmed; KSK {new_tag} replaces KSK {old_tag} at {} (after the parent's DS TTL); keep both DS at the parent until told to remove the old one",
                format_time(s)
            );
        }
    }
    refresh_expiry(st);
    Ok(plan)
}

// ---------------------------------------------------------------------------
// disable

/// `disable`: every current key stops at `now` (its files then go to
/// `retired/`), status `disabled`. Refused (409) while DS records are
/// confirmed at the parent, unless the operator says they were withdrawn
/// (`ds_withdrawn`): validating resolvers would fail the unsigned zone.
/// Returns the plan and the keys retired (every key the zone had); their
/// timing is rewritten best effort, a key whose files are gone is still
/// retired.
pub fn disable(
    st: &mut ZoneState,
    ds_withdrawn: bool,
    now: i64,
) -> Result<(Plan, Vec<String>), StateError> {
    if st.status == ZoneStatus::Disabled {
        return Err(StateError::Conflict(format!(
            "disable: DNSSEC is not enabled for {} (status disabled)",
            st.zone
        )));
    }
    let at_parent: Vec<String> = st
        .ds_published
        .iter()
        .chain(st.ds_to_remove.iter())
        .map(|d| d.rdata_text())
        .collect();
    if !st.ds_published.is_empty() && !ds_withdrawn {
        return Err(StateError::Conflict(format!(
            "disable: DS records are published at the parent for {} ({}); validating resolvers would SERVFAIL the zone once it is unsigned. Remove them at the registrar, wait for the parent's DS TTL, then run disable --ds-withdrawn",
            st.zone,
            at_parent.join(", ")
        )));
    }
    let mut plan = Plan::default();
    if !st.ds_pending.is_empty() && st.ds_published.is_empty() {
        plan.notices.push(
            "if you published the pending DS at the parent, remove it there: the zone is no longer signed".into(),
        );
    }
    let files: Vec<String> = st.current_keys().map(|k| k.file.clone()).collect();
    for f in &files {
        if let Some(k) = st.key_mut(f) {
            if k.inactive.is_none_or(|t| t.0 > now) {
                k.inactive = Some(Timestamp(now));
            }
            if k.deleted.is_none_or(|t| t.0 > now) {
                k.deleted = Some(Timestamp(now));
            }
            if k.active.is_some_and(|t| t.0 > now) {
                k.active = None;
            }
            if k.published.is_some_and(|t| t.0 > now) {
                k.published = None;
            }
            plan.rewrite_timing.push(f.clone());
        }
    }
    if ds_withdrawn {
        for text in &at_parent {
            st.log(
                now,
                "ds-withdrawn",
                None,
                format!("DS {text} withdrawn at the parent (operator)"),
            );
        }
    }
    st.ds_published.clear();
    st.ds_pending.clear();
    st.ds_to_remove.clear();
    st.rollover = None;
    st.status = ZoneStatus::Disabled;
    st.log(
        now,
        "disabled",
        None,
        "DNSSEC disabled; keys moved to retired/",
    );
    plan.message = "DNSSEC disabled".into();
    Ok((plan, files))
}

#[cfg(test)]
mod tests {
    //! The rules alone: a zone's whole life in memory, no directory.
    use super::*;
    use crate::lifecycle::timing::advance;

    const T0: i64 = 1_767_225_600;
    const DAY: i64 = 86_400;

    fn zone() -> Name {
        Name::from_ascii("example.com").unwrap()
    }

    /// A key entry for `dnskey`, named as its files would be.
    fn entry(dnskey: &Dnskey, role: KeyRole, times: (i64, Option<i64>, Option<i64>)) -> KeyEntry {
        let tag = dnskey.key_tag().0;
        new_key_entry(format!("Kexample.com.+015+{tag:05}"), tag, role, 15, times)
    }

    fn ksk_ref(k: &KeyEntry, dnskey: &Dnskey) -> KskRef {
        KskRef {
            file: k.file.clone(),
            key_tag: k.key_tag,
            algorithm: k.algorithm,
            dnskey: Some(dnskey.clone()),
            current: k.state != KeyState::Removed,
        }
    }

    fn given(ds: &DsEntry) -> GivenDs {
        GivenDs {
            source: "--ds-record #1".into(),
            text: ds.rdata_text(),
            key_tag: ds.key_tag,
            algorithm: ds.algorithm,
            digest_type: ds.digest_type,
            digest: data_encoding::HEXUPPER
                .decode(ds.digest.as_bytes())
                .unwrap(),
        }
    }

    fn enabled() -> (ZoneState, Dnskey) {
        let mut st = ZoneState::new(&zone(), Algorithm::Ed25519, Policy::default());
        check_enable(&st).unwrap();
        let ksk_key = Dnskey::new(Algorithm::Ed25519, true, vec![1; 32]);
        let zsk_key = Dnskey::new(Algorithm::Ed25519, false, vec![2; 32]);
        let times = (T0, Some(T0), Some(T0));
        let (ksk, zsk) = (
            entry(&ksk_key, KeyRole::Ksk, times),
            entry(&zsk_key, KeyRole::Zsk, times),
        );
        st.keys.push(ksk.clone());
        st.keys.push(zsk.clone());
        let ds = ds_entry(&zone(), &ksk_key, T0);
        let plan = enable(
            &mut st,
            Algorithm::Ed25519,
            Policy::default(),
            &ksk,
            &zsk,
            ds,
            T0,
        );
        assert!(plan.rewrite_timing.is_empty());
        st.check().unwrap();
        (st, ksk_key)
    }

    #[test]
    fn enable_then_confirm_ds() {
        let (mut st, ksk_key) = enabled();
        assert_eq!(st.status, ZoneStatus::PendingDs);
        assert!(matches!(check_enable(&st), Err(StateError::Conflict(_))));
        assert!(matches!(
            check_can_rotate(&st, "rotate-zsk"),
            Err(StateError::Conflict(_))
        ));
        let ksk = st.keys[0].clone();
        let awaiting = awaiting_ds(&st).unwrap();
        assert_eq!(awaiting, vec![ksk.file.clone()]);
        let ds = st.ds_pending[0].clone();
        let plan = confirm_ds(
            &mut st,
            &zone(),
            &[given(&ds)],
            &[ksk_ref(&ksk, &ksk_key)],
            &awaiting,
            T0 + 1,
        )
        .unwrap();
        assert_eq!(st.status, ZoneStatus::Active);
        assert!(plan.rewrite_timing.is_empty() && plan.notices.is_empty());
        assert!(st.ds_pending.is_empty() && st.ds_published.len() == 1);
        assert!(matches!(awaiting_ds(&st), Err(StateError::Conflict(_))));
        st.check().unwrap();
    }

    #[test]
    fn a_ds_that_does_not_match_changes_nothing() {
        let (mut st, _) = enabled();
        let before = st.clone();
        let ksk = st.keys[0].clone();
        let other = Dnskey::new(Algorithm::Ed25519, true, vec![9; 32]);
        let mut ds = st.ds_pending[0].clone();
        ds.digest = ds_entry(&zone(), &other, T0).digest;
        let awaiting = awaiting_ds(&st).unwrap();
        let e = confirm_ds(
            &mut st,
            &zone(),
            &[given(&ds)],
            &[ksk_ref(
                &ksk,
                &Dnskey::new(Algorithm::Ed25519, true, vec![1; 32]),
            )],
            &awaiting,
            T0 + 1,
        )
        .unwrap_err();
        assert!(matches!(e, StateError::Invalid(_)), "{e}");
        assert_eq!(st, before);
    }

    #[test]
    fn zsk_rollover_then_disable() {
        let (mut st, ksk_key) = enabled();
        let ksk = st.keys[0].clone();
        let awaiting = awaiting_ds(&st).unwrap();
        let ds = st.ds_pending[0].clone();
        let ksks = [ksk_ref(&ksk, &ksk_key)];
        confirm_ds(&mut st, &zone(), &[given(&ds)], &ksks, &awaiting, T0).unwrap();
        let now = T0 + DAY;
        check_can_rotate(&st, "rotate-zsk").unwrap();
        let old = key_to_replace(&st, KeyRole::Zsk, "rotate-zsk").unwrap();
        let (t1, t2) = zsk_schedule(&st.policy, now);
        let new_key = Dnskey::new(Algorithm::Ed25519, false, vec![3; 32]);
        let new = entry(&new_key, KeyRole::Zsk, (now, Some(now), Some(t1)));
        assert_eq!(new.state, KeyState::Published);
        st.keys.push(new.clone());
        let plan = start_zsk_rollover(&mut st, &old, &new, now);
        assert_eq!(plan.rewrite_timing, vec![old.file.clone()]);
        assert_eq!(st.status, ZoneStatus::RotatingZsk);
        assert!(matches!(
            check_can_rotate(&st, "rotate-ksk"),
            Err(StateError::Conflict(_))
        ));
        st.check().unwrap();
        // Due at t2: the new ZSK signs, the old one has left the zone.
        let a = advance(&mut st, t2);
        assert_eq!(a.removed, vec![old.file.clone()]);
        assert_eq!(st.status, ZoneStatus::Active);
        assert!(st.rollover.is_none());
        assert_eq!(st.key(&new.file).unwrap().state, KeyState::Active);
        st.check().unwrap();
        // The DS is at the parent: disabling needs the operator's word.
        assert!(matches!(
            disable(&mut st.clone(), false, t2),
            Err(StateError::Conflict(_))
        ));
        let (plan, retired) = disable(&mut st, true, t2).unwrap();
        assert_eq!(retired, vec![ksk.file.clone(), new.file.clone()]);
        assert_eq!(plan.rewrite_timing, retired);
        assert_eq!(st.status, ZoneStatus::Disabled);
        assert_eq!(advance(&mut st, t2).removed, retired);
        st.check().unwrap();
    }
}
