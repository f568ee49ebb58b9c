//! `zonesign check`: parse a zone, report on it, optionally write it back out.

use std::path::PathBuf;

use clap::Args;
use zonesign::check::CheckReport;
use zonesign::zone::load::load_zone;
use zonesign::zone::BuildOptions;

use super::args::{LimitArgs, MaxTtlArg, OriginArg, OutputFormat};
use super::error::Error;

#[derive(Debug, Args)]
#[command(mut_arg("max_ttl", |a| a.help(
    "Cap every TTL (and the SOA MINIMUM) at this many seconds (default 604800, one week); 0 turns the cap off"
)))]
pub struct CheckArgs {
    /// The zone file to read.
    pub zonefile: PathBuf,
    #[command(flatten)]
    pub origin: OriginArg,
    #[command(flatten)]
    pub max_ttl: MaxTtlArg,
    /// Report format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
    /// Write the zone back out to FILE: canonical order, one record per line,
    /// fully qualified names, capped TTLs (written atomically).
    #[arg(long, value_name = "FILE")]
    pub emit: Option<PathBuf>,
    #[command(flatten)]
    pub limits: LimitArgs,
}

pub fn run(args: CheckArgs) -> Result<(), Error> {
    let max_ttl = args.max_ttl.limit();
    // --emit must not replace the zone file or a file it includes.
    let input = |f: &str| (PathBuf::from(f), format!("{f}, a file of the zone read"));
    if let Some(path) = &args.emit {
        zonesign::fsio::check_outputs_spare_inputs(
            &[path],
            &[input(&args.zonefile.display().to_string())],
        )?;
    }
    let zone = load_zone(
        &args.zonefile,
        args.origin.origin,
        BuildOptions {
            max_ttl,
            strip_dnssec: false,
            limits: args.limits.limits(),
        },
    )?;
    if let Some(path) = &args.emit {
        let inputs: Vec<_> = zone.sources.files.iter().map(|f| input(f)).collect();
        zonesign::fsio::check_outputs_spare_inputs(&[path], &inputs)?;
        zonesign::fsio::atomic_write(path, |w| zonesign::output::write_zone_text(&zone, w))?;
    }
    let report = CheckReport::new(&zone, max_ttl);
    match args.format {
        OutputFormat::Text => print!("{}", report.to_text()),
        OutputFormat::Json => println!(
            "{}",
            serde_json::to_string_pretty(&report).map_err(|e| Error::Usage(e.to_string()))?
        ),
    }
    Ok(())
}
