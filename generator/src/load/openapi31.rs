//! OpenAPI 3.1 read as 3.0: the typed model (openapiv3) reads 3.0 only, so a 3.1 document is
//! rewritten in place, as JSON, into the 3.0 shape that says the same thing before it is
//! parsed. Rewrites stay on the object they concern, so JSON pointers (and the lines found
//! from them) are the document's own. What 3.0 cannot say is reported and left out.
//!
//! The alternative, a typed 3.1 model, would mean a second lowering of everything: the only
//! maintained crates (`oas3`) model 3.1 alone, and the generator would then read two models.

use crate::diagnostic::{escape, Diagnostic};
use crate::shape::Kind;
use serde_json::{json, Map, Value};

/// Whether the document declares OpenAPI 3.1.
pub fn is_31(raw: &Value) -> bool {
    raw.get("openapi")
        .and_then(Value::as_str)
        .is_some_and(|v| v.starts_with("3.1."))
}

/// Rewrites a 3.1 document into 3.0's shape; the findings are what was left out.
pub fn normalise(raw: &mut Value) -> Vec<Diagnostic> {
    let mut findings = Vec::new();
    let Some(doc) = raw.as_object_mut() else {
        return findings;
    };
    // The dialect only names the JSON Schema vocabulary; 3.1's default is what is read here.
    doc.remove("jsonSchemaDialect");
    if let Some(Value::Object(hooks)) = doc.remove("webhooks") {
        for name in hooks.keys() {
            findings.push(
                Diagnostic::new(
                    format!("/webhooks/{}", escape(name)),
                    format!("webhook `{name}` is not generated: a client calls the API, webhooks are calls the API makes"),
                )
                .help("nothing to do; receive webhooks with your own server")
                .warning(),
            );
        }
    }
    // 3.1 makes `paths` optional (a document may hold only components or webhooks).
    doc.entry("paths").or_insert_with(|| json!({}));
    mutual_tls(raw, &mut findings);
    super::walk::objects(raw, &mut |kind, at, object| match kind {
        Kind::Schema => schema(object, at, &mut findings),
        // 3.1 makes `responses` optional; an empty one is read as "no response documented".
        Kind::Operation => {
            object.entry("responses").or_insert_with(|| json!({}));
        }
        _ => {}
    });
    findings
}

/// Rewrites the schemas alone: again after the loader has copied targets of deep references
/// into `components` (each rewrite leaves a 3.0 schema unchanged, so a second pass is safe).
pub fn schemas(raw: &mut Value) -> Vec<Diagnostic> {
    let mut findings = Vec::new();
    super::walk::objects(raw, &mut |kind, at, object| {
        if kind == Kind::Schema {
            schema(object, at, &mut findings);
        }
    });
    findings
}

/// Replaces every path item `$ref` to a path item in the document (3.1's
/// `components.pathItems`, or another path in either version) by the item it names, its own
/// fields winning (as 3.1 says of a `$ref`'s siblings); a local one that leads nowhere is a
/// warning and its path has no operations. References to other files are left for the
/// lowering to refuse. 3.1's `components.pathItems` is then dropped (3.0 has no such section).
pub fn inline_path_items(raw: &mut Value) -> Vec<Diagnostic> {
    let mut findings = Vec::new();
    let doc = raw.clone();
    if let Some(Value::Object(components)) = raw.get_mut("components") {
        components.remove("pathItems");
    }
    let Some(Value::Object(paths)) = raw.get_mut("paths") else {
        return findings;
    };
    for (path, item) in paths.iter_mut() {
        let Some(map) = item.as_object_mut() else {
            continue;
        };
        let Some(Value::String(reference)) = map.get("$ref").cloned() else {
            continue;
        };
        let Some(pointer) = super::pointers::target(&reference) else {
            continue;
        };
        map.remove("$ref");
        // One hop: a target that is itself a reference is not followed (nor a cycle).
        match doc.pointer(&pointer) {
            Some(Value::Object(target)) if !target.contains_key("$ref") => {
                for (k, v) in target {
                    map.entry(k.clone()).or_insert_with(|| v.clone());
                }
            }
            _ => findings.push(
                Diagnostic::new(
                    format!("/paths/{}/$ref", escape(path)),
                    format!("dangling $ref `{reference}`: no such path item; its operations are not generated"),
                )
                .help("point it at a path item in this document (`components.pathItems` in 3.1) or write the path item inline")
                .warning(),
            ),
        }
    }
    findings
}

