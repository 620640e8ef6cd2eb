//! The transport: turns a [`Request`] into bytes on the wire and a bounded [`Response`], with
//! client-side rate limiting, per-attempt timeouts, an overall deadline, retries, redirects
//! and caller hooks.
//!
//! This file holds the send loop (`Runtime`, its attempts and redirect hops); the policies it
//! applies live beside it: `origin` (which base URLs are accepted), `redirect`, `deadline`,
//! `retry` (server-requested delays), `body` (the size cap) and `send_error`.

mod body;
mod deadline;
mod origin;
mod redirect;
mod retry;
mod send_error;
mod sent;

use self::body::read_body;
use self::origin::is_loopback;
use self::redirect::{same_origin, MAX_REDIRECTS};
use self::retry::retry_delay;
pub(crate) use self::send_error::SendError;
use self::send_error::{attempt_error_str, transport};
use crate::auth;
use crate::call_options::CallOptions;
use crate::config::{Config, Redirects};
use crate::dry_run;
use crate::error::{Error, RequestError};
use crate::headers::{insert_header, static_header_name, static_header_value};
use crate::hooks::{AttemptError, RequestParts, ResponseInfo};
use crate::limiter::{Ask, Held, Limiter, StoreUnavailable};
use crate::method::Method;
use crate::operation::CredentialStore;
use crate::request::Request;
use crate::response::Response;
use crate::response_meta;
use crate::retry::{retryable_status, RetryPolicy};
use reqwest::header::{HeaderMap, CONTENT_TYPE};
use std::borrow::Cow;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::time::Instant as Deadline;
use tracing::Instrument as _;

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
            // Plain http is allowed to loopback because it never leaves the machine: a
            // proxy from the environment (`HTTP_PROXY`, `ALL_PROXY`) would carry it, and its
            // credentials, off it. Other base URLs keep honouring the proxy settings.
            None => {
                let builder = reqwest::Client::builder()
                    .connect_timeout(config.connect_timeout)
                    .user_agent(config.user_agent.clone())
                    .redirect(reqwest::redirect::Policy::none());
                let builder = if is_loopback(&base_url) {
                    builder.no_proxy()
                } else {
                    builder
                };
                builder
                    .build()
                    .map_err(|e| RequestError::BaseUrl(e.to_string()))?
            }
        };
        let limiter = Arc::new(Limiter::new(&config.rate_limits));
        Ok(Self {
            http,
            base_url,
            config,
            limiter,
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
                let scrubber = sent::scrubber(&request);
                let (result, attempts) = self.run(&request).instrument(span.clone()).await;
                let result = match result {
                    Ok(response) => Ok(response.scrubbed_by(scrubber)),
                    Err(error) => Err(error.scrubbed_by(&scrubber)),
                };
                (result, attempts)
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
        let ask = self
            .config
            .rate_limits
            .quota(request.operation.rate_limit)
            .map(|(bucket, quota)| Ask {
                bucket,
                quota,
                api: request.operation.api,
                identity: request.auth.public_identity(),
                lease: self.config.deadline,
            });
        let policy = if request.operation.retry_safe() {
            self.config.retry
        } else {
            RetryPolicy::disabled()
        };
        let max_attempts = policy.max_attempts.max(1);
        let mut attempt = 0;
        loop {
            attempt += 1;
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
                ask: ask.as_ref(),
            };
            let step = self.attempt(&context).instrument(span).await;
            match step {
                Step::Retry(delay) => tokio::time::sleep(delay).await,
                Step::Done(result) => return (result, attempt),
                Step::Unsent(error) => return (Err(error), attempt - 1),
            }
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

    async fn attempt(&self, context: &Attempt<'_, '_>) -> Step {
        // Everything that can fail before sending (hooks, credentials, a dry run) is done
        // before the place in the rate limit is taken: an attempt that sends nothing holds
        // none. The place is then held until the attempt has ended (its body read).
        let ready = self.ready(context);
        let place = match &ready {
            Ok(_) => match self.take_place(context).await {
                Ok(place) => place,
                Err(error) => return Step::Unsent(error),
            },
            Err(_) => None,
        };
        let step = self.attempt_ready(context, ready).await;
        // The attempt has ended: its place rests from now (a shared one's end goes to the
        // store without being waited for).
        drop(place);
        step
    }

    /// The rest of one attempt once its place is held: send, observe, and decide on a retry.
    async fn attempt_ready(
        &self,
        context: &Attempt<'_, '_>,
        ready: Result<Hop, SendError>,
    ) -> Step {
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
        let sent = match ready {
            Ok(first) => tokio::time::timeout_at(limit, self.send(context, first))
                .await
                .unwrap_or_else(|_| Err(timed_out())),
            Err(error) => Err(error),
        };
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

    /// Waits (FIFO, within the deadline) for a place in the operation's rate limit, if it
    /// has one; the place is held until released.
    async fn take_place(&self, context: &Attempt<'_, '_>) -> Result<Option<Held>, SendError> {
        let Some(ask) = context.ask else {
            return Ok(None);
        };
        let waiting = Instant::now();
        let permit = match tokio::time::timeout_at(context.deadline, self.limiter.take(ask)).await {
            Err(_) => return Err(self.deadline_passed()),
            Ok(Err(StoreUnavailable(reason))) => return Err(SendError::RateLimitStore(reason)),
            Ok(Ok(permit)) => permit,
        };
        let waited = waiting.elapsed();
        if waited >= Duration::from_millis(1) {
            tracing::debug!(
                bucket = ask.bucket,
                waited_ms = millis(waited),
                "rate limiter spaced the call"
            );
        }
        Ok(Some(permit))
    }

    /// The first hop of one attempt, ready to go: hooks, then credentials (signed here, for
    /// this attempt), then a dry run's interception. Synchronous, so nothing waits between a
    /// signature's timestamp and the rate limiter's place but that wait, bounded by the
    /// call's deadline.
    fn ready(&self, context: &Attempt<'_, '_>) -> Result<Hop, SendError> {
        let request = context.request;
        // Borrowed unless a hook changes them: each hop clones them once, to add credentials.
        let mut headers = Cow::Borrowed(&context.prepared.headers);
        if !self.config.hooks.is_empty() {
            let mut parts = RequestParts {
                operation: request.operation.id,
                method: request.operation.method,
                attempt: context.number,
                headers: headers.to_mut(),
                auth: request.operation.auth,
            };
            for hook in &self.config.hooks {
                hook.on_request(&mut parts);
            }
        }
        let method = request.operation.method;
        let body = request.body.as_ref().map(|(bytes, _)| bytes);
        let sent = self.hop(request, method, &headers, &context.prepared.url, body)?;
        Ok(Hop {
            headers: match headers {
                Cow::Borrowed(_) => None,
                Cow::Owned(headers) => Some(headers),
            },
            sent,
        })
    }

    /// One hop's request: the headers and URL with credentials applied (re-signed for each
    /// hop), described instead of sent inside `runtime::dry_run`.
    fn hop(
        &self,
        request: &Request<'_>,
        method: Method,
        headers: &HeaderMap,
        url: &reqwest::Url,
        body: Option<&bytes::Bytes>,
    ) -> Result<reqwest::Request, SendError> {
        let mut sent_url = url.clone();
        let mut sent_headers = headers.clone();
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
        Ok(sent)
    }

    /// One attempt up to the response head, from its first hop (see [`Self::ready`]),
    /// following same-origin redirects as the config allows.
    async fn send(
        &self,
        context: &Attempt<'_, '_>,
        first: Hop,
    ) -> Result<reqwest::Response, SendError> {
        let request = context.request;
        let mut headers = match first.headers {
            Some(headers) => Cow::Owned(headers),
            None => Cow::Borrowed(&context.prepared.headers),
        };
        let mut method = request.operation.method;
        let mut body = request.body.as_ref().map(|(bytes, _)| bytes);
        let mut url = Cow::Borrowed(&context.prepared.url);
        let mut hops = 0;
        let mut next = Some(first.sent);
        loop {
            let sent = match next.take() {
                Some(sent) => sent,
                None => self.hop(request, method, &headers, &url, body)?,
            };
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

/// An attempt's first hop, credentials applied, and its headers if a hook changed them.
struct Hop {
    headers: Option<HeaderMap>,
    sent: reqwest::Request,
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
    ask: Option<&'r Ask<'a>>,
}

enum Step {
    Retry(Duration),
    Done(Result<Response, SendError>),
    /// The call ended while this attempt waited for its place: it is not counted.
    Unsent(SendError),
}

pub(super) fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}
