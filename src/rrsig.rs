//! RRSIG RDATA (RFC 4034 §3.1) and the data a signature covers
//! (RFC 4034 §3.1.8.1). The signer and the verifier both build the signed
//! data here, so a mistake shows up in both.

use crate::name::{lowercase_wire, wire_name_len, Labels};

/// The RRSIG fields before the signature. The signer's name is owned
/// where the fields are parsed or built one by one, borrowed (`&[u8]`)
/// where a run's shared name is put into each RRSIG it writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RrsigFields<S = Vec<u8>> {
    pub type_covered: u16,
    pub algorithm: u8,
    /// RFC 4034 §3.1.3: labels of the owner, not counting the root or a
    /// leading wildcard label.
    pub labels: u8,
    pub original_ttl: u32,
    /// Seconds since the epoch modulo 2^32 (RFC 4034 §3.1.5).
    pub expiration: u32,
    pub inception: u32,
    pub key_tag: u16,
    /// Signer's name, wire form.
    pub signer: S,
}

impl<S: AsRef<[u8]>> RrsigFields<S> {
    /// Appends the RDATA up to (not including) the signature, with the
    /// signer name lowercased (RFC 4034 §3.1.8.1 and §6.2; length octets
    /// are below `b'A'`, so lowercasing every byte is safe).
    pub fn write_prefix(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.type_covered.to_be_bytes());
        out.push(self.algorithm);
        out.push(self.labels);
        out.extend_from_slice(&self.original_ttl.to_be_bytes());
        out.extend_from_slice(&self.expiration.to_be_bytes());
        out.extend_from_slice(&self.inception.to_be_bytes());
        out.extend_from_slice(&self.key_tag.to_be_bytes());
        out.extend(self.signer.as_ref().iter().map(u8::to_ascii_lowercase));
    }
}

impl RrsigFields {
    /// Splits RRSIG RDATA into its fields and the signature.
    pub fn parse(rdata: &[u8]) -> Option<(RrsigFields, &[u8])> {
        if rdata.len() < 19 {
            return None;
        }
        let u16_at = |i: usize| u16::from_be_bytes([rdata[i], rdata[i + 1]]);
        let u32_at =
            |i: usize| u32::from_be_bytes([rdata[i], rdata[i + 1], rdata[i + 2], rdata[i + 3]]);
        let name_len = wire_name_len(&rdata[18..]).ok()?;
        let signer = rdata[18..18 + name_len].to_vec();
        Some((
            RrsigFields {
                type_covered: u16_at(0),
                algorithm: rdata[2],
                labels: rdata[3],
                original_ttl: u32_at(4),
                expiration: u32_at(8),
                inception: u32_at(12),
                key_tag: u16_at(16),
                signer,
            },
            &rdata[18 + name_len..],
        ))
    }
}

/// RRSIG Labels value for an owner (RFC 4034 §3.1.3).
pub fn labels_field(owner_wire: &[u8]) -> u8 {
    let mut n = Labels::new(owner_wire).count();
    if owner_wire.len() >= 2 && owner_wire[0] == 1 && owner_wire[1] == b'*' {
        n -= 1;
    }
    n as u8
}

/// Appends the signed data of RFC 4034 §3.1.8.1 to `out`:
/// `RRSIG_RDATA | RR(1) | RR(2) | ...` where RRSIG_RDATA is `fields`
/// without the signature and each RR is in canonical form (§6.2):
/// lowercased owner, the original TTL, canonical RDATA. `rdatas` must
/// already be canonical, sorted (§6.3) and free of duplicates.
///
/// When the Labels field is below the owner's label count the RRset was
/// expanded from a wildcard, and the owner becomes `*.` plus the rightmost
/// `labels` labels (RFC 4035 §5.3.2).
pub fn signed_data<'a>(
    fields: &RrsigFields,
    owner_wire: &[u8],
    class: u16,
    rdatas: impl Iterator<Item = &'a [u8]>,
    out: &mut Vec<u8>,
) {
    fields.write_prefix(out);
    let labels = fields.labels;
    let mut owner = lowercase_wire(owner_wire);
    let owner_labels = Labels::new(&owner).count();
    if usize::from(labels) < owner_labels {
        // Keep the rightmost `labels` labels, prepend `*`.
        let mut pos = 0;
        for _ in 0..owner_labels - usize::from(labels) {
            pos += 1 + owner[pos] as usize;
        }
        let mut w = vec![1, b'*'];
        w.extend_from_slice(&owner[pos..]);
        owner = w;
    }
    let mut fixed = Vec::with_capacity(owner.len() + 8);
    fixed.extend_from_slice(&owner);
    fixed.extend_from_slice(&fields.type_covered.to_be_bytes());
    fixed.extend_from_slice(&class.to_be_bytes());
    fixed.extend_from_slice(&fields.original_ttl.to_be_bytes());
    for rd in rdatas {
        out.extend_from_slice(&fixed);
        out.extend_from_slice(&(rd.len() as u16).to_be_bytes());
        out.extend_from_slice(rd);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::name::Name;

    #[test]
    fn prefix_round_trip() {
        let f = RrsigFields {
            type_covered: 1,
            algorithm: 13,
            labels: 2,
            original_ttl: 3600,
            expiration: 2,
            inception: 1,
            key_tag: 4242,
            signer: Name::from_ascii("Example.COM")
                .expect("name")
                .as_wire()
                .to_vec(),
        };
        let mut v = Vec::new();
        f.write_prefix(&mut v);
        v.extend_from_slice(&[9, 9, 9]);
        let (g, sig) = RrsigFields::parse(&v).expect("parse");
        assert_eq!(sig, &[9, 9, 9]);
        assert_eq!(
            g.signer,
            Name::from_ascii("example.com").expect("name").as_wire()
        );
        assert_eq!(g.key_tag, 4242);
    }

    #[test]
    fn labels_skip_wildcard() {
        let w = Name::from_ascii("*.a.example").expect("name");
        assert_eq!(labels_field(w.as_wire()), 2);
        assert_eq!(labels_field(Name::root().as_wire()), 0);
    }

    #[test]
    fn wildcard_owner_rebuilt_from_labels() {
        let owner = Name::from_ascii("x.y.Example").expect("name");
        let f = RrsigFields {
            type_covered: 1,
            algorithm: 13,
            labels: 1,
            original_ttl: 60,
            expiration: 0,
            inception: 0,
            key_tag: 0,
            signer: Name::root().as_wire().to_vec(),
        };
        let mut prefix = Vec::new();
        f.write_prefix(&mut prefix);
        let mut out = Vec::new();
        signed_data(
            &f,
            owner.as_wire(),
            1,
            [&[1u8, 2, 3, 4][..]].into_iter(),
            &mut out,
        );
        let rr: &[u8] = &[0, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 1, 2, 3, 4];
        let want: Vec<u8> = [&prefix[..], &[1, b'*', 7][..], b"example", rr].concat();
        assert_eq!(out, want);
    }
}
