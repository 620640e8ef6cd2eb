//! The transport: turns a [`Request`] into bytes on the wire and a bounded [`Response`], with
//! client-side rate limiting, per-attempt timeouts, an overall deadline, retries, redirects
//! and caller hooks.

use super::auth;
use super::call_options::CallOptions;
use super::config::{Config, Redirects};
use super::dry_run;
use super::error::{Error, RawBody, RequestError, TimeoutKind, TransportError};
use super::headers::{insert_header, static_header_name, static_header_value};
use super::hooks::{AttemptError, RequestParts, ResponseInfo};
use super::limiter::Limiter;
use super::method::Method;
use super::operation::{CredentialStore, Operation};
use super::request::Request;
use super::response::Response;
use super::response_meta;
use super::retry::{retryable_status, server_delay, RetryPolicy};
use reqwest::header::{HeaderMap, CONTENT_TYPE};
use std::borrow::Cow;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};
use tokio::time::Instant as Deadline;
use tracing::Instrument as _;

/// How much of an oversized body [`Error::BodyTooLarge`] keeps.
const TOO_LARGE_PREFIX: usize = 1024;

/// Same-origin redirects followed in one attempt before giving up.
const MAX_REDIRECTS: u32 = 5;

/// What every generated client holds: one connection pool, a base URL, settings, and the
/// client-side rate limiter (shared by clones).
#[derive(Debug, Clone)]
pub struct Runtime {
    http: reqwest::Client,
    base_url: reqwest::Url,
    config: Config,
    limiter: Arc<Limiter>,
    /// The caller's idempotency key ([`CallOptions::idempotency_key`]).
    idempotency_key: Option<Arc<str>>,
}

