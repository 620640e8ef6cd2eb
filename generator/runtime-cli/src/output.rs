//! Writing results: pretty JSON, JSON lines, or an aligned table.

use api_token_runtime::PreparedRequest;
use serde_json::Value;
use std::io::Write;

/// `--output`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// JSON: one document, or one line per item with `--all`.
    Json,
    /// An aligned table (an object: one row per member; an array of objects: one row each).
    Table,
}

/// One value (nothing for `null`: a call without a response body).
pub(crate) fn value(out: &mut impl Write, format: Format, value: &Value) -> std::io::Result<()> {
    match (format, value) {
        (_, Value::Null) => Ok(()),
        (Format::Json, _) => {
            serde_json::to_writer_pretty(&mut *out, value)?;
            writeln!(out)
        }
        (Format::Table, _) => table(out, value),
    }
}

/// Every item of a list: JSON lines, or one table.
pub(crate) fn items(
    out: &mut impl Write,
    format: Format,
    items: Vec<Value>,
) -> std::io::Result<()> {
    match format {
        Format::Json => {
            for item in &items {
                serde_json::to_writer(&mut *out, item)?;
                writeln!(out)?;
            }
            Ok(())
        }
        Format::Table => table(out, &Value::Array(items)),
    }
}

/// A cell: text as is, anything else as compact JSON, on one line.
fn cell(value: &Value) -> String {
    let text = match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// A page (`{"data": [...], "pagination": {...}}`): the one member that is a list of objects.
fn items_of(value: &Value) -> Option<&Value> {
    let members = value.as_object()?;
    let mut lists = members.values().filter(|v| {
        v.as_array()
            .is_some_and(|items| !items.is_empty() && items.iter().all(Value::is_object))
    });
    let list = lists.next()?;
    lists.next().is_none().then_some(list)
}

fn table(out: &mut impl Write, value: &Value) -> std::io::Result<()> {
    // People want the rows of a page; JSON output keeps the rest.
    let value = items_of(value).unwrap_or(value);
    let rows: Vec<Vec<String>> = match value {
        Value::Array(items) if items.iter().all(Value::is_object) => {
            let mut columns: Vec<&str> = Vec::new();
            for item in items.iter().filter_map(Value::as_object) {
                for key in item.keys() {
                    if !columns.contains(&key.as_str()) {
                        columns.push(key);
                    }
                }
            }
            let header = columns.iter().map(|c| (*c).to_owned()).collect();
            let body = items.iter().map(|item| {
                columns
                    .iter()
                    .map(|c| item.get(*c).map(cell).unwrap_or_default())
                    .collect()
            });
            std::iter::once(header).chain(body).collect()
        }
        Value::Array(items) => items.iter().map(|item| vec![cell(item)]).collect(),
        Value::Object(members) => members
            .iter()
            .map(|(key, value)| vec![key.clone(), cell(value)])
            .collect(),
        scalar => vec![vec![cell(scalar)]],
    };
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|i| {
            rows.iter()
                .filter_map(|r| r.get(i))
                .map(|c| c.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    for row in rows {
        let mut line = String::new();
        for (i, text) in row.iter().enumerate() {
            if i + 1 == row.len() {
                line.push_str(text);
            } else {
                let pad = widths[i] - text.chars().count();
                line.push_str(text);
                line.push_str(&" ".repeat(pad + 2));
            }
        }
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

/// A dry run's request: a JSON object, or as table output an HTTP-like text.
pub(crate) fn prepared(
    out: &mut impl Write,
    format: Format,
    request: &PreparedRequest,
) -> std::io::Result<()> {
    match format {
        Format::Json => {
            let headers: serde_json::Map<String, Value> = request
                .headers
                .iter()
                .map(|(k, v)| (k.clone(), Value::String(v.clone())))
                .collect();
            let body = request.body.as_ref().map(|text| {
                serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.clone()))
            });
            let shown = serde_json::json!({
                "method": request.method,
                "url": request.url,
                "headers": headers,
                "body": body,
                "auth": request.auth,
            });
            serde_json::to_writer_pretty(&mut *out, &shown)?;
            writeln!(out)
        }
        Format::Table => {
            writeln!(out, "{} {}", request.method, request.url)?;
            for (name, value) in &request.headers {
                writeln!(out, "{name}: {value}")?;
            }
            if let Some(body) = &request.body {
                writeln!(out)?;
                writeln!(out, "{body}")?;
            }
            writeln!(out)?;
            writeln!(out, "(not sent; auth: {})", request.auth)
        }
    }
}
