//! What `zonesign key show` reports about a key: public facts only (tag,
//! algorithm, flags, role, size, timing, DNSKEY, DS). If the private half is
//! there it is loaded to check that it matches, but nothing of it is kept
//! in the report. It sits above `keys` and `ds` (which already uses `keys`)
//! because it reports both.

use std::path::Path;

use serde::Serialize;

use crate::ds::{DigestType, Ds};
use crate::keys::keyfile::{load_key_pair_with_warnings, load_public_key, KeyPaths, KeyWarning};
use crate::keys::timing::{format_timestamp, KeyTiming};
use crate::keys::KeyError;

/// One timing field.
#[derive(Debug, Clone, Serialize)]
pub struct TimingField {
    pub name: &'static str,
    /// `YYYYMMDDHHMMSS` (UTC), or `None` when unset.
    pub value: Option<String>,
    pub unix: Option<i64>,
}

/// One DS record for the key.
#[derive(Debug, Clone, Serialize)]
pub struct DsInfo {
    pub digest_type: u8,
    pub digest_name: &'static str,
    /// Upper-case hex.
    pub digest: String,
    /// The record as dnssec-dsfromkey prints it.
    pub record: String,
}

/// The report of `key show`.
#[derive(Debug, Clone, Serialize)]
pub struct KeyInfo {
    pub base_name: String,
    pub key_file: String,
    /// The private key file, when present (and checked to match).
    pub private_file: Option<String>,
    pub zone: String,
    pub key_tag: u16,
    pub algorithm: u8,
    pub algorithm_mnemonic: &'static str,
    pub flags: u16,
    /// `KSK` (SEP bit set), `ZSK` (zone key without SEP) or `not a zone key`.
    pub role: &'static str,
    pub revoked: bool,
    pub bits: Option<u32>,
    pub ttl: Option<u32>,
    pub timing: Vec<TimingField>,
    /// DNSKEY RDATA in presentation form (`257 3 13 base64`).
    pub dnskey: String,
    pub ds: Vec<DsInfo>,
}

fn timing_fields(t: &KeyTiming) -> Vec<TimingField> {
    t.fields()
        .iter()
        .map(|(name, v)| TimingField {
            name,
            value: v.and_then(format_timestamp),
            unix: *v,
        })
        .collect()
}

/// Describes the key given by base name, `.key` or `.private` path. When a
/// `.private` (or Knot `.pem`) file exists it must match the `.key`.
pub fn describe_key(arg: &Path) -> Result<(KeyInfo, Vec<KeyWarning>), KeyError> {
    let paths = KeyPaths::from_arg(arg);
    let public = load_public_key(arg)?;
    let (private_file, timing, warnings) = if paths.private.exists() || paths.pem.exists() {
        let (key, warnings) = load_key_pair_with_warnings(arg)?;
        let file = if paths.private.exists() {
            &paths.private
        } else {
            &paths.pem
        };
        (Some(file.display().to_string()), *key.timing(), warnings)
    } else {
        let w = KeyWarning::NoPrivateKey {
            private: paths.private.clone(),
        };
        (None, public.timing, vec![w])
    };
    let rdata = public.dnskey.to_rdata();
    let ds = [DigestType::Sha256, DigestType::Sha384]
        .into_iter()
        .map(|dt| {
            let d = Ds::from_dnskey(&public.owner, &rdata, dt);
            DsInfo {
                digest_type: dt.number(),
                digest_name: dt.mnemonic(),
                digest: data_encoding::HEXUPPER.encode(&d.digest),
                record: d.to_text(&public.owner),
            }
        })
        .collect();
    let role = if !public.dnskey.is_zone_key() {
        "not a zone key"
    } else if public.dnskey.is_ksk() {
        "KSK"
    } else {
        "ZSK"
    };
    let info = KeyInfo {
        base_name: paths
            .base
            .file_name()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default(),
        key_file: paths.key.display().to_string(),
        private_file,
        zone: public.owner.to_string(),
        key_tag: public.tag.0,
        algorithm: public.algorithm.number(),
        algorithm_mnemonic: public.algorithm.mnemonic(),
        flags: public.dnskey.flags,
        role,
        revoked: public.dnskey.is_revoked(),
        bits: public.dnskey.key_bits(),
        ttl: public.ttl,
        timing: timing_fields(&timing),
        dnskey: public.dnskey.rdata_text(),
        ds,
    };
    Ok((info, warnings))
}
