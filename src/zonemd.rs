//! Zone digests: the ZONEMD record (RFC 8976).
//!
//! The SIMPLE scheme (RFC 8976 §3.3.1) hashes every RR of the zone in
//! canonical form and order (RFC 4034 §6), once each, leaving out the apex
//! ZONEMD RRset and the RRSIGs that cover it. [`Digester`] takes RRs in that
//! order from whoever walks a zone: [`digest_zone`] walks the model (for
//! `verify`), the signer walks the signed zone it is about to write.

use rayon::prelude::*;

use crate::rdata::{canonicalize_rdata, rtype};
use crate::zone::{Row, Zone};

/// The SIMPLE scheme (RFC 8976 §2.2.2).
pub const SCHEME_SIMPLE: u8 = 1;
/// SHA-384 (RFC 8976 §2.2.3).
pub const HASH_SHA384: u8 = 1;
/// SHA-512 (RFC 8976 §2.2.3).
pub const HASH_SHA512: u8 = 2;
/// Shortest digest a ZONEMD may carry (RFC 8976 §2.2.4).
const MIN_DIGEST_LEN: usize = 12;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ZonemdError {
    #[error("ZONEMD RDATA is too short (RFC 8976 §2.2: serial, scheme, hash algorithm and a digest of at least 12 octets)")]
    Malformed,
    #[error("ZONEMD hash algorithm {hash} needs a {want}-octet digest, this one has {got} (RFC 8976 §2.2.4)")]
    DigestLength { hash: u8, want: usize, got: usize },
    #[error("ZONEMD scheme {0} is not supported (only 1, SIMPLE)")]
    UnsupportedScheme(u8),
    #[error("ZONEMD hash algorithm {0} is not supported (1 SHA-384, 2 SHA-512)")]
    UnsupportedHash(u8),
    #[error(
        "more than one apex ZONEMD with scheme {scheme} and hash algorithm {hash} (RFC 8976 §2)"
    )]
    Duplicate { scheme: u8, hash: u8 },
}

/// The fields of a ZONEMD record (RFC 8976 §2.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Zonemd {
    pub serial: u32,
    pub scheme: u8,
    pub hash: u8,
    pub digest: Vec<u8>,
}

impl Zonemd {
    pub fn from_rdata(rd: &[u8]) -> Result<Zonemd, ZonemdError> {
        if rd.len() < 6 + MIN_DIGEST_LEN {
            return Err(ZonemdError::Malformed);
        }
        let z = Zonemd {
            serial: u32::from_be_bytes([rd[0], rd[1], rd[2], rd[3]]),
            scheme: rd[4],
            hash: rd[5],
            digest: rd[6..].to_vec(),
        };
        if let Some(want) = digest_len(z.hash) {
            if want != z.digest.len() {
                return Err(ZonemdError::DigestLength {
                    hash: z.hash,
                    want,
                    got: z.digest.len(),
                });
            }
        }
        Ok(z)
    }

    pub fn to_rdata(&self) -> Vec<u8> {
        let mut v = Vec::with_capacity(6 + self.digest.len());
        v.extend_from_slice(&self.serial.to_be_bytes());
        v.push(self.scheme);
        v.push(self.hash);
        v.extend_from_slice(&self.digest);
        v
    }

    /// A scheme and hash this module can compute.
    pub fn supported(&self) -> Result<(), ZonemdError> {
        if self.scheme != SCHEME_SIMPLE {
            return Err(ZonemdError::UnsupportedScheme(self.scheme));
        }
        digest_len(self.hash)
            .map(|_| ())
            .ok_or(ZonemdError::UnsupportedHash(self.hash))
    }

    /// A SIMPLE record for `hash` whose digest is still zeros: what the
    /// zone carries while it is signed and digested (RFC 8976 §3.1).
    pub fn placeholder(serial: u32, hash: u8) -> Result<Zonemd, ZonemdError> {
        let len = digest_len(hash).ok_or(ZonemdError::UnsupportedHash(hash))?;
        Ok(Zonemd {
            serial,
            scheme: SCHEME_SIMPLE,
            hash,
            digest: vec![0; len],
        })
    }
}

/// Digest length of a hash algorithm we support.
pub fn digest_len(hash: u8) -> Option<usize> {
    match hash {
        HASH_SHA384 => Some(48),
        HASH_SHA512 => Some(64),
        _ => None,
    }
}

