//! The one error type every generated operation returns, generic over that operation's
//! documented errors.

use super::redact::Scrubber;
use super::scheme::SchemeNames;
use std::fmt;

/// How many bytes of a body an error message quotes; the full body stays available.
const EXCERPT_BYTES: usize = 512;

/// A response body kept for diagnosis: `Debug`/`Display` show a bounded excerpt.
///
/// The excerpt is the first 512 bytes as lossy UTF-8, with the values of secret-looking JSON
/// members (`token`, `password`, `apiKey`, `access_token`, ...) replaced by `"[redacted]"`
/// (in a body that is not JSON, the values of secret-looking `key=value` pairs), every
/// credential the call sent replaced by `[redacted]` wherever it appears, and control
/// characters escaped (so a hostile body cannot forge log lines), followed by the total size
/// when the body is longer. [`RawBody::as_bytes`] still returns the body unredacted.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct RawBody(Box<(Vec<u8>, Scrubber)>);

impl RawBody {
    /// Wraps bytes read from the wire.
    pub fn new(bytes: Vec<u8>) -> Self {
        // Boxed: every `Error` carries a body in some variant, and errors stay small (the
        // box costs one allocation on an error path only).
        Self(Box::new((bytes, Scrubber::default())))
    }

    /// The same body, its excerpts scrubbed of the credentials `scrubber` holds.
    pub(crate) fn scrubbed_by(mut self, scrubber: &Scrubber) -> Self {
        self.0 .1 = scrubber.clone();
        self
    }

    /// All the bytes, unredacted.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0 .0
    }

    /// The body as text, at most about `EXCERPT_BYTES` long, secrets redacted (see the type).
    pub fn excerpt(&self) -> String {
        // Past the cut by the longest credential, so that one across the cut is still found;
        // the scrubbed text is cut again.
        let (bytes, scrubber) = &*self.0;
        let end = bytes.len().min(EXCERPT_BYTES + scrubber.longest());
        let scrubbed = scrubber.scrub(&bytes[..end]);
        let mut redacted = super::redact::redact_by_name(&scrubbed);
        redacted.truncate(EXCERPT_BYTES);
        let lossy = String::from_utf8_lossy(&redacted);
        let mut text = String::with_capacity(lossy.len() + 32);
        for c in lossy.chars() {
            if c.is_control() && c != ' ' {
                text.extend(c.escape_default());
            } else {
                text.push(c);
            }
        }
        if bytes.len() > EXCERPT_BYTES {
            text.push_str(&format!("… ({} bytes in all)", bytes.len()));
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
    /// The operation id.
    pub operation: &'static str,
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
        write!(
            f,
            "{}: the API reported a failure (HTTP {})",
            self.operation, self.status
        )?;
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
    MissingCredentials(SchemeNames),
    /// The operation needs several credentials sent together, and the client was given only
    /// some of them.
    #[error(
        "missing credentials: this operation sends `{needs}` together, and `{missing}` is not set"
    )]
    IncompleteCredentials {
        /// The schemes sent together (`api_email and api_key`).
        needs: &'static str,
        /// The first of them the client lacks.
        missing: &'static str,
    },
    /// The call ran inside [`dry_run`](super::dry_run): it was prepared and described, not sent.
    #[error("not sent: a dry run")]
    DryRun,
}

