//! BIND key files: `K<zone>+<alg>+<tag>.key` (the DNSKEY RR as zone-file
//! text, with BIND's comment header) and `.private` (`Private-key-format:
//! v1.3`, BIND's field names, timing). We also read ldns's `v1.2` files and
//! Knot's PKCS#8 `.pem` private keys (with the `.key` written next to them).
//!
//! The `.key` file is zone-file text and is read with the zone reader's
//! parts (`zonefile` lexer and record fields, `rdata` parser): `;`
//! comments, optional TTL and class in either order, parentheses spanning
//! lines, base64 split by spaces, `$TTL`/`$ORIGIN` lines.
//!
//! Private files are created with mode 0600 from the start (an
//! [`OutputTransaction`](crate::fsio::OutputTransaction) file opened
//! with that mode), never chmod-ed afterwards. Nothing here ever puts private key
//! bytes into an error message: parse errors name the file, line and field.

use std::fmt;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use base64::Engine;
use zeroize::Zeroizing;

use super::algorithm::Algorithm;
use super::crypto::{
    base_name, describe_private_tag, generate, private_key_from_pkcs8, PairError, PrivateKey,
    RsaPrivate, Secret, SigningKey,
};
use super::dnskey::Dnskey;
use super::timing::{format_ctime, format_timestamp, parse_timestamp, KeyTiming};
use super::KeyError;
use crate::keytag::KeyTag;
use crate::master::lexer::{Comment, Entries, LexErrorKind};
use crate::master::token::Token;
use crate::name::Name;
use crate::rdata::rtype;
use crate::zonefile::entry::{
    origin_directive, parse_name, parse_record_head, ttl_directive, EntryError, RecordHead,
    CLASS_IN,
};

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

/// The files that make up one key, derived from whatever the user gave:
/// the base name (`Kexample.com.+013+12345`), the `.key` or the `.private`
/// (or Knot's `.pem`) path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyPaths {
    pub base: PathBuf,
    pub key: PathBuf,
    pub private: PathBuf,
    pub pem: PathBuf,
}

impl KeyPaths {
    pub fn from_arg(arg: &Path) -> KeyPaths {
        let s = arg.as_os_str().to_string_lossy();
        let base = [".key", ".private", ".pem"]
            .iter()
            .find_map(|ext| s.strip_suffix(ext))
            .map(PathBuf::from)
            .unwrap_or_else(|| arg.to_path_buf());
        let with = |ext: &str| {
            let mut p = base.clone().into_os_string();
            p.push(ext);
            PathBuf::from(p)
        };
        KeyPaths {
            key: with(".key"),
            private: with(".private"),
            pem: with(".pem"),
            base,
        }
    }
}

/// A warning found while loading a key (the library does not print; the
/// CLI shows these on stderr).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyWarning {
    /// The private key file can be read or written by group or others.
    PrivateKeyReadableByOthers { path: PathBuf, mode: u32 },
    /// Only the public half is there (a key whose private half is kept
    /// offline): fine for what needs only the DNSKEY, not for signing.
    NoPrivateKey { private: PathBuf },
}

impl fmt::Display for KeyWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyWarning::PrivateKeyReadableByOthers { path, mode } => write!(
                f,
                "{}: private key file has mode {:04o}; it should be readable by its owner only (chmod 600)",
                path.display(),
                mode & 0o7777
            ),
            KeyWarning::NoPrivateKey { private } => write!(
                f,
                "{}: no private key file; shown from the public half (the key cannot sign from here)",
                private.display()
            ),
        }
    }
}

/// The public half as read from a `.key` file.
#[derive(Debug, Clone)]
pub struct PublicKeyFile {
    pub path: PathBuf,
    pub owner: Name,
    pub ttl: Option<u32>,
    pub dnskey: Dnskey,
    pub algorithm: Algorithm,
    pub tag: KeyTag,
    /// Timing from BIND's `; Created: ...` comment lines, if any.
    pub timing: KeyTiming,
}

// ---------------------------------------------------------------------------
// .key reading

