//! The transport: turns a [`Request`] into bytes on the wire and a bounded [`Response`].

use super::auth::{Auth, SigningAlgorithm};
use super::config::Config;
use super::envelope::Envelope;
use super::error::{Error, RawBody, RequestError};
use super::request::Request;
use super::tc3;
use base64::Engine as _;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde::de::DeserializeOwned;
use std::time::{Instant, SystemTime, UNIX_EPOCH};
use tracing::Instrument as _;

/// What every generated client holds: one connection pool, a base URL and settings.
#[derive(Debug, Clone)]
pub struct Runtime {
    http: reqwest::Client,
    base_url: reqwest::Url,
    config: Config,
}

impl Runtime {
    /// Builds the transport for `base_url`; refuses `http://` unless `config` allows it.
    pub fn new(base_url: &str, config: Config) -> Result<Self, RequestError> {
        let trimmed = base_url.trim_end_matches('/');
        let base_url = reqwest::Url::parse(trimmed)
            .map_err(|e| RequestError::BaseUrl(format!("{base_url:?}: {e}")))?;
        match base_url.scheme() {
            "https" => {}
            "http" if config.allow_insecure_http => {}
            "http" => {
                return Err(RequestError::BaseUrl(format!(
                    "{trimmed:?} is plain http; credentials would travel in clear \
                     (use https, or opt in with Config::allow_insecure_http)"
                )))
            }
            other => {
                return Err(RequestError::BaseUrl(format!(
                    "unsupported scheme {other:?}"
                )))
            }
        }
        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.connect_timeout)
            .user_agent(config.user_agent.clone())
            .build()
            .map_err(|e| RequestError::BaseUrl(e.to_string()))?;
        Ok(Self {
            http,
            base_url,
            config,
        })
    }

    /// The base URL requests are sent to.
    pub fn base_url(&self) -> &str {
        self.base_url.as_str()
    }

    /// Sends `request` and reads the response body (within the configured cap).
    pub async fn execute<E>(&self, request: Request<'_>) -> Result<Response, Error<E>> {
        let span = tracing::debug_span!(
            "request",
            operation = request.operation,
            method = request.method.as_str(),
            status = tracing::field::Empty,
            attempt = 1_u32,
            duration_ms = tracing::field::Empty,
        );
        let started = Instant::now();
        let result = self.send(request).instrument(span.clone()).await;
        span.record("duration_ms", started.elapsed().as_millis() as u64);
        if let Ok(response) = &result {
            span.record("status", response.status);
        }
        result
    }

    async fn send<E>(&self, request: Request<'_>) -> Result<Response, Error<E>> {
        let mut url = self.base_url.clone();
        let path = format!("{}{}", url.path().trim_end_matches('/'), request.path);
        url.set_path(&path);
        if !request.query.is_empty() {
            url.query_pairs_mut()
                .extend_pairs(request.query.iter().map(|(k, v)| (*k, v.as_str())));
        }

        let mut headers = HeaderMap::new();
        for (name, value) in &request.headers {
            insert_header(&mut headers, name, value)?;
        }
        let body = request.body.as_ref();
        if let Some((_, content_type)) = body {
            insert_header(&mut headers, "content-type", content_type)?;
        }
        apply_auth(
            &mut headers,
            &mut url,
            &request,
            body.map(|(b, _)| b.as_slice()),
        )?;

        let mut builder = self
            .http
            .request(request.method.to_reqwest(), url)
            .headers(headers);
        if let Some((bytes, _)) = body {
            builder = builder.body(bytes.clone());
        }
        let mut response = builder.send().await.map_err(transport)?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let limit = self.config.max_body_bytes;
        if response.content_length().is_some_and(|n| n > limit as u64) {
            return Err(Error::BodyTooLarge { status, limit });
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(transport)? {
            if bytes.len() + chunk.len() > limit {
                return Err(Error::BodyTooLarge { status, limit });
            }
            bytes.extend_from_slice(&chunk);
        }
        Ok(Response {
            status,
            headers,
            body: bytes,
        })
    }
}

fn transport<E>(error: reqwest::Error) -> Error<E> {
    if error.is_timeout() {
        Error::Timeout
    } else {
        Error::Transport(error)
    }
}

fn insert_header(headers: &mut HeaderMap, name: &str, value: &str) -> Result<(), RequestError> {
    let header_name =
        HeaderName::from_bytes(name.as_bytes()).map_err(|_| RequestError::Header {
            name: name.to_owned(),
            reason: "not a valid header name",
        })?;
    headers.insert(header_name, header_value(name, value)?);
    Ok(())
}

/// Rejects CR, LF and other control characters: a value must not be able to start a new header.
fn header_value(name: &str, value: &str) -> Result<HeaderValue, RequestError> {
    if value.bytes().any(|b| (b < 0x20 && b != b'\t') || b == 0x7f) {
        return Err(RequestError::Header {
            name: name.to_owned(),
            reason: "contains a control character such as CR or LF",
        });
    }
    HeaderValue::from_str(value).map_err(|_| RequestError::Header {
        name: name.to_owned(),
        reason: "not a valid header value",
    })
}

