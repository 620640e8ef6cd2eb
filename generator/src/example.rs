//! One runnable example per vendor (`generated/examples/<module>.rs`): a create, list and
//! delete flow built from the operations the spec has, with the spec's own example values.
//!
//! The steps are found by the verb that opens each operation's name (`create_*`, `list_*`,
//! `delete_*` and their usual synonyms), so a new spec gets its example without code here.
//! Request bodies are the spec's request examples, decoded into the generated types with
//! serde, so an example keeps compiling when a model gains a field.

use crate::ir::{Api, AuthKind, Encoding, Operation, ParamLocation, TypeRef};
use proc_macro2::{Literal, TokenStream};
use quote::{quote, ToTokens as _};
use serde_json::Value;

/// The flow's steps, in order, with the verbs that name each.
const STEPS: &[(&str, &[&str])] = &[
    ("create", &["create", "generate", "add", "issue"]),
    ("list", &["list", "describe", "search"]),
    ("delete", &["delete", "remove", "revoke"]),
];

/// The environment variable prefix of a module (`token_api` -> `TOKEN_API`).
fn prefix(api: &Api) -> String {
    api.module.name.to_uppercase()
}

/// The example file of `api`, or `None` when the spec has none of the flow's operations.
/// `raw` is the spec as JSON, for its examples.
pub fn example(api: &Api, raw: &Value) -> Option<TokenStream> {
    let steps: Vec<(&str, &Operation, TokenStream)> = STEPS
        .iter()
        .filter_map(|(step, verbs)| {
            api.operations
                .iter()
                .filter(|op| !op.deprecated)
                .filter(|op| verbs.contains(&op.name.name.split('_').next().unwrap_or_default()))
                .find_map(|op| Some((*step, op, call(op, raw)?)))
        })
        .collect();
    if steps.is_empty() {
        return None;
    }
    let module = &api.module;
    let prefix = prefix(api);
    let base_var = format!("{prefix}_BASE_URL");
    let (base_doc, base_url) = match api.servers.first() {
        Some(server) => {
            let url = &server.url;
            (
                format!("- `{base_var}`: the server (default `{url}`)"),
                quote!(std::env::var(#base_var).unwrap_or_else(|_| #url.to_owned())),
            )
        }
        None => (
            format!("- `{base_var}`: the server (required)"),
            quote!(required(#base_var)?),
        ),
    };
    let mut env_docs = vec![base_doc];
    let credentials: Vec<TokenStream> = api
        .auth
        .iter()
        .map(|scheme| {
            let var = format!("{prefix}_{}", scheme.field.name.to_uppercase());
            let setter = &scheme.setter;
            match &scheme.kind {
                AuthKind::Basic => {
                    let (user, password) = (format!("{var}_USERNAME"), format!("{var}_PASSWORD"));
                    env_docs.push(format!("- `{user}`, `{password}`: `{}` (HTTP Basic; the password may be unset)", scheme.key));
                    quote! {
                        if let Ok(user) = std::env::var(#user) {
                            let password = std::env::var(#password).unwrap_or_default();
                            credentials = credentials.#setter(runtime::BasicAuth::new(user, password));
                        }
                    }
                }
                AuthKind::Signed { .. } => {
                    let (id, key) = (format!("{var}_SECRET_ID"), format!("{var}_SECRET_KEY"));
                    env_docs.push(format!("- `{id}`, `{key}`: `{}` (request signing key pair)", scheme.key));
                    quote! {
                        if let (Ok(id), Ok(key)) = (std::env::var(#id), std::env::var(#key)) {
                            credentials = credentials.#setter(runtime::SigningKey::new(id, key));
                        }
                    }
                }
                AuthKind::Bearer | AuthKind::Header(_) | AuthKind::Query(_) => {
                    env_docs.push(format!("- `{var}`: `{}`", scheme.key));
                    quote! {
                        if let Ok(value) = std::env::var(#var) {
                            credentials = credentials.#setter(value);
                        }
                    }
                }
            }
        })
        .collect();
    let calls = steps.iter().map(|(step, op, call)| {
        let name = op.name.name.as_str();
        // An operation without a success body returns `()`: nothing to bind or show.
        if op.success.iter().all(|r| r.ty.is_none()) {
            let label = format!("{step} ({name}): done");
            return quote! {
                client.#call.await?;
                println!(#label);
            };
        }
        let label = format!("{step} ({name}): {{result:?}}");
        // A call without a body returns `()`: binding it would be clippy's `let_unit_value`.
        if op.success.iter().all(|r| r.ty.is_none()) {
            let done = format!("{step} ({name}): done");
            return quote! {
                client.#call.await?;
                println!(#done);
            };
        }
        quote! {
            let result = client.#call.await?;
            println!(#label);
        }
    });
    let names: Vec<String> = steps
        .iter()
        .map(|(_, op, _)| format!("`{}`", op.name.name))
        .collect();
    let mut header = vec![
        format!(
            " {}: {} with the spec's example values, against a server of your choice.",
            api.title,
            names.join(", then ")
        ),
        String::new(),
        " Environment (unset credentials are simply not sent):".to_owned(),
    ];
    header.extend(env_docs.iter().map(|line| format!(" {line}")));
    header.push(String::new());
    header.push(format!(
        " `cargo run -p api-token-clients --example {module} --no-default-features --features {module}`"
    ));
    let required_fn = api.servers.is_empty().then(|| {
        quote! {
            /// The value of a variable the example cannot run without.
            #[rustfmt::skip]
            fn required(name: &str) -> Result<String, String> {
                std::env::var(name).map_err(|_| format!("set {name} to run this example"))
            }
        }
    });
    // In rustfmt's order, so that `cargo fmt` leaves the file as generated.
    let mut uses = [
        (
            module.name.as_str(),
            quote!(use api_token_clients::#module::{Client, Credentials};),
        ),
        (
            "runtime",
            quote!(
                use api_token_clients::runtime;
            ),
        ),
    ];
    uses.sort_by(|a, b| a.0.cmp(b.0));
    let uses = uses.into_iter().map(|(_, item)| item);
    Some(quote! {
        #(#![doc = #header])*

        #(#uses)*

        // Formatted by the generator (prettyplease), like the client modules.
        #[rustfmt::skip]
        #[tokio::main]
        async fn main() -> Result<(), Box<dyn std::error::Error>> {
            let base_url = #base_url;
            let mut credentials = Credentials::default();
            #(#credentials)*
            let client = Client::new(base_url, credentials, runtime::Config::default())?;
            #(#calls)*
            Ok(())
        }

        #required_fn
    })
}

/// `method(args)` for `op` with the spec's example values, or `None` when an argument has
/// no value the example can give (a required query parameter, a body without an example).
fn call(op: &Operation, raw: &Value) -> Option<TokenStream> {
    let spec_op = find_operation(raw, &op.id)?;
    let mut args = Vec::new();
    for param in op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Path)
    {
        let value = param_example(raw, spec_op, &param.wire);
        args.push(match (&param.ty, value) {
            (TypeRef::String | TypeRef::Secret, Some(Value::String(s))) => quote!(#s),
            (TypeRef::String | TypeRef::Secret, None) => quote!("example"),
            (TypeRef::I32 | TypeRef::I64, Some(Value::Number(n))) => {
                let n = Literal::i64_unsuffixed(n.as_i64()?);
                quote!(#n)
            }
            (TypeRef::I32 | TypeRef::I64, None) => quote!(1),
            _ => return None,
        });
    }
    let params: Vec<_> = op
        .params
        .iter()
        .filter(|p| p.location != ParamLocation::Path)
        .collect();
    if params.iter().any(|p| p.required) {
        return None;
    }
    if !params.is_empty() {
        args.push(quote!(&Default::default()));
    }
    if let Some(body) = &op.body {
        if !matches!(body.encoding, Encoding::Json | Encoding::Form) {
            return None;
        }
        let example = body_example(raw, spec_op);
        let decoded = match example {
            Some(value) => {
                let json = json_tokens(&value);
                quote!(&serde_json::from_value(serde_json::json!(#json))?)
            }
            None if body.required => return None,
            None => quote!(None),
        };
        args.push(if body.required || decoded.to_string() == "None" {
            decoded
        } else {
            quote!(Some(#decoded))
        });
    }
    let name = &op.name;
    Some(quote!(#name(#(#args),*)))
}

/// Follows local `$ref`s (`#/components/...`), a few levels deep.
fn resolve<'a>(raw: &'a Value, mut value: &'a Value) -> &'a Value {
    for _ in 0..8 {
        let Some(pointer) = value
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix('#'))
        else {
            break;
        };
        match raw.pointer(pointer) {
            Some(target) => value = target,
            None => break,
        }
    }
    value
}

/// The operation object with `operationId == id`.
fn find_operation<'a>(raw: &'a Value, id: &str) -> Option<&'a Value> {
    raw.get("paths")?.as_object()?.values().find_map(|item| {
        item.as_object()?
            .values()
            .find(|op| op.get("operationId").and_then(Value::as_str) == Some(id))
    })
}

/// The first example of a media type, parameter or schema object.
fn first_example(raw: &Value, object: &Value) -> Option<Value> {
    let object = resolve(raw, object);
    if let Some(example) = object.get("example") {
        return Some(example.clone());
    }
    if let Some(examples) = object.get("examples").and_then(Value::as_object) {
        let first = resolve(raw, examples.values().next()?);
        return first.get("value").cloned();
    }
    let schema = resolve(raw, object.get("schema")?);
    schema.get("example").cloned()
}

fn param_example(raw: &Value, op: &Value, wire: &str) -> Option<Value> {
    op.get("parameters")?
        .as_array()?
        .iter()
        .map(|p| resolve(raw, p))
        .find(|p| p.get("name").and_then(Value::as_str) == Some(wire))
        .and_then(|p| first_example(raw, p))
}

fn body_example(raw: &Value, op: &Value) -> Option<Value> {
    let body = resolve(raw, op.get("requestBody")?);
    let content = body.get("content")?.as_object()?;
    content.values().find_map(|media| first_example(raw, media))
}

/// A JSON value as the tokens of a `serde_json::json!` argument.
fn json_tokens(value: &Value) -> TokenStream {
    match value {
        Value::Null => quote!(null),
        Value::Bool(b) => quote!(#b),
        Value::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => Literal::i64_unsuffixed(i).into_token_stream(),
            (_, Some(u), _) => Literal::u64_unsuffixed(u).into_token_stream(),
            (_, _, Some(f)) => Literal::f64_unsuffixed(f).into_token_stream(),
            _ => quote!(null),
        },
        Value::String(s) => quote!(#s),
        Value::Array(items) => {
            let items = items.iter().map(json_tokens);
            quote!([#(#items),*])
        }
        Value::Object(fields) => {
            let fields = fields.iter().map(|(k, v)| {
                let v = json_tokens(v);
                quote!(#k: #v)
            });
            quote!({ #(#fields),* })
        }
    }
}
