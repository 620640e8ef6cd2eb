//! api.video upload tokens: every operation over loopback HTTP, success and every documented
//! error, against the spec's own examples.

use api_token_clients::apivideo::{types, types::ListUploadTokensParams, Client, Credentials};
use api_token_clients::runtime::BasicAuth;
use tests::{config, Contract, Spec};

const API_KEY: &str = "sandbox-key-123";
// base64("sandbox-key-123:"): the key as user name, empty password.
const AUTHORIZATION: &str = "Basic c2FuZGJveC1rZXktMTIzOg==";

fn client(base: &str) -> Client {
    let credentials = Credentials::default().with_api_key(BasicAuth::api_key(API_KEY));
    Client::new(base, credentials, config()).expect("client")
}

fn spec() -> Spec {
    Spec::load("apivideo")
}

#[tokio::test]
async fn list_upload_tokens() {
    let spec = spec();
    let contract =
        Contract::new(&spec, "listUploadTokens").auth_header("authorization", AUTHORIZATION);
    let op = contract.operation();
    let mut params = ListUploadTokensParams::default();
    params.sort_by = serde_json::from_value(op.param_example("sortBy")).ok();
    params.sort_order = serde_json::from_value(op.param_example("sortOrder")).ok();
    params.current_page = serde_json::from_value(op.param_example("currentPage")).ok();
    params.page_size = serde_json::from_value(op.param_example("pageSize")).ok();
    assert!(params.sort_by.is_some() && params.page_size.is_some());
    let cases = contract
        .run(|base| {
            let params = params.clone();
            async move { client(&base).list_upload_tokens(&params).await }
        })
        .await;
    assert!(cases >= 3, "200, 401, 429 at least; ran {cases}");
}

#[tokio::test]
async fn create_upload_token() {
    let spec = spec();
    let contract =
        Contract::new(&spec, "createUploadToken").auth_header("authorization", AUTHORIZATION);
    let body: types::TokenCreationPayload = contract.operation().request_body();
    let cases = contract
        .run(|base| {
            let body = body.clone();
            async move { client(&base).create_upload_token(&body).await }
        })
        .await;
    assert!(cases >= 4, "200, 400, 401, 429 at least; ran {cases}");
}

#[tokio::test]
async fn get_upload_token() {
    let spec = spec();
    let contract =
        Contract::new(&spec, "getUploadToken").auth_header("authorization", AUTHORIZATION);
    let token = contract.operation().param_example("uploadToken");
    let token = token.as_str().expect("string example").to_owned();
    let cases = contract
        .run(|base| {
            let token = token.clone();
            async move { client(&base).get_upload_token(&token).await }
        })
        .await;
    assert!(cases >= 4, "200, 401, 404, 429 at least; ran {cases}");
}

#[tokio::test]
async fn delete_upload_token() {
    let spec = spec();
    let contract =
        Contract::new(&spec, "deleteUploadToken").auth_header("authorization", AUTHORIZATION);
    let token = contract.operation().param_example("uploadToken");
    let token = token.as_str().expect("string example").to_owned();
    let cases = contract
        .run(|base| {
            let token = token.clone();
            async move { client(&base).delete_upload_token(&token).await }
        })
        .await;
    assert!(cases >= 4, "204, 401, 404, 429 at least; ran {cases}");
}

#[test]
fn every_operation_has_a_contract_test() {
    let tested = [
        "listUploadTokens",
        "createUploadToken",
        "getUploadToken",
        "deleteUploadToken",
    ];
    assert_eq!(spec().operation_ids(), tested);
}
