//! The `api-tokens` command-line tool (feature `cli`): the module `cli` with the tool's command
//! and entry point, and one module per API with its command tree ([`command`]) and the glue
//! from arguments to a typed client call ([`call`]). Names come from `naming::cli`; everything
//! that is the same for every API is in the runtime's `cli` module.

mod call;
mod command;
mod layout;

use crate::ir::{Api, AuthKind};
use crate::naming::cli::{self as names, CredentialEnv, VendorNames};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// The binary's name.
pub const TOOL: &str = "api-tokens";

/// `cli/mod.rs`: the tool's command (one subcommand per API module compiled in), its dispatch
/// and `main`. `gated`: each API's module is behind the Cargo feature of its name.
pub fn root(apis: &[Api], gated: bool) -> TokenStream {
    let gate = |api: &Api| {
        let feature = &api.module.name;
        gated.then(|| quote!(#[cfg(feature = #feature)]))
    };
    let modules = apis.iter().map(|api| {
        let module = &api.module;
        let gate = gate(api);
        let doc = format!(
            " `{TOOL} {}`: {}.",
            names::vendor_command(api),
            one_line(&api.title)
        );
        quote! {
            #[doc = #doc]
            #gate
            #[rustfmt::skip]
            mod #module;
        }
    });
    let subcommands = apis.iter().map(|api| {
        let module = &api.module;
        let gate = gate(api);
        quote! {
            #gate
            {
                command = command.subcommand(#module::command());
            }
        }
    });
    let arms = apis.iter().map(|api| {
        let module = &api.module;
        let gate = gate(api);
        let name = names::vendor_command(api);
        quote! {
            #gate
            #name => Some(Box::pin(#module::run(session))),
        }
    });
    let about = "Manage API tokens from a shell or a CI job: every operation of every vendor's spec is a command";
    quote! {
        //! The `api-tokens` command-line tool (feature `cli`): `api-tokens <VENDOR> <OPERATION>
        //! [--flag value ...]`, generated from the same specs as the clients and calling them.
        //!
        //! The binary's `main` calls [`main`]; [`command`] is the whole command tree (for
        //! completions, a man page, or tests).

        use crate::cli_runtime as rt;

        #(#modules)*

        /// The tool's command tree: one subcommand per vendor compiled in.
        pub fn command() -> rt::clap::Command {
            #[allow(unused_mut)]
            let mut command = rt::tool(#TOOL, env!("CARGO_PKG_VERSION"), #about);
            #(#subcommands)*
            command
        }

        #[allow(unused_variables)]
        fn dispatch<'a>(vendor: &str, session: &'a rt::Session) -> Option<rt::Run<'a>> {
            match vendor {
                #(#arms)*
                _ => None,
            }
        }

        /// Runs the tool on the process's arguments and returns its exit code (see
        /// [`rt::Exit`]).
        pub fn main() -> std::process::ExitCode {
            rt::main(command(), dispatch)
        }
    }
}

/// `src/bin/<TOOL>.rs` of the product crate `krate`: the tool's `main`, which only calls
/// `<krate>::cli::main` (the tool itself is the library's `cli` module).
pub fn binary(krate: &str) -> TokenStream {
    let doc = format!(" The `{TOOL}` command-line tool: see `{krate}::cli`.");
    let krate = format_ident!("{}", krate);
    quote! {
        #![doc = #doc]

        fn main() -> std::process::ExitCode {
            #krate::cli::main()
        }
    }
}

/// `cli/<module>.rs`: the API's command tree and its run.
pub fn vendor(api: &Api) -> TokenStream {
    let names = names::vendor(api);
    let module = &api.module;
    let command = command::vendor(api, &names);
    let server = server(api, &names);
    let credentials = credentials(api, &names);
    let settings = api
        .settings
        .iter()
        .zip(&names.settings)
        .map(|(s, (flag, _))| {
            let setter = &s.setter;
            let ty = super::type_tokens(&s.param.ty, super::Scope::Root);
            quote! {
                let client = match rt::optional::<#ty>(matches, #flag)? {
                    Some(value) => client.#setter(value),
                    None => client,
                };
            }
        });
    let settings: Vec<TokenStream> = settings.collect();
    let calls: Vec<call::Call> = api
        .operations
        .iter()
        .zip(&names.operations)
        .map(|(op, op_names)| call::call(api, op, op_names))
        .collect();
    let arms: Vec<&TokenStream> = calls.iter().map(|call| &call.arm).collect();
    let functions: Vec<&TokenStream> = calls.iter().map(|call| &call.function).collect();
    // What the glue reads: an API whose calls take no argument never names its types.
    let glue = quote!(#(#settings)*).to_string();
    let names_types = calls.iter().any(|call| call.names_types)
        || api
            .settings
            .iter()
            .any(|s| super::text::type_text(&s.param.ty, super::Scope::Root).contains("types::"));
    let types = names_types.then(|| quote!(types,));
    let matches = if glue.contains("matches") || !calls.is_empty() {
        quote!(matches)
    } else {
        quote!(_)
    };
    let doc = format!(
        " `{TOOL} {}`: the operations of {} as commands.",
        names.command,
        one_line(&api.title)
    );
    quote! {
        #![doc = #doc]
        #![allow(deprecated)]

        use crate::#module::{#types Client, Credentials, Server};
        use crate::cli_runtime::{self as rt, clap};

        #command

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

        #(#functions)*
    }
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

/// Spec text on one line (help strings, docs).
pub(crate) fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
