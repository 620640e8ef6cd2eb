//! Typed mock servers over loopback for testing code that uses the generated clients (the
//! `mock` feature), built on [`wiremock`].
//!
//! Each generated module has a `mock::MockServer` with one method per operation; they all
//! return an [`Expect`] whose body and error types are the operation's. This module holds the
//! behaviour they share: routes, envelopes, default answers from the spec's examples.

use crate::envelope::{Envelope, FailureTest};
use crate::{Config, RateLimits, RetryPolicy};
use serde::Serialize;
use serde_json::Value;
use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

pub use wiremock;

/// A loopback HTTP server answering as the expectations mounted on it say.
///
/// Dropping it checks every expectation given a [`Expect::times`] (and panics when one is
/// unmet); [`MockServer::verify`] checks them earlier.
///
/// A request that matches no expectation is answered `418` with a JSON `message` naming the
/// request and the nearest expectation's mismatch (the client shows it as an unexpected
/// status, "the server says ..."), and [`MockServer::verify`] fails listing such requests.
#[derive(Debug)]
pub struct MockServer {
    server: wiremock::MockServer,
    ledger: Arc<Ledger>,
}

/// What the fallback answer needs: the expectations mounted, the requests none matched.
#[derive(Debug, Default)]
struct Ledger {
    mounted: Mutex<Vec<Mounted>>,
    unmatched: Mutex<Vec<String>>,
}

/// An expectation as the fallback describes it.
#[derive(Debug, Clone)]
struct Mounted {
    operation: &'static str,
    method: &'static str,
    template: &'static str,
    path_values: Vec<(String, String)>,
}

/// The status of the answer to a request that matches no expectation: one no spec here
/// documents, so the client reports it as unexpected, with the message.
pub const UNMATCHED_STATUS: u16 = 418;

/// Answers requests that no expectation matched (mounted at the lowest priority).
struct Fallback(Arc<Ledger>);

impl wiremock::Respond for Fallback {
    fn respond(&self, request: &wiremock::Request) -> wiremock::ResponseTemplate {
        // The path only: a query may carry a credential.
        let call = format!("{} {}", request.method, request.url.path());
        let mounted = self.0.mounted.lock().map(|m| m.clone()).unwrap_or_default();
        let nearest = nearest_mismatch(&mounted, request.method.as_str(), request.url.path());
        let message = format!("no mock expectation matched {call}: {nearest}");
        if let Ok(mut unmatched) = self.0.unmatched.lock() {
            unmatched.push(message.clone());
        }
        wiremock::ResponseTemplate::new(UNMATCHED_STATUS)
            .set_body_json(serde_json::json!({ "message": message }))
    }
}

/// What keeps the nearest expectation (same method and path first, then same path, then
/// same method) from matching.
fn nearest_mismatch(mounted: &[Mounted], method: &str, path: &str) -> String {
    let scored = mounted.iter().rev().max_by_key(|m| {
        let same_method = m.method.eq_ignore_ascii_case(method);
        (path_matches(m.template, &m.path_values, path), same_method)
    });
    let Some(m) = scored else {
        return "no expectation is mounted".to_owned();
    };
    let same_method = m.method.eq_ignore_ascii_case(method);
    let values = m
        .path_values
        .iter()
        .map(|(name, value)| format!(" {name}={value:?}"))
        .collect::<String>();
    match (path_matches(m.template, &m.path_values, path), same_method) {
        (true, true) => format!(
            "the nearest, {} ({} {}), matches the method and path; its query, header or body \
             matchers differ",
            m.operation, m.method, m.template
        ),
        (true, false) => format!(
            "the nearest, {}, expects {} {}",
            m.operation, m.method, m.template
        ),
        (false, _) => format!(
            "the nearest, {}, expects {} {}{}",
            m.operation,
            m.method,
            m.template,
            if values.is_empty() {
                String::new()
            } else {
                format!(" with{values}")
            }
        ),
    }
}

