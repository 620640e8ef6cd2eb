//! Every generated example (`generated/examples/<module>.rs`) runs to the end against a
//! loopback server that serves its spec's success examples.
//!
//! The examples are built with `cargo build --workspace --examples`: with the features the
//! workspace's test build (`cargo nextest run --workspace`, `cargo test`) already compiled
//! every dependency with, and which already built the examples too (cargo's test builds
//! include examples), so nothing is compiled again; `-p api-token-clients` alone would select
//! other features and compile the whole dependency graph a second time, for the same
//! examples (the only extra feature is `mock`, which they do not use). Each is then run with
//! the environment variables its header documents: the base
//! URL pointed at a wiremock server, every credential set to a dummy. The server is built
//! here from the spec text (not from the generator's IR): each operation answers its method,
//! its path (any value for a path parameter) and its `x-rpc` action header with the first
//! example of its lowest 2xx response. An example passes when it exits 0, prints one line per
//! step its header names, and the server saw one request per step.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;
use tests::{root, Spec};
use wiremock::matchers::{header, method, path_regex};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Builds the examples (see the module docs) and returns each one's executable, by name.
fn build_examples() -> Vec<(String, PathBuf)> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut command = Command::new(cargo);
    // Cargo as a user runs it: without the variables cargo and nextest set for this test
    // process, which some build scripts watch (with them, every run rebuilt the graph). With
    // the compiler `cargo xtask test` builds our crates with (clippy), so that this build finds
    // the tests' build's artifacts fresh; without it, it rebuilt every crate of ours (23 s).
    command.env_clear();
    for keep in [
        "PATH",
        "HOME",
        "CARGO_HOME",
        "RUSTUP_HOME",
        "RUSTUP_TOOLCHAIN",
        "CARGO_INCREMENTAL",
        "CARGO_TARGET_DIR",
        "RUSTC_WORKSPACE_WRAPPER",
        "CLIPPY_ARGS",
    ] {
        if let Some(value) = std::env::var_os(keep) {
            command.env(keep, value);
        }
    }
    let output = command
        .current_dir(root())
        .args([
            "build",
            "--workspace",
            "--examples",
            "--message-format=json-render-diagnostics",
        ])
        .output()
        .expect("cargo build runs");
    assert!(
        output.status.success(),
        "the examples do not build:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|m| m["reason"] == "compiler-artifact" && m["target"]["kind"][0] == "example")
        .filter(|m| {
            m["package_id"]
                .as_str()
                .is_some_and(|id| id.contains("api-token-clients"))
        })
        .filter_map(|m| {
            let name = m["target"]["name"].as_str()?.to_owned();
            let exe = PathBuf::from(m["executable"].as_str()?);
            Some((name, exe))
        })
        .collect()
}

/// The spec an example was generated from: its first line names it.
fn spec_of(example: &Path) -> (Spec, String) {
    let text = std::fs::read_to_string(example).expect("example source");
    let source = text
        .lines()
        .next()
        .and_then(|l| l.split(" from ").nth(1))
        .and_then(|l| l.split(". ").next())
        .expect("the example's preamble names its spec");
    let stem = Path::new(source)
        .file_stem()
        .and_then(|s| s.to_str())
        .expect("spec file name");
    (Spec::load(stem), text)
}

/// `/upload-tokens/{uploadToken}` -> `^/upload-tokens/[^/]+$`: the example's base URL is the
/// server's root, so the spec's server path is not part of the request.
fn path_pattern(path: &str) -> String {
    let mut pattern = "^".to_owned();
    for segment in path.split('/').skip(1) {
        pattern.push('/');
        if segment.starts_with('{') {
            pattern.push_str("[^/]+");
        } else {
            pattern.push_str(&regex_escape(segment));
        }
    }
    pattern.push('$');
    pattern
}

fn regex_escape(text: &str) -> String {
    text.chars()
        .flat_map(|c| {
            let special = "\\.+*?()|[]{}^$#&-~".contains(c);
            special.then_some('\\').into_iter().chain([c])
        })
        .collect()
}

/// A server answering every operation of `spec` with its first success example.
async fn serve(spec: &Spec) -> MockServer {
    let server = MockServer::start().await;
    for id in spec.operation_ids() {
        let op = spec.operation(&id);
        let Some(success) = op
            .responses()
            .into_iter()
            .filter(|r| (200..300).contains(&r.status))
            .min_by_key(|r| r.status)
        else {
            continue;
        };
        // `x-rpc`: one path for every action, told apart by a header.
        let rpc = &spec.raw["paths"][&op.path_key][op.method.to_lowercase()]["x-rpc"];
        let mut mock = Mock::given(method(op.method.as_str()));
        match (
            rpc["path"].as_str(),
            rpc["header"].as_str(),
            rpc["action"].as_str(),
        ) {
            (Some(path), Some(name), Some(action)) => {
                mock = mock
                    .and(path_regex(path_pattern(path)))
                    .and(header(name, action));
            }
            _ => mock = mock.and(path_regex(path_pattern(&op.path_key))),
        }
        let mut response = ResponseTemplate::new(success.status);
        if let Some(body) = success.body {
            response = response.set_body_json(body);
        }
        mock.respond_with(response).mount(&server).await;
    }
    server
}

/// The variables the example's header documents (`//! - \`NAME\`...`).
fn documented_variables(source: &str) -> Vec<String> {
    source
        .lines()
        .filter(|l| l.starts_with("//! - `"))
        .flat_map(|l| {
            let head = l.split(": ").next().unwrap_or_default();
            head.split('`')
                .skip(1)
                .step_by(2)
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn every_example_runs_against_a_loopback_server() {
    let built = build_examples();
    let dir = root().join("generated/examples");
    let mut sources: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("generated/examples")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    sources.sort();
    assert!(sources.len() >= 5, "examples went missing: {sources:?}");
    for source in sources {
        let name = source.file_stem().and_then(|s| s.to_str()).expect("name");
        let (spec, text) = spec_of(&source);
        let exe = &built
            .iter()
            .find(|(n, _)| n == name)
            .unwrap_or_else(|| panic!("example {name} was not built"))
            .1;
        let server = serve(&spec).await;
        let variables = documented_variables(&text);
        let base = variables
            .iter()
            .find(|v| v.ends_with("_BASE_URL"))
            .unwrap_or_else(|| panic!("{name}: no base URL variable documented"));
        let mut command = Command::new(exe);
        for variable in &variables {
            command.env(variable, "dummy-credential");
        }
        command.env(base, server.uri());
        let output = tokio::task::spawn_blocking(move || command.output())
            .await
            .expect("join")
            .expect("the example runs");
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            output.status.success(),
            "{name} failed ({}):\n{stdout}\n{stderr}",
            output.status
        );
        let steps = text.matches("println!(\"").count();
        let printed = stdout.lines().filter(|l| l.contains(" (")).count();
        let requests = server.received_requests().await.unwrap_or_default().len();
        assert!(
            steps >= 1 && printed == steps && requests == steps,
            "{name}: {steps} step(s), {printed} printed, {requests} request(s):\n{stdout}"
        );
    }
}

#[test]
fn path_patterns_match_only_their_path() {
    assert_eq!(path_pattern("/v1/tokens/{id}"), "^/v1/tokens/[^/]+$");
    assert_eq!(path_pattern("/"), "^/$");
    assert_eq!(path_pattern("/a.b"), "^/a\\.b$");
}
