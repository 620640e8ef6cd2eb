//! Redaction of secret-looking values in body excerpts, and the per-call scrubber of the
//! credentials a call sent ([`Scrubber`]).
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

use base64::Engine as _;
use std::sync::{Arc, OnceLock};

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

/// Every credential one call sent, in every form it went out in (raw, base64 of a Basic pair,
/// percent-encoded for a path or a query): the one scrubber that every text derived from that
/// call's response or URLs passes through (body excerpts, server messages, decoder reasons,
/// redirect locations), besides the name rule. A server that echoes a credential back, under
/// whatever name or in whatever format, then shows `[redacted]` in its place.
///
/// A credential shorter than [`Scrubber::MIN_LEN`] characters cannot be cut out of a text
/// safely (replacing every `ab` garbles the text, and the places left still hint at the
/// value), so a text that holds one, in any form, is withheld whole: it becomes [`MARK`].
/// Empty credentials reveal nothing and are ignored.
/// Cheap to clone (shared); empty, and allocation-free, for a call without credentials.
///
/// Registering only copies the values: the encoded forms are derived the first time a text
/// needs scrubbing, which the common call (a success that decodes) never does, so it does not
/// pay for base64, two percent-encodings and a sort on every request.
#[derive(Clone, Default)]
pub(crate) struct Scrubber(Option<Arc<Registered>>);

/// The credentials as sent, and their forms once a text has needed them.
struct Registered {
    sent: Box<[Sent]>,
    forms: OnceLock<Forms>,
}

/// Registered forms, long ones longest first so that a form containing another is replaced
/// whole.
struct Forms {
    long: Box<[Box<str>]>,
    /// Forms of credentials shorter than [`Scrubber::MIN_LEN`]: a text holding one is withheld.
    short: Box<[Box<str>]>,
}

/// One credential as it went out.
enum Sent {
    /// A value sent as it is (then percent-encoded where a URL needs it).
    Value(Box<str>),
    /// A Basic pair, sent as `base64(user:password)`.
    BasicPair(Box<str>, Box<str>),
}

impl Scrubber {
    /// The shortest credential cut out of a text; a text holding a shorter one is withheld.
    pub const MIN_LEN: usize = 4;

