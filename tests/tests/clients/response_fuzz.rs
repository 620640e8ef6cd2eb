//! Response handling never panics, whatever the server sends: arbitrary bytes, arbitrary JSON,
//! the specs' own examples truncated or corrupted, any status and content type.
//!
//! Two properties:
//! - every decoding kind of [`Response`] (`json`, `enveloped` with each vendor's envelope,
//!   `empty`, `api_error`, `api_error_empty`, `unexpected`), over statuses 100..=599, into the
//!   generated model types, through `Response::from_parts`;
//! - every operation of every generated client, over loopback HTTP against one mock server
//!   serving the generated response (statuses 200..=599: a 1xx is not a final response).
//!
//! Any `Err` is fine; a panic, or an error whose message is unbounded, is not.

// Deprecated operations are called on purpose: they must survive hostile answers too.
#![allow(deprecated)]

use api_token_clients::runtime::{
    Config, Envelope, Error, FailureTest, RateLimits, Response, RetryPolicy,
};
use api_token_clients::{a2e, actian_vectorai, apivideo, cellcast, tencent_vod};
use proptest::prelude::*;
use proptest::test_runner::{Config as ProptestConfig, TestRunner};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};
use std::fmt::Debug;
use std::time::Duration;
use tests::Spec;
use wiremock::matchers::path_regex;
use wiremock::{Mock, MockServer, ResponseTemplate};

const SPECS: [&str; 5] = [
    "apivideo",
    "tencent-vod",
    "cellcast",
    "a2e",
    "actian-vectorai",
];

const CONTENT_TYPES: [&str; 11] = [
    "application/json",
    "application/json; charset=utf-8",
    "APPLICATION/JSON",
    "application/problem+json",
    "text/html; charset=utf-8",
    "text/plain",
    "application/xml",
    "application/octet-stream",
    "multipart/form-data; boundary=x",
    "application/jsonx",
    "", // no Content-Type at all
];

/// Every documented response body of every spec: seeds for mutation.
fn example_bodies() -> Vec<Value> {
    let mut out = Vec::new();
    for name in SPECS {
        let spec = Spec::load(name);
        for id in spec.operation_ids() {
            for case in spec.operation(&id).responses() {
                out.extend(case.body);
            }
        }
    }
    assert!(out.len() > 20, "only {} examples", out.len());
    out
}

/// JSON made of the member names the clients look for, so envelopes and models are reached.
fn arb_json() -> impl Strategy<Value = Value> {
    let key = prop::sample::select(vec![
        "Response",
        "Error",
        "Code",
        "Message",
        "RequestId",
        "ApiToken",
        "ApiTokens",
        "data",
        "code",
        "msg",
        "status",
        "message",
        "token",
        "ttl",
        "createdAt",
        "expiresAt",
        "pagination",
        "links",
        "id",
        "name",
        "access_token",
        "detail",
        "exists",
        "enabled",
    ]);
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        (-1e300_f64..1e300).prop_map(|n| json!(n)),
        "[a-zA-Z0-9 _-]{0,12}".prop_map(Value::String),
        Just(json!("2024-01-31T12:00:00Z")),
        Just(json!(0)),
        Just(json!(false)),
    ];
    leaf.prop_recursive(5, 48, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((key.clone(), inner), 0..6).prop_map(|members| {
                Value::Object(
                    members
                        .into_iter()
                        .map(|(k, v)| (k.to_owned(), v))
                        .collect(),
                )
            }),
        ]
    })
}

