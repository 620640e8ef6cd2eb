//! One operation's run: its arguments read into the typed parameters and body, the client's
//! method called, the result printed.

use super::layout::{self, Node};
use crate::emit::text::{self, Place};
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
    /// The function names a type of the API's `types` module.
    pub names_types: bool,
}

/// The run of one operation.
pub fn call(api: &Api, op: &Operation, names: &OperationNames) -> Call {
    let command = &names.command;
    let function = format_ident!("{}", names.run_fn);
    let doc = format!(" Runs `{command}`.");
    let has_params = crate::surface::caller_params(op).next().is_some();
    Call {
        function: text::item(PLACE, function_text(api, op, names, &doc), || {
            function_tokens(api, op, names, &doc)
        }),
        arm: quote!(#command => Box::pin(#function(session, matches, &client)),),
        names_types: has_params
            || op.body.as_ref().is_some_and(|body| {
                matches!(body.encoding, Encoding::Json | Encoding::Form)
                    && crate::emit::type_text(&body.ty, Scope::Root).contains("types::")
            }),
    }
}

/// `async fn run_<method>(..)` as tokens.
fn function_tokens(api: &Api, op: &Operation, names: &OperationNames, doc: &str) -> TokenStream {
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
    quote! {
        #[doc = #doc]
        async fn #function(
            session: &rt::Session,
            #matches: &clap::ArgMatches,
            client: &Client,
        ) -> Result<(), rt::Failure> {
            #steps
        }
    }
}

fn strip_option(ty: &TypeRef) -> &TypeRef {
    match ty {
        TypeRef::Option(inner) => strip_option(inner),
        other => other,
    }
}

/// Where the functions of a vendor's CLI module go.
const PLACE: Place = Place {
    depth: 0,
    in_impl: false,
};

/// [`read`] as a node, after `prefix` (`field: `, `&`).
fn read_node(prefix: &str, source: &Source, list: bool, required: bool) -> Node {
    let (function, name) = match (source, list, required) {
        (Source::Env(var), _, false) => (".secret(", var),
        (Source::Env(var), _, true) => (".required_secret(", var),
        (Source::Flag(flag), false, false) => ("rt::optional(", flag),
        (Source::Flag(flag), false, true) => ("rt::required(", flag),
        (Source::Flag(flag), true, false) => ("rt::optional_list(", flag),
        (Source::Flag(flag), true, true) => ("rt::required_list(", flag),
    };
    flag_or_env(prefix, function, name)
}

/// `rt::<function>(matches, "flag")?` or `session.<function>("VAR")?`, after `prefix`.
fn flag_or_env(prefix: &str, function: &str, name: &str) -> Node {
    let name = Node::Atom(text::string(name));
    if let Some(method) = function.strip_prefix('.') {
        let receiver = Node::Atom(format!("{prefix}session"));
        receiver.chain(vec![Node::try_call(format!(".{method}"), vec![name])])
    } else {
        let matches = Node::Atom("matches".to_owned());
        Node::try_call(format!("{prefix}{function}"), vec![matches, name])
    }
}

