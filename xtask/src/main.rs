//! `cargo xtask`: the project's own commands. Flags are parsed here; behaviour lives in the
//! modules.

mod changelog;
mod codegen;
mod diff;
mod git;
mod report;
mod test;
mod workspace;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "cargo xtask",
    about = "Project tasks for the API-token client generator"
)]
struct Cli {
    /// Workspace root to work on (default: the workspace around the current directory).
    #[arg(long, global = true, hide = true)]
    root: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerates `generated/` from every spec in `specs/`.
    Codegen {
        /// Write nothing; fail, naming each stale or missing file, if `generated/` is out of date.
        #[arg(long)]
        check: bool,
    },
    /// What the spec changes since a base revision do to callers of the generated crate:
    /// every change classed breaking or compatible, and the version bump it needs.
    Diff {
        /// Revision to compare with (default: the merge base with `main`, else `HEAD`).
        #[arg(long)]
        base: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: report::Format,
        /// Exit non-zero when any change is breaking.
        #[arg(long)]
        fail_on_breaking: bool,
        /// Add an entry to `generated/CHANGELOG.md` and bump `generated/Cargo.toml`'s version.
        #[arg(long)]
        write_changelog: bool,
    },
    /// Installs the test tools a fresh machine lacks (Python and npm packages), validates the
    /// specs with openapi-spec-validator, then runs every test of the workspace.
    Test,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = match cli.root.map_or_else(workspace::current_root, Ok) {
        Ok(root) => root,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::FAILURE;
        }
    };
    let result = match cli.command {
        Command::Codegen { check } => codegen::run(&root, check),
        Command::Diff {
            base,
            format,
            fail_on_breaking,
            write_changelog,
        } => diff::run(
            &root,
            &diff::Options {
                base,
                format,
                fail_on_breaking,
                write_changelog,
            },
        ),
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
