//! The budget held in Redis, shared by every process that points at the same server.
//!
//! Each bucket is one sorted set, `<prefix>{<api>:<bucket>:<account>}`, whose members are the
//! calls that took a place: scored by the server's clock (`TIME`, in microseconds) at which
//! the place frees up, minus the period. A call that has started but not ended is scored
//! `start + lease` (it counts while running); once its end is noted its score becomes the time
//! of noting, so it counts for `per` after that, as the in-process limiter's slots do. The end
//! is not waited for: the next take of the same budget carries it in its script, or a
//! background flush sends it, so a call costs one round trip. Taking a place is one
//! Lua script (prune, count, add): atomic on the server, so processes never both take the
//! last place, and timed by the server alone, so hosts with skewed clocks agree.

use super::Quota;
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::OnceCell;

/// Where the shared budget is held and what happens when it cannot be reached; see
/// [`RateLimits::redis`](super::RateLimits::redis).
///
/// `Debug` shows the URL with its password replaced by `redacted`.
#[derive(Clone, PartialEq, Eq)]
pub struct RedisLimits {
    url: String,
    /// Put before every key (default `api-token:rl:`), so that several applications can share
    /// a server.
    pub prefix: String,
    /// How long one exchange with Redis may take before the store counts as unavailable
    /// (default 250 ms; connecting included).
    pub timeout: Duration,
    /// When Redis is unavailable: `false` (default) fails the call with
    /// [`Error::RateLimitStore`](crate::Error::RateLimitStore) and sends nothing; `true` spaces
    /// it by this process's own budget instead, with a warning in tracing.
    pub fall_back_to_local: bool,
    /// The account the budget belongs to, when the credential has no public identity (a
    /// bearer token or an API key, whose only identity is the secret itself). By default the
    /// identity is the Basic user name or the signing key id, and `shared` without either.
    pub account: Option<String>,
    /// The certificate authority (PEM) that signed the server's certificate, trusted instead
    /// of the public roots: for a `rediss://` server whose certificate a private CA signs
    /// (Google Memorystore, a self-hosted Redis). Default none: the public (webpki) roots.
    pub root_certificate: Option<Vec<u8>>,
}

impl RedisLimits {
    /// The budget held at `url` (`redis://host:6379/0`, `rediss://user:password@host` for TLS
    /// and auth, `redis+unix:///run/redis.sock`).
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            prefix: "api-token:rl:".to_owned(),
            timeout: Duration::from_millis(250),
            fall_back_to_local: false,
            account: None,
            root_certificate: None,
        }
    }

    /// Sets [`prefix`](Self::prefix).
    pub fn prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into();
        self
    }

    /// Sets [`timeout`](Self::timeout).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Sets [`fall_back_to_local`](Self::fall_back_to_local).
    pub fn fall_back_to_local(mut self, fall_back: bool) -> Self {
        self.fall_back_to_local = fall_back;
        self
    }

    /// Sets [`account`](Self::account).
    pub fn account(mut self, account: impl Into<String>) -> Self {
        self.account = Some(account.into());
        self
    }

    /// Sets [`root_certificate`](Self::root_certificate) (PEM).
    pub fn root_certificate(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.root_certificate = Some(pem.into());
        self
    }

    /// The URL as it may be shown: its password (and a user name standing alone, which Redis
    /// takes as the password) replaced by `redacted`.
    pub fn url_redacted(&self) -> String {
        redact_url(&self.url)
    }

    /// The key of `bucket` for calls of `api` made with the credential whose public identity
    /// is `identity`.
    pub fn key(&self, api: &str, bucket: &str, identity: Option<&str>) -> String {
        let account = match (&self.account, identity) {
            (Some(account), _) => account_digest(account),
            (None, Some(identity)) => account_digest(identity),
            (None, None) => "shared".to_owned(),
        };
        format!("{}{{{api}:{bucket}:{account}}}", self.prefix)
    }
}

impl fmt::Debug for RedisLimits {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisLimits")
            .field("url", &self.url_redacted())
            .field("prefix", &self.prefix)
            .field("timeout", &self.timeout)
            .field("fall_back_to_local", &self.fall_back_to_local)
            .field("account", &self.account)
            .field(
                "root_certificate",
                &self.root_certificate.as_ref().map(|_| "PEM"),
            )
            .finish()
    }
}

/// Sixteen hex digits of SHA-256: stable across processes and releases, short in a key, and
/// it does not spell out the identity (which for some vendors is an API key's public half).
fn account_digest(identity: &str) -> String {
    let digest = Sha256::digest(identity.as_bytes());
    hex::encode(&digest[..8])
}

