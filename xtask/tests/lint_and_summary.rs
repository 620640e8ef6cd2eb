//! `cargo xtask lint` from the command line, `codegen` running it first, and the summary
//! `codegen` ends with.

mod support;

use std::path::Path;
use support::{commit_all, repo, stderr, stdout, xtask};

fn workspace() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap()
}

#[test]
fn our_own_specs_pass_the_lint() {
    let out = xtask(workspace(), &["lint"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).starts_with("lint: "), "{}", stdout(&out));
    assert!(stdout(&out).contains("clean"));
}

#[test]
fn every_finding_of_every_spec_comes_at_once_and_codegen_writes_nothing() {
    let dir = repo("lint-cli", "0.1.0");
    let root = &dir.0;
    let spec = std::fs::read_to_string(workspace().join("specs/apivideo.yaml")).unwrap();
    let no_summary = spec.replacen("      summary: List all active upload tokens\n", "", 1);
    assert_ne!(no_summary, spec);
    std::fs::write(root.join("specs/a.yaml"), no_summary).unwrap();
    let unused = spec.replacen(
        "  schemas:\n",
        "  schemas:\n    Spare:\n      type: string\n",
        1,
    );
    std::fs::write(root.join("specs/b.yaml"), unused).unwrap();

    let out = xtask(root, &["lint"]);
    assert!(!out.status.success());
    let text = stderr(&out);
    assert!(
        text.contains("error: `GET /upload-tokens` has no `summary`\n  --> specs/a.yaml:"),
        "{text}"
    );
    assert!(
        text.contains("error: component `Spare` (schemas) is not used\n  --> specs/b.yaml:"),
        "{text}"
    );
    assert!(
        text.ends_with("error: lint found 2 problem(s) in the specs\n"),
        "{text}"
    );

    let out = xtask(root, &["codegen"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("lint found 2 problem(s)"));
    assert!(!root.join("generated/src").exists());
}

#[test]
fn codegen_ends_with_what_the_spec_edit_does() {
    let dir = repo("codegen-summary", "0.1.0");
    let root = &dir.0;
    let spec = std::fs::read_to_string(workspace().join("specs/apivideo.yaml")).unwrap();
    std::fs::write(root.join("specs/apivideo.yaml"), &spec).unwrap();
    let out = xtask(root, &["codegen"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("spec changes since HEAD: not compared"),
        "{}",
        stdout(&out)
    );
    commit_all(root, "first");

    let out = xtask(root, &["codegen"]);
    assert!(
        stdout(&out)
            .trim_end()
            .ends_with("none a caller can notice"),
        "{}",
        stdout(&out)
    );

    std::fs::write(
        root.join("specs/apivideo.yaml"),
        spec.replacen("enum: [asc, desc]", "enum: [asc]", 1),
    )
    .unwrap();
    let out = xtask(root, &["codegen"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let summary = text.split("spec changes since HEAD").nth(1).unwrap();
    assert!(
        summary.contains("1 breaking, 0 compatible; version 0.1.0 -> 0.2.0"),
        "{text}"
    );
    assert!(
        summary.contains("\n  breaking   apivideo: `types::ListUploadTokensSortOrder`: value `desc` (`Desc`) removed"),
        "{text}"
    );
}
