//! A response read in full, and the decoding methods generated code calls on it.

use super::envelope::{Envelope, Opened};
use super::error::{Error, RawBody};
use super::method::Method;
use super::operation::Operation;
use super::redact::Scrubber;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, CONTENT_TYPE};
use serde::de::DeserializeOwned;
use std::fmt;

/// The operation of a response built with [`Response::from_parts`].
static PARTS: Operation = Operation::new("test", "test", Method::Get);

/// A response read in full (within the cap), ready for the operation to decode.
///
/// Every decoding method returns a typed error rather than panicking, whatever the bytes.
pub struct Response {
    operation: &'static Operation,
    status: u16,
    headers: HeaderMap,
    body: Vec<u8>,
    /// The credentials the call sent: every text quoted from this response is scrubbed of them.
    scrubber: Scrubber,
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
    pub(crate) fn new(
        operation: &'static Operation,
        status: u16,
        headers: HeaderMap,
        body: Vec<u8>,
    ) -> Self {
        Self {
            operation,
            status,
            headers,
            body,
            scrubber: Scrubber::default(),
        }
    }

    /// The same response, with the credentials its call sent to scrub from what it quotes.
    pub(crate) fn scrubbed_by(mut self, scrubber: Scrubber) -> Self {
        self.scrubber = scrubber;
        self
    }

    pub(crate) fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// Leaves this response's metadata for [`with_response`](super::with_response), if asked.
    pub(crate) fn record_meta(&self) {
        super::response_meta::record(
            self.status,
            &self.headers,
            &self.body,
            self.operation.envelope.as_ref(),
        );
    }

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
            operation: &PARTS,
            status,
            headers: map,
            body,
            scrubber: Scrubber::default(),
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
        RawBody::new(self.body.clone()).scrubbed_by(&self.scrubber)
    }

    /// `text` (quoted from this response) without the credentials its call sent.
    fn scrub(&self, text: String) -> String {
        match self.scrubber.scrub_str(&text) {
            std::borrow::Cow::Borrowed(_) => text,
            std::borrow::Cow::Owned(scrubbed) => scrubbed,
        }
    }

    fn decode_error<E>(&self, reason: impl Into<String>) -> Error<E> {
        Error::Decode {
            operation: self.operation.id,
            status: self.status,
            reason: self.scrub(bounded_reason(reason.into())),
            body: self.raw(),
        }
    }

    fn json_value<E>(&self) -> Result<serde_json::Value, Error<E>> {
        self.check_json()?;
        serde_json::from_slice(&self.body).map_err(|e| self.decode_error(e.to_string()))
    }

    /// A JSON content type (or none) and a body that is not empty.
    fn check_json<E>(&self) -> Result<(), Error<E>> {
        if let Some(content_type) = self.headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()) {
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
        Ok(())
    }

    /// Decodes the body as `T`.
    pub fn json<T: DeserializeOwned, E>(&self) -> Result<T, Error<E>> {
        self.check_json()?;
        // Straight from the bytes; only a body that does not decode goes through a
        // `Value`, so that the message says the same as it always did.
        serde_json::from_slice(&self.body).or_else(|_| {
            let value = self.json_value()?;
            serde_json::from_value(value).map_err(|e| self.decode_error(e.to_string()))
        })
    }

    /// Opens the spec's envelope, then decodes the payload as `T`; a failure reported inside the
    /// body becomes [`Error::Failure`].
    pub fn enveloped<T: DeserializeOwned, E>(&self, envelope: &Envelope) -> Result<T, Error<E>> {
        self.check_json()?;
        // A plain success decodes straight from the payload's text; anything else (a failure,
        // a body that is not the envelope, a payload that does not decode) takes the path
        // below, whose messages it keeps.
        let success = std::str::from_utf8(&self.body)
            .ok()
            .and_then(|body| envelope.success(body))
            .and_then(|payload| serde_json::from_str(payload.get()).ok());
        if let Some(payload) = success {
            return Ok(payload);
        }
        let value = self.json_value()?;
        let payload = envelope
            .open(self.operation.id, self.status, value, &self.body)
            .map_err(|opened| match opened {
                Opened::Failure(mut failure) => {
                    failure.message = failure.message.map(|m| self.scrub(m));
                    Error::Failure(failure)
                }
                Opened::Mismatch(reason) => self.decode_error(reason),
            })?;
        serde_json::from_value(payload).map_err(|e| self.decode_error(e.to_string()))
    }

    /// Decodes a 2xx JSON body as `T` the way the operation describes it: the payload of its
    /// envelope ([`Response::enveloped`]) when it declares one, else the whole body.
    pub fn payload<T: DeserializeOwned, E>(&self) -> Result<T, Error<E>> {
        match &self.operation.envelope {
            Some(envelope) => self.enveloped(envelope),
            None => self.json(),
        }
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
        Err(self.api(variant(body)))
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
        Err(self.api(variant(body)))
    }

    /// A documented error status that has no body.
    pub fn api_error_empty<T, E>(&self, error: E) -> Result<T, Error<E>> {
        Err(self.api(error))
    }

    /// A status the spec does not document for the operation.
    pub fn unexpected<T, E>(&self) -> Result<T, Error<E>> {
        Err(Error::UnexpectedStatus {
            operation: self.operation.id,
            status: self.status,
            message: server_message(&self.body).map(|m| self.scrub(m)),
            body: self.raw(),
        })
    }

    fn api<E>(&self, error: E) -> Error<E> {
        Error::Api {
            operation: self.operation.id,
            status: self.status,
            error,
            message: server_message(&self.body).map(|m| self.scrub(m)),
        }
    }
}

/// Members where servers commonly put a human-readable message, most specific first. Not a
/// vendor's list: the conventions of RFC 7807 (`detail`, `title`), OAuth (`error_description`)
/// and the usual `message`/`msg`/`error` shapes.
const MESSAGE_POINTERS: [&str; 9] = [
    "/error/message",
    "/error_description",
    "/detail",
    "/message",
    "/Message",
    "/msg",
    "/error",
    "/title",
    "/Response/Error/Message",
];

/// The server's own message in a JSON error body, bounded and with control characters escaped.
fn server_message(body: &[u8]) -> Option<String> {
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    MESSAGE_POINTERS.iter().find_map(|pointer| {
        let text = value.pointer(pointer)?.as_str()?.trim();
        (!text.is_empty()).then(|| bounded_reason(text.to_owned()))
    })
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
