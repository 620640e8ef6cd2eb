//! `x-pagination` over loopback HTTP, one style at a time: `<method>_stream` is lazy and stops
//! when dropped (the server sees exactly the pages consumed), `<method>_all` honours its limit,
//! the walk ends where the spec says (the reported last page or item count, an empty page, no
//! next cursor), the first error ends it, and a cursor repeated forever cannot make it loop.
//!
//! Page numbers: api.video and Cellcast (`specs/`); offsets, cursors and pages counted from 0:
//! the corpus's `paginated.yaml`.

use api_token_clients::apivideo::{types::ListUploadTokensParams, Client, Credentials};
use api_token_clients::runtime::paginate::{StreamExt, TryStreamExt};
use api_token_clients::runtime::{BasicAuth, Error};
use corpus::paginated;
use serde_json::json;
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

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

/// Mounts api.video's pages `a b | c d | e` (3 pages reported), each expected `times[n]` times.
async fn three_pages(server: &MockServer, times: [u64; 3]) {
    for ((n, tokens), times) in [(1, vec!["a", "b"]), (2, vec!["c", "d"]), (3, vec!["e"])]
        .into_iter()
        .zip(times)
    {
        Mock::given(method("GET"))
            .and(path("/upload-tokens"))
            .and(query_param("currentPage", n.to_string()))
            .and(query_param("pageSize", "2"))
            .respond_with(ResponseTemplate::new(200).set_body_json(page(&tokens, n, 3)))
            .expect(times)
            .mount(server)
            .await;
    }
}

fn two_per_page() -> ListUploadTokensParams {
    ListUploadTokensParams::new().with_page_size(2)
}

fn tokens(all: &[api_token_clients::apivideo::types::UploadToken]) -> Vec<&str> {
    all.iter()
        .filter_map(|t| t.token.as_ref().map(|s| s.expose()))
        .collect()
}

#[tokio::test]
async fn walks_pages_until_the_reported_last_page() {
    let server = MockServer::start().await;
    three_pages(&server, [1, 1, 1]).await;
    let all = client(&server.uri())
        .list_upload_tokens_all(&two_per_page(), usize::MAX)
        .await
        .expect("all pages");
    assert_eq!(tokens(&all), ["a", "b", "c", "d", "e"]);
    server.verify().await;
}

#[tokio::test]
async fn a_dropped_stream_fetches_no_more_pages() {
    let server = MockServer::start().await;
    // Three items are two pages: the third page is never asked for.
    three_pages(&server, [1, 1, 0]).await;
    let client = client(&server.uri());
    let params = two_per_page();
    let stream = client.list_upload_tokens_stream(&params);
    assert!(
        server
            .received_requests()
            .await
            .unwrap_or_default()
            .is_empty(),
        "nothing is sent before the stream is polled"
    );
    let mut seen = Vec::new();
    {
        let mut stream = std::pin::pin!(stream);
        while let Some(token) = stream.try_next().await.expect("page") {
            seen.extend(token.token.map(|s| s.expose().to_owned()));
            if seen.len() == 3 {
                break;
            }
        }
        // The stream is dropped here, a page and a half in.
    }
    assert_eq!(seen, ["a", "b", "c"]);
    server.verify().await;
}

#[tokio::test]
async fn all_stops_at_its_limit() {
    let server = MockServer::start().await;
    three_pages(&server, [1, 1, 0]).await;
    let client = client(&server.uri());
    let some = client
        .list_upload_tokens_all(&two_per_page(), 3)
        .await
        .expect("pages");
    assert_eq!(tokens(&some), ["a", "b", "c"]);
    let none = client
        .list_upload_tokens_all(&two_per_page(), 0)
        .await
        .expect("no page");
    assert!(none.is_empty());
    server.verify().await;
}

