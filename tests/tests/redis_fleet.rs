//! Rate limits shared through a real `redis-server` (the runtime's `redis` feature): several
//! processes hold one budget together, an unavailable store fails calls without sending them,
//! and the keys have the documented layout.
//!
//! The server comes from `API_TOKEN_TEST_REDIS_URL` (`cargo xtask test` starts one on a loopback
//! port). Without it the tests fail under `CI=true` and are skipped, saying so, elsewhere.
//! The processes are this test binary run again as a worker (`fleet_worker`), not threads.

use api_token_runtime::{
    Error, ErrorKind, Method, NoCredentials, Operation, RateLimit, RateLimits, RedisLimits,
    Request, RetryPolicy, Runtime,
};
use std::net::TcpListener as StdListener;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const URL_VAR: &str = "API_TOKEN_TEST_REDIS_URL";
const BUDGET: u32 = 20;

static OPERATION: Operation = Operation {
    idempotent: true,
    rate_limit: Some(RateLimit {
        bucket: "fleet::op",
        requests: BUDGET,
        per_millis: 1000,
    }),
    ..Operation::new("fleet", "op", Method::Get)
};

/// The Redis URL, or `None` when the test is to be skipped (never under CI).
fn redis_url(test: &str) -> Option<String> {
    tests::loopback::started_server(URL_VAR, test)
}

/// A prefix no other run shares, so that runs against one server do not count each other.
fn unique_prefix() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("test-{}-{nanos}:", std::process::id())
}

/// A loopback HTTP server answering `200 {}` to everything and noting when each request
/// arrived.
async fn recording_server() -> (String, Arc<Mutex<Vec<Instant>>>) {
    answering_server("{}").await
}

/// A loopback HTTP server answering `200 body` to everything and noting when each request
/// arrived.
async fn answering_server(body: &'static str) -> (String, Arc<Mutex<Vec<Instant>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let arrivals = Arc::new(Mutex::new(Vec::new()));
    let noted = Arc::clone(&arrivals);
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let noted = Arc::clone(&noted);
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut buffer = [0u8; 1024];
                loop {
                    let Ok(read) = socket.read(&mut buffer).await else {
                        return;
                    };
                    if read == 0 {
                        return;
                    }
                    head.extend_from_slice(&buffer[..read]);
                    while let Some(end) = head.windows(4).position(|w| w == b"\r\n\r\n") {
                        noted.lock().unwrap().push(Instant::now());
                        head.drain(..end + 4);
                        let reply = format!(
                            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
                            body.len()
                        );
                        if socket.write_all(reply.as_bytes()).await.is_err() {
                            return;
                        }
                    }
                }
            });
        }
    });
    (url, arrivals)
}

fn runtime(base_url: &str, store: RedisLimits) -> Runtime {
    let config = api_token_runtime::Config::default()
        .retry(RetryPolicy::disabled())
        .rate_limits(RateLimits::spec().store(store));
    Runtime::new(base_url, config).unwrap()
}

async fn call(runtime: &Runtime) -> Result<u16, Error<String>> {
    let request = Request::new(&OPERATION, "/op".to_owned());
    let response = runtime.execute::<String>(request, &NoCredentials).await?;
    Ok(response.status())
}

/// Every place of a budget's key, with its score (server microseconds).
async fn places(
    connection: &mut redis::aio::MultiplexedConnection,
    key: &str,
) -> Vec<(String, f64)> {
    redis::cmd("ZRANGE")
        .arg(key)
        .arg(0)
        .arg(-1)
        .arg("WITHSCORES")
        .query_async(connection)
        .await
        .unwrap()
}

/// The server's clock, in the scores' unit.
async fn server_now(connection: &mut redis::aio::MultiplexedConnection) -> f64 {
    let (seconds, micros): (u64, u64) = redis::cmd("TIME").query_async(connection).await.unwrap();
    (seconds * 1_000_000 + micros) as f64
}

/// The largest number of instants in any window `[t, t + width)`.
fn busiest_window(times: &mut [Instant], width: Duration) -> usize {
    times.sort();
    let mut most = 0;
    let mut start = 0;
    for end in 0..times.len() {
        while times[end] - times[start] >= width {
            start += 1;
        }
        most = most.max(end - start + 1);
    }
    most
}

