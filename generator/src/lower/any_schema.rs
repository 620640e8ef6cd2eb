//! Schemas that openapiv3 reads as "any" because their keywords belong to several types. JSON
//! Schema applies a keyword only to the types it concerns, so a schema with one `type` means
//! that type with the keywords that apply to it: `{type: string, enum: [a, b], uniqueItems:
//! true}` is a string enum (the array keyword is ignored), not a free-form value.

use openapiv3::{
    AnySchema, ArrayType, BooleanType, IntegerType, NumberType, ObjectType, SchemaKind, StringType,
    Type,
};

/// The typed reading of `any`, when it has one `type` and every `enum` value is of that type.
/// Schemas that also combine others (`allOf`, `oneOf`, `anyOf`, `not`) are left as they are.
pub fn by_type(any: &AnySchema) -> Option<SchemaKind> {
    if !(any.all_of.is_empty() && any.one_of.is_empty() && any.any_of.is_empty())
        || any.not.is_some()
    {
        return None;
    }
    let values = |read: fn(&serde_json::Value) -> bool| any.enumeration.iter().all(read);
    let ty = match any.typ.as_deref()? {
        "string" if values(serde_json::Value::is_string) => Type::String(StringType {
            format: any.format.clone().into(),
            pattern: any.pattern.clone(),
            enumeration: any
                .enumeration
                .iter()
                .map(|v| v.as_str().map(str::to_owned))
                .collect(),
            min_length: any.min_length,
            max_length: any.max_length,
        }),
        "integer" if values(serde_json::Value::is_i64) => Type::Integer(IntegerType {
            format: any.format.clone().into(),
            enumeration: any
                .enumeration
                .iter()
                .map(serde_json::Value::as_i64)
                .collect(),
            ..Default::default()
        }),
        "number" if values(serde_json::Value::is_number) => Type::Number(NumberType {
            format: any.format.clone().into(),
            enumeration: any
                .enumeration
                .iter()
                .map(serde_json::Value::as_f64)
                .collect(),
            ..Default::default()
        }),
        "boolean" if values(serde_json::Value::is_boolean) => Type::Boolean(BooleanType {
            enumeration: any
                .enumeration
                .iter()
                .map(serde_json::Value::as_bool)
                .collect(),
        }),
        "array" if any.enumeration.is_empty() => Type::Array(ArrayType {
            items: any.items.clone(),
            min_items: any.min_items,
            max_items: any.max_items,
            unique_items: any.unique_items.unwrap_or_default(),
        }),
        "object" if any.enumeration.is_empty() => Type::Object(ObjectType {
            properties: any.properties.clone(),
            required: any.required.clone(),
            additional_properties: any.additional_properties.clone(),
            min_properties: any.min_properties,
            max_properties: any.max_properties,
        }),
        _ => return None,
    };
    Some(SchemaKind::Type(ty))
}

#[cfg(test)]
mod tests {
    use super::*;
    use openapiv3::Schema;

    fn read(yaml: &str) -> Option<SchemaKind> {
        let schema: Schema = serde_yaml::from_str(yaml).expect("a schema");
        match &schema.schema_kind {
            SchemaKind::Any(any) => by_type(any),
            other => panic!("openapiv3 read {yaml} as {other:?}"),
        }
    }

    #[test]
    fn a_stray_keyword_of_another_type_leaves_the_type() {
        let Some(SchemaKind::Type(Type::String(s))) =
            read("{type: string, enum: [asc, desc], uniqueItems: true}")
        else {
            panic!("a string");
        };
        assert_eq!(s.enumeration, [Some("asc".into()), Some("desc".into())]);
        assert!(matches!(
            read("{type: array, items: {type: string}, maxLength: 5}"),
            Some(SchemaKind::Type(Type::Array(a))) if a.items.is_some()
        ));
    }

    #[test]
    fn values_of_another_type_or_combinations_stay_free_form() {
        assert_eq!(
            read("{type: integer, enum: [1, x], uniqueItems: true}"),
            None
        );
        assert_eq!(read("{properties: {a: {type: string}}, enum: [1]}"), None);
    }
}
