//! Header names and values, checked so that no value can start a new header.

use super::error::RequestError;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

pub(crate) fn parse_header_name(name: &str) -> Result<HeaderName, RequestError> {
    HeaderName::from_bytes(name.as_bytes()).map_err(|_| RequestError::Header {
        name: name.chars().filter(|c| !c.is_control()).take(64).collect(),
        reason: "not a valid header name",
    })
}

pub(crate) fn insert_header(
    headers: &mut HeaderMap,
    name: &str,
    value: &str,
) -> Result<(), RequestError> {
    let header_name = parse_header_name(name)?;
    headers.insert(header_name, header_value(name, value)?);
    Ok(())
}

/// Rejects CR, LF and other control characters: a value must not be able to start a new header.
pub(crate) fn header_value(name: &str, value: &str) -> Result<HeaderValue, RequestError> {
    // `HeaderValue::from_str` refuses exactly the control characters (all but tab, and DEL);
    // the bytes are only looked at again to say why.
    HeaderValue::from_str(value).map_err(|_| RequestError::Header {
        name: name.to_owned(),
        reason: if value.bytes().any(|b| (b < 0x20 && b != b'\t') || b == 0x7f) {
            "contains a control character such as CR or LF"
        } else {
            "not a valid header value"
        },
    })
}

/// [`header_value`] for a value fixed in the program: borrowed, so that neither this call nor
/// any clone of the value allocates.
pub(crate) fn static_header_value(
    name: &str,
    value: &'static str,
) -> Result<HeaderValue, RequestError> {
    // Exactly the bytes `HeaderValue::from_static` accepts (visible ASCII and tab), so it
    // cannot panic; anything else gets `header_value`'s check and message.
    if value.bytes().all(|b| b == b'\t' || (32..127).contains(&b)) {
        Ok(HeaderValue::from_static(value))
    } else {
        header_value(name, value)
    }
}

pub(crate) fn secret_header(name: &str, value: &str) -> Result<HeaderValue, RequestError> {
    let mut value = header_value(name, value)?;
    value.set_sensitive(true);
    Ok(value)
}