/// `mutualTLS` security schemes (3.1 only) authenticate the connection, not the request: the
/// client certificate belongs to the HTTP client a caller passes in (`Config::http_client`), so
/// requirements name no request credential for them. The schemes are dropped (one warning
/// each, where defined) and taken out of every security requirement; a requirement of
/// mutual TLS alone becomes `{}`, no request credential.
fn mutual_tls(raw: &mut Value, findings: &mut Vec<Diagnostic>) {
    let Some(Value::Object(schemes)) = raw.pointer_mut("/components/securitySchemes") else {
        return;
    };
    let names: Vec<String> = schemes
        .iter()
        .filter(|(_, s)| s.get("type").is_some_and(|t| t == "mutualTLS"))
        .map(|(name, _)| name.clone())
        .collect();
    if names.is_empty() {
        return;
    }
    for name in &names {
        schemes.remove(name);
        findings.push(
            Diagnostic::new(
                format!("/components/securitySchemes/{}", escape(name)),
                format!("security scheme `{name}` is mutual TLS: requests carry no credential for it"),
            )
            .help("give the client your certificate in the HTTP client you pass as `Config::http_client` (reqwest's `Identity`)")
            .warning(),
        );
    }
    let strip = |security: Option<&mut Value>| {
        let Some(Value::Array(requirements)) = security else {
            return;
        };
        for requirement in requirements.iter_mut().filter_map(Value::as_object_mut) {
            requirement.retain(|scheme, _| !names.contains(scheme));
        }
    };
    strip(raw.get_mut("security"));
    if let Some(Value::Object(paths)) = raw.get_mut("paths") {
        for item in paths.values_mut().filter_map(Value::as_object_mut) {
            for op in item.values_mut() {
                strip(op.get_mut("security"));
            }
        }
    }
}

/// Keywords that only annotate a schema: beside a `$ref` they change nothing it accepts.
const ANNOTATIONS: &[&str] = &[
    "$ref",
    "description",
    "summary",
    "title",
    "example",
    "examples",
    "deprecated",
    "readOnly",
    "writeOnly",
    "$comment",
];

/// Rewrites one 3.1 schema object into 3.0 form (its subschemas are visited after it).
fn schema(object: &mut Map<String, Value>, at: &str, findings: &mut Vec<Diagnostic>) {
    // `examples` (an array in JSON Schema) -> 3.0's single `example`.
    if let Some(Value::Array(examples)) = object.get("examples") {
        if let Some(first) = examples.first().cloned() {
            object.entry("example").or_insert(first);
        }
        object.remove("examples");
    }
    if object.contains_key("$ref") {
        reference_with_siblings(object);
        return;
    }
    if let Some(value) = object.remove("const") {
        // 3.0 reads an enum by its schema's type: a `const` alone still says which.
        let kind = match &value {
            Value::String(_) => Some("string"),
            Value::Bool(_) => Some("boolean"),
            Value::Number(n) if n.is_i64() || n.is_u64() => Some("integer"),
            Value::Number(_) => Some("number"),
            _ => None,
        };
        if let Some(kind) = kind {
            object.entry("type").or_insert_with(|| json!(kind));
        }
        object.entry("enum").or_insert_with(|| json!([value]));
    }
    type_array(object, at, findings);
    null_in_enum(object);
    null_alternative(object);
    exclusive_bound(object, "exclusiveMinimum", "minimum", f64::ge);
    exclusive_bound(object, "exclusiveMaximum", "maximum", f64::le);
    content_encoding(object);
}

/// 3.1 applies a `$ref`'s siblings; 3.0 ignores them. Annotations stay beside it (the lowering
/// reads them where 3.0 allows them to be); anything else moves the `$ref` into an `allOf`.
fn reference_with_siblings(object: &mut Map<String, Value>) {
    if object
        .keys()
        .all(|k| ANNOTATIONS.contains(&k.as_str()) || k.starts_with("x-"))
    {
        return;
    }
    let reference = object.remove("$ref").unwrap_or_default();
    let mut parts = vec![json!({ "$ref": reference })];
    if let Some(Value::Array(more)) = object.remove("allOf") {
        parts.extend(more);
    }
    object.insert("allOf".to_owned(), Value::Array(parts));
}

