//! When and how long to wait before sending a request again.

use reqwest::header::HeaderMap;
use std::time::{Duration, SystemTime};

/// How failed calls are retried. Only requests that generated code marks idempotent (GET,
/// PUT, DELETE, and operations with `x-idempotent` in the spec) are ever retried; a POST that
/// creates something is sent exactly once.
///
/// A call is retried when the attempt failed to connect or the connection broke (no timeout),
/// or was answered 408, 429 or a 5xx other than 501 and 505. The wait before attempt `n + 1`
/// is, in order of preference:
///
/// 1. what the server asked for: on 429, the vendor header the spec names (seconds, e.g.
///    api.video's `X-RateLimit-Retry-After`), and on any retried status the standard
///    `Retry-After` (delta-seconds or an HTTP-date); the larger one when both are present.
///    A wait longer than [`max_retry_after`](Self::max_retry_after) is not waited for: the
///    response is returned to the caller as is (a 429 then decodes as the operation's
///    documented error);
/// 2. otherwise exponential backoff with jitter: a random duration between half and all of
///    `min(max_delay, base_delay * 2^(n - 1))`.
///
/// A timed-out attempt is not retried: [`Config::timeout`](super::Config::timeout) bounds each
/// attempt, and a server that does not answer in time is not likely to answer the next one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included: 1 means no retries. Default 3.
    pub max_attempts: u32,
    /// Backoff before the first retry (before jitter). Default 200 ms.
    pub base_delay: Duration,
    /// Upper bound of a computed backoff. Default 10 s.
    pub max_delay: Duration,
    /// Longest server-requested wait (`Retry-After`) that is honoured. Default 60 s.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(10),
            max_retry_after: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// Every call is sent once.
    pub fn disabled() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// Sets the number of attempts (the first included).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts;
        self
    }

    /// Sets the backoff before the first retry.
    pub fn base_delay(mut self, delay: Duration) -> Self {
        self.base_delay = delay;
        self
    }

    /// Sets the cap of a computed backoff.
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// Sets the longest `Retry-After` that is waited for.
    pub fn max_retry_after(mut self, delay: Duration) -> Self {
        self.max_retry_after = delay;
        self
    }

    /// The backoff before retry number `retry` (1 for the second attempt), with jitter.
    pub(crate) fn backoff(&self, retry: u32) -> Duration {
        let exponent = retry.saturating_sub(1).min(31);
        let ceiling = self
            .base_delay
            .saturating_mul(1_u32 << exponent)
            .min(self.max_delay);
        let half = ceiling / 2;
        let spread = (ceiling - half).as_micros().min(u128::from(u64::MAX)) as u64;
        half + Duration::from_micros(fastrand::u64(0..=spread))
    }
}

/// Statuses worth another attempt of an idempotent request.
pub(crate) fn retryable_status(status: u16) -> bool {
    matches!(status, 408 | 429) || ((500..=599).contains(&status) && !matches!(status, 501 | 505))
}

/// The wait the server asked for, if it asked.
pub(crate) fn server_delay(
    status: u16,
    headers: &HeaderMap,
    vendor_header: Option<&str>,
    now: SystemTime,
) -> Option<Duration> {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let standard = text("retry-after").and_then(|v| parse_retry_after(v, now));
    // A vendor's rate-limit header says when the quota window resets; it is about 429 only.
    let vendor = vendor_header
        .filter(|_| status == 429)
        .and_then(text)
        .and_then(parse_seconds);
    match (standard, vendor) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}

/// `Retry-After`: delta-seconds, or an HTTP-date (a date in the past means now).
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Some(delay) = parse_seconds(value) {
        return Some(delay);
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// A non-negative number of seconds; vendors sometimes send fractions.
fn parse_seconds(value: &str) -> Option<Duration> {
    let value = value.trim();
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return None;
    }
    let seconds: f64 = value.parse().ok()?;
    // Clamped so that absurd values become "too long" rather than a parse failure.
    Duration::try_from_secs_f64(seconds.min(1e9)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn backoff_grows_is_capped_and_jittered() {
        let policy = RetryPolicy::default();
        for _ in 0..100 {
            let first = policy.backoff(1);
            assert!(first >= Duration::from_millis(100) && first <= Duration::from_millis(200));
            let third = policy.backoff(3);
            assert!(third >= Duration::from_millis(400) && third <= Duration::from_millis(800));
            let late = policy.backoff(40);
            assert!(late >= Duration::from_secs(5) && late <= Duration::from_secs(10));
        }
    }

    #[test]
    fn statuses() {
        for s in [408, 429, 500, 502, 503, 504, 599] {
            assert!(retryable_status(s), "{s}");
        }
        for s in [200, 201, 204, 301, 400, 401, 403, 404, 409, 501, 505] {
            assert!(!retryable_status(s), "{s}");
        }
    }

    #[test]
    fn retry_after_forms() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(parse_retry_after("2", now), Some(Duration::from_secs(2)));
        assert_eq!(parse_retry_after(" 0 ", now), Some(Duration::ZERO));
        let later = httpdate::fmt_http_date(now + Duration::from_secs(30));
        assert_eq!(
            parse_retry_after(&later, now),
            Some(Duration::from_secs(30))
        );
        let earlier = httpdate::fmt_http_date(now - Duration::from_secs(30));
        assert_eq!(parse_retry_after(&earlier, now), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("-1", now), None);
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_seconds("1.5"), Some(Duration::from_millis(1500)));
        assert!(parse_seconds("99999999999999999999").unwrap() > Duration::from_secs(60));
    }

    #[test]
    fn vendor_header_only_on_429() {
        let now = SystemTime::now();
        let mut headers = HeaderMap::new();
        headers.insert("x-ratelimit-retry-after", HeaderValue::from_static("7"));
        let vendor = Some("X-RateLimit-Retry-After");
        assert_eq!(
            server_delay(429, &headers, vendor, now),
            Some(Duration::from_secs(7))
        );
        assert_eq!(server_delay(503, &headers, vendor, now), None);
        headers.insert("retry-after", HeaderValue::from_static("3"));
        assert_eq!(
            server_delay(503, &headers, vendor, now),
            Some(Duration::from_secs(3))
        );
        assert_eq!(
            server_delay(429, &headers, vendor, now),
            Some(Duration::from_secs(7))
        );
    }
}
