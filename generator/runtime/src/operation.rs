//! The static description of an operation that generated code hands the runtime, and how the
//! runtime finds the credential it needs.
//!
//! Everything the spec says about an operation that is the same for every call (method,
//! idempotency, rate limit, envelope, security alternatives, constant headers) is data in one
//! `static` per operation; a generated method only builds what changes per call (path, query,
//! headers, body) and maps the documented statuses. The behaviour that reads the description
//! lives here, written once.

use super::auth::{Auth, BasicAuth};
use super::envelope::Envelope;
use super::error::RequestError;
use super::method::Method;
use super::scheme::{Scheme, SchemeKind, SchemeNames};
#[cfg(feature = "tc3")]
use super::signing::SigningKey;
use super::Secret;

/// One operation of a spec, as generated code declares it (`static OPERATION`).
#[derive(Debug)]
pub struct Operation {
    /// The generated module (`tencent_vod`): every span and event of a call carries it as the
    /// `api` field, so one vendor's traffic can be filtered.
    pub api: &'static str,
    /// The spec's `operationId`.
    pub id: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// Safe to repeat (GET, PUT, DELETE, or `x-idempotent` in the spec), which allows retries
    /// (see [`RetryPolicy`](super::RetryPolicy)); other calls are sent once.
    pub idempotent: bool,
    /// The header that carries an idempotency key (`x-idempotency-key`): each call sends one
    /// key, the same on every retry, so the server performs the call once however often it
    /// arrives; such a call is retried like an idempotent one.
    pub idempotency_key: Option<&'static str>,
    /// The spec's client-side rate limit (see [`RateLimits`](super::RateLimits)).
    pub rate_limit: Option<RateLimit>,
    /// A vendor header that says how many seconds to wait before retrying a 429.
    pub retry_after_header: Option<&'static str>,
    /// Headers every call sends with a fixed value (single-value enums, `x-rpc`).
    pub headers: &'static [(&'static str, &'static str)],
    /// Where the payload and a reported failure sit in a 2xx body (`x-envelope`).
    pub envelope: Option<Envelope>,
    /// The security alternatives, tried in order: the first whose credential the client has
    /// is used.
    pub auth: &'static [Scheme],
    /// The call may also go out without credentials when the client has none of `auth`'s.
    pub auth_optional: bool,
}

/// A credential as a client holds it, borrowed for one call.
#[derive(Debug, Clone, Copy)]
pub enum Credential<'a> {
    /// For [`SchemeKind::Basic`].
    Basic(&'a BasicAuth),
    /// For [`SchemeKind::Bearer`], [`SchemeKind::Header`] and [`SchemeKind::Query`].
    Secret(&'a Secret),
    /// For [`SchemeKind::Signed`].
    #[cfg(feature = "tc3")]
    Signing(&'a SigningKey),
}

impl<'a> From<&'a BasicAuth> for Credential<'a> {
    fn from(basic: &'a BasicAuth) -> Self {
        Credential::Basic(basic)
    }
}

impl<'a> From<&'a Secret> for Credential<'a> {
    fn from(secret: &'a Secret) -> Self {
        Credential::Secret(secret)
    }
}

#[cfg(feature = "tc3")]
impl<'a> From<&'a SigningKey> for Credential<'a> {
    fn from(key: &'a SigningKey) -> Self {
        Credential::Signing(key)
    }
}

/// Where the runtime finds the credential for a scheme; each generated `Credentials`
/// implements it, one arm per scheme of its spec. `Sync`, so that a call stays `Send`.
pub trait CredentialStore: Sync {
    /// The credential given for the scheme named `scheme`, if any.
    fn credential(&self, scheme: &str) -> Option<Credential<'_>>;
}

/// No credentials at all: for operations whose spec asks for none.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoCredentials;

impl CredentialStore for NoCredentials {
    fn credential(&self, _scheme: &str) -> Option<Credential<'_>> {
        None
    }
}

