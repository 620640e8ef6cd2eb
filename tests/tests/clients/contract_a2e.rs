//! A2E API token management: every operation over loopback HTTP, success, failures reported
//! inside HTTP 200 (`code` not 0) and every documented error status, against the spec's own
//! examples. Also checks that the generated rustdoc carries the spec's `x-unverified` warnings
//! and `deprecated` markers.

use api_token_clients::a2e::{types, Client, Credentials};
use serde_json::Value;
use tests::{config, root, Contract, Spec};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const LOGIN_TOKEN: &str = "login-token-eyJhbGciOiJIUzI1NiJ9";
/// Token management authenticates with the login token, never with the API token.
const AUTHORIZATION: &str = "Bearer login-token-eyJhbGciOiJIUzI1NiJ9";
const API_TOKEN: &str = "sk_not_for_token_management";

fn client(base: &str) -> Client {
    let credentials = Credentials::default()
        .with_login_token(LOGIN_TOKEN)
        .with_api_token(API_TOKEN);
    Client::new(base, credentials, config()).expect("client")
}

fn spec() -> Spec {
    Spec::load("a2e")
}

#[tokio::test]
async fn obtain_login_token() {
    let spec = spec();
    // `security: []`: no credentials are required (see `login_sends_no_credentials`).
    let contract = Contract::new(&spec, "obtainLoginToken");
    let body: types::ObtainLoginTokenRequest = contract.operation().request_body();
    let cases = contract
        .run(|base| {
            let body = body.clone();
            async move { client(&base).obtain_login_token(&body).await }
        })
        .await;
    assert!(cases >= 3, "200, 200 (code 1), 401 at least; ran {cases}");
}

#[tokio::test]
#[allow(deprecated)]
async fn generate_api_token() {
    let spec = spec();
    let contract =
        Contract::new(&spec, "generateApiToken").auth_header("authorization", AUTHORIZATION);
    let body: types::GenerateApiTokenRequest = contract.operation().request_body();
    let cases = contract
        .run(|base| {
            let body = body.clone();
            async move { client(&base).generate_api_token(&body).await }
        })
        .await;
    assert!(cases >= 3, "200, 200 (code 1), 401 at least; ran {cases}");
}

#[tokio::test]
#[allow(deprecated)]
async fn delete_api_token() {
    let spec = spec();
    let contract =
        Contract::new(&spec, "deleteApiToken").auth_header("authorization", AUTHORIZATION);
    let body: types::DeleteApiTokenRequest = contract.operation().request_body();
    let cases = contract
        .run(|base| {
            let body = body.clone();
            async move { client(&base).delete_api_token(&body).await }
        })
        .await;
    assert!(cases >= 3, "200, 200 (code 1), 401 at least; ran {cases}");
}

#[tokio::test]
async fn list_api_tokens() {
    let spec = spec();
    let contract =
        Contract::new(&spec, "listApiTokens").auth_header("authorization", AUTHORIZATION);
    let cases = contract
        .run(|base| async move { client(&base).list_api_tokens().await })
        .await;
    assert!(cases >= 3, "200, 200 (code 1), 401 at least; ran {cases}");
}

#[tokio::test]
async fn get_api_token2025() {
    let spec = spec();
    let contract =
        Contract::new(&spec, "getApiToken2025").auth_header("authorization", AUTHORIZATION);
    let cases = contract
        .run(|base| async move { client(&base).get_api_token2025().await })
        .await;
    assert!(cases >= 3, "200, 200 (code 1), 401 at least; ran {cases}");
}

/// The login call is declared with `security: []`: it must not send either token the client holds.
#[tokio::test]
async fn login_sends_no_credentials() {
    let spec = spec();
    let op = spec.operation("obtainLoginToken");
    let case = op.responses().into_iter().next().expect("a response");
    let server = MockServer::start().await;
    Mock::given(method(op.method.as_str()))
        .and(path(op.request_path()))
        .respond_with(ResponseTemplate::new(case.status).set_body_json(case.body))
        .expect(1)
        .mount(&server)
        .await;
    let body: types::ObtainLoginTokenRequest = op.request_body();
    client(&server.uri())
        .obtain_login_token(&body)
        .await
        .expect("login");
    let received = server.received_requests().await.expect("recording on");
    assert_eq!(received.len(), 1);
    assert!(received[0].headers.get("authorization").is_none());
}

#[test]
fn every_operation_has_a_contract_test() {
    let tested = [
        "obtainLoginToken",
        "generateApiToken",
        "deleteApiToken",
        "listApiTokens",
        "getApiToken2025",
    ];
    assert_eq!(spec().operation_ids(), tested);
}

