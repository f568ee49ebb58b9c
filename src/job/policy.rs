//! The signing policy: what a zone's signing needs, in a YAML file
//! (`zonesign.yaml` beside the zone file, or `--policy FILE`), under the
//! flags that override it, over the defaults. Every setting is named once
//! in [`SETTINGS`] (its key in the file, its flag, its default), and the
//! effective policy remembers where each value came from, for `zonesign
//! policy show`.
//!
//! The file is a flat YAML mapping whose keys are the setting names
//! (kebab-case, as the flags). It is parsed by `serde_yaml` (unknown keys
//! and wrong types refused, with their line and column); the values are
//! then read by the same rules as the flags, each error at the value's
//! position (`file:line:column: key: what is wrong`).
//!
//! What the lifecycle state owns: with keys from a state directory, the
//! DNSKEY TTL and the algorithm are the state's (`state.yaml`
//! `policy.dnskey_ttl`, `algorithm`), because its rollover timing (RFC
//! 7583 §3.3) is computed from them; a policy or flag that says otherwise
//! is refused there (see [`Effective::own_from_state`]).

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::sign::publish_check::VerifyMode;
use super::sign::{KeyGen, Nsec3Options, PreviousFile, SignOptions};
use crate::ds::DigestType;
use crate::keys::Algorithm;
use crate::quote::quote_str;
use crate::sign::serial::SerialPolicy;
use crate::timespec::parse_duration;

/// The policy file looked for beside the zone file.
pub const FILE_NAME: &str = "zonesign.yaml";

/// Largest policy file read: a policy is a screenful of settings.
pub const MAX_FILE_BYTES: u64 = 64 * 1024;

/// One setting: its key in the file, the flag that overrides it, and what
/// its default is (in words where it depends on the zone).
#[derive(Debug, Clone, Copy)]
pub struct SettingInfo {
    pub key: &'static str,
    pub flag: &'static str,
    pub default: &'static str,
}

/// Every setting of the policy, in the order `policy show` prints them.
pub const SETTINGS: &[SettingInfo] = &[
    s(
        "algorithm",
        "--alg",
        "13 (ECDSAP256SHA256), for keys made by --generate-keys",
    ),
    s("ksk-bits", "--ksk-bits", "2048 (RSA only)"),
    s("zsk-bits", "--zsk-bits", "2048 (RSA only)"),
    s("validity", "--validity", "30d"),
    s("refresh", "--refresh", "a quarter of the validity"),
    s(
        "jitter",
        "--jitter",
        "the refresh interval, fitted to the zone's TTLs and SOA EXPIRE",
    ),
    s("inception-offset", "--inception-offset", "1h"),
    s("denial", "--nsec3 / --nsec", "nsec"),
    s("nsec3-salt", "--salt", "- (none, RFC 9276)"),
    s("nsec3-iterations", "--iterations", "0 (RFC 9276)"),
    s("nsec3-opt-out", "--opt-out", "false"),
    s(
        "max-ttl",
        "--max-ttl",
        "604800 (one week; 0 turns the cap off)",
    ),
    s("dnskey-ttl", "--dnskey-ttl", "the SOA's TTL"),
    s("digests", "--digest", "[sha256]"),
    s("serial", "--serial", "keep"),
    s("zonemd", "--zonemd", "[] (none)"),
    s("previous", "--previous", "none"),
    s("verify", "--verify", "structure"),
];

const fn s(key: &'static str, flag: &'static str, default: &'static str) -> SettingInfo {
    SettingInfo { key, flag, default }
}

/// Where a setting's value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Default,
    /// The policy file, at the value.
    File {
        path: PathBuf,
        line: usize,
        column: usize,
    },
    /// A command-line flag.
    Flag(&'static str),
    /// The lifecycle state (`state.yaml`), which owns the value.
    State {
        path: PathBuf,
        field: &'static str,
    },
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Default => f.write_str("default"),
            Source::File { path, line, column } => {
                write!(f, "{}:{line}:{column}", path.display())
            }
            Source::Flag(flag) => write!(f, "flag {flag}"),
            Source::State { path, field } => write!(f, "{} {field}", path.display()),
        }
    }
}

/// A policy file that cannot be used. Nothing has been read or written
/// besides the file when this is returned.
#[derive(Debug, thiserror::Error)]
pub enum PolicyError {
    #[error("{}: cannot read: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A bad key, type or value, at its position.
    #[error("{}:{line}:{column}: {message}", path.display())]
    Invalid {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    /// Wrong without a position (too large, not UTF-8).
    #[error("{}: {message}", path.display())]
    File { path: PathBuf, message: String },
    /// Two settings that cannot both hold.
    #[error("{0}")]
    Inconsistent(String),
    /// A setting the lifecycle state owns, given otherwise.
    #[error("{0}")]
    StateConflict(String),
}

/// The SOA-independent choice of denial of existence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Denial {
    Nsec,
    Nsec3,
}