fn secret_header(name: &str, value: String) -> Result<HeaderValue, RequestError> {
    let mut value = header_value(name, &value)?;
    value.set_sensitive(true);
    Ok(value)
}

fn apply_auth(
    headers: &mut HeaderMap,
    url: &mut reqwest::Url,
    request: &Request<'_>,
    body: Option<&[u8]>,
) -> Result<(), RequestError> {
    let authorization = reqwest::header::AUTHORIZATION;
    match request.auth {
        Auth::None => {}
        Auth::Basic(basic) => {
            // Checked before encoding: base64 would hide a CR/LF from the header check.
            header_value("Authorization", basic.username.expose())?;
            header_value("Authorization", basic.password.expose())?;
            let pair = format!("{}:{}", basic.username.expose(), basic.password.expose());
            let encoded = base64::engine::general_purpose::STANDARD.encode(pair);
            headers.insert(
                authorization,
                secret_header("Authorization", format!("Basic {encoded}"))?,
            );
        }
        Auth::Bearer(token) => {
            let value = format!("Bearer {}", token.expose());
            headers.insert(authorization, secret_header("Authorization", value)?);
        }
        Auth::Header { name, value } => {
            let header_name =
                HeaderName::from_bytes(name.as_bytes()).map_err(|_| RequestError::Header {
                    name: name.to_owned(),
                    reason: "not a valid header name",
                })?;
            headers.insert(header_name, secret_header(name, value.expose().to_owned())?);
        }
        Auth::Query { name, value } => {
            url.query_pairs_mut().append_pair(name, value.expose());
        }
        Auth::Signed {
            algorithm: SigningAlgorithm::Tc3HmacSha256,
            service,
            signed_headers,
            key,
        } => {
            let timestamp = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|d| d.as_secs() as i64)
                .unwrap_or(0);
            headers.insert("x-tc-timestamp", HeaderValue::from(timestamp));
            if let Some(token) = &key.session_token {
                headers.insert(
                    "x-tc-token",
                    secret_header("X-TC-Token", token.expose().to_owned())?,
                );
            }
            let host = match (url.host_str(), url.port()) {
                (Some(host), Some(port)) => format!("{host}:{port}"),
                (Some(host), None) => host.to_owned(),
                (None, _) => String::new(),
            };
            let mut signed = Vec::with_capacity(signed_headers.len());
            for name in signed_headers.iter() {
                let value = if name.eq_ignore_ascii_case("host") {
                    host.clone()
                } else {
                    headers
                        .get(*name)
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("")
                        .to_owned()
                };
                signed.push((*name, value));
            }
            let signed_refs: Vec<(&str, &str)> =
                signed.iter().map(|(n, v)| (*n, v.as_str())).collect();
            let query = url.query().unwrap_or("").to_owned();
            header_value("Authorization", key.secret_id.expose())?;
            let signature = tc3::sign(
                key.secret_id.expose(),
                key.secret_key.expose(),
                &tc3::Tc3Request {
                    method: request.method.as_str(),
                    canonical_uri: url.path(),
                    canonical_query: &query,
                    headers: &signed_refs,
                    payload: body.unwrap_or_default(),
                    service,
                    timestamp,
                },
            );
            headers.insert(
                authorization,
                secret_header("Authorization", signature.authorization)?,
            );
        }
    }
    Ok(())
}

/// A response read in full (within the cap), ready for the operation to decode.
#[derive(Debug)]
pub struct Response {
    status: u16,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl Response {
    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// A response header, if present and valid text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    fn raw(&self) -> RawBody {
        RawBody::new(self.body.clone())
    }

    fn decode_error<E>(&self, reason: impl Into<String>) -> Error<E> {
        Error::Decode {
            status: self.status,
            reason: reason.into(),
            body: self.raw(),
        }
    }

    fn json_value<E>(&self) -> Result<serde_json::Value, Error<E>> {
        if let Some(content_type) = self.header("content-type") {
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
        serde_json::from_slice(&self.body).map_err(|e| self.decode_error(e.to_string()))
    }

    /// Decodes the body as `T`.
    pub fn json<T: DeserializeOwned, E>(&self) -> Result<T, Error<E>> {
        let value = self.json_value()?;
        serde_json::from_value(value).map_err(|e| self.decode_error(e.to_string()))
    }

    /// Opens the spec's envelope, then decodes the payload as `T`; a failure reported inside the
    /// body becomes [`Error::Failure`].
    pub fn enveloped<T: DeserializeOwned, E>(&self, envelope: &Envelope) -> Result<T, Error<E>> {
        let value = self.json_value()?;
        let payload = envelope
            .open(self.status, value, &self.body)
            .map_err(Error::Failure)?;
        serde_json::from_value(payload).map_err(|e| self.decode_error(e.to_string()))
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
        Err(Error::Api {
            status: self.status,
            error: variant(body),
        })
    }

    /// A documented error status that has no body.
    pub fn api_error_empty<T, E>(&self, error: E) -> Result<T, Error<E>> {
        Err(Error::Api {
            status: self.status,
            error,
        })
    }

    /// A status the spec does not document for the operation.
    pub fn unexpected<T, E>(&self) -> Result<T, Error<E>> {
        Err(Error::UnexpectedStatus {
            status: self.status,
            body: self.raw(),
        })
    }
}
