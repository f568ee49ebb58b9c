//! A minimal DER reader: just enough to take apart PKCS#8 `PrivateKeyInfo`
//! (RFC 5208/5958), SEC 1 `ECPrivateKey` (RFC 5915), PKCS#1
//! `RSAPrivateKey` (RFC 8017 §A.1.2) and ring's generated PKCS#8 documents.
//! Every read is bounds-checked; malformed input gives `None`.

pub const TAG_INTEGER: u8 = 0x02;
pub const TAG_BIT_STRING: u8 = 0x03;
pub const TAG_OCTET_STRING: u8 = 0x04;
pub const TAG_OID: u8 = 0x06;
pub const TAG_SEQUENCE: u8 = 0x30;
pub const TAG_CONTEXT_0: u8 = 0xA0;
pub const TAG_CONTEXT_1: u8 = 0xA1;

/// Reads TLVs one after another from a byte slice.
pub struct Reader<'a> {
    data: &'a [u8],
}

impl<'a> Reader<'a> {
    pub fn new(data: &'a [u8]) -> Reader<'a> {
        Reader { data }
    }

    /// The next element's tag without consuming it.
    pub fn peek_tag(&self) -> Option<u8> {
        self.data.first().copied()
    }

    /// The next (tag, value).
    pub fn read_any(&mut self) -> Option<(u8, &'a [u8])> {
        let (&tag, rest) = self.data.split_first()?;
        let (&first, rest) = rest.split_first()?;
        let (len, rest) = if first < 0x80 {
            (usize::from(first), rest)
        } else {
            let n = usize::from(first & 0x7F);
            if n == 0 || n > 3 || rest.len() < n {
                return None;
            }
            let mut len = 0usize;
            for b in &rest[..n] {
                len = (len << 8) | usize::from(*b);
            }
            (len, &rest[n..])
        };
        if rest.len() < len {
            return None;
        }
        let (value, rest) = rest.split_at(len);
        self.data = rest;
        Some((tag, value))
    }

    /// The next element, which must have tag `tag`.
    pub fn read(&mut self, tag: u8) -> Option<&'a [u8]> {
        match self.read_any()? {
            (t, v) if t == tag => Some(v),
            _ => None,
        }
    }

    /// The next element if it has tag `tag`, else nothing consumed.
    pub fn read_optional(&mut self, tag: u8) -> Option<&'a [u8]> {
        if self.peek_tag() == Some(tag) {
            self.read(tag)
        } else {
            None
        }
    }

    /// An INTEGER as unsigned big-endian octets, leading zeros removed.
    pub fn read_uint(&mut self) -> Option<&'a [u8]> {
        let v = self.read(TAG_INTEGER)?;
        if v.first().is_some_and(|b| b & 0x80 != 0) {
            return None; // negative
        }
        Some(super::dnskey::strip_leading_zeros(v))
    }
}

/// OID 1.2.840.113549.1.1.1 rsaEncryption.
pub const OID_RSA: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01];
/// OID 1.2.840.10045.2.1 id-ecPublicKey.
pub const OID_EC_PUBLIC_KEY: &[u8] = &[0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01];
/// OID 1.2.840.10045.3.1.7 prime256v1 (P-256).
pub const OID_P256: &[u8] = &[0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07];
/// OID 1.3.132.0.34 secp384r1 (P-384).
pub const OID_P384: &[u8] = &[0x2B, 0x81, 0x04, 0x00, 0x22];
/// OID 1.3.101.112 id-Ed25519.
pub const OID_ED25519: &[u8] = &[0x2B, 0x65, 0x70];

/// The parts of a PKCS#8 PrivateKeyInfo we need.
pub struct Pkcs8<'a> {
    pub algorithm: &'a [u8],
    /// The curve OID for EC keys.
    pub parameter: Option<&'a [u8]>,
    pub private_key: &'a [u8],
}

/// Takes apart a PKCS#8 PrivateKeyInfo (v1 or v2).
pub fn parse_pkcs8(der: &[u8]) -> Option<Pkcs8<'_>> {
    let mut outer = Reader::new(der);
    let mut info = Reader::new(outer.read(TAG_SEQUENCE)?);
    info.read(TAG_INTEGER)?;
    let mut alg = Reader::new(info.read(TAG_SEQUENCE)?);
    let algorithm = alg.read(TAG_OID)?;
    let parameter = alg.read_optional(TAG_OID);
    let private_key = info.read(TAG_OCTET_STRING)?;
    Some(Pkcs8 {
        algorithm,
        parameter,
        private_key,
    })
}

/// The private scalar and (if present) the public point of a SEC 1 ECPrivateKey.
pub fn parse_ec_private_key(der: &[u8]) -> Option<(&[u8], Option<&[u8]>)> {
    let mut outer = Reader::new(der);
    let mut r = Reader::new(outer.read(TAG_SEQUENCE)?);
    r.read(TAG_INTEGER)?;
    let scalar = r.read(TAG_OCTET_STRING)?;
    let _params = r.read_optional(TAG_CONTEXT_0);
    let public = match r.read_optional(TAG_CONTEXT_1) {
        Some(inner) => {
            let bits = Reader::new(inner).read(TAG_BIT_STRING)?;
            // First octet: number of unused bits (0).
            Some(bits.get(1..)?)
        }
        None => None,
    };
    Some((scalar, public))
}

/// The eight integers of a PKCS#1 RSAPrivateKey: n e d p q dP dQ qInv.
pub fn parse_rsa_private_key(der: &[u8]) -> Option<[&[u8]; 8]> {
    let mut outer = Reader::new(der);
    let mut r = Reader::new(outer.read(TAG_SEQUENCE)?);
    r.read(TAG_INTEGER)?;
    Some([
        r.read_uint()?,
        r.read_uint()?,
        r.read_uint()?,
        r.read_uint()?,
        r.read_uint()?,
        r.read_uint()?,
        r.read_uint()?,
        r.read_uint()?,
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_gives_none() {
        for input in [
            &[][..],
            &[0x30],
            &[0x30, 0x85, 1, 1, 1, 1, 1],
            &[0x30, 5, 1],
        ] {
            assert!(parse_pkcs8(input).is_none());
            assert!(parse_ec_private_key(input).is_none());
            assert!(parse_rsa_private_key(input).is_none());
        }
    }

    #[test]
    fn long_form_lengths() {
        let mut v = vec![0x04, 0x81, 200];
        v.extend(std::iter::repeat_n(7u8, 200));
        let mut r = Reader::new(&v);
        assert_eq!(r.read(TAG_OCTET_STRING).unwrap().len(), 200);
        assert!(r.peek_tag().is_none());
    }
}
