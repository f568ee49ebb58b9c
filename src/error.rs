//! The top-level error and the one mapping from errors to exit codes.
//!
//! | code | meaning |
//! |---|---|
//! | 0 | success |
//! | 1 | verification found problems |
//! | 2 | usage or input error |
//! | 3 | state conflict |
//! | 4 | zone or state not found |
//! | 5 | key problem |

use std::fmt;

/// Process exit codes: part of the interface, documented in README.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitCode {
    Ok = 0,
    VerifyFailed = 1,
    Usage = 2,
    StateConflict = 3,
    NotFound = 4,
    KeyProblem = 5,
}

impl ExitCode {
    pub fn code(self) -> i32 {
        self as i32
    }
}

/// Every error the library hands to the CLI.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Parse(#[from] crate::zonefile::ParseErrors),
    #[error(transparent)]
    Key(#[from] crate::keys::KeyError),
    #[error(transparent)]
    Write(#[from] crate::output::WriteError),
    #[error(transparent)]
    State(#[from] crate::lifecycle::StateError),
    #[error(transparent)]
    Sign(#[from] crate::sign::pipeline::SignRunError),
    /// `verify` found problems of severity error (already reported).
    #[error("verification failed: {errors} error(s)")]
    VerificationFailed { errors: usize },
    /// Bad command-line values that clap cannot check by itself.
    #[error("{0}")]
    Usage(String),
}

impl Error {
    /// The one place errors become exit codes.
    pub fn exit_code(&self) -> ExitCode {
        match self {
            Error::Parse(_) | Error::Usage(_) | Error::Write(_) => ExitCode::Usage,
            Error::Key(e) => e.exit_code(),
            Error::State(e) => e.exit_code(),
            Error::VerificationFailed { .. } => ExitCode::VerifyFailed,
            Error::Sign(e) => {
                use crate::sign::pipeline::SignRunError as S;
                use crate::sign::SignError;
                match e {
                    S::Key(k) => k.exit_code(),
                    S::State(st) => st.exit_code(),
                    S::Sign(SignError::NoKeys(_)) | S::Sign(SignError::Crypto { .. }) => {
                        ExitCode::KeyProblem
                    }
                    S::Publish(_) => ExitCode::VerifyFailed,
                    S::Parse(_)
                    | S::Denial(_)
                    | S::Write(_)
                    | S::Zonemd(_)
                    | S::Sign(SignError::Window(_))
                    | S::Sign(SignError::UnsafeWindow { .. }) => ExitCode::Usage,
                }
            }
        }
    }
}

impl fmt::Display for ExitCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.code())
    }
}
