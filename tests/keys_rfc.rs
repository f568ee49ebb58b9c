//! Known-answer tests from the RFC texts: DNSKEY key tags, DS digests and
//! RRSIG signatures for RFC 5702 §6 (RSA/SHA-256, RSA/SHA-512), RFC 6605 §6
//! (ECDSA P-256, P-384) and RFC 8080 §6 (Ed25519).
//!
//! The signed data is built here by hand (RFC 4034 §3.1.8.1): the RRSIG
//! RDATA without the signature, then each RR in canonical wire form. RSA
//! PKCS#1 v1.5 and Ed25519 are deterministic, so signing with the RFC's
//! private key must reproduce the published signature byte for byte; ECDSA
//! signatures are random, so the published one is verified and ours is
//! checked by verifying it.

mod common;
use common::{b64, hex};
use zonesign::ds::{DigestType, Ds};
use zonesign::keys::{key_pair_from_text, key_tag, verify_signature, KeyTag};
use zonesign::name::Name;

fn name(s: &str) -> Name {
    Name::from_ascii(s).unwrap()
}

const TYPE_A: u16 = 1;
const TYPE_MX: u16 = 15;
const CLASS_IN: u16 = 1;

/// RFC 4034 §3.1.8.1 signed data for a one-RR RRset.
#[allow(clippy::too_many_arguments)]
fn signed_data(
    type_covered: u16,
    algorithm: u8,
    labels: u8,
    original_ttl: u32,
    expiration: u32,
    inception: u32,
    tag: u16,
    signer: &str,
    owner: &str,
    rdata: &[u8],
) -> Vec<u8> {
    let mut d = Vec::new();
    d.extend_from_slice(&type_covered.to_be_bytes());
    d.push(algorithm);
    d.push(labels);
    d.extend_from_slice(&original_ttl.to_be_bytes());
    d.extend_from_slice(&expiration.to_be_bytes());
    d.extend_from_slice(&inception.to_be_bytes());
    d.extend_from_slice(&tag.to_be_bytes());
    d.extend_from_slice(name(signer).to_lowercase().as_wire());
    // RR(1): owner | type | class | TTL | RDLENGTH | RDATA
    d.extend_from_slice(name(owner).to_lowercase().as_wire());
    d.extend_from_slice(&type_covered.to_be_bytes());
    d.extend_from_slice(&CLASS_IN.to_be_bytes());
    d.extend_from_slice(&original_ttl.to_be_bytes());
    d.extend_from_slice(&(rdata.len() as u16).to_be_bytes());
    d.extend_from_slice(rdata);
    d
}

/// YYYYMMDDHHMMSS → seconds (only the dates used here).
fn ts(s: &str) -> u32 {
    let t = zonesign::keys::timing::parse_timestamp(s).unwrap();
    u32::try_from(t).unwrap()
}

// ---------------------------------------------------------------------------
// RFC 4034 §5.4 and RFC 4509 §2.3: DS for dskey.example.com.

#[test]
fn rfc4034_and_rfc4509_ds_example() {
    let owner = name("dskey.example.com.");
    let mut rdata = vec![1, 0, 3, 5];
    rdata.extend(b64(
        "AQOeiiR0GOMYkDshWoSKz9Xz fwJr1AYtsmx3TGkJaNXVbfi/ 2pHm822aJ5iI9BMzNXxeYCmZ
                      DRD99WYwYqUSdjMmmAphXdvx egXd/M5+X7OrzKBaMbCVdFLU Uh6DhweJBjEVv5f2wwjM9Xzc
                      nOf+EPbtG9DMBmADjFDc2w/r ljwvFw==",
    ));
    assert_eq!(key_tag(&rdata), KeyTag(60485));
    let sha1 = Ds::from_dnskey(&owner, &rdata, DigestType::Sha1);
    assert_eq!(
        sha1.to_text(&owner),
        "dskey.example.com. IN DS 60485 5 1 2BB183AF5F22588179A53B0A98631FAD1A292118"
    );
    let sha256 = Ds::from_dnskey(&owner, &rdata, DigestType::Sha256);
    assert_eq!(
        sha256.to_text(&owner),
        "dskey.example.com. IN DS 60485 5 2 D4B7D520E7BB5F0F67674A0CCEB1E3E0614B93C4F9E99B8383F6A1E4469DA50A"
    );
}

// ---------------------------------------------------------------------------
// RFC 5702 §6: RSA/SHA-256 and RSA/SHA-512, deterministic signatures.

const RFC5702_256_KEY: &str = "example.net.     3600  IN  DNSKEY  (256 3 8 AwEAAcFcGsaxxdgiuuGmCkVI
                 my4h99CqT7jwY3pexPGcnUFtR2Fh36BponcwtkZ4cAgtvd4Qs8P
                 kxUdp6p/DlUmObdk= );{id = 9033 (zsk), size = 512b}
