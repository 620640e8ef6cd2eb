//! What an `allOf` describes. JSON Schema's `allOf` is a conjunction: a value must satisfy
//! every part. Parts that only annotate (a `description`, `nullable`, `readOnly`, a
//! `default`) say nothing about the type, so `allOf: [{$ref: X}, {description: ..}]` is X,
//! `allOf: [{type: string, enum: [..]}, {description: ..}]` is that enum, and an `allOf` over
//! one `oneOf` is that union. Object parts merge into one object. Parts whose types differ
//! describe no value at all, and are reported at the conflicting keyword.

use crate::lower::any_schema;
use openapiv3::{AnySchema, ReferenceOr, Schema, SchemaData, SchemaKind, Type};
use std::borrow::Cow;

/// How an `allOf` lowers.
#[derive(Debug, PartialEq)]
pub enum Plan {
    /// No part constrains the value: any JSON value.
    Any,
    /// Part `n` says what the value is; the others annotate or narrow it.
    One(usize),
    /// The object parts merge into one object.
    Merge,
    /// No single type satisfies the parts, or the generator cannot combine them.
    Conflict(Conflict),
}

/// A located reason an `allOf` cannot lower, in OpenAPI's words.
#[derive(Debug, PartialEq)]
pub struct Conflict {
    pub pointer: String,
    pub message: String,
    pub help: &'static str,
}

/// What one part says about the value's type.
#[derive(Debug, Clone, PartialEq)]
enum Shape {
    /// Only annotations: no constraint on the value.
    Annotation,
    /// An object (properties, `type: object`, or a nested `allOf`, which merges).
    Object,
    /// A `type` other than object, with `enum` values when it lists some.
    Typed { ty: String, listed: bool },
    /// Constraints without a `type` (`format`, `pattern`, an `enum`): they narrow another part.
    Constraint,
    /// A `oneOf` or `anyOf`.
    Union,
    /// A `not`.
    Not,
}

/// True when `part` is an inline schema of annotations only (no keyword that constrains a value).
pub fn annotation_only(part: &ReferenceOr<Schema>) -> bool {
    matches!(part, ReferenceOr::Item(s) if matches!(&s.schema_kind, SchemaKind::Any(a) if *a == AnySchema::default()))
}

fn shape(schema: &Schema) -> Shape {
    let typed = |ty: &str, listed: bool| Shape::Typed {
        ty: ty.to_owned(),
        listed,
    };
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(_)) | SchemaKind::AllOf { .. } => Shape::Object,
        SchemaKind::Type(Type::String(s)) => typed("string", !s.enumeration.is_empty()),
        SchemaKind::Type(Type::Integer(i)) => typed("integer", !i.enumeration.is_empty()),
        SchemaKind::Type(Type::Number(n)) => typed("number", !n.enumeration.is_empty()),
        SchemaKind::Type(Type::Boolean(b)) => typed("boolean", !b.enumeration.is_empty()),
        SchemaKind::Type(Type::Array(_)) => typed("array", false),
        SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } => Shape::Union,
        SchemaKind::Not { .. } => Shape::Not,
        SchemaKind::Any(any) if *any == AnySchema::default() => Shape::Annotation,
        SchemaKind::Any(any) => match any_schema::by_type(any) {
            Some(kind) => shape(&Schema {
                schema_data: SchemaData::default(),
                schema_kind: kind,
            }),
            None if !any.properties.is_empty()
                || !any.required.is_empty()
                || any.additional_properties.is_some()
                || any.typ.as_deref() == Some("object") =>
            {
                Shape::Object
            }
            // A `type` beside a union (`{type: integer, oneOf: [{const: 1}, ..]}`) holds for
            // every alternative: the value is of that type.
            None => match &any.typ {
                Some(ty) => typed(ty, !any.enumeration.is_empty()),
                None if !any.one_of.is_empty() || !any.any_of.is_empty() => Shape::Union,
                None => Shape::Constraint,
            },
        },
    }
}