/// The error of a generated operation. `E` is the operation's own enum of documented error
/// statuses, so `match` covers what the spec promises and the rest stays inspectable.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error<E> {
    /// A status the spec documents for this operation, with its decoded body.
    #[error("{operation}: HTTP {status}: {error}{}", ServerSays(message.as_deref()))]
    Api {
        /// The operation id.
        operation: &'static str,
        /// The HTTP status.
        status: u16,
        /// The decoded, documented error.
        error: E,
        /// The server's own message, when the body has one (`message`, `error`, `detail`, ...).
        message: Option<String>,
    },
    /// A failure reported inside a 2xx body (see [`Failure`]).
    #[error("{0}")]
    Failure(Failure),
    /// A status the spec does not document for this operation.
    #[error("{operation}: unexpected HTTP {status}{}; body: {body}", ServerSays(message.as_deref()))]
    UnexpectedStatus {
        /// The operation id.
        operation: &'static str,
        /// The HTTP status.
        status: u16,
        /// The server's own message, when the body has one.
        message: Option<String>,
        /// The body as received.
        body: RawBody,
    },
    /// A documented status whose body did not match the spec (bad JSON, wrong types, wrong
    /// content type, empty where JSON was due, an envelope without its required members).
    #[error("{operation}: could not decode the HTTP {status} response: {reason}; body: {body}")]
    Decode {
        /// The operation id.
        operation: &'static str,
        /// The HTTP status.
        status: u16,
        /// What did not match.
        reason: String,
        /// The body as received.
        body: RawBody,
    },
    /// The response body exceeded the configured cap; reading stopped there.
    #[error("{operation}: HTTP {status} response body exceeds the limit of {limit} bytes; body starts: {body}")]
    BodyTooLarge {
        /// The operation id.
        operation: &'static str,
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
    /// The call ran out of time: see [`TimeoutKind`] for which limit was reached.
    #[error("{operation}: {kind} of {} reached", Seconds(*limit))]
    Timeout {
        /// The operation id.
        operation: &'static str,
        /// Which limit.
        kind: TimeoutKind,
        /// The limit's value.
        limit: std::time::Duration,
    },
    /// Connecting, sending or reading failed (see [`TransportKind`]).
    #[error(transparent)]
    Transport(TransportError),
    /// The store holding the rate limits shared by several processes (Redis, see
    /// `RateLimits::redis`, with the `redis` feature) could not be reached or did not answer
    /// in time, so the call could not be counted against the shared budget: nothing was sent.
    /// Counted among the transport errors by [`Error::kind`].
    #[error("{operation}: the rate-limit store is unavailable ({reason}); nothing was sent")]
    RateLimitStore {
        /// The operation id.
        operation: &'static str,
        /// Why (never the store's password).
        reason: String,
    },
    /// The server answered with a redirect that was not followed: to another origin (scheme,
    /// host or port), for a request that is not idempotent, after too many hops, or with
    /// redirects turned off ([`Config::redirects`](super::Config::redirects)). Nothing was
    /// sent to the `Location`.
    #[error(
        "{operation}: HTTP {status} redirect to {} not followed",
        location_shown(location)
    )]
    Redirect {
        /// The operation id.
        operation: &'static str,
        /// The redirect status (301, 302, 303, 307, 308).
        status: u16,
        /// The `Location` header as received, without its query and fragment and with every
        /// credential the call sent replaced by `[redacted]`.
        location: String,
    },
    /// A paginated walk ([`paginate::by_cursor`](super::paginate::by_cursor)) was handed a
    /// cursor it had already followed: the server would send the same pages again, forever.
    /// The items before it were yielded; nothing was sent for the repeated cursor.
    #[error("{operation}: the server returned a next-page cursor it had already returned; pagination stopped instead of looping")]
    RepeatedCursor {
        /// The operation id.
        operation: &'static str,
    },
    /// A paginated walk ([`paginate`](super::paginate), every style) was handed a page whose
    /// items are the same as a page it had already read: the server ignores the page number,
    /// offset or cursor, and would send the same items again, up to the page cap. The items
    /// before it were yielded; the repeated page was not.
    #[error("{operation}: the server returned a page it had already returned; pagination stopped instead of yielding duplicates")]
    RepeatedPage {
        /// The operation id.
        operation: &'static str,
    },
}

/// `; the server says "…"` when there is a message.
struct ServerSays<'a>(Option<&'a str>);

impl fmt::Display for ServerSays<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(message) => write!(f, "; the server says {message:?}"),
            None => Ok(()),
        }
    }
}

/// A `Location` for a message: without its query, which may carry a token.
fn location_shown(location: &str) -> String {
    let shown: String = location
        .split(['?', '#'])
        .next()
        .unwrap_or("")
        .chars()
        .filter(|c| !c.is_control())
        .take(200)
        .collect();
    format!("{shown:?}")
}

/// A duration in a message: `30 s`, `1.5 s`, `250 ms`.
struct Seconds(std::time::Duration);

impl fmt::Display for Seconds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let millis = self.0.as_millis();
        if millis < 1000 {
            write!(f, "{millis} ms")
        } else {
            write!(f, "{} s", self.0.as_secs_f64())
        }
    }
}

/// Which time limit a call reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TimeoutKind {
    /// Establishing a connection (`Config::connect_timeout`).
    Connect,
    /// One attempt, from sending to the last body byte (`Config::timeout`).
    Attempt,
    /// The whole call: attempts, rate-limit and retry waits (`Config::deadline`).
    Deadline,
}

impl fmt::Display for TimeoutKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TimeoutKind::Connect => "the connect timeout",
            TimeoutKind::Attempt => "the timeout of an attempt",
            TimeoutKind::Deadline => "the deadline of the call",
        })
    }
}

