//! Secrets never show in `Debug`: credentials (signing keys, bearer tokens, Basic keys), tokens a
//! vendor returns, and passwords in request bodies, for every vendor. The secret values are the
//! specs' own examples, decoded into the generated types (and checked to be really there).

use api_token_clients::runtime::{BasicAuth, Secret, SigningKey};
use api_token_clients::{a2e, actian_vectorai, apivideo, cellcast, tencent_vod};
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::fmt::Debug;
use tests::{config, Spec};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Neither `{:?}` nor `{:#?}` of `value` contains any of `secrets`.
fn assert_hidden(value: &impl Debug, secrets: &[&str], context: &str) {
    for debug in [format!("{value:?}"), format!("{value:#?}")] {
        for secret in secrets {
            assert!(!secret.is_empty(), "{context}: empty secret");
            assert!(
                !debug.contains(secret),
                "{context}: Debug shows {secret:?}:\n{debug}"
            );
        }
        assert!(debug.contains("redacted"), "{context}: {debug}");
    }
}

/// The response example `name` of operation `id`.
fn response_example(spec: &Spec, id: &str, name: &str) -> Value {
    spec.operation(id)
        .responses()
        .into_iter()
        .find(|case| case.name == name)
        .and_then(|case| case.body)
        .unwrap_or_else(|| panic!("{}: {id} has no response example {name}", spec.name))
}

/// The first request-body example of operation `id`.
fn request_example(spec: &Spec, id: &str) -> Value {
    spec.operation(id)
        .request_examples()
        .into_iter()
        .next()
        .map(|(_, value)| value)
        .unwrap_or_else(|| panic!("{}: {id} has no request example", spec.name))
}

fn decode<T: DeserializeOwned>(value: &Value, pointer: &str) -> T {
    let at = value
        .pointer(pointer)
        .unwrap_or_else(|| panic!("no {pointer}"));
    serde_json::from_value(at.clone()).unwrap_or_else(|e| panic!("{pointer}: {e}"))
}

fn text<'a>(value: &'a Value, pointer: &str) -> &'a str {
    value
        .pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("no string at {pointer}"))
}

fn expose(secret: &Option<Secret>) -> &str {
    secret.as_ref().map(Secret::expose).unwrap_or_default()
}

// --- Tencent Cloud VOD ---------------------------------------------------------------------

const TC_SECRET_ID: &str = "AKIDredactiontest000000000000000000";
const TC_SECRET_KEY: &str = "redaction-secret-key-00000000000";
const TC_SESSION_TOKEN: &str = "redaction-session-token";

#[test]
fn tencent_signing_key_is_redacted() {
    let key = SigningKey::new(TC_SECRET_ID, TC_SECRET_KEY).with_session_token(TC_SESSION_TOKEN);
    assert_eq!(key.secret_key.expose(), TC_SECRET_KEY);
    let secrets = [TC_SECRET_KEY, TC_SESSION_TOKEN, TC_SECRET_ID];
    assert_hidden(&key, &secrets, "SigningKey");

    let credentials = tencent_vod::Credentials::default().with_tc3(key);
    assert_hidden(&credentials, &secrets, "tencent_vod::Credentials");
    let client =
        tencent_vod::Client::new("https://vod.example", credentials, config()).expect("client");
    assert_hidden(&client, &secrets, "tencent_vod::Client");
}

#[tokio::test]
async fn tencent_created_token_is_redacted() {
    let spec = Spec::load("tencent-vod");
    let example = response_example(&spec, "createAigcApiToken", "success");
    let token = text(&example, "/Response/ApiToken");

    // As decoded by the client from the wire.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(example.clone()))
        .expect(1)
        .mount(&server)
        .await;
    let credentials =
        tencent_vod::Credentials::default().with_tc3(SigningKey::new(TC_SECRET_ID, TC_SECRET_KEY));
    let client = tencent_vod::Client::new(server.uri(), credentials, config()).expect("client");
    let body: tencent_vod::types::CreateAigcApiTokenRequest =
        decode(&request_example(&spec, "createAigcApiToken"), "");
    let result = client.create_aigc_api_token(&body).await;
    let created = result.as_ref().expect("token created");
    assert_eq!(expose(&created.api_token), token);
    assert_hidden(
        &result,
        &[token, TC_SECRET_KEY],
        "CreateAigcApiToken result",
    );

    // The whole envelope, decoded directly.
    let envelope: tencent_vod::types::CreateAigcApiTokenEnvelope = decode(&example, "");
    assert_hidden(&envelope, &[token], "CreateAigcApiTokenEnvelope");
}

#[test]
fn tencent_listed_and_deleted_tokens_are_redacted() {
    let spec = Spec::load("tencent-vod");
    let listed = response_example(&spec, "describeAigcApiTokens", "success");
    let response: tencent_vod::types::DescribeAigcApiTokensResponse = decode(&listed, "/Response");
    let tokens: Vec<&str> = listed["Response"]["ApiTokens"]
        .as_array()
        .expect("ApiTokens")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(
        response.api_tokens.as_deref().map(<[Secret]>::len),
        Some(tokens.len())
    );
    assert_hidden(&response, &tokens, "DescribeAigcApiTokensResponse");

    let request = request_example(&spec, "deleteAigcApiToken");
    let delete: tencent_vod::types::DeleteAigcApiTokenRequest = decode(&request, "");
    let token = text(&request, "/ApiToken");
    assert_eq!(delete.api_token.expose(), token);
    assert_hidden(&delete, &[token], "DeleteAigcApiTokenRequest");
}

