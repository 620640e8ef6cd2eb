//! The `x-` extensions the generator understands (documented in `specs/README.md`): one
//! registry of their names and the objects each may sit on, the check of every extension in a
//! document against it, and the readers that turn each into a typed value.

use crate::diagnostic::{Diagnostic, Findings};
use crate::ir::{Envelope, FailureTest, RateLimit};
use crate::shape::{Extension, Kind};
use indexmap::IndexMap;
use serde_json::Value;
use std::collections::BTreeMap;

type Extensions = IndexMap<String, Value>;

/// One extension of ours: its name and the OpenAPI objects it may sit on.
#[derive(Debug)]
pub struct Known {
    /// `x-envelope`.
    pub name: &'static str,
    /// Where it is read; anywhere else it is an error.
    pub on: &'static [Kind],
}

/// Every extension the generator reads. Any other `x-` key is ignored (and listed in a note),
/// unless it is a near miss of one of these.
pub const REGISTRY: &[Known] = &[
    Known {
        name: "x-envelope",
        on: &[Kind::Document, Kind::Operation],
    },
    Known {
        name: "x-rate-limit",
        on: &[Kind::Document, Kind::Operation],
    },
    Known {
        name: "x-rpc",
        on: &[Kind::Operation],
    },
    Known {
        name: "x-idempotent",
        on: &[Kind::Operation],
    },
    Known {
        name: "x-idempotency-key",
        on: &[Kind::Operation],
    },
    Known {
        name: "x-pagination",
        on: &[Kind::Operation],
    },
    Known {
        name: "x-unverified",
        on: &[Kind::Operation],
    },
    Known {
        name: "x-signing",
        on: &[Kind::SecurityScheme],
    },
    Known {
        name: "x-name",
        on: &[Kind::Server],
    },
    Known {
        name: "x-client-setting",
        on: &[Kind::Parameter],
    },
    Known {
        name: "x-secret",
        on: &[Kind::Schema, Kind::Parameter],
    },
];

fn describe(kind: Kind) -> String {
    match kind {
        Kind::Document => "the document root".to_owned(),
        Kind::Info => "the info object".to_owned(),
        Kind::Paths => "the paths object".to_owned(),
        Kind::Components => "the components object".to_owned(),
        Kind::PathItem => "path items".to_owned(),
        Kind::RequestBody => "request bodies".to_owned(),
        Kind::OAuthFlows | Kind::OAuthFlow => "OAuth flows".to_owned(),
        Kind::Xml => "XML objects".to_owned(),
        other => {
            // `SecurityScheme` -> "security schemes".
            let name = format!("{other:?}");
            let mut words = String::new();
            for (i, c) in name.chars().enumerate() {
                if c.is_uppercase() && i > 0 {
                    words.push(' ');
                }
                words.push(c.to_ascii_lowercase());
            }
            format!("{words}s")
        }
    }
}

/// The extension of ours that `key` is probably a misspelling of: equal ignoring case and
/// `-`/`_`, or within a small edit distance (one edit for short names, two for longer ones).
pub fn near_miss(key: &str) -> Option<&'static str> {
    let fold = |s: &str| s.to_ascii_lowercase().replace('_', "-");
    let folded = fold(key);
    REGISTRY.iter().map(|k| k.name).find(|name| {
        let limit = if name.len() <= 8 { 1 } else { 2 };
        folded == *name
            || folded.replace('-', "") == name.replace('-', "")
            || strsim::damerau_levenshtein(&folded, name) <= limit
    })
}

