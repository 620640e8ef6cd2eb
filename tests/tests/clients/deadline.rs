//! `Config::deadline` bounds a whole call, whatever the server does: a server that never
//! answers, one that keeps asking to retry later, a rate-limit wait, refused connections.
//! Timeouts and transport failures name the operation, the limit and the cause.

use api_token_clients::runtime::{
    BasicAuth, Config, Error, RateLimits, RetryPolicy, SigningKey, TimeoutKind, TransportKind,
};
use api_token_clients::{actian_vectorai, apivideo, tencent_vod};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use wiremock::{Mock, MockServer, ResponseTemplate};

const DEADLINE: Duration = Duration::from_millis(800);
/// Scheduling slack on a loaded 2-core machine.
const SLACK: Duration = Duration::from_millis(400);

fn config() -> Config {
    Config::default()
        .timeout(Duration::from_secs(30))
        .deadline(DEADLINE)
        .retry(
            RetryPolicy::default()
                .max_attempts(50)
                .base_delay(Duration::from_millis(100)),
        )
}

fn video(base: &str, config: Config) -> apivideo::Client {
    let credentials = apivideo::Credentials::default().with_api_key(BasicAuth::api_key("key"));
    apivideo::Client::new(base, credentials, config).unwrap()
}

async fn timed<T>(call: impl std::future::Future<Output = T>) -> (T, Duration) {
    let started = Instant::now();
    let result = call.await;
    (result, started.elapsed())
}

#[tokio::test]
async fn a_server_that_never_answers_is_given_up_at_the_deadline() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(60)))
        .mount(&server)
        .await;
    let client = video(&server.uri(), config());
    let (result, took) = timed(client.get_upload_token("to1")).await;
    assert!(took < DEADLINE + SLACK, "{took:?}");
    let error = result.unwrap_err();
    assert!(
        matches!(
            error,
            Error::Timeout {
                kind: TimeoutKind::Deadline,
                operation: "getUploadToken",
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "getUploadToken: the deadline of the call of 800 ms reached"
    );
}

#[tokio::test]
async fn an_attempt_timeout_names_its_limit() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(60)))
        .mount(&server)
        .await;
    let client = video(
        &server.uri(),
        config()
            .timeout(Duration::from_millis(300))
            .deadline(Duration::from_secs(60)),
    );
    let error = client.get_upload_token("to1").await.unwrap_err();
    assert_eq!(
        error.to_string(),
        "getUploadToken: the timeout of an attempt of 300 ms reached"
    );
}

#[tokio::test]
async fn retries_asked_for_by_the_server_stop_at_the_deadline() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "1"))
        .mount(&server)
        .await;
    let client = video(&server.uri(), config());
    let (result, took) = timed(client.get_upload_token("to1")).await;
    assert!(took < DEADLINE + SLACK, "{took:?}");
    // A wait past the deadline is not taken: the last answer is returned at once.
    assert_eq!(result.unwrap_err().status(), Some(503));
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn backoff_after_refused_connections_stops_at_the_deadline() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let client = video(&base, config());
    let (result, took) = timed(client.get_upload_token("to1")).await;
    assert!(took < DEADLINE + SLACK, "{took:?}");
    match result.unwrap_err() {
        Error::Transport(error) => {
            assert_eq!(error.kind(), TransportKind::Connect);
            let text = error.to_string();
            assert!(
                text.starts_with("getUploadToken: could not connect: "),
                "{text}"
            );
            assert!(std::error::Error::source(&error).is_some());
        }
        other => panic!("expected a transport error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_rate_limit_wait_counts_against_the_deadline() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            r#"{"Response":{"ApiTokens":[],"RequestId":"r-1"}}"#,
            "application/json",
        ))
        .mount(&server)
        .await;
    let limits = RateLimits::spec().with(
        "tencent_vod::describeAigcApiTokens",
        1,
        Duration::from_secs(30),
    );
    let client = tencent_vod::Client::new(
        server.uri(),
        tencent_vod::Credentials::default()
            .with_tc3(SigningKey::new("AKIDEXAMPLE", "SECRETKEYEXAMPLE")),
        config().rate_limits(limits),
    )
    .unwrap();
    let body = tencent_vod::types::DescribeAigcApiTokensRequest::new();
    let describe = || client.describe_aigc_api_tokens(&body);
    describe().await.expect("the first call fits the budget");
    let (result, took) = timed(describe()).await;
    assert!(took < DEADLINE + SLACK, "{took:?}");
    assert!(
        matches!(
            result,
            Err(Error::Timeout {
                kind: TimeoutKind::Deadline,
                ..
            })
        ),
        "{result:?}"
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn malformed_http_is_a_protocol_failure() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let mut buffer = [0_u8; 4096];
            let _ = socket.read(&mut buffer).await;
            let _ = socket.write_all(b"NOT HTTP AT ALL\r\n\r\n").await;
        }
    });
    let client = video(&base, config().retry(RetryPolicy::disabled()));
    match client.get_upload_token("to1").await.unwrap_err() {
        Error::Transport(error) => {
            assert_eq!(error.kind(), TransportKind::Protocol, "{error}");
            assert!(error.to_string().starts_with("getUploadToken: "), "{error}");
        }
        other => panic!("expected a transport error, got {other:?}"),
    }
}

