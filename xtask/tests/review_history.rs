//! `cargo xtask diff` on small git histories: every kind of change, its report and its class.

mod cases;
mod support;

use cases::CASES;
use generator::diff::{Class, Rule};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;
use support::{commit_all, git, repo, stderr, stdout, xtask};

fn rule_named(name: &str) -> Rule {
    *Rule::ALL
        .iter()
        .find(|r| format!("{r:?}") == name)
        .unwrap_or_else(|| panic!("no rule {name}"))
}

fn class_word(class: Class) -> &'static str {
    match class {
        Class::Breaking => "breaking",
        Class::Compatible => "compatible",
    }
}

/// One spec per case, committed on `main`; the edits committed on a branch.
fn history() -> support::TempDir {
    let dir = repo("review-history", "0.3.1");
    let root = &dir.0;
    for case in CASES {
        if let Some(old) = case.before() {
            std::fs::write(root.join(format!("specs/{}.yaml", case.name)), old).unwrap();
        }
    }
    commit_all(root, "specs before");
    git(root, &["checkout", "-q", "-b", "feature"]);
    for case in CASES {
        let path = root.join(format!("specs/{}.yaml", case.name));
        match case.after() {
            Some(new) => std::fs::write(path, new).unwrap(),
            None => std::fs::remove_file(path).unwrap(),
        }
    }
    commit_all(root, "specs after");
    dir
}

#[test]
fn every_rule_has_a_case() {
    let covered: BTreeSet<String> = CASES.iter().map(|c| c.rules[0].to_owned()).collect();
    for rule in Rule::ALL {
        assert!(
            covered.contains(&format!("{rule:?}")),
            "no case for {rule:?}"
        );
    }
}

