//! Hooks may not touch framing or identity: `RequestParts::set_header` refuses
//! `content-length`, `transfer-encoding`, `host`, `connection` and the credential and
//! signature headers, saying why, and the request goes out as the runtime framed it.

use api_token_clients::apivideo;
use api_token_clients::runtime::{BasicAuth, Config, Hook, RequestError, RequestParts};
use std::sync::{Arc, Mutex};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const API_KEY: &str = "sk-live-HOOK-SECRET-0001";

/// Tries to set each forbidden header and records what `set_header` answered.
#[derive(Default)]
struct Meddler {
    answers: Mutex<Vec<(&'static str, Result<(), String>)>>,
}

const FORBIDDEN: [(&str, &str); 8] = [
    ("content-length", "0"),
    ("Content-Length", "5"),
    ("transfer-encoding", "chunked"),
    ("host", "evil.example"),
    ("connection", "close"),
    ("authorization", "Bearer hook"),
    ("proxy-authorization", "Basic x"),
    ("x-tc-token", "hook-token"),
];

impl Hook for Meddler {
    fn on_request(&self, request: &mut RequestParts<'_>) {
        let mut answers = self.answers.lock().unwrap();
        for (name, value) in FORBIDDEN {
            let answer = request.set_header(name, value).map_err(|e| match e {
                RequestError::Header { reason, .. } => reason.to_owned(),
                other => other.to_string(),
            });
            answers.push((name, answer));
        }
    }
}

#[tokio::test]
async fn framing_and_identity_headers_are_refused_and_the_body_goes_out_whole() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/upload-tokens"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            r#"{"token":"to1","ttl":10,"createdAt":"2024-01-01T00:00:00Z"}"#,
            "application/json",
        ))
        .mount(&server)
        .await;
    let meddler = Arc::new(Meddler::default());
    let client = apivideo::Client::new(
        server.uri(),
        apivideo::Credentials::default().with_api_key(BasicAuth::api_key(API_KEY)),
        Config::default().hook(meddler.clone()),
    )
    .unwrap();
    let body = apivideo::types::TokenCreationPayload::new().with_ttl(60);
    client.create_upload_token(&body).await.unwrap();

    let answers = meddler.answers.lock().unwrap().clone();
    assert_eq!(answers.len(), FORBIDDEN.len());
    for (name, answer) in answers.iter() {
        let reason = answer.as_ref().expect_err(name);
        assert!(reason.contains("may not set"), "{name}: {reason}");
    }
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 1);
    let sent = &received[0];
    let sent_body: serde_json::Value = serde_json::from_slice(&sent.body).unwrap();
    assert_eq!(sent_body["ttl"], 60, "the body arrived whole");
    assert_eq!(
        sent.headers.get("content-length").unwrap(),
        &sent.body.len().to_string()
    );
    assert_ne!(sent.headers.get("host").unwrap(), "evil.example");
    assert!(sent.headers.get("x-tc-token").is_none());
    assert!(sent
        .headers
        .get("authorization")
        .unwrap()
        .to_str()
        .unwrap()
        .starts_with("Basic "));
}
