//! Client settings shared by every generated client, with documented defaults.

use std::time::Duration;

/// Settings of a client. `Config::default()` is what `Client::new` uses.
///
/// | setting | default |
/// |---|---|
/// | `timeout` (whole request, body included) | 30 s |
/// | `connect_timeout` | 10 s |
/// | `max_body_bytes` (enforced while reading) | 4 MiB |
/// | `allow_insecure_http` | `false`: `http://` base URLs are refused |
/// | `user_agent` | `api-token-clients/<version>` |
#[derive(Debug, Clone)]
pub struct Config {
    /// Limit on the whole request, from connecting to the last body byte.
    pub timeout: Duration,
    /// Limit on establishing the connection.
    pub connect_timeout: Duration,
    /// Responses longer than this are abandoned with `Error::BodyTooLarge`.
    pub max_body_bytes: usize,
    /// Allows plain `http://` base URLs (local servers, tests). Credentials then travel in clear.
    pub allow_insecure_http: bool,
    /// The `User-Agent` header.
    pub user_agent: String,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            max_body_bytes: 4 * 1024 * 1024,
            allow_insecure_http: false,
            user_agent: concat!("api-token-clients/", env!("CARGO_PKG_VERSION")).to_owned(),
        }
    }
}

impl Config {
    /// Permits `http://` base URLs, for local servers and loopback tests.
    pub fn allow_insecure_http(mut self) -> Self {
        self.allow_insecure_http = true;
        self
    }

    /// Sets the whole-request timeout.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Sets the connect timeout.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Sets the response body cap in bytes.
    pub fn max_body_bytes(mut self, bytes: usize) -> Self {
        self.max_body_bytes = bytes;
        self
    }
}
