//! Redaction of secret-looking JSON values in body excerpts.
//!
//! Error messages quote the start of a response body for diagnosis. When a body holding a
//! credential fails to decode (a create-token answer with one unexpected field, say), that
//! excerpt would print the credential. So before an excerpt is shown, the value of every JSON
//! member whose name looks secret is replaced by `"[redacted]"`: strings, numbers, and whole
//! objects or arrays (e.g. Tencent's `ApiTokens: [...]`).
//!
//! A name looks secret when, lower-cased and without `_` and `-`, it contains `token`,
//! `password`, `passwd`, `secret`, `credential`, `authorization`, `cookie`, `signature` or
//! `session`, or ends with `key` (`apiKey`, `api_key`, `SecretKey`, `accessKey`). This errs on
//! the side of hiding (a `tokenType` is hidden too). The scan is lexical and tolerant, so it
//! also works on truncated JSON and on JSON inside an HTML page; a value cut off by the end of
//! the excerpt is hidden to the end. Bodies that are not JSON-like are not redacted.

/// What every secret becomes wherever the runtime shows it (excerpts, `Debug`, dry runs, the CLI).
pub const MARK: &str = "[redacted]";

const REDACTED: &[u8] = b"\"[redacted]\"";

/// Does a JSON member name look like it holds a credential?
pub(crate) fn is_secret_name(name: &[u8]) -> bool {
    let normalized: Vec<u8> = name
        .iter()
        .filter(|b| !matches!(b, b'_' | b'-'))
        .map(u8::to_ascii_lowercase)
        .collect();
    const PARTS: [&[u8]; 9] = [
        b"token",
        b"password",
        b"passwd",
        b"secret",
        b"credential",
        b"authorization",
        b"cookie",
        b"signature",
        b"session",
    ];
    normalized.ends_with(b"key")
        || PARTS
            .iter()
            .any(|part| normalized.windows(part.len()).any(|w| w == *part))
}

/// The end (exclusive) of the string starting with the quote at `start`, and whether it closed.
fn string_end(text: &[u8], start: usize) -> (usize, bool) {
    let mut i = start + 1;
    while i < text.len() {
        match text[i] {
            b'\\' => i += 2,
            b'"' => return (i + 1, true),
            _ => i += 1,
        }
    }
    (text.len(), false)
}

/// The end (exclusive) of the value starting at `start` (after `:` and whitespace).
fn value_end(text: &[u8], start: usize) -> usize {
    match text[start] {
        b'"' => string_end(text, start).0,
        b'{' | b'[' => {
            let mut depth = 0_usize;
            let mut i = start;
            while i < text.len() {
                match text[i] {
                    b'"' => {
                        i = string_end(text, i).0;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return i + 1;
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
            text.len()
        }
        _ => {
            let mut i = start;
            while i < text.len() && !matches!(text[i], b',' | b'}' | b']' | b'"') {
                if text[i].is_ascii_whitespace() {
                    break;
                }
                i += 1;
            }
            i
        }
    }
}

/// Copies `text`, replacing the values of secret-looking members by `"[redacted]"`.
pub(crate) fn redact_json(text: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        if text[i] != b'"' {
            out.push(text[i]);
            i += 1;
            continue;
        }
        let start = i;
        let (end, closed) = string_end(text, start);
        out.extend_from_slice(&text[start..end]);
        i = end;
        if !closed {
            break;
        }
        // A member name is a string followed by `:`.
        let mut j = i;
        while j < text.len() && text[j].is_ascii_whitespace() {
            j += 1;
        }
        if j >= text.len() || text[j] != b':' {
            continue;
        }
        let is_secret = is_secret_name(&text[start + 1..end - 1]);
        j += 1;
        while j < text.len() && text[j].is_ascii_whitespace() {
            j += 1;
        }
        out.extend_from_slice(&text[i..j]);
        i = j;
        if !is_secret || i >= text.len() || text[i..].starts_with(b"null") {
            continue;
        }
        out.extend_from_slice(REDACTED);
        i = value_end(text, i);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn redact(text: &str) -> String {
        String::from_utf8(redact_json(text.as_bytes())).unwrap()
    }

    #[test]
    fn names() {
        for name in [
            "token",
            "apiToken",
            "ApiTokens",
            "access_token",
            "refresh_token",
            "password",
            "secret",
            "SecretKey",
            "api_key",
            "apiKey",
            "key",
            "X-Auth-Key",
        ] {
            assert!(is_secret_name(name.as_bytes()), "{name}");
        }
        for name in ["ttl", "createdAt", "RequestId", "status", "message", "Code"] {
            assert!(!is_secret_name(name.as_bytes()), "{name}");
        }
    }

    #[test]
    fn values_of_secret_members_are_hidden() {
        assert_eq!(
            redact(r#"{"token":"to1abc","ttl":3600}"#),
            r#"{"token":"[redacted]","ttl":3600}"#
        );
        assert_eq!(
            redact(r#"{"Response":{"ApiTokens": ["a","b"], "RequestId":"r-1"}}"#),
            r#"{"Response":{"ApiTokens": "[redacted]", "RequestId":"r-1"}}"#
        );
        assert_eq!(
            redact(r#"{"pin_secret": 1234, "x": {"password": {"a":"}"}}}"#),
            r#"{"pin_secret": "[redacted]", "x": {"password": "[redacted]"}}"#
        );
        assert_eq!(redact(r#"{"token": null}"#), r#"{"token": null}"#);
        assert_eq!(
            redact(r#"{"a\"token":"x","b":"tok\"en"}"#),
            r#"{"a\"token":"[redacted]","b":"tok\"en"}"#
        );
    }

    #[test]
    fn truncated_and_embedded_json() {
        assert_eq!(
            redact(r#"{"access_token":"eyJhbGciOi"#),
            r#"{"access_token":"[redacted]""#
        );
        assert_eq!(
            redact(r#"<pre>{"apiKey": "k-123"}</pre>"#),
            r#"<pre>{"apiKey": "[redacted]"}</pre>"#
        );
        assert_eq!(redact("plain text token: abc"), "plain text token: abc");
        assert_eq!(redact("\""), "\"");
        assert_eq!(redact(r#""token":"#), r#""token":"#);
    }
}
