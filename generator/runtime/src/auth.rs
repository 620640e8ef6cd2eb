//! Credentials, and how each kind of security scheme puts them on a request.

use super::error::RequestError;
use super::headers::{check_value, parse_header_name, secret_header};
use super::request::Method;
#[cfg(feature = "tc3")]
use super::tc3;
use super::Secret;
use base64::Engine as _;
use reqwest::header::HeaderMap;
#[cfg(feature = "tc3")]
use std::{
    fmt,
    sync::{Arc, Mutex},
};

/// HTTP Basic credentials. Some vendors use an API key as the user name and an empty password.
#[derive(Debug, Clone)]
pub struct BasicAuth {
    /// The user name (often the API key itself, hence secret).
    pub username: Secret,
    /// The password; may be empty.
    pub password: Secret,
}

impl BasicAuth {
    /// User name and password.
    pub fn new(username: impl Into<Secret>, password: impl Into<Secret>) -> Self {
        Self {
            username: username.into(),
            password: password.into(),
        }
    }

    /// An API key sent as the user name with an empty password (`curl -u KEY:`).
    pub fn api_key(key: impl Into<Secret>) -> Self {
        Self::new(key, "")
    }
}

#[cfg(feature = "tc3")]
/// A secret id and key pair for request signing (Tencent Cloud's TC3-HMAC-SHA256, say).
#[derive(Clone)]
pub struct SigningKey {
    /// The public half (`SecretId`); shown in the signed header, but still treated as secret.
    pub secret_id: Secret,
    /// The private half (`SecretKey`); never sent.
    pub secret_key: Secret,
    /// A session token for temporary credentials, when there is one.
    pub session_token: Option<Secret>,
    /// The key derived for the current day and service, shared by clones, so that a day's
    /// calls derive it once (three HMACs fewer per call).
    derived: Arc<Mutex<Option<DerivedKey>>>,
}

#[cfg(feature = "tc3")]
/// A signing key derived from `secret_key` for one UTC day and service, with what signing
/// needs of it ready: the HMAC state already keyed (cloning it saves hashing the key's two pad
/// blocks on every call) and the credential scope text (no date formatting per call).
pub(crate) struct DerivedKey {
    /// Days since the Unix epoch (UTC).
    pub(crate) day: i64,
    pub(crate) service: String,
    /// `<YYYY-MM-DD>/<service>/tc3_request`, shared with the calls signing with it.
    pub(crate) scope: Arc<str>,
    /// Read by the tests, which compare it with a fresh derivation; calls use `mac`.
    #[cfg_attr(not(test), allow(dead_code))]
    pub(crate) key: [u8; 32],
    pub(crate) mac: tc3::KeyedMac,
}

#[cfg(feature = "tc3")]
impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKey")
            .field("secret_id", &self.secret_id)
            .field("secret_key", &self.secret_key)
            .field("session_token", &self.session_token)
            .finish_non_exhaustive()
    }
}

#[cfg(feature = "tc3")]
impl SigningKey {
    /// A long-lived key pair.
    pub fn new(secret_id: impl Into<Secret>, secret_key: impl Into<Secret>) -> Self {
        Self {
            secret_id: secret_id.into(),
            secret_key: secret_key.into(),
            session_token: None,
            derived: Arc::default(),
        }
    }

    /// The signing key for the UTC day of `timestamp` and `service`, derived once per day and
    /// service.
    #[cfg(test)]
    pub(crate) fn derived(&self, timestamp: i64, service: &str) -> [u8; 32] {
        self.with_derived(timestamp, service, |d| d.key)
    }

    /// The HMAC state keyed for the UTC day of `timestamp` and `service`, and the credential
    /// scope it signs under.
    pub(crate) fn keyed_mac(&self, timestamp: i64, service: &str) -> (tc3::KeyedMac, Arc<str>) {
        self.with_derived(timestamp, service, |d| {
            (d.mac.clone(), Arc::clone(&d.scope))
        })
    }

    fn with_derived<R>(
        &self,
        timestamp: i64,
        service: &str,
        read: impl FnOnce(&DerivedKey) -> R,
    ) -> R {
        let day = timestamp.div_euclid(tc3::SECONDS_PER_DAY);
        let mut cached = self
            .derived
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        match &*cached {
            Some(d) if d.day == day && d.service == service => read(d),
            _ => {
                let date = tc3::utc_date(timestamp);
                let key = tc3::derive_signing_key(self.secret_key.expose(), &date, service);
                let derived = cached.insert(DerivedKey {
                    day,
                    service: service.to_owned(),
                    scope: tc3::credential_scope(&date, service).into(),
                    key,
                    mac: tc3::keyed(&key),
                });
                read(derived)
            }
        }
    }

