//! `cargo xtask`: the project's own commands. Flags are parsed here; behaviour lives in the
//! modules.

/// Codegen allocates and frees millions of small values (tokens, syntax nodes, strings);
/// mimalloc does that for a fraction of glibc's cost, in the dev profile too (it is C,
/// built optimised whatever the Rust profile).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod changelog;
mod clippy;
mod codegen;
mod diff;
mod git;
mod httpbin;
mod layout;
mod lint;
mod local_server;
mod msrv;
mod redis;
mod report;
mod step;
mod summary;
mod test;
mod workflows;
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
        /// A GitHub `pull_request` event (JSON); with `--fail-on-breaking`, breaking changes
        /// pass when it has the `breaking-change` label or the line
        /// `breaking-change: acknowledged` in its description.
        #[arg(long)]
        event: Option<PathBuf>,
    },
    /// Checks the specs for what keeps them reviewable: operation ids, summaries, examples,
    /// error schemas, unused components, names that stay stable in Rust. Every finding at once.
    Lint,
    /// Clippy with `-D warnings` on what the tests' build does not lint: the generated crate
    /// with no feature, each vendor alone and `redis` alone, and the corpus's command-line
    /// tool. `cargo xtask test` runs it beside the tests.
    Clippy,
    /// Installs the test tools a fresh machine lacks (Python and npm packages), validates the
    /// specs with openapi-spec-validator, then builds the workspace with clippy as its compiler
    /// (`-D warnings`) and runs every test of it.
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
                    role: generator::Role::Fixture {
                        runtime_from: layout::PRODUCT_CRATE,
                    },
                };
                codegen::run(&root, &[target], check, strict)
            }
            // The product's own specs: lint first, and end with what the spec edits do.
            _ => lint::run(&root).and_then(|()| {
                let result = codegen::run_all(&root, check, strict);
                println!("{}", summary::since_head(&root));
                result
            }),
        },
        Command::Diff {
            base,
            format,
            fail_on_breaking,
            write_changelog,
            event,
        } => diff::run(
            &root,
            &diff::Options {
                base,
                format,
                fail_on_breaking,
                write_changelog,
                event,
            },
        ),
        Command::Lint => lint::run(&root),
        Command::Clippy => clippy::run(&root),
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
