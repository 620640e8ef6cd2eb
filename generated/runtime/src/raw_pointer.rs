//! JSON pointer lookups over a body's text that build no tree: the value at a pointer comes
//! back as the slice of text it occupies, and everything off the pointer's path is skipped.
//!
//! This is the fast path of every enveloped call (Tencent answers `{"Response": {...}}` and
//! the payload is one member of it): parsing the whole body into a `serde_json::Value` first
//! allocated a map per object and a string per key and value, and weighed more than the
//! typed decoding that followed.

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;
use std::fmt;

/// The text of the value at `pointer` (RFC 6901, `""` for the whole document) in the JSON
/// document `json`: `Ok(None)` when the pointer leads nowhere, `Err` when `json` is not one
/// well-formed JSON value. Resolves exactly as [`serde_json::Value::pointer`] does.
pub(crate) fn find<'a>(
    json: &'a str,
    pointer: &str,
) -> Result<Option<&'a RawValue>, serde_json::Error> {
    let tokens = match pointer {
        "" => None,
        _ => match pointer.strip_prefix('/') {
            Some(rest) => Some(rest),
            // A pointer that does not start with `/` points nowhere (as `Value::pointer`),
            // but the document must still be well-formed.
            None => {
                serde_json::from_str::<IgnoredAny>(json)?;
                return Ok(None);
            }
        },
    };
    let mut deserializer = serde_json::Deserializer::from_str(json);
    let found = Find { tokens }.deserialize(&mut deserializer)?;
    deserializer.end()?;
    Ok(found)
}

/// The rest of a pointer, `/`-separated tokens still escaped; `None` once it is used up.
struct Find<'p> {
    tokens: Option<&'p str>,
}

impl<'p> Find<'p> {
    /// The first token, unescaped, and the seed for what follows it.
    fn split(tokens: &'p str) -> (std::borrow::Cow<'p, str>, Find<'p>) {
        let (token, rest) = match tokens.split_once('/') {
            Some((token, rest)) => (token, Some(rest)),
            None => (tokens, None),
        };
        let token = if token.contains('~') {
            token.replace("~1", "/").replace("~0", "~").into()
        } else {
            token.into()
        };
        (token, Find { tokens: rest })
    }
}

impl<'de> DeserializeSeed<'de> for Find<'_> {
    type Value = Option<&'de RawValue>;

    fn deserialize<D: de::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Self::Value, D::Error> {
        match self.tokens {
            None => <&RawValue as serde::Deserialize>::deserialize(deserializer).map(Some),
            Some(_) => deserializer.deserialize_any(self),
        }
    }
}

impl<'de> Visitor<'de> for Find<'_> {
    type Value = Option<&'de RawValue>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let (token, rest) = Find::split(self.tokens.unwrap_or_default());
        let mut found = None;
        while let Some(matches) = map.next_key_seed(KeyIs(&token))? {
            if matches {
                // A repeated member: the last one counts, as in a parsed `Value`.
                found = map.next_value_seed(Find {
                    tokens: rest.tokens,
                })?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(found)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let (token, rest) = Find::split(self.tokens.unwrap_or_default());
        // As `Value::pointer`: decimal digits, no sign, no leading zero.
        let index = (!(token.starts_with('+') || token.starts_with('0') && token.len() > 1))
            .then(|| token.parse::<usize>().ok())
            .flatten();
        let mut found = None;
        let mut i = 0;
        loop {
            let element = if Some(i) == index {
                seq.next_element_seed(Find {
                    tokens: rest.tokens,
                })?
                .map(|f| found = f)
            } else {
                seq.next_element::<IgnoredAny>()?.map(drop)
            };
            if element.is_none() {
                return Ok(found);
            }
            i += 1;
        }
    }

    // A scalar has no members: the pointer leads nowhere.
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
}

/// Reads one object key and says whether it is the token, without allocating for it.
struct KeyIs<'t>(&'t str);

impl<'de> DeserializeSeed<'de> for KeyIs<'_> {
    type Value = bool;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<bool, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeyIs<'_> {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object key")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<bool, E> {
        Ok(key == self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    const DOCUMENT: &str = r#"{"a": {"b/c": [1, {"d~e": 2}], "": 3, "s": "x\"y"}, "0": 4, "n": null,
        "dup": 1, "dup": 2, "esc\u0061ped": true}"#;

    #[test]
    fn resolves_as_serde_json_does() {
        let value: Value = serde_json::from_str(DOCUMENT).unwrap();
        for pointer in [
            "",
            "/a",
            "/a/b~1c",
            "/a/b~1c/0",
            "/a/b~1c/1/d~0e",
            "/a/",
            "/0",
            "/a/b~1c/01",
            "/a/b~1c/+1",
            "/a/b~1c/2",
            "/x",
            "a",
            "/a/b~1c/0/z",
            "/a/s",
            "/a/s/0",
            "/n",
            "/n/x",
            "/dup",
            "/escaped",
        ] {
            let found = find(DOCUMENT, pointer).unwrap();
            let found: Option<Value> = found.map(|raw| serde_json::from_str(raw.get()).unwrap());
            assert_eq!(found.as_ref(), value.pointer(pointer), "{pointer}");
        }
    }

    #[test]
    fn the_whole_document_must_be_well_formed() {
        for bad in [
            r#"{"a": 1"#,
            r#"{"a": 1} x"#,
            r#"{"a": [1, }"#,
            "",
            r#"{"a": 1, "b": tru}"#,
        ] {
            for pointer in ["", "/a", "/b", "a"] {
                assert!(find(bad, pointer).is_err(), "{bad:?} at {pointer:?}");
            }
        }
    }

    #[test]
    fn a_found_value_is_its_exact_text() {
        let found = find(
            r#"{"Response": {"RequestId": "r-1", "Error": null}}"#,
            "/Response",
        )
        .unwrap();
        assert_eq!(
            found.map(RawValue::get),
            Some(r#"{"RequestId": "r-1", "Error": null}"#)
        );
    }
}
