//! Caller hooks: add headers to, and observe, every attempt without touching generated code.

use super::error::RequestError;
use super::headers::{header_value, parse_header_name};
use super::method::Method;
use super::scheme::{Scheme, SchemeKind};
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
    /// The operation's security alternatives: their headers are not the hook's to set.
    pub(crate) auth: &'static [Scheme],
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
    /// is invalid, the value holds CR, LF or another control character, or the header is one
    /// a hook may not touch:
    ///
    /// - framing and routing, which the HTTP client derives from the request itself:
    ///   `content-length`, `transfer-encoding`, `host`, `connection` (a wrong
    ///   `content-length` would truncate the body on the wire while the call reports success);
    /// - identity: `authorization`, `proxy-authorization`, `cookie`, the header of any API-key
    ///   scheme of the operation, and the headers a request signature sets
    ///   (`x-tc-timestamp`, `x-tc-token`): credentials are added after the hooks, so a
    ///   hook's value would be replaced or, worse, sent beside them.
    pub fn set_header(&mut self, name: &str, value: &str) -> Result<(), RequestError> {
        if let Some(reason) = refused_header(name, self.auth) {
            return Err(RequestError::Header {
                name: name.to_owned(),
                reason,
            });
        }
        let header_name = parse_header_name(name)?;
        self.headers.insert(header_name, header_value(name, value)?);
        Ok(())
    }
}

/// Headers the HTTP client derives from the request itself.
const FRAMING: [&str; 4] = ["content-length", "transfer-encoding", "host", "connection"];

/// Headers that carry a credential or a signature whatever the operation.
const IDENTITY: [&str; 5] = [
    "authorization",
    "proxy-authorization",
    "cookie",
    "x-tc-timestamp",
    "x-tc-token",
];

/// Whether the runtime itself owns `name` on every request (framing, credentials, signing).
#[cfg(feature = "mock")]
pub(crate) fn runtime_owned(name: &str) -> bool {
    FRAMING
        .iter()
        .chain(IDENTITY.iter())
        .any(|owned| name.eq_ignore_ascii_case(owned))
}

/// Whether one of `schemes` (or a part of a combined one) puts its key in a header that `is`.
fn sets_header(schemes: &[Scheme], is: &impl Fn(&str) -> bool) -> bool {
    schemes.iter().any(|scheme| match scheme.kind {
        SchemeKind::Header(header) => is(header),
        SchemeKind::All(parts) => sets_header(parts, is),
        _ => false,
    })
}

/// Why a hook may not set `name`, if it may not.
fn refused_header(name: &str, auth: &[Scheme]) -> Option<&'static str> {
    let is = |other: &str| name.eq_ignore_ascii_case(other);
    if FRAMING.iter().any(|h| is(h)) {
        return Some(
            "framing headers are set by the HTTP client from the request; a hook may not set them",
        );
    }
    if sets_header(auth, &is) || IDENTITY.iter().any(|h| is(h)) {
        return Some("credential and signature headers are set by the runtime after the hooks; a hook may not set them");
    }
    None
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_api_key_header_of_the_operation_is_refused_and_other_headers_are_not() {
        const AUTH: &[Scheme] = &[Scheme {
            name: "key",
            kind: SchemeKind::Header("X-Api-Key"),
        }];
        let mut headers = HeaderMap::new();
        let mut parts = RequestParts {
            operation: "op",
            method: Method::Get,
            attempt: 1,
            headers: &mut headers,
            auth: AUTH,
        };
        let refused = parts.set_header("x-api-key", "from a hook").unwrap_err();
        assert!(refused.to_string().contains("may not set"), "{refused}");
        parts.set_header("x-correlation-id", "c-1").unwrap();
        assert!(parts.header("x-api-key").is_none());
        assert_eq!(parts.header("x-correlation-id"), Some("c-1"));
    }

    #[test]
    fn every_header_of_a_combined_requirement_is_refused() {
        const AUTH: &[Scheme] = &[Scheme {
            name: "api_email and api_key",
            kind: SchemeKind::All(&[
                Scheme {
                    name: "api_email",
                    kind: SchemeKind::Header("X-Auth-Email"),
                },
                Scheme {
                    name: "api_key",
                    kind: SchemeKind::Header("X-Auth-Key"),
                },
            ]),
        }];
        let mut headers = HeaderMap::new();
        let mut parts = RequestParts {
            operation: "op",
            method: Method::Get,
            attempt: 1,
            headers: &mut headers,
            auth: AUTH,
        };
        for name in ["x-auth-email", "X-Auth-Key"] {
            let refused = parts.set_header(name, "from a hook").unwrap_err();
            assert!(refused.to_string().contains("may not set"), "{refused}");
        }
        assert!(headers.is_empty());
    }
}
