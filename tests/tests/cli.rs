//! The `api-tokens` tool, run as a process against loopback servers: for every operation of
//! every vendor (read from the specs through the generator's IR, so a new spec is covered the
//! day it lands), the arguments built from the spec's examples reach the server as the right
//! request, the answer comes back on stdout with exit code 0, a documented error status gives
//! its body and exit code 3, and a failure inside a 2xx body exit code 4. Then the other exit
//! codes, `--all`, `--output table`, `--dry-run`, and secrets never printed.

use generator::ir::{Api, Encoding, FailureTest, Operation, Piece, Status};
use generator::naming::cli::{self as names, CredentialEnv, Source, VendorNames};
use serde_json::{json, Value};
use std::io::Write as _;
use std::process::{Command, Output, Stdio};
use wiremock::matchers::{method, path_regex};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const TOOL: &str = env!("CARGO_BIN_EXE_api-tokens-test");

/// A credential value no output may contain.
const SECRET: &str = "sk_test_CANARY_4242";

fn apis() -> Vec<Api> {
    let specs = generator::read_specs(&tests::root().join("specs")).expect("specs");
    let mut apis: Vec<Api> = specs
        .iter()
        .map(|s| generator::lower_spec(s).expect("spec lowers"))
        .collect();
    apis.sort_by(|a, b| a.module.cmp(&b.module));
    apis
}

/// One run of the tool: arguments, environment (nothing else is inherited), stdin.
struct Run {
    args: Vec<String>,
    env: Vec<(String, String)>,
    stdin: Option<Vec<u8>>,
}

impl Run {
    fn new(args: &[&str]) -> Self {
        Self {
            args: args.iter().map(|a| (*a).to_owned()).collect(),
            env: Vec::new(),
            stdin: None,
        }
    }

    fn arg(mut self, arg: impl Into<String>) -> Self {
        self.args.push(arg.into());
        self
    }

    fn env(mut self, name: &str, value: &str) -> Self {
        self.env.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Every credential of the vendor set to [`SECRET`].
    fn credentials(mut self, names: &VendorNames) -> Self {
        for credential in &names.credentials {
            match credential {
                CredentialEnv::One(var) => self = self.env(var, SECRET),
                CredentialEnv::Signing { id, key, .. } => {
                    self = self.env(id, "AKIDcanary").env(key, SECRET);
                }
            }
        }
        self
    }

    async fn output(self) -> Output {
        tokio::task::spawn_blocking(move || {
            let mut command = Command::new(TOOL);
            command
                .args(&self.args)
                .env_clear()
                .env("COLUMNS", "100")
                .envs(self.env.iter().map(|(k, v)| (k, v)))
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped());
            let mut child = command.spawn().expect("the tool starts");
            let mut stdin = child.stdin.take().expect("stdin");
            if let Some(bytes) = &self.stdin {
                stdin.write_all(bytes).expect("write stdin");
            }
            drop(stdin);
            child.wait_with_output().expect("the tool ends")
        })
        .await
        .expect("join")
    }
}

fn code(output: &Output) -> i32 {
    output.status.code().expect("exit code")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// No credential value in anything the tool printed.
fn assert_no_secret(output: &Output, what: &str) {
    for text in [stdout(output), stderr(output)] {
        assert!(
            !text.contains(SECRET),
            "{what}: a credential was printed:\n{text}"
        );
    }
}

/// The operation's path template as a regex matching exactly one request path.
fn path_pattern(op: &Operation) -> String {
    let mut pattern = String::from("^");
    for piece in &op.path.pieces {
        match piece {
            Piece::Literal(text) => pattern.push_str(&regex_escape(text)),
            Piece::Variable(_) => pattern.push_str("[^/]+"),
        }
    }
    pattern.push('$');
    pattern
}

fn regex_escape(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '/' || c == '-' || c == '_' {
                c.to_string()
            } else {
                format!("\\{c}")
            }
        })
        .collect()
}

fn method_of(op: &Operation) -> &'static str {
    use generator::ir::Method;
    match op.method {
        Method::Get => "GET",
        Method::Put => "PUT",
        Method::Post => "POST",
        Method::Delete => "DELETE",
        Method::Patch => "PATCH",
        Method::Head => "HEAD",
        Method::Options => "OPTIONS",
    }
}

