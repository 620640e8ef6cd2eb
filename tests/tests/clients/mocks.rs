//! The generated mock servers (feature `mock`), used as a user would: a real client call
//! against each vendor's mock gets the spec's example or the typed answer set up, a
//! documented error comes back as the typed error, a failure inside a 2xx body as
//! `Error::Failure`, request matchers select the calls, and an unmet expectation fails
//! verification.

use api_token_clients::runtime::{BasicAuth, Error, SigningKey};
use api_token_clients::{a2e, actian_vectorai, apivideo, cellcast, tencent_vod};
use serde_json::json;

/// A value of a generated type from JSON, as a test would write it without caring which
/// fields are optional.
fn from_json<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> T {
    serde_json::from_value(value).expect("the JSON fits the type")
}

fn apivideo_credentials() -> apivideo::Credentials {
    apivideo::Credentials::default().with_api_key(BasicAuth::api_key("key"))
}

#[tokio::test]
async fn apivideo_default_example_typed_answer_and_path_matcher() {
    let server = apivideo::mock::MockServer::start().await;
    let client = server.client(apivideo_credentials()).expect("client");

    // Until told otherwise, the spec's example.
    server.get_upload_token().times(1).await;
    let token = client.get_upload_token("to1tcmSFHeYY5KzyhOqVKMKb").await;
    let token = token.expect("the example decodes");
    assert_eq!(token.ttl, Some(0), "the spec's example: {token:?}");
    server.verify().await;

    // A typed answer, only for this path parameter.
    let server = apivideo::mock::MockServer::start().await;
    let client = server.client(apivideo_credentials()).expect("client");
    let answer: apivideo::types::UploadToken = from_json(json!({"token": "to-mine", "ttl": 60}));
    server
        .get_upload_token()
        .path_param("uploadToken", "to-mine")
        .respond_with(answer.clone())
        .times(1)
        .await;
    assert_eq!(
        client.get_upload_token("to-mine").await.expect("ok"),
        answer
    );
    server.verify().await;
    // Another token matches no expectation: the mock answers 418 naming the mismatch (and a
    // later `verify` would fail listing the call; see `mocks_fail_loudly.rs`).
    assert!(client.get_upload_token("to-other").await.is_err());
}

#[tokio::test]
async fn apivideo_documented_error_is_typed() {
    let server = apivideo::mock::MockServer::start().await;
    let client = server.client(apivideo_credentials()).expect("client");
    let not_found: apivideo::types::NotFound =
        from_json(json!({"title": "The upload token does not exist", "status": 404}));
    server
        .delete_upload_token()
        .respond_error(apivideo::types::DeleteUploadTokenError::NotFound(
            not_found.clone(),
        ))
        .await;
    match client.delete_upload_token("to-gone").await {
        Err(Error::Api { status, error, .. }) => {
            assert_eq!(status, 404);
            assert_eq!(
                error,
                apivideo::types::DeleteUploadTokenError::NotFound(not_found)
            );
        }
        other => panic!("expected the typed 404, got {other:?}"),
    }
}

#[tokio::test]
async fn tencent_signed_rpc_is_matched_by_action_and_enveloped() {
    let server = tencent_vod::mock::MockServer::start().await;
    let credentials =
        tencent_vod::Credentials::default().with_tc3(SigningKey::new("AKID-mock", "secret"));
    let client = server.client(credentials).expect("client");
    let body: tencent_vod::types::DescribeAigcApiTokensRequest = from_json(json!({}));

    // The typed payload is wrapped in the spec's envelope (`Response`, with a request id).
    let payload: tencent_vod::types::DescribeAigcApiTokensResponse =
        from_json(json!({"ApiTokens": ["tok-1"], "RequestId": "req-1"}));
    server
        .describe_aigc_api_tokens()
        .respond_with(payload.clone())
        .times(1)
        .await;
    // Another action on the same `POST /` is not this expectation.
    server.create_aigc_api_token().times(0).await;
    let got = client.describe_aigc_api_tokens(&body).await.expect("ok");
    assert_eq!(got, payload);
    let sent = server.received_requests().await;
    assert!(
        sent[0]
            .headers
            .get("authorization")
            .is_some_and(|v| v.to_str().unwrap_or("").starts_with("TC3-HMAC-SHA256")),
        "the client signed the call"
    );
    server.verify().await;

    // A failure inside HTTP 200, worded as the envelope says.
    let server = tencent_vod::mock::MockServer::start().await;
    let client = server
        .client(tencent_vod::Credentials::default().with_tc3(SigningKey::new("AKID", "k")))
        .expect("client");
    server
        .describe_aigc_api_tokens()
        .respond_failure("AuthFailure.SignatureFailure", "The signature is wrong.")
        .await;
    match client.describe_aigc_api_tokens(&body).await {
        Err(Error::Failure(failure)) => {
            assert_eq!(
                failure.code.as_deref(),
                Some("AuthFailure.SignatureFailure")
            );
            assert_eq!(failure.message.as_deref(), Some("The signature is wrong."));
        }
        other => panic!("expected the envelope's failure, got {other:?}"),
    }
}

