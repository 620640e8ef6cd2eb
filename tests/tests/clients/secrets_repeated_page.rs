//! A server that ignores the page number (it answers page 1 for every page while reporting a
//! million pages) ends the walk with `Error::RepeatedPage` after one page, instead of 10,000
//! requests and 29,997 duplicates; the CLI exits 6 for it, like a repeated cursor.

use api_token_clients::apivideo;
use api_token_clients::runtime::{BasicAuth, Config, Error, ErrorKind};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const PAGE_ONE: &str = r#"{"data":[
  {"token":"to1","ttl":10,"createdAt":"2024-01-01T00:00:00Z"},
  {"token":"to2","ttl":10,"createdAt":"2024-01-01T00:00:00Z"},
  {"token":"to3","ttl":10,"createdAt":"2024-01-01T00:00:00Z"}],
  "pagination":{"currentPage":1,"pagesTotal":1000000,"itemsTotal":3000000,"currentPageItems":3,"pageSize":3,"links":[]}}"#;

#[tokio::test]
async fn a_server_ignoring_the_page_number_ends_the_walk_with_a_typed_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/upload-tokens"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(PAGE_ONE, "application/json"))
        .mount(&server)
        .await;
    let client = apivideo::Client::new(
        server.uri(),
        apivideo::Credentials::default().with_api_key(BasicAuth::api_key("key-0001")),
        Config::default(),
    )
    .unwrap();
    let error = client
        .list_upload_tokens_all(&Default::default(), usize::MAX)
        .await
        .expect_err("the repeated page is refused");
    assert!(
        matches!(
            error,
            Error::RepeatedPage {
                operation: "listUploadTokens"
            }
        ),
        "{error:?}"
    );
    assert_eq!(error.kind(), ErrorKind::Decode, "CLI exit 6");
    assert!(error.to_string().contains("already returned"), "{error}");
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}
