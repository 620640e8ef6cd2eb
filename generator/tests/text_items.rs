//! Items written straight as text (`emit::text`) are exactly what prettyplease prints from
//! their tokens. Generation runs with the check on (`generator::emit::verify_text_items`), which
//! prints every text item from its tokens too and fails on any difference: here over every
//! spec of the repository and the corpus, and over a sweep of name lengths that walks each
//! shape's lines across the widths where prettyplease changes its layout.

mod support;

use generator::SpecFile;
use std::fmt::Write;
use support::{layout, render, root};

/// The findings that are text items differing from prettyplease (none, or the test fails).
fn mismatches(specs: &[SpecFile]) -> Vec<String> {
    generator::emit::verify_text_items(true);
    match render(specs) {
        Ok(_) => Vec::new(),
        Err(found) => found
            .into_iter()
            .map(|d| d.message)
            .filter(|m| m.contains("text item"))
            .collect(),
    }
}

#[test]
fn the_repository_specs_print_as_prettyplease_would() {
    let specs = generator::read_specs(&root().join("specs")).expect("specs/ is readable");
    assert_eq!(mismatches(&specs), Vec::<String>::new());
    let corpus = generator::read_specs_as(&root().join("tests/corpus/specs"), "tests/corpus/specs")
        .expect("the corpus is readable");
    let release = generator::Release {
        version: "0.1.0".into(),
        runtime_version: "0.1.0".into(),
        cli_version: "0.1.0".into(),
    };
    let [_, corpus_target] = layout::targets(&release);
    generator::emit::verify_text_items(true);
    let found: Vec<String> = match generator::render_target(&corpus_target, &corpus) {
        Ok(_) => Vec::new(),
        Err(found) => found.into_iter().map(|d| d.message).collect(),
    };
    assert_eq!(found, Vec::<String>::new());
}

/// One operation and its models per length `n`: every name the shapes print (operation,
/// types, fields, wire names, enum values, paths, parameters) grows with `n`.
fn sweep_spec(lengths: std::ops::RangeInclusive<usize>) -> SpecFile {
    let mut text = String::from(
        "openapi: 3.0.3\ninfo: {title: Sweep, version: '1'}\nservers: [{url: 'https://api.example.com'}]\n\
         components:\n  securitySchemes:\n    bearer: {type: http, scheme: bearer}\n  schemas:\n",
    );
    for n in lengths.clone() {
        let x = "x".repeat(n);
        let cap = "X".repeat(n);
        let _ = write!(
            text,
            "    Model{cap}:\n      type: object\n      required: [id{x}, plain]\n      properties:\n\
             \x20       id{x}: {{type: integer, format: int64}}\n\
             \x20       plain: {{type: string}}\n\
             \x20       camel{cap}Name: {{type: string}}\n\
             \x20       snake_{x}_name: {{type: string, format: date-time}}\n\
             \x20       state: {{type: string, enum: [on{x}, 'off-{x}', v{cap}]}}\n\
             \x20       tags: {{type: array, items: {{type: string}}}}\n\
             \x20       map{x}: {{type: object, additionalProperties: {{type: integer}}}}\n\
             \x20       next: {{$ref: '#/components/schemas/Model{cap}'}}\n\
             \x20   Problem{cap}:\n      type: object\n      properties:\n        message: {{type: string}}\n"
        );
    }
    text.push_str("security:\n  - bearer: []\npaths:\n");
    for n in lengths {
        let x = "x".repeat(n);
        let cap = "X".repeat(n);
        let _ = write!(
            text,
            "  /r{n}/{{id}}/{x}/{{name{cap}}}:\n    get:\n      operationId: get{cap}Thing\n\
             \x20     summary: Get {x}.\n      parameters:\n\
             \x20       - {{name: id, in: path, required: true, schema: {{type: integer}}}}\n\
             \x20       - {{name: name{cap}, in: path, required: true, schema: {{type: string}}}}\n\
             \x20       - {{name: q{x}, in: query, schema: {{type: string}}}}\n\
             \x20       - {{name: limit, in: query, required: true, schema: {{type: integer}}}}\n\
             \x20       - {{name: X-Trace-{cap}, in: header, schema: {{type: string}}}}\n\
             \x20     responses:\n\
             \x20       '200':\n          description: The thing {x}.\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/Model{cap}'}}\n              example: {{id{x}: 1, plain: '{x}'}}\n\
             \x20       '202':\n          description: Accepted.\n\
             \x20       '404':\n          description: Not found {x}.\n\
             \x20       '422':\n          description: Invalid {x}.\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/Problem{cap}'}}\n\
             \x20 /r{n}/items{x}:\n    post:\n      operationId: create{cap}Item\n\
             \x20     requestBody:\n        required: true\n        content:\n          application/json:\n            schema: {{$ref: '#/components/schemas/Model{cap}'}}\n\
             \x20     responses:\n\
             \x20       '201':\n          description: Created.\n          content:\n            application/json:\n              schema: {{type: array, items: {{$ref: '#/components/schemas/Model{cap}'}}}}\n\
             \x20       default:\n          description: Anything else {x}.\n"
        );
    }
    SpecFile {
        path: "specs/sweep.yaml".into(),
        text,
    }
}

