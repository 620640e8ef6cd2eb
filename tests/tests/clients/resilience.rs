//! The runtime under a hostile network, over real loopback HTTP: retries and `Retry-After`,
//! the client-side rate limiter, timeouts, malformed and oversized bodies, path and header
//! injection, secrets in `Debug`/errors/traces, and caller hooks. Each test fails when the
//! behaviour it names is removed.

use api_token_clients::runtime::{
    self, BasicAuth, Config, Credential, CredentialStore, Error, Hook, Method, NoCredentials,
    Operation, RateLimit, RateLimits, RequestError, RequestParts, ResponseInfo, RetryPolicy,
    Runtime, Scheme, SchemeKind, Secret, SigningKey,
};
use api_token_clients::{actian_vectorai, apivideo, tencent_vod};
use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tests::loopback::{self, describe, refused_base, Captured};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use wiremock::matchers::{method, path_regex};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const API_KEY: &str = "sk-live-SECRET-KEY-0001";
const TOKEN_OK: &str = r#"{"token":"to1tcmSFJyiwTQ2Ixh0ATAx","ttl":3600}"#;

/// Loopback settings: plain http allowed, retries with a tiny backoff (so a test's duration is
/// set by what the server asks, not by the default 200 ms base), spec rate limits on.
fn config() -> Config {
    Config::default()
        .allow_insecure_http()
        .timeout(Duration::from_secs(10))
        .retry(RetryPolicy::default().base_delay(Duration::from_millis(1)))
}

fn apivideo_client(base: &str, config: Config) -> apivideo::Client {
    loopback::apivideo_client(base, API_KEY, config)
}

fn tencent_client(base: &str, config: Config, key: SigningKey) -> tencent_vod::Client {
    loopback::tencent_client(base, key, config)
}

fn tencent_key() -> SigningKey {
    SigningKey::new(
        "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
        "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
    )
}

fn describe_ok() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(
        r#"{"Response":{"ApiTokens":[],"RequestId":"r-1"}}"#,
        "application/json",
    )
}

/// Answers `status` with `headers` the first `times` requests, then `then`.
async fn failing_then(
    server: &MockServer,
    times: u64,
    failure: ResponseTemplate,
    then: ResponseTemplate,
) {
    Mock::given(path_regex(".*"))
        .respond_with(failure)
        .up_to_n_times(times)
        .with_priority(1)
        .mount(server)
        .await;
    Mock::given(path_regex(".*"))
        .respond_with(then)
        .with_priority(2)
        .mount(server)
        .await;
}

async fn requests(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.expect("recording on")
}

/// A one-connection-at-a-time HTTP server that answers every request with `head`, then
/// `body_chunks` (each written separately), then keeps the connection open for `linger`.
async fn raw_server(head: String, body_chunks: Vec<Vec<u8>>, linger: Duration) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let head = head.clone();
            let chunks = body_chunks.clone();
            tokio::spawn(async move {
                let mut seen = Vec::new();
                let mut buffer = [0_u8; 4096];
                while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
                    match socket.read(&mut buffer).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => seen.extend_from_slice(&buffer[..n]),
                    }
                }
                if socket.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                for chunk in chunks {
                    if socket.write_all(&chunk).await.is_err() {
                        return;
                    }
                    let _ = socket.flush().await;
                }
                tokio::time::sleep(linger).await;
            });
        }
    });
    format!("http://{address}")
}

// ---------------------------------------------------------------------------------------------
// Retries
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn get_answered_429_twice_then_200_succeeds_after_the_waits_asked_for() {
    let server = MockServer::start().await;
    // The vendor header api.video documents, in seconds; the backoff alone would be ~1-3 ms.
    let too_many = ResponseTemplate::new(429)
        .insert_header("X-RateLimit-Retry-After", "1")
        .set_body_raw(
            r#"{"title":"Too many requests","status":429}"#,
            "application/json",
        );
    let ok = ResponseTemplate::new(200).set_body_raw(TOKEN_OK, "application/json");
    failing_then(&server, 2, too_many, ok).await;

    let started = Instant::now();
    let token = apivideo_client(&server.uri(), config())
        .get_upload_token("to1tcmSFJyiwTQ2Ixh0ATAx")
        .await
        .expect("the third attempt succeeds");
    let elapsed = started.elapsed();
    assert_eq!(token.ttl, Some(3600));
    assert_eq!(requests(&server).await.len(), 3, "exactly 3 attempts");
    assert!(elapsed >= Duration::from_millis(1900), "waited {elapsed:?}");
}

