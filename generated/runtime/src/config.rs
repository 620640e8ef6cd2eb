//! Client settings shared by every generated client, with documented defaults.

use super::hooks::Hook;
use super::limiter::RateLimits;
use super::retry::RetryPolicy;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// Settings of a client. `Config::default()` is what `Client::new` uses.
///
/// | setting | default |
/// |---|---|
/// | `timeout` (each attempt: connect, send, headers and the whole body) | 30 s |
/// | `connect_timeout` | 10 s |
/// | `max_body_bytes` (enforced while reading, chunked bodies included) | 4 MiB |
/// | `allow_insecure_http` | `false`: `http://` base URLs are refused |
/// | `user_agent` | `api-token-clients/<version>` |
/// | `retry.max_attempts` (idempotent calls only; a POST is sent once) | 3 (2 retries) |
/// | `retry.base_delay` (backoff before the first retry; doubles, with jitter) | 200 ms |
/// | `retry.max_delay` (cap of a computed backoff) | 10 s |
/// | `retry.max_retry_after` (longest `Retry-After` honoured; longer returns the response) | 60 s |
/// | `rate_limits` (client-side spacing per the spec's `x-rate-limit`) | on, spec budgets |
/// | `hooks` | none |
///
/// Retried: connection failures, 408, 429 and 5xx except 501/505 (see [`RetryPolicy`]). The
/// rate limiter is shared by all clones of a client (see [`RateLimits`]).
#[derive(Clone)]
pub struct Config {
    /// Limit on each attempt, from connecting to the last body byte.
    pub timeout: Duration,
    /// Limit on establishing the connection.
    pub connect_timeout: Duration,
    /// Responses longer than this are abandoned with `Error::BodyTooLarge`.
    pub max_body_bytes: usize,
    /// Allows plain `http://` base URLs (local servers, tests). Credentials then travel in clear.
    pub allow_insecure_http: bool,
    /// The `User-Agent` header.
    pub user_agent: String,
    /// When and how idempotent calls are retried.
    pub retry: RetryPolicy,
    /// Client-side rate limiting.
    pub rate_limits: RateLimits,
    /// Hooks called around every attempt, in order.
    pub hooks: Vec<Arc<dyn Hook>>,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("max_body_bytes", &self.max_body_bytes)
            .field("allow_insecure_http", &self.allow_insecure_http)
            .field("user_agent", &self.user_agent)
            .field("retry", &self.retry)
            .field("rate_limits", &self.rate_limits)
            .field("hooks", &self.hooks.len())
            .finish()
    }
}

impl Default for Config {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            max_body_bytes: 4 * 1024 * 1024,
            allow_insecure_http: false,
            user_agent: concat!("api-token-clients/", env!("CARGO_PKG_VERSION")).to_owned(),
            retry: RetryPolicy::default(),
            rate_limits: RateLimits::default(),
            hooks: Vec::new(),
        }
    }
}

impl Config {
    /// Permits `http://` base URLs, for local servers and loopback tests.
    pub fn allow_insecure_http(mut self) -> Self {
        self.allow_insecure_http = true;
        self
    }

    /// Sets the per-attempt timeout.
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

    /// Sets the `User-Agent` header.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Sets the retry policy ([`RetryPolicy::disabled`] sends every call once).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Sets client-side rate limiting ([`RateLimits::disabled`] turns it off).
    pub fn rate_limits(mut self, limits: RateLimits) -> Self {
        self.rate_limits = limits;
        self
    }

    /// Adds a hook, called after those added before.
    pub fn hook(mut self, hook: Arc<dyn Hook>) -> Self {
        self.hooks.push(hook);
        self
    }
}
