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

/// One RRSIG made: the RRset it covers and its RDATA in the arena.
#[derive(Debug, Clone, Copy)]
pub struct RrsigEntry {
    /// Owner index into `zone.owners`, or `u32::MAX` for NSEC3 records.
    pub owner: u32,
    /// NSEC3 entry index when `owner == u32::MAX`.
    pub nsec3: u32,
    pub type_covered: u16,
    pub ttl: u32,
    pub key_tag: u16,
    pub len: u16,
    /// Which arena (one per signing chunk) and where in it.
    pub arena: u32,
    pub off: u32,
}

/// Every RRSIG of a run, in output order. The RDATA stays in the arenas
/// the signing chunks filled: concatenating them would briefly need twice
/// the memory of all signatures.
#[derive(Debug, Default)]
pub struct Signatures {
    pub entries: Vec<RrsigEntry>,
    pub arenas: Vec<Vec<u8>>,
}

impl Signatures {
    pub fn rdata(&self, e: &RrsigEntry) -> &[u8] {
        &self.arenas[e.arena as usize][e.off as usize..e.off as usize + e.len as usize]
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
        if e.owner == u32::MAX {
            nsec3_first[e.nsec3 as usize] = k as u32;
        } else {
            owner_first[e.owner as usize] = k as u32;
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
