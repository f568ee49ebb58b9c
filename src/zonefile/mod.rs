//! Zone-file (master file) reader, RFC 1035 §5.
pub mod token;

/// Every error found reading a zone, in file order.
#[derive(Debug, thiserror::Error)]
#[error("zone file has errors")]
pub struct ParseErrors {
    pub errors: Vec<String>,
}