/// Checks every extension of a document against the registry: one of ours in the wrong place
/// and a near miss of one of ours are errors; all other unknown extensions are ignored and
/// listed in one note.
pub fn check(found: &[Extension<'_>]) -> Vec<Diagnostic> {
    let mut findings = Vec::new();
    let mut ignored: BTreeMap<&str, (usize, &str)> = BTreeMap::new();
    // A vendor's own extensions repeat by the hundred (GitHub's `x-github`): each distinct key
    // is compared with ours once.
    let mut misses: std::collections::HashMap<&str, Option<&'static str>> =
        std::collections::HashMap::new();
    for ext in found {
        match REGISTRY.iter().find(|k| k.name == ext.key) {
            Some(known) if known.on.contains(&ext.on) => {}
            Some(known) => findings.push(
                Diagnostic::new(
                    ext.pointer.clone(),
                    format!("`{}` is not allowed on {}", ext.key, describe(ext.on)),
                )
                .help(format!(
                    "`{}` belongs on {}; see specs/README.md",
                    ext.key,
                    known
                        .on
                        .iter()
                        .map(|k| describe(*k))
                        .collect::<Vec<_>>()
                        .join(" or ")
                )),
            ),
            None => match *misses.entry(ext.key).or_insert_with(|| near_miss(ext.key)) {
                Some(meant) => findings.push(
                    Diagnostic::new(
                        ext.pointer.clone(),
                        format!("unknown extension `{}`: did you mean `{meant}`?", ext.key),
                    )
                    .help(format!(
                        "write `{meant}` (see specs/README.md); an extension this close to one of ours is taken as a typo, not ignored"
                    )),
                ),
                None => {
                    ignored
                        .entry(ext.key)
                        .or_insert((0, ext.pointer.as_str()))
                        .0 += 1;
                }
            },
        }
    }
    if !ignored.is_empty() {
        let list: Vec<String> = ignored
            .iter()
            .map(|(key, (count, _))| match count {
                1 => format!("`{key}`"),
                n => format!("`{key}` ({n}x)"),
            })
            .collect();
        findings.push(
            Diagnostic::new(
                "",
                format!(
                    "ignored extensions the generator does not read: {}",
                    list.join(", ")
                ),
            )
            .help(format!(
                "nothing to do unless one of them was meant as {}",
                REGISTRY
                    .iter()
                    .map(|k| k.name)
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
            .note(),
        );
    }
    findings
}

fn pointer_field(
    map: &serde_json::Map<String, Value>,
    key: &str,
    at: &str,
    findings: &mut Findings,
) -> Option<String> {
    match map.get(key)? {
        Value::String(p) if p.is_empty() || p.starts_with('/') => Some(p.clone()),
        _ => {
            findings.error(
                &format!("{at}/{key}"),
                format!("`{key}` must be a JSON pointer such as `/data`"),
                "write an RFC 6901 pointer starting with `/` (or `\"\"` for the whole body)",
            );
            None
        }
    }
}

/// `x-envelope`: `Ok(None)` when absent, `Ok(Some(None))` for `none`.
pub fn envelope(ext: &Extensions, at: &str, findings: &mut Findings) -> Option<Option<Envelope>> {
    let value = ext.get("x-envelope")?;
    let at = format!("{at}/x-envelope");
    if value.as_str() == Some("none") {
        return Some(None);
    }
    let Some(map) = value.as_object() else {
        findings.error(
            &at,
            "`x-envelope` must be a mapping or `none`",
            "see specs/README.md, section x-envelope",
        );
        return None;
    };
    for key in map.keys() {
        if !matches!(
            key.as_str(),
            "payload" | "failure" | "code" | "message" | "request-id"
        ) {
            findings.error(
                &format!("{at}/{}", crate::diagnostic::escape(key)),
                format!("unknown key `{key}` in `x-envelope`"),
                "allowed keys: payload, failure, code, message, request-id",
            );
        }
    }
    let payload = pointer_field(map, "payload", &at, findings).unwrap_or_default();
    let failure = map.get("failure").and_then(|f| {
        let fat = format!("{at}/failure");
        let Some(f) = f.as_object() else {
            findings.error(
                &fat,
                "`failure` must be a mapping",
                "e.g. `{pointer: /code, not-equals: 0}`",
            );
            return None;
        };
        let pointer = pointer_field(f, "pointer", &fat, findings);
        let Some(pointer) = pointer else {
            findings.error(
                &fat,
                "`failure` needs a `pointer`",
                "add `pointer: /code` (where the test looks)",
            );
            return None;
        };
        let tests: Vec<&String> = f.keys().filter(|k| *k != "pointer").collect();
        match (
            tests.as_slice(),
            f.get("equals"),
            f.get("not-equals"),
            f.get("present"),
        ) {
            ([_], Some(v), None, None) => Some(FailureTest::Equals(pointer, v.to_string())),
            ([_], None, Some(v), None) => Some(FailureTest::NotEquals(pointer, v.to_string())),
            ([_], None, None, Some(Value::Bool(true))) => Some(FailureTest::Present(pointer)),
            _ => {
                findings.error(
                    &fat,
                    "`failure` needs exactly one test: `equals`, `not-equals` or `present: true`",
                    "e.g. `{pointer: /status, equals: false}`",
                );
                None
            }
        }
    });
    Some(Some(Envelope {
        payload,
        failure,
        code: pointer_field(map, "code", &at, findings),
        message: pointer_field(map, "message", &at, findings),
        request_id: pointer_field(map, "request-id", &at, findings),
        // Filled in per operation from its 2xx response schema.
        required: Vec::new(),
    }))
}

/// `x-rpc`: (path, header, action).
pub fn rpc(
    ext: &Extensions,
    at: &str,
    findings: &mut Findings,
) -> Option<(String, String, String)> {
    let value = ext.get("x-rpc")?;
    let at = format!("{at}/x-rpc");
    let get = |key: &str| value.get(key).and_then(Value::as_str).map(str::to_owned);
    match (get("path"), get("header"), get("action")) {
        (Some(path), Some(header), Some(action)) if path.starts_with('/') => {
            if let Some(extra) = value.as_object().and_then(|m| {
                m.keys()
                    .find(|k| !matches!(k.as_str(), "path" | "header" | "action"))
            }) {
                findings.error(
                    &format!("{at}/{extra}"),
                    format!("unknown key `{extra}` in `x-rpc`"),
                    "allowed keys: path, header, action",
                );
            }
            Some((path, header, action))
        }
        _ => {
            findings.error(
                &at,
                "`x-rpc` needs `path` (starting with `/`), `header` and `action`, all strings",
                "e.g. `{path: /, header: X-TC-Action, action: CreateAigcApiToken}`",
            );
            None
        }
    }
}

/// `x-rate-limit`.
pub fn rate_limit(ext: &Extensions, at: &str, findings: &mut Findings) -> Option<RateLimit> {
    let value = ext.get("x-rate-limit")?;
    let at = format!("{at}/x-rate-limit");
    let Some(map) = value.as_object() else {
        findings.error(
            &at,
            "`x-rate-limit` must be a mapping",
            "see specs/README.md, section x-rate-limit",
        );
        return None;
    };
    let mut ok = true;
    for key in map.keys() {
        if !matches!(
            key.as_str(),
            "requests" | "per-seconds" | "scope" | "retry-after-header"
        ) {
            findings.error(
                &format!("{at}/{key}"),
                format!("unknown key `{key}` in `x-rate-limit`"),
                "allowed keys: requests, per-seconds, scope, retry-after-header",
            );
            ok = false;
        }
    }
    let requests = match map.get("requests") {
        None => None,
        Some(v) => match v
            .as_u64()
            .and_then(|n| u32::try_from(n).ok())
            .filter(|n| *n > 0)
        {
            Some(n) => Some(n),
            None => {
                findings.error(
                    &format!("{at}/requests"),
                    "`requests` must be a positive integer",
                    "e.g. `requests: 20`",
                );
                ok = false;
                None
            }
        },
    };
    let per_seconds = match map.get("per-seconds") {
        None if requests.is_none() => 1.0,
        None => {
            findings.error(
                &at,
                "`requests` needs `per-seconds`",
                "add `per-seconds: 1`",
            );
            ok = false;
            1.0
        }
        Some(v) => match v.as_f64().filter(|s| *s > 0.0) {
            Some(s) => s,
            None => {
                findings.error(
                    &format!("{at}/per-seconds"),
                    "`per-seconds` must be a positive number",
                    "e.g. `per-seconds: 1`",
                );
                ok = false;
                1.0
            }
        },
    };
    let per_operation = match map.get("scope").map(|v| v.as_str()) {
        None | Some(Some("operation")) => true,
        Some(Some("api")) => false,
        Some(_) => {
            findings.error(
                &format!("{at}/scope"),
                "`scope` must be `operation` or `api`",
                "`operation`: each operation has its own budget; `api`: one shared budget",
            );
            ok = false;
            true
        }
    };
    let retry_after_header = match map.get("retry-after-header") {
        None => None,
        Some(Value::String(h)) => Some(h.clone()),
        Some(_) => {
            findings.error(
                &format!("{at}/retry-after-header"),
                "`retry-after-header` must be a header name",
                "e.g. `X-RateLimit-Retry-After`",
            );
            ok = false;
            None
        }
    };
    ok.then_some(RateLimit {
        requests,
        per_seconds,
        per_operation,
        retry_after_header,
    })
}

/// A boolean extension such as `x-idempotent` or `x-secret`.
pub fn flag(ext: &Extensions, key: &str, at: &str, findings: &mut Findings) -> bool {
    match ext.get(key) {
        None => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => {
            findings.error(
                &format!("{at}/{key}"),
                format!("`{key}` must be `true` or `false`"),
                format!("write `{key}: true`"),
            );
            false
        }
    }
}

/// `x-idempotency-key`: the header (`Idempotency-Key`) that makes a repeated request of the
/// operation the same request for the server; the runtime sends one key per call.
pub fn idempotency_key(ext: &Extensions, at: &str, findings: &mut Findings) -> Option<String> {
    let key = "x-idempotency-key";
    let value = ext.get(key)?;
    let token = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
    match value.as_str().map(str::trim) {
        Some(name) if !name.is_empty() && name.chars().all(token) => Some(name.to_owned()),
        _ => {
            findings.error(
                &format!("{at}/{key}"),
                format!("`{key}` must be the name of the header that carries the key"),
                format!("e.g. `{key}: Idempotency-Key`"),
            );
            None
        }
    }
}

/// A text extension such as `x-unverified` or `x-name`.
pub fn text(ext: &Extensions, key: &str, at: &str, findings: &mut Findings) -> Option<String> {
    match ext.get(key)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        _ => {
            findings.error(
                &format!("{at}/{key}"),
                format!("`{key}` must be a non-empty string"),
                format!("e.g. `{key}: <text>`"),
            );
            None
        }
    }
}

/// The styles of `x-pagination` and the keys each takes besides `style` and `items`.
const PAGINATION_STYLES: &[(&str, &[&str])] = &[
    ("page", &["page-param", "first-page", "total-pages"]),
    ("offset", &["offset-param", "total-items"]),
    ("cursor", &["cursor-param", "next-cursor"]),
];

/// `x-pagination` as written, before it is checked against the operation.
#[derive(Debug)]
pub struct PaginationKeys {
    /// `items`: pointer to the array of items.
    pub items: String,
    /// The style and its keys.
    pub style: PaginationKeysStyle,
}

/// The style-specific keys of `x-pagination`.
#[derive(Debug)]
pub enum PaginationKeysStyle {
    /// `style: page` (the default): `page-param`, `first-page`, `total-pages`.
    Page {
        param: String,
        first: i64,
        total: Option<String>,
    },
    /// `style: offset`: `offset-param`, `total-items`.
    Offset {
        param: String,
        total: Option<String>,
    },
    /// `style: cursor`: `cursor-param`, `next-cursor`.
    Cursor { param: String, next: String },
}

/// The key of `keys` that `key` probably misspells (case, `_` for `-`, or one or two edits).
fn near_key<'k>(key: &str, keys: impl IntoIterator<Item = &'k str>) -> Option<&'k str> {
    let folded = key.to_ascii_lowercase().replace('_', "-");
    keys.into_iter()
        .find(|k| folded == *k || strsim::damerau_levenshtein(&folded, k) <= 2)
}