/// Which previous signed output a run keeps signatures from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Previous {
    None,
    /// The run's own output file, when it exists (the nightly re-sign).
    Output,
    Path(PathBuf),
}

impl Previous {
    /// `none`, `output`, or a path (`./output` for a file of that name).
    pub fn parse(s: &str) -> Result<Previous, String> {
        match s {
            "" => Err("empty value: use none, output or a file".into()),
            "none" => Ok(Previous::None),
            "output" => Ok(Previous::Output),
            p => Ok(Previous::Path(PathBuf::from(p))),
        }
    }
}

/// The settings, each unset or a checked value; the same type holds what
/// the file says, what the flags say, and the merge.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Settings {
    pub algorithm: Option<Algorithm>,
    pub ksk_bits: Option<u32>,
    pub zsk_bits: Option<u32>,
    /// Durations as typed (checked by [`parse_duration`]).
    pub validity: Option<String>,
    pub refresh: Option<String>,
    pub jitter: Option<String>,
    pub inception_offset: Option<String>,
    pub denial: Option<Denial>,
    /// Hex or `-`.
    pub nsec3_salt: Option<String>,
    pub nsec3_iterations: Option<u16>,
    pub nsec3_opt_out: Option<bool>,
    /// `0`: no cap.
    pub max_ttl: Option<u32>,
    pub dnskey_ttl: Option<u32>,
    pub digests: Option<Vec<DigestType>>,
    pub serial: Option<SerialPolicy>,
    /// ZONEMD hash algorithm numbers (RFC 8976 §2.2.3).
    pub zonemd: Option<Vec<u8>>,
    pub previous: Option<Previous>,
    pub verify: Option<VerifyMode>,
}

/// Runs `$m!(field, "key")` for every setting, so that merging and
/// showing name each field once.
macro_rules! each_setting {
    ($m:ident) => {
        $m!(algorithm, "algorithm");
        $m!(ksk_bits, "ksk-bits");
        $m!(zsk_bits, "zsk-bits");
        $m!(validity, "validity");
        $m!(refresh, "refresh");
        $m!(jitter, "jitter");
        $m!(inception_offset, "inception-offset");
        $m!(denial, "denial");
        $m!(nsec3_salt, "nsec3-salt");
        $m!(nsec3_iterations, "nsec3-iterations");
        $m!(nsec3_opt_out, "nsec3-opt-out");
        $m!(max_ttl, "max-ttl");
        $m!(dnskey_ttl, "dnskey-ttl");
        $m!(digests, "digests");
        $m!(serial, "serial");
        $m!(zonemd, "zonemd");
        $m!(previous, "previous");
        $m!(verify, "verify");
    };
}

impl Settings {
    /// Each setting's value as `policy show` prints it; `None` when unset.
    pub fn shown(&self) -> BTreeMap<&'static str, Option<String>> {
        let mut out = BTreeMap::new();
        out.insert(
            "algorithm",
            self.algorithm
                .map(|a| format!("{} ({})", a.number(), a.mnemonic())),
        );
        out.insert("ksk-bits", self.ksk_bits.map(|b| b.to_string()));
        out.insert("zsk-bits", self.zsk_bits.map(|b| b.to_string()));
        out.insert("validity", self.validity.clone());
        out.insert("refresh", self.refresh.clone());
        out.insert("jitter", self.jitter.clone());
        out.insert("inception-offset", self.inception_offset.clone());
        out.insert(
            "denial",
            self.denial.map(|d| match d {
                Denial::Nsec => "nsec".to_string(),
                Denial::Nsec3 => "nsec3".to_string(),
            }),
        );
        out.insert("nsec3-salt", self.nsec3_salt.clone());
        out.insert(
            "nsec3-iterations",
            self.nsec3_iterations.map(|i| i.to_string()),
        );
        out.insert("nsec3-opt-out", self.nsec3_opt_out.map(|b| b.to_string()));
        out.insert("max-ttl", self.max_ttl.map(|t| t.to_string()));
        out.insert("dnskey-ttl", self.dnskey_ttl.map(|t| t.to_string()));
        out.insert(
            "digests",
            self.digests.as_ref().map(|d| {
                let names: Vec<&str> = d.iter().map(|t| digest_name(*t)).collect();
                format!("[{}]", names.join(", "))
            }),
        );
        out.insert("serial", self.serial.map(|s| s.as_str().to_string()));
        out.insert(
            "zonemd",
            self.zonemd.as_ref().map(|z| {
                let names: Vec<&str> = z.iter().map(|h| zonemd_name(*h)).collect();
                format!("[{}]", names.join(", "))
            }),
        );
        out.insert(
            "previous",
            self.previous.as_ref().map(|p| match p {
                Previous::None => "none".to_string(),
                Previous::Output => "output".to_string(),
                Previous::Path(p) => p.display().to_string(),
            }),
        );
        out.insert(
            "verify",
            self.verify.map(|v| {
                match v {
                    VerifyMode::None => "none",
                    VerifyMode::Structure => "structure",
                    VerifyMode::Full => "full",
                }
                .to_string()
            }),
        );
        out
    }
}

