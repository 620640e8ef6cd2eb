//! YAML text -> `openapiv3::OpenAPI`, with every finding located (file, line, JSON pointer).

use crate::diagnostic::{escape, Diagnostic};
use crate::locate::LineIndex;
use openapiv3::OpenAPI;
use serde_json::Value;

/// A spec's text with what is needed to point into it.
#[derive(Debug)]
pub struct Source {
    /// The path shown in messages (`specs/<vendor>.yaml`).
    pub file: String,
    text: String,
    /// Built on the first diagnostic: a clean spec never pays for it.
    index: std::sync::OnceLock<LineIndex>,
}

impl Source {
    /// Fills in the file and line of a diagnostic.
    pub fn locate(&self, mut diagnostic: Diagnostic) -> Diagnostic {
        diagnostic.file.clone_from(&self.file);
        if diagnostic.line.is_none() {
            diagnostic.line = self
                .index
                .get_or_init(|| LineIndex::new(&self.text))
                .line_of(&diagnostic.pointer);
        }
        diagnostic
    }
}

/// A parsed spec: the typed document, and the raw tree for extensions and examples.
#[derive(Debug)]
pub struct Loaded {
    /// Where it came from.
    pub source: Source,
    /// The typed OpenAPI document.
    pub doc: OpenAPI,
    /// The same document as plain JSON (extensions are read from here by pointer).
    pub raw: Value,
    /// Problems that do not stop lowering (misused extensions), reported with its findings.
    pub findings: Vec<Diagnostic>,
}

/// Where an `x-` key may appear.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    Root,
    Operation,
    SecurityScheme,
    Server,
    SchemaOrParameter,
    Elsewhere,
}

const EXTENSIONS: &[(&str, &[Place])] = &[
    ("x-envelope", &[Place::Root, Place::Operation]),
    ("x-rate-limit", &[Place::Root, Place::Operation]),
    ("x-rpc", &[Place::Operation]),
    ("x-idempotent", &[Place::Operation]),
    ("x-pagination", &[Place::Operation]),
    ("x-unverified", &[Place::Operation]),
    ("x-signing", &[Place::SecurityScheme]),
    ("x-name", &[Place::Server]),
    ("x-secret", &[Place::SchemaOrParameter]),
];

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "patch", "head", "options", "trace",
];

fn place_of(path: &[String]) -> Place {
    match path {
        [] => Place::Root,
        [p, _, m] if p == "paths" && METHODS.contains(&m.as_str()) => Place::Operation,
        [c, s, _] if c == "components" && s == "securitySchemes" => Place::SecurityScheme,
        [s, _] if s == "servers" => Place::Server,
        _ if path.iter().any(|s| {
            matches!(
                s.as_str(),
                "schema"
                    | "schemas"
                    | "properties"
                    | "items"
                    | "parameters"
                    | "additionalProperties"
            )
        }) =>
        {
            Place::SchemaOrParameter
        }
        _ => Place::Elsewhere,
    }
}

fn check_extensions(value: &Value, path: &mut Vec<String>, findings: &mut Vec<Diagnostic>) {
    match value {
        Value::Object(map) => {
            let place = place_of(path);
            for (key, child) in map {
                path.push(key.clone());
                if key.starts_with("x-") {
                    let pointer = crate::diagnostic::pointer(path.iter());
                    match EXTENSIONS.iter().find(|(name, _)| name == key) {
                        None => findings.push(
                            Diagnostic::new(pointer, format!("unknown extension `{key}`")).help(
                                format!(
                                    "the generator understands {}; see specs/README.md",
                                    EXTENSIONS
                                        .iter()
                                        .map(|(n, _)| *n)
                                        .collect::<Vec<_>>()
                                        .join(", ")
                                ),
                            ),
                        ),
                        Some((_, places)) if !places.contains(&place) => findings.push(
                            Diagnostic::new(pointer, format!("`{key}` is not allowed here")).help(
                                format!("`{key}` belongs on: {places:?}; see specs/README.md"),
                            ),
                        ),
                        Some(_) => {}
                    }
                } else if !matches!(key.as_str(), "example" | "examples" | "default" | "enum") {
                    check_extensions(child, path, findings);
                }
                path.pop();
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                path.push(i.to_string());
                check_extensions(item, path, findings);
                path.pop();
            }
        }
        _ => {}
    }
}

fn serde_path_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    path.iter()
        .filter_map(|segment| match segment {
            Segment::Seq { index } => Some(format!("/{index}")),
            Segment::Map { key } => Some(format!("/{}", escape(key))),
            Segment::Enum { .. } | Segment::Unknown => None,
        })
        .collect()
}

/// Parses and checks one spec. Returns every finding at once, located.
pub fn load(file: &str, text: &str) -> Result<Loaded, Vec<Diagnostic>> {
    let source = Source {
        file: file.to_owned(),
        text: text.to_owned(),
        index: std::sync::OnceLock::new(),
    };
    let yaml: serde_yaml::Value = serde_yaml::from_str(text).map_err(|e| {
        let mut d = Diagnostic::new("", format!("invalid YAML: {e}"))
            .help("fix the YAML syntax at the line shown (indentation, quoting, a missing colon)");
        d.line = e.location().map(|l| l.line());
        vec![source.locate(d)]
    })?;
    let raw: Value = serde_json::to_value(&yaml).map_err(|e| {
        vec![source.locate(
            Diagnostic::new("", format!("the YAML cannot be read as JSON: {e}")).help(
                "use string keys and avoid YAML-only features such as anchors with merge keys",
            ),
        )]
    })?;
    let mut findings = Vec::new();
    if !raw.is_object() {
        findings.push(
            Diagnostic::new("", "the document is not a mapping")
                .help("an OpenAPI document starts with `openapi: 3.0.3`"),
        );
    }
    match raw.get("openapi").and_then(Value::as_str) {
        Some(v) if v.starts_with("3.0.") => {}
        Some(v) => findings.push(
            Diagnostic::new("/openapi", format!("OpenAPI version {v} is not supported"))
                .help("write the spec in OpenAPI 3.0.x (`openapi: 3.0.3`)"),
        ),
        None => findings.push(
            Diagnostic::new("/openapi", "missing `openapi` version")
                .help("add `openapi: 3.0.3` at the top"),
        ),
    }
    if !findings.is_empty() {
        return Err(findings.into_iter().map(|d| source.locate(d)).collect());
    }
    let mut extension_findings = Vec::new();
    check_extensions(&raw, &mut Vec::new(), &mut extension_findings);
    match serde_path_to_error::deserialize(&raw) {
        Ok(doc) => Ok(Loaded {
            source,
            doc,
            raw,
            findings: extension_findings,
        }),
        Err(e) => {
            let pointer = serde_path_pointer(e.path());
            extension_findings.push(
                Diagnostic::new(pointer, format!("not a valid OpenAPI 3.0 document: {}", e.inner()))
                    .help("compare this element with the OpenAPI 3.0.3 specification; `openapi-spec-validator` gives more detail"),
            );
            Err(extension_findings
                .into_iter()
                .map(|d| source.locate(d))
                .collect())
        }
    }
}
