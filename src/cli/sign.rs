//! `zonesign sign`: sign a zone with keys from a directory or files.

use std::path::PathBuf;

use clap::Args;
use zonesign::ds::DigestType;
use zonesign::job;
use zonesign::job::sign::publish_check::PublishCheckError;
use zonesign::job::sign::{KeyGen, KeySource, SignOptions, SignRunError};
use zonesign::keys::Algorithm;
use zonesign::output::SignedZoneFormat;

use super::args::{LimitArgs, OriginArg, OutputFormat};
use super::error::Error;
use super::policy::{PolicyArgs, StateDirArg};

#[derive(Debug, Args)]
pub struct SignArgs {
    /// The unsigned zone file. Old RRSIG, NSEC, NSEC3 and NSEC3PARAM records in it are dropped and made afresh.
    pub zonefile: PathBuf,
    #[command(flatten)]
    pub origin: OriginArg,
    /// Directory with the zone's key files (K<zone>+<alg>+<tag>.key/.private), -K as in
    /// dnssec-signzone and keygen; their Publish/Activate/Inactive/Delete times are honoured
    /// at --now. Default ./keys.
    #[arg(short = 'K', long, value_name = "DIR", conflicts_with_all = ["ksk", "zsk", "state_dir"])]
    pub keys: Option<PathBuf>,
    /// A key-signing key file (signs the DNSKEY RRset); repeatable.
    #[arg(
        short = 'k',
        long = "ksk",
        value_name = "KEYFILE",
        conflicts_with = "state_dir"
    )]
    pub ksk: Vec<PathBuf>,
    /// A zone-signing key file (signs everything else); repeatable.
    #[arg(
        short = 'z',
        long = "zsk",
        value_name = "KEYFILE",
        conflicts_with = "state_dir"
    )]
    pub zsk: Vec<PathBuf>,
    #[command(flatten)]
    pub state_dir: StateDirArg,
    /// With no keys in --keys DIR, generate a KSK and a ZSK there first (--alg, --ksk-bits,
    /// --zsk-bits or the policy file say which).
    #[arg(long, conflicts_with = "state_dir")]
    pub generate_keys: bool,
    /// Signed zone output; default ZONEFILE.signed (standard output for a zone read from -).
    /// Written atomically; `-` writes it to standard output once it is signed and verified
    /// (the report, if asked for, then goes to stderr).
    /// -f as in dnssec-signzone and ldns-signzone.
    #[arg(short = 'f', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Which records the signed zone file holds. Default full.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub output_format: Option<ZoneFormatArg>,
    /// Short for --output-format dnssec-only, as dnssec-signzone -D.
    #[arg(short = 'D', conflicts_with = "output_format")]
    pub dnssec_only: bool,
    /// DS set output; default dsset-<zone> beside the output file.
    #[arg(long, value_name = "FILE")]
    pub ds_out: Option<PathBuf>,
    /// The time signing happens at: YYYYMMDDHHMMSS, epoch seconds, RFC 3339 or now[+-DURATION]. Default: now.
    #[arg(long, value_name = "T")]
    pub now: Option<String>,
    /// Signature inception; default now minus the inception offset (1h).
    #[arg(long, value_name = "T", conflicts_with = "inception_offset")]
    pub inception: Option<String>,
    /// Signature expiration (absolute, or now+DURATION); -e as in dnssec-signzone and
    /// ldns-signzone.
    #[arg(short = 'e', long, value_name = "T", conflicts_with = "validity")]
    pub expiration: Option<String>,
    #[command(flatten)]
    pub policy: PolicyArgs,
    /// Sign even though, at --now, signatures will be expired, not yet valid, or outlived by cached
    /// data (the earliest expiration is less than the zone's maximum TTL away). A window that can
    /// never be valid (expiration not after inception, wider than 2^31-1 s, or 2^31 s or more from
    /// --now) is refused all the same.
    #[arg(long)]
    pub allow_unsafe_window: bool,
    /// Signing threads; default all cores; at most 4 per core.
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// Report format (printed on standard output); default text. A report asked for with
    /// --report is printed even with --quiet.
    #[arg(long, value_enum)]
    pub report: Option<OutputFormat>,
    /// No progress bar and no text report unless --report asks for one; warnings and errors
    /// only.
    #[arg(short, long)]
    pub quiet: bool,
    /// Print the time each phase took (parse, sort, denial, sign, verify, write) on stderr,
    /// whatever else is printed.
    #[arg(short, long)]
    pub verbose: bool,
    #[command(flatten)]
    pub limits: LimitArgs,
}

/// `--output-format` (RFC 1035 §5 presentation format in both).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ZoneFormatArg {
    /// Every record, one per line, fully qualified: a zone to serve, and to re-sign from.
    Full,
    /// Only what the signer makes (DNSKEY, RRSIG, NSEC, NSEC3, NSEC3PARAM), to $INCLUDE beside
    /// the unsigned zone file; no --serial, --zonemd, --previous or capped TTLs.
    DnssecOnly,
}

