//! Actian VectorAI DB authentication API: every operation over loopback HTTP, success and every
//! documented error, against the spec's own examples.

use api_token_clients::actian_vectorai::{types, Client, Credentials};
use tests::{config, Contract, Spec};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const ADMIN_JWT: &str = "admin-jwt-eyJhbGciOiJIUzI1NiJ9";
const AUTHORIZATION: &str = "Bearer admin-jwt-eyJhbGciOiJIUzI1NiJ9";

fn client(base: &str) -> Client {
    let credentials = Credentials::default().with_bearer_auth(ADMIN_JWT);
    Client::new(base, credentials, config()).expect("client")
}

fn spec() -> Spec {
    Spec::load("actian-vectorai")
}

fn token_id(contract: &Contract<'_>) -> i64 {
    contract
        .operation()
        .param_example("token_id")
        .as_i64()
        .expect("integer example")
}

#[tokio::test]
async fn create_access_token() {
    let spec = spec();
    let contract =
        Contract::new(&spec, "createAccessToken").auth_header("authorization", AUTHORIZATION);
    let body: types::CreateAccessTokenRequest = contract.operation().request_body();
    let cases = contract
        .run(|base| {
            let body = body.clone();
            async move { client(&base).create_access_token(&body).await }
        })
        .await;
    assert!(cases >= 3, "200, 401, 403 at least; ran {cases}");
}

#[tokio::test]
async fn list_access_tokens() {
    let spec = spec();
    let contract =
        Contract::new(&spec, "listAccessTokens").auth_header("authorization", AUTHORIZATION);
    let cases = contract
        .run(|base| async move { client(&base).list_access_tokens().await })
        .await;
    assert!(cases >= 3, "200, 401, 403 at least; ran {cases}");
}

#[tokio::test]
async fn delete_access_token() {
    let spec = spec();
    let contract =
        Contract::new(&spec, "deleteAccessToken").auth_header("authorization", AUTHORIZATION);
    let id = token_id(&contract);
    let cases = contract
        .run(|base| async move { client(&base).delete_access_token(id).await })
        .await;
    assert!(cases >= 4, "200, 401, 403, 404 at least; ran {cases}");
}

#[tokio::test]
async fn rotate_access_token() {
    let spec = spec();
    let contract =
        Contract::new(&spec, "rotateAccessToken").auth_header("authorization", AUTHORIZATION);
    let id = token_id(&contract);
    let cases = contract
        .run(|base| async move { client(&base).rotate_access_token(id).await })
        .await;
    assert!(cases >= 4, "200, 400, 401, 403 at least; ran {cases}");
}

#[tokio::test]
async fn create_admin_user() {
    let spec = spec();
    let contract =
        Contract::new(&spec, "createAdminUser").auth_header("authorization", AUTHORIZATION);
    let body: types::AdminPasswordRequest = contract.operation().request_body();
    let cases = contract
        .run(|base| {
            let body = body.clone();
            async move { client(&base).create_admin_user(&body).await }
        })
        .await;
    assert!(cases >= 3, "200, 400, 409 at least; ran {cases}");
}

#[tokio::test]
async fn reset_admin_password() {
    let spec = spec();
    let contract =
        Contract::new(&spec, "resetAdminPassword").auth_header("authorization", AUTHORIZATION);
    let body: types::AdminPasswordRequest = contract.operation().request_body();
    let cases = contract
        .run(|base| {
            let body = body.clone();
            async move { client(&base).reset_admin_password(&body).await }
        })
        .await;
    assert!(cases >= 3, "200, 400, 404 at least; ran {cases}");
}

#[tokio::test]
async fn admin_login() {
    let spec = spec();
    // `security: []`: no credentials are required (see `unauthenticated_operations_send_no_credentials`).
    let contract = Contract::new(&spec, "adminLogin");
    let body: types::AdminPasswordRequest = contract.operation().request_body();
    let cases = contract
        .run(|base| {
            let body = body.clone();
            async move { client(&base).admin_login(&body).await }
        })
        .await;
    assert!(cases >= 3, "200, 400, 401 at least; ran {cases}");
}

#[tokio::test]
async fn check_admin_exists() {
    let spec = spec();
    // `security: []`: no credentials are required (see `unauthenticated_operations_send_no_credentials`).
    let contract = Contract::new(&spec, "checkAdminExists");
    let cases = contract
        .run(|base| async move { client(&base).check_admin_exists().await })
        .await;
    assert!(
        cases >= 2,
        "200 (exists), 200 (does not exist) at least; ran {cases}"
    );
}

#[tokio::test]
async fn set_auth_enabled() {
    let spec = spec();
    let contract =
        Contract::new(&spec, "setAuthEnabled").auth_header("authorization", AUTHORIZATION);
    let body: types::SetAuthEnabledRequest = contract.operation().request_body();
    let cases = contract
        .run(|base| {
            let body = body.clone();
            async move { client(&base).set_auth_enabled(&body).await }
        })
        .await;
    assert!(cases >= 3, "200, 400, 401 at least; ran {cases}");
}

/// Operations declared with `security: []` must not send the bearer credential the client holds.
#[tokio::test]
async fn unauthenticated_operations_send_no_credentials() {
    let spec = spec();
    let login = spec.operation("adminLogin");
    let exists = spec.operation("checkAdminExists");
    let server = MockServer::start().await;
    for op in [&login, &exists] {
        let case = op.responses().into_iter().next().expect("a response");
        Mock::given(method(op.method.as_str()))
            .and(path(op.request_path()))
            .respond_with(ResponseTemplate::new(case.status).set_body_json(case.body))
            .expect(1)
            .mount(&server)
            .await;
    }
    let client = client(&server.uri());
    let body: types::AdminPasswordRequest = login.request_body();
    client.admin_login(&body).await.expect("login");
    client.check_admin_exists().await.expect("exists");
    let received = server.received_requests().await.expect("recording on");
    assert_eq!(received.len(), 2);
    for request in &received {
        assert!(
            request.headers.get("authorization").is_none(),
            "{} {} carries credentials",
            request.method,
            request.url.path()
        );
    }
}

#[test]
fn every_operation_has_a_contract_test() {
    let tested = [
        "createAccessToken",
        "listAccessTokens",
        "deleteAccessToken",
        "rotateAccessToken",
        "createAdminUser",
        "resetAdminPassword",
        "adminLogin",
        "checkAdminExists",
        "setAuthEnabled",
    ];
    assert_eq!(spec().operation_ids(), tested);
}