#[tokio::test]
async fn pages_come_whole() {
    let server = MockServer::start().await;
    three_pages(&server, [1, 1, 1]).await;
    let pages: Vec<usize> = client(&server.uri())
        .list_upload_tokens_pages(&two_per_page())
        .map_ok(|page| page.len())
        .try_collect()
        .await
        .expect("pages");
    assert_eq!(pages, [2, 2, 1]);
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
        .list_upload_tokens_all(&params, usize::MAX)
        .await
        .expect("pages");
    assert_eq!(all.len(), 1);
    server.verify().await;
}

#[tokio::test]
async fn an_error_on_a_later_page_is_yielded_and_ends_the_stream() {
    let server = MockServer::start().await;
    // Walked twice: as a stream, then with `_all`.
    Mock::given(query_param("currentPage", "1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(&["a"], 1, 3)))
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(query_param("currentPage", "2"))
        .respond_with(
            ResponseTemplate::new(429)
                .set_body_json(json!({"status": 429, "title": "Too many requests."})),
        )
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(query_param("currentPage", "3"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(&["c"], 3, 3)))
        .expect(0)
        .mount(&server)
        .await;
    let client = client(&server.uri());
    let results: Vec<_> = client
        .list_upload_tokens_stream(&ListUploadTokensParams::default())
        .collect()
        .await;
    assert_eq!(results.len(), 2, "the item of page 1, then the error");
    assert!(results[0].is_ok());
    assert_eq!(results[1].as_ref().err().and_then(Error::status), Some(429));
    let err = client
        .list_upload_tokens_all(&ListUploadTokensParams::default(), usize::MAX)
        .await
        .expect_err("the 429 surfaces");
    assert_eq!(err.status(), Some(429));
    server.verify().await;
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
        .list_api_tokens_all(&Default::default(), usize::MAX)
        .await
        .expect("pages");
    assert_eq!(
        all.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(),
        ["id1", "id2"]
    );
    server.verify().await;
}

fn corpus_client(base: &str) -> paginated::Client {
    paginated::Client::new(base, paginated::Credentials::default(), tests::config())
        .expect("client")
}

/// The values of query parameter `name` in the requests the server got, in order.
async fn asked(server: &MockServer, name: &str) -> Vec<Option<String>> {
    let requests: Vec<Request> = server.received_requests().await.unwrap_or_default();
    requests
        .iter()
        .map(|r| {
            r.url
                .query_pairs()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.into_owned())
        })
        .collect()
}

/// Things `0..total`, served `offset..offset + limit` at a time with the total when `report`.
fn things(request: &Request, total: usize, report: bool) -> ResponseTemplate {
    let query = |name: &str| {
        request
            .url
            .query_pairs()
            .find(|(k, _)| k == name)
            .and_then(|(_, v)| v.parse::<usize>().ok())
    };
    let offset = query("offset").unwrap_or(0);
    let limit = query("limit").unwrap_or(10);
    let data: Vec<_> = (offset..total.min(offset + limit))
        .map(|n| json!({"id": format!("t{n}")}))
        .collect();
    let body = if report {
        json!({"data": data, "meta": {"total": total}})
    } else {
        json!({"data": data})
    };
    ResponseTemplate::new(200).set_body_json(body)
}

fn ids(things: &[paginated::types::Thing]) -> Vec<&str> {
    things.iter().map(|t| t.id.as_str()).collect()
}

fn by_two() -> paginated::types::ListThingsParams {
    paginated::types::ListThingsParams::new().with_limit(2)
}

#[tokio::test]
async fn offsets_advance_by_the_items_read_and_stop_at_the_reported_total() {
    let server = MockServer::start().await;
    Mock::given(path("/projects/p1/things"))
        .respond_with(|r: &Request| things(r, 5, true))
        .mount(&server)
        .await;
    let client = corpus_client(&server.uri());
    let all = client
        .list_things_all("p1", &by_two(), usize::MAX)
        .await
        .expect("pages");
    assert_eq!(ids(&all), ["t0", "t1", "t2", "t3", "t4"]);
    let offsets = asked(&server, "offset").await;
    assert_eq!(
        offsets,
        [Some("0"), Some("2"), Some("4")].map(|o| o.map(str::to_owned))
    );
    // The caller's page size goes with every request.
    assert!(asked(&server, "limit")
        .await
        .iter()
        .all(|l| l.as_deref() == Some("2")));
}

#[tokio::test]
async fn offsets_without_a_total_stop_at_an_empty_page_and_honour_the_limit() {
    let server = MockServer::start().await;
    Mock::given(path("/projects/p1/things"))
        .respond_with(|r: &Request| things(r, 3, false))
        .mount(&server)
        .await;
    let client = corpus_client(&server.uri());
    let all = client
        .list_things_all("p1", &by_two(), usize::MAX)
        .await
        .expect("pages");
    assert_eq!(ids(&all), ["t0", "t1", "t2"]);
    assert_eq!(
        asked(&server, "offset").await.len(),
        3,
        "the empty page ends it"
    );

    let server = MockServer::start().await;
    Mock::given(path("/projects/p1/things"))
        .respond_with(|r: &Request| things(r, 100, true))
        .mount(&server)
        .await;
    let client = corpus_client(&server.uri());
    let some = client
        .list_things_all("p1", &by_two(), 3)
        .await
        .expect("pages");
    assert_eq!(ids(&some), ["t0", "t1", "t2"]);
    assert_eq!(asked(&server, "offset").await.len(), 2);
    // Dropping a stream after one item: one page.
    let server = MockServer::start().await;
    Mock::given(path("/projects/p1/things"))
        .respond_with(|r: &Request| things(r, 100, true))
        .mount(&server)
        .await;
    let client = corpus_client(&server.uri());
    let stream = client.list_things_stream("p1", &by_two());
    let first: Vec<_> = stream.take(1).try_collect().await.expect("one");
    assert_eq!(ids(&first), ["t0"]);
    assert_eq!(asked(&server, "offset").await.len(), 1);
}

#[tokio::test]
async fn an_error_mid_walk_ends_the_offset_stream() {
    let server = MockServer::start().await;
    Mock::given(query_param("offset", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("{not json", "application/json"))
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(path("/projects/p1/things"))
        .respond_with(|r: &Request| things(r, 10, true))
        .with_priority(2)
        .mount(&server)
        .await;
    let client = corpus_client(&server.uri());
    let results: Vec<_> = client.list_things_stream("p1", &by_two()).collect().await;
    assert_eq!(results.len(), 3, "two items, then the error");
    assert!(matches!(results[2], Err(Error::Decode { .. })));
    assert_eq!(asked(&server, "offset").await.len(), 2);
}

/// Mounts a page of events answering `cursor` (absent for the first page).
async fn events(server: &MockServer, cursor: Option<&str>, ids: &[&str], next: Option<&str>) {
    let matcher = match cursor {
        Some(c) => Mock::given(query_param("starting_after", c)),
        None => Mock::given(query_param_is_missing("starting_after")),
    };
    let events: Vec<_> = ids.iter().map(|id| json!({"id": id})).collect();
    matcher
        .and(path("/events"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"events": events, "next_cursor": next})),
        )
        .mount(server)
        .await;
}

