//! The generated API's shape as a user meets it: one error type per vendor that `?` converts
//! every call's error into, every type in `types`, keyword fields without raw identifiers,
//! success payloads without the member that marks an enveloped failure, and models and
//! parameters built with `new`, `with_` setters and `Default` (they are `#[non_exhaustive]`, so
//! a field the vendor adds later is not a breaking change).

use api_token_clients::runtime::{self, BasicAuth};
use api_token_clients::{actian_vectorai, apivideo, tencent_vod};
use generator::diff::{Class, Rule};
use serde_json::json;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn apivideo_client(base: &str) -> apivideo::Client {
    let credentials = apivideo::Credentials::default().with_api_key(BasicAuth::api_key("k"));
    apivideo::Client::new(base, credentials, tests::config()).expect("client")
}

/// Two different operations in one function: `?` turns both errors into `apivideo::Error`.
async fn create_then_fetch(client: &apivideo::Client) -> Result<String, apivideo::Error> {
    let created = client
        .create_upload_token(&apivideo::types::TokenCreationPayload::new().with_ttl(60))
        .await?;
    let token = created.token.expect("a token").expose().to_owned();
    let found = client.get_upload_token(&token).await?;
    Ok(found
        .token
        .map(|t| t.expose().to_owned())
        .unwrap_or_default())
}

#[tokio::test]
async fn question_mark_converts_every_operations_error_into_the_vendor_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/upload-tokens"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"token": "to1", "ttl": 60})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/upload-tokens/to1"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({
            "type": "https://docs.api.video/reference/resource-not-found",
            "title": "The requested resource was not found.",
            "name": "uploadToken",
            "status": 404
        })))
        .mount(&server)
        .await;
    let error = create_then_fetch(&apivideo_client(&server.uri()))
        .await
        .expect_err("the fetch is a 404");
    assert_eq!(error.status(), Some(404));
    assert_eq!(error.operation(), "getUploadToken");
    assert!(error.to_string().contains("getUploadToken"), "{error}");
    // The operation's own typed error is still there to match on; the keyword field `type`
    // is `kind`, and keeps its wire name.
    match error {
        apivideo::Error::GetUploadToken(runtime::Error::Api {
            error: apivideo::types::GetUploadTokenError::NotFound(body),
            ..
        }) => {
            assert_eq!(
                body.kind.as_deref(),
                Some("https://docs.api.video/reference/resource-not-found")
            );
            let wire = serde_json::to_value(&body).expect("serializes");
            assert!(
                wire.get("type").is_some() && wire.get("kind").is_none(),
                "{wire}"
            );
        }
        other => panic!("expected the documented 404, got {other:?}"),
    }
    // A boxed `dyn Error` works too, for callers mixing vendors.
    let boxed: Box<dyn std::error::Error + Send + Sync> = apivideo::Error::from(runtime::Error::<
        apivideo::types::ListUploadTokensError,
    >::Request(
        runtime::RequestError::BaseUrl("not a URL: apiKey".into()),
    ))
    .into();
    assert!(boxed.to_string().contains("apiKey"), "{boxed}");
}

#[test]
fn params_and_their_enums_live_in_types() {
    use apivideo::types::{ListUploadTokensParams, ListUploadTokensSortBy};
    let params = ListUploadTokensParams::new().with_sort_by(ListUploadTokensSortBy::CreatedAt);
    assert_eq!(params.page_size, None);
}

#[tokio::test]
async fn enveloped_success_payloads_have_no_failure_member_and_the_region_is_set_once() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(header("X-TC-Region", "ap-guangzhou"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "Response": {"ApiToken": "t0k", "RequestId": "r1", "Error": null}
        })))
        .expect(2)
        .mount(&server)
        .await;
    // One scheme: the signing key is the credential, passed as it is.
    let client = tencent_vod::Client::new(
        server.uri(),
        runtime::SigningKey::new("AKID", "secret"),
        tests::config(),
    )
    .expect("client")
    .with_region("ap-guangzhou");
    let body = tencent_vod::types::CreateAigcApiTokenRequest::new(1);
    let created = client.create_aigc_api_token(&body).await.expect("created");
    // The payload has exactly these fields (no always-`None` error): it serializes to them.
    let wire = serde_json::to_value(&created).expect("serializes");
    let keys: Vec<&String> = wire.as_object().expect("an object").keys().collect();
    assert_eq!(keys, ["ApiToken", "RequestId"]);
    let tencent_vod::types::CreateAigcApiTokenResponse {
        api_token,
        request_id,
        ..
    } = created;
    assert_eq!(api_token.expect("token").expose(), "t0k");
    assert_eq!(request_id, "r1");
    // The setting goes out on every call that declares it; the mock expects two.
    client.create_aigc_api_token(&body).await.expect("again");
}