/// Checks an apex ZONEMD RRset for two records with the same scheme and
/// hash (RFC 8976 §2: such an RRset cannot be verified).
pub fn check_unique(records: &[Zonemd]) -> Result<(), ZonemdError> {
    let mut seen: Vec<(u8, u8)> = Vec::new();
    for z in records {
        if seen.contains(&(z.scheme, z.hash)) {
            return Err(ZonemdError::Duplicate {
                scheme: z.scheme,
                hash: z.hash,
            });
        }
        seen.push((z.scheme, z.hash));
    }
    Ok(())
}

/// The SERIAL field of SOA RDATA (RFC 1035 §3.3.13): after two names.
pub fn soa_serial(soa: &[u8]) -> Option<u32> {
    crate::zone::soa_field(soa, 0)
}

/// SIMPLE-scheme digests for several hash algorithms at once, fed with
/// canonical RRs in canonical order (RFC 8976 §3.3.1.2).
pub struct Digester {
    contexts: Vec<(u8, ring::digest::Context)>,
}

impl Digester {
    pub fn new(hashes: &[u8]) -> Result<Digester, ZonemdError> {
        let mut contexts = Vec::new();
        for &h in hashes {
            let alg = match h {
                HASH_SHA384 => &ring::digest::SHA384,
                HASH_SHA512 => &ring::digest::SHA512,
                other => return Err(ZonemdError::UnsupportedHash(other)),
            };
            if !contexts.iter().any(|(x, _)| *x == h) {
                contexts.push((h, ring::digest::Context::new(alg)));
            }
        }
        Ok(Digester { contexts })
    }

    /// Hashes serialised RRs (see [`CanonicalRrs`]).
    pub fn update(&mut self, bytes: &[u8]) {
        for (_, c) in &mut self.contexts {
            c.update(bytes);
        }
    }

    /// The digest for each hash algorithm asked for, in that order.
    pub fn finish(self) -> Vec<(u8, Vec<u8>)> {
        self.contexts
            .into_iter()
            .map(|(h, c)| (h, c.finish().as_ref().to_vec()))
            .collect()
    }
}

/// RRs in canonical wire form (RFC 4034 §6.2), gathered for hashing.
#[derive(Debug, Default)]
pub struct CanonicalRrs {
    bytes: Vec<u8>,
    /// Holds an RDATA while the names in it are lowercased.
    scratch: Vec<u8>,
}

impl CanonicalRrs {
    fn with_capacity(n: usize) -> CanonicalRrs {
        CanonicalRrs {
            bytes: Vec::with_capacity(n),
            scratch: Vec::new(),
        }
    }

    /// Appends one RR: `owner` already lowercase, the RDATA made canonical
    /// here.
    pub fn push(&mut self, owner: &[u8], rtype: u16, class: u16, ttl: u32, rdata: &[u8]) {
        let out = &mut self.bytes;
        out.extend_from_slice(owner);
        out.extend_from_slice(&rtype.to_be_bytes());
        out.extend_from_slice(&class.to_be_bytes());
        out.extend_from_slice(&ttl.to_be_bytes());
        out.extend_from_slice(&(rdata.len() as u16).to_be_bytes());
        self.scratch.clear();
        self.scratch.extend_from_slice(rdata);
        canonicalize_rdata(rtype, &mut self.scratch);
        out.extend_from_slice(&self.scratch);
    }
}

/// Items serialised per parallel task; a hashing round takes a few tasks
/// per thread: the hash is sequential, the serialising is not.
const ITEMS_PER_TASK: usize = 512;

/// Digests `items` in order: `push(item, rrs)` appends an item's RRs and
/// runs in parallel chunks, the hash runs over the chunks in order. Shared
/// by the model walk and the signer's walk.
pub fn digest_items<T: Sync>(
    items: &[T],
    hashes: &[u8],
    push: impl Fn(&T, &mut CanonicalRrs) + Sync,
) -> Result<Vec<(u8, Vec<u8>)>, ZonemdError> {
    let mut digester = Digester::new(hashes)?;
    let round = ITEMS_PER_TASK * rayon::current_num_threads().max(1) * 4;
    for window in items.chunks(round) {
        let bufs: Vec<CanonicalRrs> = window
            .par_chunks(ITEMS_PER_TASK)
            .map(|chunk| {
                let mut rrs = CanonicalRrs::with_capacity(chunk.len() * 256);
                for item in chunk {
                    push(item, &mut rrs);
                }
                rrs
            })
            .collect();
        for b in &bufs {
            digester.update(&b.bytes);
        }
    }
    Ok(digester.finish())
}

