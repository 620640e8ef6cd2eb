//! Redirects over loopback: a server on one port redirects to a second server on another
//! port (another origin), which must see nothing: no credential, signing header, session token
//! or body. Same-origin redirects of idempotent calls are followed and re-authenticated;
//! non-idempotent calls are never redirected; the answer of a client that followed by itself
//! is refused.

use api_token_clients::runtime::{BasicAuth, Config, Error, Redirects, RetryPolicy, SigningKey};
use api_token_clients::{a2e, actian_vectorai, apivideo, tencent_vod};
use std::time::Duration;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const API_KEY: &str = "sk-live-SECRET-KEY-0001";
const SESSION_TOKEN: &str = "session-token-SECRET-0002";
const PASSWORD: &str = "hunter2-SECRET-PASSWORD";
const TOKEN_OK: &str = r#"{"token":"to1tcmSFJyiwTQ2Ixh0ATAx","ttl":3600}"#;

fn config() -> Config {
    Config::default()
        .timeout(Duration::from_secs(10))
        .retry(RetryPolicy::default().base_delay(Duration::from_millis(1)))
}

/// Answers every request with `status` and a `Location` pointing at `target`.
async fn redirecting_to(status: u16, target: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(status).insert_header("location", target))
        .mount(&server)
        .await;
    server
}

/// A second origin that would answer anything with success, recording what it gets.
async fn other_origin() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            r#"{"Response":{"Token":"x","RequestId":"r"},"code":0,"data":{"token":"x"},"token":"x","message":"","expires_in":1}"#,
            "application/json",
        ))
        .mount(&server)
        .await;
    server
}

fn assert_not_followed<E: std::fmt::Debug>(
    result: Result<impl std::fmt::Debug, Error<E>>,
    status: u16,
    target: &str,
) {
    match result {
        Err(Error::Redirect {
            status: got,
            location,
            ..
        }) => {
            assert_eq!(got, status);
            assert_eq!(location, target);
        }
        other => panic!("expected Error::Redirect, got {other:?}"),
    }
}

#[tokio::test]
async fn no_secret_or_body_reaches_another_origin_whatever_the_status() {
    let other = other_origin().await;
    let target = format!("{}/stolen", other.uri());
    for status in [301, 302, 303, 307, 308] {
        let first = redirecting_to(status, &target).await;
        // TC3 with a session token, a POST that is not idempotent.
        let key =
            SigningKey::new("AKIDEXAMPLE", "SECRETKEYEXAMPLE").with_session_token(SESSION_TOKEN);
        let tencent = tencent_vod::Client::new(
            first.uri(),
            tencent_vod::Credentials::default().with_tc3(key),
            config(),
        )
        .unwrap();
        let created = tencent
            .create_aigc_api_token(&tencent_vod::types::CreateAigcApiTokenRequest::new(1))
            .await;
        assert_not_followed(created, status, &target);
        // A2E's login: idempotent (retries allowed), a password in the body.
        let a2e = a2e::Client::new(first.uri(), a2e::Credentials::default(), config()).unwrap();
        let login = a2e
            .obtain_login_token(&a2e::types::ObtainLoginTokenRequest::new(
                "me@example.com",
                PASSWORD,
            ))
            .await;
        assert_not_followed(login, status, &target);
        // Actian's admin login: a password in the body of an idempotent POST.
        let actian = actian_vectorai::Client::new(
            first.uri(),
            actian_vectorai::Credentials::default(),
            config(),
        )
        .unwrap();
        let admin = actian
            .admin_login(&actian_vectorai::types::AdminPasswordRequest::new(PASSWORD))
            .await;
        assert_not_followed(admin, status, &target);
        // A GET with Basic credentials.
        let video = apivideo::Client::new(
            first.uri(),
            apivideo::Credentials::default().with_api_key(BasicAuth::api_key(API_KEY)),
            config(),
        )
        .unwrap();
        assert_not_followed(video.get_upload_token("to1abc").await, status, &target);
        // Each call reached the first server once: nothing was sent twice.
        assert_eq!(
            first.received_requests().await.unwrap().len(),
            4,
            "{status}"
        );
    }
    let seen = other.received_requests().await.unwrap();
    assert!(
        seen.is_empty(),
        "the other origin got {} requests",
        seen.len()
    );
}

