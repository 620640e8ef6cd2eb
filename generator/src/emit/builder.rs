//! The constructor and chainable setters of a model or `Params` struct: `new` takes the fields a
//! value cannot do without (those that are not `Option`), every `Option` field gets a `with_`
//! setter, and the struct derives `Default` when `new` takes nothing. Callers build values this
//! way rather than with struct literals, so a field the vendor adds later (optional, so not an
//! argument of `new`) does not break them; the structs are `#[non_exhaustive]` to hold them to it.

use super::text::{self, Place};
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

/// [`argument`] as text.
fn argument_text(ty: &TypeRef, boxed: bool, value: &Ident) -> (String, String) {
    let (arg, stored) = match ty {
        TypeRef::String | TypeRef::Secret => (
            format!("impl Into<{}>", super::type_text(ty, Scope::Types)),
            format!("{value}.into()"),
        ),
        other => (super::type_text(other, Scope::Types), value.name.clone()),
    };
    if boxed {
        (arg, format!("Box::new({stored})"))
    } else {
        (arg, stored)
    }
}

/// A setter as text: `with_x(mut self, x: T) -> Self`.
fn setter_text(member: &Member, setter: &Ident, inner: &TypeRef) -> Option<String> {
    let field = &member.name.name;
    let (ty, stored) = argument_text(inner, member.boxed, member.name);
    let mut w = Place::TYPES_IMPL.writer();
    w.doc(0, &format!("Sets [`{field}`](Self::{field})."));
    if member.deprecated {
        w.line(0, &["#[deprecated]"]);
    }
    w.line(0, &["#[must_use]"]);
    let one_line = format!("pub fn {setter}(mut self, {field}: {ty}) -> Self {{");
    if Place::TYPES_IMPL.depth * 4 + one_line.len() <= text::FITS {
        w.line(0, &[&one_line]);
    } else {
        w.line(0, &["pub fn ", &setter.name, "("]);
        w.line(1, &["mut self,"]);
        w.line(1, &[field, ": ", &ty, ","]);
        w.line(0, &[") -> Self {"]);
    }
    w.line(1, &["self.", field, " = Some(", &stored, ");"]);
    w.line(1, &["self"]);
    w.line(0, &["}"]);
    w.finish()
}

/// `new` as text, when its layout is one of the two prettyplease gives a signature (on one
/// line, or one argument a line) and its struct literal's is certain.
fn new_text(members: &[Member], extra: Option<&Ident>, new_doc: &str) -> Option<String> {
    let required: Vec<&Member> = members.iter().filter(|m| m.required()).collect();
    let args: Vec<String> = required
        .iter()
        .map(|m| format!("{}: {}", m.name, argument_text(&m.ty, m.boxed, m.name).0))
        .collect();
    let mut inits: Vec<String> = members
        .iter()
        .map(|m| {
            if m.required() {
                let (_, stored) = argument_text(&m.ty, m.boxed, m.name);
                if stored == m.name.name {
                    stored
                } else {
                    format!("{}: {stored}", m.name)
                }
            } else {
                format!("{}: None", m.name)
            }
        })
        .collect();
    if let Some(field) = extra {
        inits.push(format!("{field}: serde_json::Map::new()"));
    }
    if inits.is_empty() {
        return None;
    }
    let mut w = Place::TYPES_IMPL.writer();
    w.doc(0, new_doc);
    if required.len() > 7 {
        w.line(0, &["#[allow(clippy::too_many_arguments)]"]);
    }
    let one_line = format!("pub fn new({}) -> Self {{", args.join(", "));
    if Place::TYPES_IMPL.depth * 4 + one_line.len() <= text::FITS {
        w.line(0, &[&one_line]);
    } else {
        w.line(0, &["pub fn new("]);
        for arg in &args {
            w.line(1, &[arg, ","]);
        }
        w.line(0, &[") -> Self {"]);
    }
    // prettyplease breaks a struct literal wider than 34 columns (its closing brace aside).
    let literal = format!("Self {{ {} }}", inits.join(", "));
    match literal.len() - 1 {
        ..=32 => w.line(1, &[&literal]),
        33..=36 => return None,
        _ => {
            w.line(1, &["Self {"]);
            for init in &inits {
                w.line(2, &[init, ","]);
            }
            w.line(1, &["}"]);
        }
    }
    w.line(0, &["}"]);
    w.finish()
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
    let new_fn = text::item(Place::TYPES_IMPL, new_text(members, extra, new_doc), || {
        let new_doc = doc(new_doc);
        let many = (required.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
        quote! {
            #new_doc
            #many
            pub fn new(#(#args),*) -> Self {
                Self { #(#inits),* }
            }
        }
    });
    let setters = members.iter().filter_map(|m| {
        let setter = m.setter?;
        let TypeRef::Option(inner) = &m.ty else {
            return None;
        };
        Some(text::item(
            Place::TYPES_IMPL,
            setter_text(m, setter, inner),
            || {
                let field = m.name;
                let (ty, stored) = argument(inner, m.boxed, field);
                let stored = stored.unwrap_or_else(|| quote!(#field));
                let text = doc(&format!("Sets [`{}`](Self::{}).", field.name, field.name));
                let deprecated = m.deprecated.then(|| quote!(#[deprecated]));
                quote! {
                    #text
                    #deprecated
                    #[must_use]
                    pub fn #setter(mut self, #field: #ty) -> Self {
                        self.#field = Some(#stored);
                        self
                    }
                }
            },
        ))
    });
    let allow = members
        .iter()
        .any(|m| m.deprecated)
        .then(|| quote!(#[allow(deprecated)]));
    quote! {
        #allow
        impl #name {
            #new_fn
            #(#setters)*
        }
    }
}
