//! Shared helpers for the contract tests: the specs' own examples, replayed over loopback HTTP
//! against the generated clients.
//!
//! For each documented response of an operation, [`Contract::run`] starts a mock server that
//! answers only a request shaped as the spec says (method, path, query, headers, credentials,
//! JSON body from the request example), serves the response example, and compares what the
//! client decoded with the example. Expectations are computed from the spec text here, not by
//! the generator, so the two implementations check each other.

use api_token_clients::runtime::{Config, Error, RetryPolicy};
use serde::Serialize;
use serde_json::Value;
use std::fmt::Debug;
use std::future::Future;
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

pub mod loopback;
pub mod scratch;

/// The workspace root.
pub fn root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Settings for loopback tests: plain http allowed, short timeouts, and no retries, so each
/// documented response is seen exactly once (retries have their own tests).
pub fn config() -> Config {
    Config::default()
        .allow_insecure_http()
        .retry(RetryPolicy::disabled())
        .timeout(std::time::Duration::from_secs(10))
}

/// One spec, as plain JSON.
pub struct Spec {
    /// File stem (`apivideo`).
    pub name: String,
    /// The document.
    pub raw: Value,
}

impl Spec {
    /// Reads `specs/<name>.yaml`.
    pub fn load(name: &str) -> Self {
        let text = std::fs::read_to_string(root().join("specs").join(format!("{name}.yaml")))
            .unwrap_or_else(|e| panic!("specs/{name}.yaml: {e}"));
        let yaml: serde_yaml::Value = serde_yaml::from_str(&text).expect("spec is YAML");
        Self {
            name: name.to_owned(),
            raw: serde_json::to_value(yaml).expect("spec is JSON-compatible"),
        }
    }

    /// Follows a local `$ref`.
    pub fn resolve<'a>(&'a self, value: &'a Value) -> &'a Value {
        let mut current = value;
        for _ in 0..16 {
            match current.get("$ref").and_then(Value::as_str) {
                Some(reference) => {
                    current = self
                        .raw
                        .pointer(reference.trim_start_matches('#'))
                        .unwrap_or_else(|| panic!("dangling {reference}"));
                }
                None => return current,
            }
        }
        current
    }

    /// Every operation id, in spec order.
    pub fn operation_ids(&self) -> Vec<String> {
        let mut ids = Vec::new();
        for item in self.raw["paths"]
            .as_object()
            .into_iter()
            .flat_map(|m| m.values())
        {
            for (key, op) in item.as_object().into_iter().flatten() {
                if let Some(id) = op.get("operationId").and_then(Value::as_str) {
                    if key != "parameters" {
                        ids.push(id.to_owned());
                    }
                }
            }
        }
        ids
    }

    /// The operation with `operationId == id`.
    pub fn operation(&self, id: &str) -> Operation<'_> {
        for (path_key, item) in self.raw["paths"].as_object().into_iter().flatten() {
            for (method, op) in item.as_object().into_iter().flatten() {
                if op.get("operationId").and_then(Value::as_str) == Some(id) {
                    return Operation {
                        spec: self,
                        method: method.to_uppercase(),
                        path_key: path_key.clone(),
                        item,
                        op,
                    };
                }
            }
        }
        panic!("{}: no operation {id}", self.name)
    }
}

/// One documented response example.
#[derive(Debug, Clone)]
pub struct ResponseCase {
    /// HTTP status.
    pub status: u16,
    /// Example name (`success`), or `(no body)`.
    pub name: String,
    /// The example body, if the response has one.
    pub body: Option<Value>,
}

/// What the client must return for a response case.
#[derive(Debug, Clone)]
pub enum Expected {
    /// `Ok` with this payload (JSON null for no body).
    Ok(Value),
    /// `Error::Api` with this status and body.
    Api(u16, Value),
    /// `Error::Failure` with the vendor's code, message and request id.
    Failure {
        /// Vendor code.
        code: Option<String>,
        /// Vendor message.
        message: Option<String>,
        /// Vendor request id.
        request_id: Option<String>,
    },
}

/// One operation of a spec.
pub struct Operation<'a> {
    spec: &'a Spec,
    /// Upper-case HTTP method.
    pub method: String,
    /// The key under `paths`.
    pub path_key: String,
    item: &'a Value,
    op: &'a Value,
}

fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

