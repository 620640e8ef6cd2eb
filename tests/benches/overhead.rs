//! The client's own cost per call: building the request, authenticating (Basic, or a TC3
//! signature), encoding, the runtime's bookkeeping (limiter, retry policy, hooks, tracing
//! spans) and decoding — against a minimal keep-alive HTTP/1.1 server on loopback, next to a
//! bare `reqwest` round trip to the same server (the floor: what any client pays).
//!
//! `cargo bench -p tests --bench overhead`
//!
//! On a busy machine wall-clock figures swing with the load; `OVERHEAD_CPU=<calls>` instead
//! runs each case that many times and prints the process's CPU time per call (client and
//! server share the thread, as in the timed runs), which the load barely moves.
//! `OVERHEAD_PAIRED=<rounds>` times every call on the wall clock, cases interleaved in blocks
//! round by round, and prints each case's median overhead over its floor in the same rounds:
//! the figure that drift between runs (which moves the floor by tens of µs on a VM) cannot
//! skew.
//! `OVERHEAD_CASE=<text>` keeps only the cases whose name contains it. For figures the load
//! does not move at all, count instructions: the timed loop is the function `measured`, so
//!
//! ```text
//! OVERHEAD_CPU=500 OVERHEAD_CASE=tencent valgrind --tool=callgrind \
//!     --toggle-collect='overhead::measured' target/release/deps/overhead-<hash> --bench
//! ```
//!
//! counts exactly the 500 calls (client, server and connection tasks: the same server work in
//! every case, so a case minus its bare floor is the client's own cost).

use api_token_clients::runtime::{
    tc3, BasicAuth, Config, RateLimits, Response, RetryPolicy, SigningKey,
};
use api_token_clients::{apivideo, tencent_vod};
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// Tencent's documented example key pair.
const SECRET_ID: &str = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE";
const SECRET_KEY: &str = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE";
const UPLOAD_TOKEN: &str = r#"{"token":"to1tcmSFJyiwTQ2Ixh0ATAx","ttl":3600,"createdAt":"2024-01-31T12:00:00+00:00","expiresAt":"2024-01-31T13:00:00+00:00"}"#;
const DESCRIBE: &str = r#"{"Response":{"ApiTokens":["tok-1","tok-2"],"RequestId":"6fd3c5f0-8a4b-4d0b-9d3a-2f4bbd1d6a11"}}"#;

/// A keep-alive HTTP/1.1 server: `POST` gets the Tencent answer, anything else the upload token.
async fn serve(listener: TcpListener) {
    loop {
        let Ok((mut socket, _)) = listener.accept().await else {
            return;
        };
        socket.set_nodelay(true).ok();
        tokio::spawn(async move {
            let mut buffer = Vec::with_capacity(8192);
            let mut chunk = [0_u8; 8192];
            loop {
                // Read one request: head, then Content-Length bytes of body. Nothing here
                // allocates or copies per header byte: a case minus its floor is counted as
                // the client's cost, so the server's cost must not grow with the head's size.
                let head_end = loop {
                    if let Some(i) = memchr::memmem::find(&buffer, b"\r\n\r\n") {
                        break i + 4;
                    }
                    match socket.read(&mut chunk).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => buffer.extend_from_slice(&chunk[..n]),
                    }
                };
                let length = content_length(&buffer[..head_end]);
                while buffer.len() < head_end + length {
                    match socket.read(&mut chunk).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => buffer.extend_from_slice(&chunk[..n]),
                    }
                }
                let body = if buffer.starts_with(b"POST") {
                    DESCRIBE
                } else {
                    UPLOAD_TOKEN
                };
                buffer.drain(..head_end + length);
                let response = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
                    body.len()
                );
                if socket.write_all(response.as_bytes()).await.is_err() {
                    return;
                }
            }
        });
    }
}

/// The `Content-Length` of a request head (0 when absent), found without allocating. Both
/// clients are hyper's, which writes header names in lower case; any other spelling is found
/// line by line.
fn content_length(head: &[u8]) -> usize {
    let value = match memchr::memmem::find(head, b"\r\ncontent-length:") {
        Some(i) => {
            let rest = &head[i + 17..];
            &rest[..memchr::memchr(b'\r', rest).unwrap_or(rest.len())]
        }
        None => match head.split(|&b| b == b'\n').find_map(|line| {
            let colon = line.iter().position(|&b| b == b':')?;
            let (name, value) = line.split_at(colon);
            name.eq_ignore_ascii_case(b"content-length")
                .then_some(&value[1..])
        }) {
            Some(value) => value,
            None => return 0,
        },
    };
    std::str::from_utf8(value)
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0)
}

