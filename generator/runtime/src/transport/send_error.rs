//! Why an attempt failed before a response was decoded, and what the caller sees of it.

use crate::config::Config;
use crate::error::{Error, RawBody, RequestError, TimeoutKind, TransportError};
use crate::hooks::AttemptError;
use crate::redact::Scrubber;
use std::time::Duration;

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
    /// The shared rate-limit store could not be used; nothing was sent.
    RateLimitStore(String),
}

impl From<RequestError> for SendError {
    fn from(error: RequestError) -> Self {
        SendError::Request(error)
    }
}

impl SendError {
    /// The same error, quoting nothing of the credentials `scrubber` holds: a body excerpt
    /// scrubs them when shown, a redirect location here (a server may echo a query key or a
    /// token into the path it redirects to).
    pub(super) fn scrubbed_by(self, scrubber: &Scrubber) -> Self {
        match self {
            SendError::BodyTooLarge {
                status,
                limit,
                body,
            } => SendError::BodyTooLarge {
                status,
                limit,
                body: body.scrubbed_by(scrubber),
            },
            SendError::Redirect { status, location } => {
                // The query and fragment are the usual places of a token: never kept.
                let without_query = location.split(['?', '#']).next().unwrap_or("");
                // Decoded first: a server may encode an echoed credential any way it likes
                // (`%2D` for `-`), and the decoded text is what the scrubber knows.
                let decoded =
                    percent_encoding::percent_decode_str(without_query).decode_utf8_lossy();
                SendError::Redirect {
                    status,
                    location: scrubber.scrub_str(&decoded).into_owned(),
                }
            }
            other => other,
        }
    }

    pub(super) fn into_error<E>(self, operation: &'static str, config: &Config) -> Error<E> {
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
            SendError::RateLimitStore(reason) => Error::RateLimitStore { operation, reason },
        }
    }

    pub(super) fn status(&self) -> Option<u16> {
        match self {
            SendError::BodyTooLarge { status, .. } | SendError::Redirect { status, .. } => {
                Some(*status)
            }
            _ => None,
        }
    }

    /// Connection failures are worth another attempt (of an idempotent request); a timed-out
    /// attempt is not, unless it timed out connecting.
    pub(super) fn is_retryable(&self) -> bool {
        match self {
            SendError::Transport(error) => !error.is_timeout() || error.is_connect(),
            _ => false,
        }
    }

    pub(super) fn attempt_error(&self) -> Option<AttemptError> {
        match self {
            SendError::Request(_) | SendError::Redirect { .. } | SendError::RateLimitStore(_) => {
                None
            }
            SendError::Timeout { .. } => Some(AttemptError::Timeout),
            SendError::Transport(error) if error.is_timeout() => Some(AttemptError::Timeout),
            SendError::Transport(_) => Some(AttemptError::Transport),
            SendError::BodyTooLarge { .. } => Some(AttemptError::BodyTooLarge),
        }
    }

    pub(super) fn kind_str(&self) -> &'static str {
        match self {
            SendError::Request(_) => "request",
            SendError::Timeout { .. } => "timeout",
            SendError::Transport(_) => "transport",
            SendError::BodyTooLarge { .. } => "body too large",
            SendError::Redirect { .. } => "redirect not followed",
            SendError::RateLimitStore(_) => "rate-limit store unavailable",
        }
    }
}

pub(super) fn attempt_error_str(error: AttemptError) -> &'static str {
    match error {
        AttemptError::Timeout => "timeout",
        AttemptError::Transport => "transport",
        AttemptError::BodyTooLarge => "body too large",
    }
}

/// reqwest's errors quote the URL, whose path or query may hold a token: it is dropped.
pub(super) fn transport(error: reqwest::Error) -> SendError {
    SendError::Transport(error.without_url())
}
