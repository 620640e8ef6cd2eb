//! The client-side rate limiter behind the specs' `x-rate-limit`.

use super::request::RateLimit;
use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::sync::Mutex;
use std::time::Duration;
use tokio::time::Instant;

/// Client-side rate limiting: which budgets calls are spaced by.
///
/// By default ([`RateLimits::spec`]) every operation that the spec gives an `x-rate-limit` is
/// held to it: no more than `requests` calls start in any window of `per_millis`, counted per
/// bucket (an operation, or a whole API) and shared by all clones of a client. Calls over the
/// budget wait (FIFO) instead of failing. Every attempt of a retried call counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateLimits {
    /// Whether calls are spaced at all. Default `true`.
    pub enabled: bool,
    /// Budgets that replace the spec's, by bucket name (as in [`RateLimit::bucket`], e.g.
    /// `tencent_vod::createAigcApiToken`). Default none.
    pub overrides: Vec<(String, Quota)>,
}

/// A budget: at most `requests` calls in any window of `per`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quota {
    /// Calls allowed per window (0 lifts the limit).
    pub requests: u32,
    /// The window.
    pub per: Duration,
}

impl Default for RateLimits {
    fn default() -> Self {
        Self::spec()
    }
}

impl RateLimits {
    /// The spec's limits, enforced.
    pub fn spec() -> Self {
        Self {
            enabled: true,
            overrides: Vec::new(),
        }
    }

    /// No client-side spacing (the server's 429s are still retried per the retry policy).
    pub fn disabled() -> Self {
        Self {
            enabled: false,
            overrides: Vec::new(),
        }
    }

    /// Replaces the spec's budget of `bucket` (a higher plan, a stricter proxy).
    pub fn with(mut self, bucket: impl Into<String>, requests: u32, per: Duration) -> Self {
        let bucket = bucket.into();
        self.overrides.retain(|(b, _)| *b != bucket);
        self.overrides.push((bucket, Quota { requests, per }));
        self
    }

    /// The budget that applies to a request declaring `limit`, if any.
    pub(crate) fn quota(&self, limit: Option<RateLimit>) -> Option<(&'static str, Quota)> {
        let limit = limit.filter(|_| self.enabled)?;
        let quota = self
            .overrides
            .iter()
            .find(|(bucket, _)| bucket == limit.bucket)
            .map(|(_, quota)| *quota)
            .unwrap_or(Quota {
                requests: limit.requests,
                per: Duration::from_millis(limit.per_millis),
            });
        (quota.requests > 0 && !quota.per.is_zero()).then_some((limit.bucket, quota))
    }
}

/// Start times reserved per bucket, in order. A new call starts no earlier than the previous
/// reservation, and no earlier than `per` after the reservation `requests` places back, so any
/// window of length `per` holds at most `requests` starts.
#[derive(Default)]
pub(crate) struct Limiter {
    buckets: Mutex<HashMap<&'static str, VecDeque<Instant>>>,
}

impl fmt::Debug for Limiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Limiter").finish_non_exhaustive()
    }
}

impl Limiter {
    /// Waits until a call in `bucket` may start; returns how long it waited. A cancelled wait
    /// keeps its slot (the limiter errs on the slow side).
    pub(crate) async fn acquire(&self, bucket: &'static str, quota: Quota) -> Duration {
        let now = Instant::now();
        let at = self.reserve(bucket, quota, now);
        if at > now {
            tokio::time::sleep_until(at).await;
        }
        at - now
    }

    fn reserve(&self, bucket: &'static str, quota: Quota, now: Instant) -> Instant {
        let requests = quota.requests as usize;
        let mut buckets = self
            .buckets
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let slots = buckets.entry(bucket).or_default();
        while slots.front().is_some_and(|t| *t + quota.per <= now) {
            slots.pop_front();
        }
        let mut at = slots.back().map_or(now, |last| now.max(*last));
        if slots.len() >= requests {
            at = at.max(slots[slots.len() - requests] + quota.per);
        }
        slots.push_back(at);
        while slots.len() > requests {
            slots.pop_front();
        }
        at
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_window_holds_more_than_the_budget() {
        let limiter = Limiter::default();
        let quota = Quota {
            requests: 3,
            per: Duration::from_millis(100),
        };
        let now = Instant::now();
        let starts: Vec<Instant> = (0..10).map(|_| limiter.reserve("b", quota, now)).collect();
        for (i, start) in starts.iter().enumerate() {
            let in_window = starts[i..]
                .iter()
                .filter(|t| **t < *start + quota.per)
                .count();
            assert!(in_window <= 3, "window at {i} holds {in_window}");
        }
        assert_eq!(starts[2], now);
        assert_eq!(starts[3], now + quota.per);
        assert_eq!(starts[9], now + quota.per * 3);
        // Another bucket is independent.
        assert_eq!(limiter.reserve("other", quota, now), now);
    }

    #[test]
    fn overrides_and_switch() {
        let limit = RateLimit {
            bucket: "m::op",
            requests: 20,
            per_millis: 1000,
        };
        let spec = RateLimits::spec();
        assert_eq!(spec.quota(Some(limit)).map(|(_, q)| q.requests), Some(20));
        let custom = RateLimits::spec().with("m::op", 5, Duration::from_millis(500));
        assert_eq!(
            custom.quota(Some(limit)).map(|(_, q)| q),
            Some(Quota {
                requests: 5,
                per: Duration::from_millis(500)
            })
        );
        assert!(RateLimits::disabled().quota(Some(limit)).is_none());
        assert!(spec.quota(None).is_none());
        let lifted = RateLimits::spec().with("m::op", 0, Duration::from_secs(1));
        assert!(lifted.quota(Some(limit)).is_none());
    }
}