/// Every node of `value`, as JSON pointers.
fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::Object(members) => {
            for (key, member) in members {
                let escaped = key.replace('~', "~0").replace('/', "~1");
                pointers(member, format!("{at}/{escaped}"), out);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                pointers(item, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
    out.push(at);
}

/// A spec example with one subtree (maybe the whole body) replaced by arbitrary JSON: the
/// right shape with a wrong type or value somewhere, which is what reaches typed decoding.
fn mutated_example(examples: Vec<Value>) -> impl Strategy<Value = Vec<u8>> {
    (
        prop::sample::select(examples),
        any::<prop::sample::Index>(),
        arb_json(),
    )
        .prop_map(|(mut example, at, replacement)| {
            let mut all = Vec::new();
            pointers(&example, String::new(), &mut all);
            let pointer = &all[at.index(all.len())];
            if let Some(node) = example.pointer_mut(pointer) {
                *node = replacement;
            }
            serde_json::to_vec(&example).unwrap()
        })
}

/// Bodies: raw bytes, arbitrary JSON, and the specs' examples intact, truncated, corrupted or
/// with a subtree replaced.
fn arb_body(examples: Vec<Value>) -> impl Strategy<Value = Vec<u8>> {
    let bytes: Vec<Vec<u8>> = examples
        .iter()
        .map(|e| serde_json::to_vec(e).unwrap())
        .collect();
    let seed = prop::sample::select(bytes);
    prop_oneof![
        2 => prop::collection::vec(any::<u8>(), 0..600),
        3 => arb_json().prop_map(|v| serde_json::to_vec(&v).unwrap()),
        2 => seed.clone(),
        2 => (seed.clone(), any::<prop::sample::Index>()).prop_map(|(body, at)| {
            let end = at.index(body.len() + 1);
            body[..end].to_vec()
        }),
        1 => (seed, any::<prop::sample::Index>(), any::<u8>()).prop_map(|(mut body, at, byte)| {
            if !body.is_empty() {
                let i = at.index(body.len());
                body[i] = byte;
            }
            body
        }),
        8 => mutated_example(examples),
        1 => prop::sample::select(vec![
            Vec::new(),
            b"   \n".to_vec(),
            b"null".to_vec(),
            b"<!DOCTYPE html><html><body>502 Bad Gateway</body></html>".to_vec(),
            "[".repeat(5000).into_bytes(),
            format!("\"{}\"", "x".repeat(5000)).into_bytes(),
        ]),
    ]
}

/// Statuses in `range`, the ones the specs document most often (so success and documented
/// error decoding are reached, not just `unexpected`).
fn arb_status(range: std::ops::RangeInclusive<u16>) -> impl Strategy<Value = u16> {
    prop_oneof![
        1 => range,
        1 => prop::sample::select(vec![200_u16, 201, 204, 400, 401, 403, 404, 409, 422, 429, 500]),
    ]
}

/// Content types, JSON ones most often (other types stop decoding early).
fn arb_content_type() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        3 => Just("application/json"),
        1 => prop::sample::select(CONTENT_TYPES.to_vec()),
    ]
}

/// An error's texts are produced without panicking, and bounded.
fn check_error<E: Debug>(error: &Error<E>, context: &str)
where
    Error<E>: std::fmt::Display,
{
    let display = error.to_string();
    let debug = format!("{error:?}");
    // Excerpts are ~512 bytes; escaping control characters may grow them up to 6x.
    assert!(display.len() < 8_000, "{context}: {} chars", display.len());
    assert!(debug.len() < 20_000, "{context}: {} chars", debug.len());
    let _ = error.status();
}

fn check<T, E: Debug>(result: Result<T, Error<E>>, context: &str)
where
    Error<E>: std::fmt::Display,
{
    if let Err(error) = &result {
        check_error(error, context);
    }
}

const TENCENT: Envelope = Envelope {
    payload: "/Response",
    failure: Some(FailureTest::Present {
        pointer: "/Response/Error",
    }),
    code: Some("/Response/Error/Code"),
    message: Some("/Response/Error/Message"),
    request_id: Some("/Response/RequestId"),
    required: &["/Response", "/Response/RequestId"],
};

