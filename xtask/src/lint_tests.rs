//! Each rule on a deliberately faulty spec, with the exact message it must give.

use super::lint_spec;
use generator::SpecFile;

/// A clean spec; each test breaks it in one way.
const CLEAN: &str = r##"openapi: 3.0.3
info:
  title: T
  version: "1"
servers:
  - url: https://api.example.com
security:
  - key: []
paths:
  /tokens:
    get:
      operationId: listTokens
      summary: List tokens.
      parameters:
        - name: sortBy
          in: query
          schema:
            type: string
      responses:
        "200":
          description: Tokens.
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/Token"
              example:
                id: a
        "404":
          description: None.
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/Problem"
              example:
                title: gone
    post:
      operationId: createToken
      summary: Create a token.
      requestBody:
        content:
          application/json:
            schema:
              $ref: "#/components/schemas/Token"
            example:
              id: a
      responses:
        "204":
          description: Created.
components:
  securitySchemes:
    key:
      type: apiKey
      in: header
      name: X-Key
  schemas:
    Token:
      type: object
      properties:
        id:
          type: string
    Problem:
      type: object
      properties:
        title:
          type: string
"##;

fn lint(edits: &[(&str, &str)]) -> Vec<String> {
    let mut text = CLEAN.to_owned();
    for (from, to) in edits {
        assert_eq!(text.matches(from).count(), 1, "{from:?}");
        text = text.replacen(from, to, 1);
    }
    let spec = SpecFile {
        path: "specs/t.yaml".into(),
        text,
    };
    lint_spec(&spec).iter().map(ToString::to_string).collect()
}

fn one(edits: &[(&str, &str)]) -> String {
    let found = lint(edits);
    assert_eq!(found.len(), 1, "{found:#?}");
    found[0].clone()
}

#[test]
fn the_clean_spec_is_clean() {
    assert_eq!(lint(&[]), Vec::<String>::new());
}

#[test]
fn operation_without_id() {
    assert_eq!(
        one(&[("      operationId: createToken\n", "")]),
        "error: operation has no `operationId`\n  --> specs/t.yaml:36 (at #/paths/~1tokens/post)\n  = help: add an `operationId` (lowerCamelCase, e.g. `listUploadTokens`): it names the generated method, and without one the name is derived from the path and changes with it"
    );
}

#[test]
fn operation_ids_equal_after_case_conversion() {
    assert_eq!(
        one(&[("operationId: createToken", "operationId: list_tokens")]),
        "error: `operationId` `list_tokens` becomes method `list_tokens`, like `listTokens` at /paths/~1tokens/get\n  --> specs/t.yaml:37 (at #/paths/~1tokens/post/operationId)\n  = help: rename one of the two operations"
    );
}

#[test]
fn operation_without_summary() {
    assert_eq!(
        one(&[("      summary: Create a token.\n", "")]),
        "error: `POST /tokens` has no `summary`\n  --> specs/t.yaml:36 (at #/paths/~1tokens/post)\n  = help: add a one-line `summary`: it is the first line of the method's docs and the README's entry for it"
    );
}

#[test]
fn request_body_without_example() {
    assert_eq!(
        one(&[("            example:\n              id: a\n", "")]),
        "error: request body (`application/json`) has no example\n  --> specs/t.yaml:41 (at #/paths/~1tokens/post/requestBody/content/application~1json)\n  = help: add `example:` or `examples:` under the media type; the contract tests replay every example"
    );
}

#[test]
fn response_without_example() {
    assert_eq!(
        one(&[("              example:\n                title: gone\n", "")]),
        "error: the 404 response (`application/json`) has no example\n  --> specs/t.yaml:31 (at #/paths/~1tokens/get/responses/404/content/application~1json)\n  = help: add `example:` or `examples:` under the media type; the contract tests replay every example"
    );
}