/// `localhost`, `127.0.0.0/8` and `::1`: plain http to these never leaves the machine.
fn is_loopback(url: &reqwest::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

impl Runtime {
    /// Builds the transport for `base_url`. Refuses base URLs carrying user info (credentials
    /// go through the client's `Credentials`) and plain `http://` to anything but loopback
    /// (`localhost`, `127.0.0.0/8`, `::1`) unless `config` allows it.
    pub fn new(base_url: &str, config: Config) -> Result<Self, RequestError> {
        let trimmed = base_url.trim_end_matches('/');
        let base_url =
            reqwest::Url::parse(trimmed).map_err(|e| RequestError::BaseUrl(e.to_string()))?;
        if !base_url.username().is_empty() || base_url.password().is_some() {
            return Err(RequestError::BaseUrl(
                "the base URL carries user info; pass credentials through the client's \
                 Credentials instead"
                    .to_owned(),
            ));
        }
        match base_url.scheme() {
            "https" => {}
            "http" if config.allow_insecure_http || is_loopback(&base_url) => {}
            "http" => {
                return Err(RequestError::BaseUrl(format!(
                    "{trimmed:?} is plain http to another machine; credentials would travel \
                     in clear (use https, or opt in with Config::allow_insecure_http)"
                )))
            }
            other => {
                return Err(RequestError::BaseUrl(format!(
                    "unsupported scheme {other:?}"
                )))
            }
        }
        let http = match &config.http_client {
            Some(client) => client.clone(),
            // Redirects are followed here, not by reqwest, whose policy would send a body and
            // custom credential headers (a session token) to another host.
            // The attempt's own timeout and the deadline are enforced around each attempt.
            None => reqwest::Client::builder()
                .connect_timeout(config.connect_timeout)
                .user_agent(config.user_agent.clone())
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .map_err(|e| RequestError::BaseUrl(e.to_string()))?,
        };
        Ok(Self {
            http,
            base_url,
            config,
            limiter: Arc::default(),
            idempotency_key: None,
        })
    }

    /// The base URL requests are sent to.
    pub fn base_url(&self) -> &str {
        self.base_url.as_str()
    }

    /// The same transport (connection pool, rate limiter) with some settings replaced.
    pub fn with_options(&self, options: &CallOptions) -> Self {
        let mut runtime = self.clone();
        options.apply(&mut runtime.config);
        if let Some(key) = &options.idempotency_key {
            runtime.idempotency_key = Some(key.as_str().into());
        }
        runtime
    }

    /// The settings this client was built with.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Sends `request` with the first of its operation's security alternatives found in
    /// `credentials` (waiting for the rate limiter, retrying and following same-origin
    /// redirects when allowed) and reads the final response body within the configured cap,
    /// all within [`Config::deadline`].
    ///
    /// Traced as a `request` span (api, operation, method, attempts, status, duration) with
    /// one `attempt` span per attempt; no header, URL or body is ever recorded. The `api`
    /// field is the generated module's name (`tencent_vod`), so one vendor's calls can be
    /// filtered.
    pub async fn execute<'c, E>(
        &self,
        mut request: Request<'c>,
        credentials: &'c dyn CredentialStore,
    ) -> Result<Response, Error<E>> {
        let operation = request.operation;
        let span = tracing::debug_span!(
            "request",
            api = operation.api,
            operation = operation.id,
            method = operation.method.as_str(),
            attempts = tracing::field::Empty,
            status = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
        );
        let started = Instant::now();
        response_meta::forget();
        let (result, attempts) = match operation.authenticate(credentials) {
            Ok(auth) => {
                request.auth = auth;
                self.run(&request).instrument(span.clone()).await
            }
            Err(error) => (Err(error.into()), 0),
        };
        let status = match &result {
            Ok(response) => {
                response.record_meta();
                Some(response.status())
            }
            Err(error) => error.status(),
        };
        span.record("attempts", attempts);
        span.record("duration_ms", millis(started.elapsed()));
        if let Some(status) = status {
            span.record("status", status);
        }
        span.in_scope(|| match &result {
            Ok(_) => tracing::debug!(attempts, status, "call finished"),
            Err(error) => {
                tracing::debug!(attempts, status, error = error.kind_str(), "call failed")
            }
        });
        result.map_err(|error| error.into_error(operation.id, &self.config))
    }

    async fn run(&self, request: &Request<'_>) -> (Result<Response, SendError>, u32) {
        let prepared = match self.prepare(request) {
            Ok(prepared) => prepared,
            Err(error) => return (Err(error.into()), 0),
        };
        let deadline = Deadline::now() + self.config.deadline;
        let quota = self.config.rate_limits.quota(request.operation.rate_limit);
        let policy = if request.operation.retry_safe() {
            self.config.retry
        } else {
            RetryPolicy::disabled()
        };
        let max_attempts = policy.max_attempts.max(1);
        let mut attempt = 0;
        loop {
            attempt += 1;
            // Held until the attempt has ended: the limiter counts a slot busy until then.
            let permit = match quota {
                None => None,
                Some((bucket, quota)) => {
                    let waiting = Instant::now();
                    let acquire = self.limiter.acquire(bucket, quota);
                    let Ok(permit) = tokio::time::timeout_at(deadline, acquire).await else {
                        return (Err(self.deadline_passed()), attempt - 1);
                    };
                    let waited = waiting.elapsed();
                    if waited >= Duration::from_millis(1) {
                        tracing::debug!(
                            bucket,
                            waited_ms = millis(waited),
                            "rate limiter spaced the call"
                        );
                    }
                    Some(permit)
                }
            };
            let span = tracing::debug_span!(
                "attempt",
                attempt,
                status = tracing::field::Empty,
                duration_ms = tracing::field::Empty,
            );
            let context = Attempt {
                request,
                prepared: &prepared,
                number: attempt,
                policy: &policy,
                may_retry: attempt < max_attempts,
                deadline,
            };
            let step = self.attempt(&context).instrument(span).await;
            drop(permit);
            match step {
                Step::Retry(delay) => tokio::time::sleep(delay).await,
                Step::Done(result) => return (result, attempt),
            }
        }
    }

    fn deadline_passed(&self) -> SendError {
        SendError::Timeout {
            kind: TimeoutKind::Deadline,
            limit: self.config.deadline,
        }
    }

    /// The URL and headers shared by every attempt, validated; credentials are checked here
    /// too, so an unsafe value fails the call before anything is sent or waited for.
    fn prepare(&self, request: &Request<'_>) -> Result<Prepared, RequestError> {
        let mut url = self.base_url.clone();
        let mut path = format!("{}{}", url.path().trim_end_matches('/'), request.path);
        if path.is_empty() {
            path.push('/');
        }
        url.set_path(&path);
        // URL parsing resolves `.` and `..` segments, percent-encoded ones (`%2E%2E`) included,
        // so a path parameter `..` would climb out of its place: refuse instead.
        if url.path() != path {
            return Err(RequestError::Path(
                "a path parameter is `.` or `..` (or otherwise changed the request's path)",
            ));
        }
        if !request.query.is_empty() {
            url.query_pairs_mut()
                .extend_pairs(request.query.iter().map(|(k, v)| (*k, v.as_str())));
        }
        let mut headers = HeaderMap::new();
        for (name, value) in request.operation.headers {
            // Borrowed values: cloning the map for each attempt then copies none of them.
            headers.insert(static_header_name(name)?, static_header_value(name, value)?);
        }
        for (name, value) in &request.headers {
            insert_header(&mut headers, name, value)?;
        }
        if let Some((_, content_type)) = &request.body {
            headers.insert(
                CONTENT_TYPE,
                static_header_value("content-type", content_type)?,
            );
        }
        // One key per call, made here so that every attempt sends the same.
        if let Some(name) = request.operation.idempotency_key {
            match &self.idempotency_key {
                Some(key) => insert_header(&mut headers, name, key)?,
                None => insert_header(&mut headers, name, &uuid::Uuid::new_v4().to_string())?,
            }
        }
        auth::check(&request.auth)?;
        Ok(Prepared { url, headers })
    }

    /// The limit of one attempt: its own timeout, or what is left of the call's deadline,
    /// with the error that reaching it gives.
    fn attempt_limit(&self, deadline: Deadline) -> (Deadline, TimeoutKind, Duration) {
        let own = Deadline::now() + self.config.timeout;
        if own <= deadline {
            (own, TimeoutKind::Attempt, self.config.timeout)
        } else {
            (deadline, TimeoutKind::Deadline, self.config.deadline)
        }
    }

    async fn attempt(&self, context: &Attempt<'_, '_>) -> Step {
        let request = context.request;
        let started = Instant::now();
        let observe = |status: Option<u16>,
                       error: Option<AttemptError>,
                       retry_in: Option<Duration>,
                       headers: Option<&HeaderMap>| {
            let duration = started.elapsed();
            let span = tracing::Span::current();
            span.record("duration_ms", millis(duration));
            if let Some(status) = status {
                span.record("status", status);
            }
            tracing::debug!(
                status,
                error = error.map(attempt_error_str),
                duration_ms = millis(duration),
                retry_in_ms = retry_in.map(millis),
                "attempt finished"
            );
            let info = ResponseInfo {
                operation: request.operation.id,
                method: request.operation.method,
                attempt: context.number,
                status,
                error,
                duration,
                retry_in,
                headers,
            };
            for hook in &self.config.hooks {
                hook.on_response(&info);
            }
        };
        let (limit, kind, length) = self.attempt_limit(context.deadline);
        let timed_out = || SendError::Timeout {
            kind,
            limit: length,
        };
        // A wait that would end after the deadline is not taken: the call ends now instead.
        let fits = |delay: Duration| Deadline::now() + delay < context.deadline;
        let sent = tokio::time::timeout_at(limit, self.send(context)).await;
        let sent = sent.unwrap_or_else(|_| Err(timed_out()));
        match sent {
            Err(error) => {
                let retry_in = (context.may_retry && error.is_retryable())
                    .then(|| context.policy.backoff(context.number))
                    .filter(|delay| fits(*delay));
                observe(None, error.attempt_error(), retry_in, None);
                match retry_in {
                    Some(delay) => Step::Retry(delay),
                    None => Step::Done(Err(error)),
                }
            }
            Ok(response) => {
                let status = response.status().as_u16();
                let retry_in = if context.may_retry && retryable_status(status) {
                    retry_delay(
                        request,
                        status,
                        response.headers(),
                        context.policy,
                        context.number,
                    )
                    .filter(|delay| fits(*delay))
                } else {
                    None
                };
                if let Some(delay) = retry_in {
                    observe(Some(status), None, Some(delay), Some(response.headers()));
                    return Step::Retry(delay);
                }
                let read = read_body(request.operation, response, self.config.max_body_bytes);
                let result = match tokio::time::timeout_at(limit, read).await {
                    Ok(result) => result,
                    Err(_) => Err(timed_out()),
                };
                match &result {
                    Ok(response) => observe(Some(status), None, None, Some(response.headers())),
                    Err(error) => observe(Some(status), error.attempt_error(), None, None),
                }
                Step::Done(result)
            }
        }
    }

    /// One attempt up to the response head: hooks, then credentials (re-signed for each
    /// attempt and each redirect hop), following same-origin redirects as the config allows.
    async fn send(&self, context: &Attempt<'_, '_>) -> Result<reqwest::Response, SendError> {
        let request = context.request;
        // Borrowed unless a hook changes them: each hop clones them once, to add credentials.
        let mut headers = Cow::Borrowed(&context.prepared.headers);
        if !self.config.hooks.is_empty() {
            let mut parts = RequestParts {
                operation: request.operation.id,
                method: request.operation.method,
                attempt: context.number,
                headers: headers.to_mut(),
            };
            for hook in &self.config.hooks {
                hook.on_request(&mut parts);
            }
        }
        let mut method = request.operation.method;
        let mut body = request.body.as_ref().map(|(bytes, _)| bytes);
        let mut url = Cow::Borrowed(&context.prepared.url);
        let mut hops = 0;
        loop {
            let mut sent_url = url.as_ref().clone();
            let mut sent_headers = headers.as_ref().clone();
            auth::apply(
                &request.auth,
                method,
                &mut sent_headers,
                &mut sent_url,
                body.map(|b| b.as_ref()),
            )?;
            let mut sent = reqwest::Request::new(method.to_reqwest(), sent_url);
            *sent.headers_mut() = sent_headers;
            if let Some(bytes) = body {
                *sent.body_mut() = Some(bytes.clone().into());
            }
            // Inside `runtime::dry_run`: described (signed, redacted), never sent.
            dry_run::intercept(&sent, &request.auth)?;
            // A client passed in through `Config::http_client` may follow redirects itself;
            // its answer then comes from somewhere else and is not the vendor's. (The client
            // built here follows none.)
            let sent_url = self
                .config
                .http_client
                .is_some()
                .then(|| sent.url().clone());
            let response = self.http.execute(sent).await.map_err(transport)?;
            if sent_url.is_some_and(|sent_url| response.url() != &sent_url) {
                return Err(SendError::Redirect {
                    status: response.status().as_u16(),
                    location: response.url().to_string(),
                });
            }
            let status = response.status().as_u16();
            if !matches!(status, 301 | 302 | 303 | 307 | 308) {
                return Ok(response);
            }
            // Without a `Location` there is nowhere to go: the answer is decoded as any other.
            let Some(location) = response.headers().get(reqwest::header::LOCATION) else {
                return Ok(response);
            };
            let location = String::from_utf8_lossy(location.as_bytes()).into_owned();
            let refused = || SendError::Redirect {
                status,
                location: location.clone(),
            };
            let Ok(target) = url.join(&location) else {
                return Err(refused());
            };
            let follow = self.config.redirects == Redirects::SameOrigin
                && request.operation.idempotent
                && hops < MAX_REDIRECTS
                && same_origin(&url, &target);
            if !follow {
                return Err(refused());
            }
            hops += 1;
            tracing::debug!(status, hops, "following a same-origin redirect");
            if status == 303 {
                method = Method::Get;
                body = None;
                headers.to_mut().remove(reqwest::header::CONTENT_TYPE);
            }
            url = Cow::Owned(target);
        }
    }
}

