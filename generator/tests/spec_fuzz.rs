//! Untrusted specs: random bytes, mutated real specs and random schema trees go through the
//! loader and the whole generator without a panic. Any outcome but a panic is fine: either
//! rendered code (which `render` has already parsed as Rust) or located diagnostics.
//!
//! `PROPTEST_CASES=20000 cargo test --release -p generator --test spec_fuzz` runs it for longer.

mod support;

use generator::SpecFile;
use proptest::prelude::*;
use support::{layout, render, root};

fn spec(text: String) -> SpecFile {
    SpecFile {
        path: "specs/fuzz.yaml".into(),
        text,
    }
}

fn real_specs() -> Vec<String> {
    let mut texts: Vec<String> = generator::read_specs(&root().join(layout::SPECS))
        .expect("specs")
        .into_iter()
        .map(|s| s.text)
        .collect();
    texts.extend(
        generator::read_target_specs(&root(), &layout::CORPUS)
            .expect("corpus")
            .into_iter()
            .map(|s| s.text),
    );
    texts
}

/// Renders, and checks that a refusal is located and explained.
fn check(text: String) {
    if let Err(findings) = render(&[spec(text)]) {
        assert!(!findings.is_empty());
        for finding in findings {
            assert_eq!(finding.file, "specs/fuzz.yaml");
            assert!(finding.help.is_some(), "no help for: {finding}");
        }
    }
}

#[derive(Debug, Clone)]
enum Edit {
    DeleteLine(usize),
    DuplicateLine(usize),
    Indent(usize, bool),
    ReplaceValue(usize, String),
    SwapLines(usize, usize),
}

fn apply(text: &str, edits: &[Edit]) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    for edit in edits {
        if lines.is_empty() {
            break;
        }
        let n = lines.len();
        match edit {
            Edit::DeleteLine(i) => {
                lines.remove(i % n);
            }
            Edit::DuplicateLine(i) => {
                let line = lines[i % n].clone();
                lines.insert(i % n, line);
            }
            Edit::Indent(i, deeper) => {
                let line = &mut lines[i % n];
                if *deeper {
                    line.insert_str(0, "  ");
                } else if let Some(rest) = line.strip_prefix("  ") {
                    *line = rest.to_owned();
                }
            }
            Edit::ReplaceValue(i, value) => {
                let line = &mut lines[i % n];
                if let Some((key, _)) = line.split_once(": ") {
                    *line = format!("{key}: {value}");
                }
            }
            Edit::SwapLines(i, j) => lines.swap(i % n, j % n),
        }
    }
    lines.join("\n")
}

fn edit() -> impl Strategy<Value = Edit> {
    let values = prop_oneof![
        Just("null".to_owned()),
        Just("[]".to_owned()),
        Just("{}".to_owned()),
        Just("-1".to_owned()),
        Just("'#/components/schemas/Nope'".to_owned()),
        Just("object".to_owned()),
        Just("array".to_owned()),
        Just("true".to_owned()),
        "[a-zA-Z0-9_/#{}-]{0,12}",
    ];
    prop_oneof![
        any::<usize>().prop_map(Edit::DeleteLine),
        any::<usize>().prop_map(Edit::DuplicateLine),
        (any::<usize>(), any::<bool>()).prop_map(|(i, d)| Edit::Indent(i, d)),
        (any::<usize>(), values).prop_map(|(i, v)| Edit::ReplaceValue(i, v)),
        (any::<usize>(), any::<usize>()).prop_map(|(i, j)| Edit::SwapLines(i, j)),
    ]
}

/// A random schema, as YAML lines at `indent`.
fn schema(depth: u32) -> BoxedStrategy<String> {
    let leaf = prop_oneof![
        Just("type: string".to_owned()),
        Just("type: string\nformat: date-time".to_owned()),
        Just("type: integer\nformat: int32".to_owned()),
        Just("type: number".to_owned()),
        Just("type: boolean".to_owned()),
        Just("type: string\nenum: [a, b, self, '']".to_owned()),
        Just("$ref: '#/components/schemas/S0'".to_owned()),
        Just("$ref: '#/components/schemas/S1'".to_owned()),
        Just("type: object".to_owned()),
        Just("{}".to_owned()),
    ];
    leaf.prop_recursive(depth, 24, 4, |inner| {
        let indented = move |s: String| {
            s.lines()
                .map(|l| format!("    {l}"))
                .collect::<Vec<_>>()
                .join("\n")
        };
        prop_oneof![
            inner
                .clone()
                .prop_map(move |s| format!("type: array\nitems:\n{}", indented(s))),
            (inner.clone(), inner.clone(), any::<bool>()).prop_map(move |(a, b, req)| format!(
                "type: object\n{}properties:\n  type:\n{}\n  x_y:\n{}",
                if req { "required: [type]\n" } else { "" },
                indented(a),
                indented(b)
            )),
            (inner.clone(), inner.clone()).prop_map(move |(a, b)| format!(
                "oneOf:\n  -\n{}\n  -\n{}",
                indented(a),
                indented(b)
            )),
            (inner.clone(), inner.clone()).prop_map(move |(a, b)| format!(
                "allOf:\n  -\n{}\n  -\n{}",
                indented(a),
                indented(b)
            )),
            inner
                .clone()
                .prop_map(move |a| format!("type: object\nadditionalProperties:\n{}", indented(a))),
            inner.prop_map(|a| format!("{a}\nnullable: true")),
        ]
    })
    .boxed()
}

fn random_spec(s0: &str, s1: &str, body: &str) -> String {
    let block = |s: &str, pad: &str| {
        s.lines()
            .map(|l| format!("{pad}{l}"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    format!(
        "openapi: 3.0.3\ninfo:\n  title: Fuzz\n  version: '1'\nservers:\n  - url: https://api.example.com\npaths:\n  /x/{{id}}:\n    post:\n      operationId: postX\n      parameters:\n        - name: id\n          in: path\n          required: true\n          schema:\n            type: string\n      requestBody:\n        content:\n          application/json:\n            schema:\n{}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n{}\ncomponents:\n  schemas:\n    S0:\n{}\n    S1:\n{}\n",
        block(body, "              "),
        block(s1, "                "),
        block(s0, "      "),
        block(s1, "      "),
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        check(String::from_utf8_lossy(&bytes).into_owned());
    }

    #[test]
    fn mutated_real_specs_never_panic(index in any::<usize>(), edits in proptest::collection::vec(edit(), 1..6)) {
        let texts = real_specs();
        let text = &texts[index % texts.len()];
        check(apply(text, &edits));
    }

    #[test]
    fn random_schema_trees_never_panic(s0 in schema(4), s1 in schema(4), body in schema(3)) {
        check(random_spec(&s0, &s1, &body));
    }
}

#[test]
fn the_random_spec_template_is_valid() {
    let text = random_spec("type: string", "type: integer", "type: boolean");
    render(&[spec(text)]).expect("the template itself renders");
}
