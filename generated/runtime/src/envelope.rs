//! Response envelopes declared by `x-envelope`: where the payload sits in a 2xx body and how
//! such a body says that the call failed after all.

use super::error::{Failure, RawBody};
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

impl FailureTest {
    fn holds(&self, body: &Value) -> bool {
        let expected = |text: &str| serde_json::from_str::<Value>(text).ok();
        match *self {
            FailureTest::Equals { pointer, value } => body
                .pointer(pointer)
                .is_some_and(|v| Some(v) == expected(value).as_ref()),
            FailureTest::NotEquals { pointer, value } => body
                .pointer(pointer)
                .is_some_and(|v| Some(v) != expected(value).as_ref()),
            FailureTest::Present { pointer } => body.pointer(pointer).is_some_and(|v| !v.is_null()),
        }
    }
}

fn text_at(body: &Value, pointer: Option<&str>) -> Option<String> {
    match body.pointer(pointer?)? {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

impl Envelope {
    /// Splits a decoded 2xx body into the payload, or the failure it reports.
    pub(crate) fn open(&self, status: u16, body: Value, raw: &[u8]) -> Result<Value, Failure> {
        if self.failure.is_some_and(|test| test.holds(&body)) {
            return Err(Failure {
                status,
                code: text_at(&body, self.code),
                message: text_at(&body, self.message),
                request_id: text_at(&body, self.request_id),
                body: RawBody::new(raw.to_vec()),
            });
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
    };

    #[test]
    fn payload_is_extracted() {
        let body = json!({"code": 0, "data": {"a": 1}});
        assert_eq!(CODE.open(200, body, b"").unwrap(), json!({"a": 1}));
    }

    #[test]
    fn non_zero_code_is_a_failure() {
        let failure = CODE
            .open(200, json!({"code": 1001, "msg": "bad"}), b"{}")
            .unwrap_err();
        assert_eq!(failure.code.as_deref(), Some("1001"));
        assert_eq!(failure.message.as_deref(), Some("bad"));
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
}