/// Scheme, host and port all equal: so https never goes to http, and nothing goes to another
/// host or port.
fn same_origin(from: &reqwest::Url, to: &reqwest::Url) -> bool {
    from.origin() == to.origin() && from.origin().is_tuple()
}

/// The parts of a request that every attempt starts from.
struct Prepared {
    url: reqwest::Url,
    headers: HeaderMap,
}

/// One attempt: the request, its number, and the bounds it runs within.
struct Attempt<'r, 'a> {
    request: &'r Request<'a>,
    prepared: &'r Prepared,
    number: u32,
    policy: &'r RetryPolicy,
    may_retry: bool,
    deadline: Deadline,
}

enum Step {
    Retry(Duration),
    Done(Result<Response, SendError>),
}

/// How long to wait before retrying a response with a retryable status; `None` when the
/// server asks for more than the policy allows.
fn retry_delay(
    request: &Request<'_>,
    status: u16,
    headers: &HeaderMap,
    policy: &RetryPolicy,
    attempt: u32,
) -> Option<Duration> {
    match server_delay(
        status,
        headers,
        request.operation.retry_after_header,
        SystemTime::now(),
    ) {
        Some(delay) if delay > policy.max_retry_after => {
            tracing::debug!(
                status,
                requested_ms = millis(delay),
                "the server asked to wait longer than max_retry_after; not retrying"
            );
            None
        }
        Some(delay) => Some(delay),
        None => Some(policy.backoff(attempt)),
    }
}

