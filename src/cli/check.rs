//! `zonesign check`: parse a zone, report on it, optionally write it back out.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use zonesign::check::{load_zone, CheckReport};
use zonesign::error::Error;
use zonesign::name::Name;
use zonesign::zone::{BuildOptions, DEFAULT_MAX_TTL};

/// Report format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The zone file to read.
    pub zonefile: PathBuf,
    /// Zone origin (apex); default: the owner of the first SOA record.
    #[arg(long, value_parser = parse_origin)]
    pub origin: Option<Name>,
    /// Cap every TTL (and the SOA MINIMUM) at this many seconds; 0 turns the cap off.
    #[arg(long, value_name = "SECONDS", default_value_t = DEFAULT_MAX_TTL)]
    pub max_ttl: u32,
    /// Report format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Write the zone back out to FILE: canonical order, one record per line,
    /// fully qualified names, capped TTLs (written atomically).
    #[arg(long, value_name = "FILE")]
    pub emit: Option<PathBuf>,
}

/// Parses `--origin` values (absolute or not; a trailing dot is implied).
pub fn parse_origin(s: &str) -> Result<Name, String> {
    Name::from_ascii(s).map_err(|e| format!("bad origin \"{s}\": {e}"))
}

/// `0` means no cap.
pub fn max_ttl_option(v: u32) -> Option<u32> {
    (v != 0).then_some(v)
}

pub fn run(args: CheckArgs) -> Result<(), Error> {
    let max_ttl = max_ttl_option(args.max_ttl);
    // --emit must not replace the zone file or a file it includes.
    let input = |f: &str| (PathBuf::from(f), format!("{f}, a file of the zone read"));
    if let Some(path) = &args.emit {
        zonesign::output::check_outputs_spare_inputs(
            &[path],
            &[input(&args.zonefile.display().to_string())],
        )?;
    }
    let zone = load_zone(
        &args.zonefile,
        args.origin,
        BuildOptions {
            max_ttl,
            strip_dnssec: false,
        },
    )?;
    if let Some(path) = &args.emit {
        let inputs: Vec<_> = zone.sources.files.iter().map(|f| input(f)).collect();
        zonesign::output::check_outputs_spare_inputs(&[path], &inputs)?;
        zonesign::output::atomic_write(path, |w| zonesign::output::write_zone_text(&zone, w))?;
    }
    let report = CheckReport::new(&zone, max_ttl);
    match args.format {
        Format::Text => print!("{}", report.to_text()),
        Format::Json => println!(
            "{}",
            serde_json::to_string_pretty(&report).map_err(|e| Error::Usage(e.to_string()))?
        ),
    }
    Ok(())
}
