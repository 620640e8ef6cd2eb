//! JSON pointer lookups over a body's text that build no tree: the value at a pointer comes
//! back as the slice of text it occupies, and everything off the pointers' paths is skipped.
//!
//! This is the fast path of every enveloped call (Tencent answers `{"Response": {...}}` and
//! the payload is one member of it): parsing the whole body into a `serde_json::Value` first
//! allocated a map per object and a string per key and value, and weighed more than the
//! typed decoding that followed. Several pointers are found in one walk, since an envelope
//! asks for the payload, its discriminator and its required members together.

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;
use std::fmt;

/// How many pointers one walk can look for (an envelope's payload, discriminator and required
/// members, told apart; more fall back to the slow path). Small, because every step of a walk
/// copies the list.
pub(crate) const MANY: usize = 4;

/// What a walk found: the text at each pointer, in the order they were given.
pub(crate) type Found<'a> = [Option<&'a RawValue>; MANY];

/// Up to [`MANY`] distinct pointers, to be found in one walk.
#[derive(Default)]
pub(crate) struct Query<'p> {
    pointers: [&'p str; MANY],
    count: usize,
}

impl<'p> Query<'p> {
    /// Adds `pointer` (once: a pointer added again gets the same slot) and returns the slot
    /// where [`Query::run`] puts its value; `None` when [`MANY`] distinct pointers are in.
    pub(crate) fn add(&mut self, pointer: &'p str) -> Option<usize> {
        if let Some(slot) = self.pointers[..self.count]
            .iter()
            .position(|p| *p == pointer)
        {
            return Some(slot);
        }
        *self.pointers.get_mut(self.count)? = pointer;
        self.count += 1;
        Some(self.count - 1)
    }

    /// Walks `json` once for every pointer added; see [`find_many`].
    pub(crate) fn run<'a>(&self, json: &'a str) -> Result<Found<'a>, serde_json::Error> {
        find_many(json, &self.pointers[..self.count])
    }
}

/// The text of the value at each of `pointers` (RFC 6901, `""` for the whole document) in the
/// JSON document `json`, in their order: `None` where a pointer leads nowhere (or past the
/// first [`MANY`] pointers, which are ignored), `Err` when `json` is not one well-formed JSON
/// value. Resolves exactly as [`serde_json::Value::pointer`] does.
pub(crate) fn find_many<'a>(
    json: &'a str,
    pointers: &[&str],
) -> Result<Found<'a>, serde_json::Error> {
    let mut targets = Targets::default();
    for (slot, pointer) in pointers.iter().enumerate().take(MANY) {
        match *pointer {
            "" => targets.push(slot, None),
            // A pointer that does not start with `/` points nowhere (as `Value::pointer`).
            _ => {
                if let Some(rest) = pointer.strip_prefix('/') {
                    targets.push(slot, Some(rest));
                }
            }
        }
    }
    let mut found = [None; MANY];
    walk_text(json, &targets, &mut found)?;
    Ok(found)
}

/// The text of the value at one pointer; see [`find_many`].
#[cfg(test)]
pub(crate) fn find<'a>(
    json: &'a str,
    pointer: &str,
) -> Result<Option<&'a RawValue>, serde_json::Error> {
    Ok(find_many(json, &[pointer])?[0])
}

fn walk_text<'a>(
    json: &'a str,
    targets: &Targets<'_>,
    found: &mut Found<'a>,
) -> Result<(), serde_json::Error> {
    let mut deserializer = serde_json::Deserializer::from_str(json);
    Walk { targets, found }.deserialize(&mut deserializer)?;
    deserializer.end()
}

/// The pointers still looked for at one node: each one's result slot and the rest of its
/// tokens (still escaped, `/`-separated), `None` when it ends at this node.
#[derive(Default, Clone, Copy)]
struct Targets<'p> {
    items: [(usize, Option<&'p str>); MANY],
    len: usize,
}

impl<'p> Targets<'p> {
    fn push(&mut self, slot: usize, rest: Option<&'p str>) {
        if self.len < MANY {
            self.items[self.len] = (slot, rest);
            self.len += 1;
        }
    }

    fn iter(&self) -> impl Iterator<Item = (usize, Option<&'p str>)> + '_ {
        self.items[..self.len].iter().copied()
    }

    /// The targets whose next token `matches`, one step further down.
    fn step(&self, matches: impl Fn(&str) -> bool) -> Targets<'p> {
        let mut next = Targets::default();
        for (slot, rest) in self.iter() {
            let Some(rest) = rest else { continue };
            let (token, after) = match rest.split_once('/') {
                Some((token, after)) => (token, Some(after)),
                None => (rest, None),
            };
            let hit = if token.contains('~') {
                matches(&token.replace("~1", "/").replace("~0", "~"))
            } else {
                matches(token)
            };
            if hit {
                next.push(slot, after);
            }
        }
        next
    }
}

/// Walks one value for `targets`, writing what it finds into `found`.
struct Walk<'t, 'p, 'o, 'a> {
    targets: &'t Targets<'p>,
    found: &'o mut Found<'a>,
}

impl<'de> DeserializeSeed<'de> for Walk<'_, '_, '_, 'de> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        // A repeated member: the last one counts, as in a parsed `Value`, so whatever an
        // earlier one gave is forgotten.
        for (slot, _) in self.targets.iter() {
            self.found[slot] = None;
        }
        let ends_here = self.targets.iter().any(|(_, rest)| rest.is_none());
        let goes_on = self.targets.iter().any(|(_, rest)| rest.is_some());
        if !ends_here {
            return deserializer.deserialize_any(self);
        }
        let raw = <&RawValue as serde::Deserialize>::deserialize(deserializer)?;
        for (slot, rest) in self.targets.iter() {
            if rest.is_none() {
                self.found[slot] = Some(raw);
            }
        }
        if goes_on {
            // This value is wanted whole and also looked into: walk its text again.
            let mut deeper = Targets::default();
            for (slot, rest) in self.targets.iter() {
                if rest.is_some() {
                    deeper.push(slot, rest);
                }
            }
            walk_text(raw.get(), &deeper, self.found).map_err(de::Error::custom)?;
        }
        Ok(())
    }
}