/// Whether `path` fits `template`, with the given parameters' values (percent-encoded as the
/// client sends them) and any other parameter as one non-empty segment.
fn path_matches(template: &str, values: &[(String, String)], path: &str) -> bool {
    let (want, got): (Vec<_>, Vec<_>) = (template.split('/').collect(), path.split('/').collect());
    want.len() == got.len()
        && want.iter().zip(&got).all(|(want, got)| {
            match want.strip_prefix('{').and_then(|w| w.strip_suffix('}')) {
                None => want == got,
                Some(name) => match values.iter().rev().find(|(n, _)| n == name) {
                    Some((_, value)) => crate::path_segment(value) == *got,
                    None => !got.is_empty(),
                },
            }
        })
}

impl MockServer {
    /// Starts a server on a free loopback port.
    pub async fn start() -> Self {
        let server = wiremock::MockServer::start().await;
        let ledger = Arc::new(Ledger::default());
        wiremock::Mock::given(wiremock::matchers::any())
            .respond_with(Fallback(ledger.clone()))
            .with_priority(u8::MAX)
            .named("no expectation matched")
            .mount(&server)
            .await;
        Self { server, ledger }
    }

    /// Its base URL (`http://127.0.0.1:<port>`).
    pub fn base_url(&self) -> String {
        self.server.uri()
    }

    /// Settings for a client pointed at it: no retries, no client-side rate limits, so each
    /// call is one request and tests do not wait.
    pub fn config(&self) -> Config {
        Config::default()
            .retry(RetryPolicy::disabled())
            .rate_limits(RateLimits::disabled())
    }

    /// Panics, listing them, when an expectation given [`Expect::times`] was not met or a
    /// request matched no expectation (each with the nearest expectation's mismatch).
    pub async fn verify(&self) {
        self.server.verify().await;
        let unmatched = self
            .ledger
            .unmatched
            .lock()
            .map(|u| u.clone())
            .unwrap_or_default();
        if !unmatched.is_empty() {
            panic!(
                "{} request(s) matched no mock expectation:\n- {}",
                unmatched.len(),
                unmatched.join("\n- ")
            );
        }
    }

    /// Every request received so far, in order.
    pub async fn received_requests(&self) -> Vec<wiremock::Request> {
        self.server.received_requests().await.unwrap_or_default()
    }

    /// The underlying [`wiremock::MockServer`], to mount mocks of your own.
    pub fn wiremock(&self) -> &wiremock::MockServer {
        &self.server
    }

    /// An expectation on `route`, answered with the spec's example until told otherwise.
    /// Generated code calls this; `T` is the operation's success type, `E` its error enum.
    pub fn expect<T, E>(&self, route: Route<T, E>) -> Expect<'_, T, E> {
        let mut builder = wiremock::Mock::given(wiremock::matchers::method(route.method));
        for (name, value) in route.headers {
            builder = builder.and(wiremock::matchers::header(*name, *value));
        }
        let reply = Reply {
            status: route.status,
            body: route
                .example
                .map(|e| e.as_bytes().to_vec())
                .unwrap_or_default(),
            media: route.media.unwrap_or("application/json"),
        };
        Expect {
            server: self,
            builder,
            path_values: Vec::new(),
            reply,
            times: None,
            route,
            types: PhantomData,
        }
    }
}

/// Headers every request may carry besides those an operation declares.
const RUNTIME_HEADERS: [&str; 4] = ["content-type", "user-agent", "accept", "accept-encoding"];

/// Panics, naming the operation and what it has, when `name` is not among `known`: an
/// expectation on a name the operation never sends matches nothing, and a test pinning it
/// would fail far from the mistake (or pass, if the call was not meant to match).
#[track_caller]
fn refuse_unknown(operation: &str, what: &str, name: &str, known: &[&str]) {
    if !known.contains(&name) {
        panic!(
            "{operation}: the operation has no {what} {name:?} (it has: {})",
            if known.is_empty() {
                "none".to_owned()
            } else {
                known.join(", ")
            }
        );
    }
}