#[tokio::test]
async fn the_error_names_the_operation_status_and_location_without_its_query() {
    let first = redirecting_to(302, "https://elsewhere.example/x?token=abc").await;
    let video = apivideo::Client::new(
        first.uri(),
        apivideo::Credentials::default().with_api_key(BasicAuth::api_key(API_KEY)),
        config(),
    )
    .unwrap();
    let error = video.get_upload_token("to1abc").await.unwrap_err();
    let text = error.to_string();
    assert_eq!(error.status(), Some(302));
    assert!(text.contains("getUploadToken"), "{text}");
    assert!(
        text.contains("302") && text.contains("https://elsewhere.example/x"),
        "{text}"
    );
    assert!(!text.contains("token=abc"), "{text}");
}

#[tokio::test]
async fn a_same_origin_redirect_of_an_idempotent_call_is_followed_and_authenticated_again() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/upload-tokens/to1abc"))
        .respond_with(ResponseTemplate::new(307).insert_header("location", "/moved/to1abc"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/moved/to1abc"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(TOKEN_OK, "application/json"))
        .mount(&server)
        .await;
    let video = apivideo::Client::new(
        server.uri(),
        apivideo::Credentials::default().with_api_key(BasicAuth::api_key(API_KEY)),
        config(),
    )
    .unwrap();
    let token = video.get_upload_token("to1abc").await.expect("followed");
    assert_eq!(token.ttl, Some(3600));
    let seen = server.received_requests().await.unwrap();
    assert_eq!(seen.len(), 2);
    assert!(seen[1].headers.get("authorization").is_some());

    // Turned off, the same redirect is returned.
    let strict = apivideo::Client::new(
        server.uri(),
        apivideo::Credentials::default().with_api_key(BasicAuth::api_key(API_KEY)),
        config().redirects(Redirects::None),
    )
    .unwrap();
    let refused = strict.get_upload_token("to1abc").await;
    assert_not_followed(refused, 307, "/moved/[redacted]");
}

#[tokio::test]
async fn a_post_that_is_not_idempotent_is_not_redirected_even_to_the_same_origin() {
    let server = redirecting_to(307, "/again").await;
    let tencent = tencent_vod::Client::new(
        server.uri(),
        tencent_vod::Credentials::default()
            .with_tc3(SigningKey::new("AKIDEXAMPLE", "SECRETKEYEXAMPLE")),
        config(),
    )
    .unwrap();
    let created = tencent
        .create_aigc_api_token(&tencent_vod::types::CreateAigcApiTokenRequest::new(1))
        .await;
    assert_not_followed(created, 307, "/again");
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_redirect_loop_ends() {
    // An upload token of at least 4 characters: a shorter secret withholds the whole location.
    let server = redirecting_to(302, "/upload-tokens/to1abc").await;
    let video = apivideo::Client::new(
        server.uri(),
        apivideo::Credentials::default().with_api_key(BasicAuth::api_key(API_KEY)),
        config().retry(RetryPolicy::disabled()),
    )
    .unwrap();
    let result = video.get_upload_token("to1abc").await;
    assert_not_followed(result, 302, "/upload-tokens/[redacted]");
    // The first request and five hops.
    assert_eq!(server.received_requests().await.unwrap().len(), 6);
}

#[tokio::test]
async fn your_own_http_client_is_used_and_its_redirected_answers_are_refused() {
    let other = other_origin().await;
    let first = redirecting_to(302, &format!("{}/x", other.uri())).await;
    // A client with reqwest's default policy follows by itself: its answer is not the vendor's.
    let following = reqwest::Client::builder()
        .default_headers(
            [(
                reqwest::header::HeaderName::from_static("x-from-my-client"),
                reqwest::header::HeaderValue::from_static("yes"),
            )]
            .into_iter()
            .collect(),
        )
        .build()
        .unwrap();
    let video = apivideo::Client::new(
        first.uri(),
        apivideo::Credentials::default().with_api_key(BasicAuth::api_key(API_KEY)),
        config().http_client(following),
    )
    .unwrap();
    let error = video.get_upload_token("to1abc").await.unwrap_err();
    assert!(matches!(error, Error::Redirect { .. }), "{error:?}");
    let seen = first.received_requests().await.unwrap();
    assert_eq!(seen[0].headers.get("x-from-my-client").unwrap(), "yes");
}
