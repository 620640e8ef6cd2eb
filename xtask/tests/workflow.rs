//! The pull-request workflow's own commands, run as the workflow runs them: every step whose
//! script calls `cargo xtask` is executed by bash in a checkout with a real spec edit, with the
//! variables GitHub would set, and the acknowledgement of breaking changes is checked both ways.

mod support;

use serde_yaml::Value;
use std::path::Path;
use std::process::Command;
use support::{commit_all, git, repo, xtask};

const WORKFLOW: &str = include_str!("../../.github/workflows/spec-review.yml");

fn workspace() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap()
}

/// (step name, script) of every step with a `run`.
fn steps() -> Vec<(String, String)> {
    let doc: Value = serde_yaml::from_str(WORKFLOW).unwrap();
    doc["jobs"]["review"]["steps"]
        .as_sequence()
        .unwrap()
        .iter()
        .filter_map(|step| {
            let run = step["run"].as_str()?;
            Some((
                step["name"].as_str().unwrap_or("").to_owned(),
                run.to_owned(),
            ))
        })
        .collect()
}

/// A checkout of a pull request: apivideo's spec on `main` (also as `origin/main`), and on the
/// branch a breaking edit with its regenerated code.
fn pull_request() -> support::TempDir {
    let dir = repo("workflow", "0.1.0");
    let root = &dir.0;
    let spec = std::fs::read_to_string(workspace().join("specs/apivideo.yaml")).unwrap();
    std::fs::write(root.join("specs/apivideo.yaml"), &spec).unwrap();
    assert!(xtask(root, &["codegen"]).status.success());
    commit_all(root, "base");
    git(root, &["update-ref", "refs/remotes/origin/main", "main"]);
    git(root, &["checkout", "-q", "-b", "feature"]);
    let edited = spec.replacen("enum: [asc, desc]", "enum: [asc]", 1);
    std::fs::write(root.join("specs/apivideo.yaml"), edited).unwrap();
    assert!(xtask(root, &["codegen"]).status.success());
    commit_all(root, "drop desc");
    dir
}

/// Runs one step's script as the runner would (bash -e), `cargo xtask` being this build.
fn run_step(root: &Path, script: &str, event: &str) -> std::process::Output {
    let event_path = root.join("event.json");
    std::fs::write(&event_path, event).unwrap();
    let script = script.replace("cargo xtask", env!("CARGO_BIN_EXE_xtask"));
    Command::new("bash")
        .args(["-e", "-c", &script])
        .current_dir(root)
        .env("BASE_REF", "main")
        .env("GITHUB_EVENT_PATH", &event_path)
        .env("GITHUB_STEP_SUMMARY", root.join("summary.md"))
        .output()
        .unwrap()
}

fn event(labels: &[&str], body: &str) -> String {
    let labels: Vec<serde_json::Value> = labels
        .iter()
        .map(|l| serde_json::json!({ "name": l }))
        .collect();
    serde_json::json!({ "pull_request": { "number": 7, "labels": labels, "body": body } })
        .to_string()
}

#[test]
fn every_xtask_step_runs_and_an_unacknowledged_breaking_change_fails() {
    let dir = pull_request();
    let root = &dir.0;
    let steps = steps();
    let xtask_steps: Vec<&(String, String)> = steps
        .iter()
        .filter(|(_, run)| run.contains("cargo xtask"))
        .collect();
    let names: Vec<&str> = xtask_steps.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "Generated code matches the specs",
            "Specs pass the lint",
            "Review report",
            "Breaking changes are acknowledged"
        ]
    );
    let unacknowledged = event(&["docs"], "Drops `desc`.\n\nbreaking-change: maybe");
    for (name, script) in &xtask_steps[..3] {
        let out = run_step(root, script, &unacknowledged);
        assert!(
            out.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let report = std::fs::read_to_string(root.join("spec-review.md")).unwrap();
    assert!(report.starts_with("### ⚠️ Spec review: 1 breaking and 0 compatible change(s) in 1 module(s) since origin/main"), "{report}");
    assert!(
        report.contains(
            "| **breaking** | `types::ListUploadTokensSortOrder` | value `desc` (`Desc`) removed |"
        ),
        "{report}"
    );
    assert_eq!(
        std::fs::read_to_string(root.join("summary.md")).unwrap(),
        report
    );

    // The comment step posts the file the report step wrote.
    let (_, post) = steps
        .iter()
        .find(|(n, _)| n == "Post the report on the pull request")
        .unwrap();
    assert!(post.contains("--body-file spec-review.md"), "{post}");

    let (name, gate) = xtask_steps[3];
    let out = run_step(root, gate, &unacknowledged);
    assert!(
        !out.status.success(),
        "{name} passed an unacknowledged breaking change"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("error: 1 breaking change(s) since origin/main"),
        "{stderr}"
    );
    assert!(
        stderr.contains("add the `breaking-change` label"),
        "{stderr}"
    );

    let out = run_step(root, gate, &event(&["breaking-change"], ""));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("acknowledged by the `breaking-change` label"));

    let out = run_step(
        root,
        gate,
        &event(&[], "Drops `desc`.\n\nBreaking-Change: acknowledged\n"),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("acknowledged by the pull request's description"));
}

#[test]
fn a_pull_request_without_breaking_changes_passes_the_gate_unacknowledged() {
    let dir = repo("workflow-compatible", "0.1.0");
    let root = &dir.0;
    let spec = std::fs::read_to_string(workspace().join("specs/apivideo.yaml")).unwrap();
    std::fs::write(root.join("specs/apivideo.yaml"), &spec).unwrap();
    commit_all(root, "base");
    git(root, &["update-ref", "refs/remotes/origin/main", "main"]);
    // A compatible edit: the sandbox server moves (same `Server` variant, another URL).
    let edited = spec.replacen("https://sandbox.api.video", "https://sandbox2.api.video", 1);
    assert_ne!(edited, spec);
    std::fs::write(root.join("specs/apivideo.yaml"), edited).unwrap();
    let report = xtask(root, &["diff", "--base", "origin/main"]);
    assert!(
        String::from_utf8_lossy(&report.stdout)
            .starts_with("0 breaking and 1 compatible change(s)"),
        "{}",
        String::from_utf8_lossy(&report.stdout)
    );
    let (_, gate) = steps()
        .into_iter()
        .find(|(n, _)| n == "Breaking changes are acknowledged")
        .unwrap();
    let out = run_step(root, &gate, &event(&[], ""));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
