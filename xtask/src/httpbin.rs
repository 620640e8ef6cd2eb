//! httpbin (postmanlabs, ISC licence; installed into `.venv/` from `tools/requirements.txt`):
//! a server this project did not write whose `/anything` answers every request by echoing it
//! whole (headers, credentials, URL, body). `tests/tests/clients/hostile_httpbin.rs` points the
//! clients at it to prove that no echoed secret reaches an error, a trace or the CLI's output.

use crate::local_server::{free_port, LocalServer};
use std::path::Path;
use std::process::Command;

/// The variable the tests read the server's URL from.
pub const URL_VAR: &str = "API_TOKEN_TEST_HTTPBIN_URL";

/// A running httpbin, killed when dropped.
pub struct Server {
    _process: LocalServer,
    /// `http://127.0.0.1:<port>`.
    pub url: String,
}

impl Server {
    /// Starts httpbin from the workspace's `.venv/` on a free loopback port.
    pub fn start(root: &Path) -> Result<Self, String> {
        let port = free_port("httpbin")?;
        let process = LocalServer::start(
            "httpbin",
            port,
            Command::new(root.join(".venv/bin/python"))
                .args(["-m", "httpbin.core", "--host", "127.0.0.1", "--port"])
                .arg(port.to_string()),
        )?;
        let url = format!("http://127.0.0.1:{port}");
        eprintln!("==> httpbin on {url}");
        Ok(Self {
            _process: process,
            url,
        })
    }
}
