//! **Operations**: the `zonesign dnssec` commands. Each is the same three
//! steps: load through [`super::store`] (taking the lock, and checking
//! `state.yaml`), apply the rules (the time-driven transitions due at
//! `now`, [`super::timing`]; then the command's own, [`super::machine`],
//! or a conflict, the reference's 409), and commit through storage
//! (`state.yaml` replaced atomically). The response is built by
//! [`super::response`] from the state as saved. `status` only reads: no
//! lock, nothing written.
//!
//! Order of writes: new key files first (not referenced yet), then key
//! files whose timing changed, then `state.yaml` (the commit point), then
//! moving removed keys into `retired/`. A run killed anywhere leaves either
//! the old or the new `state.yaml`; leftovers (an unreferenced new key, a
//! removed key not moved yet) are found by `sync`.

use std::path::PathBuf;

use super::ds_input::{parse_ds_text, GivenDs, KskRef};
use super::machine::{self, Plan};
use super::response::{ActionResponse, GetDnssec, GetResponse, PublicKeys, Views};
use super::state::{domain_id, KeyEntry, KeyRole, KeyState, Policy, ZoneState};
use super::store::{LockGuard, StateDir};
use super::time::format_time;
use super::timing::{advance, check_now, key_timing, zsk_schedule};
use super::StateError;
use crate::keys::{generate, Algorithm};
use crate::name::Name;

/// Where and when a command runs.
#[derive(Debug, Clone)]
pub struct Context {
    pub zone: Name,
    /// The zone's state directory.
    pub dir: PathBuf,
    /// The time (Unix seconds) the command runs at.
    pub now: i64,
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
}

impl Session {
    /// Locks and loads an existing zone (404 when there is none) and applies
    /// the transitions due at `now`.
    pub fn open(ctx: &Context) -> Result<Session, StateError> {
        let dir = StateDir::new(&ctx.dir);
        if !dir.has_state() {
            return Err(StateError::NotFound {
                zone: domain_id(&ctx.zone),
                path: dir.state_file(),
            });
        }
        let (lock, notices) = dir.lock(ctx.now)?;
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
        let notices = dir.lock_note().into_iter().collect();
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

    /// The public data of the state's keys, as the views show them.
    pub fn public_keys(&self) -> PublicKeys {
        self.dir.public_keys(&self.state)
    }

    pub fn views<'a>(&'a self, keys: &'a PublicKeys) -> Views<'a> {
        Views {
            keys,
            state: &self.state,
            zone: &self.zone,
            now: self.now,
        }
    }

    /// Rewrites a key's files with the timing of its state entry; whether
    /// they differed.
    pub fn write_timing(&self, file: &str) -> Result<bool, StateError> {
        match self.state.key(file) {
            Some(k) => self.dir.write_key_timing(file, key_timing(k)),
            None => Ok(false),
        }
    }

    /// Takes a plan's notices and writes the key timing it asks for.
    fn apply(&mut self, plan: &Plan) -> Result<(), StateError> {
        self.notices.extend(plan.notices.iter().cloned());
        for f in &plan.rewrite_timing {
            self.write_timing(f)?;
        }
        Ok(())
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
            self.dir.save(&self.state)?;
            self.saved = self.state.clone();
        }
        for f in std::mem::take(&mut self.removed) {
            for m in self.dir.retire_key_files(&f)? {
                self.notices.push(format!("moved {m}"));
            }
        }
        Ok(())
    }

