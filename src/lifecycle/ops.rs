//! The `zonesign dnssec` commands. Each (but `status`, which only reads)
//! takes the lock, loads and checks
//! `state.yaml`, applies the time-driven transitions due at `now`, checks
//! the command is allowed in the zone's status (else a conflict, the
//! reference's 409), does its work and saves the state atomically.
//!
//! Order of writes: new key files first (not referenced yet), then key
//! files whose timing changed, then `state.yaml` (the commit point), then
//! moving removed keys into `retired/`. A run killed anywhere leaves either
//! the old or the new `state.yaml`; leftovers (an unreferenced new key, a
//! removed key not moved yet) are found by `sync`.

use std::path::PathBuf;
use std::time::Duration;

use super::ds_input::{check_one, parse_ds_text, GivenDs, KskRef};
use super::lock::{acquire, LockGuard};
use super::machine::{
    advance, check_now, ksk_swap_time, refresh_expiry, retire_files, zsk_schedule,
};
use super::response::{check_key_files, ActionResponse, GetDnssec, GetResponse, Views};
use super::state::{
    check_zone, domain_id, DsEntry, KeyEntry, KeyRole, KeyState, Policy, Rollover, RolloverKind,
    StateDir, ZoneState, ZoneStatus,
};
use super::time::{format_time, human_duration, Timestamp};
use super::StateError;
use crate::ds::{DigestType, Ds};
use crate::keys::keyfile::{key_file_text, private_file_text, KeyPaths};
use crate::keys::{generate, write_key_files, Algorithm, KeyTiming, SigningKey};
use crate::name::Name;

/// Where and when a command runs.
#[derive(Debug, Clone)]
pub struct Context {
    pub zone: Name,
    /// The zone's state directory.
    pub dir: PathBuf,
    /// The time (Unix seconds) the command runs at.
    pub now: i64,
    /// Test-only: sleep between writing `state.yaml`'s temp file and the
    /// rename (the CLI sets it from `ZONESIGN_TEST_PAUSE_BEFORE_RENAME`).
    pub pause_before_rename: Option<Duration>,
}

/// A response and the notices to show on stderr.
#[derive(Debug, Clone)]
pub struct Outcome<T> {
    pub response: T,
    pub notices: Vec<String>,
}

/// `enable` options.
#[derive(Debug, Clone)]
pub struct EnableOptions {
    pub algorithm: Algorithm,
    /// RSA modulus size (RSA only).
    pub bits: Option<u32>,
    pub policy: Policy,
}

/// A locked, loaded state directory.
pub(crate) struct Session {
    pub dir: StateDir,
    /// `None` for a read-only session ([`Session::open_read_only`]).
    lock: Option<LockGuard>,
    pub notices: Vec<String>,
    pub state: ZoneState,
    saved: ZoneState,
    pub removed: Vec<String>,
    pub now: i64,
    zone: Name,
    pause: Option<Duration>,
}

impl Session {
    /// Locks and loads an existing zone (404 when there is none) and applies
    /// the transitions due at `now`.
    pub fn open(ctx: &Context) -> Result<Session, StateError> {
        let dir = StateDir::new(&ctx.dir);
        if !dir.state_file().exists() {
            return Err(StateError::NotFound {
                zone: domain_id(&ctx.zone),
                path: dir.state_file(),
            });
        }
        let (lock, notices) = acquire(&dir.dir, ctx.now)?;
        let state = dir.load_zone(&ctx.zone)?;
        Session::start(ctx, dir, Some(lock), notices, state)
    }

    /// Loads an existing zone without the lock, for a command that only
    /// reads (`sync --dry-run`). The lock is a file created exclusively in
    /// the state directory, so taking it is a write (it fails on a
    /// read-only directory) and there is no shared form of it. None is
    /// needed: `state.yaml` is only ever replaced by a rename, so a reader
    /// sees a complete old or new state, never half of one; key files are
    /// replaced the same way. A run that changes the state meanwhile can
    /// make the report out of date, which is true of any report once it is
    /// printed. Stale temp files are left for the next locked run (removing
    /// them is a write). [`Session::commit`] refuses on such a session.
    pub fn open_read_only(ctx: &Context) -> Result<Session, StateError> {
        let dir = StateDir::new(&ctx.dir);
        let state = dir.load_zone(&ctx.zone)?;
        let notices = super::lock::held_note(&dir.dir).into_iter().collect();
        Session::start(ctx, dir, None, notices, state)
    }

