//! TC3-HMAC-SHA256 over loopback HTTP: for every Tencent action, the mock server recomputes the
//! signature from what it actually received (method, path, query, body bytes, the signed headers'
//! values and `X-TC-Timestamp`) and answers only when it equals the one in `Authorization`.

use api_token_clients::runtime::{tc3, SigningKey};
use api_token_clients::tencent_vod::{types, Client, Credentials};
use serde_json::Value;
use tests::{config, Spec};
use wiremock::matchers::{header, method, path};
use wiremock::{Match, Mock, MockServer, Request, ResponseTemplate};

const SECRET_ID: &str = "AKIDsigningtest00000000000000000000";
const SECRET_KEY: &str = "signing-test-secret-key-00000000";
const SESSION_TOKEN: &str = "temporary-session-token-123";
const SERVICE: &str = "vod";
const SIGNED_HEADERS: &str = "content-type;host;x-tc-action";
/// Tencent rejects a timestamp more than five minutes away from its clock.
const MAX_SKEW_SECONDS: i64 = 300;

const ACTIONS: [(&str, &str); 4] = [
    ("createAigcApiToken", "CreateAigcApiToken"),
    ("describeAigcApiTokens", "DescribeAigcApiTokens"),
    ("deleteAigcApiToken", "DeleteAigcApiToken"),
    ("updateAigcApiToken", "UpdateAigcApiToken"),
];

/// A wiremock matcher that checks a request's TC3-HMAC-SHA256 signature.
#[derive(Clone)]
struct Tc3Signed {
    secret_id: String,
    secret_key: String,
    /// Recompute over these bytes instead of the received body (a tampered body).
    body: Option<Vec<u8>>,
}

impl Tc3Signed {
    fn new(secret_id: &str, secret_key: &str) -> Self {
        Self {
            secret_id: secret_id.to_owned(),
            secret_key: secret_key.to_owned(),
            body: None,
        }
    }

    /// The same check, but computed as if the body had been `body`.
    fn over_body(mut self, body: Vec<u8>) -> Self {
        self.body = Some(body);
        self
    }

    /// Why `request` does not carry a valid signature, if it does not.
    fn verify(&self, request: &Request) -> Result<(), String> {
        let get = |name: &str| {
            request
                .headers
                .get(name)
                .ok_or_else(|| format!("no {name} header"))?
                .to_str()
                .map_err(|_| format!("{name} is not text"))
        };
        let authorization = get("authorization")?;
        let timestamp: i64 = get("x-tc-timestamp")?
            .parse()
            .map_err(|e| format!("X-TC-Timestamp: {e}"))?;

        let fields = authorization
            .strip_prefix("TC3-HMAC-SHA256 ")
            .ok_or_else(|| format!("not a TC3 authorization: {authorization}"))?;
        let parts: Vec<&str> = fields.split(", ").collect();
        let [credential, signed_headers, signature] = parts[..] else {
            return Err(format!("malformed authorization: {authorization}"));
        };
        let credential = credential
            .strip_prefix("Credential=")
            .ok_or_else(|| format!("expected Credential=..., got {credential}"))?;
        let signed_headers = signed_headers
            .strip_prefix("SignedHeaders=")
            .ok_or_else(|| format!("expected SignedHeaders=..., got {signed_headers}"))?;
        let signature = signature
            .strip_prefix("Signature=")
            .ok_or_else(|| format!("expected Signature=..., got {signature}"))?;

        // The credential date is the UTC date of the timestamp (computed here with chrono, not
        // with the runtime's own date code).
        let date = chrono::DateTime::from_timestamp(timestamp, 0)
            .ok_or("timestamp out of range")?
            .format("%Y-%m-%d")
            .to_string();
        let want = format!("{}/{date}/{SERVICE}/tc3_request", self.secret_id);
        if credential != want {
            return Err(format!("Credential={credential}, expected {want}"));
        }
        if signed_headers != SIGNED_HEADERS {
            return Err(format!("SignedHeaders={signed_headers}"));
        }
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        if (now - timestamp).abs() > MAX_SKEW_SECONDS {
            return Err(format!(
                "X-TC-Timestamp {timestamp} is far from now ({now})"
            ));
        }

        let headers = [
            ("content-type", get("content-type")?),
            ("host", get("host")?),
            ("x-tc-action", get("x-tc-action")?),
        ];
        let recomputed = tc3::sign(
            &self.secret_id,
            &self.secret_key,
            &tc3::Tc3Request {
                method: request.method.as_str(),
                canonical_uri: request.url.path(),
                canonical_query: request.url.query().unwrap_or(""),
                headers: &headers,
                payload: self.body.as_deref().unwrap_or(&request.body),
                service: SERVICE,
                timestamp,
            },
        );
        if recomputed.signature != signature {
            return Err(format!(
                "Signature={signature}, recomputed {}",
                recomputed.signature
            ));
        }
        if recomputed.authorization != authorization {
            return Err(format!(
                "Authorization {authorization:?}, recomputed {:?}",
                recomputed.authorization
            ));
        }
        Ok(())
    }
}