/// User and system CPU time of this process so far, in microseconds (Linux `/proc`; clock
/// ticks of 10 ms, so runs should take seconds).
fn cpu_micros() -> u64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which is in parentheses and may hold spaces).
    let rest = stat.rsplit(')').next().unwrap_or("");
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0)
    };
    // utime and stime are fields 14 and 15 of the whole line: 12 and 13 after the name.
    (ticks(11) + ticks(12)) * 10_000
}

/// The timed calls, apart so that an instruction counter can be limited to them.
#[inline(never)]
fn measured(call: &dyn Fn(), calls: usize) {
    for _ in 0..calls {
        call();
    }
}

/// A case's name, the indexes of the floors it is compared with, and one call.
type Case<'a> = (&'a str, &'a [usize], &'a dyn Fn());

fn env_number(name: &str) -> Option<usize> {
    std::env::var(name).ok().and_then(|n| n.parse().ok())
}

/// Wall clock that the machine's drift cannot skew: every round runs a block of calls of
/// each case in turn (starting at a different case each round), so a slow stretch of the VM
/// (frequency, steal time, other load) falls on all cases alike, and a case's overhead is the
/// median, over rounds, of its block's median minus its floor's in the same round. A block
/// (`OVERHEAD_BLOCK` calls, default 50) keeps a case's code and data in cache as a steady
/// stream of calls would; `OVERHEAD_BLOCK=1` interleaves single calls, which charges each
/// case for refilling the caches the others evicted.
fn paired(cases: &[Case], rounds: usize) {
    let block = env_number("OVERHEAD_BLOCK").unwrap_or(50).max(1);
    let mut medians = vec![Vec::with_capacity(rounds); cases.len()];
    let mut times = Vec::with_capacity(block);
    for round in 0..rounds / 10 + rounds {
        for k in 0..cases.len() {
            let i = (round + k) % cases.len();
            times.clear();
            for _ in 0..block {
                let start = std::time::Instant::now();
                (cases[i].2)();
                times.push(start.elapsed().as_nanos() as f64 / 1000.0);
            }
            if round >= rounds / 10 {
                medians[i].push(quartiles(times.clone()).1);
            }
        }
    }
    println!(
        "{rounds} rounds of {block} calls per case, µs per call: median of block medians \
         (p25–p75); overhead = median over rounds of (case − floor)"
    );
    for (i, (name, floor, _)) in cases.iter().enumerate() {
        let (p25, median, p75) = quartiles(medians[i].clone());
        print!("{median:8.1} ({p25:.1}–{p75:.1})  {name}");
        for f in floor.iter() {
            let differences = medians[i]
                .iter()
                .zip(&medians[*f])
                .map(|(a, b)| a - b)
                .collect();
            let (d25, d50, d75) = quartiles(differences);
            print!("   overhead {d50:.1} ({d25:.1}–{d75:.1})");
        }
        println!();
    }
}

fn quartiles(mut values: Vec<f64>) -> (f64, f64, f64) {
    values.sort_by(f64::total_cmp);
    let at = |q: f64| values[((values.len() - 1) as f64 * q) as usize];
    (at(0.25), at(0.5), at(0.75))
}

fn config() -> Config {
    Config::default()
        .allow_insecure_http()
        .retry(RetryPolicy::default())
        // The spec's 20/s would dominate; the limiter's own cost is measured separately.
        .rate_limits(RateLimits::disabled())
}