/// `x-pagination`'s `style` (`page` when absent); a style it does not know is reported.
fn pagination_style(
    map: &serde_json::Map<String, Value>,
    at: &str,
    findings: &mut Findings,
) -> Option<&'static str> {
    let styles = || PAGINATION_STYLES.iter().map(|(name, _)| *name);
    let Some(v) = map.get("style") else {
        return Some("page");
    };
    if let Some(style) = v.as_str().and_then(|s| styles().find(|name| *name == s)) {
        return Some(style);
    }
    let help = match near_key(v.as_str().unwrap_or_default(), styles()) {
        Some(near) => format!("did you mean `style: {near}`?"),
        None => "one of `page` (the default), `offset`, `cursor`".to_owned(),
    };
    findings.error(
        &format!("{at}/style"),
        format!(
            "`{}` is not a pagination style",
            v.as_str().unwrap_or("(not text)")
        ),
        help,
    );
    None
}

/// Reports every key of `x-pagination` that `style` does not take: a misspelling of one it
/// takes (returned, so its absence is not reported too), a key of another style, or unknown.
fn unknown_pagination_keys(
    map: &serde_json::Map<String, Value>,
    style: &str,
    at: &str,
    findings: &mut Findings,
) -> Vec<&'static str> {
    let own: &[&str] = PAGINATION_STYLES
        .iter()
        .find(|(name, _)| *name == style)
        .map_or(&[], |(_, keys)| keys);
    let allowed = || ["style", "items"].into_iter().chain(own.iter().copied());
    let mut suggested = Vec::new();
    for key in map.keys() {
        if allowed().any(|k| k == key) {
            continue;
        }
        let other = PAGINATION_STYLES
            .iter()
            .find(|(_, keys)| keys.contains(&key.as_str()));
        let (message, help) = match (other, near_key(key, allowed())) {
            (_, Some(near)) => {
                suggested.push(near);
                (
                    format!("unknown key `{key}` in `x-pagination`"),
                    format!("did you mean `{near}`?"),
                )
            }
            (Some((other, _)), None) => (
                format!("`{key}` belongs to `style: {other}`, not to `style: {style}`"),
                format!("the keys of `style: {style}`: items, {}", own.join(", ")),
            ),
            (None, None) => (
                format!("unknown key `{key}` in `x-pagination`"),
                format!(
                    "the keys of `style: {style}`: style, items, {}",
                    own.join(", ")
                ),
            ),
        };
        findings.error(&format!("{at}/{key}"), message, help);
    }
    suggested
}