impl Match for Tc3Signed {
    fn matches(&self, request: &Request) -> bool {
        match self.verify(request) {
            Ok(()) => true,
            Err(why) => {
                eprintln!("TC3 signature rejected: {why}");
                false
            }
        }
    }
}

fn spec() -> Spec {
    Spec::load("tencent-vod")
}

fn client(base: &str, key: SigningKey) -> Client {
    Client::new(base, Credentials::default().with_tc3(key), config()).expect("client")
}

fn key() -> SigningKey {
    SigningKey::new(SECRET_ID, SECRET_KEY)
}

/// The first documented answer of `id` (its success example).
fn success(spec: &Spec, id: &str) -> Value {
    let case = spec
        .operation(id)
        .responses()
        .into_iter()
        .next()
        .expect("a response");
    assert_eq!(case.status, 200);
    case.body.expect("a body")
}

/// Calls operation `id` with the spec's examples; the decoded payload, or the error's status
/// and debug text.
async fn call(client: &Client, spec: &Spec, id: &str) -> Result<Value, (Option<u16>, String)> {
    fn done<T: serde::Serialize, E: std::fmt::Debug>(
        result: Result<T, api_token_clients::runtime::Error<E>>,
    ) -> Result<Value, (Option<u16>, String)> {
        match result {
            Ok(value) => Ok(serde_json::to_value(value).expect("serializes")),
            Err(e) => Err((e.status(), format!("{e:?}"))),
        }
    }
    let op = spec.operation(id);
    // The region is a client setting, sent (and signed) on every call.
    let mut client = client.clone();
    if let Some(region) = op.param_example("X-TC-Region").as_str() {
        client = client.with_region(region);
    }
    match id {
        "createAigcApiToken" => {
            let body: types::CreateAigcApiTokenRequest = op.request_body();
            done(client.create_aigc_api_token(&body).await)
        }
        "describeAigcApiTokens" => {
            let body: types::DescribeAigcApiTokensRequest = op.request_body();
            done(client.describe_aigc_api_tokens(&body).await)
        }
        "deleteAigcApiToken" => {
            let body: types::DeleteAigcApiTokenRequest = op.request_body();
            done(client.delete_aigc_api_token(&body).await)
        }
        "updateAigcApiToken" => {
            let body: types::UpdateAigcApiTokenRequest = op.request_body();
            done(client.update_aigc_api_token(&body).await)
        }
        other => panic!("no call for {other}"),
    }
}

/// The received body with `SubAppId` changed: what an attacker replaying the signature would send.
fn tampered(body: &[u8]) -> Vec<u8> {
    let mut value: Value = serde_json::from_slice(body).expect("JSON body");
    value["SubAppId"] = Value::from(999_999_999_i64);
    serde_json::to_vec(&value).expect("serializes")
}