";

const RFC5702_256_PRIVATE: &str = "Private-key-format: v1.2
Algorithm:       8 (RSASHA256)
Modulus:         wVwaxrHF2CK64aYKRUibLiH30KpPuPBjel7E8ZydQW1HYWHfoGmidzC2RnhwCC293hCzw+TFR2nqn8OVSY5t2Q==
PublicExponent:  AQAB
PrivateExponent: UR44xX6zB3eaeyvTRzmskHADrPCmPWnr8dxsNwiDGHzrMKLN+i/HAam+97HxIKVWNDH2ba9Mf1SA8xu9dcHZAQ==
Prime1:          4c8IvFu1AVXGWeFLLFh5vs7fbdzdC6U82fduE6KkSWk=
Prime2:          2zZpBE8ZXVnL74QjG4zINlDfH+EOEtjJJ3RtaYDugvE=
Exponent1:       G2xAPFfK0KGxGANDVNxd1K1c9wOmmJ51mGbzKFFNMFk=
Exponent2:       GYxP1Pa7CAwtHm8SAGX594qZVofOMhgd6YFCNyeVpKE=
Coefficient:     icQdNRjlZGPmuJm2TIadubcO8X7V4y07aVhX464tx8Q=
";

const RFC5702_512_KEY: &str = "example.net.    3600  IN  DNSKEY  (256 3 10 AwEAAdHoNTOW+et86KuJOWRD
                p1pndvwb6Y83nSVXXyLA3DLroROUkN6X0O6pnWnjJQujX/AyhqFD
                xj13tOnD9u/1kTg7cV6rklMrZDtJCQ5PCl/D7QNPsgVsMu1J2Q8g
                pMpztNFLpPBz1bWXjDtaR7ZQBlZ3PFY12ZTSncorffcGmhOL
                );{id = 3740 (zsk), size = 1024b}
";

const RFC5702_512_PRIVATE: &str = "Private-key-format: v1.2
Algorithm:       10 (RSASHA512)
Modulus:         0eg1M5b563zoq4k5ZEOnWmd2/BvpjzedJVdfIsDcMuuhE5SQ3pfQ7qmdaeMlC6Nf8DKGoUPGPXe06cP27/WRODtxXquSUytkO0kJDk8KX8PtA0+yBWwy7UnZDyCkynO00Uuk8HPVtZeMO1pHtlAGVnc8VjXZlNKdyit99waaE4s=
PublicExponent:  AQAB
PrivateExponent: rFS1IPbJllFFgFc33B5DDlC1egO8e81P4fFadODbp56V7sphKa6AZQCx8NYAew6VXFFPAKTw41QdHnK5kIYOwxvfFDjDcUGza88qbjyrDPSJenkeZbISMUSSqy7AMFzEolkk6WSn6k3thUVRgSlqDoOV3SEIAsrB043XzGrKIVE=
Prime1:          8mbtsu9Tl9v7tKSHdCIeprLIQXQLzxlSZun5T1n/OjvXSUtvD7xnZJ+LHqaBj1dIgMbCq2U8O04QVcK3TS9GiQ==
Prime2:          3a6gkfs74d0Jb7yL4j4adAif4fcp7ZrGt7G5NRVDDY/Mv4TERAKMa0TKN3okKE0A7X+Rv2K84mhT4QLDlllEcw==
Exponent1:       v3D5A9uuCn5rgVR7wgV8ba0/KSpsdSiLgsoA42GxiB1gvvs7gJMMmVTDu/ZG1p1ZnpLbhh/S/Qd/MSwyNlxC+Q==
Exponent2:       m+ezf9dsDvYQK+gzjOLWYeKq5xWYBEYFGa3BLocMiF4oxkzOZ3JPZSWU/h1Fjp5RV7aPP0Vmx+hNjYMPIQ8Y5w==
Coefficient:     Je5YhYpUron/WdOXjxNAxDubAp3i5X7UOUfhJcyIggqwY86IE0Q/Bk0Dw4SC9zxnsimmdBXW2Izd8Lwuk8FQcQ==
";

#[test]
fn rfc5702_rsasha256_reproduces_the_signature() {
    let key = key_pair_from_text(RFC5702_256_KEY, RFC5702_256_PRIVATE).unwrap();
    assert_eq!(key.key_tag(), KeyTag(9033));
    assert_eq!(key.flags(), 256);
    assert_eq!(key.bits(), 512);
    let data = signed_data(
        TYPE_A,
        8,
        3,
        3600,
        ts("20300101000000"),
        ts("20000101000000"),
        9033,
        "example.net.",
        "www.example.net.",
        &[192, 0, 2, 91],
    );
    let want = b64(
        "kRCOH6u7l0QGy9qpC9l1sLncJcOKFLJ7GhiUOibu4teYp5VE9RncriShZNz85mwlMgNEa
                    cFYK/lPtPiVYP4bwg==",
    );
    assert_eq!(key.sign(&data).unwrap(), want);
    // ring verifies RSA from 1024 bits on; a 512-bit key is refused, not "valid".
    assert!(verify_signature(8, &key.dnskey().public_key, &data, &want).is_err());
}