/// Run by `four_processes_share_one_budget` in each child: `FLEET_CALLS` concurrent calls to
/// `FLEET_BASE_URL`, all limited through the shared store; fails if any call fails.
#[tokio::test]
async fn fleet_worker() {
    let Ok(base_url) = std::env::var("FLEET_BASE_URL") else {
        return; // Not a worker: the parent test below runs this.
    };
    let url = std::env::var(URL_VAR).unwrap();
    let prefix = std::env::var("FLEET_PREFIX").unwrap();
    let calls: usize = std::env::var("FLEET_CALLS").unwrap().parse().unwrap();
    if let Ok(file) = std::env::var("FLEET_CLOCK_FILE") {
        // The wall clock this process sees, for the parent to check its skew.
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs();
        std::fs::write(file, now.to_string()).unwrap();
    }
    let runtime = runtime(
        &base_url,
        RedisLimits::new(url)
            .prefix(prefix)
            .timeout(Duration::from_secs(2)),
    );
    let tasks: Vec<_> = (0..calls)
        .map(|_| {
            let runtime = runtime.clone();
            tokio::spawn(async move { call(&runtime).await })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap().unwrap(), 200);
    }
    api_token_runtime::settle().await;
}

fn spawn_worker(base_url: &str, url: &str, prefix: &str, calls: usize) -> Child {
    worker(base_url, url, prefix, calls).spawn().unwrap()
}

fn worker(base_url: &str, url: &str, prefix: &str, calls: usize) -> Command {
    let mut command = Command::new(std::env::current_exe().unwrap());
    command
        .args(["fleet_worker", "--exact", "--nocapture", "--test-threads=1"])
        .env("FLEET_BASE_URL", base_url)
        .env(URL_VAR, url)
        .env("FLEET_PREFIX", prefix)
        .env("FLEET_CALLS", calls.to_string())
        .stdout(Stdio::null());
    command
}

/// libfaketime's preload library (Debian's `faketime` package, installed by `cargo xtask
/// test`); `None` when the skew is to be skipped, which is said (never under CI).
fn faketime_library() -> Option<std::path::PathBuf> {
    let found = std::fs::read_dir("/usr/lib").ok().and_then(|dirs| {
        dirs.flatten()
            .map(|dir| dir.path().join("faketime/libfaketime.so.1"))
            .find(|library| library.exists())
    });
    if found.is_none() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "libfaketime is installed by `cargo xtask test`"
        );
        eprintln!("SKIPPED the clock skew: libfaketime is not installed");
    }
    found
}

/// A worker whose wall clock is `offset` (`+90s`, `-90s`) away from the real one: libfaketime
/// moves `CLOCK_REALTIME` only, so timers keep their pace while every wall-clock reading is off.
fn skewed_worker(
    mut command: Command,
    library: &std::path::Path,
    offset: &str,
    clock: &std::path::Path,
) -> Child {
    command
        .env("LD_PRELOAD", library)
        .env("FAKETIME", offset)
        .env("FAKETIME_DONT_FAKE_MONOTONIC", "1")
        .env("FLEET_CLOCK_FILE", clock)
        .spawn()
        .unwrap()
}

