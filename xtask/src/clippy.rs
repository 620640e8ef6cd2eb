//! `cargo xtask clippy`: clippy with `-D warnings` on what the tests' build (which lints every
//! target of the workspace with the features the tests turn on, see `test::linted`) leaves
//! out: the generated crate with no feature, with each vendor alone and with `redis` alone,
//! and the corpus's command-line tool.

use crate::step::run_step;
use std::path::Path;
use std::process::Command;

pub fn run(root: &Path) -> Result<(), String> {
    let specs = generator::read_specs(&root.join(crate::layout::SPECS))
        .map_err(|e| format!("error: cannot read {}/: {e}", crate::layout::SPECS))?;
    check_features(root, &specs)?;
    // The one feature the tests' build leaves out (building the tool cost it 30 s): the
    // corpus's awkward names as a command-line tool.
    run_step(
        "clippy corpus --features cli",
        crate::step::cargo(root).args([
            "clippy",
            "--quiet",
            "-p",
            "corpus",
            "--features",
            "cli",
            "--",
            "-D",
            "warnings",
        ]),
    )
}

/// This task as `cargo xtask test` runs it beside the tests: under `nice`, in
/// `<target>/features`, away from the lock of the target directory the tests' scratch crates
/// build in. From a copy of this binary, taken before the tests' build, which links
/// `target/debug/xtask` again.
pub fn background(root: &Path) -> Result<Command, String> {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| root.join("target"), std::path::PathBuf::from)
        .join("features");
    let copy = target.join("xtask");
    std::env::current_exe()
        .and_then(|xtask| {
            std::fs::create_dir_all(&target)?;
            std::fs::copy(xtask, &copy)
        })
        .map_err(|e| {
            format!(
                "error: cannot copy the running xtask to {}: {e}",
                copy.display()
            )
        })?;
    let mut command = Command::new("nice");
    command
        .args(["-n", "19"])
        .arg(copy)
        .arg("clippy")
        .env("CARGO_TARGET_DIR", target)
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
