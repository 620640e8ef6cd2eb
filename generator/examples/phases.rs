//! Times each pipeline phase on a synthetic spec: `cargo run --release -p generator --example phases -- 1000`
#[path = "../benches/codegen.rs"]
#[allow(dead_code)]
mod bench;
use std::time::Instant;
fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1000);
    let spec = bench::synthetic_spec(n);
    let t = Instant::now();
    let loaded = generator::load::load(&spec.path, &spec.text).expect("loads");
    let t_load = t.elapsed();
    let t = Instant::now();
    let api = generator::lower::lower(&loaded, "synthetic").expect("lowers");
    let t_lower = t.elapsed();
    let t = Instant::now();
    let tokens = generator::emit::module(&api);
    let t_emit = t.elapsed();
    let t = Instant::now();
    let file: syn::File = syn::parse2(tokens.clone()).unwrap();
    let t_parse = t.elapsed();
    let t = Instant::now();
    let _ = prettyplease::unparse(&file);
    let t_unparse = t.elapsed();
    let t = Instant::now();
    let string = tokens.to_string();
    let t_string = t.elapsed();
    let t = Instant::now();
    let _file2: syn::File = syn::parse_file(&string).unwrap();
    let t_parse_str = t.elapsed();
    println!(
        "parse={t_parse:?} unparse={t_unparse:?} to_string={t_string:?} parse_file={t_parse_str:?}"
    );
    let t = Instant::now();
    let text = generator::render::format(tokens, "synthetic").expect("formats");
    let t_format = t.elapsed();
    println!(
        "n={n} load={t_load:?} lower={t_lower:?} emit={t_emit:?} format={t_format:?} lines={}",
        text.lines().count()
    );
}
