//! How long the send loop waits before retrying a response with a retryable status.

use super::millis;
use crate::request::Request;
use crate::retry::{server_delay, RetryPolicy};
use reqwest::header::HeaderMap;
use std::time::{Duration, SystemTime};

/// How long to wait before retrying a response with a retryable status; `None` when the
/// server asks for more than the policy allows.
pub(super) fn retry_delay(
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
