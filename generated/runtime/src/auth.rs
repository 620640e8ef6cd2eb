//! Credentials, and how each kind of security scheme puts them on a request.

use super::Secret;

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

/// A secret id and key pair for request signing (Tencent Cloud's TC3-HMAC-SHA256, say).
#[derive(Debug, Clone)]
pub struct SigningKey {
    /// The public half (`SecretId`); shown in the signed header, but still treated as secret.
    pub secret_id: Secret,
    /// The private half (`SecretKey`); never sent.
    pub secret_key: Secret,
    /// A session token for temporary credentials, when there is one.
    pub session_token: Option<Secret>,
}

impl SigningKey {
    /// A long-lived key pair.
    pub fn new(secret_id: impl Into<Secret>, secret_key: impl Into<Secret>) -> Self {
        Self {
            secret_id: secret_id.into(),
            secret_key: secret_key.into(),
            session_token: None,
        }
    }

    /// Adds a session token (temporary credentials).
    pub fn with_session_token(mut self, token: impl Into<Secret>) -> Self {
        self.session_token = Some(token.into());
        self
    }
}

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
