//! The caller's own credentials, echoed back by a hostile server, never appear in what the
//! runtime or the CLI shows: `Display` and `Debug` of the error, the CLI's stdout and stderr,
//! and tracing output. The runtime knows every credential it sent (raw, as the base64 of its
//! Basic pair, percent-encoded) and scrubs them wherever the server put them, under whatever
//! name and in whatever format; non-JSON bodies get the name rule too.

use api_token_clients::runtime::{BasicAuth, Config, Error, RetryPolicy};
use api_token_clients::{a2e, apivideo};
use base64::Engine as _;
use std::fmt::Debug;
use std::process::Command;
use std::sync::{Arc, Mutex};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

const API_KEY: &str = "sk-live-ECHO-SECRET-0001";
const LOGIN_TOKEN: &str = "eyJhbGciOiJIUzI1NiJ9.ECHO-BEARER-SECRET.0002";
const NEW_TOKEN: &str = "to1NEWTOKENSECRET0003";

fn basic_pair() -> String {
    base64::engine::general_purpose::STANDARD.encode(format!("{API_KEY}:"))
}

fn forbidden() -> Vec<String> {
    vec![
        API_KEY.to_owned(),
        basic_pair(),
        LOGIN_TOKEN.to_owned(),
        NEW_TOKEN.to_owned(),
        // Percent-encoded forms a server may echo from a URL.
        "sk-live-ECHO-SECRET-0001".replace('-', "%2D"),
        "token=abc".to_owned(),
    ]
}

fn assert_clean(what: &str, text: &str) {
    for secret in forbidden() {
        assert!(!text.contains(&secret), "{what} shows {secret:?}: {text}");
    }
}

fn assert_error_clean<T: Debug, E: Debug>(result: Result<T, Error<E>>) -> Error<E>
where
    Error<E>: std::fmt::Display,
{
    let error = result.expect_err("the call fails");
    assert_clean("Display", &error.to_string());
    assert_clean("Debug", &format!("{error:?}"));
    assert_clean("alternate Debug", &format!("{error:#?}"));
    error
}

async fn answering(status: u16, content_type: &str, body: String) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(status).set_body_raw(body, content_type))
        .mount(&server)
        .await;
    server
}

fn config() -> Config {
    Config::default().retry(RetryPolicy::default().max_attempts(1))
}

fn video(server: &MockServer) -> apivideo::Client {
    apivideo::Client::new(
        server.uri(),
        apivideo::Credentials::default().with_api_key(BasicAuth::api_key(API_KEY)),
        config(),
    )
    .unwrap()
}

/// Collects everything the runtime traces, at every level.
#[derive(Clone, Default)]
struct Log(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Log {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test(flavor = "current_thread")]
async fn echoed_credentials_are_scrubbed_from_errors_and_traces() {
    let log = Log::default();
    let writer = log.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    // A 401 HTML page quoting the API key, raw and as the base64 of its Basic header.
    let html = format!(
        "<html><body>Key {API_KEY} refused (Authorization: Basic {})</body></html>",
        basic_pair()
    );
    let server = answering(401, "text/html", html).await;
    assert_error_clean(video(&server).get_upload_token("to1").await);

    // A 500 text/plain quoting the bearer token.
    let server = answering(500, "text/plain", format!("bad token {LOGIN_TOKEN}")).await;
    let a2e = a2e::Client::new(
        server.uri(),
        a2e::Credentials::default().with_login_token(LOGIN_TOKEN),
        config(),
    )
    .unwrap();
    assert_error_clean(a2e.list_api_tokens().await);

    // JSON quoting the key under innocent member names, in the server's message too.
    let json = format!(r#"{{"message":"key {API_KEY} is revoked","note":"{API_KEY}"}}"#);
    let server = answering(500, "application/json", json).await;
    let error = assert_error_clean(video(&server).get_upload_token("to1").await);
    assert!(error.to_string().contains("[redacted]"), "{error}");

    // A new token in a form-encoded success body that fails to decode.
    let form = format!("token={NEW_TOKEN}&ttl=10");
    let server = answering(200, "application/x-www-form-urlencoded", form).await;
    let body = apivideo::types::TokenCreationPayload::new().with_ttl(10);
    assert_error_clean(video(&server).create_upload_token(&body).await);

    // A cross-origin redirect whose Location repeats the key (percent-encoded) in its path
    // and carries a query.
    let location = format!(
        "http://127.0.0.1:9/keys/{}/x?token=abc",
        API_KEY.replace('-', "%2D")
    );
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(301).insert_header("location", location.as_str()))
        .mount(&server)
        .await;
    let error = assert_error_clean(video(&server).get_upload_token("to1").await);
    assert!(matches!(error, Error::Redirect { .. }), "{error:?}");
    let location = format!("http://127.0.0.1:9/keys/{API_KEY}/x");
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(301).insert_header("location", location.as_str()))
        .mount(&server)
        .await;
    assert_error_clean(video(&server).get_upload_token("to1").await);

    let traced = String::from_utf8(log.0.lock().unwrap().clone()).unwrap();
    assert!(
        traced.contains("call failed"),
        "the log was captured: {traced}"
    );
    assert_clean("tracing output", &traced);
}

