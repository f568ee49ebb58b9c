//! `zonesign sign`: sign a zone with keys from a directory or files.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use zonesign::ds::DigestType;
use zonesign::job;
use zonesign::job::sign::publish_check::{PublishCheckError, VerifyMode};
use zonesign::job::sign::{KeySource, Nsec3Options, SignOptions, SignRunError};
use zonesign::keys::Algorithm;
use zonesign::sign::serial::SerialPolicy;

use super::args::{LimitArgs, MaxTtlArg, OriginArg, OutputFormat};
use super::error::Error;

/// DS digest algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Digest {
    Sha256,
    Sha384,
}

/// How the signed output is verified before it is published.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum VerifyArg {
    /// Every rule of the verifier; the DNSKEY RRset's signatures and a deterministic sample of the others checked cryptographically.
    Structure,
    /// Every rule and every signature.
    Full,
    /// No check.
    None,
}

/// SOA serial policy (the forms of `dnssec-signzone -N`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SerialArg {
    /// The zone file's serial (never below the previous output's).
    Keep,
    /// One more than the current serial.
    Increment,
    /// Seconds since the epoch at --now (one more than the current serial when that is not greater).
    Unixtime,
    /// YYYYMMDDnn of --now's UTC day (one more than the current serial when that is not greater).
    Date,
}

/// ZONEMD hash algorithm (RFC 8976 §2.2.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ZonemdHash {
    Sha384,
    Sha512,
}

#[derive(Debug, Args)]
#[command(mut_arg("max_ttl", |a| a.help(
    "Cap TTLs at this many seconds (also the SOA MINIMUM); 0 turns the cap off"
)))]
pub struct SignArgs {
    /// The unsigned zone file. Old RRSIG, NSEC, NSEC3 and NSEC3PARAM records in it are dropped and made afresh.
    pub zonefile: PathBuf,
    #[command(flatten)]
    pub origin: OriginArg,
    /// Directory with the zone's key files (K<zone>+<alg>+<tag>.key/.private); their
    /// Publish/Activate/Inactive/Delete times are honoured at --now. Default ./keys.
    #[arg(long, value_name = "DIR", conflicts_with_all = ["ksk", "zsk"])]
    pub keys: Option<PathBuf>,
    /// A key-signing key file (signs the DNSKEY RRset); repeatable.
    #[arg(short = 'k', long = "ksk", value_name = "KEYFILE")]
    pub ksk: Vec<PathBuf>,
    /// A zone-signing key file (signs everything else); repeatable.
    #[arg(short = 'z', long = "zsk", value_name = "KEYFILE")]
    pub zsk: Vec<PathBuf>,
    /// Sign with the keys of a lifecycle state directory (see `zonesign dnssec`):
    /// exactly the keys its state says are published and active at --now.
    #[arg(long, value_name = "DIR", conflicts_with_all = ["keys", "ksk", "zsk", "generate_keys"])]
    pub state_dir: Option<PathBuf>,
    /// With no keys in --keys DIR, generate a KSK and a ZSK there first.
    #[arg(long)]
    pub generate_keys: bool,
    /// Algorithm for --generate-keys (number or mnemonic): 8, 10, 13, 14, 15.
    #[arg(long, default_value = "13", value_name = "ALG")]
    pub alg: String,
    /// A previous signed output of this zone (it may be the output file itself): its
    /// signatures are kept, byte for byte, where the RRset is unchanged, the key still signs it,
    /// the signature verifies and it is valid for longer than --refresh past --now; everything
    /// else is signed afresh.
    #[arg(long, value_name = "SIGNED")]
    pub previous: Option<PathBuf>,
    /// With --previous: renew signatures that expire within this duration. Default a quarter
    /// of the validity.
    #[arg(long, value_name = "DURATION")]
    pub refresh: Option<String>,
    /// How the SOA serial moves when the signed output changes (with --previous: only when
    /// it differs from the previous output in more than the SOA; it never goes back).
    #[arg(long, value_enum, value_name = "POLICY", default_value_t = SerialArg::Keep)]
    pub serial: SerialArg,
    /// Signed zone output; default ZONEFILE.signed. Written atomically.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// DS set output; default dsset-<zone> beside the output file.
    #[arg(long, value_name = "FILE")]
    pub ds_out: Option<PathBuf>,
    /// DS digest type(s) for the DS set; repeatable.
    #[arg(long, value_enum, default_values_t = [Digest::Sha256])]
    pub digest: Vec<Digest>,
    /// Publish a ZONEMD zone digest (RFC 8976, SIMPLE scheme) with this hash; repeatable. An apex ZONEMD already in the zone is always recomputed.
    #[arg(long, value_enum, value_name = "HASH")]
    pub zonemd: Vec<ZonemdHash>,
    /// Use NSEC3 (RFC 5155) instead of NSEC; defaults follow RFC 9276: SHA-1, no salt, 0 iterations.
    #[arg(long)]
    pub nsec3: bool,
    /// NSEC3 salt in hex, or - for none.
    #[arg(long, value_name = "HEX|-", requires = "nsec3")]
    pub salt: Option<String>,
    /// NSEC3 extra iterations (RFC 9276 advises 0; more gives a warning).
    #[arg(long, value_name = "N", requires = "nsec3")]
    pub iterations: Option<u16>,
    /// NSEC3 opt-out: insecure delegations get no NSEC3 record (RFC 5155 §6).
    #[arg(long, requires = "nsec3")]
    pub opt_out: bool,
    /// The time signing happens at: YYYYMMDDHHMMSS, epoch seconds, RFC 3339 or now[+-DURATION]. Default: now.
    #[arg(long, value_name = "T")]
    pub now: Option<String>,
    /// Signature inception; default now-1h.
    #[arg(long, value_name = "T")]
    pub inception: Option<String>,
    /// Signature expiration (absolute, or now+DURATION).
    #[arg(long, value_name = "T", conflicts_with = "validity")]
    pub expiration: Option<String>,
    /// Signature validity from inception; default 30d.
    #[arg(long, value_name = "DURATION")]
    pub validity: Option<String>,
    /// Spread expirations over this much before the expiration, deterministically per RRset;
    /// it must be shorter than the window. Default 1d, or a quarter of a window shorter than 4d.
    #[arg(long, value_name = "DURATION")]
    pub jitter: Option<String>,
    /// Sign even though, at --now, signatures will be expired, not yet valid, or outlived by cached
    /// data (the earliest expiration is less than the zone's maximum TTL away). A window that can
    /// never be valid (expiration not after inception, wider than 2^31-1 s, or 2^31 s or more from
    /// --now) is refused all the same.
    #[arg(long)]
    pub allow_unsafe_window: bool,
    /// Verify the signed output before it replaces the previous one (exit 1 and nothing replaced
    /// when it fails).
    #[arg(long, value_enum, value_name = "MODE", default_value_t = VerifyArg::Structure)]
    pub verify: VerifyArg,
    #[command(flatten)]
    pub max_ttl: MaxTtlArg,
    /// TTL of the DNSKEY RRset; default the SOA's TTL.
    #[arg(long, value_name = "SECONDS")]
    pub dnskey_ttl: Option<u32>,
    /// Signing threads; default all cores; at most 4 per core.
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// Report format (printed on standard output).
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub report: OutputFormat,
    /// No progress bar and no report; warnings and errors only.
    #[arg(short, long)]
    pub quiet: bool,
    #[command(flatten)]
    pub limits: LimitArgs,
}