/// The command line of `op` from its examples: every parameter that has one as a flag (or,
/// secret, in the environment), the body example on stdin. Also the query parameters and
/// headers the server must then receive.
struct Invocation {
    run: Run,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    body: Option<Value>,
}

fn text_of(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn invocation(api: &Api, names: &VendorNames, index: usize, base_url: &str) -> Invocation {
    let op = &api.operations[index];
    let op_names = &names.operations[index];
    let mut run = Run::new(&[&names.command, &op_names.command])
        .arg("--base-url")
        .arg(base_url)
        .credentials(names);
    let mut query = Vec::new();
    let mut headers = Vec::new();
    for (param, source) in op.params.iter().zip(&op_names.params) {
        let example: Option<Value> = param
            .example
            .as_deref()
            .map(|e| serde_json::from_str(e).expect("example JSON"));
        let Some(example) = example else {
            assert!(
                !param.required,
                "{}.{}: a required parameter without an example",
                op.id, param.wire
            );
            continue;
        };
        let values: Vec<String> = match &example {
            Value::Array(items) => items.iter().map(text_of).collect(),
            other => vec![text_of(other)],
        };
        match source {
            Source::Env(var) => run = run.env(var, &values[0]),
            Source::Flag(flag) => {
                for value in &values {
                    run = run.arg(format!("--{flag}")).arg(value.clone());
                }
            }
        }
        let expected = (param.wire.clone(), values.join(","));
        match param.location {
            generator::ir::ParamLocation::Query => query.push(expected),
            generator::ir::ParamLocation::Header => headers.push(expected),
            _ => {}
        }
    }
    let body = op
        .body
        .as_ref()
        .and_then(|b| b.example.as_deref())
        .map(|e| serde_json::from_str::<Value>(e).expect("body example JSON"));
    if let Some(body) = &body {
        run = run.arg("--body").arg("-");
        run.stdin = Some(body.to_string().into_bytes());
    }
    Invocation {
        run,
        query,
        headers,
        body,
    }
}

/// A status of `status`'s class a mock can answer with.
fn status_code(status: Status) -> u16 {
    match status {
        Status::Code(code) => code,
        Status::Range(n) => n * 100,
        Status::Default => 500,
    }
}

fn pointer<'a>(value: &'a Value, pointer: &str) -> Option<&'a Value> {
    if pointer.is_empty() || pointer == "/" {
        Some(value)
    } else {
        value.pointer(pointer)
    }
}

/// Every member of `expected` is in `actual` with the same value (the tool re-serializes the
/// typed answer, which may add members the example leaves out, as null).
fn contains(actual: &Value, expected: &Value) -> bool {
    match (actual, expected) {
        (Value::Object(a), Value::Object(e)) => e
            .iter()
            .all(|(k, v)| v.is_null() || a.get(k).is_some_and(|av| contains(av, v))),
        (Value::Array(a), Value::Array(e)) => {
            a.len() == e.len() && a.iter().zip(e).all(|(a, e)| contains(a, e))
        }
        (Value::Number(a), Value::Number(e)) => a.as_f64() == e.as_f64(),
        // The same instant, however many fractional digits.
        (Value::String(a), Value::String(e)) => {
            a == e
                || matches!(
                    (
                        chrono::DateTime::parse_from_rfc3339(a),
                        chrono::DateTime::parse_from_rfc3339(e)
                    ),
                    (Ok(a), Ok(e)) if a == e
                )
        }
        _ => actual == expected,
    }
}

fn check_request(op: &Operation, invocation: &Invocation, request: &Request) {
    assert_eq!(request.method.as_str(), method_of(op), "{}", op.id);
    for (name, value) in &invocation.query {
        let sent: Vec<String> = request
            .url
            .query_pairs()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
            .collect();
        assert_eq!(sent.join(","), *value, "{}: query {name}", op.id);
    }
    for (name, value) in invocation.headers.iter().chain(&op.constant_headers) {
        let sent = request
            .headers
            .get(name.as_str())
            .and_then(|v| v.to_str().ok());
        assert_eq!(sent, Some(value.as_str()), "{}: header {name}", op.id);
    }
    if let Some(body) = &invocation.body {
        let sent: Value = serde_json::from_slice(&request.body).expect("a JSON body was sent");
        assert!(
            contains(&sent, body),
            "{}: body sent {sent} is not the example {body}",
            op.id
        );
    }
}

