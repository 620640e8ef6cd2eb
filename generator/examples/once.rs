//! One cold render of the given specs in a fresh process, timed inside it:
//! `cargo run --release -p generator --example once -- specs/apivideo.yaml`
//! (`-- ../shared/third-party-specs/api.github.com.json` for GitHub's).
use std::time::Instant;

fn main() {
    let started = Instant::now();
    let specs: Vec<generator::SpecFile> = std::env::args()
        .skip(1)
        .map(|path| generator::SpecFile {
            text: std::fs::read_to_string(&path).expect("readable"),
            path,
        })
        .collect();
    let read = started.elapsed();
    let target = generator::Target {
        specs_dir: "specs",
        crate_dir: "out",
        role: generator::Role::Fixture {
            runtime_from: "api_token_clients",
        },
    };
    let out = match generator::generate(&target, &specs, false) {
        Ok(out) => out,
        Err(found) => {
            for d in found.iter().filter(|d| d.severity.is_error()) {
                eprintln!("{d}\n");
            }
            std::process::exit(1);
        }
    };
    let total = started.elapsed();
    let lines: usize = out.files.iter().map(|f| f.contents.lines().count()).sum();
    let warnings = out
        .findings
        .iter()
        .filter(|d| d.severity == generator::Severity::Warning)
        .count();
    println!(
        "read {read:.1?}, render {:.1?} ({} files, {lines} lines, {warnings} warnings)",
        total - read,
        out.files.len()
    );
}
