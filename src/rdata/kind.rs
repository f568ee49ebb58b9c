//! The kinds of RDATA field the table-driven parser and formatter know
//! (RFC 1035 §3.3 and the RFCs of each type). Apart from the table so that
//! the error type in `text` can name a layout without depending on the
//! parser that uses it.

/// One field kind, with its name for messages.
#[derive(Debug, Clone, Copy)]
pub(crate) enum F {
    U8(&'static str),
    U16(&'static str),
    U32(&'static str),
    /// 32-bit seconds; BIND duration units accepted on input (SOA timers).
    Ttl(&'static str),
    /// DNSSEC algorithm: number, or mnemonic on input.
    Alg(&'static str),
    /// An uncompressed domain name.
    Name(&'static str),
    /// One <character-string>.
    Str(&'static str),
    /// One or more <character-string>s, to the end.
    Strs(&'static str),
    A(&'static str),
    Aaaa(&'static str),
    /// Hex octets to the end, at least one; may be split over tokens.
    Hex(&'static str),
    /// Base64 octets to the end, at least one; may be split over tokens.
    B64(&'static str),
    /// RRSIG time.
    Time(&'static str),
    /// A type mnemonic, 16 bits.
    Type(&'static str),
    /// Type bitmap to the end (may be empty).
    Bitmap(&'static str),
    /// NSEC3 salt: length octet, hex or `-`.
    Salt(&'static str),
    /// NSEC3 next hashed owner: length octet, base32hex (at least one octet).
    Hash(&'static str),
    /// EUI-48 / EUI-64, hyphenated hex.
    Eui(&'static str, usize),
    /// Octets to the end written as one (quoted) string: URI target, CAA value.
    RestStr(&'static str),
    /// CAA tag: length octet, then at least one letter or digit (RFC 8659
    /// §4.1: the length MUST be at least 1 and only SHOULD be at most 15,
    /// so a longer tag is valid, as BIND reads it).
    CaaTag(&'static str),
    /// CERT type: 16 bits, number or mnemonic.
    CertType(&'static str),
    /// A <character-string> holding a decimal real number (`[+-]digits[.digits]`,
    /// no exponent), with `|value| <= bound` when a bound is given (GPOS).
    Decimal(&'static str, Option<u16>),
    /// X25 PSDN address: a <character-string> of at least 4 decimal digits.
    Psdn(&'static str),
    /// Zero or one <character-string> at the end (ISDN subaddress).
    OptStr(&'static str),
    /// 64 bits written as four colon-separated groups of 1 to 4 hex digits
    /// (L64 Locator64, NID NodeID).
    Locator64(&'static str),
    /// DSYNC scheme: 8 bits, number or registry mnemonic.
    DsyncScheme(&'static str),
    /// NSAP address to the end: `0x` and hex digits, `.` ignored.
    Nsap(&'static str),
    /// ATMA format octet and address to the end: `+digits` (E.164) or hex (AESA).
    Atma(&'static str),
    /// Base64 octets to the end, possibly none (SINK data).
    B64Opt(&'static str),
    /// Base64 octets to the end, or `-` for none (DOA data).
    B64Dash(&'static str),
}

impl F {
    pub fn name(self) -> &'static str {
        match self {
            F::U8(n)
            | F::U16(n)
            | F::U32(n)
            | F::Ttl(n)
            | F::Alg(n)
            | F::Name(n)
            | F::Str(n)
            | F::Strs(n)
            | F::A(n)
            | F::Aaaa(n)
            | F::Hex(n)
            | F::B64(n)
            | F::Time(n)
            | F::Type(n)
            | F::Bitmap(n)
            | F::Salt(n)
            | F::Hash(n)
            | F::Eui(n, _)
            | F::RestStr(n)
            | F::CaaTag(n)
            | F::CertType(n)
            | F::Decimal(n, _)
            | F::Psdn(n)
            | F::OptStr(n)
            | F::Locator64(n)
            | F::DsyncScheme(n)
            | F::Nsap(n)
            | F::Atma(n)
            | F::B64Opt(n)
            | F::B64Dash(n) => n,
        }
    }
}
