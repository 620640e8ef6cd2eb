//! Scratch crates: generated code compiled outside the workspace (the published specs' output,
//! adversarial names, callers of old and new code; `tests/tests/third_party.rs`,
//! `tests/tests/names_property.rs`, `xtask/tests/compile_check.rs`).
//!
//! They all have one manifest (the generated crate without its vendors and with its `mock`
//! feature on, serde, serde_json, the workspace's profiles and lock file), build in the
//! workspace's target directory and run cargo with one environment, so every dependency is
//! checked once for all of them (different features, profiles or environment variables would
//! each check the dependency graph again). They take the target directory's lock in turn: the
//! tests that run them are one nextest test group (`.config/nextest.toml`).

use std::path::{Path, PathBuf};
use std::process::Command;

/// The workspace root.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The target directory every scratch crate builds in: the workspace's.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root().join("target"), PathBuf::from)
}

/// The `[dependencies]` lines of a scratch crate: the generated crate with its typed mock
/// servers, serde and serde_json, with the features the generated code needs. Without the
/// generated crate's vendors (its default features): scratch code reaches only its runtime
/// (`api_token_clients::runtime`, `cli_runtime`), and checking the five vendor modules here
/// again, with and without `cli`, cost the scratch tests about 20 s of CI; the workspace's
/// own clippy checks them.
pub fn dependencies() -> String {
    format!(
        "api-token-clients = {{ path = {:?}, default-features = false, features = [\"mock\"] }}\n\
         serde = {{ version = \"1\", features = [\"derive\"] }}\n\
         serde_json = {{ version = \"1\", features = [\"preserve_order\"] }}\n",
        root().join("generated").display().to_string()
    )
}

/// The workspace's profiles (everything from its first `[profile`), for a scratch workspace.
pub fn profiles() -> String {
    let manifest = std::fs::read_to_string(root().join("Cargo.toml")).expect("workspace manifest");
    manifest
        .find("[profile")
        .map_or_else(String::new, |at| manifest[at..].to_owned())
}

/// The manifest of a scratch crate named `name` (a workspace of its own): [`dependencies`],
/// and a `mock` feature, on by default, which the generated modules' typed mock servers are
/// gated on, so that one pass checks them too; `cli` (off by default) adds the generated
/// command-line tool.
pub fn manifest(name: &str) -> String {
    format!(
        "[package]\nname = {name:?}\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         [dependencies]\n{}\n\
         [features]\ndefault = [\"mock\"]\nmock = []\ncli = [\"api-token-clients/cli\"]\n\n[workspace]\n\n{}",
        dependencies(),
        profiles()
    )
}

/// Writes the manifest of a scratch crate named `name` in `dir`, and the workspace's lock
/// file beside it.
pub fn create(dir: &Path, name: &str) {
    std::fs::create_dir_all(dir.join("src")).expect("scratch crate directory");
    std::fs::write(dir.join("Cargo.toml"), manifest(name)).expect("scratch manifest");
    copy_lock(dir);
}

/// The workspace's lock file, into the scratch workspace `dir`: the same dependency versions
/// as the workspace, and no registry look-up.
pub fn copy_lock(dir: &Path) {
    std::fs::copy(root().join("Cargo.lock"), dir.join("Cargo.lock")).expect("lock file");
}

/// `cargo --offline <args>` in the scratch crate `dir`, in [`target_dir`], with the
/// environment a user's shell would give it: none of the variables cargo and the test runner
/// set for a test process (some build scripts watch them, and a changed one rebuilds what
/// depends on them) and no `RUSTFLAGS`.
pub fn cargo(dir: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    command.env_clear();
    for keep in [
        "PATH",
        "HOME",
        "CARGO_HOME",
        "RUSTUP_HOME",
        "RUSTUP_TOOLCHAIN",
        "CARGO_INCREMENTAL",
    ] {
        if let Some(value) = std::env::var_os(keep) {
            command.env(keep, value);
        }
    }
    command
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target_dir())
        .arg("--offline")
        .args(args);
    command
}
