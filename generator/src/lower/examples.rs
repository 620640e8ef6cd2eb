//! The spec's examples (`example`, `examples`), kept as JSON text for the docs' examples and
//! the mocks' default responses.

use crate::ir::FailureTest;
use crate::lower::refs;
use openapiv3::{MediaType, OpenAPI, ParameterData, ParameterSchemaOrContent, ReferenceOr, Schema};
use serde_json::Value;

/// Every example of a media type, in spec order: `example`, then each of `examples` that has
/// an inline value (a `$ref` to `components.examples` is followed; `externalValue` is not
/// fetched).
pub fn of_media(doc: &OpenAPI, content: &MediaType) -> Vec<Value> {
    content
        .example
        .iter()
        .cloned()
        .chain(content.examples.values().filter_map(|example| {
            refs::follow(doc.components.as_ref(), example).and_then(|e| e.value.clone())
        }))
        .collect()
}

/// The first example of a parameter, as JSON text: its own, else its schema's.
pub fn of_parameter(doc: &OpenAPI, data: &ParameterData) -> Option<String> {
    data.example
        .clone()
        .or_else(|| {
            data.examples.values().find_map(|example| {
                refs::follow(doc.components.as_ref(), example).and_then(|e| e.value.clone())
            })
        })
        .or_else(|| match &data.format {
            ParameterSchemaOrContent::Schema(schema) => of_schema(doc, schema),
            ParameterSchemaOrContent::Content(_) => None,
        })
        .map(|v| v.to_string())
}

/// The first example of a request body's media type, as JSON text: its own, else its
/// schema's.
pub fn of_request(doc: &OpenAPI, content: &MediaType) -> Option<String> {
    of_media(doc, content)
        .into_iter()
        .next()
        .or_else(|| of_schema(doc, content.schema.as_ref()?))
        .map(|v| v.to_string())
}

/// A schema's own `example` (after its `$ref`s).
fn of_schema(doc: &OpenAPI, schema: &ReferenceOr<Schema>) -> Option<Value> {
    refs::follow(doc.components.as_ref(), schema)?
        .schema_data
        .example
        .clone()
}

/// The first example that the envelope's failure test does not call a failure.
pub fn first_success(examples: Vec<Value>, failure: Option<&FailureTest>) -> Option<String> {
    examples
        .into_iter()
        .find(|body| failure.is_none_or(|test| !is_failure(test, body)))
        .map(|v| v.to_string())
}

/// The runtime's failure test, on an example.
fn is_failure(test: &FailureTest, body: &Value) -> bool {
    let parse = |text: &str| serde_json::from_str::<Value>(text).ok();
    match test {
        FailureTest::Equals(pointer, value) => body
            .pointer(pointer)
            .is_some_and(|v| Some(v) == parse(value).as_ref()),
        FailureTest::NotEquals(pointer, value) => body
            .pointer(pointer)
            .is_some_and(|v| Some(v) != parse(value).as_ref()),
        FailureTest::Present(pointer) => body.pointer(pointer).is_some_and(|v| !v.is_null()),
    }
}

#[cfg(test)]
mod tests {
    use super::first_success;
    use crate::ir::FailureTest;
    use serde_json::json;

    #[test]
    fn the_first_example_that_is_not_a_failure_is_the_success() {
        let present = FailureTest::Present("/Response/Error".into());
        let examples = vec![
            json!({"Response": {"Error": {"Code": "AuthFailure"}}}),
            json!({"Response": {"RequestId": "r"}}),
        ];
        assert_eq!(
            first_success(examples.clone(), Some(&present)).as_deref(),
            Some(r#"{"Response":{"RequestId":"r"}}"#)
        );
        let not_zero = FailureTest::NotEquals("/code".into(), "0".into());
        assert_eq!(
            first_success(
                vec![json!({"code": 1}), json!({"code": 0})],
                Some(&not_zero)
            )
            .as_deref(),
            Some(r#"{"code":0}"#)
        );
        assert_eq!(
            first_success(vec![json!({"code": 1})], Some(&not_zero)),
            None
        );
        assert!(first_success(examples, None).is_some());
    }
}
