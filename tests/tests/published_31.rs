//! Published OpenAPI 3.1 descriptions (`tests/published/`: Discord's HTTP API, Redocly's
//! Museum example and the OpenAPI Initiative's 3.1 examples, unmodified) go through the real
//! codegen path: each generates, skipping at most the operations counted in [`SKIP_CEILINGS`]
//! (each with a located warning), and the output, the command-line tool included, passes
//! `cargo clippy --features cli -- -D warnings` as a scratch crate (`tests::scratch`).

use generator::{Role, Severity, Target};
use std::path::Path;
use tests::root;

/// How many operations each spec may have skipped, as counted on 2026-12-05 with
/// `cargo xtask codegen --specs tests/published --out DIR`. Discord's nine take a query
/// parameter the clients do not model (a `oneOf` of a string and an array; an empty string
/// enum narrowed by `allOf`).
const SKIP_CEILINGS: &[(&str, usize)] = &[("discord.json", 9)];

#[test]
fn published_31_specs_generate_and_their_output_is_clippy_clean() {
    let root = root();
    let crate_dir = root.join("target/published-31/crate");
    let _ = std::fs::remove_dir_all(crate_dir.join("src"));
    let crate_path = crate_dir.to_str().expect("UTF-8 path").to_owned();
    let target = Target {
        specs_dir: "tests/published",
        crate_dir: &crate_path,
        role: Role::Fixture {
            runtime_from: "api_token_clients",
        },
    };
    let specs = generator::read_target_specs(&root, &target).expect("read the specs");
    assert_eq!(specs.len(), 4, "the published specs went missing");
    for spec in &specs {
        assert!(
            spec.text.contains("openapi: 3.1.0") || spec.text.contains("\"openapi\": \"3.1.0\""),
            "{} is not OpenAPI 3.1",
            spec.path
        );
    }
    // Every item written as text is checked against prettyplease's printing of its tokens.
    generator::emit::verify_text_items(true);
    let out = generator::generate(&target, &specs, false).unwrap_or_else(|found| {
        let errors: Vec<String> = found
            .iter()
            .filter(|d| d.severity.is_error())
            .map(ToString::to_string)
            .collect();
        panic!("errors in published 3.1 specs:\n{}", errors.join("\n\n"))
    });
    for spec in &specs {
        let name = spec.path.rsplit('/').next().unwrap_or_default();
        let ceiling = SKIP_CEILINGS
            .iter()
            .find(|(file, _)| *file == name)
            .map_or(0, |(_, n)| *n);
        let skipped: Vec<&str> = out
            .findings
            .iter()
            .filter(|d| d.file == spec.path && d.severity == Severity::Warning)
            .filter(|d| d.message.starts_with("operation `") && d.message.contains(" skipped: "))
            .map(|d| d.message.as_str())
            .collect();
        assert!(
            skipped.len() <= ceiling,
            "{}: {} operations skipped, at most {ceiling} expected:\n  {}",
            spec.path,
            skipped.len(),
            skipped.join("\n  ")
        );
    }
    for file in &out.files {
        let path = Path::new(&file.path);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("create dir");
        std::fs::write(path, &file.contents).expect("write");
    }
    tests::scratch::create(&crate_dir, "published-31-check");
    let output = tests::scratch::cargo(
        &crate_dir,
        &[
            "clippy",
            "--quiet",
            "--features",
            "cli",
            "--",
            "-D",
            "warnings",
        ],
    )
    .output()
    .expect("run cargo clippy");
    assert!(
        output.status.success(),
        "the generated code of the published 3.1 specs does not pass clippy -D warnings:\n{}",
        String::from_utf8_lossy(&output.stderr)
            .chars()
            .take(20_000)
            .collect::<String>()
    );
}
