//! Rustdoc of the generated methods: what the call does, the HTTP request, the errors.

use super::doc;
use super::signature::method_str;
use crate::ir::{Api, AuthKind, AuthScheme, Encoding, Operation, TypeRef};
use crate::surface::{caller_params, path_params, returns, status_prose, Returns};
use proc_macro2::TokenStream;
use quote::quote;

/// Whether a module's docs carry examples, and for which crate. Only the product crate's doc
/// tests run (the fixture corpus and the published specs' crates are compiled, not
/// doc-tested), and a doc test names its crate, which the IR of one API does not know: the
/// caller that renders a whole crate says it, and emission passes it down.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DocTests<'a> {
    /// The crate (its Rust name) the examples are written for; `None`: no examples.
    pub krate: Option<&'a str>,
}

/// The credential a scheme's example uses.
fn credential_example(kind: &AuthKind) -> String {
    match kind {
        AuthKind::Basic => "runtime::BasicAuth::new(\"USER\", \"PASSWORD\")".to_owned(),
        AuthKind::Bearer | AuthKind::Header(_) | AuthKind::Query(_) => "\"API_TOKEN\"".to_owned(),
        AuthKind::Signed { .. } => {
            "runtime::SigningKey::new(\"SECRET_ID\", \"SECRET_KEY\")".to_owned()
        }
    }
}

/// A path parameter's value in an example: the spec's example, else a placeholder.
fn path_value(ty: &TypeRef, example: Option<&str>) -> Option<String> {
    let parsed = example.and_then(|e| serde_json::from_str::<serde_json::Value>(e).ok());
    match ty {
        TypeRef::String | TypeRef::Secret => {
            let text = parsed
                .as_ref()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_else(|| "ID".to_owned());
            Some(format!("{text:?}"))
        }
        TypeRef::I32 | TypeRef::I64 => {
            Some(parsed.and_then(|v| v.as_i64()).unwrap_or(1).to_string())
        }
        TypeRef::Bool => Some("true".to_owned()),
        _ => None,
    }
}

/// `client`, the arguments and the call of `op` in an example; `None` when the generator
/// cannot write a value of one of its arguments.
fn call(module: &crate::ir::Ident, op: &Operation) -> Option<(Vec<String>, String)> {
    let mut setup = Vec::new();
    let mut args = Vec::new();
    for p in path_params(op) {
        args.push(path_value(&p.ty, p.example.as_deref())?);
    }
    let caller_params: Vec<_> = caller_params(op).collect();
    if !caller_params.is_empty() {
        if caller_params.iter().any(|p| p.required) {
            return None;
        }
        args.push(format!("&{module}::types::{}::default()", op.params_type));
    }
    if let Some(body) = &op.body {
        let value = match body.encoding {
            Encoding::Json | Encoding::Form => {
                let example = body.example.as_deref().unwrap_or("{}");
                let value: serde_json::Value = serde_json::from_str(example).ok()?;
                let pretty = serde_json::to_string_pretty(&value).ok()?;
                let mut lines = pretty.lines();
                setup.push(format!(
                    "let body = serde_json::from_value(serde_json::json!({}",
                    lines.next().unwrap_or("{}")
                ));
                for line in lines {
                    setup.push(line.to_owned());
                }
                if let Some(last) = setup.last_mut() {
                    last.push_str("))?;");
                }
                "&body".to_owned()
            }
            Encoding::Text => {
                let text = body
                    .example
                    .as_deref()
                    .and_then(|e| serde_json::from_str::<String>(e).ok())
                    .unwrap_or_default();
                format!("{text:?}")
            }
            Encoding::Binary => "&b\"...\"[..]".to_owned(),
        };
        args.push(if body.required {
            value
        } else {
            format!("Some({value})")
        });
    }
    let unit = returns(op) == Returns::Unit;
    let invocation = format!("client.{}({}).await?", op.name, args.join(", "));
    let line = if unit {
        format!("{invocation};")
    } else {
        format!("let answer = {invocation};\nprintln!(\"{{answer:?}}\");")
    };
    Some((setup, line))
}

