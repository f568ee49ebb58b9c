//! The offline key lifecycle: state directory, rollovers, DS confirmation
//! (RFC 6781 §4.1, RFC 7583).
//!
//! One directory per zone (default `./dnssec/<zone>/`) holds the key files
//! (BIND format, [`crate::keys`]), a human-readable `state.yaml`
//! ([`state::ZoneState`]), a lock file while a command runs
//! ([`store::lock`]) and `retired/`, where keys go when they leave the
//! zone (never deleted).
//!
//! The key-state rules are kept apart from storage. **Rules** take values
//! (a state, the keys' public data, `now`) and return values (a new
//! state, a plan of file work, a response); they never touch the
//! filesystem nor read the clock:
//!
//! * [`state`]: the model of `state.yaml` and its text form (checked on
//!   reading, every error naming its field).
//! * [`timing`]: which key is in which state at `now`, the transitions due
//!   then, and the rollover intervals (RFC 7583 §3.3).
//! * [`machine`]: the zone's statuses and what each command does to the
//!   state (pre-publish ZSK rollover, RFC 6781 §4.1.1.1; double-DS KSK
//!   rollover, RFC 6781 §4.1.2), or why it may not (409).
//! * [`response`]: the lifecycle API's JSON bodies and Route 53's
//!   GetDNSSEC shape.
//! * [`ds_input`]: DS records as the operator gives them back, checked
//!   against the zone's KSKs.
//! * [`time`]: Unix seconds inside, RFC 3339 outside.
//!
//! **Storage**, the one module that touches the filesystem:
//!
//! * [`store`]: `state.yaml` (read without following links, replaced
//!   atomically), the lock ([`store::lock`]), the key files (loaded,
//!   generated, rewritten), `retired/`.
//!
//! **Operations** load through storage, apply the rules and commit
//! through storage:
//!
//! * [`ops`]: the commands (`enable`, `status`, `rotate-zsk`, `rotate-ksk`,
//!   `confirm-ds-published`, `disable`).
//! * [`sync`](mod@sync): reconciling `state.yaml` with the key files on disk.
//! * [`signing`]: what the signer asks: which keys are published, which
//!   sign (read-only).
//!
//! The library never reads the clock: every entry point takes `now` (Unix
//! seconds) from its caller.

pub mod ds_input;
pub mod machine;
pub mod ops;
pub mod response;
pub mod signing;
pub mod state;
pub mod store;
pub mod sync;
pub mod time;
pub mod timing;

use std::path::PathBuf;

use crate::keys::KeyError;

pub use ops::{
    confirm_ds_published, disable, enable, rotate_ksk, rotate_zsk, status, Context, EnableOptions,
    Outcome,
};
pub use signing::{
    ds_sets, keys_for_signing, owned_signing_values, DsSets, OwnedSigningValues, StateKey,
};
pub(crate) use state::yaml_error_message;
pub use state::{KeyRole, KeyState, ZoneState, ZoneStatus};
pub use store::default_state_dir;
pub use sync::sync;

/// Why a lifecycle command could not run.
///
/// The classes follow the lifecycle reference's error codes: its `400`
/// (bad input: unsupported algorithm, invalid or non-matching DS), `404`
/// (no such zone) and `409` (invalid state transition); key files that are
/// missing, garbled or mismatched are a class of their own.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    /// The reference's 404: no `state.yaml` for this zone.
    #[error("zone {zone}: DNSSEC state not found ({} does not exist); run `zonesign dnssec enable {zone}` first", path.display())]
    NotFound { zone: String, path: PathBuf },
    /// The reference's 409: the command is not allowed in the zone's state.
    #[error("{0}")]
    Conflict(String),
    /// Another run holds the lock (409 as well).
    #[error("{}: {msg}", path.display())]
    Locked { path: PathBuf, msg: String },
    /// The reference's 400: bad input (DS records, flags, times).
    #[error("{0}")]
    Invalid(String),
    /// `state.yaml` cannot be used as it is (corrupted or hand-edited
    /// wrongly); names the field. Never "fixed" by resetting the state.
    #[error("{}: {msg}", path.display())]
    BadStateFile { path: PathBuf, msg: String },
    /// Reading or writing a file of the state directory failed.
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A key file problem (missing, garbled, mismatched, unknown tag).
    #[error(transparent)]
    Key(#[from] KeyError),
    /// A key problem found by the lifecycle (e.g. a key file that does not
    /// hold the key `state.yaml` names).
    #[error("{0}")]
    KeyProblem(String),
}

impl StateError {
    pub(crate) fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> StateError {
        let path = path.into();
        move |source| StateError::Io { path, source }
    }
}