    /// A scrubber for `credentials` and the encoded forms [`Scrubber::forms`] gives of each.
    #[cfg(test)]
    pub(crate) fn new<'a>(credentials: impl IntoIterator<Item = &'a str>) -> Self {
        Self::of(credentials.into_iter().filter_map(Self::value).collect())
    }

    /// A scrubber for a Basic pair (the user, the password and the base64 of the pair) and
    /// `others`.
    #[cfg(test)]
    pub(crate) fn basic<'a>(
        user: &'a str,
        password: &'a str,
        others: impl IntoIterator<Item = &'a str>,
    ) -> Self {
        Self::of_parts(others, [(user, password)])
    }

    /// A scrubber for `values` and for each Basic pair of `pairs` (the user, the password and
    /// the base64 of the pair): what a request combining several schemes sends.
    pub(crate) fn of_parts<'a>(
        values: impl IntoIterator<Item = &'a str>,
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Self {
        let mut sent: Vec<Sent> = values.into_iter().filter_map(Self::value).collect();
        for (user, password) in pairs {
            sent.extend([user, password].into_iter().filter_map(Self::value));
            sent.push(Sent::BasicPair(user.into(), password.into()));
        }
        Self::of(sent)
    }

    fn value(credential: &str) -> Option<Sent> {
        (!credential.is_empty()).then(|| Sent::Value(credential.into()))
    }

    fn of(sent: Vec<Sent>) -> Self {
        if sent.is_empty() {
            return Self(None);
        }
        Self(Some(Arc::new(Registered {
            sent: sent.into(),
            forms: OnceLock::new(),
        })))
    }

    /// Every form of every credential, sorted by length and split at [`Self::MIN_LEN`];
    /// derived once per call, on first use.
    fn registered_forms(&self) -> Option<&Forms> {
        let registered = self.0.as_deref()?;
        Some(registered.forms.get_or_init(|| registered.derive()))
    }

    /// The raw value, its path-segment encoding and its query (form) encoding.
    fn forms(credential: &str) -> [String; 3] {
        [
            credential.to_owned(),
            crate::encode::path_segment(credential),
            url::form_urlencoded::byte_serialize(credential.as_bytes()).collect(),
        ]
    }

    /// `text` with every registered form replaced by [`MARK`].
    pub(crate) fn scrub_str<'t>(&self, text: &'t str) -> std::borrow::Cow<'t, str> {
        match self.scrub(text.as_bytes()) {
            std::borrow::Cow::Borrowed(_) => std::borrow::Cow::Borrowed(text),
            // Whole UTF-8 forms replaced by ASCII in UTF-8 text: still UTF-8.
            std::borrow::Cow::Owned(bytes) => {
                std::borrow::Cow::Owned(String::from_utf8_lossy(&bytes).into_owned())
            }
        }
    }

    /// `bytes` with every registered form replaced by [`MARK`] (or withheld whole, see above).
    pub(crate) fn scrub<'t>(&self, bytes: &'t [u8]) -> std::borrow::Cow<'t, [u8]> {
        let Some(forms) = self.registered_forms() else {
            return std::borrow::Cow::Borrowed(bytes);
        };
        if forms
            .short
            .iter()
            .any(|form| find(bytes, form.as_bytes(), 0).is_some())
        {
            return std::borrow::Cow::Owned(MARK.as_bytes().to_vec());
        }
        let mut text = std::borrow::Cow::Borrowed(bytes);
        for form in forms.long.iter() {
            let form = form.as_bytes();
            if find(&text, form, 0).is_none() {
                continue;
            }
            let mut out = Vec::with_capacity(text.len());
            let mut at = 0;
            while let Some(found) = find(&text, form, at) {
                out.extend_from_slice(&text[at..found]);
                out.extend_from_slice(MARK.as_bytes());
                at = found + form.len();
            }
            out.extend_from_slice(&text[at..]);
            text = std::borrow::Cow::Owned(out);
        }
        text
    }

    /// The longest registered form, in bytes (0 when none): how far past a cut an excerpt
    /// must look so that a credential across the cut is still found.
    pub(crate) fn longest(&self) -> usize {
        self.registered_forms().map_or(0, |forms| {
            let long = forms.long.first().map_or(0, |form| form.len());
            let short = forms.short.iter().map(|form| form.len()).max();
            long.max(short.unwrap_or(0))
        })
    }

    /// Whether the forms have been derived (tests prove the common path never does).
    #[cfg(test)]
    fn derived(&self) -> bool {
        self.0
            .as_ref()
            .is_some_and(|registered| registered.forms.get().is_some())
    }
}

impl Registered {
    fn derive(&self) -> Forms {
        let mut long: Vec<Box<str>> = Vec::new();
        let mut short: Vec<Box<str>> = Vec::new();
        for sent in self.sent.iter() {
            let pair;
            let credential = match sent {
                Sent::Value(value) => &**value,
                Sent::BasicPair(user, password) => {
                    pair = base64::engine::general_purpose::STANDARD
                        .encode(format!("{user}:{password}"));
                    pair.as_str()
                }
            };
            let list = if credential.chars().count() < Scrubber::MIN_LEN {
                &mut short
            } else {
                &mut long
            };
            for form in Scrubber::forms(credential) {
                if !list.iter().any(|known| **known == *form) {
                    list.push(form.into());
                }
            }
        }
        long.sort_by_key(|form| std::cmp::Reverse(form.len()));
        Forms {
            long: long.into(),
            short: short.into(),
        }
    }
}

/// Scrubbers compare equal whatever they hold: what they hide is not part of a value.
impl PartialEq for Scrubber {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for Scrubber {}

/// Never shows what it holds.
impl std::fmt::Debug for Scrubber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Counting credentials, not forms: `Debug` must not derive what nothing needed yet.
        let count = self
            .0
            .as_ref()
            .map_or(0, |registered| registered.sent.len());
        write!(f, "Scrubber({count} credentials)")
    }
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    haystack
        .get(from..)?
        .windows(needle.len())
        .position(|window| window == needle)
        .map(|i| i + from)
}

