//! Response envelopes declared by `x-envelope`: where the payload sits in a 2xx body and how
//! such a body says that the call failed after all.

use super::error::{Failure, RawBody};
use super::raw_pointer;
use serde_json::value::RawValue;
use serde_json::Value;

/// A spec's `x-envelope`, as constants in generated code.
#[derive(Debug, Clone, Copy)]
pub struct Envelope {
    /// JSON pointer to the payload (`""` for the whole body).
    pub payload: &'static str,
    /// When a 2xx body is a failure.
    pub failure: Option<FailureTest>,
    /// JSON pointer to the vendor's error code.
    pub code: Option<&'static str>,
    /// JSON pointer to the vendor's error message.
    pub message: Option<&'static str>,
    /// JSON pointer to the vendor's request id.
    pub request_id: Option<&'static str>,
    /// The pointers above that the spec's 2xx schema requires: a body without one of them is
    /// not the vendor's envelope (a gateway's JSON, say) and is an error, not a success.
    pub required: &'static [&'static str],
}

/// Why a 2xx body was not a success.
#[derive(Debug)]
pub(crate) enum Opened {
    /// The body reports a failure.
    Failure(Failure),
    /// The body does not match the envelope.
    Mismatch(String),
}

/// A test on a 2xx body; when it holds, the body reports a failure.
#[derive(Debug, Clone, Copy)]
pub enum FailureTest {
    /// The value at `pointer` equals `value` (JSON text).
    Equals {
        /// Where to look.
        pointer: &'static str,
        /// The JSON value that means failure.
        value: &'static str,
    },
    /// The value at `pointer` exists and differs from `value` (JSON text).
    NotEquals {
        /// Where to look.
        pointer: &'static str,
        /// The JSON value that means success.
        value: &'static str,
    },
    /// The value at `pointer` exists and is not null.
    Present {
        /// Where to look.
        pointer: &'static str,
    },
}

/// The value at a JSON pointer, like [`Value::pointer`] but without allocating for tokens
/// that need no unescaping (every pointer of our specs): this runs several times per call.
fn at<'v>(mut value: &'v Value, pointer: &str) -> Option<&'v Value> {
    if pointer.is_empty() {
        return Some(value);
    }
    for token in pointer.strip_prefix('/')?.split('/') {
        let token = if token.contains('~') {
            std::borrow::Cow::Owned(token.replace("~1", "/").replace("~0", "~"))
        } else {
            std::borrow::Cow::Borrowed(token)
        };
        value = match value {
            Value::Object(map) => map.get(token.as_ref())?,
            // As `Value::pointer`: no sign, no leading zero.
            Value::Array(items)
                if !(token.starts_with('+') || token.starts_with('0') && token.len() > 1) =>
            {
                items.get(token.parse::<usize>().ok()?)?
            }
            _ => return None,
        };
    }
    Some(value)
}

/// The JSON kind of a value, for messages.
fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

impl FailureTest {
    /// A discriminator of another JSON kind than the value it is compared with (`"false"` for
    /// `false`) would make the test silently pass: it means the body is not the envelope.
    fn mismatch(&self, body: &Value) -> Option<String> {
        let (FailureTest::Equals { pointer, value } | FailureTest::NotEquals { pointer, value }) =
            *self
        else {
            return None;
        };
        let expected = serde_json::from_str::<Value>(value).ok()?;
        let found = at(body, pointer)?;
        (!found.is_null() && kind(found) != kind(&expected)).then(|| {
            format!(
                "the envelope's `{pointer}` is {}, where the spec compares it with {}",
                kind(found),
                kind(&expected)
            )
        })
    }

    fn pointer(&self) -> &'static str {
        match *self {
            FailureTest::Equals { pointer, .. }
            | FailureTest::NotEquals { pointer, .. }
            | FailureTest::Present { pointer } => pointer,
        }
    }

    fn holds(&self, body: &Value) -> bool {
        let expected = |text: &str| serde_json::from_str::<Value>(text).ok();
        match *self {
            FailureTest::Equals { pointer, value } => {
                at(body, pointer).is_some_and(|v| Some(v) == expected(value).as_ref())
            }
            FailureTest::NotEquals { pointer, value } => {
                at(body, pointer).is_some_and(|v| Some(v) != expected(value).as_ref())
            }
            FailureTest::Present { pointer } => at(body, pointer).is_some_and(|v| !v.is_null()),
        }
    }
}

