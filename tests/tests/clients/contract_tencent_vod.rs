//! Tencent Cloud VOD AIGC API tokens: every action over loopback HTTP, success and the failures
//! Tencent reports inside HTTP 200 (`Response.Error`), against the spec's own examples.
//!
//! The `Authorization` header is a fresh TC3-HMAC-SHA256 signature (it depends on the time), so
//! it is not matched here; `tc3_signing.rs` recomputes and checks it for every action.

use api_token_clients::runtime::SigningKey;
use api_token_clients::tencent_vod::{types, Client, Credentials};
use tests::{config, Contract, Spec};

const SECRET_ID: &str = "AKIDcontracttest0000000000000000000";
const SECRET_KEY: &str = "contract-test-secret-key-0000000";

/// The region is a client setting (`x-client-setting`): set once, sent on every call.
fn client(base: &str, region: Option<String>) -> Client {
    let credentials = Credentials::default().with_tc3(SigningKey::new(SECRET_ID, SECRET_KEY));
    let client = Client::new(base, credentials, config()).expect("client");
    match region {
        Some(region) => client.with_region(region),
        None => client,
    }
}

fn spec() -> Spec {
    Spec::load("tencent-vod")
}

fn region(contract: &Contract<'_>) -> Option<String> {
    let region = serde_json::from_value(contract.operation().param_example("X-TC-Region")).ok();
    assert!(region.is_some(), "the X-TC-Region example is a string");
    region
}

#[tokio::test]
async fn create_aigc_api_token() {
    let spec = spec();
    let contract = Contract::new(&spec, "createAigcApiToken");
    let region = region(&contract);
    let body: types::CreateAigcApiTokenRequest = contract.operation().request_body();
    let cases = contract
        .run(|base| {
            let (region, body) = (region.clone(), body.clone());
            async move { client(&base, region).create_aigc_api_token(&body).await }
        })
        .await;
    assert!(
        cases >= 2,
        "200 (token), 200 (Response.Error) at least; ran {cases}"
    );
}

#[tokio::test]
async fn describe_aigc_api_tokens() {
    let spec = spec();
    let contract = Contract::new(&spec, "describeAigcApiTokens");
    let region = region(&contract);
    let body: types::DescribeAigcApiTokensRequest = contract.operation().request_body();
    let cases = contract
        .run(|base| {
            let (region, body) = (region.clone(), body.clone());
            async move { client(&base, region).describe_aigc_api_tokens(&body).await }
        })
        .await;
    assert!(
        cases >= 2,
        "200 (tokens), 200 (Response.Error) at least; ran {cases}"
    );
}

#[tokio::test]
async fn delete_aigc_api_token() {
    let spec = spec();
    let contract = Contract::new(&spec, "deleteAigcApiToken");
    let region = region(&contract);
    let body: types::DeleteAigcApiTokenRequest = contract.operation().request_body();
    let cases = contract
        .run(|base| {
            let (region, body) = (region.clone(), body.clone());
            async move { client(&base, region).delete_aigc_api_token(&body).await }
        })
        .await;
    assert!(
        cases >= 2,
        "200 (deleted), 200 (Response.Error) at least; ran {cases}"
    );
}

#[tokio::test]
async fn update_aigc_api_token() {
    let spec = spec();
    let contract = Contract::new(&spec, "updateAigcApiToken");
    let region = region(&contract);
    let body: types::UpdateAigcApiTokenRequest = contract.operation().request_body();
    assert_eq!(
        body.action_type,
        Some(types::UpdateAigcApiTokenRequestActionType::Merge)
    );
    assert_eq!(body.ext_info, r#"{"ip":{"9.134.4.21":true}}"#);
    let cases = contract
        .run(|base| {
            let (region, body) = (region.clone(), body.clone());
            async move { client(&base, region).update_aigc_api_token(&body).await }
        })
        .await;
    assert!(
        cases >= 2,
        "200 (updated), 200 (Response.Error) at least; ran {cases}"
    );
}

/// `ExtInfos` comes back beside `ApiTokens`, one entry per token.
#[tokio::test]
async fn describe_returns_the_ext_infos() {
    let spec = spec();
    let example = spec
        .operation("describeAigcApiTokens")
        .responses()
        .into_iter()
        .find(|case| case.name == "success")
        .and_then(|case| case.body)
        .expect("the success example");
    let response: types::DescribeAigcApiTokensResponse =
        serde_json::from_value(example["Response"].clone()).expect("decodes");
    let tokens = response.api_tokens.expect("tokens");
    let infos = response.ext_infos.expect("ext infos");
    assert_eq!(infos.len(), tokens.len());
    assert_eq!(infos[0], r#"{"ip":{"9.134.4.21":true}}"#);
}

#[test]
fn every_operation_has_a_contract_test() {
    let tested = [
        "createAigcApiToken",
        "describeAigcApiTokens",
        "deleteAigcApiToken",
        "updateAigcApiToken",
    ];
    assert_eq!(spec().operation_ids(), tested);
}