/// The operation an API's short examples show: the first safe (idempotent) one whose
/// example runs, else the first whose example runs.
pub fn showcase<'a>(api: &'a Api, krate: &str) -> Option<&'a Operation> {
    let runs = |op: &&Operation| {
        example_lines(api, op, krate).is_some_and(|lines| lines.first().is_some_and(|l| l == "```"))
    };
    api.operations
        .iter()
        .filter(|op| op.idempotent && !op.deprecated && op.unverified.is_none())
        .find(runs)
        .or_else(|| api.operations.iter().find(runs))
}

/// The testing recipe for `op`: a mock server, an expectation, a client pointed at it, the
/// call, the verification; all visible but the `main` around it.
pub fn recipe_lines(api: &Api, op: &Operation, krate: &str) -> Option<Vec<String>> {
    let lines = example_lines(api, op, krate)?;
    let module = &api.module;
    let mut out = Vec::new();
    for line in lines {
        if line.starts_with("# let for_mock") || line.starts_with("# let client = server") {
            continue;
        }
        if line.starts_with("let client = Client::") {
            out.push(
                "// In a test: the same client code, pointed at a mock of the API.".to_owned(),
            );
            out.push(format!(
                "let server = {module}::mock::MockServer::start().await;"
            ));
            out.push(
                "// Answers with the spec's example; `.respond_with(..)`, `.respond_error(..)` \
                 and `.respond_failure(..)` set other answers."
                    .to_owned(),
            );
            out.push(format!("server.{}().times(1).await;", op.name));
            out.push("let client = server.client(credentials)?;".to_owned());
            continue;
        }
        if line.starts_with("# let server") || line.starts_with(&format!("# server.{}()", op.name))
        {
            continue;
        }
        if line == "# server.verify().await;" {
            out.push("// Fails (panics) if the call was not made exactly once.".to_owned());
            out.push("server.verify().await;".to_owned());
            continue;
        }
        out.push(line);
    }
    Some(out)
}

/// A runnable example of `op` for the crate `krate`: a client built as a user would, then
/// pointed (in hidden lines) at the operation's mock answering with the spec's example.
pub(crate) fn example_lines(api: &Api, op: &Operation, krate: &str) -> Option<Vec<String>> {
    let module = &api.module;
    let (setup, call) = call(module, op)?;
    let runs = op
        .success
        .first()
        .is_some_and(|r| r.ty.is_none() || r.example.is_some());
    let mut lines = vec![if runs { "```" } else { "```no_run" }.to_owned()];
    lines.push(format!("use {krate}::{{{module}, runtime}};"));
    // The first alternative: every scheme it sends together, each set on `Credentials`.
    let schemes: Vec<&AuthScheme> = op
        .security
        .first()
        .into_iter()
        .flatten()
        .filter_map(|i| api.auth.get(*i))
        .collect();
    // With one scheme the credential itself converts into `Credentials`.
    let (imports, credentials) = match schemes.as_slice() {
        [scheme] if api.auth.len() == 1 => (
            "Client",
            format!("let credentials = {};", credential_example(&scheme.kind)),
        ),
        schemes => {
            let setters: String = schemes
                .iter()
                .map(|scheme| format!(".{}({})", scheme.setter, credential_example(&scheme.kind)))
                .collect();
            (
                "{Client, Credentials}",
                format!("let credentials = Credentials::default(){setters};"),
            )
        }
    };
    lines.push(format!("use {module}::{imports};"));
    lines.push("# #[tokio::main(flavor = \"current_thread\")]".to_owned());
    lines.push("# async fn main() -> Result<(), Box<dyn std::error::Error>> {".to_owned());
    lines.push(credentials);
    lines.push("# let for_mock = credentials.clone();".to_owned());
    let server = match api.servers.first() {
        Some(server) => match &server.constructor {
            Some(constructor) => format!("{module}::Server::{constructor}()"),
            None => format!("{module}::Server::{}", server.variant),
        },
        None => "\"https://api.example.com\"".to_owned(),
    };
    lines.push(format!(
        "let client = Client::new({server}, credentials, runtime::Config::default())?;"
    ));
    lines.push(format!(
        "# let server = {module}::mock::MockServer::start().await;"
    ));
    lines.push(format!("# server.{}().times(1).await;", op.name));
    lines.push("# let client = server.client(for_mock)?;".to_owned());
    lines.extend(setup);
    lines.extend(call.lines().map(str::to_owned));
    lines.push("# server.verify().await;".to_owned());
    lines.push("# Ok(())".to_owned());
    lines.push("# }".to_owned());
    lines.push("```".to_owned());
    if !lines.iter().skip(2).any(|l| l.contains("runtime::")) {
        lines[1] = format!("use {krate}::{module};");
    }
    Some(lines)
}

