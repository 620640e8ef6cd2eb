//! Numbers as the document writes them. JSON Schema numbers have no range, but serde_yaml's
//! value type refuses integers beyond `i64`/`u64` ("invalid type: integer ... as u128"), and
//! openapiv3 reads an integer schema's `minimum`, `maximum`, `multipleOf` and `enum` as `i64`
//! (a float or a larger number there makes the whole schema unreadable). YAML is therefore read
//! straight into JSON values, large integers kept as floats, and an integer schema's keywords
//! that do not fit the `i64` the schema becomes are dropped with a located warning.

use crate::diagnostic::Diagnostic;
use crate::shape::Kind;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};
use std::fmt;

/// Parses YAML text into a JSON tree: every integer and float is kept (beyond 64 bits as the
/// nearest float), and non-string keys (`200:`) become strings.
pub fn yaml_to_json(text: &str) -> Result<Value, serde_yaml::Error> {
    let Json(value) = serde::Deserialize::deserialize(serde_yaml::Deserializer::from_str(text))?;
    Ok(value)
}

struct Json(Value);

impl<'de> serde::Deserialize<'de> for Json {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(JsonVisitor).map(Json)
    }
}

struct JsonVisitor;

fn float(v: f64) -> Value {
    // YAML's `.nan` and `.inf` have no JSON form; serde_yaml's own conversion gives null too.
    Number::from_f64(v).map_or(Value::Null, Value::Number)
}

/// A map key as the string JSON needs (`200` -> `"200"`, `true` -> `"true"`).
fn key_string(key: Value) -> String {
    match key {
        Value::String(s) => s,
        Value::Null => "null".to_owned(),
        other => other.to_string(),
    }
}

impl<'de> Visitor<'de> for JsonVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or_else(|_| float(v as f64), Value::from))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
        Ok(u64::try_from(v).map_or_else(|_| float(v as f64), Value::from))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(Json(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(Json(key)) = map.next_key()? {
            let key = key_string(key);
            let Json(value) = map.next_value()?;
            if out.contains_key(&key) {
                return Err(de::Error::custom(format_args!(
                    "duplicate entry with key {key:?}"
                )));
            }
            out.insert(key, value);
        }
        Ok(Value::Object(out))
    }
    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        // A tagged value (`!tag value`) reads as `{"!tag": value}`, as serde_yaml converts it.
        use de::VariantAccess;
        let (Json(tag), variant) = data.variant()?;
        let Json(value) = variant.newtype_variant()?;
        let mut out = Map::new();
        out.insert(format!("!{}", key_string(tag)), value);
        Ok(Value::Object(out))
    }
}

/// The integer-schema keywords openapiv3 reads as `i64`.
const INTEGER_KEYWORDS: &[&str] = &["minimum", "maximum", "multipleOf"];

/// `value` as the `i64` it stands for, when it is one (`1e3` is 1000).
fn as_i64(value: &Value) -> Option<i64> {
    let n = value.as_number()?;
    n.as_i64().or_else(|| {
        let f = n.as_f64()?;
        // i64::MAX as f64 rounds up to 2^63, which does not fit: compare strictly.
        (f.fract() == 0.0 && f >= i64::MIN as f64 && f < i64::MAX as f64).then_some(f as i64)
    })
}

fn is_integer_schema(schema: &Map<String, Value>) -> bool {
    match schema.get("type") {
        Some(Value::String(t)) => t == "integer",
        Some(Value::Array(types)) => types.iter().any(|t| t == "integer"),
        _ => false,
    }
}

/// Makes the numeric keywords of every integer schema readable as `i64`: integral floats become
/// integers, a fractional bound is rounded inwards (`minimum: 0.5` admits the same integers as
/// `minimum: 1`), and a number that fits no `i64` is dropped with a warning at it.
pub fn fit_integer_schemas(raw: &mut Value) -> Vec<Diagnostic> {
    let mut findings = Vec::new();
    super::walk::objects(raw, &mut |kind, at, schema| {
        if kind != Kind::Schema || !is_integer_schema(schema) {
            return;
        }
        for key in INTEGER_KEYWORDS {
            let Some(value) = schema.get(*key) else {
                continue;
            };
            if !value.is_number() || value.is_i64() {
                continue;
            }
            let f = value.as_f64().unwrap_or(f64::NAN);
            let rounded = match *key {
                "minimum" => f.ceil(),
                "maximum" => f.floor(),
                _ => f,
            };
            match as_i64(&float(rounded)) {
                Some(n) if *key != "multipleOf" || n > 0 => {
                    schema.insert((*key).to_owned(), Value::from(n));
                }
                _ => {
                    findings.push(does_not_fit(&format!("{at}/{key}"), key, value));
                    schema.remove(*key);
                }
            }
        }
        if let Some(Value::Array(values)) = schema.get_mut("enum") {
            let mut kept = Vec::new();
            for (i, value) in values.drain(..).enumerate() {
                match as_i64(&value) {
                    Some(n) => kept.push(Value::from(n)),
                    None if value.is_number() => {
                        findings.push(does_not_fit(&format!("{at}/enum/{i}"), "enum", &value));
                    }
                    None => kept.push(value),
                }
            }
            *values = kept;
        }
    });
    findings
}

fn does_not_fit(pointer: &str, key: &str, value: &Value) -> Diagnostic {
    // A whole number beyond 64 bits is held as a float: shown with its digits, not `1.8e19`.
    let shown = match value.as_f64() {
        Some(f) if value.is_f64() && f.fract() == 0.0 && f.abs() < 1e21 => format!("{f:.0}"),
        _ => value.to_string(),
    };
    Diagnostic::new(
        pointer,
        format!("`{key}` {shown} does not fit the 64-bit integer (`i64`) this schema becomes: ignored"),
    )
    .help("use `type: number` for values beyond 64 bits, or a bound within -9223372036854775808..=9223372036854775807")
    .warning()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn yaml_numbers_beyond_64_bits_and_integer_keys() {
        let v = yaml_to_json("a: 18446744073709551616\nb: -99999999999999999999\nc: -9223372036854775808\n200: {d: 1.5e30}\n").expect("reads");
        assert_eq!(v["a"], json!(18446744073709551616.0));
        assert_eq!(v["b"], json!(-99999999999999999999.0));
        assert_eq!(v["c"], json!(i64::MIN));
        assert_eq!(v["200"]["d"], json!(1.5e30));
    }

    #[test]
    fn yaml_duplicate_keys_are_still_refused() {
        let e = yaml_to_json("a: 1\na: 2\n").expect_err("refused");
        assert!(e.to_string().contains("duplicate entry"), "{e}");
    }

    #[test]
    fn integer_keywords_fit_or_warn() {
        let mut raw = json!({"components": {"schemas": {"A": {
            "type": "integer", "minimum": 0.5, "maximum": 1e30, "multipleOf": 2.0,
            "enum": [1, 1e3, 18446744073709551616.0]
        }}}});
        let findings = fit_integer_schemas(&mut raw);
        let a = &raw["components"]["schemas"]["A"];
        assert_eq!(a["minimum"], json!(1));
        assert_eq!(a.get("maximum"), None);
        assert_eq!(a["multipleOf"], json!(2));
        assert_eq!(a["enum"], json!([1, 1000]));
        let at: Vec<&str> = findings.iter().map(|d| d.pointer.as_str()).collect();
        assert_eq!(
            at,
            [
                "/components/schemas/A/maximum",
                "/components/schemas/A/enum/2"
            ]
        );
    }
}
