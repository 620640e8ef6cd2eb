//! Flag values: typed at parse time (clap reports a bad integer or an unknown enum value as a
//! usage error), kept as JSON, and turned into the operation's Rust types through serde, so the
//! generated code only names flags and fields.

use crate::exit::Failure;
use clap::builder::{PossibleValue, TypedValueParser};
use clap::{Arg, ArgAction, ArgMatches};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use std::ffi::OsStr;

/// The JSON kind a flag's text becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A string (also dates, date-times and string enums).
    Text,
    /// An integer.
    Integer,
    /// A number.
    Number,
    /// `true` or `false`.
    Bool,
    /// JSON text (objects, arrays, unions).
    Json,
    /// JSON when the text parses as JSON, a string otherwise (unions of scalars).
    Scalar,
}

impl Kind {
    fn value_name(self) -> &'static str {
        match self {
            Kind::Text => "TEXT",
            Kind::Integer => "INTEGER",
            Kind::Number => "NUMBER",
            Kind::Bool => "BOOL",
            Kind::Json => "JSON",
            Kind::Scalar => "VALUE",
        }
    }
}

/// The parser of one flag: its kind and, for enums, the values the spec lists.
#[derive(Debug, Clone, Copy)]
pub struct Parser {
    kind: Kind,
    choices: &'static [&'static str],
}

impl TypedValueParser for Parser {
    type Value = Value;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&Arg>,
        value: &OsStr,
    ) -> Result<Value, clap::Error> {
        let invalid = |why: String| {
            let flag = arg.map_or_else(String::new, |a| format!(" for '{a}'"));
            let mut cmd = cmd.clone();
            cmd.error(
                clap::error::ErrorKind::InvalidValue,
                format!("invalid value '{}'{flag}: {why}", value.to_string_lossy()),
            )
        };
        let Some(text) = value.to_str() else {
            return Err(invalid("not valid UTF-8".to_owned()));
        };
        if !self.choices.is_empty() && !self.choices.contains(&text) {
            return Err(invalid(format!("one of {}", self.choices.join(", "))));
        }
        parse(self.kind, text).map_err(invalid)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        if self.choices.is_empty() {
            return None;
        }
        Some(Box::new(self.choices.iter().map(PossibleValue::new)))
    }
}

fn parse(kind: Kind, text: &str) -> Result<Value, String> {
    match kind {
        Kind::Text => Ok(Value::String(text.to_owned())),
        Kind::Integer => text
            .parse::<i64>()
            .map(Value::from)
            .map_err(|_| "not an integer".to_owned()),
        Kind::Number => text
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number)
            .ok_or_else(|| "not a number".to_owned()),
        Kind::Bool => text
            .parse::<bool>()
            .map(Value::Bool)
            .map_err(|_| "not true or false".to_owned()),
        Kind::Json => serde_json::from_str(text).map_err(|e| format!("not JSON: {e}")),
        Kind::Scalar => {
            Ok(serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_owned())))
        }
    }
}

/// `--<id> <KIND>`, typed by `kind`, with the spec's description as help.
pub fn flag(id: &'static str, kind: Kind, help: &'static str) -> Arg {
    Arg::new(id)
        .long(id)
        .value_name(kind.value_name())
        .value_parser(Parser { kind, choices: &[] })
        .help(help)
}

/// `--<id> <VALUE>`, one of the spec's enum values.
pub fn choice(
    id: &'static str,
    kind: Kind,
    choices: &'static [&'static str],
    help: &'static str,
) -> Arg {
    Arg::new(id)
        .long(id)
        .value_name("VALUE")
        .value_parser(Parser { kind, choices })
        .help(help)
}

/// A flag for an array: repeat it, one item each time.
pub fn repeated(arg: Arg) -> Arg {
    arg.action(ArgAction::Append)
}

/// The JSON of a flag: its value, or with `list` the array of its values.
fn json(matches: &ArgMatches, id: &str, list: bool) -> Option<Value> {
    let mut values = matches.try_get_many::<Value>(id).ok().flatten()?;
    if list {
        Some(Value::Array(values.cloned().collect()))
    } else {
        values.next().cloned()
    }
}

