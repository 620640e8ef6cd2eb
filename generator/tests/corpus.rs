//! The fixture corpus as the generator sees it (`tests/corpus/`): one small spec per supported
//! construct, snapshotted as IR (and generated into the `corpus` crate, whose behaviour
//! `tests/tests/corpus.rs` tests); and one spec per unsupported or invalid construct, each with
//! the exact error it must produce.
//!
//! `UPDATE_EXPECT=1 cargo test -p generator --test corpus` rewrites the `.expected` files.

mod support;

use generator::SpecFile;
use support::layout::CORPUS;
use support::root;

fn corpus_specs() -> Vec<SpecFile> {
    generator::read_target_specs(&root(), &CORPUS).expect("corpus specs")
}

#[test]
fn corpus_ir_snapshots() {
    let specs = corpus_specs();
    assert!(specs.len() >= 8, "the corpus shrank: {}", specs.len());
    // The real-world-shaped specs (`*_style.*`, hundreds of operations) are proven by
    // `tests/real_world.rs` and the compiled crate rather than by a snapshot of their IR.
    for spec in specs.into_iter().filter(|s| !s.path.contains("_style.")) {
        let api = generator::lower_spec(&spec)
            .unwrap_or_else(|d| panic!("{} is refused: {d:#?}", spec.path));
        insta::assert_debug_snapshot!(format!("corpus_{}", api.module), api);
    }
}

