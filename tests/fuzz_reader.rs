//! Property tests that fuzz the zone-file reader: no input may panic it,
//! and whatever it accepts must write out and read back to the same zone.

mod common;

use proptest::prelude::*;
use zonesign::zone::load::load_zone;
use zonesign::zone::BuildOptions;

const SEED_ZONE: &str = include_str!("../testdata/example.com.zone");
const SMALL_ZONE: &str = include_str!("../testdata/small.zone");

fn read_bytes(bytes: &[u8]) -> Option<String> {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = dir.path().join("z.zone");
    std::fs::write(&p, bytes).expect("write");
    // Includes resolve inside the temp dir: give the example's include too.
    std::fs::write(dir.path().join("example.com.inc"), "@ A 192.0.2.1\n").expect("write");
    let zone = load_zone(&p, None, BuildOptions::default()).ok()?;
    let mut out = Vec::new();
    zonesign::output::write_zone_text(&zone, &mut out).expect("emit to memory");
    Some(String::from_utf8(out).expect("emitted text is UTF-8"))
}

/// Records as read (owner, TTL, class, type, RDATA, file, line, column),
/// or the error text: once in one go, once in `pieces` parallel pieces.
type Recs = Result<Vec<common::Rec>, String>;

fn read_both_ways(bytes: &[u8], pieces: usize) -> (Recs, Recs) {
    use common::rec;
    use zonesign::zonefile::{read_zone, read_zone_in_pieces, ReadOptions};
    let dir = tempfile::tempdir().expect("tempdir");
    let p = dir.path().join("z.zone");
    std::fs::write(&p, bytes).expect("write");
    std::fs::write(dir.path().join("example.com.inc"), "@ A 192.0.2.1\n").expect("write");
    let opts = |pieces| ReadOptions {
        origin: None,
        default_ttl: None,
        pieces,
        ..Default::default()
    };
    let mut one = Vec::new();
    let one = read_zone(&p, &opts(1), &mut |r| one.push(rec(r)))
        .map(|_| one)
        .map_err(|e| e.to_string());
    let many = read_zone_in_pieces(
        &p,
        &opts(pieces),
        |_, _| Vec::new(),
        |v: &mut Vec<_>, r| v.push(rec(r)),
    )
    .map(|(_, v)| v.concat())
    .map_err(|e| e.to_string());
    (one, many)
}

/// Applies byte edits: 0 overwrites, 1 inserts, 2 removes.
fn mutate(bytes: &mut Vec<u8>, edits: Vec<(prop::sample::Index, u8, u8)>) {
    for (idx, b, op) in edits {
        let i = idx.index(bytes.len().max(1));
        match op {
            0 if i < bytes.len() => bytes[i] = b,
            1 => bytes.insert(i.min(bytes.len()), b),
            _ if i < bytes.len() => {
                bytes.remove(i);
            }
            _ => {}
        }
    }
}

fn round_trips(text: &str) {
    let again = read_bytes(text.as_bytes()).expect("emitted zone must re-read");
    assert_eq!(text, again, "emit → read → emit changed the zone");
}

/// Zone-ish text: tokens the lexer and directives care about.
fn zoneish() -> impl Strategy<Value = String> {
    let tok = prop_oneof![
        Just("$ORIGIN ".to_string()),
        Just("$TTL ".to_string()),
        Just("$GENERATE ".to_string()),
        Just("$INCLUDE ".to_string()),
        Just("@ ".to_string()),
        Just("( ".to_string()),
        Just(") ".to_string()),
        Just("\"".to_string()),
        Just("; c\n".to_string()),
        Just("\n".to_string()),
        Just("  ".to_string()),
        Just("\\".to_string()),
        Just("\\# ".to_string()),
        Just("IN ".to_string()),
        Just("SOA ".to_string()),
        Just("A ".to_string()),
        Just("TXT ".to_string()),
        Just("SVCB ".to_string()),
        Just("RRSIG ".to_string()),
        Just("NSEC3 ".to_string()),
        Just("LOC ".to_string()),
        Just("TYPE65534 ".to_string()),
        "[0-9]{1,5} ",
        "[a-z*.-]{1,12} ",
        "\\\\[0-9]{3}",
        "[ -~]{0,8}",
    ];
    prop::collection::vec(tok, 0..60).prop_map(|v| v.concat())
}

proptest! {
    // 400 cases in the suite; PROPTEST_CASES=100000 for a long fuzzing run.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(400),
        .. ProptestConfig::default()
    })]

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let _ = read_bytes(&bytes);
    }

    #[test]
    fn zoneish_text_never_panics_and_round_trips(body in zoneish()) {
        let text = format!("$ORIGIN example.com.\n$TTL 60\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\n{body}\n");
        if let Some(out) = read_bytes(text.as_bytes()) {
            round_trips(&out);
        }
    }

    #[test]
    fn mutated_real_zones_never_panic(
        which in 0usize..2,
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 1..8),
    ) {
        let mut bytes = if which == 0 { SEED_ZONE } else { SMALL_ZONE }.as_bytes().to_vec();
        mutate(&mut bytes, edits);
        if let Some(out) = read_bytes(&bytes) {
            round_trips(&out);
        }
    }

    #[test]
    fn pieces_read_what_one_read_reads(
        which in 0usize..2,
        pieces in 2usize..40,
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 0..8),
        body in zoneish(),
    ) {
        // Without its $INCLUDE the example can be read in pieces.
        let seed = SEED_ZONE.replace("$INCLUDE", "; $INCLUDE");
        let mut bytes = if which == 0 { seed.as_str() } else { SMALL_ZONE }.as_bytes().to_vec();
        bytes.extend_from_slice(body.as_bytes());
        mutate(&mut bytes, edits);
        let (one, many) = read_both_ways(&bytes, pieces);
        prop_assert_eq!(one, many);
    }
}