fn digest_name(d: DigestType) -> &'static str {
    match d {
        DigestType::Sha1 => "sha1",
        DigestType::Sha256 => "sha256",
        DigestType::Sha384 => "sha384",
    }
}

fn zonemd_name(h: u8) -> &'static str {
    match h {
        crate::zonemd::HASH_SHA384 => "sha384",
        _ => "sha512",
    }
}

/// A policy file, read and checked.
#[derive(Debug, Clone)]
pub struct PolicyFile {
    pub path: PathBuf,
    pub settings: Settings,
    /// Where each key's value starts (1-based line and column).
    positions: BTreeMap<&'static str, (usize, usize)>,
}

/// The file as YAML gives it: every value a scalar (or a list of them for
/// `digests` and `zonemd`), read by the rules of its setting afterwards.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawPolicy {
    algorithm: Option<Scalar>,
    ksk_bits: Option<Scalar>,
    zsk_bits: Option<Scalar>,
    validity: Option<Scalar>,
    refresh: Option<Scalar>,
    jitter: Option<Scalar>,
    inception_offset: Option<Scalar>,
    denial: Option<Scalar>,
    nsec3_salt: Option<Scalar>,
    nsec3_iterations: Option<Scalar>,
    nsec3_opt_out: Option<Scalar>,
    max_ttl: Option<Scalar>,
    dnskey_ttl: Option<Scalar>,
    digests: Option<List>,
    serial: Option<Scalar>,
    zonemd: Option<List>,
    previous: Option<Scalar>,
    verify: Option<Scalar>,
}

/// Any YAML scalar, as its text: `validity: 86400` and `validity: "1d"`
/// are both durations.
#[derive(Debug, Clone)]
struct Scalar(String);

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Scalar, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Scalar;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a single value (a string, number or boolean)")
            }
            fn visit_str<E>(self, v: &str) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_bool<E>(self, v: bool) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

/// A list of scalars, or one scalar for a list of one.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged, expecting = "a value or a list of values")]
enum List {
    One(Scalar),
    Many(Vec<Scalar>),
}

impl List {
    fn items(&self) -> Vec<&str> {
        match self {
            List::One(s) => vec![s.0.as_str()],
            List::Many(v) => v.iter().map(|s| s.0.as_str()).collect(),
        }
    }
}

