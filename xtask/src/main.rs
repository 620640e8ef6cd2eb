//! `cargo xtask`: the project's own commands. Flags are parsed here; behaviour lives in the
//! modules.

mod codegen;
mod test;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "cargo xtask",
    about = "Project tasks for the API-token client generator"
)]
struct Cli {
    /// Workspace root to work on (default: this workspace). Used by tests.
    #[arg(long, global = true, hide = true)]
    root: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerates `generated/` from every spec in `specs/` (and the test corpus); prints the
    /// warnings and notes once, grouped by spec.
    Codegen {
        /// Write nothing; fail, naming each stale or missing file, if `generated/` is out of date.
        #[arg(long)]
        check: bool,
        /// Treat every warning (an operation skipped, a lenient reading) as an error.
        #[arg(long)]
        strict: bool,
        /// Generate from the specs (`*.yaml`, `*.yml`, `*.json`) in this folder instead, into
        /// the crate folder given by `--out` (its `src/`), relative to the workspace root or
        /// absolute. The crate uses `api_token_clients::runtime` as its runtime.
        #[arg(long, requires = "out")]
        specs: Option<String>,
        /// The crate folder for `--specs`.
        #[arg(long, requires = "specs")]
        out: Option<String>,
    },
    /// Installs the test tools a fresh machine lacks (Python and npm packages), validates the
    /// specs with openapi-spec-validator, then runs every test of the workspace.
    Test,
}

/// The workspace root (this crate lives in `<root>/xtask`).
fn workspace_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(PathBuf::from).unwrap_or(manifest)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = cli.root.unwrap_or_else(workspace_root);
    let result = match cli.command {
        Command::Codegen {
            check,
            strict,
            specs,
            out,
        } => match (specs, out) {
            (Some(specs), Some(out)) => {
                let target = generator::Target {
                    specs_dir: &specs,
                    crate_dir: &out,
                    runtime_from: Some("api_token_clients"),
                };
                codegen::run(&root, &[target], check, strict)
            }
            _ => codegen::run(&root, generator::TARGETS, check, strict),
        },
        Command::Test => test::run(&root),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}