/// Reads the body within the cap (the caller bounds the time).
async fn read_body(
    operation: &'static Operation,
    mut response: reqwest::Response,
    limit: usize,
) -> Result<Response, SendError> {
    let status = response.status().as_u16();
    let headers = std::mem::take(response.headers_mut());
    if operation.method != Method::Head
        && response.content_length().is_some_and(|n| n > limit as u64)
    {
        return Err(SendError::BodyTooLarge {
            status,
            limit,
            body: RawBody::default(),
        });
    }
    // Sized once when the length is announced (and within the cap).
    let announced = response.content_length().unwrap_or(0).min(limit as u64);
    let mut bytes = Vec::with_capacity(usize::try_from(announced).unwrap_or(0));
    while let Some(chunk) = response.chunk().await.map_err(transport)? {
        if bytes.len() + chunk.len() > limit {
            bytes.extend_from_slice(&chunk[..chunk.len().min(TOO_LARGE_PREFIX)]);
            bytes.truncate(TOO_LARGE_PREFIX);
            return Err(SendError::BodyTooLarge {
                status,
                limit,
                body: RawBody::new(bytes),
            });
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(Response::new(operation, status, headers, bytes))
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

/// Why an attempt failed before a response was decoded; becomes an [`Error`] at the end.
#[derive(Debug)]
pub(crate) enum SendError {
    Request(RequestError),
    Timeout {
        kind: TimeoutKind,
        limit: Duration,
    },
    Transport(reqwest::Error),
    BodyTooLarge {
        status: u16,
        limit: usize,
        body: RawBody,
    },
    Redirect {
        status: u16,
        location: String,
    },
}

impl From<RequestError> for SendError {
    fn from(error: RequestError) -> Self {
        SendError::Request(error)
    }
}

impl SendError {
    fn into_error<E>(self, operation: &'static str, config: &Config) -> Error<E> {
        match self {
            // reqwest's own timer is the connect timeout (or, in a client passed in through
            // `Config::http_client`, its own overall timeout).
            SendError::Transport(error) if error.is_timeout() => Error::Timeout {
                operation,
                kind: if error.is_connect() {
                    TimeoutKind::Connect
                } else {
                    TimeoutKind::Attempt
                },
                limit: if error.is_connect() {
                    config.connect_timeout
                } else {
                    config.timeout
                },
            },
            SendError::Request(error) => Error::Request(error),
            SendError::Timeout { kind, limit } => Error::Timeout {
                operation,
                kind,
                limit,
            },
            SendError::Transport(error) => {
                Error::Transport(TransportError::from_reqwest(operation, error))
            }
            SendError::BodyTooLarge {
                status,
                limit,
                body,
            } => Error::BodyTooLarge {
                operation,
                status,
                limit,
                body,
            },
            SendError::Redirect { status, location } => Error::Redirect {
                operation,
                status,
                location,
            },
        }
    }

    fn status(&self) -> Option<u16> {
        match self {
            SendError::BodyTooLarge { status, .. } | SendError::Redirect { status, .. } => {
                Some(*status)
            }
            _ => None,
        }
    }

    /// Connection failures are worth another attempt (of an idempotent request); a timed-out
    /// attempt is not, unless it timed out connecting.
    fn is_retryable(&self) -> bool {
        match self {
            SendError::Transport(error) => !error.is_timeout() || error.is_connect(),
            _ => false,
        }
    }

    fn attempt_error(&self) -> Option<AttemptError> {
        match self {
            SendError::Request(_) | SendError::Redirect { .. } => None,
            SendError::Timeout { .. } => Some(AttemptError::Timeout),
            SendError::Transport(error) if error.is_timeout() => Some(AttemptError::Timeout),
            SendError::Transport(_) => Some(AttemptError::Transport),
            SendError::BodyTooLarge { .. } => Some(AttemptError::BodyTooLarge),
        }
    }

    fn kind_str(&self) -> &'static str {
        match self {
            SendError::Request(_) => "request",
            SendError::Timeout { .. } => "timeout",
            SendError::Transport(_) => "transport",
            SendError::BodyTooLarge { .. } => "body too large",
            SendError::Redirect { .. } => "redirect not followed",
        }
    }
}

fn attempt_error_str(error: AttemptError) -> &'static str {
    match error {
        AttemptError::Timeout => "timeout",
        AttemptError::Transport => "transport",
        AttemptError::BodyTooLarge => "body too large",
    }
}

/// reqwest's errors quote the URL, whose path or query may hold a token: it is dropped.
fn transport(error: reqwest::Error) -> SendError {
    SendError::Transport(error.without_url())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(text: &str) -> reqwest::Url {
        reqwest::Url::parse(text).unwrap()
    }

    #[test]
    fn only_the_same_scheme_host_and_port_is_the_same_origin() {
        let base = url("https://api.example.com/v1/a");
        assert!(same_origin(&base, &url("https://api.example.com/v2/b?x=1")));
        assert!(same_origin(&base, &url("https://api.example.com:443/b")));
        assert!(!same_origin(&base, &url("http://api.example.com/v1/a")));
        assert!(!same_origin(
            &base,
            &url("https://api.example.com:8443/v1/a")
        ));
        assert!(!same_origin(&base, &url("https://evil.example.com/v1/a")));
        assert!(!same_origin(
            &base,
            &url("https://api.example.com.evil.example/")
        ));
    }

    #[test]
    fn loopback_hosts() {
        for text in [
            "http://localhost:1",
            "http://127.0.0.1",
            "http://127.3.2.1:8",
            "http://[::1]:80",
        ] {
            assert!(is_loopback(&url(text)), "{text}");
        }
        for text in [
            "http://example.com",
            "http://localhost.example.com",
            "http://10.0.0.1",
            "http://[::2]",
        ] {
            assert!(!is_loopback(&url(text)), "{text}");
        }
    }

    #[test]
    fn plain_http_is_refused_except_to_loopback_unless_allowed() {
        assert!(Runtime::new("http://localhost:6575", Config::default()).is_ok());
        assert!(Runtime::new("http://127.0.0.1:1/x", Config::default()).is_ok());
        assert!(Runtime::new("http://[::1]:1", Config::default()).is_ok());
        assert!(Runtime::new("http://api.example.com", Config::default()).is_err());
        assert!(Runtime::new(
            "http://api.example.com",
            Config::default().allow_insecure_http()
        )
        .is_ok());
        assert!(Runtime::new("https://api.example.com", Config::default()).is_ok());
    }
}