impl PolicyFile {
    /// Reads and checks the policy file at `path` (at most
    /// [`MAX_FILE_BYTES`]).
    pub fn load(path: &Path) -> Result<PolicyFile, PolicyError> {
        use std::io::Read;
        let io = |source| PolicyError::Io {
            path: path.to_path_buf(),
            source,
        };
        let file = std::fs::File::open(path).map_err(io)?;
        let mut bytes = Vec::new();
        file.take(MAX_FILE_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(io)?;
        if bytes.len() as u64 > MAX_FILE_BYTES {
            return Err(PolicyError::File {
                path: path.to_path_buf(),
                message: format!("larger than {MAX_FILE_BYTES} bytes: not a policy file"),
            });
        }
        let text = String::from_utf8(bytes).map_err(|_| PolicyError::File {
            path: path.to_path_buf(),
            message: "not UTF-8 text".into(),
        })?;
        PolicyFile::from_yaml(&text, path)
    }

    /// Parses policy text; `path` names it in errors and provenance.
    pub fn from_yaml(text: &str, path: &Path) -> Result<PolicyFile, PolicyError> {
        let positions = key_positions(text);
        let blank = text
            .lines()
            .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#') || l.trim() == "---");
        let raw: RawPolicy = if blank {
            RawPolicy::default()
        } else {
            serde_yaml::from_str(text).map_err(|e| {
                let (line, column) = e
                    .location()
                    .map(|l| (l.line(), l.column()))
                    .unwrap_or((1, 1));
                PolicyError::Invalid {
                    path: path.to_path_buf(),
                    line,
                    column,
                    message: crate::lifecycle::yaml_error_message(&e),
                }
            })?
        };
        let mut file = PolicyFile {
            path: path.to_path_buf(),
            settings: Settings::default(),
            positions: BTreeMap::new(),
        };
        for info in SETTINGS {
            if let Some(&(line, col)) = positions.get(info.key) {
                file.positions.insert(info.key, (line, col));
            }
        }
        file.settings = file.read(&raw)?;
        Ok(file)
    }

    /// Where `key`'s value is in the file (line 1, column 1 when the
    /// layout hides it, e.g. a flow mapping).
    pub fn position(&self, key: &str) -> (usize, usize) {
        self.positions.get(key).copied().unwrap_or((1, 1))
    }

    fn error(&self, key: &str, message: String) -> PolicyError {
        let (line, column) = self.position(key);
        PolicyError::Invalid {
            path: self.path.clone(),
            line,
            column,
            message: format!("{key}: {message}"),
        }
    }

    /// Every value read by its setting's rule.
    fn read(&self, raw: &RawPolicy) -> Result<Settings, PolicyError> {
        let one = |key: &str, v: &Option<Scalar>, f: &dyn Fn(&str) -> Result<(), String>| match v {
            Some(Scalar(s)) => f(s)
                .map(|_| Some(s.clone()))
                .map_err(|m| self.error(key, m)),
            None => Ok(None),
        };
        let typed =
            |key, v: &Option<Scalar>, rule: &dyn Fn(&str) -> Result<ParsedValue, String>| match v {
                Some(Scalar(s)) => rule(s).map(Some).map_err(|m| self.error(key, m)),
                None => Ok(None),
            };
        let mut out = Settings {
            validity: one("validity", &raw.validity, &duration_rule)?,
            refresh: one("refresh", &raw.refresh, &duration_rule)?,
            jitter: one("jitter", &raw.jitter, &duration_rule)?,
            inception_offset: one("inception-offset", &raw.inception_offset, &duration_rule)?,
            nsec3_salt: one("nsec3-salt", &raw.nsec3_salt, &salt_rule)?,
            ..Settings::default()
        };
        if let Some(ParsedValue::Algorithm(a)) = typed("algorithm", &raw.algorithm, &|s| {
            s.parse::<Algorithm>()
                .map(ParsedValue::Algorithm)
                .map_err(|e| e.to_string())
        })? {
            out.algorithm = Some(a);
        }
        for (key, raw_v, slot) in [
            ("ksk-bits", &raw.ksk_bits, &mut out.ksk_bits),
            ("zsk-bits", &raw.zsk_bits, &mut out.zsk_bits),
        ] {
            if let Some(ParsedValue::U32(b)) =
                typed(key, raw_v, &|s| rsa_bits(s).map(ParsedValue::U32))?
            {
                *slot = Some(b);
            }
        }
        for (key, raw_v, slot) in [
            ("max-ttl", &raw.max_ttl, &mut out.max_ttl),
            ("dnskey-ttl", &raw.dnskey_ttl, &mut out.dnskey_ttl),
        ] {
            if let Some(ParsedValue::U32(t)) = typed(key, raw_v, &|s| ttl(s).map(ParsedValue::U32))?
            {
                *slot = Some(t);
            }
        }
        if let Some(ParsedValue::Denial(d)) = typed("denial", &raw.denial, &|s| match s {
            "nsec" => Ok(ParsedValue::Denial(Denial::Nsec)),
            "nsec3" => Ok(ParsedValue::Denial(Denial::Nsec3)),
            _ => Err(format!("{} is not nsec or nsec3", quote_str(s))),
        })? {
            out.denial = Some(d);
        }
        if let Some(ParsedValue::U32(i)) = typed("nsec3-iterations", &raw.nsec3_iterations, &|s| {
            s.parse::<u16>()
                .map(|i| ParsedValue::U32(u32::from(i)))
                .map_err(|_| format!("{} is not a number from 0 to 65535", quote_str(s)))
        })? {
            out.nsec3_iterations = Some(i as u16);
        }
        if let Some(ParsedValue::Bool(b)) =
            typed("nsec3-opt-out", &raw.nsec3_opt_out, &|s| match s {
                "true" => Ok(ParsedValue::Bool(true)),
                "false" => Ok(ParsedValue::Bool(false)),
                _ => Err(format!("{} is not true or false", quote_str(s))),
            })?
        {
            out.nsec3_opt_out = Some(b);
        }
        if let Some(ParsedValue::Serial(p)) = typed("serial", &raw.serial, &|s| {
            SerialPolicy::parse(s)
                .map(ParsedValue::Serial)
                .ok_or_else(|| format!("{} is not keep, increment, unixtime or date", quote_str(s)))
        })? {
            out.serial = Some(p);
        }
        if let Some(ParsedValue::Previous(p)) = typed("previous", &raw.previous, &|s| {
            Previous::parse(s).map(ParsedValue::Previous)
        })? {
            out.previous = Some(p);
        }
        if let Some(ParsedValue::Verify(v)) = typed("verify", &raw.verify, &|s| match s {
            "none" => Ok(ParsedValue::Verify(VerifyMode::None)),
            "structure" => Ok(ParsedValue::Verify(VerifyMode::Structure)),
            "full" => Ok(ParsedValue::Verify(VerifyMode::Full)),
            _ => Err(format!("{} is not structure, full or none", quote_str(s))),
        })? {
            out.verify = Some(v);
        }
        if let Some(list) = &raw.digests {
            let mut d = Vec::new();
            for (i, item) in list.items().into_iter().enumerate() {
                let t = match item {
                    "sha256" => DigestType::Sha256,
                    "sha384" => DigestType::Sha384,
                    _ => {
                        return Err(self.error(
                            "digests",
                            format!(
                                "item {}: {} is not sha256 or sha384",
                                i + 1,
                                quote_str(item)
                            ),
                        ))
                    }
                };
                if !d.contains(&t) {
                    d.push(t);
                }
            }
            if d.is_empty() {
                return Err(self.error(
                    "digests",
                    "an empty list: name sha256, sha384 or both".into(),
                ));
            }
            out.digests = Some(d);
        }
        if let Some(list) = &raw.zonemd {
            let mut z = Vec::new();
            for (i, item) in list.items().into_iter().enumerate() {
                let h = match item {
                    "sha384" => crate::zonemd::HASH_SHA384,
                    "sha512" => crate::zonemd::HASH_SHA512,
                    _ => {
                        return Err(self.error(
                            "zonemd",
                            format!(
                                "item {}: {} is not sha384 or sha512",
                                i + 1,
                                quote_str(item)
                            ),
                        ))
                    }
                };
                if !z.contains(&h) {
                    z.push(h);
                }
            }
            out.zonemd = Some(z);
        }
        Ok(out)
    }
}

/// What one setting's rule makes of its text.
enum ParsedValue {
    Algorithm(Algorithm),
    U32(u32),
    Bool(bool),
    Denial(Denial),
    Serial(SerialPolicy),
    Previous(Previous),
    Verify(VerifyMode),
}

fn duration_rule(s: &str) -> Result<(), String> {
    let d = parse_duration(s)?;
    if d > i64::from(i32::MAX) {
        return Err(format!(
            "{} is longer than the 2^31-1 s an RRSIG's window can span (RFC 4034 §3.1.5)",
            quote_str(s)
        ));
    }
    Ok(())
}

fn salt_rule(s: &str) -> Result<(), String> {
    if s == "-" || s.is_empty() {
        return Ok(());
    }
    let salt = data_encoding::HEXLOWER_PERMISSIVE
        .decode(s.as_bytes())
        .map_err(|_| format!("{} is not hex (or - for none)", quote_str(s)))?;
    if salt.len() > 255 {
        return Err("longer than 255 octets (RFC 5155 §3.1.5)".into());
    }
    Ok(())
}

/// RSA modulus sizes key generation accepts.
fn rsa_bits(s: &str) -> Result<u32, String> {
    match s.parse::<u32>() {
        Ok(b) if (1024..=4096).contains(&b) => Ok(b),
        _ => Err(format!(
            "{} is not a size from 1024 to 4096 bits",
            quote_str(s)
        )),
    }
}

/// A TTL: seconds or a duration, at most 2^31-1 (RFC 2181 §8).
fn ttl(s: &str) -> Result<u32, String> {
    let d = parse_duration(s)?;
    u32::try_from(d)
        .ok()
        .filter(|t| *t <= i32::MAX as u32)
        .ok_or_else(|| format!("{} is more than 2147483647 s (RFC 2181 §8)", quote_str(s)))
}

/// Where each top-level key of a block mapping is: its line and the
/// column its value starts at (the key's, column 1, when the value is on
/// the lines below). YAML puts every top-level key of a
/// block mapping at column 1, so a line that starts with a key and a
/// colon is one; anything else (comments, indented values, list items,
/// block scalars) starts with something else. Quoted keys count too. A
/// flow mapping (`{validity: 1d}`) has no such lines: its values get no
/// position beyond the file's start.
// Hand-written: serde_yaml reports positions of errors only, and
// provenance needs the position of every value.
fn key_positions(text: &str) -> BTreeMap<String, (usize, usize)> {
    let mut out = BTreeMap::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        let (key, after) = match line.as_bytes().first() {
            Some(b'"') | Some(b'\'') => {
                let q = line.as_bytes()[0] as char;
                match line[1..].find(q) {
                    Some(end) => (&line[1..1 + end], 1 + end + 1),
                    None => continue,
                }
            }
            Some(b) if b.is_ascii_alphanumeric() => match line.find(':') {
                Some(c) => (&line[..c], c),
                None => continue,
            },
            _ => continue,
        };
        let rest = &line[after..];
        let Some(rest) = rest.strip_prefix(':') else {
            continue;
        };
        if !(rest.is_empty() || rest.starts_with([' ', '\t'])) {
            continue;
        }
        let value_at = rest
            .char_indices()
            .find(|(_, c)| !c.is_whitespace())
            .filter(|(_, c)| *c != '#')
            .map(|(j, _)| after + 1 + j + 1)
            .unwrap_or(1);
        out.entry(key.to_string()).or_insert((i + 1, value_at));
    }
    out
}

