//! Lowers each spec file given and prints what it finds (errors, warnings, notes):
//! `cargo run -p generator --example try_spec -- path/to/spec.json ...`
fn main() {
    for path in std::env::args().skip(1) {
        let text = std::fs::read_to_string(&path).expect("read");
        let spec = generator::SpecFile {
            path: path.clone(),
            text,
        };
        match generator::lower_spec(&spec) {
            Ok(api) => println!("{path}: OK {} operations", api.operations.len()),
            Err(findings) => {
                println!("{path}: {} findings", findings.len());
                for f in findings
                    .iter()
                    .filter(|f| !f.message.starts_with("unknown extension"))
                    .take(40)
                {
                    println!("{f}\n");
                }
            }
        }
    }
}
