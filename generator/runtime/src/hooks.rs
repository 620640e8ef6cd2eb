//! Caller hooks: add headers to, and observe, every attempt without touching generated code.

use super::error::RequestError;
use super::headers::{header_value, parse_header_name};
use super::method::Method;
use reqwest::header::HeaderMap;
use std::time::Duration;

/// Called around every attempt of every call of a client ([`Config::hook`](super::Config::hook)).
///
/// Hooks run on the request path, so keep them quick and non-blocking. They never see
/// credentials: [`Hook::on_request`] runs before authentication is applied (so a hook cannot
/// read or replace the `Authorization` header of an authenticated operation), and neither
/// hook gets the URL, whose path or query may hold a token.
pub trait Hook: Send + Sync + 'static {
    /// Before an attempt is signed and sent: may add or replace headers (a correlation id,
    /// a tenant header). Signed schemes sign what the hook set.
    fn on_request(&self, request: &mut RequestParts<'_>) {
        let _ = request;
    }

    /// After an attempt: its status (or why it got none), duration, and whether another
    /// attempt follows.
    fn on_response(&self, response: &ResponseInfo<'_>) {
        let _ = response;
    }
}

/// An attempt about to be sent, as a [`Hook`] sees it.
#[derive(Debug)]
pub struct RequestParts<'a> {
    pub(crate) operation: &'static str,
    pub(crate) method: Method,
    pub(crate) attempt: u32,
    pub(crate) headers: &'a mut HeaderMap,
}

impl RequestParts<'_> {
    /// The operation id (`getUploadToken`).
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The HTTP method.
    pub fn method(&self) -> Method {
        self.method
    }

    /// 1 for the first attempt, 2 for the first retry, ...
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// A header already on the request (credentials are not there yet).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Sets a header, replacing any value of that name. Refused (and not set) when the name
    /// is invalid or the value holds CR, LF or another control character.
    pub fn set_header(&mut self, name: &str, value: &str) -> Result<(), RequestError> {
        let header_name = parse_header_name(name)?;
        self.headers.insert(header_name, header_value(name, value)?);
        Ok(())
    }
}

/// Why an attempt got no usable response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum AttemptError {
    /// The attempt timed out (connect or whole attempt).
    Timeout,
    /// Connecting, sending or reading failed.
    Transport,
    /// The body exceeded `Config::max_body_bytes`.
    BodyTooLarge,
}

/// What happened to one attempt, as a [`Hook`] sees it.
#[derive(Debug)]
#[non_exhaustive]
pub struct ResponseInfo<'a> {
    /// The operation id.
    pub operation: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// 1 for the first attempt, 2 for the first retry, ...
    pub attempt: u32,
    /// The HTTP status, when a response arrived.
    pub status: Option<u16>,
    /// Why the attempt failed, when it did before a full response was read.
    pub error: Option<AttemptError>,
    /// Time from sending to the end of the attempt (limiter waits not included).
    pub duration: Duration,
    /// When another attempt follows: the wait before it.
    pub retry_in: Option<Duration>,
    pub(crate) headers: Option<&'a HeaderMap>,
}

impl ResponseInfo<'_> {
    /// A response header (rate-limit counters, request ids), if a response arrived.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers?.get(name).and_then(|v| v.to_str().ok())
    }
}
