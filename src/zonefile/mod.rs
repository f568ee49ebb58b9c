//! Zone-file (master file) reader, RFC 1035 §5.
//!
//! Directives: `$ORIGIN`, `$TTL` (RFC 2308 §4), `$INCLUDE file [origin]`
//! (relative to the including file), and BIND's `$GENERATE`. Entries:
//! parentheses across lines, comments, blank owner = previous owner, `@`,
//! TTL and class in either order, RFC 3597 generic types and RDATA.
//!
//! The reader streams: each record is handed to a callback as soon as it is
//! read, with its owner, TTL, class, type, wire RDATA and source position.
//!
//! Key files (`keys::keyfile`) and DS input (`lifecycle::ds_input`) are
//! zone-file text too, read with the same parts: `master::lexer::Entries`,
//! `entry::parse_record_head` and the directive readers, and
//! `rdata::parse_rdata`.

mod chunks;
pub mod entry;
pub mod generate;
pub mod reader;

pub use crate::limits::Limits;
pub use reader::{
    read_zone, read_zone_bytes, read_zone_in_pieces, ReadOptions, RecordRef, SourceFiles,
};

use std::fmt;

/// Where something stands in the input: file, line, column, and the chain
/// of `$INCLUDE`s that led there (outermost last).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceLoc {
    pub file: String,
    pub line: u32,
    pub col: u32,
    /// `(file, line)` of each `$INCLUDE` that led here, innermost first.
    pub included_from: Vec<(String, u32)>,
}

impl fmt::Display for SourceLoc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.col)
    }
}

/// One problem in the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub loc: SourceLoc,
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.loc, self.message)?;
        for (file, line) in &self.loc.included_from {
            write!(f, " (included from {file}:{line})")?;
        }
        Ok(())
    }
}

/// Every error found reading a zone, in file order. Display prints one per
/// line as `file:line:column: message`.
#[derive(Debug, Clone, thiserror::Error)]
pub struct ParseErrors {
    pub errors: Vec<ParseError>,
}

impl fmt::Display for ParseErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.errors.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}