#[tokio::test]
async fn every_action_carries_a_valid_signature() {
    let spec = spec();
    for (id, action) in ACTIONS {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/"))
            .and(header("x-tc-action", action))
            .and(Tc3Signed::new(SECRET_ID, SECRET_KEY))
            .respond_with(ResponseTemplate::new(200).set_body_json(success(&spec, id)))
            .expect(1)
            .named(format!("{id} signed"))
            .mount(&server)
            .await;
        let result = call(&client(&server.uri(), key()), &spec, id).await;
        server.verify().await;
        assert!(result.is_ok(), "{id}: {result:?}");

        // The same request, checked again outside the server: it verifies as received, and no
        // longer verifies over a different body, a different key or a different action.
        let received = server.received_requests().await.expect("recording on");
        let request = &received[0];
        let verifier = Tc3Signed::new(SECRET_ID, SECRET_KEY);
        assert_eq!(verifier.verify(request), Ok(()), "{id}");
        let err = verifier
            .clone()
            .over_body(tampered(&request.body))
            .verify(request)
            .expect_err("a tampered body must not verify");
        assert!(err.starts_with("Signature="), "{id}: {err}");

        let mut altered = request.clone();
        altered.body = tampered(&request.body);
        assert!(!verifier.matches(&altered), "{id}: tampered body accepted");

        let wrong_key = Tc3Signed::new(SECRET_ID, "another-secret-key-0000000000000");
        assert!(!wrong_key.matches(request), "{id}: wrong key accepted");

        let mut other_action = request.clone();
        let swapped = if action == "DeleteAigcApiToken" {
            "CreateAigcApiToken"
        } else {
            "DeleteAigcApiToken"
        };
        other_action
            .headers
            .insert("x-tc-action", swapped.parse().expect("header value"));
        assert!(
            !verifier.matches(&other_action),
            "{id}: action swap accepted"
        );
    }
}

/// Over the wire: a server that recomputes over a different body never answers the request.
#[tokio::test]
async fn a_tampered_body_does_not_verify() {
    let spec = spec();
    for (id, _) in ACTIONS {
        let op = spec.operation(id);
        let (_, example) = op.request_examples().into_iter().next().expect("example");
        let sent = serde_json::to_vec(&example).expect("serializes");
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(Tc3Signed::new(SECRET_ID, SECRET_KEY).over_body(tampered(&sent)))
            .respond_with(ResponseTemplate::new(200).set_body_json(success(&spec, id)))
            .expect(0)
            .named(format!("{id} over a tampered body"))
            .mount(&server)
            .await;
        let result = call(&client(&server.uri(), key()), &spec, id).await;
        server.verify().await;
        // Nothing matched: wiremock's default answer, an undocumented 404.
        match result {
            Err((Some(404), debug)) => assert!(debug.contains("UnexpectedStatus"), "{debug}"),
            other => panic!("{id}: expected the unmatched 404, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn a_session_token_is_sent_as_x_tc_token() {
    let spec = spec();
    for (id, action) in ACTIONS {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/"))
            .and(header("x-tc-action", action))
            .and(header("x-tc-token", SESSION_TOKEN))
            .and(Tc3Signed::new(SECRET_ID, SECRET_KEY))
            .respond_with(ResponseTemplate::new(200).set_body_json(success(&spec, id)))
            .expect(1)
            .named(format!("{id} with a session token"))
            .mount(&server)
            .await;
        let temporary = key().with_session_token(SESSION_TOKEN);
        let result = call(&client(&server.uri(), temporary), &spec, id).await;
        server.verify().await;
        assert!(result.is_ok(), "{id}: {result:?}");
    }
}

#[tokio::test]
async fn without_a_session_token_no_x_tc_token_is_sent() {
    let spec = spec();
    let (id, _) = ACTIONS[0];
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(Tc3Signed::new(SECRET_ID, SECRET_KEY))
        .respond_with(ResponseTemplate::new(200).set_body_json(success(&spec, id)))
        .expect(1)
        .mount(&server)
        .await;
    call(&client(&server.uri(), key()), &spec, id)
        .await
        .expect("signed call");
    let received = server.received_requests().await.expect("recording on");
    assert!(received[0].headers.get("x-tc-token").is_none());
}
