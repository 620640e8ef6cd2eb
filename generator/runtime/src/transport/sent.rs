//! The credentials and secret parameters one call sends, registered for that call so that nothing derived from its
//! response or URLs can quote them (see [`Scrubber`]).

use crate::auth::Auth;
use crate::redact::Scrubber;
use crate::request::Request;

/// A scrubber of every credential `request` puts on the wire, in every form (the raw values,
/// the base64 of a Basic pair, and when a text first needs them their path and query
/// encodings), and of the secret parameters it carries.
pub(super) fn scrubber(request: &Request<'_>) -> Scrubber {
    let secrets = request.secrets.iter().map(|value| &**value);
    match request.auth {
        Auth::None => Scrubber::new(secrets),
        Auth::Basic(basic) => {
            Scrubber::basic(basic.username.expose(), basic.password.expose(), secrets)
        }
        Auth::Bearer(value) | Auth::Header { value, .. } | Auth::Query { value, .. } => {
            Scrubber::new(secrets.chain([value.expose()]))
        }
        #[cfg(feature = "tc3")]
        Auth::Signed { key, .. } => Scrubber::new(
            secrets
                .chain([key.secret_id.expose(), key.secret_key.expose()])
                .chain(key.session_token.as_ref().map(|token| token.expose())),
        ),
    }
}
