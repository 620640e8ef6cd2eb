//! Mocks fail loudly: an expectation naming a path parameter the operation does not have is
//! refused when it is set; a call that matches no expectation gets an answer the client
//! reports as an error naming the request and the nearest expectation's mismatch; and
//! `verify()` fails listing such calls.

use api_token_clients::apivideo;
use api_token_clients::runtime::{BasicAuth, Error};
use std::panic::AssertUnwindSafe;

fn credentials() -> apivideo::Credentials {
    apivideo::Credentials::default().with_api_key(BasicAuth::api_key("mock-key-0001"))
}

fn panic_text(payload: Box<dyn std::any::Any + Send>) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_default()
}

#[tokio::test]
async fn a_path_parameter_the_operation_does_not_have_is_refused_when_set() {
    let server = apivideo::mock::MockServer::start().await;
    let refused = std::panic::catch_unwind(AssertUnwindSafe(|| {
        drop(server.get_upload_token().path_param("upload_token", "to1"));
    }))
    .expect_err("a misspelt parameter is refused");
    let text = panic_text(refused);
    assert!(
        text.contains("getUploadToken")
            && text.contains("\"upload_token\"")
            && text.contains("uploadToken"),
        "{text}"
    );
    // The spec's spelling is accepted.
    drop(server.get_upload_token().path_param("uploadToken", "to1"));
}

#[tokio::test]
async fn a_query_name_header_or_body_property_the_operation_does_not_have_is_refused_when_set() {
    let server = apivideo::mock::MockServer::start().await;
    let refused = std::panic::catch_unwind(AssertUnwindSafe(|| {
        drop(server.list_upload_tokens().query_param("sort_by", "ttl"));
    }))
    .expect_err("a misspelt query name is refused");
    let text = panic_text(refused);
    assert!(
        text.contains("listUploadTokens")
            && text.contains("\"sort_by\"")
            && text.contains("sortBy"),
        "{text}"
    );
    let refused = std::panic::catch_unwind(AssertUnwindSafe(|| {
        drop(
            server
                .create_upload_token()
                .body_contains(serde_json::json!({ "time_to_live": 60 })),
        );
    }))
    .expect_err("a body property the body does not have is refused");
    let text = panic_text(refused);
    assert!(
        text.contains("createUploadToken")
            && text.contains("\"time_to_live\"")
            && text.contains("ttl"),
        "{text}"
    );
    let refused = std::panic::catch_unwind(AssertUnwindSafe(|| {
        drop(server.list_upload_tokens().header("X-Sort-By", "ttl"));
    }))
    .expect_err("a header the operation does not send is refused");
    let text = panic_text(refused);
    assert!(
        text.contains("listUploadTokens") && text.contains("\"X-Sort-By\""),
        "{text}"
    );
    // The spec's spellings, and headers the runtime sends on every call, are accepted.
    drop(
        server
            .list_upload_tokens()
            .header("Authorization", "Basic x"),
    );
    drop(
        server
            .list_upload_tokens()
            .header("content-type", "application/json"),
    );
    drop(server.list_upload_tokens().query_param("sortBy", "ttl"));
    drop(
        server
            .create_upload_token()
            .body_contains(serde_json::json!({ "ttl": 60 })),
    );
}

#[tokio::test]
async fn an_unmatched_call_names_the_request_and_the_nearest_mismatch_and_verify_lists_it() {
    let server = apivideo::mock::MockServer::start().await;
    server
        .get_upload_token()
        .path_param("uploadToken", "to-mine")
        .await;
    let client = server.client(credentials()).unwrap();
    let error = client
        .get_upload_token("to-other")
        .await
        .expect_err("no expectation matches");
    assert!(
        matches!(error, Error::UnexpectedStatus { status: 418, .. }),
        "{error:?}"
    );
    let text = error.to_string();
    // The upload token is an `x-secret` path parameter: the error names the request with the
    // token the call sent scrubbed out.
    assert!(
        text.contains("no mock expectation matched GET /upload-tokens/[redacted]")
            && !text.contains("to-other"),
        "{text}"
    );
    assert!(
        text.contains("getUploadToken") && text.contains("uploadToken=\\\"to-mine\\\""),
        "{text}"
    );

    let verified = tokio::spawn(async move { server.verify().await })
        .await
        .expect_err("verify fails");
    let text = panic_text(verified.into_panic());
    assert!(
        text.contains("1 request(s) matched no mock expectation")
            && text.contains("GET /upload-tokens/to-other"),
        "{text}"
    );
}
