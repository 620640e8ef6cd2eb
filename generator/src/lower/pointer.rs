//! RFC 6901 JSON pointers: the one place that splits and unescapes them, and the one walk of a
//! pointer through lowered types (used by `x-envelope` payloads and `x-pagination` paths).

use crate::ir::{FieldStep, TypeKind, TypeRef};
use crate::lower::schema::TypeSpace;
pub use crate::shape::unescape;

/// The unescaped reference tokens of `pointer` (`/a~1b/c~0d` -> `a/b`, `c~d`); `None` when it
/// is neither empty nor starts with `/`. `~1` is replaced before `~0`, as RFC 6901 says, so
/// `~01` is `~1`.
pub fn segments(pointer: &str) -> Option<Vec<String>> {
    if pointer.is_empty() {
        return Some(Vec::new());
    }
    let rest = pointer.strip_prefix('/')?;
    Some(rest.split('/').map(unescape).collect())
}

/// Walks `pointer` from a value of type `start` through struct fields, by wire name.
/// Returns the Rust field steps and the type reached, or `None` when a segment is not a
/// property of the struct at that point (or the value there is not a named struct).
pub fn walk_fields(
    space: &TypeSpace<'_>,
    start: &TypeRef,
    pointer: &str,
) -> Option<(Vec<FieldStep>, TypeRef)> {
    let mut current = start.clone();
    let mut steps = Vec::new();
    for segment in segments(pointer)? {
        let plain = match &current {
            TypeRef::Option(inner) => inner.as_ref(),
            other => other,
        };
        let TypeRef::Named(name) = plain else {
            return None;
        };
        let field = match &space.get(&name.name)?.kind {
            TypeKind::Struct { fields, .. } => fields.iter().find(|f| f.wire == segment)?,
            _ => return None,
        };
        steps.push(FieldStep {
            field: field.name.clone(),
            optional: matches!(field.ty, TypeRef::Option(_)),
        });
        current = field.ty.clone();
    }
    Some((steps, current))
}

/// Whether every member on `pointer`, from a value of type `start`, is in its object's
/// `required` list (so a body matching the schema always has a value there, maybe `null`).
pub fn is_required(space: &TypeSpace<'_>, start: &TypeRef, pointer: &str) -> bool {
    let Some(segments) = segments(pointer) else {
        return false;
    };
    let mut current = start.clone();
    for segment in segments {
        let plain = match &current {
            TypeRef::Option(inner) => inner.as_ref(),
            other => other,
        };
        let TypeRef::Named(name) = plain else {
            return false;
        };
        let field = match space.get(&name.name).map(|t| &t.kind) {
            Some(TypeKind::Struct { fields, .. }) => fields.iter().find(|f| f.wire == segment),
            _ => None,
        };
        match field {
            Some(field) if !field.optional => current = field.ty.clone(),
            _ => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lower::refs::component_key;

    #[test]
    fn rfc6901_unescaping() {
        assert_eq!(segments(""), Some(vec![]));
        assert_eq!(
            segments("/a~1b/c~0d"),
            Some(vec!["a/b".into(), "c~d".into()])
        );
        assert_eq!(segments("/~01"), Some(vec!["~1".into()]));
        assert_eq!(segments("/"), Some(vec![String::new()]));
        assert_eq!(segments("data"), None);
    }

    #[test]
    fn component_keys() {
        assert_eq!(
            component_key("#/components/schemas/a~1b", "schemas"),
            Some("a/b".into())
        );
        assert_eq!(component_key("#/components/schemas/a/b", "schemas"), None);
        assert_eq!(component_key("#/components/schemasX/a", "schemas"), None);
        assert_eq!(component_key("other.yaml#/a", "schemas"), None);
    }
}
