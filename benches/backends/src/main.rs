//! Signs and verifies 160-octet messages (the size of a typical RRset's
//! RFC 4034 §3.1.8.1 signed data) with every candidate backend for each
//! DNSSEC algorithm zonesign signs, and prints one Markdown row per
//! algorithm, operation and backend: operations per second per core with
//! one thread and with `--threads N` threads side by side.
//!
//! Each backend is driven the way a signer would use it: keys parsed once,
//! the message hashed by the backend. OpenSSL is driven through its EVP
//! interface (what BIND and ldns use). Every signature is checked by
//! another backend before timing, so a row measures working code.

use std::sync::Arc;
use std::time::{Duration, Instant};

use openssl::hash::MessageDigest;
use openssl::pkey::PKey;

type Op = Arc<dyn Fn() + Send + Sync>;

const MSG: [u8; 160] = [0x5a; 160];

struct Row {
    alg: &'static str,
    op: &'static str,
    backend: String,
    run: Op,
    /// Signatures checked per call (batch verification).
    per_call: f64,
}

fn rate(run: &Op, threads: usize, per_call: f64, secs: f64) -> f64 {
    let stop = Duration::from_secs_f64(secs);
    let counts: Vec<u64> = std::thread::scope(|s| {
        let hs: Vec<_> = (0..threads)
            .map(|_| {
                let run = run.clone();
                s.spawn(move || {
                    for _ in 0..5 {
                        run();
                    }
                    let start = Instant::now();
                    let mut n = 0u64;
                    while start.elapsed() < stop {
                        for _ in 0..10 {
                            run();
                        }
                        n += 10;
                    }
                    (n as f64 / start.elapsed().as_secs_f64()) as u64
                })
            })
            .collect();
        hs.into_iter()
            .map(|h| h.join().expect("bench thread"))
            .collect()
    });
    // Per core: the mean of the threads' rates.
    counts.iter().sum::<u64>() as f64 / threads as f64 * per_call
}