#[tokio::test]
async fn the_cli_never_prints_an_echoed_credential() {
    let html = format!(
        "<html>Key {API_KEY} refused (Basic {}); token={NEW_TOKEN}</html>",
        basic_pair()
    );
    let server = answering(401, "text/html", html).await;
    let uri = server.uri();
    let output = tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_api-tokens-test"))
            .args(["apivideo", "get-upload-token", "--base-url", &uri])
            .env_clear()
            .env("APIVIDEO_API_KEY", API_KEY)
            .env("APIVIDEO_UPLOAD_TOKEN", "to1")
            .output()
            .expect("the tool runs")
    })
    .await
    .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "{stderr}");
    assert!(
        stderr.contains("[redacted]"),
        "the body was quoted: {stderr}"
    );
    assert_clean("stdout", &stdout);
    assert_clean("stderr", &stderr);
}

/// Parameters marked `x-secret` (a token in the path, a query proof, a session header) are
/// registered like credentials: a server that echoes them into an error page or into the path
/// of a cross-origin redirect never gets them shown.
#[tokio::test(flavor = "current_thread")]
async fn secret_parameters_echoed_back_are_scrubbed() {
    const PATH_TOKEN: &str = "to1PATHSECRET0004";
    const PROOF: &str = "proof-QUERY-SECRET-0005";
    const SESSION: &str = "session-HEADER-SECRET-0006";
    let clean = |what: &str, text: &str| {
        for secret in [PATH_TOKEN, PROOF, SESSION] {
            assert!(!text.contains(secret), "{what} shows {secret:?}: {text}");
        }
    };

    // api.video's upload token is an `x-secret` path parameter.
    let location = format!("http://127.0.0.1:9/upload-tokens/{PATH_TOKEN}/");
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(301).insert_header("location", location.as_str()))
        .mount(&server)
        .await;
    let error = video(&server)
        .get_upload_token(PATH_TOKEN)
        .await
        .expect_err("a cross-origin redirect is not followed");
    assert!(matches!(error, Error::Redirect { .. }), "{error:?}");
    clean("Display", &error.to_string());
    clean("Debug", &format!("{error:#?}"));

    let page = format!("<p>no token {PATH_TOKEN}</p>");
    let server = answering(404, "text/html", page).await;
    let error = video(&server)
        .delete_upload_token(PATH_TOKEN)
        .await
        .expect_err("404");
    clean("Display", &error.to_string());
    clean("Debug", &format!("{error:#?}"));

    let echo = format!("token {PATH_TOKEN}, proof {PROOF}, session {SESSION}");
    let server = answering(500, "text/plain", echo).await;
    let client = corpus::secret_params::Client::new(
        server.uri(),
        corpus::secret_params::Credentials::default(),
        config(),
    )
    .unwrap();
    let params = corpus::secret_params::types::GetTokenParams::new(SESSION).with_proof(PROOF);
    let error = client
        .get_token(PATH_TOKEN, &params)
        .await
        .expect_err("500");
    let shown = error.to_string();
    clean("Display", &shown);
    clean("Debug", &format!("{error:#?}"));
    assert!(shown.contains("[redacted]"), "{shown}");
}