const CODE_NOT_ZERO: Envelope = Envelope {
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

const STATUS_FALSE: Envelope = Envelope {
    payload: "/data",
    failure: Some(FailureTest::Equals {
        pointer: "/status",
        value: "false",
    }),
    code: None,
    message: Some("/message"),
    request_id: None,
    required: &["/status", "/data", "/message"],
};

/// Every decoding kind, into the generated types.
fn decode_every_way(response: &Response) {
    fn json<T: DeserializeOwned>(response: &Response, what: &str) {
        check(response.json::<T, String>(), what);
    }
    fn enveloped<T: DeserializeOwned>(response: &Response, envelope: &Envelope, what: &str) {
        check(response.enveloped::<T, String>(envelope), what);
    }
    json::<apivideo::types::UploadToken>(response, "apivideo UploadToken");
    json::<apivideo::types::UploadTokens>(response, "apivideo UploadTokens");
    json::<actian_vectorai::types::AccessTokenWithSecret>(response, "actian AccessTokenWithSecret");
    json::<Vec<actian_vectorai::types::AccessToken>>(response, "actian AccessToken list");
    json::<Value>(response, "Value");
    enveloped::<tencent_vod::types::CreateAigcApiTokenResponse>(
        response,
        &TENCENT,
        "tencent create",
    );
    enveloped::<tencent_vod::types::DescribeAigcApiTokensResponse>(
        response,
        &TENCENT,
        "tencent describe",
    );
    enveloped::<Option<Value>>(response, &CODE_NOT_ZERO, "a2e-style");
    enveloped::<a2e::types::LoginTokenData>(response, &CODE_NOT_ZERO, "a2e login");
    enveloped::<cellcast::types::ApiTokenPage>(response, &STATUS_FALSE, "cellcast page");
    enveloped::<cellcast::types::ApiToken>(response, &STATUS_FALSE, "cellcast token");
    check(response.empty::<String>(), "empty");
    check(
        response.api_error::<(), apivideo::types::NotFound, _>(
            apivideo::types::GetUploadTokenError::NotFound,
        ),
        "api_error NotFound",
    );
    check(
        response.api_error::<(), apivideo::types::BadRequest, _>(
            apivideo::types::CreateUploadTokenError::BadRequest,
        ),
        "api_error BadRequest",
    );
    check(
        response.api_error_empty::<(), _>("gone".to_owned()),
        "api_error_empty",
    );
    check(response.unexpected::<(), String>(), "unexpected");
    let _ = format!("{response:?}");
    let _ = response.header("content-type");
}

#[test]
fn every_decoding_kind_survives_arbitrary_responses() {
    let mut runner = TestRunner::new(ProptestConfig {
        cases: 512,
        failure_persistence: None,
        ..ProptestConfig::default()
    });
    let strategy = (
        arb_status(100..=599),
        arb_content_type(),
        arb_body(example_bodies()),
    );
    runner
        .run(&strategy, |(status, content_type, body)| {
            let headers: &[(&str, &str)] = if content_type.is_empty() {
                &[]
            } else {
                &[("content-type", content_type)]
            };
            decode_every_way(&Response::from_parts(status, headers, body));
            Ok(())
        })
        .unwrap();
}

/// One client of every module, with retries and the rate limiter off (each case is one
/// attempt per operation) and a short timeout.
struct Clients {
    apivideo: apivideo::Client,
    tencent: tencent_vod::Client,
    cellcast: cellcast::Client,
    a2e: a2e::Client,
    actian: actian_vectorai::Client,
}

fn config() -> Config {
    Config::default()
        .allow_insecure_http()
        .timeout(Duration::from_secs(5))
        .retry(RetryPolicy::disabled())
        .rate_limits(RateLimits::disabled())
}

impl Clients {
    fn new(base: &str) -> Self {
        use api_token_clients::runtime::{BasicAuth, SigningKey};
        Self {
            apivideo: apivideo::Client::new(
                base,
                apivideo::Credentials::default().with_api_key(BasicAuth::api_key("key")),
                config(),
            )
            .unwrap(),
            tencent: tencent_vod::Client::new(
                base,
                tencent_vod::Credentials::default().with_tc3(SigningKey::new("id", "key")),
                config(),
            )
            .unwrap(),
            cellcast: cellcast::Client::new(
                base,
                cellcast::Credentials::default().with_bearer("token"),
                config(),
            )
            .unwrap(),
            a2e: a2e::Client::new(
                base,
                a2e::Credentials::default()
                    .with_login_token("login")
                    .with_api_token("api"),
                config(),
            )
            .unwrap(),
            actian: actian_vectorai::Client::new(
                base,
                actian_vectorai::Credentials::default().with_bearer_auth("token"),
                config(),
            )
            .unwrap(),
        }
    }
}

/// Request bodies: the specs' own request examples, decoded into the generated types.
struct Bodies {
    apivideo_create: apivideo::types::TokenCreationPayload,
    tencent_create: tencent_vod::types::CreateAigcApiTokenRequest,
    tencent_describe: tencent_vod::types::DescribeAigcApiTokensRequest,
    tencent_delete: tencent_vod::types::DeleteAigcApiTokenRequest,
    cellcast_create: cellcast::types::CreateApiTokenRequest,
    cellcast_update: cellcast::types::UpdateApiTokenRequest,
    a2e_login: a2e::types::ObtainLoginTokenRequest,
    a2e_generate: a2e::types::GenerateApiTokenRequest,
    a2e_delete: a2e::types::DeleteApiTokenRequest,
    actian_create: actian_vectorai::types::CreateAccessTokenRequest,
    actian_password: actian_vectorai::types::AdminPasswordRequest,
    actian_enabled: actian_vectorai::types::SetAuthEnabledRequest,
}

impl Bodies {
    fn load() -> Self {
        let apivideo = Spec::load("apivideo");
        let tencent = Spec::load("tencent-vod");
        let cellcast = Spec::load("cellcast");
        let a2e = Spec::load("a2e");
        let actian = Spec::load("actian-vectorai");
        Self {
            apivideo_create: apivideo.operation("createUploadToken").request_body(),
            tencent_create: tencent.operation("createAigcApiToken").request_body(),
            tencent_describe: tencent.operation("describeAigcApiTokens").request_body(),
            tencent_delete: tencent.operation("deleteAigcApiToken").request_body(),
            cellcast_create: cellcast.operation("createApiToken").request_body(),
            cellcast_update: cellcast.operation("updateApiToken").request_body(),
            a2e_login: a2e.operation("obtainLoginToken").request_body(),
            a2e_generate: a2e.operation("generateApiToken").request_body(),
            a2e_delete: a2e.operation("deleteApiToken").request_body(),
            actian_create: actian.operation("createAccessToken").request_body(),
            actian_password: actian.operation("createAdminUser").request_body(),
            actian_enabled: actian.operation("setAuthEnabled").request_body(),
        }
    }
}

/// Calls every operation of every client once; returns how many were called.
async fn call_every_operation(c: &Clients, b: &Bodies) -> usize {
    let mut calls = 0;
    macro_rules! call {
        ($e:expr) => {{
            check($e.await, stringify!($e));
            calls += 1;
        }};
    }
    call!(c.apivideo.list_upload_tokens(&Default::default()));
    call!(c.apivideo.create_upload_token(&b.apivideo_create));
    call!(c.apivideo.get_upload_token("to1"));
    call!(c.apivideo.delete_upload_token("to1"));
    call!(c.tencent.create_aigc_api_token(&b.tencent_create));
    call!(c.tencent.describe_aigc_api_tokens(&b.tencent_describe));
    call!(c.tencent.delete_aigc_api_token(&b.tencent_delete));
    call!(c.cellcast.list_api_tokens(&Default::default()));
    call!(c.cellcast.create_api_token(&b.cellcast_create));
    call!(c.cellcast.update_api_token("1", &b.cellcast_update));
    call!(c.cellcast.delete_api_token("1"));
    call!(c.cellcast.verify_token());
    call!(c.a2e.obtain_login_token(&b.a2e_login));
    call!(c.a2e.generate_api_token(&b.a2e_generate));
    call!(c.a2e.delete_api_token(&b.a2e_delete));
    call!(c.a2e.list_api_tokens());
    call!(c.a2e.get_api_token2025());
    call!(c.actian.create_access_token(&b.actian_create));
    call!(c.actian.list_access_tokens());
    call!(c.actian.delete_access_token(1));
    call!(c.actian.rotate_access_token(1));
    call!(c.actian.create_admin_user(&b.actian_password));
    call!(c.actian.reset_admin_password(&b.actian_password));
    call!(c.actian.admin_login(&b.actian_password));
    call!(c.actian.check_admin_exists());
    call!(c.actian.set_auth_enabled(&b.actian_enabled));
    calls
}

#[test]
fn every_operation_survives_arbitrary_responses_over_http() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let server = runtime.block_on(MockServer::start());
    let clients = Clients::new(&server.uri());
    let bodies = Bodies::load();
    let mut runner = TestRunner::new(ProptestConfig {
        cases: 128,
        failure_persistence: None,
        ..ProptestConfig::default()
    });
    let strategy = (
        arb_status(200..=599),
        arb_content_type(),
        arb_body(example_bodies()),
    );
    runner
        .run(&strategy, |(status, content_type, body)| {
            let calls = runtime.block_on(async {
                server.reset().await;
                Mock::given(path_regex(".*"))
                    .respond_with(ResponseTemplate::new(status).set_body_raw(body, content_type))
                    .mount(&server)
                    .await;
                call_every_operation(&clients, &bodies).await
            });
            prop_assert_eq!(calls, 26);
            Ok(())
        })
        .unwrap();
}
