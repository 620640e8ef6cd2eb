//! Property test of the naming pass: specs whose every name is drawn from colliding, keyword,
//! reserved (names the generated code itself uses) and non-ASCII candidates must generate, and
//! their output must compile clippy-clean with `-D warnings`.
//!
//! Cases are compiled in batches: every case of a batch is one module of a scratch crate
//! (`target/names-property/`, see `tests::scratch`), checked by one `cargo clippy`, typed mock
//! servers included. `NAMES_PROPTEST_CASES` sets the
//! number of specs (default 12: one batch, what CI runs); `NAMES_PROPTEST_BATCH` the batch size
//! (default 12).

use generator::{SpecFile, Target};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::{json, Map, Value};
use std::path::{Path, PathBuf};

/// Names that collide after case conversion, keywords, names of the generated code, prelude
/// names, non-ASCII and degenerate names.
const POOL: &[&str] = &[
    "getItem",
    "get_item",
    "GetItem",
    "get-item",
    "GET_ITEM",
    "get item",
    "type",
    "Type",
    "self",
    "Self",
    "super",
    "crate",
    "fn",
    "async",
    "await",
    "match",
    "mod",
    "use",
    "impl",
    "move",
    "ref",
    "static",
    "dyn",
    "gen",
    "try",
    "union",
    "r#type",
    "Client",
    "client",
    "Credentials",
    "Server",
    "types",
    "runtime",
    "new",
    "withConfig",
    "with_config",
    "baseUrl",
    "base_url",
    "clone",
    "fmt",
    "params",
    "body",
    "request",
    "response",
    "value",
    "item",
    "items",
    "page",
    "first",
    "total",
    "credential",
    "cookies",
    "parts",
    "v",
    "Option",
    "Result",
    "String",
    "Vec",
    "Box",
    "From",
    "Some",
    "None",
    "Ok",
    "Err",
    "std",
    "serde",
    "serde_json",
    "lib",
    "main",
    "additional_properties",
    "additionalProperties",
    "Unknown",
    "unknown",
    "Other",
    "Success",
    "NotFound",
    "Params",
    "Error",
    "ListParams",
    "list_all",
    "listAll",
    "日本語",
    "日本",
    "🚀",
    "🚀🚀",
    "größe",
    "grosse",
    "café",
    "Ω",
    "ñ",
    "x-total",
    "x-ratelimit-remaining",
    "1st",
    "2xx",
    "404",
    "",
    "!!!",
    "_",
    "__",
    "-",
    "a.b",
    "a/b",
    "a~b",
    "a b",
    "A",
    "a",
    "id",
    "Id",
    "ID",
    "name",
    "Name",
    "NameOrId",
];

/// Descriptions rustdoc, clippy or a doctest could trip on.
const PROSE: &[&str] = &[
    "plain words",
    "```rust\ncompile_error!(\"doctest\");\n```",
    "```\nfn main() {}\n```",
    "- a list item that\nwraps lazily\n- and another",
    "1. numbered\ncontinued\n> quoted\nlazily",
    "[brackets] and https://example.com/x.",
    "    indented code();",
    "<b>html</b> & `code` and [`Client::new`]",
];

fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(POOL).prop_map(str::to_owned),
        1 => (prop::sample::select(POOL), prop::sample::select(POOL))
            .prop_map(|(a, b)| format!("{a}{b}")),
        1 => (prop::sample::select(POOL), 0..3u8).prop_map(|(a, style)| match style {
            0 => a.to_uppercase(),
            1 => a.to_lowercase(),
            _ => format!("{a}_2"),
        }),
    ]
}

/// A distinct list of names (by raw text: the spec keys must differ).
fn names(max: usize) -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(name(), 0..=max).prop_map(|mut v| {
        let mut seen = std::collections::HashSet::new();
        v.retain(|n| seen.insert(n.clone()));
        v
    })
}

