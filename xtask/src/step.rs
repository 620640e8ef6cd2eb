//! One timed step of a task that runs other programs (`cargo xtask test` and what it calls).

use std::path::Path;
use std::process::Command;

/// `cargo` (the one running this task) in `root`, without the variables `cargo run` set for
/// this process (`CARGO_PKG_NAME=xtask`, `CARGO_MANIFEST_DIR`, ...). Build scripts watch some
/// of them (`ring`'s: `rerun-if-env-changed=CARGO_PKG_NAME`), and cargo compares them with its
/// own environment: with them, every cargo run from here ran `ring`'s build script again and
/// rebuilt everything above it (rustls, reqwest, redis, our crates), and so did the next
/// cargo run without them (the clippy steps, the tests' scratch crates), about a minute of
/// CI's budget in all.
pub fn cargo(root: &Path) -> Command {
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    for (key, _) in std::env::vars_os() {
        let Some(key) = key.to_str() else { continue };
        let set_by_cargo_run = key.starts_with("CARGO_PKG_")
            || key.starts_with("CARGO_MANIFEST_")
            || matches!(
                key,
                "CARGO_CRATE_NAME" | "CARGO_BIN_NAME" | "CARGO_PRIMARY_PACKAGE" | "OUT_DIR"
            );
        if set_by_cargo_run {
            command.env_remove(key);
        }
    }
    command.current_dir(root);
    command
}

/// Runs one step, saying what it is and, when it ends, how long it took (the figures CI's
/// time budget is kept with).
pub fn run_step(what: &str, command: &mut Command) -> Result<(), String> {
    eprintln!("==> {what}");
    let started = std::time::Instant::now();
    let status = command.status().map_err(|e| {
        format!(
            "error: {what}: cannot start {:?}: {e}",
            command.get_program()
        )
    })?;
    eprintln!("<== {what}: {:.1} s", started.elapsed().as_secs_f64());
    if status.success() {
        Ok(())
    } else {
        Err(format!("error: {what} failed ({status})"))
    }
}

/// A step started now and awaited later ([`Background::finish`]), its output kept in a file
/// until then so that it does not interleave with the steps run meanwhile. Killed if dropped
/// unfinished (an earlier step failed).
pub struct Background {
    what: String,
    child: Option<std::process::Child>,
    log: std::path::PathBuf,
    started: std::time::Instant,
}

impl Background {
    pub fn start(what: &str, command: &mut Command) -> Result<Self, String> {
        eprintln!("==> {what} (in the background)");
        // One file per step: several run in the background at once.
        static STEPS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let step = STEPS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let log =
            std::env::temp_dir().join(format!("xtask-step-{}-{step}.log", std::process::id()));
        let file = std::fs::File::create(&log)
            .map_err(|e| format!("error: {what}: cannot create {}: {e}", log.display()))?;
        let err = file
            .try_clone()
            .map_err(|e| format!("error: {what}: {e}"))?;
        // A process group of its own, so that an unfinished step is stopped whole (cargo and
        // the compilers it started), not just the process we started.
        let child = std::os::unix::process::CommandExt::process_group(command, 0)
            .stdin(std::process::Stdio::null())
            .stdout(file)
            .stderr(err)
            .spawn()
            .map_err(|e| {
                format!(
                    "error: {what}: cannot start {:?}: {e}",
                    command.get_program()
                )
            })?;
        Ok(Self {
            what: what.to_owned(),
            child: Some(child),
            log,
            started: std::time::Instant::now(),
        })
    }

    /// Waits for the step, then shows its output and how long it ran in all.
    pub fn finish(mut self) -> Result<(), String> {
        let what = self.what.clone();
        let child = self.child.take().expect("finished once");
        let status = child
            .wait_with_output()
            .map_err(|e| format!("error: {what}: {e}"))?
            .status;
        let output = std::fs::read_to_string(&self.log).unwrap_or_default();
        let _ = std::fs::remove_file(&self.log);
        eprint!("{output}");
        eprintln!(
            "<== {what}: {:.1} s (started in the background)",
            self.started.elapsed().as_secs_f64()
        );
        if status.success() {
            Ok(())
        } else {
            Err(format!("error: {what} failed ({status})"))
        }
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = Command::new("kill")
                .arg("-TERM")
                .arg(format!("-{}", child.id()))
                .status();
            let _ = child.kill();
            let _ = child.wait();
            let _ = std::fs::remove_file(&self.log);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::cargo;
    use std::ffi::OsStr;

    /// Cargo sets the same variables for a test process as for `cargo run`: the command
    /// started from here must not pass them on.
    #[test]
    fn cargo_runs_without_the_variables_cargo_run_set() {
        for key in ["CARGO_PKG_NAME", "CARGO_MANIFEST_DIR"] {
            assert!(
                std::env::var_os(key).is_some(),
                "{key} is not set for tests"
            );
        }
        let command = cargo(std::path::Path::new("."));
        let removed: Vec<&OsStr> = command
            .get_envs()
            .filter(|(_, value)| value.is_none())
            .map(|(key, _)| key)
            .collect();
        for key in [
            "CARGO_PKG_NAME",
            "CARGO_PKG_VERSION_MAJOR",
            "CARGO_MANIFEST_DIR",
        ] {
            assert!(removed.contains(&OsStr::new(key)), "{key} is passed on");
        }
        assert!(!removed.contains(&OsStr::new("PATH")));
    }

    #[test]
    fn a_background_step_reports_its_status_when_finished() {
        let ok = super::Background::start("true", &mut std::process::Command::new("true"));
        assert_eq!(ok.and_then(super::Background::finish), Ok(()));
        let failed = super::Background::start("false", &mut std::process::Command::new("false"));
        let error = failed.and_then(super::Background::finish).unwrap_err();
        assert!(error.contains("false failed"), "{error}");
    }
}
