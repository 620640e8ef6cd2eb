//! The shape of an OpenAPI 3.0 document: which object each JSON value is, so that `x-` keys are
//! read as specification extensions only on the objects that allow them (never as property
//! names, header names or other map keys), and so that a type error can be located at the
//! element that holds it.

use serde_json::Value;

/// An OpenAPI 3.0 object (the ones that can carry extensions, and the maps between them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// The root OpenAPI object.
    Document,
    Info,
    Contact,
    License,
    Server,
    ServerVariable,
    Components,
    Paths,
    PathItem,
    Operation,
    ExternalDocs,
    Parameter,
    RequestBody,
    MediaType,
    Encoding,
    Responses,
    Response,
    Callback,
    Example,
    Link,
    Header,
    Tag,
    Schema,
    Discriminator,
    Xml,
    SecurityScheme,
    OAuthFlows,
    OAuthFlow,
}

/// What a member of an object holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Child {
    /// One object of this kind.
    One(Kind),
    /// A map from names (chosen by the spec's author) to objects of this kind.
    Map(Kind),
    /// A list of objects of this kind.
    List(Kind),
    /// A value the generator reads as data (examples, enums, security requirements...).
    Opaque,
}

impl Kind {
    /// What the member `key` of an object of this kind holds (`x-` keys excluded).
    pub fn child(self, key: &str) -> Child {
        use Child::{List, Map, One, Opaque};
        use Kind::*;
        match (self, key) {
            (Document, "info") => One(Info),
            (Document | PathItem | Operation, "servers") => List(Server),
            (Document, "paths") => One(Paths),
            (Document, "components") => One(Components),
            (Document, "tags") => List(Tag),
            (Document | Operation | Tag | Schema, "externalDocs") => One(ExternalDocs),
            (Info, "contact") => One(Contact),
            (Info, "license") => One(License),
            (Server, "variables") => Map(ServerVariable),
            (Paths, _) => One(PathItem),
            (Callback, _) => One(PathItem),
            (
                PathItem,
                "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace",
            ) => One(Operation),
            (PathItem | Operation, "parameters") => List(Parameter),
            (Operation, "requestBody") => One(RequestBody),
            (Operation, "responses") => One(Responses),
            (Operation, "callbacks") => Map(Callback),
            (Responses, _) => One(Response),
            (Response | Encoding, "headers") => Map(Header),
            (Response | RequestBody | Parameter | Header, "content") => Map(MediaType),
            (Response, "links") => Map(Link),
            (Parameter | Header | MediaType, "schema") => One(Schema),
            (Parameter | Header | MediaType, "examples") => Map(Example),
            (MediaType, "encoding") => Map(Encoding),
            (Components, "schemas") => Map(Schema),
            (Components, "responses") => Map(Response),
            (Components, "parameters") => Map(Parameter),
            (Components, "examples") => Map(Example),
            (Components, "requestBodies") => Map(RequestBody),
            (Components, "headers") => Map(Header),
            (Components, "securitySchemes") => Map(SecurityScheme),
            (Components, "links") => Map(Link),
            (Components, "callbacks") => Map(Callback),
            (Schema, "properties") => Map(Schema),
            (Schema, "items" | "not" | "additionalProperties") => One(Schema),
            (Schema, "allOf" | "oneOf" | "anyOf") => List(Schema),
            (Schema, "discriminator") => One(Discriminator),
            (Schema, "xml") => One(Xml),
            (SecurityScheme, "flows") => One(OAuthFlows),
            (OAuthFlows, _) => One(OAuthFlow),
            (Link, "server") => One(Server),
            _ => Opaque,
        }
    }

    /// Whether an object of this kind may be a Reference Object (`$ref`) instead.
    fn referable(self) -> bool {
        use Kind::*;
        matches!(
            self,
            PathItem
                | Parameter
                | RequestBody
                | Response
                | Callback
                | Example
                | Link
                | Header
                | Schema
                | SecurityScheme
        )
    }
}

/// One specification extension found in the document.
#[derive(Debug)]
pub struct Extension<'v> {
    /// The object it sits on.
    pub on: Kind,
    /// Its key (`x-envelope`).
    pub key: &'v str,
    /// RFC 6901 pointer to it.
    pub pointer: String,
}

