//! The offline key lifecycle: state directory, rollovers, DS confirmation
//! (RFC 6781 §4.1, RFC 7583).

use crate::error::ExitCode;

/// Why a lifecycle command could not run.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    #[error("{0}")]
    Other(String),
}

impl StateError {
    /// Exit code (README.md table): 3 state conflict, 4 not found, 2 bad input.
    pub fn exit_code(&self) -> ExitCode {
        ExitCode::StateConflict
    }
}
