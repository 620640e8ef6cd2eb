//! One operation's run: its arguments read into the typed parameters and body, the client's
//! method called, the result printed.

use crate::emit::{in_types, type_tokens, Scope};
use crate::ir::{Api, Encoding, Operation, ParamLocation, TypeRef};
use crate::naming::cli::{body_fields, OperationNames, Source};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// A value read from a flag or (secrets) the environment, as the type the context expects.
fn read(source: &Source, list: bool, required: bool) -> TokenStream {
    match (source, list, required) {
        (Source::Env(var), _, false) => quote!(session.secret(#var)?),
        (Source::Env(var), _, true) => quote!(session.required_secret(#var)?),
        (Source::Flag(flag), false, false) => quote!(rt::optional(matches, #flag)?),
        (Source::Flag(flag), false, true) => quote!(rt::required(matches, #flag)?),
        (Source::Flag(flag), true, false) => quote!(rt::optional_list(matches, #flag)?),
        (Source::Flag(flag), true, true) => quote!(rt::required_list(matches, #flag)?),
    }
}

/// One operation's run: its function (`run_<method>`), and the match arm that starts it.
pub struct Call {
    /// `async fn run_<method>(session, matches, client)`.
    pub function: TokenStream,
    /// `"<command>" => Box::pin(run_<method>(..)),`.
    pub arm: TokenStream,
}

/// The run of one operation.
pub fn call(api: &Api, op: &Operation, names: &OperationNames) -> Call {
    let command = &names.command;
    let method = &op.name;
    let mut args = Vec::new();
    // Path parameters: method arguments, in order.
    for (p, source) in op.params.iter().zip(&names.params) {
        if p.location != ParamLocation::Path {
            continue;
        }
        // Strings are read as `String` and passed as `&str`; named types by reference.
        args.push(match (&p.ty, source) {
            (TypeRef::String | TypeRef::Secret, Source::Env(var)) => {
                quote!(&session.required_secret::<String>(#var)?)
            }
            (TypeRef::String | TypeRef::Secret, Source::Flag(flag)) => {
                quote!(&rt::required::<String>(matches, #flag)?)
            }
            (TypeRef::Named(_), _) => {
                let value = read(source, false, true);
                quote!(&#value)
            }
            _ => read(source, false, true),
        });
    }
    let has_params = crate::surface::caller_params(op).next().is_some();
    let params = has_params.then(|| {
        let ty = in_types(&op.params_type);
        let fields = op
            .params
            .iter()
            .zip(&names.params)
            .filter(|(p, _)| p.location != ParamLocation::Path)
            .map(|(p, source)| {
                let field = &p.name;
                // The field is `Option<_>` unless the parameter is required and not nullable.
                let required = p.required && !matches!(p.ty, TypeRef::Option(_));
                let list = matches!(strip_option(&p.ty), TypeRef::Vec(_));
                let value = read(source, list, required);
                quote!(#field: #value,)
            });
        args.push(quote!(&params));
        quote!(let params = #ty { #(#fields)* };)
    });
    let body = op.body.as_ref().map(|body| {
        let required = body.required;
        let (read_body, ty) = match body.encoding {
            Encoding::Text => (quote!(rt::text_body(matches)?), quote!(String)),
            Encoding::Binary => (quote!(rt::body_bytes(matches)?), quote!(Vec<u8>)),
            Encoding::Json | Encoding::Form => {
                let ty = type_tokens(&body.ty, Scope::Root);
                let fields = body_fields(api, &body.ty).unwrap_or_default();
                let flags = fields.iter().zip(&names.fields).filter_map(|(f, s)| match s {
                    Source::Flag(flag) => {
                        let wire = &f.wire;
                        let list = matches!(strip_option(&f.ty), TypeRef::Vec(_));
                        Some(quote!((#wire, #flag, #list)))
                    }
                    Source::Env(_) => None,
                });
                let secrets = fields.iter().zip(&names.fields).filter_map(|(f, s)| match s {
                    Source::Env(var) => {
                        let wire = &f.wire;
                        Some(quote!((#wire, #var)))
                    }
                    Source::Flag(_) => None,
                });
                (
                    quote!(rt::json_body(matches, &[#(#flags),*], session.secret_fields(&[#(#secrets),*])?, #required)?),
                    ty,
                )
            }
        };
        if required {
            args.push(match body.encoding {
                Encoding::Text | Encoding::Binary => quote!(&body),
                Encoding::Json | Encoding::Form => quote!(&body),
            });
            quote! {
                let body: #ty = match #read_body {
                    Some(body) => body,
                    None => return Err(rt::Failure::usage("give the request body with --body")),
                };
            }
        } else {
            args.push(match body.encoding {
                Encoding::Text | Encoding::Binary => quote!(body.as_deref()),
                Encoding::Json | Encoding::Form => quote!(body.as_ref()),
            });
            quote!(let body: Option<#ty> = #read_body;)
        }
    });
    let all = op.pagination.as_ref().map(|p| {
        let stream = &p.stream;
        quote! {
            if session.all() {
                return session.print_stream(client.#stream(#(#args),*)).await;
            }
        }
    });
    let steps = quote! {
        #params
        #body
        #all
        session.print(client.#method(#(#args),*).await)
    };
    // An operation without arguments reads no flag.
    let matches = if steps.to_string().contains("matches") {
        quote!(matches)
    } else {
        quote!(_)
    };
    let function = format_ident!("{}", names.run_fn);
    let doc = format!(" Runs `{command}`.");
    Call {
        function: quote! {
            #[doc = #doc]
            async fn #function(
                session: &rt::Session,
                #matches: &clap::ArgMatches,
                client: &Client,
            ) -> Result<(), rt::Failure> {
                #steps
            }
        },
        arm: quote!(#command => Box::pin(#function(session, matches, &client)),),
    }
}

fn strip_option(ty: &TypeRef) -> &TypeRef {
    match ty {
        TypeRef::Option(inner) => strip_option(inner),
        other => other,
    }
}
