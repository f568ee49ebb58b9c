//! Every transition of the lifecycle reference, and every forbidden one
//! (exit 3), through the binary; JSON fields asserted.

mod lifecycle_common;

use lifecycle_common::*;

#[test]
fn enable_makes_ksk_and_zsk_and_returns_the_ds() {
    let env = Env::new("example.com");
    let r = env.enable(T0, &[]);
    let j = &r.json;
    assert_eq!(j["domain_id"], "example.com");
    assert_eq!(j["action"], "enable");
    assert!(j["message"].as_str().unwrap().starts_with("DNSSEC enabled"));
    assert_eq!(j["status"], "pending_ds");
    assert_eq!(j["ksk"]["key_type"], "KSK");
    assert_eq!(j["zsk"]["key_type"], "ZSK");
    assert_eq!(j["ksk"]["algorithm"], 13);
    assert_eq!(j["ksk"]["active"], true);
    assert_eq!(j["ksk"]["created_at"], "2026-01-01T00:00:00Z");
    assert_eq!(j["ksk"]["expires_at"], "2027-01-01T00:00:00Z");
    assert_eq!(j["zsk"]["expires_at"], "2026-01-31T00:00:00Z");
    assert!(!j["ksk"]["public_key"].as_str().unwrap().is_empty());
    let ds = &j["ds_records"][0];
    assert_eq!(ds["key_tag"], j["ksk"]["key_tag"]);
    assert_eq!(ds["algorithm"], 13);
    assert_eq!(ds["digest_type"], 2);
    assert_eq!(ds["digest"].as_str().unwrap().len(), 64);
    // The DS is the one `zonesign ds` computes from the key file.
    let kfile = env
        .sd()
        .join(format!("{}.key", j["ksk"]["file"].as_str().unwrap()));
    let out = std::process::Command::new(bin())
        .arg("ds")
        .arg(&kfile)
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        ds["record"].as_str().unwrap()
    );
    // state.yaml: version 1, human-readable.
    let y = String::from_utf8(env.state_bytes()).unwrap();
    assert!(
        y.contains("version: 1\n") && y.contains("status: pending_ds"),
        "{y}"
    );
    // GET body.
    let g = env.status(T0);
    assert_eq!(g["enabled"], true);
    assert_eq!(g["status"], "pending_ds");
    assert_eq!(g["algorithm"], 13);
    assert_eq!(keys(&g, "ksk").len(), 1);
    assert_eq!(keys(&g, "zsk").len(), 1);
    assert_eq!(
        ds_tags(&g["ds_records"]),
        vec![j["ksk"]["key_tag"].as_u64().unwrap()]
    );
    for k in [
        "key_tag",
        "algorithm",
        "public_key",
        "key_type",
        "created_at",
        "expires_at",
        "active",
    ] {
        assert!(g["ksk"][0].get(k).is_some(), "{k}");
    }
}

#[test]
fn enable_other_algorithms_and_default_state_dir() {
    for alg in ["8", "15", "14"] {
        let env = Env::new("example.net");
        let r = env.enable(T0, &["--alg", alg]);
        assert_eq!(r.json["ksk"]["algorithm"].to_string(), alg);
    }
    // Default ./dnssec/<zone>/ (no --state-dir).
    let tmp = tempfile::tempdir().unwrap();
    let o = std::process::Command::new(bin())
        .current_dir(tmp.path())
        .args([
            "dnssec",
            "enable",
            "Example.ORG.",
            "--now",
            "20260101000000",
        ])
        .output()
        .unwrap();
    assert_eq!(finish(o).code, 0);
    assert!(tmp.path().join("dnssec/example.org/state.yaml").exists());
}

#[test]
fn enable_twice_is_409() {
    let env = Env::new("example.com");
    env.enable(T0, &[]);
    let before = env.state_bytes();
    let r = env.run("enable", T0 + 1, &[]).code(3);
    assert!(r.stderr.contains("already enabled"), "{}", r.stderr);
    assert_eq!(env.state_bytes(), before);
    // Also once active.
    env.run(
        "confirm-ds-published",
        T0 + 2,
        &[
            "--ds-record",
            env.status(T0)["ds_records"][0]["record"].as_str().unwrap(),
        ],
    )
    .ok();
    env.run("enable", T0 + 3, &[]).code(3);
}

