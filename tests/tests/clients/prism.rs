//! "An implementation nobody here wrote agrees": every operation of every generated client is
//! sent to a [Prism](https://github.com/stoplightio/prism) mock server started from our own spec,
//! with request validation on, and Prism must find nothing wrong.
//!
//! Prism (`@stoplight/prism-cli`, pinned in `tools/prism/package.json`; install it with
//! `npm ci --prefix tools/prism`) is started as `prism mock <spec> --errors`: it checks each
//! request (method, path, query, headers, security scheme, content type, JSON body) against the
//! spec, and with `--errors` answers a violation with an error status instead of a mock. It also
//! checks the response it serves against the response schema, so a spec example that does not
//! match its own schema fails here too (with `--errors`, as a 500). Prism serves the first example
//! of the lowest 2xx response, which every spec lists first as its success example; the test
//! checks that the client decoded exactly that example (`tests::Operation::expected`), and that
//! Prism's log shows one passed validation per call and no violation or error line.
//!
//! Arguments come from the spec's own examples (parameter examples, the first request-body
//! example); credentials are dummies: Prism only checks that the security scheme's header is
//! there and well-formed (`Basic ...`, `Bearer ...`, or any `Authorization` for an `apiKey`).
//!
//! Tencent's RPC actions (`x-rpc`) all go to `POST /` and differ only by the `X-TC-Action`
//! header, which Prism cannot route by; in our spec their path keys are `/#CreateAigcApiToken`
//! and so on, a path the client never requests. So for each `x-rpc` operation the test derives a
//! spec (in a temporary directory) holding that operation alone, under its real path (`/`), with
//! the action header added as a required single-value enum header parameter, and starts one Prism
//! per action. Prism then validates the real request of each action: path, method,
//! `X-TC-Version`, `X-TC-Action`, the `Authorization` signature header (presence only: Prism
//! cannot verify a TC3 signature) and the JSON body.
//!
//! Each Prism takes about 1.5 s of CPU to start, so one test starts all of them (five specs, one
//! instance per Tencent action) at once and checks them concurrently; a failure names its spec and
//! prints that instance's log. Every Prism process is killed by a drop guard, so a failed
//! assertion leaves none running.

use api_token_clients::runtime::{BasicAuth, Error, SigningKey};
use api_token_clients::{a2e, actian_vectorai, apivideo, cellcast, tencent_vod};
use serde::Serialize;
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::fmt::Debug;
use std::future::Future;
use std::io::{BufRead, BufReader, Read};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tests::{assert_outcome, config, root, Spec};

/// How long Prism may take to start listening (a cold start on a busy machine included).
const START_TIMEOUT: Duration = Duration::from_secs(180);

/// The specs this file covers; `every_spec_is_covered` keeps it in step with `specs/`.
const COVERED: [&str; 5] = [
    "a2e",
    "actian-vectorai",
    "apivideo",
    "cellcast",
    "tencent-vod",
];

fn prism_binary() -> PathBuf {
    let binary = root().join("tools/prism/node_modules/.bin/prism");
    assert!(
        binary.exists(),
        "Prism is not installed ({} is missing): run `npm ci --prefix tools/prism` \
         in the workspace root",
        binary.display()
    );
    binary
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free loopback port")
        .port()
}

fn collect(stream: impl Read + Send + 'static, log: Arc<Mutex<Vec<String>>>) {
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines() {
            let Ok(line) = line else { break };
            log.lock().expect("log lock").push(line);
        }
    });
}

/// Whether a line of Prism's log reports a problem: any violation, any validator verdict other
/// than success (`⚠ warning Request did not pass the validation rules`, `✖ error ...`), and any
/// error of any component (`[HTTP SERVER] ✖ error Request terminated with error`, which is how a
/// response that does not match its own schema shows with `--errors`). The negotiator's warnings
/// are about choosing a mock, not about the request (it warns `Unable to find content for */*`
/// when it serves a body-less 204), so they are not problems.
fn is_problem(line: &str) -> bool {
    line.contains("Violation")
        || line.contains('✖')
        || (line.contains("[VALIDATOR]") && !line.contains('✔'))
}

