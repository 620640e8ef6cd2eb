//! The `api-tokens` command-line tool (feature `cli`): the module `cli` with the tool's command
//! and entry point, and one module per API with its command tree ([`command`]), the glue from
//! arguments to a typed client call ([`call`]) and its dispatch (`run`). Names come from
//! `naming::cli`; everything that is the same for every API is in the runtime's `cli` module.
//! Most items are written as text (`layout`, `emit::text`), their tokens the fallback.

mod call;
mod command;
mod layout;
mod run;

use crate::ir::Api;
use crate::naming::cli as names;
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
    let calls: Vec<call::Call> = api
        .operations
        .iter()
        .zip(&names.operations)
        .map(|(op, op_names)| call::call(api, op, op_names))
        .collect();
    let arms: Vec<&TokenStream> = calls.iter().map(|call| &call.arm).collect();
    let functions: Vec<&TokenStream> = calls.iter().map(|call| &call.function).collect();
    // What the glue reads: an API whose calls take no argument never names its types.
    let names_types = calls.iter().any(|call| call.names_types)
        || api
            .settings
            .iter()
            .any(|s| crate::emit::type_text(&s.param.ty, super::Scope::Root).contains("types::"));
    let types = names_types.then(|| quote!(types,));
    // Each client setting is read from a flag.
    let reads_flags = !api.settings.is_empty() || !calls.is_empty();
    let run = run::function(api, &names, reads_flags, &arms);
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

        #run

        #(#functions)*
    }
}

/// Spec text on one line (help strings, docs).
pub(crate) fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