    fn start(
        ctx: &Context,
        dir: StateDir,
        lock: Option<LockGuard>,
        notices: Vec<String>,
        state: ZoneState,
    ) -> Result<Session, StateError> {
        check_now(&state, ctx.now)?;
        let saved = state.clone();
        let mut s = Session {
            dir,
            lock,
            notices,
            state,
            saved,
            removed: Vec::new(),
            now: ctx.now,
            zone: ctx.zone.clone(),
            pause: ctx.pause_before_rename,
        };
        s.advance();
        Ok(s)
    }

    /// Events in the state as loaded (before transitions at `now`).
    pub fn saved_event_count(&self) -> usize {
        self.saved.events.len()
    }

    pub fn advance(&mut self) {
        let a = advance(&mut self.state, self.now);
        self.removed.extend(a.removed);
    }

    pub fn views(&self) -> Views<'_> {
        Views {
            dir: &self.dir,
            state: &self.state,
            zone: &self.zone,
            now: self.now,
        }
    }

    /// Applies due transitions once more (zero delays), saves if anything
    /// changed, then moves removed keys' files into `retired/`.
    pub fn commit(&mut self) -> Result<(), StateError> {
        if self.lock.is_none() {
            return Err(StateError::Invalid(
                "internal error: a read-only session cannot save the state".into(),
            ));
        }
        self.advance();
        if self.state != self.saved {
            self.dir.save(&self.state, self.pause)?;
            self.saved = self.state.clone();
        }
        for f in std::mem::take(&mut self.removed) {
            for m in retire_files(&self.dir, &f)? {
                self.notices.push(format!("moved {m}"));
            }
        }
        Ok(())
    }
}

fn timing_of(k: &KeyEntry) -> KeyTiming {
    KeyTiming {
        created: Some(k.created.0),
        publish: k.published.map(|t| t.0),
        activate: k.active.map(|t| t.0),
        inactive: k.inactive.map(|t| t.0),
        delete: k.deleted.map(|t| t.0),
    }
}

/// Rewrites a key's files with the timing of its state entry (BIND's
/// `Publish`/`Activate`/`Inactive`/`Delete`, so `dnssec-signzone -S`
/// makes the same choice as `keys_for_signing`). Atomic per file.
pub(crate) fn write_key_timing(dir: &StateDir, k: &KeyEntry) -> Result<bool, StateError> {
    let base = dir.key_base(&k.file);
    let mut key = dir.load_key_pair(&base)?;
    let want = timing_of(k);
    if *key.timing() == want {
        return Ok(false);
    }
    key.set_timing(want);
    rewrite_key_files(&base, &key)?;
    Ok(true)
}

/// Replaces `.private` (0600) and `.key` (0666 less the umask) of a key
/// as one transaction: both complete before either is replaced.
pub(crate) fn rewrite_key_files(
    base: &std::path::Path,
    key: &SigningKey,
) -> Result<(), StateError> {
    use crate::fsio::{FileMode, OnExisting, OutputTransaction};
    let paths = KeyPaths::from_arg(base);
    let err = |path: &std::path::Path| {
        let path = path.to_path_buf();
        move |e: crate::fsio::WriteError| StateError::Io {
            path: path.clone(),
            source: std::io::Error::other(e.to_string()),
        }
    };
    let private = zeroize::Zeroizing::new(private_file_text(key));
    let mut txn = OutputTransaction::new();
    txn.stage_with(
        &paths.private,
        FileMode::Private,
        OnExisting::Replace,
        |w| std::io::Write::write_all(w, private.as_bytes()),
    )
    .map_err(err(&paths.private))?;
    txn.stage_with(&paths.key, FileMode::Published, OnExisting::Replace, |w| {
        std::io::Write::write_all(w, key_file_text(key).as_bytes())
    })
    .map_err(err(&paths.key))?;
    txn.commit().map_err(err(&paths.key))
}

