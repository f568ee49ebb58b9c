//! A signing run's options as given (times and durations as typed, the
//! salt in hex), and their check into a [`SignConfig`] in one step, before
//! any input is read: the signature window (RFC 4034 §3.1.5), the NSEC3
//! parameters (RFC 5155 §3.1), the thread count and the outputs. Only the
//! window's TTL rule waits for the zone, whose maximum TTL it needs.

use std::path::PathBuf;

use super::{DenialMode, KeySource, SignConfig};
use crate::denial::nsec3::{Nsec3Params, HASH_SHA1};
use crate::ds::DigestType;
use crate::job::config::{ConfigError, Threads};
use crate::job::sign::publish_check::VerifyMode;
use crate::limits::Limits;
use crate::name::Name;
use crate::output::SignedZoneFormat;
use crate::sign::serial::SerialPolicy;
use crate::sign::SignatureWindow;
use crate::timespec::{parse_duration, parse_time};

/// Default signature validity from inception: 30 days.
pub const DEFAULT_VALIDITY: i64 = 30 * 86_400;
/// Default inception: an hour before the signing time, for clocks behind.
pub const DEFAULT_INCEPTION_OFFSET: i64 = 3600;

/// NSEC3 as asked for (RFC 5155; defaults follow RFC 9276).
#[derive(Debug, Clone, Default)]
pub struct Nsec3Options {
    /// Hex, or `-` / empty for none.
    pub salt: Option<String>,
    pub iterations: Option<u16>,
    pub opt_out: bool,
}

/// Which previous signed output a run keeps valid signatures from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum PreviousFile {
    #[default]
    None,
    /// The run's output file, when it exists: a first run signs afresh,
    /// every later one re-signs what the last one wrote.
    Output,
    Path(PathBuf),
}

/// A signing run as the operator asked for it.
#[derive(Debug, Clone, Default)]
pub struct SignOptions {
    pub zonefile: PathBuf,
    pub origin: Option<Name>,
    pub keys: KeySource,
    /// Default `ZONEFILE.signed`.
    pub output: Option<PathBuf>,
    pub ds_output: Option<PathBuf>,
    /// The signing time (any [`parse_time`] form); default the wall clock.
    pub now: Option<String>,
    /// Default `now` minus `inception_offset`.
    pub inception: Option<String>,
    /// How long before the signing time signatures start, when no
    /// inception is given; default 1h (for clocks behind).
    pub inception_offset: Option<String>,
    pub expiration: Option<String>,
    /// Validity from inception, when no expiration is given; default 30d.
    pub validity: Option<String>,
    /// Default: fitted to the refresh interval and the zone
    /// ([`crate::sign::cadence`]).
    pub jitter: Option<String>,
    /// `None`: NSEC.
    pub nsec3: Option<Nsec3Options>,
    pub max_ttl: Option<u32>,
    pub dnskey_ttl: Option<u32>,
    pub digests: Vec<DigestType>,
    pub zonemd: Vec<u8>,
    pub limits: Limits,
    pub allow_unsafe_window: bool,
    pub verify: VerifyMode,
    pub threads: Option<usize>,
    /// A previous signed output to keep valid signatures from.
    pub previous: PreviousFile,
    /// Renew previous signatures expiring within this duration; default a
    /// quarter of the validity (as `dnssec-signzone -i`).
    pub refresh: Option<String>,
    pub serial: SerialPolicy,
    /// Which records the signed output holds.
    pub output_format: SignedZoneFormat,
}

