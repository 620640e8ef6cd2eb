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
/// | `deadline` (the whole call: every attempt, rate-limit and retry waits) | 2 min |
/// | `connect_timeout` | 10 s |
/// | `max_body_bytes` (enforced while reading, chunked bodies included) | 4 MiB |
/// | `allow_insecure_http` | `false`: `http://` base URLs are refused, except loopback |
/// | `redirects` | [`Redirects::SameOrigin`]: same origin, idempotent requests only |
/// | `http_client` | none: a client is built from the settings above |
/// | `user_agent` | `api-token-runtime/<version>` (this crate's version) |
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
    /// Limit on the whole call: every attempt, and the rate-limit and retry waits between
    /// them. A wait that would end after it is not taken.
    pub deadline: Duration,
    /// Limit on establishing the connection.
    pub connect_timeout: Duration,
    /// Responses longer than this are abandoned with `Error::BodyTooLarge`.
    pub max_body_bytes: usize,
    /// Allows plain `http://` base URLs to other hosts than loopback (`localhost`,
    /// `127.0.0.0/8`, `::1`, always allowed). Credentials then travel in clear.
    pub allow_insecure_http: bool,
    /// Which redirects are followed.
    pub redirects: Redirects,
    /// Your own configured HTTP client (proxy, custom CA, pool settings); see
    /// [`Config::http_client`].
    pub http_client: Option<reqwest::Client>,
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
            .field("deadline", &self.deadline)
            .field("allow_insecure_http", &self.allow_insecure_http)
            .field("redirects", &self.redirects)
            .field("http_client", &self.http_client.is_some())
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
            deadline: Duration::from_secs(120),
            connect_timeout: Duration::from_secs(10),
            max_body_bytes: 4 * 1024 * 1024,
            allow_insecure_http: false,
            redirects: Redirects::SameOrigin,
            http_client: None,
            user_agent: concat!("api-token-runtime/", env!("CARGO_PKG_VERSION")).to_owned(),
            retry: RetryPolicy::default(),
            rate_limits: RateLimits::default(),
            hooks: Vec::new(),
        }
    }
}

/// Which redirects (301, 302, 303, 307, 308) a client follows. A redirect not followed is
/// returned as [`Error::Redirect`](super::Error::Redirect) with its status and `Location`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Redirects {
    /// None at all.
    None,
    /// Only to the same origin (scheme, host and port: so never https to http), only for
    /// idempotent requests, at most 5 hops; each hop is authenticated (and signed) again. A
    /// redirect elsewhere is never followed: credentials, signing headers, session tokens
    /// and bodies go to the configured origin only.
    SameOrigin,
}

impl Config {
    /// Permits `http://` base URLs to other hosts than loopback (which is always allowed).
    pub fn allow_insecure_http(mut self) -> Self {
        self.allow_insecure_http = true;
        self
    }

    /// Sets the per-attempt timeout.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Sets the limit of the whole call (attempts and the waits between them).
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = deadline;
        self
    }

    /// Sets which redirects are followed.
    pub fn redirects(mut self, redirects: Redirects) -> Self {
        self.redirects = redirects;
        self
    }

    /// Sends through your own configured `reqwest::Client` (a proxy, a custom CA, pool
    /// settings) instead of one built from this config. `timeout`, `deadline` and the body
    /// cap still apply; `connect_timeout` and `user_agent` are then the client's own.
    ///
    /// Build it with `.redirect(reqwest::redirect::Policy::none())`: reqwest's default policy
    /// follows redirects to other hosts before this runtime sees them. An answer that did
    /// come from another URL than the one sent is refused as [`Error::Redirect`](super::Error::Redirect).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
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
