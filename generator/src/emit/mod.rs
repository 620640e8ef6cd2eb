//! IR -> Rust tokens. Emission reads only the IR; naming decisions were made before.

mod builder;
mod client;
mod client_text;
mod description;
mod docs;
mod errors;
pub(crate) use docs::example_lines;
pub use docs::{recipe_lines, showcase, DocTests};
pub mod cli;
mod doc_lines;
mod method_text;
mod mock;
mod operations;
mod pagination;
mod signature;
pub(crate) mod text;
mod types;

use crate::ir::{Api, TypeRef};
use doc_lines::doc_lines;
pub(crate) use doc_lines::rustdoc_safe;
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

/// Checks every item written as text against prettyplease's printing of its tokens (see
/// `text`); rendering then fails on any difference. Also on with
/// `API_TOKEN_CODEGEN_VERIFY=1`. For tests: it costs what writing text saves.
pub fn verify_text_items(on: bool) {
    text::verify(on);
}

/// How many items this process has written as text rather than through tokens (see
/// [`verify_text_items`]).
pub fn text_items_written() -> usize {
    text::written()
}

/// What verification found since the last call (see [`verify_text_items`]).
pub(crate) fn text_mismatches() -> Vec<String> {
    text::take_mismatches()
}

/// The whole module for one API; `module_doc` is the generated part of its `//!` docs (what
/// `render::module_doc` makes of the module template).
pub fn module(api: &Api, doc_tests: DocTests<'_>, module_doc: &str) -> TokenStream {
    let head = module_head(api, doc_tests, module_doc);
    let types = types_module(api);
    quote! { #head #types }
}

/// The module up to its models: docs (the spec's, then `module_doc`), `Server`,
/// `Credentials`, `Client`, operations.
pub fn module_head(api: &Api, doc_tests: DocTests<'_>, module_doc: &str) -> TokenStream {
    let mut header = vec![format!("# {}", api.title), String::new()];
    if let Some(description) = &api.description {
        header.push(description.clone());
        header.push(String::new());
    }
    header.push(format!(
        "Generated from `{}` (API version {}). Start with [`Client`](crate::{}::Client).",
        api.source, api.version, api.module
    ));
    let docs = inner_doc(&header.join("\n"));
    // The template's text is the generator's own (spec text in it is already made safe), and
    // its example must stay a Rust doc test: written as is, not through `doc_lines`.
    let generated = module_doc.lines().map(|l| {
        if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        }
    });
    let docs = quote! { #docs #![doc = ""] #(#![doc = #generated])* };
    let client = client::emit(api);
    let operations = operations::emit(api, doc_tests);
    let error = errors::emit(api);
    let mock = mock::emit(api);
    quote! {
        #docs
        #![allow(deprecated)]

        use crate::runtime;

        #client
        #operations
        #error
        #mock
    }
}

/// `pub mod types { ... }`: the models. Emitted apart from [`module_head`] so the two halves
/// can be formatted in parallel.
pub fn types_module(api: &Api) -> TokenStream {
    let types = types::emit(api);
    let operation_types = operations::types(api);
    quote! {
        /// Every type of the API: the models of the request and response bodies as the spec
        /// describes them, and each operation's parameters (`<Operation>Params`), documented
        /// errors (`<Operation>Error`) and, when its successful responses differ,
        /// `<Operation>Success`.
        pub mod types {
            #types
            #operation_types
        }
    }
}

/// `text` as literal text of a `format!` string: braces doubled.
pub(crate) fn format_escaped(text: &str) -> String {
    text.replace('{', "{{").replace('}', "}}")
}

/// A type of the `types` module, named from the module root.
pub(crate) fn in_types(name: &crate::ir::Ident) -> TokenStream {
    quote!(types::#name)
}

/// The tokens of an identifier the naming pass decided (never a keyword: `naming` renames
/// them, so the public API has no raw identifiers).
pub fn ident(name: &crate::ir::Ident) -> Ident {
    Ident::new(&name.name, Span::call_site())
}

impl quote::ToTokens for crate::ir::Ident {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        ident(self).to_tokens(tokens);
    }
}

/// A fixed name of the generated code that no spec decides (a crate's name); the naming pass
/// keeps specs away from it.
pub fn fixed(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// `///` lines.
pub(crate) fn doc(text: &str) -> TokenStream {
    crate::long_text::doc(doc_lines(text), false)
}

/// `//!` lines.
fn inner_doc(text: &str) -> TokenStream {
    crate::long_text::doc(doc_lines(text), true)
}

/// Where a named type lives, seen from the code being emitted.
#[derive(Clone, Copy)]
pub(crate) enum Scope {
    /// Inside `types`.
    Types,
    /// In the module root (client, errors, params).
    Root,
}

/// The Rust type of a `TypeRef`.
pub(crate) fn type_tokens(ty: &TypeRef, scope: Scope) -> TokenStream {
    match ty {
        TypeRef::Bool => quote!(bool),
        TypeRef::I32 => quote!(i32),
        TypeRef::I64 => quote!(i64),
        TypeRef::F32 => quote!(f32),
        TypeRef::F64 => quote!(f64),
        TypeRef::String => quote!(String),
        TypeRef::Secret => quote!(crate::runtime::Secret),
        TypeRef::DateTime => quote!(crate::runtime::DateTime),
        TypeRef::Date => quote!(crate::runtime::Date),
        TypeRef::Json => quote!(serde_json::Value),
        TypeRef::Bytes => quote!(Vec<u8>),
        TypeRef::Named(name) => match scope {
            Scope::Types => quote!(#name),
            Scope::Root => quote!(types::#name),
        },
        TypeRef::Vec(inner) => {
            let inner = type_tokens(inner, scope);
            quote!(Vec<#inner>)
        }
        TypeRef::Map(inner) => {
            let inner = type_tokens(inner, scope);
            quote!(std::collections::BTreeMap<String, #inner>)
        }
        TypeRef::Option(inner) => {
            let inner = type_tokens(inner, scope);
            quote!(Option<#inner>)
        }
    }
}

/// The Rust type of `ty` as printed, seen from `scope` (what [`type_tokens`] prints).
pub(crate) fn type_text(ty: &crate::ir::TypeRef, scope: Scope) -> String {
    use crate::ir::TypeRef;
    match ty {
        TypeRef::Bool => "bool".to_owned(),
        TypeRef::I32 => "i32".to_owned(),
        TypeRef::I64 => "i64".to_owned(),
        TypeRef::F32 => "f32".to_owned(),
        TypeRef::F64 => "f64".to_owned(),
        TypeRef::String => "String".to_owned(),
        TypeRef::Secret => "crate::runtime::Secret".to_owned(),
        TypeRef::DateTime => "crate::runtime::DateTime".to_owned(),
        TypeRef::Date => "crate::runtime::Date".to_owned(),
        TypeRef::Json => "serde_json::Value".to_owned(),
        TypeRef::Bytes => "Vec<u8>".to_owned(),
        TypeRef::Named(name) => match scope {
            Scope::Types => name.name.clone(),
            Scope::Root => format!("types::{name}"),
        },
        TypeRef::Vec(inner) => format!("Vec<{}>", type_text(inner, scope)),
        TypeRef::Map(inner) => format!(
            "std::collections::BTreeMap<String, {}>",
            type_text(inner, scope)
        ),
        TypeRef::Option(inner) => format!("Option<{}>", type_text(inner, scope)),
    }
}

#[cfg(test)]
mod tests {
    use super::{doc_lines, rustdoc_safe};

    #[test]
    fn code_fences_never_become_doctests() {
        let lines = doc_lines(
            "a\n```rust\npanic!();\n```\n~~~\nx\n~~~\n```json\n{}\n```\n```rust,ignore\n```",
        );
        assert_eq!(
            lines,
            [
                " a",
                " ```text",
                " panic!();",
                " ```",
                " ~~~text",
                " x",
                " ~~~",
                " ```json",
                " {}",
                " ```",
                " ```text",
                " ```"
            ]
        );
    }

    #[test]
    fn list_continuations_are_indented() {
        let lines = doc_lines("- one\nwrapped\n10. ten\nmore\n\nafter\n> quote\nlazy");
        assert_eq!(
            lines,
            [
                " - one",
                "   wrapped",
                " 10. ten",
                "     more",
                "",
                " after",
                " > quote",
                " > lazy"
            ]
        );
        // The text of `*   item` starts four columns in (GitHub's descriptions).
        assert_eq!(
            doc_lines("*   item\nwrapped"),
            [" *   item", "     wrapped"]
        );
    }

    #[test]
    fn spec_prose_is_made_safe_for_rustdoc() {
        assert_eq!(
            rustdoc_safe("[ASSUMPTION] see https://x.io/a."),
            "\\[ASSUMPTION\\] see <https://x.io/a>."
        );
        assert_eq!(
            rustdoc_safe("use `[a]` and [`Client::new`]"),
            "use `[a]` and [`Client::new`]"
        );
        assert_eq!(
            rustdoc_safe("<https://x.io> and `https://y.io`"),
            "<https://x.io> and `https://y.io`"
        );
    }
}