fn rsa_rows(rows: &mut Vec<Row>, alg: &'static str, bits: u32, sha512: bool) {
    let rsa = openssl::rsa::Rsa::generate(bits).expect("RSA key");
    let pkey = PKey::from_rsa(rsa.clone()).expect("PKey");
    let pkcs8 = pkey.private_key_to_pkcs8().expect("PKCS#8");
    let ring_kp = Arc::new(ring::signature::RsaKeyPair::from_pkcs8(&pkcs8).expect("ring RSA"));
    let ring_enc: &'static dyn ring::signature::RsaEncoding = if sha512 {
        &ring::signature::RSA_PKCS1_SHA512
    } else {
        &ring::signature::RSA_PKCS1_SHA256
    };
    let lc_kp = Arc::new(aws_lc_rs::signature::RsaKeyPair::from_pkcs8(&pkcs8).expect("aws-lc RSA"));
    let lc_enc: &'static dyn aws_lc_rs::signature::RsaEncoding = if sha512 {
        &aws_lc_rs::signature::RSA_PKCS1_SHA512
    } else {
        &aws_lc_rs::signature::RSA_PKCS1_SHA256
    };
    let md = if sha512 {
        MessageDigest::sha512()
    } else {
        MessageDigest::sha256()
    };
    // Known answer across backends: PKCS#1 v1.5 is deterministic.
    let mut sig = vec![0u8; ring_kp.public().modulus_len()];
    ring_kp
        .sign(ring_enc, &ring::rand::SystemRandom::new(), &MSG, &mut sig)
        .expect("ring sign");
    let mut lc_sig = vec![0u8; lc_kp.public_modulus_len()];
    lc_kp
        .sign(
            lc_enc,
            &aws_lc_rs::rand::SystemRandom::new(),
            &MSG,
            &mut lc_sig,
        )
        .expect("aws-lc sign");
    let mut s = openssl::sign::Signer::new(md, &pkey).expect("signer");
    s.update(&MSG).expect("update");
    assert_eq!(lc_sig, sig, "{alg}: aws-lc-rs and ring differ");
    assert_eq!(
        s.sign_to_vec().expect("sign"),
        sig,
        "{alg}: OpenSSL and ring differ"
    );

    let (k, rng) = (ring_kp.clone(), ring::rand::SystemRandom::new());
    rows.push(Row {
        alg,
        op: "sign",
        backend: "ring".into(),
        per_call: 1.0,
        run: Arc::new(move || {
            let mut out = vec![0u8; k.public().modulus_len()];
            k.sign(ring_enc, &rng, &MSG, &mut out).expect("sign");
        }),
    });
    let (k, rng) = (lc_kp.clone(), aws_lc_rs::rand::SystemRandom::new());
    rows.push(Row {
        alg,
        op: "sign",
        backend: "aws-lc-rs".into(),
        per_call: 1.0,
        run: Arc::new(move || {
            let mut out = vec![0u8; k.public_modulus_len()];
            k.sign(lc_enc, &rng, &MSG, &mut out).expect("sign");
        }),
    });
    let p = pkey.clone();
    rows.push(Row {
        alg,
        op: "sign",
        backend: "openssl (EVP)".into(),
        per_call: 1.0,
        run: Arc::new(move || {
            let mut s = openssl::sign::Signer::new(md, &p).expect("signer");
            s.update(&MSG).expect("update");
            std::hint::black_box(s.sign_to_vec().expect("sign"));
        }),
    });

    let (n, e) = (rsa.n().to_vec(), rsa.e().to_vec());
    let ring_params: &'static ring::signature::RsaParameters = if sha512 {
        &ring::signature::RSA_PKCS1_1024_8192_SHA512_FOR_LEGACY_USE_ONLY
    } else {
        &ring::signature::RSA_PKCS1_1024_8192_SHA256_FOR_LEGACY_USE_ONLY
    };
    let (n2, e2, s2) = (n.clone(), e.clone(), sig.clone());
    rows.push(Row {
        alg,
        op: "verify",
        backend: "ring".into(),
        per_call: 1.0,
        run: Arc::new(move || {
            ring::signature::RsaPublicKeyComponents { n: &n2, e: &e2 }
                .verify(ring_params, &MSG, &s2)
                .expect("verify");
        }),
    });
    let lc_params: &'static aws_lc_rs::signature::RsaParameters = if sha512 {
        &aws_lc_rs::signature::RSA_PKCS1_1024_8192_SHA512_FOR_LEGACY_USE_ONLY
    } else {
        &aws_lc_rs::signature::RSA_PKCS1_1024_8192_SHA256_FOR_LEGACY_USE_ONLY
    };
    let parsed = Arc::new(
        aws_lc_rs::signature::RsaPublicKeyComponents { n: &n, e: &e }
            .to_parsed_public_key(lc_params)
            .expect("parsed RSA key"),
    );
    let s2 = sig.clone();
    rows.push(Row {
        alg,
        op: "verify",
        backend: "aws-lc-rs (parsed key)".into(),
        per_call: 1.0,
        run: Arc::new(move || {
            parsed.verify_sig(&MSG, &s2).expect("verify");
        }),
    });
    let public = Arc::new(
        PKey::from_rsa(
            openssl::rsa::Rsa::from_public_components(
                openssl::bn::BigNum::from_slice(&n).expect("n"),
                openssl::bn::BigNum::from_slice(&e).expect("e"),
            )
            .expect("public RSA"),
        )
        .expect("PKey"),
    );
    let s2 = sig.clone();
    rows.push(Row {
        alg,
        op: "verify",
        backend: "openssl (EVP)".into(),
        per_call: 1.0,
        run: Arc::new(move || {
            let mut v = openssl::sign::Verifier::new(md, &public).expect("verifier");
            v.update(&MSG).expect("update");
            assert!(v.verify(&s2).expect("verify"));
        }),
    });
}