/// How a body of one status is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// JSON.
    Json,
    /// Text, with this media type.
    Text(&'static str),
    /// Bytes, with this media type.
    Binary(&'static str),
}

/// What generated code knows of an operation, for its mock.
#[derive(Debug)]
pub struct Route<T, E> {
    /// The `operationId`, to name the expectation in failures.
    pub operation: &'static str,
    /// The HTTP method.
    pub method: &'static str,
    /// The path template (`/tokens/{id}`).
    pub path: &'static str,
    /// Headers with fixed values the request carries (`x-rpc` actions): matched.
    pub headers: &'static [(&'static str, &'static str)],
    /// The headers the operation declares (parameters, client settings, fixed headers, an
    /// idempotency key, API keys); those the runtime always owns are known without it.
    pub header_names: &'static [&'static str],
    /// Every query name a request may carry (parameters, client settings, API keys); `None`
    /// when an object parameter spreads its properties into the query.
    pub query: Option<&'static [&'static str]>,
    /// The top-level properties of the request body, when it is an object with known ones.
    pub body_fields: Option<&'static [&'static str]>,
    /// The documented success status.
    pub status: u16,
    /// Media type of the default answer (`None`: no body).
    pub media: Option<&'static str>,
    /// The spec's example of the success body as sent (envelope included).
    pub example: Option<&'static str>,
    /// The envelope the success is wrapped in.
    pub envelope: Option<Envelope>,
    /// The status and encoding of a success value (several successes differ by status).
    pub success: fn(&T) -> (u16, Encoding),
    /// The status and encoding of an error value.
    pub error: fn(&E) -> (u16, Encoding),
}

#[derive(Debug)]
struct Reply {
    status: u16,
    body: Vec<u8>,
    media: &'static str,
}

/// An expectation on one operation: which requests it matches, what it answers, and how
/// many times it must be called. Mounted on the server by `.await`.
#[must_use = "an expectation does nothing until it is mounted with `.await`"]
pub struct Expect<'a, T, E> {
    server: &'a MockServer,
    route: Route<T, E>,
    builder: wiremock::MockBuilder,
    path_values: Vec<(String, String)>,
    reply: Reply,
    times: Option<wiremock::Times>,
    types: PhantomData<fn(T, E)>,
}

