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
    /// The zone file to read; `-` reads standard input (with --origin).
    pub zonefile: PathBuf,
    #[command(flatten)]
    pub origin: OriginArg,
    #[command(flatten)]
    pub max_ttl: MaxTtlArg,
    /// Report format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
    /// Write the zone back out to FILE: SOA first, then canonical order, one record per line,
    /// fully qualified names, capped TTLs (written atomically); `-` writes it to standard
    /// output (the report then goes to stderr).
    #[arg(long, value_name = "FILE")]
    pub emit: Option<PathBuf>,
    #[command(flatten)]
    pub limits: LimitArgs,
}

pub fn run(args: CheckArgs) -> Result<(), Error> {
    let max_ttl = args.max_ttl.limit();
    let zonefile = super::args::zone_input(&args.zonefile, &args.origin.origin)?;
    // `--emit -`: the zone on standard output, the report on stderr.
    let emit_stdout = args.emit.as_deref() == Some(std::path::Path::new("-"));
    let emit_file = args.emit.as_ref().filter(|_| !emit_stdout);
    // --emit must not replace the zone file or a file it includes.
    let input = |f: &str| (PathBuf::from(f), format!("{f}, a file of the zone read"));
    if let Some(path) = emit_file {
        zonesign::fsio::check_outputs_spare_inputs(
            &[path],
            &[input(&args.zonefile.display().to_string())],
        )?;
    }
    let zone = load_zone(
        &zonefile,
        args.origin.origin,
        BuildOptions {
            max_ttl,
            strip_dnssec: false,
            limits: args.limits.limits(),
        },
    )?;
    if emit_stdout {
        use std::io::Write;
        let mut out = std::io::BufWriter::new(std::io::stdout().lock());
        zonesign::output::write_zone_text(&zone, &mut out)
            .and_then(|_| out.flush())
            .map_err(|e| Error::Usage(format!("cannot write the zone to standard output: {e}")))?;
    }
    if let Some(path) = emit_file {
        let inputs: Vec<_> = zone.sources.files.iter().map(|f| input(f)).collect();
        zonesign::fsio::check_outputs_spare_inputs(&[path], &inputs)?;
        zonesign::fsio::atomic_write(path, |w| zonesign::output::write_zone_text(&zone, w))?;
    }
    let report = CheckReport::new(&zone, max_ttl);
    let text = match args.format {
        OutputFormat::Text => report.to_text(),
        OutputFormat::Json => {
            serde_json::to_string_pretty(&report).map_err(|e| Error::Usage(e.to_string()))? + "\n"
        }
    };
    if emit_stdout {
        eprint!("{text}");
    } else {
        print!("{text}");
    }
    Ok(())
}
