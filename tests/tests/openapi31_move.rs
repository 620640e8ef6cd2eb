//! A spec moved from OpenAPI 3.0 to 3.1 says the same thing, so it must lower to the same API
//! and `cargo xtask diff` must see no change: each of our specs is rewritten the way its author
//! would (`openapi: 3.1.0`, `nullable: true` beside `type: T` -> `type: [T, "null"]`) and
//! lowered both ways.

use generator::SpecFile;
use tests::root;

/// The 3.1 form of a 3.0 spec: the version, and `nullable` folded into a type array.
fn to_31(text: &str) -> String {
    let mut lines: Vec<Option<String>> = text
        .replacen("openapi: 3.0.3", "openapi: 3.1.0", 1)
        .lines()
        .map(|l| Some(l.to_owned()))
        .collect();
    let indent = |l: &str| l.len() - l.trim_start().len();
    for k in 0..lines.len() {
        let Some(line) = lines[k].clone() else {
            continue;
        };
        if line.trim() != "nullable: true" {
            continue;
        }
        let at = indent(&line);
        // The `type` of the same mapping: a line above at the same indent, before the mapping
        // starts (a line indented less).
        for j in (0..k).rev() {
            let Some(above) = lines[j].clone() else {
                continue;
            };
            if indent(&above) < at {
                break;
            }
            if let Some(kind) = above.trim().strip_prefix("type: ") {
                if indent(&above) == at {
                    lines[j] = Some(format!("{}type: [{kind}, 'null']", " ".repeat(at)));
                    lines[k] = None;
                    break;
                }
            }
        }
    }
    lines.into_iter().flatten().collect::<Vec<_>>().join("\n")
}

#[test]
fn our_specs_lower_the_same_as_openapi_31() {
    let specs = generator::read_specs(&root().join("specs")).expect("specs");
    let mut folded = 0;
    for spec in specs {
        let text = to_31(&spec.text);
        assert!(
            text.contains("openapi: 3.1.0"),
            "{} is not 3.0.3",
            spec.path
        );
        folded += text.matches(", 'null']").count();
        let moved = SpecFile {
            path: spec.path.clone(),
            text,
        };
        let old = generator::lower_spec(&spec).expect("3.0 lowers");
        let new = generator::lower_spec(&moved)
            .unwrap_or_else(|d| panic!("{} as 3.1 is refused: {d:#?}", spec.path));
        let changes = generator::diff::compare_api(&old, &new);
        assert!(changes.is_empty(), "{}: {changes:#?}", spec.path);
        assert_eq!(format!("{old:?}"), format!("{new:?}"), "{}", spec.path);
    }
    assert!(
        folded >= 10,
        "the specs lost their nullable schemas: {folded}"
    );
}