    /// The response of `action` from the state as saved: the common fields,
    /// then those `fill` sets.
    fn respond(
        &self,
        action: &'static str,
        message: String,
        fill: impl FnOnce(&Views<'_>, &mut ActionResponse),
    ) -> Outcome<ActionResponse> {
        let keys = self.public_keys();
        let v = self.views(&keys);
        let mut response = v.action(action, message);
        fill(&v, &mut response);
        Outcome {
            response,
            notices: self.notices.clone(),
        }
    }
}

/// Generates a key whose tag no key of the zone (current or retired) has,
/// writes its files with the timing of its entry, and returns the entry.
fn new_key(
    dir: &StateDir,
    state: &ZoneState,
    zone: &Name,
    alg: Algorithm,
    role: KeyRole,
    bits: Option<u32>,
    entry_times: (i64, Option<i64>, Option<i64>),
) -> Result<KeyEntry, StateError> {
    for _ in 0..32 {
        let mut key = generate(zone, alg, role == KeyRole::Ksk, bits)?;
        let tag = key.key_tag().0;
        let file = key.base_name();
        if state.keys.iter().any(|k| k.key_tag == tag) || dir.key_name_taken(&file) {
            continue;
        }
        let entry = machine::new_key_entry(file, tag, role, alg.number(), entry_times);
        key.set_timing(key_timing(&entry));
        dir.write_new_key(&key)?;
        return Ok(entry);
    }
    Err(StateError::KeyProblem(
        "could not generate a key with a key tag unused in this zone".into(),
    ))
}

/// The DS of a KSK of the directory, from its `.key` file.
fn ds_entry_for(
    dir: &StateDir,
    zone: &Name,
    k: &KeyEntry,
    since: i64,
) -> Result<super::state::DsEntry, StateError> {
    let public = dir.load_public_key(&k.file)?;
    Ok(machine::ds_entry(zone, &public.dnskey, since))
}

// ---------------------------------------------------------------------------
// enable

/// `enable`: makes a KSK (257) and a ZSK (256), status `pending_ds`, and
/// returns the DS to publish. On an enabled zone: conflict (409).
pub fn enable(ctx: &Context, opts: &EnableOptions) -> Result<Outcome<ActionResponse>, StateError> {
    opts.policy.check().map_err(StateError::Invalid)?;
    let dir = StateDir::new(&ctx.dir);
    dir.create()?;
    let (lock, notices) = dir.lock(ctx.now)?;
    let state = match dir.load()? {
        Some(s) => {
            dir.check_zone(&s, &ctx.zone)?;
            s
        }
        None => ZoneState::new(&ctx.zone, opts.algorithm, opts.policy),
    };
    let mut sess = Session::start(ctx, dir, Some(lock), notices, state)?;
    machine::check_enable(&sess.state)?;
    let now = ctx.now;
    let zone = &ctx.zone;
    let times = (now, Some(now), Some(now));
    let mut keys = Vec::new();
    for role in [KeyRole::Ksk, KeyRole::Zsk] {
        let k = new_key(
            &sess.dir,
            &sess.state,
            zone,
            opts.algorithm,
            role,
            opts.bits,
            times,
        )?;
        // In the state at once: the next key's tag must differ from it.
        sess.state.keys.push(k.clone());
        keys.push(k);
    }
    let (ksk, zsk) = (&keys[0], &keys[1]);
    let ds = ds_entry_for(&sess.dir, zone, ksk, now)?;
    let plan = machine::enable(
        &mut sess.state,
        opts.algorithm,
        opts.policy,
        ksk,
        zsk,
        ds,
        now,
    );
    sess.apply(&plan)?;
    sess.commit()?;
    Ok(sess.respond("enable", plan.message, |v, r| {
        r.ksk = v.key_by_file(&ksk.file);
        r.zsk = v.key_by_file(&zsk.file);
        r.ds_records = v.ds_list(&v.state.ds_pending);
    }))
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
    let problems = dir.check_key_files(&state);
    let keys = dir.public_keys(&state);
    let v = Views {
        keys: &keys,
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
// rotate-zsk, rotate-ksk

/// The active key of `role` that a rollover replaces, with the algorithm
/// and (for RSA) the modulus size its successor gets: rollovers keep both.
fn successor_shape(
    sess: &Session,
    role: KeyRole,
    cmd: &str,
) -> Result<(KeyEntry, Algorithm, Option<u32>), StateError> {
    let old = machine::key_to_replace(&sess.state, role, cmd)?;
    let alg = Algorithm::from_number(old.algorithm)?;
    let bits = if alg.is_rsa() {
        sess.dir.load_public_key(&old.file)?.dnskey.key_bits()
    } else {
        None
    };
    Ok((old, alg, bits))
}

/// `rotate-zsk`: pre-publish rollover (RFC 6781 §4.1.1.1).
pub fn rotate_zsk(ctx: &Context) -> Result<Outcome<ActionResponse>, StateError> {
    let mut sess = Session::open(ctx)?;
    machine::check_can_rotate(&sess.state, "rotate-zsk")?;
    let now = ctx.now;
    let (old, alg, bits) = successor_shape(&sess, KeyRole::Zsk, "rotate-zsk")?;
    let (t1, _) = zsk_schedule(&sess.state.policy, now);
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
    let plan = machine::start_zsk_rollover(&mut sess.state, &old, &new, now);
    sess.apply(&plan)?;
    sess.commit()?;
    Ok(sess.respond("rotate-zsk", plan.message, |v, r| {
        r.old_key = v.key_by_file(&old.file);
        r.new_key = v.key_by_file(&new.file);
        r.zsk = r.new_key.clone();
        r.ds_records = v.ds_list(&v.state.ds_published);
    }))
}

/// `rotate-ksk`: double-DS rollover (RFC 6781 §4.1.2), step 1: a new KSK
/// (not published yet) and its DS for the parent; `rotating_ksk`.
pub fn rotate_ksk(ctx: &Context) -> Result<Outcome<ActionResponse>, StateError> {
    let mut sess = Session::open(ctx)?;
    machine::check_can_rotate(&sess.state, "rotate-ksk")?;
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
    let plan = machine::start_ksk_rollover(&mut sess.state, &old, &new, ds.clone(), now);
    sess.apply(&plan)?;
    sess.commit()?;
    Ok(sess.respond("rotate-ksk", plan.message, |v, r| {
        r.old_key = v.key_by_file(&old.file);
        r.new_key = v.key_by_file(&new.file);
        r.ds_records = vec![v.ds(&ds)];
    }))
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
    let awaiting = machine::awaiting_ds(&sess.state)?;
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
    // The zone's KSKs, current and retired: a current one's `.key` file
    // must be there.
    let mut ksks = Vec::new();
    for k in sess.state.keys.iter().filter(|k| k.role == KeyRole::Ksk) {
        let current = k.state != KeyState::Removed;
        let dnskey = if current {
            Some(sess.dir.load_public_key(&k.file)?.dnskey)
        } else {
            sess.dir.public_key(&k.file)
        };
        ksks.push(KskRef {
            file: k.file.clone(),
            key_tag: k.key_tag,
            algorithm: k.algorithm,
            dnskey,
            current,
        });
    }
    let plan = machine::confirm_ds(
        &mut sess.state,
        &ctx.zone,
        &given,
        &ksks,
        &awaiting,
        ctx.now,
    )?;
    sess.apply(&plan)?;
    sess.commit()?;
    Ok(sess.respond("confirm-ds-published", plan.message, |v, r| {
        r.ds_records = v.ds_list(&v.state.ds_published);
        r.ds_to_remove = v.ds_list(&v.state.ds_to_remove);
    }))
}

// ---------------------------------------------------------------------------
// disable

/// `disable`: retires every key (files moved to `retired/`), status
/// `disabled`. Refused (409) while DS records are confirmed at the parent,
/// unless the operator says they were withdrawn (`ds_withdrawn`).
pub fn disable(ctx: &Context, ds_withdrawn: bool) -> Result<Outcome<ActionResponse>, StateError> {
    let mut sess = Session::open(ctx)?;
    let (plan, retired) = machine::disable(&mut sess.state, ds_withdrawn, ctx.now)?;
    sess.notices.extend(plan.notices.iter().cloned());
    for f in &plan.rewrite_timing {
        // Best effort: a key whose files are gone is still retired.
        if let Err(e) = sess.write_timing(f) {
            sess.notices.push(format!("{f}: timing not updated: {e}"));
        }
    }
    sess.advance();
    sess.commit()?;
    Ok(sess.respond("disable", plan.message, |v, r| {
        r.retired_keys = retired.iter().filter_map(|f| v.key_by_file(f)).collect();
    }))
}