fn overhead(c: &mut Criterion) {
    // One thread: client and server take turns, so no cross-thread wake-ups blur the figures.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let base = runtime.block_on(async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        tokio::spawn(serve(listener));
        format!("http://{address}")
    });

    let apivideo = apivideo::Client::new(
        &base,
        apivideo::Credentials::default().with_api_key(BasicAuth::api_key("sandbox-key-123")),
        config(),
    )
    .unwrap();
    let key = SigningKey::new(SECRET_ID, SECRET_KEY);
    let tencent = tencent_vod::Client::new(
        &base,
        tencent_vod::Credentials::default().with_tc3(key.clone()),
        config(),
    )
    .unwrap();
    let tencent_limited = tencent_vod::Client::new(
        &base,
        tencent_vod::Credentials::default().with_tc3(key),
        config().rate_limits(RateLimits::spec().with(
            "tencent_vod::describeAigcApiTokens",
            u32::MAX,
            Duration::from_secs(1),
        )),
    )
    .unwrap();
    let describe_body =
        tencent_vod::types::DescribeAigcApiTokensRequest::new().with_sub_app_id(1_500_000_001);
    let bare = reqwest::Client::new();
    let get_url = format!("{base}/upload-tokens/to1tcmSFJyiwTQ2Ixh0ATAx");
    let post_url = format!("{base}/");

    // A bare POST carrying what a TC3 call carries besides the body (the headers, with a
    // signature made once): the floor that leaves out the wire's extra bytes, so that what
    // remains is the client's own work.
    let signature = tc3::sign(
        SECRET_ID,
        SECRET_KEY,
        &tc3::Tc3Request {
            method: "POST",
            canonical_uri: "/",
            canonical_query: "",
            headers: &[
                ("content-type", "application/json"),
                ("host", &base[7..]),
                ("x-tc-action", "describeaigcapitokens"),
            ],
            payload: br#"{"SubAppId":1500000001}"#,
            service: "vod",
            timestamp: 1_700_000_000,
        },
    );

    let tc3_headers = [
        ("x-tc-version", "2018-07-17"),
        ("x-tc-action", "DescribeAigcApiTokens"),
        ("x-tc-timestamp", "1700000000"),
        ("authorization", signature.authorization.as_str()),
    ];
    let bare_post = |headers: &[(&str, &str)]| {
        runtime.block_on(async {
            let mut request = bare
                .post(&post_url)
                .header("content-type", "application/json");
            for (name, value) in headers {
                request = request.header(*name, *value);
            }
            let response = request
                .body(r#"{"SubAppId":1500000001}"#)
                .send()
                .await
                .unwrap();
            black_box(response.bytes().await.unwrap());
        })
    };

    // Each case names the bare calls it is compared with (its floors); floors name none.
    let cases: [Case; 6] = [
        ("bare reqwest GET (floor)", &[], &|| {
            runtime.block_on(async {
                let response = bare.get(&get_url).send().await.unwrap();
                black_box(response.bytes().await.unwrap());
            })
        }),
        ("apivideo get_upload_token (GET, Basic)", &[0], &|| {
            runtime.block_on(async {
                black_box(
                    apivideo
                        .get_upload_token("to1tcmSFJyiwTQ2Ixh0ATAx")
                        .await
                        .unwrap(),
                );
            })
        }),
        ("bare reqwest POST (floor)", &[], &|| bare_post(&[])),
        (
            "tencent describe (POST, TC3-signed, envelope)",
            &[2, 5],
            &|| {
                runtime.block_on(async {
                    black_box(
                        tencent
                            .describe_aigc_api_tokens(&describe_body)
                            .await
                            .unwrap(),
                    );
                })
            },
        ),
        ("tencent describe, rate limiter on", &[2, 5], &|| {
            runtime.block_on(async {
                black_box(
                    tencent_limited
                        .describe_aigc_api_tokens(&describe_body)
                        .await
                        .unwrap(),
                );
            })
        }),
        ("bare reqwest POST with TC3's headers (floor)", &[], &|| {
            bare_post(&tc3_headers)
        }),
    ];
    if let Some(rounds) = env_number("OVERHEAD_PAIRED") {
        paired(&cases, rounds);
        return;
    }
    if let Some(calls) = env_number("OVERHEAD_CPU") {
        let only = std::env::var("OVERHEAD_CASE").unwrap_or_default();
        for (name, _, call) in cases {
            if !name.contains(only.as_str()) {
                continue;
            }
            for _ in 0..calls / 10 {
                call();
            }
            let before = cpu_micros();
            measured(call, calls);
            let per_call = (cpu_micros() - before) as f64 / calls as f64;
            println!("cpu per call: {per_call:8.1} µs  {name}");
        }
        return;
    }

    let mut loopback = c.benchmark_group("loopback");
    for (name, _, call) in cases {
        loopback.bench_function(name, |b| b.iter(call));
    }
    loopback.finish();

    let mut cpu = c.benchmark_group("cpu");
    cpu.bench_function("tc3 sign", |b| {
        let headers = [
            ("content-type", "application/json"),
            ("host", "vod.tencentcloudapi.com"),
            ("x-tc-action", "describeaigcapitokens"),
        ];
        b.iter(|| {
            black_box(tc3::sign(
                SECRET_ID,
                SECRET_KEY,
                &tc3::Tc3Request {
                    method: "POST",
                    canonical_uri: "/",
                    canonical_query: "",
                    headers: &headers,
                    payload: br#"{"SubAppId":1500000001}"#,
                    service: "vod",
                    timestamp: 1_700_000_000,
                },
            ))
        })
    });
    cpu.bench_function("decode UploadToken", |b| {
        b.iter(|| {
            let response = Response::from_parts(
                200,
                &[("content-type", "application/json")],
                UPLOAD_TOKEN.as_bytes().to_vec(),
            );
            black_box(response.json::<apivideo::types::UploadToken, ()>().unwrap())
        })
    });
    cpu.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));
    targets = overhead
}
criterion_main!(benches);
