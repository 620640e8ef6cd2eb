//! `mock::MockServer` (the `mock` feature): a typed expectation per operation over
//! `runtime::mock`, answering with the spec's example until told otherwise.

use super::description::envelope_tokens;
use super::signature::method_str;
use super::text::{self, Place, Writer};
use super::{doc, type_tokens, Scope};
use crate::ir::{
    Api, AuthKind, Encoding, Operation, ParamLocation, Response, Status, TypeKind, TypeRef,
};
use crate::surface::several_successes;
use proc_macro2::TokenStream;
use quote::quote;

/// The module, behind `#[cfg(feature = "mock")]`.
pub fn emit(api: &Api) -> TokenStream {
    let methods = api.operations.iter().map(|op| expectation(api, op));
    let module_doc = doc(&format!(
        "A typed mock of {title} over loopback, for testing code that uses \
         [`Client`] (feature `mock`).\n\nStart a \
         [`MockServer`](crate::{m}::mock::MockServer), set up one expectation per call with \
         the method of the operation's name, point a client at it with \
         [`MockServer::client`](crate::{m}::mock::MockServer::client), and check the calls \
         with `verify` (also done when the server is dropped).",
        title = api.title,
        m = api.module,
    ));
    let start_and_client = text::items(
        Place::MOCK_IMPL,
        Some(START_AND_CLIENT.map(str::to_owned).to_vec()),
        || {
            quote! {
                /// Starts a server on a free loopback port.
                pub async fn start() -> Self {
                    Self(runtime::mock::MockServer::start().await)
                }

                /// A client pointed at this server, with retries and client-side rate limits
                /// off.
                pub fn client(&self, credentials: impl Into<Credentials>) -> Result<Client, runtime::RequestError> {
                    Client::new(self.0.base_url(), credentials, self.0.config())
                }
            }
        },
    );
    let deref = text::item(MOCK_ITEM, Some(DEREF.to_owned()), || {
        quote! {
            impl std::ops::Deref for MockServer {
                type Target = runtime::mock::MockServer;

                fn deref(&self) -> &Self::Target {
                    &self.0
                }
            }
        }
    });
    quote! {
        #module_doc
        #[cfg(feature = "mock")]
        pub mod mock {
            use super::*;

            /// A loopback server with one typed expectation builder per operation.
            ///
            /// It dereferences to [`runtime::mock::MockServer`] for `base_url`, `config`,
            /// `verify` and `received_requests`.
            #[derive(Debug)]
            pub struct MockServer(runtime::mock::MockServer);

            impl MockServer {
                #start_and_client
                #(#methods)*
            }

            #deref
        }
    }
}

/// An item of `mod mock`.
const MOCK_ITEM: Place = Place {
    depth: 1,
    in_impl: false,
};

/// `MockServer::start` and `MockServer::client`, as prettyplease prints them.
const START_AND_CLIENT: [&str; 2] = [
    "/// Starts a server on a free loopback port.
pub async fn start() -> Self {
    Self(runtime::mock::MockServer::start().await)
}
",
    "/// A client pointed at this server, with retries and client-side rate limits
/// off.
pub fn client(
    &self,
    credentials: impl Into<Credentials>,
) -> Result<Client, runtime::RequestError> {
    Client::new(self.0.base_url(), credentials, self.0.config())
}
",
];

/// `impl Deref for MockServer`, as prettyplease prints it.
const DEREF: &str = "impl std::ops::Deref for MockServer {
    type Target = runtime::mock::MockServer;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}
";

/// A status the client's decoding of `op` maps to `response`: the code itself, or for a
/// range or `default` the first one no other response of the operation claims.
fn representative(op: &Operation, response: &Response) -> u16 {
    let claimed = |code: u16| {
        op.success.iter().chain(&op.errors).any(|r| match r.status {
            Status::Code(c) => c == code,
            Status::Range(n) => response.status == Status::Default && code / 100 == n,
            Status::Default => false,
        })
    };
    let candidates: Vec<u16> = match response.status {
        Status::Code(code) => return code,
        Status::Range(n) => (n * 100..n * 100 + 100).collect(),
        // Past 599 when every error status is claimed: HTTP allows three digits, and only
        // `default` maps them.
        Status::Default => [500, 400, 418, 599, 499]
            .into_iter()
            .chain(400..1000)
            .collect(),
    };
    candidates.into_iter().find(|c| !claimed(*c)).unwrap_or(500)
}

