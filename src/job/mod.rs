//! The jobs: one orchestrator per command that reads a zone and writes or
//! judges it, each a straight path through the building blocks below
//! (`zone`, `keys`, `denial`, `sign`, `signed`, `output`, `verify`,
//! `lifecycle`, `fsio`), one phase after the other. The jobs may name
//! every module below them; none of those names a job.
//!
//! * [`sign`]: load → keys → denial → sign → ZONEMD → publish check → write.
//! * [`verify`]: load → trust anchor → signatures, chain of trust and
//!   denial ([`crate::verify::verify_zone`]) → report.

pub mod config;
pub mod policy;
pub mod sign;
pub mod verify;
