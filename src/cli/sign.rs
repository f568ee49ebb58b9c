//! `zonesign sign`: sign a zone.

use clap::Args;

#[derive(Debug, Args)]
pub struct SignArgs {}

pub fn run(_args: SignArgs) -> Result<(), zonesign::error::Error> {
    Err(zonesign::error::Error::Usage("sign: not built yet".into()))
}
