//! Zone-file (master file) reader, RFC 1035 §5.
pub mod token;