impl Operation<'_> {
    fn parameters(&self) -> Vec<&Value> {
        let own = self.op["parameters"].as_array().into_iter().flatten();
        let shared = self.item["parameters"].as_array().into_iter().flatten();
        own.chain(shared).map(|p| self.spec.resolve(p)).collect()
    }

    /// The example of parameter `name`.
    pub fn param_example(&self, name: &str) -> Value {
        self.parameters()
            .into_iter()
            .find(|p| p["name"] == name)
            .and_then(|p| p.get("example").cloned())
            .unwrap_or_else(|| panic!("parameter {name} has no example"))
    }

    /// The path requested: the `x-rpc` path, or the key with path examples filled in.
    pub fn request_path(&self) -> String {
        if let Some(path) = self.op.pointer("/x-rpc/path").and_then(Value::as_str) {
            return path.to_owned();
        }
        let mut path = self.path_key.clone();
        for p in self.parameters().iter().filter(|p| p["in"] == "path") {
            let name = p["name"].as_str().unwrap_or_default();
            path = path.replace(&format!("{{{name}}}"), &text(&p["example"]));
        }
        path
    }

    /// (location, name, value) of every parameter the request must carry: examples, constants
    /// (single-value enums) and the `x-rpc` action header.
    pub fn expected_params(&self) -> Vec<(String, String, String)> {
        let mut out = Vec::new();
        for p in self.parameters() {
            let location = p["in"].as_str().unwrap_or_default().to_owned();
            let name = p["name"].as_str().unwrap_or_default().to_owned();
            let schema = self.spec.resolve(&p["schema"]);
            let constant = schema["enum"]
                .as_array()
                .filter(|e| e.len() == 1)
                .map(|e| text(&e[0]));
            if let (Some(value), true) = (constant, p["required"] == true) {
                out.push((location, name, value));
            } else if let (Some(example), true) = (p.get("example"), location != "path") {
                out.push((location, name, text(example)));
            }
        }
        if let Some(rpc) = self.op.get("x-rpc") {
            out.push(("header".into(), text(&rpc["header"]), text(&rpc["action"])));
        }
        out
    }

    /// Request-body examples, by name.
    pub fn request_examples(&self) -> Vec<(String, Value)> {
        let body = self.spec.resolve(&self.op["requestBody"]);
        let media = &body["content"]["application/json"];
        let mut out: Vec<(String, Value)> = media["examples"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(name, ex)| (name.clone(), self.spec.resolve(ex)["value"].clone()))
            .collect();
        if let Some(example) = media.get("example") {
            out.push(("example".into(), example.clone()));
        }
        out
    }

    /// The first request-body example, decoded into the generated type.
    pub fn request_body<T: serde::de::DeserializeOwned>(&self) -> T {
        let (name, value) = self
            .request_examples()
            .into_iter()
            .next()
            .expect("a request example");
        serde_json::from_value(value).unwrap_or_else(|e| panic!("request example {name}: {e}"))
    }

    /// Every documented response example (one case without body for body-less statuses).
    pub fn responses(&self) -> Vec<ResponseCase> {
        let mut out = Vec::new();
        for (status, response) in self.op["responses"].as_object().into_iter().flatten() {
            let Ok(code) = status.parse::<u16>() else {
                continue;
            };
            let response = self.spec.resolve(response);
            let media = response["content"]
                .as_object()
                .and_then(|c| c.values().next());
            match media {
                None => out.push(ResponseCase {
                    status: code,
                    name: "(no body)".into(),
                    body: None,
                }),
                Some(media) => {
                    let examples: Vec<(String, Value)> = media["examples"]
                        .as_object()
                        .into_iter()
                        .flatten()
                        .map(|(n, ex)| (n.clone(), self.spec.resolve(ex)["value"].clone()))
                        .chain(
                            media
                                .get("example")
                                .map(|e| ("example".to_owned(), e.clone())),
                        )
                        .collect();
                    assert!(
                        !examples.is_empty(),
                        "{} {status}: the response has no example",
                        self.path_key
                    );
                    for (name, body) in examples {
                        out.push(ResponseCase {
                            status: code,
                            name,
                            body: Some(body),
                        });
                    }
                }
            }
        }
        out
    }

    /// The operation's envelope (own, or the root's), unless switched off.
    pub fn envelope(&self) -> Option<&Value> {
        match self
            .op
            .get("x-envelope")
            .or_else(|| self.spec.raw.get("x-envelope"))
        {
            Some(Value::String(s)) if s == "none" => None,
            other => other,
        }
    }

    /// What the client must return for `case`, worked out from the spec alone.
    pub fn expected(&self, case: &ResponseCase) -> Expected {
        let body = case.body.clone().unwrap_or(Value::Null);
        if !(200..300).contains(&case.status) {
            return Expected::Api(case.status, body);
        }
        let Some(envelope) = self.envelope().filter(|_| case.body.is_some()) else {
            return Expected::Ok(body);
        };
        let at = |key: &str| {
            envelope
                .get(key)
                .and_then(Value::as_str)
                .and_then(|p| body.pointer(p))
        };
        let failed = envelope.get("failure").is_some_and(|f| {
            let value = f["pointer"].as_str().and_then(|p| body.pointer(p));
            if let Some(expected) = f.get("equals") {
                value == Some(expected)
            } else if let Some(expected) = f.get("not-equals") {
                value.is_some_and(|v| v != expected)
            } else {
                value.is_some_and(|v| !v.is_null())
            }
        });
        if failed {
            let text_at = |key: &str| at(key).filter(|v| !v.is_null()).map(text);
            Expected::Failure {
                code: text_at("code"),
                message: text_at("message"),
                request_id: text_at("request-id"),
            }
        } else {
            Expected::Ok(at("payload").cloned().unwrap_or(Value::Null))
        }
    }
}

