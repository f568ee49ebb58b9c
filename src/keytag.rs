//! The key tag (RFC 4034 Appendix B): a 16-bit checksum of the DNSKEY RDATA
//! that RRSIG and DS records use to point at a key. Not unique.
//!
//! A function of RDATA alone, so it sits low: the zone rules match CDS
//! records to DNSKEYs with it ([`crate::dsdigest`]) below `keys`, which
//! re-exports it.

use std::fmt;

/// A key tag (RFC 4034 §3.1.6, Appendix B).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeyTag(pub u16);

impl fmt::Display for KeyTag {
    /// Decimal, as in RRSIG/DS presentation form (`34808`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl KeyTag {
    /// The 5-digit zero-padded form used in key file names (`06976`).
    pub fn padded(self) -> String {
        format!("{:05}", self.0)
    }
}

/// Computes the key tag of a DNSKEY RDATA (flags, protocol, algorithm,
/// public key), RFC 4034 Appendix B. Total on any input: for algorithm 1
/// (RSA/MD5) it uses the Appendix B.1 rule; short input gives a tag all the
/// same (it simply sums what is there).
pub fn key_tag(dnskey_rdata: &[u8]) -> KeyTag {
    if dnskey_rdata.len() >= 4 && dnskey_rdata[3] == 1 {
        // B.1: the most significant 16 bits of the least significant 24 bits
        // of the modulus, i.e. the 3rd and 2nd to last octets of the key.
        let n = dnskey_rdata.len();
        if n >= 7 {
            return KeyTag(u16::from_be_bytes([
                dnskey_rdata[n - 3],
                dnskey_rdata[n - 2],
            ]));
        }
        return KeyTag(0);
    }
    let mut ac: u32 = 0;
    for (i, b) in dnskey_rdata.iter().enumerate() {
        ac += if i & 1 == 1 {
            u32::from(*b)
        } else {
            u32::from(*b) << 8
        };
    }
    ac += (ac >> 16) & 0xFFFF;
    KeyTag((ac & 0xFFFF) as u16)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{b64, dnskey_rdata as rdata};

    #[test]
    fn rfc4034_section_5_4_dskey_example_is_60485() {
        // RFC 4034 §5.4: dskey.example.com. 86400 IN DNSKEY 256 3 5 (...) ; key id = 60485
        let key = b64(
            "AQOeiiR0GOMYkDshWoSKz9Xz fwJr1AYtsmx3TGkJaNXVbfi/ 2pHm822aJ5iI9BMzNXxeYCmZ
                       DRD99WYwYqUSdjMmmAphXdvx egXd/M5+X7OrzKBaMbCVdFLU Uh6DhweJBjEVv5f2wwjM9Xzc
                       nOf+EPbtG9DMBmADjFDc2w/r ljwvFw==",
        );
        assert_eq!(key_tag(&rdata(256, 5, &key)), KeyTag(60485));
    }

    #[test]
    fn padded_and_display() {
        assert_eq!(KeyTag(6976).padded(), "06976");
        assert_eq!(KeyTag(6976).to_string(), "6976");
    }

    #[test]
    fn short_input_does_not_panic() {
        for n in 0..8 {
            let _ = key_tag(&vec![1u8; n]);
        }
    }
}
