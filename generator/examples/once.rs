//! One cold render of the real specs in a fresh process, timed inside it:
//! `cargo run --release -p generator --example once -- specs/apivideo.yaml`
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
    let files = generator::render(&specs).expect("renders");
    let total = started.elapsed();
    println!(
        "read {read:.1?}, render {:.1?} ({} files)",
        total - read,
        files.len()
    );
}
