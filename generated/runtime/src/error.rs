//! The one error type every generated operation returns, generic over that operation's
//! documented errors.

use std::fmt;

/// How many bytes of a body an error message quotes; the full body stays available.
const EXCERPT_BYTES: usize = 512;

/// A response body kept for diagnosis: `Debug`/`Display` show a bounded excerpt.
///
/// The excerpt is the first 512 bytes as lossy UTF-8, with the values of secret-looking JSON
/// members (`token`, `password`, `apiKey`, `access_token`, ...) replaced by `"[redacted]"` and
/// control characters escaped (so a hostile body cannot forge log lines), followed by the total
/// size when the body is longer. [`RawBody::as_bytes`] still returns the body unredacted.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct RawBody(Vec<u8>);

impl RawBody {
    /// Wraps bytes read from the wire.
    pub fn new(bytes: Vec<u8>) -> Self {
        Self(bytes)
    }

    /// All the bytes, unredacted.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The body as text, at most about `EXCERPT_BYTES` long, secrets redacted (see the type).
    pub fn excerpt(&self) -> String {
        let end = self.0.len().min(EXCERPT_BYTES);
        let redacted = super::redact::redact_json(&self.0[..end]);
        let lossy = String::from_utf8_lossy(&redacted);
        let mut text = String::with_capacity(lossy.len() + 32);
        for c in lossy.chars() {
            if c.is_control() && c != ' ' {
                text.extend(c.escape_default());
            } else {
                text.push(c);
            }
        }
        if self.0.len() > EXCERPT_BYTES {
            text.push_str(&format!("… ({} bytes in all)", self.0.len()));
        }
        text
    }
}

impl fmt::Debug for RawBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.excerpt(), f)
    }
}

impl fmt::Display for RawBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.excerpt())
    }
}

/// A failure that the vendor reported inside a successful (2xx) response body, as declared by
/// the spec's `x-envelope`: Tencent's `Response.Error`, A2E's non-zero `code`, Cellcast's
/// `status: false`.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    /// The HTTP status the failure arrived with (often 200).
    pub status: u16,
    /// The vendor's error code, as text (`AuthFailure.SignatureFailure`, `1001`).
    pub code: Option<String>,
    /// The vendor's message.
    pub message: Option<String>,
    /// The vendor's request id, for support tickets.
    pub request_id: Option<String>,
    /// The whole body.
    pub body: RawBody,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the API reported a failure (HTTP {})", self.status)?;
        if let Some(code) = &self.code {
            write!(f, ", code {code}")?;
        }
        if let Some(message) = &self.message {
            write!(f, ": {message}")?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        Ok(())
    }
}

/// Why building or sending a request failed before any response arrived.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RequestError {
    /// The base URL could not be parsed, or is plain `http://` without opting in.
    #[error("invalid base URL: {0}")]
    BaseUrl(String),
    /// A header name or value (or a credential) would be unsafe to send, e.g. contains CR/LF.
    #[error("invalid header {name}: {reason}")]
    Header {
        /// The header's name.
        name: String,
        /// What is wrong with it (never the value itself).
        reason: &'static str,
    },
    /// The path would not reach the intended resource (a path parameter `.` or `..`).
    #[error("invalid request path: {0}")]
    Path(&'static str),
    /// The request body could not be serialized.
    #[error("could not serialize the request body: {0}")]
    Body(String),
    /// The operation needs a credential the client was not given.
    #[error("missing credentials: this operation needs `{0}`")]
    MissingCredentials(&'static str),
}

/// The error of a generated operation. `E` is the operation's own enum of documented error
/// statuses, so `match` covers what the spec promises and the rest stays inspectable.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error<E> {
    /// A status the spec documents for this operation, with its decoded body.
    #[error("HTTP {status}: {error}")]
    Api {
        /// The HTTP status.
        status: u16,
        /// The decoded, documented error.
        error: E,
    },
    /// A failure reported inside a 2xx body (see [`Failure`]).
    #[error("{0}")]
    Failure(Failure),
    /// A status the spec does not document for this operation.
    #[error("unexpected HTTP status {status}: {body}")]
    UnexpectedStatus {
        /// The HTTP status.
        status: u16,
        /// The body as received.
        body: RawBody,
    },
    /// A documented status whose body did not match the spec (bad JSON, wrong types, wrong
    /// content type, empty where JSON was due).
    #[error("could not decode the HTTP {status} response: {reason}; body: {body}")]
    Decode {
        /// The HTTP status.
        status: u16,
        /// What did not match.
        reason: String,
        /// The body as received.
        body: RawBody,
    },
    /// The response body exceeded the configured cap; reading stopped there.
    #[error("HTTP {status} response body exceeds the limit of {limit} bytes; body starts: {body}")]
    BodyTooLarge {
        /// The HTTP status.
        status: u16,
        /// The configured cap in bytes.
        limit: usize,
        /// The first bytes received (at most 1 KiB; empty when `Content-Length` alone was over).
        body: RawBody,
    },
    /// The request could not be built; nothing was sent.
    #[error(transparent)]
    Request(#[from] RequestError),
    /// The request timed out (connect or whole-request timeout).
    #[error("the request timed out")]
    Timeout,
    /// Connecting, sending or reading failed.
    #[error("transport error: {0}")]
    Transport(#[source] reqwest::Error),
}

impl<E> Error<E> {
    /// The HTTP status, when a response arrived.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api { status, .. }
            | Error::UnexpectedStatus { status, .. }
            | Error::Decode { status, .. }
            | Error::BodyTooLarge { status, .. } => Some(*status),
            Error::Failure(failure) => Some(failure.status),
            Error::Request(_) | Error::Timeout | Error::Transport(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpt_is_bounded() {
        let body = RawBody::new(vec![b'a'; 10_000]);
        let text = body.to_string();
        assert!(text.len() < 600, "{}", text.len());
        assert!(text.ends_with("(10000 bytes in all)"));
    }

    #[test]
    fn excerpt_redacts_and_escapes() {
        let body = RawBody::new(br#"{"token":"sk_live_1","ttl":1}"#.to_vec());
        assert_eq!(body.to_string(), r#"{"token":"[redacted]","ttl":1}"#);
        assert_eq!(body.as_bytes(), br#"{"token":"sk_live_1","ttl":1}"#);
        let body = RawBody::new(b"line\r\nINFO forged\x1b[31m".to_vec());
        let text = body.to_string();
        assert!(!text.contains('\n') && !text.contains('\r') && !text.contains('\x1b'));
        assert!(text.contains("\\r\\nINFO forged"), "{text}");
    }
}
