//! An operation whose spec declares an idempotency key (`x-idempotency-key`, the corpus's
//! `idempotency_key.yaml`) is a POST that may be retried: every call sends one key, the same on
//! each retry, and a new one on the next call; a caller's own key goes through `CallOptions`.
//! A POST without one is still sent once.

use api_token_clients::runtime::{CallOptions, Config, Error, RetryPolicy};
use corpus::idempotency_key::types::{self, CreateChargeParams};
use corpus::idempotency_key::{Client, Credentials};
use std::time::Duration;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const CHARGE: &str = r#"{"id":"ch_1","amount":5}"#;

fn client(base: &str) -> Client {
    let config = Config::default().retry(
        RetryPolicy::default()
            .max_attempts(3)
            .base_delay(Duration::from_millis(10)),
    );
    Client::new(base, Credentials::default(), config).unwrap()
}

/// Answers `POST path` with 503 twice, then 201.
async fn flaky(server: &MockServer, route: &str) {
    Mock::given(method("POST"))
        .and(path(route))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(2)
        .with_priority(1)
        .mount(server)
        .await;
    Mock::given(method("POST"))
        .and(path(route))
        .respond_with(ResponseTemplate::new(201).set_body_raw(CHARGE, "application/json"))
        .with_priority(2)
        .mount(server)
        .await;
}

/// The `Idempotency-Key` of every request the server received, in order.
async fn keys(server: &MockServer) -> Vec<Option<String>> {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .map(|r| {
            r.headers
                .get("idempotency-key")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        })
        .collect()
}

fn params() -> CreateChargeParams {
    CreateChargeParams::new()
}

#[tokio::test]
async fn a_post_with_a_declared_key_is_retried_with_the_same_key() {
    let server = MockServer::start().await;
    flaky(&server, "/charges").await;
    let client = client(&server.uri());
    let charge = client
        .create_charge(&params(), &types::NewCharge::new(5))
        .await
        .unwrap();
    assert_eq!(charge.id, "ch_1");
    let sent = keys(&server).await;
    assert_eq!(sent.len(), 3, "two retries: {sent:?}");
    let first = sent[0].clone().expect("a key on the first attempt");
    assert!(
        sent.iter().all(|k| k.as_deref() == Some(first.as_str())),
        "{sent:?}"
    );
    // A random (version 4) UUID.
    let parsed = uuid_fields(&first);
    assert_eq!(parsed, [8, 4, 4, 4, 12], "{first}");
    assert_eq!(first.as_bytes()[14], b'4', "{first}");

    // The next call is another operation for the server: another key.
    server.reset().await;
    flaky(&server, "/charges").await;
    client
        .create_charge(&params(), &types::NewCharge::new(5))
        .await
        .unwrap();
    let again = keys(&server).await;
    assert_eq!(again.len(), 3);
    assert_ne!(again[0].as_deref(), Some(first.as_str()));
}

fn uuid_fields(key: &str) -> Vec<usize> {
    key.split('-').map(str::len).collect()
}

#[tokio::test]
async fn a_callers_own_key_is_sent_on_every_attempt() {
    let server = MockServer::start().await;
    flaky(&server, "/charges").await;
    let once = client(&server.uri()).with_options(CallOptions::new().idempotency_key("order-1234"));
    once.create_charge(&params(), &types::NewCharge::new(5))
        .await
        .unwrap();
    let sent = keys(&server).await;
    assert_eq!(sent, vec![Some("order-1234".to_owned()); 3]);

    // A key that could start a new header is refused before anything is sent.
    server.reset().await;
    let bad = client(&server.uri()).with_options(CallOptions::new().idempotency_key("k\r\nX: 1"));
    let error = bad
        .create_charge(&params(), &types::NewCharge::new(5))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Request(_)), "{error:?}");
    assert!(keys(&server).await.is_empty());
}

#[tokio::test]
async fn a_post_without_a_declared_key_is_sent_once_and_without_one() {
    let server = MockServer::start().await;
    flaky(&server, "/refunds").await;
    let client = client(&server.uri()).with_options(CallOptions::new().idempotency_key("ignored"));
    let error = client
        .create_refund(&types::NewCharge::new(5))
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(503), "{error:?}");
    assert_eq!(keys(&server).await, vec![None]);
}
