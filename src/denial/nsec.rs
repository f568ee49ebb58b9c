//! The NSEC chain (RFC 4034 §4, RFC 4035 §2.3): one NSEC per authoritative
//! name and delegation, each pointing at the next in canonical order, the
//! last back at the apex.

use super::{bitmap_types, denial_ttl, in_chain, Chain, DenialError};
use crate::rdata::encode_type_bitmap;
use crate::zone::Zone;

/// One NSEC: its owner (index into `zone.owners`) and RDATA range in the arena.
#[derive(Debug, Clone, Copy)]
pub struct NsecEntry {
    pub owner: u32,
    pub off: u32,
    pub len: u16,
}

/// The NSEC records of a zone, in canonical order of their owners.
#[derive(Debug, Default)]
pub struct NsecChain {
    pub entries: Vec<NsecEntry>,
    pub arena: Vec<u8>,
    pub ttl: u32,
}

impl NsecChain {
    pub fn rdata(&self, e: &NsecEntry) -> &[u8] {
        &self.arena[e.off as usize..e.off as usize + e.len as usize]
    }
}

/// Builds the chain; each bitmap lists [`bitmap_types`].
pub fn build(zone: &Zone) -> Result<NsecChain, DenialError> {
    let ttl = denial_ttl(zone)?;
    let members: Vec<usize> = (0..zone.owners.len())
        .filter(|&i| in_chain(zone.owners[i].kind))
        .collect();
    let mut chain = NsecChain {
        entries: Vec::with_capacity(members.len()),
        arena: Vec::with_capacity(members.len() * 40),
        ttl,
    };
    for (k, &i) in members.iter().enumerate() {
        let next = members[(k + 1) % members.len()];
        let off = chain.arena.len();
        chain
            .arena
            .extend_from_slice(zone.owner_name(next).as_wire());
        encode_type_bitmap(&bitmap_types(zone, i, Chain::Nsec), &mut chain.arena);
        chain.entries.push(NsecEntry {
            owner: i as u32,
            off: off as u32,
            len: (chain.arena.len() - off) as u16,
        });
    }
    Ok(chain)
}
