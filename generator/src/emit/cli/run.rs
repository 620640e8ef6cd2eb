//! A vendor's `run()`: the server and credentials from the command line and environment, the
//! client settings, and the dispatch to each operation's run function.

use super::layout::{self, Node};
use crate::emit::text::{self, Place, Writer};
use crate::emit::{type_tokens, Scope};
use crate::ir::{Api, AuthKind};
use crate::naming::cli::{CredentialEnv, VendorNames};
use proc_macro2::TokenStream;
use quote::quote;

/// `run()`, as text when its layout is certain. `reads_flags`: something reads `matches`;
/// `arms`: each operation's arm of the dispatch, as tokens.
pub(super) fn function(
    api: &Api,
    names: &VendorNames,
    reads_flags: bool,
    arms: &[&TokenStream],
) -> TokenStream {
    text::item(PLACE, run_text(api, names, reads_flags), || {
        run_tokens(api, names, reads_flags, arms)
    })
}

/// Where the items of a vendor's CLI module go.
const PLACE: Place = Place {
    depth: 0,
    in_impl: false,
};

/// The vendor's `run()` as tokens.
fn run_tokens(
    api: &Api,
    names: &VendorNames,
    reads_flags: bool,
    arms: &[&TokenStream],
) -> TokenStream {
    let server = server(api, names);
    let credentials = credentials(api, names);
    let settings = api
        .settings
        .iter()
        .zip(&names.settings)
        .map(|(s, (flag, _))| {
            let setter = &s.setter;
            let ty = type_tokens(&s.param.ty, Scope::Root);
            quote! {
                let client = match rt::optional::<#ty>(matches, #flag)? {
                    Some(value) => client.#setter(value),
                    None => client,
                };
            }
        });
    let matches = if reads_flags {
        quote!(matches)
    } else {
        quote!(_)
    };
    quote! {
        /// Runs the operation the command line chose.
        pub(super) async fn run(session: &rt::Session) -> Result<(), rt::Failure> {
            let (operation, #matches) = session.operation();
            let server = #server;
            let credentials = #credentials;
            let client = Client::new(server, credentials, session.config())?;
            #(#settings)*
            // Each operation's run is a function of its own, boxed: this function's future
            // stays small however many operations the spec has.
            let run: rt::Run<'_> = match operation {
                #(#arms)*
                other => return Err(rt::Failure::usage(format!("unknown operation {other:?}"))),
            };
            run.await
        }
    }
}

/// The vendor's `run()` as text, when its parts have the layouts written here: the server
/// from the spec's list (or `--base-url` alone), credentials from the environment, client
/// settings, and the dispatch on the operation's name.
fn run_text(api: &Api, names: &VendorNames, reads_flags: bool) -> Option<String> {
    let mut w = PLACE.writer();
    w.doc_line(0, " Runs the operation the command line chose.");
    w.line(
        0,
        &["pub(super) async fn run(session: &rt::Session) -> Result<(), rt::Failure> {"],
    );
    let matches = if reads_flags { "matches" } else { "_" };
    w.line(
        1,
        &["let (operation, ", matches, ") = session.operation();"],
    );
    w.line(1, &["let server = match session.base_url() {"]);
    w.line(2, &["Some(url) => Server::BaseUrl(url.to_owned()),"]);
    w.line(2, &["None => {"]);
    match names.servers.first() {
        None => w.line(
            3,
            &["return Err(rt::Failure::usage(\"the spec names no server: give --base-url\"));"],
        ),
        Some(first) => {
            w.line(
                3,
                &[
                    "match session.server().unwrap_or(",
                    &text::string(first),
                    ") {",
                ],
            );
            for (s, name) in api.servers.iter().zip(&names.servers) {
                let value = match &s.constructor {
                    Some(constructor) => format!("Server::{constructor}()"),
                    None => format!("Server::{}", s.variant),
                };
                // The comma is not counted: one column to spare is not certain enough.
                if 16 + text::string(name).len() + 4 + value.len() + 1 > text::FITS {
                    return None;
                }
                w.line(4, &[&text::string(name), " => ", &value, ","]);
            }
            w.line(4, &["other => {"]);
            w.line(5, &["return Err("]);
            w.line(6, &["rt::Failure::usage("]);
            w.line(7, &["format!(\"no server {other:?}: give --base-url\"),"]);
            w.line(6, &["),"]);
            w.line(5, &[");"]);
            w.line(4, &["}"]);
            w.line(3, &["}"]);
        }
    }
    w.line(2, &["}"]);
    w.line(1, &["};"]);
    if !credentials_text(&mut w, api, names) {
        return None;
    }
    w.line(
        1,
        &["let client = Client::new(server, credentials, session.config())?;"],
    );
    for (s, (flag, _)) in api.settings.iter().zip(&names.settings) {
        let ty = crate::emit::type_text(&s.param.ty, Scope::Root);
        let head = format!(
            "let client = match rt::optional::<{ty}>(matches, {})? {{",
            text::string(flag)
        );
        // A generic argument could break; a line with room to spare is printed whole.
        if ty.contains('<') || 4 + head.len() + 1 > text::FITS {
            return None;
        }
        w.line(1, &[&head]);
        let some = format!("Some(value) => client.{}(value),", s.setter);
        if 8 + some.len() + 1 > text::FITS {
            return None;
        }
        w.line(2, &[&some]);
        w.line(2, &["None => client,"]);
        w.line(1, &["};"]);
    }
    w.line(1, &["let run: rt::Run<'_> = match operation {"]);
    for op in &names.operations {
        let command = text::string(&op.command);
        let body = format!("Box::pin({}(session, matches, &client))", op.run_fn);
        // An arm's comma is not counted; the body goes in a block when it does not fit.
        if 8 + command.len() + 4 + body.len() <= text::FITS {
            w.unbreakable(2, &[&command, " => ", &body, ","]);
        } else {
            w.unbreakable(2, &[&command, " => {"]);
            let call = Node::call(
                "Box::pin(",
                vec![Node::call(
                    format!("{}(", op.run_fn),
                    ["session", "matches", "&client"]
                        .iter()
                        .map(|arg| Node::Atom((*arg).to_owned()))
                        .collect(),
                )],
            );
            if !layout::write(&mut w, 3, &call, "") {
                return None;
            }
            w.line(2, &["}"]);
        }
    }
    w.unbreakable(
        2,
        &["other => return Err(rt::Failure::usage(format!(\"unknown operation {other:?}\"))),"],
    );
    w.line(1, &["};"]);
    w.line(1, &["run.await"]);
    w.line(0, &["}"]);
    w.finish()
}

