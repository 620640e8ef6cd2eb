//! Against a hostile server this project did not write: httpbin (postmanlabs, ISC licence),
//! which `cargo xtask test` installs into `.venv/` and starts on loopback
//! (`API_TOKEN_TEST_HTTPBIN_URL`). Its `/anything` answers every request with `200` and a JSON
//! echo of the request whole: the `Authorization` header (a Basic pair's base64, a bearer
//! token, a TC3 signature with its key id and session token), the URL with a secret path
//! parameter, and the body with its secret fields. None of it is what the operation documents,
//! so every call below fails to decode, and no credential or secret may appear in the error's
//! `Display` or `Debug`, in any trace line, or on the command-line tool's stdout or stderr.

use api_token_clients::runtime::{Config, RetryPolicy, SigningKey};
use api_token_clients::{actian_vectorai, cellcast};
use base64::Engine as _;
use std::process::Command;
use tests::loopback::{apivideo_client, describe, started_server, tencent_client, Captured};

const VAR: &str = "API_TOKEN_TEST_HTTPBIN_URL";
const API_KEY: &str = "key-HTTPBIN-0001";
const UPLOAD_TOKEN: &str = "to1HTTPBIN0002";
const BEARER: &str = "bearer-HTTPBIN-0003";
const SECRET_ID: &str = "AKIDHTTPBIN0004";
const SECRET_KEY: &str = "signing-key-HTTPBIN-0005";
const SESSION_TOKEN: &str = "session-HTTPBIN-0006";
const PASSWORD: &str = "Admin-Password-HTTPBIN-0007!";

/// Every secret the calls send, in every form a server may echo it in.
fn forms() -> Vec<String> {
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("{API_KEY}:"));
    let mut forms: Vec<String> = [
        API_KEY,
        UPLOAD_TOKEN,
        BEARER,
        SECRET_ID,
        SECRET_KEY,
        SESSION_TOKEN,
        PASSWORD,
    ]
    .map(str::to_owned)
    .into();
    forms.push(basic);
    forms
}

fn assert_clean(what: &str, text: &str) {
    for form in forms() {
        assert!(!text.contains(&form), "{what} shows {form:?}:\n{text}");
    }
}

/// httpbin's echo endpoint as a base URL: every path below it is answered.
fn echo_base(test: &str) -> Option<String> {
    started_server(VAR, test).map(|url| format!("{url}/anything"))
}

fn config() -> Config {
    Config::default()
        .retry(RetryPolicy::disabled())
        .timeout(std::time::Duration::from_secs(10))
}

