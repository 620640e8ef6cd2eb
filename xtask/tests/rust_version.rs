//! The workspace's `rust-version` is true: no crate in the lock file needs a newer Rust.
//!
//! Only the current stable toolchain can be installed on the CI machine, so the claim is not
//! checked by building with the old compiler. Instead this reads the `rust-version` every
//! dependency declares (`cargo metadata`, resolved from the lock file, every platform and
//! feature) and fails naming each one that needs more than ours. Our own code is covered by
//! clippy's `incompatible_msrv` lint (on by default, `-D warnings` in CI), which reads our
//! `rust-version` and flags any std API stabilised after it.

use serde_json::Value;
use std::process::Command;

/// `1.88`, `1.85.0` -> comparable triples.
fn parse(version: &str) -> Option<(u64, u64, u64)> {
    let mut parts = version.split('.').map(str::parse::<u64>);
    let major = parts.next()?.ok()?;
    let minor = parts.next().unwrap_or(Ok(0)).ok()?;
    let patch = parts.next().unwrap_or(Ok(0)).ok()?;
    Some((major, minor, patch))
}

fn metadata() -> Value {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .current_dir(&root)
        .args(["metadata", "--format-version", "1", "--locked", "--offline"])
        .output()
        .expect("cargo metadata runs");
    assert!(
        output.status.success(),
        "cargo metadata failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("cargo metadata prints JSON")
}

#[test]
fn no_dependency_needs_a_newer_rust_than_the_workspace_says() {
    let metadata = metadata();
    let members: Vec<&str> = metadata["workspace_members"]
        .as_array()
        .expect("workspace_members")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let packages = metadata["packages"].as_array().expect("packages");
    let ours: Vec<(&str, &str)> = packages
        .iter()
        .filter(|p| members.contains(&p["id"].as_str().unwrap_or_default()))
        .map(|p| {
            let name = p["name"].as_str().unwrap_or_default();
            let version = p["rust_version"]
                .as_str()
                .unwrap_or_else(|| panic!("{name} declares no rust-version"));
            (name, version)
        })
        .collect();
    assert!(ours.len() >= 2, "no workspace members found: {ours:?}");
    let ours_min = ours
        .iter()
        .map(|(name, v)| parse(v).unwrap_or_else(|| panic!("{name}: bad rust-version {v}")))
        .min()
        .expect("members");
    let mut too_new: Vec<String> = packages
        .iter()
        .filter(|p| !members.contains(&p["id"].as_str().unwrap_or_default()))
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
    assert!(
        too_new.is_empty(),
        "the workspace's rust-version ({}.{}) is untrue; the lock file has:\n  {}\n\
         = help: raise `rust-version` in the root Cargo.toml to the highest of these, or \
         pin the dependencies to older versions",
        ours_min.0,
        ours_min.1,
        too_new.join("\n  ")
    );
}

#[test]
fn versions_compare_numerically() {
    assert!(parse("1.88") > parse("1.85.0"));
    assert!(parse("1.100") > parse("1.99.9"));
    assert_eq!(parse("1.88"), Some((1, 88, 0)));
    assert_eq!(parse("x"), None);
}