/// Four processes, 20 calls each, all at once, sharing 20 calls a second: in no sliding
/// second does the server see more than 20, and the budget is used (about 4 s for 80 calls,
/// where one process alone with its own budget would let 80 through in 1 s). Two of them run
/// with wall clocks 90 s ahead and 90 s behind: the budget is timed by the Redis server's
/// clock, so their skew changes nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn four_processes_share_one_budget() {
    let Some(url) = redis_url("four_processes_share_one_budget") else {
        return;
    };
    let (base_url, arrivals) = recording_server().await;
    let prefix = unique_prefix();
    let clocks = std::env::temp_dir().join(format!("fleet-clocks-{}", std::process::id()));
    std::fs::create_dir_all(&clocks).unwrap();
    let faketime = faketime_library();
    let started = Instant::now();
    let mut workers: Vec<Child> = (0..2)
        .map(|_| spawn_worker(&base_url, &url, &prefix, 20))
        .collect();
    let skews = [("+90s", 90_i64), ("-90s", -90)];
    for (offset, _) in skews {
        let mut command = worker(&base_url, &url, &prefix, 20);
        workers.push(match &faketime {
            Some(library) => skewed_worker(command, library, offset, &clocks.join(offset)),
            None => command.spawn().unwrap(),
        });
    }
    let outcomes = tokio::task::spawn_blocking(move || {
        workers
            .into_iter()
            .map(|mut worker| worker.wait().unwrap().success())
            .collect::<Vec<_>>()
    })
    .await
    .unwrap();
    let took = started.elapsed();
    assert_eq!(outcomes, [true; 4], "every worker's calls succeeded");
    if faketime.is_some() {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64;
        for (offset, seconds) in skews {
            let seen: i64 = std::fs::read_to_string(clocks.join(offset))
                .expect("the skewed worker wrote its clock")
                .parse()
                .unwrap();
            let skew = seen - now;
            assert!(
                (skew - seconds).abs() <= 15,
                "{offset}: the worker's clock was {skew} s off"
            );
        }
    }
    let _ = std::fs::remove_dir_all(&clocks);
    let mut arrivals = arrivals.lock().unwrap().clone();
    assert_eq!(arrivals.len(), 80);
    let busiest = busiest_window(&mut arrivals, Duration::from_secs(1));
    assert!(busiest <= BUDGET as usize, "{busiest} calls in one second");
    assert!(busiest >= 15, "the budget is used: {busiest}");
    // 80 calls at 20 a second: the last 20 cannot start before 3 s.
    assert!(took >= Duration::from_secs(3), "{took:?}");
    assert!(took < Duration::from_secs(15), "{took:?}");
}

fn free_port() -> u16 {
    StdListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A `redis-server` of the test's own, to stop and restart (the shared one stays up).
struct OwnServer {
    child: Option<Child>,
}

impl OwnServer {
    fn start(port: u16) -> Self {
        Self::start_with(port, &["--port", &port.to_string()])
    }

    /// A server whose own settings (ports, TLS, users) are `args`; `port` is the one it
    /// listens on.
    fn start_with(port: u16, args: &[&str]) -> Self {
        let child = Command::new("redis-server")
            .args(args)
            .args(["--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no"])
            .stdout(Stdio::null())
            .spawn()
            .expect("redis-server is installed where the Redis tests run");
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "redis-server did not start");
            std::thread::sleep(Duration::from_millis(20));
        }
        Self { child: Some(child) }
    }

    fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for OwnServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Redis stopped mid-run: by default every call fails with the typed error and nothing
/// reaches the server; restarted, calls go through again, limited as before. With the
/// fallback on, calls go on, held to this process's own budget (never unlimited).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stopped_store_fails_calls_without_sending_them() {
    if redis_url("a_stopped_store_fails_calls_without_sending_them").is_none() {
        return;
    }
    let port = free_port();
    let mut server = OwnServer::start(port);
    let url = format!("redis://127.0.0.1:{port}");
    let (base_url, arrivals) = recording_server().await;
    let store = RedisLimits::new(&url)
        .prefix(unique_prefix())
        .timeout(Duration::from_millis(300));
    let strict = runtime(&base_url, store.clone());
    let lenient = runtime(&base_url, store.fall_back_to_local(true));
    assert_eq!(call(&strict).await.unwrap(), 200);
    assert_eq!(arrivals.lock().unwrap().len(), 1);

    server.stop();
    for _ in 0..3 {
        let error = call(&strict).await.unwrap_err();
        assert!(matches!(error, Error::RateLimitStore { .. }), "{error:?}");
        assert_eq!(error.kind(), ErrorKind::Transport, "CLI exit 7");
        assert!(error.to_string().contains("nothing was sent"), "{error}");
    }
    assert_eq!(arrivals.lock().unwrap().len(), 1, "nothing was sent");

    // The fallback: 30 concurrent calls at 20 a second, spaced by this process alone.
    let started = Instant::now();
    let tasks: Vec<_> = (0..30)
        .map(|_| {
            let lenient = lenient.clone();
            tokio::spawn(async move { call(&lenient).await })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap().unwrap(), 200);
    }
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "spaced, not unlimited"
    );
    let mut fallen_back = arrivals.lock().unwrap()[1..].to_vec();
    assert_eq!(fallen_back.len(), 30);
    assert!(busiest_window(&mut fallen_back, Duration::from_secs(1)) <= BUDGET as usize);

    let _restarted = OwnServer::start(port);
    // The connection manager reconnects in the background: the first calls may still fail.
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        match call(&strict).await {
            Ok(status) => break assert_eq!(status, 200),
            Err(Error::RateLimitStore { .. }) if Instant::now() < deadline => {
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(error) => panic!("{error:?}"),
        }
    }
}

