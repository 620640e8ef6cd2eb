//! Errors read well: the operation, the status once, the spec's whole first sentence and the
//! server's own message; envelope failures and undocumented statuses name the operation too.

use api_token_clients::runtime::{BasicAuth, Error, Secret};
use api_token_clients::{a2e, apivideo};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn answering(status: u16, body: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(
            ResponseTemplate::new(status).set_body_raw(body.to_owned(), "application/json"),
        )
        .mount(&server)
        .await;
    server
}

fn video(base: &str) -> apivideo::Client {
    let credentials = apivideo::Credentials::default().with_api_key(BasicAuth::api_key("key"));
    apivideo::Client::new(base, credentials, tests::config()).unwrap()
}

#[tokio::test]
async fn a_documented_error_shows_operation_status_once_sentence_and_server_message() {
    let server = answering(
        401,
        r#"{"type":"https://docs.api.video/reference/authentication-invalid-api-key","title":"The user credentials are invalid.","status":401}"#,
    )
    .await;
    let error = video(&server.uri())
        .get_upload_token("to1")
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::Api { message: Some(m), .. } if m == "The user credentials are invalid.")
    );
    assert_eq!(
        error.to_string(),
        "getUploadToken: HTTP 401: Missing or invalid API key, or a key of the other environment \
         (sandbox key on production or the reverse); the server says \"The user credentials are invalid.\""
    );
}

#[tokio::test]
async fn an_undocumented_status_shows_the_server_message_and_an_excerpt() {
    let server = answering(418, r#"{"message":"I'm a teapot","token":"t-SECRET"}"#).await;
    let error = video(&server.uri())
        .get_upload_token("to1")
        .await
        .unwrap_err();
    let text = error.to_string();
    assert!(
        text.starts_with(
            "getUploadToken: unexpected HTTP 418; the server says \"I'm a teapot\"; body: "
        ),
        "{text}"
    );
    assert!(!text.contains("t-SECRET"), "{text}");
}

#[tokio::test]
async fn a_failure_in_a_2xx_body_names_the_operation() {
    let server = answering(
        200,
        r#"{"code":1001,"msg":"token expired","trace_id":"tr-1"}"#,
    )
    .await;
    let client = a2e::Client::new(
        server.uri(),
        a2e::Credentials::default().with_login_token(Secret::new("login")),
        tests::config(),
    )
    .unwrap();
    let error = client.list_api_tokens().await.unwrap_err();
    assert_eq!(
        error.to_string(),
        "listApiTokens: the API reported a failure (HTTP 200), code 1001: token expired (request id tr-1)"
    );
}