#[tokio::test]
async fn every_operation_of_every_vendor_sends_the_request_and_prints_the_answer() {
    let mut covered = 0;
    for api in apis() {
        let names = names::vendor(&api);
        for (index, op) in api.operations.iter().enumerate() {
            let server = MockServer::start().await;
            let success = op.success.first().expect("a success response");
            let example: Option<Value> = success
                .example
                .as_deref()
                .map(|e| serde_json::from_str(e).expect("response example"));
            let mut answer = ResponseTemplate::new(status_code(success.status));
            if let (Some(body), Some(_)) = (&example, &success.ty) {
                answer = answer.set_body_json(body);
            }
            Mock::given(method(method_of(op)))
                .and(path_regex(path_pattern(op)))
                .respond_with(answer)
                .expect(1)
                .mount(&server)
                .await;
            let invocation = invocation(&api, &names, index, &server.uri());
            let output = invocation.run.clone_run().output().await;
            let what = format!("{} {}", names.command, names.operations[index].command);
            assert_eq!(code(&output), 0, "{what}: {}", stderr(&output));
            assert_no_secret(&output, &what);
            let received = server.received_requests().await.expect("recorded");
            assert_eq!(received.len(), 1, "{what}: one request");
            check_request(op, &invocation, &received[0]);
            match (&example, &success.ty, success.encoding) {
                (Some(example), Some(_), Encoding::Json)
                    if op
                        .envelope
                        .as_ref()
                        .map_or(Some(example), |e| pointer(example, &e.payload))
                        .is_some_and(|p| !p.is_null()) =>
                {
                    let printed: Value =
                        serde_json::from_str(&stdout(&output)).unwrap_or_else(|e| {
                            panic!("{what}: stdout is not JSON ({e}):\n{}", stdout(&output))
                        });
                    let payload = op
                        .envelope
                        .as_ref()
                        .map_or(Some(example), |e| pointer(example, &e.payload))
                        .expect("payload");
                    assert!(
                        contains(&printed, payload),
                        "{what}: printed {printed}, expected {payload}"
                    );
                }
                (_, None, _) => assert_eq!(stdout(&output), "", "{what}: no body, no output"),
                _ => {}
            }
            covered += 1;
        }
    }
    assert!(covered >= 20, "only {covered} operations");
}

impl Run {
    fn clone_run(&self) -> Self {
        Self {
            args: self.args.clone(),
            env: self.env.clone(),
            stdin: self.stdin.clone(),
        }
    }
}

#[tokio::test]
async fn documented_errors_print_their_body_and_exit_3() {
    let mut covered = 0;
    for api in apis() {
        let names = names::vendor(&api);
        for (index, op) in api.operations.iter().enumerate() {
            let Some(error) = op.errors.first() else {
                continue;
            };
            let server = MockServer::start().await;
            let example: Option<Value> = error
                .example
                .as_deref()
                .and_then(|e| serde_json::from_str(e).ok());
            let mut answer = ResponseTemplate::new(status_code(error.status));
            if let (Some(body), Some(_)) = (&example, &error.ty) {
                answer = answer.set_body_json(body);
            }
            Mock::given(method(method_of(op)))
                .and(path_regex(path_pattern(op)))
                .respond_with(answer)
                .mount(&server)
                .await;
            let output = invocation(&api, &names, index, &server.uri())
                .run
                .arg("--retries")
                .arg("0")
                .output()
                .await;
            let what = format!("{} {}", names.command, names.operations[index].command);
            assert_eq!(code(&output), 3, "{what}: {}", stderr(&output));
            assert!(
                stderr(&output).contains(&format!("HTTP {}", status_code(error.status))),
                "{what}: {}",
                stderr(&output)
            );
            if let (Some(body), Some(_)) = (&example, &error.ty) {
                let printed: Value = serde_json::from_str(&stdout(&output)).expect("error body");
                assert!(contains(&printed, body), "{what}: printed {printed}");
            }
            assert_no_secret(&output, &what);
            covered += 1;
        }
    }
    assert!(covered >= 20, "only {covered} operations");
}