/// The keys an operator finds in Redis: `<prefix>{<api>:<bucket>:<account>}`, one sorted set
/// per bucket and account, each member a call's place scored in server microseconds.
#[tokio::test]
async fn the_key_layout() {
    let Some(url) = redis_url("the_key_layout") else {
        return;
    };
    let (base_url, _arrivals) = recording_server().await;
    let prefix = unique_prefix();
    let runtime = runtime(&base_url, RedisLimits::new(&url).prefix(&prefix));
    let client = redis::Client::open(url.as_str()).unwrap();
    let mut connection = client.get_multiplexed_async_connection().await.unwrap();
    assert_eq!(call(&runtime).await.unwrap(), 200);
    // The call's end goes to the store in the background; `settle` waits for it, after which
    // the place is scored by its end (past), not by its lease (the deadline ahead).
    api_token_runtime::settle().await;
    let server_now = server_now(&mut connection).await;
    let keys: Vec<String> = redis::cmd("KEYS")
        .arg(format!("{prefix}*"))
        .query_async(&mut connection)
        .await
        .unwrap();
    let key = keys.first().expect("one key").clone();
    let kind: String = redis::cmd("TYPE")
        .arg(&key)
        .query_async(&mut connection)
        .await
        .unwrap();
    let members = places(&mut connection, &key).await;
    let ttl: i64 = redis::cmd("PTTL")
        .arg(&key)
        .query_async(&mut connection)
        .await
        .unwrap();
    let shown = format!(
        "keys: {}\ntype: {kind}\nmembers: {} (32 hex digits each: {})\nended: {}\nexpires: {}",
        keys.iter()
            .map(|k| k.replacen(&prefix, "<prefix>", 1))
            .collect::<Vec<_>>()
            .join(", "),
        members.len(),
        members
            .iter()
            .all(|(m, _)| m.len() == 32 && m.bytes().all(|b| b.is_ascii_hexdigit())),
        members.iter().all(|(_, score)| *score <= server_now),
        ttl > 0,
    );
    insta::assert_snapshot!(shown);
}

static SLOW: Operation = Operation {
    idempotent: true,
    rate_limit: Some(RateLimit {
        bucket: "fleet::slow",
        requests: 1,
        per_millis: 2000,
    }),
    ..Operation::new("fleet", "slow", Method::Get)
};

/// Budget 1 per 2 s, one call made: a second call whose deadline (0.5 s) runs out while it
/// waits gives up without taking the place, so a third call gets it when it frees up (2 s
/// after the first call ended), not later; and the key holds one place, not two.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wait_cut_by_its_deadline_takes_no_place() {
    let Some(url) = redis_url("a_wait_cut_by_its_deadline_takes_no_place") else {
        return;
    };
    let (base_url, _arrivals) = recording_server().await;
    let prefix = unique_prefix();
    let store = RedisLimits::new(&url).prefix(&prefix);
    let patient = runtime(&base_url, store.clone());
    let hasty = Runtime::new(
        &base_url,
        api_token_runtime::Config::default()
            .retry(RetryPolicy::disabled())
            .deadline(Duration::from_millis(500))
            .rate_limits(RateLimits::spec().store(store)),
    )
    .unwrap();
    let slow = |runtime: &Runtime| {
        let runtime = runtime.clone();
        async move {
            let request = Request::new(&SLOW, "/slow".to_owned());
            runtime.execute::<String>(request, &NoCredentials).await
        }
    };
    slow(&patient).await.unwrap();
    let first_ended = Instant::now();
    let error = slow(&hasty).await.unwrap_err();
    assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
    slow(&patient).await.unwrap();
    let third = first_ended.elapsed();
    assert!(third >= Duration::from_millis(1900), "{third:?}");
    assert!(third < Duration::from_millis(2600), "{third:?}");
    let client = redis::Client::open(url.as_str()).unwrap();
    let mut connection = client.get_multiplexed_async_connection().await.unwrap();
    let key = format!("{prefix}{{fleet:fleet::slow:shared}}");
    let places: usize = redis::cmd("ZCARD")
        .arg(&key)
        .query_async(&mut connection)
        .await
        .unwrap();
    assert_eq!(places, 1, "only the third call's place remains");
}

