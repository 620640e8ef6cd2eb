//! The real-world-shaped corpus (`tests/corpus/specs/*_style.*`), written by us after the
//! published specs of large APIs: GitHub's (JSON; many operations, extensions everywhere, scalar
//! `oneOf` path parameters, `x-` header and property names), Stripe's (YAML; form bodies,
//! `deepObject` queries, `anyOf` everywhere) and dropshot's (JSON; no servers, pagination
//! extensions, `NameOrId` parameters, object query parameters). They generate strictly (the
//! corpus crate compiles and is clippy-clean in the workspace build), and their clients work
//! over loopback HTTP.

use generator::{Severity, SpecFile};
use serde_json::json;
use wiremock::matchers::{body_string_contains, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn findings_of(name: &str) -> Vec<generator::Diagnostic> {
    let file = format!("tests/corpus/specs/{name}");
    let spec = SpecFile {
        text: std::fs::read_to_string(tests::root().join(&file)).expect("corpus spec"),
        path: file,
    };
    let (api, findings) = generator::lower_spec_reporting(&spec)
        .unwrap_or_else(|found| panic!("{name} is refused: {found:#?}"));
    assert!(!api.operations.is_empty());
    findings
}

#[test]
fn vendor_extensions_are_ignored_in_one_note_and_nothing_is_skipped() {
    let findings = findings_of("github_style.json");
    assert!(
        findings.iter().all(|d| d.severity == Severity::Note),
        "{findings:#?}"
    );
    let [note] = findings.as_slice() else {
        panic!("one note expected: {findings:#?}");
    };
    for listed in [
        "`x-github` (105x)",
        "`x-codeSamples` (105x)",
        "`x-webhooks`",
    ] {
        assert!(note.message.contains(listed), "{}", note.message);
    }
    // Header and property names are not extensions.
    for name in ["x-ratelimit-remaining", "x-oauth-scopes", "x-custom"] {
        assert!(!note.message.contains(name), "{}", note.message);
    }
    for spec in ["stripe_style.yaml", "dropshot_style.json"] {
        let findings = findings_of(spec);
        assert!(
            findings.iter().all(|d| d.severity == Severity::Note),
            "{spec}: {findings:#?}"
        );
    }
}

#[tokio::test]
async fn github_style_scalar_one_of_path_parameter_and_x_names() {
    use corpus::github_style::{types, types::HooksGetError, Client, Credentials};
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/orgs/acme/hooks/ci-hook"))
        .and(header("authorization", "Bearer t0k"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": 7, "name": "ci-hook", "owner": null, "state": "open",
            "labels": ["a", {"id": 1, "name": "b"}], "x-custom": "kept"
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/orgs/acme/hooks/404"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"message": "Not Found"})))
        .mount(&server)
        .await;
    let client = Client::new(
        server.uri(),
        Credentials::default().with_bearer("t0k"),
        tests::config(),
    )
    .expect("client");
    let hook = client
        .hooks_get("acme", &types::HooksGetHookId::String("ci-hook".into()))
        .await
        .expect("hook");
    assert_eq!(hook.id, 7);
    assert_eq!(hook.x_custom.as_deref(), Some("kept"));
    assert_eq!(hook.labels.as_ref().map(Vec::len), Some(2));
    match client
        .hooks_get("acme", &types::HooksGetHookId::Integer(404))
        .await
    {
        Err(api_token_clients::runtime::Error::Api {
            error: HooksGetError::NotFound(body),
            ..
        }) => assert_eq!(body.message.as_deref(), Some("Not Found")),
        other => panic!("expected the documented 404, got {other:?}"),
    }
}

#[tokio::test]
async fn stripe_style_form_bodies_deep_object_queries_and_any_of() {
    use corpus::stripe_style::{types, types::GetCustomersParams, Client, Credentials};
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/customers"))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(body_string_contains("email=ada%40example.com"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "cus_1", "created": 1, "livemode": false, "object": "customer",
            "default_source": {"id": "card_1", "brand": "visa", "last4": "4242", "customer": "cus_1"}
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/customers"))
        .and(query_param("created[gte]", "10"))
        .and(query_param("limit", "3"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "data": [], "has_more": false, "object": "list", "url": "/v1/customers"
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/customers/cus_2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "cus_2", "deleted": true, "object": "customer"
        })))
        .mount(&server)
        .await;
    let client = Client::new(
        server.uri(),
        Credentials::default().with_bearer_auth("sk_test"),
        tests::config(),
    )
    .expect("client");
    let created = client
        .post_customers(Some(
            &types::PostCustomersRequest::new()
                .with_email("ada@example.com")
                .with_name("Ada"),
        ))
        .await
        .expect("created");
    assert!(matches!(
        created.default_source.as_deref(),
        Some(types::CustomerDefaultSource::Card(card)) if card.last4 == "4242"
    ));
    let page = client
        .get_customers(
            &GetCustomersParams::new()
                .with_created(types::GetCustomersCreated::new().with_gte(10))
                .with_limit(3),
        )
        .await
        .expect("a page");
    assert!(page.data.is_empty());
    let found = client
        .get_customers_customer("cus_2", &Default::default())
        .await
        .expect("deleted customer");
    assert!(matches!(
        found,
        types::GetCustomersCustomerResponse::DeletedCustomer(_)
    ));
}

#[tokio::test]
async fn dropshot_style_base_url_name_or_id_and_object_queries() {
    use corpus::dropshot_style::{types, types::DiskListParams, Client};
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/projects/my-project"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "description": "d", "id": "8e4a0c3e-4b0b-4c1e-9b1a-000000000001",
            "name": "my-project", "time_created": "2024-01-01T00:00:00Z"
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/disks"))
        .and(query_param("state", "attached"))
        .and(query_param("min_size", "5"))
        .and(query_param("project", "my-project"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "items": [{"id": "8e4a0c3e-4b0b-4c1e-9b1a-000000000002", "name": "d1", "size": 5}],
            "next_page": null
        })))
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/v1/projects/gone"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({
            "message": "not found", "request_id": "r1"
        })))
        .mount(&server)
        .await;
    // No `servers` in the spec: the caller gives the base URL.
    let client = Client::new(server.uri(), (), tests::config()).expect("client");
    let name = types::NameOrId::Name(serde_json::from_value(json!("my-project")).expect("name"));
    let project = client.project_view(&name).await.expect("project");
    assert_eq!(
        project.time_created.to_rfc3339(),
        "2024-01-01T00:00:00+00:00"
    );
    let disks = client
        .disk_list(
            &DiskListParams::new().with_project(name).with_filter(
                types::DiskFilter::new()
                    .with_state(types::DiskFilterState::Attached)
                    .with_min_size(5),
            ),
        )
        .await
        .expect("disks");
    assert_eq!(disks.items[0].size, 5);
    let gone = types::NameOrId::Name(serde_json::from_value(json!("gone")).expect("name"));
    let err = client.project_delete(&gone).await.expect_err("a 4XX");
    assert!(
        matches!(
            err,
            api_token_clients::runtime::Error::Api { status: 404, .. }
        ),
        "{err:?}"
    );
}
