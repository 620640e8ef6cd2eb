//! What the runtime reads instead of code repeated in every method: one static
//! `runtime::Operation` per operation (in the private module `operations`), and the lookup
//! of credentials by scheme name that the generated `Credentials` implements.

use crate::ir::{Api, AuthKind, Envelope, FailureTest, Method, Operation};
use proc_macro2::{Literal, TokenStream};
use quote::quote;

/// `mod operations`: the description of every operation, named after its method.
pub fn operations_module(api: &Api) -> TokenStream {
    let statics = api.operations.iter().map(|op| {
        let place = super::text::Place {
            depth: 1,
            in_impl: false,
        };
        super::text::item(place, static_text(api, op, place), || {
            let name = &op.name;
            let description = description(api, op);
            quote! { pub(super) static #name: runtime::Operation = #description; }
        })
    });
    // Only the schemes some operation uses (a spec may declare more).
    let used: Vec<_> = api
        .auth
        .iter()
        .enumerate()
        .filter(|(i, _)| {
            api.operations
                .iter()
                .any(|op| op.schemes().any(|s| s == *i))
        })
        .map(|(_, scheme)| scheme)
        .collect();
    let schemes = used.iter().map(|scheme| {
        let field = &scheme.field;
        let name = &scheme.key;
        let kind = match &scheme.kind {
            AuthKind::Basic => quote!(Basic),
            AuthKind::Bearer => quote!(Bearer),
            AuthKind::Header(header) => quote!(Header(#header)),
            AuthKind::Query(query) => quote!(Query(#query)),
            AuthKind::Signed {
                service,
                signed_headers,
                ..
            } => quote!(Signed {
                algorithm: runtime::SigningAlgorithm::Tc3HmacSha256,
                service: #service,
                signed_headers: &[#(#signed_headers),*],
            }),
        };
        quote! {
            pub(super) const #field: runtime::Scheme = runtime::Scheme {
                name: #name,
                kind: runtime::SchemeKind::#kind,
            };
        }
    });
    let schemes_module = (!used.is_empty()).then(|| {
        quote! {
            /// The spec's security schemes, named after their `Credentials` fields.
            mod schemes {
                use crate::runtime;

                #(#schemes)*
            }
        }
    });
    // Named after the methods and fields they describe, which the naming pass made unique.
    quote! {
        /// What the spec says about each operation, read by the runtime: one description per
        /// method of [`Client`](super::Client), named after it.
        #[allow(non_upper_case_globals)]
        mod operations {
            use crate::runtime;

            #schemes_module

            #(#statics)*
        }
    }
}

/// `impl runtime::CredentialStore for Credentials`: one arm per scheme.
pub fn credential_store(api: &Api) -> TokenStream {
    super::text::item(
        super::client_text::PLACE,
        super::client_text::credential_store(api),
        || credential_store_tokens(api),
    )
}

fn credential_store_tokens(api: &Api) -> TokenStream {
    let body = if api.auth.is_empty() {
        quote!(None)
    } else {
        let arms = api.auth.iter().map(|a| {
            let key = &a.key;
            let field = &a.field;
            quote!(#key => self.#field.as_ref().map(Into::into),)
        });
        quote! {
            match scheme {
                #(#arms)*
                _ => None,
            }
        }
    };
    let scheme = if api.auth.is_empty() {
        quote!(_scheme)
    } else {
        quote!(scheme)
    };
    quote! {
        impl runtime::CredentialStore for Credentials {
            fn credential(&self, #scheme: &str) -> Option<runtime::Credential<'_>> {
                #body
            }
        }
    }
}

/// The credentials a call of `op` passes to the runtime.
pub fn credentials_arg(op: &Operation) -> TokenStream {
    if op.security.is_empty() {
        quote!(&runtime::NoCredentials)
    } else {
        quote!(&self.credentials)
    }
}

fn method_variant(method: Method) -> TokenStream {
    match method {
        Method::Get => quote!(Get),
        Method::Put => quote!(Put),
        Method::Post => quote!(Post),
        Method::Delete => quote!(Delete),
        Method::Patch => quote!(Patch),
        Method::Head => quote!(Head),
        Method::Options => quote!(Options),
    }
}

fn some_str(value: Option<&str>) -> TokenStream {
    match value {
        Some(text) => quote!(Some(#text)),
        None => quote!(None),
    }
}

/// An operation's `static` as text, when its description holds only the plain fields (an
/// idempotency key, a rate limit, credentials by name); fixed headers or an envelope go
/// through tokens.
fn static_text(api: &Api, op: &Operation, place: super::text::Place) -> Option<String> {
    use super::text::string;
    if !op.constant_headers.is_empty() || op.envelope.is_some() {
        return None;
    }
    // Each field is its lines, relative to the field's own level.
    let mut fields: Vec<Vec<String>> = Vec::new();
    if op.idempotent {
        fields.push(vec!["idempotent: true".to_owned()]);
    }
    if let Some(header) = &op.idempotency_key {
        fields.push(vec![format!("idempotency_key: Some({})", string(header))]);
    }
    if let Some(limit) = &op.rate_limit {
        if let Some(requests) = limit.requests {
            // Wider than prettyplease keeps a struct literal on one line (34): one field a
            // line, the literal as `Some`'s only argument printed in its place.
            fields.push(vec![
                "rate_limit: Some(runtime::RateLimit {".to_owned(),
                format!(
                    "    bucket: {},",
                    string(&rate_limit_bucket(api, op, limit))
                ),
                format!("    requests: {requests},"),
                format!("    per_millis: {},", per_millis(limit)),
                "})".to_owned(),
            ]);
        }
        if let Some(header) = &limit.retry_after_header {
            fields.push(vec![format!(
                "retry_after_header: Some({})",
                string(header)
            )]);
        }
    }
    if !op.security.is_empty() {
        let mut schemes = Vec::new();
        for alternative in &op.security {
            let parts: Vec<&crate::ir::AuthScheme> = alternative
                .iter()
                .filter_map(|i| api.auth.get(*i))
                .collect();
            let [one] = parts.as_slice() else {
                return None;
            };
            schemes.push(format!("schemes::{}", one.field));
        }
        fields.push(vec![format!("auth: &[{}]", schemes.join(", "))]);
        if op.auth_optional {
            fields.push(vec!["auth_optional: true".to_owned()]);
        }
    }
    let method = method_variant(op.method).to_string();
    let module = string(&api.module.name);
    let id = string(&op.id);
    let mut w = place.writer();
    w.unbreakable(
        0,
        &[
            "pub(super) static ",
            &op.name.name,
            ": runtime::Operation = runtime::Operation {",
        ],
    );
    for field in &fields {
        let (last, lines) = field.split_last()?;
        for line in lines {
            w.line(1, &[line]);
        }
        w.line(1, &[last, ","]);
    }
    let rest = format!("..runtime::Operation::new({module}, {id}, runtime::Method::{method})");
    if (place.depth + 1) * 4 + rest.len() <= super::text::FITS {
        w.line(1, &[&rest]);
    } else {
        w.line(1, &["..runtime::Operation::new("]);
        w.line(2, &[&module, ","]);
        w.line(2, &[&id, ","]);
        w.line(2, &["runtime::Method::", &method, ","]);
        w.line(1, &[")"]);
    }
    w.line(0, &["};"]);
    w.finish()
}

/// The `runtime::Operation { .. }` literal of one operation.
fn description(api: &Api, op: &Operation) -> TokenStream {
    let module = api.module.name.as_str();
    let id = &op.id;
    let method = method_variant(op.method);
    // Only what the spec declares: the rest is `Operation::new`'s defaults.
    let mut fields = Vec::new();
    if op.idempotent {
        fields.push(quote!(idempotent: true,));
    }
    if let Some(header) = &op.idempotency_key {
        fields.push(quote!(idempotency_key: Some(#header),));
    }
    if let Some(limit) = &op.rate_limit {
        if let Some(requests) = limit.requests {
            let requests = Literal::u32_unsuffixed(requests);
            let bucket = rate_limit_bucket(api, op, limit);
            let per_millis = Literal::u64_unsuffixed(per_millis(limit));
            fields.push(quote!(rate_limit: Some(runtime::RateLimit {
                bucket: #bucket,
                requests: #requests,
                per_millis: #per_millis,
            }),));
        }
        if let Some(header) = &limit.retry_after_header {
            fields.push(quote!(retry_after_header: Some(#header),));
        }
    }
    if !op.constant_headers.is_empty() {
        // Names in lower case, as HTTP/1 clients send them anyway: the runtime then borrows
        // them instead of allocating a copy on every call.
        let headers = op.constant_headers.iter().map(|(h, v)| {
            let h = h.to_ascii_lowercase();
            quote!((#h, #v))
        });
        fields.push(quote!(headers: &[#(#headers),*],));
    }
    if let Some(envelope) = &op.envelope {
        let envelope = envelope_tokens(envelope);
        fields.push(quote!(envelope: Some(#envelope),));
    }
    let schemes: Vec<TokenStream> = op
        .security
        .iter()
        .map(|alternative| requirement(api, alternative))
        .collect();
    if !schemes.is_empty() {
        fields.push(quote!(auth: &[#(#schemes),*],));
        if op.auth_optional {
            fields.push(quote!(auth_optional: true,));
        }
    }
    quote! {
        runtime::Operation {
            #(#fields)*
            ..runtime::Operation::new(#module, #id, runtime::Method::#method)
        }
    }
}

/// The bucket an operation's rate limit counts in: its own, or the API's.
fn rate_limit_bucket(api: &Api, op: &Operation, limit: &crate::ir::RateLimit) -> String {
    if limit.per_operation {
        format!("{}::{}", api.module, op.id)
    } else {
        api.module.to_string()
    }
}

/// A rate limit's window in milliseconds.
fn per_millis(limit: &crate::ir::RateLimit) -> u64 {
    (limit.per_seconds * 1000.0).round() as u64
}

/// One security alternative as a `runtime::Scheme`: the scheme itself, or for several sent
/// together a combination of them, named for messages (`api_email and api_key`).
fn requirement(api: &Api, alternative: &[usize]) -> TokenStream {
    let parts: Vec<TokenStream> = alternative
        .iter()
        .filter_map(|i| api.auth.get(*i))
        .map(|scheme| {
            let field = &scheme.field;
            quote!(schemes::#field)
        })
        .collect();
    match parts.as_slice() {
        [one] => one.clone(),
        _ => {
            let name = api.requirement_name(alternative, "");
            quote!(runtime::Scheme {
                name: #name,
                kind: runtime::SchemeKind::All(&[#(#parts),*]),
            })
        }
    }
}

/// A `runtime::Envelope { .. }` literal (also the mocks', which wrap answers in it).
pub(super) fn envelope_tokens(e: &Envelope) -> TokenStream {
    let payload = &e.payload;
    let failure = match &e.failure {
        None => quote!(None),
        Some(FailureTest::Equals(pointer, value)) => {
            quote!(Some(runtime::FailureTest::Equals { pointer: #pointer, value: #value }))
        }
        Some(FailureTest::NotEquals(pointer, value)) => {
            quote!(Some(runtime::FailureTest::NotEquals { pointer: #pointer, value: #value }))
        }
        Some(FailureTest::Present(pointer)) => {
            quote!(Some(runtime::FailureTest::Present { pointer: #pointer }))
        }
    };
    let code = some_str(e.code.as_deref());
    let message = some_str(e.message.as_deref());
    let request_id = some_str(e.request_id.as_deref());
    let required = &e.required;
    quote! {
        runtime::Envelope {
            payload: #payload,
            failure: #failure,
            code: #code,
            message: #message,
            request_id: #request_id,
            required: &[#(#required),*],
        }
    }
}
