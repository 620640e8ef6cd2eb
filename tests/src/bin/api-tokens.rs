//! The `api-tokens` tool, built inside the tests package so that the CLI tests get it as
//! `CARGO_BIN_EXE_api-tokens` with the same build (no second `cargo build` from a test).

fn main() -> std::process::ExitCode {
    api_token_clients::cli::main()
}