/// What a query parameter is.
#[derive(Debug, Clone)]
enum QueryKind {
    Integer,
    Text,
    Enum(Vec<String>),
    ScalarUnion,
    Object(Vec<String>, &'static str, bool),
    Array,
}

fn query_kind() -> impl Strategy<Value = QueryKind> {
    prop_oneof![
        Just(QueryKind::Integer),
        Just(QueryKind::Text),
        names(4).prop_map(QueryKind::Enum),
        Just(QueryKind::ScalarUnion),
        (
            names(3),
            prop::sample::select(&["form", "deepObject"][..]),
            any::<bool>()
        )
            // A free-form object (no properties) has no static keys: not supported.
            .prop_map(|(p, s, e)| QueryKind::Object(
                if p.is_empty() {
                    vec!["a".to_owned()]
                } else {
                    p
                },
                s,
                e
            )),
        Just(QueryKind::Array),
    ]
}

#[derive(Debug, Clone)]
struct Op {
    id: Option<String>,
    path_params: Vec<String>,
    query: Vec<(String, QueryKind)>,
    headers: Vec<String>,
    body: Vec<String>,
    paginated: Option<(String, String)>,
    two_successes: bool,
    prose: &'static str,
}

fn op() -> impl Strategy<Value = Op> {
    (
        prop::option::weighted(0.9, name()),
        names(3),
        prop::collection::vec((name(), query_kind()), 0..4),
        names(2),
        names(3),
        prop::option::weighted(0.3, (name(), name())),
        any::<bool>(),
        prop::sample::select(PROSE),
    )
        .prop_map(
            |(id, path_params, query, headers, body, paginated, two_successes, prose)| Op {
                id,
                // Template variables cannot hold `{`, `}` or `/`.
                path_params: path_params
                    .into_iter()
                    .filter(|p| !p.is_empty() && !p.contains(['{', '}', '/', '?', '#']))
                    .collect(),
                query,
                headers,
                body,
                paginated,
                two_successes,
                prose,
            },
        )
}

#[derive(Debug, Clone)]
struct Case {
    file: String,
    ops: Vec<Op>,
    schemas: Vec<(String, Vec<String>, Vec<String>)>,
    schemes: Vec<String>,
    servers: Vec<String>,
    relative: bool,
    prose: &'static str,
}

fn case() -> impl Strategy<Value = Case> {
    (
        name(),
        prop::collection::vec(op(), 1..5),
        prop::collection::vec((name(), names(4), names(3)), 0..5),
        names(3),
        names(2),
        any::<bool>(),
        prop::sample::select(PROSE),
    )
        .prop_map(
            |(file, ops, schemas, schemes, servers, relative, prose)| Case {
                file,
                ops,
                schemas,
                schemes,
                servers,
                relative,
                prose,
            },
        )
}

/// RFC 6901 escaping of one pointer segment.
fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

fn query_schema(kind: &QueryKind) -> Value {
    match kind {
        QueryKind::Integer => json!({"type": "integer"}),
        QueryKind::Text => json!({"type": "string"}),
        QueryKind::Enum(values) if values.is_empty() => json!({"type": "string"}),
        QueryKind::Enum(values) => json!({"type": "string", "enum": values}),
        QueryKind::ScalarUnion => {
            json!({"oneOf": [{"type": "integer"}, {"type": "string", "format": "date-time"}]})
        }
        QueryKind::Object(props, _, _) => {
            let props: Map<String, Value> = props
                .iter()
                .map(|p| (p.clone(), json!({"type": "string"})))
                .collect();
            json!({"type": "object", "properties": props})
        }
        QueryKind::Array => json!({"type": "array", "items": {"type": "integer"}}),
    }
}

/// The spec of one case, as JSON.
fn spec(case: &Case) -> Value {
    let mut components = Map::new();
    for (key, props, values) in &case.schemas {
        let schema = if props.is_empty() && !values.is_empty() {
            json!({"type": "string", "enum": values, "description": case.prose})
        } else {
            let props: Map<String, Value> = props
                .iter()
                .map(|p| {
                    (
                        p.clone(),
                        json!({"type": "string", "description": case.prose}),
                    )
                })
                .collect();
            json!({"type": "object", "properties": props, "additionalProperties": values.is_empty()})
        };
        components.insert(key.clone(), schema);
    }
    let mut paths = Map::new();
    let mut used_ids = std::collections::HashSet::new();
    for (i, op) in case.ops.iter().enumerate() {
        let mut path = format!("/p{i}");
        let mut parameters = Vec::new();
        for p in &op.path_params {
            path.push_str(&format!("/{{{p}}}"));
            parameters.push(
                json!({"name": p, "in": "path", "required": true, "schema": {"type": "string"}}),
            );
        }
        let mut query_names = std::collections::HashSet::new();
        for (q, kind) in &op.query {
            if !query_names.insert(q.clone()) {
                continue;
            }
            let mut param = json!({"name": q, "in": "query", "schema": query_schema(kind), "description": op.prose});
            if let QueryKind::Object(_, style, explode) = kind {
                param["style"] = json!(style);
                if *style == "form" {
                    param["explode"] = json!(explode);
                }
            }
            parameters.push(param);
        }
        for h in &op.headers {
            if !h.is_empty() && h.is_ascii() && !h.contains(' ') {
                parameters.push(json!({"name": h, "in": "header", "schema": {"type": "string"}}));
            }
        }
        let item_props: Map<String, Value> = op
            .body
            .iter()
            .map(|p| (p.clone(), json!({"type": "integer"})))
            .collect();
        let mut payload = json!({"type": "object", "properties": item_props.clone()});
        let mut operation = json!({
            "description": op.prose,
            "responses": {
                "404": {"description": op.prose, "content": {"application/json": {"schema": {"type": "object", "properties": {"message": {"type": "string"}}}}}},
            },
        });
        if let Some((page, items)) = &op.paginated {
            if !query_names.contains(page) {
                parameters
                    .push(json!({"name": page, "in": "query", "schema": {"type": "integer"}}));
                payload["properties"][items] =
                    json!({"type": "array", "items": {"type": "string"}});
                operation["x-pagination"] = json!({"style": "page", "page-param": page, "items": format!("/{}", escape(items))});
            }
        }
        operation["responses"]["200"] =
            json!({"description": "ok", "content": {"application/json": {"schema": payload}}});
        if op.two_successes && operation.get("x-pagination").is_none() {
            let target = case.schemas.first().map_or(
                json!({"type": "string"}),
                |(k, _, _)| json!({"$ref": format!("#/components/schemas/{}", escape(k))}),
            );
            operation["responses"]["201"] = json!({"description": "created", "content": {"application/json": {"schema": target}}});
        }
        if let Some(id) = &op.id {
            if used_ids.insert(id.clone()) {
                operation["operationId"] = json!(id);
            }
        }
        operation["parameters"] = Value::Array(parameters);
        if !op.body.is_empty() && operation.get("x-pagination").is_none() {
            operation["requestBody"] = json!({"required": true, "content": {"application/json": {"schema": {"type": "object", "properties": item_props}}}});
        }
        paths.insert(path, json!({ "post": operation }));
    }
    let schemes: Map<String, Value> = case
        .schemes
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let scheme = if i % 2 == 0 {
                json!({"type": "http", "scheme": "bearer"})
            } else {
                json!({"type": "apiKey", "in": "header", "name": "X-Key"})
            };
            (s.clone(), scheme)
        })
        .collect();
    let security: Vec<Value> = case.schemes.iter().map(|s| json!({ s: [] })).collect();
    let servers: Vec<Value> = if case.relative {
        vec![json!({"url": "/api"})]
    } else {
        // `x-name` must say something (an empty one is refused, rightly).
        case.servers
            .iter()
            .filter(|s| !s.trim().is_empty())
            .enumerate()
            .map(|(i, s)| json!({"url": format!("https://s{i}.example.com"), "x-name": s}))
            .collect()
    };
    json!({
        "openapi": "3.0.3",
        "info": {"title": case.file, "version": "1", "description": case.prose},
        "servers": servers,
        "security": security,
        "paths": paths,
        "components": {"schemas": components, "securitySchemes": schemes},
    })
}