/// The echo really holds the secrets: without this, a server that stopped echoing would make
/// every assertion below pass vacuously.
async fn assert_echoes(base: &str) {
    let echo = reqwest::Client::new()
        .get(format!("{base}/upload-tokens/{UPLOAD_TOKEN}"))
        .bearer_auth(BEARER)
        .send()
        .await
        .expect("httpbin answers")
        .text()
        .await
        .unwrap();
    assert!(
        echo.contains(UPLOAD_TOKEN) && echo.contains(BEARER),
        "{echo}"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn echoed_requests_show_no_secret_in_errors_or_traces() {
    let Some(base) = echo_base("echoed_requests_show_no_secret_in_errors_or_traces") else {
        return;
    };
    assert_echoes(&base).await;
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(captured.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    // Each answer, decoded or not (schemas whose fields are all optional take the echo as an
    // empty value), as the caller would print it.
    let mut shown = Vec::new();
    let mut failed = 0;
    let mut record = |what: &str, outcome: Result<String, String>| {
        failed += usize::from(outcome.is_err());
        shown.push((what.to_owned(), outcome.unwrap_or_else(|error| error)));
    };
    fn seen<T: std::fmt::Debug, E: std::fmt::Debug + std::fmt::Display>(
        result: Result<T, E>,
    ) -> Result<String, String> {
        result
            .map(|answer| format!("{answer:#?}"))
            .map_err(|error| format!("{error}\n{error:#?}"))
    }

    // HTTP Basic with the API key, and a secret path parameter.
    let video = apivideo_client(&base, API_KEY, config());
    record(
        "api.video get",
        seen(video.get_upload_token(UPLOAD_TOKEN).await),
    );
    record(
        "api.video delete",
        seen(video.delete_upload_token(UPLOAD_TOKEN).await),
    );

    // A bearer token.
    let cells = cellcast::Client::new(
        &base,
        cellcast::Credentials::default().with_bearer(BEARER),
        config(),
    )
    .unwrap();
    record(
        "cellcast list",
        seen(cells.list_api_tokens(&Default::default()).await),
    );

    // A TC3 signature (key id in `Authorization`, session token in `X-TC-Token`).
    let mut key = SigningKey::new(SECRET_ID, SECRET_KEY);
    key.session_token = Some(SESSION_TOKEN.into());
    // Tencent's RPC path is `/`; httpbin echoes only below `/anything/`.
    let tencent = tencent_client(&format!("{base}/tc3"), key, config());
    record("tencent describe", seen(describe(&tencent).await));

    // A secret body field (the admin password), echoed as `data` and as `json`.
    let actian = actian_vectorai::Client::new(
        &base,
        actian_vectorai::Credentials::default().with_bearer_auth(BEARER),
        config(),
    )
    .unwrap();
    let body = actian_vectorai::types::AdminPasswordRequest::new(PASSWORD);
    record("actian login", seen(actian.admin_login(&body).await));

    drop(_guard);
    assert!(
        failed >= 3,
        "the echo fails to decode for most calls: {shown:#?}"
    );
    for (what, text) in &shown {
        assert_clean(what, text);
    }
    let traces = captured.text();
    assert!(traces.contains("call finished"), "traced: {traces}");
    assert_clean("traces", &traces);
}

#[test]
fn the_command_line_tool_prints_no_echoed_secret() {
    let Some(base) = echo_base("the_command_line_tool_prints_no_echoed_secret") else {
        return;
    };
    let tc3 = format!("{base}/tc3");
    let runs = [
        (
            vec!["apivideo", "delete-upload-token", "--base-url", &base],
            vec![
                ("APIVIDEO_API_KEY", API_KEY),
                ("APIVIDEO_UPLOAD_TOKEN", UPLOAD_TOKEN),
            ],
        ),
        (
            vec!["apivideo", "get-upload-token", "--base-url", &base],
            vec![
                ("APIVIDEO_API_KEY", API_KEY),
                ("APIVIDEO_UPLOAD_TOKEN", UPLOAD_TOKEN),
            ],
        ),
        (
            vec![
                "tencent-vod",
                "describe-aigc-api-tokens",
                "--base-url",
                &tc3,
            ],
            vec![
                ("TENCENT_VOD_TC3_SECRET_ID", SECRET_ID),
                ("TENCENT_VOD_TC3_SECRET_KEY", SECRET_KEY),
                ("TENCENT_VOD_TC3_SESSION_TOKEN", SESSION_TOKEN),
            ],
        ),
        (
            vec!["cellcast", "list-api-tokens", "--base-url", &base],
            vec![("CELLCAST_BEARER", BEARER)],
        ),
    ];
    let mut failed = 0;
    for (args, env) in runs {
        let mut command = Command::new(env!("CARGO_BIN_EXE_api-tokens-test"));
        command.args(&args).env_remove("RUST_LOG");
        for (name, value) in &env {
            command.env(name, value);
        }
        let out = command.output().expect("the tool runs");
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        failed += usize::from(!out.status.success());
        assert_clean(&format!("{args:?} stdout"), &stdout);
        assert_clean(&format!("{args:?} stderr"), &stderr);
    }
    assert!(failed >= 2, "the echo fails to decode for most runs");
}
