//! `cargo xtask lint`: rules that keep hand-written specs reviewable and their output stable.
//!
//! The generator accepts more than we want to maintain: a spec without summaries or examples
//! still generates, but reviews and contract tests lose their footing, and names the generator
//! has to number (`Token2`) shift when the spec grows. Every finding is a generator
//! [`Diagnostic`], located by the loader's own line index, and all come back at once.

use crate::layout::SPECS;
use generator::diagnostic::{escape, Diagnostic};
use generator::{naming, SpecFile};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "patch", "head", "options", "trace",
];
const COMPONENT_KINDS: &[&str] = &[
    "schemas",
    "parameters",
    "responses",
    "requestBodies",
    "headers",
    "examples",
    "links",
    "callbacks",
];

/// Lints every spec in `specs/`; the findings of all of them, or `Ok`.
pub fn run(root: &Path) -> Result<(), String> {
    let specs = generator::read_specs_as(&root.join(SPECS), SPECS)
        .map_err(|e| format!("error: cannot read {SPECS}/: {e}"))?;
    let findings: Vec<Diagnostic> = specs.iter().flat_map(lint_spec).collect();
    if findings.is_empty() {
        println!("lint: {} spec(s) clean", specs.len());
        return Ok(());
    }
    let mut text = String::new();
    for finding in &findings {
        text.push_str(&format!("{finding}\n\n"));
    }
    text.push_str(&format!(
        "error: lint found {} problem(s) in the specs",
        findings.len()
    ));
    Err(text)
}

/// Every finding of one spec, located.
pub fn lint_spec(spec: &SpecFile) -> Vec<Diagnostic> {
    let loaded = match generator::load::load(&spec.path, &spec.text) {
        Ok(loaded) => loaded,
        Err(found) => return found,
    };
    let mut lint = Lint {
        raw: &loaded.raw,
        found: Vec::new(),
    };
    lint.operations();
    lint.component_names();
    lint.unused_components();
    lint.found
        .into_iter()
        .map(|d| loaded.source.locate(d))
        .collect()
}

struct Lint<'a> {
    raw: &'a Value,
    found: Vec<Diagnostic>,
}

fn ptr(segments: &[&str]) -> String {
    segments.iter().map(|s| format!("/{}", escape(s))).collect()
}

fn is_error_status(status: &str) -> bool {
    status == "default" || status.starts_with('4') || status.starts_with('5')
}

impl<'a> Lint<'a> {
    fn push(&mut self, pointer: String, message: String, help: &str) {
        self.found
            .push(Diagnostic::new(pointer, message).help(help));
    }

