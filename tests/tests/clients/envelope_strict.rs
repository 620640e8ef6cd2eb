//! Strict envelopes over loopback: a 2xx body without the discriminator the spec requires, or
//! whose discriminator is of another JSON kind, is not the vendor's answer (a gateway's JSON,
//! say). It is an error with the status and an excerpt, never a success.

use api_token_clients::runtime::{Error, Secret};
use api_token_clients::{a2e, cellcast};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn answering(body: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(200).set_body_raw(body.to_owned(), "application/json"))
        .mount(&server)
        .await;
    server
}

fn a2e_client(base: &str) -> a2e::Client {
    let credentials = a2e::Credentials::default().with_login_token(Secret::new("login"));
    a2e::Client::new(base, credentials, tests::config()).unwrap()
}

fn cellcast_client(base: &str) -> cellcast::Client {
    let credentials = cellcast::Credentials::default().with_bearer(Secret::new("bearer"));
    cellcast::Client::new(base, credentials, tests::config()).unwrap()
}

fn assert_mismatch<T: std::fmt::Debug, E: std::fmt::Debug>(
    result: Result<T, Error<E>>,
    reason: &str,
    excerpt: &str,
) {
    match result {
        Err(Error::Decode {
            operation,
            status,
            reason: got,
            body,
        }) => {
            assert!(["listApiTokens", "verifyToken"].contains(&operation));
            assert_eq!(status, 200);
            assert!(got.contains(reason), "{got}");
            assert!(body.to_string().contains(excerpt), "{body}");
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }
}

#[tokio::test]
async fn a2e_without_code_is_an_error() {
    let server = answering(r#"{"msg":"m","data":null}"#).await;
    let result = a2e_client(&server.uri()).list_api_tokens().await;
    assert_mismatch(result, "`/code` is absent", r#""msg":"m""#);
}

#[tokio::test]
async fn cellcast_without_status_is_an_error() {
    let server = answering(r#"{"data":{"valid":true}}"#).await;
    let result = cellcast_client(&server.uri()).verify_token().await;
    assert_mismatch(result, "`/status` is absent", r#"{"data""#);
}

#[tokio::test]
async fn a_discriminator_of_another_kind_is_an_error() {
    // `"false"` is not `false`: compared as is, the failure would pass for a success.
    let server = answering(r#"{"status":"false","message":"no","data":{}}"#).await;
    let result = cellcast_client(&server.uri()).verify_token().await;
    assert_mismatch(result, "`/status` is a string", r#""status":"false""#);
}

#[tokio::test]
async fn a_failure_without_payload_is_still_the_vendor_s_failure() {
    let server = answering(r#"{"code":1001,"msg":"token expired"}"#).await;
    match a2e_client(&server.uri()).list_api_tokens().await {
        Err(Error::Failure(failure)) => {
            assert_eq!(failure.code.as_deref(), Some("1001"));
            assert_eq!(failure.message.as_deref(), Some("token expired"));
        }
        other => panic!("expected Error::Failure, got {other:?}"),
    }
}

#[tokio::test]
async fn a_body_missing_the_required_payload_is_an_error() {
    let server = answering(r#"{"status":true,"message":"ok"}"#).await;
    let result = cellcast_client(&server.uri()).verify_token().await;
    assert_mismatch(result, "`/data` is absent", r#""status":true"#);
}
