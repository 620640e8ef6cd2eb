//! Published specs we did not write (GitHub's, Oxide's and progenitor's, in
//! `../shared/third-party-specs/` beside the workspace) go through the real codegen path
//! unmodified: every one generates (operations the generator cannot support are skipped with a
//! located warning, never broken output), and the output, one crate with a module per spec,
//! passes `cargo clippy -- -D warnings` with the `mock` feature on (typed mock servers; with
//! `THIRD_PARTY_CLI=1` also `cli`, the command-line tool).
//!
//! The crate is written to `target/third-party/crate` and checked as a scratch crate
//! (`tests::scratch`): in the target directory whose dependencies the other scratch checks
//! share, so that only the generated code is checked anew. The operations each spec may skip are
//! bounded by today's counts ([`SKIP_CEILINGS`]): a generator that starts refusing more of
//! them fails here. The specs live outside the repository, so the test is `#[ignore]`d (the
//! runner lists it as skipped) and `cargo xtask test` runs it as a step of its own when they
//! are present, saying plainly when they are not; run by hand, it fails without them.

use generator::{Severity, Target};
use std::path::Path;
use tests::root;

const SPECS_DIR: &str = "../shared/third-party-specs";

/// How many operations each published spec may have skipped (with a located warning): the
/// counts of 2026-12-05 (`cargo xtask codegen --specs ../shared/third-party-specs --out DIR`).
/// GitHub's eight have no documented 2xx response (downloads answered by a 302); nexus's five
/// and propolis's one are streams or upgrades the clients do not model. Any other spec: none.
const SKIP_CEILINGS: &[(&str, usize)] = &[
    ("api.github.com.json", 8),
    ("nexus.json", 5),
    ("propolis-server.json", 1),
];

/// The operations a run skipped in `spec`: one warning each, `operation `id` skipped: why`.
fn skipped<'a>(findings: &'a [generator::Diagnostic], spec: &str) -> Vec<&'a str> {
    findings
        .iter()
        .filter(|d| d.file == spec && d.severity == Severity::Warning)
        .filter(|d| d.message.starts_with("operation `") && d.message.contains(" skipped: "))
        .map(|d| d.message.as_str())
        .collect()
}

fn write(path: &Path, contents: &str) {
    std::fs::create_dir_all(path.parent().expect("parent")).expect("create dir");
    std::fs::write(path, contents).expect("write");
}

#[test]
#[ignore = "needs ../shared/third-party-specs; `cargo xtask test` runs it when they are there"]
fn published_specs_generate_and_their_output_is_clippy_clean() {
    let root = root();
    assert!(
        root.join(SPECS_DIR).is_dir(),
        "{SPECS_DIR} is not beside the workspace: this test has nothing to check"
    );
    let work = root.join("target/third-party");
    let crate_dir = work.join("crate");
    let _ = std::fs::remove_dir_all(crate_dir.join("src"));
    let crate_path = crate_dir.to_str().expect("UTF-8 path").to_owned();
    let target = Target {
        specs_dir: SPECS_DIR,
        crate_dir: &crate_path,
        role: generator::Role::Fixture {
            runtime_from: "api_token_clients",
        },
    };
    let specs = generator::read_target_specs(&root, &target).expect("read the specs");
    assert!(
        specs.len() >= 8
            && specs
                .iter()
                .any(|s| s.path.ends_with("api.github.com.json")),
        "the third-party specs went missing: {:?}",
        specs.iter().map(|s| &s.path).collect::<Vec<_>>()
    );
    // Every item written as text is checked against prettyplease's printing of its tokens.
    generator::emit::verify_text_items(true);
    let out = generator::generate(&target, &specs, false).unwrap_or_else(|found| {
        let errors: Vec<String> = found
            .iter()
            .filter(|d| d.severity.is_error())
            .map(ToString::to_string)
            .collect();
        panic!(
            "{} error(s) in published specs:\n{}",
            errors.len(),
            errors.join("\n\n")
        )
    });
    for spec in &specs {
        let module = out
            .files
            .iter()
            .find(|f| {
                f.contents
                    .lines()
                    .next()
                    .is_some_and(|l| l.contains(&spec.path))
            })
            .unwrap_or_else(|| panic!("{} produced no module", spec.path));
        let warnings: Vec<_> = out
            .findings
            .iter()
            .filter(|d| d.file == spec.path && d.severity == Severity::Warning)
            .collect();
        eprintln!(
            "{}: {} lines, {} warning(s)",
            spec.path,
            module.contents.lines().count(),
            warnings.len()
        );
        for warning in warnings {
            eprintln!("  {}", warning.message);
        }
        let name = spec.path.rsplit('/').next().unwrap_or_default();
        let ceiling = SKIP_CEILINGS
            .iter()
            .find(|(file, _)| *file == name)
            .map_or(0, |(_, n)| *n);
        let skipped = skipped(&out.findings, &spec.path);
        assert!(
            skipped.len() <= ceiling,
            "{}: {} operations skipped, at most {ceiling} expected:\n  {}",
            spec.path,
            skipped.len(),
            skipped.join("\n  ")
        );
    }
    for file in &out.files {
        write(Path::new(&file.path), &file.contents);
    }
    tests::scratch::create(&crate_dir, "third-party-check");
    // The typed mock servers are on (the scratch crates' default): the rest of each module
    // does not depend on them, so this one pass checks both.
    // The command-line tool adds a fifth to the code checked (42k lines on 192k), minutes on
    // CI's two cores; CI checks it on the corpus (which has these specs' styles) and on
    // `names_property`'s hostile names, and `THIRD_PARTY_CLI=1` adds it here.
    let features = if std::env::var_os("THIRD_PARTY_CLI").is_some() {
        "cli"
    } else {
        ""
    };
    let clippy = [
        "clippy",
        "--quiet",
        "--features",
        features,
        "--",
        "-D",
        "warnings",
    ];
    let output = tests::scratch::cargo(&crate_dir, &clippy)
        .output()
        .expect("run cargo clippy");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the generated code of the published specs does not pass clippy -D warnings:\n{}",
        stderr.chars().take(20_000).collect::<String>()
    );
}