/// `x-pagination`, unchecked against the operation: every problem with the keys is reported
/// (unknown, misspelt, of another style, missing), with the fix.
pub fn pagination(ext: &Extensions, at: &str, findings: &mut Findings) -> Option<PaginationKeys> {
    let value = ext.get("x-pagination")?;
    let at = format!("{at}/x-pagination");
    let Some(map) = value.as_object() else {
        findings.error(
            &at,
            "`x-pagination` must be a mapping",
            "see specs/README.md, section x-pagination",
        );
        return None;
    };
    let style = pagination_style(map, &at, findings)?;
    // Keys a misspelling was reported for: their absence is not reported again.
    let suggested = unknown_pagination_keys(map, style, &at, findings);
    let mut text = |key: &str, help: &str| match map.get(key) {
        // Taken as written, even empty or blank: it must match a parameter's name, and
        // parameters may have any name (the operation check reports one that matches none).
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => {
            findings.error(
                &format!("{at}/{key}"),
                format!("`{key}` must be the name of a query parameter"),
                help.to_owned(),
            );
            None
        }
        None => {
            if !suggested.contains(&key) {
                findings.error(
                    &at,
                    format!("`x-pagination` needs `{key}`"),
                    help.to_owned(),
                );
            }
            None
        }
    };
    let style = match style {
        "offset" => PaginationKeysStyle::Offset {
            param: text(
                "offset-param",
                "name the query parameter that holds the offset",
            )?,
            total: pointer_field(map, "total-items", &at, findings),
        },
        "cursor" => {
            let param = text(
                "cursor-param",
                "name the query parameter that holds the cursor",
            );
            let next = pointer_field(map, "next-cursor", &at, findings);
            if next.is_none()
                && !map.contains_key("next-cursor")
                && !suggested.contains(&"next-cursor")
            {
                findings.error(
                    &at,
                    "`x-pagination` needs `next-cursor`",
                    "a JSON pointer to the next page's cursor in the payload, e.g. `/next`",
                );
            }
            PaginationKeysStyle::Cursor {
                param: param?,
                next: next?,
            }
        }
        _ => {
            let param = text(
                "page-param",
                "name the query parameter that holds the page number",
            );
            let first = match map.get("first-page") {
                None => Some(1),
                Some(v) => {
                    let first = v.as_i64();
                    if first.is_none() {
                        findings.error(
                            &format!("{at}/first-page"),
                            "`first-page` must be an integer",
                            "e.g. `first-page: 1`",
                        );
                    }
                    first
                }
            };
            PaginationKeysStyle::Page {
                param: param?,
                first: first?,
                total: pointer_field(map, "total-pages", &at, findings),
            }
        }
    };
    let Some(items) = pointer_field(map, "items", &at, findings) else {
        if !map.contains_key("items") && !suggested.contains(&"items") {
            findings.error(
                &at,
                "`x-pagination` needs `items`",
                "a JSON pointer to the array of items in the payload, e.g. `/data`",
            );
        }
        return None;
    };
    // Reported key problems fail the run; the rest is still checked against the operation.
    Some(PaginationKeys { items, style })
}
