//! `zonesign dnssec ...`: the offline key lifecycle. Logic lives in
//! `zonesign::lifecycle`; this file parses arguments, reads the clock (the
//! default `--now`) and the DS files, and prints.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Subcommand, ValueEnum};
use serde::Serialize;
use zonesign::keys::{Algorithm, KeyError};
use zonesign::lifecycle::ops::DsInput;
use zonesign::lifecycle::state::Policy;
use zonesign::lifecycle::{self, default_state_dir, Context, EnableOptions, StateError};
use zonesign::name::Name;

use super::args::{described_formats, parse_state_time, OutputFormat};
use super::error::Error;

/// Test-only: milliseconds to sleep between writing `state.yaml`'s temp
/// file and renaming it over the old one (lets a test kill the process
/// mid-write). Not for production use.
pub const PAUSE_ENV: &str = "ZONESIGN_TEST_PAUSE_BEFORE_RENAME";

#[derive(Debug, Subcommand)]
pub enum DnssecCommand {
    /// Enable DNSSEC: make a KSK (257) and a ZSK (256); status pending_ds;
    /// prints the DS record to publish at the parent.
    Enable(EnableArgs),
    /// Show the zone's DNSSEC state (the lifecycle GET body, or Route 53's
    /// GetDNSSEC shape with --format route53).
    Status(StatusArgs),
    /// Start a pre-publish ZSK rollover (RFC 6781 §4.1.1.1).
    RotateZsk(CommonArgs),
    /// Start a double-DS KSK rollover (RFC 6781 §4.1.2): prints the new DS
    /// to publish beside the old one.
    RotateKsk(CommonArgs),
    /// Record the DS records now published at the parent; each is checked
    /// against the zone's KSKs (tag, algorithm, digest).
    ConfirmDsPublished(ConfirmArgs),
    /// Disable DNSSEC: keys move to retired/ in the state directory.
    Disable(DisableArgs),
    /// Reconcile state.yaml with the key files on disk.
    Sync(SyncArgs),
}

/// Output format of `status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatusFormat {
    /// The lifecycle API's GET body.
    Json,
    /// Human-readable lines.
    Text,
    /// Route 53's GetDNSSEC response shape.
    Route53,
}

/// Flags every `dnssec` command takes.
#[derive(Debug, Args)]
pub struct CommonArgs {
    /// The zone, e.g. `example.com` (trailing dot optional).
    pub zone: String,
    /// The zone's state directory (key files, state.yaml); default
    /// `./dnssec/<zone>/`.
    #[arg(long, value_name = "DIR")]
    pub state_dir: Option<PathBuf>,
    /// The time to act at: YYYYMMDDHHMMSS (UTC), Unix seconds or RFC 3339;
    /// default now. Time-driven transitions due by then are applied.
    #[arg(long, value_name = "T")]
    pub now: Option<String>,
    /// Output format.
    #[arg(long, default_value = "json", value_parser = described_formats([
        (OutputFormat::Json, "The lifecycle API's JSON body"),
        (OutputFormat::Text, "Human-readable lines"),
    ]))]
    pub format: OutputFormat,
}

#[derive(Debug, Args)]
pub struct EnableArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// Algorithm: 8 RSASHA256, 10 RSASHA512, 13 ECDSAP256SHA256 (default),
    /// 14 ECDSAP384SHA384, 15 ED25519.
    #[arg(long = "alg", value_name = "N", default_value = "13")]
    pub alg: String,
    /// RSA modulus size in bits (RSA only; default 2048).
    #[arg(long, value_name = "N")]
    pub bits: Option<u32>,
    /// TTL of the DNSKEY RRset, seconds (default 3600).
    #[arg(long, value_name = "SECONDS")]
    pub dnskey_ttl: Option<u64>,
    /// Time for a change to reach every name server, seconds (RFC 7583
    /// §3.3; default 3600).
    #[arg(long, value_name = "SECONDS")]
    pub propagation_delay: Option<u64>,
    /// The zone's largest TTL, seconds (default 604800; capped at one week).
    #[arg(long, value_name = "SECONDS")]
    pub max_zone_ttl: Option<u64>,
    /// TTL of the DS RRset at the parent, seconds (default 86400): the KSK
    /// swap waits this long after the new DS is confirmed.
    #[arg(long, value_name = "SECONDS")]
    pub parent_ds_ttl: Option<u64>,
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// The zone, e.g. `example.com`.
    pub zone: String,
    /// The zone's state directory; default `./dnssec/<zone>/`.
    #[arg(long, value_name = "DIR")]
    pub state_dir: Option<PathBuf>,
    /// The time to report at (YYYYMMDDHHMMSS, Unix seconds or RFC 3339).
    #[arg(long, value_name = "T")]
    pub now: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = StatusFormat::Json)]
    pub format: StatusFormat,
}

#[derive(Debug, Args)]
pub struct ConfirmArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// A file of DS records in zone-file/dsset form (as dnssec-dsfromkey
    /// prints them); repeatable.
    #[arg(long = "ds", value_name = "FILE")]
    pub ds_files: Vec<PathBuf>,
    /// One DS record: `example.com. IN DS 12345 13 2 ABCD...` or just
    /// `12345 13 2 ABCD...`; repeatable.
    #[arg(long = "ds-record", value_name = "RECORD")]
    pub ds_records: Vec<String>,
}

#[derive(Debug, Args)]
pub struct DisableArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// The DS records have been removed at the parent (and its DS TTL has
    /// passed); needed while DS records are confirmed published.
    #[arg(long)]
    pub ds_withdrawn: bool,
}

#[derive(Debug, Args)]
pub struct SyncArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// Report what would change; change nothing.
    #[arg(long)]
    pub dry_run: bool,
}