impl<T: Serialize, E: Serialize> Expect<'_, T, E> {
    /// Answers with this success body (wrapped in the spec's envelope, if it has one).
    pub fn respond_with(mut self, body: T) -> Self {
        let (status, encoding) = (self.route.success)(&body);
        let value = serde_json::to_value(&body).unwrap_or(Value::Null);
        let value = match (&self.route.envelope, encoding) {
            (Some(envelope), Encoding::Json) => wrap_success(envelope, self.route.example, value),
            _ => value,
        };
        self.reply = encode(status, encoding, value);
        self
    }

    /// Answers with this documented error: its status and its body.
    pub fn respond_error(mut self, error: E) -> Self {
        let (status, encoding) = (self.route.error)(&error);
        let value = serde_json::to_value(&error).unwrap_or(Value::Null);
        self.reply = encode(status, encoding, value);
        self
    }

    /// Answers with a failure reported inside a 2xx body, as the spec's envelope words one
    /// (the client returns `runtime::Error::Failure` with this code and message). Without an
    /// envelope, answers 500 with the code and message as JSON.
    pub fn respond_failure(mut self, code: impl Into<Value>, message: &str) -> Self {
        let code = code.into();
        self.reply = match &self.route.envelope {
            Some(envelope) => encode(
                self.route.status,
                Encoding::Json,
                wrap_failure(envelope, code, message),
            ),
            None => encode(
                500,
                Encoding::Json,
                serde_json::json!({ "code": code, "message": message }),
            ),
        };
        self
    }

    /// Answers with any status and JSON body, as is (no envelope).
    pub fn respond_json(mut self, status: u16, body: impl Serialize) -> Self {
        let value = serde_json::to_value(body).unwrap_or(Value::Null);
        self.reply = encode(status, Encoding::Json, value);
        self
    }

    /// Matches only requests whose path parameter `name` (as the spec spells it) is `value`.
    ///
    /// # Panics
    ///
    /// When the operation's path has no parameter `name`: an expectation that names one
    /// would otherwise match any value, and the test pinning it would pass whatever the code
    /// sends. The message lists the parameters the path has.
    #[track_caller]
    pub fn path_param(mut self, name: &str, value: impl ToString) -> Self {
        let template = self.route.path;
        let known: Vec<&str> = template
            .split('/')
            .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .collect();
        if !known.contains(&name) {
            panic!(
                "{}: the path {template} has no parameter {name:?} (it has: {})",
                self.route.operation,
                if known.is_empty() {
                    "none".to_owned()
                } else {
                    known.join(", ")
                }
            );
        }
        self.path_values.push((name.to_owned(), value.to_string()));
        self
    }

    /// Matches only requests with this query parameter.
    ///
    /// # Panics
    ///
    /// When the operation sends no query parameter `name` (as the spec spells it): the
    /// expectation could never match, and the message lists the names it has.
    #[track_caller]
    pub fn query_param(mut self, name: &str, value: &str) -> Self {
        if let Some(known) = self.route.query {
            refuse_unknown(self.route.operation, "query parameter", name, known);
        }
        self.builder = self
            .builder
            .and(wiremock::matchers::query_param(name, value));
        self
    }

    /// Matches only requests with this header.
    ///
    /// # Panics
    ///
    /// When the operation sends no header `name` (case does not matter): neither one it
    /// declares nor one the runtime adds (`authorization`, `content-type`, a signature's). The
    /// message lists the ones it declares.
    #[track_caller]
    pub fn header(mut self, name: &str, value: &str) -> Self {
        let is = |other: &&str| name.eq_ignore_ascii_case(other);
        let owned = RUNTIME_HEADERS.iter().any(is) || crate::hooks::runtime_owned(name);
        if !owned && !self.route.header_names.iter().any(is) {
            refuse_unknown(
                self.route.operation,
                "header",
                name,
                self.route.header_names,
            );
        }
        self.builder = self.builder.and(wiremock::matchers::header(name, value));
        self
    }

    /// Matches only requests whose JSON body contains `body` (extra fields allowed).
    ///
    /// # Panics
    ///
    /// When a top-level property of `body` is not one the operation's body has (as the spec
    /// spells it): the expectation could never match, and the message lists the properties.
    #[track_caller]
    pub fn body_contains(mut self, body: impl Serialize) -> Self {
        let value = serde_json::to_value(&body).unwrap_or(Value::Null);
        if let (Some(known), Value::Object(given)) = (self.route.body_fields, &value) {
            for name in given.keys() {
                refuse_unknown(self.route.operation, "body property", name, known);
            }
        }
        self.builder = self
            .builder
            .and(wiremock::matchers::body_partial_json(value));
        self
    }

    /// The expectation must be met this many times (`1`, `2..`, `..=3`): checked by
    /// [`MockServer::verify`] and when the server is dropped.
    pub fn times(mut self, times: impl Into<wiremock::Times>) -> Self {
        self.times = Some(times.into());
        self
    }

    /// Mounts the expectation (what `.await` does).
    pub async fn mount(self) {
        let path = path_pattern(self.route.path, &self.path_values);
        let template = wiremock::ResponseTemplate::new(self.reply.status)
            .set_body_raw(self.reply.body, self.reply.media);
        let mut mock = self
            .builder
            .and(wiremock::matchers::path_regex(path))
            .respond_with(template)
            .named(self.route.operation);
        if let Some(times) = self.times {
            mock = mock.expect(times);
        }
        if let Ok(mut mounted) = self.server.ledger.mounted.lock() {
            mounted.push(Mounted {
                operation: self.route.operation,
                method: self.route.method,
                template: self.route.path,
                path_values: self.path_values,
            });
        }
        self.server.server.register(mock).await;
    }
}