#[test]
fn rfc5702_rsasha512_reproduces_the_signature() {
    let key = key_pair_from_text(RFC5702_512_KEY, RFC5702_512_PRIVATE).unwrap();
    assert_eq!(key.key_tag(), KeyTag(3740));
    assert_eq!(key.bits(), 1024);
    let data = signed_data(
        TYPE_A,
        10,
        3,
        3600,
        ts("20300101000000"),
        ts("20000101000000"),
        3740,
        "example.net.",
        "www.example.net.",
        &[192, 0, 2, 91],
    );
    let want = b64(
        "tsb4wnjRUDnB1BUi+t6TMTXThjVnG+eCkWqjvvjhzQL1d0YRoOe0CbxrVDYd0xDtsuJRa
                    eUw1ep94PzEWzr0iGYgZBWm/zpq+9fOuagYJRfDqfReKBzMweOL
                    DiNa8iP5g9vMhpuv6OPlvpXwm9Sa9ZXIbNl1MBGk0fthPgxdDLw=",
    );
    assert_eq!(key.sign(&data).unwrap(), want);
    // 1024-bit RSA verifies through ring's legacy parameters.
    assert!(verify_signature(10, &key.dnskey().public_key, &data, &want).unwrap());
    let mut bad = want.clone();
    bad[10] ^= 1;
    assert!(!verify_signature(10, &key.dnskey().public_key, &data, &bad).unwrap());
}

// ---------------------------------------------------------------------------
// RFC 6605 §6: ECDSA P-256 and P-384.

#[test]
fn rfc6605_p256() {
    let key = key_pair_from_text(
        "example.net. 3600 IN DNSKEY 257 3 13 (
                GojIhhXUN/u4v54ZQqGSnyhWJwaubCvTmeexv7bR6edb
                krSqQpF64cYbcB7wNcP+e+MAnLr+Wi9xMWyQLc8NAA== )",
        "Private-key-format: v1.2
Algorithm: 13 (ECDSAP256SHA256)
PrivateKey: GU6SnQ/Ou+xC5RumuIUIuJZteXT2z0O/ok1s38Et6mQ=
",
    )
    .unwrap();
    assert_eq!(key.key_tag(), KeyTag(55648));
    let owner = name("example.net.");
    let ds = Ds::from_dnskey(&owner, &key.dnskey().to_rdata(), DigestType::Sha256);
    assert_eq!(
        ds.digest,
        hex("b4c8c1fe2e7477127b27115656ad6256f424625bf5c1e2770ce6d6e37df61d17")
    );
    let data = signed_data(
        TYPE_A,
        13,
        3,
        3600,
        ts("20100909100439"),
        ts("20100812100439"),
        55648,
        "example.net.",
        "www.example.net.",
        &[192, 0, 2, 1],
    );
    let published = b64("qx6wLYqmh+l9oCKTN6qIc+bw6ya+KJ8oMz0YP107epXA
                         yGmt+3SNruPFKG7tZoLBLlUzGGus7ZwmwWep666VCw==");
    let pk = &key.dnskey().public_key;
    assert!(verify_signature(13, pk, &data, &published).unwrap());
    let ours = key.sign(&data).unwrap();
    assert_eq!(ours.len(), 64);
    assert!(verify_signature(13, pk, &data, &ours).unwrap());
    let mut bad = published.clone();
    bad[0] ^= 0x40;
    assert!(!verify_signature(13, pk, &data, &bad).unwrap());
    let mut other = data.clone();
    *other.last_mut().unwrap() = 2; // 192.0.2.2
    assert!(!verify_signature(13, pk, &other, &published).unwrap());
}