/// `let credentials = Credentials { .. };` as text.
fn credentials_text(w: &mut Writer, api: &Api, names: &VendorNames) -> bool {
    let fields: Vec<Node> = api
        .auth
        .iter()
        .zip(&names.credentials)
        .map(|(scheme, env)| {
            let (method, vars) = match (&scheme.kind, env) {
                (AuthKind::Basic, CredentialEnv::One(var)) => (".env_basic(", vec![var]),
                (_, CredentialEnv::One(var)) => (".env_secret(", vec![var]),
                (_, CredentialEnv::Signing { id, key, token }) => {
                    (".env_signing(", vec![id, key, token])
                }
            };
            let vars = vars
                .into_iter()
                .map(|v| Node::Atom(text::string(v)))
                .collect();
            Node::Atom(format!("{}: session", scheme.field))
                .chain(vec![Node::try_call(method, vars)])
        })
        .collect();
    if fields.is_empty() {
        w.line(1, &["let credentials = Credentials {};"]);
        return true;
    }
    // prettyplease breaks a struct literal wider than 34 columns, whatever the room.
    let flat: usize = fields.iter().map(|f| f.flat_len() + 2).sum();
    if flat + "Credentials {  }".len() <= 40 {
        return false;
    }
    w.line(1, &["let credentials = Credentials {"]);
    if !layout::write_fields(w, 2, fields.iter()) {
        return false;
    }
    w.line(1, &["};"]);
    true
}

/// The `Server` from `--base-url` or `--server` (the first of the spec's by default).
fn server(api: &Api, names: &VendorNames) -> TokenStream {
    let arms = api.servers.iter().zip(&names.servers).map(|(s, name)| {
        let variant = &s.variant;
        match &s.constructor {
            Some(constructor) => quote!(#name => Server::#constructor(),),
            None => quote!(#name => Server::#variant,),
        }
    });
    let Some(first) = names.servers.first() else {
        // `--base-url` is required then.
        return quote! {
            match session.base_url() {
                Some(url) => Server::BaseUrl(url.to_owned()),
                None => return Err(rt::Failure::usage("the spec names no server: give --base-url")),
            }
        };
    };
    quote! {
        match session.base_url() {
            Some(url) => Server::BaseUrl(url.to_owned()),
            None => match session.server().unwrap_or(#first) {
                #(#arms)*
                other => return Err(rt::Failure::usage(format!("no server {other:?}: give --base-url"))),
            },
        }
    }
}

/// `Credentials` from the environment, one variable (or pair) per scheme.
fn credentials(api: &Api, names: &VendorNames) -> TokenStream {
    let fields = api
        .auth
        .iter()
        .zip(&names.credentials)
        .map(|(scheme, env)| {
            let field = &scheme.field;
            let value = match (&scheme.kind, env) {
                (AuthKind::Basic, CredentialEnv::One(var)) => quote!(session.env_basic(#var)?),
                (_, CredentialEnv::One(var)) => quote!(session.env_secret(#var)?),
                (_, CredentialEnv::Signing { id, key, token }) => {
                    quote!(session.env_signing(#id, #key, #token)?)
                }
            };
            quote!(#field: #value,)
        });
    quote!(Credentials { #(#fields)* })
}