#[tokio::test]
async fn standard_retry_after_in_seconds_and_as_an_http_date_is_honoured() {
    // Delta-seconds.
    let server = MockServer::start().await;
    let busy = ResponseTemplate::new(503).insert_header("Retry-After", "1");
    let ok = ResponseTemplate::new(200).set_body_raw(TOKEN_OK, "application/json");
    failing_then(&server, 1, busy, ok.clone()).await;
    let started = Instant::now();
    apivideo_client(&server.uri(), config())
        .get_upload_token("to1abc")
        .await
        .expect("retried");
    assert!(started.elapsed() >= Duration::from_millis(950));
    assert_eq!(requests(&server).await.len(), 2);

    // HTTP-date, two seconds ahead (the format has whole seconds: the wait is 1-2 s).
    let server = MockServer::start().await;
    let date = httpdate::fmt_http_date(std::time::SystemTime::now() + Duration::from_secs(2));
    let busy = ResponseTemplate::new(503).insert_header("Retry-After", date.as_str());
    failing_then(&server, 1, busy, ok).await;
    let started = Instant::now();
    apivideo_client(&server.uri(), config())
        .get_upload_token("to1abc")
        .await
        .expect("retried");
    let elapsed = started.elapsed();
    assert!(elapsed >= Duration::from_millis(950), "waited {elapsed:?}");
    assert!(elapsed < Duration::from_secs(5), "waited {elapsed:?}");
    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test]
