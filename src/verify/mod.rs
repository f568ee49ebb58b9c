//! Verification of a signed zone: DS → DNSKEY → RRSIG for every RRset, and
//! the NSEC/NSEC3 chain (RFC 4035 §5). Problems are findings (data), not
//! errors.