/// The SIMPLE digests of a zone model as read (RFC 8976 §3.3.1): every RR
/// the model holds (glue and occluded data included, duplicates already
/// gone, out-of-zone data already left out), except the apex ZONEMD RRset
/// and the RRSIGs covering it.
pub fn digest_zone(zone: &Zone, hashes: &[u8]) -> Result<Vec<(u8, Vec<u8>)>, ZonemdError> {
    let apex = zone.apex();
    let owners: Vec<usize> = (0..zone.owners.len()).collect();
    digest_items(&owners, hashes, |&i, rrs| {
        let owner = zone.owner_name(i).to_lowercase();
        let at_apex = Some(i) == apex;
        for set in zone.rrsets(i) {
            if at_apex && set.rtype == rtype::ZONEMD {
                continue;
            }
            for row in set.rows {
                let rd = zone.rdata(row);
                if at_apex && set.rtype == rtype::RRSIG && covers_zonemd(rd) {
                    continue;
                }
                rrs.push(owner.as_wire(), set.rtype, zone.class, row.ttl, rd);
            }
        }
    })
}

/// An RRSIG whose Type Covered is ZONEMD (RFC 4034 §3.1.1).
pub fn covers_zonemd(rrsig: &[u8]) -> bool {
    rrsig.len() >= 2 && u16::from_be_bytes([rrsig[0], rrsig[1]]) == rtype::ZONEMD
}

/// The apex ZONEMD records of a zone, parsed (errors kept per record).
fn apex_records(zone: &Zone) -> Vec<(Row, Result<Zonemd, ZonemdError>)> {
    let Some(apex) = zone.apex() else {
        return Vec::new();
    };
    zone.rrset(apex, rtype::ZONEMD)
        .map(|s| {
            s.rows
                .iter()
                .map(|r| (*r, Zonemd::from_rdata(zone.rdata(r))))
                .collect()
        })
        .unwrap_or_default()
}

/// One apex ZONEMD record weighed against the zone (RFC 8976 §4).
#[derive(Debug, Clone)]
pub struct ApexZonemd {
    pub row: Row,
    /// The record, or why its RDATA is malformed.
    pub record: Result<Zonemd, ZonemdError>,
    /// An earlier record has the same scheme and hash (RFC 8976 §2).
    pub duplicate: bool,
    /// The zone's digest for the record's hash: `None` when the record is
    /// malformed, of a scheme or hash we cannot compute, or digests were
    /// not asked for.
    pub zone_digest: Option<Vec<u8>>,
}

impl ApexZonemd {
    /// Scheme and hash, read from the RDATA even when it is malformed.
    pub fn scheme_hash(&self, zone: &Zone) -> (u8, u8) {
        match &self.record {
            Ok(z) => (z.scheme, z.hash),
            Err(_) => {
                let rd = zone.rdata(&self.row);
                (
                    rd.get(4).copied().unwrap_or(0),
                    rd.get(5).copied().unwrap_or(0),
                )
            }
        }
    }
}

