//! **Operation** (read-only): what the signer needs from the lifecycle:
//! the keys of the DNSKEY RRset and which of them sign, at a given time;
//! and the DS sets at the parent. Loads through [`super::store`], applies
//! the rules of [`super::timing`].
//!
//! These functions read `state.yaml` without taking the lock and **never
//! write**: time-driven transitions due at `now` are applied in memory
//! only (the next `zonesign dnssec` command records them, at the times
//! they took effect). A read-only state directory can therefore be signed
//! from, and signing never contends with a lifecycle command (the state
//! file is replaced atomically, so a reader sees the old or the new one).

use std::path::{Path, PathBuf};

use super::state::{DsEntry, KeyRole, KeyState, ZoneState, ZoneStatus};
use super::store::StateDir;
use super::timing::{advance, check_now};
use super::StateError;
use crate::ds::Ds;
use crate::keys::{Algorithm, SigningKey};
use crate::name::Name;

/// One key of the zone at the signing time.
#[derive(Debug)]
pub struct StateKey {
    pub key: SigningKey,
    /// In the DNSKEY RRset (always true for keys returned).
    pub publish: bool,
    /// Makes signatures: a KSK signs the DNSKEY RRset (and CDS/CDNSKEY),
    /// a ZSK everything else.
    pub sign: bool,
    pub role: KeyRole,
    pub state: KeyState,
}

/// The signing values a lifecycle state owns: its rollover timing (RFC
/// 7583 §3.3) counts on the DNSKEY TTL, the zone's largest TTL and the
/// algorithm, so a signer using its keys must publish exactly these.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnedSigningValues {
    pub state_file: PathBuf,
    /// `policy.dnskey_ttl`, capped at the RFC 2181 §8 maximum.
    pub dnskey_ttl: u32,
    /// `policy.max_zone_ttl`: no TTL of the signed zone may exceed it.
    pub max_zone_ttl: u64,
    pub algorithm: Algorithm,
}

/// Reads [`OwnedSigningValues`] from the state in `state_dir`, whichever
/// zone it is of (the signer checks the zone when it loads the keys).
pub fn owned_signing_values(state_dir: &Path) -> Result<OwnedSigningValues, StateError> {
    let dir = StateDir::new(state_dir);
    let state = dir.load()?.ok_or_else(|| StateError::NotFound {
        zone: "?".into(),
        path: dir.state_file(),
    })?;
    Ok(OwnedSigningValues {
        state_file: dir.state_file(),
        dnskey_ttl: u32::try_from(state.policy.dnskey_ttl)
            .unwrap_or(i32::MAX as u32)
            .min(i32::MAX as u32),
        max_zone_ttl: state.policy.max_zone_ttl,
        algorithm: Algorithm::from_number(state.algorithm)?,
    })
}

/// Loads the state at `now` (transitions applied in memory, not written).
pub fn state_at(state_dir: &Path, zone: &Name, now: i64) -> Result<ZoneState, StateError> {
    let dir = StateDir::new(state_dir);
    let mut state = dir.load_zone(zone)?;
    check_now(&state, now)?;
    advance(&mut state, now);
    Ok(state)
}

/// The keys of the DNSKEY RRset at `now` and which sign: published keys
/// (the pre-published ZSK, the retired ZSK whose signatures may still be
/// cached, the new KSK once swapped in), `sign` for the active ones. Never
/// writes (see the module docs).
///
/// Errors: no state (exit 4), DNSSEC disabled (exit 3), a bad state file
/// (exit 2), key files missing, garbled or not the ones the state names
/// (exit 5).
pub fn keys_for_signing(
    state_dir: &Path,
    zone: &Name,
    now: i64,
) -> Result<Vec<StateKey>, StateError> {
    let dir = StateDir::new(state_dir);
    let state = state_at(state_dir, zone, now)?;
    if state.status == ZoneStatus::Disabled {
        return Err(StateError::Conflict(format!(
            "DNSSEC is disabled for {} in {}; enable it or sign without --state-dir",
            state.zone,
            dir.state_file().display()
        )));
    }
    let mut out = Vec::new();
    for k in state.current_keys().filter(|k| k.state.is_published()) {
        let key = dir.load_key_pair(&k.file)?;
        if key.key_tag().0 != k.key_tag
            || key.algorithm().number() != k.algorithm
            || key.is_ksk() != (k.role == KeyRole::Ksk)
        {
            return Err(StateError::KeyProblem(format!(
                "{}: the key files hold {} key {} algorithm {}, state.yaml says {} {} algorithm {} (run zonesign dnssec sync)",
                dir.key_base(&k.file).display(),
                if key.is_ksk() { "KSK" } else { "ZSK" },
                key.key_tag(),
                key.algorithm().number(),
                k.role.as_str(),
                k.key_tag,
                k.algorithm
            )));
        }
        out.push(StateKey {
            key,
            publish: true,
            sign: k.state == KeyState::Active,
            role: k.role,
            state: k.state,
        });
    }
    for role in [KeyRole::Ksk, KeyRole::Zsk] {
        if !out.iter().any(|k| k.role == role && k.sign) {
            return Err(StateError::KeyProblem(format!(
                "{}: no active {} at {}",
                dir.state_file().display(),
                role.as_str(),
                super::time::format_time(now)
            )));
        }
    }
    Ok(out)
}

/// The DS records of the zone at `now`, by where they stand at the parent.
#[derive(Debug, Clone, Default)]
pub struct DsSets {
    /// Confirmed at the parent.
    pub published: Vec<Ds>,
    /// To publish (not confirmed yet).
    pub pending: Vec<Ds>,
    /// To remove at the parent; still there until the operator removes it.
    pub to_remove: Vec<Ds>,
}

impl DsSets {
    /// The DS RRset the parent serves if the operator did exactly what was
    /// asked and nothing more yet: confirmed DS plus those not removed yet.
    pub fn at_parent(&self) -> Vec<Ds> {
        self.published
            .iter()
            .chain(self.to_remove.iter())
            .cloned()
            .collect()
    }
}

fn to_ds(v: &[DsEntry]) -> Vec<Ds> {
    v.iter().filter_map(DsEntry::to_ds).collect()
}

/// The DS sets at `now` (transitions applied in memory; never writes).
pub fn ds_sets(state_dir: &Path, zone: &Name, now: i64) -> Result<DsSets, StateError> {
    let state = state_at(state_dir, zone, now)?;
    Ok(DsSets {
        published: to_ds(&state.ds_published),
        pending: to_ds(&state.ds_pending),
        to_remove: to_ds(&state.ds_to_remove),
    })
}
