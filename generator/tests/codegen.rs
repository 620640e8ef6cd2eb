//! The generator's output: deterministic, its IR snapshotted, and bad specs refused with
//! located, helpful errors. (That `generated/` is fresh is `cargo xtask codegen --check`'s
//! proof, run once by `cargo xtask test`.)

mod support;

use generator::SpecFile;
use support::{render, root};

fn specs() -> Vec<SpecFile> {
    generator::read_specs(&root().join("specs")).expect("specs/ is readable")
}

#[test]
fn output_is_deterministic() {
    let first = render(&specs()).expect("renders");
    let second = render(&specs()).expect("renders");
    assert_eq!(first, second);
}

#[test]
fn ir_snapshots() {
    for spec in specs() {
        let api = generator::lower_spec(&spec).expect("lowers");
        insta::assert_debug_snapshot!(api.module.to_string(), api);
    }
}

fn errors_of(text: &str) -> Vec<generator::Diagnostic> {
    let spec = SpecFile {
        path: "specs/broken.yaml".into(),
        text: text.into(),
    };
    render(&[spec]).expect_err("the spec must be refused")
}

const MINIMAL: &str = "openapi: 3.0.3
info:
  title: T
  version: '1'
servers:
  - url: https://api.example.com
paths:
  /things/{id}:
    get:
      operationId: getThing
      parameters:
        - name: id
          in: path
          required: true
          schema:
            type: string
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Thing'
components:
  schemas:
    Thing:
      type: object
      properties:
        name:
          type: string
";

#[test]
fn minimal_spec_renders() {
    let spec = SpecFile {
        path: "specs/minimal.yaml".into(),
        text: MINIMAL.into(),
    };
    render(&[spec]).expect("renders");
}

#[test]
fn bad_yaml_names_file_and_line() {
    let errors = errors_of("openapi: 3.0.3\ninfo:\n  title: [unclosed\n  version: 1\n");
    assert_eq!(errors.len(), 1);
    let text = errors[0].to_string();
    assert!(text.contains("invalid YAML"), "{text}");
    assert!(text.contains("specs/broken.yaml:"), "{text}");
    assert!(errors[0].line.is_some(), "{text}");
}

#[test]
fn dangling_ref_names_pointer_line_and_fix() {
    let errors =
        errors_of(&MINIMAL.replace("#/components/schemas/Thing", "#/components/schemas/Missing"));
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let e = &errors[0];
    assert_eq!(
        e.pointer,
        "/paths/~1things~1{id}/get/responses/200/content/application~1json/schema/$ref"
    );
    assert_eq!(e.line, Some(23));
    let text = e.to_string();
    assert!(
        text.contains("dangling $ref `#/components/schemas/Missing`"),
        "{text}"
    );
    assert!(text.contains("specs/broken.yaml:23"), "{text}");
    assert!(
        text.contains("help: define `components.schemas.Missing`"),
        "{text}"
    );
}

#[test]
fn every_finding_is_reported_at_once() {
    let text = MINIMAL
        .replace("#/components/schemas/Thing", "#/components/schemas/Missing")
        .replace(
            "operationId: getThing",
            "operationId: getThing\n      x-idempotnt: true\n      x-retry: true",
        )
        .replace("        name:\n", "        name:\n          x-secret: 1\n");
    let errors = errors_of(&text);
    let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(errors.len(), 3, "{messages:#?}");
    assert!(
        messages
            .iter()
            .any(|m| m.contains("unknown extension `x-idempotnt`: did you mean `x-idempotent`?")),
        "{messages:#?}"
    );
    assert!(
        messages.iter().any(|m| m.contains("dangling $ref")),
        "{messages:#?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("`x-secret` must be `true` or `false`")),
        "{messages:#?}"
    );
}

#[test]
fn misplaced_extension_is_an_error() {
    let errors = errors_of(&MINIMAL.replace("  title: T\n", "  title: T\n  x-rpc: {}\n"));
    assert!(
        errors[0]
            .to_string()
            .contains("`x-rpc` is not allowed on the info object"),
        "{}",
        errors[0]
    );
    assert_eq!(errors[0].line, Some(4));
}

#[test]
fn path_template_and_parameters_must_agree() {
    let errors = errors_of(&MINIMAL.replace("- name: id", "- name: thingId"));
    let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("path variable `{id}` has no path parameter")),
        "{messages:#?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("path parameter `thingId` does not appear in the path")),
        "{messages:#?}"
    );
}

#[test]
fn envelope_payload_must_exist() {
    let text = MINIMAL.replace("paths:\n", "x-envelope:\n  payload: /data\npaths:\n");
    let errors = errors_of(&text);
    assert!(
        errors[0]
            .to_string()
            .contains("payload `/data` is not a property"),
        "{}",
        errors[0]
    );
}

#[test]
fn two_specs_mapping_to_one_module_are_an_error_naming_both_files() {
    let spec = |path: &str| SpecFile {
        path: path.into(),
        text: MINIMAL.into(),
    };
    let findings = render(&[spec("specs/lib.yaml"), spec("specs/lib-api.yaml")])
        .expect_err("two specs for one module must be refused");
    assert_eq!(findings.len(), 1, "{findings:#?}");
    let text = findings[0].to_string();
    assert!(
        text.contains("`specs/lib-api.yaml` and `specs/lib.yaml` both map to the module `lib_api`"),
        "{text}"
    );
    assert_eq!(findings[0].file, "specs/lib-api.yaml");
}

#[test]
fn reserved_spec_file_names_get_modules_of_their_own() {
    let spec = |path: &str| SpecFile {
        path: path.into(),
        text: MINIMAL.into(),
    };
    let files = render(&[
        spec("specs/lib.yaml"),
        spec("specs/runtime.yaml"),
        spec("specs/type.yaml"),
        spec("specs/cli.yaml"),
        spec("specs/clap.yaml"),
    ])
    .expect("renders");
    let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "generated/src/clap_api.rs",
            "generated/src/cli_api.rs",
            "generated/src/lib_api.rs",
            "generated/src/runtime_api.rs",
            "generated/src/type_api.rs",
            "generated/src/lib.rs",
            "generated/src/cli/mod.rs",
            "generated/src/cli/clap_api.rs",
            "generated/src/cli/cli_api.rs",
            "generated/src/cli/lib_api.rs",
            "generated/src/cli/runtime_api.rs",
            "generated/src/cli/type_api.rs",
            "generated/src/bin/api-tokens.rs",
            "generated/README.md",
            "generated/Cargo.toml"
        ]
    );
}

/// `names_property` once found (at random, on CI) a query parameter named `""` that
/// `x-pagination` pointed at: the spec was refused. Names are taken as written, blank ones too.
#[test]
fn pagination_parameters_may_have_empty_or_blank_names() {
    for name in ["", " "] {
        let text = format!(
            "openapi: 3.0.3
info:
  title: T
  version: '1'
servers:
  - url: https://api.example.com
paths:
  /things:
    get:
      operationId: listThings
      x-pagination:
        page-param: '{name}'
        items: /data
      parameters:
        - name: '{name}'
          in: query
          schema:
            type: integer
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  data:
                    type: array
                    items:
                      type: string
"
        );
        let spec = SpecFile {
            path: "specs/blank.yaml".into(),
            text,
        };
        let files = render(&[spec]).unwrap_or_else(|e| panic!("{name:?}: {e:?}"));
        let module = files
            .iter()
            .find(|f| f.path.ends_with("blank.rs"))
            .map(|f| f.contents.as_str())
            .unwrap_or_default();
        assert!(module.contains("list_things_stream"), "{name:?}");
    }
}
