//! `zonesign dnssec ...`: the offline key lifecycle.

use clap::Subcommand;

#[derive(Debug, Subcommand)]
pub enum DnssecCommand {}

pub fn run(cmd: DnssecCommand) -> Result<(), zonesign::error::Error> {
    match cmd {}
}