/// The scratch crate the batches are compiled in.
fn scratch(root: &Path) -> PathBuf {
    let dir = root.join("target/names-property");
    tests::scratch::create(&dir, "names-property");
    dir
}

/// Renders the batch into the scratch crate and runs clippy on it.
fn check_batch(root: &Path, batch: &[Case]) -> Result<(), TestCaseError> {
    let dir = scratch(root);
    let mut specs = Vec::new();
    let mut modules = std::collections::HashSet::new();
    for (i, case) in batch.iter().enumerate() {
        // Reserved and colliding file names, unless that module is already in the batch.
        let mut file = format!("names-property/{}.yaml", case.file);
        if !modules.insert(generator::module_name(&file).to_string()) {
            file = format!("names-property/case{i}.yaml");
            modules.insert(generator::module_name(&file).to_string());
        }
        specs.push(SpecFile {
            path: file,
            text: serde_json::to_string_pretty(&spec(case)).expect("json"),
        });
    }
    let target = Target {
        specs_dir: "names-property",
        crate_dir: "scratch",
        role: generator::Role::Fixture {
            runtime_from: "api_token_clients",
        },
    };
    // Every item written as text is checked against prettyplease's printing of its tokens.
    generator::emit::verify_text_items(true);
    let files = generator::render_target(&target, &specs).map_err(|findings| {
        let text: String = findings.iter().map(|f| format!("{f}\n")).collect();
        TestCaseError::fail(format!("refused:\n{text}"))
    })?;
    for entry in std::fs::read_dir(dir.join("src")).expect("src") {
        let _ = std::fs::remove_file(entry.expect("entry").path());
    }
    let _ = std::fs::remove_dir_all(dir.join("src/cli"));
    for file in &files {
        // `scratch/src/x.rs`, `scratch/src/cli/x.rs`: the path inside the crate.
        let inner = file
            .path
            .strip_prefix("scratch/")
            .expect("in the scratch crate");
        let path = dir.join(inner);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("create dir");
        std::fs::write(path, &file.contents).expect("write");
    }
    // With the command-line tool: hostile names become its subcommands, flags and variables.
    let clippy = [
        "clippy",
        "--quiet",
        "--features",
        "cli",
        "--",
        "-D",
        "warnings",
    ];
    let output = tests::scratch::cargo(&dir, &clippy)
        .output()
        .expect("cargo clippy runs");
    if output.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let excerpt: String = stderr.lines().take(80).collect::<Vec<_>>().join("\n");
    Err(TestCaseError::fail(format!(
        "the output of {} specs does not pass clippy (crate kept in {}):\n{excerpt}",
        batch.len(),
        dir.display()
    )))
}

fn env_number(key: &str, default: u32) -> u32 {
    std::env::var(key)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[test]
fn hostile_names_generate_code_that_passes_clippy() {
    let cases = env_number("NAMES_PROPTEST_CASES", 12);
    let batch = env_number("NAMES_PROPTEST_BATCH", 12).max(1);
    let batches = cases.div_ceil(batch);
    let root = tests::root();
    let mut runner = TestRunner::new(Config {
        cases: batches,
        // Each shrinking step compiles a crate: keep the search short.
        max_shrink_iters: 8,
        failure_persistence: None,
        ..Config::default()
    });
    let started = std::time::Instant::now();
    let result = runner.run(&prop::collection::vec(case(), batch as usize), |cases| {
        check_batch(&root, &cases)
    });
    eprintln!(
        "names property: {} specs in {batches} batch(es) of {batch}, {:.0?}",
        batches * batch,
        started.elapsed()
    );
    if let Err(e) = result {
        panic!("{e}");
    }
}
