//! Pieces the loopback tests of the runtime share: clients of the real generated modules
//! pointed at a test server, the Tencent call several of them make, an address nothing listens
//! on, and a capture of what `tracing` writes.

use api_token_clients::runtime::{BasicAuth, Config, Error, SigningKey};
use api_token_clients::{apivideo, tencent_vod};
use std::sync::{Arc, Mutex};

/// An api.video client with the API key `key` (HTTP Basic, empty password).
pub fn apivideo_client(base: &str, key: &str, config: Config) -> apivideo::Client {
    let credentials = apivideo::Credentials::default().with_api_key(BasicAuth::api_key(key));
    apivideo::Client::new(base, credentials, config).expect("client")
}

/// A Tencent VOD client signing with `key` (TC3-HMAC-SHA256).
pub fn tencent_client(base: &str, key: SigningKey, config: Config) -> tencent_vod::Client {
    let credentials = tencent_vod::Credentials::default().with_tc3(key);
    tencent_vod::Client::new(base, credentials, config).expect("client")
}

/// `DescribeAigcApiTokens` without a sub-application: a signed RPC call whose answer is an
/// envelope; the answer itself is dropped.
pub async fn describe(
    client: &tencent_vod::Client,
) -> Result<(), Error<tencent_vod::types::DescribeAigcApiTokensError>> {
    client
        .describe_aigc_api_tokens(&tencent_vod::types::DescribeAigcApiTokensRequest::new())
        .await
        .map(drop)
}

/// The URL of a server `cargo xtask test` starts for the tests (`redis-server`, httpbin), read
/// from `var`; `None` when the test is to be skipped, which it says. Never skipped under
/// `CI=true`: there a missing server fails the test.
pub fn started_server(var: &str, test: &str) -> Option<String> {
    match std::env::var(var) {
        Ok(url) if !url.is_empty() => Some(url),
        _ if std::env::var("CI").is_ok_and(|ci| ci == "true") => {
            panic!("{var} is not set under CI: `cargo xtask test` starts the server")
        }
        _ => {
            eprintln!("SKIPPED {test}: {var} is not set (`cargo xtask test` sets it)");
            None
        }
    }
}

/// A base URL on loopback where nothing listens: connecting is refused.
pub async fn refused_base() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = listener.local_addr().expect("address");
    drop(listener);
    format!("http://{address}")
}

/// Collects what a `tracing` subscriber writes (`.with_writer(captured.clone())`).
#[derive(Clone, Default)]
pub struct Captured(Arc<Mutex<Vec<u8>>>);

impl Captured {
    /// Everything written so far.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().expect("not poisoned")).into_owned()
    }
}

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("not poisoned").extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
    type Writer = Captured;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}