/// The policy in force: each setting's value (or none: the job's default
/// applies) and where it came from.
#[derive(Debug, Clone, Default)]
pub struct Effective {
    pub settings: Settings,
    pub sources: BTreeMap<&'static str, Source>,
}

impl Effective {
    /// Flags over the file over the defaults.
    pub fn merge(file: Option<&PolicyFile>, flags: &Settings) -> Effective {
        let mut out = Effective::default();
        macro_rules! take {
            ($field:ident, $key:literal) => {
                if flags.$field.is_some() {
                    out.settings.$field = flags.$field.clone();
                    out.sources.insert($key, Source::Flag(flag_of($key)));
                } else if let Some(f) = file.filter(|f| f.settings.$field.is_some()) {
                    out.settings.$field = f.settings.$field.clone();
                    let (line, column) = f.position($key);
                    out.sources.insert(
                        $key,
                        Source::File {
                            path: f.path.clone(),
                            line,
                            column,
                        },
                    );
                } else {
                    out.sources.insert($key, Source::Default);
                }
            };
        }
        each_setting!(take);
        out
    }

    /// With keys from a lifecycle state, the state owns the DNSKEY TTL and
    /// the algorithm: its rollover timing counts on them (RFC 7583 §3.3).
    /// A policy file or flag may repeat the state's values, not change them.
    pub fn own_from_state(
        &mut self,
        state_file: &Path,
        dnskey_ttl: u32,
        algorithm: Algorithm,
    ) -> Result<(), PolicyError> {
        let claims = [
            (
                "dnskey-ttl",
                "policy.dnskey_ttl",
                self.settings.dnskey_ttl.map(|t| t != dnskey_ttl),
            ),
            (
                "algorithm",
                "algorithm",
                self.settings.algorithm.map(|a| a != algorithm),
            ),
        ];
        for (key, field, differs) in claims {
            if differs == Some(true) {
                let shown = self.settings.shown();
                return Err(PolicyError::StateConflict(format!(
                    "{key} {} ({}) contradicts the lifecycle state, which owns it: {} {field} is {}; change it there (zonesign dnssec) or drop the setting",
                    shown[key].clone().unwrap_or_default(),
                    self.sources[key],
                    state_file.display(),
                    match key {
                        "dnskey-ttl" => dnskey_ttl.to_string(),
                        _ => algorithm.number().to_string(),
                    }
                )));
            }
        }
        self.settings.dnskey_ttl = Some(dnskey_ttl);
        self.sources.insert(
            "dnskey-ttl",
            Source::State {
                path: state_file.to_path_buf(),
                field: "policy.dnskey_ttl",
            },
        );
        self.settings.algorithm = Some(algorithm);
        self.sources.insert(
            "algorithm",
            Source::State {
                path: state_file.to_path_buf(),
                field: "algorithm",
            },
        );
        Ok(())
    }

