//! The command tree's fixed parts: the tool with its global flags, a vendor's `--server` and
//! `--base-url`, the environment table of a vendor's help.

use crate::exit::EXIT_CODES_HELP;
use clap::{value_parser, Arg, ArgAction, Command};

/// The help section of the tool's own flags.
const GLOBAL: &str = "Global options";

/// The help section of a vendor's flags (`--server`, `--base-url`, client settings).
pub const SERVER: &str = "Server options";

/// The tool: global flags (`--output`, `--dry-run`, `--timeout`, `--retries`), the exit codes
/// in its help, and the hidden `completions` and `man` subcommands. Vendors are added as
/// subcommands.
pub fn tool(name: &'static str, version: &'static str, about: &'static str) -> Command {
    Command::new(name)
        // The same name in usage lines however the binary is called.
        .bin_name(name)
        .version(version)
        .about(about)
        .subcommand_required(true)
        .arg_required_else_help(true)
        .after_help(format!(
            "Credentials come from environment variables, listed in each vendor's help \
             (`{name} <VENDOR> --help`); they are never taken as flags and never printed.\n\n\
             {EXIT_CODES_HELP}\n\nShell completions: `{name} completions <SHELL>`; man page: \
             `{name} man`."
        ))
        .arg(
            Arg::new("output")
                .long("output")
                .global(true)
                .help_heading(GLOBAL)
                .value_name("FORMAT")
                .value_parser(["json", "table"])
                .default_value("json")
                .help("Output: JSON (one document; JSON lines with --all) or a table for people"),
        )
        .arg(
            Arg::new("dry-run")
                .long("dry-run")
                .global(true)
                .help_heading(GLOBAL)
                .action(ArgAction::SetTrue)
                .help("Print the request (method, URL, headers, body; secrets redacted) and how it is signed, without sending it"),
        )
        .arg(
            Arg::new("timeout")
                .long("timeout")
                .global(true)
                .help_heading(GLOBAL)
                .value_name("SECONDS")
                .value_parser(value_parser!(u64).range(1..))
                .help("Time limit of each attempt [default: 30]"),
        )
        .arg(
            Arg::new("retries")
                .long("retries")
                .global(true)
                .help_heading(GLOBAL)
                .value_name("N")
                .value_parser(value_parser!(u32).range(..100))
                .help("Retries of calls that are safe to repeat [default: 2]; calls that create are sent once"),
        )
        .arg(
            Arg::new("rate-limit-store")
                .long("rate-limit-store")
                .global(true)
                .help_heading(GLOBAL)
                .value_name("URL")
                .help("Hold the spec's rate limits in this Redis server (redis://host, rediss://user:password@host), shared by every process using it; also <VENDOR>_RATE_LIMIT_STORE. If Redis is unavailable the call fails (exit 7) and nothing is sent"),
        )
        .subcommand(
            Command::new("completions")
                .hide(true)
                .about("Print a shell completion script")
                .arg(
                    Arg::new("shell")
                        .required(true)
                        .value_parser(value_parser!(clap_complete::Shell)),
                ),
        )
        .subcommand(Command::new("man").hide(true).about("Print the man page (roff)"))
}

/// A vendor's command: its operations are subcommands.
pub fn vendor(name: &'static str, about: &'static str) -> Command {
    Command::new(name)
        .about(about)
        .subcommand_required(true)
        .arg_required_else_help(true)
}

/// `--server <NAME>`: one of the spec's servers (the first by default).
pub fn server(choices: &'static [&'static str], env: &'static str) -> Arg {
    Arg::new("server")
        .long("server")
        .global(true)
        .help_heading(SERVER)
        .env(env)
        .value_name("NAME")
        .value_parser(clap::builder::PossibleValuesParser::new(choices))
        .help("The spec's server to call [default: the first]")
}

/// `--base-url <URL>`: any base URL (a proxy, a mock server); wins over `--server`.
pub fn base_url(env: &'static str, required: bool) -> Arg {
    let help = if required {
        "The API's base URL (the spec names no server)"
    } else {
        "Any base URL instead of the spec's servers (a proxy, a local mock)"
    };
    Arg::new("base-url")
        .long("base-url")
        .global(true)
        .help_heading(SERVER)
        .env(env)
        .value_name("URL")
        .help(help)
}

/// A vendor's help section listing its environment variables: `(name, what it holds)`.
pub fn environment(vars: &[(&str, &str)]) -> String {
    let width = vars.iter().map(|(name, _)| name.len()).max().unwrap_or(0);
    let mut text = String::from("Environment (credentials are read only from here):");
    for (name, what) in vars {
        text.push_str(&format!("\n  {name:width$}  {what}"));
    }
    text
}
