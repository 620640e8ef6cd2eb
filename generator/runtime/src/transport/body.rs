//! Reading a response body within the configured cap.

use super::send_error::{transport, SendError};
use crate::error::RawBody;
use crate::method::Method;
use crate::operation::Operation;
use crate::response::Response;

/// How much of an oversized body [`Error::BodyTooLarge`] keeps.
pub(super) const TOO_LARGE_PREFIX: usize = 1024;

/// Reads the body within the cap (the caller bounds the time).
pub(super) async fn read_body(
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
