//! `$ref`s are JSON pointers (RFC 6901) into the document, not only names of components: a
//! reference to `#/components/schemas/Tag/allOf/0`, `#/components/parameters/x/schema` or
//! `#/paths/~1a/get/responses/200/content/application~1json/schema` is as valid as one to
//! `#/components/schemas/Tag`. The lowering resolves component names, so each such target is
//! copied once into its `components` section under a name made from its pointer, and the
//! references to it are rewritten to that name. A pointer that leads nowhere is left as it is,
//! for the lowering to report once, at the `$ref`.

use crate::diagnostic::{escape, Diagnostic};
use crate::shape::{unescape, Kind};
use serde_json::{Map, Value};
use std::collections::HashMap;

/// The `components` section that holds objects of `kind`, for the kinds a `$ref` may stand for.
fn section(kind: Kind) -> Option<&'static str> {
    Some(match kind {
        Kind::Schema => "schemas",
        Kind::Parameter => "parameters",
        Kind::Response => "responses",
        Kind::RequestBody => "requestBodies",
        Kind::Header => "headers",
        Kind::Example => "examples",
        Kind::Link => "links",
        Kind::Callback => "callbacks",
        _ => return None,
    })
}

/// Hoisting rounds: a copied target may hold deep references of its own.
const MAX_ROUNDS: usize = 16;