    /// Adds a session token (temporary credentials).
    pub fn with_session_token(mut self, token: impl Into<Secret>) -> Self {
        self.session_token = Some(token.into());
        self
    }
}

#[cfg(feature = "tc3")]
/// Which signing algorithm a scheme declares (`x-signing.algorithm`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SigningAlgorithm {
    /// Tencent Cloud API 3.0 signature v3.
    Tc3HmacSha256,
}

/// How the credential chosen for one request is applied; built by generated code from the
/// spec's security schemes.
#[derive(Debug, Clone, Copy)]
pub enum Auth<'a> {
    /// No credentials (`security: []`).
    None,
    /// `Authorization: Basic base64(user:password)`.
    Basic(&'a BasicAuth),
    /// `Authorization: Bearer <token>`.
    Bearer(&'a Secret),
    /// An API key in a named header.
    Header {
        /// The header's name.
        name: &'static str,
        /// The key.
        value: &'a Secret,
    },
    /// An API key in a named query parameter.
    Query {
        /// The parameter's name.
        name: &'static str,
        /// The key.
        value: &'a Secret,
    },
    /// A signature computed over the final request.
    #[cfg(feature = "tc3")]
    Signed {
        /// The algorithm.
        algorithm: SigningAlgorithm,
        /// The service name of the credential scope.
        service: &'static str,
        /// The lower-case names of the headers covered by the signature.
        signed_headers: &'static [&'static str],
        /// The key pair.
        key: &'a SigningKey,
    },
}

/// Rejects credentials that cannot be sent safely, before anything is sent.
pub(crate) fn check(auth: &Auth<'_>) -> Result<(), RequestError> {
    match auth {
        Auth::None => Ok(()),
        Auth::Basic(basic) => {
            check_value("Authorization", basic.username.expose())?;
            check_value("Authorization", basic.password.expose())?;
            if basic.username.expose().contains(':') {
                return Err(RequestError::Header {
                    name: "Authorization".to_owned(),
                    reason: "the Basic user name contains ':'",
                });
            }
            Ok(())
        }
        Auth::Bearer(token) => check_value("Authorization", token.expose()),
        Auth::Header { name, value } => {
            parse_header_name(name)?;
            check_value(name, value.expose())
        }
        // Percent-encoded on the wire, but a control character is never a real key.
        Auth::Query { name, value } => check_value(name, value.expose()),
        #[cfg(feature = "tc3")]
        Auth::Signed { key, .. } => {
            check_value("Authorization", key.secret_id.expose())?;
            check_value("Authorization", key.secret_key.expose())?;
            if let Some(token) = &key.session_token {
                check_value("X-TC-Token", token.expose())?;
            }
            Ok(())
        }
    }
}

/// Puts the credentials of `auth` on one attempt (after hooks ran, so hooks never see them;
/// a signature covers the final headers, URL and body).
#[cfg_attr(not(feature = "tc3"), allow(unused_variables))]
pub(crate) fn apply(
    auth: &Auth<'_>,
    method: Method,
    headers: &mut HeaderMap,
    url: &mut reqwest::Url,
    body: Option<&[u8]>,
) -> Result<(), RequestError> {
    let authorization = reqwest::header::AUTHORIZATION;
    match *auth {
        Auth::None => {}
        Auth::Basic(basic) => {
            // Checked before the call (`check`): base64 would hide a CR/LF from the header check.
            let pair = format!("{}:{}", basic.username.expose(), basic.password.expose());
            let mut value = String::from("Basic ");
            base64::engine::general_purpose::STANDARD.encode_string(pair, &mut value);
            headers.insert(authorization, secret_header("Authorization", &value)?);
        }
        Auth::Bearer(token) => {
            let value = format!("Bearer {}", token.expose());
            headers.insert(authorization, secret_header("Authorization", &value)?);
        }
        Auth::Header { name, value } => {
            let header_name = parse_header_name(name)?;
            headers.insert(header_name, secret_header(name, value.expose())?);
        }
        Auth::Query { name, value } => {
            check_value(name, value.expose())?;
            url.query_pairs_mut().append_pair(name, value.expose());
        }
        #[cfg(feature = "tc3")]
        Auth::Signed {
            algorithm: SigningAlgorithm::Tc3HmacSha256,
            service,
            signed_headers,
            key,
        } => tc3::authorize(
            headers,
            url,
            &tc3::Scope {
                method: method.as_str(),
                service,
                signed_headers,
            },
            body.unwrap_or_default(),
            key,
        )?,
    }
    Ok(())
}
