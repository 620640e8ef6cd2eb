//! Header names and values, checked so that no value can start a new header.

use super::error::RequestError;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

pub(crate) fn parse_header_name(name: &str) -> Result<HeaderName, RequestError> {
    HeaderName::from_bytes(name.as_bytes()).map_err(|_| RequestError::Header {
        name: name.chars().filter(|c| !c.is_control()).take(64).collect(),
        reason: "not a valid header name",
    })
}

/// [`parse_header_name`] for a name fixed in the program: borrowed when it is already in lower
/// case (as generated code writes them), so that neither this call nor any clone of the name
/// allocates.
pub(crate) fn static_header_name(name: &'static str) -> Result<HeaderName, RequestError> {
    // A subset of what `HeaderName::from_static` accepts (lower-case token characters, and a
    // length well within its limit), so it cannot panic; anything else is parsed as usual.
    let borrowable = !name.is_empty()
        && name.len() <= 64
        && name.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || b"!#$%&'*+-.^_`|~".contains(&b)
        });
    if borrowable {
        Ok(HeaderName::from_static(name))
    } else {
        parse_header_name(name)
    }
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
    // No early return, so that the loop vectorizes (as `http`'s own check).
    let mut visible = true;
    for b in value.bytes() {
        visible &= b == b'\t' || (32..127).contains(&b);
    }
    if visible {
        Ok(HeaderValue::from_static(value))
    } else {
        header_value(name, value)
    }
}

/// [`header_value`]'s check without building the value (nor allocating): for credentials,
/// checked once per call before anything is sent.
pub(crate) fn check_value(name: &str, value: &str) -> Result<(), RequestError> {
    // The bytes `HeaderValue::from_str` accepts; anything else gets its message.
    let mut valid = true;
    for b in value.bytes() {
        valid &= b == b'\t' || (b >= 32 && b != 127);
    }
    if valid {
        Ok(())
    } else {
        header_value(name, value).map(drop)
    }
}

pub(crate) fn secret_header(name: &str, value: &str) -> Result<HeaderValue, RequestError> {
    let mut value = header_value(name, value)?;
    value.set_sensitive(true);
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The checks that skip `HeaderValue::from_str` accept exactly what it accepts.
    #[test]
    fn allocation_free_checks_agree_with_http() {
        let chars = (0..0x800)
            .filter_map(char::from_u32)
            .chain(['\u{FFFD}', '😀']);
        for c in chars {
            let value = format!("a{c}b");
            let http = HeaderValue::from_str(&value);
            assert_eq!(check_value("x", &value).is_ok(), http.is_ok(), "{c:?}");
            let leaked: &'static str = Box::leak(value.clone().into_boxed_str());
            let borrowed = static_header_value("x", leaked);
            assert_eq!(borrowed.as_ref().ok(), http.as_ref().ok(), "{c:?}");

            let name = format!("x-{c}");
            let leaked: &'static str = Box::leak(name.clone().into_boxed_str());
            let parsed = HeaderName::from_bytes(name.as_bytes());
            let borrowed = static_header_name(leaked);
            assert_eq!(borrowed.as_ref().ok(), parsed.as_ref().ok(), "{c:?}");
        }
        // Upper case is parsed (and lower-cased), not borrowed.
        assert_eq!(static_header_name("X-TC-Action").unwrap(), "x-tc-action");
        assert!(static_header_name("").is_err());
    }
}
