//! A signed zone as a value: the zone, its denial chain (NSEC, RFC 4034
//! §4, or NSEC3, RFC 5155) and every RRSIG made for it (RFC 4034 §3), and
//! the one canonical order (RFC 4034 §6.1) its owners are walked in. The
//! signer ([`crate::sign`]) makes it; the zone writer ([`crate::output`])
//! and the ZONEMD digest ([`crate::sign::zonemd`], RFC 8976 §3.3.1) read
//! it in that order. It names neither of them.

use crate::denial::nsec::NsecChain;
use crate::denial::nsec3::Nsec3Chain;
use crate::zone::Zone;

/// What the last line of a signed zone written by zonesign starts with;
/// the SHA-256 of every byte before that line follows, in hex. A comment
/// (RFC 1035 §5.1), so every reader ignores it.
pub const TRAILER_PREFIX: &str = "; zonesign-sha256 ";

/// The trailer line for a file whose bytes before it hash to `sha256`.
pub fn trailer(sha256: &[u8]) -> String {
    format!(
        "{TRAILER_PREFIX}{}\n",
        data_encoding::HEXLOWER.encode(sha256)
    )
}

/// Whether `file` ends with a trailer whose digest is that of the bytes
/// before it: the file is, byte for byte, one zonesign wrote.
pub fn has_valid_trailer(file: &[u8]) -> bool {
    let body = file.strip_suffix(b"\n").unwrap_or(file);
    let start = body.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
    let Some(hex) = body[start..].strip_prefix(TRAILER_PREFIX.as_bytes()) else {
        return false;
    };
    let Ok(want) = data_encoding::HEXLOWER.decode(hex) else {
        return false;
    };
    ring::digest::digest(&ring::digest::SHA256, &file[..start]).as_ref() == want.as_slice()
}

/// One RRSIG of a run: the RRset it covers and, for a signature made in
/// this run, only what differs between RRSIGs (the fields every signature
/// of the run shares are in [`Signatures`]). A signature kept from a
/// previous output is held whole, byte for byte.
#[derive(Debug, Clone, Copy)]
pub struct RrsigEntry {
    /// Owner index into `zone.owners`, or the NSEC3 entry's index when
    /// `nsec3` is set.
    pub index: u32,
    /// The RRSIG's TTL, and its Original TTL field when made in this run
    /// (both the RRset's, RFC 4034 §3.1.4, RFC 4035 §2.2).
    pub ttl: u32,
    /// The Signature Expiration field (RFC 4034 §3.1.5); 0 when kept.
    pub expiration: u32,
    /// Which arena (one per signing task) and where in it.
    pub arena: u32,
    pub off: u32,
    pub type_covered: u16,
    pub len: u16,
    /// The signing key's index in [`Signatures::keys`], or [`KEPT`]: the
    /// arena holds the whole RDATA.
    pub key: u8,
    /// The Labels field (RFC 4034 §3.1.3).
    pub labels: u8,
    pub nsec3: bool,
}

/// [`RrsigEntry::key`] of a signature held whole (kept from a previous
/// output).
pub const KEPT: u8 = u8::MAX;

// One byte more per entry is 21 MB on a 10M-name zone.
const _: () = assert!(std::mem::size_of::<RrsigEntry>() == 28);

impl RrsigEntry {
    /// Owner index, or `u32::MAX` for an NSEC3 record.
    pub fn owner(&self) -> u32 {
        if self.nsec3 {
            u32::MAX
        } else {
            self.index
        }
    }

    /// NSEC3 entry index, or 0 for a zone owner.
    pub fn nsec3_index(&self) -> u32 {
        if self.nsec3 {
            self.index
        } else {
            0
        }
    }
}

