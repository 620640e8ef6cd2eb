//! The client-side rate limiter behind the specs' `x-rate-limit`.

use super::operation::RateLimit;
#[cfg(feature = "redis")]
mod redis;
#[cfg(feature = "redis")]
pub use self::redis::RedisLimits;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;

/// Client-side rate limiting: which budgets calls are spaced by.
///
/// By default ([`RateLimits::spec`]) every operation that the spec gives an `x-rate-limit` is
/// held to it: in any window of `per_millis`, wherever it starts, no more than `requests` calls
/// reach the server, counted per bucket (an operation, or a whole API) and shared by all clones
/// of a client. Calls over the budget wait (FIFO) instead of failing. Every attempt of a
/// retried call counts. A call holds its place in the budget until it has ended, and the
/// place is free again `per_millis` after that: this is what makes the bound hold in the
/// server's windows whatever the network delay (so slow calls lower the throughput).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateLimits {
    /// Whether calls are spaced at all. Default `true`.
    pub enabled: bool,
    /// Budgets that replace the spec's, by bucket name (as in [`RateLimit::bucket`], e.g.
    /// `tencent_vod::createAigcApiToken`). Default none.
    pub overrides: Vec<(String, Quota)>,
    /// Where the budget is held: `None` (default) in this process; a Redis server to share it
    /// with every process pointed at the same server (see [`RateLimits::redis`]).
    #[cfg(feature = "redis")]
    pub store: Option<RedisLimits>,
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
            #[cfg(feature = "redis")]
            store: None,
        }
    }

    /// The spec's limits, held in the Redis server at `url` and so shared by every process
    /// (every replica, every job) that uses the same server and credential: in any window of
    /// a budget's period, at most its calls reach the vendor from all of them together. See
    /// [`RedisLimits`] for the key layout and what happens when Redis cannot be reached.
    #[cfg(feature = "redis")]
    pub fn redis(url: impl Into<String>) -> Self {
        Self::spec().store(RedisLimits::new(url))
    }

    /// Holds the budgets in `store` (see [`RateLimits::redis`]).
    #[cfg(feature = "redis")]
    pub fn store(mut self, store: RedisLimits) -> Self {
        self.store = Some(store);
        self
    }

    /// No client-side spacing (the server's 429s are still retried per the retry policy).
    pub fn disabled() -> Self {
        Self {
            enabled: false,
            overrides: Vec::new(),
            #[cfg(feature = "redis")]
            store: None,
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

/// The limiter: per bucket, `requests` slots. A call takes a slot for each attempt and gives
/// it back when the attempt has ended; the slot may be taken again only `per` after that.
///
/// Why not count start times (a fixed window, or a token bucket whose burst equals the
/// limit): the server counts arrivals, and an arrival lies anywhere between the start and the
/// end of an attempt. Counting from the end bounds every window of the server's, whatever its
/// alignment and whatever the network delay: two arrivals that used the same slot are at least
/// `per` apart, so any window of length `per` holds at most one arrival per slot. The price is
/// throughput when calls are slow (a slot serves one call per `per` plus the call's duration).
/// `governor` and other GCRA limiters count start times, which is why this is hand-written.
#[derive(Default)]
pub(crate) struct Limiter {
    buckets: Mutex<HashMap<&'static str, Arc<Bucket>>>,
    /// The shared budget, when the limits name a store; its URL may fail to parse, which
    /// each call then reports.
    #[cfg(feature = "redis")]
    shared: Option<Result<Arc<self::redis::Shared>, String>>,
}

/// What a call asks the limiter for.
pub(crate) struct Ask<'a> {
    pub(crate) bucket: &'static str,
    pub(crate) quota: Quota,
    /// The operation's API (its module), part of a shared budget's key.
    #[cfg_attr(not(feature = "redis"), allow(dead_code))]
    pub(crate) api: &'static str,
    /// The credential's public identity (a user name, a key id), part of a shared key.
    #[cfg_attr(not(feature = "redis"), allow(dead_code))]
    pub(crate) identity: Option<&'a str>,
    /// The longest an attempt may run: a shared place held longer frees up by itself, so
    /// that a process that dies mid-call does not hold it for ever.
    #[cfg_attr(not(feature = "redis"), allow(dead_code))]
    pub(crate) lease: Duration,
}

/// The limiter store could not be used; nothing was sent.
#[derive(Debug)]
pub(crate) struct StoreUnavailable(pub(crate) String);

/// A place held for one attempt, in this process or in the shared store. Dropping it ends
/// the attempt's use of it: its place rests for the period from then.
/// The variants' values are held for their `Drop` alone, hence never read.
pub(crate) enum Held {
    Local(#[allow(dead_code)] Permit),
    #[cfg(feature = "redis")]
    Shared(#[allow(dead_code)] self::redis::Place),
}

/// Waits until every place in a shared (Redis) budget that this process's calls have ended
/// has been handed back to the store; returns at once without the `redis` feature or when
/// none is on its way.
///
/// A call returns without waiting for the store to note its end: until the end lands, its
/// place counts as held until the call's lease (the `deadline`) runs out. So a process that
/// exits right after its last calls should await this first, or those places stay taken
/// for up to the deadline plus the period, and the fleet waits for them. Each end takes at
/// most the store's `timeout`.
///
/// ```
/// # async fn example() {
/// // ... the program's last calls ...
/// api_token_runtime::settle().await;
/// # }
/// ```
pub async fn settle() {
    #[cfg(feature = "redis")]
    self::redis::settle().await;
}

/// One bucket: a fair (FIFO) semaphore of `requests` permits, and for each permit not held,
/// the instant from which it may be used.
struct Bucket {
    permits: Arc<Semaphore>,
    slots: Mutex<Slots>,
    per: Duration,
}

/// The slots not held: those never used yet (usable at once; counted, since a budget can be
/// very large), and the resting ones by the instant they may be used again.
struct Slots {
    fresh: usize,
    resting: BinaryHeap<Reverse<Instant>>,
}

/// A slot held for one attempt; dropping it starts the slot's `per` of rest.
pub(crate) struct Permit {
    bucket: Arc<Bucket>,
    _permit: OwnedSemaphorePermit,
}

impl Drop for Permit {
    fn drop(&mut self) {
        // Pushed before the semaphore permit (a field, dropped after this) is released, so
        // that whoever gets the permit finds an entry.
        let rest_until = Instant::now() + self.bucket.per;
        lock(&self.bucket.slots).resting.push(Reverse(rest_until));
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl fmt::Debug for Limiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Limiter").finish_non_exhaustive()
    }
}

impl Limiter {
    /// The limiter for `limits`: in-process, or shared through their store.
    pub(crate) fn new(limits: &RateLimits) -> Self {
        #[cfg(not(feature = "redis"))]
        let _ = limits;
        Self {
            buckets: Mutex::default(),
            #[cfg(feature = "redis")]
            shared: limits.store.clone().map(|store| {
                self::redis::Shared::new(store)
                    .map(Arc::new)
                    .map_err(|self::redis::Unavailable(reason)| reason)
            }),
        }
    }

    /// Waits until the call may start; the place is held until the attempt has ended.
    pub(crate) async fn take(&self, ask: &Ask<'_>) -> Result<Held, StoreUnavailable> {
        #[cfg(feature = "redis")]
        if let Some(shared) = &self.shared {
            let result = match shared {
                Ok(shared) => {
                    let key = shared.limits.key(ask.api, ask.bucket, ask.identity);
                    shared.take(key, ask.quota, ask.lease).await.map_err(
                        |self::redis::Unavailable(reason)| {
                            (reason, shared.limits.fall_back_to_local)
                        },
                    )
                }
                Err(reason) => Err((reason.clone(), false)),
            };
            match result {
                Ok(place) => return Ok(Held::Shared(place)),
                Err((reason, true)) => {
                    tracing::warn!(
                        bucket = ask.bucket,
                        reason,
                        "rate-limit store unavailable: spacing by this process's budget"
                    );
                }
                Err((reason, false)) => return Err(StoreUnavailable(reason)),
            }
        }
        Ok(Held::Local(self.acquire(ask.bucket, ask.quota).await))
    }

    fn bucket(&self, name: &'static str, quota: Quota) -> Arc<Bucket> {
        let mut buckets = lock(&self.buckets);
        let bucket = buckets.entry(name).or_insert_with(|| {
            let slots = (quota.requests as usize).min(Semaphore::MAX_PERMITS);
            Arc::new(Bucket {
                permits: Arc::new(Semaphore::new(slots)),
                slots: Mutex::new(Slots {
                    fresh: slots,
                    resting: BinaryHeap::new(),
                }),
                per: quota.per,
            })
        });
        Arc::clone(bucket)
    }

    /// Waits (FIFO) until a call in `bucket` may start; returns the slot to hold until the
    /// attempt has ended. A wait cancelled at any point (the future dropped, a deadline) gives
    /// its slot back as it found it: only an attempt that goes out starts a rest.
    pub(crate) async fn acquire(&self, name: &'static str, quota: Quota) -> Permit {
        let bucket = self.bucket(name, quota);
        let permit = Arc::clone(&bucket.permits)
            .acquire_owned()
            .await
            .expect("the semaphore is never closed");
        let usable_from = {
            let mut slots = lock(&bucket.slots);
            if slots.fresh > 0 {
                slots.fresh -= 1;
                None
            } else {
                // Holding a permit guarantees a slot: fresh or resting ones number at least
                // the permits not held by callers that already took theirs.
                slots.resting.pop().map(|Reverse(at)| at)
            }
        };
        let mut reservation = Reservation {
            bucket,
            permit: Some(permit),
            usable_from,
        };
        if let Some(at) = usable_from.filter(|at| *at > Instant::now()) {
            tokio::time::sleep_until(at).await;
        }
        let permit = reservation
            .permit
            .take()
            .expect("taken only here, once the wait is over");
        Permit {
            bucket: Arc::clone(&reservation.bucket),
            _permit: permit,
        }
    }
}

/// A slot taken while its caller still waits for it to rest: if the wait is cancelled, the
/// slot goes back untouched (fresh, or resting until the same instant), so the next caller is
/// not delayed by a call that never went out.
struct Reservation {
    bucket: Arc<Bucket>,
    permit: Option<OwnedSemaphorePermit>,
    usable_from: Option<Instant>,
}

impl Drop for Reservation {
    fn drop(&mut self) {
        let Some(permit) = self.permit.take() else {
            return;
        };
        {
            // Given back before the semaphore permit, so that whoever gets it finds the slot.
            let mut slots = lock(&self.bucket.slots);
            match self.usable_from {
                None => slots.fresh += 1,
                Some(at) => slots.resting.push(Reverse(at)),
            }
        }
        drop(permit);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_slot_rests_for_the_period_after_its_attempt_ends() {
        let limiter = Limiter::default();
        let quota = Quota {
            requests: 2,
            per: Duration::from_millis(150),
        };
        let start = Instant::now();
        let first = limiter.acquire("b", quota).await;
        let second = limiter.acquire("b", quota).await;
        assert!(start.elapsed() < Duration::from_millis(50));
        // Both slots are held: the third waits for a release, then for the rest after it.
        let third = tokio::spawn(async move {
            let limiter = limiter;
            let _slot = limiter.acquire("b", quota).await;
            Instant::now()
        });
        tokio::time::sleep(Duration::from_millis(100)).await;
        let released = Instant::now();
        drop(first);
        let started = third.await.unwrap();
        assert!(started >= released + quota.per, "{:?}", started - released);
        drop(second);
    }

    /// Budget 1 per 2 s: one call went out at 0 and ended at once, so the slot rests until 2 s.
    async fn one_call_went_out(limiter: &Arc<Limiter>) -> Quota {
        let quota = Quota {
            requests: 1,
            per: Duration::from_secs(2),
        };
        drop(limiter.acquire("b", quota).await);
        quota
    }

    /// When the next caller gets its slot, measured from the end of the call that went out.
    async fn next_start(limiter: &Arc<Limiter>, quota: Quota, since: Instant) -> Duration {
        let _slot = limiter.acquire("b", quota).await;
        since.elapsed()
    }

    #[tokio::test(start_paused = true)]
    async fn a_wait_cut_by_a_deadline_while_resting_gives_the_slot_back_unchanged() {
        let limiter = Arc::new(Limiter::default());
        let start = Instant::now();
        let quota = one_call_went_out(&limiter).await;
        // Took the resting slot and sleeps towards 2 s; gives up at 1 s.
        let gave_up = tokio::time::timeout(Duration::from_secs(1), limiter.acquire("b", quota));
        assert!(gave_up.await.is_err());
        assert_eq!(
            next_start(&limiter, quota, start).await,
            Duration::from_secs(2)
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_dropped_wait_gives_its_place_back_at_once() {
        let limiter = Arc::new(Limiter::default());
        let start = Instant::now();
        let quota = one_call_went_out(&limiter).await;
        // First in line (resting slot taken), a second caller queued behind it on the
        // semaphore; the first is dropped at 0.5 s.
        let first = tokio::spawn({
            let limiter = Arc::clone(&limiter);
            async move { drop(limiter.acquire("b", quota).await) }
        });
        let second = tokio::spawn({
            let limiter = Arc::clone(&limiter);
            async move { next_start(&limiter, quota, start).await }
        });
        tokio::time::sleep(Duration::from_millis(500)).await;
        first.abort();
        assert!(first.await.unwrap_err().is_cancelled());
        assert_eq!(second.await.unwrap(), Duration::from_secs(2));
    }

    #[tokio::test(start_paused = true)]
    async fn a_wait_cancelled_while_queued_takes_nothing() {
        let limiter = Arc::new(Limiter::default());
        let start = Instant::now();
        let quota = one_call_went_out(&limiter).await;
        let holder = limiter.acquire("b", quota).await; // goes out at 2 s, still running
        assert_eq!(start.elapsed(), Duration::from_secs(2));
        // Queued on the semaphore behind the running call, then cut at 3 s.
        let queued = tokio::time::timeout(Duration::from_secs(1), limiter.acquire("b", quota));
        assert!(queued.await.is_err());
        drop(holder); // ends at 3 s: its slot rests until 5 s
        assert_eq!(
            next_start(&limiter, quota, start).await,
            Duration::from_secs(5)
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_call_that_went_out_keeps_its_place_for_the_period() {
        let limiter = Arc::new(Limiter::default());
        let start = Instant::now();
        let quota = one_call_went_out(&limiter).await;
        let next = next_start(&limiter, quota, start).await;
        assert_eq!(next, Duration::from_secs(2));
        // That call ended at 2 s: the one after waits until 4 s.
        assert_eq!(
            next_start(&limiter, quota, start).await,
            Duration::from_secs(4)
        );
    }

    /// The largest number of instants in any half-open window `[t, t + width)`.
    fn busiest_window(times: &mut [Instant], width: Duration) -> usize {
        times.sort();
        let mut most = 0;
        let mut start = 0;
        for end in 0..times.len() {
            while times[end] - times[start] >= width {
                start += 1;
            }
            most = most.max(end - start + 1);
        }
        most
    }

    /// 200 concurrent calls at Tencent's spec limit (20 per second), each reaching the server
    /// after a network delay that varies from call to call and ending after another: in every
    /// window of one second, wherever it starts, at most 20 arrive, and the limiter does not
    /// starve them (about 10 s for all). On tokio's paused clock, so it takes no real time.
    #[tokio::test(start_paused = true)]
    async fn two_hundred_concurrent_calls_never_exceed_the_limit_in_any_sliding_second() {
        let limiter = Arc::new(Limiter::default());
        let quota = Quota {
            requests: 20,
            per: Duration::from_secs(1),
        };
        let start = Instant::now();
        let calls: Vec<_> = (0..200u64)
            .map(|i| {
                let limiter = Arc::clone(&limiter);
                tokio::spawn(async move {
                    let _slot = limiter.acquire("b", quota).await;
                    tokio::time::sleep(Duration::from_millis((i * 37) % 60)).await;
                    let arrived = Instant::now();
                    tokio::time::sleep(Duration::from_millis((i * 53) % 120)).await;
                    arrived
                })
            })
            .collect();
        let mut arrivals = Vec::new();
        for call in calls {
            arrivals.push(call.await.unwrap());
        }
        let busiest = busiest_window(&mut arrivals, Duration::from_secs(1));
        assert_eq!(busiest, 20, "the budget is used, never exceeded");
        let took = start.elapsed();
        assert!(took >= Duration::from_secs(9), "{took:?}");
        assert!(took < Duration::from_secs(12), "{took:?}");
    }

    #[test]
    fn the_window_count_is_right() {
        let t = Instant::now();
        let ms = Duration::from_millis;
        let mut times = vec![t, t + ms(999), t + ms(1000), t + ms(1500), t + ms(1999)];
        assert_eq!(busiest_window(&mut times, ms(1000)), 3);
        let mut times = vec![t, t, t];
        assert_eq!(busiest_window(&mut times, ms(1)), 3);
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