/// The run function as text, when every line of it is laid out for certain (see `layout`).
fn function_text(api: &Api, op: &Operation, names: &OperationNames, doc: &str) -> Option<String> {
    let mut args: Vec<Node> = Vec::new();
    for (p, source) in op.params.iter().zip(&names.params) {
        if p.location != ParamLocation::Path {
            continue;
        }
        args.push(match (&p.ty, source) {
            (TypeRef::String | TypeRef::Secret, Source::Env(var)) => {
                flag_or_env("&", ".required_secret::<String>(", var)
            }
            (TypeRef::String | TypeRef::Secret, Source::Flag(flag)) => {
                flag_or_env("&", "rt::required::<String>(", flag)
            }
            (TypeRef::Named(_), _) => read_node("&", source, false, true),
            _ => read_node("", source, false, true),
        });
    }
    let mut body = text::Place::writer(PLACE);
    let w = &mut body;
    if crate::surface::caller_params(op).next().is_some() {
        let fields: Vec<(String, Node)> = op
            .params
            .iter()
            .zip(&names.params)
            .filter(|(p, _)| p.location != ParamLocation::Path)
            .map(|(p, source)| {
                let required = p.required && !matches!(p.ty, TypeRef::Option(_));
                let list = matches!(strip_option(&p.ty), TypeRef::Vec(_));
                let flat = {
                    let mut flat = String::new();
                    read_node("", source, list, required).flat_into(&mut flat);
                    format!("{}: {flat}", p.name)
                };
                (
                    flat,
                    read_node(&format!("{}: ", p.name), source, list, required),
                )
            })
            .collect();
        let ty = format!("types::{}", op.params_type);
        // prettyplease puts a struct literal wider than 34 columns on several lines, whatever
        // the room; a narrower one (with some slack) goes through tokens.
        let flat: Vec<&str> = fields.iter().map(|(flat, _)| flat.as_str()).collect();
        if format!("{ty} {{ {} }}", flat.join(", ")).len() <= 40 || fields.is_empty() {
            return None;
        }
        w.line(1, &["let params = ", &ty, " {"]);
        if !layout::write_fields(w, 2, fields.iter().map(|(_, field)| field)) {
            return None;
        }
        w.line(1, &["};"]);
        args.push(Node::Atom("&params".to_owned()));
    }
    if let Some(body) = &op.body {
        let (read_body, ty) = match body.encoding {
            Encoding::Text => (
                Node::try_call("rt::text_body(", vec![Node::Atom("matches".into())]),
                "String".to_owned(),
            ),
            Encoding::Binary => (
                Node::try_call("rt::body_bytes(", vec![Node::Atom("matches".into())]),
                "Vec<u8>".to_owned(),
            ),
            Encoding::Json | Encoding::Form => {
                let fields = body_fields(api, &body.ty).unwrap_or_default();
                let mut flags = Vec::new();
                let mut secrets = Vec::new();
                for (f, source) in fields.iter().zip(&names.fields) {
                    let wire = Node::Atom(text::string(&f.wire));
                    match source {
                        Source::Flag(flag) => {
                            let list = matches!(strip_option(&f.ty), TypeRef::Vec(_));
                            let flag = Node::Atom(text::string(flag));
                            flags.push(Node::call(
                                "(",
                                vec![wire, flag, Node::Atom(list.to_string())],
                            ));
                        }
                        Source::Env(var) => {
                            let var = Node::Atom(text::string(var));
                            secrets.push(Node::call("(", vec![wire, var]));
                        }
                    }
                }
                let secrets = Node::Atom("session".to_owned()).chain(vec![Node::try_call(
                    ".secret_fields(",
                    vec![Node::slice(secrets)],
                )]);
                let read = Node::try_call(
                    "rt::json_body(",
                    vec![
                        Node::Atom("matches".to_owned()),
                        Node::slice(flags),
                        secrets,
                        Node::Atom(body.required.to_string()),
                    ],
                );
                (read, crate::emit::type_text(&body.ty, Scope::Root))
            }
        };
        let Node::List {
            head,
            args: read_args,
            close,
        } = read_body
        else {
            return None;
        };
        // The line up to the call's bracket has no place to break (` = ` never does) but in
        // a type's generic arguments: with none, or with `Option<..>`'s fitting up to the
        // ` = `, a long one is printed as it is.
        let plain = !ty.contains('<');
        if body.required {
            args.push(Node::Atom("&body".to_owned()));
            // `match <read>? {`: the condition and the brace stay on the call's last line.
            let statement = Node::List {
                head: format!("let body: {ty} = match {head}"),
                args: read_args,
                close: ")? {",
            };
            if close != ")?" || !layout::write_statement(w, 1, &statement, "", plain) {
                return None;
            }
            w.line(2, &["Some(body) => body,"]);
            w.line(
                2,
                &["None => return Err(rt::Failure::usage(\"give the request body with --body\")),"],
            );
            w.line(1, &["};"]);
        } else {
            let method = match body.encoding {
                Encoding::Text | Encoding::Binary => "as_deref",
                Encoding::Json | Encoding::Form => "as_ref",
            };
            args.push(Node::Atom("body".to_owned()).chain(vec![Node::link(method, vec![])]));
            let statement = Node::List {
                head: format!("let body: Option<{ty}> = {head}"),
                args: read_args,
                close,
            };
            let prefix = format!("let body: Option<{ty}> = ");
            let long_head = plain && 4 + prefix.len() <= text::FITS;
            if !layout::write_statement(w, 1, &statement, ";", long_head) {
                return None;
            }
        }
    }
    if let Some(pagination) = &op.pagination {
        let stream = Node::Atom("client".to_owned())
            .chain(vec![Node::link(&pagination.stream.name, args.clone())]);
        let all = Node::Atom("return session".to_owned()).chain(vec![
            Node::link("print_stream", vec![stream]),
            Node::Atom(".await".to_owned()),
        ]);
        w.line(1, &["if session.all() {"]);
        if !layout::write(w, 2, &all, ";") {
            return None;
        }
        w.line(1, &["}"]);
    }
    let call = Node::Atom("client".to_owned()).chain(vec![
        Node::link(&op.name.name, args),
        Node::Atom(".await".to_owned()),
    ]);
    let print = Node::Atom("session".to_owned()).chain(vec![Node::link("print", vec![call])]);
    if !layout::write(w, 1, &print, "") {
        return None;
    }
    let steps = body.finish()?;
    // An operation without arguments reads no flag.
    let matches = if steps.contains("matches") {
        "matches"
    } else {
        "_"
    };
    let mut w = PLACE.writer();
    w.doc_line(0, doc);
    let one_line = format!(
        "async fn {}(session: &rt::Session, {matches}: &clap::ArgMatches, client: &Client) -> Result<(), rt::Failure> {{",
        names.run_fn
    );
    if one_line.len() <= text::FITS {
        return None;
    }
    // Nothing before the bracket can break: a long name is printed as it is.
    w.unbreakable(0, &["async fn ", &names.run_fn, "("]);
    w.line(1, &["session: &rt::Session,"]);
    w.line(1, &[matches, ": &clap::ArgMatches,"]);
    w.line(1, &["client: &Client,"]);
    w.line(0, &[") -> Result<(), rt::Failure> {"]);
    let mut text = w.finish()?;
    text.push_str(&steps);
    text.push_str("}\n");
    Some(text)
}
