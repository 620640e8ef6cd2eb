//! IR -> Rust tokens. Emission reads only the IR; naming decisions were made before.

mod builder;
mod client;
mod description;
mod docs;
mod errors;
pub(crate) use docs::example_lines;
pub use docs::{recipe_lines, showcase, DocTests};
pub mod cli;
mod method_text;
mod mock;
mod operations;
mod pagination;
mod signature;
pub(crate) mod text;
mod types;

use crate::ir::{Api, TypeRef};
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

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

/// Markdown from a spec, made safe for rustdoc and clippy: no code block rustdoc would
/// compile as a doctest (indented blocks lose their indentation; fenced blocks that rustdoc
/// would take for Rust are marked `text`), and no lazy continuation of a list item or quote
/// (clippy's `doc_lazy_continuation`): such lines are indented under their item.
fn doc_lines(text: &str) -> Vec<String> {
    let mut fence: Option<String> = None;
    // The indentation that continues the list item (or the quote marker) above, if any.
    let mut continuation: Option<String> = None;
    let mut out = Vec::new();
    for raw in text.trim().lines() {
        let line = raw.trim();
        if let Some(close) = &fence {
            if line.starts_with(close.as_str())
                && line.trim_start_matches(close.as_str()).trim().is_empty()
            {
                fence = None;
            }
            out.push(if line.is_empty() {
                String::new()
            } else {
                format!(" {line}")
            });
            continue;
        }
        if let Some((marker, info)) = fence_open(line) {
            fence = Some(marker.clone());
            continuation = None;
            let info = if rust_fence(info) { "text" } else { info };
            out.push(format!(" {marker}{info}"));
            continue;
        }
        if line.is_empty() {
            continuation = None;
            out.push(String::new());
            continue;
        }
        let line = rustdoc_safe(line);
        if let Some(indent) = list_item(&line) {
            continuation = Some(" ".repeat(indent));
            out.push(format!(" {line}"));
        } else if line.starts_with('>') {
            continuation = Some("> ".to_owned());
            out.push(format!(" {line}"));
        } else if let Some(prefix) = &continuation {
            out.push(format!(" {prefix}{line}"));
        } else {
            out.push(format!(" {line}"));
        }
    }
    out
}

/// An opening code fence: its marker (three or more backticks or tildes) and info string.
fn fence_open(line: &str) -> Option<(String, &str)> {
    let mark = line.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let count = line.chars().take_while(|c| *c == mark).count();
    if count < 3 {
        return None;
    }
    let info = &line[count..];
    if mark == '`' && info.contains('`') {
        return None;
    }
    Some((mark.to_string().repeat(count), info.trim()))
}

/// True when rustdoc would compile a fence with this info string as a Rust doctest: no
/// language, `rust`, or only rustdoc's own attributes.
fn rust_fence(info: &str) -> bool {
    const ATTRIBUTES: &[&str] = &[
        "ignore",
        "should_panic",
        "no_run",
        "compile_fail",
        "test_harness",
        "standalone_crate",
        "allow_fail",
    ];
    let tokens: Vec<&str> = info
        .trim_matches(|c| c == '{' || c == '}')
        .split([',', ' ', '\t'])
        .map(|t| t.trim_start_matches('.'))
        .filter(|t| !t.is_empty())
        .collect();
    tokens.is_empty()
        || tokens.iter().any(|t| t.eq_ignore_ascii_case("rust"))
        || tokens
            .iter()
            .all(|t| ATTRIBUTES.contains(t) || t.starts_with("edition") || t.starts_with("ignore-"))
}

/// The indentation of a list item's text (`- a` -> 2, `10. a` -> 4), when `line` is one.
fn list_item(line: &str) -> Option<usize> {
    // The text starts after the marker and its spaces (one to four: `*   item` -> 4).
    let width = |marker: usize, rest: &str| {
        let spaces = rest.len() - rest.trim_start_matches(' ').len();
        marker + 1 + if spaces < 4 { spaces } else { 0 }
    };
    if let Some(rest) = line
        .strip_prefix("- ")
        .or_else(|| line.strip_prefix("* "))
        .or_else(|| line.strip_prefix("+ "))
    {
        return (!rest.trim().is_empty()).then(|| width(1, rest));
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    if (1..=9).contains(&digits) {
        let rest = &line[digits..];
        if let Some(after) = rest.strip_prefix(". ").or_else(|| rest.strip_prefix(") ")) {
            return Some(width(digits + 1, after));
        }
    }
    None
}

/// Escapes what rustdoc would misread in prose from a spec: `[word]` (a broken intra-doc
/// link) and bare URLs (wrapped in `<>`). Code spans are left alone, and so are the generator's
/// own links, which are always written ``[`path`]``.
pub(crate) fn rustdoc_safe(line: &str) -> String {
    // Most lines have nothing to rewrite: no bracket and no URL (the walk below is a large
    // share of codegen's time in the dev profile, where it runs unoptimised).
    if !line.contains(['[', ']']) && !line.contains("http") {
        return line.to_owned();
    }
    let mut out = String::with_capacity(line.len() + 8);
    let mut in_code = false;
    let mut rest = line;
    while let Some(c) = rest.chars().next() {
        if c == '`' {
            in_code = !in_code;
        } else if !in_code {
            if c == '[' && !(rest.starts_with("[`") && rest.contains("`]")) {
                out.push_str("\\[");
                rest = &rest[1..];
                continue;
            }
            if c == ']' && !out.ends_with('`') {
                out.push_str("\\]");
                rest = &rest[1..];
                continue;
            }
            let at_word_start =
                !out.ends_with(|p: char| p == '<' || p == '(' || p.is_alphanumeric());
            if at_word_start && (rest.starts_with("https://") || rest.starts_with("http://")) {
                let end = rest
                    .find(|ch: char| ch.is_whitespace() || ch == ')' || ch == '>' || ch == '`')
                    .unwrap_or(rest.len());
                let url = rest[..end].trim_end_matches(['.', ',', ';', ':']);
                out.push('<');
                out.push_str(url);
                out.push('>');
                rest = &rest[url.len()..];
                continue;
            }
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
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
