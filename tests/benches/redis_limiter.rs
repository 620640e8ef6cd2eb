//! The cost of a Redis-held rate limit, with a budget too large to make anyone wait:
//!
//! - latency: the same sequential calls to a loopback server, limited in this process and
//!   then through Redis (one script on the caller's path, taking the place; its end goes
//!   in the background); prints the medians and their
//!   difference;
//! - throughput: 4 processes (this bench run again as workers), 8 calls in flight each, all
//!   sharing one Redis budget, against each process spacing its calls alone; prints calls a
//!   second for both.
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

const PROCESSES: usize = 4;
const IN_FLIGHT: usize = 8;
const CALLS_PER_PROCESS: usize = 2000;

/// One worker process of the throughput run: `CALLS_PER_PROCESS` calls, `IN_FLIGHT` at a time.
async fn worker(base: &str, store: Option<String>) {
    let limits = match store {
        Some(url) => RateLimits::spec().store(RedisLimits::new(url).prefix("bench-fleet:")),
        None => RateLimits::spec(),
    };
    let runtime = Runtime::new(
        base,
        Config::default()
            .retry(RetryPolicy::disabled())
            .rate_limits(limits),
    )
    .unwrap();
    let tasks: Vec<_> = (0..IN_FLIGHT)
        .map(|_| {
            let runtime = runtime.clone();
            tokio::spawn(async move {
                for _ in 0..CALLS_PER_PROCESS / IN_FLIGHT {
                    let request = Request::new(&OPERATION, "/op".to_owned());
                    runtime
                        .execute::<String>(request, &NoCredentials)
                        .await
                        .unwrap();
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    api_token_runtime::settle().await;
}

/// Calls a second of `PROCESSES` workers started together, limited locally or through `store`.
fn fleet(base: &str, store: Option<&str>) -> f64 {
    let started = Instant::now();
    let workers: Vec<_> = (0..PROCESSES)
        .map(|_| {
            let mut command = std::process::Command::new(std::env::current_exe().unwrap());
            command.env("REDIS_BENCH_WORKER", base);
            match store {
                Some(url) => command.env("REDIS_BENCH_STORE", url),
                None => command.env_remove("REDIS_BENCH_STORE"),
            };
            command.spawn().unwrap()
        })
        .collect();
    for mut worker in workers {
        assert!(worker.wait().unwrap().success(), "a worker failed");
    }
    (PROCESSES * CALLS_PER_PROCESS) as f64 / started.elapsed().as_secs_f64()
}

fn main() {
    if let Ok(base) = std::env::var("REDIS_BENCH_WORKER") {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        return runtime.block_on(worker(&base, std::env::var("REDIS_BENCH_STORE").ok()));
    }
    // The latency figures are taken on one thread, as they always were.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(measure());
}

async fn measure() {
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
        config().rate_limits(RateLimits::spec().store(RedisLimits::new(&url).prefix(prefix))),
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
    let (base, redis) = (base.clone(), url.clone());
    let (alone, together) =
        tokio::task::spawn_blocking(move || (fleet(&base, None), fleet(&base, Some(&redis))))
            .await
            .unwrap();
    println!(
        "{PROCESSES} processes, {IN_FLIGHT} calls in flight each: {alone:.0} calls/s each \
         process alone, {together:.0} calls/s sharing the Redis budget"
    );
}