#[tokio::test]
async fn an_unknown_host_is_a_dns_failure() {
    let client = apivideo::Client::new(
        "https://no-such-host.invalid",
        apivideo::Credentials::default().with_api_key(BasicAuth::api_key("key")),
        config().retry(RetryPolicy::disabled()),
    )
    .unwrap();
    match client.get_upload_token("to1").await.unwrap_err() {
        Error::Transport(error) => {
            assert_eq!(error.kind(), TransportKind::Dns, "{error}");
            let text = error.to_string();
            assert!(
                text.starts_with("getUploadToken: could not resolve the host: "),
                "{text}"
            );
        }
        // Where the resolver cannot answer at all, the deadline still ends the call.
        Error::Timeout { .. } => {}
        other => panic!("expected a DNS failure, got {other:?}"),
    }
}

#[test]
fn the_spec_s_own_loopback_server_works_with_the_default_config() {
    let client = actian_vectorai::Client::new(
        actian_vectorai::Server::local(),
        actian_vectorai::Credentials::default(),
        api_token_clients::runtime::Config::default(),
    );
    assert!(client.is_ok(), "{client:?}");
    // The server's variables are typed fields, not fixed at their defaults.
    let other = actian_vectorai::Server::Local {
        port: "6573".into(),
    };
    assert_eq!(other.url(), "http://localhost:6573");
    assert_eq!(
        actian_vectorai::Server::local().url(),
        "http://localhost:6575"
    );
}

#[tokio::test]
async fn per_call_options_replace_deadline_and_retries_for_those_calls_only() {
    use api_token_clients::runtime::CallOptions;
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "0"))
        .mount(&server)
        .await;
    let client = video(
        &server.uri(),
        config().retry(RetryPolicy::default().max_attempts(3)),
    );
    // Retries off for one call: one request.
    let once = client.with_options(CallOptions::new().retry(RetryPolicy::disabled()));
    assert_eq!(
        once.get_upload_token("to1").await.unwrap_err().status(),
        Some(503)
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
    // The client itself keeps its own policy: three attempts.
    assert_eq!(
        client.get_upload_token("to1").await.unwrap_err().status(),
        Some(503)
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 4);

    // A shorter deadline and timeout for one call against a server that does not answer.
    let slow = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(60)))
        .mount(&slow)
        .await;
    let client = video(&slow.uri(), config().deadline(Duration::from_secs(60)));
    let quick = client.with_options(CallOptions::new().deadline(Duration::from_millis(200)));
    let (result, took) = timed(quick.get_upload_token("to1")).await;
    assert!(took < Duration::from_millis(200) + SLACK, "{took:?}");
    assert!(
        matches!(
            result,
            Err(Error::Timeout {
                kind: TimeoutKind::Deadline,
                ..
            })
        ),
        "{result:?}"
    );
    let attempt = client.with_options(CallOptions::new().timeout(Duration::from_millis(150)));
    let error = attempt.get_upload_token("to1").await.unwrap_err();
    assert!(
        matches!(
            error,
            Error::Timeout {
                kind: TimeoutKind::Attempt,
                ..
            }
        ),
        "{error:?}"
    );
}
