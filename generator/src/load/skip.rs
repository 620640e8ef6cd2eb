//! Operations the typed OpenAPI model cannot even read, taken out of the raw tree before it is
//! parsed, each with one located warning: the rest of the spec still generates.
//!
//! A parameter with neither `schema` nor `content` breaks the typed parse of the whole
//! document; OpenAPI says a parameter "MUST contain either a `schema` property, or a `content`
//! property", so only the operations using it are dropped.

use crate::diagnostic::{escape, Diagnostic};
use serde_json::Value;

/// Marks the message of a warning that skips an operation, so that a spec left with none can
/// say why each was skipped.
pub const SKIPPED: &str = " skipped: ";

/// `operation `id` skipped: reason`, the message of a warning that skips an operation.
pub fn skip_message(id: &str, reason: &str) -> String {
    format!("operation `{id}`{SKIPPED}{reason}")
}

/// The HTTP methods of a path item, as its keys.
const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Why a parameter object cannot be read, if it cannot.
fn bad_parameter(parameter: &Value) -> Option<String> {
    let map = parameter.as_object()?;
    if map.contains_key("$ref") || map.contains_key("schema") || map.contains_key("content") {
        return None;
    }
    let name = map.get("name").and_then(Value::as_str).unwrap_or("?");
    Some(format!(
        "parameter `{name}` has neither `schema` nor `content` (OpenAPI requires one of them)"
    ))
}

/// The first unreadable parameter of a `parameters` list: its pointer and why; `bad_components`
/// holds the unreadable `#/components/parameters/...` entries with theirs.
fn first_bad(
    list: Option<&Value>,
    at: &str,
    bad_components: &[(String, String)],
) -> Option<(String, String)> {
    let items = list?.as_array()?;
    items.iter().enumerate().find_map(|(i, p)| {
        let here = format!("{at}/parameters/{i}");
        if let Some(target) = p.get("$ref").and_then(Value::as_str) {
            let pointer = target.strip_prefix('#')?;
            return bad_components
                .iter()
                .find(|(c, _)| c == pointer)
                .map(|(_, why)| (here, why.clone()));
        }
        bad_parameter(p).map(|why| (here, why))
    })
}

/// Removes the operations that use an unreadable parameter (and the unreadable parameters
/// themselves) from `raw`: one warning per operation skipped.
pub fn unreadable_operations(raw: &mut Value) -> Vec<Diagnostic> {
    let mut findings = Vec::new();
    let mut bad_components: Vec<(String, String)> = Vec::new();
    if let Some(params) = raw
        .pointer_mut("/components/parameters")
        .and_then(Value::as_object_mut)
    {
        let bad: Vec<(String, String)> = params
            .iter()
            .filter_map(|(name, p)| bad_parameter(p).map(|why| (name.clone(), why)))
            .collect();
        for (name, why) in bad {
            params.remove(&name);
            bad_components.push((format!("/components/parameters/{}", escape(&name)), why));
        }
    }
    let Some(paths) = raw.get_mut("paths").and_then(Value::as_object_mut) else {
        return findings;
    };
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        let item_at = format!("/paths/{}", escape(path));
        let shared = first_bad(item.get("parameters"), &item_at, &bad_components);
        for method in METHODS {
            let Some(op) = item.get(*method) else {
                continue;
            };
            let at = format!("{item_at}/{method}");
            let Some((pointer, why)) =
                first_bad(op.get("parameters"), &at, &bad_components).or_else(|| shared.clone())
            else {
                continue;
            };
            let id = op.get("operationId").and_then(Value::as_str).map_or_else(
                || format!("{} {path}", method.to_uppercase()),
                str::to_owned,
            );
            findings.push(
                Diagnostic::new(pointer, skip_message(&id, &why))
                    .help("give the parameter a `schema` (e.g. `schema: {type: string}`); the rest of the spec is generated (`--strict` makes this an error)")
                    .warning(),
            );
            item.remove(*method);
        }
        if shared.is_some() {
            item.remove("parameters");
        }
    }
    findings
}