static QUEUE: Operation = Operation {
    idempotent: true,
    rate_limit: Some(RateLimit {
        bucket: "fleet::queue",
        requests: 1,
        per_millis: 150,
    }),
    ..Operation::new("fleet", "queue", Method::Get)
};

/// Budget 1 per 150 ms, six callers of one process arriving 20 ms apart: they wait for the
/// shared budget and are served in the order they came, not by whichever poll lands first.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn waiting_callers_of_one_process_are_served_in_order() {
    let Some(url) = redis_url("waiting_callers_of_one_process_are_served_in_order") else {
        return;
    };
    let (base_url, _arrivals) = recording_server().await;
    let runtime = runtime(&base_url, RedisLimits::new(&url).prefix(unique_prefix()));
    let served = Arc::new(Mutex::new(Vec::new()));
    let mut tasks = Vec::new();
    for caller in 0..6 {
        let runtime = runtime.clone();
        let served = Arc::clone(&served);
        tasks.push(tokio::spawn(async move {
            let request = Request::new(&QUEUE, "/queue".to_owned());
            runtime
                .execute::<String>(request, &NoCredentials)
                .await
                .unwrap();
            served.lock().unwrap().push(caller);
        }));
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    for task in tasks {
        task.await.unwrap();
    }
    assert_eq!(*served.lock().unwrap(), [0, 1, 2, 3, 4, 5]);
}

/// The tool run as a fleet runs it, one process per call: it hands its place back before it
/// exits, so the place rests for the period after the call, not until the deadline runs out
/// (two minutes, during which every other process would wait for it).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_tool_hands_its_place_back_before_exiting() {
    let Some(url) = redis_url("the_tool_hands_its_place_back_before_exiting") else {
        return;
    };
    let (base_url, arrivals) =
        answering_server(r#"{"Response":{"RequestId":"r-1","ApiTokens":["at-1"]}}"#).await;
    // A key id of this run's own, so that the key (a digest of it) is this run's alone.
    let key_id = format!("AKID{}", unique_prefix().trim_end_matches(':'));
    let output = Command::new(env!("CARGO_BIN_EXE_api-tokens-test"))
        .args([
            "tencent-vod",
            "describe-aigc-api-tokens",
            "--base-url",
            &base_url,
        ])
        .args(["--sub-app-id", "251006666"])
        .env("TENCENT_VOD_TC3_SECRET_ID", &key_id)
        .env("TENCENT_VOD_TC3_SECRET_KEY", "fleet-test-signing-key")
        .env("TENCENT_VOD_RATE_LIMIT_STORE", &url)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert_eq!(arrivals.lock().unwrap().len(), 1);

    let key = RedisLimits::new(&url).key(
        "tencent_vod",
        "tencent_vod::describeAigcApiTokens",
        Some(&key_id),
    );
    let client = redis::Client::open(url.as_str()).unwrap();
    let mut connection = client.get_multiplexed_async_connection().await.unwrap();
    let members = places(&mut connection, &key).await;
    let server_now = server_now(&mut connection).await;
    assert_eq!(members.len(), 1, "{key}: {members:?}");
    assert!(
        members[0].1 <= server_now,
        "the place still counts until its lease: {} µs ahead",
        members[0].1 - server_now
    );
}

