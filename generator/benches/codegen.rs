//! Codegen speed: the real specs, GitHub's published description, and synthetic specs of
//! growing size (to show it is linear).
//!
//! `cargo bench -p generator --bench codegen` (`-- codegen/github` for GitHub's alone; it is
//! read from `../shared/third-party-specs/` beside the workspace, and skipped when absent).

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use generator::{
    generate, render_target, Diagnostic, Release, RenderedFile, Role, SpecFile, Target,
};
use std::fmt::Write as _;
use std::path::Path;

fn real_specs() -> Vec<SpecFile> {
    generator::read_specs(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs")).expect("specs")
}

/// A spec with `n` operations and `n` schemas (each schema with an enum, a date-time, a nested
/// reference and an optional array), the shape of our hand-written specs at scale.
pub fn synthetic_spec(n: usize) -> SpecFile {
    let mut text = String::from(
        "openapi: 3.0.3\ninfo:\n  title: Synthetic\n  version: '1'\nservers:\n  - url: https://api.example.com\n\
         components:\n  securitySchemes:\n    bearer:\n      type: http\n      scheme: bearer\n  schemas:\n",
    );
    for i in 0..n {
        let next = (i + 1) % n;
        let _ = write!(
            text,
            "    Thing{i}:\n      type: object\n      description: Thing number {i}.\n      required: [id]\n      properties:\n        id:\n          type: integer\n          format: int64\n        state:\n          type: string\n          enum: [active, inactive]\n        createdAt:\n          type: string\n          format: date-time\n        next:\n          $ref: '#/components/schemas/Thing{next}'\n        tags:\n          type: array\n          items:\n            type: string\n"
        );
    }
    text.push_str("security:\n  - bearer: []\npaths:\n");
    for i in 0..n {
        let _ = write!(
            text,
            "  /things{i}/{{id}}:\n    get:\n      operationId: getThing{i}\n      summary: Get thing {i}.\n      parameters:\n        - name: id\n          in: path\n          required: true\n          schema:\n            type: integer\n        - name: verbose\n          in: query\n          schema:\n            type: boolean\n      responses:\n        '200':\n          description: The thing.\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/Thing{i}'\n        '404':\n          description: Not found.\n"
        );
    }
    SpecFile {
        path: format!("specs/synthetic{n}.yaml"),
        text,
    }
}

/// GitHub's REST API description (3.7 MB, 767 operations), if it is beside the workspace.
fn github_spec() -> Option<SpecFile> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/third-party-specs/api.github.com.json");
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(SpecFile {
            path: "../shared/third-party-specs/api.github.com.json".to_owned(),
            text,
        }),
        Err(e) => {
            eprintln!(
                "skipping codegen/github: cannot read {}: {e}",
                path.display()
            );
            None
        }
    }
}

/// Where third-party specs are generated to: a crate that takes its runtime from ours.
const THIRD_PARTY: Target<'static> = Target {
    specs_dir: "../shared/third-party-specs",
    crate_dir: "target/third-party",
    role: generator::Role::Fixture {
        runtime_from: "api_token_clients",
    },
};

/// Every file of a product crate (modules, `lib.rs`, the CLI, README, examples, manifest), as
/// `cargo xtask codegen` renders `generated/`.
fn render(specs: &[SpecFile]) -> Result<Vec<RenderedFile>, Vec<Diagnostic>> {
    let release = Release {
        version: "0.1.0".into(),
        runtime_version: "0.1.0".into(),
        cli_version: "0.1.0".into(),
    };
    let target = Target {
        specs_dir: "specs",
        crate_dir: "generated",
        role: Role::Product {
            krate: "api_token_clients",
            release: &release,
        },
    };
    render_target(&target, specs)
}

fn bench(c: &mut Criterion) {
    if let Some(github) = github_spec() {
        let spec = [github];
        let mut group = c.benchmark_group("codegen");
        group.sample_size(10);
        group.bench_function("github", |b| {
            b.iter(|| generate(&THIRD_PARTY, &spec, false).expect("renders"))
        });
        group.finish();
    }
    let specs = real_specs();
    let apivideo: Vec<SpecFile> = specs
        .iter()
        .filter(|s| s.path.ends_with("apivideo.yaml"))
        .cloned()
        .collect();
    c.bench_function("codegen/apivideo", |b| {
        b.iter(|| render(&apivideo).expect("renders"))
    });
    c.bench_function("codegen/all-specs", |b| {
        b.iter(|| render(&specs).expect("renders"))
    });

    let mut group = c.benchmark_group("codegen/synthetic");
    group.sample_size(10);
    for n in [10, 100, 1000, 5000] {
        let spec = [synthetic_spec(n)];
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::from_parameter(n), &spec, |b, spec| {
            b.iter(|| render(spec).expect("renders"))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
