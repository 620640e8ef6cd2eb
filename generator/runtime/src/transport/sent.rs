//! The credentials and secret parameters one call sends, registered for that call so that nothing derived from its
//! response or URLs can quote them (see [`Scrubber`]).

use crate::auth::Auth;
use crate::redact::Scrubber;
use crate::request::Request;

/// A scrubber of every credential `request` puts on the wire, in every form (the raw values,
/// the base64 of a Basic pair, and when a text first needs them their path and query
/// encodings), and of the secret parameters it carries.
pub(super) fn scrubber(request: &Request<'_>) -> Scrubber {
    let mut values: Vec<&str> = request.secrets.iter().map(|value| &**value).collect();
    let mut pairs = Vec::new();
    collect(&request.auth, &mut values, &mut pairs);
    Scrubber::of_parts(values, pairs)
}

/// The secrets `auth` sends: plain values, and Basic pairs (which also go out as base64).
/// Every part of a combined requirement counts, each as if it were sent alone.
fn collect<'a>(auth: &'a Auth<'_>, values: &mut Vec<&'a str>, pairs: &mut Vec<(&'a str, &'a str)>) {
    match auth {
        Auth::None => {}
        Auth::Basic(basic) => pairs.push((basic.username.expose(), basic.password.expose())),
        Auth::Bearer(value) | Auth::Header { value, .. } | Auth::Query { value, .. } => {
            values.push(value.expose());
        }
        #[cfg(feature = "tc3")]
        Auth::Signed { key, .. } => {
            values.extend([key.secret_id.expose(), key.secret_key.expose()]);
            values.extend(key.session_token.as_ref().map(|token| token.expose()));
        }
        Auth::All(parts) => {
            for part in parts {
                collect(part, values, pairs);
            }
        }
    }
}
