//! The module's `Error`: one enum every operation's error converts into, so a caller's `?`
//! works across calls of one API. Each variant keeps the operation's own, typed error.

use super::in_types;
use super::text::{self, Place};
use crate::ir::Api;
use proc_macro2::TokenStream;
use quote::quote;

/// The enum and its impls as text, one item each (what [`emit`] makes of them).
fn texts(api: &Api, enum_doc: &str) -> Option<Vec<String>> {
    if api.operations.is_empty() {
        return None;
    }
    let place = PLACE;
    let ops: Vec<(String, String, &crate::ir::Operation)> = api
        .operations
        .iter()
        .map(|op| {
            let name = &op.error_type.name;
            let stem = name.strip_suffix("Error").unwrap_or(name).to_owned();
            (stem, format!("types::{name}"), op)
        })
        .collect();
    let mut decl = place.writer();
    decl.doc(0, enum_doc);
    decl.line(0, &["#[derive(Debug)]"]);
    decl.line(0, &["#[non_exhaustive]"]);
    decl.line(0, &["#[allow(clippy::large_enum_variant)]"]);
    decl.line(0, &["pub enum Error {"]);
    for (stem, error, op) in &ops {
        decl.doc(
            1,
            &format!("[`Client::{}`] failed (operation `{}`).", op.name, op.id),
        );
        variant(&mut decl, stem, error);
    }
    decl.line(0, &["}"]);
    let arms = |w: &mut text::Writer, level: usize, body: &str| {
        for (stem, _, _) in &ops {
            arm(w, level, stem, "error", body);
        }
    };
    let mut methods = place.writer();
    methods.line(0, &["impl Error {"]);
    methods.doc_line(1, " The HTTP status, when a response arrived.");
    methods.line(1, &["pub fn status(&self) -> Option<u16> {"]);
    methods.line(2, &["match self {"]);
    arms(&mut methods, 3, "error.status()");
    methods.line(2, &["}"]);
    methods.line(1, &["}"]);
    methods.doc_line(1, " The `operationId` of the call that failed.");
    methods.line(1, &["pub fn operation(&self) -> &'static str {"]);
    methods.line(2, &["match self {"]);
    for (stem, _, op) in &ops {
        arm(&mut methods, 3, stem, "_", &text::string(&op.id));
    }
    methods.line(2, &["}"]);
    methods.line(1, &["}"]);
    methods.line(0, &["}"]);
    // `Display` and `Error::source` both hand each variant on to the operation's error.
    let forward = |header: &str, signature: &str, body: &str| {
        let mut w = place.writer();
        w.line(0, &[header]);
        w.line(1, &[signature]);
        w.line(2, &["match self {"]);
        arms(&mut w, 3, body);
        w.line(2, &["}"]);
        w.line(1, &["}"]);
        w.line(0, &["}"]);
        w
    };
    let display = forward(
        "impl std::fmt::Display for Error {",
        "fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {",
        "std::fmt::Display::fmt(error, f)",
    );
    let source = forward(
        "impl std::error::Error for Error {",
        "fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {",
        "std::error::Error::source(error)",
    );
    [decl, methods, display, source]
        .into_iter()
        .map(text::Writer::finish)
        .collect()
}

/// The variant `stem(runtime::Error<error>),` in the layouts prettyplease gives it: on one
/// line; else its field on a line of its own (whose comma does not count); else the field's
/// generic argument on one more.
fn variant(w: &mut text::Writer, stem: &str, error: &str) {
    let indent = (PLACE.depth + 1) * 4;
    let field = format!("runtime::Error<{error}>");
    if indent + stem.len() + field.len() + 3 <= text::FITS {
        return w.line(1, &[stem, "(", &field, "),"]);
    }
    w.line(1, &[stem, "("]);
    if indent + 4 + field.len() <= text::FITS {
        w.unbreakable(2, &[&field, ","]);
    } else {
        w.line(2, &["runtime::Error<"]);
        w.unbreakable(3, &[error, ","]);
        w.line(2, &[">,"]);
    }
    w.line(1, &["),"]);
}

/// One arm `Self::stem(binding) => body,` of a `match self`, in the layouts prettyplease gives
/// it: on one line (its comma does not count); else the body in a block. Wider still,
/// prettyplease may break the pattern's parentheses, at widths not modelled here: the line is
/// too wide, and the item goes through tokens.
fn arm(w: &mut text::Writer, level: usize, stem: &str, binding: &str, body: &str) {
    let pattern = format!("Self::{stem}({binding})");
    if w.arm_line(level, &pattern, body) {
        return;
    }
    w.line(level, &[&pattern, " => {"]);
    if body.starts_with('"') {
        // A literal cannot break.
        w.unbreakable(level + 1, &[body]);
    } else {
        w.line(level + 1, &[body]);
    }
    w.line(level, &["}"]);
}

/// One operation's `From` impl as text (a long error type name goes through tokens).
fn from_text(stem: &str, error: &str) -> Option<String> {
    let mut from = PLACE.writer();
    from.line(0, &["impl From<runtime::Error<", error, ">> for Error {"]);
    from.line(
        1,
        &["fn from(error: runtime::Error<", error, ">) -> Self {"],
    );
    from.line(2, &["Self::", stem, "(error)"]);
    from.line(1, &["}"]);
    from.line(0, &["}"]);
    from.finish()
}

/// Where the enum and its impls go: the module's top level.
const PLACE: Place = Place::ROOT;

pub fn emit(api: &Api) -> TokenStream {
    let enum_doc = format!(
        "Any error of a [`Client`] call of {}: every operation's error converts into it, so `?` \
         works across calls.\n\nEach variant is named after its operation and holds that \
         operation's [`runtime::Error`], whose `Api` variant carries the typed error the spec \
         documents (in [`types`]). New operations add variants, so a `match` needs a `_` arm.",
        api.title
    );
    let main = text::items(PLACE, texts(api, &enum_doc), || tokens(api, &enum_doc));
    let from = api.operations.iter().map(|op| {
        let variant = stem(op);
        let error = in_types(&op.error_type);
        let written = from_text(&variant.name, &format!("types::{}", op.error_type));
        text::item(PLACE, written, || {
            quote! {
                impl From<runtime::Error<#error>> for Error {
                    fn from(error: runtime::Error<#error>) -> Self {
                        Self::#variant(error)
                    }
                }
            }
        })
    });
    quote! { #main #(#from)* }
}

/// The variant of `op` in `Error`: its type stem (`ListItems` of `ListItemsError`), which the
/// naming pass made unique.
fn stem(op: &crate::ir::Operation) -> crate::ir::Ident {
    let name = &op.error_type.name;
    crate::ir::Ident::new(name.strip_suffix("Error").unwrap_or(name))
}

fn tokens(api: &Api, enum_doc: &str) -> TokenStream {
    // The variants take the operations' type stems (`ListItems` of `ListItemsError`), which
    // the naming pass made unique.
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
    let docs = super::doc(enum_doc);
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
    }
}
