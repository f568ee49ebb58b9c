//! Choosing the keys for a signing run: from a key directory (honouring
//! BIND's Publish/Activate/Inactive/Delete timing at `now`), from explicit
//! files, or freshly generated.

use std::path::{Path, PathBuf};

use crate::keys::{self, Algorithm, KeyError, KeyTiming, KeyWarning, SigningKey};
use crate::name::Name;

/// What of a key a run has: both halves, or only the public one (a key
/// whose `.private` is kept offline, which may be published but not sign).
#[derive(Debug)]
pub enum KeyMaterial {
    // Boxed: a key pair is several hundred bytes, its public half a few.
    Pair(Box<SigningKey>),
    PublicOnly(keys::PublicKeyFile),
}

impl KeyMaterial {
    pub fn owner(&self) -> &Name {
        match self {
            KeyMaterial::Pair(k) => k.owner(),
            KeyMaterial::PublicOnly(p) => &p.owner,
        }
    }

    pub fn dnskey(&self) -> &keys::Dnskey {
        match self {
            KeyMaterial::Pair(k) => k.dnskey(),
            KeyMaterial::PublicOnly(p) => &p.dnskey,
        }
    }

    pub fn key_tag(&self) -> keys::KeyTag {
        match self {
            KeyMaterial::Pair(k) => k.key_tag(),
            KeyMaterial::PublicOnly(p) => p.tag,
        }
    }

    pub fn algorithm(&self) -> Algorithm {
        match self {
            KeyMaterial::Pair(k) => k.algorithm(),
            KeyMaterial::PublicOnly(p) => p.algorithm,
        }
    }

    /// The SEP flag (RFC 4034 §2.1.1): what makes a KSK.
    pub fn is_ksk(&self) -> bool {
        self.dnskey().is_ksk()
    }

    pub fn timing(&self) -> &KeyTiming {
        match self {
            KeyMaterial::Pair(k) => k.timing(),
            KeyMaterial::PublicOnly(p) => &p.timing,
        }
    }

    /// The key pair, when the private half is here.
    pub fn pair(&self) -> Option<&SigningKey> {
        match self {
            KeyMaterial::Pair(k) => Some(k),
            KeyMaterial::PublicOnly(_) => None,
        }
    }
}

/// A key and its role in this run.
#[derive(Debug)]
pub struct RunKey {
    pub key: KeyMaterial,
    /// In the DNSKEY RRset.
    pub publish: bool,
    /// Makes signatures.
    pub sign: bool,
    /// Where it came from (for messages and the report).
    pub path: PathBuf,
}

/// BIND's rule (dnssec-signzone -S): a key with no timing at all is
/// published and active; otherwise published from Publish (or Activate)
/// until Delete, and active from Activate until Inactive.
pub fn state_at(t: &KeyTiming, now: i64) -> (bool, bool) {
    if t.is_empty() {
        return (true, true);
    }
    let deleted = t.delete.is_some_and(|d| d <= now);
    let publish_from = t.publish.or(t.activate);
    let published = !deleted && publish_from.is_some_and(|p| p <= now);
    let active =
        published && t.activate.is_some_and(|a| a <= now) && t.inactive.is_none_or(|i| i > now);
    (published, active)
}

/// Loads the keys of `zone` from `dir`, with their roles at `now`.
/// Warnings (e.g. world-readable private files) go to `warnings`.
pub fn load_dir(
    dir: &Path,
    zone: &Name,
    now: i64,
    warnings: &mut Vec<String>,
) -> Result<Vec<RunKey>, KeyError> {
    let prefix = format!("K{}+", zone.to_lowercase());
    let entries = std::fs::read_dir(dir).map_err(|source| KeyError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| {
            p.file_name().map(|n| n.to_string_lossy()).is_some_and(|n| {
                n.to_ascii_lowercase()
                    .starts_with(&prefix.to_ascii_lowercase())
            })
        })
        .collect();
    files.sort();
    if let Some(w) = crate::fsio::writable_by_others_warning(dir) {
        warnings.push(w);
    }
    let lone_public = check_lone_halves(&files)?;
    let paths: Vec<PathBuf> = files
        .into_iter()
        .filter(|p| p.to_string_lossy().ends_with(".key"))
        .collect();
    let mut out = Vec::new();
    for p in paths {
        if lone_public.contains(&p) {
            if let Some(k) = public_only(&p, zone, now, warnings)? {
                out.push(k);
            }
            continue;
        }
        let key = load_checked(&p, zone, warnings)?;
        let (publish, sign) = state_at(key.timing(), now);
        out.push(RunKey {
            key: KeyMaterial::Pair(Box::new(key)),
            publish,
            sign,
            path: p,
        });
    }
    Ok(out)
}

