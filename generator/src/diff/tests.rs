//! The rules that follow from `#[non_exhaustive]` models and enums built with `new` and `with_`
//! setters, each shown both ways: the change that stays compatible and its breaking twin.
//! (`xtask/tests/compile_check.rs` checks the classes against the compiler.)

use super::{compare_api, Class, Rule};
use crate::SpecFile;

const BASE: &str = r##"
openapi: 3.0.3
info: {title: Rules, version: "1"}
servers: [{url: "https://api.example.com"}]
paths:
  /tokens:
    get:
      operationId: listTokens
      parameters:
        - {name: page, in: query, schema: {type: integer, format: int32}}
      responses:
        "200":
          description: A page, or a redirect note.
          content: {application/json: {schema: {$ref: "#/components/schemas/Token"}}}
        "202":
          description: Still counting.
          content: {application/json: {schema: {$ref: "#/components/schemas/Note"}}}
        "404":
          description: Nothing there.
          content: {application/json: {schema: {$ref: "#/components/schemas/Note"}}}
    post:
      operationId: createToken
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: "#/components/schemas/Payload"}}}
      responses:
        "204": {description: Created.}
  /status:
    get:
      operationId: getStatus
      responses:
        "204": {description: Up.}
components:
  schemas:
    Payload:
      type: object
      required: [name, owner]
      properties:
        name: {type: string}
        owner: {type: string}
        ttl: {type: integer, format: int32}
    Token:
      type: object
      properties:
        kind: {$ref: "#/components/schemas/Kind"}
        holder: {$ref: "#/components/schemas/Holder"}
    Note:
      type: object
      properties:
        text: {type: string}
    Kind:
      type: string
      enum: [user, bot]
    Holder:
      oneOf:
        - {type: string}
        - {type: integer, format: int64}
"##;

/// The rules `compare_api` gives for `BASE` and `BASE` with `edits` applied (each must match once).
fn rules(edits: &[(&str, &str)]) -> Vec<(Rule, Class)> {
    let mut after = BASE.to_owned();
    for (from, to) in edits {
        assert_eq!(after.matches(from).count(), 1, "{from:?} must match once");
        after = after.replacen(from, to, 1);
    }
    let lower = |text: &str| {
        crate::lower_spec(&SpecFile {
            path: "specs/rules.yaml".into(),
            text: text.into(),
        })
        .unwrap_or_else(|d| panic!("{d:?}"))
    };
    compare_api(&lower(BASE), &lower(&after))
        .into_iter()
        .map(|c| (c.rule, c.class))
        .collect()
}

fn has(changes: &[(Rule, Class)], rule: Rule) -> bool {
    changes.iter().any(|(r, _)| *r == rule)
}

fn breaking(changes: &[(Rule, Class)]) -> bool {
    changes.iter().any(|(_, c)| *c == Class::Breaking)
}

const TTL: &str = "        ttl: {type: integer, format: int32}\n";

#[test]
fn an_optional_body_field_is_compatible_and_a_required_one_breaks() {
    let optional = rules(&[(
        TTL,
        "        ttl: {type: integer, format: int32}\n        note: {type: string}\n",
    )]);
    assert!(
        has(&optional, Rule::FieldAdded) && !breaking(&optional),
        "{optional:?}"
    );
    // Required but nullable: an `Option`, so a setter and not an argument of `new`.
    let nullable = rules(&[
        ("required: [name, owner]", "required: [name, owner, note]"),
        (TTL, "        ttl: {type: integer, format: int32}\n        note: {type: string, nullable: true}\n"),
    ]);
    assert!(
        has(&nullable, Rule::FieldAdded) && !breaking(&nullable),
        "{nullable:?}"
    );
    let required = rules(&[
        ("required: [name, owner]", "required: [name, owner, note]"),
        (
            TTL,
            "        ttl: {type: integer, format: int32}\n        note: {type: string}\n",
        ),
    ]);
    assert!(
        has(&required, Rule::RequiredFieldAdded) && breaking(&required),
        "{required:?}"
    );
}

#[test]
fn a_response_field_is_compatible_too() {
    let added = rules(&[(
        "        text: {type: string}\n",
        "        text: {type: string}\n        code: {type: integer}\n",
    )]);
    assert_eq!(added, [(Rule::FieldAdded, Class::Compatible)]);
}

#[test]
fn required_fields_in_another_order_break_new() {
    let same = rules(&[("required: [name, owner]", "required: [owner, name]")]);
    assert!(
        same.is_empty(),
        "the `required` list's order is not `new`'s: {same:?}"
    );
    let swapped = rules(&[(
        "        name: {type: string}\n        owner: {type: string}\n",
        "        owner: {type: string}\n        name: {type: string}\n",
    )]);
    assert_eq!(swapped, [(Rule::ConstructorOrder, Class::Breaking)]);
}

const PAGE: &str = "        - {name: page, in: query, schema: {type: integer, format: int32}}\n";

#[test]
fn an_optional_parameter_is_compatible_and_a_required_one_breaks() {
    let optional = rules(&[(PAGE, "        - {name: page, in: query, schema: {type: integer, format: int32}}\n        - {name: label, in: query, schema: {type: string}}\n")]);
    assert_eq!(optional, [(Rule::ParamAdded, Class::Compatible)]);
    let required = rules(&[(PAGE, "        - {name: page, in: query, schema: {type: integer, format: int32}}\n        - {name: label, in: query, required: true, schema: {type: string}}\n")]);
    assert!(
        has(&required, Rule::RequiredParamAdded) && has(&required, Rule::DefaultLost),
        "{required:?}"
    );
    assert!(breaking(&required));
}

