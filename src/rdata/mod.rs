//! RDATA: presentation text ⇄ wire form for every type we read, and the
//! canonical form used for ordering and signing (RFC 4034 §6.2, RFC 6840 §5.1).
//!
//! RDATA is kept as uncompressed wire bytes everywhere in zonesign; this module
//! is the only place that knows the field layout of each type.

use crate::name::Name;
use crate::zonefile::token::Token;

/// Why the RDATA fields of an entry could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct RdataError {
    /// Index of the offending token in the slice given to [`parse_rdata`];
    /// `tokens.len()` when a field is missing (the message says which).
    pub token: usize,
    pub message: String,
}

/// Encodes the RDATA fields of one entry (everything after the type) into
/// uncompressed wire form appended to `out`. Relative names are completed
/// with `origin`. Accepts RFC 3597 `\# len hex` for every type.
pub fn parse_rdata(
    rtype: u16,
    tokens: &[Token<'_>],
    origin: &Name,
    out: &mut Vec<u8>,
) -> Result<(), RdataError> {
    let _ = (rtype, tokens, origin, out);
    Err(RdataError {
        token: 0,
        message: "rdata parsing not yet written".into(),
    })
}
