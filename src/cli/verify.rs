//! `zonesign verify`: check a signed zone (DS → DNSKEY → RRSIG, NSEC/NSEC3).
//! Exit 0 when valid (warnings allowed), 1 on findings of severity error,
//! 2 on unreadable input.

use super::color::{paint, ColorChoice};
use std::path::PathBuf;
use std::sync::OnceLock;

use clap::{ArgGroup, Args};
use zonesign::job;
use zonesign::job::config::Threads;
use zonesign::job::verify::{AnchorSource, VerifyJobConfig};
use zonesign::verify::VerifyReport;

use super::args::{
    parse_duration_u32, parse_verify_now, LimitArgs, MaxTtlArg, OriginArg, OutputFormat,
};
use super::error::Error;

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("anchor").args(["ds", "trust_anchor", "dnskey_only"])))]
#[command(mut_arg("max_ttl", |a| a.help(
    "Warn about RRsets with a TTL above this many seconds (default 604800, one week); 0 turns the check off"
)))]
pub struct VerifyArgs {
    /// The signed zone file to verify; `-` reads standard input (with --origin).
    pub zonefile: PathBuf,
    #[command(flatten)]
    pub origin: OriginArg,
    /// DS records for the zone (a dsset file, or any zone-format file of DS
    /// records): the chain of trust starts there. Without --ds,
    /// --trust-anchor or --dnskey-only, DS records at the apex in the zone
    /// file are used if present, else the DNSKEY self-signature.
    #[arg(long, value_name = "FILE")]
    pub ds: Option<PathBuf>,
    /// A file of DS or DNSKEY records to use as the trust anchor.
    #[arg(long, value_name = "FILE")]
    pub trust_anchor: Option<PathBuf>,
    /// Use the DNSKEY RRset's self-signature by a SEP key as the trust anchor.
    #[arg(long)]
    pub dnskey_only: bool,
    /// Verification time: YYYYMMDDHHMMSS (UTC), unix seconds, or RFC 3339;
    /// default: now.
    #[arg(long, value_name = "T", value_parser = parse_verify_now)]
    pub now: Option<u64>,
    /// Warn about RRSIGs that expire within this duration (seconds, or with
    /// a unit: 7d, 36h, 1w).
    #[arg(long, value_name = "DURATION", default_value = "7d", value_parser = parse_duration_u32)]
    pub warn_expiry: u32,
    /// Make RRSIGs that expire within this duration errors (code rrsig-expiring, exit 1), so a
    /// nightly job can act before resolvers see them expire.
    #[arg(long, value_name = "DURATION", value_parser = parse_duration_u32)]
    pub fail_expiring: Option<u32>,
    #[command(flatten)]
    pub max_ttl: MaxTtlArg,
    /// Report format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
    /// Worker threads for signature verification (default: all cores; at most 4 per core).
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// No progress bar, and in text format only errors and the summary line.
    #[arg(long, short)]
    pub quiet: bool,
    /// Colour findings in the text report (errors red, warnings yellow): auto (default) on a
    /// terminal unless NO_COLOR is set, always, never.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    #[command(flatten)]
    pub limits: LimitArgs,
}

pub fn run(args: VerifyArgs) -> Result<(), Error> {
    let (threads, warning) = Threads::new(args.threads, super::args::cores())?;
    if let Some(w) = warning {
        eprintln!("zonesign: warning: {w}");
    }
    let anchor = if let Some(p) = &args.ds {
        AnchorSource::Ds(p.clone())
    } else if let Some(p) = &args.trust_anchor {
        AnchorSource::TrustAnchor(p.clone())
    } else if args.dnskey_only {
        AnchorSource::DnskeyOnly
    } else {
        AnchorSource::Auto
    };
    let cfg = VerifyJobConfig {
        zonefile: super::args::zone_input(&args.zonefile, &args.origin.origin)?,
        origin: args.origin.origin.clone(),
        anchor,
        now: args
            .now
            .unwrap_or_else(|| super::wall_clock().max(0) as u64),
        warn_expiry: args.warn_expiry,
        fail_expiry: args.fail_expiring.unwrap_or(0),
        max_ttl: args.max_ttl.limit(),
        limits: args.limits.limits(),
        threads,
    };
    // The bar appears once the inputs are read and the names are counted.
    let bar = OnceLock::new();
    let update = |total: u64, done: u64| {
        let b = bar.get_or_init(|| {
            super::progress::bar(
                args.quiet,
                total,
                "verifying {bar:40} {pos}/{len} names ({per_sec}, eta {eta})",
                None,
            )
        });
        if let Some(b) = b {
            if done > 0 {
                b.set_position(done);
            }
        }
    };
    let shown = super::progress::shown(args.quiet);
    let result = job::verify::run(&cfg, shown.then_some(&update));
    if let Some(Some(b)) = bar.get() {
        b.finish_and_clear();
    }
    let report = result?;
    print_report(&report, args.format, args.quiet, args.color.for_stdout())?;
    if report.ok {
        Ok(())
    } else {
        Err(Error::VerificationFailed {
            errors: report.errors(),
        })
    }
}

fn print_report(
    report: &VerifyReport,
    format: OutputFormat,
    quiet: bool,
    color: bool,
) -> Result<(), Error> {
    use std::io::Write;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let r = match format {
        OutputFormat::Json => serde_json::to_writer_pretty(&mut out, report)
            .map_err(std::io::Error::other)
            .and_then(|_| writeln!(out)),
        OutputFormat::Text => {
            let mut res = Ok(());
            for f in &report.findings {
                if quiet && f.severity != zonesign::verify::Severity::Error {
                    continue;
                }
                res = writeln!(out, "{}", paint(&f.to_text(), f.severity, color));
                if res.is_err() {
                    break;
                }
            }
            let severity = match report.ok {
                true => zonesign::verify::Severity::Note,
                false => zonesign::verify::Severity::Error,
            };
            res.and_then(|_| writeln!(out, "{}", paint(&report.summary_line(), severity, color)))
        }
    };
    r.and_then(|_| out.flush())
        .map_err(|e| Error::Usage(format!("cannot write the report: {e}")))
}