fn instant(text: &str) -> Option<chrono::DateTime<chrono::FixedOffset>> {
    chrono::DateTime::parse_from_rfc3339(text).ok()
}

/// JSON equality up to what a typed round trip may change: `null` and absent are the same,
/// numbers compare by value, RFC 3339 timestamps by instant.
pub fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let keys: std::collections::BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            keys.into_iter().all(|k| {
                json_eq(
                    x.get(k).unwrap_or(&Value::Null),
                    y.get(k).unwrap_or(&Value::Null),
                )
            })
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| json_eq(p, q))
        }
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::String(x), Value::String(y)) => {
            x == y || matches!((instant(x), instant(y)), (Some(p), Some(q)) if p == q)
        }
        _ => a == b,
    }
}

/// Asserts that `result` is what `expected` says, comparing bodies with [`json_eq`].
pub fn assert_outcome<T: Serialize + Debug, E: Serialize + Debug>(
    result: Result<T, Error<E>>,
    expected: &Expected,
    context: &str,
) {
    match (result, expected) {
        (Ok(value), Expected::Ok(want)) => {
            let got = serde_json::to_value(&value).expect("decoded value serializes");
            assert!(
                json_eq(&got, want),
                "{context}: decoded {got:#} but the example is {want:#}"
            );
        }
        (Err(Error::Api { status, error, .. }), Expected::Api(want_status, want)) => {
            assert_eq!(status, *want_status, "{context}");
            let got = serde_json::to_value(&error).expect("error serializes");
            assert!(
                json_eq(&got, want),
                "{context}: decoded error {got:#} but the example is {want:#}"
            );
        }
        (
            Err(Error::Failure(failure)),
            Expected::Failure {
                code,
                message,
                request_id,
            },
        ) => {
            assert_eq!(&failure.code, code, "{context}: code");
            assert_eq!(&failure.message, message, "{context}: message");
            assert_eq!(&failure.request_id, request_id, "{context}: request id");
        }
        (got, want) => panic!("{context}: expected {want:?}, got {got:?}"),
    }
}

/// One operation's contract: the request it must send and the responses it must decode.
pub struct Contract<'a> {
    op: Operation<'a>,
    context: String,
    auth: Option<(String, String)>,
}

impl<'a> Contract<'a> {
    /// The contract of `operation_id` in `spec`.
    pub fn new(spec: &'a Spec, operation_id: &str) -> Self {
        Self {
            op: spec.operation(operation_id),
            context: format!("{}::{operation_id}", spec.name),
            auth: None,
        }
    }

    /// The request must carry this header value (credentials).
    pub fn auth_header(mut self, name: &str, value: &str) -> Self {
        self.auth = Some((name.to_owned(), value.to_owned()));
        self
    }

    /// The operation.
    pub fn operation(&self) -> &Operation<'a> {
        &self.op
    }

    /// For every documented response example: serve it to a request shaped as the spec says,
    /// call the client (`call` gets the mock server's base URL), and check what it decoded.
    /// Returns how many cases ran.
    pub async fn run<F, Fut, T, E>(&self, call: F) -> usize
    where
        F: Fn(String) -> Fut,
        Fut: Future<Output = Result<T, Error<E>>>,
        T: Serialize + Debug,
        E: Serialize + Debug,
    {
        let cases = self.op.responses();
        assert!(
            !cases.is_empty(),
            "{}: no documented responses",
            self.context
        );
        for case in &cases {
            let context = format!("{} -> {} {}", self.context, case.status, case.name);
            let server = MockServer::start().await;
            let mut mock =
                Mock::given(method(self.op.method.as_str())).and(path(self.op.request_path()));
            for (location, name, value) in self.op.expected_params() {
                mock = match location.as_str() {
                    "query" => mock.and(query_param(name, value)),
                    "header" => mock.and(header(name.as_str(), value.as_str())),
                    _ => mock,
                };
            }
            if let Some((name, value)) = &self.auth {
                mock = mock.and(header(name.as_str(), value.as_str()));
            }
            if let Some((_, body)) = self.op.request_examples().into_iter().next() {
                mock = mock.and(body_json(body));
            }
            let mut template = ResponseTemplate::new(case.status);
            if let Some(body) = &case.body {
                template = template.set_body_json(body.clone());
            }
            mock.respond_with(template)
                .expect(1)
                .named(context.clone())
                .mount(&server)
                .await;
            let result = call(server.uri()).await;
            server.verify().await;
            assert_outcome(result, &self.op.expected(case), &context);
        }
        cases.len()
    }
}
