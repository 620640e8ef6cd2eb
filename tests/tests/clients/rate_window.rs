//! The generated client applies the spec's `x-rate-limit` end to end: 30 concurrent calls at
//! Tencent's spec limit (20 per second), from clones of one client, against a server that
//! records arrivals. In every window of one second, wherever it starts, at most 20 arrive.
//!
//! The limiter's bound at scale (200 calls, varying network delays) is proven on tokio's paused
//! clock by the runtime's own test (`limiter::tests`); this one needs real sockets, so it is
//! kept to one second of real time.

use api_token_clients::runtime::{Config, RetryPolicy, SigningKey};
use api_token_clients::tencent_vod;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// Ten over the budget of 20: they must wait for the first slots' rest.
const CALLS: usize = 30;

/// Records when each request arrives, and answers after a delay that varies from call to call
/// (as a real network does), so that arrival times are not start times.
struct Arrivals {
    seen: Arc<Mutex<Vec<Instant>>>,
}

impl Respond for Arrivals {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let mut seen = self.seen.lock().unwrap();
        seen.push(Instant::now());
        let delay = Duration::from_millis((seen.len() as u64 * 37) % 120);
        ResponseTemplate::new(200)
            .set_body_raw(
                r#"{"Response":{"ApiTokens":[],"RequestId":"r-1"}}"#,
                "application/json",
            )
            .set_delay(delay)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_calls_never_exceed_the_spec_limit_in_any_sliding_second() {
    let server = MockServer::start().await;
    let seen = Arc::new(Mutex::new(Vec::new()));
    Mock::given(wiremock::matchers::any())
        .respond_with(Arrivals {
            seen: Arc::clone(&seen),
        })
        .mount(&server)
        .await;
    let client = tencent_vod::Client::new(
        server.uri(),
        tencent_vod::Credentials::default()
            .with_tc3(SigningKey::new("AKIDEXAMPLE", "SECRETKEYEXAMPLE")),
        Config::default()
            .retry(RetryPolicy::disabled())
            .deadline(Duration::from_secs(60)),
    )
    .unwrap();
    let started = Instant::now();
    let calls: Vec<_> = (0..CALLS)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move {
                client
                    .describe_aigc_api_tokens(
                        &tencent_vod::types::DescribeAigcApiTokensRequest::new(),
                    )
                    .await
                    .map(drop)
                    .map_err(|e| e.to_string())
            })
        })
        .collect();
    for call in calls {
        call.await.unwrap().expect("every call succeeds");
    }
    let mut times = seen.lock().unwrap().clone();
    assert_eq!(times.len(), CALLS);
    times.sort();
    // At most 20 in any second: each arrival is at least a second after the one 20 before it.
    for (i, pair) in times.windows(21).enumerate() {
        let gap = pair[20] - pair[0];
        assert!(
            gap >= Duration::from_secs(1),
            "requests {i} to {} arrived within {gap:?}",
            i + 20
        );
    }
    // The calls over the budget waited for a slot's rest, and no longer than they had to.
    let took = started.elapsed();
    assert!(took >= Duration::from_secs(1), "{took:?}");
    assert!(took < Duration::from_secs(10), "{took:?}");
}

/// The place in the rate limit is taken just before sending: an attempt that ends before
/// anything goes out (here a dry run, which stops the call after hooks and signing) holds no
/// place, so the next real call is not delayed by a period it never used.
#[tokio::test]
async fn an_attempt_that_sends_nothing_holds_no_place() {
    let server = MockServer::start().await;
    let seen = Arc::new(Mutex::new(Vec::new()));
    Mock::given(wiremock::matchers::any())
        .respond_with(Arrivals {
            seen: Arc::clone(&seen),
        })
        .mount(&server)
        .await;
    let client = tencent_vod::Client::new(
        server.uri(),
        tencent_vod::Credentials::default()
            .with_tc3(SigningKey::new("AKIDEXAMPLE", "SECRETKEYEXAMPLE")),
        Config::default()
            .retry(RetryPolicy::disabled())
            .rate_limits(api_token_clients::runtime::RateLimits::spec().with(
                "tencent_vod::describeAigcApiTokens",
                1,
                Duration::from_secs(3),
            )),
    )
    .unwrap();
    let request = tencent_vod::types::DescribeAigcApiTokensRequest::new();
    let (result, described) =
        api_token_clients::runtime::dry_run(client.describe_aigc_api_tokens(&request)).await;
    assert!(
        result.is_err() && described.is_some(),
        "a dry run sends nothing"
    );
    let started = Instant::now();
    client.describe_aigc_api_tokens(&request).await.unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "the real call waited {:?} for a place the dry run never used",
        started.elapsed()
    );
    assert_eq!(seen.lock().unwrap().len(), 1);
}
