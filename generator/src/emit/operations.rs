//! One method per operation, with its parameter struct and its error enum.

use super::builder::{constructor_and_setters, has_default, Member};
use super::signature::path_args;
use super::text::{self, Place};
use super::{doc, in_types, type_tokens, Scope};
use crate::ir::{
    Api, Encoding, Operation, Param, ParamLocation, ParamStyle, Piece, Response, Status, TypeRef,
};
use crate::surface::{
    array_variants, caller_params, param_field_type, path_params, returns, several_successes,
    status_prose, struct_fields, Returns,
};
use proc_macro2::TokenStream;
use quote::quote;

/// `impl Client`: one method per operation (and the `_all` helpers of paginated ones).
pub fn emit(api: &Api, doc_tests: super::DocTests<'_>) -> TokenStream {
    let methods = api.operations.iter().map(|op| {
        let one = method(api, op, doc_tests);
        let all = super::pagination::paginated(api, op, doc_tests);
        quote! { #one #all }
    });
    let store = super::description::credential_store(api);
    let descriptions = super::description::operations_module(api);
    quote! {
        #store

        impl Client {
            #(#methods)*
        }

        #descriptions
    }
}

/// The operations' own types, which live in `types` beside the models: each operation's
/// parameters struct, success enum (when it has several bodies) and error enum.
pub fn types(api: &Api) -> TokenStream {
    let items = api.operations.iter().map(|op| {
        let params = params_struct(op);
        let success = success_enum(op);
        let errors = error_enum(op);
        quote! { #params #success #errors }
    });
    quote! { #(#items)* }
}

fn params_struct(op: &Operation) -> TokenStream {
    let params: Vec<&Param> = caller_params(op).collect();
    if params.is_empty() {
        return TokenStream::new();
    }
    let name = &op.params_type;
    let members: Vec<Member> = params
        .iter()
        .map(|p| Member {
            name: &p.name,
            ty: param_field_type(p),
            boxed: false,
            setter: p.setter.as_ref(),
            deprecated: p.deprecated,
        })
        .collect();
    let has_default = has_default(&members);
    let builder = constructor_and_setters(name, &members, None);
    let field_doc = |p: &Param| {
        let where_ = match p.location {
            ParamLocation::Query => "query parameter",
            ParamLocation::Header => "header",
            ParamLocation::Path => "path parameter",
            ParamLocation::Cookie => "cookie",
        };
        format!(
            "`{}` ({where_}{}).{}",
            p.wire,
            if p.required { ", required" } else { "" },
            p.doc
                .as_deref()
                .map(|d| format!(" {d}"))
                .unwrap_or_default()
        )
    };
    let struct_doc = format!(
        "Query, header and cookie parameters of [`Client::{}`](super::Client::{}).",
        op.name.name, op.name.name
    );
    let written = {
        let mut w = Place::TYPES.writer();
        w.doc(0, &struct_doc);
        let default = if has_default { "Default, " } else { "" };
        w.line(0, &["#[derive(Debug, Clone, ", default, "PartialEq)]"]);
        w.line(0, &["#[non_exhaustive]"]);
        w.line(0, &["pub struct ", &name.name, " {"]);
        for (p, m) in params.iter().zip(&members) {
            w.doc(1, &field_doc(p));
            if p.deprecated {
                w.line(1, &["#[deprecated]"]);
            }
            let ty = super::type_text(&m.ty, Scope::Types);
            w.line(1, &["pub ", &p.name.name, ": ", &ty, ","]);
        }
        w.line(0, &["}"]);
        w.finish()
    };
    let definition = text::item(Place::TYPES, written, || {
        let default = has_default.then(|| quote!(Default,));
        let fields = params.iter().zip(&members).map(|(p, m)| {
            let field = &p.name;
            let ty = type_tokens(&m.ty, Scope::Types);
            let docs = doc(&field_doc(p));
            let deprecated = p.deprecated.then(|| quote!(#[deprecated]));
            quote! { #docs #deprecated pub #field: #ty, }
        });
        let docs = doc(&struct_doc);
        quote! {
            #docs
            #[derive(Debug, Clone, #default PartialEq)]
            #[non_exhaustive]
            pub struct #name {
                #(#fields)*
            }
        }
    });
    quote! {
        #definition
        #builder
    }
}

/// The first sentence of the description, whole: its lines joined (specs wrap their prose),
/// ending at a `. ` followed by a capital letter or at the end of the first paragraph.
fn first_sentence(doc: &str) -> String {
    let lines: Vec<&str> = doc
        .lines()
        .map(str::trim)
        .skip_while(|l| l.is_empty())
        .take_while(|l| !l.is_empty())
        .collect();
    let paragraph = lines.join(" ");
    let end = paragraph
        .match_indices(". ")
        .find(|(i, _)| paragraph[i + 2..].starts_with(|c: char| c.is_uppercase()))
        .map_or(paragraph.len(), |(i, _)| i);
    paragraph[..end].trim_end_matches('.').to_owned()
}

/// [`error_enum`] as text: the enum, its `Display` and its `Error`, one item each.
fn error_enum_texts(op: &Operation, enum_doc: &str, large: bool) -> Option<Vec<String>> {
    if op.errors.is_empty() {
        return None;
    }
    let name = &op.error_type.name;
    let mut decl = Place::TYPES.writer();
    decl.doc(0, enum_doc);
    decl.line(0, &["#[derive(Debug, Clone, PartialEq, serde::Serialize)]"]);
    decl.line(0, &["#[serde(untagged)]"]);
    if large {
        decl.line(0, &["#[allow(clippy::large_enum_variant)]"]);
    }
    decl.line(0, &["#[non_exhaustive]"]);
    decl.line(0, &["pub enum ", name, " {"]);
    for r in &op.errors {
        decl.doc(1, &format!("{}: {}", status_prose(r.status), r.doc));
        match &r.ty {
            Some(ty) => decl.line(
                1,
                &[
                    &r.variant.name,
                    "(",
                    &super::type_text(ty, Scope::Types),
                    "),",
                ],
            ),
            None => decl.line(1, &[&r.variant.name, ","]),
        }
    }
    decl.line(0, &["}"]);
    let mut display = Place::TYPES.writer();
    display.line(0, &["impl std::fmt::Display for ", name, " {"]);
    display.line(
        1,
        &["fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {"],
    );
    display.line(2, &["match *self {"]);
    for r in &op.errors {
        let binding = if r.ty.is_some() { "(_)" } else { "" };
        let pattern = format!("Self::{}{binding}", r.variant.name);
        let text = text::string(&first_sentence(&r.doc));
        display_arm(&mut display, &pattern, &text);
    }
    display.line(2, &["}"]);
    display.line(1, &["}"]);
    display.line(0, &["}"]);
    let mut error = Place::TYPES.writer();
    error.line(0, &["impl std::error::Error for ", name, " {}"]);
    [decl, display, error]
        .into_iter()
        .map(text::Writer::finish)
        .collect()
}

/// One arm of an error enum's `Display`, `pattern => f.write_str(text),`, in the layouts
/// prettyplease gives it: on one line (its comma does not count); else the call in a block;
/// else the literal on a line of its own.
fn display_arm(w: &mut text::Writer, pattern: &str, text: &str) {
    let level = 3;
    let indent = (Place::TYPES.depth + level) * 4;
    let call = format!("f.write_str({text})");
    if w.arm_line(level, pattern, &call) {
        return;
    }
    w.line(level, &[pattern, " => {"]);
    if indent + 4 + call.len() <= text::FITS {
        w.line(level + 1, &[&call]);
    } else {
        w.line(level + 1, &["f.write_str("]);
        w.unbreakable(level + 2, &[text, ","]);
        w.line(level + 1, &[")"]);
    }
    w.line(level, &["}"]);
}

fn error_enum(op: &Operation) -> TokenStream {
    let name = &op.error_type;
    let variants = op.errors.iter().map(|r| {
        let variant = &r.variant;
        let docs = doc(&format!("{}: {}", status_prose(r.status), r.doc));
        match &r.ty {
            Some(ty) => {
                let ty = type_tokens(ty, Scope::Types);
                quote! { #docs #variant(#ty), }
            }
            None => quote! { #docs #variant, },
        }
    });
    let display = op.errors.iter().map(|r| {
        let variant = &r.variant;
        // The status is not repeated: `runtime::Error` shows it.
        let text = first_sentence(&r.doc);
        match r.ty {
            Some(_) => quote!(Self::#variant(_) => f.write_str(#text),),
            None => quote!(Self::#variant => f.write_str(#text),),
        }
    });
    let enum_doc = format!(
        "The errors the spec documents for [`Client::{}`](super::Client::{}).\n\nSerializes as the body it carries (nothing for statuses without one).",
        op.name.name, op.name.name
    );
    // Bodies of different sizes side by side are the point of this enum; boxing them would
    // only make matching clumsier.
    let is_large = op.errors.iter().filter(|r| r.ty.is_some()).count() > 1;
    let written = error_enum_texts(op, &enum_doc, is_large);
    text::items(Place::TYPES, written, || {
        let docs = doc(&enum_doc);
        let large = is_large.then(|| quote!(#[allow(clippy::large_enum_variant)]));
        let formatter = if op.errors.is_empty() {
            quote!(_)
        } else {
            quote!(f)
        };
        quote! {
            #docs
            #[derive(Debug, Clone, PartialEq, serde::Serialize)]
            #[serde(untagged)]
            #large
            #[non_exhaustive]
            pub enum #name {
                #(#variants)*
            }

            impl std::fmt::Display for #name {
                fn fmt(&self, #formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    match *self {
                        #(#display)*
                    }
                }
            }

            impl std::error::Error for #name {}
        }
    })
}

fn text_of(expr: TokenStream, ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::Secret => quote!(#expr.expose()),
        TypeRef::DateTime => quote!(#expr.to_rfc3339()),
        _ => expr,
    }
}

fn method(api: &Api, op: &Operation, doc_tests: super::DocTests<'_>) -> TokenStream {
    let written = super::method_text::method_text(api, op, doc_tests);
    text::item(Place::CLIENT_IMPL, written, || {
        method_tokens(api, op, doc_tests)
    })
}

fn method_tokens(api: &Api, op: &Operation, doc_tests: super::DocTests<'_>) -> TokenStream {
    let name = &op.name;
    let docs = super::docs::method_doc(api, op, doc_tests);
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));

    let (mut args, _) = path_args(op);
    let has_params = caller_params(op).next().is_some();
    if has_params {
        let ty = in_types(&op.params_type);
        args.push(quote!(params: &#ty));
    }
    if let Some(body) = &op.body {
        let ty = match body.encoding {
            Encoding::Text => quote!(str),
            Encoding::Binary => quote!([u8]),
            Encoding::Json | Encoding::Form => type_tokens(&body.ty, Scope::Root),
        };
        if body.required {
            args.push(quote!(body: &#ty));
        } else {
            args.push(quote!(body: Option<&#ty>));
        }
    }

    // Path: literal pieces and encoded parameters.
    let mut format = String::new();
    let mut format_args = Vec::new();
    for piece in &op.path.pieces {
        match piece {
            Piece::Literal(text) => format.push_str(&super::format_escaped(text)),
            Piece::Variable(wire) => {
                if let Some(p) = path_params(op).find(|p| p.wire == *wire) {
                    let arg = &p.name;
                    format.push_str("{}");
                    format_args.push(quote!(runtime::path_segment(#arg)));
                }
            }
        }
    }
    let path = if format_args.is_empty() {
        quote!(#format.to_owned())
    } else {
        quote!(format!(#format, #(#format_args),*))
    };

    // `x-secret` path parameters, registered so that the call's scrubber hides them wherever
    // a response or a redirect echoes the path.
    let secret_paths: Vec<TokenStream> = path_params(op)
        .filter(|p| p.ty == TypeRef::Secret)
        .map(|p| {
            let arg = &p.name;
            quote!(request.secret(#arg);)
        })
        .collect();
    let has_cookies = caller_params(op).any(|p| p.location == ParamLocation::Cookie);
    let sets = caller_params(op).map(|p| {
        let field = &p.name;
        let wire = &p.wire;
        let (inner_ty, optional) = match &p.ty {
            TypeRef::Option(inner) => (inner.as_ref(), true),
            other => (other, !p.required),
        };
        let secret = (*inner_ty == TypeRef::Secret).then(|| quote!(request.secret(value.expose());));
        let put = |text: TokenStream| match p.location {
            ParamLocation::Header => quote!(request.header(#wire, #text);),
            ParamLocation::Cookie => quote!(cookies.push(format!("{}={}", #wire, runtime::path_segment(#text)));),
            _ => quote!(request.query(#wire, #text);),
        };
        let emit_one = |value: TokenStream, ty: &TypeRef| match ty {
            TypeRef::Vec(item) if p.explode && p.location == ParamLocation::Query => {
                let put_item = put(text_of(quote!(item), item));
                quote!(for item in #value { #put_item })
            }
            TypeRef::Vec(item) => {
                let text = text_of(quote!(item), item);
                let put_joined = put(quote!(joined));
                quote! {
                    let joined = #value.iter().map(|item| #text.to_string()).collect::<Vec<_>>().join(",");
                    #put_joined
                }
            }
            TypeRef::Named(name) if p.location == ParamLocation::Query => {
                match (struct_fields(api, name), array_variants(api, name)) {
                    (Some(fields), _) => object_query(p, &value, fields),
                    // A union holding arrays: exploded, one pair per item.
                    (None, arrays) if p.explode && !arrays.is_empty() => {
                        let put_item = put(quote!(item));
                        let put_other = put(quote!(other));
                        let arms = arrays.iter().map(|variant| {
                            quote!(types::#name::#variant(items) => for item in items.iter() { #put_item })
                        });
                        quote!(match #value { #(#arms)* other => { #put_other } })
                    }
                    (None, _) => put(text_of(value, ty)),
                }
            }
            other => put(text_of(value, other)),
        };
        // An optional parameter sent as its text: one call that skips `None`, not an `if let`.
        let plain = match inner_ty {
            TypeRef::Secret | TypeRef::DateTime | TypeRef::Vec(_) => false,
            TypeRef::Named(name) if p.location == ParamLocation::Query => {
                struct_fields(api, name).is_none()
                    && (!p.explode || array_variants(api, name).is_empty())
            }
            _ => true,
        };
        match p.location {
            ParamLocation::Query if optional && plain => {
                return quote!(request.query_opt(#wire, params.#field.as_ref());)
            }
            ParamLocation::Header if optional && plain => {
                return quote!(request.header_opt(#wire, params.#field.as_ref());)
            }
            _ => {}
        }
        let one = emit_one(quote!(value), inner_ty);
        let one = quote!(#secret #one);
        if optional {
            quote!(if let Some(value) = &params.#field { #one })
        } else {
            quote!(let value = &params.#field; #one)
        }
    });
    // Client settings (`x-client-setting`) the operation declares, from the client.
    let settings = op
        .settings
        .iter()
        .filter_map(|i| api.settings.get(*i))
        .map(|s| {
            let field = &s.field;
            let wire = &s.param.wire;
            let text = text_of(quote!(value), &s.param.ty);
            let secret = (s.param.ty == TypeRef::Secret).then(|| quote!(request.secret(value.expose());));
            match s.param.location {
                ParamLocation::Header => {
                    quote!(if let Some(value) = &self.#field { #secret request.header(#wire, #text); })
                }
                _ => quote!(if let Some(value) = &self.#field { #secret request.query(#wire, #text); }),
            }
        });
    let cookies_start = has_cookies.then(|| quote!(let mut cookies: Vec<String> = Vec::new();));
    let cookies_end = has_cookies.then(|| {
        quote!(if !cookies.is_empty() {
            request.header("Cookie", cookies.join("; "));
        })
    });
    let body_set = op.body.as_ref().map(|b| {
        let media = &b.media;
        let set = match b.encoding {
            Encoding::Json => quote!(request.json(body)?;),
            Encoding::Form => quote!(request.form(body)?;),
            Encoding::Text => quote!(request.text(body, #media);),
            Encoding::Binary => quote!(request.bytes(body, #media);),
        };
        if b.required {
            set
        } else {
            quote!(if let Some(body) = body { #set })
        }
    });

    let mutated =
        has_params || !op.settings.is_empty() || op.body.is_some() || !secret_paths.is_empty();
    let request_binding = if mutated {
        quote!(let mut request)
    } else {
        quote!(let request)
    };
    let ret = match returns(op) {
        Returns::Unit => quote!(()),
        Returns::Body(ty) => type_tokens(ty, Scope::Root),
        Returns::Several(name) => in_types(name),
    };
    let error = in_types(&op.error_type);
    let credentials = super::description::credentials_arg(op);
    let arms = op
        .success
        .iter()
        .chain(op.errors.iter())
        .filter_map(|r| response_arm(op, r, false));
    let range_arms = op
        .success
        .iter()
        .chain(op.errors.iter())
        .filter_map(|r| response_arm(op, r, true));
    let default_arm = op
        .errors
        .iter()
        .find(|r| r.status == Status::Default)
        .map(|r| error_decode(op, r))
        .unwrap_or_else(|| quote!(response.unexpected()));

    quote! {
        #docs
        #deprecated
        pub async fn #name(&self, #(#args),*) -> Result<#ret, runtime::Error<#error>> {
            #request_binding = runtime::Request::new(&operations::#name, #path);
            #(#secret_paths)*
            #cookies_start
            #(#sets)*
            #(#settings)*
            #cookies_end
            #body_set
            let response = self.runtime.execute(request, #credentials).await?;
            match response.status() {
                #(#arms)*
                #(#range_arms)*
                _ => #default_arm,
            }
        }
    }
}

/// An object in a query: one `property=value` pair per property (`form`, exploded), one
/// `name=property,value,...` pair (`form`, `explode: false`), or one `name[property]=value`
/// pair per property (`deepObject`). Absent optional properties are left out.
fn object_query(p: &Param, value: &TokenStream, fields: &[crate::ir::Field]) -> TokenStream {
    let joined = p.style == ParamStyle::Plain && !p.explode;
    let sets = fields.iter().map(|f| {
        let field = &f.name;
        let (ty, optional) = match &f.ty {
            TypeRef::Option(inner) => (inner.as_ref(), true),
            other => (other, false),
        };
        let text = text_of(quote!(v), ty);
        let key = match p.style {
            ParamStyle::DeepObject => format!("{}[{}]", p.wire, f.wire),
            ParamStyle::Plain => f.wire.clone(),
        };
        let put = if joined {
            quote! { parts.push(#key.to_owned()); parts.push(#text.to_string()); }
        } else {
            quote! { request.query(#key, #text); }
        };
        if optional {
            quote!(if let Some(v) = &#value.#field { #put })
        } else {
            quote!({ let v = &#value.#field; #put })
        }
    });
    if joined {
        let wire = &p.wire;
        quote! {
            let mut parts: Vec<String> = Vec::new();
            #(#sets)*
            request.query(#wire, parts.join(","));
        }
    } else {
        quote!(#(#sets)*)
    }
}

fn error_decode(op: &Operation, r: &Response) -> TokenStream {
    let error = in_types(&op.error_type);
    let variant = &r.variant;
    match (&r.ty, r.encoding) {
        (None, _) => quote!(response.api_error_empty(#error::#variant)),
        (Some(_), Encoding::Json) => quote!(response.api_error(#error::#variant)),
        (Some(_), _) => quote!(response.api_error_text(#error::#variant)),
    }
}

fn success_enum(op: &Operation) -> TokenStream {
    if !several_successes(&op.success) {
        return TokenStream::new();
    }
    let name = &op.success_type;
    let variants = op.success.iter().map(|r| {
        let variant = &r.variant;
        let docs = doc(&format!("{}: {}", status_prose(r.status), r.doc));
        match &r.ty {
            Some(ty) => {
                let ty = type_tokens(ty, Scope::Types);
                let ty = if r.boxed { quote!(Box<#ty>) } else { ty };
                quote! { #docs #variant(#ty), }
            }
            None => quote! { #docs #variant, },
        }
    });
    let docs = doc(&format!(
        "The successful responses of [`Client::{}`](super::Client::{}), which differ by status.\n\nSerializes as the body it carries.",
        op.name.name, op.name.name
    ));
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, serde::Serialize)]
        #[serde(untagged)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
        }
    }
}

fn response_arm(op: &Operation, r: &Response, ranges: bool) -> Option<TokenStream> {
    let pattern = match (r.status, ranges) {
        (Status::Code(code), false) => {
            let code = proc_macro2::Literal::u16_unsuffixed(code);
            quote!(#code)
        }
        (Status::Range(n), true) => {
            let lo = proc_macro2::Literal::u16_unsuffixed(n * 100);
            let hi = proc_macro2::Literal::u16_unsuffixed(n * 100 + 99);
            quote!(#lo..=#hi)
        }
        _ => return None,
    };
    let is_success = matches!(r.status, Status::Code(200..=299) | Status::Range(2));
    let body = if is_success {
        // JSON is the payload the operation's description says (inside its envelope, if any).
        let decode = match (&r.ty, r.encoding) {
            (None, _) => quote!(response.empty()),
            (Some(_), Encoding::Text) => quote!(response.text()),
            (Some(_), Encoding::Binary) => quote!(response.bytes()),
            (Some(_), _) => quote!(response.payload()),
        };
        if several_successes(&op.success) {
            let name = in_types(&op.success_type);
            let variant = &r.variant;
            match (&r.ty, r.boxed) {
                (Some(_), false) => quote!(#decode.map(#name::#variant)),
                (Some(_), true) => quote!(#decode.map(|body| #name::#variant(Box::new(body)))),
                (None, _) => quote!(#decode.map(|()| #name::#variant)),
            }
        } else {
            decode
        }
    } else {
        error_decode(op, r)
    };
    Some(quote!(#pattern => #body,))
}
