//! `zonesign check`: parse a zone, report on it, optionally write it back out.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use zonesign::check::CheckReport;
use zonesign::error::Error;
use zonesign::limits::{Limits, DEFAULT_MAX_GENERATE, DEFAULT_MAX_RECORDS};
use zonesign::name::Name;
use zonesign::zone::load::load_zone;
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
    #[command(flatten)]
    pub limits: LimitArgs,
}

/// Caps on reading input: defined here once, shared by check, sign and
/// verify. The defaults fit a signed 10M-name zone (see
/// `zonesign::limits`); they exist so that no input, `/dev/zero` or a
/// `$GENERATE 0-2147483647`, can take unbounded time or memory.
#[derive(Debug, Clone, Args)]
pub struct LimitArgs {
    /// Most bytes read from the zone file and all its $INCLUDEs together (and from a
    /// --ds or --trust-anchor file); suffix K, M, G or T for powers of 1024; 0 turns the cap off.
    /// Default 64G; 2G for a file that is not a regular file (a pipe, a device), which is
    /// held in memory. Given, it is the cap for both.
    #[arg(long, value_name = "BYTES", value_parser = parse_size)]
    pub max_input_bytes: Option<u64>,
    /// Most records read from the zone file and all its $INCLUDEs together; 0 turns the cap off.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_RECORDS)]
    pub max_records: u64,
    /// Most values one $GENERATE range may have, checked before it is expanded; 0 turns the cap off.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_GENERATE)]
    pub max_generate: u64,
}

impl LimitArgs {
    pub fn limits(&self) -> Limits {
        let cap = |v: u64| (v != 0).then_some(v);
        let defaults = Limits::default();
        let (bytes, stream) = match self.max_input_bytes {
            Some(n) => (cap(n), cap(n)),
            None => (defaults.max_input_bytes, defaults.max_stream_bytes),
        };
        Limits {
            max_input_bytes: bytes,
            max_stream_bytes: stream,
            max_records: cap(self.max_records),
            max_generate: cap(self.max_generate),
        }
    }
}

/// Parses a byte count: digits with an optional K, M, G or T (powers of
/// 1024, `KiB` and the like also accepted).
pub fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    let (num, unit) = t.split_at(digits);
    let shift = match unit.to_ascii_uppercase().as_str() {
        "" | "B" => 0,
        "K" | "KB" | "KIB" => 10,
        "M" | "MB" | "MIB" => 20,
        "G" | "GB" | "GIB" => 30,
        "T" | "TB" | "TIB" => 40,
        _ => {
            return Err(format!(
                "bad size \"{s}\": use digits with an optional K, M, G or T"
            ))
        }
    };
    let n: u64 = num
        .parse()
        .map_err(|_| format!("bad size \"{s}\": use digits with an optional K, M, G or T"))?;
    n.checked_mul(1u64 << shift)
        .ok_or_else(|| format!("size \"{s}\" is too large"))
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
            limits: args.limits.limits(),
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
