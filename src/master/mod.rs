//! Master-file tokens, RFC 1035 §5.1: the text layer under every reader of
//! zone-file text (the zone reader, RDATA in presentation form, key files,
//! DS input).
//!
//! [`lexer`] splits text into entries of [`token::Token`]s (parentheses,
//! comments, quoted strings, a blank owner field); [`ttl`] reads TTLs and
//! BIND's duration units (`1w2d3h`, RFC 2308 §4). What a token means
//! (a name, a type, an RDATA field) is left to the readers above.

pub mod lexer;
pub mod token;
pub mod ttl;
