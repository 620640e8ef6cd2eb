//! `cargo xtask clippy`: the lint gate. Every crate of the workspace, all targets and all
//! features, then the generated crate with each vendor feature alone, `redis` alone and none,
//! all with `-D warnings`. `cargo xtask test` runs it beside the tests ([`niced`]).

use crate::step::run_step;
use std::path::Path;
use std::process::Command;

pub fn run(root: &Path) -> Result<(), String> {
    // Every feature of every member: the set the tests unify to, plus the corpus's `cli` (its
    // awkward names as a command-line tool), which the tests do not build.
    run_step(
        "cargo clippy --workspace --all-targets --all-features",
        crate::step::cargo(root).args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--all-features",
            "--",
            "-D",
            "warnings",
        ]),
    )?;
    let specs = generator::read_specs(&root.join(crate::layout::SPECS))
        .map_err(|e| format!("error: cannot read {}/: {e}", crate::layout::SPECS))?;
    check_features(root, &specs)
}

/// This command run by the current executable at the lowest CPU priority, building in
/// `<target>/lint` so that it never waits for (or holds) the lock of the target directory
/// the tests build in.
pub fn niced(root: &Path) -> Result<Command, String> {
    let exe = std::env::current_exe()
        .map_err(|e| format!("error: cannot find the running xtask: {e}"))?;
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| root.join("target"), std::path::PathBuf::from);
    let mut command = Command::new("nice");
    command
        .args(["-n", "19"])
        .arg(exe)
        .arg("--root")
        .arg(root)
        .arg("clippy")
        .env("CARGO_TARGET_DIR", target.join("lint"))
        .current_dir(root);
    Ok(command)
}

/// Every vendor feature alone, `redis` alone, and no feature at all, build warning-free: a module that
/// reaches into another vendor's, or a runtime item used without the feature that brings it,
/// fails here. Clippy (not check) so that `-D warnings` applies to our crates only and the
/// dependencies' check results are shared with every other clippy run.
fn check_features(root: &Path, specs: &[generator::SpecFile]) -> Result<(), String> {
    let mut features: Vec<String> = specs
        .iter()
        .map(|spec| generator::module_name(&spec.path).name)
        .collect();
    features.insert(0, String::new());
    // Not a vendor: the shared limiter, whose items only exist with it.
    features.push("redis".to_owned());
    for feature in &features {
        let shown = if feature.is_empty() {
            "(none)"
        } else {
            feature
        };
        run_step(
            &format!("clippy api-token-clients --no-default-features --features {shown}"),
            crate::step::cargo(root).args([
                "clippy",
                "--quiet",
                "-p",
                "api-token-clients",
                "--no-default-features",
                "--features",
                feature,
                "--",
                "-D",
                "warnings",
            ]),
        )?;
    }
    Ok(())
}