impl<'a, T: Serialize + 'a, E: Serialize + 'a> IntoFuture for Expect<'a, T, E> {
    type Output = ();
    type IntoFuture = Pin<Box<dyn Future<Output = ()> + Send + 'a>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.mount())
    }
}

impl<T, E> std::fmt::Debug for Expect<'_, T, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Expect")
            .field("operation", &self.route.operation)
            .field("status", &self.reply.status)
            .finish_non_exhaustive()
    }
}

/// A body as sent: JSON text, or a text or byte body taken from its serialized form.
fn encode(status: u16, encoding: Encoding, value: Value) -> Reply {
    match (encoding, value) {
        (_, Value::Null) => Reply {
            status,
            body: Vec::new(),
            media: "application/json",
        },
        (Encoding::Text(media), Value::String(text)) => Reply {
            status,
            body: text.into_bytes(),
            media,
        },
        (Encoding::Binary(media), Value::Array(items)) => Reply {
            status,
            body: items
                .iter()
                .filter_map(|v| v.as_u64().and_then(|b| u8::try_from(b).ok()))
                .collect(),
            media,
        },
        (_, value) => Reply {
            status,
            body: value.to_string().into_bytes(),
            media: "application/json",
        },
    }
}

/// A regex matching the path with the given parameters substituted (percent-encoded as the
/// client sends them) and any other parameter as one segment.
fn path_pattern(template: &str, values: &[(String, String)]) -> String {
    let mut pattern = String::from("^");
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        pattern.push_str(&escape(&rest[..start]));
        let end = rest[start..].find('}').map_or(rest.len(), |e| start + e);
        let name = &rest[start + 1..end];
        match values.iter().rev().find(|(n, _)| n == name) {
            Some((_, value)) => pattern.push_str(&escape(&crate::path_segment(value))),
            None => pattern.push_str("[^/]+"),
        }
        rest = &rest[(end + 1).min(rest.len())..];
    }
    pattern.push_str(&escape(rest));
    pattern.push('$');
    pattern
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if "\\.+*?()|[]{}^$#&-~".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Sets the value at `pointer` (`/a/b`), creating the objects on the way.
fn set(body: &mut Value, pointer: &str, value: Value) {
    if pointer.is_empty() {
        *body = value;
        return;
    }
    let mut at = body;
    for token in pointer.trim_start_matches('/').split('/') {
        let key = token.replace("~1", "/").replace("~0", "~");
        if !at.is_object() {
            *at = Value::Object(serde_json::Map::new());
        }
        let Value::Object(map) = at else { return };
        at = map.entry(key).or_insert(Value::Null);
    }
    *at = value;
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or(Value::Null)
}

/// A value other than `value`, of the same JSON kind where there is one.
fn other_than(value: &Value) -> Value {
    match value {
        Value::Bool(b) => Value::Bool(!b),
        Value::Number(n) => serde_json::json!(n.as_i64().map_or(0, |n| n.wrapping_add(1))),
        Value::String(s) => Value::String(format!("not {s}")),
        _ => Value::Bool(true),
    }
}

