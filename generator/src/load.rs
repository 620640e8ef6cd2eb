//! YAML or JSON text -> `openapiv3::OpenAPI`, with every finding located (file, line, JSON
//! pointer).

use crate::diagnostic::{escape, Diagnostic};
use crate::locate::LineIndex;
use openapiv3::OpenAPI;
use serde_json::Value;

pub(crate) mod ext;
mod numbers;
mod openapi31;
mod pointers;
pub(crate) mod skip;
mod walk;

/// A spec's text with what is needed to point into it.
#[derive(Debug)]
pub struct Source {
    /// The path shown in messages (`specs/<vendor>.yaml`).
    pub file: String,
    /// JSON rather than YAML (chooses the parser and the line index).
    json: bool,
    text: String,
    /// Copies made by the loader (`pointers`): each copy's pointer, and what it copies.
    aliases: Vec<(String, String)>,
}

impl Source {
    /// Fills in the file and line of a diagnostic.
    pub fn locate(&self, diagnostic: Diagnostic) -> Diagnostic {
        let mut located = self.locate_all(vec![diagnostic]);
        located.swap_remove(0)
    }

    /// Fills in the file and line of every diagnostic, in one scan of the text.
    pub fn locate_all(&self, mut diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
        for d in &mut diagnostics {
            self.unalias(d);
        }
        for d in &mut diagnostics {
            d.file.clone_from(&self.file);
        }
        // A clean spec (most runs) has nothing to locate: the scan of its text is skipped.
        if diagnostics.iter().all(|d| d.line.is_some()) {
            return diagnostics;
        }
        let needed = diagnostics
            .iter()
            .filter(|d| d.line.is_none())
            .map(|d| d.pointer.as_str());
        let index = self.scan(&crate::locate::wanted(needed));
        for d in &mut diagnostics {
            if d.line.is_none() {
                d.line = index.line_of(&d.pointer);
            }
        }
        diagnostics
    }

    /// Points a finding inside a loader-made copy at the original it copies.
    fn unalias(&self, diagnostic: &mut Diagnostic) {
        for (copy, original) in &self.aliases {
            if let Some(rest) = diagnostic.pointer.strip_prefix(copy.as_str()) {
                if rest.is_empty() || rest.starts_with('/') {
                    diagnostic.pointer = format!("{original}{rest}");
                    return;
                }
            }
        }
    }

    /// Scans the text for the `wanted` pointers (and duplicate keys).
    fn scan(&self, wanted: &crate::locate::Wanted) -> LineIndex {
        if self.json {
            LineIndex::json(&self.text, wanted)
        } else {
            LineIndex::yaml(&self.text, wanted)
        }
    }

    /// The first key that appears twice in one mapping.
    fn duplicate(&self) -> Option<(String, usize, usize)> {
        self.scan(&Some(Default::default()))
            .duplicates
            .into_iter()
            .next()
    }