fn event_ids(events: &[paginated::types::Event]) -> Vec<&str> {
    events.iter().map(|e| e.id.as_str()).collect()
}

#[tokio::test]
async fn cursors_are_followed_until_the_server_gives_none() {
    let server = MockServer::start().await;
    events(&server, None, &["e1", "e2"], Some("c1")).await;
    events(&server, Some("c1"), &["e3"], Some("c2")).await;
    events(&server, Some("c2"), &["e4"], None).await;
    let client = corpus_client(&server.uri());
    let params = paginated::types::ListEventsParams::new().with_kind("login");
    let all = client
        .list_events2_all(&params, usize::MAX)
        .await
        .expect("pages");
    assert_eq!(event_ids(&all), ["e1", "e2", "e3", "e4"]);
    assert_eq!(
        asked(&server, "starting_after").await,
        [None, Some("c1".to_owned()), Some("c2".to_owned())]
    );
    assert!(asked(&server, "kind")
        .await
        .iter()
        .all(|k| k.as_deref() == Some("login")));
    // The operation called `listEvents_stream` kept its name (a call, not a stream).
    drop(client.list_events_stream());

    // A stream dropped after the first page's items asks for no second page.
    let server = MockServer::start().await;
    events(&server, None, &["e1", "e2"], Some("c1")).await;
    let client = corpus_client(&server.uri());
    let first: Vec<_> = client
        .list_events2_stream(&Default::default())
        .take(2)
        .try_collect()
        .await
        .expect("page");
    assert_eq!(event_ids(&first), ["e1", "e2"]);
    assert_eq!(asked(&server, "starting_after").await, [None]);
}

