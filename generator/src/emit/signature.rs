//! The pieces of a generated method's signature that several emitters spell the same way:
//! the runtime's method variant and the path arguments. Kept apart so that the method body
//! (`operations`), its docs and its stream variants (`pagination`) read them without reading
//! each other.

use super::{type_text, type_tokens, Scope};
use crate::ir::{Method, Operation, Param, TypeRef};
use crate::surface::path_params;
use proc_macro2::TokenStream;
use quote::quote;

/// The method as the spec writes it (for docs) and as the runtime's `Method` variant.
pub(crate) fn method_str(method: Method) -> (&'static str, TokenStream) {
    match method {
        Method::Get => ("GET", quote!(Get)),
        Method::Put => ("PUT", quote!(Put)),
        Method::Post => ("POST", quote!(Post)),
        Method::Delete => ("DELETE", quote!(Delete)),
        Method::Patch => ("PATCH", quote!(Patch)),
        Method::Head => ("HEAD", quote!(Head)),
        Method::Options => ("OPTIONS", quote!(Options)),
    }
}

/// The path parameters as method arguments (`name: type`), and their names.
pub(crate) fn path_args(op: &Operation) -> (Vec<TokenStream>, Vec<TokenStream>) {
    path_params(op)
        .map(|p| {
            let arg = &p.name;
            let ty = match &p.ty {
                TypeRef::String | TypeRef::Secret => quote!(&str),
                TypeRef::Named(_) => {
                    let ty = type_tokens(&p.ty, Scope::Root);
                    quote!(&#ty)
                }
                other => type_tokens(other, Scope::Root),
            };
            (quote!(#arg: #ty), quote!(#arg))
        })
        .unzip()
}

/// One path parameter as a method argument, as text (`name: type`, what [`path_args`] prints).
pub(crate) fn path_arg_text(p: &Param) -> String {
    let ty = match &p.ty {
        TypeRef::String | TypeRef::Secret => "&str".to_owned(),
        TypeRef::Named(_) => format!("&{}", type_text(&p.ty, Scope::Root)),
        other => type_text(other, Scope::Root),
    };
    format!("{}: {ty}", p.name)
}
