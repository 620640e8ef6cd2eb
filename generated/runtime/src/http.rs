//! The transport: turns a [`Request`] into bytes on the wire and a bounded [`Response`], with
//! client-side rate limiting, per-attempt timeouts, retries and caller hooks.

use super::auth::{Auth, SigningAlgorithm};
use super::config::Config;
use super::envelope::Envelope;
use super::error::{Error, RawBody, RequestError};
use super::hooks::{AttemptError, RequestParts, ResponseInfo};
use super::limiter::Limiter;
use super::request::{Method, Request};
use super::retry::{retryable_status, server_delay, RetryPolicy};
use super::tc3;
use base64::Engine as _;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde::de::DeserializeOwned;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use tracing::Instrument as _;

/// How much of an oversized body [`Error::BodyTooLarge`] keeps.
const TOO_LARGE_PREFIX: usize = 1024;

/// What every generated client holds: one connection pool, a base URL, settings, and the
/// client-side rate limiter (shared by clones).
#[derive(Debug, Clone)]
pub struct Runtime {
    http: reqwest::Client,
    base_url: reqwest::Url,
    config: Config,
    limiter: Arc<Limiter>,
}

impl Runtime {
    /// Builds the transport for `base_url`; refuses `http://` unless `config` allows it, and
    /// base URLs carrying user info (credentials go through the client's `Credentials`).
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
            "http" if config.allow_insecure_http => {}
            "http" => {
                return Err(RequestError::BaseUrl(format!(
                    "{trimmed:?} is plain http; credentials would travel in clear \
                     (use https, or opt in with Config::allow_insecure_http)"
                )))
            }
            other => {
                return Err(RequestError::BaseUrl(format!(
                    "unsupported scheme {other:?}"
                )))
            }
        }
        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.connect_timeout)
            .user_agent(config.user_agent.clone())
            .build()
            .map_err(|e| RequestError::BaseUrl(e.to_string()))?;
        Ok(Self {
            http,
            base_url,
            config,
            limiter: Arc::default(),
        })
    }

    /// The base URL requests are sent to.
    pub fn base_url(&self) -> &str {
        self.base_url.as_str()
    }

    /// The settings this client was built with.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Sends `request` (waiting for the rate limiter, retrying when allowed) and reads the
    /// final response body within the configured cap.
    ///
    /// Traced as a `request` span (operation, method, attempts, status, duration) with one
    /// `attempt` span per attempt; no header, URL or body is ever recorded.
    pub async fn execute<E>(&self, request: Request<'_>) -> Result<Response, Error<E>> {
        let span = tracing::debug_span!(
            "request",
            operation = request.operation,
            method = request.method.as_str(),
            attempts = tracing::field::Empty,
            status = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
        );
        let started = Instant::now();
        let (result, attempts) = self.run(&request).instrument(span.clone()).await;
        let status = match &result {
            Ok(response) => Some(response.status),
            Err(SendError::BodyTooLarge { status, .. }) => Some(*status),
            Err(_) => None,
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
        result.map_err(SendError::into_error)
    }

    async fn run(&self, request: &Request<'_>) -> (Result<Response, SendError>, u32) {
        let prepared = match self.prepare(request) {
            Ok(prepared) => prepared,
            Err(error) => return (Err(error.into()), 0),
        };
        let quota = self.config.rate_limits.quota(request.rate_limit);
        let policy = if request.idempotent {
            self.config.retry
        } else {
            RetryPolicy::disabled()
        };
        let max_attempts = policy.max_attempts.max(1);
        let mut attempt = 0;
        loop {
            attempt += 1;
            if let Some((bucket, quota)) = quota {
                let waited = self.limiter.acquire(bucket, quota).await;
                if !waited.is_zero() {
                    tracing::debug!(
                        bucket,
                        waited_ms = millis(waited),
                        "rate limiter spaced the call"
                    );
                }
            }
            let span = tracing::debug_span!(
                "attempt",
                attempt,
                status = tracing::field::Empty,
                duration_ms = tracing::field::Empty,
            );
            let step = self
                .attempt(request, &prepared, attempt, &policy, attempt < max_attempts)
                .instrument(span)
                .await;
            match step {
                Step::Retry(delay) => tokio::time::sleep(delay).await,
                Step::Done(result) => return (result, attempt),
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
        for (name, value) in &request.headers {
            insert_header(&mut headers, name, value)?;
        }
        if let Some((_, content_type)) = &request.body {
            insert_header(&mut headers, "content-type", content_type)?;
        }
        check_credentials(&request.auth)?;
        Ok(Prepared { url, headers })
    }

    async fn attempt(
        &self,
        request: &Request<'_>,
        prepared: &Prepared,
        attempt: u32,
        policy: &RetryPolicy,
        may_retry: bool,
    ) -> Step {
        let started = Instant::now();
        let deadline = tokio::time::Instant::now() + self.config.timeout;
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
                operation: request.operation,
                method: request.method,
                attempt,
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
        match self.send(request, prepared, attempt, deadline).await {
            Err(error) => {
                let retry_in = (may_retry && error.is_retryable()).then(|| policy.backoff(attempt));
                observe(None, error.attempt_error(), retry_in, None);
                match retry_in {
                    Some(delay) => Step::Retry(delay),
                    None => Step::Done(Err(error)),
                }
            }
            Ok(response) => {
                let status = response.status().as_u16();
                let retry_in = if may_retry && retryable_status(status) {
                    retry_delay(request, status, response.headers(), policy, attempt)
                } else {
                    None
                };
                if let Some(delay) = retry_in {
                    observe(Some(status), None, Some(delay), Some(response.headers()));
                    return Step::Retry(delay);
                }
                let result = read_body(
                    response,
                    request.method,
                    self.config.max_body_bytes,
                    deadline,
                )
                .await;
                match &result {
                    Ok(response) => observe(Some(status), None, None, Some(&response.headers)),
                    Err(error) => observe(Some(status), error.attempt_error(), None, None),
                }
                Step::Done(result)
            }
        }
    }

    /// One attempt up to the response head: hooks, then credentials (re-signed each time).
    async fn send(
        &self,
        request: &Request<'_>,
        prepared: &Prepared,
        attempt: u32,
        deadline: tokio::time::Instant,
    ) -> Result<reqwest::Response, SendError> {
        let mut headers = prepared.headers.clone();
        let mut url = prepared.url.clone();
        if !self.config.hooks.is_empty() {
            let mut parts = RequestParts {
                operation: request.operation,
                method: request.method,
                attempt,
                headers: &mut headers,
            };
            for hook in &self.config.hooks {
                hook.on_request(&mut parts);
            }
        }
        let body = request.body.as_ref().map(|(bytes, _)| bytes.as_slice());
        apply_auth(&mut headers, &mut url, request, body)?;
        let mut builder = self
            .http
            .request(request.method.to_reqwest(), url)
            .headers(headers);
        if let Some(bytes) = body {
            builder = builder.body(bytes.to_vec());
        }
        match tokio::time::timeout_at(deadline, builder.send()).await {
            Err(_) => Err(SendError::Timeout { connect: false }),
            Ok(Err(error)) => Err(transport(error)),
            Ok(Ok(response)) => Ok(response),
        }
    }
}

/// The parts of a request that every attempt starts from.
struct Prepared {
    url: reqwest::Url,
    headers: HeaderMap,
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
        request.retry_after_header,
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

/// Reads the body within the cap and the attempt's deadline.
async fn read_body(
    mut response: reqwest::Response,
    method: Method,
    limit: usize,
    deadline: tokio::time::Instant,
) -> Result<Response, SendError> {
    let status = response.status().as_u16();
    let headers = std::mem::take(response.headers_mut());
    if method != Method::Head && response.content_length().is_some_and(|n| n > limit as u64) {
        return Err(SendError::BodyTooLarge {
            status,
            limit,
            body: RawBody::default(),
        });
    }
    let read = async {
        let mut bytes = Vec::new();
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
        Ok(bytes)
    };
    let body = tokio::time::timeout_at(deadline, read)
        .await
        .map_err(|_| SendError::Timeout { connect: false })??;
    Ok(Response {
        status,
        headers,
        body,
    })
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

/// Why an attempt failed before a response was decoded; becomes an [`Error`] at the end.
#[derive(Debug)]
pub(crate) enum SendError {
    Request(RequestError),
    Timeout {
        connect: bool,
    },
    Transport(reqwest::Error),
    BodyTooLarge {
        status: u16,
        limit: usize,
        body: RawBody,
    },
}

impl From<RequestError> for SendError {
    fn from(error: RequestError) -> Self {
        SendError::Request(error)
    }
}

impl SendError {
    fn into_error<E>(self) -> Error<E> {
        match self {
            SendError::Request(error) => Error::Request(error),
            SendError::Timeout { .. } => Error::Timeout,
            SendError::Transport(error) => Error::Transport(error),
            SendError::BodyTooLarge {
                status,
                limit,
                body,
            } => Error::BodyTooLarge {
                status,
                limit,
                body,
            },
        }
    }

    /// Connection failures are worth another attempt (of an idempotent request); a timed-out
    /// attempt is not, unless it timed out connecting.
    fn is_retryable(&self) -> bool {
        matches!(
            self,
            SendError::Transport(_) | SendError::Timeout { connect: true }
        )
    }

    fn attempt_error(&self) -> Option<AttemptError> {
        match self {
            SendError::Request(_) => None,
            SendError::Timeout { .. } => Some(AttemptError::Timeout),
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
    if error.is_timeout() {
        SendError::Timeout {
            connect: error.is_connect(),
        }
    } else {
        SendError::Transport(error.without_url())
    }
}

/// Rejects credentials that cannot be sent safely, before anything is sent.
fn check_credentials(auth: &Auth<'_>) -> Result<(), RequestError> {
    let check = |name: &str, value: &str| header_value(name, value).map(drop);
    match auth {
        Auth::None => Ok(()),
        Auth::Basic(basic) => {
            check("Authorization", basic.username.expose())?;
            check("Authorization", basic.password.expose())?;
            if basic.username.expose().contains(':') {
                return Err(RequestError::Header {
                    name: "Authorization".to_owned(),
                    reason: "the Basic user name contains ':'",
                });
            }
            Ok(())
        }
        Auth::Bearer(token) => check("Authorization", token.expose()),
        Auth::Header { name, value } => {
            parse_header_name(name)?;
            check(name, value.expose())
        }
        // Percent-encoded on the wire, but a control character is never a real key.
        Auth::Query { name, value } => check(name, value.expose()),
        Auth::Signed { key, .. } => {
            check("Authorization", key.secret_id.expose())?;
            check("Authorization", key.secret_key.expose())?;
            if let Some(token) = &key.session_token {
                check("X-TC-Token", token.expose())?;
            }
            Ok(())
        }
    }
}

pub(crate) fn parse_header_name(name: &str) -> Result<HeaderName, RequestError> {
    HeaderName::from_bytes(name.as_bytes()).map_err(|_| RequestError::Header {
        name: name.chars().filter(|c| !c.is_control()).take(64).collect(),
        reason: "not a valid header name",
    })
}

fn insert_header(headers: &mut HeaderMap, name: &str, value: &str) -> Result<(), RequestError> {
    let header_name = parse_header_name(name)?;
    headers.insert(header_name, header_value(name, value)?);
    Ok(())
}

/// Rejects CR, LF and other control characters: a value must not be able to start a new header.
pub(crate) fn header_value(name: &str, value: &str) -> Result<HeaderValue, RequestError> {
    if value.bytes().any(|b| (b < 0x20 && b != b'\t') || b == 0x7f) {
        return Err(RequestError::Header {
            name: name.to_owned(),
            reason: "contains a control character such as CR or LF",
        });
    }
    HeaderValue::from_str(value).map_err(|_| RequestError::Header {
        name: name.to_owned(),
        reason: "not a valid header value",
    })
}

fn secret_header(name: &str, value: String) -> Result<HeaderValue, RequestError> {
    let mut value = header_value(name, &value)?;
    value.set_sensitive(true);
    Ok(value)
}

fn apply_auth(
    headers: &mut HeaderMap,
    url: &mut reqwest::Url,
    request: &Request<'_>,
    body: Option<&[u8]>,
) -> Result<(), RequestError> {
    let authorization = reqwest::header::AUTHORIZATION;
    match request.auth {
        Auth::None => {}
        Auth::Basic(basic) => {
            // Checked before encoding: base64 would hide a CR/LF from the header check.
            header_value("Authorization", basic.username.expose())?;
            header_value("Authorization", basic.password.expose())?;
            let pair = format!("{}:{}", basic.username.expose(), basic.password.expose());
            let encoded = base64::engine::general_purpose::STANDARD.encode(pair);
            headers.insert(
                authorization,
                secret_header("Authorization", format!("Basic {encoded}"))?,
            );
        }
        Auth::Bearer(token) => {
            let value = format!("Bearer {}", token.expose());
            headers.insert(authorization, secret_header("Authorization", value)?);
        }
        Auth::Header { name, value } => {
            let header_name = parse_header_name(name)?;
            headers.insert(header_name, secret_header(name, value.expose().to_owned())?);
        }
        Auth::Query { name, value } => {
            header_value(name, value.expose())?;
            url.query_pairs_mut().append_pair(name, value.expose());
        }
        Auth::Signed {
            algorithm: SigningAlgorithm::Tc3HmacSha256,
            service,
            signed_headers,
            key,
        } => {
            let timestamp = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|d| d.as_secs() as i64)
                .unwrap_or(0);
            headers.insert("x-tc-timestamp", HeaderValue::from(timestamp));
            if let Some(token) = &key.session_token {
                headers.insert(
                    "x-tc-token",
                    secret_header("X-TC-Token", token.expose().to_owned())?,
                );
            }
            let host = match (url.host_str(), url.port()) {
                (Some(host), Some(port)) => format!("{host}:{port}"),
                (Some(host), None) => host.to_owned(),
                (None, _) => String::new(),
            };
            let mut signed = Vec::with_capacity(signed_headers.len());
            for name in signed_headers.iter() {
                let value = if name.eq_ignore_ascii_case("host") {
                    host.clone()
                } else {
                    headers
                        .get(*name)
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("")
                        .to_owned()
                };
                signed.push((*name, value));
            }
            let signed_refs: Vec<(&str, &str)> =
                signed.iter().map(|(n, v)| (*n, v.as_str())).collect();
            let query = url.query().unwrap_or("").to_owned();
            header_value("Authorization", key.secret_id.expose())?;
            header_value("Authorization", key.secret_key.expose())?;
            let signature = tc3::sign(
                key.secret_id.expose(),
                key.secret_key.expose(),
                &tc3::Tc3Request {
                    method: request.method.as_str(),
                    canonical_uri: url.path(),
                    canonical_query: &query,
                    headers: &signed_refs,
                    payload: body.unwrap_or_default(),
                    service,
                    timestamp,
                },
            );
            headers.insert(
                authorization,
                secret_header("Authorization", signature.authorization)?,
            );
        }
    }
    Ok(())
}

/// A response read in full (within the cap), ready for the operation to decode.
///
/// Every decoding method returns a typed error rather than panicking, whatever the bytes.
pub struct Response {
    status: u16,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl fmt::Debug for Response {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Response")
            .field("status", &self.status)
            .field("content_type", &self.header("content-type"))
            .field("body", &self.raw())
            .finish()
    }
}

impl Response {
    /// A response from its parts, for testing decoding without a server. Header pairs that
    /// are not valid HTTP are skipped.
    #[doc(hidden)]
    pub fn from_parts(status: u16, headers: &[(&str, &str)], body: Vec<u8>) -> Self {
        let mut map = HeaderMap::new();
        for (name, value) in headers {
            if let (Ok(name), Ok(value)) = (
                HeaderName::from_bytes(name.as_bytes()),
                HeaderValue::from_str(value),
            ) {
                map.append(name, value);
            }
        }
        Self {
            status,
            headers: map,
            body,
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// A response header, if present and valid text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    fn raw(&self) -> RawBody {
        RawBody::new(self.body.clone())
    }

    fn decode_error<E>(&self, reason: impl Into<String>) -> Error<E> {
        Error::Decode {
            status: self.status,
            reason: bounded_reason(reason.into()),
            body: self.raw(),
        }
    }

    fn json_value<E>(&self) -> Result<serde_json::Value, Error<E>> {
        if let Some(content_type) = self.header("content-type") {
            let essence = content_type.split(';').next().unwrap_or("").trim();
            if !(essence.eq_ignore_ascii_case("application/json") || essence.ends_with("+json")) {
                return Err(self.decode_error(format!(
                    "expected a JSON body, got content type {essence:?}"
                )));
            }
        }
        if self.body.iter().all(u8::is_ascii_whitespace) {
            return Err(self.decode_error("expected a JSON body, got an empty body"));
        }
        serde_json::from_slice(&self.body).map_err(|e| self.decode_error(e.to_string()))
    }

    /// Decodes the body as `T`.
    pub fn json<T: DeserializeOwned, E>(&self) -> Result<T, Error<E>> {
        let value = self.json_value()?;
        serde_json::from_value(value).map_err(|e| self.decode_error(e.to_string()))
    }

    /// Opens the spec's envelope, then decodes the payload as `T`; a failure reported inside the
    /// body becomes [`Error::Failure`].
    pub fn enveloped<T: DeserializeOwned, E>(&self, envelope: &Envelope) -> Result<T, Error<E>> {
        let value = self.json_value()?;
        let payload = envelope
            .open(self.status, value, &self.body)
            .map_err(Error::Failure)?;
        serde_json::from_value(payload).map_err(|e| self.decode_error(e.to_string()))
    }

    /// The body as UTF-8 text (a `text/*` response).
    pub fn text<E>(&self) -> Result<String, Error<E>> {
        String::from_utf8(self.body.clone())
            .map_err(|_| self.decode_error("expected a UTF-8 text body"))
    }

    /// The body's bytes (an `application/octet-stream` or other binary response).
    pub fn bytes<E>(&self) -> Result<Vec<u8>, Error<E>> {
        Ok(self.body.clone())
    }

    /// Decodes a documented error status whose body is text.
    pub fn api_error_text<T, E>(&self, variant: fn(String) -> E) -> Result<T, Error<E>> {
        let body = self.text()?;
        Err(Error::Api {
            status: self.status,
            error: variant(body),
        })
    }

    /// Checks that a response documented without a body has none.
    pub fn empty<E>(&self) -> Result<(), Error<E>> {
        if self.body.iter().all(u8::is_ascii_whitespace) {
            Ok(())
        } else {
            Err(self.decode_error("expected no body"))
        }
    }

    /// Decodes a documented error status into the operation's error enum.
    pub fn api_error<T, B: DeserializeOwned, E>(&self, variant: fn(B) -> E) -> Result<T, Error<E>> {
        let body = self.json()?;
        Err(Error::Api {
            status: self.status,
            error: variant(body),
        })
    }

    /// A documented error status that has no body.
    pub fn api_error_empty<T, E>(&self, error: E) -> Result<T, Error<E>> {
        Err(Error::Api {
            status: self.status,
            error,
        })
    }

    /// A status the spec does not document for the operation.
    pub fn unexpected<T, E>(&self) -> Result<T, Error<E>> {
        Err(Error::UnexpectedStatus {
            status: self.status,
            body: self.raw(),
        })
    }
}

/// Decoder messages can quote the offending value: bounded and with control characters
/// escaped, like body excerpts.
fn bounded_reason(reason: String) -> String {
    const MAX_CHARS: usize = 300;
    if reason.len() <= MAX_CHARS && !reason.chars().any(char::is_control) {
        return reason;
    }
    let mut text = String::new();
    for (i, c) in reason.chars().enumerate() {
        if i == MAX_CHARS {
            text.push('…');
            break;
        }
        if c.is_control() {
            text.extend(c.escape_default());
        } else {
            text.push(c);
        }
    }
    text
}