/// The apex ZONEMD records and what they are worth: `check` and `verify`
/// word the answer their own way. With `compute` false no digest is
/// computed (the model is not the zone as written). Also returns the SOA
/// serial every record must carry.
pub fn weigh_apex(zone: &Zone, compute: bool) -> (Option<u32>, Vec<ApexZonemd>) {
    let soa = zone.soa().and_then(soa_serial);
    let mut seen: Vec<(u8, u8)> = Vec::new();
    let mut out: Vec<ApexZonemd> = apex_records(zone)
        .into_iter()
        .map(|(row, record)| {
            let duplicate = match &record {
                Ok(z) if seen.contains(&(z.scheme, z.hash)) => true,
                Ok(z) => {
                    seen.push((z.scheme, z.hash));
                    false
                }
                Err(_) => false,
            };
            ApexZonemd {
                row,
                record,
                duplicate,
                zone_digest: None,
            }
        })
        .collect();
    let hashes: Vec<u8> = out
        .iter()
        .filter_map(|a| a.record.as_ref().ok())
        .filter(|z| z.supported().is_ok())
        .map(|z| z.hash)
        .collect();
    if compute && !hashes.is_empty() {
        if let Ok(digests) = digest_zone(zone, &hashes) {
            for a in &mut out {
                if let Ok(z) = &a.record {
                    a.zone_digest = digests
                        .iter()
                        .find(|(h, _)| *h == z.hash && z.supported().is_ok())
                        .map(|(_, d)| d.clone());
                }
            }
        }
    }
    (soa, out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::hex;
    use crate::zone::load::load_zone;
    use crate::zone::BuildOptions;

    /// Loads zone text as `verify` does (TTLs as written, DNSSEC kept).
    fn load(text: &str, origin: &str) -> Zone {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("z.zone");
        std::fs::write(&p, text).expect("write");
        load_zone(
            &p,
            Some(crate::name::Name::from_ascii(origin).expect("origin")),
            BuildOptions {
                max_ttl: None,
                strip_dnssec: false,
                ..Default::default()
            },
        )
        .expect("zone")
    }

    /// Every apex ZONEMD we can compute agrees with the digest it carries.
    fn assert_digests_match(zone: &Zone) -> usize {
        let recs: Vec<Zonemd> = apex_records(zone)
            .into_iter()
            .filter_map(|(_, z)| z.ok())
            .filter(|z| z.supported().is_ok())
            .collect();
        let hashes: Vec<u8> = recs.iter().map(|z| z.hash).collect();
        let got = digest_zone(zone, &hashes).expect("digest");
        for z in &recs {
            let d = &got.iter().find(|(h, _)| *h == z.hash).expect("hash").1;
            assert_eq!(d, &z.digest, "hash {} of {}", z.hash, zone.origin);
        }
        recs.len()
    }

    // RFC 8976 Appendix A.1, as printed there.
    const A1: &str = "example.      86400  IN  SOA     ns1 admin 2018031900 (
                                 1800 900 604800 86400 )
              86400  IN  NS      ns1
              86400  IN  NS      ns2
              86400  IN  ZONEMD  2018031900 1 1 (
                                 c68090d90a7aed71
                                 6bc459f9340e3d7c
                                 1370d4d24b7e2fc3
                                 a1ddc0b9a87153b9
                                 a9713b3c9ae5cc27
                                 777f98b8e730044c )
ns1           3600   IN  A       203.0.113.63
NS2           3600   IN  AAAA    2001:db8::63
";

    // RFC 8976 Appendix A.2: occluded data, duplicates, out-of-zone data,
    // upper case, a wildcard, RDATA order, a non-apex ZONEMD.
    const A2: &str = "example.      86400  IN  SOA     ns1 admin 2018031900 (
                                 1800 900 604800 86400 )
              86400  IN  NS      ns1
              86400  IN  NS      ns2
              86400  IN  ZONEMD  2018031900 1 1 (
                                 a3b69bad980a3504
                                 e1cffcb0fd6397f9
                                 3848071c93151f55
                                 2ae2f6b1711d4bd2
                                 d8b39808226d7b9d
                                 b71e34b72077f8fe )
ns1           3600   IN  A       203.0.113.63
NS2           3600   IN  AAAA    2001:db8::63
occluded.sub  7200   IN  TXT     \"I'm occluded but must be digested\"
sub           7200   IN  NS      ns1
duplicate     300    IN  TXT     \"I must be digested just once\"
duplicate     300    IN  TXT     \"I must be digested just once\"
foo.test.     555    IN  TXT     \"out-of-zone data must be excluded\"
UPPERCASE     3600   IN  TXT     \"canonicalize uppercase owner names\"
*             777    IN  PTR     dont-forget-about-wildcards
mail          3600   IN  MX      20 MAIL1
mail          3600   IN  MX      10 Mail2.Example.
sortme        3600   IN  AAAA    2001:db8::5:61
sortme        3600   IN  AAAA    2001:db8::3:62
sortme        3600   IN  AAAA    2001:db8::4:63
sortme        3600   IN  AAAA    2001:db8::1:65
sortme        3600   IN  AAAA    2001:db8::2:64
non-apex      900    IN  ZONEMD  2018031900 1 1 (
                                 616c6c6f77656420
                                 6275742069676e6f
                                 7265642e20616c6c
                                 6f77656420627574
                                 2069676e6f726564
                                 2e20616c6c6f7765 )
";

    // RFC 8976 Appendix A.3: SHA-384 and SHA-512, and two records with a
    // hash algorithm (240) and a scheme (241) nobody implements.
    const A3: &str = "example.      86400  IN  SOA     ns1 admin 2018031900 (
                                 1800 900 604800 86400 )