fn redact_url(url: &str) -> String {
    let Ok(mut parsed) = url::Url::parse(url) else {
        // Unparsable: nothing of it is shown, since a password may sit anywhere in it.
        return "[unparsable URL]".to_owned();
    };
    if parsed.password().is_some() {
        // Bare, since brackets would be percent-encoded in a URL.
        let _ = parsed.set_password(Some("redacted"));
    } else if !parsed.username().is_empty() {
        // `redis://secret@host`: redis-rs takes a lone user name as the password.
        let _ = parsed.set_username("redacted");
    }
    parsed.to_string()
}

/// Why the store could not be used; the reason never quotes the URL's password.
#[derive(Debug)]
pub(crate) struct Unavailable(pub(crate) String);

/// Notes the ends in `ARGV[first..]` (pairs: member, `1` when the call never went out), then
/// returns the server's time. An ended call's place frees up `per` from now; one that never
/// went out frees up at once.
const NOTE_ENDS: &str = r"
local function note_ends(first)
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
  for i = first, #ARGV, 2 do
    if ARGV[i + 1] == '1' then
      redis.call('ZREM', KEYS[1], ARGV[i])
    else
      redis.call('ZADD', KEYS[1], 'XX', now, ARGV[i])
    end
  end
  return now
end
";

/// Notes the ends carried in `ARGV[6..]`, prunes the places that have freed up, then takes one
/// if fewer than the budget are taken. Returns `{1}` when taken, or `{0, wait}`: microseconds
/// after which a place frees up (a place held by a running call is polled for, since its end
/// is unknown).
const TAKE: &str = r"
local now = note_ends(6)
local limit = tonumber(ARGV[1])
local per = tonumber(ARGV[2])
local lease = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - per)
if redis.call('ZCARD', KEYS[1]) < limit then
  redis.call('ZADD', KEYS[1], now + lease, ARGV[4])
  redis.call('PEXPIRE', KEYS[1], math.ceil((lease + per) / 1000) + 1000)
  return {1}
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
local frees = tonumber(oldest[2]) + per - now
local poll = tonumber(ARGV[5])
if tonumber(oldest[2]) > now or frees > poll then frees = poll end
return {0, math.max(frees, 1)}
";

/// Notes the ends in `ARGV` when no take of the same budget came to carry them.
const END: &str = r"
note_ends(1)
return 0
";

/// The connection (made on first use, then kept and reconnected by redis-rs) and the scripts.
pub(crate) struct Shared {
    pub(crate) limits: RedisLimits,
    client: redis::Client,
    connection: OnceCell<ConnectionManager>,
    take: redis::Script,
    end: redis::Script,
    /// One turnstile per key: this process's callers waiting on one budget ask the server one
    /// at a time, in the order they came (tokio's mutex is fair), so they are served in order
    /// rather than by whichever poll lands first.
    turns: std::sync::Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
    /// Ends not yet sent, by key: the next take of the same budget carries them in its script
    /// (one round trip for both), or else a background flush sends them.
    ends: std::sync::Mutex<HashMap<String, Vec<End>>>,
}

/// A call's end waiting to be sent; counted by [`settle`] until sent or given up.
struct End {
    member: String,
    cancelled: bool,
    _pending: Pending,
}

impl fmt::Debug for Shared {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Shared")
            .field("limits", &self.limits)
            .finish_non_exhaustive()
    }
}

/// A place taken in the shared budget; dropping it ends the call's use of it.
pub(crate) struct Place {
    shared: Arc<Shared>,
    key: String,
    member: String,
    /// Whether the attempt went out: a place taken by a wait that was then cancelled is
    /// removed, not rested.
    sent: bool,
}

impl Place {
    /// Nothing to give back: the server did not take the place.
    fn forget(&mut self) {
        self.member.clear();
        self.key.clear();
    }
}

/// A place dropped, the attempt ended or cancelled alike: its end is queued and a flush
/// spawned, since neither a drop nor a caller who has its answer should wait for the store.
/// The next take of the same budget carries queued ends, so a call costs one round trip, not
/// two. Until an end lands the place counts up to its lease, later than its true end, so the
/// budget only errs on the safe side. [`settle`] waits for ends on their way.
impl Drop for Place {
    fn drop(&mut self) {
        if self.member.is_empty() {
            return;
        }
        let Ok(handle) = tokio::runtime::Handle::try_current() else {
            // No runtime left (shutdown): the lease bounds how long the place stays taken.
            return;
        };
        let key = std::mem::take(&mut self.key);
        let end = End {
            member: std::mem::take(&mut self.member),
            cancelled: !self.sent,
            _pending: Pending::start(),
        };
        self.shared.queue(&key, end);
        let flush = Flush {
            shared: Arc::clone(&self.shared),
            key,
        };
        handle.spawn(flush.run());
    }
}

