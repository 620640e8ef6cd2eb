//! The credentials one call sends, registered for that call so that nothing derived from its
//! response or URLs can quote them (see [`Scrubber`]).

use crate::auth::Auth;
use crate::redact::Scrubber;

/// A scrubber of every credential `auth` puts on the request, in every form: the raw values,
/// the base64 of a Basic pair, and (by [`Scrubber::new`]) their path and query encodings.
pub(super) fn scrubber(auth: &Auth<'_>) -> Scrubber {
    match *auth {
        Auth::None => Scrubber::default(),
        Auth::Basic(basic) => Scrubber::basic(basic.username.expose(), basic.password.expose()),
        Auth::Bearer(value) | Auth::Header { value, .. } | Auth::Query { value, .. } => {
            Scrubber::new([value.expose()])
        }
        #[cfg(feature = "tc3")]
        Auth::Signed { key, .. } => Scrubber::new(
            [key.secret_id.expose(), key.secret_key.expose()]
                .into_iter()
                .chain(key.session_token.as_ref().map(|token| token.expose())),
        ),
    }
}
