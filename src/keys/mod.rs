//! DNSSEC keys: algorithms, key pairs, BIND/ldns key files, key tags.

use crate::error::ExitCode;

/// Why a key could not be made, read or used.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("{0}")]
    Other(String),
}

impl KeyError {
    /// Exit code for this error (README.md table): unsupported algorithms
    /// and unreadable arguments are usage errors (2), everything about the
    /// key material itself is a key problem (5).
    pub fn exit_code(&self) -> ExitCode {
        ExitCode::KeyProblem
    }
}
