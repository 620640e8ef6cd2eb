//! Times each pipeline phase on a synthetic spec of N operations and N schemas:
//! `cargo run --release -p generator --example phases -- 1000` (`-- 2 --dump` prints the output;
//! `-- path/to/spec.json` times that spec)
#[path = "../benches/codegen.rs"]
#[allow(dead_code)]
mod bench;
use std::time::Instant;

fn main() {
    let arg = std::env::args().nth(1).unwrap_or_else(|| "1000".to_owned());
    let n: usize = arg.parse().unwrap_or(0);
    let spec = match arg.parse() {
        Ok(n) => bench::synthetic_spec(n),
        Err(_) => generator::SpecFile {
            text: std::fs::read_to_string(&arg).expect("readable"),
            path: arg.clone(),
        },
    };
    let t = Instant::now();
    let loaded = generator::load::load(&spec.path, &spec.text).expect("loads");
    let t_load = t.elapsed();
    let t = Instant::now();
    let (api, _) =
        generator::lower::lower(&loaded, &generator::ir::Ident::new("synthetic")).expect("lowers");
    let t_lower = t.elapsed();
    let t = Instant::now();
    let docs = generator::render::module_doc(&api, generator::emit::DocTests::default())
        .expect("module docs render");
    let tokens = generator::emit::module(&api, generator::emit::DocTests::default(), &docs);
    let t_emit = t.elapsed();
    let t = Instant::now();
    let file: syn::File = syn::parse2(tokens).expect("parses");
    let t_parse = t.elapsed();
    let t = Instant::now();
    let _ = prettyplease::unparse(&file);
    let t_print = t.elapsed();
    let t = Instant::now();
    let head_only: syn::File = syn::parse2(generator::emit::module_head(
        &api,
        generator::emit::DocTests::default(),
        &docs,
    ))
    .expect("parses");
    let _ = prettyplease::unparse(&head_only);
    let t_head = t.elapsed();
    let t = Instant::now();
    let types_only: syn::File = syn::parse2(generator::emit::types_module(&api)).expect("parses");
    let _ = prettyplease::unparse(&types_only);
    let t_types = t.elapsed();
    eprintln!("halves: head {t_head:.1?}, types {t_types:.1?}");
    let t = Instant::now();
    let rendered = generator::render_module(&api, "out").expect("renders");
    let t_render = t.elapsed();
    if std::env::args().any(|a| a == "--dump") {
        print!("{}", rendered.contents);
        return;
    }
    println!(
        "n={n} load={t_load:.1?} lower={t_lower:.1?} | one thread: emit={t_emit:.1?} parse={t_parse:.1?} print={t_print:.1?} | emit+format on two threads={t_render:.1?} | {} lines",
        rendered.contents.lines().count()
    );
}
