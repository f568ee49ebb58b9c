//! NSEC3 and NSEC3PARAM RDATA (RFC 5155 §3.2, §4.2) beyond their field
//! syntax: the hash algorithms' lengths, and the rule that an NSEC3's
//! hashes are as long as its own algorithm makes them. Here, below the
//! zone rules (`nsec3-hash-length`), the NSEC3 chain and the verifier, so
//! that all three share one implementation.

/// RFC 5155 §11: hash algorithm 1 is SHA-1, the only one defined.
pub const HASH_SHA1: u8 = 1;

/// Where the salt ends in NSEC3 or NSEC3PARAM RDATA: after the hash
/// algorithm, flags, iterations and the salt with its length octet (RFC
/// 5155 §3.2, §4.2); in NSEC3 the Hash Length field starts there. `None`
/// when the RDATA is too short to hold those fields.
pub fn salt_end(rdata: &[u8]) -> Option<usize> {
    let end = 5 + usize::from(*rdata.get(4)?);
    (rdata.len() >= end).then_some(end)
}

/// Octets of a hash of NSEC3 hash algorithm `alg`, when the algorithm is
/// known (RFC 5155 §11: 1 is SHA-1, whose digest is 20 octets).
pub fn hash_len(alg: u8) -> Option<usize> {
    (alg == HASH_SHA1).then_some(20)
}

/// An NSEC3 hash of the wrong length for the record's hash algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum HashLengthError {
    /// RFC 5155 §3: the owner's first label is the unpadded base32hex of
    /// the hash, so a 20-octet SHA-1 hash is 32 characters.
    #[error("NSEC3 owner label has {chars} characters; the base32hex of a {octets}-octet hash has {want}")]
    OwnerLabel {
        chars: usize,
        octets: usize,
        want: usize,
    },
    /// RFC 5155 §3.1.6-§3.1.7, §3.3: the Next Hashed Owner Name is the
    /// hash itself, its length in the Hash Length field.
    #[error("NSEC3 next hashed owner is {octets} octets; hash algorithm {alg} makes {want}")]
    Next { octets: usize, alg: u8, want: usize },
}

/// Checks the lengths of an NSEC3's hashes against its own hash algorithm:
/// the first label of its owner (`owner_label`, `None` when the owner is not
/// one label below the apex and so not a hashed owner at all) and the next
/// hashed owner in `rdata`. Nothing is said for an unknown algorithm (its
/// length is unknown) or RDATA too short to hold the field (malformed).
pub fn hash_length_error(owner_label: Option<&[u8]>, rdata: &[u8]) -> Option<HashLengthError> {
    let alg = *rdata.first()?;
    let want = hash_len(alg)?;
    // base32hex: 5 bits a character, no padding (RFC 4648 §7, RFC 5155 §3.3).
    let want_chars = (want * 8).div_ceil(5);
    if let Some(label) = owner_label {
        if label.len() != want_chars {
            return Some(HashLengthError::OwnerLabel {
                chars: label.len(),
                octets: want,
                want: want_chars,
            });
        }
    }
    let off = salt_end(rdata)?;
    let octets = usize::from(*rdata.get(off)?);
    (octets != want).then_some(HashLengthError::Next { octets, alg, want })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 5155 Appendix A: salt AABBCCDD, 12 iterations.
    /// RFC 5155 Appendix A: `0p9mhaveqvm6t7vbl5lop2u3t2rp3tom.example.`
    /// (32 characters) carries `NSEC3 1 1 12 aabbccdd
    /// 2t7b4g4vsa5smi47k61mv5bv1a22bojr ...`; the bytes below are that
    /// record's RDATA prefix written out by hand (1, 1, 0x000c, salt
    /// length 4, aabbccdd, hash length 20).
    #[test]
    fn hash_lengths_of_rfc5155_appendix_a() {
        let mut rd = vec![1, 1, 0, 12, 4, 0xaa, 0xbb, 0xcc, 0xdd, 20];
        rd.extend_from_slice(&[0u8; 20]);
        let label = b"0p9mhaveqvm6t7vbl5lop2u3t2rp3tom";
        assert_eq!(hash_length_error(Some(label), &rd), None);
        assert_eq!(
            hash_length_error(Some(&label[1..]), &rd),
            Some(HashLengthError::OwnerLabel {
                chars: 31,
                octets: 20,
                want: 32
            })
        );
        let mut short = rd[..10].to_vec();
        short[9] = 19;
        short.extend_from_slice(&[0u8; 19]);
        assert_eq!(
            hash_length_error(Some(label), &short),
            Some(HashLengthError::Next {
                octets: 19,
                alg: 1,
                want: 20
            })
        );
        // Unknown algorithm: no length to compare with.
        let mut other = short.clone();
        other[0] = 2;
        assert_eq!(hash_length_error(Some(b"x"), &other), None);
        // Too short to hold the field: malformed, not this.
        assert_eq!(hash_length_error(None, &[1, 0, 0]), None);
    }
}