#[test]
fn one_constructor_takes_a_server_or_any_base_url() {
    use api_token_clients::actian_vectorai::{Client, Server};
    let config = runtime::Config::default;
    let local = Client::new(Server::local(), "token", config()).expect("client");
    assert_eq!(local.base_url(), "http://localhost:6575/");
    let port = Server::Local {
        port: "6573".into(),
    };
    let moved = Client::new(port, "token".to_owned(), config()).expect("client");
    assert_eq!(moved.base_url(), "http://localhost:6573/");
    let any = Client::new("http://127.0.0.1:9", "token", config()).expect("client");
    assert_eq!(any.base_url(), "http://127.0.0.1:9/");
    let production = Client::new(Server::Production, "token", config()).expect("client");
    assert!(production
        .base_url()
        .starts_with("https://api.vectorai.actian.com"));
}

#[test]
fn bodies_and_params_are_built_with_new_setters_and_default() {
    use apivideo::types::{ListUploadTokensParams, ListUploadTokensSortBy, TokenCreationPayload};
    // Nothing required: `new()` is `Default`, and unset fields stay off the wire.
    assert_eq!(TokenCreationPayload::new(), TokenCreationPayload::default());
    let empty = serde_json::to_value(TokenCreationPayload::new()).expect("serializes");
    assert_eq!(empty, json!({}));
    let payload = TokenCreationPayload::new().with_ttl(3600);
    assert_eq!(payload.ttl, Some(3600));
    let wire = serde_json::to_value(&payload).expect("serializes");
    assert_eq!(wire, json!({"ttl": 3600}));
    // Required fields are the arguments of `new`, text as `impl Into<String>`; the wire names
    // are the spec's.
    let body = tencent_vod::types::CreateAigcApiTokenRequest::new(7);
    let wire = serde_json::to_value(&body).expect("serializes");
    assert_eq!(wire, json!({"SubAppId": 7}));
    let access = actian_vectorai::types::CreateAccessTokenRequest::new("ci", String::from("read"))
        .with_will_expire(true)
        .with_expires_in_seconds(60);
    let wire = serde_json::to_value(&access).expect("serializes");
    assert_eq!(
        wire,
        json!({"name": "ci", "permission": "read", "will_expire": true, "expires_in_seconds": 60})
    );
    // The fields stay public: read them, and assign them on a value built this way.
    let mut params = ListUploadTokensParams::default();
    params.page_size = Some(10);
    let chained = ListUploadTokensParams::new()
        .with_page_size(10)
        .with_sort_by(ListUploadTokensSortBy::Ttl);
    assert_eq!(params.with_sort_by(ListUploadTokensSortBy::Ttl), chained);
}

#[test]
fn non_exhaustive_types_are_matched_with_a_rest_pattern_and_a_wildcard() {
    use apivideo::types::{ListUploadTokensSortBy, UploadToken};
    let token: UploadToken =
        serde_json::from_value(json!({"token": "to1", "ttl": 60})).expect("decodes");
    // `..` is required: the vendor may add a field.
    let UploadToken {
        ttl, expires_at, ..
    } = &token;
    assert_eq!((*ttl, expires_at.is_none()), (Some(60), true));
    // `_` is required: the vendor may add a value (one the spec does not list yet is kept).
    let describe = |sort: &ListUploadTokensSortBy| match sort {
        ListUploadTokensSortBy::CreatedAt => "by creation".to_owned(),
        ListUploadTokensSortBy::Ttl => "by lifetime".to_owned(),
        other => format!("by {other}"),
    };
    assert_eq!(
        describe(&ListUploadTokensSortBy::from("ttl")),
        "by lifetime"
    );
    assert_eq!(describe(&ListUploadTokensSortBy::from("size")), "by size");
}

/// `cargo xtask diff`'s rules on the real api.video spec: a property added to the upload-token
/// payload is compatible when it is optional and breaking when it is required, because only
/// then does `TokenCreationPayload::new` change.
#[test]
fn the_diff_classes_an_added_optional_field_as_compatible() {
    const PAYLOAD: &str = "    TokenCreationPayload:\n      type: object\n      description: Options of a new upload token.\n";
    const PROPERTIES: &str = "      properties:\n";
    const LABEL: &str = "        label:\n          type: string\n";
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../specs/apivideo.yaml");
    let base = std::fs::read_to_string(path).expect("spec");
    let anchor = format!("{PAYLOAD}{PROPERTIES}");
    assert_eq!(
        base.matches(&anchor).count(),
        1,
        "the spec moved: update PAYLOAD"
    );
    let lower = |text: &str| {
        generator::lower_spec(&generator::SpecFile {
            path: "specs/apivideo.yaml".into(),
            text: text.into(),
        })
        .expect("lowers")
    };
    let changes = |replacement: String| -> Vec<(Rule, Class)> {
        let text = base.replacen(&anchor, &replacement, 1);
        generator::diff::compare_api(&lower(&base), &lower(&text))
            .into_iter()
            .map(|c| (c.rule, c.class))
            .collect()
    };
    let optional = changes(format!("{PAYLOAD}{PROPERTIES}{LABEL}"));
    assert_eq!(optional, [(Rule::FieldAdded, Class::Compatible)]);
    let required = changes(format!(
        "{PAYLOAD}      required: [label]\n{PROPERTIES}{LABEL}"
    ));
    assert_eq!(required, [(Rule::RequiredFieldAdded, Class::Breaking)]);
}