    /// Rows of `policy show`: key, value (or the default in words), source.
    pub fn rows(&self) -> Vec<(&'static str, String, String)> {
        let shown = self.settings.shown();
        SETTINGS
            .iter()
            .map(|info| {
                let source = self
                    .sources
                    .get(info.key)
                    .cloned()
                    .unwrap_or(Source::Default);
                let value = shown
                    .get(info.key)
                    .cloned()
                    .flatten()
                    .unwrap_or_else(|| info.default.to_string());
                (info.key, value, source.to_string())
            })
            .collect()
    }

    /// The policy's settings into a run's options; the run's own flags
    /// (zone file, keys, outputs, times) are already in `opts`. Settings
    /// left unset keep the job's defaults.
    pub fn apply(&self, opts: &mut SignOptions) -> Result<(), PolicyError> {
        let s = &self.settings;
        if let super::sign::KeySource::Dir {
            generate: Some(gen),
            ..
        } = &mut opts.keys
        {
            *gen = KeyGen {
                algorithm: s.algorithm.unwrap_or(gen.algorithm),
                ksk_bits: s.ksk_bits.or(gen.ksk_bits),
                zsk_bits: s.zsk_bits.or(gen.zsk_bits),
            };
            if !gen.algorithm.is_rsa() && (gen.ksk_bits.is_some() || gen.zsk_bits.is_some()) {
                let key = if gen.ksk_bits.is_some() {
                    "ksk-bits"
                } else {
                    "zsk-bits"
                };
                return Err(PolicyError::Inconsistent(format!(
                    "{key} ({}) is for RSA keys only; algorithm {} has a fixed size",
                    self.sources[key],
                    gen.algorithm.number()
                )));
            }
        }
        opts.validity = s.validity.clone().or(opts.validity.take());
        opts.refresh = s.refresh.clone().or(opts.refresh.take());
        opts.jitter = s.jitter.clone().or(opts.jitter.take());
        opts.inception_offset = s.inception_offset.clone().or(opts.inception_offset.take());
        let nsec3_detail =
            s.nsec3_salt.is_some() || s.nsec3_iterations.is_some() || s.nsec3_opt_out == Some(true);
        match s.denial {
            Some(Denial::Nsec3) => {
                opts.nsec3 = Some(Nsec3Options {
                    salt: s.nsec3_salt.clone(),
                    iterations: s.nsec3_iterations,
                    opt_out: s.nsec3_opt_out.unwrap_or(false),
                })
            }
            // `--nsec` overrides a file's NSEC3 choice with its details;
            // details under NSEC from the same layer contradict it.
            _ if nsec3_detail && !matches!(self.sources.get("denial"), Some(Source::Flag(_))) => {
                let key = if s.nsec3_salt.is_some() {
                    "nsec3-salt"
                } else if s.nsec3_iterations.is_some() {
                    "nsec3-iterations"
                } else {
                    "nsec3-opt-out"
                };
                return Err(PolicyError::Inconsistent(format!(
                    "{key} ({}) is an NSEC3 setting, but denial is nsec ({})",
                    self.sources[key], self.sources["denial"]
                )));
            }
            _ => opts.nsec3 = None,
        }
        if let Some(t) = s.max_ttl {
            opts.max_ttl = (t != 0).then_some(t);
        }
        opts.dnskey_ttl = s.dnskey_ttl.or(opts.dnskey_ttl);
        if let Some(d) = &s.digests {
            opts.digests = d.clone();
        }
        if let Some(p) = s.serial {
            opts.serial = p;
        }
        if let Some(z) = &s.zonemd {
            opts.zonemd = z.clone();
        }
        if let Some(p) = &s.previous {
            opts.previous = match p {
                Previous::None => PreviousFile::None,
                Previous::Output => PreviousFile::Output,
                Previous::Path(p) => PreviousFile::Path(p.clone()),
            };
        }
        if let Some(v) = s.verify {
            opts.verify = v;
        }
        Ok(())
    }
}