/// A server that answers a create with an error quoting the request body (a common validation
/// page): every `x-secret` field of a JSON or form body, nested ones included, and a secret
/// client setting sent as a header are scrubbed, while the rest of the echo stays readable.
#[tokio::test]
async fn secret_body_fields_and_settings_echoed_back_are_scrubbed() {
    const PASSWORD: &str = "pw-BODY-SECRET-0007";
    const KEY: &str = "key-NESTED-SECRET-0008";
    const TENANT: &str = "tenant-SETTING-SECRET-0009";
    let clean = |what: &str, text: &str| {
        for secret in [PASSWORD, KEY, TENANT] {
            assert!(!text.contains(secret), "{what} shows {secret:?}: {text}");
        }
    };
    use corpus::secret_params::{types, Client, Credentials};

    let echo = format!(
        r#"{{"error":"invalid","you_sent":{{"user":"alice","pw":"{PASSWORD}","keys":[{{"v":"{KEY}"}}],"tenant":"{TENANT}"}}}}"#
    );
    let server = answering(422, "application/json", echo).await;
    let client = Client::new(server.uri(), Credentials::default(), config())
        .unwrap()
        .with_tenant_key(TENANT);
    let body = types::NewSession::new("alice", PASSWORD)
        .with_keys(vec![types::Key::new(KEY).with_label("primary")]);
    let error = client.create_session(&body).await.expect_err("422");
    let shown = error.to_string();
    clean("Display", &shown);
    clean("Debug", &format!("{error:#?}"));
    assert!(
        shown.contains("alice"),
        "the rest of the echo stays: {shown}"
    );

    let echo = format!("user=alice&password={PASSWORD}&note=bad");
    let server = answering(400, "text/plain", echo).await;
    let client = Client::new(server.uri(), Credentials::default(), config()).unwrap();
    let body = types::CreateSessionFormRequest::new("alice", PASSWORD);
    let error = client.create_session_form(&body).await.expect_err("400");
    clean("Display", &error.to_string());
    clean("Debug", &format!("{error:#?}"));
}

/// Both parts of a combined requirement (an e-mail header plus a key header) are registered
/// with the call's scrubber, as a single scheme's credential is: a server echoing either one
/// back, raw or percent-encoded, never gets it shown.
#[tokio::test(flavor = "current_thread")]
async fn every_part_of_a_combined_requirement_echoed_back_is_scrubbed() {
    use corpus::security_alternatives::{Client, Credentials};
    const EMAIL: &str = "ann+ECHO-MAIL-SECRET@example.com";
    const KEY: &str = "cf-ECHO-KEY-SECRET-0007";
    // The e-mail as a query (form) encoding gives it.
    const EMAIL_ENCODED: &str = "ann%2BECHO-MAIL-SECRET%40example.com";
    let clean = |what: &str, text: &str| {
        for secret in [EMAIL, KEY, EMAIL_ENCODED] {
            assert!(!text.contains(secret), "{what} shows {secret:?}: {text}");
        }
    };
    let credentials = Credentials::default()
        .with_api_email(EMAIL)
        .with_api_key(KEY);
    for (content_type, body) in [
        (
            "text/plain",
            format!("user {EMAIL} with key {KEY} is not allowed"),
        ),
        (
            "application/json",
            format!(r#"{{"message":"{KEY} refused for {EMAIL_ENCODED}","who":"{EMAIL}"}}"#),
        ),
    ] {
        let server = answering(403, content_type, body).await;
        let client = Client::new(server.uri(), credentials.clone(), config()).unwrap();
        let error = client.get_account().await.expect_err("a 403");
        clean("Display", &error.to_string());
        clean("Debug", &format!("{error:?}"));
        clean("alternate Debug", &format!("{error:#?}"));
        let requests = server.received_requests().await.expect("recorded");
        let sent = &requests[0].headers;
        assert_eq!(sent["x-auth-email"], EMAIL, "both parts went out");
        assert_eq!(sent["x-auth-key"], KEY, "both parts went out");
    }
    clean("Credentials Debug", &format!("{credentials:?}"));
}
