//! Codegen speed: the real specs, and synthetic specs of growing size (to show it is linear).
//!
//! `cargo bench -p generator --bench codegen`

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use generator::{render, SpecFile};
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

fn bench(c: &mut Criterion) {
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
