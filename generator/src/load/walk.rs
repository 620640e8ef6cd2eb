//! A mutable walk over the raw document by the kinds of OpenAPI objects (`shape::Kind`), for the
//! rewrites done before the typed parse (3.1 normalisation, numbers, deep references).

use crate::shape::{Child, Kind};
use serde_json::{Map, Value};

/// Calls `visit` on every object of the document with its kind and RFC 6901 pointer, parents
/// before children; the children walked are those present after `visit` returns. Reference
/// objects are visited too (their only child is the `$ref` string). 3.1's `webhooks` and
/// `components.pathItems` are walked as path items.
pub fn objects(doc: &mut Value, visit: &mut impl FnMut(Kind, &str, &mut Map<String, Value>)) {
    let mut pointer = String::new();
    walk(doc, Kind::Document, &mut pointer, visit);
}

fn child_of(kind: Kind, key: &str) -> Child {
    match (kind, key) {
        (Kind::Document, "webhooks") | (Kind::Components, "pathItems") => {
            Child::Map(Kind::PathItem)
        }
        _ => kind.child(key),
    }
}

fn walk(
    value: &mut Value,
    kind: Kind,
    pointer: &mut String,
    visit: &mut impl FnMut(Kind, &str, &mut Map<String, Value>),
) {
    let Value::Object(map) = value else { return };
    visit(kind, pointer, map);
    for (key, child) in map.iter_mut() {
        if key.starts_with("x-") {
            continue;
        }
        let len = pointer.len();
        push(pointer, key);
        match (child_of(kind, key), child) {
            (Child::One(kind), child) => walk(child, kind, pointer, visit),
            (Child::Map(kind), Value::Object(items)) => {
                for (name, item) in items.iter_mut() {
                    let len = pointer.len();
                    push(pointer, name);
                    walk(item, kind, pointer, visit);
                    pointer.truncate(len);
                }
            }
            (Child::List(kind), Value::Array(items)) => {
                for (i, item) in items.iter_mut().enumerate() {
                    let len = pointer.len();
                    pointer.push('/');
                    pointer.push_str(&i.to_string());
                    walk(item, kind, pointer, visit);
                    pointer.truncate(len);
                }
            }
            _ => {}
        }
        pointer.truncate(len);
    }
}

fn push(pointer: &mut String, key: &str) {
    pointer.push('/');
    crate::diagnostic::escape_into(pointer, key);
}
