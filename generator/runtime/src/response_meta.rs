//! The status, headers and request id of the response a call ended with, for callers who
//! want them on success too: [`with_response`] wraps any call.

use super::envelope::Envelope;
use reqwest::header::HeaderMap;
use std::cell::RefCell;
use std::future::Future;

/// Headers where servers commonly put their request id, tried after the spec's envelope.
/// Not a vendor's list: the usual conventions (`X-Request-Id`, `Request-Id`, AWS's).
const REQUEST_ID_HEADERS: [&str; 3] = ["x-request-id", "request-id", "x-amzn-requestid"];

tokio::task_local! {
    /// Set while a [`with_response`] call runs: where `Runtime::execute` leaves the metadata.
    static CAPTURED: RefCell<Option<ResponseMeta>>;
}

/// What a response said besides its body: its status, headers, and the vendor's request id.
///
/// Errors carry the same facts where they apply ([`Error::status`](super::Error::status),
/// [`Failure::request_id`](super::Failure::request_id)); this is the form for any call.
#[derive(Debug, Clone)]
pub struct ResponseMeta {
    status: u16,
    headers: HeaderMap,
    request_id: Option<String>,
}

impl ResponseMeta {
    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// A header, if present and valid text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Every header, as received.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The vendor's request id, for support tickets: where the spec's envelope puts it
    /// (`x-envelope`'s `request-id`, Tencent's `Response.RequestId`), else an `X-Request-Id`,
    /// `Request-Id` or `X-Amzn-RequestId` header.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }
}

/// Runs `call` (any call of a generated client) and also returns the metadata of the response
/// it ended with. Works for failed calls too (a documented error status comes with its
/// headers); `None` when no response was decoded (a transport failure, a timeout, a request
/// refused before sending, a body over the cap, a redirect not followed). For a call made of
/// several requests (`<method>_all`), the last one's.
///
/// ```
/// use api_token_runtime::{with_response, Error};
/// use std::future::Future;
///
/// /// Any call's result, with the request id its response carried.
/// async fn with_request_id<T, E>(
///     call: impl Future<Output = Result<T, Error<E>>>,
/// ) -> Result<(T, Option<String>), Error<E>> {
///     let (result, response) = with_response(call).await;
///     let request_id = response.and_then(|r| r.request_id().map(str::to_owned));
///     Ok((result?, request_id))
/// }
/// ```
pub async fn with_response<F: Future>(call: F) -> (F::Output, Option<ResponseMeta>) {
    CAPTURED
        .scope(RefCell::new(None), async move {
            let output = call.await;
            let meta = CAPTURED.with(|slot| slot.borrow_mut().take());
            (output, meta)
        })
        .await
}

/// Forgets what an earlier request of the same [`with_response`] call left, so that a call
/// that ends without a response reports none.
pub(crate) fn forget() {
    let _ = CAPTURED.try_with(|slot| slot.borrow_mut().take());
}

/// Leaves the metadata of `response` for [`with_response`], when a caller asked for it
/// (otherwise nothing is copied or parsed).
pub(crate) fn record(status: u16, headers: &HeaderMap, body: &[u8], envelope: Option<&Envelope>) {
    let _ = CAPTURED.try_with(|slot| {
        let request_id = envelope.and_then(|e| e.request_id_in(body)).or_else(|| {
            REQUEST_ID_HEADERS.iter().find_map(|name| {
                let value = headers.get(*name)?.to_str().ok()?.trim();
                (!value.is_empty()).then(|| value.to_owned())
            })
        });
        *slot.borrow_mut() = Some(ResponseMeta {
            status,
            headers: headers.clone(),
            request_id,
        });
    });
}