fn text_at(body: &Value, pointer: Option<&str>) -> Option<String> {
    match at(body, pointer?)? {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

impl Envelope {
    /// The request id a body carries where the envelope says, if the body is JSON and has one.
    pub(crate) fn request_id_in(&self, raw: &[u8]) -> Option<String> {
        let pointer = self.request_id?;
        let body: Value = serde_json::from_slice(raw).ok()?;
        text_at(&body, Some(pointer))
    }

    /// The payload's text when `body` is plainly a success: JSON, every required member
    /// present, the failure test not holding, its discriminator of the compared kind. Found
    /// without parsing the body into a tree; `None` leaves the body to [`Envelope::open`],
    /// which says what is wrong (or decodes the failure) exactly as before.
    pub(crate) fn success<'a>(&self, body: &'a str) -> Option<&'a RawValue> {
        // One walk for the payload's pointer, the discriminator's and the required ones
        // (often the payload's again).
        let mut query = raw_pointer::Query::default();
        let payload = query.add(self.payload)?;
        let failure = match self.failure {
            Some(test) => Some(query.add(test.pointer())?),
            None => None,
        };
        let mut required = [0; raw_pointer::MANY];
        for (i, pointer) in self.required.iter().enumerate() {
            *required.get_mut(i)? = query.add(pointer)?;
        }
        let found = query.run(body).ok()?;
        let payload = found[payload]?;
        if required[..self.required.len()]
            .iter()
            .any(|&i| found[i].is_none())
        {
            return None;
        }
        if let Some(test) = self.failure {
            // The same verdicts as `FailureTest::mismatch` and `FailureTest::holds`.
            let holds = match (test, failure.and_then(|i| found[i])) {
                (_, None) => false,
                (FailureTest::Present { .. }, Some(raw)) => raw.get() != "null",
                (
                    FailureTest::Equals { value, .. } | FailureTest::NotEquals { value, .. },
                    Some(raw),
                ) => {
                    let found: Value = serde_json::from_str(raw.get()).ok()?;
                    let expected: Value = serde_json::from_str(value).ok()?;
                    if !found.is_null() && kind(&found) != kind(&expected) {
                        return None;
                    }
                    (found == expected) == matches!(test, FailureTest::Equals { .. })
                }
            };
            if holds {
                return None;
            }
        }
        Some(payload)
    }

    /// Splits a decoded 2xx body into the payload, or the failure it reports, or says why it
    /// is not the envelope at all.
    pub(crate) fn open(
        &self,
        operation: &'static str,
        status: u16,
        body: Value,
        raw: &[u8],
    ) -> Result<Value, Opened> {
        let absent = self.required.iter().find(|p| at(&body, p).is_none());
        // A failure body may lack the payload, so only the discriminator is checked first.
        if let Some(missing) = absent.filter(|p| self.failure.is_some_and(|t| t.pointer() == **p)) {
            return Err(Opened::Mismatch(format!(
                "the envelope's required `{missing}` is absent"
            )));
        }
        if let Some(reason) = self.failure.and_then(|test| test.mismatch(&body)) {
            return Err(Opened::Mismatch(reason));
        }
        if self.failure.is_some_and(|test| test.holds(&body)) {
            return Err(Opened::Failure(Failure {
                operation,
                status,
                code: text_at(&body, self.code),
                message: text_at(&body, self.message),
                request_id: text_at(&body, self.request_id),
                body: RawBody::new(raw.to_vec()),
            }));
        }
        if let Some(missing) = absent {
            return Err(Opened::Mismatch(format!(
                "the envelope's required `{missing}` is absent"
            )));
        }
        let mut body = body;
        Ok(body
            .pointer_mut(self.payload)
            .map(Value::take)
            .unwrap_or(Value::Null))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const CODE: Envelope = Envelope {
        payload: "/data",
        failure: Some(FailureTest::NotEquals {
            pointer: "/code",
            value: "0",
        }),
        code: Some("/code"),
        message: Some("/msg"),
        request_id: None,
        required: &["/code", "/data"],
    };

    #[test]
    fn payload_is_extracted() {
        let body = json!({"code": 0, "data": {"a": 1}});
        assert_eq!(CODE.open("op", 200, body, b"").unwrap(), json!({"a": 1}));
    }

    #[test]
    fn non_zero_code_is_a_failure() {
        let Opened::Failure(failure) = CODE
            .open("op", 200, json!({"code": 1001, "msg": "bad"}), b"{}")
            .unwrap_err()
        else {
            panic!("a failure")
        };
        assert_eq!(failure.code.as_deref(), Some("1001"));
        assert_eq!(failure.message.as_deref(), Some("bad"));
    }

    #[test]
    fn a_body_without_a_required_member_or_of_another_kind_is_not_the_envelope() {
        let absent = CODE.open("op", 200, json!({"msg": "m", "data": null}), b"{}");
        assert!(
            matches!(&absent, Err(Opened::Mismatch(m)) if m.contains("`/code` is absent")),
            "{absent:?}"
        );
        let wrong = CODE.open("op", 200, json!({"code": "0", "data": {}}), b"{}");
        assert!(
            matches!(&wrong, Err(Opened::Mismatch(m)) if m.contains("a string")),
            "{wrong:?}"
        );
        // Required but null is present.
        assert_eq!(
            CODE.open("op", 200, json!({"code": 0, "data": null}), b"")
                .unwrap(),
            Value::Null
        );
    }

    #[test]
    fn pointers_resolve_as_serde_json_does() {
        use crate::raw_pointer::cases::{DOCUMENT, POINTERS};
        let body: Value = serde_json::from_str(DOCUMENT).unwrap();
        for pointer in POINTERS {
            assert_eq!(at(&body, pointer), body.pointer(pointer), "{pointer}");
        }
    }

    #[test]
    fn present_and_equals() {
        let present = FailureTest::Present {
            pointer: "/Response/Error",
        };
        assert!(present.holds(&json!({"Response": {"Error": {"Code": "X"}}})));
        assert!(!present.holds(&json!({"Response": {"RequestId": "r"}})));
        let equals = FailureTest::Equals {
            pointer: "/status",
            value: "false",
        };
        assert!(equals.holds(&json!({"status": false})));
        assert!(!equals.holds(&json!({"status": true})));
    }

    /// The fast path settles exactly the bodies that `open` calls a success, with the same
    /// payload, and leaves every other body to `open`.
    #[test]
    fn success_agrees_with_open() {
        let tencent = Envelope {
            payload: "/Response",
            failure: Some(FailureTest::Present {
                pointer: "/Response/Error",
            }),
            code: Some("/Response/Error/Code"),
            message: Some("/Response/Error/Message"),
            request_id: Some("/Response/RequestId"),
            required: &["/Response", "/Response/RequestId"],
        };
        let equals = Envelope {
            payload: "",
            failure: Some(FailureTest::Equals {
                pointer: "/ok",
                value: "false",
            }),
            code: None,
            message: None,
            request_id: None,
            required: &["/ok"],
        };
        let null_means_failure = Envelope {
            failure: Some(FailureTest::Equals {
                pointer: "/ok",
                value: "null",
            }),
            required: &[],
            ..equals
        };
        let bodies = [
            r#"{"Response": {"RequestId": "r", "ApiTokens": ["a"]}}"#,
            r#"{"Response": {"RequestId": "r", "Error": null}}"#,
            r#"{"Response": {"RequestId": "r", "Error": {"Code": "X", "Message": "m"}}}"#,
            r#"{"Response": {"Error": {"Code": "X"}}}"#,
            r#"{"Response": {"ApiTokens": []}}"#,
            r#"{"Response": null}"#,
            r#"{"Response": [1], "RequestId": "r"}"#,
            r#"{"code": 0, "data": {"a": 1}}"#,
            r#"{"code": 0, "data": null}"#,
            r#"{"code": null, "data": 1}"#,
            r#"{"code": 7, "msg": "bad"}"#,
            r#"{"code": "0", "data": {}}"#,
            r#"{"msg": "m", "data": null}"#,
            r#"{"code": 0, "data": 1, "code": 3}"#,
            r#"{"ok": true, "v": 1}"#,
            r#"{"ok": false}"#,
            r#"{"ok": null}"#,
            r#"{"ok": "false"}"#,
            r#"{}"#,
            r#"[]"#,
            r#""text""#,
            "null",
        ];
        for envelope in [tencent, CODE, equals, null_means_failure] {
            for body in bodies {
                let value: Value = serde_json::from_str(body).unwrap();
                let opened = envelope.open("op", 200, value, body.as_bytes());
                let fast = envelope
                    .success(body)
                    .map(|raw| serde_json::from_str::<Value>(raw.get()).unwrap());
                assert_eq!(fast, opened.ok(), "{body} with {envelope:?}");
            }
        }
    }
}
