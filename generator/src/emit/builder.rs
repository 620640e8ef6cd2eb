//! The constructor and chainable setters of a model or `Params` struct: `new` takes the fields a
//! value cannot do without (those that are not `Option`), every `Option` field gets a `with_`
//! setter, and the struct derives `Default` when `new` takes nothing. Callers build values this
//! way rather than with struct literals, so a field the vendor adds later (optional, so not an
//! argument of `new`) does not break them; the structs are `#[non_exhaustive]` to hold them to it.

use super::{doc, type_tokens, Scope};
use crate::ir::{Ident, TypeRef};
use proc_macro2::TokenStream;
use quote::quote;

/// One field, as the constructor and setters see it.
pub(crate) struct Member<'a> {
    /// Rust name.
    pub name: &'a Ident,
    /// Rust type, `Option` included (but not the `Box`).
    pub ty: TypeRef,
    /// Held in a `Box` (inside the `Option`, if any).
    pub boxed: bool,
    /// The setter's name, when the field is an `Option`.
    pub setter: Option<&'a Ident>,
    /// `#[deprecated]`.
    pub deprecated: bool,
}

impl Member<'_> {
    /// An argument of `new`: the field has no "unset" value.
    fn required(&self) -> bool {
        !crate::surface::is_option(&self.ty)
    }
}

/// Whether the struct derives `Default`: nothing for `new` to take.
pub(crate) fn has_default(members: &[Member]) -> bool {
    crate::surface::derives_default(members.iter().map(|m| &m.ty))
}

/// The argument type for a value of `ty` and the expression storing `value` as the field
/// holds it (`None`: the value as it is): `impl Into<String>` for text, the value itself
/// otherwise, boxed when the field is.
fn argument(ty: &TypeRef, boxed: bool, value: &Ident) -> (TokenStream, Option<TokenStream>) {
    let (arg, stored) = match ty {
        TypeRef::String | TypeRef::Secret => {
            let ty = type_tokens(ty, Scope::Types);
            (quote!(impl Into<#ty>), Some(quote!(#value.into())))
        }
        other => (type_tokens(other, Scope::Types), None),
    };
    if boxed {
        let stored = stored.unwrap_or_else(|| quote!(#value));
        (arg, Some(quote!(Box::new(#stored))))
    } else {
        (arg, stored)
    }
}

/// `impl Name { new, with_.. }`; `extra` is the field keeping unnamed properties (starts empty).
pub(crate) fn constructor_and_setters(
    name: &Ident,
    members: &[Member],
    extra: Option<&Ident>,
) -> TokenStream {
    let required: Vec<&Member> = members.iter().filter(|m| m.required()).collect();
    let args = required.iter().map(|m| {
        let field = m.name;
        let (ty, _) = argument(&m.ty, m.boxed, field);
        quote!(#field: #ty)
    });
    let inits = members.iter().map(|m| {
        let field = m.name;
        if m.required() {
            match argument(&m.ty, m.boxed, field).1 {
                Some(stored) => quote!(#field: #stored),
                None => quote!(#field),
            }
        } else {
            quote!(#field: None)
        }
    });
    let extra_init = extra.map(|field| quote!(#field: serde_json::Map::new()));
    let inits = inits.chain(extra_init);
    // No article, so no "a `UploadToken`".
    let new_doc = match (required.is_empty(), required.len() == members.len()) {
        (true, _) => "Every field unset (the same as `Default`).",
        (false, true) => "From its fields.",
        (false, false) => {
            "From its required fields; the optional ones start unset (the `with_` methods set them)."
        }
    };
    let new_doc = doc(new_doc);
    let many = (required.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let setters = members.iter().filter_map(|m| {
        let setter = m.setter?;
        let TypeRef::Option(inner) = &m.ty else {
            return None;
        };
        let field = m.name;
        let (ty, stored) = argument(inner, m.boxed, field);
        let stored = stored.unwrap_or_else(|| quote!(#field));
        let text = doc(&format!("Sets [`{}`](Self::{}).", field.name, field.name));
        let deprecated = m.deprecated.then(|| quote!(#[deprecated]));
        Some(quote! {
            #text
            #deprecated
            #[must_use]
            pub fn #setter(mut self, #field: #ty) -> Self {
                self.#field = Some(#stored);
                self
            }
        })
    });
    let allow = members
        .iter()
        .any(|m| m.deprecated)
        .then(|| quote!(#[allow(deprecated)]));
    quote! {
        #allow
        impl #name {
            #new_doc
            #many
            pub fn new(#(#args),*) -> Self {
                Self { #(#inits),* }
            }

            #(#setters)*
        }
    }
}