#[test]
fn every_width_prints_as_prettyplease_would() {
    assert_eq!(mismatches(&[sweep_spec(1..=70)]), Vec::<String>::new());
}

/// The sweep does write items as text (the check above is not vacuous), and leaves no
/// placeholder behind.
#[test]
fn the_sweep_writes_text() {
    let before = generator::emit::text_items_written();
    let files = render(&[sweep_spec(1..=3)]).expect("renders");
    // Three operations of each kind and their models: dozens of items, whatever other tests
    // of this binary write at the same time.
    assert!(
        generator::emit::text_items_written() - before >= 30,
        "the sweep went through tokens"
    );
    let module = files
        .iter()
        .find(|f| f.path.ends_with("src/sweep.rs"))
        .expect("the module");
    assert!(module.contents.contains("pub fn with_camel_xxx_name("));
    assert!(
        !module.contents.contains("__text_"),
        "a placeholder was left"
    );
}

/// Methods whose path arguments fill lines (`format!`'s tokens) and whose error arms put their
/// argument on a line of its own, mock expectations whose route fields (operation, path,
/// query and body field names) and error arms pass the margin, and error enums whose `Display`
/// arms break: a literal path segment, the operations' names, one query parameter's and one
/// property's name and one error's description grow by one character per step, so every line
/// of these layouts meets the margin at every column. A date-time query parameter, growing
/// too, and a date-time header are sent as their RFC 3339 text.
fn margin_spec(lengths: std::ops::RangeInclusive<usize>) -> SpecFile {
    let mut text = String::from(
        "openapi: 3.0.3\ninfo: {title: Margin, version: '1'}\nservers: [{url: 'https://api.example.com'}]\n\
         components:\n  schemas:\n    Problem:\n      type: object\n      properties:\n        message: {type: string}\npaths:\n",
    );
    for n in lengths {
        let x = "x".repeat(n);
        let cap = "X".repeat(n);
        let _ = write!(
            text,
            "  /{x}/{{a}}/{{bb}}/{{ccc}}:\n    get:\n      operationId: op{cap}\n      parameters:\n\
             \x20       - {{name: a, in: path, required: true, schema: {{type: string}}}}\n\
             \x20       - {{name: bb, in: path, required: true, schema: {{type: string}}}}\n\
             \x20       - {{name: ccc, in: path, required: true, schema: {{type: string}}}}\n\
             \x20       - {{name: first{x}, in: query, schema: {{type: string}}}}\n\
             \x20       - {{name: second, in: query, schema: {{type: string}}}}\n\
             \x20       - {{name: third, in: query, schema: {{type: string}}}}\n\
             \x20       - {{name: at{x}, in: query, schema: {{type: string, format: date-time}}}}\n\
             \x20       - {{name: When, in: header, required: true, schema: {{type: string, format: date-time}}}}\n\
             \x20     responses:\n\
             \x20       '200': {{description: OK., content: {{application/json: {{schema: {{type: string}}}}}}}}\n\
             \x20       '404': {{description: Not found {x}.}}\n\
             \x20       '422': {{description: Invalid., content: {{application/json: {{schema: {{$ref: '#/components/schemas/Problem'}}}}}}}}\n\
             \x20 /{x}:\n    post:\n      operationId: make{cap}\n      requestBody:\n        required: true\n\
             \x20       content:\n          application/json:\n            schema:\n              type: object\n\
             \x20             properties:\n                alpha{x}: {{type: string}}\n\
             \x20               beta: {{type: string}}\n                gamma: {{type: string}}\n\
             \x20     responses:\n        '204': {{description: Done.}}\n        '404': {{description: Not found.}}\n"
        );
    }
    SpecFile {
        path: "specs/margin.yaml".into(),
        text,
    }
}

#[test]
fn path_arguments_and_error_arms_print_as_prettyplease_would_at_every_column() {
    let before = generator::emit::text_items_written();
    assert_eq!(mismatches(&[margin_spec(1..=90)]), Vec::<String>::new());
    // The check above looked at these layouts: 1,649 items are text, 1,634 without the
    // date-time parameters' statements, 1,592 without the `Display` arms' layouts (those items
    // went through tokens).
    assert!(
        generator::emit::text_items_written() - before >= 1645,
        "the methods went through tokens"
    );
}

