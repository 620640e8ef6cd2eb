//! Dry runs: a call made inside [`dry_run`] is prepared, authenticated and signed as usual, and
//! then described instead of sent.
//!
//! The transport checks the task-local scope right before sending (after hooks and
//! credentials, so a TC3 signature's headers are part of what is shown), records the request
//! with its secrets redacted, and ends the call with [`RequestError::DryRun`].

use super::auth::Auth;
use super::error::RequestError;
use serde::Serialize;
use std::cell::RefCell;
use std::future::Future;

tokio::task_local! {
    /// Set while a [`dry_run`] call runs: where the transport leaves the request it did not send.
    static CAPTURED: RefCell<Option<PreparedRequest>>;
}

/// What a call would have sent: method, URL, headers and body with secrets redacted, and how
/// it is authenticated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PreparedRequest {
    /// `GET`, `POST`, ...
    pub method: String,
    /// The full URL; a credential sent in the query is `[redacted]`.
    pub url: String,
    /// Every header in sending order (lower-case names); credential headers show only their
    /// scheme word (`Basic [redacted]`, `TC3-HMAC-SHA256 [redacted]`).
    pub headers: Vec<(String, String)>,
    /// The body as text (lossy UTF-8); in JSON bodies the values of secret-looking members
    /// (`token`, `password`, `…key`) are `"[redacted]"`.
    pub body: Option<String>,
    /// How the request is authenticated or signed (`HTTP Basic`, `TC3-HMAC-SHA256 (service
    /// vod; signed headers content-type;host)`, `none`).
    pub auth: String,
}

/// Runs `call` (any call of a generated client) without sending anything: returns what its
/// first request would have been, or `None` when the call failed before that (missing
/// credentials, an invalid parameter: the call's own result says why).
///
/// The call itself ends with `Error::Request(RequestError::DryRun)`.
pub async fn dry_run<F: Future>(call: F) -> (F::Output, Option<PreparedRequest>) {
    CAPTURED
        .scope(RefCell::new(None), async move {
            let output = call.await;
            let captured = CAPTURED.with(|slot| slot.borrow_mut().take());
            (output, captured)
        })
        .await
}

/// In a [`dry_run`] scope: records `request` and returns the error that ends the call.
/// Elsewhere: `Ok`, and the request is sent.
pub(crate) fn intercept(request: &reqwest::Request, auth: &Auth<'_>) -> Result<(), RequestError> {
    let inside = CAPTURED.try_with(|slot| {
        *slot.borrow_mut() = Some(describe(request, auth));
    });
    match inside {
        Ok(()) => Err(RequestError::DryRun),
        Err(_) => Ok(()),
    }
}

use crate::redact::MARK as REDACTED;

fn describe(request: &reqwest::Request, auth: &Auth<'_>) -> PreparedRequest {
    let mut url = request.url().clone();
    let mut query_keys = Vec::new();
    query_names(auth, &mut query_keys);
    if !query_keys.is_empty() {
        let pairs: Vec<(String, String)> = url
            .query_pairs()
            .map(|(k, v)| {
                let v = if query_keys.contains(&&*k) {
                    REDACTED.into()
                } else {
                    v
                };
                (k.into_owned(), v.into_owned())
            })
            .collect();
        url.query_pairs_mut().clear().extend_pairs(pairs);
    }
    let headers = request
        .headers()
        .iter()
        .map(|(name, value)| {
            let text = String::from_utf8_lossy(value.as_bytes());
            let secret = value.is_sensitive()
                || name == reqwest::header::AUTHORIZATION
                || super::redact::is_secret_name(name.as_str().as_bytes());
            let shown = if !secret {
                text.into_owned()
            } else if name == reqwest::header::AUTHORIZATION {
                // The scheme word says how the request is authenticated; the rest is secret.
                match text.split_once(' ') {
                    Some((scheme, _)) => format!("{scheme} {REDACTED}"),
                    None => REDACTED.to_owned(),
                }
            } else {
                REDACTED.to_owned()
            };
            (name.as_str().to_owned(), shown)
        })
        .collect();
    let body = request
        .body()
        .and_then(|b| b.as_bytes())
        .map(|bytes| String::from_utf8_lossy(&super::redact::redact_json(bytes)).into_owned());
    PreparedRequest {
        method: request.method().as_str().to_owned(),
        url: url.to_string(),
        headers,
        body,
        auth: auth_text(auth),
    }
}

/// The query parameters `auth` puts its keys in (each part's, for a combination).
fn query_names(auth: &Auth<'_>, names: &mut Vec<&'static str>) {
    match auth {
        Auth::Query { name, .. } => names.push(name),
        Auth::All(parts) => parts.iter().for_each(|part| query_names(part, names)),
        _ => {}
    }
}

fn auth_text(auth: &Auth<'_>) -> String {
    match auth {
        Auth::All(parts) => parts
            .iter()
            .map(auth_text)
            .collect::<Vec<_>>()
            .join(" and "),
        Auth::None => "none".to_owned(),
        Auth::Basic(_) => "HTTP Basic".to_owned(),
        Auth::Bearer(_) => "bearer token".to_owned(),
        Auth::Header { name, .. } => format!("API key in the {name} header"),
        Auth::Query { name, .. } => format!("API key in the {name} query parameter"),
        #[cfg(feature = "tc3")]
        Auth::Signed {
            algorithm,
            service,
            signed_headers,
            ..
        } => {
            let algorithm = match algorithm {
                super::scheme::SigningAlgorithm::Tc3HmacSha256 => "TC3-HMAC-SHA256",
            };
            format!(
                "{algorithm} signature (service {service}; signed headers {})",
                signed_headers.join(";")
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Secret;

    /// Every part of a combined requirement is redacted, a query key as much as a header.
    #[test]
    fn a_combination_is_described_with_every_part_redacted() {
        let (email, key) = (Secret::from("ann@example.com"), Secret::from("k3y-secret"));
        let auth = Auth::All(vec![
            Auth::Header {
                name: "X-Auth-Email",
                value: &email,
            },
            Auth::Query {
                name: "key",
                value: &key,
            },
        ]);
        let mut headers = reqwest::header::HeaderMap::new();
        let mut url = reqwest::Url::parse("https://api.example.com/a?page=2").unwrap();
        crate::auth::apply(&auth, crate::Method::Get, &mut headers, &mut url, None).unwrap();
        let mut request = reqwest::Request::new(reqwest::Method::GET, url);
        *request.headers_mut() = headers;
        let shown = describe(&request, &auth);
        assert_eq!(
            shown.url,
            "https://api.example.com/a?page=2&key=%5Bredacted%5D"
        );
        assert_eq!(
            shown.headers,
            [("x-auth-email".to_owned(), REDACTED.to_owned())]
        );
        assert_eq!(
            shown.auth,
            "API key in the X-Auth-Email header and API key in the key query parameter"
        );
    }
}
