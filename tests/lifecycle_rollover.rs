//! Whole rollovers walked with explicit `--now` steps: status, keys
//! (published / signing), DS sets and the key files' BIND timing at every
//! step, and what `keys_for_signing` hands the signer.

mod lifecycle_common;

use std::path::Path;

use lifecycle_common::*;
use serde_json::Value;
use zonesign::keys::KeyError;
use zonesign::lifecycle::{ds_sets, keys_for_signing, KeyRole, StateError};
use zonesign::name::Name;

/// (tag, publish, sign) of what the signer gets at `now`, sorted.
fn signer_view(sd: &Path, now: i64) -> Vec<(u16, bool, bool)> {
    let zone = Name::from_ascii("example.com").unwrap();
    let mut v: Vec<(u16, bool, bool)> = keys_for_signing(sd, &zone, now)
        .expect("keys_for_signing")
        .iter()
        .map(|k| (k.key.key_tag().0, k.publish, k.sign))
        .collect();
    v.sort();
    v
}

fn sorted(mut v: Vec<(u16, bool, bool)>) -> Vec<(u16, bool, bool)> {
    v.sort();
    v
}

/// Parent DS set at `now` (confirmed + not yet removed), by tag.
fn parent_ds(sd: &Path, now: i64) -> Vec<u16> {
    let zone = Name::from_ascii("example.com").unwrap();
    let mut t: Vec<u16> = ds_sets(sd, &zone, now)
        .unwrap()
        .at_parent()
        .iter()
        .map(|d| d.key_tag.0)
        .collect();
    t.sort();
    t
}

/// A BIND timing field of a key file (`Activate`, ...), as written.
fn private_field(sd: &Path, file: &str, field: &str) -> Option<String> {
    let p = if sd.join(format!("{file}.private")).exists() {
        sd.join(format!("{file}.private"))
    } else {
        sd.join("retired").join(format!("{file}.private"))
    };
    std::fs::read_to_string(p)
        .ok()?
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{field}: ")).map(str::to_string))
}

fn tag(v: &Value) -> u16 {
    v["key_tag"].as_u64().unwrap() as u16
}

#[test]
fn full_zsk_rollover() {
    let env = Env::new("example.com");
    let sd = env.sd();
    let ksk = env.active_zone(T0) as u16;
    let t0 = T0 + DAY; // rotate-zsk
    let t1 = t0 + 2 * HOUR; // propagation delay + DNSKEY TTL
    let t2 = t1 + HOUR + 7 * DAY; // propagation delay + max zone TTL (1 week)
    let g = env.status(t0 - 1);
    let z1 = keys(&g, "zsk")[0].0 as u16;

    // Step 0: before.
    assert_eq!(
        signer_view(&sd, t0 - 1),
        sorted(vec![(ksk, true, true), (z1, true, true)])
    );

    // Step 1: rotate. New ZSK published, not signing.
    let r = env.run("rotate-zsk", t0, &[]).ok();
    let z1_file = r.json["old_key"]["file"].as_str().unwrap().to_string();
    let z2 = tag(&r.json["new_key"]);
    let z2_file = r.json["new_key"]["file"].as_str().unwrap().to_string();
    let g = env.status(t0);
    assert_eq!(g["status"], "rotating_zsk");
    assert_eq!(
        sorted(
            keys(&g, "zsk")
                .iter()
                .map(|k| (k.0 as u16, k.1, k.2))
                .collect()
        ),
        sorted(vec![(z1, true, true), (z2, true, false)])
    );
    assert_eq!(
        signer_view(&sd, t0),
        sorted(vec![(ksk, true, true), (z1, true, true), (z2, true, false)])
    );
    assert_eq!(parent_ds(&sd, t0), vec![ksk]);
    assert_eq!(g["rollover"]["kind"], "zsk");
    // BIND timing matches (dnssec-signzone -S makes the same choice).
    assert_eq!(
        private_field(&sd, &z2_file, "Publish").as_deref(),
        Some("20260102000000")
    );
    assert_eq!(
        private_field(&sd, &z2_file, "Activate").as_deref(),
        Some("20260102020000")
    );
    assert_eq!(
        private_field(&sd, &z1_file, "Inactive").as_deref(),
        Some("20260102020000")
    );
    assert_eq!(
        private_field(&sd, &z1_file, "Delete").as_deref(),
        Some("20260109030000")
    );

    // Just before t1: unchanged (signer reads only; nothing written).
    let before = env.state_bytes();
    assert_eq!(
        signer_view(&sd, t1 - 1),
        sorted(vec![(ksk, true, true), (z1, true, true), (z2, true, false)])
    );
    assert_eq!(env.state_bytes(), before, "keys_for_signing never writes");

    // Step 2 (t1): new ZSK signs; old stays published, no longer signing.
    assert_eq!(
        signer_view(&sd, t1),
        sorted(vec![(ksk, true, true), (z1, true, false), (z2, true, true)])
    );
    let g = env.status(t1);
    assert_eq!(g["status"], "rotating_zsk");
    assert_eq!(
        sorted(
            keys(&g, "zsk")
                .iter()
                .map(|k| (k.0 as u16, k.1, k.2))
                .collect()
        ),
        sorted(vec![(z1, true, false), (z2, true, true)])
    );
    let old = g["zsk"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| tag(k) == z1)
        .unwrap()
        .clone();
    assert_eq!(old["state"], "retired");
    // Another rotation is refused meanwhile.
    env.run("rotate-zsk", t1, &[]).code(3);

    // Just before t2: the old ZSK is still published.
    let g = env.status(t2 - 1);
    assert_eq!(g["status"], "rotating_zsk");
    assert_eq!(keys(&g, "zsk").len(), 2);

    // Step 3 (t2): old ZSK removed, files in retired/, status active.
    let g = env.status(t2);
    assert_eq!(g["status"], "active");
    assert_eq!(g["rollover"], Value::Null);
    assert_eq!(
        keys(&g, "zsk")
            .iter()
            .map(|k| (k.0 as u16, k.1, k.2))
            .collect::<Vec<_>>(),
        vec![(z2, true, true)]
    );
    assert_eq!(
        signer_view(&sd, t2),
        sorted(vec![(ksk, true, true), (z2, true, true)])
    );
    // status only reads (issue #11 item 10): the next command that takes
    // the lock saves the transitions and moves the removed key's files.
    assert!(sd.join(format!("{z1_file}.private")).exists());
    env.run("sync", t2, &[]).ok();
    assert!(!sd.join(format!("{z1_file}.private")).exists());
    assert!(sd
        .join("retired")
        .join(format!("{z1_file}.private"))
        .exists());
    assert_eq!(parent_ds(&sd, t2), vec![ksk]);
    // The event log tells the story at the right times.
    let y = String::from_utf8(env.state_bytes()).unwrap();
    for want in [
        "at: 2026-01-02T02:00:00Z\n  event: key-activated",
        "at: 2026-01-09T03:00:00Z\n  event: key-removed",
        "event: rollover-finished",
    ] {
        assert!(y.contains(want), "{want}\n{y}");
    }
    // And a new rotation is allowed again.
    env.run("rotate-zsk", t2, &[]).ok();
}

