//! The command line's error and the one mapping from errors to exit codes.
//! The library reports what went wrong in its own error types; which exit
//! code that is, is decided here and nowhere else.
//!
//! | code | meaning |
//! |---|---|
//! | 0 | success |
//! | 1 | verification found problems |
//! | 2 | usage or input error |
//! | 3 | state conflict |
//! | 4 | zone or state not found |
//! | 5 | key problem |

use zonesign::job::config::ConfigError;
use zonesign::job::policy::PolicyError;
use zonesign::job::sign::SignRunError;
use zonesign::job::verify::VerifyRunError;
use zonesign::keys::KeyError;
use zonesign::lifecycle::StateError;
use zonesign::sign::SignError;

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

/// Every error a command ends with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Parse(#[from] zonesign::zonefile::ParseErrors),
    #[error(transparent)]
    Key(#[from] KeyError),
    #[error(transparent)]
    Write(#[from] zonesign::fsio::WriteError),
    #[error(transparent)]
    State(#[from] StateError),
    #[error(transparent)]
    Sign(#[from] SignRunError),
    #[error(transparent)]
    Verify(#[from] VerifyRunError),
    /// Options refused before any input is read.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// A policy file that cannot be used, or a policy that contradicts
    /// itself or the lifecycle state.
    #[error(transparent)]
    Policy(#[from] PolicyError),
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
            Error::Key(e) => key_code(e),
            Error::State(e) => state_code(e),
            Error::VerificationFailed { .. } => ExitCode::VerifyFailed,
            Error::Config(e) => config_code(e),
            Error::Policy(PolicyError::StateConflict(_)) => ExitCode::StateConflict,
            Error::Policy(_) => ExitCode::Usage,
            Error::Verify(e) => match e {
                VerifyRunError::Parse(_) => ExitCode::Usage,
                VerifyRunError::Config(c) => config_code(c),
            },
            Error::Sign(e) => match e {
                SignRunError::Key(k) => key_code(k),
                SignRunError::State(st) => state_code(st),
                SignRunError::Sign(s) => sign_code(s),
                SignRunError::Config(c) => config_code(c),
                SignRunError::Publish(_) => ExitCode::VerifyFailed,
                SignRunError::Parse(_)
                | SignRunError::Previous(_)
                | SignRunError::Denial(_)
                | SignRunError::Write(_)
                | SignRunError::Zonemd(_) => ExitCode::Usage,
            },
        }
    }
}

/// Options refused before any input is read are usage errors (2).
fn config_code(e: &ConfigError) -> ExitCode {
    match e {
        ConfigError::Window(s) => sign_code(s),
        ConfigError::Invalid(_) | ConfigError::Threads(_) => ExitCode::Usage,
    }
}

/// No usable key and a key that cannot sign are key problems (5); a
/// signature window that cannot be used is a usage error (2).
fn sign_code(e: &SignError) -> ExitCode {
    match e {
        SignError::NoKeys(_) | SignError::Crypto { .. } => ExitCode::KeyProblem,
        SignError::Window(_) | SignError::UnsafeWindow { .. } => ExitCode::Usage,
    }
}

/// Unsupported algorithms and unreadable arguments are usage errors (2),
/// everything about the key material itself is a key problem (5).
fn key_code(e: &KeyError) -> ExitCode {
    match e {
        KeyError::UnsupportedAlgorithm { .. } | KeyError::InvalidArgument(_) => ExitCode::Usage,
        KeyError::Io { .. }
        | KeyError::BadKeyFile { .. }
        | KeyError::Mismatch { .. }
        | KeyError::BadKey(_)
        | KeyError::Sign(_)
        | KeyError::Exists { .. }
        | KeyError::Other(_) => ExitCode::KeyProblem,
    }
}

/// The lifecycle reference's classes: its 404 is exit 4, its 409 exit 3,
/// its 400 (and a state file we cannot use) exit 2; key files exit 5.
fn state_code(e: &StateError) -> ExitCode {
    match e {
        StateError::NotFound { .. } => ExitCode::NotFound,
        StateError::Conflict(_) | StateError::Locked { .. } => ExitCode::StateConflict,
        StateError::Invalid(_) | StateError::BadStateFile { .. } | StateError::Io { .. } => {
            ExitCode::Usage
        }
        StateError::Key(e) => key_code(e),
        StateError::KeyProblem(_) => ExitCode::KeyProblem,
    }
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use zonesign::ds::DigestType;
    use zonesign::job::sign::publish_check::PublishCheckError;
    use zonesign::keys::{generate, keyfile::parse_key_text, load_key_pair, Algorithm};
    use zonesign::name::Name;
    use zonesign::zonefile::ParseErrors;

    use super::*;

    fn key(e: KeyError) -> ExitCode {
        Error::from(e).exit_code()
    }

    fn state(e: StateError) -> ExitCode {
        Error::from(e).exit_code()
    }

    #[test]
    fn a_bad_digest_type_is_a_usage_error() {
        let e = "md5".parse::<DigestType>().unwrap_err();
        assert_eq!(key(e), ExitCode::Usage);
    }

    #[test]
    fn refused_algorithms_are_usage_errors() {
        for n in [0u8, 1, 3, 5, 6, 7, 12, 16, 253, 255] {
            let e = Algorithm::from_number(n).unwrap_err();
            assert_eq!(key(e), ExitCode::Usage);
        }
    }

    #[test]
    fn bad_key_sizes_are_usage_errors() {
        let zone = Name::from_ascii("example.com").unwrap();
        for (alg, bits) in [
            (Algorithm::RsaSha256, 512),
            (Algorithm::RsaSha256, 8192),
            (Algorithm::EcdsaP256Sha256, 384),
            (Algorithm::Ed25519, 1024),
        ] {
            let e = generate(&zone, alg, false, Some(bits)).unwrap_err();
            let msg = e.to_string();
            assert_eq!(key(e), ExitCode::Usage, "{msg}");
        }
    }

    #[test]
    fn bad_key_lines_are_key_problems_and_an_unsupported_algorithm_is_usage() {
        let key_b64 = "oo3lTt9AnjE8UCrNm66oQzGGNYKIIWZA65QUfGI3GYFhWB1z3TPOfcAq e2/TdlPpYZgPUxo5rECZdXJF96g6Fw==";
        let p = PathBuf::from("Ktest.key");
        for text in [
            "".to_string(),
            format!("example.com. IN DS 257 3 13 {key_b64}"),
            format!("example.com. IN DNSKEY 257 3 13 ( {key_b64}"),
            "example.com. IN DNSKEY 257 3 13".to_string(),
            "example.com. IN DNSKEY 257 3 13 AAAA".to_string(),
            format!("example.com. IN DNSKEY 257 2 13 {key_b64}"),
            format!("example.com. IN DNSKEY 257 3 13 {key_b64}!"),
            format!("example.com. CH DNSKEY 257 3 13 {key_b64}"),
            format!("a. DNSKEY 257 3 13 {key_b64}\nb. DNSKEY 257 3 13 {key_b64}"),
        ] {
            let e = parse_key_text(&text, &p).unwrap_err();
            assert_eq!(key(e), ExitCode::KeyProblem, "{text}");
        }
        let e =
            parse_key_text(&format!("example.com. IN DNSKEY 257 3 5 {key_b64}"), &p).unwrap_err();
        let msg = e.to_string();
        assert_eq!(key(e), ExitCode::Usage, "{msg}");
    }

    #[test]
    fn library_errors_do_not_leak_and_map_to_documented_codes() {
        let e = KeyError::UnsupportedAlgorithm { given: "5".into() };
        assert_eq!(key_code(&e), ExitCode::Usage);
        let z: Error = e.into();
        assert_eq!(z.exit_code(), ExitCode::Usage);
        let e = load_key_pair(Path::new("/nonexistent/Kx.+013+00001")).unwrap_err();
        assert_eq!(key_code(&e), ExitCode::KeyProblem);
        let z: Error = e.into();
        assert_eq!(z.exit_code(), ExitCode::KeyProblem);
    }

    #[test]
    fn a_key_pair_without_its_private_half_is_a_key_problem() {
        let d = tempfile::tempdir().unwrap();
        let zone = Name::from_ascii("example.com").unwrap();
        let (k, _) = zonesign::keys::generate_into_dir(
            d.path(),
            &zone,
            Algorithm::Ed25519,
            true,
            None,
            zonesign::keys::KeyTiming::created_now(0),
        )
        .unwrap();
        let base = d.path().join(k.base_name());
        std::fs::remove_file(d.path().join(format!("{}.private", k.base_name()))).unwrap();
        assert_eq!(key(load_key_pair(&base).unwrap_err()), ExitCode::KeyProblem);
    }

    #[test]
    fn a_second_lock_holder_is_a_state_conflict() {
        let d = tempfile::tempdir().unwrap();
        let (_g, _) = zonesign::lifecycle::store::lock::acquire(d.path(), 0).unwrap();
        let e = zonesign::lifecycle::store::lock::acquire(d.path(), 0).unwrap_err();
        assert_eq!(state(e), ExitCode::StateConflict);
    }

    #[test]
    fn exit_codes_follow_the_reference_classes() {
        let nf = StateError::NotFound {
            zone: "example.com".into(),
            path: PathBuf::from("x"),
        };
        assert_eq!(state(nf), ExitCode::NotFound);
        assert_eq!(
            state(StateError::Conflict("x".into())),
            ExitCode::StateConflict
        );
        assert_eq!(state(StateError::Invalid("x".into())), ExitCode::Usage);
        assert_eq!(
            state(StateError::KeyProblem("x".into())),
            ExitCode::KeyProblem
        );
        assert_eq!(
            state(StateError::Key(KeyError::UnsupportedAlgorithm {
                given: "7".into()
            })),
            ExitCode::Usage
        );
    }

    /// `keys_for_signing` (what `sign --state-dir` asks): no state is
    /// exit 4, a missing private key 5, a disabled zone 3.
    #[test]
    fn keys_for_signing_errors() {
        use zonesign::lifecycle::{self, keys_for_signing, state::Policy, Context};
        const T0: i64 = 1_767_225_600;
        let tmp = tempfile::tempdir().unwrap();
        let zone = Name::from_ascii("example.com").unwrap();
        let sd = tmp.path().join("state");
        let ctx = |now| Context {
            zone: zone.clone(),
            dir: sd.clone(),
            now,
        };
        let code = |e: StateError| state(e).code();
        let e = keys_for_signing(&sd, &zone, T0).unwrap_err();
        assert_eq!(code(e), 4);
        let opts = lifecycle::EnableOptions {
            algorithm: Algorithm::EcdsaP256Sha256,
            bits: None,
            policy: Policy::default(),
        };
        let enabled = lifecycle::enable(&ctx(T0), &opts).unwrap().response;
        let private = sd.join(format!("{}.private", enabled.zsk.unwrap().file));
        std::fs::rename(&private, tmp.path().join("x")).unwrap();
        let e = keys_for_signing(&sd, &zone, T0).unwrap_err();
        let msg = e.to_string();
        assert_eq!(code(e), 5, "{msg}");
        std::fs::rename(tmp.path().join("x"), &private).unwrap();
        lifecycle::disable(&ctx(T0 + 1), false).unwrap();
        let e = keys_for_signing(&sd, &zone, T0 + 1).unwrap_err();
        let msg = e.to_string();
        assert_eq!(code(e), 3, "{msg}");
    }

    #[test]
    fn a_failed_publish_check_maps_to_exit_1() {
        let unreadable = PublishCheckError::Unreadable(ParseErrors { errors: Vec::new() });
        assert_eq!(
            Error::Sign(SignRunError::Publish(unreadable)).exit_code(),
            ExitCode::VerifyFailed
        );
    }

    #[test]
    fn signing_errors() {
        let sign = |e: SignError| Error::Sign(e.into()).exit_code();
        assert_eq!(sign(SignError::NoKeys("x".into())), ExitCode::KeyProblem);
        assert_eq!(sign(SignError::Window("x".into())), ExitCode::Usage);
        assert_eq!(
            sign(SignError::UnsafeWindow {
                problems: "x".into()
            }),
            ExitCode::Usage
        );
        let e = SignRunError::from(KeyError::BadKey("x".into()));
        assert_eq!(Error::Sign(e).exit_code(), ExitCode::KeyProblem);
        let e = SignRunError::from(StateError::Conflict("x".into()));
        assert_eq!(Error::Sign(e).exit_code(), ExitCode::StateConflict);
        assert_eq!(
            Error::VerificationFailed { errors: 1 }.exit_code(),
            ExitCode::VerifyFailed
        );
    }
}
