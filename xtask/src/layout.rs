//! This repository's layout: which crates it maintains, from which specs, and where the
//! product's version is kept. The generator knows none of it; it is told (`generator::Target`).

use generator::{Release, Role, Target};
use std::path::Path;

/// The product's specs.
pub const SPECS: &str = "specs";

/// The product crate's folder (`api-token-clients`, written by `cargo xtask codegen`).
pub const PRODUCT_DIR: &str = "generated";

/// The product crate's name in Rust code, which its doc tests, binary and the corpus use.
pub const PRODUCT_CRATE: &str = "api_token_clients";

/// The fixture corpus: one small spec per supported construct, compiled as a crate of its own.
pub const CORPUS: Target<'static> = Target {
    specs_dir: "tests/corpus/specs",
    crate_dir: "tests/corpus",
    role: Role::Fixture {
        runtime_from: PRODUCT_CRATE,
    },
};

/// The product: `generated/`, the `api-token-clients` crate, from `specs/`, at `release`.
pub fn product(release: &Release) -> Target<'_> {
    Target {
        specs_dir: SPECS,
        crate_dir: PRODUCT_DIR,
        role: Role::Product {
            krate: PRODUCT_CRATE,
            release,
        },
    }
}

/// Every crate `cargo xtask codegen` maintains.
pub fn targets(release: &Release) -> [Target<'_>; 2] {
    [product(release), CORPUS]
}

/// The hand-written file that keeps the product's version: the workspace manifest, in
/// [`VERSION_TABLE`] (bumped by `cargo xtask diff --write-changelog`; `cargo xtask codegen`
/// writes it into the generated manifest, which is never read back).
pub const VERSION_FILE: &str = "Cargo.toml";

/// The table of [`VERSION_FILE`] whose `version` is the product's.
pub const VERSION_TABLE: &str = "[workspace.metadata.api-token-clients]";

/// The `version = ".."` of [`VERSION_TABLE`] in a workspace manifest's text.
pub fn product_version(manifest: &str) -> Option<String> {
    version_line(manifest).map(|(_, version)| version)
}

/// `manifest` with the product's version set to `version`; `None` without the table or its
/// `version`.
pub fn with_product_version(manifest: &str, version: &str) -> Option<String> {
    let (line, _) = version_line(manifest)?;
    let mut lines: Vec<&str> = manifest.split_inclusive('\n').collect();
    let new = format!("version = \"{version}\"\n");
    lines[line] = &new;
    Some(lines.concat())
}

/// The index of the `version` line in [`VERSION_TABLE`] and its value.
fn version_line(manifest: &str) -> Option<(usize, String)> {
    let mut inside = false;
    for (i, line) in manifest.lines().enumerate() {
        let line = line.trim();
        if line.starts_with('[') {
            inside = line == VERSION_TABLE;
        } else if inside {
            if let Some(value) = line
                .strip_prefix("version")
                .map(str::trim_start)
                .and_then(|rest| rest.strip_prefix('='))
            {
                return Some((i, value.trim().trim_matches('"').to_owned()));
            }
        }
    }
    None
}

/// The product's version in the checkout at `root`, with what to do if it is missing.
pub fn read_product_version(root: &Path) -> Result<String, String> {
    let path = root.join(VERSION_FILE);
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("error: cannot read {}: {e}", path.display()))?;
    product_version(&text).ok_or_else(|| {
        format!(
            "error: no `version = \"..\"` under `{VERSION_TABLE}` in {}\n  = help: add the table with the version of `api-token-clients`",
            path.display()
        )
    })
}

/// The versions the product's manifest carries, all from hand-written files: its own (the
/// workspace manifest's, see [`VERSION_TABLE`], bumped by `cargo xtask diff
/// --write-changelog`) and its runtime's and its CLI support's (`generator/runtime/Cargo.toml`
/// and `generator/runtime-cli/Cargo.toml`). The generated manifest is never read back.
pub fn release(root: &Path) -> Result<generator::Release, String> {
    let version_of = |manifest: &str| {
        let path = root.join(manifest);
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("error: cannot read {}: {e}", path.display()))?;
        crate_version(&text).ok_or_else(|| {
            format!(
                "error: no `version = \"..\"` in {}\n  = help: restore its `[package]` version",
                path.display()
            )
        })
    };
    Ok(generator::Release {
        version: read_product_version(root)?,
        runtime_version: version_of("generator/runtime/Cargo.toml")?,
        cli_version: version_of("generator/runtime-cli/Cargo.toml")?,
    })
}

/// The first `version = ".."` of a manifest (the one in `[package]`).
pub fn crate_version(manifest: &str) -> Option<String> {
    manifest.lines().find_map(|line| {
        let value = line
            .strip_prefix("version")?
            .trim_start()
            .strip_prefix('=')?;
        Some(value.trim().trim_matches('"').to_owned())
    })
}