fn encoding_tokens(r: &Response) -> TokenStream {
    match (&r.ty, r.encoding) {
        (Some(_), Encoding::Text) => quote!(runtime::mock::Encoding::Text("text/plain")),
        (Some(_), Encoding::Binary) => {
            quote!(runtime::mock::Encoding::Binary("application/octet-stream"))
        }
        _ => quote!(runtime::mock::Encoding::Json),
    }
}

/// The default answer's body: the first success's example, as sent.
fn example(first: &Response) -> Option<String> {
    let text = first.example.as_ref()?;
    match (first.ty.as_ref()?, first.encoding) {
        (_, Encoding::Text) => serde_json::from_str::<String>(text).ok(),
        (_, Encoding::Binary) => None,
        _ => Some(text.clone()),
    }
}

/// The query names a request of `op` may carry (its query parameters, client settings and
/// API keys); `None` when an object parameter spreads its properties into the query, so the
/// names are not all known here.
fn query_names(api: &Api, op: &Operation) -> Option<Vec<String>> {
    let mut names = Vec::new();
    for param in op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Query)
    {
        let mut ty = &param.ty;
        while let TypeRef::Option(inner) | TypeRef::Vec(inner) = ty {
            ty = inner;
        }
        let spreads = match ty {
            TypeRef::Map(_) | TypeRef::Json => true,
            TypeRef::Named(name) => api
                .types
                .iter()
                .any(|t| t.name == *name && matches!(t.kind, TypeKind::Struct { .. })),
            _ => false,
        };
        if spreads {
            return None;
        }
        names.push(param.wire.clone());
    }
    let settings = op.settings.iter().filter_map(|i| api.settings.get(*i));
    names.extend(
        settings
            .filter(|s| s.param.location == ParamLocation::Query)
            .map(|s| s.param.wire.clone()),
    );
    for scheme in op.schemes().filter_map(|i| api.auth.get(i)) {
        if let AuthKind::Query(name) = &scheme.kind {
            names.push(name.clone());
        }
    }
    Some(names)
}

/// The headers `op` declares (parameters, client settings, fixed headers, an idempotency key
/// and API keys sent in a header); the runtime adds the ones it always owns.
fn header_names(api: &Api, op: &Operation) -> Vec<String> {
    let params = op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Header);
    let mut names: Vec<String> = params.map(|p| p.wire.clone()).collect();
    let settings = op.settings.iter().filter_map(|i| api.settings.get(*i));
    names.extend(
        settings
            .filter(|s| s.param.location == ParamLocation::Header)
            .map(|s| s.param.wire.clone()),
    );
    names.extend(op.constant_headers.iter().map(|(name, _)| name.clone()));
    names.extend(op.idempotency_key.iter().cloned());
    for scheme in op.schemes().filter_map(|i| api.auth.get(i)) {
        if let AuthKind::Header(name) = &scheme.kind {
            names.push(name.clone());
        }
    }
    names
}

/// The top-level property names of `op`'s JSON or form body, when it is an object with known
/// properties and no catch-all.
fn body_fields(api: &Api, op: &Operation) -> Option<Vec<String>> {
    let body = op.body.as_ref()?;
    if !matches!(body.encoding, Encoding::Json | Encoding::Form) {
        return None;
    }
    let TypeRef::Named(name) = &body.ty else {
        return None;
    };
    let def = api.types.iter().find(|t| t.name == *name)?;
    match &def.kind {
        TypeKind::Struct {
            fields,
            extra: None,
        } => Some(fields.iter().map(|f| f.wire.clone()).collect()),
        _ => None,
    }
}