/// Parses the text of a `.key` file (path only for messages): one DNSKEY
/// record (RFC 4034 §2.2) in zone-file syntax, read as the zone reader
/// reads a record — its lexer, its owner/TTL/class/type fields and the
/// RDATA parser — with `$TTL` and `$ORIGIN` allowed before it and names
/// relative to the root until an `$ORIGIN`. BIND's `; Created: ...`
/// comment lines give the key's timing.
pub fn parse_key_text(text: &str, path: &Path) -> Result<PublicKeyFile, KeyError> {
    // A `.key` is public, but the file given may be a `.private` (or hold
    // one): then its messages quote nothing of it.
    let withhold = crate::quote::name_may_hold_secrets(path);
    let bad = |line: u32, msg: String| KeyError::BadKeyFile {
        path: path.to_path_buf(),
        line: Some(line as usize),
        msg: if withhold {
            crate::quote::withhold_quotations(&msg)
        } else {
            msg
        },
    };
    let split = Entries::split(text.as_bytes());
    if let Some((line, what)) = split.key_material() {
        return Err(KeyError::BadKeyFile {
            path: path.to_path_buf(),
            line: Some(line as usize),
            msg: format!("this is {what}, not a public key (.key) file; nothing of it is shown"),
        });
    }
    if let Some(e) = &split.error {
        let msg = match e.kind {
            LexErrorKind::UnclosedParenthesis => "'(' without ')'",
            LexErrorKind::StrayParenthesis => "')' without '('",
            LexErrorKind::UnterminatedQuote => e.message(),
        };
        return Err(bad(e.line, msg.into()));
    }
    let mut origin = Name::root();
    let mut found: Option<(Name, Option<u32>, Dnskey, Algorithm)> = None;
    let mut last_owner: Option<Name> = None;
    let mut default_ttl: Option<u32> = None;
    for (start, mut tokens) in split.entries {
        let line = start.line;
        if withhold {
            for t in &mut tokens {
                t.withheld = true;
            }
        }
        let at_line = |e: EntryError| bad(line, e.message);
        let first = tokens[0];
        if !first.quoted && first.text.first() == Some(&b'$') {
            match first.text.to_ascii_uppercase().as_slice() {
                b"$TTL" => default_ttl = Some(ttl_directive(&tokens).map_err(at_line)?),
                b"$ORIGIN" => origin = origin_directive(&tokens, Some(&origin)).map_err(at_line)?,
                d => {
                    return Err(bad(
                        line,
                        format!(
                            "unexpected directive {} in a key file",
                            crate::quote::quote(d)
                        ),
                    ))
                }
            }
            continue;
        }
        let owner = if start.blank_owner {
            last_owner
                .clone()
                .ok_or_else(|| bad(line, "record without an owner name".into()))?
        } else {
            let name = parse_name(&first, Some(&origin)).map_err(at_line)?;
            last_owner = Some(name.clone());
            name
        };
        let head = parse_record_head(&tokens, usize::from(!start.blank_owner)).map_err(at_line)?;
        let (dnskey, algorithm) =
            dnskey_entry(&tokens, &head, &origin, withhold, &|m| bad(line, m))?;
        if found.is_some() {
            return Err(bad(
                line,
                "more than one DNSKEY record in a key file".into(),
            ));
        }
        found = Some((owner, head.ttl.or(default_ttl), dnskey, algorithm));
    }
    let (owner, ttl, dnskey, algorithm) = found.ok_or_else(|| KeyError::BadKeyFile {
        path: path.to_path_buf(),
        line: None,
        msg: "no DNSKEY record found".into(),
    })?;
    let timing = timing_from_comments(&split.comments);
    let tag = dnskey.key_tag();
    Ok(PublicKeyFile {
        path: path.to_path_buf(),
        owner,
        ttl,
        dnskey,
        algorithm,
        tag,
        timing,
    })
}

