//! Command-line arguments and dispatch for `keygen`, `ds` and `key show`.

use clap::Args;

/// `zonesign keygen`: generate a key pair in BIND's file format.
#[derive(Debug, Args)]
pub struct KeygenArgs {}

/// `zonesign ds`: print DS records for key files.
#[derive(Debug, Args)]
pub struct DsArgs {}

/// `zonesign key show`: describe a key file without private data.
#[derive(Debug, Args)]
pub struct KeyShowArgs {}

pub fn keygen(_args: KeygenArgs) -> Result<(), zonesign::error::Error> {
    Err(zonesign::error::Error::Usage(
        "keygen: not built yet".into(),
    ))
}

pub fn ds(_args: DsArgs) -> Result<(), zonesign::error::Error> {
    Err(zonesign::error::Error::Usage("ds: not built yet".into()))
}

pub fn key_show(_args: KeyShowArgs) -> Result<(), zonesign::error::Error> {
    Err(zonesign::error::Error::Usage(
        "key show: not built yet".into(),
    ))
}