fn typed<T: DeserializeOwned>(value: Value, what: &str) -> Result<T, Failure> {
    serde_json::from_value(value)
        .map_err(|e| Failure::usage(format!("invalid value for {what}: {e}")))
}

/// An optional flag as the field's type.
pub fn optional<T: DeserializeOwned>(matches: &ArgMatches, id: &str) -> Result<Option<T>, Failure> {
    json(matches, id, false)
        .map(|v| typed(v, &format!("--{id}")))
        .transpose()
}

/// A required flag as the field's type (clap has made sure it is there).
pub fn required<T: DeserializeOwned>(matches: &ArgMatches, id: &str) -> Result<T, Failure> {
    optional(matches, id)?.ok_or_else(|| Failure::usage(format!("--{id} is required")))
}

/// A repeated flag as the field's (array) type; `None` when not given.
pub fn optional_list<T: DeserializeOwned>(
    matches: &ArgMatches,
    id: &str,
) -> Result<Option<T>, Failure> {
    json(matches, id, true)
        .map(|v| typed(v, &format!("--{id}")))
        .transpose()
}

/// A repeated flag as the field's (array) type; empty when not given.
pub fn required_list<T: DeserializeOwned>(matches: &ArgMatches, id: &str) -> Result<T, Failure> {
    typed(
        json(matches, id, true).unwrap_or(Value::Array(Vec::new())),
        &format!("--{id}"),
    )
}

/// How one body field is given: `(wire name, flag id, is a list)`.
pub type BodyFlag = (&'static str, &'static str, bool);

/// `--body FILE` (`-` for stdin): the request body as JSON, or as text for text and binary
/// bodies.
pub fn body_arg(required: bool) -> Arg {
    let help = if required {
        "The request body as JSON, from a file or `-` for stdin; flags for its fields override it"
    } else {
        "The request body (optional) as JSON, from a file or `-` for stdin; flags for its fields override it"
    };
    Arg::new("body").long("body").value_name("FILE").help(help)
}

/// The bytes `--body` names, if given.
pub fn body_bytes(matches: &ArgMatches) -> Result<Option<Vec<u8>>, Failure> {
    let Some(source) = matches.try_get_one::<String>("body").ok().flatten() else {
        return Ok(None);
    };
    let read = if source == "-" {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut bytes).map(|_| bytes)
    } else {
        std::fs::read(source)
    };
    read.map(Some)
        .map_err(|e| Failure::usage(format!("--body {source}: {e}")))
}

/// A text body from `--body`.
pub fn text_body(matches: &ArgMatches) -> Result<Option<String>, Failure> {
    body_bytes(matches)?
        .map(|bytes| String::from_utf8(bytes).map_err(|_| Failure::usage("--body: not UTF-8 text")))
        .transpose()
}

/// A JSON body: `--body`'s object (or `{}`), each field flag given set over it, and the
/// secret fields read from the environment (`secrets`: wire name and value). `None` when
/// nothing at all was given and the body is optional.
pub fn json_body<T: DeserializeOwned>(
    matches: &ArgMatches,
    fields: &[BodyFlag],
    secrets: Vec<(&'static str, Value)>,
    required: bool,
) -> Result<Option<T>, Failure> {
    let from_file = body_bytes(matches)?
        .map(|bytes| {
            serde_json::from_slice::<Value>(&bytes)
                .map_err(|e| Failure::usage(format!("--body is not JSON: {e}")))
        })
        .transpose()?;
    let mut overrides = Map::new();
    for (wire, id, list) in fields {
        if let Some(value) = json(matches, id, *list) {
            overrides.insert((*wire).to_owned(), value);
        }
    }
    for (wire, value) in secrets {
        overrides.insert(wire.to_owned(), value);
    }
    let body = match (from_file, overrides.is_empty()) {
        (None, true) if !required => return Ok(None),
        (None, _) => Value::Object(overrides),
        (Some(Value::Object(mut object)), _) => {
            object.extend(overrides);
            Value::Object(object)
        }
        (Some(other), true) => other,
        (Some(_), false) => {
            return Err(Failure::usage(
                "--body is not a JSON object, so field flags cannot be merged into it",
            ))
        }
    };
    serde_json::from_value(body)
        .map(Some)
        .map_err(|e| Failure::usage(format!("invalid request body: {e}")))
}