impl SignOptions {
    /// Checks every option and builds the run's config; relative times
    /// are taken against `wall_clock` (the caller's clock: the library
    /// reads none). Returns warnings too (a capped thread count).
    pub fn validate(
        self,
        wall_clock: i64,
        cores: usize,
    ) -> Result<(SignConfig, Vec<String>), ConfigError> {
        let now = match &self.now {
            Some(t) => parse_time(t, wall_clock).map_err(ConfigError::Invalid)?,
            None => wall_clock,
        };
        let (inception, expiration) = self.times(now)?;
        let refresh = self.refresh(expiration.saturating_sub(inception))?;
        let window = self.window(now, inception, expiration, refresh)?;
        let denial = match &self.nsec3 {
            None => DenialMode::Nsec,
            Some(n) => DenialMode::Nsec3(nsec3_params(n)?),
        };
        let (threads, warning) = Threads::new(self.threads, cores)?;
        let output = self.output.clone().unwrap_or_else(|| {
            let mut p = self.zonefile.clone().into_os_string();
            p.push(".signed");
            PathBuf::from(p)
        });
        let previous = match &self.previous {
            PreviousFile::None => None,
            PreviousFile::Output => output.exists().then(|| output.clone()),
            PreviousFile::Path(p) => Some(p.clone()),
        };
        if self.output_format == SignedZoneFormat::DnssecOnly {
            dnssec_only_fits(&self, previous.is_some())?;
        }
        let cfg = SignConfig {
            zonefile: self.zonefile,
            origin: self.origin,
            keys: self.keys,
            output,
            ds_output: self.ds_output,
            window,
            denial,
            max_ttl: self.max_ttl,
            dnskey_ttl: self.dnskey_ttl,
            digests: self.digests,
            zonemd: self.zonemd,
            limits: self.limits,
            now,
            allow_unsafe_window: self.allow_unsafe_window,
            verify: self.verify,
            threads,
            previous,
            refresh,
            jitter_given: self.jitter.is_some(),
            serial: self.serial,
            output_format: self.output_format,
        };
        Ok((cfg, warning.into_iter().collect()))
    }

    /// The refresh interval: shorter than the window, or no signature
    /// could ever be kept.
    fn refresh(&self, validity: i64) -> Result<u32, ConfigError> {
        let refresh = match &self.refresh {
            Some(r) => parse_duration(r).map_err(ConfigError::Invalid)?,
            None => validity / 4,
        };
        if refresh < 0 || refresh >= validity {
            return Err(ConfigError::Invalid(format!(
                "--refresh must be shorter than the signature validity ({validity} s)"
            )));
        }
        Ok(refresh as u32)
    }

    /// Inception and expiration as asked for.
    fn times(&self, now: i64) -> Result<(i64, i64), ConfigError> {
        let inception = match (&self.inception, &self.inception_offset) {
            (Some(t), _) => parse_time(t, now).map_err(ConfigError::Invalid)?,
            (None, Some(d)) => {
                now - parse_duration(d)
                    .ok()
                    .filter(|d| *d <= i64::from(i32::MAX))
                    .ok_or_else(|| {
                        ConfigError::Invalid(format!(
                            "inception offset {} is not a duration under 2^31 s",
                            crate::quote::quote_str(d)
                        ))
                    })?
            }
            (None, None) => now - DEFAULT_INCEPTION_OFFSET,
        };
        let expiration = match (&self.expiration, &self.validity) {
            (Some(t), _) => parse_time(t, now).map_err(ConfigError::Invalid)?,
            (None, Some(d)) => inception
                .checked_add(parse_duration(d).map_err(ConfigError::Invalid)?)
                .ok_or_else(|| ConfigError::Invalid(format!("--validity {d} is too large")))?,
            (None, None) => inception + DEFAULT_VALIDITY,
        };
        Ok((inception, expiration))
    }

    /// The signature window at `now`, judged whole (RFC 4034 §3.1.5) but
    /// for the TTL rule. With no jitter given, expirations are spread over
    /// the refresh interval, at most the validity less two refresh
    /// intervals; [`crate::sign::cadence::fit`] narrows that to the zone
    /// once it is read.
    fn window(
        &self,
        now: i64,
        inception: i64,
        expiration: i64,
        refresh: u32,
    ) -> Result<SignatureWindow, ConfigError> {
        let jitter = match &self.jitter {
            Some(j) => parse_duration(j).map_err(ConfigError::Invalid)?,
            None => {
                let validity = expiration.saturating_sub(inception).max(0);
                i64::from(refresh)
                    .min(validity - 2 * i64::from(refresh))
                    .max(0)
            }
        };
        let jitter = u32::try_from(jitter)
            .map_err(|_| ConfigError::Invalid("--jitter is too large".into()))?;
        let window = SignatureWindow::new(inception, expiration, jitter, now)
            .map_err(ConfigError::Window)?;
        window
            .check_at(now, None, self.allow_unsafe_window)
            .map_err(ConfigError::Window)?;
        Ok(window)
    }
}