/// Rewrites every local `$ref` deeper than a component name so that it names a component.
/// Returns each copy's pointer with the pointer of what it copies, so that findings inside a
/// copy are shown where the spec wrote it.
pub fn hoist_deep_references(raw: &mut Value) -> Vec<(String, String)> {
    let mut hoisted: HashMap<(&'static str, String), String> = HashMap::new();
    for _ in 0..MAX_ROUNDS {
        let mut deep: Vec<(&'static str, String)> = Vec::new();
        super::walk::objects(raw, &mut |kind, _, object| {
            let (Some(section), Some(Value::String(reference))) =
                (section(kind), object.get("$ref"))
            else {
                return;
            };
            if is_deep(reference) {
                deep.push((section, reference.clone()));
            }
        });
        deep.retain(|key| !hoisted.contains_key(key));
        if deep.is_empty() && hoisted.is_empty() {
            return Vec::new();
        }
        let mut added = false;
        for (section, reference) in deep {
            let Some(found) = target(&reference).and_then(|p| raw.pointer(&p)).cloned() else {
                continue;
            };
            let name = free_name(raw, section, &name_for(raw, &reference));
            let table = raw
                .as_object_mut()
                .map(|doc| doc.entry("components").or_insert_with(|| Map::new().into()))
                .and_then(Value::as_object_mut)
                .map(|c| c.entry(section).or_insert_with(|| Map::new().into()))
                .and_then(Value::as_object_mut);
            if let Some(table) = table {
                table.insert(name.clone(), found);
                hoisted.insert((section, reference), name);
                added = true;
            }
        }
        rewrite(raw, &hoisted);
        if !added {
            break;
        }
    }
    hoisted
        .into_iter()
        .filter_map(|((section, reference), name)| {
            let copy = format!("/components/{section}/{}", escape(&name));
            Some((copy, target(&reference)?))
        })
        .collect()
}

/// Reports every local schema `$ref` that leads nowhere, once, where it is written, and makes
/// the schema holding it a schema of any value: merged into `allOf`s or lowered again from
/// several places it would otherwise be reported once per use (at pointers that are not the
/// `$ref`'s) or taken for a merge that never ends. The error still refuses the spec.
pub fn dangling_schema_references(raw: &mut Value) -> Vec<Diagnostic> {
    // Every local schema reference first, then the ones that lead nowhere in the document as
    // it was: the walk cannot look up while it holds the document, and copying the whole
    // document to look up in (and dropping the copy) cost as much as the walk itself.
    let mut local: Vec<(String, String, String)> = Vec::new();
    super::walk::objects(raw, &mut |kind, at, object| {
        if kind != Kind::Schema {
            return;
        }
        let Some(Value::String(reference)) = object.get("$ref") else {
            return;
        };
        if let Some(pointer) = target(reference) {
            local.push((at.to_owned(), reference.clone(), pointer));
        }
    });
    let found: Vec<(String, String)> = local
        .into_iter()
        .filter(|(_, _, pointer)| raw.pointer(pointer).is_none())
        .map(|(at, reference, _)| (at, reference))
        .collect();
    for (at, _) in &found {
        if let Some(object) = raw.pointer_mut(at).and_then(Value::as_object_mut) {
            object.remove("$ref");
        }
    }
    found
        .into_iter()
        .map(|(at, reference)| {
            let help = match crate::lower::refs::component_key(&reference, "schemas") {
                Some(key) => format!("define `components.schemas.{key}` or fix the reference"),
                None => "the JSON pointer leads nowhere in this document: point it at a schema that exists".to_owned(),
            };
            Diagnostic::new(
                format!("{at}/$ref"),
                format!("dangling $ref `{reference}`: no such schema"),
            )
            .help(help)
        })
        .collect()
}

/// Whether `reference` is local and not simply `#/components/<section>/<name>` (a name of
/// another section than the one expected, such as a response `$ref` into `requestBodies`, is a
/// different question, left to the lowering).
fn is_deep(reference: &str) -> bool {
    let Some(rest) = reference.strip_prefix("#/") else {
        return false;
    };
    match rest
        .strip_prefix("components/")
        .and_then(|c| c.split_once('/'))
    {
        Some((_, name)) => name.contains('/'),
        None => true,
    }
}

/// The JSON pointer of a local reference, percent-decoded (a URI fragment may encode `{`, `}`
/// and spaces), when it names something in the document.
pub(super) fn target(reference: &str) -> Option<String> {
    let fragment = reference.strip_prefix('#')?;
    Some(percent_decode(fragment))
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_owned())
}

/// A readable component name for the target of `reference`: the pointer's own words, with an
/// operation's path and method replaced by its `operationId`, and media types left out.
fn name_for(raw: &Value, reference: &str) -> String {
    let pointer = target(reference).unwrap_or_default();
    let segments: Vec<String> = pointer.split('/').skip(1).map(unescape).collect();
    let mut words: Vec<String> = Vec::new();
    let mut rest: &[String] = &segments;
    if let [components, _section, tail @ ..] = rest {
        if components == "components" {
            rest = tail;
        }
    }
    if let [paths, path, method, tail @ ..] = rest {
        if paths == "paths" {
            let op = format!("/paths/{}/{}", escape(path), escape(method));
            match raw
                .pointer(&format!("{op}/operationId"))
                .and_then(Value::as_str)
            {
                Some(id) => words.push(id.to_owned()),
                None => words.extend([method.clone(), path.clone()]),
            }
            rest = tail;
        }
    }
    let mut skip_next = false;
    for segment in rest {
        if std::mem::take(&mut skip_next) {
            continue;
        }
        // `content/<media type>` says where, not what.
        if segment == "content" {
            skip_next = true;
            continue;
        }
        words.push(segment.clone());
    }
    words.join(" ")
}

/// `wanted`, or `wanted 2`, `wanted 3`...: the first name not yet taken in the section.
fn free_name(raw: &Value, section: &str, wanted: &str) -> String {
    let taken = |name: &str| {
        raw.pointer(&format!("/components/{section}/{}", escape(name)))
            .is_some()
    };
    let mut name = wanted.to_owned();
    let mut n = 2;
    while taken(&name) {
        name = format!("{wanted} {n}");
        n += 1;
    }
    name
}

/// Points every hoisted reference at its copy.
fn rewrite(raw: &mut Value, hoisted: &HashMap<(&'static str, String), String>) {
    super::walk::objects(raw, &mut |kind, _, object| {
        let Some(section) = section(kind) else {
            return;
        };
        let Some(Value::String(reference)) = object.get_mut("$ref") else {
            return;
        };
        if let Some(name) = hoisted.get(&(section, reference.clone())) {
            *reference = format!("#/components/{section}/{}", escape(name));
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn deep_references_name_components() {
        let mut raw = json!({
            "paths": {"/a": {"get": {
                "operationId": "getA",
                "parameters": [{"$ref": "#/components/parameters/x"}],
                "responses": {"200": {"description": "ok", "content": {"application/json": {
                    "schema": {"type": "object", "properties": {
                        "tag": {"$ref": "#/components/schemas/Tag/allOf/0"},
                        "x": {"$ref": "#/components/parameters/x/schema"},
                        "gone": {"$ref": "#/components/schemas/Tag/allOf/9"},
                        "odd": {"$ref": "#/components/schemas/a~1b~0c"},
                    }}
                }}}}
            }}},
            "components": {
                "parameters": {"x": {"name": "x", "in": "query", "schema": {"type": "string"}}},
                "schemas": {
                    "Tag": {"allOf": [{"type": "object"}, {"description": "d"}]},
                    "a/b~c": {"type": "string"},
                    "Echo": {"$ref": "#/paths/~1a/get/responses/200/content/application~1json/schema"},
                }
            }
        });
        let aliases = hoist_deep_references(&mut raw);
        assert!(aliases.contains(&(
            "/components/schemas/Tag allOf 0".to_owned(),
            "/components/schemas/Tag/allOf/0".to_owned()
        )));
        let props = &raw["paths"]["/a"]["get"]["responses"]["200"]["content"]["application/json"]
            ["schema"]["properties"];
        assert_eq!(props["tag"]["$ref"], "#/components/schemas/Tag allOf 0");
        assert_eq!(props["x"]["$ref"], "#/components/schemas/x schema");
        assert_eq!(props["gone"]["$ref"], "#/components/schemas/Tag/allOf/9");
        assert_eq!(props["odd"]["$ref"], "#/components/schemas/a~1b~0c");
        let schemas = &raw["components"]["schemas"];
        assert_eq!(schemas["Tag allOf 0"], json!({"type": "object"}));
        assert_eq!(schemas["x schema"], json!({"type": "string"}));
        assert_eq!(
            schemas["Echo"]["$ref"],
            "#/components/schemas/getA responses 200 schema"
        );
        // The copy's own deep references were rewritten too.
        assert_eq!(
            schemas["getA responses 200 schema"]["properties"]["tag"]["$ref"],
            "#/components/schemas/Tag allOf 0"
        );
    }

    #[test]
    fn dangling_schema_references_reported_once_each() {
        let mut raw = json!({"components": {"schemas": {
            "A": {"allOf": [{"$ref": "#/components/schemas/B/allOf/5"}, {"$ref": "#/components/schemas/B"}]},
            "B": {"type": "object", "properties": {"c": {"$ref": "#/components/schemas/Gone", "description": "d"}}},
        }}});
        let found = dangling_schema_references(&mut raw);
        let at: Vec<&str> = found.iter().map(|d| d.pointer.as_str()).collect();
        assert_eq!(
            at,
            [
                "/components/schemas/A/allOf/0/$ref",
                "/components/schemas/B/properties/c/$ref"
            ]
        );
        assert_eq!(raw["components"]["schemas"]["A"]["allOf"][0], json!({}));
        assert_eq!(
            raw["components"]["schemas"]["B"]["properties"]["c"],
            json!({"description": "d"})
        );
        assert_eq!(
            raw["components"]["schemas"]["A"]["allOf"][1]["$ref"],
            "#/components/schemas/B"
        );
    }

    #[test]
    fn percent_encoded_fragments() {
        assert_eq!(percent_decode("/paths/~1a~1%7Bid%7D"), "/paths/~1a~1{id}");
        assert_eq!(percent_decode("/a%2"), "/a%2");
    }
}