#[tokio::test]
async fn a2e_envelope_example_and_typed_error() {
    let server = a2e::mock::MockServer::start().await;
    let client = server
        .client(a2e::Credentials::default().with_login_token("login"))
        .expect("client");
    server.list_api_tokens().times(1).await;
    let tokens = client.list_api_tokens().await.expect("the example decodes");
    assert!(
        tokens.is_some_and(|t| !t.is_empty()),
        "the spec's example lists tokens"
    );
    server.verify().await;

    let server = a2e::mock::MockServer::start().await;
    let client = server
        .client(a2e::Credentials::default().with_login_token("login"))
        .expect("client");
    let body: a2e::types::ErrorEnvelope = from_json(json!({"code": 401, "msg": "expired"}));
    server
        .list_api_tokens()
        .respond_error(a2e::types::ListApiTokensError::Unauthorized(body.clone()))
        .await;
    match client.list_api_tokens().await {
        Err(Error::Api {
            status: 401, error, ..
        }) => {
            assert_eq!(error, a2e::types::ListApiTokensError::Unauthorized(body));
        }
        other => panic!("expected the typed 401, got {other:?}"),
    }
}

#[tokio::test]
async fn cellcast_typed_answer_and_error() {
    let server = cellcast::mock::MockServer::start().await;
    let client = server
        .client(cellcast::Credentials::default().with_bearer("key"))
        .expect("client");
    server.verify_token().times(1).await;
    client.verify_token().await.expect("the example decodes");
    let unauthorized: cellcast::types::Unauthorized =
        from_json(json!({"code": 401, "message": "expired key"}));
    server
        .delete_api_token()
        .path_param("id", "7")
        .respond_error(cellcast::types::DeleteApiTokenError::Unauthorized(
            unauthorized.clone(),
        ))
        .times(1)
        .await;
    match client.delete_api_token("7").await {
        Err(Error::Api { error, .. }) => {
            assert_eq!(
                error,
                cellcast::types::DeleteApiTokenError::Unauthorized(unauthorized)
            );
        }
        other => panic!("expected the typed 401, got {other:?}"),
    }
    server.verify().await;
}

#[tokio::test]
async fn actian_default_example_and_typed_error() {
    let server = actian_vectorai::mock::MockServer::start().await;
    let client = server
        .client(actian_vectorai::Credentials::default().with_bearer_auth("jwt"))
        .expect("client");
    server.list_access_tokens().times(1).await;
    client
        .list_access_tokens()
        .await
        .expect("the example decodes");
    let not_found: actian_vectorai::types::ErrorResponse =
        from_json(json!({"status": "error", "message": "token not found"}));
    server
        .delete_access_token()
        .path_param("token_id", 42)
        .respond_error(actian_vectorai::types::DeleteAccessTokenError::NotFound(
            not_found.clone(),
        ))
        .await;
    match client.delete_access_token(42).await {
        Err(Error::Api {
            status: 404, error, ..
        }) => {
            assert_eq!(
                error,
                actian_vectorai::types::DeleteAccessTokenError::NotFound(not_found)
            );
        }
        other => panic!("expected the typed 404, got {other:?}"),
    }
    server.verify().await;
}

#[tokio::test]
#[should_panic(expected = "Verifications failed")]
async fn an_unmet_expectation_fails_verification() {
    let server = apivideo::mock::MockServer::start().await;
    server.create_upload_token().times(1).await;
    // No call is made.
    server.verify().await;
}

#[tokio::test]
#[should_panic(expected = "Verifications failed")]
async fn a_call_too_many_fails_verification() {
    let server = cellcast::mock::MockServer::start().await;
    let client = server
        .client(cellcast::Credentials::default().with_bearer("key"))
        .expect("client");
    server.verify_token().times(1).await;
    let _ = client.verify_token().await;
    let _ = client.verify_token().await;
    server.verify().await;
}