/// The flag that overrides `key`.
fn flag_of(key: &str) -> &'static str {
    SETTINGS
        .iter()
        .find(|s| s.key == key)
        .map(|s| s.flag)
        .unwrap_or("")
}

/// The policy file for a zone file: `explicit` when given, else
/// [`FILE_NAME`] beside the zone file when there is one.
pub fn find(explicit: Option<&Path>, zonefile: &Path) -> Option<PathBuf> {
    if let Some(p) = explicit {
        return Some(p.to_path_buf());
    }
    let beside = match zonefile.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.join(FILE_NAME),
        _ => PathBuf::from(FILE_NAME),
    };
    beside.is_file().then_some(beside)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<PolicyFile, PolicyError> {
        PolicyFile::from_yaml(text, Path::new("zonesign.yaml"))
    }

    fn err(text: &str) -> String {
        parse(text).unwrap_err().to_string()
    }

    #[test]
    fn every_setting_reads_from_the_file() {
        let f = parse(
            "# policy\nalgorithm: 15\nvalidity: 14d\nrefresh: 3d\njitter: 12h\ninception-offset: 2h\n\
             denial: nsec3\nnsec3-salt: abcd\nnsec3-iterations: 0\nnsec3-opt-out: true\nmax-ttl: 1d\n\
             dnskey-ttl: 3600\ndigests: [sha256, sha384]\nserial: date\nzonemd:\n  - sha384\n\
             previous: output\nverify: full\n",
        )
        .unwrap();
        let s = &f.settings;
        assert_eq!(s.algorithm, Some(Algorithm::Ed25519));
        assert_eq!(s.validity.as_deref(), Some("14d"));
        assert_eq!(s.denial, Some(Denial::Nsec3));
        assert_eq!(s.nsec3_opt_out, Some(true));
        assert_eq!(s.max_ttl, Some(86_400));
        assert_eq!(
            s.digests,
            Some(vec![DigestType::Sha256, DigestType::Sha384])
        );
        assert_eq!(s.serial, Some(SerialPolicy::Date));
        assert_eq!(s.zonemd, Some(vec![crate::zonemd::HASH_SHA384]));
        assert_eq!(s.previous, Some(Previous::Output));
        assert_eq!(s.verify, Some(VerifyMode::Full));
        assert_eq!(f.position("algorithm"), (2, 12));
        assert_eq!(f.position("validity"), (3, 11));
        assert_eq!(f.position("zonemd"), (15, 1), "value on the lines below");
    }

    #[test]
    fn bad_values_name_their_position() {
        assert_eq!(
            err("validity: 30d\nrefresh: soon\n"),
            "zonesign.yaml:2:10: refresh: bad duration \"soon\": unit without a number"
        );
        assert_eq!(
            err("serial: weekly\n"),
            "zonesign.yaml:1:9: serial: \"weekly\" is not keep, increment, unixtime or date"
        );
        assert!(err("digests: [sha256, md5]\n").starts_with("zonesign.yaml:1:10: digests: item 2"));
        assert!(err("ksk-bits: 512\n").starts_with("zonesign.yaml:1:11: ksk-bits:"));
        assert!(err("validity: 100y\n").contains("2^31-1"));
    }

    #[test]
    fn unknown_keys_and_wrong_types_are_refused_with_positions() {
        let e = err("validity: 30d\nvalidty: 30d\n");
        assert!(
            e.starts_with("zonesign.yaml:2:1: unknown field \"validty\""),
            "{e}"
        );
        let e = err("validity:\n  days: 30\n");
        assert!(e.starts_with("zonesign.yaml:2:"), "{e}");
        assert!(e.contains("wrong type of value"), "{e}");
        let e = err("validity: [30d\n");
        assert!(e.starts_with("zonesign.yaml:"), "{e}");
    }

    #[test]
    fn a_file_that_is_not_a_policy_quotes_nothing_of_itself() {
        // /etc/shadow's first line is a single YAML string.
        let e = err("root:$y$j9T$SECRETHASH:19000:0:99999:7:::\n");
        assert!(!e.contains("SECRETHASH"), "{e}");
        let e = err(
            "Private-key-format: v1.3\nAlgorithm: 13 (ECDSAP256SHA256)\nPrivateKey: U0VDUkVU\n",
        );
        assert!(!e.contains("U0VDUkVU"), "{e}");
    }

    #[test]
    fn empty_and_comment_only_files_set_nothing() {
        for text in ["", "# nothing yet\n", "---\n"] {
            assert_eq!(
                parse(text).unwrap().settings,
                Settings::default(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn flags_win_over_the_file_and_the_file_over_defaults() {
        let f = parse("validity: 14d\nserial: date\n").unwrap();
        let flags = Settings {
            serial: Some(SerialPolicy::Increment),
            ..Settings::default()
        };
        let e = Effective::merge(Some(&f), &flags);
        assert_eq!(e.settings.validity.as_deref(), Some("14d"));
        assert_eq!(e.settings.serial, Some(SerialPolicy::Increment));
        assert_eq!(e.sources["validity"].to_string(), "zonesign.yaml:1:11");
        assert_eq!(e.sources["serial"].to_string(), "flag --serial");
        assert_eq!(e.sources["refresh"], Source::Default);
        let rows = e.rows();
        assert_eq!(rows.len(), SETTINGS.len());
        let refresh = rows.iter().find(|r| r.0 == "refresh").unwrap();
        assert_eq!(refresh.1, "a quarter of the validity");
    }

    #[test]
    fn the_state_owns_the_dnskey_ttl_and_algorithm() {
        let f = parse("dnskey-ttl: 7200\n").unwrap();
        let mut e = Effective::merge(Some(&f), &Settings::default());
        let err = e
            .own_from_state(Path::new("st/state.yaml"), 3600, Algorithm::EcdsaP256Sha256)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("zonesign.yaml:1:13") && err.contains("policy.dnskey_ttl is 3600"),
            "{err}"
        );
        let f = parse("dnskey-ttl: 3600\n").unwrap();
        let mut e = Effective::merge(Some(&f), &Settings::default());
        e.own_from_state(Path::new("st/state.yaml"), 3600, Algorithm::EcdsaP256Sha256)
            .unwrap();
        assert_eq!(
            e.sources["dnskey-ttl"].to_string(),
            "st/state.yaml policy.dnskey_ttl"
        );
    }

    #[test]
    fn nsec3_settings_under_nsec_are_a_conflict() {
        let f = parse("nsec3-iterations: 5\n").unwrap();
        let e = Effective::merge(Some(&f), &Settings::default());
        let mut o = SignOptions::default();
        let msg = e.apply(&mut o).unwrap_err().to_string();
        assert!(
            msg.contains("nsec3-iterations (zonesign.yaml:1:19)"),
            "{msg}"
        );
    }

    #[test]
    fn settings_reach_the_sign_options() {
        let f = parse(
            "validity: 14d\ninception-offset: 2h\ndenial: nsec3\nmax-ttl: 0\nprevious: output\n",
        )
        .unwrap();
        let e = Effective::merge(Some(&f), &Settings::default());
        let mut o = SignOptions::default();
        e.apply(&mut o).unwrap();
        assert_eq!(o.validity.as_deref(), Some("14d"));
        assert_eq!(o.inception_offset.as_deref(), Some("2h"));
        assert!(o.nsec3.is_some());
        assert_eq!(o.max_ttl, None);
        assert_eq!(o.previous, PreviousFile::Output);
    }

    #[test]
    fn key_positions_skip_everything_but_top_level_keys() {
        let p =
            key_positions("a: 1\n  b: 2\n# c: 3\n\"d\": 4\ne:\n  - x\nf: # note\nurl: http://x\n");
        assert_eq!(p["a"], (1, 4));
        assert!(!p.contains_key("b") && !p.contains_key("c"));
        assert_eq!(p["d"], (4, 6));
        assert_eq!(p["e"].0, 5);
        assert_eq!(p["f"].1, 1);
        assert_eq!(p["url"], (8, 6));
    }
}
