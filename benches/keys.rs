//! Benchmark (not a test): key generation per algorithm, signing, DS
//! computation and key loading. Plain `std::time::Instant`, no harness:
//!
//!     cargo bench --bench keys            # release build
//!     cargo bench --bench keys -- quick   # fewer iterations
//!     cargo test --bench keys             # smoke run, fewer iterations
//!
//! Prints one line per measurement: name, iterations, time per operation,
//! operations per second.

use std::hint::black_box;
use std::time::{Duration, Instant};

use zonesign::ds::{ds_rdata, DigestType};
use zonesign::keys::{generate, key_tag, load_key_pair, write_key_files, Algorithm, KeyTiming};
use zonesign::name::Name;

fn report(name: &str, n: u32, d: Duration) {
    let per = d / n.max(1);
    let ops = f64::from(n) / d.as_secs_f64();
    println!("{name:<40} {n:>8} iter  {per:>12.3?}/op  {ops:>12.1} op/s");
}

fn time<F: FnMut()>(name: &str, n: u32, mut f: F) {
    let start = Instant::now();
    for _ in 0..n {
        f();
    }
    report(name, n, start.elapsed());
}

fn main() {
    // `cargo bench` passes --bench; under `cargo test` (the test suite's
    // smoke run of every target) do a few iterations only.
    let quick = std::env::args().any(|a| a == "quick") || !std::env::args().any(|a| a == "--bench");
    let scale = |n: u32| if quick { (n / 10).max(1) } else { n };
    let zone = Name::from_ascii("example.com").expect("zone name");

    println!("# key generation");
    for (alg, bits, n) in [
        (Algorithm::RsaSha256, Some(1024), 20),
        (Algorithm::RsaSha256, Some(2048), 10),
        (Algorithm::RsaSha512, Some(2048), 10),
        (Algorithm::RsaSha256, Some(4096), 2),
        (Algorithm::EcdsaP256Sha256, None, 2000),
        (Algorithm::EcdsaP384Sha384, None, 1000),
        (Algorithm::Ed25519, None, 5000),
    ] {
        let label = format!(
            "generate {}{}",
            alg.mnemonic(),
            bits.map(|b| format!("/{b}")).unwrap_or_default()
        );
        time(&label, scale(n), || {
            black_box(generate(&zone, alg, true, bits).expect("generate"));
        });
    }

    println!("# signing 100-byte messages (one thread)");
    let msg = [0x5au8; 100];
    for (alg, bits, n) in [
        (Algorithm::RsaSha256, Some(1024), 2000),
        (Algorithm::RsaSha256, Some(2048), 1000),
        (Algorithm::EcdsaP256Sha256, None, 20000),
        (Algorithm::EcdsaP384Sha384, None, 5000),
        (Algorithm::Ed25519, None, 20000),
    ] {
        let key = generate(&zone, alg, false, bits).expect("generate");
        let label = format!(
            "sign {}{}",
            alg.mnemonic(),
            bits.map(|b| format!("/{b}")).unwrap_or_default()
        );
        time(&label, scale(n), || {
            black_box(key.sign(black_box(&msg)).expect("sign"));
        });
    }

    println!("# DS and key tag");
    let key = generate(&zone, Algorithm::RsaSha256, true, Some(2048)).expect("generate");
    let rdata = key.dnskey().to_rdata();
    for dt in [DigestType::Sha256, DigestType::Sha384, DigestType::Sha1] {
        time(
            &format!("DS {} (RSA 2048 DNSKEY)", dt.mnemonic()),
            scale(200_000),
            || {
                black_box(ds_rdata(&zone, black_box(&rdata), dt));
            },
        );
    }
    time("key tag (RSA 2048 DNSKEY)", scale(1_000_000), || {
        black_box(key_tag(black_box(&rdata)));
    });

    println!("# loading key files (.key + .private, match check, ring objects)");
    let dir = tempfile::tempdir().expect("tempdir");
    for (alg, bits, n) in [
        (Algorithm::RsaSha256, Some(2048), 200),
        (Algorithm::EcdsaP256Sha256, None, 2000),
        (Algorithm::Ed25519, None, 2000),
    ] {
        let mut k = generate(&zone, alg, true, bits).expect("generate");
        k.set_timing(KeyTiming::created_now(1_767_225_600));
        let base = write_key_files(dir.path(), &k).expect("write");
        time(&format!("load {}", alg.mnemonic()), scale(n), || {
            black_box(load_key_pair(&base).expect("load"));
        });
    }
}