impl<'de> Visitor<'de> for Walk<'_, '_, '_, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<Key<'de>>()? {
            let next = self.targets.step(|token| token == key.as_str());
            if next.len == 0 {
                map.next_value::<IgnoredAny>()?;
            } else {
                map.next_value_seed(Walk {
                    targets: &next,
                    found: self.found,
                })?;
            }
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut i = 0_usize;
        loop {
            // As `Value::pointer`: decimal digits, no sign, no leading zero.
            let next = self.targets.step(|token| {
                !(token.starts_with('+') || token.starts_with('0') && token.len() > 1)
                    && token.parse::<usize>().ok() == Some(i)
            });
            let more = if next.len == 0 {
                seq.next_element::<IgnoredAny>()?.is_some()
            } else {
                seq.next_element_seed(Walk {
                    targets: &next,
                    found: self.found,
                })?
                .is_some()
            };
            if !more {
                return Ok(());
            }
            i += 1;
        }
    }

    // A scalar has no members: the pointers lead nowhere.
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
}

/// An object key, borrowed from the text unless it had escapes to resolve.
enum Key<'de> {
    Borrowed(&'de str),
    Owned(String),
}

impl Key<'_> {
    fn as_str(&self) -> &str {
        match self {
            Key::Borrowed(key) => key,
            Key::Owned(key) => key,
        }
    }
}

impl<'de> serde::Deserialize<'de> for Key<'de> {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object key")
            }
            fn visit_borrowed_str<E: de::Error>(self, key: &'de str) -> Result<Key<'de>, E> {
                Ok(Key::Borrowed(key))
            }
            fn visit_str<E: de::Error>(self, key: &str) -> Result<Key<'de>, E> {
                Ok(Key::Owned(key.to_owned()))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

/// A document and pointers into it that exercise every rule of RFC 6901 and of
/// `Value::pointer`; shared with `envelope`'s own pointer lookup.
#[cfg(test)]
pub(crate) mod cases {
    pub(crate) const DOCUMENT: &str = r#"{"a": {"b/c": [1, {"d~e": 2}], "": 3, "s": "x\"y"}, "0": 4, "n": null,
        "dup": 1, "dup": 2, "esc\u0061ped": true, "r": {"x": 1}, "r": {"y": 2}}"#;

    pub(crate) const POINTERS: [&str; 23] = [
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
        "/r",
        "/r/x",
        "/r/y",
        "/a/b~1c/1",
    ];
}

#[cfg(test)]
mod tests {
    use super::cases::{DOCUMENT, POINTERS};
    use super::*;
    use serde_json::Value;

    fn parsed(raw: Option<&RawValue>) -> Option<Value> {
        raw.map(|raw| serde_json::from_str(raw.get()).unwrap())
    }

    #[test]
    fn resolves_as_serde_json_does() {
        let value: Value = serde_json::from_str(DOCUMENT).unwrap();
        for pointer in POINTERS {
            let found = parsed(find(DOCUMENT, pointer).unwrap());
            assert_eq!(found.as_ref(), value.pointer(pointer), "{pointer}");
        }
    }

    /// Any set of pointers walked together finds what each finds alone, whatever their
    /// overlap (a pointer and one below it, twice the same pointer).
    #[test]
    fn several_pointers_in_one_walk_find_what_each_finds_alone() {
        let value: Value = serde_json::from_str(DOCUMENT).unwrap();
        for start in 0..POINTERS.len() {
            for width in 1..=MANY {
                let chosen: Vec<&str> = (0..width)
                    .map(|i| POINTERS[(start + i * 3) % POINTERS.len()])
                    .collect();
                let found = find_many(DOCUMENT, &chosen).unwrap();
                for (i, pointer) in chosen.iter().enumerate() {
                    assert_eq!(
                        parsed(found[i]).as_ref(),
                        value.pointer(pointer),
                        "{chosen:?}"
                    );
                }
            }
        }
        let same = find_many(DOCUMENT, &["/a/s", "/a/s", "/a", "/a/s"]).unwrap();
        assert_eq!(same[0].map(RawValue::get), Some(r#""x\"y""#));
        assert_eq!(same[3].map(RawValue::get), Some(r#""x\"y""#));
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
