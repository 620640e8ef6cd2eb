//! Percent-encoding of path segments.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Everything but RFC 3986's unreserved characters is encoded, so a value such as `../admin`,
/// `a/b`, `x?y=1` or `#frag` stays inside one path segment.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Encodes one path parameter as a single path segment.
pub fn path_segment(value: impl std::fmt::Display) -> String {
    let text = value.to_string();
    let encoded = utf8_percent_encode(&text, SEGMENT).to_string();
    // `.` and `..` are unreserved yet would be resolved as dot-segments by URL normalisation.
    // Encoded they still are (`%2E%2E` is a dot-segment to WHATWG URL parsers), so the runtime
    // refuses a request whose path normalisation changed (`RequestError::Path`).
    match encoded.as_str() {
        "." => "%2E".to_owned(),
        ".." => "%2E%2E".to_owned(),
        _ => encoded,
    }
}

#[cfg(test)]
mod tests {
    use super::path_segment;

    #[test]
    fn hostile_values_stay_one_segment() {
        assert_eq!(path_segment("../admin"), "..%2Fadmin");
        assert_eq!(path_segment("a/b"), "a%2Fb");
        assert_eq!(path_segment("x?y=1"), "x%3Fy%3D1");
        assert_eq!(path_segment("#frag"), "%23frag");
        assert_eq!(path_segment(".."), "%2E%2E");
        assert_eq!(path_segment("to1tcm-SF_e.Y~"), "to1tcm-SF_e.Y~");
        assert_eq!(path_segment(42_i64), "42");
    }
}