#[tokio::test]
async fn a_cursor_repeated_forever_ends_the_walk_with_an_error() {
    let server = MockServer::start().await;
    // Page 2 differs from page 1, so the cursor repeats and the page does not.
    Mock::given(path("/events"))
        .and(query_param("starting_after", "same"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"events": [{"id": "e2"}], "next_cursor": "same"})),
        )
        .mount(&server)
        .await;
    Mock::given(path("/events"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"events": [{"id": "e"}], "next_cursor": "same"})),
        )
        .mount(&server)
        .await;
    let client = corpus_client(&server.uri());
    let results: Vec<_> = client
        .list_events2_stream(&Default::default())
        .collect()
        .await;
    assert_eq!(
        results.len(),
        3,
        "page 1, page 2 (after `same`), then the error"
    );
    assert!(matches!(
        results[2],
        Err(Error::RepeatedCursor {
            operation: "listEvents"
        })
    ));
    assert_eq!(
        asked(&server, "starting_after").await,
        [None, Some("same".to_owned())]
    );
    let err = client
        .list_events2_all(&Default::default(), usize::MAX)
        .await
        .expect_err("the loop is refused");
    assert!(err.to_string().contains("already returned"), "{err}");
}

#[tokio::test]
async fn an_error_mid_walk_ends_the_cursor_stream() {
    let server = MockServer::start().await;
    events(&server, None, &["e1"], Some("c1")).await;
    Mock::given(query_param("starting_after", "c1"))
        .respond_with(ResponseTemplate::new(500))
        .mount(&server)
        .await;
    let client = corpus_client(&server.uri());
    let results: Vec<_> = client
        .list_events2_stream(&Default::default())
        .collect()
        .await;
    assert_eq!(results.len(), 2);
    assert_eq!(results[1].as_ref().err().and_then(Error::status), Some(500));
}

#[tokio::test]
async fn page_numbers_from_zero_without_a_total_stop_at_an_empty_page() {
    let server = MockServer::start().await;
    for (n, numbers) in [(0, vec![1, 2]), (1, vec![3]), (2, vec![])] {
        Mock::given(path("/numbers"))
            .and(query_param("page", n.to_string()))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"numbers": numbers})))
            .expect(1)
            .mount(&server)
            .await;
    }
    let client = corpus_client(&server.uri());
    let all = client
        .list_numbers_all(&Default::default(), usize::MAX)
        .await
        .expect("pages");
    assert_eq!(all, [1, 2, 3]);
    server.verify().await;
}

/// The streams and `_all` futures can move to another task (`tokio::spawn`).
#[test]
fn streams_are_send() {
    fn send<T: Send>(_: &T) {}
    let corpus = corpus_client("http://127.0.0.1:9");
    send(&corpus.list_things_stream("p", &by_two()));
    send(&corpus.list_events2_pages(&Default::default()));
    send(&corpus.list_numbers_all(&Default::default(), 1));
    let apivideo = client("http://127.0.0.1:9");
    send(&apivideo.list_upload_tokens_stream(&two_per_page()));
}