/// Decides how the `allOf` at `at` (its parts `parts`) lowers; `resolve` follows a `$ref`.
pub fn plan<'s>(
    parts: &'s [ReferenceOr<Schema>],
    resolve: impl Fn(&'s ReferenceOr<Schema>) -> Option<&'s Schema>,
    at: &str,
) -> Plan {
    let shapes: Vec<(usize, Shape)> = parts
        .iter()
        .enumerate()
        .map(|(i, part)| (i, resolve(part).map_or(Shape::Object, shape)))
        .filter(|(_, s)| *s != Shape::Annotation)
        .collect();
    let keyword = |i: usize, key: &str| match &parts[i] {
        ReferenceOr::Item(_) => format!("{at}/{i}/{key}"),
        ReferenceOr::Reference { .. } => format!("{at}/{i}/$ref"),
    };
    if let Some((i, _)) = shapes.iter().find(|(_, s)| *s == Shape::Not) {
        return Plan::Conflict(Conflict {
            pointer: keyword(*i, "not"),
            message: "`not` schemas are not supported".to_owned(),
            help: "describe what the value is rather than what it is not (an enum, or a free-form object)",
        });
    }
    match shapes.as_slice() {
        [] => return Plan::Any,
        [(i, _)] => return Plan::One(*i),
        _ => {}
    }
    if let Some((i, _)) = shapes.iter().find(|(_, s)| *s == Shape::Union) {
        return Plan::Conflict(Conflict {
            pointer: format!("{at}/{i}"),
            message: "an `allOf` that combines a `oneOf`/`anyOf` with other schemas is not supported".to_owned(),
            help: "give each `oneOf`/`anyOf` alternative the shared schema itself, or annotate the union alone",
        });
    }
    // The declared types, an object counting as `object`.
    let declared: Vec<(usize, &str, bool)> = shapes
        .iter()
        .filter_map(|(i, s)| match s {
            Shape::Object => Some((*i, "object", false)),
            Shape::Typed { ty, listed } => Some((*i, ty.as_str(), *listed)),
            _ => None,
        })
        .collect();
    let Some(&(first, first_ty, _)) = declared.first() else {
        // Constraints alone (`format`, `pattern`) describe no type of their own.
        return Plan::One(shapes[0].0);
    };
    if let Some(&(other, other_ty, _)) = declared.iter().find(|(_, ty, _)| *ty != first_ty) {
        return Plan::Conflict(Conflict {
            pointer: keyword(other, "type"),
            message: format!(
                "`allOf` parts disagree on `type`: part {first} is `{first_ty}` and part {other} is `{other_ty}`, so no value satisfies both"
            ),
            help: "make the parts agree on one `type` (`allOf` means every part at once), or use `oneOf` for alternatives",
        });
    }
    if first_ty == "object" {
        return Plan::Merge;
    }
    // Parts of one scalar type: the one listing `enum` values says the most.
    let chosen = declared
        .iter()
        .find(|(_, _, listed)| *listed)
        .map_or(first, |(i, _, _)| *i);
    Plan::One(chosen)
}

/// The parts of a schema that has keywords beside its `allOf` (`{type: object, properties:
/// .., allOf: [..]}`): the listed parts, then one made of the sibling keywords, which hold as
/// well (JSON Schema applies every keyword of a schema). A bare `type: object` beside the
/// parts adds nothing to object parts and makes no part. `None` for a schema that also has
/// `oneOf`, `anyOf` or `not`, or no `allOf`.
pub fn with_siblings(any: &AnySchema) -> Option<Vec<ReferenceOr<Schema>>> {
    if any.all_of.is_empty()
        || !any.one_of.is_empty()
        || !any.any_of.is_empty()
        || any.not.is_some()
    {
        return None;
    }
    let mut parts = any.all_of.clone();
    let siblings = AnySchema {
        all_of: Vec::new(),
        ..any.clone()
    };
    let bare_object = AnySchema {
        typ: Some("object".to_owned()),
        ..AnySchema::default()
    };
    if siblings != AnySchema::default() && siblings != bare_object {
        parts.push(ReferenceOr::Item(Schema {
            schema_data: SchemaData::default(),
            schema_kind: any_schema::by_type(&siblings).unwrap_or(SchemaKind::Any(siblings)),
        }));
    }
    Some(parts)
}

