//! One runnable example per vendor (`generated/examples/<module>.rs`): a create, list and
//! delete flow built from the operations the spec has, with the spec's own example values.
//!
//! The steps are found by the verb that opens each operation's name (`create_*`, `list_*`,
//! `delete_*` and their usual synonyms), so a new spec gets its example without code here.
//! Request bodies are the spec's request examples, decoded into the generated types with
//! serde, so an example keeps compiling when a model gains a field. The delete removes what
//! the create made when the IR says which field of the create's answer is the id (see
//! [`created_id`]); otherwise it uses the spec's example id.

use crate::ir::{Api, AuthKind, Encoding, Operation, TypeKind, TypeRef};
use crate::naming::cli::CredentialEnv;
use proc_macro2::{Literal, TokenStream};
use quote::{quote, ToTokens as _};
use serde_json::Value;

/// The flow's steps, in order, with the verbs that name each.
const STEPS: &[(&str, &[&str])] = &[
    ("create", &["create", "generate", "add", "issue"]),
    ("list", &["list", "describe", "search"]),
    ("delete", &["delete", "remove", "revoke"]),
];

/// The example file of `api`, or `None` when the spec has none of the flow's operations.
pub fn example(api: &Api) -> Option<TokenStream> {
    let mut steps: Vec<(&str, &Operation, TokenStream)> = Vec::new();
    let mut created: Option<&Operation> = None;
    let mut linked = None;
    for (step, verbs) in STEPS {
        let found = api
            .operations
            .iter()
            .filter(|op| !op.deprecated)
            .filter(|op| verbs.contains(&op.name.name.split('_').next().unwrap_or_default()))
            .find_map(|op| {
                let link = created.and_then(|create| created_id(api, create, op));
                Some((op, link.clone(), call(op, link.as_ref())?))
            });
        if let Some((op, link, call)) = found {
            if *step == "create" {
                created = Some(op);
            }
            linked = linked.or(link);
            steps.push((*step, op, call));
        }
    }
    if steps.is_empty() {
        return None;
    }
    let module = &api.module;
    // The same variables as the `api-tokens` tool reads: one naming rule (`naming::cli`).
    let names = crate::naming::cli::vendor(api);
    let base_var = names.base_url_env.as_str();
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
        .zip(&names.credentials)
        .map(|(scheme, env)| {
            let setter = &scheme.setter;
            // The naming rule decides the shape: a key pair for a signing scheme, one variable
            // for every other.
            match env {
                CredentialEnv::One(var) if matches!(scheme.kind, AuthKind::Basic) => {
                    env_docs.push(format!("- `{var}`: `{}` (HTTP Basic: `user:password`, or an API key alone as the user name)", scheme.key));
                    quote! {
                        if let Ok(value) = std::env::var(#var) {
                            let (user, password) = value.split_once(':').unwrap_or((value.as_str(), ""));
                            credentials = credentials.#setter(runtime::BasicAuth::new(user.to_owned(), password.to_owned()));
                        }
                    }
                }
                CredentialEnv::Signing { id, key, token } => {
                    env_docs.push(format!("- `{id}`, `{key}` (and `{token}` for temporary credentials): `{}` (request signing key pair)", scheme.key));
                    quote! {
                        if let (Ok(id), Ok(key)) = (std::env::var(#id), std::env::var(#key)) {
                            let mut signing = runtime::SigningKey::new(id, key);
                            if let Ok(token) = std::env::var(#token) {
                                signing = signing.with_session_token(token);
                            }
                            credentials = credentials.#setter(signing);
                        }
                    }
                }
                CredentialEnv::One(var) => {
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
        // An operation without a success body returns `()`: nothing to bind or show (binding
        // it would be clippy's `let_unit_value`).
        if op.success.iter().all(|r| r.ty.is_none()) {
            let label = format!("{step} ({name}): done");
            return quote! {
                client.#call.await?;
                println!(#label);
            };
        }
        // The create's answer is kept: a later step may use its id.
        if *step == "create" {
            let label = format!("{step} ({name}): {{created:?}}");
            return quote! {
                let created = client.#call.await?;
                println!(#label);
            };
        }
        let label = format!("{step} ({name}): {{result:?}}");
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
    ];
    let note = match &linked {
        Some(link) => Some(format!(
            " The delete removes the token the create made (`{}` of its answer).",
            link.field
        )),
        None if steps.len() > 1 && steps.iter().any(|(step, ..)| *step == "delete") => Some(
            " The delete uses the spec's example id: none of its path parameters names a \
             field of the create's answer."
                .to_owned(),
        ),
        None => None,
    };
    if let Some(note) = note {
        header.push(note);
        header.push(String::new());
    }
    header.push(" Environment (unset credentials are simply not sent):".to_owned());
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

/// `method(args)` for `op` with the spec's example values (the IR's, taken by lowering), or
/// `None` when an argument has no value the example can give (a required query parameter, a
/// body without an example).
fn call(op: &Operation, created: Option<&CreatedId>) -> Option<TokenStream> {
    let mut args = Vec::new();
    for param in crate::surface::path_params(op) {
        if let Some(created) = created.filter(|c| c.param == param.wire) {
            args.push(created.value.clone());
            continue;
        }
        let value = parse_example(param.example.as_deref())?;
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
    let params: Vec<_> = crate::surface::caller_params(op).collect();
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
        let decoded = match parse_example(body.example.as_deref())? {
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

/// A path parameter of a later step whose value is a field of the create's answer (bound as
/// `created`).
#[derive(Clone)]
struct CreatedId {
    /// The parameter's wire name.
    param: String,
    /// The field's wire name, for the example's header.
    field: String,
    /// The argument: the field, read from `created`.
    value: TokenStream,
}

/// Which field of `create`'s answer is the id `op` takes in its path: the path parameter's
/// Rust name, or its last word (`token_id` -> `id`, `upload_token` -> `token`), names a field
/// of the answer of a type the parameter takes. `None` when nothing matches (the spec's
/// example id is used then).
fn created_id(api: &Api, create: &Operation, op: &Operation) -> Option<CreatedId> {
    let Some(TypeRef::Named(answer)) = create.success.first().and_then(|r| r.ty.as_ref()) else {
        return None;
    };
    let TypeKind::Struct { fields, .. } = &api.types.iter().find(|t| t.name == *answer)?.kind
    else {
        return None;
    };
    crate::surface::path_params(op).find_map(|param| {
        let name = param.name.name.as_str();
        let last = name.rsplit('_').next().unwrap_or(name);
        let field = fields
            .iter()
            .find(|f| f.name.name == name)
            .or_else(|| fields.iter().find(|f| f.name.name == last))?;
        let f = &field.name;
        let missing = format!("the create's answer has no `{}`", field.wire);
        let text = matches!(param.ty, TypeRef::String | TypeRef::Secret);
        let int = |ty: &TypeRef| matches!(ty, TypeRef::I32 | TypeRef::I64) && *ty == param.ty;
        let value = match &field.ty {
            TypeRef::String if text => quote!(&created.#f),
            TypeRef::Secret if text => quote!(created.#f.expose()),
            ty if int(ty) => quote!(created.#f),
            TypeRef::Option(inner) => match inner.as_ref() {
                TypeRef::String if text => quote!(created.#f.as_deref().ok_or(#missing)?),
                TypeRef::Secret if text => {
                    quote!(created.#f.as_ref().ok_or(#missing)?.expose())
                }
                ty if int(ty) => quote!(created.#f.ok_or(#missing)?),
                _ => return None,
            },
            _ => return None,
        };
        Some(CreatedId {
            param: param.wire.clone(),
            field: field.wire.clone(),
            value,
        })
    })
}

/// An example as the IR keeps it (JSON text): `Some(None)` when there is none, `None` when
/// the text does not parse (lowering wrote it, so that would be a generator bug: no example
/// rather than a wrong one).
fn parse_example(text: Option<&str>) -> Option<Option<Value>> {
    match text {
        None => Some(None),
        Some(text) => serde_json::from_str(text).ok().map(Some),
    }
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

#[cfg(test)]
mod tests {
    use crate::naming::cli::{vendor, CredentialEnv};

    /// The example reads exactly the variables the `api-tokens` tool reads, for every kind of
    /// credential of the product's specs (one naming rule, `naming::cli`).
    #[test]
    fn the_example_reads_the_tools_variables() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let specs = crate::read_specs(&root.join("specs")).expect("specs/ reads");
        let mut checked = 0;
        for spec in &specs {
            let api = crate::lower_spec(spec).expect("a product spec lowers");
            let Some(example) = super::example(&api) else {
                continue;
            };
            let text = example.to_string();
            let names = vendor(&api);
            let mut expected = vec![names.base_url_env.clone()];
            for env in &names.credentials {
                match env {
                    CredentialEnv::One(var) => expected.push(var.clone()),
                    CredentialEnv::Signing { id, key, token } => {
                        expected.extend([id.clone(), key.clone(), token.clone()]);
                    }
                }
            }
            for var in &expected {
                assert!(
                    text.contains(&format!("\"{var}\"")),
                    "{}: the example does not read {var}",
                    spec.path
                );
            }
            let read = text.matches("std :: env :: var (").count();
            assert_eq!(
                read,
                expected.len(),
                "{}: the example reads other variables than the tool's {expected:?}",
                spec.path
            );
            checked += 1;
        }
        assert!(
            checked >= 2,
            "only {checked} product spec(s) have an example"
        );
    }
}
