//! Issue #16: shell completions (clap_complete) and the man page
//! (clap_mangen), rendered from the same definitions as `--help`.

mod common;
use common::*;
use std::process::Command;

#[test]
fn the_bash_completion_loads_and_completes_a_subcommand() {
    require_tool("bash", "bash");
    let o = zonesign(["completions", "bash"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let dir = tempfile::tempdir().expect("tempdir");
    let script = write(dir.path(), "zonesign.bash", &text(&o.stdout));
    let complete = |line: &str| {
        let words: Vec<&str> = line.split(' ').collect();
        let shell = format!(
            "source {} && COMP_WORDS=({}) && COMP_CWORD={} && COMP_LINE='{line}' && COMP_POINT={} && _zonesign zonesign {} {} && printf '%s\\n' \"${{COMPREPLY[@]}}\"",
            script.display(),
            words.join(" "),
            words.len() - 1,
            line.len(),
            words[words.len() - 1],
            words[words.len() - 2],
        );
        let o = Command::new("bash")
            .arg("-c")
            .arg(&shell)
            .output()
            .expect("bash");
        assert!(o.status.success(), "bash: {}", text(&o.stderr));
        text(&o.stdout)
    };
    assert_eq!(complete("zonesign si").trim(), "sign");
    let flags = complete("zonesign sign --pre");
    assert!(flags.lines().any(|l| l == "--previous"), "{flags}");
}

#[test]
fn zsh_and_fish_completions_name_every_subcommand() {
    for shell in ["zsh", "fish"] {
        let o = zonesign(["completions", shell]);
        assert!(o.status.success(), "{shell}: {}", text(&o.stderr));
        let out = text(&o.stdout);
        for sub in ["sign", "verify", "check", "dnssec", "policy", "keygen"] {
            assert!(out.contains(sub), "{shell} completion lacks {sub}");
        }
    }
}

#[test]
fn the_man_page_renders_without_warnings() {
    require_tool("man", "man-db");
    let dir = tempfile::tempdir().expect("tempdir");
    let o = zonesign(["man"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let page = dir.path().join("zonesign.1");
    std::fs::write(&page, &o.stdout).expect("write page");
    let o = Command::new("man")
        .args(["--warnings", "-l"])
        .arg(&page)
        .env("MANWIDTH", "80")
        .output()
        .expect("man");
    assert!(o.status.success(), "man: {}", text(&o.stderr));
    assert!(o.stderr.is_empty(), "man warnings: {}", text(&o.stderr));
    let rendered = text(&o.stdout);
    assert!(
        rendered.contains("zonesign - Sign and validate DNS zones"),
        "{rendered}"
    );

    // A page per subcommand with --dir.
    let pages = dir.path().join("pages");
    let o = zonesign(["man", "--dir", pages.to_str().expect("utf-8")]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    for p in [
        "zonesign.1",
        "zonesign-sign.1",
        "zonesign-verify.1",
        "zonesign-policy-show.1",
    ] {
        assert!(pages.join(p).is_file(), "{p} missing");
    }
}

#[test]
fn every_subcommand_help_has_examples() {
    for sub in [
        "check",
        "sign",
        "verify",
        "dnssec",
        "keygen",
        "ds",
        "key",
        "policy",
        "completions",
        "man",
    ] {
        let o = zonesign([sub, "--help"]);
        assert!(o.status.success(), "{sub} --help: {}", text(&o.stderr));
        let help = text(&o.stdout);
        let examples = help
            .split("Examples:")
            .nth(1)
            .unwrap_or_else(|| panic!("{sub}: no examples"));
        assert!(
            examples.contains(&format!("zonesign {sub}")),
            "{sub}: {examples}"
        );
    }
}
