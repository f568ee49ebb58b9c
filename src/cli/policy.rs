//! The signing policy's flags (each overrides its setting in the policy
//! file, see [`zonesign::job::policy`]), shared by `sign` and `policy
//! show`, and `zonesign policy show`.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand, ValueEnum};
use zonesign::ds::DigestType;
use zonesign::job::policy::{self, Denial, Effective, PolicyFile, Previous, Settings};
use zonesign::job::sign::publish_check::VerifyMode;
use zonesign::keys::Algorithm;
use zonesign::sign::serial::SerialPolicy;

use super::args::{MaxTtlArg, OutputFormat};
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

/// `--state-dir`, flattened by sign and policy show.
#[derive(Debug, Clone, Args)]
pub struct StateDirArg {
    /// Sign with the keys of a lifecycle state directory (see `zonesign dnssec`):
    /// exactly the keys its state says are published and active at --now. Its state.yaml
    /// owns the DNSKEY TTL and the algorithm.
    #[arg(long, value_name = "DIR")]
    pub state_dir: Option<PathBuf>,
}

/// The policy settings as flags: each one, given, overrides the policy
/// file's value (`zonesign policy show` tells which won).
#[derive(Debug, Clone, Args)]
#[command(mut_arg("max_ttl", |a| a.help(
    "Cap TTLs at this many seconds (also the SOA MINIMUM); 0 turns the cap off. Default 604800 (one week)"
)))]
pub struct PolicyArgs {
    /// Policy file (YAML); default zonesign.yaml beside the zone file, when there is one.
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
    /// Algorithm for --generate-keys (number or mnemonic): 8, 10, 13 (default), 14, 15.
    #[arg(long, value_name = "ALG")]
    pub alg: Option<String>,
    /// RSA modulus size of a KSK made by --generate-keys, 1024 to 4096 (default 2048).
    #[arg(long, value_name = "BITS")]
    pub ksk_bits: Option<u32>,
    /// RSA modulus size of a ZSK made by --generate-keys, 1024 to 4096 (default 2048).
    #[arg(long, value_name = "BITS")]
    pub zsk_bits: Option<u32>,
    /// Signature validity from inception; default 30d.
    #[arg(long, value_name = "DURATION")]
    pub validity: Option<String>,
    /// With a previous output: renew signatures that expire within this duration. Default a
    /// quarter of the validity.
    #[arg(long, value_name = "DURATION")]
    pub refresh: Option<String>,
    /// Spread expirations over this much before the expiration, deterministically per RRset;
    /// it must be shorter than the window. Default: the refresh interval, narrowed so the earliest expiration outlives the zone's largest TTL and SOA EXPIRE (see README, "Refresh spread").
    #[arg(short = 'j', long, value_name = "DURATION")]
    pub jitter: Option<String>,
    /// Signatures start this long before --now, when no --inception is given; default 1h.
    #[arg(long, value_name = "DURATION")]
    pub inception_offset: Option<String>,
    /// Use NSEC3 (RFC 5155) instead of NSEC; defaults follow RFC 9276: SHA-1, no salt, 0 iterations.
    #[arg(long, conflicts_with = "nsec")]
    pub nsec3: bool,
    /// Use NSEC (RFC 4034 §4), whatever the policy file says.
    #[arg(long)]
    pub nsec: bool,
    /// NSEC3 salt in hex, or - for none.
    #[arg(long, value_name = "HEX|-", conflicts_with = "nsec")]
    pub salt: Option<String>,
    /// NSEC3 extra iterations (RFC 9276 advises 0; more gives a warning).
    #[arg(long, value_name = "N", conflicts_with = "nsec")]
    pub iterations: Option<u16>,
    /// NSEC3 opt-out: insecure delegations get no NSEC3 record (RFC 5155 §6).
    #[arg(long, conflicts_with = "nsec")]
    pub opt_out: bool,
    #[command(flatten)]
    pub max_ttl: MaxTtlArg,
    /// TTL of the DNSKEY RRset; default the SOA's TTL (with --state-dir: the state's).
    #[arg(long, value_name = "SECONDS")]
    pub dnskey_ttl: Option<u32>,
    /// DS digest type(s) for the DS set; repeatable. Default sha256.
    #[arg(long, value_enum)]
    pub digest: Vec<Digest>,
    /// How the SOA serial moves when the signed output changes (with a previous output: only
    /// when it differs from it in more than the SOA; it never goes back). Default keep.
    #[arg(short = 'N', long, value_enum, value_name = "POLICY")]
    pub serial: Option<SerialArg>,
    /// Publish a ZONEMD zone digest (RFC 8976, SIMPLE scheme) with this hash; repeatable. An apex ZONEMD already in the zone is always recomputed.
    #[arg(long, value_enum, value_name = "HASH")]
    pub zonemd: Vec<ZonemdHash>,
    /// A previous signed output of this zone whose signatures are kept, byte for byte, where
    /// the RRset is unchanged, the key still signs it, the signature verifies and it is valid
    /// for longer than --refresh past --now; everything else is signed afresh. `output`: the
    /// output file, when it exists; `none`: sign afresh.
    #[arg(long, value_name = "SIGNED|output|none")]
    pub previous: Option<String>,
    /// Verify the signed output before it replaces the previous one (exit 1 and nothing replaced
    /// when it fails). Default structure.
    #[arg(long, value_enum, value_name = "MODE")]
    pub verify: Option<VerifyArg>,
}

fn usage(msg: impl Into<String>) -> Error {
    Error::Usage(msg.into())
}