/// Every RRSIG of a run, in output order. A signature made in this run is
/// held as its signature bytes and an entry; its RDATA is put together
/// when written, from the fields all of the run's signatures share (signer
/// name, inception, the keys' algorithms and tags): at 10M names that is
/// 31 octets fewer per RRSIG, 650 MB. The bytes stay in the arenas the
/// signing tasks filled: concatenating them would briefly need twice the
/// memory of all signatures.
#[derive(Debug, Default)]
pub struct Signatures {
    pub entries: Vec<RrsigEntry>,
    pub arenas: Vec<Vec<u8>>,
    /// The Signer's Name field, lowercased wire form (RFC 4034 §3.1.7).
    pub signer: Vec<u8>,
    /// The Signature Inception field of every signature made in the run.
    pub inception: u32,
    /// Algorithm and key tag of each signing key, by [`RrsigEntry::key`].
    pub keys: Vec<(u8, u16)>,
}

impl Signatures {
    fn stored(&self, e: &RrsigEntry) -> &[u8] {
        &self.arenas[e.arena as usize][e.off as usize..e.off as usize + e.len as usize]
    }

    /// Appends the RRSIG RDATA of `e` (RFC 4034 §3.1) to `out`.
    pub fn write_rdata(&self, e: &RrsigEntry, out: &mut Vec<u8>) {
        let stored = self.stored(e);
        if e.key == KEPT {
            out.extend_from_slice(stored);
            return;
        }
        let (algorithm, key_tag) = self.keys[e.key as usize];
        crate::rrsig::RrsigFields {
            type_covered: e.type_covered,
            algorithm,
            labels: e.labels,
            original_ttl: e.ttl,
            expiration: e.expiration,
            inception: self.inception,
            key_tag,
            signer: self.signer.as_slice(),
        }
        .write_prefix(out);
        out.extend_from_slice(stored);
    }

    /// The RRSIG RDATA of `e`.
    pub fn rdata(&self, e: &RrsigEntry) -> Vec<u8> {
        let mut v = Vec::with_capacity(e.len as usize + 18 + self.signer.len());
        self.write_rdata(e, &mut v);
        v
    }

    /// The key tag of the key that made `e`.
    pub fn key_tag(&self, e: &RrsigEntry) -> u16 {
        if e.key == KEPT {
            let rd = self.stored(e);
            rd.get(16..18)
                .map_or(0, |t| u16::from_be_bytes([t[0], t[1]]))
        } else {
            self.keys[e.key as usize].1
        }
    }
}

/// A signed zone in memory: what the signer made, ready to digest
/// (ZONEMD) and to write.
pub struct SignedZone {
    pub zone: Zone,
    pub nsec: Option<NsecChain>,
    pub nsec3: Option<Nsec3Chain>,
    pub signatures: Signatures,
}

/// One owner of the signed output: a zone owner or an NSEC3 record's owner.
#[derive(Debug, Clone, Copy)]
pub(crate) enum SignedItem {
    Owner(u32),
    Nsec3(u32),
}

/// The owners of a signed zone in canonical order, and where each one's
/// RRSIG entries start (`u32::MAX`: none).
pub(crate) struct SignedOrder {
    pub items: Vec<SignedItem>,
    pub owner_first: Vec<u32>,
    pub nsec3_first: Vec<u32>,
}

