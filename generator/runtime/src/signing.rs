//! A signing key pair as a client holds it, and how it signs one attempt (TC3-HMAC-SHA256,
//! the algorithm in [`tc3`](crate::tc3)). Kept apart from the algorithm so that the algorithm
//! stays a leaf that knows nothing of credentials or headers.

use crate::error::RequestError;
use crate::headers::secret_header;
use crate::tc3::{
    credential_scope, derive_signing_key, keyed, sign_text, utc_date, KeyedMac, Tc3Request,
    SECONDS_PER_DAY, SIGNED_INLINE,
};
use crate::Secret;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use smallvec::SmallVec;
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

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
    pub(crate) mac: KeyedMac,
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKey")
            .field("secret_id", &self.secret_id)
            .field("secret_key", &self.secret_key)
            .field("session_token", &self.session_token)
            .finish_non_exhaustive()
    }
}

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
    pub(crate) fn keyed_mac(&self, timestamp: i64, service: &str) -> (KeyedMac, Arc<str>) {
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
        let day = timestamp.div_euclid(SECONDS_PER_DAY);
        let mut cached = self
            .derived
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        match &*cached {
            Some(d) if d.day == day && d.service == service => read(d),
            _ => {
                let date = utc_date(timestamp);
                let key = derive_signing_key(self.secret_key.expose(), &date, service);
                let derived = cached.insert(DerivedKey {
                    day,
                    service: service.to_owned(),
                    scope: credential_scope(&date, service).into(),
                    key,
                    mac: keyed(&key),
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

// Checked once at compile time rather than on every signed call, as `&str` names would be.
const TIMESTAMP_HEADER: HeaderName = HeaderName::from_static("x-tc-timestamp");
const TOKEN_HEADER: HeaderName = HeaderName::from_static("x-tc-token");

/// What a signature covers besides the URL, the headers' values and the body.
pub(crate) struct Scope<'a> {
    /// The HTTP method as sent.
    pub(crate) method: &'a str,
    /// The service name of the credential scope.
    pub(crate) service: &'a str,
    /// The lower-case names of the signed headers (`host` is taken from the URL).
    pub(crate) signed_headers: &'a [&'a str],
}

/// Signs one attempt and places Tencent's headers on it: `X-TC-Timestamp` (now), the session
/// token as `X-TC-Token` when the key has one, and `Authorization`. Called for every attempt
/// and every redirect hop, so each carries a fresh timestamp and a signature for its own URL.
pub(crate) fn authorize(
    headers: &mut HeaderMap,
    url: &reqwest::Url,
    scope: &Scope<'_>,
    body: &[u8],
    key: &SigningKey,
) -> Result<(), RequestError> {
    // The key's values were checked for control characters before the call (`auth::check`).
    let timestamp = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0);
    headers.insert(TIMESTAMP_HEADER, HeaderValue::from(timestamp));
    if let Some(token) = &key.session_token {
        headers.insert(TOKEN_HEADER, secret_header("X-TC-Token", token.expose())?);
    }
    // `host[:port]` as the URL writes it (the port only when not the scheme's default).
    let host = &url[url::Position::BeforeHost..url::Position::AfterPort];
    let mut signed: SmallVec<[(&str, &str); SIGNED_INLINE]> = SmallVec::new();
    for name in scope.signed_headers {
        let value = if name.eq_ignore_ascii_case("host") {
            host
        } else {
            headers
                .get(*name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
        };
        signed.push((name, value));
    }
    let (signing_key, credential_scope) = key.keyed_mac(timestamp, scope.service);
    let text = sign_text(
        key.secret_id.expose(),
        &signing_key,
        &credential_scope,
        &Tc3Request {
            method: scope.method,
            canonical_uri: url.path(),
            canonical_query: url.query().unwrap_or(""),
            headers: &signed,
            payload: body,
            service: scope.service,
            timestamp,
        },
    );
    // The signed values borrow from `headers`, which now takes the signature.
    drop(signed);
    let value = secret_header("Authorization", &text.text[text.authorization])?;
    headers.insert(reqwest::header::AUTHORIZATION, value);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// "AKID" followed by 32 literal `*`, as in the official example (see `tc3`'s tests).
    const MASKED_ID: &str = "AKID********************************";
    const MASKED_KEY: &str = "********************************";
    const TIMESTAMP: i64 = 1_551_113_065;

    #[test]
    fn the_cached_day_key_signs_as_a_fresh_derivation_does() {
        let key = SigningKey::new(MASKED_ID, MASKED_KEY);
        // The first and last second of a day, then the next day.
        let next_day = TIMESTAMP.div_euclid(SECONDS_PER_DAY) * SECONDS_PER_DAY + SECONDS_PER_DAY;
        for (timestamp, date, service) in [
            (TIMESTAMP, "2019-02-25", "vod"),
            (next_day - SECONDS_PER_DAY, "2019-02-25", "vod"),
            (next_day - 1, "2019-02-25", "cvm"),
            (next_day, "2019-02-26", "vod"),
        ] {
            // Twice: derived, then from the cache.
            for _ in 0..2 {
                assert_eq!(
                    key.derived(timestamp, service),
                    derive_signing_key(MASKED_KEY, date, service)
                );
                let (_, scope) = key.keyed_mac(timestamp, service);
                assert_eq!(&*scope, format!("{date}/{service}/tc3_request"));
            }
        }
        // Clones share the cache; another key does not.
        let other = SigningKey::new(MASKED_ID, "another");
        assert_ne!(
            other.derived(TIMESTAMP, "vod"),
            key.clone().derived(TIMESTAMP, "vod")
        );
        assert!(!format!("{key:?}").contains(MASKED_KEY));
    }
}