#[test]
fn rfc6605_p384() {
    let key = key_pair_from_text(
        "example.net. 3600 IN DNSKEY 257 3 14 (
                xKYaNhWdGOfJ+nPrL8/arkwf2EY3MDJ+SErKivBVSum1
                w/egsXvSADtNJhyem5RCOpgQ6K8X1DRSEkrbYQ+OB+v8
                /uX45NBwY8rp65F6Glur8I/mlVNgF6W/qTI37m40 )",
        "Private-key-format: v1.2
Algorithm: 14 (ECDSAP384SHA384)
PrivateKey: WURgWHCcYIYUPWgeLmiPY2DJJk02vgrmTfitxgqcL4vwW7BOrbawVmVe0d9V94SR
",
    )
    .unwrap();
    assert_eq!(key.key_tag(), KeyTag(10771));
    let owner = name("example.net.");
    let ds = Ds::from_dnskey(&owner, &key.dnskey().to_rdata(), DigestType::Sha384);
    assert_eq!(
        ds.digest,
        hex(
            "72d7b62976ce06438e9c0bf319013cf801f09ecc84b8d7e9495f27e305c6a9b0
             563a9b5f4d288405c3008a946df983d6"
        )
    );
    let data = signed_data(
        TYPE_A,
        14,
        3,
        3600,
        ts("20100909102025"),
        ts("20100812102025"),
        10771,
        "example.net.",
        "www.example.net.",
        &[192, 0, 2, 1],
    );
    let published = b64("/L5hDKIvGDyI1fcARX3z65qrmPsVz73QD1Mr5CEqOiLP
                         95hxQouuroGCeZOvzFaxsT8Glr74hbavRKayJNuydCuz
                         WTSSPdz7wnqXL5bdcJzusdnI0RSMROxxwGipWcJm");
    let pk = &key.dnskey().public_key;
    assert!(verify_signature(14, pk, &data, &published).unwrap());
    let ours = key.sign(&data).unwrap();
    assert_eq!(ours.len(), 96);
    assert!(verify_signature(14, pk, &data, &ours).unwrap());
    let mut bad = published.clone();
    bad[50] ^= 1;
    assert!(!verify_signature(14, pk, &data, &bad).unwrap());
}

// ---------------------------------------------------------------------------
// RFC 8080 §6: Ed25519, deterministic.
//
// The RFC prints the RRSIGs with a Labels field of 3 for example.com. (which
// has 2 labels); verified Errata 4935 gives the signatures for Labels = 2.
// Both are reproduced here from the RFC's private keys.

fn mx_rdata() -> Vec<u8> {
    let mut r = 10u16.to_be_bytes().to_vec();
    r.extend_from_slice(name("mail.example.com.").as_wire());
    r
}

#[test]
fn rfc8080_ed25519() {
    for (private, public, tag, ds, sig_published, sig_errata) in [
        (
            "ODIyNjAzODQ2MjgwODAxMjI2NDUxOTAyMDQxNDIyNjI=",
            "l02Woi0iS8Aa25FQkUd9RMzZHJpBoRQwAQEX1SxZJA4=",
            3613,
            "3aa5ab37efce57f737fc1627013fee07bdf241bd10f3b1964ab55c78e79 a304b",
            "Edk+IB9KNNWg0HAjm7FazXyrd5m3Rk8zNZbvNpAcM+eysqcUOMIjWoevFkj
             H5GaMWeG96GUVZu6ECKOQmemHDg==",
            "oL9krJun7xfBOIWcGHi7mag5/hdZrKWw15jPGrHpjQeRAvTdszaPD+QLs3f
             x8A4M3e23mRZ9VrbpMngwcrqNAg==",
        ),
        (
            "DSSF3o0s0f+ElWzj9E/Osxw8hLpk55chkmx0LYN5WiY=",
            "zPnZ/QwEe7S8C5SPz2OfS5RR40ATk2/rYnE9xHIEijs=",
            35217,
            "401781b934e392de492ec77ae2e15d70f6575a1c0bc59c5275c04ebe80c 6614c",
            "5LL2obmzdqjWI+Xto5eP5adXt/T5tMhasWvwcyW4L3SzfcRawOle9bodhC+
             oip9ayUGjY9T/rL4rN3bOuESGDA==",
            "zXQ0bkYgQTEFyfLyi9QoiY6D8ZdYo4wyUhVioYZXFdT410QPRITQSqJSnzQ
             oSm5poJ7gD7AQR0O7KuI5k2pcBg==",
        ),
    ] {
        let key = key_pair_from_text(
            &format!("example.com. 3600 IN DNSKEY 257 3 15 ( {public} )"),
            &format!("Private-key-format: v1.2\nAlgorithm: 15 (ED25519)\nPrivateKey: {private}\n"),
        )
        .unwrap();
        assert_eq!(key.key_tag(), KeyTag(tag));
        let owner = name("example.com.");
        let d = Ds::from_dnskey(&owner, &key.dnskey().to_rdata(), DigestType::Sha256);
        assert_eq!(d.digest, hex(ds));
        assert_eq!(d.key_tag, KeyTag(tag));
        for (labels, want) in [(3u8, sig_published), (2u8, sig_errata)] {
            let data = signed_data(
                TYPE_MX,
                15,
                labels,
                3600,
                1_440_021_600,
                1_438_207_200,
                tag,
                "example.com.",
                "example.com.",
                &mx_rdata(),
            );
            let want = b64(want);
            assert_eq!(key.sign(&data).unwrap(), want, "tag {tag} labels {labels}");
            assert!(verify_signature(15, &key.dnskey().public_key, &data, &want).unwrap());
        }
    }
}