/// The module's `Error` and its impls are all text or all tokens, so each length gets a spec
/// of its own: one operation whose name, and so the variant and its error type, grows by one
/// character per spec, walking the variant and the `match` arms across the margin.
#[test]
fn module_errors_print_as_prettyplease_would_at_every_column() {
    let specs: Vec<SpecFile> = (1..=90)
        .map(|n| {
            let cap = "X".repeat(n);
            SpecFile {
                path: format!("specs/e{n}.yaml"),
                text: format!(
                    "openapi: 3.0.3\ninfo: {{title: E, version: '1'}}\npaths:\n  /a:\n    get:\n\
                     \x20     operationId: o{cap}\n      responses:\n        '204': {{description: Done.}}\n\
                     \x20       '404': {{description: Not found.}}\n"
                ),
            }
        })
        .collect();
    let before = generator::emit::text_items_written();
    assert_eq!(mismatches(&specs), Vec::<String>::new());
    // The check above looked at these layouts: 932 items are text, 804 before the arms' and
    // the variant's wider layouts were written.
    assert!(
        generator::emit::text_items_written() - before >= 900,
        "the module errors went through tokens"
    );
}

/// One spec per length `n` whose `Server`, `Credentials`, `Client` and operation statics grow
/// with `n`: a server variable, a static server URL, an API key's scheme and header, and a
/// rate limit, so their lines (the `url` arms, the setters, the `From` impls' struct literals
/// around prettyplease's 34 columns) meet the margins at every width.
fn client_spec(n: usize) -> SpecFile {
    let x = "x".repeat(n);
    let cap = "X".repeat(n);
    SpecFile {
        path: format!("specs/client{n}.yaml"),
        text: format!(
            "openapi: 3.0.3\ninfo: {{title: Client {n}, version: '1'}}\n\
             servers:\n\
             \x20 - url: 'https://{{region{x}}}.example.com/{{version}}'\n\
             \x20   description: Region {x}.\n\
             \x20   variables:\n\
             \x20     region{x}: {{default: 'eu{x}', description: The region {x}.}}\n\
             \x20     version: {{default: v1, enum: [v1, v2]}}\n\
             \x20 - url: 'https://static{x}.example.com'\n\
             x-rate-limit: {{requests: 10, per-seconds: 1}}\n\
             components:\n  securitySchemes:\n    k{cap}: {{type: apiKey, in: header, name: X-Key-{cap}}}\n\
             security:\n  - k{cap}: []\n\
             paths:\n  /things:\n    get:\n      operationId: getThings{cap}\n      summary: Things.\n\
             \x20     responses:\n        '204': {{description: ok}}\n"
        ),
    }
}

#[test]
fn client_items_print_as_prettyplease_would_at_every_width() {
    let specs: Vec<SpecFile> = (1..=60).map(client_spec).collect();
    let before = generator::emit::text_items_written();
    assert_eq!(mismatches(&specs), Vec::<String>::new());
    // Not vacuous: most of these specs' items were written as text.
    assert!(generator::emit::text_items_written() - before >= 60 * 8);
}

/// Paginated operations, one spec per length `n`: the item type's name grows with `n`, the
/// operation's does not (when both grow, the helper's call in `<method>_all` breaks, and the
/// method goes through tokens, before its signature meets the margin), so the helper's
/// signature meets the margin at every width: on one line, a parameter a line, the `Result`
/// broken too.
fn pagination_spec(n: usize) -> SpecFile {
    let cap = "X".repeat(n);
    SpecFile {
        path: format!("specs/pages{n}.yaml"),
        text: format!(
            "openapi: 3.0.3\ninfo: {{title: Pages {n}, version: '1'}}\nservers: [{{url: 'https://api.example.com'}}]\n\
             components:\n  schemas:\n\
             \x20   Item{cap}:\n      type: object\n      properties:\n        id: {{type: string}}\n\
             \x20   Page:\n      type: object\n      required: [data]\n      properties:\n\
             \x20       data: {{type: array, items: {{$ref: '#/components/schemas/Item{cap}'}}}}\n\
             paths:\n  /items/{{owner}}:\n    get:\n      operationId: listItems\n\
             \x20     x-pagination: {{style: page, page-param: page, items: /data}}\n\
             \x20     parameters:\n\
             \x20       - {{name: owner, in: path, required: true, schema: {{type: string}}}}\n\
             \x20       - {{name: page, in: query, schema: {{type: integer}}}}\n\
             \x20     responses:\n\
             \x20       '200':\n          description: A page.\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/Page'}}\n\
             \x20       '404':\n          description: Not found.\n"
        ),
    }
}

#[test]
fn pagination_helpers_print_as_prettyplease_would_at_every_width() {
    let specs: Vec<SpecFile> = (1..=60).map(pagination_spec).collect();
    assert_eq!(mismatches(&specs), Vec::<String>::new());
    let files = render(&specs[..1]).expect("renders");
    let module = files
        .iter()
        .find(|f| f.path.ends_with("src/pages1.rs"))
        .expect("the module");
    assert!(module.contents.contains("pub async fn list_items_all("));
}
