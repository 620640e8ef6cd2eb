//! The module's `Error`: one enum every operation's error converts into, so a caller's `?`
//! works across calls of one API. Each variant keeps the operation's own, typed error.

use super::in_types;
use crate::ir::Api;
use proc_macro2::TokenStream;
use quote::quote;

pub fn emit(api: &Api) -> TokenStream {
    // The variants take the operations' type stems (`ListItems` of `ListItemsError`), which
    // the naming pass made unique.
    let stem = |op: &crate::ir::Operation| {
        let name = &op.error_type.name;
        crate::ir::Ident::new(name.strip_suffix("Error").unwrap_or(name))
    };
    let variants = api.operations.iter().map(|op| {
        let variant = stem(op);
        let error = in_types(&op.error_type);
        let docs = super::doc(&format!(
            "[`Client::{}`] failed (operation `{}`).",
            op.name, op.id
        ));
        quote! { #docs #variant(runtime::Error<#error>), }
    });
    let arms = |body: TokenStream| {
        let arms = api.operations.iter().map(|op| {
            let variant = stem(op);
            quote!(Self::#variant(error) => #body,)
        });
        quote!(#(#arms)*)
    };
    let display = arms(quote!(std::fmt::Display::fmt(error, f)));
    let source = arms(quote!(std::error::Error::source(error)));
    let status = arms(quote!(error.status()));
    let operation = api.operations.iter().map(|op| {
        let variant = stem(op);
        let id = &op.id;
        quote!(Self::#variant(_) => #id,)
    });
    let from = api.operations.iter().map(|op| {
        let variant = stem(op);
        let error = in_types(&op.error_type);
        quote! {
            impl From<runtime::Error<#error>> for Error {
                fn from(error: runtime::Error<#error>) -> Self {
                    Self::#variant(error)
                }
            }
        }
    });
    let docs = super::doc(&format!(
        "Any error of a [`Client`] call of {}: every operation's error converts into it, so `?` \
         works across calls.\n\nEach variant is named after its operation and holds that \
         operation's [`runtime::Error`], whose `Api` variant carries the typed error the spec \
         documents (in [`types`]). New operations add variants, so a `match` needs a `_` arm.",
        api.title
    ));
    quote! {
        #docs
        #[derive(Debug)]
        #[non_exhaustive]
        #[allow(clippy::large_enum_variant)]
        pub enum Error {
            #(#variants)*
        }

        impl Error {
            /// The HTTP status, when a response arrived.
            pub fn status(&self) -> Option<u16> {
                match self {
                    #status
                }
            }

            /// The `operationId` of the call that failed.
            pub fn operation(&self) -> &'static str {
                match self {
                    #(#operation)*
                }
            }
        }

        impl std::fmt::Display for Error {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                match self {
                    #display
                }
            }
        }

        impl std::error::Error for Error {
            // The message already includes the operation's error: its cause comes next.
            fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                match self {
                    #source
                }
            }
        }

        #(#from)*
    }
}
