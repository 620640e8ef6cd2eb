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

/// The key of a local component reference: `#/components/<section>/<key>` -> `<key>`
/// (unescaped); `None` for any other reference.
pub fn component_key(reference: &str, section: &str) -> Option<String> {
    let rest = reference.strip_prefix("#/components/")?;
    let rest = rest.strip_prefix(section)?.strip_prefix('/')?;
    (!rest.contains('/')).then(|| unescape(rest))
}