fn usage(msg: impl Into<String>) -> Error {
    Error::Usage(msg.into())
}

/// The flags and the policy file as the library's options: every value
/// is checked in one step ([`SignOptions::validate`]) before any input is
/// read.
fn options(args: &SignArgs) -> Result<SignOptions, Error> {
    let state_dir = args.state_dir.state_dir.as_deref();
    let effective = args.policy.effective(&args.zonefile, state_dir)?;
    let keys = if let Some(dir) = state_dir {
        KeySource::StateDir(dir.to_path_buf())
    } else if !args.ksk.is_empty() || !args.zsk.is_empty() {
        KeySource::Files {
            ksk: args.ksk.clone(),
            zsk: args.zsk.clone(),
        }
    } else {
        KeySource::Dir {
            dir: args.keys.clone().unwrap_or_else(|| PathBuf::from("keys")),
            generate: args.generate_keys.then_some(KeyGen {
                algorithm: Algorithm::EcdsaP256Sha256,
                ksk_bits: None,
                zsk_bits: None,
            }),
        }
    };
    let zonefile = super::args::zone_input(&args.zonefile, &args.origin.origin)?;
    // A zone from a pipe goes to standard output unless -f says otherwise.
    let output = match &args.output {
        None if zonefile != args.zonefile => Some(PathBuf::from(job::sign::STDOUT)),
        o => o.clone(),
    };
    let mut opts = SignOptions {
        zonefile,
        origin: args.origin.origin.clone(),
        keys,
        output,
        ds_output: args.ds_out.clone(),
        now: args.now.clone(),
        inception: args.inception.clone(),
        expiration: args.expiration.clone(),
        digests: vec![DigestType::Sha256],
        max_ttl: Some(zonesign::zone::DEFAULT_MAX_TTL),
        limits: args.limits.limits(),
        allow_unsafe_window: args.allow_unsafe_window,
        threads: args.threads,
        output_format: match (args.output_format, args.dnssec_only) {
            (Some(ZoneFormatArg::DnssecOnly), _) | (None, true) => SignedZoneFormat::DnssecOnly,
            _ => SignedZoneFormat::Full,
        },
        ..SignOptions::default()
    };
    effective.apply(&mut opts)?;
    Ok(opts)
}

pub fn run(args: SignArgs) -> Result<(), Error> {
    let (cfg, warnings) = options(&args)?.validate(super::wall_clock(), super::args::cores())?;
    for w in &warnings {
        eprintln!("zonesign: warning: {w}");
    }
    let bar = super::progress::bar(
        args.quiet,
        0,
        "{spinner} signing [{bar:40}] {pos}/{len} RRsets ({per_sec}, eta {eta})",
        Some("=> "),
    );
    let progress = |total: u64, done: u64| {
        if let Some(b) = &bar {
            if total > 0 {
                b.set_length(total);
            }
            b.inc(done);
        }
    };
    let result = job::sign::run(&cfg, &progress);
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    if let Err(SignRunError::Publish(PublishCheckError::Rejected { report, .. })) = &result {
        // What the verifier found, as `zonesign verify` prints it; the
        // error line follows from main.
        let color = super::color::ColorChoice::Auto.for_stderr();
        for f in report
            .findings
            .iter()
            .filter(|f| f.severity == zonesign::verify::Severity::Error)
        {
            eprintln!("{}", super::color::paint(&f.to_text(), f.severity, color));
        }
    }
    let report = result?;
    for w in &report.warnings {
        eprintln!("zonesign: warning: {w}");
    }
    if args.verbose {
        eprintln!("zonesign: {}", report.phases.to_text());
    }
    // --quiet silences what nobody asked for, never a report that was.
    // With the zone on standard output, a report asked for goes to stderr.
    let to_stdout = report.stdout_zone.is_some();
    let format = match (args.report, args.quiet || to_stdout) {
        (Some(f), _) => Some(f),
        (None, false) => Some(OutputFormat::Text),
        (None, true) => None,
    };
    let text = match format {
        Some(OutputFormat::Text) => Some(report.to_text()),
        Some(OutputFormat::Json) => {
            Some(serde_json::to_string_pretty(&report).map_err(|e| usage(e.to_string()))? + "\n")
        }
        None => None,
    };
    if let Some(zone) = &report.stdout_zone {
        let mut f = std::fs::File::open(zone.path())
            .map_err(|e| usage(format!("cannot read the signed zone back: {e}")))?;
        let mut out = std::io::stdout().lock();
        std::io::copy(&mut f, &mut out)
            .and_then(|_| std::io::Write::flush(&mut out))
            .map_err(|e| {
                usage(format!(
                    "cannot write the signed zone to standard output: {e}"
                ))
            })?;
    }
    match (text, to_stdout) {
        (Some(t), true) => eprint!("{t}"),
        (Some(t), false) => print!("{t}"),
        (None, _) => {}
    }
    Ok(())
}