/// The body the spec's envelope calls a failure: the success example with the failure
/// discriminator, code and message set.
fn failure_body(
    example: &Value,
    test: &FailureTest,
    code: Option<&str>,
    message: Option<&str>,
) -> Value {
    let mut body = example.clone();
    let set = |body: &mut Value, at: &str, value: Value| {
        let mut node = body;
        for part in at.trim_start_matches('/').split('/') {
            if !node.is_object() {
                *node = json!({});
            }
            node = node
                .as_object_mut()
                .expect("object")
                .entry(part.to_owned())
                .or_insert(Value::Null);
        }
        *node = value;
    };
    if let Some(at) = code {
        set(&mut body, at, json!("Canary.Code"));
    }
    if let Some(at) = message {
        set(&mut body, at, json!("the canary failed"));
    }
    match test {
        FailureTest::Equals(at, value) => {
            set(&mut body, at, serde_json::from_str(value).expect("json"))
        }
        FailureTest::NotEquals(at, value) => {
            let other = match serde_json::from_str::<Value>(value).expect("json") {
                Value::Bool(b) => Value::Bool(!b),
                Value::Number(n) => json!(n.as_i64().unwrap_or(0) + 1),
                _ => json!("failed"),
            };
            set(&mut body, at, other);
        }
        FailureTest::Present(at) => {
            if pointer(&body, at).is_none_or(Value::is_null) {
                set(&mut body, at, json!({}));
            }
        }
    }
    body
}

#[tokio::test]
async fn failures_inside_a_2xx_body_exit_4_with_the_vendor_message() {
    let mut covered = 0;
    for api in apis() {
        let names = names::vendor(&api);
        for (index, op) in api.operations.iter().enumerate() {
            let Some(envelope) = &op.envelope else {
                continue;
            };
            let Some(test) = &envelope.failure else {
                continue;
            };
            let success = &op.success[0];
            let example: Value = success
                .example
                .as_deref()
                .map_or(json!({}), |e| serde_json::from_str(e).expect("example"));
            let body = failure_body(
                &example,
                test,
                envelope.code.as_deref(),
                envelope.message.as_deref(),
            );
            let server = MockServer::start().await;
            Mock::given(method(method_of(op)))
                .and(path_regex(path_pattern(op)))
                .respond_with(
                    ResponseTemplate::new(status_code(success.status)).set_body_json(&body),
                )
                .mount(&server)
                .await;
            let output = invocation(&api, &names, index, &server.uri())
                .run
                .output()
                .await;
            let what = format!("{} {}", names.command, names.operations[index].command);
            assert_eq!(code(&output), 4, "{what}: {body}\n{}", stderr(&output));
            if envelope.message.is_some() {
                assert!(
                    stderr(&output).contains("the canary failed"),
                    "{what}: {}",
                    stderr(&output)
                );
            }
            assert_eq!(stdout(&output), "", "{what}");
            covered += 1;
        }
    }
    assert!(
        covered >= 8,
        "only {covered} operations have a failure envelope"
    );
}

fn vendor_api(module: &str) -> (Api, VendorNames) {
    let api = apis()
        .into_iter()
        .find(|a| a.module.name == module)
        .expect("vendor");
    let names = names::vendor(&api);
    (api, names)
}

fn op_index(api: &Api, id: &str) -> usize {
    api.operations
        .iter()
        .position(|o| o.id == id)
        .expect("operation")
}

