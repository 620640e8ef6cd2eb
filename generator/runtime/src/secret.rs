//! A string that never shows itself in `Debug` or `Display`.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A credential or token value: API keys, passwords, JWTs, the token a vendor just minted.
///
/// `Debug` and `Display` print `[redacted]`, so a `{:?}` in a log line or an error chain never
/// leaks it. Call [`Secret::expose`] where the value is really needed.
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct Secret(String);

impl Secret {
    /// Wraps a value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The value itself; every call site is a place where the secret leaves its wrapper.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Unwraps into the plain string.
    pub fn into_inner(self) -> String {
        self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(crate::redact::MARK)
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

impl Serialize for Secret {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        SENT.with(|sent| {
            if let Some(sent) = sent.borrow_mut().as_mut() {
                sent.push(self.0.as_str().into());
            }
        });
        serializer.serialize_str(&self.0)
    }
}

thread_local! {
    /// The secrets serialized by the [`serialized_with_secrets`] running on this thread.
    static SENT: std::cell::RefCell<Option<Vec<Box<str>>>> = const { std::cell::RefCell::new(None) };
}

/// Runs `serialize` (a request body's serialization) and returns, besides its result, every
/// [`Secret`] it wrote, however deeply nested: the call registers them with its scrubber, so
/// a server echoing a password or key from the body shows `[redacted]` in its place. One rule
/// for every body field the spec marks `x-secret`, with nothing per field in generated code.
/// Serialization is synchronous, so a thread-local collects exactly this body's secrets.
pub(crate) fn serialized_with_secrets<R>(serialize: impl FnOnce() -> R) -> (R, Vec<Box<str>>) {
    let outer = SENT.with(|sent| sent.borrow_mut().replace(Vec::new()));
    let result = serialize();
    let collected = SENT.with(|sent| std::mem::replace(&mut *sent.borrow_mut(), outer));
    (result, collected.unwrap_or_default())
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_are_redacted() {
        let secret = Secret::new("sk_live_123");
        assert_eq!(format!("{secret:?}"), "Secret([redacted])");
        assert_eq!(secret.to_string(), "[redacted]");
        assert_eq!(secret.expose(), "sk_live_123");
    }

    #[test]
    fn a_body_s_secrets_are_collected_however_nested() {
        #[derive(Serialize)]
        struct Body {
            name: &'static str,
            keys: Vec<Secret>,
            password: Option<Secret>,
        }
        let body = Body {
            name: "visible",
            keys: vec![Secret::new("key-one"), Secret::new("key-two")],
            password: Some(Secret::new("pw-three")),
        };
        let (json, secrets) = serialized_with_secrets(|| serde_json::to_string(&body));
        assert!(json.unwrap().contains("key-two"));
        let expected: Vec<Box<str>> = vec!["key-one".into(), "key-two".into(), "pw-three".into()];
        assert_eq!(secrets, expected);
        // Outside a collection nothing is kept.
        let (_, none) = serialized_with_secrets(|| ());
        assert!(none.is_empty());
        assert!(serde_json::to_string(&body).is_ok());
        assert!(SENT.with(|sent| sent.borrow().is_none()));
    }

    #[test]
    fn serde_is_transparent() {
        let secret: Secret = serde_json::from_str("\"abc\"").unwrap();
        assert_eq!(secret.expose(), "abc");
        assert_eq!(serde_json::to_string(&secret).unwrap(), "\"abc\"");
    }
}