#[test]
fn full_ksk_rollover_double_ds() {
    let env = Env::new("example.com");
    let sd = env.sd();
    // A shorter parent DS TTL (1 hour) set on enable.
    let e = env.enable(
        T0,
        &[
            "--parent-ds-ttl",
            "3600",
            "--dnskey-ttl",
            "600",
            "--propagation-delay",
            "300",
        ],
    );
    let k1 = tag(&e.json["ksk"]);
    let k1_file = e.json["ksk"]["file"].as_str().unwrap().to_string();
    let z = tag(&e.json["zsk"]);
    // pending_ds: signed, no DS at the parent yet.
    assert_eq!(parent_ds(&sd, T0), Vec::<u16>::new());
    assert_eq!(ds_tags(&env.status(T0)["ds_pending"]), vec![k1 as u64]);
    let ds1 = e.json["ds_records"][0]["record"]
        .as_str()
        .unwrap()
        .to_string();
    env.run("confirm-ds-published", T0 + HOUR, &["--ds-record", &ds1])
        .ok();
    assert_eq!(parent_ds(&sd, T0 + HOUR), vec![k1]);

    // Step 1: rotate-ksk. New KSK generated, NOT in the DNSKEY RRset; its DS
    // to publish beside the old one. Only the old KSK signs.
    let r1 = T0 + DAY;
    let r = env.run("rotate-ksk", r1, &[]).ok();
    let k2 = tag(&r.json["new_key"]);
    let k2_file = r.json["new_key"]["file"].as_str().unwrap().to_string();
    assert_eq!(r.json["new_key"]["published"], false);
    let g = env.status(r1);
    assert_eq!(g["status"], "rotating_ksk");
    assert_eq!(
        sorted(
            keys(&g, "ksk")
                .iter()
                .map(|k| (k.0 as u16, k.1, k.2))
                .collect()
        ),
        sorted(vec![(k1, true, true), (k2, false, false)])
    );
    assert_eq!(ds_tags(&g["ds_pending"]), vec![k2 as u64]);
    assert_eq!(ds_tags(&g["ds_published"]), vec![k1 as u64]);
    assert_eq!(
        signer_view(&sd, r1),
        sorted(vec![(k1, true, true), (z, true, true)])
    );
    assert_eq!(parent_ds(&sd, r1), vec![k1]);
    // The new KSK has no Publish/Activate yet: dnssec-signzone -S leaves it out.
    assert_eq!(private_field(&sd, &k2_file, "Publish"), None);
    // Route 53 view: new KSK INACTIVE, old ACTIVE.
    let r53 = env.run("status", r1, &["--format", "route53"]).ok().json;
    let st = |t: u16| {
        r53["KeySigningKeys"]
            .as_array()
            .unwrap()
            .iter()
            .find(|k| k["KeyTag"] == t)
            .unwrap()["Status"]
            .clone()
    };
    assert_eq!(st(k1), "ACTIVE");
    assert_eq!(st(k2), "INACTIVE");

    // Step 2: the operator publishes DS2 next to DS1 and confirms. Status
    // active (the reference), both DS published; swap scheduled one parent
    // DS TTL later. Nothing changes in the DNSKEY RRset yet.
    let c = r1 + 2 * HOUR;
    let ds2 = r.json["ds_records"][0]["record"]
        .as_str()
        .unwrap()
        .to_string();
    let cr = env
        .run("confirm-ds-published", c, &["--ds-record", &ds2])
        .ok();
    assert_eq!(cr.json["status"], "active");
    assert_eq!(ds_tags(&cr.json["ds_records"]), sorted_u64(&[k1, k2]));
    let s = c + 3600; // + parent_ds_ttl
    assert_eq!(
        signer_view(&sd, c),
        sorted(vec![(k1, true, true), (z, true, true)])
    );
    assert_eq!(
        signer_view(&sd, s - 1),
        sorted(vec![(k1, true, true), (z, true, true)])
    );
    assert_eq!(parent_ds(&sd, s - 1), sorted_u16(&[k1, k2]));
    let g = env.status(s - 1);
    assert_eq!(g["status"], "active");
    assert_eq!(g["rollover"]["kind"], "ksk");
    assert_eq!(
        private_field(&sd, &k2_file, "Activate").as_deref(),
        Some("20260102030000")
    );
    assert_eq!(
        private_field(&sd, &k1_file, "Delete").as_deref(),
        Some("20260102030000")
    );

    // Step 3 (s): the swap. New KSK in the DNSKEY RRset and signing; old KSK
    // out; both DS still at the parent; the old DS reported to remove after
    // s + propagation delay + DNSKEY TTL.
    assert_eq!(
        signer_view(&sd, s),
        sorted(vec![(k2, true, true), (z, true, true)])
    );
    let g = env.status(s);
    assert_eq!(g["status"], "active");
    assert_eq!(g["rollover"], Value::Null);
    assert_eq!(
        keys(&g, "ksk")
            .iter()
            .map(|k| (k.0 as u16, k.1, k.2))
            .collect::<Vec<_>>(),
        vec![(k2, true, true)]
    );
    assert_eq!(ds_tags(&g["ds_published"]), vec![k2 as u64]);
    assert_eq!(ds_tags(&g["ds_to_remove"]), vec![k1 as u64]);
    assert_eq!(g["ds_to_remove"][0]["remove_after"], "2026-01-02T03:15:00Z");
    assert_eq!(parent_ds(&sd, s), sorted_u16(&[k1, k2]));
    // status only reads: sync saves the transitions and retires the files.
    env.run("sync", s, &[]).ok();
    assert!(sd
        .join("retired")
        .join(format!("{k1_file}.private"))
        .exists());
    let r53 = env.run("status", s, &["--format", "route53"]).ok().json;
    let st = |t: u16| {
        r53["KeySigningKeys"]
            .as_array()
            .unwrap()
            .iter()
            .find(|k| k["KeyTag"] == t)
            .unwrap()["Status"]
            .clone()
    };
    assert_eq!(st(k1), "DELETING");
    assert_eq!(st(k2), "ACTIVE");
    // A DS of the retired KSK is now refused (it would be a mistake).
    // And the next rollover is allowed.
    env.run("rotate-zsk", s, &[]).ok();
}

