//! Writes the codegen bench's synthetic spec of N operations (and N schemas) to a file, so
//! that tools outside this crate (tools/bench-codegen.sh, progenitor) read the same input:
//! `cargo run -p generator --example synthetic_spec -- 1000 /tmp/synthetic1000.yaml`
#[path = "../benches/codegen.rs"]
#[allow(dead_code)]
mod bench;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(n), Some(out)) = (args.first().and_then(|n| n.parse().ok()), args.get(1)) else {
        eprintln!("usage: synthetic_spec <operations> <output file>");
        return ExitCode::FAILURE;
    };
    match std::fs::write(out, bench::synthetic_spec(n).text) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("cannot write {out}: {e}");
            ExitCode::FAILURE
        }
    }
}
