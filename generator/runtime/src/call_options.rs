//! Per-call overrides of a client's settings.

use super::config::Config;
use super::retry::RetryPolicy;
use std::time::Duration;

/// Settings that replace the client's [`Config`] for some calls: take a client for them with
/// the generated `Client::with_options`, which shares the connection pool and the rate limiter.
///
/// ```
/// # use api_token_runtime::{CallOptions, RetryPolicy};
/// # use std::time::Duration;
/// let urgent = CallOptions::new()
///     .timeout(Duration::from_secs(2))
///     .deadline(Duration::from_secs(5))
///     .retry(RetryPolicy::disabled());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CallOptions {
    /// Replaces [`Config::timeout`] (each attempt).
    pub timeout: Option<Duration>,
    /// Replaces [`Config::deadline`] (the whole call).
    pub deadline: Option<Duration>,
    /// Replaces [`Config::retry`].
    pub retry: Option<RetryPolicy>,
    /// The idempotency key sent by operations whose spec declares one (`x-idempotency-key`),
    /// instead of a fresh random one per call: to make a call again after the process
    /// restarted, say, and have the server recognise it. Other operations ignore it.
    pub idempotency_key: Option<String>,
}

impl CallOptions {
    /// No overrides.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the limit of each attempt.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Sets the limit of the whole call.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// Sets the retry policy.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Sets the idempotency key (see [`CallOptions::idempotency_key`](#structfield.idempotency_key)).
    /// Use a client with a key for one call only: every call through it sends that key.
    pub fn idempotency_key(mut self, key: impl Into<String>) -> Self {
        self.idempotency_key = Some(key.into());
        self
    }

    pub(crate) fn apply(&self, config: &mut Config) {
        if let Some(timeout) = self.timeout {
            config.timeout = timeout;
        }
        if let Some(deadline) = self.deadline {
            config.deadline = deadline;
        }
        if let Some(retry) = self.retry {
            config.retry = retry;
        }
    }
}