/// Generates a key whose tag no key of the zone (current or retired) has,
/// writes its files, and returns its state entry.
fn new_key(
    dir: &StateDir,
    state: &ZoneState,
    zone: &Name,
    alg: Algorithm,
    role: KeyRole,
    bits: Option<u32>,
    entry_times: (i64, Option<i64>, Option<i64>),
) -> Result<KeyEntry, StateError> {
    let (created, published, active) = entry_times;
    for _ in 0..32 {
        let mut key = generate(zone, alg, role == KeyRole::Ksk, bits)?;
        let tag = key.key_tag().0;
        let file = key.base_name();
        let taken = state.keys.iter().any(|k| k.key_tag == tag)
            || dir.dir.join(format!("{file}.key")).exists()
            || dir.dir.join(format!("{file}.private")).exists()
            || dir.retired_dir().join(format!("{file}.key")).exists();
        if taken {
            continue;
        }
        let mut entry = KeyEntry {
            file,
            key_tag: tag,
            role,
            algorithm: alg.number(),
            state: KeyState::Pending,
            created: Timestamp(created),
            published: published.map(Timestamp),
            active: active.map(Timestamp),
            inactive: None,
            deleted: None,
            expires_at: None,
        };
        entry.state = super::machine::state_at(&entry, created);
        key.set_timing(timing_of(&entry));
        write_key_files(&dir.dir, &key)?;
        return Ok(entry);
    }
    Err(StateError::KeyProblem(
        "could not generate a key with a key tag unused in this zone".into(),
    ))
}

fn ds_entry_for(
    dir: &StateDir,
    zone: &Name,
    k: &KeyEntry,
    since: i64,
) -> Result<DsEntry, StateError> {
    let public = dir.load_public_key(&dir.key_base(&k.file))?;
    let ds = Ds::from_dnskey(zone, &public.dnskey.to_rdata(), DigestType::Sha256);
    Ok(DsEntry {
        key_tag: ds.key_tag.0,
        algorithm: ds.algorithm,
        digest_type: ds.digest_type.number(),
        digest: data_encoding::HEXUPPER.encode(&ds.digest),
        since: Some(Timestamp(since)),
        remove_after: None,
    })
}

