//! One timed step of a task that runs other programs (`cargo xtask test` and what it calls).

use std::process::Command;

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