fn sorted_u64(v: &[u16]) -> Vec<u64> {
    let mut v: Vec<u64> = v.iter().map(|x| u64::from(*x)).collect();
    v.sort();
    v
}

fn sorted_u16(v: &[u16]) -> Vec<u16> {
    let mut v = v.to_vec();
    v.sort();
    v
}

#[test]
fn keys_for_signing_errors() {
    let zone = Name::from_ascii("example.com").unwrap();
    let env = Env::new("example.com");
    // No state: 404 (exit 4; the codes: src/cli/error.rs).
    let e = keys_for_signing(&env.sd(), &zone, T0).unwrap_err();
    assert!(matches!(e, StateError::NotFound { .. }), "{e}");
    let e1 = env.enable(T0, &[]);
    let v = keys_for_signing(&env.sd(), &zone, T0).unwrap();
    assert_eq!(
        v.iter()
            .filter(|k| k.role == KeyRole::Ksk && k.sign)
            .count(),
        1
    );
    // A missing private key: key problem, exit 5.
    let f = e1.json["zsk"]["file"].as_str().unwrap();
    std::fs::rename(
        env.sd().join(format!("{f}.private")),
        env.tmp.path().join("x"),
    )
    .unwrap();
    let e = keys_for_signing(&env.sd(), &zone, T0).unwrap_err();
    assert!(matches!(e, StateError::Key(KeyError::Io { .. })), "{e}");
    std::fs::rename(
        env.tmp.path().join("x"),
        env.sd().join(format!("{f}.private")),
    )
    .unwrap();
    // Disabled: conflict.
    env.run("disable", T0 + 1, &[]).ok();
    let e = keys_for_signing(&env.sd(), &zone, T0 + 1).unwrap_err();
    assert!(matches!(e, StateError::Conflict(_)), "{e}");
}
