//! zonesign: sign and validate DNS zones offline.
#![cfg_attr(not(test), deny(clippy::unwrap_used))]

pub mod name;
pub mod rdata;
pub mod zonefile;