/// The `///` docs of an operation's method.
pub(crate) fn method_doc(api: &Api, op: &Operation, doc_tests: DocTests<'_>) -> TokenStream {
    let (text, example) = method_doc_parts(api, op, doc_tests);
    let docs = doc(&text);
    let example = example.map(|lines| quote! { #(#[doc = #lines])* });
    quote! { #docs #example }
}

/// A method's documentation: the text `doc` takes, and the example's doc lines as written
/// (each already in rustdoc's form, the first an empty line).
pub(crate) fn method_doc_parts(
    api: &Api,
    op: &Operation,
    doc_tests: DocTests<'_>,
) -> (String, Option<Vec<String>>) {
    let (verb, _) = method_str(op.method);
    let mut text = String::new();
    // The warning comes first, so it is what rustdoc's listing shows.
    if let Some(reason) = &op.unverified {
        text.push_str(&format!("**Warning: unverified.** This operation is not confirmed by the vendor's documentation: {reason}\n\n"));
    }
    if let Some(summary) = &op.summary {
        text.push_str(summary);
        text.push_str("\n\n");
    }
    if let Some(description) = &op.description {
        text.push_str(description);
        text.push_str("\n\n");
    }
    let route = op
        .constant_headers
        .iter()
        .map(|(h, v)| format!(" with `{h}: {v}`"))
        .collect::<String>();
    text.push_str(&format!(
        "`{verb} {}`{route} (operation `{}`).",
        op.path, op.id
    ));
    if !op.security.is_empty() {
        let schemes: Vec<String> = api.alternatives_names(op, "`");
        text.push_str(&format!(" Credentials: {}.", schemes.join(" or ")));
    }
    text.push_str("\n\n# Errors\n\n");
    for r in &op.errors {
        text.push_str(&format!(
            "- HTTP {}: [`types::{}::{}`]\n",
            status_prose(r.status),
            &op.error_type,
            r.variant
        ));
    }
    if let Some(envelope) = &op.envelope {
        if envelope.failure.is_some() {
            text.push_str("- a failure reported inside a 2xx body: [`runtime::Error::Failure`]\n");
        }
    }
    text.push_str("- any other status, an undecodable body or a transport failure: the other [`runtime::Error`] variants\n");
    // Written as is: `doc` turns Rust fences from specs into text.
    let example = doc_tests
        .krate
        .and_then(|krate| example_lines(api, op, krate))
        .map(|lines| {
            [String::new(), "# Example".to_owned(), String::new()]
                .into_iter()
                .chain(lines)
                .map(|l| if l.is_empty() { l } else { format!(" {l}") })
                .collect()
        });
    (text, example)
}

#[cfg(test)]
mod tests {
    /// An example of an operation whose first alternative combines several schemes sets every
    /// part on `Credentials`: with one missing, the call it shows would fail.
    #[test]
    fn an_example_sets_every_part_of_a_combined_requirement() {
        let spec = crate::SpecFile {
            path: "specs/t.yaml".into(),
            text: "openapi: 3.0.3\ninfo: {title: t, version: '1'}\nservers: [{url: 'https://x.io'}]\n\
                   components:\n  securitySchemes:\n    email: {type: apiKey, in: header, name: X-Email}\n    \
                   key: {type: apiKey, in: header, name: X-Key}\n\
                   security:\n  - {email: [], key: []}\n\
                   paths:\n  /a:\n    get:\n      operationId: getA\n      responses: {'204': {description: ok}}\n"
                .into(),
        };
        let api = crate::lower_spec(&spec).expect("lowers");
        let lines = super::example_lines(&api, &api.operations[0], "krate").expect("an example");
        assert!(
            lines.contains(
                &"let credentials = Credentials::default().with_email(\"API_TOKEN\").with_key(\"API_TOKEN\");"
                    .to_owned()
            ),
            "{lines:#?}"
        );
    }
}
