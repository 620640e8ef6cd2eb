//! The `api-tokens` tool, built inside the tests package so that the CLI tests get it as
//! `CARGO_BIN_EXE_api-tokens-test` from the same build (no second `cargo build` from a test).
//! Its own name differs from the product's binary, which shares the target directory.

fn main() -> std::process::ExitCode {
    api_token_clients::cli::main()
}
