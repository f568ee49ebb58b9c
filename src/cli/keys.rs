//! Command-line arguments and dispatch for `keygen`, `ds` and `key show`.
//! Logic lives in `zonesign::keys`, `zonesign::keyinfo` and `zonesign::ds`; this file parses,
//! prints and reads the clock.

use std::path::PathBuf;

use clap::Args;
use zonesign::ds::{DigestType, Ds};
use zonesign::keyinfo::describe_key;
use zonesign::keys::timing::format_ctime;
use zonesign::keys::{
    generate_into_dir, load_public_key, Algorithm, KeyError, KeyTiming, KeyWarning,
};
use zonesign::name::Name;

use super::args::{described_formats, OutputFormat};
use super::error::Error;

/// `zonesign keygen`: generate a key pair in BIND's file format.
#[derive(Debug, Args)]
pub struct KeygenArgs {
    /// Zone the key is for, e.g. `example.com` (trailing dot optional).
    pub zone: String,
    /// Algorithm, by number or mnemonic: 8 RSASHA256, 10 RSASHA512,
    /// 13 ECDSAP256SHA256 (default), 14 ECDSAP384SHA384, 15 ED25519.
    #[arg(
        short = 'a',
        long = "alg",
        value_name = "N|MNEMONIC",
        default_value = "13"
    )]
    pub alg: String,
    /// Make a key-signing key (flags 257, SEP bit); without it, a
    /// zone-signing key (flags 256).
    #[arg(long)]
    pub ksk: bool,
    /// RSA modulus size in bits, 1024 to 4096 (default 2048); RSA only.
    #[arg(short = 'b', long, value_name = "N")]
    pub bits: Option<u32>,
    /// Directory to write `K<zone>+<alg>+<tag>.key` and `.private` into.
    #[arg(short = 'K', long, value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,
}

/// `zonesign ds`: print DS records for key files.
#[derive(Debug, Args)]
pub struct DsArgs {
    /// Key files: base name (`Kexample.com.+013+12345`), `.key` or
    /// `.private` path. Only the public `.key` file is read.
    #[arg(required = true, value_name = "KEYFILE")]
    pub keyfiles: Vec<PathBuf>,
    /// Digest type: sha256 (default) or sha384; repeat for several.
    /// sha1 is accepted only when asked for, with a warning (RFC 8624).
    #[arg(short = 'd', long = "digest", value_name = "sha256|sha384|sha1")]
    pub digest: Vec<String>,
}

/// `zonesign key show`: describe a key file without private data.
#[derive(Debug, Args)]
pub struct KeyShowArgs {
    /// Key file: base name, `.key` or `.private` path. A `.private` next to
    /// the `.key` is checked to match but never printed.
    #[arg(value_name = "KEYFILE")]
    pub keyfile: PathBuf,
    /// Output format.
    #[arg(long, default_value = "text", value_parser = described_formats([
        (OutputFormat::Text, "Aligned `field: value` lines"),
        (OutputFormat::Json, "One JSON object"),
    ]))]
    pub format: OutputFormat,
}

fn warn(w: &KeyWarning) {
    eprintln!("zonesign: warning: {w}");
}

pub fn keygen(args: KeygenArgs) -> Result<(), Error> {
    let alg: Algorithm = args.alg.parse()?;
    let zone = Name::from_ascii(&args.zone)
        .map_err(|e| Error::Usage(format!("bad zone name {:?}: {e}", args.zone)))?;
    // A new key directory is made, owner-only whatever the umask.
    zonesign::fsio::create_private_dir(&args.dir).map_err(|source| KeyError::Io {
        path: args.dir.clone(),
        source,
    })?;
    if let Some(w) = zonesign::fsio::writable_by_others_warning(&args.dir) {
        eprintln!("zonesign: warning: {w}");
    }
    let (key, _base) = generate_into_dir(
        &args.dir,
        &zone,
        alg,
        args.ksk,
        args.bits,
        KeyTiming::created_now(super::wall_clock()),
    )?;
    println!("{}", key.base_name());
    Ok(())
}

pub fn ds(args: DsArgs) -> Result<(), Error> {
    let mut digests = Vec::new();
    for d in &args.digest {
        let dt: DigestType = d.parse::<DigestType>()?;
        if dt.is_deprecated() {
            eprintln!(
                "zonesign: warning: SHA-1 DS records are deprecated (RFC 8624 §3.3: MUST NOT be used for new DS); use sha256"
            );
        }
        if !digests.contains(&dt) {
            digests.push(dt);
        }
    }
    if digests.is_empty() {
        digests.push(DigestType::Sha256);
    }
    // Read every key first so that a bad file prints nothing at all.
    let mut keys = Vec::with_capacity(args.keyfiles.len());
    for f in &args.keyfiles {
        keys.push(load_public_key(f)?);
    }
    for k in &keys {
        let rdata = k.dnskey.to_rdata();
        for dt in &digests {
            println!(
                "{}",
                Ds::from_dnskey(&k.owner, &rdata, *dt).to_text(&k.owner)
            );
        }
    }
    Ok(())
}

pub fn key_show(args: KeyShowArgs) -> Result<(), Error> {
    let (info, warnings) = describe_key(&args.keyfile)?;
    for w in &warnings {
        warn(w);
    }
    match args.format {
        OutputFormat::Json => {
            let s = serde_json::to_string_pretty(&info)
                .map_err(|e| KeyError::Other(format!("cannot format JSON: {e}")))?;
            println!("{s}");
        }
        OutputFormat::Text => {
            let mut flags = Vec::new();
            if info.flags & 0x0100 != 0 {
                flags.push("ZONE");
            }
            if info.flags & 0x0080 != 0 {
                flags.push("REVOKE");
            }
            if info.flags & 0x0001 != 0 {
                flags.push("SEP");
            }
            println!("key:        {}", info.base_name);
            println!("zone:       {}", info.zone);
            println!("key tag:    {}", info.key_tag);
            println!(
                "algorithm:  {} ({})",
                info.algorithm, info.algorithm_mnemonic
            );
            println!("flags:      {} ({})", info.flags, flags.join(" "));
            println!("role:       {}", info.role);
            if let Some(b) = info.bits {
                println!("size:       {b} bits");
            }
            println!("key file:   {}", info.key_file);
            match &info.private_file {
                Some(p) => println!("private:    {p} (present, matches the public key)"),
                None => println!("private:    (no private key file)"),
            }
            for t in &info.timing {
                let label = format!("{}:", t.name.to_lowercase());
                match (&t.value, t.unix.and_then(format_ctime)) {
                    (Some(v), Some(c)) => println!("{label:<11} {v} ({c} UTC)"),
                    _ => println!("{label:<11} (unset)"),
                }
            }
            println!("DNSKEY:     {} IN DNSKEY {}", info.zone, info.dnskey);
            for d in &info.ds {
                println!("DS:         {}", d.record);
            }
        }
    }
    Ok(())
}
