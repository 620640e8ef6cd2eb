//! The security schemes an operation declares, as data: what the runtime applies and what
//! error messages name. A leaf: credentials (`auth`, `signing`) and errors read it.

use std::fmt;

/// A security scheme of the spec: its name (the key in `components.securitySchemes`, which
/// is also how [`CredentialStore::credential`](crate::CredentialStore::credential) is asked for it) and how it is applied.
#[derive(Debug, Clone, Copy)]
pub struct Scheme {
    /// The scheme's key in the spec.
    pub name: &'static str,
    /// How the credential goes on the request.
    pub kind: SchemeKind,
}

/// How a scheme's credential goes on a request.
#[derive(Debug, Clone, Copy)]
pub enum SchemeKind {
    /// Several schemes sent together (a security requirement naming more than one, such as
    /// an e-mail header plus a key header): each part's credential is asked for by its own
    /// name and all of them go on the request; lacking any, the requirement is not met. The
    /// [`Scheme::name`] of such a scheme only names it in messages (`api_email and api_key`).
    All(&'static [Scheme]),
    /// `Authorization: Basic`, from a [`BasicAuth`](crate::BasicAuth).
    Basic,
    /// `Authorization: Bearer`, from a [`Secret`](crate::Secret).
    Bearer,
    /// A [`Secret`](crate::Secret) in the named header.
    Header(&'static str),
    /// A [`Secret`](crate::Secret) in the named query parameter.
    Query(&'static str),
    /// A signature computed with a [`SigningKey`](crate::SigningKey).
    #[cfg(feature = "tc3")]
    Signed {
        /// The algorithm.
        algorithm: SigningAlgorithm,
        /// The service name of the credential scope.
        service: &'static str,
        /// The lower-case names of the headers covered by the signature.
        signed_headers: &'static [&'static str],
    },
}

#[cfg(feature = "tc3")]
/// Which signing algorithm a scheme declares (`x-signing.algorithm`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SigningAlgorithm {
    /// Tencent Cloud API 3.0 signature v3.
    Tc3HmacSha256,
}

/// The names of an operation's security alternatives, for messages (`basic or bearer`).
#[derive(Clone, Copy)]
pub struct SchemeNames(pub(crate) &'static [Scheme]);

impl fmt::Display for SchemeNames {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let alternatives = self.0.len();
        for (n, scheme) in self.0.iter().enumerate() {
            if n > 0 {
                f.write_str(" or ")?;
            }
            // `(a and b) or c`: a combined requirement is one alternative.
            if matches!(scheme.kind, SchemeKind::All(_)) && alternatives > 1 {
                write!(f, "({})", scheme.name)?;
            } else {
                f.write_str(scheme.name)?;
            }
        }
        Ok(())
    }
}

impl fmt::Debug for SchemeNames {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "\"{self}\"")
    }
}