impl PolicyArgs {
    /// The flags given, as policy settings (unset where not given).
    pub fn settings(&self) -> Result<Settings, Error> {
        let nsec3_given =
            self.nsec3 || self.salt.is_some() || self.iterations.is_some() || self.opt_out;
        Ok(Settings {
            algorithm: self
                .alg
                .as_deref()
                .map(|a| a.parse::<Algorithm>())
                .transpose()?,
            ksk_bits: self.ksk_bits.map(|b| bits(b, "--ksk-bits")).transpose()?,
            zsk_bits: self.zsk_bits.map(|b| bits(b, "--zsk-bits")).transpose()?,
            validity: self.validity.clone(),
            refresh: self.refresh.clone(),
            jitter: self.jitter.clone(),
            inception_offset: self.inception_offset.clone(),
            denial: if self.nsec {
                Some(Denial::Nsec)
            } else if nsec3_given {
                Some(Denial::Nsec3)
            } else {
                None
            },
            nsec3_salt: self.salt.clone(),
            nsec3_iterations: self.iterations,
            nsec3_opt_out: self.opt_out.then_some(true),
            max_ttl: self.max_ttl.max_ttl,
            dnskey_ttl: self.dnskey_ttl,
            digests: (!self.digest.is_empty()).then(|| {
                self.digest
                    .iter()
                    .map(|d| match d {
                        Digest::Sha256 => DigestType::Sha256,
                        Digest::Sha384 => DigestType::Sha384,
                    })
                    .collect()
            }),
            serial: self.serial.map(|s| match s {
                SerialArg::Keep => SerialPolicy::Keep,
                SerialArg::Increment => SerialPolicy::Increment,
                SerialArg::Unixtime => SerialPolicy::UnixTime,
                SerialArg::Date => SerialPolicy::Date,
            }),
            zonemd: (!self.zonemd.is_empty()).then(|| {
                self.zonemd
                    .iter()
                    .map(|h| match h {
                        ZonemdHash::Sha384 => zonesign::zonemd::HASH_SHA384,
                        ZonemdHash::Sha512 => zonesign::zonemd::HASH_SHA512,
                    })
                    .collect()
            }),
            previous: self
                .previous
                .as_deref()
                .map(|p| Previous::parse(p).map_err(|e| usage(format!("--previous: {e}"))))
                .transpose()?,
            verify: self.verify.map(|v| match v {
                VerifyArg::Structure => VerifyMode::Structure,
                VerifyArg::Full => VerifyMode::Full,
                VerifyArg::None => VerifyMode::None,
            }),
        })
    }

    /// The policy in force for `zonefile`: the flags over the policy file
    /// (`--policy`, or `zonesign.yaml` beside the zone file) over the
    /// defaults; with a state directory, its state's values where it owns them.
    pub fn effective(&self, zonefile: &Path, state_dir: Option<&Path>) -> Result<Effective, Error> {
        let flags = self.settings()?;
        let file = policy::find(self.policy.as_deref(), zonefile)
            .map(|p| PolicyFile::load(&p))
            .transpose()?;
        let mut effective = Effective::merge(file.as_ref(), &flags);
        if let Some(dir) = state_dir {
            let owned = zonesign::lifecycle::owned_signing_values(dir)?;
            effective.own_from_state(&owned.state_file, owned.dnskey_ttl, owned.algorithm)?;
        }
        Ok(effective)
    }
}

fn bits(b: u32, flag: &str) -> Result<u32, Error> {
    if (1024..=4096).contains(&b) {
        Ok(b)
    } else {
        Err(usage(format!(
            "{flag} {b}: use a size from 1024 to 4096 bits"
        )))
    }
}

#[derive(Debug, Subcommand)]
pub enum PolicyCommand {
    /// Print the signing policy in force for a zone file and where each value comes from
    /// (default, policy file:line:column, flag, or the lifecycle state).
    Show(PolicyShowArgs),
}

#[derive(Debug, Args)]
pub struct PolicyShowArgs {
    /// The zone file whose policy to show (its directory is searched for zonesign.yaml); default
    /// the current directory's policy.
    pub zonefile: Option<PathBuf>,
    #[command(flatten)]
    pub policy: PolicyArgs,
    #[command(flatten)]
    pub state_dir: StateDirArg,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
}

pub fn run(cmd: PolicyCommand) -> Result<(), Error> {
    match cmd {
        PolicyCommand::Show(a) => show(a),
    }
}

fn show(a: PolicyShowArgs) -> Result<(), Error> {
    let zonefile = a
        .zonefile
        .clone()
        .unwrap_or_else(|| PathBuf::from("./zone"));
    let effective = a
        .policy
        .effective(&zonefile, a.state_dir.state_dir.as_deref())?;
    let rows = effective.rows();
    match a.format {
        OutputFormat::Text => {
            // Source before value: sources are short, and a default
            // described in words is not.
            let w = rows.iter().map(|r| r.0.len()).max().unwrap_or(0);
            let sw = rows.iter().map(|r| r.2.len()).max().unwrap_or(0);
            for (key, value, source) in rows {
                println!("{key:<w$}  {source:<sw$}  {value}");
            }
        }
        OutputFormat::Json => {
            let list: Vec<_> = rows
                .into_iter()
                .map(|(key, value, source)| {
                    serde_json::json!({ "setting": key, "value": value, "source": source })
                })
                .collect();
            println!(
                "{}",
                serde_json::to_string_pretty(&serde_json::json!({ "policy": list }))
                    .map_err(|e| usage(e.to_string()))?
            );
        }
    }
    Ok(())
}