    /// The first key that appears twice in one mapping of a JSON text.
    fn duplicate_in_json(text: &str) -> Option<(String, usize, usize)> {
        LineIndex::json(text, &Some(Default::default()))
            .duplicates
            .into_iter()
            .next()
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
    /// Findings of loading that do not stop lowering (misused extensions: errors; ignored
    /// extensions: a note), reported with its own.
    pub findings: Vec<Diagnostic>,
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

/// Specs larger than this are refused before parsing (GitHub's 3.7 MB description is far below).
pub const MAX_SPEC_BYTES: usize = 32 * 1024 * 1024;

/// Whether the text is JSON: by the file name, or by its first character.
fn is_json(file: &str, text: &str) -> bool {
    file.ends_with(".json") || text.trim_start().starts_with('{')
}

/// The error for a key written twice in one mapping: `(pointer, line, first line)` as
/// `Source::duplicate` finds it; `rule` says why the format refuses it.
fn duplicate_key((pointer, line, first): (String, usize, usize), rule: &str) -> Diagnostic {
    let key = pointer.rsplit('/').next().unwrap_or_default();
    let message = format!(
        "duplicate key `{}` (first defined on line {first})",
        unescape(key)
    );
    let mut d = Diagnostic::new(pointer, message)
        .help(format!("remove one of the two, or merge them: {rule}"));
    d.line = Some(line);
    d
}

/// Parses the text (YAML or JSON) into a JSON tree, with a located error when it cannot.
fn parse(source: &Source) -> Result<Value, Diagnostic> {
    let text = source.text.as_str();
    if source.json {
        return serde_json::from_str(text).map_err(|e| {
            let mut d = Diagnostic::new("", format!("invalid JSON: {e}"))
                .help("fix the JSON syntax at the line shown (a missing comma, quote or brace)");
            d.line = Some(e.line());
            d
        });
    }
    numbers::yaml_to_json(text).map_err(|e| {
        let message = e.to_string();
        if message.contains("duplicate entry") {
            if let Some(duplicate) = source.duplicate() {
                return duplicate_key(duplicate, "YAML mappings cannot repeat a key");
            }
        }
        let help = if message.contains("more than one document") {
            "a spec is one YAML document: remove the `---` or `...` separators after the first"
        } else {
            "fix the YAML syntax at the line shown (indentation, quoting, a missing colon)"
        };
        let mut d = Diagnostic::new("", format!("invalid YAML: {e}")).help(help);
        d.line = e.location().map(|l| l.line());
        d
    })
}

fn unescape(segment: &str) -> String {
    crate::shape::unescape(segment)
}

/// What the document says it is, when that is not OpenAPI 3.0.
fn version_findings(raw: &Value) -> Vec<Diagnostic> {
    if !raw.is_object() {
        return vec![Diagnostic::new("", "the document is not a mapping")
            .help("an OpenAPI document starts with `openapi: 3.0.3`")];
    }
    if let Some(v) = raw.get("swagger") {
        let v = v.as_str().map_or_else(|| v.to_string(), str::to_owned);
        return vec![Diagnostic::new(
            "/swagger",
            format!("this is a Swagger {v} (OpenAPI 2) document; the generator reads OpenAPI 3.0"),
        )
        .help("convert it to OpenAPI 3.0 first (for example with `npx swagger2openapi spec.yaml -o spec3.yaml`, or the Swagger Editor's \"Convert to OpenAPI 3\")")];
    }
    match raw.get("openapi") {
        Some(Value::String(v)) if v.starts_with("3.0.") || v.starts_with("3.1.") => Vec::new(),
        Some(Value::String(v)) => {
            vec![
                Diagnostic::new("/openapi", format!("OpenAPI version {v} is not supported"))
                    .help("write the spec in OpenAPI 3.0.x or 3.1.x (`openapi: 3.0.3`)"),
            ]
        }
        Some(other) => vec![Diagnostic::new(
            "/openapi",
            format!("the `openapi` version must be a string, not `{other}`"),
        )
        .help("quote it: `openapi: \"3.0.3\"`")],
        None => vec![Diagnostic::new("/openapi", "missing `openapi` version")
            .help("add `openapi: 3.0.3` at the top")],
    }
}

/// Locates a type error at the element that holds it. serde loses the path inside untagged
/// and internally tagged enums (`$ref`-or-object, parameters by `in`), so the value where it
/// stopped is deserialized again as the object it must be, until the path goes no deeper.
fn type_error(raw: &Value, error: serde_path_to_error::Error<serde_json::Error>) -> Diagnostic {
    let version = if openapi31::is_31(raw) {
        "OpenAPI 3.1 document (read as 3.0)"
    } else {
        "OpenAPI 3.0 document"
    };
    let mut pointer = serde_path_pointer(error.path());
    let mut message = error.inner().to_string();
    for _ in 0..32 {
        let Some(value) = raw.pointer(&pointer) else {
            break;
        };
        let Some(kind) = crate::shape::kind_at(&pointer) else {
            break;
        };
        match retry_as(kind, value) {
            Some((deeper, inner)) if !deeper.is_empty() => {
                pointer.push_str(&deeper);
                message = inner;
            }
            // Flattened maps (paths, responses) lose the path too: try each member.
            Some((_, inner)) => match bad_member(kind, value) {
                Some(deeper) => pointer.push_str(&deeper),
                None => {
                    message = inner;
                    break;
                }
            },
            None => break,
        }
    }
    Diagnostic::new(pointer, format!("not a valid {version}: {message}"))
        .help("compare this element with the OpenAPI 3.0.3 specification; `openapi-spec-validator` gives more detail")
}

/// The first member of `value` (an object of `kind`) that does not deserialize as what it must
/// be: its pointer relative to `value`.
fn bad_member(kind: crate::shape::Kind, value: &Value) -> Option<String> {
    use crate::shape::Child;
    let map = value.as_object()?;
    let seg = |key: &str| format!("/{}", escape(key));
    for (key, member) in map.iter().filter(|(k, _)| !k.starts_with("x-")) {
        match (kind.child(key), member) {
            (Child::One(k), _) if retry_as(k, member).is_some() => return Some(seg(key)),
            (Child::Map(k), Value::Object(items)) => {
                if let Some((name, _)) = items.iter().find(|(_, v)| retry_as(k, v).is_some()) {
                    return Some(format!("{}{}", seg(key), seg(name)));
                }
            }
            (Child::List(k), Value::Array(items)) => {
                if let Some(i) = items.iter().position(|v| retry_as(k, v).is_some()) {
                    return Some(format!("{}/{i}", seg(key)));
                }
            }
            _ => {}
        }
    }
    None
}

/// Deserializes `value` as the object `kind`: the path and message of the error, if any.
fn retry_as(kind: crate::shape::Kind, value: &Value) -> Option<(String, String)> {
    use crate::shape::Kind;
    fn attempt<T: serde::de::DeserializeOwned>(value: &Value) -> Option<(String, String)> {
        serde_path_to_error::deserialize::<_, T>(value)
            .err()
            .map(|e| (serde_path_pointer(e.path()), e.inner().to_string()))
    }
    if value.get("$ref").is_some() {
        return None;
    }
    match kind {
        Kind::Paths => attempt::<openapiv3::Paths>(value),
        Kind::PathItem => attempt::<openapiv3::PathItem>(value),
        Kind::Operation => attempt::<openapiv3::Operation>(value),
        Kind::Parameter => attempt::<openapiv3::ParameterData>(value)
            .or_else(|| attempt::<openapiv3::Parameter>(value)),
        Kind::Header => attempt::<openapiv3::Header>(value),
        Kind::RequestBody => attempt::<openapiv3::RequestBody>(value),
        Kind::Responses => attempt::<openapiv3::Responses>(value),
        Kind::Response => attempt::<openapiv3::Response>(value),
        Kind::MediaType => attempt::<openapiv3::MediaType>(value),
        Kind::Schema => {
            attempt::<openapiv3::SchemaData>(value).or_else(|| attempt::<openapiv3::Schema>(value))
        }
        Kind::SecurityScheme => attempt::<openapiv3::SecurityScheme>(value),
        Kind::Components => attempt::<openapiv3::Components>(value),
        Kind::Server => attempt::<openapiv3::Server>(value),
        Kind::Example => attempt::<openapiv3::Example>(value),
        Kind::Link => attempt::<openapiv3::Link>(value),
        _ => None,
    }
}

/// The fixed fields of a Response Object.
const RESPONSE_FIELDS: &[&str] = &["description", "headers", "content", "links", "$ref"];

/// Readings of published specs that are not strictly valid but whose intent is clear, each with
/// a warning: an operation with an empty `responses` documents no response (read as `default`
/// without a body), and unknown keys in a response object (a stray `type`) are dropped.
fn lenient(raw: &mut Value) -> Vec<Diagnostic> {
    let mut findings = Vec::new();
    let clean_response = |response: &mut Value, at: String, findings: &mut Vec<Diagnostic>| {
        let Some(map) = response.as_object_mut() else {
            return;
        };
        let stray: Vec<String> = map
            .keys()
            .filter(|k| !k.starts_with("x-") && !RESPONSE_FIELDS.contains(&k.as_str()))
            .cloned()
            .collect();
        for key in stray {
            map.remove(&key);
            findings.push(
                Diagnostic::new(
                    format!("{at}/{}", escape(&key)),
                    format!("`{key}` is not a field of a response object (ignored)"),
                )
                .help(format!(
                    "remove it; a response has {}; a body's type goes under `content.<media type>.schema`",
                    RESPONSE_FIELDS[..4].join(", ")
                ))
                .warning(),
            );
        }
    };
    if let Some(paths) = raw.get_mut("paths").and_then(Value::as_object_mut) {
        for (path, item) in paths.iter_mut() {
            let Some(item) = item.as_object_mut() else {
                continue;
            };
            for (method, op) in item.iter_mut() {
                let at = format!("/paths/{}/{}", escape(path), escape(method));
                let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) else {
                    continue;
                };
                if responses.is_empty() {
                    responses.insert(
                        "default".to_owned(),
                        serde_json::json!({"description": "No response is documented."}),
                    );
                    findings.push(
                        Diagnostic::new(
                            format!("{at}/responses"),
                            "`responses` is empty: read as a `default` response without a body",
                        )
                        .help("document the responses, e.g. `'200'` with its content, or `'204'`")
                        .warning(),
                    );
                    continue;
                }
                for (code, response) in responses.iter_mut() {
                    if !code.starts_with("x-") {
                        clean_response(
                            response,
                            format!("{at}/responses/{}", escape(code)),
                            &mut findings,
                        );
                    }
                }
            }
        }
    }
    if let Some(responses) = raw
        .pointer_mut("/components/responses")
        .and_then(Value::as_object_mut)
    {
        for (name, response) in responses.iter_mut() {
            clean_response(
                response,
                format!("/components/responses/{}", escape(name)),
                &mut findings,
            );
        }
    }
    findings
}

/// Parses and checks one spec (YAML or JSON). Returns every finding at once, located.
pub fn load(file: &str, text: &str) -> Result<Loaded, Vec<Diagnostic>> {
    // A UTF-8 byte-order mark is not part of the document.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let source = Source {
        file: file.to_owned(),
        json: is_json(file, text),
        text: text.to_owned(),
        aliases: Vec::new(),
    };
    if text.len() > MAX_SPEC_BYTES {
        return Err(vec![source.locate(
            Diagnostic::new(
                "",
                format!(
                    "the spec is {:.1} MB; the generator reads specs up to {} MB",
                    text.len() as f64 / 1e6,
                    MAX_SPEC_BYTES / (1024 * 1024)
                ),
            )
            .help("split the API into several specs, or move long prose out of the descriptions"),
        )]);
    }
    // serde_json keeps the last of two equal keys silently; YAML refuses them while parsing.
    // The text is scanned for them on a second core while it is parsed: on a large spec the
    // scan costs as much as the parse.
    std::thread::scope(|scope| {
        let scan = source
            .json
            .then(|| scope.spawn(|| Source::duplicate_in_json(text)));
        let duplicate = move || scan.and_then(|scan| scan.join().ok().flatten());
        load_parsed(source, duplicate)
    })
}

