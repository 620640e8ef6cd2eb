//! `Debug` of generated models, redacted by the rule that redacts error excerpts: the value of
//! a member whose name looks secret (see [`redact`](super::redact)) is shown as `[redacted]`,
//! in named fields and in the properties a model keeps without naming them
//! (`additional_properties`), at any depth. Generated `Debug` impls are one call into here.

use super::redact::is_secret_name;
use serde_json::{Map, Value};
use std::fmt;

use crate::redact::MARK as REDACTED;

/// Writes `Debug` of a generated model: `fields` as (Rust name, wire name, value), then the
/// unnamed properties, if the model keeps them.
pub fn debug_model(
    f: &mut fmt::Formatter<'_>,
    name: &str,
    fields: &[(&str, &str, &dyn fmt::Debug)],
    extra: Option<(&str, &Map<String, Value>)>,
) -> fmt::Result {
    let mut out = f.debug_struct(name);
    for (field, wire, value) in fields {
        if is_secret_name(wire.as_bytes()) || is_secret_name(field.as_bytes()) {
            out.field(field, &Redacted(value));
        } else {
            out.field(field, value);
        }
    }
    if let Some((field, map)) = extra {
        out.field(field, &RedactedMap(map));
    }
    out.finish()
}

/// A secret-named value: `None` stays visible (knowing a token is absent is no leak).
struct Redacted<'a>(&'a dyn fmt::Debug);

impl fmt::Debug for Redacted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if format!("{:?}", self.0) == "None" {
            f.write_str("None")
        } else {
            f.write_str(REDACTED)
        }
    }
}

struct RedactedMap<'a>(&'a Map<String, Value>);

impl fmt::Debug for RedactedMap<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for (key, value) in self.0 {
            if is_secret_name(key.as_bytes()) && !value.is_null() {
                map.entry(key, &format_args!("{REDACTED}"));
            } else {
                map.entry(key, &RedactedJson(value));
            }
        }
        map.finish()
    }
}

/// A JSON value whose nested secret-named members are redacted.
pub struct RedactedJson<'a>(pub &'a Value);

impl fmt::Debug for RedactedJson<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Value::Object(map) => RedactedMap(map).fmt(f),
            Value::Array(items) => f
                .debug_list()
                .entries(items.iter().map(RedactedJson))
                .finish(),
            other => fmt::Debug::fmt(other, f),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    struct Model {
        id: String,
        refresh_token: Option<String>,
        api_key: Option<String>,
        extra: Map<String, Value>,
    }

    impl fmt::Debug for Model {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            debug_model(
                f,
                "Model",
                &[
                    ("id", "id", &self.id),
                    ("refresh_token", "refreshToken", &self.refresh_token),
                    ("api_key", "apiKey", &self.api_key),
                ],
                Some(("additional_properties", &self.extra)),
            )
        }
    }

    #[test]
    fn secret_names_are_redacted_in_fields_and_extras_at_any_depth() {
        let Value::Object(extra) = json!({
            "apiKey": "k-SECRET",
            "note": "visible",
            "nested": {"password": "p-SECRET", "list": [{"token": "t-SECRET"}], "n": 1},
            "session": null
        }) else {
            unreachable!()
        };
        let model = Model {
            id: "rec-1".to_owned(),
            refresh_token: Some("r-SECRET".to_owned()),
            api_key: None,
            extra,
        };
        let text = format!("{model:?}");
        assert!(!text.contains("SECRET"), "{text}");
        assert!(text.contains("rec-1") && text.contains("visible"), "{text}");
        assert!(text.contains("api_key: None"), "{text}");
        assert!(text.contains("\"session\": Null"), "{text}");
        let pretty = format!("{model:#?}");
        assert!(!pretty.contains("SECRET"), "{pretty}");
    }
}
