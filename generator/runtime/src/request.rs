//! A request as generated code describes it, before auth and transport.

use super::auth::Auth;
use super::error::RequestError;
use super::operation::Operation;
use super::secret::serialized_with_secrets;
use serde::Serialize;
use std::fmt;

/// One call of one operation: its [`Operation`] description and what changes per call (the
/// path, query, headers and body).
///
/// `Debug` shows what identifies the call, never values that may be secret: not the path (a
/// path parameter can be a token), not query or header values, not the body (only its size).
pub struct Request<'a> {
    pub(crate) operation: &'static Operation,
    pub(crate) path: String,
    pub(crate) query: Vec<(&'static str, String)>,
    pub(crate) headers: Vec<(&'static str, String)>,
    // `Bytes`, so that every attempt and redirect hop sends it without copying it.
    pub(crate) body: Option<(bytes::Bytes, &'static str)>,
    pub(crate) auth: Auth<'a>,
    // Values of `x-secret` parameters and body fields: the call's scrubber hides them like its
    // credentials.
    pub(crate) secrets: Vec<Box<str>>,
}

impl fmt::Debug for Request<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names = |pairs: &[(&'static str, String)]| -> Vec<&'static str> {
            pairs.iter().map(|(name, _)| *name).collect()
        };
        f.debug_struct("Request")
            .field("api", &self.operation.api)
            .field("operation", &self.operation.id)
            .field("method", &self.operation.method)
            .field("query", &names(&self.query))
            .field("headers", &names(&self.headers))
            .field("body_bytes", &self.body.as_ref().map(|(b, _)| b.len()))
            .field("auth", &self.auth)
            .finish()
    }
}

impl<'a> Request<'a> {
    /// Starts a call of `operation`; `path` is already percent-encoded.
    pub fn new(operation: &'static Operation, path: String) -> Self {
        Self {
            operation,
            path,
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            auth: Auth::None,
            secrets: Vec::new(),
        }
    }

    /// Registers a value this call sends that is secret (a parameter marked `x-secret`, such
    /// as an upload token in the path): nothing derived from the response or from a URL
    /// (error excerpts, redirect locations, traces) will show it, as for credentials.
    pub fn secret(&mut self, value: &str) {
        self.secrets.push(value.into());
    }

    /// Adds a query parameter.
    pub fn query(&mut self, name: &'static str, value: impl ToString) {
        self.query.push((name, value.to_string()));
    }

    /// Adds a query parameter when it has a value: an optional parameter left unset sends
    /// nothing.
    pub fn query_opt(&mut self, name: &'static str, value: Option<impl ToString>) {
        if let Some(value) = value {
            self.query(name, value);
        }
    }

    /// Adds a header when it has a value, as [`Request::header`].
    pub fn header_opt(&mut self, name: &'static str, value: Option<impl ToString>) {
        if let Some(value) = value {
            self.header(name, value);
        }
    }

    /// Adds a header; its value is checked for CR/LF before sending.
    pub fn header(&mut self, name: &'static str, value: impl ToString) {
        self.headers.push((name, value.to_string()));
    }

    /// Sets a JSON body.
    /// Every [`Secret`](crate::Secret) in `body` is registered as by [`Request::secret`].
    pub fn json<T: Serialize + ?Sized>(&mut self, body: &T) -> Result<(), RequestError> {
        let (bytes, secrets) = serialized_with_secrets(|| serde_json::to_vec(body));
        let bytes = bytes.map_err(|e| RequestError::Body(e.to_string()))?;
        self.secrets.extend(secrets);
        self.body = Some((bytes.into(), "application/json"));
        Ok(())
    }

    /// Sets an `application/x-www-form-urlencoded` body (flat objects only). Every
    /// [`Secret`](crate::Secret) in `body` is registered as by [`Request::secret`].
    pub fn form<T: Serialize + ?Sized>(&mut self, body: &T) -> Result<(), RequestError> {
        let (text, secrets) = serialized_with_secrets(|| serde_urlencoded::to_string(body));
        let text = text.map_err(|e| RequestError::Body(e.to_string()))?;
        self.secrets.extend(secrets);
        self.body = Some((
            text.into_bytes().into(),
            "application/x-www-form-urlencoded",
        ));
        Ok(())
    }

    /// Sets a text body of media type `media` (`text/plain`).
    pub fn text(&mut self, body: &str, media: &'static str) {
        self.body = Some((bytes::Bytes::copy_from_slice(body.as_bytes()), media));
    }

    /// Sets a binary body of media type `media` (`application/octet-stream`).
    pub fn bytes(&mut self, body: &[u8], media: &'static str) {
        self.body = Some((bytes::Bytes::copy_from_slice(body), media));
    }
}