#[test]
fn error_fixtures_give_their_expected_messages() {
    let dir = root().join("tests/corpus/errors");
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .expect("errors dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "json"))
        .collect();
    names.sort();
    assert!(
        names.len() >= 15,
        "error fixtures went missing: {}",
        names.len()
    );
    let mut mismatches = Vec::new();
    for path in names {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        let spec = SpecFile {
            path: format!("tests/corpus/errors/{name}"),
            text: std::fs::read_to_string(&path).expect("fixture"),
        };
        // Strict, as CI runs our own specs: a skipped operation is refused too.
        let findings = match generator::generate(&CORPUS, &[spec], true) {
            Ok(_) => panic!("{name} was accepted, but it must be refused"),
            Err(findings) => findings,
        };
        for finding in &findings {
            assert!(
                finding.help.is_some(),
                "{name}: every error says what to do: {finding}"
            );
            assert!(
                finding.file.ends_with(&name),
                "{name}: every error names the file: {finding}"
            );
        }
        let text: String = findings.iter().map(|f| format!("{f}\n\n")).collect();
        let expected_path = path.with_extension("expected");
        if update {
            std::fs::write(&expected_path, &text).expect("write expected");
        } else if std::fs::read_to_string(&expected_path).ok().as_deref() != Some(text.as_str()) {
            mismatches.push(format!("{name}:\n{text}"));
        }
    }
    assert!(
        mismatches.is_empty(),
        "error messages changed (UPDATE_EXPECT=1 to accept):\n{}",
        mismatches.join("\n")
    );
}

/// Without `--strict`, an operation OpenAPI's typed model cannot read (a parameter with neither
/// `schema` nor `content`) is skipped with one located warning, a path parameter lacking
/// `required: true` is read as required, and the rest of the spec generates.
#[test]
fn unreadable_operations_are_skipped_not_the_spec() {
    let spec = SpecFile {
        path: "tests/corpus/errors/lenient_operations.yaml".to_owned(),
        text: r#"openapi: 3.0.3
info: {title: t, version: '1'}
servers: [{url: 'https://api.example.com'}]
components:
  parameters:
    Page: {name: page, in: query}
paths:
  /things:
    get:
      operationId: listThings
      parameters: [{$ref: '#/components/parameters/Page'}]
      responses: {'204': {description: ok}}
  /things/{id}:
    get:
      operationId: getThing
      parameters: [{name: id, in: path, schema: {type: string}}]
      responses: {'204': {description: ok}}
"#
        .to_owned(),
    };
    let (api, warnings) = generator::lower_spec_reporting(&spec).expect("the rest generates");
    let ids: Vec<&str> = api.operations.iter().map(|o| o.id.as_str()).collect();
    assert_eq!(ids, ["getThing"]);
    assert!(api.operations[0].params[0].required);
    let messages: Vec<String> = warnings
        .iter()
        .map(|w| format!("{} {}", w.pointer, w.message))
        .collect();
    assert!(
        messages.iter().any(|m| m
            == "/paths/~1things/get/parameters/0 operation `listThings` skipped: parameter `page` has neither `schema` nor `content` (OpenAPI requires one of them)"),
        "{messages:#?}"
    );
    assert!(
        messages.iter().any(|m| m
            == "/paths/~1things~1{id}/get/parameters/0/required path parameter `id` lacks `required: true`: read as required"),
        "{messages:#?}"
    );
    assert!(warnings.iter().all(|w| w.line.is_some()), "{warnings:#?}");
    assert!(
        generator::generate(&CORPUS, &[spec], true).is_err(),
        "--strict refuses"
    );
}

/// An unsupported security scheme is reported once, where it is defined, never as unknown
/// where it is used; of an operation's alternatives the supported ones are kept, a requirement
/// combining several schemes among them (all sent together), and a combination whose parts
/// would fill the same header is left out with a warning where it is written.
#[test]
fn security_alternatives_use_the_supported_one_and_report_each_problem_once() {
    let spec = corpus_specs()
        .into_iter()
        .find(|s| s.path.ends_with("security_alternatives.yaml"))
        .expect("the corpus spec");
    let (api, findings) = generator::lower_spec_reporting(&spec).expect("the rest generates");
    let ids: Vec<&str> = api.operations.iter().map(|o| o.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "listZones",
            "listRecords",
            "getZone",
            "getDns",
            "getAccount",
            "purgeCache",
            "getSession"
        ]
    );
    let scheme = |op: usize| -> Vec<String> {
        api.operations[op]
            .security
            .iter()
            .map(|alternative| api.requirement_name(alternative, ""))
            .collect()
    };
    assert_eq!(scheme(0), ["api_email and api_key", "bearer"]);
    assert_eq!(scheme(1), ["api_email and api_key", "bearer"]);
    assert_eq!(scheme(2), ["api_key"]);
    assert_eq!(scheme(3), ["bearer"]);
    assert_eq!(scheme(4), ["api_email and api_key"]);
    assert!(!api.operations[4].auth_optional);
    assert_eq!(scheme(5), ["api_email and api_key"]);
    assert!(scheme(6).is_empty() && api.operations[6].auth_optional);
    let messages: Vec<String> = findings
        .iter()
        .map(|f| format!("{} {}", f.pointer, f.message))
        .collect();
    assert!(
        messages
            .iter()
            .all(|m| !m.contains("unknown security scheme")),
        "{messages:#?}"
    );
    let at = |pointer: &str| messages.iter().filter(|m| m.starts_with(pointer)).count();
    assert_eq!(
        at("/components/securitySchemes/digest "),
        1,
        "{messages:#?}"
    );
    assert_eq!(
        at("/components/securitySchemes/session "),
        1,
        "{messages:#?}"
    );
    let combined: Vec<&String> = messages
        .iter()
        .filter(|m| m.contains("combining several schemes"))
        .collect();
    assert_eq!(
        combined,
        ["/paths/~1zones~1{id}~1purge/post/security/0 this security requirement combining several schemes is left out: `bearer` and `raw_authorization` would both fill the `Authorization` header"],
        "{messages:#?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("/paths/~1legacy/get/security/0 operation `getLegacy` skipped")),
        "{messages:#?}"
    );
}

/// When every generated operation goes without credentials (`security: []`), the client takes
/// credentials but keeps no field for them, which it would never read (clippy's `dead_code`).
#[test]
fn a_client_whose_calls_send_no_credentials_keeps_none() {
    let spec = corpus_specs()
        .into_iter()
        .find(|s| s.path.ends_with("public_only.yaml"))
        .expect("the corpus spec");
    let files = generator::render_target(&CORPUS, &[spec]).expect("renders");
    let module = files
        .iter()
        .find(|f| f.path.ends_with("/public_only.rs") && !f.path.contains("/cli/"))
        .expect("the module");
    let client = module
        .contents
        .split("pub struct Client {")
        .nth(1)
        .and_then(|rest| rest.split('}').next())
        .expect("the Client struct");
    assert!(!client.contains("credentials"), "{client}");
    assert!(module
        .contents
        .contains("let _: Credentials = credentials.into();"));
}
