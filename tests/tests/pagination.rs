//! `x-pagination`: the `_all` methods walk every page over loopback HTTP and stop where the
//! spec says (the reported last page, or an empty page).

use api_token_clients::apivideo::{types::ListUploadTokensParams, Client, Credentials};
use api_token_clients::runtime::BasicAuth;
use serde_json::json;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn page(tokens: &[&str], current: i64, total: i64) -> serde_json::Value {
    json!({
        "data": tokens.iter().map(|t| json!({"token": t, "ttl": 0, "createdAt": "2020-12-02T10:13:19+00:00"})).collect::<Vec<_>>(),
        "pagination": {"currentPage": current, "pagesTotal": total, "pageSize": 2, "itemsTotal": 5, "links": []}
    })
}

fn client(base: &str) -> Client {
    Client::new(
        base,
        Credentials::default().with_api_key(BasicAuth::api_key("k")),
        tests::config(),
    )
    .expect("client")
}

#[tokio::test]
async fn walks_pages_until_the_reported_last_page() {
    let server = MockServer::start().await;
    for (n, tokens) in [(1, vec!["a", "b"]), (2, vec!["c", "d"]), (3, vec!["e"])] {
        Mock::given(method("GET"))
            .and(path("/upload-tokens"))
            .and(query_param("currentPage", n.to_string()))
            .and(query_param("pageSize", "2"))
            .respond_with(ResponseTemplate::new(200).set_body_json(page(&tokens, n, 3)))
            .expect(1)
            .mount(&server)
            .await;
    }
    let params = ListUploadTokensParams::new().with_page_size(2);
    let all = client(&server.uri())
        .list_upload_tokens_all(&params)
        .await
        .expect("all pages");
    let tokens: Vec<&str> = all
        .iter()
        .filter_map(|t| t.token.as_ref().map(|s| s.expose()))
        .collect();
    assert_eq!(tokens, ["a", "b", "c", "d", "e"]);
    server.verify().await;
}

#[tokio::test]
async fn starts_at_the_given_page_and_stops_at_an_empty_one() {
    let server = MockServer::start().await;
    Mock::given(query_param("currentPage", "4"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(&["x"], 4, 99)))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(query_param("currentPage", "5"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(&[], 5, 99)))
        .expect(1)
        .mount(&server)
        .await;
    let params = ListUploadTokensParams::new().with_current_page(4);
    let all = client(&server.uri())
        .list_upload_tokens_all(&params)
        .await
        .expect("pages");
    assert_eq!(all.len(), 1);
    server.verify().await;
}

#[tokio::test]
async fn an_error_on_a_later_page_ends_the_walk() {
    let server = MockServer::start().await;
    Mock::given(query_param("currentPage", "1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(&["a"], 1, 2)))
        .mount(&server)
        .await;
    Mock::given(query_param("currentPage", "2"))
        .respond_with(
            ResponseTemplate::new(429)
                .set_body_json(json!({"status": 429, "title": "Too many requests."})),
        )
        .mount(&server)
        .await;
    let err = client(&server.uri())
        .list_upload_tokens_all(&ListUploadTokensParams::default())
        .await
        .expect_err("the 429 surfaces");
    assert_eq!(err.status(), Some(429));
}

#[tokio::test]
async fn cellcast_pages_inside_its_envelope() {
    use api_token_clients::cellcast;
    let server = MockServer::start().await;
    for n in 1..=2 {
        let body = json!({
            "status": true, "message": "Success", "error": {},
            "data": {"items": [{"_id": format!("id{n}"), "name": "n"}], "totalPages": 2, "prevPage": null, "nextPage": null}
        });
        Mock::given(query_param("page", n.to_string()))
            .respond_with(ResponseTemplate::new(200).set_body_json(body))
            .expect(1)
            .mount(&server)
            .await;
    }
    let credentials = cellcast::Credentials::default().with_bearer("key");
    let client = cellcast::Client::new(server.uri(), credentials, tests::config()).expect("client");
    let all = client
        .list_api_tokens_all(&Default::default())
        .await
        .expect("pages");
    assert_eq!(
        all.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(),
        ["id1", "id2"]
    );
    server.verify().await;
}
