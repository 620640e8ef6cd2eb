//! The clap command tree of one API: the vendor's command with its servers, settings and
//! environment table, and one subcommand per operation with a typed flag per parameter and
//! body field.

use super::layout::{self, Node};
use super::one_line;
use crate::emit::signature::method_str;
use crate::emit::text::{self, Place};
use crate::ir::{Api, AuthKind, Encoding, Operation, TypeKind, TypeRef};
use crate::naming::cli::{body_fields, CredentialEnv, OperationNames, Source, VendorNames};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// `fn command() -> clap::Command` of the vendor.
pub fn vendor(api: &Api, names: &VendorNames) -> TokenStream {
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
    let text = vendor_text(api, names, &about, &env);
    let command = text::item(PLACE, text, || vendor_tokens(api, names, &about, &env));
    let operations = api
        .operations
        .iter()
        .zip(&names.operations)
        .map(|(op, op_names)| operation(api, op, op_names));
    quote! {
        #command
        #(#operations)*
    }
}

/// The vendor's `command()` as tokens.
fn vendor_tokens(
    api: &Api,
    names: &VendorNames,
    about: &str,
    env: &[(String, String)],
) -> TokenStream {
    let name = &names.command;
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
            let arg = Flag::new(api, flag, &s.param.ty, help).tokens();
            quote!(.arg(#arg.env(#var).global(true).help_heading(rt::SERVER)))
        });
    let fns = names
        .operations
        .iter()
        .map(|op_names| format_ident!("{}", op_names.command_fn));
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
    }
}