/// What kind of transport failure happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportKind {
    /// The host name could not be resolved.
    Dns,
    /// No connection could be made (refused, unreachable, reset while connecting).
    Connect,
    /// The TLS handshake failed (certificate, protocol version).
    Tls,
    /// The connection broke or the server spoke malformed HTTP.
    Protocol,
}

impl fmt::Display for TransportKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TransportKind::Dns => "could not resolve the host",
            TransportKind::Connect => "could not connect",
            TransportKind::Tls => "the TLS handshake failed",
            TransportKind::Protocol => "the connection failed",
        })
    }
}

/// A transport failure: its kind and the cause's message. The underlying error (from the
/// HTTP library) is reachable only through [`std::error::Error::source`].
#[derive(Debug)]
pub struct TransportError {
    operation: &'static str,
    kind: TransportKind,
    cause: String,
    source: Box<dyn std::error::Error + Send + Sync>,
}

impl TransportError {
    pub(crate) fn from_reqwest(operation: &'static str, error: reqwest::Error) -> Self {
        let mut causes = Vec::new();
        let mut next: Option<&(dyn std::error::Error + 'static)> =
            std::error::Error::source(&error);
        while let Some(cause) = next {
            causes.push(cause.to_string());
            next = cause.source();
        }
        let text = causes.join(": ").to_ascii_lowercase();
        // reqwest exposes no structured kind beyond "connect": the cause chain's messages
        // (hyper's, the resolver's, rustls') tell DNS and TLS apart.
        let kind = if text.contains("dns error") || text.contains("failed to lookup address") {
            TransportKind::Dns
        } else if text.contains("certificate") || text.contains("tls") || text.contains("handshake")
        {
            TransportKind::Tls
        } else if error.is_connect() {
            TransportKind::Connect
        } else {
            TransportKind::Protocol
        };
        let cause = if causes.is_empty() {
            error.to_string()
        } else {
            causes.join(": ")
        };
        Self {
            operation,
            kind,
            cause,
            source: Box::new(error),
        }
    }

    /// The operation id.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// What kind of failure it was.
    pub fn kind(&self) -> TransportKind {
        self.kind
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.operation, self.kind, self.cause)
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.source)
    }
}

/// The class of an [`Error`], for callers that sort failures coarsely (the command-line
/// tool's exit codes, a retry decision of one's own). Exhaustive on purpose: a new kind is a
/// decision every such caller must make, and the compiler asks for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// A status the spec documents ([`Error::Api`]).
    Documented,
    /// A failure reported inside a successful response ([`Error::Failure`]).
    Failure,
    /// A status the spec does not document, or a redirect not followed.
    Unexpected,
    /// The response did not match the spec: undecodable, too large, a repeated page or cursor.
    Decode,
    /// The request could not be built from the caller's input; nothing was sent.
    Request,
    /// No usable answer: connecting, TLS, the connection, or a time limit; or the shared
    /// rate-limit store was unavailable, so nothing was sent.
    Transport,
}

impl<E> Error<E> {
    /// The error's class (see [`ErrorKind`]).
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Api { .. } => ErrorKind::Documented,
            Error::Failure(_) => ErrorKind::Failure,
            Error::UnexpectedStatus { .. } | Error::Redirect { .. } => ErrorKind::Unexpected,
            Error::Decode { .. }
            | Error::BodyTooLarge { .. }
            | Error::RepeatedCursor { .. }
            | Error::RepeatedPage { .. } => ErrorKind::Decode,
            Error::Request(_) => ErrorKind::Request,
            Error::Timeout { .. } | Error::Transport(_) | Error::RateLimitStore { .. } => {
                ErrorKind::Transport
            }
        }
    }

    /// The HTTP status, when a response arrived.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api { status, .. }
            | Error::UnexpectedStatus { status, .. }
            | Error::Decode { status, .. }
            | Error::BodyTooLarge { status, .. } => Some(*status),
            Error::Failure(failure) => Some(failure.status),
            Error::Redirect { status, .. } => Some(*status),
            Error::Request(_)
            | Error::Timeout { .. }
            | Error::Transport(_)
            | Error::RepeatedCursor { .. }
            | Error::RepeatedPage { .. }
            | Error::RateLimitStore { .. } => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unavailable_rate_limit_store_is_a_transport_error_that_sent_nothing() {
        let error = Error::<String>::RateLimitStore {
            operation: "op",
            reason: "no answer within 250 ms".to_owned(),
        };
        assert_eq!(error.kind(), ErrorKind::Transport);
        assert_eq!(error.status(), None);
        assert_eq!(
            error.to_string(),
            "op: the rate-limit store is unavailable (no answer within 250 ms); nothing was sent"
        );
    }

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