/// `schema`'s annotations, with those its annotation-only `allOf` parts add (a `$ref`
/// described by a sibling part: `allOf: [{$ref: X}, {description: .., readOnly: true}]`).
pub fn annotations(schema: &Schema) -> Cow<'_, SchemaData> {
    let all_of = match &schema.schema_kind {
        SchemaKind::AllOf { all_of } => all_of,
        SchemaKind::Any(any) => &any.all_of,
        _ => return Cow::Borrowed(&schema.schema_data),
    };
    let mut parts = all_of.iter().filter(|p| annotation_only(p)).peekable();
    if parts.peek().is_none() {
        return Cow::Borrowed(&schema.schema_data);
    }
    let mut data = schema.schema_data.clone();
    for part in parts {
        let ReferenceOr::Item(part) = part else {
            continue;
        };
        let extra = &part.schema_data;
        data.nullable |= extra.nullable;
        data.read_only |= extra.read_only;
        data.write_only |= extra.write_only;
        data.deprecated |= extra.deprecated;
        if data.description.is_none() {
            data.description.clone_from(&extra.description);
        }
        if data.title.is_none() {
            data.title.clone_from(&extra.title);
        }
        if data.default.is_none() {
            data.default.clone_from(&extra.default);
        }
    }
    Cow::Owned(data)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(yaml: &str) -> Vec<ReferenceOr<Schema>> {
        serde_yaml::from_str(yaml).expect("parts")
    }

    fn plan_of(yaml: &str) -> Plan {
        let parts = parts(yaml);
        plan(
            &parts,
            |p| match p {
                ReferenceOr::Item(s) => Some(s),
                ReferenceOr::Reference { .. } => None,
            },
            "/allOf",
        )
    }

    #[test]
    fn annotation_parts_leave_the_one_part_that_says_what_the_value_is() {
        let yaml =
            "[{description: d, readOnly: true}, {type: string, enum: [a, b]}, {nullable: true}]";
        assert_eq!(plan_of(yaml), Plan::One(1));
        assert_eq!(plan_of("[{description: d}]"), Plan::Any);
        assert_eq!(
            plan_of("[{oneOf: [{type: string}, {type: integer}]}, {description: d}]"),
            Plan::One(0)
        );
    }

    #[test]
    fn scalar_parts_of_one_type_choose_the_enum() {
        assert_eq!(
            plan_of("[{type: string}, {type: string, enum: [a]}]"),
            Plan::One(1)
        );
        assert_eq!(plan_of("[{type: string}, {format: uuid}]"), Plan::One(0));
    }

    #[test]
    fn objects_merge_and_differing_types_conflict_at_the_type_keyword() {
        assert_eq!(
            plan_of("[{type: object, properties: {a: {type: string}}}, {required: [a]}]"),
            Plan::Merge
        );
        let Plan::Conflict(conflict) = plan_of(
            "[{type: object, properties: {a: {type: string}}}, {description: d}, {type: string}]",
        ) else {
            panic!("a conflict");
        };
        assert_eq!(conflict.pointer, "/allOf/2/type");
        assert!(
            conflict
                .message
                .contains("part 0 is `object` and part 2 is `string`"),
            "{}",
            conflict.message
        );
    }

    #[test]
    fn a_union_beside_other_parts_is_located_at_the_union() {
        let Plan::Conflict(conflict) = plan_of("[{type: object, properties: {a: {type: string}}}, {oneOf: [{type: string}, {type: integer}]}]") else {
            panic!("a conflict");
        };
        assert_eq!(conflict.pointer, "/allOf/1");
    }

    #[test]
    fn keywords_beside_all_of_are_one_more_part() {
        let any = |yaml: &str| match serde_yaml::from_str::<Schema>(yaml)
            .expect("schema")
            .schema_kind
        {
            SchemaKind::Any(any) => any,
            other => panic!("{other:?}"),
        };
        let parts = with_siblings(&any(
            "{type: object, properties: {a: {type: string}}, allOf: [{$ref: '#/x'}]}",
        ))
        .expect("parts");
        assert_eq!(parts.len(), 2);
        assert!(
            matches!(&parts[1], ReferenceOr::Item(s) if matches!(&s.schema_kind, SchemaKind::Type(Type::Object(o)) if o.properties.contains_key("a")))
        );
        let bare = with_siblings(&any("{type: object, allOf: [{$ref: '#/x'}]}")).expect("parts");
        assert_eq!(bare.len(), 1, "a bare `type: object` adds no part");
        assert!(with_siblings(&any(
            "{type: object, allOf: [{$ref: '#/x'}], oneOf: [{$ref: '#/y'}]}"
        ))
        .is_none());
    }

    #[test]
    fn annotations_of_sibling_parts_describe_the_schema() {
        let schema: Schema = serde_yaml::from_str(
            "allOf: [{$ref: '#/components/schemas/X'}, {description: d, nullable: true}]",
        )
        .expect("schema");
        let data = annotations(&schema);
        assert_eq!(data.description.as_deref(), Some("d"));
        assert!(data.nullable);
    }
}