#[test]
fn unsupported_algorithm_is_400() {
    for alg in ["7", "5", "16", "99", "bogus"] {
        let env = Env::new("example.com");
        let r = env.run("enable", T0, &["--alg", alg]).code(2);
        assert!(
            r.stderr.contains("unsupported DNSSEC algorithm"),
            "{}",
            r.stderr
        );
        assert!(!env.state_yaml().exists());
    }
}

#[test]
fn unknown_zone_is_404() {
    let env = Env::new("nowhere.example");
    for (sub, extra) in [
        ("status", vec![]),
        ("rotate-zsk", vec![]),
        ("rotate-ksk", vec![]),
        ("confirm-ds-published", vec!["--ds-record", "1 13 2 00"]),
        ("disable", vec![]),
        ("sync", vec![]),
    ] {
        let r = env.run(sub, T0, &extra).code(4);
        assert!(r.stderr.contains("not found"), "{sub}: {}", r.stderr);
    }
    // A state directory of another zone is bad input, not someone else's state.
    let other = Env::new("example.com");
    other.enable(T0, &[]);
    let o = std::process::Command::new(bin())
        .args(["dnssec", "status", "example.org", "--state-dir"])
        .arg(other.sd())
        .args(["--now", &T0.to_string()])
        .output()
        .unwrap();
    let r = finish(o).code(2);
    assert!(r.stderr.contains("not example.org"), "{}", r.stderr);
}

#[test]
fn confirm_moves_pending_ds_to_active() {
    let env = Env::new("example.com");
    let e = env.enable(T0, &[]);
    let ds = e.json["ds_records"][0]["record"].as_str().unwrap();
    let r = env
        .run("confirm-ds-published", T0 + HOUR, &["--ds-record", ds])
        .ok();
    assert_eq!(r.json["action"], "confirm-ds-published");
    assert_eq!(r.json["message"], "DS publication confirmed");
    assert_eq!(r.json["status"], "active");
    assert_eq!(
        ds_tags(&r.json["ds_records"]),
        vec![e.json["ksk"]["key_tag"].as_u64().unwrap()]
    );
    let g = env.status(T0 + HOUR);
    assert_eq!(g["status"], "active");
    assert_eq!(g["ds_pending"], serde_json::json!([]));
    assert_eq!(ds_tags(&g["ds_published"]), ds_tags(&r.json["ds_records"]));
}

#[test]
fn confirm_accepts_a_dsset_file_and_bare_rdata() {
    let env = Env::new("example.com");
    let e = env.enable(T0, &[]);
    let kfile = env
        .sd()
        .join(format!("{}.key", e.json["ksk"]["file"].as_str().unwrap()));
    // dnssec-dsfromkey-style output, both digests, with a comment.
    let out = std::process::Command::new(bin())
        .arg("ds")
        .arg(&kfile)
        .args(["-d", "sha256", "-d", "sha384"])
        .output()
        .unwrap();
    let file = env.tmp.path().join("dsset-example.com.");
    std::fs::write(
        &file,
        format!(
            "; from the registrar\n{}",
            String::from_utf8_lossy(&out.stdout)
        ),
    )
    .unwrap();
    let r = env
        .run(
            "confirm-ds-published",
            T0 + HOUR,
            &["--ds", file.to_str().unwrap()],
        )
        .ok();
    assert_eq!(r.json["ds_records"].as_array().unwrap().len(), 2);
    // Bare RDATA works too (in a fresh zone).
    let env2 = Env::new("example.com");
    let e2 = env2.enable(T0, &[]);
    let d = &e2.json["ds_records"][0];
    let rdata = format!(
        "{} {} {} {}",
        d["key_tag"],
        d["algorithm"],
        d["digest_type"],
        d["digest"].as_str().unwrap().to_lowercase()
    );
    env2.run("confirm-ds-published", T0 + HOUR, &["--ds-record", &rdata])
        .ok();
}