fn context(
    zone: &str,
    state_dir: &Option<PathBuf>,
    now: &Option<String>,
) -> Result<Context, Error> {
    let zone =
        Name::from_ascii(zone).map_err(|e| Error::Usage(format!("bad zone name {zone:?}: {e}")))?;
    let now = match now {
        Some(t) => parse_state_time(t, super::wall_clock())
            .map_err(|e| Error::Usage(format!("--now: {e}")))?,
        None => super::wall_clock(),
    };
    let pause = std::env::var(PAUSE_ENV)
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(Duration::from_millis);
    lifecycle::store::set_test_pause_before_rename(pause);
    Ok(Context {
        dir: state_dir
            .clone()
            .unwrap_or_else(|| default_state_dir(&zone)),
        zone,
        now,
    })
}

fn notices(v: &[String]) {
    for n in v {
        eprintln!("zonesign: note: {n}");
    }
}

fn print_json<T: Serialize>(v: &T) -> Result<(), Error> {
    let s = serde_json::to_string_pretty(v)
        .map_err(|e| Error::Usage(format!("cannot format JSON: {e}")))?;
    println!("{s}");
    Ok(())
}

fn print_action(
    out: lifecycle::Outcome<lifecycle::response::ActionResponse>,
    format: OutputFormat,
) -> Result<(), Error> {
    notices(&out.notices);
    match format {
        OutputFormat::Json => print_json(&out.response),
        OutputFormat::Text => {
            print!("{}", out.response.to_text());
            Ok(())
        }
    }
}

pub fn run(cmd: DnssecCommand) -> Result<(), Error> {
    match cmd {
        DnssecCommand::Enable(a) => {
            let c = &a.common;
            let algorithm: Algorithm = a.alg.parse::<Algorithm>()?;
            if a.bits.is_some() && !algorithm.is_rsa() {
                return Err(KeyError::InvalidArgument(format!(
                    "--bits is for RSA only (algorithm {} has a fixed size)",
                    algorithm.number()
                ))
                .into());
            }
            let d = Policy::default();
            let policy = Policy {
                dnskey_ttl: a.dnskey_ttl.unwrap_or(d.dnskey_ttl),
                propagation_delay: a.propagation_delay.unwrap_or(d.propagation_delay),
                max_zone_ttl: a.max_zone_ttl.unwrap_or(d.max_zone_ttl),
                parent_ds_ttl: a.parent_ds_ttl.unwrap_or(d.parent_ds_ttl),
                ..d
            };
            let ctx = context(&c.zone, &c.state_dir, &c.now)?;
            let opts = EnableOptions {
                algorithm,
                bits: a.bits,
                policy,
            };
            print_action(lifecycle::enable(&ctx, &opts)?, c.format)
        }
        DnssecCommand::Status(a) => {
            let ctx = context(&a.zone, &a.state_dir, &a.now)?;
            let out = lifecycle::status(&ctx)?;
            notices(&out.notices);
            match a.format {
                StatusFormat::Json => print_json(&out.response.get),
                StatusFormat::Route53 => print_json(&out.response.route53),
                StatusFormat::Text => {
                    print!("{}", out.response.get.to_text());
                    Ok(())
                }
            }
        }
        DnssecCommand::RotateZsk(c) => {
            let ctx = context(&c.zone, &c.state_dir, &c.now)?;
            print_action(lifecycle::rotate_zsk(&ctx)?, c.format)
        }
        DnssecCommand::RotateKsk(c) => {
            let ctx = context(&c.zone, &c.state_dir, &c.now)?;
            print_action(lifecycle::rotate_ksk(&ctx)?, c.format)
        }
        DnssecCommand::ConfirmDsPublished(a) => {
            let c = &a.common;
            let ctx = context(&c.zone, &c.state_dir, &c.now)?;
            let mut inputs = Vec::new();
            for f in &a.ds_files {
                // A DS file is small; a device or pipe stops at the cap.
                let bytes =
                    zonesign::limits::read_file_capped(f, zonesign::limits::MAX_STATE_FILE_BYTES)
                        .map_err(|e| Error::Usage(format!("--ds {}: {e}", f.display())))?;
                let text = String::from_utf8(bytes)
                    .map_err(|_| Error::Usage(format!("--ds {}: not UTF-8 text", f.display())))?;
                inputs.push(DsInput {
                    source: f.display().to_string(),
                    text,
                    per_line: true,
                });
            }
            for (i, r) in a.ds_records.iter().enumerate() {
                inputs.push(DsInput {
                    source: format!("--ds-record #{}", i + 1),
                    text: r.clone(),
                    per_line: false,
                });
            }
            print_action(lifecycle::confirm_ds_published(&ctx, &inputs)?, c.format)
        }
        DnssecCommand::Disable(a) => {
            let c = &a.common;
            let ctx = context(&c.zone, &c.state_dir, &c.now)?;
            print_action(lifecycle::disable(&ctx, a.ds_withdrawn)?, c.format)
        }
        DnssecCommand::Sync(a) => {
            let c = &a.common;
            let ctx = context(&c.zone, &c.state_dir, &c.now)?;
            let out = lifecycle::sync(&ctx, a.dry_run)?;
            notices(&out.notices);
            match c.format {
                OutputFormat::Json => print_json(&out.response)?,
                OutputFormat::Text => print!("{}", out.response.to_text()),
            }
            if !out.response.problems.is_empty() {
                return Err(StateError::KeyProblem(format!(
                    "sync: {} key problem(s) need you:\n  {}",
                    out.response.problems.len(),
                    out.response.problems.join("\n  ")
                ))
                .into());
            }
            Ok(())
        }
    }
}