/// `getApiToken2025` -> `get_api_token2025`, as the generator names methods.
fn snake_case(id: &str) -> String {
    let mut out = String::new();
    for (i, c) in id.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// The doc comment lines and attributes right above `pub async fn <name>(`.
fn method_preamble(source: &str, name: &str) -> (Vec<String>, Vec<String>) {
    let lines: Vec<&str> = source.lines().collect();
    let signature = format!("pub async fn {name}(");
    let at = lines
        .iter()
        .position(|l| l.trim_start().starts_with(&signature))
        .unwrap_or_else(|| panic!("generated/src/a2e.rs has no `{signature}`"));
    let mut docs = Vec::new();
    let mut attributes = Vec::new();
    for line in lines[..at].iter().rev() {
        let line = line.trim();
        if let Some(doc) = line.strip_prefix("///") {
            docs.push(doc.strip_prefix(' ').unwrap_or(doc).to_owned());
        } else if line.starts_with("#[") {
            attributes.push(line.to_owned());
        } else {
            break;
        }
    }
    docs.reverse();
    attributes.reverse();
    (docs, attributes)
}

fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn rustdoc_carries_unverified_warnings_and_deprecation() {
    const WARNING: &str = "**Warning: unverified.**";
    let spec = spec();
    let source = std::fs::read_to_string(root().join("generated/src/a2e.rs")).expect("a2e.rs");
    let mut unverified = Vec::new();
    let mut deprecated = Vec::new();
    for id in spec.operation_ids() {
        let op = spec.raw["paths"]
            .as_object()
            .into_iter()
            .flat_map(|paths| paths.values())
            .flat_map(|item| item.as_object().into_iter().flat_map(|m| m.values()))
            .find(|op| op["operationId"] == id.as_str())
            .expect("operation");
        let name = snake_case(&id);
        let (docs, attributes) = method_preamble(&source, &name);
        let doc = docs.join("\n");

        match op.get("x-unverified").and_then(Value::as_str) {
            Some(reason) => {
                unverified.push(id.clone());
                // The warning opens the docs (so rustdoc's listing shows it) and quotes the reason.
                let paragraphs: Vec<&str> = doc.split("\n\n").collect();
                assert!(
                    paragraphs[0].starts_with(WARNING),
                    "{name}: the warning must open the docs:\n{doc}"
                );
                assert!(
                    squash(paragraphs[0]).contains(&squash(reason)),
                    "{name}: the warning must quote the x-unverified reason {reason:?}:\n{doc}"
                );
            }
            None => assert!(
                !doc.contains(WARNING),
                "{name} is verified but warns:\n{doc}"
            ),
        }

        let is_deprecated = attributes.iter().any(|a| a.starts_with("#[deprecated"));
        if op["deprecated"] == true {
            deprecated.push(id.clone());
            assert!(is_deprecated, "{name}: no #[deprecated] in {attributes:?}");
        } else {
            assert!(!is_deprecated, "{name} is not deprecated in the spec");
        }
    }
    assert_eq!(
        unverified,
        ["obtainLoginToken", "listApiTokens", "getApiToken2025"]
    );
    assert_eq!(deprecated, ["generateApiToken", "deleteApiToken"]);
}

fn decodes<T: serde::de::DeserializeOwned>(body: &Value) -> Result<(), String> {
    serde_json::from_value::<T>(body.clone())
        .map(drop)
        .map_err(|e| e.to_string())
}

/// The spec's 200 schemas describe the whole body, envelope included, and mark `data` nullable
/// (`null` in failures): the generated envelope types must decode every documented 200 body,
/// failures included.
#[test]
fn envelope_types_decode_every_documented_body() {
    let spec = spec();
    let mut checked = 0;
    for id in spec.operation_ids() {
        for case in spec.operation(&id).responses() {
            let body = case.body.expect("a body");
            let decoded = match (id.as_str(), case.status) {
                ("obtainLoginToken", 200) => decodes::<types::LoginTokenEnvelope>(&body),
                ("generateApiToken", 200) => decodes::<types::GeneratedApiTokenEnvelope>(&body),
                ("deleteApiToken", 200) => decodes::<types::DeleteApiTokenEnvelope>(&body),
                ("listApiTokens", 200) => decodes::<types::ApiTokenListEnvelope>(&body),
                ("getApiToken2025", 200) => decodes::<types::ApiToken2025Envelope>(&body),
                (_, 401) => decodes::<types::ErrorEnvelope>(&body),
                (id, status) => panic!("{id} {status}: no envelope type listed here"),
            };
            if let Err(e) = decoded {
                panic!("{id} {} {}: {e}\n{body:#}", case.status, case.name);
            }
            checked += 1;
        }
    }
    assert!(checked >= 15, "checked {checked}");
}