/// The NSEC3PARAM values (RFC 5155 §3.1, §4.1): SHA-1, the salt at most
/// 255 octets.
fn nsec3_params(n: &Nsec3Options) -> Result<Nsec3Params, ConfigError> {
    let salt = match n.salt.as_deref() {
        None | Some("-") | Some("") => Vec::new(),
        Some(h) => data_encoding::HEXLOWER_PERMISSIVE
            .decode(h.as_bytes())
            .map_err(|_| ConfigError::Invalid(format!("--salt \"{h}\" is not hex")))?,
    };
    if salt.len() > 255 {
        return Err(ConfigError::Invalid(
            "--salt is longer than 255 octets".into(),
        ));
    }
    Ok(Nsec3Params {
        algorithm: HASH_SHA1,
        iterations: n.iterations.unwrap_or(0),
        salt,
        opt_out: n.opt_out,
    })
}

/// A `dnssec-only` output is `$INCLUDE`d beside the zone file it was
/// made from, so its signatures must cover that file's records as they
/// are there: no serial moved (the SOA's RRSIG would cover a serial the
/// file does not have, why `dnssec-signzone -D` refuses `-N` too), no
/// ZONEMD (its digest covers the zone as signed, and an apex ZONEMD of
/// the file would stand beside the new one), no re-sign from a previous
/// output (a `dnssec-only` file is not a zone). The TTL cap's part is
/// checked once the zone is read ([`super::run`]).
fn dnssec_only_fits(o: &SignOptions, previous: bool) -> Result<(), ConfigError> {
    let refuse = |what: &str, why: &str| {
        Err(ConfigError::Invalid(format!(
            "--output-format dnssec-only cannot be used with {what}: {why}"
        )))
    };
    if o.serial != SerialPolicy::Keep {
        return refuse(
            &format!("--serial {}", o.serial.as_str()),
            "the SOA's signature would cover a serial the zone file does not have",
        );
    }
    if !o.zonemd.is_empty() {
        return refuse(
            "--zonemd",
            "the digest covers the zone as signed, not the zone file it is included in",
        );
    }
    if previous {
        return refuse(
            "--previous",
            "its output holds no zone to re-sign from (sign with --previous none)",
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_796_169_600;

    fn opts() -> SignOptions {
        SignOptions {
            zonefile: "z.zone".into(),
            ..SignOptions::default()
        }
    }

    #[test]
    fn defaults_follow_the_documented_window() {
        let (cfg, w) = opts().validate(NOW, 2).unwrap();
        assert!(w.is_empty());
        assert_eq!(cfg.now, NOW);
        assert_eq!(cfg.window.inception(), NOW - 3600);
        assert_eq!(cfg.window.expiration(), NOW - 3600 + 30 * 86_400);
        assert_eq!(cfg.output, PathBuf::from("z.zone.signed"));
        assert_eq!(cfg.denial, DenialMode::Nsec);
    }

    #[test]
    fn relative_times_are_against_the_given_clock() {
        let o = SignOptions {
            now: Some("now+1d".into()),
            validity: Some("2w".into()),
            ..opts()
        };
        let (cfg, _) = o.validate(NOW, 2).unwrap();
        assert_eq!(cfg.now, NOW + 86_400);
        assert_eq!(
            cfg.window.expiration() - cfg.window.inception(),
            14 * 86_400,
            "validity counts from inception"
        );
    }

    #[test]
    fn every_option_is_refused_before_any_input() {
        // None of these files exist: each error is about the option.
        let bad = [
            SignOptions {
                now: Some("yesterday".into()),
                ..opts()
            },
            SignOptions {
                expiration: Some("now-1d".into()),
                ..opts()
            },
            SignOptions {
                jitter: Some("100w".into()),
                ..opts()
            },
            SignOptions {
                nsec3: Some(Nsec3Options {
                    salt: Some("xyz".into()),
                    ..Nsec3Options::default()
                }),
                ..opts()
            },
            SignOptions {
                nsec3: Some(Nsec3Options {
                    salt: Some("ab".repeat(256)),
                    ..Nsec3Options::default()
                }),
                ..opts()
            },
            SignOptions {
                threads: Some(0),
                ..opts()
            },
        ];
        for o in bad {
            let what = format!("{o:?}");
            assert!(o.validate(NOW, 2).is_err(), "accepted: {what}");
        }
    }

    #[test]
    fn nsec3_defaults_follow_rfc9276() {
        let o = SignOptions {
            nsec3: Some(Nsec3Options::default()),
            ..opts()
        };
        let (cfg, _) = o.validate(NOW, 2).unwrap();
        let DenialMode::Nsec3(p) = cfg.denial else {
            panic!("NSEC3 asked for")
        };
        assert_eq!((p.algorithm, p.iterations, p.salt.len()), (HASH_SHA1, 0, 0));
    }
}