/// The DNSKEY of one key-file entry, whose head (TTL, class, type) is read:
/// class IN, type DNSKEY, the RDATA through the zone-file parser, protocol
/// 3 (RFC 4034 §2.1.2), an algorithm we sign with, and a public key of
/// that algorithm's form.
fn dnskey_entry(
    tokens: &[Token<'_>],
    head: &RecordHead,
    origin: &Name,
    withhold: bool,
    bad: &dyn Fn(String) -> KeyError,
) -> Result<(Dnskey, Algorithm), KeyError> {
    if let (Some(class), Some(k)) = (head.class, head.class_at) {
        if class != CLASS_IN {
            return Err(bad(format!(
                "class {} in a key file; only IN is used",
                tokens[k].display()
            )));
        }
    }
    if head.rtype != rtype::DNSKEY {
        return Err(bad(format!(
            "expected a DNSKEY record, found {} where the type should be",
            tokens[head.type_at].display()
        )));
    }
    let fields = &tokens[head.type_at + 1..];
    let mut rdata = Vec::new();
    if let Err(e) = crate::rdata::parse_rdata(rtype::DNSKEY, fields, origin, &mut rdata) {
        return Err(dnskey_fields_error(&e, fields, withhold, bad));
    }
    let dnskey = Dnskey::from_rdata(&rdata).map_err(|e| bad(e.to_string()))?;
    if dnskey.protocol != 3 {
        return Err(bad(format!(
            "DNSKEY protocol is {}, must be 3 (RFC 4034 §2.1.2)",
            dnskey.protocol
        )));
    }
    let algorithm = Algorithm::from_number(dnskey.algorithm).map_err(|e| {
        if withhold {
            bad(e.to_string())
        } else {
            e
        }
    })?;
    dnskey.check_public_key().map_err(|e| bad(e.to_string()))?;
    Ok((dnskey, algorithm))
}

/// BIND's `.key` timing comments (`; Created: 20261124224144 (...)`):
/// each known label with a timestamp sets that field.
fn timing_from_comments(comments: &[Comment<'_>]) -> KeyTiming {
    let mut timing = KeyTiming::default();
    for c in comments {
        let Ok(c) = std::str::from_utf8(c.text) else {
            continue;
        };
        if let Some((label, rest)) = c.trim().split_once(':') {
            if let Some(v) = rest.split_whitespace().next().and_then(parse_timestamp) {
                timing.set(label.trim(), v);
            }
        }
    }
    timing
}

/// The key file's words for a DNSKEY RDATA the RDATA parser refused: a
/// field missing is named as the key file reader always named it, and an
/// algorithm that is neither a number nor a mnemonic is the unsupported
/// algorithm it is (a usage error, as for `--alg`).
fn dnskey_fields_error(
    e: &crate::rdata::RdataError,
    fields: &[Token<'_>],
    withhold: bool,
    bad: impl Fn(String) -> KeyError,
) -> KeyError {
    /// DNSKEY RDATA fields in order (RFC 4034 §2.2); the public key last.
    const BEFORE_KEY: [&str; 3] = ["flags", "protocol", "algorithm"];
    // The RFC 3597 form has fields of its own: its messages say which.
    if fields
        .first()
        .is_some_and(|t| t.text == b"\\#" && !t.quoted)
    {
        return bad(e.message.clone());
    }
    if e.token >= fields.len() {
        return bad(match BEFORE_KEY.get(fields.len()) {
            Some(what) => format!("DNSKEY record ends before the {what}"),
            None => "DNSKEY record has no public key".into(),
        });
    }
    if e.token == BEFORE_KEY.len() - 1 {
        let given = String::from_utf8_lossy(fields[e.token].text);
        if let Err(unsupported) = given.parse::<Algorithm>() {
            return if withhold {
                bad(unsupported.to_string())
            } else {
                unsupported
            };
        }
    }
    bad(e.message.clone())
}

/// Where a key file is read from, which decides whether a symbolic link
/// is followed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyLocation {
    /// A file or key directory the user named (`-k`, `-z`, `--keys`, `ds`,
    /// `key show`): a link there is the user's own doing, and is followed.
    Given,
    /// A file of a `zonesign dnssec` state directory, which zonesign owns:
    /// never read through a link (as `state.yaml` is not), so a link
    /// planted there (as root, to `/etc/shadow`) is neither read nor
    /// quoted in the error.
    StateDir,
}

fn read_text(path: &Path, at: KeyLocation) -> Result<String, KeyError> {
    // A key file is small: /dev/zero given as one must not fill memory.
    let cap = crate::limits::MAX_KEY_FILE_BYTES;
    let read = match at {
        KeyLocation::Given => crate::limits::read_file_capped(path, cap),
        KeyLocation::StateDir => crate::limits::read_regular_no_follow(path, cap),
    };
    let bytes = read.map_err(|source| {
        let refused = if crate::limits::is_symlink_refusal(&source) {
            Some(
                "is a symbolic link; key files of a state directory are never read through a \
                 link (replace the link by the file itself)",
            )
        } else if crate::limits::is_not_regular_refusal(&source) {
            Some("is not a regular file")
        } else {
            None
        };
        match refused {
            Some(msg) => KeyError::BadKeyFile {
                path: path.to_path_buf(),
                line: None,
                msg: msg.into(),
            },
            None => KeyError::Io {
                path: path.to_path_buf(),
                source,
            },
        }
    })?;
    String::from_utf8(bytes).map_err(|_| KeyError::BadKeyFile {
        path: path.to_path_buf(),
        line: None,
        msg: "not UTF-8 text".into(),
    })
}

/// Reads the `.key` file for a key given by base name, `.key`, `.private`
/// or `.pem` path.
pub fn load_public_key(arg: &Path) -> Result<PublicKeyFile, KeyError> {
    load_public_key_at(arg, KeyLocation::Given)
}

/// [`load_public_key`] for a key read from `at`.
pub fn load_public_key_at(arg: &Path, at: KeyLocation) -> Result<PublicKeyFile, KeyError> {
    let paths = KeyPaths::from_arg(arg);
    let text = read_text(&paths.key, at)?;
    parse_key_text(&text, &paths.key)
}

// ---------------------------------------------------------------------------
// .private reading

/// RSA field names in BIND's order.
const RSA_FIELDS: [&str; 8] = [
    "Modulus",
    "PublicExponent",
    "PrivateExponent",
    "Prime1",
    "Prime2",
    "Exponent1",
    "Exponent2",
    "Coefficient",
];

/// What a `.private` file holds.
pub(crate) struct PrivateFile {
    pub algorithm: u8,
    fields: Vec<(&'static str, Secret)>,
    hsm: bool,
    pub timing: KeyTiming,
}

/// Parses a BIND/ldns `.private` file (v1.x). Never echoes values.
pub(crate) fn parse_private_text(text: &str, path: &Path) -> Result<PrivateFile, KeyError> {
    let bad = |line: Option<usize>, msg: String| KeyError::BadKeyFile {
        path: path.to_path_buf(),
        line,
        msg,
    };
    let mut version_seen = false;
    let mut algorithm: Option<u8> = None;
    let mut fields: Vec<(&'static str, usize, Secret)> = Vec::new();
    let mut timing = KeyTiming::default();
    let mut hsm = false;
    for (i, raw) in text.lines().enumerate() {
        let n = i + 1;
        let line = raw.trim();
        if line.is_empty() || line.starts_with(';') || line.starts_with('#') {
            continue;
        }
        let Some((label, value)) = line.split_once(':') else {
            return Err(bad(Some(n), "expected \"Field: value\"".into()));
        };
        let label = label.trim();
        let value = value.trim();
        if !version_seen {
            if label != "Private-key-format" {
                return Err(bad(
                    Some(n),
                    "the first line must be \"Private-key-format: v1.x\"".into(),
                ));
            }
            let v = value.strip_prefix('v').unwrap_or("");
            let major = v.split('.').next().unwrap_or("");
            if major != "1" || !v.contains('.') {
                return Err(bad(
                    Some(n),
                    "unsupported Private-key-format version (v1.2 and v1.3 are read)".into(),
                ));
            }
            version_seen = true;
            continue;
        }
        match label {
            "Private-key-format" => {
                return Err(bad(Some(n), "Private-key-format given twice".into()))
            }
            "Algorithm" => {
                let num = value.split_whitespace().next().unwrap_or("");
                let a: u8 = num.parse().map_err(|_| {
                    bad(
                        Some(n),
                        "bad Algorithm line: expected an algorithm number".into(),
                    )
                })?;
                if algorithm.replace(a).is_some() {
                    return Err(bad(Some(n), "Algorithm given twice".into()));
                }
            }
            "Created" | "Publish" | "Activate" | "Inactive" | "Delete" => {
                let t = parse_timestamp(value).ok_or_else(|| {
                    bad(
                        Some(n),
                        format!("bad {label} time: expected YYYYMMDDHHMMSS"),
                    )
                })?;
                timing.set(label, t);
            }
            "PrivateKey" | "Modulus" | "PublicExponent" | "PrivateExponent" | "Prime1"
            | "Prime2" | "Exponent1" | "Exponent2" | "Coefficient" => {
                let label: &'static str = RSA_FIELDS
                    .iter()
                    .copied()
                    .find(|f| *f == label)
                    .unwrap_or("PrivateKey");
                if fields.iter().any(|(l, _, _)| *l == label) {
                    return Err(bad(Some(n), format!("{label} given twice")));
                }
                let compact: String = value.split_whitespace().collect();
                let bytes = B64
                    .decode(compact.as_bytes())
                    .map_err(|_| bad(Some(n), format!("{label}: not valid base64")))?;
                if bytes.is_empty() {
                    return Err(bad(Some(n), format!("{label} is empty")));
                }
                fields.push((label, n, Zeroizing::new(bytes)));
            }
            "Engine" | "Label" => hsm = true,
            _ => {} // SyncPublish, Revoke, DSPublish, ...: not ours to use.
        }
    }
    if !version_seen {
        return Err(bad(None, "empty file (no Private-key-format line)".into()));
    }
    let algorithm = algorithm.ok_or_else(|| bad(None, "no Algorithm line".into()))?;
    let fields = fields.into_iter().map(|(l, _, v)| (l, v)).collect();
    Ok(PrivateFile {
        algorithm,
        fields,
        hsm,
        timing,
    })
}

impl PrivateFile {
    /// The key material for the file's algorithm (call after checking the
    /// algorithm against the `.key`).
    pub(crate) fn key(&self, path: &Path) -> Result<PrivateKey, KeyError> {
        let bad = |msg: String| KeyError::BadKeyFile {
            path: path.to_path_buf(),
            line: None,
            msg,
        };
        let take = |label: &str| -> Result<Secret, KeyError> {
            match self.fields.iter().find(|(l, _)| *l == label) {
                Some((_, v)) => Ok(v.clone()),
                None if self.hsm => Err(bad("keys held in an HSM/engine are not supported".into())),
                None => Err(bad(format!("missing {label} field (file truncated?)"))),
            }
        };
        let alg = Algorithm::from_number(self.algorithm)?;
        Ok(match alg {
            Algorithm::RsaSha256 | Algorithm::RsaSha512 => PrivateKey::Rsa(RsaPrivate {
                modulus: take("Modulus")?.to_vec(),
                public_exponent: take("PublicExponent")?.to_vec(),
                private_exponent: take("PrivateExponent")?,
                prime1: take("Prime1")?,
                prime2: take("Prime2")?,
                exponent1: take("Exponent1")?,
                exponent2: take("Exponent2")?,
                coefficient: take("Coefficient")?,
            }),
            Algorithm::Ed25519 => PrivateKey::Ed25519(take("PrivateKey")?),
            Algorithm::EcdsaP256Sha256 | Algorithm::EcdsaP384Sha384 => {
                PrivateKey::Ecdsa(take("PrivateKey")?)
            }
        })
    }
}

/// Decodes a PEM `PRIVATE KEY` block.
fn pem_private_key(text: &str, path: &Path) -> Result<Secret, KeyError> {
    let bad = |msg: &str| KeyError::BadKeyFile {
        path: path.to_path_buf(),
        line: None,
        msg: msg.to_string(),
    };
    let start = text
        .find("-----BEGIN PRIVATE KEY-----")
        .ok_or_else(|| bad("no \"BEGIN PRIVATE KEY\" block"))?;
    let body = &text[start + "-----BEGIN PRIVATE KEY-----".len()..];
    let end = body
        .find("-----END PRIVATE KEY-----")
        .ok_or_else(|| bad("no \"END PRIVATE KEY\" line (file truncated?)"))?;
    let compact: Zeroizing<String> = Zeroizing::new(body[..end].split_whitespace().collect());
    B64.decode(compact.as_bytes())
        .map(Zeroizing::new)
        .map_err(|_| bad("PEM body is not valid base64"))
}

#[cfg(unix)]
fn permission_warning(path: &Path, warnings: &mut Vec<KeyWarning>) {
    use std::os::unix::fs::PermissionsExt;
    if let Ok(meta) = fs::metadata(path) {
        let mode = meta.permissions().mode();
        if mode & 0o077 != 0 {
            warnings.push(KeyWarning::PrivateKeyReadableByOthers {
                path: path.to_path_buf(),
                mode,
            });
        }
    }
}

#[cfg(not(unix))]
fn permission_warning(_path: &Path, _warnings: &mut Vec<KeyWarning>) {}

/// Loads a key pair (`.key` + `.private`, or `.key` + Knot `.pem`) and
/// checks that the halves belong together. Warnings (e.g. a private file
/// readable by others) are returned for the caller to show.
pub fn load_key_pair_with_warnings(arg: &Path) -> Result<(SigningKey, Vec<KeyWarning>), KeyError> {
    load_key_pair_at(arg, KeyLocation::Given)
}

/// [`load_key_pair_with_warnings`] for a key read from `at`.
pub fn load_key_pair_at(
    arg: &Path,
    at: KeyLocation,
) -> Result<(SigningKey, Vec<KeyWarning>), KeyError> {
    let paths = KeyPaths::from_arg(arg);
    let public = load_public_key_at(arg, at)?;
    let mut warnings = Vec::new();
    // symlink_metadata: a link in place of the .private still counts as
    // "there" (and is then refused in a state directory), never as absent.
    let present = |p: &Path| fs::symlink_metadata(p).is_ok();
    let use_pem = !present(&paths.private) && present(&paths.pem);
    let private_path = if use_pem { &paths.pem } else { &paths.private };
    let text = Zeroizing::new(read_text(private_path, at)?);
    permission_warning(private_path, &mut warnings);
    let key = pair_from_texts(public, &text, private_path, use_pem)?;
    Ok((key, warnings))
}

/// Builds a key pair from the text of a `.key` file and of its `.private`
/// file (BIND v1.3 or ldns v1.2), checking that the halves match. For
/// tests and for callers that hold key files in memory.
pub fn key_pair_from_text(key_text: &str, private_text: &str) -> Result<SigningKey, KeyError> {
    let public = parse_key_text(key_text, Path::new("<key>"))?;
    pair_from_texts(public, private_text, Path::new("<private>"), false)
}

/// [`key_pair_from_text`] for a `.key` file and a Knot PKCS#8 `.pem`
/// private key (RFC 5958) held in memory.
pub fn key_pair_from_pem_text(key_text: &str, pem_text: &str) -> Result<SigningKey, KeyError> {
    let public = parse_key_text(key_text, Path::new("<key>"))?;
    pair_from_texts(public, pem_text, Path::new("<pem>"), true)
}

fn pair_from_texts(
    public: PublicKeyFile,
    text: &str,
    private_path: &Path,
    pem: bool,
) -> Result<SigningKey, KeyError> {
    let mismatch = |private_desc: String, detail: String| KeyError::Mismatch {
        key_path: public.path.clone(),
        key_tag: public.tag,
        private_path: private_path.to_path_buf(),
        private_desc,
        detail,
    };
    let (private, timing) = if pem {
        let der = pem_private_key(text, private_path)?;
        let key =
            private_key_from_pkcs8(&der, public.algorithm).map_err(|msg| KeyError::BadKeyFile {
                path: private_path.to_path_buf(),
                line: None,
                msg,
            })?;
        (key, public.timing)
    } else {
        let file = parse_private_text(text, private_path)?;
        if file.algorithm != public.algorithm.number() {
            return Err(mismatch(
                format!("Algorithm {}", file.algorithm),
                format!(
                    "the private key is of algorithm {}, the DNSKEY of algorithm {} ({})",
                    file.algorithm,
                    public.algorithm.number(),
                    public.algorithm
                ),
            ));
        }
        let key = file.key(private_path)?;
        let timing = if file.timing.is_empty() {
            public.timing
        } else {
            file.timing
        };
        (key, timing)
    };
    SigningKey::from_parts(public.owner.clone(), public.dnskey.clone(), private, timing).map_err(
        |e| match e {
            PairError::Mismatch {
                private_tag,
                detail,
            } => mismatch(describe_private_tag(private_tag), detail),
            PairError::Bad(KeyError::BadKey(msg)) => KeyError::BadKeyFile {
                path: private_path.to_path_buf(),
                line: None,
                msg,
            },
            PairError::Bad(e) => e,
        },
    )
}

/// Loads a key pair, dropping warnings. See [`load_key_pair_with_warnings`].
pub fn load_key_pair(arg: &Path) -> Result<SigningKey, KeyError> {
    load_key_pair_with_warnings(arg).map(|(k, _)| k)
}

// ---------------------------------------------------------------------------
// writing

/// Base64 in BIND's `.key` layout: groups of 56 characters separated by spaces.
fn split_b64(data: &[u8]) -> String {
    let s = B64.encode(data);
    let chunks: Vec<&str> = s
        .as_bytes()
        .chunks(56)
        .map(|c| std::str::from_utf8(c).unwrap_or(""))
        .collect();
    chunks.join(" ")
}

/// The text of the `.key` file, as dnssec-keygen writes it.
pub fn key_file_text(key: &SigningKey) -> String {
    let role = if key.is_ksk() {
        "key-signing"
    } else {
        "zone-signing"
    };
    let mut s = format!(
        "; This is a {role} key, keyid {}, for {}\n",
        key.key_tag(),
        key.owner()
    );
    for (label, value) in key.timing().fields() {
        if let Some(t) = value {
            if let (Some(ts), Some(ct)) = (format_timestamp(t), format_ctime(t)) {
                s.push_str(&format!("; {label}: {ts} ({ct})\n"));
            }
        }
    }
    let d = key.dnskey();
    s.push_str(&format!(
        "{} IN DNSKEY {} {} {} {}\n",
        key.owner(),
        d.flags,
        d.protocol,
        d.algorithm,
        split_b64(&d.public_key)
    ));
    s
}

/// The text of the `.private` file (`Private-key-format: v1.3`).
pub fn private_file_text(key: &SigningKey) -> Zeroizing<String> {
    let alg = key.algorithm();
    let mut s = Zeroizing::new(format!(
        "Private-key-format: v1.3\nAlgorithm: {} ({})\n",
        alg.number(),
        alg.mnemonic()
    ));
    match key.private_key() {
        PrivateKey::Rsa(r) => {
            let values: [&[u8]; 8] = [
                &r.modulus,
                &r.public_exponent,
                &r.private_exponent,
                &r.prime1,
                &r.prime2,
                &r.exponent1,
                &r.exponent2,
                &r.coefficient,
            ];
            for (label, v) in RSA_FIELDS.iter().zip(values) {
                let enc = Zeroizing::new(B64.encode(v));
                s.push_str(label);
                s.push_str(": ");
                s.push_str(&enc);
                s.push('\n');
            }
        }
        PrivateKey::Ecdsa(v) | PrivateKey::Ed25519(v) => {
            let enc = Zeroizing::new(B64.encode(v.as_slice()));
            s.push_str("PrivateKey: ");
            s.push_str(&enc);
            s.push('\n');
        }
    }
    for (label, value) in key.timing().fields() {
        if let Some(ts) = value.and_then(format_timestamp) {
            s.push_str(&format!("{label}: {ts}\n"));
        }
    }
    s
}

fn write_error(e: crate::fsio::WriteError) -> KeyError {
    use crate::fsio::WriteError as W;
    match e {
        W::Exists { path } => KeyError::Exists {
            path: PathBuf::from(path),
        },
        W::Io { path, source } => KeyError::Io {
            path: PathBuf::from(path),
            source,
        },
        other => KeyError::Other(other.to_string()),
    }
}

/// Writes the files of `keys` into `dir` as one transaction and returns
/// their base paths: `K<zone>+<alg>+<tag>.private` (0600 from creation)
/// and `.key` (0666 less the umask), never overwriting either. Every file
/// is complete before any is visible; then the `.private` files appear
/// and the `.key` files last, so a key is usable (its `.key` is what a key
/// directory lists) only once both halves are there. A kill between two
/// of those links can leave a lone `.private`, which `load_dir` refuses.
pub fn write_keys(dir: &Path, keys: &[&SigningKey]) -> Result<Vec<PathBuf>, KeyError> {
    use crate::fsio::{FileMode, OnExisting, OutputTransaction};
    let mut txn = OutputTransaction::new();
    let bases: Vec<PathBuf> = keys.iter().map(|k| dir.join(k.base_name())).collect();
    for (key, base) in keys.iter().zip(&bases) {
        let paths = KeyPaths::from_arg(base);
        if paths.key.exists() {
            return Err(KeyError::Exists { path: paths.key });
        }
        let text = Zeroizing::new(private_file_text(key));
        txn.stage_with(&paths.private, FileMode::Private, OnExisting::Refuse, |w| {
            w.write_all(text.as_bytes())
        })
        .map_err(write_error)?;
    }
    for (key, base) in keys.iter().zip(&bases) {
        let paths = KeyPaths::from_arg(base);
        txn.stage_with(&paths.key, FileMode::Published, OnExisting::Refuse, |w| {
            w.write_all(key_file_text(key).as_bytes())
        })
        .map_err(write_error)?;
    }
    txn.commit().map_err(write_error)?;
    Ok(bases)
}

/// Writes `K<zone>+<alg>+<tag>.private` (mode 0600, created so) and `.key`
/// in `dir` (see [`write_keys`]); refuses to overwrite. Returns the base
/// path (no extension).
pub fn write_key_files(dir: &Path, key: &SigningKey) -> Result<PathBuf, KeyError> {
    let mut v = write_keys(dir, &[key])?;
    Ok(v.remove(0))
}

/// Generates a key pair and writes it into `dir`, generating again when the
/// file names are already taken (a key tag collision), as dnssec-keygen does.
pub fn generate_into_dir(
    dir: &Path,
    zone: &Name,
    algorithm: Algorithm,
    ksk: bool,
    bits: Option<u32>,
    timing: KeyTiming,
) -> Result<(SigningKey, PathBuf), KeyError> {
    let mut v = generate_keys_into_dir(dir, zone, algorithm, &[(ksk, bits)], timing)?;
    Ok(v.remove(0))
}

/// Generates one key per `(ksk, bits)` and writes all of them as one
/// transaction ([`write_keys`]): a kill leaves either all the keys or
/// none usable. Tags that collide with a file in `dir` or with each other
/// are drawn again.
pub fn generate_keys_into_dir(
    dir: &Path,
    zone: &Name,
    algorithm: Algorithm,
    specs: &[(bool, Option<u32>)],
    timing: KeyTiming,
) -> Result<Vec<(SigningKey, PathBuf)>, KeyError> {
    if !dir.is_dir() {
        return Err(KeyError::Other(format!(
            "{}: the key directory is not a directory",
            dir.display()
        )));
    }
    let mut keys: Vec<SigningKey> = Vec::with_capacity(specs.len());
    for &(ksk, bits) in specs {
        let mut found = None;
        let mut last = None;
        for _ in 0..16 {
            let mut key = generate(zone, algorithm, ksk, bits)?;
            key.set_timing(timing);
            let paths = KeyPaths::from_arg(&dir.join(key.base_name()));
            let dup = keys.iter().any(|k| k.base_name() == key.base_name());
            if dup || paths.key.exists() || paths.private.exists() {
                last = Some(paths.key);
                continue;
            }
            found = Some(key);
            break;
        }
        match found {
            Some(k) => keys.push(k),
            None => {
                return Err(KeyError::Exists {
                    path: last.unwrap_or_else(|| dir.to_path_buf()),
                })
            }
        }
    }
    let refs: Vec<&SigningKey> = keys.iter().collect();
    let bases = write_keys(dir, &refs)?;
    Ok(keys.into_iter().zip(bases).collect())
}

/// The base name for a key given by owner, algorithm number and tag.
pub fn key_base_name(owner: &Name, algorithm: u8, tag: KeyTag) -> String {
    base_name(owner, algorithm, tag)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p() -> PathBuf {
        PathBuf::from("Ktest.key")
    }

    #[test]
    fn key_lines_in_several_forms() {
        let key = "oo3lTt9AnjE8UCrNm66oQzGGNYKIIWZA65QUfGI3GYFhWB1z3TPOfcAq e2/TdlPpYZgPUxo5rECZdXJF96g6Fw==";
        for text in [
            format!("example.com. IN DNSKEY 257 3 13 {key}\n"),
            format!("example.com. 3600 IN DNSKEY 257 3 13 {key}"),
            format!("example.com. IN 1h DNSKEY 257 3 ECDSAP256SHA256 {key} ; trailing\n"),
            format!("; header\n; Created: 20261124224144 (Tue)\nexample.com.\tIN\tDNSKEY\t257 3 13 (\n  {key}\n ) ; id\n"),
            format!("$TTL 300\n$ORIGIN com.\nexample DNSKEY ( 257 3 13\n{} {} )\n", &key[..20], &key[20..]),
        ] {
            let k = parse_key_text(&text, &p()).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(k.tag, KeyTag(34808), "{text}");
            assert_eq!(k.owner.to_string(), "example.com.");
            assert!(k.dnskey.is_ksk());
        }
        let k = parse_key_text(
            &format!("; Created: 20261124224144 (x)\nexample.com. 3600 IN DNSKEY 257 3 13 {key}"),
            &p(),
        )
        .unwrap();
        assert_eq!(k.ttl, Some(3600));
        assert_eq!(k.timing.created, parse_timestamp("20261124224144"));
    }

    #[test]
    fn bad_key_lines() {
        let key = "oo3lTt9AnjE8UCrNm66oQzGGNYKIIWZA65QUfGI3GYFhWB1z3TPOfcAq e2/TdlPpYZgPUxo5rECZdXJF96g6Fw==";
        for (text, want) in [
            ("".to_string(), "no DNSKEY"),
            (format!("example.com. IN DS 257 3 13 {key}"), "type"),
            (
                format!("example.com. IN DNSKEY 257 3 13 ( {key}"),
                "without",
            ),
            (
                "example.com. IN DNSKEY 257 3 13".to_string(),
                "no public key",
            ),
            ("example.com. IN DNSKEY 257 3 13 AAAA".to_string(), "octets"),
            (format!("example.com. IN DNSKEY 257 2 13 {key}"), "protocol"),
            (format!("example.com. IN DNSKEY 257 3 13 {key}!"), "base64"),
            (format!("example.com. CH DNSKEY 257 3 13 {key}"), "class"),
            (
                format!("a. DNSKEY 257 3 13 {key}\nb. DNSKEY 257 3 13 {key}"),
                "more than one",
            ),
        ] {
            let e = parse_key_text(&text, &p()).unwrap_err();
            assert!(e.to_string().contains(want), "{text}: {e}");
        }
        let e = parse_key_text(&format!("example.com. IN DNSKEY 257 3 5 {key}"), &p()).unwrap_err();
        assert!(matches!(e, KeyError::UnsupportedAlgorithm { .. }), "{e}");
    }

    #[test]
    fn paths_from_any_form() {
        for arg in [
            "d/Kx.+013+00001",
            "d/Kx.+013+00001.key",
            "d/Kx.+013+00001.private",
        ] {
            let p = KeyPaths::from_arg(Path::new(arg));
            assert_eq!(p.key, PathBuf::from("d/Kx.+013+00001.key"));
            assert_eq!(p.private, PathBuf::from("d/Kx.+013+00001.private"));
        }
    }

    const GOOD_KEY: &str = "; This is a key-signing key, keyid 34808, for example.com.\n; Created: 20261124224144 (Tue Nov 24 22:41:44 2026)\nexample.com. IN DNSKEY 257 3 13 oo3lTt9AnjE8UCrNm66oQzGGNYKIIWZA65QUfGI3GYFhWB1z3TPOfcAq e2/TdlPpYZgPUxo5rECZdXJF96g6Fw==\n";
    const GOOD_PRIVATE: &str = "Private-key-format: v1.3\nAlgorithm: 13 (ECDSAP256SHA256)\nPrivateKey: 2qMfw38ci8CwZY/3RB4OIVlLxjcla/GCLkB0BtFMDxI=\nCreated: 20261124224144\nPublish: 20261124224144\nActivate: 20261124224144\n";

    #[test]
    fn good_pair_from_text() {
        let k = key_pair_from_text(GOOD_KEY, GOOD_PRIVATE).unwrap();
        assert_eq!(k.key_tag(), KeyTag(34808));
        assert_eq!(k.timing().created, parse_timestamp("20261124224144"));
        // Written back, the files read again to the same key.
        let again = key_pair_from_text(&key_file_text(&k), &private_file_text(&k)).unwrap();
        assert_eq!(again.dnskey(), k.dnskey());
        assert_eq!(again.timing(), k.timing());
        assert_eq!(private_file_text(&again).as_str(), GOOD_PRIVATE);
    }

    proptest::proptest! {
        #[test]
        fn key_parser_never_panics(s in "\\PC{0,300}") {
            let _ = parse_key_text(&s, &p());
        }

        #[test]
        fn key_parser_never_panics_on_zone_like_text(
            s in "[a-zA-Z0-9+/=;() \n\t.:$@\\\\\"]{0,300}"
        ) {
            let _ = parse_key_text(&s, &p());
            let _ = parse_private_text(&s, &p());
        }

        #[test]
        fn private_parser_never_panics(s in "\\PC{0,300}") {
            if let Ok(f) = parse_private_text(&s, &p()) {
                let _ = f.key(&p());
            }
        }

        #[test]
        fn mutated_files_never_panic(pos in 0usize..400, byte in 0u8..128, which in 0u8..2) {
            let mut key = GOOD_KEY.as_bytes().to_vec();
            let mut private = GOOD_PRIVATE.as_bytes().to_vec();
            let target = if which == 0 { &mut key } else { &mut private };
            let i = pos % target.len();
            target[i] = byte;
            let (Ok(k), Ok(pv)) = (String::from_utf8(key), String::from_utf8(private)) else {
                return Ok(());
            };
            if let Err(e) = key_pair_from_text(&k, &pv) {
                // Never the private value in a message.
                proptest::prop_assert!(!e.to_string().contains("2qMfw38ci8CwZY"));
            }
        }
    }
}