fn names_tokens(names: Option<Vec<String>>) -> TokenStream {
    match names {
        Some(names) => quote!(Some(&[#(#names),*])),
        None => quote!(None),
    }
}

/// One field of the route as text: `name: value,`; too wide, a lone string literal stays on
/// that line (prettyplease cannot break it), and a literal in `Some` goes on a line of its own.
fn route_field(w: &mut Writer, name: &str, value: &str) {
    let level = 3;
    let width = Place::MOCK_IMPL.depth * 4 + level * 4 + name.len() + 2 + value.len() + 1;
    let literal = |v: &str| v.len() > 1 && v.starts_with('"') && v.ends_with('"');
    if width <= text::FITS {
        w.line(level, &[name, ": ", value, ","]);
    } else if literal(value) {
        w.unbreakable(level, &[name, ": ", value, ","]);
    } else if value.starts_with("Some(\"") {
        w.line(level, &[name, ": Some("]);
        w.unbreakable(level + 1, &[&value[5..value.len() - 1], ","]);
        w.line(level, &["),"]);
    } else {
        w.line(level, &[name, ": ", value, ","]);
    }
}

/// A route field holding names (`&[..]`, in `Some` or not; `None` without names) as text:
/// on one line; too wide, the slice on a line of its own inside `Some(..)`; wider still, one
/// name per line.
fn route_names(w: &mut Writer, name: &str, names: Option<&[String]>, in_some: bool) {
    let Some(names) = names else {
        return route_field(w, name, "None");
    };
    let level = 3;
    let literals: Vec<String> = names.iter().map(|n| text::string(n)).collect();
    let slice = format!("&[{}]", literals.join(", "));
    let value = if in_some {
        format!("Some({slice})")
    } else {
        slice.clone()
    };
    let base = Place::MOCK_IMPL.depth * 4;
    // `name: value,`: the comma counts, the route's fields being one per line.
    let one_line = base + level * 4 + name.len() + 2 + value.len() + 1;
    if one_line <= text::FITS {
        return w.line(level, &[name, ": ", &value, ","]);
    }
    let mut list_level = level;
    if in_some {
        w.line(level, &[name, ": Some("]);
        list_level += 1;
        // The slice's comma is printed only when `Some(..)` breaks: it does not count.
        if base + list_level * 4 + slice.len() <= text::FITS {
            w.line(list_level, &[&slice, ","]);
            return w.line(level, &["),"]);
        }
        w.line(list_level, &["&["]);
    } else {
        w.line(level, &[name, ": &["]);
    }
    for literal in &literals {
        w.unbreakable(list_level + 1, &[literal, ","]);
    }
    w.line(list_level, &["],"]);
    if in_some {
        w.line(level, &["),"]);
    }
}

/// A `match` on a response's variants as text (`arms`: pattern and status), each arm on one
/// line or, when it does not fit, its value in a block (a variant with a body whose pattern
/// does not fit even so gives the item up: prettyplease breaks inside its parentheses).
fn match_text(w: &mut Writer, arms: &[(String, String)]) {
    let level = 4;
    for (pattern, value) in arms {
        if !w.arm_line(level, pattern, value) {
            if pattern.contains('(') {
                w.line(level, &[pattern, " => {"]);
            } else {
                // A path alone cannot break: prettyplease leaves the line wide.
                w.unbreakable(level, &[pattern, " => {"]);
            }
            w.line(level + 1, &[value]);
            w.line(level, &["}"]);
        }
    }
}

fn encoding_text(r: &Response) -> &'static str {
    match (&r.ty, r.encoding) {
        (Some(_), Encoding::Text) => "runtime::mock::Encoding::Text(\"text/plain\")",
        (Some(_), Encoding::Binary) => {
            "runtime::mock::Encoding::Binary(\"application/octet-stream\")"
        }
        _ => "runtime::mock::Encoding::Json",
    }
}

/// [`expectation`] as text, for the layouts prettyplease gives it when nothing but a long
/// example needs breaking (an envelope goes through tokens).
fn expectation_text(api: &Api, op: &Operation, docs: &str) -> Option<String> {
    if op.envelope.is_some() {
        return None;
    }
    let first = op.success.first()?;
    let (verb, _) = method_str(op.method);
    let error = format!("types::{}", op.error_type);
    let status = representative(op, first).to_string();
    let arms = |ty: &str, responses: &[Response]| -> Vec<(String, String)> {
        responses
            .iter()
            .map(|r| {
                let binding = if r.ty.is_some() { "(_)" } else { "" };
                let pattern = format!("{ty}::{}{binding}", r.variant);
                let value = format!("({}, {})", representative(op, r), encoding_text(r));
                (pattern, value)
            })
            .collect()
    };
    let several = several_successes(&op.success);
    let success_ty = if several {
        format!("types::{}", op.success_type)
    } else {
        first
            .ty
            .as_ref()
            .map_or("()".to_owned(), |t| super::type_text(t, Scope::Root))
    };
    let media = match (first.ty.as_ref(), first.encoding) {
        (None, _) => "None",
        (Some(_), Encoding::Text) => "Some(\"text/plain\")",
        (Some(_), Encoding::Binary) => "Some(\"application/octet-stream\")",
        (Some(_), _) => "Some(\"application/json\")",
    };
    let example =
        example(first).map_or("None".to_owned(), |t| format!("Some({})", text::string(&t)));
    let headers: Vec<String> = op
        .constant_headers
        .iter()
        .map(|(h, v)| format!("({}, {})", text::string(h), text::string(v)))
        .collect();
    let mut w = Place::MOCK_IMPL.writer();
    w.doc(0, docs);
    let name = &op.name.name;
    let returns = format!("runtime::mock::Expect<'_, {success_ty}, {error}>");
    let one_line = format!("pub fn {name}(&self) -> {returns} {{");
    let base = Place::MOCK_IMPL.depth * 4;
    if base + one_line.len() <= text::FITS {
        w.line(0, &[&one_line]);
    } else {
        w.line(0, &["pub fn ", name, "("]);
        w.line(1, &["&self,"]);
        if base + returns.len() + 6 <= text::FITS {
            w.line(0, &[") -> ", &returns, " {"]);
        } else {
            w.line(0, &[") -> runtime::mock::Expect<"]);
            w.line(1, &["'_,"]);
            w.line(1, &[&success_ty, ","]);
            w.line(1, &[&error, ","]);
            w.line(0, &["> {"]);
        }
    }
    w.line(1, &["self.0"]);
    w.line(2, &[".expect(runtime::mock::Route {"]);
    route_field(&mut w, "operation", &text::string(&op.id));
    route_field(&mut w, "method", &text::string(verb));
    route_field(&mut w, "path", &text::string(&op.path.text));
    route_field(&mut w, "headers", &format!("&[{}]", headers.join(", ")));
    route_names(&mut w, "header_names", Some(&header_names(api, op)), false);
    route_names(&mut w, "query", query_names(api, op).as_deref(), true);
    route_names(&mut w, "body_fields", body_fields(api, op).as_deref(), true);
    route_field(&mut w, "status", &status);
    route_field(&mut w, "media", media);
    route_field(&mut w, "example", &example);
    route_field(&mut w, "envelope", "None");
    if several {
        w.line(3, &["success: |body| match body {"]);
        match_text(&mut w, &arms(&success_ty, &op.success));
        w.line(3, &["},"]);
    } else {
        let value = format!("|_| ({status}, {})", encoding_text(first));
        route_field(&mut w, "success", &value);
    }
    if op.errors.is_empty() {
        route_field(&mut w, "error", "|error| match *error {}");
    } else {
        w.line(3, &["error: |error| match *error {"]);
        match_text(&mut w, &arms(&error, &op.errors));
        w.line(3, &["},"]);
    }
    w.line(2, &["})"]);
    w.line(0, &["}"]);
    w.finish()
}

fn expectation(api: &Api, op: &Operation) -> TokenStream {
    let Some(first) = op.success.first() else {
        return TokenStream::new();
    };
    let (verb, _) = method_str(op.method);
    let status = representative(op, first);
    let route_headers = op
        .constant_headers
        .iter()
        .map(|(h, v)| format!(" with `{h}: {v}`"))
        .collect::<String>();
    let answer = if first.example.is_some() {
        format!("the spec's example (HTTP {status})")
    } else {
        format!("HTTP {status} with an empty body (the spec gives no example)")
    };
    let doc_text = format!(
        "Expects calls of [`Client::{}`] (`{verb} {}`{route_headers}): answers them with \
         {answer} until `respond_with`, `respond_error` or `respond_failure` says otherwise; \
         mounted by `.await`.",
        op.name.name, op.path.text
    );
    // The tokens are built only for an expectation not written as text.
    let written = expectation_text(api, op, &doc_text);
    text::item(Place::MOCK_IMPL, written, || {
        expectation_tokens(api, op, first, &doc_text)
    })
}

/// [`expectation`] through tokens.
fn expectation_tokens(api: &Api, op: &Operation, first: &Response, doc_text: &str) -> TokenStream {
    let name = &op.name;
    let (verb, _) = method_str(op.method);
    let path = &op.path.text;
    let op_id = &op.id;
    let error = super::in_types(&op.error_type);
    let headers = op.constant_headers.iter().map(|(h, v)| quote!((#h, #v)));
    let status = proc_macro2::Literal::u16_unsuffixed(representative(op, first));
    let query = names_tokens(query_names(api, op));
    let header_names = header_names(api, op);
    let body_fields = names_tokens(body_fields(api, op));
    let body_ty = first.ty.as_ref();
    let media = match (body_ty, first.encoding) {
        (None, _) => quote!(None),
        (Some(_), Encoding::Text) => quote!(Some("text/plain")),
        (Some(_), Encoding::Binary) => quote!(Some("application/octet-stream")),
        (Some(_), _) => quote!(Some("application/json")),
    };
    let example = match example(first) {
        Some(text) => quote!(Some(#text)),
        None => quote!(None),
    };
    let envelope = match (&op.envelope, body_ty) {
        (Some(e), Some(_)) if first.encoding == Encoding::Json => {
            let e = envelope_tokens(e);
            quote!(Some(#e))
        }
        _ => quote!(None),
    };
    let (success_ty, success_fn) = if several_successes(&op.success) {
        let ty = super::in_types(&op.success_type);
        let arms = op.success.iter().map(|r| {
            let variant = &r.variant;
            let code = proc_macro2::Literal::u16_unsuffixed(representative(op, r));
            let encoding = encoding_tokens(r);
            match r.ty {
                Some(_) => quote!(#ty::#variant(_) => (#code, #encoding),),
                None => quote!(#ty::#variant => (#code, #encoding),),
            }
        });
        (quote!(#ty), quote!(|body| match body { #(#arms)* }))
    } else {
        let ty = body_ty.map_or(quote!(()), |t| type_tokens(t, Scope::Root));
        let encoding = encoding_tokens(first);
        (ty, quote!(|_| (#status, #encoding)))
    };
    let error_arms = op.errors.iter().map(|r| {
        let variant = &r.variant;
        let code = proc_macro2::Literal::u16_unsuffixed(representative(op, r));
        let encoding = encoding_tokens(r);
        match r.ty {
            Some(_) => quote!(#error::#variant(_) => (#code, #encoding),),
            None => quote!(#error::#variant => (#code, #encoding),),
        }
    });
    let docs = doc(doc_text);
    quote! {
        #docs
        pub fn #name(&self) -> runtime::mock::Expect<'_, #success_ty, #error> {
            self.0.expect(runtime::mock::Route {
                operation: #op_id,
                method: #verb,
                path: #path,
                headers: &[#(#headers),*],
                header_names: &[#(#header_names),*],
                query: #query,
                body_fields: #body_fields,
                status: #status,
                media: #media,
                example: #example,
                envelope: #envelope,
                success: #success_fn,
                error: |error| match *error { #(#error_arms)* },
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::representative;

    /// A mock answers a range or `default` with a status the client maps back to that
    /// response, never one another response of the operation claims.
    #[test]
    fn ranges_and_default_get_an_unclaimed_status() {
        let spec = crate::SpecFile {
            path: "specs/t.yaml".into(),
            text:
                "openapi: 3.0.3\ninfo: {title: t, version: '1'}\nservers: [{url: 'https://x.io'}]\n\
                   paths:\n  /a:\n    get:\n      operationId: a\n      responses:\n\
                   \x20       '200': {description: ok}\n        '400': {description: bad}\n\
                   \x20       4XX: {description: client}\n        '500': {description: down}\n\
                   \x20       5XX: {description: server}\n        default: {description: other}\n"
                    .into(),
        };
        let api = crate::lower_spec(&spec).expect("lowers");
        let op = &api.operations[0];
        let status = |variant: &str| {
            let r = op
                .errors
                .iter()
                .find(|r| r.variant.name == variant)
                .unwrap_or_else(|| panic!("no {variant} in {:?}", op.errors));
            representative(op, r)
        };
        assert_eq!(status("BadRequest"), 400);
        assert_eq!(status("ClientError"), 401);
        assert_eq!(status("ServerError"), 501);
        // Every 4xx and 5xx is claimed by a code or a range: `default` gets 600.
        assert_eq!(status("Other"), 600);
    }
}