/// A client-side rate limit declared by the spec (`x-rate-limit`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    /// Calls sharing a bucket share the budget (an operation id, or the API's module name).
    pub bucket: &'static str,
    /// Requests allowed per window.
    pub requests: u32,
    /// The window, in milliseconds.
    pub per_millis: u64,
}

impl Operation {
    /// An operation that declares nothing beyond its method: not idempotent, no rate limit,
    /// no constant header, no envelope, no credentials. Generated descriptions start from it
    /// (`..Operation::new(api, id, method)`) and set what the spec declares.
    pub const fn new(api: &'static str, id: &'static str, method: Method) -> Self {
        Self {
            api,
            id,
            method,
            idempotent: false,
            idempotency_key: None,
            rate_limit: None,
            retry_after_header: None,
            headers: &[],
            envelope: None,
            auth: &[],
            auth_optional: false,
        }
    }

    /// Safe to send again: idempotent, or made so by an idempotency key.
    pub(crate) fn retry_safe(&self) -> bool {
        self.idempotent || self.idempotency_key.is_some()
    }

    /// The first security alternative the client has a credential for (every credential, for
    /// an alternative combining several schemes). A credential of another kind than its scheme
    /// takes (only a hand-written [`CredentialStore`] can give one) counts as absent.
    pub(crate) fn authenticate<'c>(
        &self,
        credentials: &'c dyn CredentialStore,
    ) -> Result<Auth<'c>, RequestError> {
        // The first combined requirement met in part, and the part it lacks: what the error
        // names when no alternative is met, since that is most likely what the caller meant.
        let mut incomplete: Option<(&'static str, &'static str)> = None;
        for scheme in self.auth {
            match resolve(scheme, credentials) {
                Ok(auth) => return Ok(auth),
                Err(Missing::Part(missing)) if incomplete.is_none() => {
                    incomplete = Some((scheme.name, missing));
                }
                Err(_) => {}
            }
        }
        if self.auth.is_empty() || self.auth_optional {
            return Ok(Auth::None);
        }
        Err(match incomplete {
            Some((needs, missing)) => RequestError::IncompleteCredentials { needs, missing },
            None => RequestError::MissingCredentials(SchemeNames(self.auth)),
        })
    }
}

