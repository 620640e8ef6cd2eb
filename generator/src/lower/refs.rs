//! The one `$ref` resolver: local references to `#/components/<section>/<key>`, followed
//! through chains of references, with a located diagnostic when one dangles.

use crate::diagnostic::Findings;
use crate::shape::unescape;
use indexmap::IndexMap;
use openapiv3::{
    Components, Example, OpenAPI, Parameter, ReferenceOr, RequestBody, Response, Schema,
};

/// Longest chain of references followed (a longer one is a cycle in practice).
const MAX_HOPS: usize = 32;

/// An object that can be defined under `components` and referenced.
pub trait Component: Sized {
    /// The section of `components` (`parameters`).
    const SECTION: &'static str;
    /// What it is called in messages (`parameter`).
    const WHAT: &'static str;
    /// Its table in `components`.
    fn table(components: &Components) -> &IndexMap<String, ReferenceOr<Self>>;
}

macro_rules! component {
    ($ty:ty, $section:literal, $what:literal, $field:ident) => {
        impl Component for $ty {
            const SECTION: &'static str = $section;
            const WHAT: &'static str = $what;
            fn table(components: &Components) -> &IndexMap<String, ReferenceOr<Self>> {
                &components.$field
            }
        }
    };
}

component!(Parameter, "parameters", "parameter", parameters);
component!(RequestBody, "requestBodies", "request body", request_bodies);
component!(Response, "responses", "response", responses);
component!(Schema, "schemas", "schema", schemas);
component!(Example, "examples", "example", examples);

/// Follows `item` to its definition; `None` if a reference in the chain dangles or loops.
pub fn follow<'d, T: Component>(
    components: Option<&'d Components>,
    item: &'d ReferenceOr<T>,
) -> Option<&'d T> {
    follow_in(components.map(T::table), item)
}

/// [`follow`] within one section's table.
pub fn follow_in<'d, T: Component>(
    table: Option<&'d IndexMap<String, ReferenceOr<T>>>,
    item: &'d ReferenceOr<T>,
) -> Option<&'d T> {
    let mut current = item;
    for _ in 0..MAX_HOPS {
        match current {
            ReferenceOr::Item(found) => return Some(found),
            ReferenceOr::Reference { reference } => {
                let key = component_key(reference, T::SECTION)?;
                current = table?.get(&key)?;
            }
        }
    }
    None
}

/// Like [`follow`], reporting a reference that does not resolve at `{at}/$ref`.
pub fn resolve<'d, T: Component>(
    doc: &'d OpenAPI,
    item: &'d ReferenceOr<T>,
    at: &str,
    findings: &mut Findings,
) -> Option<&'d T> {
    let found = follow(doc.components.as_ref(), item);
    if found.is_none() {
        if let ReferenceOr::Reference { reference } = item {
            if let Some(other) = defined_elsewhere(doc, reference, T::SECTION) {
                // It exists, as something else: the operation using it cannot be generated,
                // the rest of the spec can.
                findings.unsupported(
                    &format!("{at}/$ref"),
                    format!(
                        "`$ref` `{reference}` points at a {other}, where a {} is expected",
                        T::WHAT
                    ),
                    format!(
                        "point it at a {} under `components.{}`",
                        T::WHAT,
                        T::SECTION
                    ),
                );
                return None;
            }
            findings.error(
                &format!("{at}/$ref"),
                format!("dangling $ref `{reference}`: no such {}", T::WHAT),
                format!(
                    "define it under `components.{}` or fix the reference",
                    T::SECTION
                ),
            );
        }
    }
    found
}

/// What `reference` names when it is defined, but in another section of `components` than
/// `expected` (a response `$ref` into `requestBodies`).
fn defined_elsewhere(doc: &OpenAPI, reference: &str, expected: &str) -> Option<&'static str> {
    let components = doc.components.as_ref()?;
    let rest = reference.strip_prefix("#/components/")?;
    let (section, key) = rest.split_once('/')?;
    if section == expected || key.contains('/') {
        return None;
    }
    let key = unescape(key);
    let (defined, what) = match section {
        Parameter::SECTION => (components.parameters.contains_key(&key), Parameter::WHAT),
        RequestBody::SECTION => (
            components.request_bodies.contains_key(&key),
            RequestBody::WHAT,
        ),
        Response::SECTION => (components.responses.contains_key(&key), Response::WHAT),
        Schema::SECTION => (components.schemas.contains_key(&key), Schema::WHAT),
        Example::SECTION => (components.examples.contains_key(&key), Example::WHAT),
        _ => return None,
    };
    defined.then_some(what)
}

/// The key of a local component reference: `#/components/<section>/<key>` -> `<key>`
/// (unescaped); `None` for any other reference.
pub fn component_key(reference: &str, section: &str) -> Option<String> {
    let rest = reference.strip_prefix("#/components/")?;
    let rest = rest.strip_prefix(section)?.strip_prefix('/')?;
    (!rest.contains('/')).then(|| unescape(rest))
}