/// A `.key` whose private half is not in the key directory (kept offline,
/// as KSKs often are). Publishing a key needs only its DNSKEY, so a key
/// that at `now` is published but does not sign (pre-published for a
/// rollover, or inactive and not yet deleted: RFC 6781 §4.1) is used from
/// its public half, with a warning. A key that signs at `now` needs its
/// private half: without it its RRsets would go unsigned by it (RFC 4035
/// §2.2 wants a signature per algorithm of the DNSKEY RRset; for a KSK, the
/// DNSKEY RRset's own), so that is a key problem (exit 5) naming the file.
fn public_only(
    p: &Path,
    zone: &Name,
    now: i64,
    warnings: &mut Vec<String>,
) -> Result<Option<RunKey>, KeyError> {
    let paths = keys::KeyPaths::from_arg(p);
    let public = keys::load_public_key(p)?;
    if !public.owner.eq_ignore_case(zone) {
        return Err(KeyError::Other(format!(
            "{}: key {} is for zone {}, not {}",
            p.display(),
            public.tag,
            public.owner,
            zone
        )));
    }
    let role = if public.dnskey.is_ksk() { "KSK" } else { "ZSK" };
    let (publish, sign) = state_at(&public.timing, now);
    if sign {
        return Err(KeyError::Other(format!(
            "{}: lone public key: {} is missing, and {role} {} is active at --now, so it must sign; \
             sign where the private key is, restore it to the key directory, or set the key's \
             Inactive time (a key kept offline can be published here, not sign)",
            p.display(),
            paths.private.display(),
            public.tag
        )));
    }
    warnings.push(format!(
        "{}: no private key ({} is missing): {role} {} is {} at --now and does not sign, so its public half is enough",
        p.display(),
        paths.private.display(),
        public.tag,
        if publish { "published" } else { "neither published nor active" }
    ));
    if !publish {
        return Ok(None);
    }
    Ok(Some(RunKey {
        key: KeyMaterial::PublicOnly(public),
        publish,
        sign: false,
        path: p.to_path_buf(),
    }))
}

/// A lone private half in a key directory changes which keys sign without
/// a word (a run killed while writing keys can leave a `.private` alone;
/// the `.key` is what a directory is listed by), so it is a key problem
/// (exit 5), named with what to do. Lone public halves are returned: a key
/// whose private half is kept offline is legitimate, and whether it is
/// usable depends on what it must do at `now` ([`public_only`]).
fn check_lone_halves(files: &[PathBuf]) -> Result<Vec<PathBuf>, KeyError> {
    let present: std::collections::HashSet<&Path> = files.iter().map(PathBuf::as_path).collect();
    let has = |p: &Path| present.contains(p);
    let mut lone_public = Vec::new();
    for f in files {
        let s = f.to_string_lossy();
        let paths = keys::KeyPaths::from_arg(f);
        if s.ends_with(".private") || s.ends_with(".pem") {
            if !has(&paths.key) {
                return Err(KeyError::Other(format!(
                    "{}: lone private key: {} is missing, so this key cannot be used and signing without it would change the zone's key set; restore the .key file, or move the private file out of the key directory if the key is no longer wanted (an interrupted key generation can leave this)",
                    f.display(),
                    paths.key.display()
                )));
            }
        } else if s.ends_with(".key") && !has(&paths.private) && !has(&paths.pem) {
            lone_public.push(f.clone());
        }
    }
    Ok(lone_public)
}

