//! The clap command tree of one API: the vendor's command with its servers, settings and
//! environment table, and one subcommand per operation with a typed flag per parameter and
//! body field.

use super::{one_line, TOOL};
use crate::emit::signature::method_str;
use crate::ir::{Api, AuthKind, Encoding, Operation, TypeKind, TypeRef};
use crate::naming::cli::{body_fields, CredentialEnv, OperationNames, Source, VendorNames};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// `fn command() -> clap::Command` of the vendor.
pub fn vendor(api: &Api, names: &VendorNames) -> TokenStream {
    let name = &names.command;
    let about = one_line(&api.title);
    let mut env: Vec<(String, String)> = Vec::new();
    for (scheme, vars) in api.auth.iter().zip(&names.credentials) {
        let what = match &scheme.kind {
            AuthKind::Basic => {
                "HTTP Basic: `USER:PASSWORD`, or a key alone (the user name)".to_owned()
            }
            AuthKind::Bearer => "a bearer token".to_owned(),
            AuthKind::Header(h) => format!("an API key (the `{h}` header)"),
            AuthKind::Query(q) => format!("an API key (the `{q}` query parameter)"),
            AuthKind::Signed { .. } => "signing key pair".to_owned(),
        };
        match vars {
            CredentialEnv::One(var) => env.push((var.clone(), format!("`{}`: {what}", scheme.key))),
            CredentialEnv::Signing { id, key, token } => {
                env.push((
                    id.clone(),
                    format!("`{}`: the signing key's id", scheme.key),
                ));
                env.push((key.clone(), format!("`{}`: the signing key", scheme.key)));
                env.push((
                    token.clone(),
                    format!(
                        "`{}`: session token of temporary credentials (optional)",
                        scheme.key
                    ),
                ));
            }
        }
    }
    let env = env.iter().map(|(var, what)| quote!((#var, #what)));
    let server_arg = (!names.servers.is_empty()).then(|| {
        let choices = &names.servers;
        let var = &names.server_env;
        quote!(.arg(rt::server(&[#(#choices),*], #var)))
    });
    let base_url_env = &names.base_url_env;
    let base_url_required = names.servers.is_empty();
    let required = base_url_required.then(|| quote!(.required(true)));
    let settings = api
        .settings
        .iter()
        .zip(&names.settings)
        .map(|(s, (flag, var))| {
            let help = help_text(
                s.param.doc.as_deref(),
                &format!("client setting `{}`", s.key),
            );
            let arg = flag_arg(api, flag, &s.param.ty, &help);
            quote!(.arg(#arg.env(#var).global(true).help_heading(rt::SERVER)))
        });
    let fns: Vec<proc_macro2::Ident> = names
        .operations
        .iter()
        .map(|op_names| format_ident!("{}", op_names.command_fn))
        .collect();
    let operations =
        api.operations
            .iter()
            .zip(&names.operations)
            .zip(&fns)
            .map(|((op, op_names), function)| {
                let doc = format!(" `{}`.", op_names.command);
                let command = operation(api, op, op_names);
                quote! {
                    #[doc = #doc]
                    fn #function() -> clap::Command {
                        #command
                    }
                }
            });
    quote! {
        /// The vendor's command, with one subcommand per operation.
        pub(super) fn command() -> clap::Command {
            rt::vendor(#name, #about)
                .after_help(rt::environment(&[#(#env),*]))
                #server_arg
                .arg(rt::base_url(#base_url_env, #base_url_required) #required)
                #(#settings)*
                #(.subcommand(#fns()))*
        }

        #(#operations)*
    }
}

/// Help from a spec description: its first paragraph on one line, or `fallback`.
fn help_text(doc: Option<&str>, fallback: &str) -> String {
    let first = doc
        .unwrap_or_default()
        .split("\n\n")
        .map(one_line)
        .find(|p| !p.is_empty());
    first.unwrap_or_else(|| fallback.to_owned())
}

/// A flag's JSON kind, the enum values it takes, and whether it repeats (an array).
pub(super) fn kind(api: &Api, ty: &TypeRef) -> (TokenStream, Vec<String>, bool) {
    let mut ty = ty;
    let mut list = false;
    for _ in 0..8 {
        match ty {
            TypeRef::Option(inner) => ty = inner,
            TypeRef::Vec(inner) if !list => {
                list = true;
                ty = inner;
            }
            TypeRef::Bool => return (quote!(rt::Kind::Bool), Vec::new(), list),
            TypeRef::I32 | TypeRef::I64 => return (quote!(rt::Kind::Integer), Vec::new(), list),
            TypeRef::F32 | TypeRef::F64 => return (quote!(rt::Kind::Number), Vec::new(), list),
            TypeRef::String | TypeRef::Secret | TypeRef::DateTime | TypeRef::Date => {
                return (quote!(rt::Kind::Text), Vec::new(), list)
            }
            TypeRef::Json => return (quote!(rt::Kind::Scalar), Vec::new(), list),
            TypeRef::Named(name) => {
                let Some(def) = api.types.iter().find(|t| &t.name == name) else {
                    break;
                };
                match &def.kind {
                    TypeKind::Enum { variants, .. } => {
                        let values = variants.iter().map(|v| v.wire.clone()).collect();
                        return (quote!(rt::Kind::Text), values, list);
                    }
                    TypeKind::IntEnum { variants, .. } => {
                        let values = variants.iter().map(|(v, _)| v.to_string()).collect();
                        return (quote!(rt::Kind::Integer), values, list);
                    }
                    TypeKind::Union { scalar: true, .. } => {
                        return (quote!(rt::Kind::Scalar), Vec::new(), list)
                    }
                    TypeKind::Alias(inner) => ty = inner,
                    _ => break,
                }
            }
            _ => break,
        }
    }
    (quote!(rt::Kind::Json), Vec::new(), list)
}

/// `rt::flag(..)` or `rt::choice(..)`, repeated for arrays.
fn flag_arg(api: &Api, flag: &str, ty: &TypeRef, help: &str) -> TokenStream {
    let (kind, choices, list) = kind(api, ty);
    let help = crate::long_text::literal(help);
    let arg = if choices.is_empty() {
        quote!(rt::flag(#flag, #kind, #help))
    } else {
        quote!(rt::choice(#flag, #kind, &[#(#choices),*], #help))
    };
    if list {
        quote!(rt::repeated(#arg))
    } else {
        arg
    }
}

/// One operation's subcommand.
fn operation(api: &Api, op: &Operation, names: &OperationNames) -> TokenStream {
    let command = &names.command;
    let (verb, _) = method_str(op.method);
    let mut about = op
        .summary
        .as_deref()
        .map(one_line)
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| help_text(op.description.as_deref(), &op.id));
    if op.deprecated {
        about = format!("[deprecated] {about}");
    }
    let mut long = Vec::new();
    long.push(about.clone());
    if let Some(description) = &op.description {
        long.push(description.trim().to_owned());
    }
    if let Some(reason) = &op.unverified {
        long.push(format!("Unverified: {}", one_line(reason)));
    }
    long.push(format!("`{verb} {}` (operation `{}`).", op.path, op.id));
    let long = long.join("\n\n");
    let mut args = Vec::new();
    let mut secrets: Vec<(String, String)> = Vec::new();
    for (p, source) in op.params.iter().zip(&names.params) {
        let where_ = match p.location {
            crate::ir::ParamLocation::Path => "path",
            crate::ir::ParamLocation::Query => "query",
            crate::ir::ParamLocation::Header => "header",
            crate::ir::ParamLocation::Cookie => "cookie",
        };
        match source {
            Source::Env(var) => secrets.push((
                var.clone(),
                format!(
                    "`{}` ({where_} parameter{})",
                    p.wire,
                    if p.required { ", required" } else { "" }
                ),
            )),
            Source::Flag(flag) => {
                let help = help_text(
                    p.doc.as_deref(),
                    &format!("`{}` ({where_} parameter)", p.wire),
                );
                let arg = flag_arg(api, flag, &p.ty, &help);
                let required = p.required.then(|| quote!(.required(true)));
                args.push(quote!(#arg #required));
            }
        }
    }
    if let Some(body) = &op.body {
        let fields = match body.encoding {
            Encoding::Json | Encoding::Form => body_fields(api, &body.ty).unwrap_or_default(),
            Encoding::Text | Encoding::Binary => &[],
        };
        for (f, source) in fields.iter().zip(&names.fields) {
            let required = !f.optional && !matches!(f.ty, TypeRef::Option(_));
            match source {
                Source::Env(var) => secrets.push((
                    var.clone(),
                    format!(
                        "`{}` (body field{})",
                        f.wire,
                        if required { ", required" } else { "" }
                    ),
                )),
                Source::Flag(flag) => {
                    let help = help_text(f.doc.as_deref(), &format!("`{}` (body field)", f.wire));
                    let arg = flag_arg(api, flag, &f.ty, &help);
                    let required = (required && body.required)
                        .then(|| quote!(.required_unless_present("body")));
                    args.push(quote!(#arg #required));
                }
            }
        }
        let body_required = body.required;
        let alone = (body.required && fields.is_empty()).then(|| quote!(.required(true)));
        args.push(quote!(rt::body_arg(#body_required) #alone));
    }
    if op.pagination.is_some() {
        args.push(quote! {
            clap::Arg::new("all")
                .long("all")
                .action(clap::ArgAction::SetTrue)
                .help("Walk every page; print each item as its page arrives (JSON lines)")
        });
    }
    let after = (!secrets.is_empty()).then(|| {
        let lines: String = secrets
            .iter()
            .map(|(var, what)| format!("\n  {var}  {what}"))
            .collect();
        let text = format!("Secrets, read only from the environment (never a flag):{lines}");
        quote!(.after_help(#text))
    });
    let _ = TOOL;
    let long = crate::long_text::literal(&long);
    quote! {
        clap::Command::new(#command)
            .about(#about)
            .long_about(#long)
            #after
            #(.arg(#args))*
    }
}