/// Why a rotation cannot start now (409), or `Ok`.
fn check_can_rotate(state: &ZoneState, what: &str) -> Result<(), StateError> {
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

// ---------------------------------------------------------------------------
// enable

/// `enable`: makes a KSK (257) and a ZSK (256), status `pending_ds`, and
/// returns the DS to publish. On an enabled zone: conflict (409).
pub fn enable(ctx: &Context, opts: &EnableOptions) -> Result<Outcome<ActionResponse>, StateError> {
    opts.policy.check().map_err(StateError::Invalid)?;
    let dir = StateDir::new(&ctx.dir);
    crate::fsio::create_private_dir(&dir.dir).map_err(StateError::io(&dir.dir))?;
    let (lock, notices) = acquire(&dir.dir, ctx.now)?;
    let state = match dir.load()? {
        Some(s) => {
            check_zone(&s, &ctx.zone, &dir.state_file())?;
            s
        }
        None => ZoneState::new(&ctx.zone, opts.algorithm, opts.policy),
    };
    let mut sess = Session::start(ctx, dir, Some(lock), notices, state)?;
    if sess.state.status != ZoneStatus::Disabled {
        return Err(StateError::Conflict(format!(
            "enable: DNSSEC is already enabled for {} (status {})",
            sess.state.zone,
            sess.state.status.as_str()
        )));
    }
    let now = ctx.now;
    let zone = &ctx.zone;
    let times = (now, Some(now), Some(now));
    let ksk = new_key(
        &sess.dir,
        &sess.state,
        zone,
        opts.algorithm,
        KeyRole::Ksk,
        opts.bits,
        times,
    )?;
    sess.state.keys.push(ksk.clone());
    let zsk = new_key(
        &sess.dir,
        &sess.state,
        zone,
        opts.algorithm,
        KeyRole::Zsk,
        opts.bits,
        times,
    )?;
    sess.state.keys.push(zsk.clone());
    let ds = ds_entry_for(&sess.dir, zone, &ksk, now)?;
    let st = &mut sess.state;
    st.algorithm = opts.algorithm.number();
    st.policy = opts.policy;
    st.status = ZoneStatus::PendingDs;
    st.ds_published.clear();
    st.ds_pending = vec![ds.clone()];
    st.ds_to_remove.clear();
    st.rollover = None;
    st.log(
        now,
        "enabled",
        None,
        format!("algorithm {}", opts.algorithm.number()),
    );
    for k in [&ksk, &zsk] {
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
    sess.commit()?;
    let v = sess.views();
    let mut r = v.action(
        "enable",
        "DNSSEC enabled; publish the DS record at the parent, then run confirm-ds-published".into(),
    );
    r.ksk = v.key_by_file(&ksk.file);
    r.zsk = v.key_by_file(&zsk.file);
    r.ds_records = v.ds_list(&sess.state.ds_pending);
    Ok(Outcome {
        response: r,
        notices: sess.notices.clone(),
    })
}

// ---------------------------------------------------------------------------
// status

/// `status`: the GET body and Route 53's GetDNSSEC body.
#[derive(Debug, Clone)]
pub struct StatusReport {
    pub get: GetResponse,
    pub route53: GetDnssec,
}

/// `status`: the state at `now`, with the key files checked. A status is a
/// question, not an action: it takes no lock and writes nothing (it works
/// on a read-only state directory). Transitions due at `now` are applied
/// in memory only, as `sign --state-dir` does, so `status --now LATER`
/// shows what will be and never changes `state.yaml`; the next command
/// that changes the state saves them.
pub fn status(ctx: &Context) -> Result<Outcome<StatusReport>, StateError> {
    let dir = StateDir::new(&ctx.dir);
    let loaded = dir.load_zone(&ctx.zone)?;
    check_now(&loaded, ctx.now)?;
    let mut state = loaded.clone();
    // Twice, as a command's commit does: a transition can make the next
    // one due at once (zero delays).
    advance(&mut state, ctx.now);
    advance(&mut state, ctx.now);
    let mut notices = Vec::new();
    let due = state.events.len().saturating_sub(loaded.events.len());
    if due > 0 {
        notices.push(format!(
            "{due} transition(s) due at {} are shown but not saved (status never writes; the next dnssec command that changes the state saves them)",
            format_time(ctx.now)
        ));
    }
    let problems = check_key_files(&dir, &state);
    let v = Views {
        dir: &dir,
        state: &state,
        zone: &ctx.zone,
        now: ctx.now,
    };
    let get = v.get(problems.iter().map(|(_, m)| m.clone()).collect());
    let route53 = v.route53(&problems);
    Ok(Outcome {
        response: StatusReport { get, route53 },
        notices,
    })
}

// ---------------------------------------------------------------------------
// rotate-zsk

/// The active key of `role` that a rollover replaces, with the algorithm
/// and (for RSA) the modulus size its successor gets: rollovers keep both.
fn successor_shape(
    sess: &Session,
    role: KeyRole,
    cmd: &str,
) -> Result<(KeyEntry, Algorithm, Option<u32>), StateError> {
    let old = sess
        .state
        .keys_in(role, KeyState::Active)
        .next()
        .cloned()
        .ok_or_else(|| {
            StateError::Conflict(format!("{cmd}: the zone has no active {}", role.as_str()))
        })?;
    let alg = Algorithm::from_number(old.algorithm)?;
    let bits = if alg.is_rsa() {
        sess.dir
            .load_public_key(&sess.dir.key_base(&old.file))?
            .dnskey
            .key_bits()
    } else {
        None
    };
    Ok((old, alg, bits))
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

/// `rotate-zsk`: pre-publish rollover (RFC 6781 §4.1.1.1).
pub fn rotate_zsk(ctx: &Context) -> Result<Outcome<ActionResponse>, StateError> {
    let mut sess = Session::open(ctx)?;
    check_can_rotate(&sess.state, "rotate-zsk")?;
    let now = ctx.now;
    let (old, alg, bits) = successor_shape(&sess, KeyRole::Zsk, "rotate-zsk")?;
    let (t1, t2) = zsk_schedule(&sess.state.policy, now);
    let new = new_key(
        &sess.dir,
        &sess.state,
        &ctx.zone,
        alg,
        KeyRole::Zsk,
        bits,
        (now, Some(now), Some(t1)),
    )?;
    sess.state.keys.push(new.clone());
    if let Some(o) = sess.state.key_mut(&old.file) {
        o.inactive = Some(Timestamp(t1));
        o.deleted = Some(Timestamp(t2));
    }
    if let Some(o) = sess.state.key(&old.file).cloned() {
        write_key_timing(&sess.dir, &o)?;
    }
    let p = sess.state.policy;
    let st = &mut sess.state;
    begin_rollover(st, RolloverKind::Zsk, now, &old, &new);
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
    st.log(now, "key-retire-scheduled", Some(&old.file), format!(
        "ZSK {}: stops signing at {}, removed at {} (after propagation delay + max zone TTL {})",
        old.key_tag, format_time(t1), format_time(t2), human_duration(p.max_zone_ttl.min(super::state::TTL_CAP))
    ));
    refresh_expiry(st);
    sess.commit()?;
    let v = sess.views();
    let mut r = v.action(
        "rotate-zsk",
        format!(
            "ZSK rollover started: new ZSK {} pre-published, signs from {}; old ZSK {} marked for retirement, removed at {}. Re-sign the zone now and at each scheduled time",
            new.key_tag, format_time(t1), old.key_tag, format_time(t2)
        ),
    );
    r.old_key = v.key_by_file(&old.file);
    r.new_key = v.key_by_file(&new.file);
    r.zsk = r.new_key.clone();
    r.ds_records = v.ds_list(&sess.state.ds_published);
    Ok(Outcome {
        response: r,
        notices: sess.notices.clone(),
    })
}

// ---------------------------------------------------------------------------
// rotate-ksk

/// `rotate-ksk`: double-DS rollover (RFC 6781 §4.1.2), step 1: a new KSK
/// (not published yet) and its DS for the parent; `rotating_ksk`.
pub fn rotate_ksk(ctx: &Context) -> Result<Outcome<ActionResponse>, StateError> {
    let mut sess = Session::open(ctx)?;
    check_can_rotate(&sess.state, "rotate-ksk")?;
    let now = ctx.now;
    let (old, alg, bits) = successor_shape(&sess, KeyRole::Ksk, "rotate-ksk")?;
    let new = new_key(
        &sess.dir,
        &sess.state,
        &ctx.zone,
        alg,
        KeyRole::Ksk,
        bits,
        (now, None, None),
    )?;
    sess.state.keys.push(new.clone());
    let ds = ds_entry_for(&sess.dir, &ctx.zone, &new, now)?;
    let st = &mut sess.state;
    st.ds_pending.push(ds.clone());
    begin_rollover(st, RolloverKind::Ksk, now, &old, &new);
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
        format!(
            "publish DS {} at the parent beside the current DS",
            ds.rdata_text()
        ),
    );
    refresh_expiry(st);
    sess.commit()?;
    let v = sess.views();
    let mut r = v.action(
        "rotate-ksk",
        format!(
            "KSK rollover started: publish the DS of the new KSK {} at the parent next to the current one (keep the old DS), then run confirm-ds-published",
            new.key_tag
        ),
    );
    r.old_key = v.key_by_file(&old.file);
    r.new_key = v.key_by_file(&new.file);
    r.ds_records = vec![v.ds(&ds)];
    Ok(Outcome {
        response: r,
        notices: sess.notices.clone(),
    })
}

// ---------------------------------------------------------------------------
// confirm-ds-published

/// DS text as given on the command line: a file's contents or one
/// `--ds-record` value.
#[derive(Debug, Clone)]
pub struct DsInput {
    /// File name, or `--ds-record #N`.
    pub source: String,
    pub text: String,
    /// True for files (messages say `FILE:LINE`).
    pub per_line: bool,
}

/// `confirm-ds-published`: records the DS records now at the parent. Each
/// must match a current KSK (tag, algorithm, digest), and one must be for
/// the KSK waiting for its DS; otherwise nothing changes (400). Outside
/// `pending_ds`/`rotating_ksk` (before the DS was confirmed): 409.
pub fn confirm_ds_published(
    ctx: &Context,
    inputs: &[DsInput],
) -> Result<Outcome<ActionResponse>, StateError> {
    let mut sess = Session::open(ctx)?;
    let now = ctx.now;
    let awaiting: Vec<String> = match (sess.state.status, &sess.state.rollover) {
        (ZoneStatus::PendingDs, _) => sess
            .state
            .keys_in(KeyRole::Ksk, KeyState::Active)
            .map(|k| k.file.clone())
            .collect(),
        (ZoneStatus::RotatingKsk, Some(r)) if r.ds_confirmed.is_none() => vec![r.new_key.clone()],
        (st, r) => {
            return Err(StateError::Conflict(format!(
                "confirm-ds-published: {} expects no DS confirmation (status {}{})",
                sess.state.zone,
                st.as_str(),
                match r {
                    Some(r) if r.kind == RolloverKind::Ksk => format!(
                        "; the new DS was confirmed at {}",
                        r.ds_confirmed.map(|t| t.to_string()).unwrap_or_default()
                    ),
                    _ => String::new(),
                }
            )))
        }
    };
    // Parse everything first.
    let mut given: Vec<GivenDs> = Vec::new();
    for i in inputs {
        given.extend(
            parse_ds_text(&i.text, &i.source, i.per_line, &ctx.zone)
                .map_err(StateError::Invalid)?,
        );
    }
    if given.is_empty() {
        return Err(StateError::Invalid(
            "confirm-ds-published: no DS records given (use --ds FILE or --ds-record \"...\")"
                .into(),
        ));
    }
    // The zone's KSKs, current and retired.
    let mut ksks = Vec::new();
    for k in sess.state.keys.iter().filter(|k| k.role == KeyRole::Ksk) {
        let current = k.state != KeyState::Removed;
        let dnskey = if current {
            Some(
                sess.dir
                    .load_public_key(&sess.dir.key_base(&k.file))?
                    .dnskey,
            )
        } else {
            super::response::public_key_of(&sess.dir, &k.file).map(|p| p.dnskey)
        };
        ksks.push(KskRef {
            file: k.file.clone(),
            key_tag: k.key_tag,
            algorithm: k.algorithm,
            dnskey,
            current,
        });
    }
    let mut errors = Vec::new();
    let mut matched: Vec<(usize, &GivenDs)> = Vec::new();
    for g in &given {
        match check_one(&ctx.zone, g, &ksks) {
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
        let want: Vec<String> = sess
            .state
            .ds_pending
            .iter()
            .map(|d| format!("{} IN DS {}", ctx.zone, d.rdata_text()))
            .collect();
        return Err(StateError::Invalid(format!(
            "confirm-ds-published: none of the given DS records is for the KSK waiting for its DS; nothing changed (expected: {})",
            want.join(" or ")
        )));
    }
    for (i, g) in &matched {
        if DigestType::from_number(g.digest_type).is_ok_and(|d| d.is_deprecated()) {
            sess.notices.push(format!(
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
        let file = ksks[*i].file.clone();
        let st = &mut sess.state;
        if !st.ds_published.iter().any(|d| d.same_record(&e)) {
            st.log(
                now,
                "ds-confirmed",
                Some(&file),
                format!("DS {} is published at the parent", e.rdata_text()),
            );
            st.ds_published.push(e);
        }
        let tag = ksks[*i].key_tag;
        st.ds_pending.retain(|d| d.key_tag != tag);
    }
    let mut message = "DS publication confirmed".to_string();
    match sess.state.status {
        ZoneStatus::PendingDs => {
            sess.state.status = ZoneStatus::Active;
            sess.state.log(
                now,
                "zone-active",
                None,
                "chain of trust confirmed: status active",
            );
        }
        _ => {
            // rotating_ksk: schedule the swap (double-DS).
            let s = ksk_swap_time(&sess.state.policy, now);
            let ttl = sess.state.policy.parent_ds_ttl;
            let Some(mut r) = sess.state.rollover.clone() else {
                return Err(StateError::Conflict(
                    "confirm-ds-published: no KSK rollover".into(),
                ));
            };
            r.ds_confirmed = Some(Timestamp(now));
            r.swap_at = Some(Timestamp(s));
            if let Some(k) = sess.state.key_mut(&r.new_key) {
                k.published = Some(Timestamp(s));
                k.active = Some(Timestamp(s));
            }
            if let Some(k) = sess.state.key_mut(&r.old_key) {
                k.inactive = Some(Timestamp(s));
                k.deleted = Some(Timestamp(s));
            }
            for f in [&r.new_key, &r.old_key] {
                if let Some(k) = sess.state.key(f).cloned() {
                    write_key_timing(&sess.dir, &k)?;
                }
            }
            let (old_tag, new_tag) = (
                sess.state.key(&r.old_key).map(|k| k.key_tag).unwrap_or(0),
                sess.state.key(&r.new_key).map(|k| k.key_tag).unwrap_or(0),
            );
            sess.state.rollover = Some(r);
            sess.state.status = ZoneStatus::Active;
            sess.state.log(now, "ksk-swap-scheduled", None, format!(
                "KSK {new_tag} replaces KSK {old_tag} in the DNSKEY RRset at {} (after the parent's DS TTL {})",
                format_time(s), human_duration(ttl)
            ));
            message = format!(
                "DS publication confirmed; KSK {new_tag} replaces KSK {old_tag} at {} (after the parent's DS TTL); keep both DS at the parent until told to remove the old one",
                format_time(s)
            );
        }
    }
    refresh_expiry(&mut sess.state);
    sess.commit()?;
    let v = sess.views();
    let mut r = v.action("confirm-ds-published", message);
    r.ds_records = v.ds_list(&sess.state.ds_published);
    r.ds_to_remove = v.ds_list(&sess.state.ds_to_remove);
    Ok(Outcome {
        response: r,
        notices: sess.notices.clone(),
    })
}

// ---------------------------------------------------------------------------
// disable

/// `disable`: retires every key (files moved to `retired/`), status
/// `disabled`. Refused (409) while DS records are confirmed at the parent,
/// unless the operator says they were withdrawn (`ds_withdrawn`).
pub fn disable(ctx: &Context, ds_withdrawn: bool) -> Result<Outcome<ActionResponse>, StateError> {
    let mut sess = Session::open(ctx)?;
    let now = ctx.now;
    if sess.state.status == ZoneStatus::Disabled {
        return Err(StateError::Conflict(format!(
            "disable: DNSSEC is not enabled for {} (status disabled)",
            sess.state.zone
        )));
    }
    let at_parent: Vec<String> = sess
        .state
        .ds_published
        .iter()
        .chain(sess.state.ds_to_remove.iter())
        .map(|d| d.rdata_text())
        .collect();
    if !sess.state.ds_published.is_empty() && !ds_withdrawn {
        return Err(StateError::Conflict(format!(
            "disable: DS records are published at the parent for {} ({}); validating resolvers would SERVFAIL the zone once it is unsigned. Remove them at the registrar, wait for the parent's DS TTL, then run disable --ds-withdrawn",
            sess.state.zone,
            at_parent.join(", ")
        )));
    }
    if !sess.state.ds_pending.is_empty() && sess.state.ds_published.is_empty() {
        sess.notices.push(
            "if you published the pending DS at the parent, remove it there: the zone is no longer signed".into(),
        );
    }
    let files: Vec<String> = sess.state.current_keys().map(|k| k.file.clone()).collect();
    for f in &files {
        if let Some(k) = sess.state.key_mut(f) {
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
        }
        if let Some(k) = sess.state.key(f).cloned() {
            // Best effort: a key whose files are gone is still retired.
            if let Err(e) = write_key_timing(&sess.dir, &k) {
                sess.notices
                    .push(format!("{}: timing not updated: {e}", k.file));
            }
        }
    }
    let st = &mut sess.state;
    if ds_withdrawn {
        for d in st.ds_published.iter().chain(st.ds_to_remove.iter()) {
            let text = d.rdata_text();
            st.events.push(super::state::Event {
                at: Timestamp(now),
                event: "ds-withdrawn".into(),
                key: None,
                detail: format!("DS {text} withdrawn at the parent (operator)"),
            });
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
    sess.advance();
    sess.commit()?;
    let v = sess.views();
    let mut r = v.action("disable", "DNSSEC disabled".into());
    r.retired_keys = files.iter().filter_map(|f| v.key_by_file(f)).collect();
    Ok(Outcome {
        response: r,
        notices: sess.notices.clone(),
    })
}