    /// Follows a local `$ref` one level (`#/components/responses/X`).
    fn resolve(&self, value: &'a Value) -> &'a Value {
        match value.get("$ref").and_then(Value::as_str) {
            Some(reference) => reference
                .strip_prefix('#')
                .and_then(|p| self.raw.pointer(p))
                .unwrap_or(value),
            None => value,
        }
    }

    fn operations(&mut self) {
        let Some(paths) = self.raw.get("paths").and_then(Value::as_object) else {
            return;
        };
        let mut methods: BTreeMap<String, (String, String)> = BTreeMap::new();
        for (path, item) in paths {
            for method in METHODS {
                let Some(op) = item.get(*method) else {
                    continue;
                };
                let at = ptr(&["paths", path, method]);
                self.operation_id(op, &at, &mut methods);
                if op
                    .get("summary")
                    .and_then(Value::as_str)
                    .is_none_or(|s| s.trim().is_empty())
                {
                    self.push(
                        at.clone(),
                        format!("`{} {path}` has no `summary`", method.to_uppercase()),
                        "add a one-line `summary`: it is the first line of the method's docs and the README's entry for it",
                    );
                }
                self.examples(op, &at);
                self.parameter_names(item, op, &at);
            }
        }
    }

    fn operation_id(
        &mut self,
        op: &Value,
        at: &str,
        seen: &mut BTreeMap<String, (String, String)>,
    ) {
        let Some(id) = op.get("operationId").and_then(Value::as_str) else {
            self.push(
                at.to_owned(),
                "operation has no `operationId`".into(),
                "add an `operationId` (lowerCamelCase, e.g. `listUploadTokens`): it names the generated method, and without one the name is derived from the path and changes with it",
            );
            return;
        };
        let method = rust_name(naming::method, id);
        match seen.get(&method) {
            Some((other, other_at)) => {
                let message = format!(
                    "`operationId` `{id}` becomes method `{method}`, like `{other}` at {other_at}"
                );
                self.push(
                    format!("{at}/operationId"),
                    message,
                    "rename one of the two operations",
                );
            }
            None => {
                seen.insert(method, (id.to_owned(), at.to_owned()));
            }
        }
    }

    fn examples(&mut self, op: &Value, at: &str) {
        if let Some(body) = op.get("requestBody") {
            let body = self.resolve(body);
            self.media_examples(body, &format!("{at}/requestBody"), "request body");
        }
        let Some(responses) = op.get("responses").and_then(Value::as_object) else {
            return;
        };
        for (status, response) in responses {
            let response_at = format!("{at}/responses/{}", escape(status));
            let response = self.resolve(response);
            self.media_examples(response, &response_at, &format!("the {status} response"));
            let has_schema = response
                .get("content")
                .and_then(Value::as_object)
                .is_some_and(|c| c.values().any(|m| m.get("schema").is_some()));
            if is_error_status(status) && !has_schema {
                self.push(
                    response_at,
                    format!("the {status} response documents no body schema"),
                    "describe the error body under `content: application/json: schema:` so callers get it typed; if the vendor really sends nothing, document that with an empty-object schema and say so in the description",
                );
            }
        }
    }

    fn media_examples(&mut self, holder: &Value, at: &str, what: &str) {
        let Some(content) = holder.get("content").and_then(Value::as_object) else {
            return;
        };
        for (media, entry) in content {
            if entry.get("example").is_none() && entry.get("examples").is_none() {
                self.push(
                    format!("{at}/content/{}", escape(media)),
                    format!("{what} (`{media}`) has no example"),
                    "add `example:` or `examples:` under the media type; the contract tests replay every example",
                );
            }
        }
    }

    /// Parameters of one operation (its own and its path's) must give distinct Rust names.
    fn parameter_names(&mut self, item: &Value, op: &Value, at: &str) {
        let mut seen: BTreeMap<String, String> = BTreeMap::new();
        let own = op
            .get("parameters")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate();
        let shared = item
            .get("parameters")
            .and_then(Value::as_array)
            .into_iter()
            .flatten();
        let mut entries: Vec<(String, &Value)> = own
            .map(|(i, p)| (format!("{at}/parameters/{i}"), p))
            .collect();
        let path_at = &at[..at.rfind('/').unwrap_or(0)];
        entries.extend(
            shared
                .enumerate()
                .map(|(i, p)| (format!("{path_at}/parameters/{i}"), p)),
        );
        for (p_at, p) in entries {
            let p = self.resolve(p);
            let Some(name) = p.get("name").and_then(Value::as_str) else {
                continue;
            };
            let location = p.get("in").and_then(Value::as_str).unwrap_or_default();
            let key = format!("{location}:{name}");
            let field = rust_name(naming::field, name);
            if let Some(other) = seen.get(&field).filter(|o| **o != key) {
                self.push(
                    format!("{p_at}/name"),
                    format!("parameter `{name}` becomes field `{field}`, like `{}`", other.split_once(':').map_or("", |x| x.1)),
                    "rename one of them in the spec (the wire name can stay with a distinct Rust name only by renaming)",
                );
            }
            self.letters(name, &format!("{p_at}/name"), "parameter");
            seen.entry(field).or_insert(key);
        }
    }

    /// A name made only of punctuation becomes a placeholder (`field`, `Value`).
    fn letters(&mut self, name: &str, at: &str, what: &str) {
        if !name.chars().any(|c| c.is_ascii_alphanumeric()) {
            self.push(
                at.to_owned(),
                format!("{what} name `{name}` has no ASCII letter or digit, so it cannot become a Rust name"),
                "give it a name with letters (for a property, the wire name can stay if the schema is renamed)",
            );
        }
    }

    fn component_names(&mut self) {
        let Some(schemas) = self
            .raw
            .pointer("/components/schemas")
            .and_then(Value::as_object)
        else {
            return;
        };
        let mut types: BTreeMap<String, String> = BTreeMap::new();
        for (key, schema) in schemas {
            let at = ptr(&["components", "schemas", key]);
            let ty = rust_name(naming::type_name, key);
            if let Some(other) = types.get(&ty) {
                let message = format!("schema `{key}` becomes type `{ty}`, like schema `{other}`");
                self.push(at.clone(), message, "rename one of the two schemas");
            } else {
                types.insert(ty, key.clone());
            }
            self.letters(key, &at, "schema");
            self.schema_names(schema, &at);
        }
    }

    /// Property and enum-value names inside one schema, recursively through inline schemas.
    fn schema_names(&mut self, schema: &Value, at: &str) {
        let Some(object) = schema.as_object() else {
            return;
        };
        if let Some(properties) = object.get("properties").and_then(Value::as_object) {
            self.distinct(
                properties.keys().map(String::as_str),
                at,
                "properties",
                "property",
                |n| rust_name(naming::field, n),
            );
            for (name, inner) in properties {
                self.schema_names(inner, &format!("{at}/properties/{}", escape(name)));
            }
        }
        if let Some(values) = object.get("enum").and_then(Value::as_array) {
            let texts: Vec<String> = values
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect();
            self.distinct(
                texts.iter().map(String::as_str),
                at,
                "enum",
                "enum value",
                |n| rust_name(naming::variant, n),
            );
        }
        for key in ["items", "additionalProperties"] {
            if let Some(inner) = object.get(key) {
                self.schema_names(inner, &format!("{at}/{key}"));
            }
        }
        for key in ["allOf", "oneOf", "anyOf"] {
            for (i, inner) in object
                .get(key)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
            {
                self.schema_names(inner, &format!("{at}/{key}/{i}"));
            }
        }
    }

    fn distinct<'n>(
        &mut self,
        names: impl Iterator<Item = &'n str>,
        at: &str,
        segment: &str,
        what: &str,
        convert: fn(&str) -> String,
    ) {
        let mut seen: BTreeMap<String, &str> = BTreeMap::new();
        for (i, name) in names.enumerate() {
            let rust = convert(name);
            let name_at = if segment == "enum" {
                format!("{at}/enum/{i}")
            } else {
                format!("{at}/{segment}/{}", escape(name))
            };
            if let Some(other) = seen.get(&rust) {
                let message = format!("{what} `{name}` becomes `{rust}`, like `{other}`");
                self.push(name_at.clone(), message, "rename one of them; the generator would number the second, and the number shifts when the spec changes");
            } else {
                seen.insert(rust, name);
            }
            if what == "property" {
                self.letters(name, &name_at, what);
            }
        }
    }

