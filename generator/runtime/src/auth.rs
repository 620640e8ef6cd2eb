//! Credentials, and how each kind of security scheme puts them on a request.

use super::error::RequestError;
use super::headers::{check_value, parse_header_name, secret_header};
use super::method::Method;
#[cfg(feature = "tc3")]
use super::scheme::SigningAlgorithm;
#[cfg(feature = "tc3")]
use super::signing::{self, SigningKey};
use super::Secret;
use base64::Engine as _;
use reqwest::header::HeaderMap;

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

/// How the credential chosen for one request is applied; built by generated code from the
/// spec's security schemes.
#[derive(Debug, Clone)]
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
    /// Several credentials sent together (a requirement combining several schemes), each
    /// applied as it would be alone; a signature among them is computed last, over the others.
    All(Vec<Auth<'a>>),
}

impl Auth<'_> {
    /// What names the account without being its secret: the Basic user name, the signing
    /// key id. Tokens and API keys have none (their only identity is the secret).
    pub(crate) fn public_identity(&self) -> Option<&str> {
        match self {
            Auth::Basic(basic) => Some(basic.username.expose()),
            #[cfg(feature = "tc3")]
            Auth::Signed { key, .. } => Some(key.secret_id.expose()),
            Auth::All(parts) => parts.iter().find_map(Auth::public_identity),
            _ => None,
        }
    }
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
        Auth::All(parts) => parts.iter().try_for_each(check),
    }
}

/// Whether `auth` computes a signature over the request (so goes on after everything else).
fn signs(auth: &Auth<'_>) -> bool {
    match auth {
        #[cfg(feature = "tc3")]
        Auth::Signed { .. } => true,
        Auth::All(parts) => parts.iter().any(signs),
        _ => false,
    }
}

/// Puts the credentials of `auth` on one attempt (after hooks ran, so hooks never see them;
/// a signature covers the final headers, URL and body).
// Without signing, the method and body serve only the parts of a combination (passed on).
#[cfg_attr(
    not(feature = "tc3"),
    allow(unused_variables, clippy::only_used_in_recursion)
)]
pub(crate) fn apply(
    auth: &Auth<'_>,
    method: Method,
    headers: &mut HeaderMap,
    url: &mut reqwest::Url,
    body: Option<&[u8]>,
) -> Result<(), RequestError> {
    let authorization = reqwest::header::AUTHORIZATION;
    match auth {
        Auth::None => {}
        Auth::All(parts) => {
            // A signature covers the final headers and URL, so the other parts go on first.
            let (signing, plain): (Vec<&Auth<'_>>, Vec<&Auth<'_>>) =
                parts.iter().partition(|part| signs(part));
            for part in plain.into_iter().chain(signing) {
                apply(part, method, headers, url, body)?;
            }
        }
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
        &Auth::Header { name, value } => {
            let header_name = parse_header_name(name)?;
            headers.insert(header_name, secret_header(name, value.expose())?);
        }
        &Auth::Query { name, value } => {
            check_value(name, value.expose())?;
            url.query_pairs_mut().append_pair(name, value.expose());
        }
        #[cfg(feature = "tc3")]
        &Auth::Signed {
            algorithm: SigningAlgorithm::Tc3HmacSha256,
            service,
            signed_headers,
            key,
        } => signing::authorize(
            headers,
            url,
            &signing::Scope {
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