/// Merges zone owners and NSEC3 owners by canonical key (the writer and
/// the ZONEMD digest walk the same order).
pub(crate) fn signed_order(s: &SignedZone) -> SignedOrder {
    let zone = &s.zone;
    let n_owners = zone.owners.len();
    let n3 = s.nsec3.as_ref().map_or(0, |c| c.entries.len());
    let mut owner_first = vec![u32::MAX; n_owners + 1];
    let mut nsec3_first = vec![u32::MAX; n3 + 1];
    for (k, e) in s.signatures.entries.iter().enumerate().rev() {
        if e.nsec3 {
            nsec3_first[e.index as usize] = k as u32;
        } else {
            owner_first[e.index as usize] = k as u32;
        }
    }
    let mut items = Vec::with_capacity(n_owners + n3);
    let mut key = Vec::with_capacity(64);
    let mut j = 0usize;
    let nsec3_key = |k: usize, key: &mut Vec<u8>| {
        key.clear();
        if let Some(c) = &s.nsec3 {
            c.owner_key(k, key);
        }
    };
    if n3 > 0 {
        nsec3_key(0, &mut key);
    }
    for i in 0..n_owners {
        while j < n3 && key.as_slice() < zone.owner_key(i) {
            items.push(SignedItem::Nsec3(j as u32));
            j += 1;
            if j < n3 {
                nsec3_key(j, &mut key);
            }
        }
        items.push(SignedItem::Owner(i as u32));
    }
    while j < n3 {
        items.push(SignedItem::Nsec3(j as u32));
        j += 1;
    }
    SignedOrder {
        items,
        owner_first,
        nsec3_first,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A signature made in the run is stored without its shared fields and
    /// comes back as the RDATA RFC 4034 §3.1 lays out; a kept one comes
    /// back byte for byte.
    #[test]
    fn compact_entries_give_back_whole_rrsig_rdata() {
        let signer = crate::name::Name::from_ascii("Example.COM.").expect("name");
        let fields = crate::rrsig::RrsigFields {
            type_covered: crate::rdata::rtype::A,
            algorithm: 13,
            labels: 3,
            original_ttl: 3600,
            expiration: 1_700_086_400,
            inception: 1_700_000_000,
            key_tag: 4242,
            signer: signer.as_wire().to_vec(),
        };
        let sig = [7u8; 64];
        let mut want = Vec::new();
        fields.write_prefix(&mut want);
        want.extend_from_slice(&sig);
        let kept_rdata = {
            let mut k = want.clone();
            k[8] ^= 1;
            k[17] = 9;
            k
        };
        let mut arena = sig.to_vec();
        arena.extend_from_slice(&kept_rdata);
        let entry = |key, off, len| RrsigEntry {
            index: 2,
            ttl: 3600,
            expiration: fields.expiration,
            arena: 0,
            off,
            type_covered: crate::rdata::rtype::A,
            len,
            key,
            labels: 3,
            nsec3: false,
        };
        let sigs = Signatures {
            entries: vec![entry(1, 0, 64), entry(KEPT, 64, kept_rdata.len() as u16)],
            arenas: vec![arena],
            signer: signer.to_lowercase().as_wire().to_vec(),
            inception: fields.inception,
            keys: vec![(8, 1), (13, 4242)],
        };
        assert_eq!(sigs.rdata(&sigs.entries[0]), want);
        assert_eq!(sigs.key_tag(&sigs.entries[0]), 4242);
        assert_eq!(sigs.rdata(&sigs.entries[1]), kept_rdata);
        assert_eq!(sigs.key_tag(&sigs.entries[1]), 4242 & 0xff00 | 9);
        let made = sigs.rdata(&sigs.entries[0]);
        let (parsed, rest) = crate::rrsig::RrsigFields::parse(&made).expect("parses");
        assert_eq!(rest, &sig[..]);
        assert_eq!(parsed.signer, signer.to_lowercase().as_wire());
        assert_eq!(sigs.entries[0].owner(), 2);
        let n3 = RrsigEntry {
            nsec3: true,
            ..sigs.entries[0]
        };
        assert_eq!((n3.owner(), n3.nsec3_index()), (u32::MAX, 2));
    }

    #[test]
    fn trailer_binds_every_byte_before_it() {
        let body = b"example.com.\t3600\tIN\tA\t192.0.2.1\n".to_vec();
        let digest = ring::digest::digest(&ring::digest::SHA256, &body);
        let mut file = body.clone();
        file.extend_from_slice(trailer(digest.as_ref()).as_bytes());
        assert!(has_valid_trailer(&file));
        let mut edited = file.clone();
        edited[20] ^= 1;
        assert!(!has_valid_trailer(&edited), "an edit breaks it");
        let mut appended = file.clone();
        appended.extend_from_slice(b"; a comment\n");
        assert!(!has_valid_trailer(&appended), "it must be the last line");
        assert!(!has_valid_trailer(&body), "no trailer");
        assert!(!has_valid_trailer(b""));
    }
}
