//! The classification checked against the compiler: for every case, a caller written against
//! the old generated module is compiled against the new one. A breaking case must fail to
//! compile (in its own caller), a compatible one must compile, and a rule that is breaking
//! though it compiles must say so in its reason.
//!
//! The callers are in a crate of their own, beside the crate of the generated modules, so that
//! `#[non_exhaustive]` binds them as it binds a user. All cases share those two crates (one
//! module per case) and one `cargo check`, so the whole check costs two compilations of two
//! small crates; the dependencies are the ones every scratch crate shares (`tests/src/scratch.rs`).

mod cases;
mod support;

use cases::{Case, CASES};
use generator::diff::{Class, Rule};
use generator::SpecFile;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;
use support::TempDir;

/// The scratch-crate helpers tests/ uses too, compiled in from their one file: depending on the
/// `tests` package instead would build the generated crate and the corpus before any xtask
/// test could start.
#[allow(dead_code)]
#[path = "../../tests/src/scratch.rs"]
mod scratch;

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

/// The scratch workspace: the callers' crate (one module per case) depending on a crate of the
/// generated modules (`apis/`), so that the callers meet the generated code as a user does, from
/// another crate (`#[non_exhaustive]` binds only there). Manifests carry the dependencies,
/// profiles and lock file every scratch crate shares (`tests/src/scratch.rs`), so dependencies are
/// checked once for all of them; `apis` turns the typed mock servers on.
fn scratch_crate(dir: &Path) {
    let dependencies = scratch::dependencies();
    let profiles = scratch::profiles();
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"compile-check\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
             [dependencies]\napis = {{ path = \"apis\" }}\n{dependencies}\n[workspace]\n\n{profiles}"
        ),
    )
    .unwrap();
    std::fs::create_dir_all(dir.join("apis/src")).unwrap();
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::write(
        dir.join("apis/Cargo.toml"),
        format!(
            "[package]\nname = \"apis\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
             [dependencies]\n{dependencies}\n[features]\ndefault = [\"mock\"]\nmock = []\n"
        ),
    )
    .unwrap();
    scratch::copy_lock(dir);
    let header = "#![allow(unused, deprecated, dead_code, missing_docs)]\npub use api_token_clients::runtime;\n";
    let (mut apis, mut callers) = (String::from(header), String::from(header));
    for case in CASES {
        apis.push_str(&format!(
            "pub mod {} {{\n    #[rustfmt::skip]\n    pub mod api;\n}}\n",
            case.name
        ));
        std::fs::create_dir_all(dir.join("apis/src").join(case.name)).unwrap();
        callers.push_str(&format!("pub mod {};\n", case.name));
        std::fs::write(
            dir.join("src").join(format!("{}.rs", case.name)),
            format!("use apis::{}::api::*;\n\n{}\n", case.name, case.caller),
        )
        .unwrap();
    }
    std::fs::write(dir.join("apis/src/lib.rs"), apis).unwrap();
    callers.push_str("mod outside_only;\n");
    std::fs::write(dir.join("src/lib.rs"), callers).unwrap();
}

/// Code that compiles inside the generated crate but not in a user's, because models, `Params`
/// and enums are `#[non_exhaustive]` (written against the base spec, as the `field_added`
/// case's old module): each must fail to compile in the callers' crate, which proves that the
/// callers meet the generated code as users do.
const OUTSIDE_ONLY: &[(&str, &str)] = &[
    ("model_literal", "pub fn f() -> types::Payload { types::Payload { ttl: None, label: None } }"),
    ("params_literal", "pub fn f() -> types::ListTokensParams { types::ListTokensParams { sort_order: None, page_size: None, page: None } }"),
    ("response_pattern", "pub fn f(t: types::Token) -> String { let types::Token { token, ttl, expires_at, owner } = t; token }"),
    ("enum_match", "pub fn f(o: &types::Order) -> u8 { match o { types::Order::Asc => 1, types::Order::Desc => 2, types::Order::Unknown(_) => 0 } }"),
    ("union_match", "pub fn f(o: &types::Owner) -> u8 { match o { types::Owner::User(_) => 1, types::Owner::Team(_) => 2 } }"),
    ("error_match", "pub fn f(e: types::ListTokensError) -> u8 { match e { types::ListTokensError::NotFound(_) => 1 } }"),
];

/// `src/outside_only/`: one file per [`OUTSIDE_ONLY`] snippet, or none.
fn write_outside_only(dir: &Path, present: bool) {
    let root = dir.join("src/outside_only");
    std::fs::create_dir_all(&root).unwrap();
    let mut decls = String::new();
    for (name, code) in OUTSIDE_ONLY.iter().filter(|_| present) {
        decls.push_str(&format!("mod {name};\n"));
        std::fs::write(
            root.join(format!("{name}.rs")),
            format!("use apis::field_added::api::*;\n\n{code}\n"),
        )
        .unwrap();
    }
    std::fs::write(root.join("mod.rs"), decls).unwrap();
}

/// Each case's module, old or new. A case whose spec an earlier case already has on this side
/// (every old spec is the base) re-exports that case's module instead of compiling its own:
/// the two would differ only in their module's name, in docs and operation labels, never in
/// an item a caller uses; compiled 17 times, the old side cost 13 s of `cargo check`.
fn write_modules(dir: &Path, new: bool) {
    let mut first_with: std::collections::HashMap<String, &str> = Default::default();
    for case in CASES {
        let spec = if new { case.after() } else { case.before() };
        let file = match spec {
            Some(text) if first_with.contains_key(&text) => {
                format!("pub use crate::{}::api::*;\n", first_with[&text])
            }
            Some(text) => {
                first_with.insert(text.clone(), case.name);
                module(case, Some(text))
            }
            None => String::new(),
        };
        std::fs::write(dir.join("apis/src").join(case.name).join("api.rs"), file).unwrap();
    }
}

/// Runs `cargo check` once; error messages by the file of their primary span.
fn check(dir: &Path) -> BTreeMap<String, Vec<String>> {
    let out = scratch::cargo(dir, &["check", "--quiet", "--message-format=json"])
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

    // The callers are right: against the old code everything compiles, and what only the
    // generated crate itself could write does not.
    write_modules(&dir.0, false);
    write_outside_only(&dir.0, true);
    let mut errors = check(&dir.0);
    for (name, _) in OUTSIDE_ONLY {
        let file = format!("src/outside_only/{name}.rs");
        assert!(
            errors.remove(&file).is_some_and(|e| e
                .iter()
                .any(|m| m.contains("non-exhaustive") || m.contains("non_exhaustive"))),
            "{file} compiles from another crate: the type is not `#[non_exhaustive]`"
        );
    }
    assert!(
        errors.is_empty(),
        "callers do not compile against the old code: {errors:#?}"
    );

    write_outside_only(&dir.0, false);
    write_modules(&dir.0, true);
    let errors = check(&dir.0);
    let mut wrong = Vec::new();
    for case in CASES {
        let rule = rule_named(case.rules[0]);
        let caller = format!("src/{}.rs", case.name);
        let api = format!("apis/src/{}/api.rs", case.name);
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
            file.starts_with("src/"),
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