#[test]
fn rotate_zsk_starts_a_prepublish_rollover() {
    let env = Env::new("example.com");
    env.active_zone(T0);
    let old = keys(&env.status(T0 + HOUR), "zsk")[0].0;
    let r = env.run("rotate-zsk", T0 + DAY, &[]).ok();
    let j = &r.json;
    assert_eq!(j["action"], "rotate-zsk");
    assert_eq!(j["status"], "rotating_zsk");
    assert_eq!(j["old_key"]["key_tag"].as_u64().unwrap(), old);
    assert_eq!(j["old_key"]["active"], true);
    assert_eq!(j["old_key"]["inactive_at"], "2026-01-02T02:00:00Z");
    assert_eq!(j["new_key"]["active"], false);
    assert_eq!(j["new_key"]["published"], true);
    assert_eq!(j["new_key"]["active_at"], "2026-01-02T02:00:00Z");
    assert!(j["message"]
        .as_str()
        .unwrap()
        .contains("marked for retirement"));
}

#[test]
fn rotate_ksk_returns_the_new_ds() {
    let env = Env::new("example.com");
    let old = env.active_zone(T0);
    let r = env.run("rotate-ksk", T0 + DAY, &[]).ok();
    let j = &r.json;
    assert_eq!(j["domain_id"], "example.com");
    assert_eq!(j["action"], "rotate-ksk");
    assert_eq!(j["status"], "rotating_ksk");
    assert_eq!(j["old_key"]["key_tag"].as_u64().unwrap(), old);
    let new = j["new_key"]["key_tag"].as_u64().unwrap();
    assert_ne!(new, old);
    assert_eq!(ds_tags(&j["ds_records"]), vec![new]);
    assert_eq!(j["ds_records"][0]["digest_type"], 2);
    assert_eq!(env.status(T0 + DAY)["status"], "rotating_ksk");
}

#[test]
fn confirm_finishes_rotating_ksk() {
    let env = Env::new("example.com");
    env.active_zone(T0);
    let r = env.run("rotate-ksk", T0 + DAY, &[]).ok();
    let ds = r.json["ds_records"][0]["record"].as_str().unwrap();
    let c = env
        .run(
            "confirm-ds-published",
            T0 + DAY + HOUR,
            &["--ds-record", ds],
        )
        .ok();
    assert_eq!(c.json["status"], "active");
    assert!(c.json["message"]
        .as_str()
        .unwrap()
        .starts_with("DS publication confirmed"));
    assert_eq!(c.json["ds_records"].as_array().unwrap().len(), 2);
}

#[test]
fn disable_retires_keys() {
    let env = Env::new("example.com");
    let e = env.enable(T0, &[]);
    let r = env.run("disable", T0 + HOUR, &[]).ok();
    assert_eq!(r.json["action"], "disable");
    assert_eq!(r.json["message"], "DNSSEC disabled");
    assert_eq!(r.json["status"], "disabled");
    assert_eq!(r.json["retired_keys"].as_array().unwrap().len(), 2);
    for role in ["ksk", "zsk"] {
        let f = e.json[role]["file"].as_str().unwrap();
        assert!(!env.sd().join(format!("{f}.private")).exists());
        assert!(env
            .sd()
            .join("retired")
            .join(format!("{f}.private"))
            .exists());
    }
    let g = env.status(T0 + HOUR);
    assert_eq!(g["enabled"], false);
    assert_eq!(g["status"], "disabled");
    assert_eq!(keys(&g, "ksk"), vec![]);
    // Enable again: new keys, the history kept.
    let e2 = env.enable(T0 + DAY, &[]);
    assert_ne!(e2.json["ksk"]["key_tag"], e.json["ksk"]["key_tag"]);
    let y = String::from_utf8(env.state_bytes()).unwrap();
    assert!(y.contains("event: disabled"), "{y}");
}

#[test]
fn disable_with_published_ds_needs_ds_withdrawn() {
    let env = Env::new("example.com");
    env.active_zone(T0);
    let before = env.state_bytes();
    let r = env.run("disable", T0 + DAY, &[]).code(3);
    assert!(
        r.stderr.contains("SERVFAIL") && r.stderr.contains("--ds-withdrawn"),
        "{}",
        r.stderr
    );
    assert_eq!(env.state_bytes(), before);
    let r = env.run("disable", T0 + DAY, &["--ds-withdrawn"]).ok();
    assert_eq!(r.json["status"], "disabled");
}