/// How long queued ends wait for a take to carry them before they are sent on their own.
const FLUSH_AFTER: Duration = Duration::from_millis(1);

/// Sends a key's queued ends unless a take carried them first. Dropped unrun (the runtime
/// shutting down), it gives them up, so that [`settle`] never waits for ends nobody will send.
struct Flush {
    shared: Arc<Shared>,
    key: String,
}

impl Flush {
    async fn run(self) {
        // Gives a take that follows soon (the caller's next call, another caller waiting)
        // the time to carry the ends instead: a millisecond more during which the places
        // count as held, the safe side.
        tokio::time::sleep(FLUSH_AFTER).await;
        let ends = self.shared.drain(&self.key);
        if ends.is_empty() {
            return;
        }
        let key = self.key.as_str();
        let result = self
            .shared
            .exchange(|mut connection, shared| async move {
                let mut call = shared.end.key(key);
                for end in &ends {
                    call.arg(&end.member)
                        .arg(if end.cancelled { "1" } else { "0" });
                }
                call.invoke_async::<i64>(&mut connection).await
            })
            .await;
        if let Err(Unavailable(reason)) = result {
            // The places stay taken until their lease ends: the budget errs on the safe side.
            tracing::warn!(reason, "rate-limit store: could not end calls' places");
        }
    }
}

impl Drop for Flush {
    fn drop(&mut self) {
        drop(self.shared.drain(&self.key));
    }
}

/// Ends sent in the background and not yet answered, in the whole process.
static PENDING: AtomicUsize = AtomicUsize::new(0);
static SETTLED: tokio::sync::Notify = tokio::sync::Notify::const_new();

/// One end on its way; dropping it (done or abandoned) wakes [`settle`] when it was the last.
struct Pending(());

impl Pending {
    fn start() -> Self {
        PENDING.fetch_add(1, Ordering::SeqCst);
        Self(())
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        if PENDING.fetch_sub(1, Ordering::SeqCst) == 1 {
            SETTLED.notify_waiters();
        }
    }
}

/// See [`crate::settle`].
pub(crate) async fn settle() {
    loop {
        // Registered before the count is read, so a last end landing in between still wakes us.
        let settled = SETTLED.notified();
        tokio::pin!(settled);
        settled.as_mut().enable();
        if PENDING.load(Ordering::SeqCst) == 0 {
            return;
        }
        settled.await;
    }
}

impl Shared {
    pub(crate) fn new(limits: RedisLimits) -> Result<Self, Unavailable> {
        let client = match &limits.root_certificate {
            None => redis::Client::open(limits.url.as_str()),
            Some(pem) => redis::Client::build_with_tls(
                limits.url.as_str(),
                redis::TlsCertificates {
                    client_tls: None,
                    root_cert: Some(pem.clone()),
                },
            ),
        }
        .map_err(|e| Unavailable(scrub(&limits, &e.to_string())))?;
        Ok(Self {
            limits,
            client,
            connection: OnceCell::new(),
            take: redis::Script::new(&format!("{NOTE_ENDS}{TAKE}")),
            end: redis::Script::new(&format!("{NOTE_ENDS}{END}")),
            turns: std::sync::Mutex::default(),
            ends: std::sync::Mutex::default(),
        })
    }

    fn queue(&self, key: &str, end: End) {
        let mut ends = self.ends.lock().unwrap_or_else(|e| e.into_inner());
        ends.entry(key.to_owned()).or_default().push(end);
    }

    fn drain(&self, key: &str) -> Vec<End> {
        let mut ends = self.ends.lock().unwrap_or_else(|e| e.into_inner());
        ends.remove(key).unwrap_or_default()
    }