#[test]
fn a_first_parameter_adds_an_argument_to_the_method() {
    let first = rules(&[(
        "      operationId: getStatus\n",
        "      operationId: getStatus\n      parameters:\n        - {name: verbose, in: query, schema: {type: boolean}}\n",
    )]);
    assert_eq!(first, [(Rule::ParamsAdded, Class::Breaking)]);
}

#[test]
fn enum_values_union_variants_and_errors_may_be_added_not_removed() {
    let value = rules(&[("enum: [user, bot]", "enum: [user, bot, team]")]);
    assert_eq!(value, [(Rule::EnumValueAdded, Class::Compatible)]);
    let gone = rules(&[("enum: [user, bot]", "enum: [user]")]);
    assert_eq!(gone, [(Rule::EnumValueRemoved, Class::Breaking)]);

    let variant = rules(&[(
        "        - {type: integer, format: int64}\n",
        "        - {type: integer, format: int64}\n        - {type: boolean}\n",
    )]);
    assert_eq!(variant, [(Rule::UnionVariantAdded, Class::Compatible)]);
    let dropped = rules(&[("        - {type: integer, format: int64}\n", "")]);
    assert!(breaking(&dropped), "{dropped:?}");

    let error = rules(&[(
        "        \"404\":\n",
        "        \"429\":\n          description: Slow down.\n        \"404\":\n",
    )]);
    assert_eq!(error, [(Rule::ErrorAdded, Class::Compatible)]);
    let no_error = rules(&[(
        "        \"404\":\n          description: Nothing there.\n          content: {application/json: {schema: {$ref: \"#/components/schemas/Note\"}}}\n",
        "",
    )]);
    assert_eq!(no_error, [(Rule::ErrorRemoved, Class::Breaking)]);
}

#[test]
fn a_success_variant_is_compatible_but_a_new_return_type_breaks() {
    let more = rules(&[(
        "        \"404\":\n",
        "        \"203\":\n          description: Partial.\n        \"404\":\n",
    )]);
    assert_eq!(more, [(Rule::SuccessAdded, Class::Compatible)]);
    // From one body to two: the method returns the success enum instead of the body.
    let first = rules(&[(
        "        \"204\": {description: Created.}\n",
        "        \"204\": {description: Created.}\n        \"200\":\n          description: Already there.\n          content: {application/json: {schema: {$ref: \"#/components/schemas/Token\"}}}\n",
    )]);
    assert!(
        has(&first, Rule::ReturnType) && breaking(&first),
        "{first:?}"
    );
}

/// The diff classifies what `crate::surface` says callers see, the same facts emit generates
/// from: each edit here changes one surface fact, checked first on the surface itself, then in
/// the diff's verdict.
#[test]
fn the_diff_reads_the_surface_emit_generates_from() {
    use crate::surface::{self, Returns};
    let lower = |text: &str| {
        crate::lower_spec(&SpecFile {
            path: "specs/rules.yaml".into(),
            text: text.into(),
        })
        .unwrap_or_else(|d| panic!("{d:?}"))
    };
    let op = |api: &crate::ir::Api, id: &str| {
        api.operations
            .iter()
            .find(|o| o.id == id)
            .cloned()
            .unwrap_or_else(|| panic!("no {id}"))
    };
    let base = lower(BASE);

    // A required query parameter: `Params` loses `Default`, `new` gains an argument.
    let page = "        - {name: page, in: query, schema: {type: integer, format: int32}}\n";
    let required = BASE.replacen(
        page,
        "        - {name: page, in: query, required: true, schema: {type: integer, format: int32}}\n",
        1,
    );
    let (was, now) = (op(&base, "listTokens"), op(&lower(&required), "listTokens"));
    assert_eq!(surface::params_default(&was), Some(true));
    assert_eq!(surface::params_default(&now), Some(false));
    let changes: Vec<_> = compare_api(&base, &lower(&required))
        .into_iter()
        .map(|c| (c.rule, c.class))
        .collect();
    assert!(
        has(&changes, Rule::DefaultLost)
            && has(&changes, Rule::ParamRequirement)
            && breaking(&changes),
        "{changes:?}"
    );

    // Both successes with one body: the return type goes from the success enum to the body.
    let one_body = BASE.replacen(
        "          description: Still counting.\n          content: {application/json: {schema: {$ref: \"#/components/schemas/Note\"}}}\n",
        "          description: Still counting.\n          content: {application/json: {schema: {$ref: \"#/components/schemas/Token\"}}}\n",
        1,
    );
    let (was, now) = (op(&base, "listTokens"), op(&lower(&one_body), "listTokens"));
    assert!(matches!(surface::returns(&was), Returns::Several(_)));
    assert!(matches!(surface::returns(&now), Returns::Body(_)));
    let changes: Vec<_> = compare_api(&base, &lower(&one_body))
        .into_iter()
        .map(|c| (c.rule, c.class))
        .collect();
    assert!(
        has(&changes, Rule::ReturnType) && breaking(&changes),
        "{changes:?}"
    );
}