#[test]
fn each_case_gets_exactly_its_rules_and_classes() {
    let dir = history();
    let out = xtask(&dir.0, &["diff", "--format", "json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let report: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(report["base"], "merge base with `main`");
    let vendors = report["vendors"].as_array().unwrap();
    for case in CASES {
        let vendor = vendors
            .iter()
            .find(|v| v["vendor"] == case.name)
            .unwrap_or_else(|| panic!("case {} missing from the report", case.name));
        let changes = vendor["changes"].as_array().unwrap();
        let got: BTreeSet<&str> = changes
            .iter()
            .map(|c| c["rule"].as_str().unwrap())
            .collect();
        let want: BTreeSet<&str> = case.rules.iter().copied().collect();
        assert_eq!(got, want, "case {}: {changes:#?}", case.name);
        for change in changes {
            let rule = rule_named(change["rule"].as_str().unwrap());
            assert_eq!(
                change["class"],
                class_word(rule.class()),
                "case {}",
                case.name
            );
        }
        // Breaking first.
        let classes: Vec<&str> = changes
            .iter()
            .map(|c| c["class"].as_str().unwrap())
            .collect();
        let mut sorted = classes.clone();
        sorted.sort();
        assert_eq!(classes, sorted, "case {}", case.name);
    }
    assert_eq!(vendors.len(), CASES.len());
    assert_eq!(report["bump"], "minor");
    assert_eq!(report["version"], "0.3.1");
    assert_eq!(report["next_version"], "0.4.0");
    let generated = report["generated"].as_array().unwrap();
    assert!(generated
        .iter()
        .any(|f| f["path"] == "generated/src/field_added.rs" && f["added"].as_u64() > Some(0)));
}

#[test]
fn markdown_has_a_summary_a_table_per_vendor_and_the_generated_size() {
    let dir = history();
    let out = xtask(&dir.0, &["diff", "--format", "markdown", "--base", "main"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let first = text.lines().next().unwrap();
    assert!(first.starts_with("### ⚠️ Spec review: "), "{first}");
    assert!(
        text.contains("needs a minor version bump: 0.3.1 -> 0.4.0"),
        "{text}"
    );
    for case in CASES {
        assert!(
            text.contains(&format!(
                "#### `{}`\n\n| class | what | change | rule |",
                case.name
            )),
            "{}",
            case.name
        );
    }
    let section = text.split("#### `required_param_added`").nth(1).unwrap();
    assert!(
        section.contains("| **breaking** | `ListTokensParams` | no longer derives `Default`"),
        "{section}"
    );
    assert!(text.contains("**Generated code:** +"));
    assert!(text.contains("| `generated/src/return_type.rs` |"));
}

#[test]
fn fail_on_breaking_and_the_changelog() {
    let dir = history();
    let root = &dir.0;
    let out = xtask(root, &["diff", "--fail-on-breaking"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("breaking change(s) since merge base with `main`"),
        "{}",
        stderr(&out)
    );

    // Nothing changed since HEAD: nothing breaks, nothing to bump.
    let out = xtask(root, &["diff", "--base", "HEAD", "--fail-on-breaking"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("no version bump needed (stays 0.3.1)"));

    let out = xtask(root, &["diff", "--write-changelog"]);
    assert!(out.status.success(), "{}", stderr(&out));
    // The hand-kept version is bumped; codegen renders it into generated/Cargo.toml.
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
    assert!(
        manifest.contains("[workspace.metadata.api-token-clients]\nversion = \"0.4.0\""),
        "{manifest}"
    );
    let log = std::fs::read_to_string(root.join("generated/CHANGELOG.md")).unwrap();
    assert!(
        log.starts_with("# Changelog of `api-token-clients`"),
        "{log}"
    );
    assert!(log.contains("## 0.4.0 (minor bump)"));
    assert!(log.contains("- breaking return_type: `Client::delete_token`: returns `types::Token` instead of `()`"), "{log}");
    assert!(
        log.contains("- compatible server_url: `Server::Backup`: URL"),
        "{log}"
    );

    // Bumped from the base's version: running it again neither bumps twice nor repeats the entry.
    let out = xtask(root, &["diff", "--write-changelog"]);
    assert!(
        stdout(&out).contains("needs a minor version bump: 0.3.1 -> 0.4.0 (done)"),
        "{}",
        stdout(&out)
    );
    assert!(stderr(&out).contains("nothing to record: version 0.4.0 is already written"));
    assert_eq!(
        std::fs::read_to_string(root.join("generated/CHANGELOG.md")).unwrap(),
        log
    );
}

#[test]
fn a_compatible_change_only_needs_a_patch_and_passes_fail_on_breaking() {
    let dir = repo("review-compatible", "1.2.3");
    let root = &dir.0;
    let case = CASES.iter().find(|c| c.name == "rate_limit").unwrap();
    std::fs::write(root.join("specs/x.yaml"), case.before().unwrap()).unwrap();
    commit_all(root, "before");
    std::fs::write(root.join("specs/x.yaml"), case.after().unwrap()).unwrap();
    let out = xtask(root, &["diff", "--fail-on-breaking"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.starts_with(
            "0 breaking and 1 compatible change(s) in 1 module(s) since merge base with `main`"
        ),
        "{text}"
    );
    assert!(
        text.contains("needs a patch version bump: 1.2.3 -> 1.2.4"),
        "{text}"
    );

    let case = CASES.iter().find(|c| c.name == "operation_added").unwrap();
    std::fs::write(root.join("specs/x.yaml"), case.after().unwrap()).unwrap();
    let text = stdout(&xtask(root, &["diff"]));
    assert!(
        text.contains("needs a minor version bump: 1.2.3 -> 1.3.0"),
        "{text}"
    );
}

#[test]
fn the_readme_lists_every_rule_with_its_class_and_reason() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md"))
            .unwrap();
    for rule in Rule::ALL {
        let row = format!(
            "| `{rule:?}` | {} | {} |",
            class_word(rule.class()),
            rule.why().replace('|', "\\|")
        );
        assert!(readme.contains(&row), "README lacks the row: {row}");
    }
}
