//! A request as generated code describes it, before auth and transport.

use super::auth::Auth;
use super::error::RequestError;
use serde::Serialize;
use std::fmt;

/// HTTP methods used by generated operations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// GET
    Get,
    /// PUT
    Put,
    /// POST
    Post,
    /// DELETE
    Delete,
    /// PATCH
    Patch,
    /// HEAD
    Head,
    /// OPTIONS
    Options,
}

impl Method {
    /// The method's name on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Patch => "PATCH",
            Method::Head => "HEAD",
            Method::Options => "OPTIONS",
        }
    }

    pub(crate) fn to_reqwest(self) -> reqwest::Method {
        match self {
            Method::Get => reqwest::Method::GET,
            Method::Put => reqwest::Method::PUT,
            Method::Post => reqwest::Method::POST,
            Method::Delete => reqwest::Method::DELETE,
            Method::Patch => reqwest::Method::PATCH,
            Method::Head => reqwest::Method::HEAD,
            Method::Options => reqwest::Method::OPTIONS,
        }
    }
}

/// One call of one operation.
///
/// `Debug` shows what identifies the call, never values that may be secret: not the path (a
/// path parameter can be a token), not query or header values, not the body (only its size).
pub struct Request<'a> {
    pub(crate) operation: &'static str,
    pub(crate) method: Method,
    pub(crate) path: String,
    pub(crate) query: Vec<(&'static str, String)>,
    pub(crate) headers: Vec<(&'static str, String)>,
    pub(crate) body: Option<(Vec<u8>, &'static str)>,
    pub(crate) auth: Auth<'a>,
    pub(crate) idempotent: bool,
    pub(crate) rate_limit: Option<RateLimit>,
    pub(crate) retry_after_header: Option<&'static str>,
}

impl fmt::Debug for Request<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names = |pairs: &[(&'static str, String)]| -> Vec<&'static str> {
            pairs.iter().map(|(name, _)| *name).collect()
        };
        f.debug_struct("Request")
            .field("operation", &self.operation)
            .field("method", &self.method)
            .field("query", &names(&self.query))
            .field("headers", &names(&self.headers))
            .field("body_bytes", &self.body.as_ref().map(|(b, _)| b.len()))
            .field("auth", &self.auth)
            .field("idempotent", &self.idempotent)
            .field("rate_limit", &self.rate_limit)
            .field("retry_after_header", &self.retry_after_header)
            .finish()
    }
}

/// A client-side rate limit declared by the spec (`x-rate-limit`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    /// Calls sharing a bucket share the budget (an operation id, or the API's module name).
    pub bucket: &'static str,
    /// Requests allowed per window.
    pub requests: u32,
    /// The window, in milliseconds.
    pub per_millis: u64,
}

impl<'a> Request<'a> {
    /// Starts a request; `path` is already percent-encoded.
    pub fn new(operation: &'static str, method: Method, path: String) -> Self {
        Self {
            operation,
            method,
            path,
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            auth: Auth::None,
            idempotent: false,
            rate_limit: None,
            retry_after_header: None,
        }
    }

    /// Marks the call safe to repeat (GET, PUT, DELETE, or `x-idempotent` in the spec), which
    /// allows retries (see [`RetryPolicy`](super::RetryPolicy)); other calls are sent once.
    pub fn idempotent(&mut self) {
        self.idempotent = true;
    }

    /// Applies the spec's client-side rate limit (see [`RateLimits`](super::RateLimits)).
    pub fn rate_limit(&mut self, limit: RateLimit) {
        self.rate_limit = Some(limit);
    }

    /// Names a vendor header that says how many seconds to wait before retrying a 429.
    pub fn retry_after_header(&mut self, name: &'static str) {
        self.retry_after_header = Some(name);
    }

    /// Adds a query parameter.
    pub fn query(&mut self, name: &'static str, value: impl ToString) {
        self.query.push((name, value.to_string()));
    }

    /// Adds a header; its value is checked for CR/LF before sending.
    pub fn header(&mut self, name: &'static str, value: impl ToString) {
        self.headers.push((name, value.to_string()));
    }

    /// Sets a JSON body.
    pub fn json<T: Serialize + ?Sized>(&mut self, body: &T) -> Result<(), RequestError> {
        let bytes = serde_json::to_vec(body).map_err(|e| RequestError::Body(e.to_string()))?;
        self.body = Some((bytes, "application/json"));
        Ok(())
    }

    /// Sets an `application/x-www-form-urlencoded` body (flat objects only).
    pub fn form<T: Serialize + ?Sized>(&mut self, body: &T) -> Result<(), RequestError> {
        let text =
            serde_urlencoded::to_string(body).map_err(|e| RequestError::Body(e.to_string()))?;
        self.body = Some((text.into_bytes(), "application/x-www-form-urlencoded"));
        Ok(())
    }

    /// Sets a text body of media type `media` (`text/plain`).
    pub fn text(&mut self, body: &str, media: &'static str) {
        self.body = Some((body.as_bytes().to_vec(), media));
    }

    /// Sets a binary body of media type `media` (`application/octet-stream`).
    pub fn bytes(&mut self, body: &[u8], media: &'static str) {
        self.body = Some((body.to_vec(), media));
    }

    /// Sets how the request is authenticated.
    pub fn auth(&mut self, auth: Auth<'a>) {
        self.auth = auth;
    }
}