    /// One exchange with the server, connecting first if needed, within the store's timeout.
    async fn exchange<T, F, Fut>(self: &Arc<Self>, run: F) -> Result<T, Unavailable>
    where
        F: FnOnce(ConnectionManager, Arc<Self>) -> Fut,
        Fut: std::future::Future<Output = redis::RedisResult<T>>,
    {
        let timeout = self.limits.timeout;
        let work = async {
            let connection = self
                .connection
                .get_or_try_init(|| {
                    let config = ConnectionManagerConfig::new()
                        .set_connection_timeout(Some(timeout))
                        .set_response_timeout(Some(timeout))
                        .set_number_of_retries(1);
                    ConnectionManager::new_with_config(self.client.clone(), config)
                })
                .await?
                .clone();
            run(connection, Arc::clone(self)).await
        };
        match tokio::time::timeout(timeout, work).await {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(error)) => Err(Unavailable(scrub(&self.limits, &error.to_string()))),
            Err(_) => Err(Unavailable(format!(
                "no answer within {} ms",
                timeout.as_millis()
            ))),
        }
    }

    /// Waits until the budget has a place for this call, and takes it. Cancel-safe: a wait
    /// dropped after the server took the place gives it back (see [`Place`]).
    pub(crate) async fn take(
        self: &Arc<Self>,
        key: String,
        quota: Quota,
        lease: Duration,
    ) -> Result<Place, Unavailable> {
        let per = micros(quota.per);
        let lease = micros(lease);
        // A place held by a running call frees up when it ends, which only polling learns.
        let poll = micros(quota.per / quota.requests.max(1)).clamp(1_000, 50_000);
        let turn = {
            let mut turns = self.turns.lock().unwrap_or_else(|e| e.into_inner());
            Arc::clone(turns.entry(key.clone()).or_default())
        };
        // Held until the place is taken; a cancelled wait drops it and the next caller goes.
        let _turn = turn.lock().await;
        loop {
            let mut place = Place {
                shared: Arc::clone(self),
                key: key.clone(),
                member: uuid::Uuid::new_v4().simple().to_string(),
                sent: false,
            };
            let member = place.member.clone();
            let key = key.clone();
            let requests = quota.requests;
            // Given up with the exchange if it fails: those places then stay taken until
            // their lease ends.
            let ends = self.drain(&key);
            let outcome: Vec<u64> = self
                .exchange(|mut connection, shared| async move {
                    let mut call = shared.take.key(&key);
                    call.arg(requests)
                        .arg(per)
                        .arg(lease)
                        .arg(&member)
                        .arg(poll);
                    for end in &ends {
                        call.arg(&end.member)
                            .arg(if end.cancelled { "1" } else { "0" });
                    }
                    call.invoke_async(&mut connection).await
                })
                .await
                .inspect_err(|_| place.forget())?;
            match outcome.as_slice() {
                [1] => {
                    place.sent = true;
                    return Ok(place);
                }
                [0, wait] => {
                    place.forget();
                    tokio::time::sleep(Duration::from_micros(*wait)).await;
                }
                other => {
                    place.forget();
                    return Err(Unavailable(format!(
                        "unexpected answer from the limiter script: {other:?}"
                    )));
                }
            }
        }
    }
}

fn micros(duration: Duration) -> u64 {
    u64::try_from(duration.as_micros()).unwrap_or(u64::MAX)
}

/// redis-rs's messages may quote what it was given; the password never leaves.
fn scrub(limits: &RedisLimits, message: &str) -> String {
    let Ok(parsed) = url::Url::parse(&limits.url) else {
        return message.to_owned();
    };
    let mut message = message.replace(&limits.url, &limits.url_redacted());
    for secret in [parsed.password().unwrap_or(""), parsed.username()] {
        if secret.len() >= 3 {
            message = message.replace(secret, crate::REDACTED);
        }
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_never_shows() {
        let limits = RedisLimits::new("rediss://app:hunter2secret@redis.example:6380/1");
        let shown = format!("{limits:?}");
        assert!(!shown.contains("hunter2secret"), "{shown}");
        assert!(
            shown.contains("rediss://app:redacted@redis.example:6380/1"),
            "{shown}"
        );
        let lone = RedisLimits::new("redis://hunter2secret@redis.example");
        assert!(!format!("{lone:?}").contains("hunter2secret"));
        let bad = RedisLimits::new("not a url hunter2secret");
        assert!(!format!("{bad:?}").contains("hunter2secret"));
        let message = scrub(
            &limits,
            "auth failed for hunter2secret at rediss://app:hunter2secret@redis.example:6380/1",
        );
        assert!(!message.contains("hunter2secret"), "{message}");
    }

    #[test]
    fn keys_name_api_bucket_and_a_digest_of_the_public_identity() {
        let limits = RedisLimits::new("redis://127.0.0.1");
        let key = limits.key(
            "tencent_vod",
            "tencent_vod::CreateAigcApiToken",
            Some("AKIDexample"),
        );
        assert_eq!(
            key,
            "api-token:rl:{tencent_vod:tencent_vod::CreateAigcApiToken:5dd2a3bac51024c4}"
        );
        assert!(!key.contains("AKIDexample"));
        assert_eq!(limits.prefix("p:").key("a", "b", None), "p:{a:b:shared}");
        let labelled = RedisLimits::new("redis://127.0.0.1").account("team-a");
        assert_eq!(
            labelled.key("a", "b", Some("ignored")),
            format!("api-token:rl:{{a:b:{}}}", account_digest("team-a"))
        );
    }
}