/// Loads explicit key files; all are published and sign. A file given as
/// a KSK must hold a key with the SEP flag and vice versa (the flag is what
/// validators and the parent see).
pub fn load_files(
    ksk: &[PathBuf],
    zsk: &[PathBuf],
    zone: &Name,
    warnings: &mut Vec<String>,
) -> Result<Vec<RunKey>, KeyError> {
    let mut out = Vec::new();
    for (paths, want_ksk) in [(ksk, true), (zsk, false)] {
        for p in paths {
            let key = load_checked(p, zone, warnings)?;
            if key.is_ksk() != want_ksk {
                return Err(KeyError::InvalidArgument(format!(
                    "{}: key {} has flags {} but was given as a {}",
                    p.display(),
                    key.key_tag(),
                    key.flags(),
                    if want_ksk { "KSK (-k)" } else { "ZSK (-z)" }
                )));
            }
            out.push(RunKey {
                key: KeyMaterial::Pair(Box::new(key)),
                publish: true,
                sign: true,
                path: p.clone(),
            });
        }
    }
    Ok(out)
}

fn load_checked(p: &Path, zone: &Name, warnings: &mut Vec<String>) -> Result<SigningKey, KeyError> {
    let (key, w) = keys::load_key_pair_with_warnings(p)?;
    warnings.extend(w.iter().map(|w: &KeyWarning| w.to_string()));
    if !key.owner().eq_ignore_case(zone) {
        return Err(KeyError::Other(format!(
            "{}: key {} is for zone {}, not {}",
            p.display(),
            key.key_tag(),
            key.owner(),
            zone
        )));
    }
    Ok(key)
}

/// Makes a KSK and a ZSK for `zone` in `dir` (created 0700 if missing),
/// active from `now`, RSA ones of the given sizes. Both keys are written as one transaction: a kill
/// never leaves a usable KSK without its ZSK (a lone `.private` at worst,
/// which [`load_dir`] refuses).
pub fn generate(
    dir: &Path,
    zone: &Name,
    alg: Algorithm,
    [ksk_bits, zsk_bits]: [Option<u32>; 2],
    now: i64,
) -> Result<Vec<RunKey>, KeyError> {
    crate::fsio::create_private_dir(dir).map_err(|source| KeyError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let made = keys::generate_keys_into_dir(
        dir,
        zone,
        alg,
        &[(true, ksk_bits), (false, zsk_bits)],
        KeyTiming::created_now(now),
    )?;
    Ok(made
        .into_iter()
        .map(|(key, base)| RunKey {
            key: KeyMaterial::Pair(Box::new(key)),
            publish: true,
            sign: true,
            // Not with_extension: the base name is full of dots.
            path: PathBuf::from(format!("{}.key", base.display())),
        })
        .collect())
}

/// Explains why no key signs, for the error message.
pub fn describe_unusable(keys: &[RunKey], now: i64) -> String {
    if keys.is_empty() {
        return "no key files found".into();
    }
    keys.iter()
        .map(|k| {
            let t = k.key.timing();
            let why = if t.inactive.is_some_and(|i| i <= now) {
                "inactive (expired)"
            } else if t.delete.is_some_and(|d| d <= now) {
                "deleted"
            } else if !k.publish {
                "not yet published"
            } else {
                "not yet active"
            };
            format!("{} ({}): {why}", k.key.key_tag(), k.path.display())
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timing_rules() {
        let none = KeyTiming::default();
        assert_eq!(state_at(&none, 0), (true, true));
        let t = KeyTiming {
            created: Some(0),
            publish: Some(10),
            activate: Some(20),
            inactive: Some(30),
            delete: Some(40),
        };
        assert_eq!(state_at(&t, 5), (false, false));
        assert_eq!(state_at(&t, 10), (true, false));
        assert_eq!(state_at(&t, 25), (true, true));
        assert_eq!(state_at(&t, 35), (true, false));
        assert_eq!(state_at(&t, 45), (false, false));
    }
}