#[tokio::test]
async fn other_outcomes_have_their_own_exit_codes() {
    let (api, names) = vendor_api("apivideo");
    let get = op_index(&api, "getUploadToken");
    // An undocumented status: 5.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(418).set_body_string("teapot"))
        .mount(&server)
        .await;
    let output = invocation(&api, &names, get, &server.uri())
        .run
        .output()
        .await;
    assert_eq!(code(&output), 5, "{}", stderr(&output));
    assert!(
        stderr(&output).contains("unexpected HTTP 418"),
        "{}",
        stderr(&output)
    );
    // A documented status whose body does not decode: 6.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string("<html>oops</html>"))
        .mount(&server)
        .await;
    let output = invocation(&api, &names, get, &server.uri())
        .run
        .output()
        .await;
    assert_eq!(code(&output), 6, "{}", stderr(&output));
    // Nobody listening: 7.
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("addr").port()
    };
    let output = invocation(&api, &names, get, &format!("http://127.0.0.1:{closed}"))
        .run
        .arg("--retries")
        .arg("0")
        .output()
        .await;
    assert_eq!(code(&output), 7, "{}", stderr(&output));
    // Usage: a value of the wrong type, an unknown enum value, a missing credential, a body
    // that is not JSON. Nothing is sent.
    let server = MockServer::start().await;
    for (extra, needle) in [
        (vec!["--page-size", "many"], "not an integer"),
        (vec!["--sort-by", "size"], "one of createdAt, ttl"),
    ] {
        let mut run = Run::new(&[
            "apivideo",
            "list-upload-tokens",
            "--base-url",
            &server.uri(),
        ])
        .credentials(&names);
        for arg in extra {
            run = run.arg(arg);
        }
        let output = run.output().await;
        assert_eq!(code(&output), 2, "{}", stderr(&output));
        assert!(stderr(&output).contains(needle), "{}", stderr(&output));
    }
    let output = Run::new(&[
        "apivideo",
        "list-upload-tokens",
        "--base-url",
        &server.uri(),
    ])
    .output()
    .await;
    assert_eq!(code(&output), 2, "{}", stderr(&output));
    assert!(
        stderr(&output).contains("missing credentials"),
        "{}",
        stderr(&output)
    );
    let create = op_index(&api, "createUploadToken");
    let mut run = invocation(&api, &names, create, &server.uri()).run;
    run.stdin = Some(b"{not json".to_vec());
    let output = run.output().await;
    assert_eq!(code(&output), 2, "{}", stderr(&output));
    assert!(
        stderr(&output).contains("--body is not JSON"),
        "{}",
        stderr(&output)
    );
    assert!(server
        .received_requests()
        .await
        .expect("recorded")
        .is_empty());
}

#[tokio::test]
async fn flags_override_the_body_and_all_walks_every_page_as_json_lines() {
    let (api, names) = vendor_api("apivideo");
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"token": "to1", "ttl": 60})))
        .mount(&server)
        .await;
    let create = op_index(&api, "createUploadToken");
    let output = invocation(&api, &names, create, &server.uri())
        .run
        .arg("--ttl")
        .arg("60")
        .output()
        .await;
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let sent = &server.received_requests().await.expect("recorded")[0];
    assert_eq!(
        serde_json::from_slice::<Value>(&sent.body).expect("json"),
        json!({"ttl": 60})
    );
    // Tokens the API returns are the answer asked for: printed.
    assert!(stdout(&output).contains("\"to1\""), "{}", stdout(&output));

    let server = MockServer::start().await;
    let page = |n: u32, tokens: &[&str]| {
        json!({
            "data": tokens.iter().map(|t| json!({"token": t, "ttl": 0})).collect::<Vec<_>>(),
            "pagination": {"currentPage": n, "pageSize": 2, "pagesTotal": 2, "itemsTotal": 3, "currentPageItems": tokens.len(), "links": []}
        })
    };
    for (n, tokens) in [(1, vec!["a", "b"]), (2, vec!["c"])] {
        Mock::given(method("GET"))
            .and(wiremock::matchers::query_param(
                "currentPage",
                n.to_string(),
            ))
            .respond_with(ResponseTemplate::new(200).set_body_json(page(n, &tokens)))
            .expect(2)
            .mount(&server)
            .await;
    }
    let output = Run::new(&[
        "apivideo",
        "list-upload-tokens",
        "--all",
        "--base-url",
        &server.uri(),
    ])
    .credentials(&names)
    .output()
    .await;
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let lines: Vec<Value> = stdout(&output)
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON document per line"))
        .collect();
    let tokens: Vec<&str> = lines
        .iter()
        .map(|l| l["token"].as_str().expect("token"))
        .collect();
    assert_eq!(tokens, ["a", "b", "c"]);

    let output = Run::new(&[
        "apivideo",
        "list-upload-tokens",
        "--all",
        "--output",
        "table",
        "--base-url",
        &server.uri(),
    ])
    .credentials(&names)
    .output()
    .await;
    let table = stdout(&output);
    let rows: Vec<&str> = table.lines().collect();
    assert_eq!(rows.len(), 4, "{table}");
    assert!(
        rows[0].starts_with("token") && rows[1].starts_with("a "),
        "{table}"
    );
}

