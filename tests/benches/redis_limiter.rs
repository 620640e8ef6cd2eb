//! The latency a Redis-held rate limit adds to a call: the same sequential calls to a loopback
//! server, limited in this process and then through Redis (two scripts a call: take, end),
//! with a budget too large to make anyone wait. Prints the medians and their difference.
//!
//! `API_TOKEN_TEST_REDIS_URL=redis://127.0.0.1:6379 cargo bench -p tests --bench redis_limiter`

use api_token_runtime::{
    Config, Method, NoCredentials, Operation, RateLimit, RateLimits, RedisLimits, Request,
    RetryPolicy, Runtime,
};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

static OPERATION: Operation = Operation {
    idempotent: true,
    rate_limit: Some(RateLimit {
        bucket: "bench::op",
        requests: 1_000_000,
        per_millis: 1000,
    }),
    ..Operation::new("bench", "op", Method::Get)
};

async fn server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut buffer = [0u8; 1024];
                while let Ok(read) = socket.read(&mut buffer).await {
                    if read == 0 {
                        return;
                    }
                    head.extend_from_slice(&buffer[..read]);
                    while let Some(end) = head.windows(4).position(|w| w == b"\r\n\r\n") {
                        head.drain(..end + 4);
                        let reply = "HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}";
                        if socket.write_all(reply.as_bytes()).await.is_err() {
                            return;
                        }
                    }
                }
            });
        }
    });
    url
}

async fn median(runtime: &Runtime, calls: usize) -> Duration {
    let mut times = Vec::with_capacity(calls);
    for _ in 0..calls {
        let started = Instant::now();
        let request = Request::new(&OPERATION, "/op".to_owned());
        runtime
            .execute::<String>(request, &NoCredentials)
            .await
            .unwrap();
        times.push(started.elapsed());
    }
    times.sort();
    times[calls / 2]
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let Ok(url) = std::env::var("API_TOKEN_TEST_REDIS_URL") else {
        eprintln!("SKIPPED: API_TOKEN_TEST_REDIS_URL is not set");
        return;
    };
    let base = server().await;
    let config = || Config::default().retry(RetryPolicy::disabled());
    let local = Runtime::new(&base, config().rate_limits(RateLimits::spec())).unwrap();
    let prefix = format!("bench-{}:", std::process::id());
    let shared = Runtime::new(
        &base,
        config().rate_limits(RateLimits::spec().store(RedisLimits::new(url).prefix(prefix))),
    )
    .unwrap();
    let calls = 2000;
    // Warm-up: connections made, scripts loaded.
    median(&local, 50).await;
    median(&shared, 50).await;
    let local = median(&local, calls).await;
    let shared = median(&shared, calls).await;
    println!(
        "median per call over {calls}: in-process {local:?}, Redis {shared:?}, added {:?}",
        shared.saturating_sub(local)
    );
}
