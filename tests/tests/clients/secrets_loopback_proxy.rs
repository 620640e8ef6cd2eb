//! Loopback stays on the machine: with `HTTP_PROXY` and `ALL_PROXY` set, a call to a loopback
//! base URL goes straight to the server (the proxy would see the credentials in clear), while
//! a base URL that is not loopback still goes through the proxy.
//!
//! The environment is process-wide and this binary holds many tests, so the test re-runs
//! itself in a child process of the binary, the only one that sets the proxy variables.

use api_token_clients::apivideo;
use api_token_clients::runtime::{BasicAuth, Config, RetryPolicy};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const API_KEY: &str = "sk-live-PROXY-SECRET-0001";

/// A proxy that records what it is sent and answers 502.
async fn recording_proxy() -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = seen.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let mut buffer = vec![0; 8192];
            let n = socket.read(&mut buffer).await.unwrap_or(0);
            record
                .lock()
                .unwrap()
                .push(String::from_utf8_lossy(&buffer[..n]).into_owned());
            let _ = socket
                .write_all(b"HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n\r\n")
                .await;
        }
    });
    (format!("http://{address}"), seen)
}

fn config() -> Config {
    Config::default()
        .timeout(Duration::from_secs(5))
        .retry(RetryPolicy::default().max_attempts(1))
}

/// Set in the child process that runs the test's body.
const CHILD: &str = "SECRETS_LOOPBACK_PROXY_CHILD";

#[test]
fn loopback_never_goes_through_a_proxy_and_other_hosts_still_do() {
    if std::env::var_os(CHILD).is_some() {
        return through_proxy_variables();
    }
    let name =
        "secrets_loopback_proxy::loopback_never_goes_through_a_proxy_and_other_hosts_still_do";
    let output = std::process::Command::new(std::env::current_exe().unwrap())
        .args([name, "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD, "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && stdout.contains("1 passed"),
        "the child run failed or ran nothing:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

fn through_proxy_variables() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let (proxy, seen) = runtime.block_on(recording_proxy());
    // Set before any client exists; reqwest reads the environment when a client is built.
    std::env::set_var("HTTP_PROXY", &proxy);
    std::env::set_var("http_proxy", &proxy);
    std::env::set_var("ALL_PROXY", &proxy);
    std::env::remove_var("NO_PROXY");
    std::env::remove_var("no_proxy");
    runtime.block_on(async {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/upload-tokens/to1"))
            .respond_with(ResponseTemplate::new(200).set_body_raw(
                r#"{"token":"to1","ttl":10,"createdAt":"2024-01-01T00:00:00Z"}"#,
                "application/json",
            ))
            .mount(&server)
            .await;
        let port = server.address().port();
        for base in [server.uri(), format!("http://localhost:{port}")] {
            let client = apivideo::Client::new(
                &base,
                apivideo::Credentials::default().with_api_key(BasicAuth::api_key(API_KEY)),
                config(),
            )
            .unwrap();
            let _ = client.get_upload_token("to1").await;
        }
        let proxied = seen.lock().unwrap().clone();
        assert!(
            proxied.is_empty(),
            "a loopback call went through the proxy: {proxied:?}"
        );
        assert_eq!(server.received_requests().await.unwrap().len(), 2);

        // Not loopback: the proxy settings still apply (the proxy gets the request).
        let remote = apivideo::Client::new(
            "http://api.example.invalid",
            apivideo::Credentials::default().with_api_key(BasicAuth::api_key(API_KEY)),
            config().allow_insecure_http(),
        )
        .unwrap();
        let _ = remote.get_upload_token("to1").await;
        let proxied = seen.lock().unwrap().clone();
        assert_eq!(proxied.len(), 1, "{proxied:?}");
        assert!(proxied[0].contains("api.example.invalid"), "{proxied:?}");
    });
}