// --- Actian VectorAI DB --------------------------------------------------------------------

#[test]
fn actian_tokens_and_passwords_are_redacted() {
    let spec = Spec::load("actian-vectorai");
    for id in ["createAccessToken", "rotateAccessToken"] {
        let example = response_example(&spec, id, "success");
        let token = text(&example, "/token");
        let decoded: actian_vectorai::types::AccessTokenWithSecret = decode(&example, "");
        assert_eq!(decoded.token.expose(), token);
        assert_hidden(&decoded, &[token], id);
    }

    let login = response_example(&spec, "adminLogin", "success");
    let jwt = text(&login, "/token");
    let decoded: actian_vectorai::types::AdminLoginResponse = decode(&login, "");
    assert_eq!(expose(&decoded.token), jwt);
    assert_hidden(&decoded, &[jwt], "AdminLoginResponse");

    for id in ["createAdminUser", "resetAdminPassword", "adminLogin"] {
        let request = request_example(&spec, id);
        let password = text(&request, "/password");
        let decoded: actian_vectorai::types::AdminPasswordRequest = decode(&request, "");
        assert_eq!(decoded.password.expose(), password);
        assert_hidden(&decoded, &[password], id);
    }

    let bearer = "actian-admin-jwt-secret";
    let credentials = actian_vectorai::Credentials::default().with_bearer_auth(bearer);
    assert_hidden(&credentials, &[bearer], "actian_vectorai::Credentials");
    let client =
        actian_vectorai::Client::new("https://a.example", credentials, config()).expect("client");
    assert_hidden(&client, &[bearer], "actian_vectorai::Client");
}

// --- A2E -----------------------------------------------------------------------------------

#[test]
fn a2e_tokens_and_passwords_are_redacted() {
    let spec = Spec::load("a2e");

    let login = response_example(&spec, "obtainLoginToken", "success");
    let token = text(&login, "/data/token");
    let decoded: a2e::types::LoginTokenData = decode(&login, "/data");
    assert_eq!(expose(&decoded.token), token);
    assert_hidden(&decoded, &[token], "LoginTokenData");

    let generated = response_example(&spec, "generateApiToken", "success");
    let token = text(&generated, "/data/token");
    let decoded: a2e::types::GeneratedApiToken = decode(&generated, "/data");
    assert_eq!(decoded.token.expose(), token);
    assert_hidden(&decoded, &[token], "GeneratedApiToken");

    let listed = response_example(&spec, "listApiTokens", "success");
    let decoded: Vec<a2e::types::ApiTokenRecord> = decode(&listed, "/data");
    let tokens: Vec<&str> = (0..decoded.len())
        .map(|i| text(&listed, &format!("/data/{i}/token")))
        .collect();
    assert_eq!(decoded.len(), 2);
    assert_hidden(&decoded, &tokens, "Vec<ApiTokenRecord>");

    let current = response_example(&spec, "getApiToken2025", "success");
    let token = text(&current, "/data/token");
    let decoded: a2e::types::ApiToken2025Data = decode(&current, "/data");
    assert_eq!(expose(&decoded.token), token);
    assert_hidden(&decoded, &[token], "ApiToken2025Data");

    let request = request_example(&spec, "obtainLoginToken");
    let password = text(&request, "/password");
    let decoded: a2e::types::ObtainLoginTokenRequest = decode(&request, "");
    assert_eq!(decoded.password.expose(), password);
    assert_hidden(&decoded, &[password], "ObtainLoginTokenRequest");

    let (login_token, api_token) = ("a2e-login-token-secret", "sk_a2e_api_token_secret");
    let credentials = a2e::Credentials::default()
        .with_login_token(login_token)
        .with_api_token(api_token);
    assert_hidden(&credentials, &[login_token, api_token], "a2e::Credentials");
    let client = a2e::Client::new("https://a2e.example", credentials, config()).expect("client");
    assert_hidden(&client, &[login_token, api_token], "a2e::Client");
}

// --- Cellcast ------------------------------------------------------------------------------

#[test]
fn cellcast_tokens_are_redacted() {
    let spec = Spec::load("cellcast");

    let created = response_example(&spec, "createApiToken", "created");
    let token = text(&created, "/data/token");
    let decoded: cellcast::types::ApiToken = decode(&created, "/data");
    assert_eq!(expose(&decoded.token), token);
    assert_hidden(&decoded, &[token], "cellcast ApiToken");

    let verified = response_example(&spec, "verifyToken", "verified");
    let token = text(&verified, "/data/token");
    let decoded: cellcast::types::VerifiedToken = decode(&verified, "/data");
    assert_eq!(decoded.token.expose(), token);
    assert_hidden(&decoded, &[token], "VerifiedToken");

    let key = "cellcast-parent-api-key-secret";
    let credentials = cellcast::Credentials::default().with_bearer(key);
    assert_hidden(&credentials, &[key], "cellcast::Credentials");
    let client =
        cellcast::Client::new("https://cellcast.example", credentials, config()).expect("client");
    assert_hidden(&client, &[key], "cellcast::Client");
}