/// A Prism mock server process; killed (and its derived spec removed) on drop.
struct Prism {
    label: String,
    spec: PathBuf,
    child: Child,
    port: u16,
    log: Arc<Mutex<Vec<String>>>,
    /// A temporary directory holding a derived spec, removed on drop.
    derived: Option<PathBuf>,
}

impl Prism {
    /// Starts `prism mock <spec> --errors` on a free loopback port; does not wait.
    fn spawn(label: &str, spec: PathBuf, derived: Option<PathBuf>) -> Self {
        let (child, port, log) = Self::launch(label, &spec);
        Self {
            label: label.to_owned(),
            spec,
            child,
            port,
            log,
            derived,
        }
    }

    /// Prism for `specs/<name>.yaml`; does not wait.
    fn for_spec(name: &str) -> Self {
        let spec = root().join("specs").join(format!("{name}.yaml"));
        Self::spawn(name, spec, None)
    }

    fn launch(label: &str, spec: &PathBuf) -> (Child, u16, Arc<Mutex<Vec<String>>>) {
        let port = free_port();
        let mut child = Command::new(prism_binary())
            .arg("mock")
            .arg(spec)
            .args(["--host", "127.0.0.1", "--port", &port.to_string()])
            .arg("--errors")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("{label}: cannot start Prism: {e}"));
        let log = Arc::new(Mutex::new(Vec::new()));
        collect(child.stdout.take().expect("stdout"), log.clone());
        collect(child.stderr.take().expect("stderr"), log.clone());
        (child, port, log)
    }

    fn lines(&self) -> Vec<String> {
        self.log.lock().expect("log lock").clone()
    }

    /// Waits until Prism says it listens; panics with its log if it exits or takes too long.
    /// A port taken in the meantime by someone else is retried on another port.
    async fn ready(&mut self) {
        let started = Instant::now();
        let mut attempts = 1;
        while started.elapsed() < START_TIMEOUT {
            let lines = self.lines();
            if lines.iter().any(|l| l.contains("Prism is listening on")) {
                return;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                // Let the reader threads drain what the process wrote before it ended.
                tokio::time::sleep(Duration::from_millis(200)).await;
                let log = self.lines().join("\n");
                if log.contains("EADDRINUSE") && attempts < 3 {
                    attempts += 1;
                    (self.child, self.port, self.log) = Self::launch(&self.label, &self.spec);
                    continue;
                }
                panic!(
                    "{}: Prism exited ({status}) before listening:\n{log}",
                    self.label
                );
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!(
            "{}: Prism did not listen within {START_TIMEOUT:?}:\n{}",
            self.label,
            self.lines().join("\n")
        );
    }

    fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Waits for the log to settle (a violation may be logged after the response is sent), then
    /// asserts that Prism validated `requests` requests and reported no problem.
    async fn assert_clean(&self, requests: usize) {
        let deadline = Instant::now() + Duration::from_secs(5);
        let mut seen = self.lines().len();
        loop {
            tokio::time::sleep(Duration::from_millis(100)).await;
            let now = self.lines().len();
            if now == seen || Instant::now() > deadline {
                break;
            }
            seen = now;
        }
        let lines = self.lines();
        let problems: Vec<&str> = lines
            .iter()
            .map(String::as_str)
            .filter(|l| is_problem(l))
            .collect();
        assert!(
            problems.is_empty(),
            "{}: Prism reported problems:\n{}",
            self.label,
            problems.join("\n")
        );
        let passed = lines
            .iter()
            .filter(|l| l.contains("The request passed the validation rules"))
            .count();
        assert_eq!(
            passed, requests,
            "{}: Prism validated {passed} requests, the test made {requests}",
            self.label
        );
        eprintln!(
            "{}: Prism validated {passed} request(s), no violation",
            self.label
        );
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if std::thread::panicking() {
            eprintln!(
                "---- Prism log ({}) ----\n{}\n----",
                self.label,
                self.lines().join("\n")
            );
        }
        if let Some(dir) = &self.derived {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// The calls made against one spec, each checked against the spec's first 2xx example (the one
/// Prism serves).
struct Calls {
    spec: Spec,
    made: Vec<String>,
}

impl Calls {
    fn new(name: &str) -> Self {
        Self {
            spec: Spec::load(name),
            made: Vec::new(),
        }
    }

    /// The example of parameter `name` of `operation_id`, decoded.
    fn param<T: serde::de::DeserializeOwned>(&self, operation_id: &str, name: &str) -> T {
        let value = self.spec.operation(operation_id).param_example(name);
        serde_json::from_value(value.clone())
            .unwrap_or_else(|e| panic!("{operation_id}: example of {name} ({value}): {e}"))
    }

    /// The first request-body example of `operation_id`, decoded.
    fn body<T: serde::de::DeserializeOwned>(&self, operation_id: &str) -> T {
        self.spec.operation(operation_id).request_body()
    }

    fn check<T: Serialize + Debug, E: Serialize + Debug>(
        &mut self,
        operation_id: &str,
        result: Result<T, Error<E>>,
    ) {
        let op = self.spec.operation(operation_id);
        let served = op
            .responses()
            .into_iter()
            .filter(|case| (200..300).contains(&case.status))
            .min_by_key(|case| case.status)
            .unwrap_or_else(|| panic!("{operation_id}: no 2xx response"));
        let context = format!(
            "{}::{operation_id} via Prism -> {} {}",
            self.spec.name, served.status, served.name
        );
        assert_outcome(result, &op.expected(&served), &context);
        self.made.push(operation_id.to_owned());
    }

    /// Asserts that exactly the operations `expected` were called.
    fn assert_made(&self, expected: &[String]) {
        let made: BTreeSet<&String> = self.made.iter().collect();
        let all: BTreeSet<&String> = expected.iter().collect();
        assert_eq!(made, all, "{}: operations called via Prism", self.spec.name);
    }

    fn assert_complete(&self) {
        self.assert_made(&self.spec.operation_ids());
    }
}

/// A spec holding only the `x-rpc` operation `operation_id`, under the path actually requested,
/// with the action header as a required constant header parameter, so that Prism validates the
/// real request. Returns (directory to remove, spec file).
fn rpc_spec(spec: &Spec, operation_id: &str) -> (PathBuf, PathBuf) {
    let op = spec.operation(operation_id);
    let method = op.method.to_lowercase();
    let item = &spec.raw["paths"][&op.path_key];
    let mut operation = item[&method].clone();
    let rpc = operation
        .as_object_mut()
        .and_then(|o| o.remove("x-rpc"))
        .unwrap_or_else(|| panic!("{operation_id}: no x-rpc"));
    let mut parameters = operation["parameters"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    parameters.push(json!({
        "name": rpc["header"],
        "in": "header",
        "required": true,
        "schema": { "type": "string", "enum": [rpc["action"]] },
    }));
    operation["parameters"] = Value::Array(parameters);
    let mut path_item = serde_json::Map::new();
    if let Some(shared) = item.get("parameters") {
        path_item.insert("parameters".into(), shared.clone());
    }
    path_item.insert(method, operation);
    let mut doc = spec.raw.clone();
    let path = rpc["path"].as_str().expect("x-rpc path").to_owned();
    doc["paths"] = json!({ path: Value::Object(path_item) });

    let dir = std::env::temp_dir().join(format!(
        "prism-{}-{operation_id}-{}",
        spec.name,
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join(format!("{}-{operation_id}.json", spec.name));
    std::fs::write(&file, serde_json::to_vec_pretty(&doc).expect("JSON")).expect("write spec");
    (dir, file)
}

async fn apivideo_calls(mut prism: Prism) {
    prism.ready().await;
    let mut calls = Calls::new("apivideo");
    let credentials =
        apivideo::Credentials::default().with_api_key(BasicAuth::api_key("sandbox-key-123"));
    let client = apivideo::Client::new(prism.base_url(), credentials, config()).expect("client");

    let id = "listUploadTokens";
    let mut params = apivideo::types::ListUploadTokensParams::default();
    params.sort_by = Some(calls.param(id, "sortBy"));
    params.sort_order = Some(calls.param(id, "sortOrder"));
    params.current_page = Some(calls.param(id, "currentPage"));
    params.page_size = Some(calls.param(id, "pageSize"));
    calls.check(id, client.list_upload_tokens(&params).await);
    let id = "createUploadToken";
    calls.check(id, client.create_upload_token(&calls.body(id)).await);
    let id = "getUploadToken";
    let token: String = calls.param(id, "uploadToken");
    calls.check(id, client.get_upload_token(&token).await);
    let id = "deleteUploadToken";
    let token: String = calls.param(id, "uploadToken");
    calls.check(id, client.delete_upload_token(&token).await);

    calls.assert_complete();
    prism.assert_clean(calls.made.len()).await;
}

// `generateApiToken` and `deleteApiToken` are deprecated by the vendor; still part of the client.
#[allow(deprecated)]
async fn a2e_calls(mut prism: Prism) {
    prism.ready().await;
    let mut calls = Calls::new("a2e");
    let credentials = a2e::Credentials::default()
        .with_login_token("eyJhbGciOiJIUzI1NiJ9.login.signature")
        .with_api_token("sk_0123456789abcdef0123456789abcdef");
    let client = a2e::Client::new(prism.base_url(), credentials, config()).expect("client");

    let id = "obtainLoginToken";
    calls.check(id, client.obtain_login_token(&calls.body(id)).await);
    let id = "generateApiToken";
    calls.check(id, client.generate_api_token(&calls.body(id)).await);
    let id = "deleteApiToken";
    calls.check(id, client.delete_api_token(&calls.body(id)).await);
    calls.check("listApiTokens", client.list_api_tokens().await);
    calls.check("getApiToken2025", client.get_api_token2025().await);

    calls.assert_complete();
    prism.assert_clean(calls.made.len()).await;
}

async fn actian_vectorai_calls(mut prism: Prism) {
    prism.ready().await;
    let mut calls = Calls::new("actian-vectorai");
    let credentials = actian_vectorai::Credentials::default()
        .with_bearer_auth("eyJhbGciOiJIUzI1NiJ9.admin.signature");
    let client =
        actian_vectorai::Client::new(prism.base_url(), credentials, config()).expect("client");

    let id = "createAccessToken";
    calls.check(id, client.create_access_token(&calls.body(id)).await);
    calls.check("listAccessTokens", client.list_access_tokens().await);
    let id = "deleteAccessToken";
    let token_id: i64 = calls.param(id, "token_id");
    calls.check(id, client.delete_access_token(token_id).await);
    let id = "rotateAccessToken";
    let token_id: i64 = calls.param(id, "token_id");
    calls.check(id, client.rotate_access_token(token_id).await);
    let id = "createAdminUser";
    calls.check(id, client.create_admin_user(&calls.body(id)).await);
    let id = "resetAdminPassword";
    calls.check(id, client.reset_admin_password(&calls.body(id)).await);
    let id = "adminLogin";
    calls.check(id, client.admin_login(&calls.body(id)).await);
    calls.check("checkAdminExists", client.check_admin_exists().await);
    let id = "setAuthEnabled";
    calls.check(id, client.set_auth_enabled(&calls.body(id)).await);

    calls.assert_complete();
    prism.assert_clean(calls.made.len()).await;
}

async fn cellcast_calls(mut prism: Prism) {
    prism.ready().await;
    let mut calls = Calls::new("cellcast");
    let credentials = cellcast::Credentials::default().with_bearer("API_KEY");
    let client = cellcast::Client::new(prism.base_url(), credentials, config()).expect("client");

    let id = "listApiTokens";
    let mut params = cellcast::types::ListApiTokensParams::default();
    params.sub_account_id = Some(calls.param(id, "subAccountId"));
    params.status = Some(calls.param(id, "status"));
    params.search = Some(calls.param(id, "search"));
    params.page = Some(calls.param(id, "page"));
    params.limit = Some(calls.param(id, "limit"));
    calls.check(id, client.list_api_tokens(&params).await);
    let id = "createApiToken";
    calls.check(id, client.create_api_token(&calls.body(id)).await);
    let id = "updateApiToken";
    let token_id: String = calls.param(id, "id");
    let result = client.update_api_token(&token_id, &calls.body(id)).await;
    calls.check(id, result);
    let id = "deleteApiToken";
    let token_id: String = calls.param(id, "id");
    calls.check(id, client.delete_api_token(&token_id).await);
    calls.check("verifyToken", client.verify_token().await);

    calls.assert_complete();
    prism.assert_clean(calls.made.len()).await;
}

/// One Tencent action against the Prism serving only that action.
async fn tencent_vod_calls(mut prism: Prism, id: String) {
    prism.ready().await;
    let mut calls = Calls::new("tencent-vod");
    let key = SigningKey::new(
        "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
        "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
    );
    let credentials = tencent_vod::Credentials::default().with_tc3(key);
    // The region is a client setting (`x-client-setting`): set once, sent on every call.
    let region: String = calls.param(&id, "X-TC-Region");
    let client = tencent_vod::Client::new(prism.base_url(), credentials, config())
        .expect("client")
        .with_region(region);
    match id.as_str() {
        "createAigcApiToken" => {
            let result = client.create_aigc_api_token(&calls.body(&id)).await;
            calls.check(&id, result);
        }
        "describeAigcApiTokens" => {
            let result = client.describe_aigc_api_tokens(&calls.body(&id)).await;
            calls.check(&id, result);
        }
        "deleteAigcApiToken" => {
            let result = client.delete_aigc_api_token(&calls.body(&id)).await;
            calls.check(&id, result);
        }
        "updateAigcApiToken" => {
            let result = client.update_aigc_api_token(&calls.body(&id)).await;
            calls.check(&id, result);
        }
        other => panic!("tencent-vod: no Prism call written for {other}"),
    }

    calls.assert_made(std::slice::from_ref(&id));
    prism.assert_clean(1).await;
}

#[test]
fn every_spec_is_covered() {
    let mut specs: Vec<String> = std::fs::read_dir(root().join("specs"))
        .expect("specs/")
        .filter_map(|entry| {
            let path = entry.ok()?.path();
            let stem = path.file_stem()?.to_str()?.to_owned();
            (path.extension()? == "yaml").then_some(stem)
        })
        .collect();
    specs.sort();
    assert_eq!(specs, COVERED, "add a Prism check for each new spec");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_operation_agrees_with_prism() {
    let started = Instant::now();
    prism_binary();
    type Check = std::pin::Pin<Box<dyn Future<Output = ()> + Send>>;
    // Every Prism is spawned before any is waited for, so their start-ups overlap.
    let mut checks: Vec<(String, Check)> = vec![
        (
            "apivideo".into(),
            Box::pin(apivideo_calls(Prism::for_spec("apivideo"))),
        ),
        ("a2e".into(), Box::pin(a2e_calls(Prism::for_spec("a2e")))),
        (
            "actian-vectorai".into(),
            Box::pin(actian_vectorai_calls(Prism::for_spec("actian-vectorai"))),
        ),
        (
            "cellcast".into(),
            Box::pin(cellcast_calls(Prism::for_spec("cellcast"))),
        ),
    ];
    let tencent = Spec::load("tencent-vod");
    let actions = tencent.operation_ids();
    for id in &actions {
        let (dir, file) = rpc_spec(&tencent, id);
        let label = format!("tencent-vod {id}");
        let prism = Prism::spawn(&label, file, Some(dir));
        checks.push((label, Box::pin(tencent_vod_calls(prism, id.clone()))));
    }
    assert_eq!(actions.len(), 4, "tencent-vod: one Prism per action");

    let handles: Vec<(String, tokio::task::JoinHandle<()>)> = checks
        .into_iter()
        .map(|(label, check)| (label, tokio::spawn(check)))
        .collect();
    let mut failed = Vec::new();
    for (label, handle) in handles {
        if handle.await.is_err() {
            failed.push(label);
        }
    }
    assert!(
        failed.is_empty(),
        "Prism disagrees on {failed:?}: see the panics and Prism logs above"
    );
    eprintln!(
        "every operation agrees with Prism ({:?})",
        started.elapsed()
    );
}