#[test]
fn forbidden_transitions_are_409() {
    // pending_ds: no rotation, no disable-free pass for confirm of nothing.
    let env = Env::new("example.com");
    env.enable(T0, &[]);
    for sub in ["rotate-zsk", "rotate-ksk"] {
        let before = env.state_bytes();
        let r = env.run(sub, T0 + 1, &[]).code(3);
        assert!(r.stderr.contains("pending_ds"), "{sub}: {}", r.stderr);
        assert_eq!(env.state_bytes(), before);
    }
    // active: confirm expects no DS.
    let env = Env::new("example.com");
    env.active_zone(T0);
    let ds = env.status(T0 + HOUR)["ds_records"][0]["record"]
        .as_str()
        .unwrap()
        .to_string();
    let r = env
        .run("confirm-ds-published", T0 + 2 * HOUR, &["--ds-record", &ds])
        .code(3);
    assert!(r.stderr.contains("expects no DS"), "{}", r.stderr);
    // rotating_zsk: no second rotation of either kind, no confirm.
    env.run("rotate-zsk", T0 + DAY, &[]).ok();
    for sub in ["rotate-zsk", "rotate-ksk"] {
        let before = env.state_bytes();
        let r = env.run(sub, T0 + DAY + 1, &[]).code(3);
        assert!(r.stderr.contains("already running"), "{sub}: {}", r.stderr);
        assert_eq!(env.state_bytes(), before);
    }
    env.run("confirm-ds-published", T0 + DAY + 1, &["--ds-record", &ds])
        .code(3);
    // rotating_ksk: no rotation; after confirm (swap pending) still none,
    // and no second confirm.
    let env = Env::new("example.com");
    env.active_zone(T0);
    let r = env.run("rotate-ksk", T0 + DAY, &[]).ok();
    let new_ds = r.json["ds_records"][0]["record"]
        .as_str()
        .unwrap()
        .to_string();
    for sub in ["rotate-zsk", "rotate-ksk"] {
        env.run(sub, T0 + DAY + 1, &[]).code(3);
    }
    env.run(
        "confirm-ds-published",
        T0 + DAY + 2,
        &["--ds-record", &new_ds],
    )
    .ok();
    for sub in ["rotate-zsk", "rotate-ksk"] {
        let r = env.run(sub, T0 + DAY + 3, &[]).code(3);
        assert!(
            r.stderr.contains("KSK rollover is already running"),
            "{}",
            r.stderr
        );
    }
    env.run(
        "confirm-ds-published",
        T0 + DAY + 3,
        &["--ds-record", &new_ds],
    )
    .code(3);
    // disabled: everything but enable/status/sync is a conflict.
    let env = Env::new("example.com");
    env.enable(T0, &[]);
    env.run("disable", T0 + 1, &[]).ok();
    for (sub, extra) in [
        ("disable", vec![]),
        ("rotate-zsk", vec![]),
        ("rotate-ksk", vec![]),
        ("confirm-ds-published", vec!["--ds-record", "1 13 2 00"]),
    ] {
        let r = env.run(sub, T0 + 2, &extra).code(3);
        assert!(r.stderr.contains("disabled"), "{sub}: {}", r.stderr);
    }
}

#[test]
fn now_before_the_last_event_is_refused() {
    let env = Env::new("example.com");
    env.enable(T0, &[]);
    let r = env.run("status", T0 - 1, &[]).code(2);
    assert!(r.stderr.contains("cannot go back in time"), "{}", r.stderr);
    for bad in ["yesterday", "2026-13-01T00:00:00Z", "202601010000"] {
        let o = env.cmd_at("status", bad).output().unwrap();
        assert_eq!(finish(o).code, 2, "{bad}");
    }
    // The three accepted forms.
    for t in ["20260101000000", "1767225600", "2026-01-01T00:00:00Z"] {
        let o = env.cmd_at("status", t).output().unwrap();
        assert_eq!(finish(o).code, 0, "{t}");
    }
}

#[test]
fn text_format() {
    let env = Env::new("example.com");
    let r = env.run("enable", T0, &["--format", "text"]).ok();
    assert!(
        r.stdout.contains("DNSSEC enabled") && r.stdout.contains("IN DS"),
        "{}",
        r.stdout
    );
    let r = env.run("status", T0, &["--format", "text"]).ok();
    assert!(r.stdout.contains("status:  pending_ds"), "{}", r.stdout);
}