// --- api.video -----------------------------------------------------------------------------

#[test]
fn apivideo_tokens_and_keys_are_redacted() {
    let spec = Spec::load("apivideo");
    let created = spec
        .operation("createUploadToken")
        .responses()
        .into_iter()
        .find(|case| case.status == 200)
        .and_then(|case| case.body)
        .expect("a 200 example");
    let token = text(&created, "/token");
    let decoded: apivideo::types::UploadToken = decode(&created, "");
    assert_eq!(expose(&decoded.token), token);
    assert_hidden(&decoded, &[token], "UploadToken");

    let key = "apivideo-api-key-secret";
    let basic = BasicAuth::new(key, "apivideo-password-secret");
    assert_hidden(&basic, &[key, "apivideo-password-secret"], "BasicAuth");
    let credentials = apivideo::Credentials::default().with_api_key(basic);
    assert_hidden(&credentials, &[key], "apivideo::Credentials");
    let client =
        apivideo::Client::new("https://apivideo.example", credentials, config()).expect("client");
    assert_hidden(&client, &[key], "apivideo::Client");
}

// --- Error bodies ----------------------------------------------------------------------------

/// Serves `body` with status 200 to any request.
async fn serve(body: Value) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(&server)
        .await;
    server
}

/// An answer that carries a fresh token but does not decode (one field of the wrong type) ends in
/// `Error::Decode`, whose body excerpt must not print the token.
#[tokio::test]
async fn undecodable_token_answers_do_not_leak_the_token() {
    let spec = Spec::load("tencent-vod");
    let mut example = response_example(&spec, "createAigcApiToken", "success");
    let token = text(&example, "/Response/ApiToken").to_owned();
    example["Response"]["RequestId"] = Value::from(12345);
    let server = serve(example).await;
    let credentials =
        tencent_vod::Credentials::default().with_tc3(SigningKey::new(TC_SECRET_ID, TC_SECRET_KEY));
    let client = tencent_vod::Client::new(server.uri(), credentials, config()).expect("client");
    let body: tencent_vod::types::CreateAigcApiTokenRequest =
        decode(&request_example(&spec, "createAigcApiToken"), "");
    let error = client
        .create_aigc_api_token(&body)
        .await
        .expect_err("RequestId is not a string");
    assert!(
        matches!(error, api_token_clients::runtime::Error::Decode { .. }),
        "{error:?}"
    );
    assert_hidden(&error, &[&token], "tencent Error::Decode");
    assert!(!error.to_string().contains(&token), "Display: {error}");

    let spec = Spec::load("actian-vectorai");
    let mut example = response_example(&spec, "createAccessToken", "success");
    let token = text(&example, "/token").to_owned();
    example["id"] = Value::from("twelve");
    let server = serve(example).await;
    let credentials = actian_vectorai::Credentials::default().with_bearer_auth("admin-jwt");
    let client = actian_vectorai::Client::new(server.uri(), credentials, config()).expect("client");
    let body: actian_vectorai::types::CreateAccessTokenRequest =
        decode(&request_example(&spec, "createAccessToken"), "");
    let error = client
        .create_access_token(&body)
        .await
        .expect_err("id is not an integer");
    assert!(
        matches!(error, api_token_clients::runtime::Error::Decode { .. }),
        "{error:?}"
    );
    assert_hidden(&error, &[&token], "actian Error::Decode");
    assert!(!error.to_string().contains(&token), "Display: {error}");
}

#[tokio::test]
async fn secret_named_properties_kept_unnamed_are_redacted_like_excerpts() {
    // A token record with extra members the spec does not name: `Debug` hides the secret ones
    // (by the rule that redacts error excerpts) and shows the rest.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "code": 0,
            "data": [{
                "_id": "rec-1",
                "alias": "ci",
                "apiKey": "extra-api-key-SECRET",
                "refresh_token": "extra-refresh-SECRET",
                "owner": {"name": "visible-owner", "password": "nested-SECRET"},
                "scopes": ["read"]
            }]
        })))
        .mount(&server)
        .await;
    let client = a2e::Client::new(
        server.uri(),
        a2e::Credentials::default().with_login_token(Secret::new("login")),
        config(),
    )
    .unwrap();
    let records = client.list_api_tokens().await.unwrap().unwrap();
    let record = &records[0];
    assert_eq!(
        record.additional_properties["apiKey"], "extra-api-key-SECRET",
        "the value is really there"
    );
    assert_hidden(
        &records,
        &[
            "extra-api-key-SECRET",
            "extra-refresh-SECRET",
            "nested-SECRET",
        ],
        "a2e extra properties",
    );
    let debug = format!("{record:?}");
    assert!(
        debug.contains("visible-owner") && debug.contains("rec-1"),
        "{debug}"
    );
}