/// `type: [T, "null"]` -> `type: T, nullable: true`; several non-null types -> a `oneOf` of
/// them (3.0 has one type per schema).
fn type_array(object: &mut Map<String, Value>, at: &str, findings: &mut Vec<Diagnostic>) {
    let types = match object.get("type") {
        Some(Value::Array(types)) => types.clone(),
        Some(Value::String(t)) if t == "null" => vec![json!("null")],
        _ => return,
    };
    let mut kept: Vec<Value> = Vec::new();
    for t in types {
        if t == "null" {
            object.insert("nullable".to_owned(), Value::Bool(true));
        } else if !kept.contains(&t) {
            kept.push(t);
        }
    }
    match kept.len() {
        0 => {
            object.remove("type");
            findings.push(
                Diagnostic::new(
                    format!("{at}/type"),
                    "a schema whose only type is `null` is read as any value, nullable",
                )
                .help("describe the value the field holds when it is not null")
                .warning(),
            );
        }
        1 => {
            object.insert("type".to_owned(), kept.swap_remove(0));
        }
        _ => {
            object.remove("type");
            let alternatives = kept.into_iter().map(|t| json!({ "type": t })).collect();
            object.insert("oneOf".to_owned(), Value::Array(alternatives));
        }
    }
}

/// `enum: [a, b, null]` -> `enum: [a, b], nullable: true`.
fn null_in_enum(object: &mut Map<String, Value>) {
    let Some(Value::Array(values)) = object.get_mut("enum") else {
        return;
    };
    let before = values.len();
    values.retain(|v| !v.is_null());
    if values.len() != before {
        if values.is_empty() {
            object.remove("enum");
        }
        object.insert("nullable".to_owned(), Value::Bool(true));
    }
}

/// `oneOf`/`anyOf: [X, {type: "null"}]` -> `allOf: [X], nullable: true` (the way 3.0 says a
/// value is X or null); with several other alternatives only the null one is taken out.
fn null_alternative(object: &mut Map<String, Value>) {
    for key in ["oneOf", "anyOf"] {
        let Some(Value::Array(parts)) = object.get_mut(key) else {
            continue;
        };
        let is_null = |p: &Value| {
            p.get("type")
                .is_some_and(|t| t == "null" || t == &json!(["null"]))
                && p.as_object().is_some_and(|m| m.len() == 1)
        };
        let before = parts.len();
        parts.retain(|p| !is_null(p));
        if parts.len() == before {
            continue;
        }
        object.insert("nullable".to_owned(), Value::Bool(true));
        if let Some(Value::Array(parts)) = object.get(key) {
            if parts.len() == 1 && !object.contains_key("allOf") {
                let parts = parts.clone();
                object.remove(key);
                object.insert("allOf".to_owned(), Value::Array(parts));
            }
        }
    }
}

/// A numeric `exclusiveMinimum: n` (3.1) -> `minimum: n, exclusiveMinimum: true` (3.0), unless
/// `minimum` is already stricter (`stricter(minimum, n)`).
fn exclusive_bound(
    object: &mut Map<String, Value>,
    exclusive: &str,
    bound: &str,
    stricter: fn(&f64, &f64) -> bool,
) {
    let Some(n) = object.get(exclusive).filter(|v| v.is_number()).cloned() else {
        return;
    };
    let current = object.get(bound).and_then(Value::as_f64);
    match (current, n.as_f64()) {
        (Some(b), Some(e)) if b != e && stricter(&b, &e) => {
            object.remove(exclusive);
        }
        _ => {
            object.insert(bound.to_owned(), n);
            object.insert(exclusive.to_owned(), Value::Bool(true));
        }
    }
}