/// The vendor's `command()` as text, when its layout is certain.
fn vendor_text(
    api: &Api,
    names: &VendorNames,
    about: &str,
    env: &[(String, String)],
) -> Option<String> {
    let literal = |text: &str| Node::Atom(text::string(text));
    let env = env
        .iter()
        .map(|(var, what)| Node::call("(", vec![literal(var), literal(what)]))
        .collect();
    let mut links = vec![Node::link(
        "after_help",
        vec![Node::call("rt::environment(", vec![Node::slice(env)])],
    )];
    if !names.servers.is_empty() {
        let choices = names.servers.iter().map(|c| literal(c)).collect();
        let server = Node::call(
            "rt::server(",
            vec![Node::slice(choices), literal(&names.server_env)],
        );
        links.push(Node::link("arg", vec![server]));
    }
    let required = names.servers.is_empty();
    let base_url = Node::call(
        "rt::base_url(",
        vec![
            literal(&names.base_url_env),
            Node::Atom(required.to_string()),
        ],
    );
    let base_url = if required {
        base_url.chain(vec![Node::link(
            "required",
            vec![Node::Atom("true".into())],
        )])
    } else {
        base_url
    };
    links.push(Node::link("arg", vec![base_url]));
    for (s, (flag, var)) in api.settings.iter().zip(&names.settings) {
        let help = help_text(
            s.param.doc.as_deref(),
            &format!("client setting `{}`", s.key),
        );
        let arg = Flag::new(api, flag, &s.param.ty, help).node().chain(vec![
            Node::link("env", vec![literal(var)]),
            Node::link("global", vec![Node::Atom("true".into())]),
            Node::link("help_heading", vec![Node::Atom("rt::SERVER".into())]),
        ]);
        links.push(Node::link("arg", vec![arg]));
    }
    for op in &names.operations {
        let call = Node::Atom(format!("{}()", op.command_fn));
        links.push(Node::link("subcommand", vec![call]));
    }
    let chain =
        Node::call("rt::vendor(", vec![literal(&names.command), literal(about)]).chain(links);
    let mut w = PLACE.writer();
    w.doc_line(
        0,
        " The vendor's command, with one subcommand per operation.",
    );
    w.line(0, &["pub(super) fn command() -> clap::Command {"]);
    if !layout::write(&mut w, 1, &chain, "") {
        return None;
    }
    w.line(0, &["}"]);
    w.finish()
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

/// A flag's JSON kind (the name of an `rt::Kind` variant), the enum values it takes, and
/// whether it repeats (an array).
pub(super) fn kind(api: &Api, ty: &TypeRef) -> (&'static str, Vec<String>, bool) {
    let mut ty = ty;
    let mut list = false;
    for _ in 0..8 {
        match ty {
            TypeRef::Option(inner) => ty = inner,
            TypeRef::Vec(inner) if !list => {
                list = true;
                ty = inner;
            }
            TypeRef::Bool => return ("Bool", Vec::new(), list),
            TypeRef::I32 | TypeRef::I64 => return ("Integer", Vec::new(), list),
            TypeRef::F32 | TypeRef::F64 => return ("Number", Vec::new(), list),
            TypeRef::String | TypeRef::Secret | TypeRef::DateTime | TypeRef::Date => {
                return ("Text", Vec::new(), list)
            }
            TypeRef::Json => return ("Scalar", Vec::new(), list),
            TypeRef::Named(name) => {
                let Some(def) = api.types.iter().find(|t| &t.name == name) else {
                    break;
                };
                match &def.kind {
                    TypeKind::Enum { variants, .. } => {
                        let values = variants.iter().map(|v| v.wire.clone()).collect();
                        return ("Text", values, list);
                    }
                    TypeKind::IntEnum { variants, .. } => {
                        let values = variants.iter().map(|(v, _)| v.to_string()).collect();
                        return ("Integer", values, list);
                    }
                    TypeKind::Union { scalar: true, .. } => return ("Scalar", Vec::new(), list),
                    TypeKind::Alias(inner) => ty = inner,
                    _ => break,
                }
            }
            _ => break,
        }
    }
    ("Json", Vec::new(), list)
}

/// A typed flag: `rt::flag(..)` or `rt::choice(..)`, repeated for arrays.
struct Flag {
    name: String,
    kind: &'static str,
    choices: Vec<String>,
    list: bool,
    help: String,
}

impl Flag {
    fn new(api: &Api, name: &str, ty: &TypeRef, help: String) -> Flag {
        let (kind, choices, list) = kind(api, ty);
        Flag {
            name: name.to_owned(),
            kind,
            choices,
            list,
            help,
        }
    }

    fn tokens(&self) -> TokenStream {
        let flag = &self.name;
        let kind = format_ident!("{}", self.kind);
        let help = crate::long_text::literal(&self.help);
        let arg = if self.choices.is_empty() {
            quote!(rt::flag(#flag, rt::Kind::#kind, #help))
        } else {
            let choices = &self.choices;
            quote!(rt::choice(#flag, rt::Kind::#kind, &[#(#choices),*], #help))
        };
        if self.list {
            quote!(rt::repeated(#arg))
        } else {
            arg
        }
    }

    fn node(&self) -> Node {
        let name = Node::Atom(text::string(&self.name));
        let kind = Node::Atom(format!("rt::Kind::{}", self.kind));
        let help = Node::Atom(text::string(&self.help));
        let arg = if self.choices.is_empty() {
            Node::call("rt::flag(", vec![name, kind, help])
        } else {
            let choices = self
                .choices
                .iter()
                .map(|c| Node::Atom(text::string(c)))
                .collect();
            let choices = Node::slice(choices);
            Node::call("rt::choice(", vec![name, kind, choices, help])
        };
        if self.list {
            Node::call("rt::repeated(", vec![arg])
        } else {
            arg
        }
    }
}

/// What a flag of an operation's subcommand must be given with.
#[derive(Clone, Copy)]
enum Required {
    Optional,
    /// `.required(true)`.
    Always,
    /// `.required_unless_present("body")`: a body field, unless the whole body is given.
    UnlessBody,
}

/// One `.arg(..)` of an operation's subcommand.
enum Arg {
    Flag(Flag, Required),
    /// `rt::body_arg(required)`, itself required when the body has no fields as flags.
    Body {
        required: bool,
        alone: bool,
    },
    /// `--all`, walking every page.
    All,
}

/// The help of `--all`.
const ALL_HELP: &str = "Walk every page; print each item as its page arrives (JSON lines)";

impl Arg {
    fn tokens(&self) -> TokenStream {
        match self {
            Arg::Flag(flag, required) => {
                let arg = flag.tokens();
                match required {
                    Required::Optional => arg,
                    Required::Always => quote!(#arg.required(true)),
                    Required::UnlessBody => quote!(#arg.required_unless_present("body")),
                }
            }
            Arg::Body { required, alone } => {
                let alone = alone.then(|| quote!(.required(true)));
                quote!(rt::body_arg(#required) #alone)
            }
            Arg::All => quote! {
                clap::Arg::new("all")
                    .long("all")
                    .action(clap::ArgAction::SetTrue)
                    .help(#ALL_HELP)
            },
        }
    }

    fn node(&self) -> Node {
        let atom = |text: &str| Node::Atom(text.to_owned());
        match self {
            Arg::Flag(flag, required) => {
                let links = match required {
                    Required::Optional => vec![],
                    Required::Always => vec![Node::link("required", vec![atom("true")])],
                    Required::UnlessBody => vec![Node::link(
                        "required_unless_present",
                        vec![atom("\"body\"")],
                    )],
                };
                flag.node().chain(links)
            }
            Arg::Body { required, alone } => {
                let arg = Node::call("rt::body_arg(", vec![atom(&required.to_string())]);
                let links = if *alone {
                    vec![Node::link("required", vec![atom("true")])]
                } else {
                    vec![]
                };
                arg.chain(links)
            }
            Arg::All => Node::call("clap::Arg::new(", vec![atom("\"all\"")]).chain(vec![
                Node::link("long", vec![atom("\"all\"")]),
                Node::link("action", vec![atom("clap::ArgAction::SetTrue")]),
                Node::link("help", vec![Node::Atom(text::string(ALL_HELP))]),
            ]),
        }
    }
}

/// One operation's subcommand.
struct Subcommand {
    command: String,
    about: String,
    long: String,
    /// The table of the secrets read from the environment.
    after: Option<String>,
    args: Vec<Arg>,
}

impl Subcommand {
    fn new(api: &Api, op: &Operation, names: &OperationNames) -> Subcommand {
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
                Source::Env(var) => secrets.push(secret(
                    var,
                    &p.wire,
                    &format!("{where_} parameter"),
                    p.required,
                )),
                Source::Flag(flag) => {
                    let help = help_text(
                        p.doc.as_deref(),
                        &format!("`{}` ({where_} parameter)", p.wire),
                    );
                    let required = if p.required {
                        Required::Always
                    } else {
                        Required::Optional
                    };
                    args.push(Arg::Flag(Flag::new(api, flag, &p.ty, help), required));
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
                    Source::Env(var) => secrets.push(secret(var, &f.wire, "body field", required)),
                    Source::Flag(flag) => {
                        let help =
                            help_text(f.doc.as_deref(), &format!("`{}` (body field)", f.wire));
                        let required = if required && body.required {
                            Required::UnlessBody
                        } else {
                            Required::Optional
                        };
                        args.push(Arg::Flag(Flag::new(api, flag, &f.ty, help), required));
                    }
                }
            }
            args.push(Arg::Body {
                required: body.required,
                alone: body.required && fields.is_empty(),
            });
        }
        if op.pagination.is_some() {
            args.push(Arg::All);
        }
        let after = (!secrets.is_empty()).then(|| {
            let lines: String = secrets
                .iter()
                .map(|(var, what)| format!("\n  {var}  {what}"))
                .collect();
            format!("Secrets, read only from the environment (never a flag):{lines}")
        });
        Subcommand {
            command: names.command.clone(),
            about,
            long,
            after,
            args,
        }
    }

    /// The `clap::Command::new(..)` chain.
    fn tokens(&self) -> TokenStream {
        let Subcommand {
            command,
            about,
            long,
            after,
            args,
        } = self;
        let after = after.as_ref().map(|text| quote!(.after_help(#text)));
        let long = crate::long_text::literal(long);
        let args = args.iter().map(Arg::tokens);
        quote! {
            clap::Command::new(#command)
                .about(#about)
                .long_about(#long)
                #after
                #(.arg(#args))*
        }
    }

    fn node(&self) -> Node {
        let literal = |text: &str| vec![Node::Atom(text::string(text))];
        let mut links = vec![
            Node::link("about", literal(&self.about)),
            Node::link("long_about", literal(&self.long)),
        ];
        if let Some(after) = &self.after {
            links.push(Node::link("after_help", literal(after)));
        }
        links.extend(
            self.args
                .iter()
                .map(|arg| Node::link("arg", vec![arg.node()])),
        );
        Node::call("clap::Command::new(", literal(&self.command)).chain(links)
    }
}

/// `fn command_<op>() -> clap::Command`, as text when its layout is certain.
fn operation(api: &Api, op: &Operation, names: &OperationNames) -> TokenStream {
    let sub = Subcommand::new(api, op, names);
    let doc = format!(" `{}`.", names.command);
    let function = format_ident!("{}", names.command_fn);
    text::item(PLACE, operation_text(&sub, &doc, &names.command_fn), || {
        let command = sub.tokens();
        quote! {
            #[doc = #doc]
            fn #function() -> clap::Command {
                #command
            }
        }
    })
}

/// Where the functions of a vendor's CLI module go.
const PLACE: Place = Place {
    depth: 0,
    in_impl: false,
};

fn operation_text(sub: &Subcommand, doc: &str, function: &str) -> Option<String> {
    let mut w = PLACE.writer();
    w.doc_line(0, doc);
    // Without parameters the signature has no place to break: prettyplease prints it whole.
    w.unbreakable(0, &["fn ", function, "() -> clap::Command {"]);
    if !layout::write(&mut w, 1, &sub.node(), "") {
        return None;
    }
    w.line(0, &["}"]);
    w.finish()
}

/// A secret the tool reads from the environment variable `var`, and how its help describes it:
/// `` `wire` (what, required) ``.
fn secret(var: &str, wire: &str, what: &str, required: bool) -> (String, String) {
    let required = if required { ", required" } else { "" };
    (var.to_owned(), format!("`{wire}` ({what}{required})"))
}