fn usage(msg: impl Into<String>) -> Error {
    Error::Usage(msg.into())
}

/// The flags as the library's options: every value is checked in one step
/// ([`SignOptions::validate`]) before any input is read.
fn options(args: &SignArgs) -> Result<SignOptions, Error> {
    let keys = if let Some(dir) = &args.state_dir {
        KeySource::StateDir(dir.clone())
    } else if !args.ksk.is_empty() || !args.zsk.is_empty() {
        KeySource::Files {
            ksk: args.ksk.clone(),
            zsk: args.zsk.clone(),
        }
    } else {
        KeySource::Dir {
            dir: args.keys.clone().unwrap_or_else(|| PathBuf::from("keys")),
            generate: if args.generate_keys {
                Some(args.alg.parse::<Algorithm>()?)
            } else {
                None
            },
        }
    };
    Ok(SignOptions {
        zonefile: args.zonefile.clone(),
        origin: args.origin.origin.clone(),
        keys,
        output: args.output.clone(),
        ds_output: args.ds_out.clone(),
        now: args.now.clone(),
        inception: args.inception.clone(),
        expiration: args.expiration.clone(),
        validity: args.validity.clone(),
        jitter: args.jitter.clone(),
        nsec3: args.nsec3.then(|| Nsec3Options {
            salt: args.salt.clone(),
            iterations: args.iterations,
            opt_out: args.opt_out,
        }),
        max_ttl: args.max_ttl.limit(),
        dnskey_ttl: args.dnskey_ttl,
        digests: args
            .digest
            .iter()
            .map(|d| match d {
                Digest::Sha256 => DigestType::Sha256,
                Digest::Sha384 => DigestType::Sha384,
            })
            .collect(),
        zonemd: args
            .zonemd
            .iter()
            .map(|h| match h {
                ZonemdHash::Sha384 => zonesign::zonemd::HASH_SHA384,
                ZonemdHash::Sha512 => zonesign::zonemd::HASH_SHA512,
            })
            .collect(),
        limits: args.limits.limits(),
        allow_unsafe_window: args.allow_unsafe_window,
        verify: match args.verify {
            VerifyArg::Structure => VerifyMode::Structure,
            VerifyArg::Full => VerifyMode::Full,
            VerifyArg::None => VerifyMode::None,
        },
        threads: args.threads,
        previous: args.previous.clone(),
        refresh: args.refresh.clone(),
        serial: match args.serial {
            SerialArg::Keep => SerialPolicy::Keep,
            SerialArg::Increment => SerialPolicy::Increment,
            SerialArg::Unixtime => SerialPolicy::UnixTime,
            SerialArg::Date => SerialPolicy::Date,
        },
    })
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
        for f in report
            .findings
            .iter()
            .filter(|f| f.severity == zonesign::verify::Severity::Error)
        {
            eprintln!("{}", f.to_text());
        }
    }
    let report = result?;
    for w in &report.warnings {
        eprintln!("zonesign: warning: {w}");
    }
    if !args.quiet {
        match args.report {
            OutputFormat::Text => print!("{}", report.to_text()),
            OutputFormat::Json => println!(
                "{}",
                serde_json::to_string_pretty(&report).map_err(|e| usage(e.to_string()))?
            ),
        }
    }
    Ok(())
}
