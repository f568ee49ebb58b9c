//! Flags that several commands take, each defined here once: the zone
//! input (`--origin`, `--max-ttl`, the input caps), the `--format` values,
//! `--threads`, and the reading of the times and durations given as flags
//! (all through [`zonesign::timespec`]).

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Args, ValueEnum};
use zonesign::limits::{Limits, DEFAULT_MAX_GENERATE, DEFAULT_MAX_RECORDS};
use zonesign::name::Name;
use zonesign::zone::DEFAULT_MAX_TTL;

/// `--origin`, flattened by check, sign and verify.
#[derive(Debug, Clone, Args)]
pub struct OriginArg {
    /// Zone origin (apex), -o as in dnssec-signzone, ldns-signzone and kzonecheck; default: the
    /// owner of the first SOA record.
    #[arg(short = 'o', long, value_parser = parse_origin)]
    pub origin: Option<Name>,
}

/// `--max-ttl`, flattened by check, sign and verify. Check and sign cap
/// TTLs at it, verify warns above it, so each command words its help
/// itself (`#[command(mut_arg("max_ttl", ...))]` beside the flatten).
#[derive(Debug, Clone, Args)]
pub struct MaxTtlArg {
    #[arg(long, value_name = "SECONDS")]
    pub max_ttl: Option<u32>,
}

impl MaxTtlArg {
    /// The cap, [`DEFAULT_MAX_TTL`] when not given; `0` means no limit.
    pub fn limit(&self) -> Option<u32> {
        match self.max_ttl.unwrap_or(DEFAULT_MAX_TTL) {
            0 => None,
            t => Some(t),
        }
    }
}

/// Caps on reading input, shared by check, sign and verify. The defaults
/// fit a signed 10M-name zone (see `zonesign::limits`); they exist so that
/// no input, `/dev/zero` or a `$GENERATE 0-2147483647`, can take unbounded
/// time or memory.
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
    // A slash is legal in a DNS label but never in a zone's name in
    // practice, and `-o out/zone.signed` is the habit of zonesign before
    // -o became the origin: say so rather than sign a zone of that name.
    if s.contains('/') {
        return Err(format!(
            "{} looks like a file path: -o is the zone origin (as in dnssec-signzone); the output file is -f/--output",
            zonesign::quote::quote_str(s)
        ));
    }
    Name::from_ascii(s).map_err(|e| format!("bad origin {}: {e}", zonesign::quote::quote_str(s)))
}

/// A report on standard output: for people or for programs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Text,
    Json,
}

/// The `--format` values, in this order and each with what the command
/// prints in it (shown by `--help`), where a command describes them.
pub fn described_formats(
    values: [(OutputFormat, &'static str); 2],
) -> impl TypedValueParser<Value = OutputFormat> {
    let values = values
        .into_iter()
        .filter_map(|(format, help)| Some(format.to_possible_value()?.help(help)));
    PossibleValuesParser::new(values).try_map(|s| OutputFormat::from_str(&s, false))
}

/// The cores this machine offers the process (for the thread cap,
/// [`zonesign::job::config::Threads::new`]).
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

/// `verify --now`: any time form at the wall clock; RRSIG times are
/// unsigned, so not before 1970.
pub fn parse_verify_now(s: &str) -> Result<u64, String> {
    unsigned_time(s, super::wall_clock())
}

fn unsigned_time(s: &str, now: i64) -> Result<u64, String> {
    let t = zonesign::timespec::parse_time(s, now)?;
    u64::try_from(t).map_err(|_| format!("time {s:?} is before 1970"))
}

/// `dnssec --now`: any time form against `now`, within the years
/// `state.yaml` can hold ([`zonesign::lifecycle::time::MAX_TIME`]).
pub fn parse_state_time(s: &str, now: i64) -> Result<i64, String> {
    let value = zonesign::timespec::parse_time(s, now)?;
    if !(0..=zonesign::lifecycle::time::MAX_TIME).contains(&value) {
        return Err(format!(
            "time {s:?} is out of range (1970-01-01 to 9999-12-31)"
        ));
    }
    Ok(value)
}

/// A duration flag held in 32 bits (RRSIG times, RFC 4034 §3.1.5).
pub fn parse_duration_u32(s: &str) -> Result<u32, String> {
    let d = zonesign::timespec::parse_duration(s)?;
    u32::try_from(d).map_err(|_| format!("duration {s:?} is too large"))
}

/// A zone file argument: `-` is standard input, which needs `--origin`
/// (nothing in a pipe says where relative names and `$INCLUDE`s belong,
/// and the error messages name `-`).
pub fn zone_input(
    path: &std::path::Path,
    origin: &Option<Name>,
) -> Result<std::path::PathBuf, super::error::Error> {
    if path != std::path::Path::new("-") {
        return Ok(path.to_path_buf());
    }
    if origin.is_none() {
        return Err(super::error::Error::Usage(
            "a zone read from standard input (-) needs --origin".into(),
        ));
    }
    Ok(std::path::PathBuf::from("/dev/stdin"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verify_times() {
        let t = |s| unsigned_time(s, 0);
        assert_eq!(t("20300101000000").unwrap(), 1_893_456_000);
        assert_eq!(t("1893456000").unwrap(), 1_893_456_000);
        assert_eq!(t("2030-01-01T00:00:00Z").unwrap(), 1_893_456_000);
        assert!(t("2030-13-01").is_err());
        assert!(t("20301301000000").is_err());
        assert!(t("").is_err());
        assert!(t("1969-12-31T23:59:59Z").is_err());
        assert_eq!(unsigned_time("now+1h", 100).unwrap(), 3700);
    }

    #[test]
    fn verify_durations() {
        assert_eq!(parse_duration_u32("7d").unwrap(), 604_800);
        assert_eq!(parse_duration_u32("3600").unwrap(), 3600);
        assert_eq!(parse_duration_u32("1w2d").unwrap(), 777_600);
        assert!(parse_duration_u32("5x").is_err());
        assert!(parse_duration_u32("d").is_err());
        assert!(parse_duration_u32("99999999999").is_err());
    }

    #[test]
    fn state_times_in_three_forms() {
        let t = |s| parse_state_time(s, 0);
        let want = 1_776_938_400; // 2026-04-23T10:00:00Z
        assert_eq!(t("20260423100000"), Ok(want));
        assert_eq!(t("1776938400"), Ok(want));
        assert_eq!(t("2026-04-23T10:00:00Z"), Ok(want));
        assert_eq!(t("2026-04-23T12:00:00+02:00"), Ok(want));
        for bad in [
            "",
            "x",
            "2026-04-23",
            "20261323100000",
            "-5",
            "123456789012345",
        ] {
            assert!(t(bad).is_err(), "{bad}");
        }
        let max = zonesign::lifecycle::time::MAX_TIME;
        assert_eq!(t("99991231235959"), Ok(max));
        assert!(parse_state_time("now+1s", max).is_err());
        assert!(t("1969-12-31T23:59:59Z").is_err());
    }

    #[test]
    fn described_formats_parse_their_values() {
        let cmd = clap::Command::new("t");
        let p = described_formats([(OutputFormat::Json, "j"), (OutputFormat::Text, "t")]);
        let parse = |v: &str| p.parse_ref(&cmd, None, std::ffi::OsStr::new(v));
        assert_eq!(parse("json").unwrap(), OutputFormat::Json);
        assert_eq!(parse("text").unwrap(), OutputFormat::Text);
        assert!(parse("xml").is_err());
    }
}