fn ecdsa_rows(rows: &mut Vec<Row>, alg: &'static str, p384: bool) {
    use ring::signature::KeyPair;
    let rng = ring::rand::SystemRandom::new();
    let (ring_sa, ring_va, lc_sa, lc_va, nid, len) = if p384 {
        (
            &ring::signature::ECDSA_P384_SHA384_FIXED_SIGNING,
            &ring::signature::ECDSA_P384_SHA384_FIXED,
            &aws_lc_rs::signature::ECDSA_P384_SHA384_FIXED_SIGNING,
            &aws_lc_rs::signature::ECDSA_P384_SHA384_FIXED,
            openssl::nid::Nid::SECP384R1,
            48usize,
        )
    } else {
        (
            &ring::signature::ECDSA_P256_SHA256_FIXED_SIGNING,
            &ring::signature::ECDSA_P256_SHA256_FIXED,
            &aws_lc_rs::signature::ECDSA_P256_SHA256_FIXED_SIGNING,
            &aws_lc_rs::signature::ECDSA_P256_SHA256_FIXED,
            openssl::nid::Nid::X9_62_PRIME256V1,
            32usize,
        )
    };
    let doc = ring::signature::EcdsaKeyPair::generate_pkcs8(ring_sa, &rng).expect("EC key");
    let ring_kp = Arc::new(
        ring::signature::EcdsaKeyPair::from_pkcs8(ring_sa, doc.as_ref(), &rng).expect("ring EC"),
    );
    let point = ring_kp.public_key().as_ref().to_vec();
    let lc_kp = Arc::new(
        aws_lc_rs::signature::EcdsaKeyPair::from_pkcs8(lc_sa, doc.as_ref()).expect("aws-lc EC"),
    );
    let ec = Arc::new(PKey::private_key_from_pkcs8(doc.as_ref()).expect("PKey"));
    let md = if p384 {
        MessageDigest::sha384()
    } else {
        MessageDigest::sha256()
    };
    // Randomised signatures: each backend must accept the others'.
    let sig = ring_kp.sign(&rng, &MSG).expect("sign").as_ref().to_vec();
    let lc_sig = lc_kp
        .sign(&aws_lc_rs::rand::SystemRandom::new(), &MSG)
        .expect("sign")
        .as_ref()
        .to_vec();
    ring::signature::UnparsedPublicKey::new(ring_va, &point)
        .verify(&MSG, &lc_sig)
        .expect("ring accepts aws-lc-rs");
    aws_lc_rs::signature::UnparsedPublicKey::new(lc_va, &point)
        .verify(&MSG, &sig)
        .expect("aws-lc-rs accepts ring");

    let k = ring_kp.clone();
    rows.push(Row {
        alg,
        op: "sign",
        backend: "ring".into(),
        per_call: 1.0,
        run: Arc::new(move || {
            std::hint::black_box(
                k.sign(&ring::rand::SystemRandom::new(), &MSG)
                    .expect("sign"),
            );
        }),
    });
    let k = lc_kp.clone();
    let lrng = aws_lc_rs::rand::SystemRandom::new();
    rows.push(Row {
        alg,
        op: "sign",
        backend: "aws-lc-rs".into(),
        per_call: 1.0,
        run: Arc::new(move || {
            std::hint::black_box(k.sign(&lrng, &MSG).expect("sign"));
        }),
    });
    let k = ec.clone();
    rows.push(Row {
        alg,
        op: "sign",
        backend: "openssl (EVP)".into(),
        per_call: 1.0,
        run: Arc::new(move || {
            let mut s = openssl::sign::Signer::new(md, &k).expect("signer");
            s.update(&MSG).expect("update");
            std::hint::black_box(s.sign_to_vec().expect("sign"));
        }),
    });

    let (p2, s2) = (point.clone(), sig.clone());
    rows.push(Row {
        alg,
        op: "verify",
        backend: "ring".into(),
        per_call: 1.0,
        run: Arc::new(move || {
            ring::signature::UnparsedPublicKey::new(ring_va, &p2)
                .verify(&MSG, &s2)
                .expect("verify");
        }),
    });
    let parsed =
        Arc::new(aws_lc_rs::signature::ParsedPublicKey::new(lc_va, &point).expect("parsed"));
    let s2 = sig.clone();
    rows.push(Row {
        alg,
        op: "verify",
        backend: "aws-lc-rs (parsed key)".into(),
        per_call: 1.0,
        run: Arc::new(move || {
            parsed.verify_sig(&MSG, &s2).expect("verify");
        }),
    });
    let group = openssl::ec::EcGroup::from_curve_name(nid).expect("group");
    let mut ctx = openssl::bn::BigNumContext::new().expect("ctx");
    let pt = openssl::ec::EcPoint::from_bytes(&group, &point, &mut ctx).expect("point");
    let public = Arc::new(
        PKey::from_ec_key(openssl::ec::EcKey::from_public_key(&group, &pt).expect("EC key"))
            .expect("PKey"),
    );
    // EVP wants DER; DNSSEC carries r || s (RFC 6605 §4).
    let der = openssl::ecdsa::EcdsaSig::from_private_components(
        openssl::bn::BigNum::from_slice(&sig[..len]).expect("r"),
        openssl::bn::BigNum::from_slice(&sig[len..]).expect("s"),
    )
    .expect("sig")
    .to_der()
    .expect("DER");
    rows.push(Row {
        alg,
        op: "verify",
        backend: "openssl (EVP)".into(),
        per_call: 1.0,
        run: Arc::new(move || {
            let mut v = openssl::sign::Verifier::new(md, &public).expect("verifier");
            v.update(&MSG).expect("update");
            assert!(v.verify(&der).expect("verify"));
        }),
    });
}

