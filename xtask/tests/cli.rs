//! `cargo xtask codegen` as a user runs it, on a scratch copy of the workspace.

use std::path::{Path, PathBuf};
use std::process::Command;

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A scratch workspace with the real specs and generated sources.
fn scratch(name: &str) -> PathBuf {
    let real = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let root = std::env::temp_dir().join(format!("xtask-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    copy_dir(&real.join("specs"), &root.join("specs"));
    copy_dir(&real.join("generated/src"), &root.join("generated/src"));
    copy_dir(
        &real.join("generated/examples"),
        &root.join("generated/examples"),
    );
    std::fs::copy(
        real.join("generated/README.md"),
        root.join("generated/README.md"),
    )
    .unwrap();
    // The manifest is generated too, with the versions of the hand-written manifests.
    for manifest in [
        "Cargo.toml",
        "generated/Cargo.toml",
        "generator/runtime/Cargo.toml",
        "generator/runtime-cli/Cargo.toml",
    ] {
        std::fs::create_dir_all(root.join(manifest).parent().unwrap()).unwrap();
        std::fs::copy(real.join(manifest), root.join(manifest)).unwrap();
    }
    copy_dir(
        &real.join("generated/examples"),
        &root.join("generated/examples"),
    );
    copy_dir(
        &real.join("tests/corpus/specs"),
        &root.join("tests/corpus/specs"),
    );
    copy_dir(
        &real.join("tests/corpus/src"),
        &root.join("tests/corpus/src"),
    );
    root
}

fn snapshot(root: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    let mut stack = vec![root.join("generated")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.push((path.clone(), std::fs::read(&path).unwrap()));
            }
        }
    }
    files.sort();
    files
}

fn xtask(root: &Path, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("--root")
        .arg(root)
        .args(args)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn check_passes_on_the_checked_in_output() {
    let root = scratch("fresh");
    let (ok, stdout, stderr) = xtask(&root, &["codegen", "--check"]);
    assert!(ok, "{stdout}{stderr}");
    assert!(
        stdout.contains("unchanged generated/src/apivideo.rs"),
        "{stdout}"
    );
}

#[test]
fn check_names_stale_files_with_a_diff_and_writes_nothing() {
    let root = scratch("stale");
    let spec = root.join("specs/apivideo.yaml");
    let text = std::fs::read_to_string(&spec).unwrap();
    std::fs::write(
        &spec,
        text.replacen(
            "summary: List all active upload tokens",
            "summary: List every active upload token",
            1,
        ),
    )
    .unwrap();
    let before = snapshot(&root);
    let (ok, stdout, stderr) = xtask(&root, &["codegen", "--check"]);
    assert!(!ok);
    assert!(
        stdout.contains("stale     generated/src/apivideo.rs"),
        "{stdout}"
    );
    assert!(
        stdout.contains("+    /// List every active upload token"),
        "{stdout}"
    );
    assert!(
        stderr.contains("generated/src/apivideo.rs")
            && stderr.contains("run `cargo xtask codegen`"),
        "{stderr}"
    );
    assert_eq!(before, snapshot(&root), "--check must write nothing");
    let (ok, stdout, _) = xtask(&root, &["codegen"]);
    assert!(
        ok && stdout.contains("wrote     generated/src/apivideo.rs"),
        "{stdout}"
    );
    assert!(xtask(&root, &["codegen", "--check"]).0);
}

#[test]
fn a_broken_spec_changes_nothing_and_says_where() {
    let root = scratch("broken");
    let spec = root.join("specs/apivideo.yaml");
    let text = std::fs::read_to_string(&spec).unwrap();
    // Break one spec (a dangling $ref) and change another, so a partial write would show.
    std::fs::write(
        &spec,
        text.replacen(
            "#/components/schemas/UploadToken\"",
            "#/components/schemas/UploadTokn\"",
            1,
        ),
    )
    .unwrap();
    let cellcast = root.join("specs/cellcast.yaml");
    let other = std::fs::read_to_string(&cellcast).unwrap();
    std::fs::write(
        &cellcast,
        other
            .replacen("openapi: 3.0.3", "openapi: 3.0.3\n# edited", 1)
            .replacen("title: ", "title: Edited ", 1),
    )
    .unwrap();
    let before = snapshot(&root);
    let (ok, _, stderr) = xtask(&root, &["codegen"]);
    assert!(!ok);
    assert!(
        stderr.contains("dangling $ref `#/components/schemas/UploadTokn`"),
        "{stderr}"
    );
    assert!(stderr.contains("--> specs/apivideo.yaml:"), "{stderr}");
    assert!(stderr.contains("nothing was written"), "{stderr}");
    assert_eq!(
        before,
        snapshot(&root),
        "a failed run must leave generated/ as it was"
    );

    std::fs::write(&spec, "openapi: 3.0.3\ninfo: [unclosed\n").unwrap();
    let (ok, _, stderr) = xtask(&root, &["codegen"]);
    assert!(!ok);
    assert!(
        stderr.contains("invalid YAML") && stderr.contains("specs/apivideo.yaml:"),
        "{stderr}"
    );
    assert_eq!(before, snapshot(&root));
}

#[test]
fn two_runs_give_identical_bytes() {
    let root = scratch("twice");
    assert!(xtask(&root, &["codegen"]).0);
    let first = snapshot(&root);
    assert!(xtask(&root, &["codegen"]).0);
    assert_eq!(first, snapshot(&root));
}
