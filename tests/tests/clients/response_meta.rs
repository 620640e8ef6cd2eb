//! Status, headers and request id of the response a call ended with, through
//! `runtime::with_response`, over loopback HTTP: on success, on a documented error, from an
//! envelope's request id, and none when no response arrived. Also: every span of a call
//! carries the API's name.

use api_token_clients::runtime::{with_response, Config, Error, RetryPolicy, SigningKey};
use api_token_clients::{apivideo, tencent_vod};
use tests::loopback::{self, describe, refused_base, Captured};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = r#"{"token":"to1","ttl":0,"createdAt":"2024-01-31T12:00:00+00:00","expiresAt":"2024-01-31T13:00:00+00:00"}"#;

fn config() -> Config {
    Config::default().retry(RetryPolicy::disabled())
}

fn video(base: &str) -> apivideo::Client {
    loopback::apivideo_client(base, "key", config())
}

fn tencent(base: &str) -> tencent_vod::Client {
    loopback::tencent_client(base, SigningKey::new("AKID-public", "secret-key"), config())
}

#[tokio::test]
async fn a_success_comes_with_its_status_headers_and_request_id() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("X-Request-Id", "req-42")
                .insert_header("X-RateLimit-Remaining", "9")
                .set_body_raw(TOKEN, "application/json"),
        )
        .mount(&server)
        .await;
    let client = video(&server.uri());
    let (token, response) = with_response(client.get_upload_token("to1")).await;
    assert_eq!(token.unwrap().token.unwrap().expose(), "to1");
    let response = response.expect("a response arrived");
    assert_eq!(response.status(), 200);
    assert_eq!(response.header("x-ratelimit-remaining"), Some("9"));
    assert!(response.headers().contains_key("content-type"));
    assert_eq!(response.request_id(), Some("req-42"));

    // Without `with_response`, the same call returns the body alone.
    assert!(client.get_upload_token("to1").await.is_ok());
}

#[tokio::test]
async fn a_documented_error_comes_with_its_headers() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(404)
                .insert_header("Request-Id", "req-404")
                .set_body_raw(r#"{"title":"gone","status":404}"#, "application/json"),
        )
        .mount(&server)
        .await;
    let (result, response) = with_response(video(&server.uri()).get_upload_token("to1")).await;
    assert!(
        matches!(
            result,
            Err(Error::Api {
                error: apivideo::types::GetUploadTokenError::NotFound(_),
                ..
            })
        ),
        "{result:?}"
    );
    let response = response.expect("a response arrived");
    assert_eq!(response.status(), 404);
    assert_eq!(response.request_id(), Some("req-404"));
}

#[tokio::test]
async fn the_envelope_says_where_the_request_id_is() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("X-Request-Id", "from-a-proxy")
                .set_body_raw(
                    r#"{"Response":{"ApiTokens":["t"],"RequestId":"6fd3c5f0"}}"#,
                    "application/json",
                ),
        )
        .mount(&server)
        .await;
    let client = tencent(&server.uri());
    let (result, response) = with_response(describe(&client)).await;
    result.unwrap();
    assert_eq!(response.unwrap().request_id(), Some("6fd3c5f0"));

    // A failure inside the 2xx body: the error has the request id, and so does the response.
    server.reset().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            r#"{"Response":{"Error":{"Code":"AuthFailure","Message":"no"},"RequestId":"r-7"}}"#,
            "application/json",
        ))
        .mount(&server)
        .await;
    let (result, response) = with_response(describe(&client)).await;
    let Err(Error::Failure(failure)) = result else {
        panic!("a failure: {result:?}")
    };
    assert_eq!(failure.request_id.as_deref(), Some("r-7"));
    assert_eq!(response.unwrap().request_id(), Some("r-7"));
}

#[tokio::test]
async fn no_response_no_metadata_even_after_an_earlier_one() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(TOKEN, "application/json"))
        .mount(&server)
        .await;
    let answering = video(&server.uri());
    let refused = video(&refused_base().await);
    let (result, response) = with_response(async {
        answering.get_upload_token("to1").await.unwrap();
        refused.get_upload_token("to1").await
    })
    .await;
    assert!(matches!(result, Err(Error::Transport(_))), "{result:?}");
    assert!(response.is_none(), "{response:?}");
}

#[tokio::test]
async fn every_span_and_event_of_a_call_names_its_api() {
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(captured.clone())
        .with_max_level(tracing::Level::DEBUG)
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(TOKEN, "application/json"))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            r#"{"Response":{"ApiTokens":[],"RequestId":"r"}}"#,
            "application/json",
        ))
        .mount(&server)
        .await;
    video(&server.uri()).get_upload_token("to1").await.unwrap();
    describe(&tencent(&server.uri())).await.unwrap();
    drop(_guard);
    let trace = captured.text();
    let ours: Vec<&str> = trace
        .lines()
        .filter(|l| l.contains("api_token_runtime"))
        .collect();
    assert!(ours.len() >= 4, "{trace}");
    for line in &ours {
        assert!(
            line.contains(r#"api="apivideo""#) || line.contains(r#"api="tencent_vod""#),
            "{line}"
        );
    }
    assert!(ours.iter().any(|l| l.contains(r#"api="apivideo""#)));
    assert!(ours.iter().any(|l| l.contains(r#"api="tencent_vod""#)));
}
