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