#[tokio::test]
async fn dry_run_prints_the_signed_request_redacted_and_sends_nothing() {
    let server = MockServer::start().await;
    // TC3 signing: the signature's headers are shown, the credential is not.
    let (api, names) = vendor_api("tencent_vod");
    let create = op_index(&api, "createAigcApiToken");
    let output = invocation(&api, &names, create, &server.uri())
        .run
        .arg("--dry-run")
        .output()
        .await;
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert_no_secret(&output, "tencent dry run");
    let shown: Value = serde_json::from_str(&stdout(&output)).expect("JSON");
    assert_eq!(shown["method"], "POST");
    assert!(
        shown["auth"]
            .as_str()
            .expect("auth")
            .starts_with("TC3-HMAC-SHA256 signature (service vod"),
        "{shown}"
    );
    assert_eq!(
        shown["headers"]["authorization"],
        "TC3-HMAC-SHA256 [redacted]"
    );
    assert!(shown["headers"]["x-tc-timestamp"].is_string(), "{shown}");
    assert_eq!(shown["headers"]["x-tc-action"], "CreateAigcApiToken");
    assert!(
        !stdout(&output).contains("AKIDcanary"),
        "{}",
        stdout(&output)
    );

    // A secret path parameter (api.video's token) is blanked out of the URL.
    let (api, names) = vendor_api("apivideo");
    let delete = op_index(&api, "deleteUploadToken");
    let output = invocation(&api, &names, delete, &server.uri())
        .run
        .arg("--dry-run")
        .arg("--output")
        .arg("table")
        .output()
        .await;
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let text = stdout(&output);
    assert!(
        text.starts_with(&format!("DELETE {}/upload-tokens/[redacted]", server.uri())),
        "{text}"
    );
    assert!(text.contains("authorization: Basic [redacted]"), "{text}");
    assert!(text.contains("(not sent; auth: HTTP Basic)"), "{text}");
    assert!(!text.contains("to1tcmSFHeYY5KzyhOqVKMKb"), "{text}");
    assert!(server
        .received_requests()
        .await
        .expect("recorded")
        .is_empty());
}

#[tokio::test]
async fn completions_and_man_page_are_generated() {
    for shell in ["bash", "zsh", "fish"] {
        let output = Run::new(&["completions", shell]).output().await;
        assert_eq!(code(&output), 0, "{}", stderr(&output));
        assert!(stdout(&output).contains("create-upload-token"), "{shell}");
    }
    let output = Run::new(&["man"]).output().await;
    assert_eq!(code(&output), 0);
    assert!(
        stdout(&output).starts_with(".ie"),
        "{}",
        &stdout(&output)[..80]
    );
    assert!(stdout(&output).contains("api\\-tokens"));
}

/// `--help` of the tool, a vendor and an operation, as a user sees them.
#[tokio::test]
async fn help_reads_well() {
    for (name, args) in [
        ("help_tool", vec!["--help"]),
        ("help_vendor", vec!["tencent-vod", "--help"]),
        (
            "help_operation",
            vec!["apivideo", "create-upload-token", "--help"],
        ),
    ] {
        let output = Run::new(&args).output().await;
        assert_eq!(code(&output), 0, "{}", stderr(&output));
        insta::assert_snapshot!(name, stdout(&output));
    }
}
