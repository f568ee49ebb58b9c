//! zonesign: sign and validate DNS zones offline.
#![cfg_attr(not(test), deny(clippy::unwrap_used))]

pub mod check;
pub mod denial;
pub mod ds;
pub mod dsdigest;
pub mod fsio;
pub mod job;
pub mod keyinfo;
pub mod keys;
pub mod keytag;
pub mod lifecycle;
pub mod limits;
pub mod master;
pub mod name;
pub mod output;
pub mod quote;
pub mod rdata;
pub mod rrsig;
pub mod sign;
pub mod signed;
pub mod timespec;
pub mod verify;
pub mod zone;
pub mod zonefile;
pub mod zonemd;

#[cfg(test)]
mod testutil;
