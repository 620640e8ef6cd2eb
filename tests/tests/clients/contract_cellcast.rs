//! Cellcast sub-client API tokens: every operation over loopback HTTP, success and every
//! documented error (including `status: false` envelopes), against the spec's own examples.

use api_token_clients::cellcast::{types, types::ListApiTokensParams, Client, Credentials};
use tests::{config, Contract, Spec};

const API_KEY: &str = "cellcast-parent-key-123";
const AUTHORIZATION: &str = "Bearer cellcast-parent-key-123";

fn client(base: &str) -> Client {
    let credentials = Credentials::default().with_bearer(API_KEY);
    Client::new(base, credentials, config()).expect("client")
}

fn spec() -> Spec {
    Spec::load("cellcast")
}

#[tokio::test]
async fn create_api_token() {
    let spec = spec();
    let contract =
        Contract::new(&spec, "createApiToken").auth_header("authorization", AUTHORIZATION);
    let body: types::CreateApiTokenRequest = contract.operation().request_body();
    let cases = contract
        .run(|base| {
            let body = body.clone();
            async move { client(&base).create_api_token(&body).await }
        })
        .await;
    assert!(cases >= 3, "200, 400, 401 at least; ran {cases}");
}

#[tokio::test]
async fn list_api_tokens() {
    let spec = spec();
    let contract =
        Contract::new(&spec, "listApiTokens").auth_header("authorization", AUTHORIZATION);
    let op = contract.operation();
    let mut params = ListApiTokensParams::default();
    params.sub_account_id = serde_json::from_value(op.param_example("subAccountId")).ok();
    params.status = serde_json::from_value(op.param_example("status")).ok();
    params.search = serde_json::from_value(op.param_example("search")).ok();
    params.page = serde_json::from_value(op.param_example("page")).ok();
    params.limit = serde_json::from_value(op.param_example("limit")).ok();
    assert!(
        params.sub_account_id.is_some()
            && params.status.is_some()
            && params.search.is_some()
            && params.page.is_some()
            && params.limit.is_some(),
        "every example decodes: {params:?}"
    );
    let cases = contract
        .run(|base| {
            let params = params.clone();
            async move { client(&base).list_api_tokens(&params).await }
        })
        .await;
    assert!(cases >= 2, "200, 401 at least; ran {cases}");
}

#[tokio::test]
async fn update_api_token() {
    let spec = spec();
    let contract =
        Contract::new(&spec, "updateApiToken").auth_header("authorization", AUTHORIZATION);
    let op = contract.operation();
    let id = op.param_example("id");
    let id = id.as_str().expect("string example").to_owned();
    let body: types::UpdateApiTokenRequest = op.request_body();
    let cases = contract
        .run(|base| {
            let (id, body) = (id.clone(), body.clone());
            async move { client(&base).update_api_token(&id, &body).await }
        })
        .await;
    assert!(cases >= 4, "200, 400, 401, 404 at least; ran {cases}");
}

#[tokio::test]
async fn delete_api_token() {
    let spec = spec();
    let contract =
        Contract::new(&spec, "deleteApiToken").auth_header("authorization", AUTHORIZATION);
    let id = contract.operation().param_example("id");
    let id = id.as_str().expect("string example").to_owned();
    let cases = contract
        .run(|base| {
            let id = id.clone();
            async move { client(&base).delete_api_token(&id).await }
        })
        .await;
    assert!(cases >= 3, "200, 401, 404 at least; ran {cases}");
}

#[tokio::test]
async fn verify_token() {
    let spec = spec();
    let contract = Contract::new(&spec, "verifyToken").auth_header("authorization", AUTHORIZATION);
    let cases = contract
        .run(|base| async move { client(&base).verify_token().await })
        .await;
    assert!(cases >= 2, "200, 401 at least; ran {cases}");
}

#[test]
fn every_operation_has_a_contract_test() {
    let tested = [
        "createApiToken",
        "listApiTokens",
        "updateApiToken",
        "deleteApiToken",
        "verifyToken",
    ];
    assert_eq!(spec().operation_ids(), tested);
}