/// `contentEncoding: base64` -> `format: byte`; binary `contentMediaType` -> `format: binary`.
fn content_encoding(object: &mut Map<String, Value>) {
    let encoding = object.remove("contentEncoding");
    let media = object.remove("contentMediaType");
    if object.contains_key("format") {
        return;
    }
    let format = match (encoding.as_ref().and_then(Value::as_str), media) {
        (Some("base64" | "base64url"), _) => "byte",
        (Some(_), _) => return,
        (None, Some(Value::String(m))) if !m.starts_with("text/") && !m.contains("json") => {
            "binary"
        }
        _ => return,
    };
    object.insert("format".to_owned(), json!(format));
    object.entry("type").or_insert_with(|| json!("string"));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn normalised(schema: Value) -> (Value, Vec<Diagnostic>) {
        let mut raw = json!({"openapi": "3.1.0", "components": {"schemas": {"S": schema}}});
        let findings = normalise(&mut raw);
        let once = raw.clone();
        assert!(schemas(&mut raw).is_empty());
        assert_eq!(raw, once, "a second pass changes nothing");
        (raw["components"]["schemas"]["S"].clone(), findings)
    }

    #[test]
    fn type_arrays_const_examples_and_bounds() {
        let (s, f) = normalised(json!({
            "type": "object",
            "properties": {
                "a": {"type": ["string", "null"], "examples": ["x", "y"]},
                "b": {"const": "fixed"},
                "c": {"type": "integer", "exclusiveMinimum": 0, "exclusiveMaximum": 10, "maximum": 5},
                "d": {"type": ["string", "integer"]},
                "e": {"type": "string", "enum": ["on", null]},
                "f": {"type": "string", "contentEncoding": "base64"},
                "g": {"contentMediaType": "image/png"},
                "h": {"oneOf": [{"$ref": "#/components/schemas/T"}, {"type": "null"}]},
                "i": {"$ref": "#/components/schemas/T", "description": "only words"},
                "j": {"$ref": "#/components/schemas/T", "maxLength": 3},
            }
        }));
        assert!(f.is_empty(), "{f:?}");
        let p = &s["properties"];
        assert_eq!(
            p["a"],
            json!({"type": "string", "nullable": true, "example": "x"})
        );
        assert_eq!(p["b"], json!({"type": "string", "enum": ["fixed"]}));
        assert_eq!(
            p["c"],
            json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true, "maximum": 5})
        );
        assert_eq!(
            p["d"],
            json!({"oneOf": [{"type": "string"}, {"type": "integer"}]})
        );
        assert_eq!(
            p["e"],
            json!({"type": "string", "enum": ["on"], "nullable": true})
        );
        assert_eq!(p["f"], json!({"type": "string", "format": "byte"}));
        assert_eq!(p["g"], json!({"format": "binary", "type": "string"}));
        assert_eq!(
            p["h"],
            json!({"allOf": [{"$ref": "#/components/schemas/T"}], "nullable": true})
        );
        assert_eq!(
            p["i"],
            json!({"$ref": "#/components/schemas/T", "description": "only words"})
        );
        assert_eq!(
            p["j"],
            json!({"maxLength": 3, "allOf": [{"$ref": "#/components/schemas/T"}]})
        );
    }

    #[test]
    fn webhooks_reported_and_path_items_inlined() {
        let mut raw = json!({
            "openapi": "3.1.0",
            "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
            "webhooks": {"newPet": {"post": {"responses": {"200": {"description": "ok"}}}}},
            "paths": {"/a": {"$ref": "#/components/pathItems/A"}, "/b": {"$ref": "#/components/pathItems/B"}, "/c": {"get": {}}},
            "components": {"pathItems": {"A": {"get": {"responses": {"200": {"description": "ok"}}}}}}
        });
        let mut f = normalise(&mut raw);
        f.append(&mut inline_path_items(&mut raw));
        let at: Vec<&str> = f.iter().map(|d| d.pointer.as_str()).collect();
        assert_eq!(at, ["/webhooks/newPet", "/paths/~1b/$ref"]);
        assert!(raw.get("webhooks").is_none() && raw.get("jsonSchemaDialect").is_none());
        assert!(raw["paths"]["/a"]["get"].is_object());
        assert!(raw["components"].get("pathItems").is_none());
        assert_eq!(raw["paths"]["/c"]["get"]["responses"], json!({}));
    }

    #[test]
    fn mutual_tls_needs_no_request_credential() {
        let mut raw = json!({
            "openapi": "3.1.0",
            "security": [{"mtls": []}],
            "paths": {"/a": {"get": {"security": [{"mtls": [], "key": []}, {"mtls": []}]}}},
            "components": {"securitySchemes": {
                "mtls": {"type": "mutualTLS"},
                "key": {"type": "apiKey", "in": "header", "name": "X-Key"}
            }}
        });
        let f = normalise(&mut raw);
        let at: Vec<&str> = f.iter().map(|d| d.pointer.as_str()).collect();
        assert_eq!(at, ["/components/securitySchemes/mtls"]);
        let again = raw.clone();
        assert!(schemas(&mut raw).is_empty());
        assert_eq!(raw, again, "a second pass changes nothing");
        assert_eq!(raw["security"], json!([{}]));
        assert_eq!(
            raw["paths"]["/a"]["get"]["security"],
            json!([{"key": []}, {}])
        );
        assert!(raw["components"]["securitySchemes"].get("mtls").is_none());
    }
}
