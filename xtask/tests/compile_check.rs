//! The classification checked against the compiler: for every case, a caller written against
//! the old generated module is compiled against the new one. A breaking case must fail to
//! compile (in its own caller), a compatible one must compile, and a rule that is breaking
//! though it compiles must say so in its reason.
//!
//! All cases share one scratch crate (one module per case) and one `cargo check`, so the whole
//! check costs two compilations of a small crate; the dependencies are the ones every scratch
//! crate shares (`tests::scratch`).

mod cases;
mod support;

use cases::{Case, CASES};
use generator::diff::{Class, Rule};
use generator::SpecFile;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;
use support::TempDir;

fn rule_named(name: &str) -> Rule {
    *Rule::ALL.iter().find(|r| format!("{r:?}") == name).unwrap()
}

/// Rules that break callers without breaking their build say so in their reason.
fn compiles_but_breaks(rule: Rule) -> bool {
    rule.why().starts_with("compiles, but")
}

fn module(case: &Case, spec: Option<String>) -> String {
    let Some(text) = spec else {
        return String::new();
    };
    let spec = SpecFile {
        path: format!("specs/{}.yaml", case.name),
        text,
    };
    let api = generator::lower_spec(&spec).unwrap_or_else(|d| panic!("case {}: {d:?}", case.name));
    generator::render_module(&api, "src").unwrap().contents
}

/// The scratch crate (`tests::scratch`: the manifest, profiles, lock file and target
/// directory every scratch check shares) with one module per case.
fn scratch_crate(dir: &Path) {
    tests::scratch::create(dir, "compile-check");
    let mut lib = String::from("#![allow(unused, deprecated, dead_code, missing_docs)]\npub use api_token_clients::runtime;\n");
    for case in CASES {
        lib.push_str(&format!("pub mod {};\n", case.name));
        let src = dir.join("src").join(case.name);
        std::fs::create_dir_all(&src).unwrap();
        std::fs::write(
            src.join("mod.rs"),
            "#[rustfmt::skip]\npub mod api;\nmod caller;\n",
        )
        .unwrap();
        std::fs::write(
            src.join("caller.rs"),
            format!("use super::api::*;\n\n{}\n", case.caller),
        )
        .unwrap();
    }
    std::fs::write(dir.join("src/lib.rs"), lib).unwrap();
}

fn write_modules(dir: &Path, new: bool) {
    for case in CASES {
        let spec = if new { case.after() } else { case.before() };
        std::fs::write(
            dir.join("src").join(case.name).join("api.rs"),
            module(case, spec),
        )
        .unwrap();
    }
}

/// Runs `cargo check` once; error messages by the file of their primary span.
fn check(dir: &Path) -> BTreeMap<String, Vec<String>> {
    let out = tests::scratch::cargo(dir, &["check", "--quiet", "--message-format=json"])
        .output()
        .unwrap();
    let mut errors: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let Ok(message) = serde_json::from_str::<Value>(line) else {
            continue;
        };
        if message["reason"] != "compiler-message" || message["message"]["level"] != "error" {
            continue;
        }
        let spans = message["message"]["spans"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let Some(file) = spans
            .iter()
            .find(|s| s["is_primary"] == true)
            .and_then(|s| s["file_name"].as_str())
        else {
            continue;
        };
        let text = message["message"]["rendered"]
            .as_str()
            .unwrap_or("")
            .to_owned();
        errors.entry(file.to_owned()).or_default().push(text);
    }
    assert!(
        out.status.success() || !errors.is_empty(),
        "cargo check failed without compiler errors:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    errors
}

#[test]
fn callers_of_the_old_code_compile_against_the_new_code_as_classified() {
    let dir = TempDir::new("compile-check");
    scratch_crate(&dir.0);

    // The callers are right: against the old code everything compiles.
    write_modules(&dir.0, false);
    let errors = check(&dir.0);
    assert!(
        errors.is_empty(),
        "callers do not compile against the old code: {errors:#?}"
    );

    write_modules(&dir.0, true);
    let errors = check(&dir.0);
    let mut wrong = Vec::new();
    for case in CASES {
        let rule = rule_named(case.rules[0]);
        let caller = format!("src/{}/caller.rs", case.name);
        let api = format!("src/{}/api.rs", case.name);
        assert!(
            !errors.contains_key(&api),
            "generated code of {} does not compile: {:#?}",
            case.name,
            errors[&api]
        );
        let broke = errors.contains_key(&caller);
        let expected = rule.class() == Class::Breaking && !compiles_but_breaks(rule);
        if broke != expected {
            wrong.push(format!(
                "{} ({:?}, {:?}): caller {}; errors: {:?}",
                case.name,
                rule,
                rule.class(),
                if broke { "broke" } else { "compiled" },
                errors.get(&caller)
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "classification contradicted by the compiler:\n{}",
        wrong.join("\n")
    );
    // Every error belongs to a case's caller.
    for file in errors.keys() {
        assert!(
            file.ends_with("/caller.rs"),
            "unexpected error in {file}: {:?}",
            errors[file]
        );
    }
}

#[test]
fn meaning_only_rules_are_the_breaking_rules_that_say_so() {
    for rule in Rule::ALL {
        if compiles_but_breaks(*rule) {
            assert_eq!(rule.class(), Class::Breaking, "{rule:?}");
        }
    }
    let meaning: Vec<String> = Rule::ALL
        .iter()
        .filter(|r| compiles_but_breaks(**r))
        .map(|r| format!("{r:?}"))
        .collect();
    assert_eq!(meaning, ["Security", "Envelope"]);
}