#[test]
fn error_without_schema() {
    let found = lint(&[(
        "          description: None.\n          content:\n            application/json:\n              schema:\n                $ref: \"#/components/schemas/Problem\"\n              example:\n                title: gone\n",
        "          description: None.\n",
    )]);
    // The schema it used is now unused too: both findings, at once.
    assert_eq!(
        found,
        [
            "error: the 404 response documents no body schema\n  --> specs/t.yaml:28 (at #/paths/~1tokens/get/responses/404)\n  = help: describe the error body under `content: application/json: schema:` so callers get it typed; if the vendor really sends nothing, document that with an empty-object schema and say so in the description",
            "error: component `Problem` (schemas) is not used\n  --> specs/t.yaml:55 (at #/components/schemas/Problem)\n  = help: remove it, or `$ref` it where it applies",
        ]
    );
}

#[test]
fn unused_schema_and_security_scheme() {
    let found = lint(&[
        ("  schemas:\n", "    bearer:\n      type: http\n      scheme: bearer\n  schemas:\n    Spare:\n      type: string\n"),
    ]);
    assert_eq!(
        found,
        [
            "error: component `Spare` (schemas) is not used\n  --> specs/t.yaml:59 (at #/components/schemas/Spare)\n  = help: remove it, or `$ref` it where it applies",
            "error: security scheme `bearer` is not used by any `security` requirement\n  --> specs/t.yaml:55 (at #/components/securitySchemes/bearer)\n  = help: remove it, or list it under `security` (root or operation)",
        ]
    );
}

#[test]
fn schemas_that_collide_as_rust_types() {
    let found = lint(&[("    Problem:\n      type: object\n", "    problem:\n      type: object\n      properties:\n        code:\n          $ref: \"#/components/schemas/Problem\"\n    Problem:\n      type: object\n")]);
    assert_eq!(
        found[0],
        "error: schema `Problem` becomes type `Problem`, like schema `problem`\n  --> specs/t.yaml:66 (at #/components/schemas/Problem)\n  = help: rename one of the two schemas"
    );
    // Nothing refers to the lower-case one.
    assert!(
        found[1]
            .starts_with("error: component `problem` (schemas) is not used\n  --> specs/t.yaml:61"),
        "{found:#?}"
    );
    assert_eq!(found.len(), 2);
}

#[test]
fn properties_and_enum_values_that_collide() {
    let found = lint(&[(
        "        id:\n          type: string\n",
        "        id:\n          type: string\n        sortBy:\n          type: string\n          enum: [a-b, a_b]\n        sort_by:\n          type: string\n        \"-\":\n          type: string\n",
    )]);
    assert_eq!(
        found,
        [
            "error: property `sort_by` becomes `sort_by`, like `sortBy`\n  --> specs/t.yaml:64 (at #/components/schemas/Token/properties/sort_by)\n  = help: rename one of them; the generator would number the second, and the number shifts when the spec changes",
            "error: property name `-` has no ASCII letter or digit, so it cannot become a Rust name\n  --> specs/t.yaml:66 (at #/components/schemas/Token/properties/-)\n  = help: give it a name with letters (for a property, the wire name can stay if the schema is renamed)",
            "error: enum value `a_b` becomes `AB`, like `a-b`\n  --> specs/t.yaml:63 (at #/components/schemas/Token/properties/sortBy/enum/1)\n  = help: rename one of them; the generator would number the second, and the number shifts when the spec changes",
        ]
    );
}

#[test]
fn parameters_that_collide() {
    assert_eq!(
        one(&[("            type: string\n      responses:\n        \"200\":", "            type: string\n        - name: sort_by\n          in: header\n          schema:\n            type: string\n      responses:\n        \"200\":")]),
        "error: parameter `sort_by` becomes field `sort_by`, like `sortBy`\n  --> specs/t.yaml:19 (at #/paths/~1tokens/get/parameters/1/name)\n  = help: rename one of them in the spec (the wire name can stay with a distinct Rust name only by renaming)"
    );
}
