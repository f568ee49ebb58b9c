//! `zonesign verify`: check a signed zone.

use clap::Args;

#[derive(Debug, Args)]
pub struct VerifyArgs {}

pub fn run(_args: VerifyArgs) -> Result<(), zonesign::error::Error> {
    Err(zonesign::error::Error::Usage(
        "verify: not built yet".into(),
    ))
}