/// A managed Redis as the README describes it: TLS (`rediss://`) with an ACL user and its
/// password, the server's certificate signed by a private CA given as `root_certificate`.
/// The wrong password, or no CA (the public roots do not know it), fails the call before
/// anything is sent, and neither the error nor `Debug` of the settings shows the password.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tls_and_a_password_as_with_a_managed_redis() {
    if redis_url("tls_and_a_password_as_with_a_managed_redis").is_none() {
        return;
    }
    let tls = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/tls");
    let port = free_port();
    let _server = OwnServer::start_with(
        port,
        &[
            "--port",
            "0",
            "--tls-port",
            &port.to_string(),
            "--tls-cert-file",
            &format!("{tls}/server.pem"),
            "--tls-key-file",
            &format!("{tls}/server.key"),
            "--tls-auth-clients",
            "no",
            "--user",
            "default",
            "off",
            "--user",
            "app",
            "on",
            ">fleet-Pa55word",
            "~*",
            "+@all",
        ],
    );
    let ca = std::fs::read(format!("{tls}/ca.pem")).unwrap();
    let (base_url, arrivals) = recording_server().await;
    let store = |password: &str| {
        RedisLimits::new(format!("rediss://app:{password}@127.0.0.1:{port}/0"))
            .prefix(unique_prefix())
            .timeout(Duration::from_secs(2))
    };

    let trusted = runtime(
        &base_url,
        store("fleet-Pa55word").root_certificate(ca.clone()),
    );
    assert_eq!(call(&trusted).await.unwrap(), 200);
    assert_eq!(arrivals.lock().unwrap().len(), 1);

    let refused = [
        (
            "wrong password",
            store("not-the-Pa55word").root_certificate(ca),
        ),
        ("unknown CA", store("fleet-Pa55word")),
    ];
    for (what, store) in refused {
        let shown = format!("{store:?}");
        let error = call(&runtime(&base_url, store)).await.unwrap_err();
        assert!(
            matches!(error, Error::RateLimitStore { .. }),
            "{what}: {error:?}"
        );
        for text in [error.to_string(), format!("{error:?}"), shown] {
            assert!(!text.contains("Pa55word"), "{what}: {text}");
        }
    }
    assert_eq!(arrivals.lock().unwrap().len(), 1, "nothing was sent");
}

/// A call costs one exchange with the store: its end is carried by the next call's take (or
/// flushed in the background), not sent on the caller's path. Counted by the server itself
/// over 40 sequential calls: at most 40 script calls and a few to flush or load the scripts,
/// where waiting for each end would make 80. And every end still lands (`settle`).
#[tokio::test]
async fn each_call_costs_one_exchange_with_the_store() {
    if redis_url("each_call_costs_one_exchange_with_the_store").is_none() {
        return;
    }
    let port = free_port();
    let _server = OwnServer::start(port);
    let url = format!("redis://127.0.0.1:{port}");
    let (base_url, _arrivals) = recording_server().await;
    let runtime = runtime(&base_url, RedisLimits::new(&url).prefix(unique_prefix()));
    // A budget no call waits for: a wait would poll, which is more exchanges by design.
    static ROOMY: Operation = Operation {
        rate_limit: Some(RateLimit {
            bucket: "fleet::roomy",
            requests: 1000,
            per_millis: 1000,
        }),
        ..OPERATION
    };
    for _ in 0..40 {
        let request = Request::new(&ROOMY, "/op".to_owned());
        let response = runtime.execute::<String>(request, &NoCredentials).await;
        assert_eq!(response.unwrap().status(), 200);
    }
    api_token_runtime::settle().await;
    let client = redis::Client::open(url.as_str()).unwrap();
    let mut connection = client.get_multiplexed_async_connection().await.unwrap();
    let stats: String = redis::cmd("INFO")
        .arg("commandstats")
        .query_async(&mut connection)
        .await
        .unwrap();
    let calls = |command: &str| -> u64 {
        stats
            .lines()
            .find_map(|line| line.strip_prefix(&format!("cmdstat_{command}:calls=")))
            .and_then(|rest| rest.split(',').next())
            .map_or(0, |n| n.parse().unwrap())
    };
    let scripts = calls("evalsha") + calls("eval");
    assert!(
        (40..=44).contains(&scripts),
        "{scripts} script calls:\n{stats}"
    );
    let members: u64 = redis::cmd("EVAL")
        .arg("local n = 0 for _, k in ipairs(redis.call('KEYS', '*')) do n = n + #redis.call('ZRANGEBYSCORE', k, '(' .. (tonumber(redis.call('TIME')[1]) * 1000000 + tonumber(redis.call('TIME')[2])), '+inf') end return n")
        .arg(0)
        .query_async(&mut connection)
        .await
        .unwrap();
    assert_eq!(members, 0, "every place ended: none scored by its lease");
}