fn ed25519_rows(rows: &mut Vec<Row>) {
    use ring::signature::KeyPair;
    let alg = "15 Ed25519";
    let rng = ring::rand::SystemRandom::new();
    let doc = ring::signature::Ed25519KeyPair::generate_pkcs8(&rng).expect("key");
    let ring_kp =
        Arc::new(ring::signature::Ed25519KeyPair::from_pkcs8(doc.as_ref()).expect("ring"));
    let public = ring_kp.public_key().as_ref().to_vec();
    let lc_kp =
        Arc::new(aws_lc_rs::signature::Ed25519KeyPair::from_pkcs8(doc.as_ref()).expect("aws-lc"));
    // RFC 8410 PKCS#8 v2: the seed is the OCTET STRING at offset 16.
    let seed: [u8; 32] = doc.as_ref()[16..48].try_into().expect("seed");
    let dalek = Arc::new(ed25519_dalek::SigningKey::from_bytes(&seed));
    let ossl = Arc::new(
        PKey::private_key_from_raw_bytes(&seed, openssl::pkey::Id::ED25519).expect("PKey"),
    );
    // Deterministic (RFC 8032 §5.1.6): every backend gives the same bytes.
    let sig = ring_kp.sign(&MSG).as_ref().to_vec();
    assert_eq!(
        lc_kp.sign(&MSG).as_ref(),
        &sig[..],
        "aws-lc-rs and ring differ"
    );
    {
        use ed25519_dalek::Signer;
        assert_eq!(
            dalek.sign(&MSG).to_bytes()[..],
            sig[..],
            "dalek and ring differ"
        );
    }
    let mut s = openssl::sign::Signer::new_without_digest(&ossl).expect("signer");
    assert_eq!(
        s.sign_oneshot_to_vec(&MSG).expect("sign"),
        sig,
        "OpenSSL and ring differ"
    );

    let k = ring_kp.clone();
    rows.push(Row {
        alg,
        op: "sign",
        backend: "ring".into(),
        per_call: 1.0,
        run: Arc::new(move || {
            std::hint::black_box(k.sign(&MSG));
        }),
    });
    let k = lc_kp.clone();
    rows.push(Row {
        alg,
        op: "sign",
        backend: "aws-lc-rs".into(),
        per_call: 1.0,
        run: Arc::new(move || {
            std::hint::black_box(k.sign(&MSG));
        }),
    });
    let k = dalek.clone();
    rows.push(Row {
        alg,
        op: "sign",
        backend: "ed25519-dalek".into(),
        per_call: 1.0,
        run: Arc::new(move || {
            use ed25519_dalek::Signer;
            std::hint::black_box(k.sign(&MSG));
        }),
    });
    let k = ossl.clone();
    rows.push(Row {
        alg,
        op: "sign",
        backend: "openssl (EVP)".into(),
        per_call: 1.0,
        run: Arc::new(move || {
            let mut s = openssl::sign::Signer::new_without_digest(&k).expect("signer");
            std::hint::black_box(s.sign_oneshot_to_vec(&MSG).expect("sign"));
        }),
    });

    let (p2, s2) = (public.clone(), sig.clone());
    rows.push(Row {
        alg,
        op: "verify",
        backend: "ring".into(),
        per_call: 1.0,
        run: Arc::new(move || {
            ring::signature::UnparsedPublicKey::new(&ring::signature::ED25519, &p2)
                .verify(&MSG, &s2)
                .expect("verify");
        }),
    });
    let parsed = Arc::new(
        aws_lc_rs::signature::ParsedPublicKey::new(&aws_lc_rs::signature::ED25519, &public)
            .expect("parsed"),
    );
    let s2 = sig.clone();
    rows.push(Row {
        alg,
        op: "verify",
        backend: "aws-lc-rs (parsed key)".into(),
        per_call: 1.0,
        run: Arc::new(move || {
            parsed.verify_sig(&MSG, &s2).expect("verify");
        }),
    });
    let vk = dalek.verifying_key();
    let ds = ed25519_dalek::Signature::from_bytes(&sig.clone().try_into().expect("64"));
    rows.push(Row {
        alg,
        op: "verify",
        backend: "ed25519-dalek (strict)".into(),
        per_call: 1.0,
        run: Arc::new(move || {
            vk.verify_strict(&MSG, &ds).expect("verify");
        }),
    });
    // Batch verification of 64 signatures by one key, as an RRSIG batch
    // of one zone is.
    let msgs: Vec<Vec<u8>> = (0..64u8)
        .map(|i| {
            let mut m = MSG.to_vec();
            m[0] = i;
            m
        })
        .collect();
    let sigs: Vec<ed25519_dalek::Signature> = msgs
        .iter()
        .map(|m| {
            use ed25519_dalek::Signer;
            dalek.sign(m)
        })
        .collect();
    let vks = vec![vk; 64];
    rows.push(Row {
        alg,
        op: "verify",
        backend: "ed25519-dalek (batch of 64)".into(),
        per_call: 64.0,
        run: Arc::new(move || {
            let refs: Vec<&[u8]> = msgs.iter().map(|m| m.as_slice()).collect();
            ed25519_dalek::verify_batch(&refs, &sigs, &vks).expect("batch");
        }),
    });
    let public = Arc::new(
        PKey::public_key_from_raw_bytes(&public, openssl::pkey::Id::ED25519).expect("PKey"),
    );
    let s2 = sig.clone();
    rows.push(Row {
        alg,
        op: "verify",
        backend: "openssl (EVP)".into(),
        per_call: 1.0,
        run: Arc::new(move || {
            let mut v = openssl::sign::Verifier::new_without_digest(&public).expect("verifier");
            assert!(v.verify_oneshot(&s2, &MSG).expect("verify"));
        }),
    });
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let threads: usize = args
        .iter()
        .position(|a| a == "--threads")
        .and_then(|i| args.get(i + 1))
        .map(|t| t.parse().expect("--threads N"))
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let secs: f64 = args
        .iter()
        .position(|a| a == "--seconds")
        .and_then(|i| args.get(i + 1))
        .map(|t| t.parse().expect("--seconds S"))
        .unwrap_or(2.0);
    let only = args
        .iter()
        .position(|a| a == "--only")
        .and_then(|i| args.get(i + 1))
        .cloned();
    let mut rows = Vec::new();
    rsa_rows(&mut rows, "8 RSASHA256/2048", 2048, false);
    rsa_rows(&mut rows, "10 RSASHA512/2048", 2048, true);
    rsa_rows(&mut rows, "8 RSASHA256/4096", 4096, false);
    rsa_rows(&mut rows, "10 RSASHA512/4096", 4096, true);
    ecdsa_rows(&mut rows, "13 P-256", false);
    ecdsa_rows(&mut rows, "14 P-384", true);
    ed25519_rows(&mut rows);
    println!("| algorithm | operation | backend | per core, 1 thread (/s) | per core, {threads} threads (/s) | vs ring ({threads} threads) |");
    println!("|---|---|---|---:|---:|---:|");
    let mut ring_rate = 0.0;
    for r in &rows {
        if only.as_deref().is_some_and(|o| !r.alg.contains(o)) {
            continue;
        }
        let one = rate(&r.run, 1, r.per_call, secs);
        let many = rate(&r.run, threads, r.per_call, secs);
        if r.backend == "ring" {
            ring_rate = many;
        }
        println!(
            "| {} | {} | {} | {:.0} | {:.0} | {:.2}x |",
            r.alg,
            r.op,
            r.backend,
            one,
            many,
            many / ring_rate
        );
    }
}