/// The name rule for text that is not JSON: in `key=value` pairs (form-encoded, query-like
/// text) and `key: value` lines, the value of a secret-looking key is replaced by
/// `[redacted]`, up to the next `&`, `;`, `,`, quote, whitespace or end of text.
pub(crate) fn redact_pairs(text: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        let is_name = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.');
        if !is_name(text[i]) {
            out.push(text[i]);
            i += 1;
            continue;
        }
        let start = i;
        while i < text.len() && is_name(text[i]) {
            i += 1;
        }
        out.extend_from_slice(&text[start..i]);
        let mut j = i;
        let separator = match text.get(j) {
            Some(b'=') => true,
            Some(b':') => {
                j += 1;
                while text.get(j) == Some(&b' ') {
                    j += 1;
                }
                // `https://`: a scheme, not a pair.
                !text[j.min(text.len())..].starts_with(b"//")
            }
            _ => false,
        };
        if !separator || !is_secret_name(&text[start..i]) {
            continue;
        }
        if text[i] == b'=' {
            j = i + 1;
        }
        out.extend_from_slice(&text[i..j]);
        out.extend_from_slice(MARK.as_bytes());
        i = j;
        while i < text.len()
            && !matches!(text[i], b'&' | b';' | b',' | b'"' | b'\'' | b'<')
            && !text[i].is_ascii_whitespace()
        {
            i += 1;
        }
    }
    out
}

/// The name rule for any body: JSON members when it looks like JSON, else `key=value` pairs.
pub(crate) fn redact_by_name(text: &[u8]) -> Vec<u8> {
    match text.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'{' | b'[') => redact_json(text),
        _ => redact_pairs(text),
    }
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

    #[test]
    fn pairs_of_secret_names_are_hidden_in_text_that_is_not_json() {
        let redact = |text: &str| String::from_utf8(redact_by_name(text.as_bytes())).unwrap();
        assert_eq!(redact("token=to1abc&ttl=10"), "token=[redacted]&ttl=10");
        assert_eq!(
            redact("a=1; api_key: sk_1 next=2"),
            "a=1; api_key: [redacted] next=2"
        );
        assert_eq!(redact("see https://x.example/a"), "see https://x.example/a");
        assert_eq!(redact(r#"{"token":"x"}"#), r#"{"token":"[redacted]"}"#);
    }

    #[test]
    fn the_scrubber_replaces_every_form_of_every_credential() {
        let scrubber = Scrubber::new(["s3cr3t/+ key", ""]);
        let text = "raw s3cr3t/+ key, path s3cr3t%2F%2B%20key, query s3cr3t%2F%2B+key";
        assert_eq!(
            scrubber.scrub_str(text),
            "raw [redacted], path [redacted], query [redacted]",
            "an empty credential is not registered"
        );
        assert!(matches!(
            Scrubber::default().scrub_str("anything"),
            std::borrow::Cow::Borrowed(_)
        ));
        assert_eq!(format!("{scrubber:?}"), "Scrubber(1 credentials)");
    }

    #[test]
    fn forms_are_derived_only_when_a_text_is_scrubbed() {
        let scrubber = Scrubber::basic("alice", "s3cret-pw", []);
        let copy = scrubber.clone();
        assert_eq!(format!("{scrubber:?}"), "Scrubber(3 credentials)");
        assert!(!scrubber.derived(), "registering derived the forms");
        let pair = base64::engine::general_purpose::STANDARD.encode("alice:s3cret-pw");
        assert_eq!(
            scrubber.scrub_str(&format!("user alice, basic {pair}, pw s3cret-pw")),
            "user [redacted], basic [redacted], pw [redacted]"
        );
        assert!(copy.derived(), "a clone shares the forms derived once");
    }

    #[test]
    fn a_text_holding_a_short_credential_is_withheld_whole() {
        let scrubber = Scrubber::new(["a/b", "long-enough"]);
        for text in [
            "error: a/b rejected",
            "path /x/a%2Fb/",
            "q=a%2Fb&long-enough",
        ] {
            assert_eq!(scrubber.scrub_str(text), MARK, "{text}");
        }
        assert_eq!(
            scrubber.scrub_str("no short one, long-enough"),
            "no short one, [redacted]"
        );
        assert_eq!(scrubber.longest(), "long-enough".len());
        // A short password of a Basic pair: its own text is withheld, the pair cut out.
        let basic = Scrubber::basic("alice", "pw", []);
        assert_eq!(basic.scrub_str("password pw"), MARK);
    }
}
