//! The workspace's `rust-version` is true: no crate in the lock file needs a newer Rust.
//!
//! Only the current stable toolchain can be installed on the CI machine, so the claim is not
//! checked by building with the old compiler. Instead `cargo xtask test` reads the
//! `rust-version` every dependency declares (`cargo metadata`, resolved from the lock file,
//! every platform and feature) and fails naming each one that needs more than ours. It runs
//! as part of the install step, not as a test: reading every platform's manifests may have to
//! download crates this machine never builds (`anstyle-wincon` on Linux), and tests neither
//! touch the network nor depend on what the package cache happens to hold. Our own code is
//! covered by clippy's `incompatible_msrv` lint, which reads our `rust-version`.

use serde_json::Value;
use std::path::Path;

/// `1.88`, `1.85.0` -> comparable triples.
fn parse(version: &str) -> Option<(u64, u64, u64)> {
    let mut parts = version.split('.').map(str::parse::<u64>);
    let major = parts.next()?.ok()?;
    let minor = parts.next().unwrap_or(Ok(0)).ok()?;
    let patch = parts.next().unwrap_or(Ok(0)).ok()?;
    Some((major, minor, patch))
}

/// Runs `cargo metadata` (which downloads what the lock file names and the cache lacks) and
/// checks it.
pub fn run(root: &Path) -> Result<(), String> {
    eprintln!("==> rust-version of every locked dependency (cargo metadata)");
    let output = crate::step::cargo(root)
        .args(["metadata", "--format-version", "1", "--locked"])
        .output()
        .map_err(|e| format!("error: cannot run cargo metadata: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "error: cargo metadata failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let metadata: Value = serde_json::from_slice(&output.stdout)
        .map_err(|e| format!("error: cargo metadata printed no JSON: {e}"))?;
    check(&metadata)
}

/// Every package outside the workspace needs at most the lowest `rust-version` of ours.
fn check(metadata: &Value) -> Result<(), String> {
    let members: Vec<&str> = metadata["workspace_members"]
        .as_array()
        .ok_or("error: cargo metadata has no workspace_members")?
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let packages = metadata["packages"]
        .as_array()
        .ok_or("error: cargo metadata has no packages")?;
    let is_ours = |p: &Value| members.contains(&p["id"].as_str().unwrap_or_default());
    let mut ours_min = None;
    for package in packages.iter().filter(|p| is_ours(p)) {
        let name = package["name"].as_str().unwrap_or_default();
        let declared = package["rust_version"].as_str().ok_or_else(|| {
            format!("error: {name} declares no rust-version\n  = help: add `rust-version.workspace = true` to its [package]")
        })?;
        let version =
            parse(declared).ok_or_else(|| format!("error: {name}: bad rust-version {declared}"))?;
        ours_min = Some(ours_min.map_or(version, |min: (u64, u64, u64)| min.min(version)));
    }
    let ours_min = ours_min.ok_or("error: cargo metadata lists no workspace member")?;
    let mut too_new: Vec<String> = packages
        .iter()
        .filter(|p| !is_ours(p))
        .filter_map(|p| {
            let needs = p["rust_version"].as_str()?;
            (parse(needs)? > ours_min).then(|| {
                format!(
                    "{} {} needs Rust {needs}",
                    p["name"].as_str().unwrap_or_default(),
                    p["version"].as_str().unwrap_or_default()
                )
            })
        })
        .collect();
    too_new.sort();
    if too_new.is_empty() {
        return Ok(());
    }
    Err(format!(
        "error: the workspace's rust-version ({}.{}) is untrue; the lock file has:\n  {}\n  \
         = help: raise `rust-version` in the root Cargo.toml to the highest of these, or pin \
         the dependencies to older versions",
        ours_min.0,
        ours_min.1,
        too_new.join("\n  ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn metadata(dependency_needs: &str) -> Value {
        json!({
            "workspace_members": ["ours 0.1.0"],
            "packages": [
                {"id": "ours 0.1.0", "name": "ours", "version": "0.1.0", "rust_version": "1.89"},
                {"id": "dep 1.0.0", "name": "dep", "version": "1.0.0", "rust_version": dependency_needs},
                {"id": "old 1.0.0", "name": "old", "version": "1.0.0", "rust_version": null},
            ]
        })
    }

    #[test]
    fn a_dependency_needing_a_newer_rust_is_named() {
        let error = check(&metadata("1.90")).unwrap_err();
        assert!(error.contains("dep 1.0.0 needs Rust 1.90"), "{error}");
        assert!(error.contains("(1.89)"), "{error}");
    }

    #[test]
    fn dependencies_within_ours_pass() {
        assert_eq!(check(&metadata("1.89.0")), Ok(()));
        assert_eq!(check(&metadata("1.70")), Ok(()));
    }

    #[test]
    fn versions_compare_numerically() {
        assert!(parse("1.88") > parse("1.85.0"));
        assert!(parse("1.100") > parse("1.99.9"));
        assert_eq!(parse("1.88"), Some((1, 88, 0)));
        assert_eq!(parse("x"), None);
    }
}