/// The rest of [`load`]: `duplicate` gives the first repeated key of a JSON text, if any.
fn load_parsed(
    mut source: Source,
    duplicate: impl FnOnce() -> Option<(String, usize, usize)>,
) -> Result<Loaded, Vec<Diagnostic>> {
    let parsed = parse(&source);
    // Waited for first: a parse error is reported once the scan is done, as before.
    let duplicate = duplicate();
    let mut raw = parsed.map_err(|d| vec![source.locate(d)])?;
    if let Some(duplicate) = duplicate {
        let d = duplicate_key(duplicate, "a JSON object must not repeat a key");
        return Err(vec![source.locate(d)]);
    }
    let findings = version_findings(&raw);
    if !findings.is_empty() {
        return Err(source.locate_all(findings));
    }
    let mut findings = if openapi31::is_31(&raw) {
        openapi31::normalise(&mut raw)
    } else {
        Vec::new()
    };
    findings.append(&mut openapi31::inline_path_items(&mut raw));
    findings.append(&mut numbers::fit_integer_schemas(&mut raw));
    findings.append(&mut lenient(&mut raw));
    findings.append(&mut skip::unreadable_operations(&mut raw));
    findings.append(&mut ext::check(&crate::shape::extensions(&raw)));
    source.aliases = pointers::hoist_deep_references(&mut raw);
    if !source.aliases.is_empty() {
        // A copied target may sit where the passes above do not look (a 3.1 `$defs`).
        if openapi31::is_31(&raw) {
            findings.append(&mut openapi31::schemas(&mut raw));
        }
        findings.append(&mut numbers::fit_integer_schemas(&mut raw));
    }
    findings.append(&mut pointers::dangling_schema_references(&mut raw));
    match serde_path_to_error::deserialize(&raw) {
        Ok(doc) => Ok(Loaded {
            source,
            doc,
            raw,
            findings,
        }),
        Err(e) => {
            findings.push(type_error(&raw, e));
            findings.retain(|d| d.severity.is_error());
            Err(source.locate_all(findings))
        }
    }
}