    fn unused_components(&mut self) {
        let Some(components) = self.raw.get("components").and_then(Value::as_object) else {
            return;
        };
        // Reachable: every `$ref` outside `components`, then what those components refer to.
        let mut outside = Value::Object(self.raw.as_object().cloned().unwrap_or_default());
        if let Some(map) = outside.as_object_mut() {
            map.remove("components");
        }
        let mut used: BTreeSet<String> = BTreeSet::new();
        let mut queue = refs(&outside);
        while let Some(reference) = queue.pop() {
            if used.insert(reference.clone()) {
                if let Some(target) = reference
                    .strip_prefix('#')
                    .and_then(|p| self.raw.pointer(p))
                {
                    queue.extend(refs(target));
                }
            }
        }
        for kind in COMPONENT_KINDS {
            let Some(entries) = components.get(*kind).and_then(Value::as_object) else {
                continue;
            };
            for key in entries.keys() {
                let at = ptr(&["components", kind, key]);
                if !used.contains(&format!("#{at}")) {
                    self.push(
                        at,
                        format!("component `{key}` ({kind}) is not used"),
                        "remove it, or `$ref` it where it applies",
                    );
                }
            }
        }
        let schemes: BTreeSet<String> = security_names(self.raw);
        if let Some(entries) = components.get("securitySchemes").and_then(Value::as_object) {
            for key in entries.keys() {
                if !schemes.contains(key) {
                    self.push(
                        ptr(&["components", "securitySchemes", key]),
                        format!(
                            "security scheme `{key}` is not used by any `security` requirement"
                        ),
                        "remove it, or list it under `security` (root or operation)",
                    );
                }
            }
        }
    }
}

/// The identifier the generator's naming pass makes of `raw`, as written in code.
fn rust_name(convert: fn(&str) -> generator::ir::Ident, raw: &str) -> String {
    convert(raw).to_string()
}

/// Every `$ref` string in `value`.
fn refs(value: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![value];
    while let Some(v) = stack.pop() {
        match v {
            Value::Object(map) => {
                if let Some(Value::String(r)) = map.get("$ref") {
                    out.push(r.clone());
                }
                stack.extend(map.values());
            }
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    out
}

/// Names of schemes listed in any security requirement (root or operation).
fn security_names(raw: &Value) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mut add = |security: Option<&Value>| {
        for requirement in security.and_then(Value::as_array).into_iter().flatten() {
            names.extend(
                requirement
                    .as_object()
                    .map(Map::keys)
                    .into_iter()
                    .flatten()
                    .cloned(),
            );
        }
    };
    add(raw.get("security"));
    for item in raw
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(Map::values)
    {
        for method in METHODS {
            add(item.get(*method).and_then(|op| op.get("security")));
        }
    }
    names
}

#[cfg(test)]
#[path = "lint_tests.rs"]
mod tests;