/// The payload in the envelope: the spec's success example around it (or an empty object),
/// the payload replaced whole, the failure test made false, and every pointer the spec
/// requires present (the example's value, else `"mock"`).
fn wrap_success(envelope: &Envelope, example: Option<&str>, payload: Value) -> Value {
    let example = example.map(json).filter(Value::is_object);
    let mut body = example
        .clone()
        .unwrap_or_else(|| Value::Object(serde_json::Map::new()));
    set(&mut body, envelope.payload, payload);
    match envelope.failure {
        Some(FailureTest::Present { pointer }) if body.pointer(pointer).is_some() => {
            set(&mut body, pointer, Value::Null);
        }
        Some(FailureTest::Equals { pointer, value }) => {
            let failing = json(value);
            if body.pointer(pointer).is_none_or(|v| *v == failing) {
                set(&mut body, pointer, other_than(&failing));
            }
        }
        Some(FailureTest::NotEquals { pointer, value }) => set(&mut body, pointer, json(value)),
        _ => {}
    }
    for pointer in envelope.required.iter().chain(&envelope.request_id) {
        if body.pointer(pointer).is_none_or(Value::is_null) {
            let from_example = example.as_ref().and_then(|e| e.pointer(pointer)).cloned();
            let value = from_example.unwrap_or_else(|| Value::String("mock".to_owned()));
            set(&mut body, pointer, value);
        }
    }
    body
}

/// A failure as the envelope words it: code and message at their pointers, the failure
/// test made true.
fn wrap_failure(envelope: &Envelope, code: Value, message: &str) -> Value {
    let mut body = Value::Object(serde_json::Map::new());
    if let Some(pointer) = envelope.code {
        set(&mut body, pointer, code.clone());
    }
    if let Some(pointer) = envelope.message {
        set(&mut body, pointer, Value::String(message.to_owned()));
    }
    if let Some(pointer) = envelope.request_id {
        set(
            &mut body,
            pointer,
            Value::String("mock-request-id".to_owned()),
        );
    }
    match envelope.failure {
        Some(FailureTest::Present { pointer })
            if body.pointer(pointer).is_none_or(Value::is_null) =>
        {
            set(&mut body, pointer, serde_json::json!({}));
        }
        Some(FailureTest::Equals { pointer, value }) => set(&mut body, pointer, json(value)),
        Some(FailureTest::NotEquals { pointer, value }) => {
            let passing = json(value);
            if body.pointer(pointer).is_none_or(|v| *v == passing) {
                set(&mut body, pointer, other_than(&passing));
            }
        }
        _ => {}
    }
    body
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const TC3: Envelope = Envelope {
        payload: "/Response",
        failure: Some(FailureTest::Present {
            pointer: "/Response/Error",
        }),
        code: Some("/Response/Error/Code"),
        message: Some("/Response/Error/Message"),
        request_id: Some("/Response/RequestId"),
        required: &["/Response", "/Response/RequestId"],
    };

    const CODE: Envelope = Envelope {
        payload: "/data",
        failure: Some(FailureTest::NotEquals {
            pointer: "/code",
            value: "0",
        }),
        code: Some("/code"),
        message: Some("/msg"),
        request_id: None,
        required: &["/code"],
    };

    #[test]
    fn successes_are_wrapped_around_the_example() {
        let body = wrap_success(
            &TC3,
            Some(r#"{"Response":{"RequestId":"r-1","ApiToken":"old","Extra":1}}"#),
            json!({"ApiToken": "new"}),
        );
        assert_eq!(
            body,
            json!({"Response": {"ApiToken": "new", "RequestId": "r-1"}})
        );
        let body = wrap_success(&CODE, None, json!([1, 2]));
        assert_eq!(body, json!({"data": [1, 2], "code": 0}));
    }

    #[test]
    fn failures_make_the_failure_test_hold() {
        let body = wrap_failure(&TC3, json!("AuthFailure"), "no");
        assert_eq!(
            body,
            json!({"Response": {"Error": {"Code": "AuthFailure", "Message": "no"}, "RequestId": "mock-request-id"}})
        );
        assert_eq!(wrap_failure(&CODE, json!(0), "no")["code"], json!(1));
        assert_eq!(wrap_failure(&CODE, json!(401), "no")["code"], json!(401));
    }

    #[test]
    fn paths_match_the_encoded_values() {
        assert_eq!(
            path_pattern("/t/{id}/x/{y}", &[("id".into(), "a b".into())]),
            "^/t/a%20b/x/[^/]+$"
        );
        assert_eq!(path_pattern("/", &[]), "^/$");
    }
}