example.      86400  IN  NS      ns1.example.
example.      86400  IN  NS      ns2.example.
example.      86400  IN  ZONEMD  2018031900 1 1 (
                                 62e6cf51b02e54b9
                                 b5f967d547ce4313
                                 6792901f9f88e637
                                 493daaf401c92c27
                                 9dd10f0edb1c56f8
                                 080211f8480ee306 )
example.      86400  IN  ZONEMD  2018031900 1 2 (
                                 08cfa1115c7b948c
                                 4163a901270395ea
                                 226a930cd2cbcf2f
                                 a9a5e6eb85f37c8a
                                 4e114d884e66f176
                                 eab121cb02db7d65
                                 2e0cc4827e7a3204
                                 f166b47e5613fd27 )
example.      86400  IN  ZONEMD  2018031900 1 240 (
                                 e2d523f654b9422a
                                 96c5a8f44607bbee )
example.      86400  IN  ZONEMD  2018031900 241 1 (
                                 e1846540e33a9e41
                                 89792d18d5d131f6
                                 05fc283eaaaaaaaa
                                 aaaaaaaaaaaaaaaa
                                 aaaaaaaaaaaaaaaa
                                 aaaaaaaaaaaaaaaa)
ns1.example.  3600   IN  A       203.0.113.63
ns2.example.  86400  IN  TXT     \"This example has multiple digests\"
NS2.EXAMPLE.  3600   IN  AAAA    2001:db8::63
";

    #[test]
    fn rfc8976_appendix_a1_simple() {
        let zone = load(A1, "example.");
        assert_eq!(assert_digests_match(&zone), 1);
        let got = digest_zone(&zone, &[HASH_SHA384]).expect("digest");
        assert_eq!(
            got[0].1,
            hex("c68090d90a7aed716bc459f9340e3d7c1370d4d24b7e2fc3a1ddc0b9a87153b9a9713b3c9ae5cc27777f98b8e730044c")
        );
    }

    #[test]
    fn rfc8976_appendix_a2_complex() {
        let zone = load(A2, "example.");
        assert_eq!(assert_digests_match(&zone), 1);
    }

    #[test]
    fn rfc8976_appendix_a3_multiple_digests() {
        let zone = load(A3, "example.");
        let all = apex_records(&zone);
        assert_eq!(all.len(), 4);
        let unsupported = all
            .iter()
            .filter(|(_, z)| z.as_ref().map_or(true, |z| z.supported().is_err()))
            .count();
        assert_eq!(unsupported, 2);
        assert_eq!(assert_digests_match(&zone), 2);
    }

    #[test]
    fn a_changed_record_changes_the_digest() {
        let zone = load(&A1.replace("203.0.113.63", "203.0.113.64"), "example.");
        let got = digest_zone(&zone, &[HASH_SHA384]).expect("digest");
        let want = apex_records(&zone)[0].1.clone().expect("zonemd");
        assert_ne!(got[0].1, want.digest);
    }

    #[test]
    fn rdata_fields_and_limits() {
        let z = Zonemd::placeholder(7, HASH_SHA512).expect("sha512");
        let rd = z.to_rdata();
        assert_eq!(rd.len(), 6 + 64);
        assert_eq!(Zonemd::from_rdata(&rd), Ok(z));
        assert_eq!(Zonemd::from_rdata(&rd[..10]), Err(ZonemdError::Malformed));
        let mut short = Zonemd::placeholder(7, HASH_SHA384)
            .expect("sha384")
            .to_rdata();
        short.truncate(6 + 20);
        assert!(matches!(
            Zonemd::from_rdata(&short),
            Err(ZonemdError::DigestLength {
                want: 48,
                got: 20,
                ..
            })
        ));
        let dup = [
            Zonemd::placeholder(1, 1).expect("a"),
            Zonemd::placeholder(2, 1).expect("b"),
        ];
        assert_eq!(
            check_unique(&dup),
            Err(ZonemdError::Duplicate { scheme: 1, hash: 1 })
        );
    }

    #[test]
    fn soa_serial_is_read_after_the_names() {
        let zone = load(A1, "example.");
        assert_eq!(soa_serial(zone.soa().expect("soa")), Some(2018031900));
        assert_eq!(soa_serial(&[0, 0]), None);
    }
}