/// Every specification extension of `doc`, in document order. Keys of maps (property names,
/// header names, component names...) are never extensions.
pub fn extensions(doc: &Value) -> Vec<Extension<'_>> {
    let mut found = Vec::new();
    let mut pointer = String::new();
    visit(doc, Kind::Document, &mut pointer, &mut found);
    found
}

fn visit<'v>(value: &'v Value, kind: Kind, pointer: &mut String, found: &mut Vec<Extension<'v>>) {
    let Value::Object(map) = value else { return };
    if kind.referable() && map.contains_key("$ref") {
        return;
    }
    for (key, child) in map {
        let len = pointer.len();
        push_segment(pointer, key);
        if key.starts_with("x-") {
            found.push(Extension {
                on: kind,
                key,
                pointer: pointer.clone(),
            });
        } else {
            visit_child(child, kind.child(key), pointer, found);
        }
        pointer.truncate(len);
    }
}

fn visit_child<'v>(
    value: &'v Value,
    child: Child,
    pointer: &mut String,
    found: &mut Vec<Extension<'v>>,
) {
    match (child, value) {
        (Child::One(kind), _) => visit(value, kind, pointer, found),
        (Child::Map(kind), Value::Object(map)) => {
            for (key, item) in map {
                let len = pointer.len();
                push_segment(pointer, key);
                visit(item, kind, pointer, found);
                pointer.truncate(len);
            }
        }
        (Child::List(kind), Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                let len = pointer.len();
                pointer.push('/');
                pointer.push_str(&i.to_string());
                visit(item, kind, pointer, found);
                pointer.truncate(len);
            }
        }
        _ => {}
    }
}

fn push_segment(pointer: &mut String, key: &str) {
    pointer.push('/');
    if key.contains(['~', '/']) {
        pointer.push_str(&crate::diagnostic::escape(key));
    } else {
        pointer.push_str(key);
    }
}

/// Unescapes one JSON-pointer segment.
pub fn unescape(segment: &str) -> String {
    // Most segments have no escape (a char search; `replace` with a `&str` runs the two-way
    // search, unoptimised in the dev profile).
    if !segment.contains('~') {
        return segment.to_owned();
    }
    segment.replace("~1", "/").replace("~0", "~")
}

/// The kind of object at `pointer` (`None` for data, maps and lists themselves).
pub fn kind_at(pointer: &str) -> Option<Kind> {
    let mut current = Child::One(Kind::Document);
    for segment in pointer.split('/').skip(1) {
        current = match current {
            Child::One(kind) => kind.child(&unescape(segment)),
            Child::Map(kind) | Child::List(kind) => Child::One(kind),
            Child::Opaque => return None,
        };
    }
    match current {
        Child::One(kind) => Some(kind),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn map_keys_are_not_extensions() {
        let doc = json!({
            "x-envelope": "none",
            "paths": {"/a": {"get": {
                "x-github": {},
                "responses": {"200": {"description": "ok",
                    "headers": {"x-total": {"schema": {"type": "integer", "x-secret": true}}}}}
            }}},
            "components": {
                "headers": {"x-ratelimit-remaining": {"schema": {"type": "integer"}}},
                "schemas": {"A": {"properties": {"x-name": {"type": "string"}},
                    "example": {"x-not-ext": 1}}}
            }
        });
        let found: Vec<(Kind, &str, String)> = extensions(&doc)
            .into_iter()
            .map(|e| (e.on, e.key, e.pointer))
            .collect();
        assert_eq!(
            found,
            vec![
                (Kind::Document, "x-envelope", "/x-envelope".to_owned()),
                (
                    Kind::Operation,
                    "x-github",
                    "/paths/~1a/get/x-github".to_owned()
                ),
                (
                    Kind::Schema,
                    "x-secret",
                    "/paths/~1a/get/responses/200/headers/x-total/schema/x-secret".to_owned()
                ),
            ]
        );
    }

    #[test]
    fn kinds_by_pointer() {
        assert_eq!(kind_at("/paths/~1a"), Some(Kind::PathItem));
        assert_eq!(
            kind_at("/paths/~1a/get/parameters/0"),
            Some(Kind::Parameter)
        );
        assert_eq!(
            kind_at("/paths/~1a/get/responses/200/content/application~1json/schema"),
            Some(Kind::Schema)
        );
        assert_eq!(kind_at("/components/schemas"), None);
        assert_eq!(kind_at("/paths/~1a/get/security/0"), None);
    }
}