/// Why a scheme's credentials are not at hand.
enum Missing {
    /// None of them is.
    All,
    /// A combined requirement has some of its credentials but not the one of this scheme.
    Part(&'static str),
}

/// How `credentials` meet `scheme`: its credential (each part's, for a combination).
fn resolve<'c>(scheme: &Scheme, credentials: &'c dyn CredentialStore) -> Result<Auth<'c>, Missing> {
    if let SchemeKind::All(parts) = scheme.kind {
        let mut found = Vec::with_capacity(parts.len());
        let mut absent = None;
        for part in parts {
            match resolve(part, credentials) {
                Ok(auth) => found.push(auth),
                Err(Missing::Part(name)) => absent = absent.or(Some(name)),
                Err(Missing::All) => absent = absent.or(Some(part.name)),
            }
        }
        return match absent {
            None => Ok(Auth::All(found)),
            Some(name) if !found.is_empty() => Err(Missing::Part(name)),
            Some(_) => Err(Missing::All),
        };
    }
    let credential = credentials.credential(scheme.name).ok_or(Missing::All)?;
    Ok(match (scheme.kind, credential) {
        (SchemeKind::Basic, Credential::Basic(basic)) => Auth::Basic(basic),
        (SchemeKind::Bearer, Credential::Secret(token)) => Auth::Bearer(token),
        (SchemeKind::Header(name), Credential::Secret(value)) => Auth::Header { name, value },
        (SchemeKind::Query(name), Credential::Secret(value)) => Auth::Query { name, value },
        #[cfg(feature = "tc3")]
        (
            SchemeKind::Signed {
                algorithm,
                service,
                signed_headers,
            },
            Credential::Signing(key),
        ) => Auth::Signed {
            algorithm,
            service,
            signed_headers,
            key,
        },
        _ => return Err(Missing::All),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    static BOTH: &[Scheme] = &[
        Scheme {
            name: "basic",
            kind: SchemeKind::Basic,
        },
        Scheme {
            name: "bearer",
            kind: SchemeKind::Bearer,
        },
    ];

    fn operation(auth_optional: bool) -> Operation {
        Operation {
            auth: BOTH,
            auth_optional,
            ..Operation::new("api", "op", Method::Get)
        }
    }

    struct Only(&'static str, Secret);

    impl CredentialStore for Only {
        fn credential(&self, scheme: &str) -> Option<Credential<'_>> {
            (scheme == self.0).then_some(Credential::Secret(&self.1))
        }
    }

    #[test]
    fn the_first_alternative_given_is_used() {
        let store = Only("bearer", Secret::from("t"));
        let auth = operation(false).authenticate(&store).unwrap();
        assert!(matches!(auth, Auth::Bearer(_)), "{auth:?}");
    }

    static EMAIL_AND_KEY: &[Scheme] = &[
        Scheme {
            name: "api_email and api_key",
            kind: SchemeKind::All(&[
                Scheme {
                    name: "api_email",
                    kind: SchemeKind::Header("X-Auth-Email"),
                },
                Scheme {
                    name: "api_key",
                    kind: SchemeKind::Header("X-Auth-Key"),
                },
            ]),
        },
        Scheme {
            name: "bearer",
            kind: SchemeKind::Bearer,
        },
    ];

    struct Holds(&'static [&'static str], Secret);

    impl CredentialStore for Holds {
        fn credential(&self, scheme: &str) -> Option<Credential<'_>> {
            self.0
                .contains(&scheme)
                .then_some(Credential::Secret(&self.1))
        }
    }

    fn combined() -> Operation {
        Operation {
            auth: EMAIL_AND_KEY,
            ..Operation::new("api", "op", Method::Get)
        }
    }

    #[test]
    fn a_combined_requirement_takes_every_part() {
        let store = Holds(&["api_email", "api_key", "bearer"], Secret::from("t"));
        let auth = combined().authenticate(&store).unwrap();
        let Auth::All(parts) = &auth else {
            panic!("{auth:?}")
        };
        let names: Vec<&str> = parts
            .iter()
            .map(|part| match part {
                Auth::Header { name, .. } => *name,
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(names, ["X-Auth-Email", "X-Auth-Key"]);
    }

    #[test]
    fn a_combined_requirement_met_in_part_falls_back_or_names_the_missing_part() {
        let store = Holds(&["api_email", "bearer"], Secret::from("t"));
        let auth = combined().authenticate(&store).unwrap();
        assert!(matches!(auth, Auth::Bearer(_)), "{auth:?}");
        let store = Holds(&["api_email"], Secret::from("t"));
        let error = combined().authenticate(&store).unwrap_err();
        assert_eq!(
            error.to_string(),
            "missing credentials: this operation sends `api_email and api_key` together, and `api_key` is not set"
        );
        let error = combined().authenticate(&NoCredentials).unwrap_err();
        assert_eq!(
            error.to_string(),
            "missing credentials: this operation needs `(api_email and api_key) or bearer`"
        );
    }

    #[test]
    fn a_credential_of_the_wrong_kind_counts_as_absent() {
        // `basic` takes a BasicAuth, not a Secret.
        let store = Only("basic", Secret::from("t"));
        let error = operation(false).authenticate(&store).unwrap_err();
        assert_eq!(
            error.to_string(),
            "missing credentials: this operation needs `basic or bearer`"
        );
        let auth = operation(true).authenticate(&store).unwrap();
        assert!(matches!(auth, Auth::None));
    }
}