async fn retry_after_beyond_the_cap_returns_the_429_at_once() {
    let server = MockServer::start().await;
    let too_many = ResponseTemplate::new(429)
        .insert_header("Retry-After", "120")
        .set_body_raw(
            r#"{"title":"Too many requests","status":429}"#,
            "application/json",
        );
    failing_then(&server, 5, too_many, ResponseTemplate::new(200)).await;
    let started = Instant::now();
    let error = apivideo_client(&server.uri(), config())
        .get_upload_token("to1abc")
        .await
        .expect_err("429");
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(
        matches!(
            error,
            Error::Api {
                status: 429,
                error: apivideo::types::GetUploadTokenError::TooManyRequests(_),
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(requests(&server).await.len(), 1);
}

#[tokio::test]
async fn backoff_spaces_retries_when_the_server_gives_no_wait() {
    let server = MockServer::start().await;
    let ok = ResponseTemplate::new(200).set_body_raw(TOKEN_OK, "application/json");
    failing_then(&server, 2, ResponseTemplate::new(500), ok).await;
    let policy = RetryPolicy::default().base_delay(Duration::from_millis(100));
    let started = Instant::now();
    apivideo_client(&server.uri(), config().retry(policy))
        .get_upload_token("to1abc")
        .await
        .expect("third attempt succeeds");
    // Jittered between half and all of 100 ms, then of 200 ms.
    let elapsed = started.elapsed();
    assert!(elapsed >= Duration::from_millis(150), "waited {elapsed:?}");
    assert_eq!(requests(&server).await.len(), 3);
}

#[tokio::test]
async fn attempts_are_bounded() {
    let server = MockServer::start().await;
    failing_then(
        &server,
        100,
        ResponseTemplate::new(502),
        ResponseTemplate::new(200),
    )
    .await;
    let error = apivideo_client(&server.uri(), config())
        .get_upload_token("to1abc")
        .await
        .expect_err("502 every time");
    assert!(
        matches!(error, Error::UnexpectedStatus { status: 502, .. }),
        "{error:?}"
    );
    assert_eq!(requests(&server).await.len(), 3, "default max_attempts");
}

#[tokio::test]
async fn a_post_answered_503_is_sent_once() {
    let server = MockServer::start().await;
    let ok = ResponseTemplate::new(200).set_body_raw(TOKEN_OK, "application/json");
    failing_then(&server, 1, ResponseTemplate::new(503), ok).await;
    let error = apivideo_client(&server.uri(), config())
        .create_upload_token(&apivideo::types::TokenCreationPayload::new().with_ttl(60))
        .await
        .expect_err("not retried");
    assert!(
        matches!(error, Error::UnexpectedStatus { status: 503, .. }),
        "{error:?}"
    );
    assert_eq!(requests(&server).await.len(), 1, "a POST is never retried");
}

#[tokio::test]
async fn retries_disabled_means_one_attempt() {
    let server = MockServer::start().await;
    let ok = ResponseTemplate::new(200).set_body_raw(TOKEN_OK, "application/json");
    failing_then(&server, 1, ResponseTemplate::new(503), ok).await;
    let error = apivideo_client(&server.uri(), config().retry(RetryPolicy::disabled()))
        .get_upload_token("to1abc")
        .await
        .expect_err("not retried");
    assert_eq!(error.status(), Some(503));
    assert_eq!(requests(&server).await.len(), 1);
}

/// (attempt, status, retry_in) of one `on_response`.
type Observed = (u32, Option<u16>, Option<Duration>);

/// Records what hooks see; adds a correlation header; tries (and fails) to inject one.
#[derive(Default)]
struct Recorder {
    /// (operation, attempt, whether credentials were visible) of each `on_request`.
    requests: Mutex<Vec<(&'static str, u32, bool)>>,
    responses: Mutex<Vec<Observed>>,
}

impl Hook for Recorder {
    fn on_request(&self, request: &mut RequestParts<'_>) {
        let saw_credentials = request.header("authorization").is_some();
        self.requests.lock().unwrap().push((
            request.operation(),
            request.attempt(),
            saw_credentials,
        ));
        request
            .set_header("x-correlation-id", &format!("corr-{}", request.attempt()))
            .expect("a valid header");
        let refused = request.set_header("x-evil", "a\r\nx-injected: 1");
        assert!(matches!(refused, Err(RequestError::Header { .. })));
    }

    fn on_response(&self, response: &ResponseInfo<'_>) {
        self.responses
            .lock()
            .unwrap()
            .push((response.attempt, response.status, response.retry_in));
    }
}

#[tokio::test]
async fn connection_failures_of_idempotent_calls_are_retried_and_posts_are_not() {
    let base = refused_base().await;
    let recorder = Arc::new(Recorder::default());
    let client = apivideo_client(&base, config().hook(recorder.clone()));
    let error = client
        .get_upload_token("to1abc")
        .await
        .expect_err("refused");
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert_eq!(recorder.responses.lock().unwrap().len(), 3, "3 attempts");
    assert!(recorder
        .responses
        .lock()
        .unwrap()
        .iter()
        .all(|(_, status, _)| status.is_none()));

    recorder.responses.lock().unwrap().clear();
    let error = client
        .create_upload_token(&apivideo::types::TokenCreationPayload::new())
        .await
        .expect_err("refused");
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert_eq!(
        recorder.responses.lock().unwrap().len(),
        1,
        "POST: 1 attempt"
    );
}

#[tokio::test]
async fn a_retried_tc3_request_is_signed_again() {
    let server = MockServer::start().await;
    // Retry-After: 1 puts the attempts in different seconds, so the timestamps differ.
    let busy = ResponseTemplate::new(503).insert_header("Retry-After", "1");
    failing_then(&server, 1, busy, describe_ok()).await;
    let client = tencent_client(&server.uri(), config(), tencent_key());
    describe(&client).await.expect("second attempt succeeds");
    let received = requests(&server).await;
    assert_eq!(received.len(), 2);
    let header =
        |r: &Request, name: &str| r.headers.get(name).unwrap().to_str().unwrap().to_owned();
    let (first, second) = (&received[0], &received[1]);
    assert_ne!(
        header(first, "x-tc-timestamp"),
        header(second, "x-tc-timestamp")
    );
    assert_ne!(
        header(first, "authorization"),
        header(second, "authorization")
    );
    assert_eq!(first.body, second.body, "the same body is sent again");
    for request in [first, second] {
        let timestamp: i64 = header(request, "x-tc-timestamp").parse().unwrap();
        let date = runtime::tc3::utc_date(timestamp);
        assert!(
            header(request, "authorization").contains(&format!("/{date}/vod/tc3_request")),
            "the signature's scope is that attempt's date"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Client-side rate limiting
// ---------------------------------------------------------------------------------------------

async fn timed_describes(client: &tencent_vod::Client, calls: usize) -> Duration {
    let started = Instant::now();
    for _ in 0..calls {
        describe(client).await.expect("ok");
    }
    started.elapsed()
}

#[tokio::test]
async fn the_limiter_spaces_calls_and_can_be_configured_or_switched_off() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(describe_ok())
        .mount(&server)
        .await;
    let bucket = "tencent_vod::describeAigcApiTokens";
    let five_per_half_second =
        config().rate_limits(RateLimits::spec().with(bucket, 5, Duration::from_millis(500)));
    let limited = tencent_client(&server.uri(), five_per_half_second, tencent_key());
    let elapsed = timed_describes(&limited, 10).await;
    assert!(
        elapsed >= Duration::from_millis(490),
        "10 calls took {elapsed:?}"
    );

    let unlimited = tencent_client(
        &server.uri(),
        config().rate_limits(RateLimits::disabled()),
        tencent_key(),
    );
    let elapsed = timed_describes(&unlimited, 10).await;
    assert!(
        elapsed < Duration::from_millis(450),
        "10 calls took {elapsed:?}"
    );
}

#[tokio::test]
async fn the_spec_limit_is_on_by_default_and_shared_by_clones() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(describe_ok())
        .mount(&server)
        .await;
    // tencent_vod's spec: 20 requests per second per action. 21 calls need over a second,
    // even split between two clones of one client.
    let client = tencent_client(&server.uri(), config(), tencent_key());
    let clone = client.clone();
    let started = Instant::now();
    let a = tokio::spawn(async move { timed_describes(&client, 11).await });
    let b = tokio::spawn(async move { timed_describes(&clone, 10).await });
    a.await.unwrap();
    b.await.unwrap();
    let elapsed = started.elapsed();
    assert!(
        elapsed >= Duration::from_millis(990),
        "21 calls took {elapsed:?}"
    );
    assert_eq!(requests(&server).await.len(), 21);
}

#[tokio::test]
async fn a_request_built_by_hand_is_limited_by_its_own_bucket() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let runtime = Runtime::new(&server.uri(), config()).unwrap();
    let started = Instant::now();
    for _ in 0..4 {
        static LIMITED: Operation = Operation {
            rate_limit: Some(RateLimit {
                bucket: "probe",
                requests: 2,
                per_millis: 300,
            }),
            ..Operation::new("test", "probe", Method::Get)
        };
        let request = runtime::Request::new(&LIMITED, "/probe".to_owned());
        let response = runtime
            .execute::<Infallible>(request, &NoCredentials)
            .await
            .unwrap();
        assert_eq!(response.status(), 204);
    }
    let elapsed = started.elapsed();
    assert!(elapsed >= Duration::from_millis(295), "{elapsed:?}");
}

// ---------------------------------------------------------------------------------------------
// Timeouts
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_server_that_never_answers_times_out() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(TOKEN_OK, "application/json")
                .set_delay(Duration::from_secs(10)),
        )
        .mount(&server)
        .await;
    let started = Instant::now();
    let error = apivideo_client(&server.uri(), config().timeout(Duration::from_millis(300)))
        .get_upload_token("to1abc")
        .await
        .expect_err("timeout");
    assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
    // A timed-out attempt is not retried: one timeout, not three.
    assert!(
        started.elapsed() < Duration::from_millis(900),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_body_that_stalls_times_out() {
    let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n";
    let base = raw_server(
        head.to_owned(),
        vec![br#"{"token":"#.to_vec()],
        Duration::from_secs(10),
    )
    .await;
    let started = Instant::now();
    let error = apivideo_client(&base, config().timeout(Duration::from_millis(300)))
        .get_upload_token("to1abc")
        .await
        .expect_err("timeout");
    assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
    assert!(started.elapsed() < Duration::from_secs(2));
}

// ---------------------------------------------------------------------------------------------
// Hostile responses
// ---------------------------------------------------------------------------------------------

/// The error's `Display` quotes at most a bounded excerpt of the body.
fn assert_bounded(error: &impl std::fmt::Display) {
    let text = error.to_string();
    assert!(text.len() < 1500, "{} chars: {text}", text.len());
}

#[tokio::test]
async fn malformed_bodies_give_typed_errors_with_status_and_a_bounded_excerpt() {
    let server = MockServer::start().await;
    let client = apivideo_client(&server.uri(), config().retry(RetryPolicy::disabled()));
    let html_page = format!(
        "<!DOCTYPE html><html><body><h1>Bad gateway</h1>{}</body></html>",
        "<p>nginx</p>".repeat(2000)
    );
    // (status, content type, body, expected variant, expected excerpt fragment)
    let cases: Vec<(u16, &str, String, &str, &str)> = vec![
        (
            200,
            "text/html",
            html_page.clone(),
            "decode",
            "<!DOCTYPE html>",
        ),
        (
            200,
            "application/json",
            r#"{"ttl": 36"#.into(),
            "decode",
            r#"{"ttl": 36"#,
        ),
        (
            200,
            "application/json",
            r#"{"ttl":"forever"}"#.into(),
            "decode",
            "forever",
        ),
        (200, "application/json", String::new(), "decode", ""),
        (
            200,
            "text/plain",
            TOKEN_OK.into(),
            "decode",
            r#""ttl":3600"#,
        ),
        (
            200,
            "application/json",
            "[1,2,3]".into(),
            "decode",
            "[1,2,3]",
        ),
        (404, "text/html", html_page.clone(), "decode", "Bad gateway"),
        (
            404,
            "application/json",
            r#"{"status":"x"}"#.into(),
            "decode",
            r#""x""#,
        ),
        (418, "text/html", html_page.clone(), "unexpected", "<h1>"),
        (
            500,
            "application/json",
            "{".repeat(10_000),
            "unexpected",
            "{{{{",
        ),
        (302, "text/plain", "moved".into(), "unexpected", "moved"),
    ];
    for (status, content_type, body, variant, fragment) in cases {
        server.reset().await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(status).set_body_raw(body.clone(), content_type))
            .mount(&server)
            .await;
        let context = format!("{status} {content_type} {:?}", &body[..body.len().min(40)]);
        let error = client.get_upload_token("to1abc").await.expect_err(&context);
        assert_eq!(error.status(), Some(status), "{context}");
        let excerpt = match (&error, variant) {
            (Error::Decode { body, .. }, "decode") => body.excerpt(),
            (Error::UnexpectedStatus { body, .. }, "unexpected") => body.excerpt(),
            _ => panic!("{context}: expected {variant}, got {error:?}"),
        };
        assert!(excerpt.contains(fragment), "{context}: {excerpt}");
        assert!(excerpt.len() < 700, "{context}: {} chars", excerpt.len());
        assert_bounded(&error);
    }

    // A JSON body where none is due. (HTTP drops any body of a 204 on the way, so this is a
    // 200 decoded as body-less, through the runtime directly.)
    server.reset().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(TOKEN_OK, "application/json"))
        .mount(&server)
        .await;
    let runtime = Runtime::new(&server.uri(), config()).unwrap();
    let request = runtime::Request::new(&PROBE, "/probe".to_owned());
    let response = runtime
        .execute::<Infallible>(request, &NoCredentials)
        .await
        .unwrap();
    let error = response
        .empty::<Infallible>()
        .expect_err("body where none is due");
    assert!(
        matches!(error, Error::Decode { status: 200, .. }),
        "{error:?}"
    );
    assert!(error.to_string().contains("expected no body"), "{error}");

    // An envelope API answering an HTML page in a 200.
    server.reset().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(html_page, "text/html"))
        .mount(&server)
        .await;
    let tencent = tencent_client(&server.uri(), config(), tencent_key());
    let error = tencent
        .describe_aigc_api_tokens(&tencent_vod::types::DescribeAigcApiTokensRequest::new())
        .await
        .expect_err("html");
    assert!(
        matches!(error, Error::Decode { status: 200, .. }),
        "{error:?}"
    );
    assert_bounded(&error);
}

#[tokio::test]
async fn a_body_over_the_cap_is_refused_with_or_without_content_length() {
    let cap = 16 * 1024;
    // With Content-Length.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(vec![b' '; cap + 1], "application/json"),
        )
        .mount(&server)
        .await;
    let error = apivideo_client(&server.uri(), config().max_body_bytes(cap))
        .get_upload_token("to1abc")
        .await
        .expect_err("too large");
    assert!(
        matches!(error, Error::BodyTooLarge { status: 200, limit, .. } if limit == cap),
        "{error:?}"
    );

    // Chunked, no Content-Length, and more than the cap: reading stops at the cap.
    let head = "HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/html\r\n\
                transfer-encoding: chunked\r\n\r\n";
    let chunk = {
        let data = "<p>".repeat(1000);
        format!("{:x}\r\n{data}\r\n", data.len()).into_bytes()
    };
    let base = raw_server(head.to_owned(), vec![chunk; 200], Duration::ZERO).await;
    let started = Instant::now();
    let error = apivideo_client(
        &base,
        config().max_body_bytes(cap).retry(RetryPolicy::disabled()),
    )
    .get_upload_token("to1abc")
    .await
    .expect_err("too large");
    match &error {
        Error::BodyTooLarge {
            status: 503,
            limit,
            body,
            ..
        } => {
            assert_eq!(*limit, cap);
            assert!(body.as_bytes().starts_with(b"<p><p>"));
            assert!(body.as_bytes().len() <= 1024, "a bounded prefix is kept");
        }
        other => panic!("{other:?}"),
    }
    assert_bounded(&error);
    assert!(started.elapsed() < Duration::from_secs(5));

    // Under the cap, the same chunked framing decodes (the limit is not over-eager).
    let small = raw_server(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n"
            .to_owned(),
        vec![format!("{:x}\r\n{TOKEN_OK}\r\n0\r\n\r\n", TOKEN_OK.len()).into_bytes()],
        Duration::ZERO,
    )
    .await;
    let token = apivideo_client(&small, config().max_body_bytes(cap))
        .get_upload_token("to1abc")
        .await
        .expect("small chunked body");
    assert_eq!(token.ttl, Some(3600));
}

// ---------------------------------------------------------------------------------------------
// Request safety
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn hostile_path_parameters_stay_one_segment() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(TOKEN_OK, "application/json"))
        .mount(&server)
        .await;
    let client = apivideo_client(&server.uri(), config());
    let values = [
        "../admin", "a/b", "x?y=1", "#frag", "..a", "%2F", "a b", "é/ü", "%2E%2E",
    ];
    for value in values {
        server.reset().await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(200).set_body_raw(TOKEN_OK, "application/json"))
            .mount(&server)
            .await;
        client.get_upload_token(value).await.expect(value);
        let received = requests(&server).await;
        assert_eq!(received.len(), 1, "{value}");
        let url = &received[0].url;
        let path = url.path();
        let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
        assert_eq!(segments.len(), 2, "{value:?} arrived as {path:?}");
        assert_eq!(
            segments[0], "upload-tokens",
            "{value:?} arrived as {path:?}"
        );
        let decoded = percent_decode(segments[1]);
        assert_eq!(decoded, value, "{value:?} arrived as {path:?}");
        assert_eq!(url.query(), None, "{value:?}");
        assert_eq!(url.fragment(), None, "{value:?}");
    }

    // `.` and `..` cannot stay one segment (URL parsing resolves them even percent-encoded):
    // refused, with nothing sent, rather than sent to the parent resource.
    server.reset().await;
    for value in [".", ".."] {
        let error = client.get_upload_token(value).await.expect_err(value);
        assert!(
            matches!(error, Error::Request(RequestError::Path(_))),
            "{value:?}: {error:?}"
        );
        let error = client.delete_upload_token(value).await.expect_err(value);
        assert!(
            matches!(error, Error::Request(RequestError::Path(_))),
            "{value:?}: {error:?}"
        );
    }
    assert_eq!(requests(&server).await.len(), 0);
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
            out.push(u8::from_str_radix(hex, 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

#[tokio::test]
async fn cr_lf_in_headers_or_credentials_is_refused_before_sending() {
    let server = MockServer::start().await;
    Mock::given(path_regex(".*"))
        .respond_with(describe_ok())
        .mount(&server)
        .await;
    let base = server.uri();

    // A header parameter (here a client setting).
    let tencent =
        tencent_client(&base, config(), tencent_key()).with_region("ap-guangzhou\r\nX-Injected: 1");
    let body = tencent_vod::types::DescribeAigcApiTokensRequest::new();
    header_refused(
        tencent.describe_aigc_api_tokens(&body).await.unwrap_err(),
        "header parameter",
    );

    // Signing keys and session tokens.
    for key in [
        SigningKey::new("AKID\r\nX-Injected: 1", "key"),
        SigningKey::new("AKID", "key\n"),
        SigningKey::new("AKID", "key").with_session_token("token\r\nX-Injected: 1"),
    ] {
        let client = tencent_client(&base, config(), key);
        header_refused(
            client.describe_aigc_api_tokens(&body).await.unwrap_err(),
            "signing key",
        );
    }

    // Basic credentials (checked before base64 would hide the CR/LF).
    for basic in [
        BasicAuth::api_key("key\r\nX-Injected: 1"),
        BasicAuth::new("user", "pass\n"),
        BasicAuth::new("user:name", "pass"),
    ] {
        let credentials = apivideo::Credentials::default().with_api_key(basic);
        let client = apivideo::Client::new(&base, credentials, config()).unwrap();
        header_refused(
            client.get_upload_token("to1abc").await.unwrap_err(),
            "basic",
        );
    }

    // Bearer tokens.
    let credentials =
        actian_vectorai::Credentials::default().with_bearer_auth("token\r\nX-Injected: 1");
    let client = actian_vectorai::Client::new(&base, credentials, config()).unwrap();
    header_refused(client.list_access_tokens().await.unwrap_err(), "bearer");

    // API keys in a header or in the query, through the runtime directly.
    let runtime = Runtime::new(&base, config()).unwrap();
    let key = OneKey(Secret::new("key\r\nX-Injected: 1"));
    static IN_HEADER: Operation = Operation {
        auth: &[Scheme {
            name: "key",
            kind: SchemeKind::Header("X-Api-Key"),
        }],
        ..Operation::new("test", "probe", Method::Get)
    };
    for operation in [&IN_HEADER, &IN_QUERY] {
        let request = runtime::Request::new(operation, "/probe".to_owned());
        header_refused(
            runtime
                .execute::<Infallible>(request, &key)
                .await
                .unwrap_err(),
            "api key",
        );
    }
    // A plain header set by generated code.
    let mut request = runtime::Request::new(&PROBE, "/probe".to_owned());
    request.header("X-Trace", "a\nb");
    header_refused(
        runtime
            .execute::<Infallible>(request, &NoCredentials)
            .await
            .unwrap_err(),
        "header",
    );

    assert_eq!(requests(&server).await.len(), 0, "nothing was sent");
}

/// A request built by hand, without credentials.
static PROBE: Operation = Operation::new("test", "probe", Method::Get);

/// A request built by hand with an API key in the query.
static IN_QUERY: Operation = Operation {
    auth: &[Scheme {
        name: "key",
        kind: SchemeKind::Query("api_key"),
    }],
    ..Operation::new("test", "probe", Method::Post)
};

/// The one API key of a hand-built request.
struct OneKey(Secret);

impl CredentialStore for OneKey {
    fn credential(&self, _scheme: &str) -> Option<Credential<'_>> {
        Some(Credential::Secret(&self.0))
    }
}

fn header_refused<E: std::fmt::Debug>(error: Error<E>, context: &str) {
    assert!(
        matches!(error, Error::Request(RequestError::Header { .. })),
        "{context}: {error:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// Secrets
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn secrets_stay_out_of_debug_errors_and_traces() {
    use base64::Engine as _;
    const PATH_TOKEN: &str = "to-SECRET-PATH-TOKEN";
    const MINTED: &str = "to-SECRET-MINTED-TOKEN";
    const SIGNING_SECRET: &str = "SECRET-SIGNING-KEY-0002";
    const SESSION: &str = "SECRET-SESSION-TOKEN-0003";
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("{API_KEY}:"));
    let secrets = [
        API_KEY,
        basic.as_str(),
        PATH_TOKEN,
        MINTED,
        SIGNING_SECRET,
        SESSION,
    ];

    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(captured.clone())
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = MockServer::start().await;
    // A created token that fails to decode (ttl is text): the excerpt must hide the token.
    let minted = format!(r#"{{"token":"{MINTED}","ttl":"never","createdAt":"2024-01-01"}}"#);
    let ok = ResponseTemplate::new(200).set_body_raw(minted.as_str(), "application/json");
    failing_then(&server, 1, ResponseTemplate::new(503), ok).await;

    let client = apivideo_client(&server.uri(), config());
    let mut texts = vec![format!("{client:?}"), format!("{:?}", config())];
    let error = client
        .get_upload_token(PATH_TOKEN)
        .await
        .expect_err("decode");
    assert!(
        matches!(error, Error::Decode { status: 200, .. }),
        "{error:?}"
    );
    texts.push(error.to_string());
    texts.push(format!("{error:?}"));
    let error = client
        .create_upload_token(&apivideo::types::TokenCreationPayload::new())
        .await
        .expect_err("decode");
    texts.push(error.to_string());
    texts.push(format!("{error:?}"));

    // Signed requests, with a session token.
    let key = SigningKey::new("AKID-public", SIGNING_SECRET).with_session_token(SESSION);
    let tencent = tencent_client(&server.uri(), config(), key);
    texts.push(format!("{tencent:?}"));
    let _ = describe(&tencent).await;

    // Transport errors quote no URL (whose path holds the token).
    let refused = apivideo_client(&refused_base().await, config());
    let error = refused
        .get_upload_token(PATH_TOKEN)
        .await
        .expect_err("refused");
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    texts.push(error.to_string());
    texts.push(format!("{error:?}"));

    // A request built by hand, with an API key in the query.
    let runtime = Runtime::new(&server.uri(), config()).unwrap();
    let key = OneKey(Secret::new(API_KEY));
    let mut request = runtime::Request::new(
        &IN_QUERY,
        format!("/probe/{}", runtime::path_segment(PATH_TOKEN)),
    );
    request
        .json(&serde_json::json!({ "ApiToken": MINTED }))
        .unwrap();
    texts.push(format!("{request:?}"));
    let response = runtime
        .execute::<Infallible>(request, &key)
        .await
        .expect("a response");
    texts.push(format!("{response:?}"));

    drop(_guard);
    let trace = captured.text();
    // The traces are there, with what they should carry.
    for expected in [
        "getUploadToken",
        "createUploadToken",
        "describeAigcApiTokens",
        "attempt=2",
        "status=503",
        "status=200",
        "duration_ms",
    ] {
        assert!(trace.contains(expected), "trace lacks {expected}:\n{trace}");
    }
    texts.push(trace);
    for text in &texts {
        for secret in secrets {
            assert!(!text.contains(secret), "{secret} leaked into:\n{text}");
        }
    }
    // The minted token reached the server's answer and the wire, so its absence is meaningful.
    let received = requests(&server).await;
    assert!(received
        .iter()
        .any(|r| r.url.query().unwrap_or("").contains("SECRET-KEY")));
}

// ---------------------------------------------------------------------------------------------
// Hooks
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn hooks_see_every_attempt_and_can_add_headers() {
    let server = MockServer::start().await;
    let ok = ResponseTemplate::new(200)
        .insert_header("x-request-id", "req-42")
        .set_body_raw(TOKEN_OK, "application/json");
    failing_then(&server, 1, ResponseTemplate::new(503), ok).await;
    let recorder = Arc::new(Recorder::default());
    struct RequestId(Mutex<Option<String>>);
    impl Hook for RequestId {
        fn on_response(&self, response: &ResponseInfo<'_>) {
            *self.0.lock().unwrap() = response.header("x-request-id").map(str::to_owned);
        }
    }
    let request_id = Arc::new(RequestId(Mutex::new(None)));
    let client = apivideo_client(
        &server.uri(),
        config().hook(recorder.clone()).hook(request_id.clone()),
    );
    client.get_upload_token("to1abc").await.expect("retried");

    let seen = recorder.requests.lock().unwrap().clone();
    assert_eq!(
        seen,
        [("getUploadToken", 1, false), ("getUploadToken", 2, false)],
        "each attempt, before credentials are applied"
    );
    let responses = recorder.responses.lock().unwrap().clone();
    assert_eq!(responses.len(), 2);
    assert_eq!((responses[0].0, responses[0].1), (1, Some(503)));
    assert!(responses[0].2.is_some(), "a retry follows the 503");
    assert_eq!(responses[1], (2, Some(200), None));
    assert_eq!(request_id.0.lock().unwrap().as_deref(), Some("req-42"));

    let received = requests(&server).await;
    let correlation: Vec<_> = received
        .iter()
        .map(|r| r.headers.get("x-correlation-id").unwrap().to_str().unwrap())
        .collect();
    assert_eq!(correlation, ["corr-1", "corr-2"]);
    assert!(received
        .iter()
        .all(|r| r.headers.get("x-evil").is_none() && r.headers.get("x-injected").is_none()));
    assert!(received
        .iter()
        .all(|r| r.headers.get("authorization").is_some()));
}
