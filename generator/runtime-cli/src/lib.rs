//! Support of the generated `api-tokens` command-line tool (feature `cli`): global flags,
//! typed flag values, request bodies from `--body` and flags, credentials from the
//! environment, output as JSON or a table, exit codes, completions and the man page.
//!
//! The generated crate builds the command tree and the per-operation glue from the specs
//! (`api_token_clients::cli`); everything that is the same for every vendor is here.

mod exit;
mod output;
mod session;
mod tool;
mod values;

pub use clap;
pub use exit::{Exit, Failure, EXIT_CODES_HELP};
pub use output::Format;
pub use session::Session;
pub use tool::{base_url, environment, server, tool, vendor, SERVER};
pub use values::{
    body_arg, body_bytes, choice, flag, json_body, optional, optional_list, repeated, required,
    required_list, text_body, BodyFlag, Kind, Parser,
};

use std::future::Future;
use std::pin::Pin;
use std::process::ExitCode;

/// One vendor's run of one operation.
pub type Run<'a> = Pin<Box<dyn Future<Output = Result<(), Failure>> + 'a>>;

/// Finds the vendor subcommand's run: generated, one arm per vendor.
pub type Dispatch = for<'a> fn(&str, &'a Session) -> Option<Run<'a>>;

/// Runs the tool on the process's arguments: parses them with `command`, answers
/// `completions` and `man`, runs the chosen operation through `dispatch`, prints the result
/// or the error (on stderr), and returns the exit code ([`Exit`]).
pub fn main(command: clap::Command, dispatch: Dispatch) -> ExitCode {
    let matches = match command.clone().try_get_matches() {
        Ok(matches) => matches,
        Err(error) => {
            let _ = error.print();
            return ExitCode::from(u8::try_from(error.exit_code()).unwrap_or(2));
        }
    };
    let Some((vendor, vendor_matches)) = matches.subcommand() else {
        return ExitCode::from(Exit::Usage as u8);
    };
    let mut command = command;
    match vendor {
        "completions" => {
            if let Some(shell) = vendor_matches.get_one::<clap_complete::Shell>("shell") {
                let name = command.get_name().to_owned();
                clap_complete::generate(*shell, &mut command, name, &mut std::io::stdout());
            }
            return ExitCode::SUCCESS;
        }
        "man" => {
            return match clap_mangen::Man::new(command).render(&mut std::io::stdout()) {
                Ok(()) => ExitCode::SUCCESS,
                Err(_) => ExitCode::from(Exit::Other as u8),
            };
        }
        _ => {}
    }
    let Some((operation, op_matches)) = vendor_matches.subcommand() else {
        return ExitCode::from(Exit::Usage as u8);
    };
    let session = Session::new(vendor, operation, op_matches);
    ExitCode::from(run(vendor, &session, dispatch) as u8)
}

fn run(vendor: &str, session: &Session, dispatch: Dispatch) -> Exit {
    if cfg!(not(feature = "redis")) && session.rate_limit_store.is_some() {
        eprintln!(
            "error: a rate-limit store was given (--rate-limit-store or {}), but this build \
             has no Redis support (the `redis` feature)",
            session::store_var(vendor)
        );
        return Exit::Usage;
    }
    let Some(call) = dispatch(vendor, session) else {
        eprintln!("error: unknown vendor {vendor:?}");
        return Exit::Usage;
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the async runtime: {error}");
            return Exit::Other;
        }
    };
    let (result, prepared) = runtime.block_on(async {
        let outcome = if session.dry_run {
            api_token_runtime::dry_run(call).await
        } else {
            (call.await, None)
        };
        // The process ends next: a shared budget's places are handed back first, or they
        // would stay taken until the deadline ran out.
        api_token_runtime::settle().await;
        outcome
    });
    let result = match (result, prepared) {
        (Err(failure), Some(prepared)) if failure.is_dry_run() => session.print_prepared(prepared),
        (result, _) => result,
    };
    match result {
        Ok(()) => Exit::Ok,
        Err(failure) => {
            eprintln!("error: {failure}");
            failure.exit
        }
    }
}
