//! `pub mod types`: structs and enums for the spec's schemas.

use super::{doc, ident, type_tokens, Scope};
use crate::ir::{Api, Field, TypeDef, TypeKind, TypeRef, Variant};
use proc_macro2::TokenStream;
use quote::quote;

/// Every named type, in table order.
pub fn emit(api: &Api) -> TokenStream {
    let defs = api.types.iter().map(type_def);
    quote! { #(#defs)* }
}

fn deprecated(flag: bool) -> TokenStream {
    if flag {
        quote!(#[deprecated])
    } else {
        TokenStream::new()
    }
}

fn type_def(def: &TypeDef) -> TokenStream {
    let name = ident(&def.name);
    let docs = doc(&format!(
        "{}\n\nFrom `{}` in the spec.",
        def.doc.as_deref().unwrap_or(&def.name),
        def.origin
    ));
    let deprecated = deprecated(def.deprecated);
    match &def.kind {
        TypeKind::Struct { fields, open } => {
            let fields_tokens = fields.iter().map(field);
            let extra = open.then(|| {
                let extra_name = ident(&free_name(fields, "additional_properties"));
                quote! {
                    /// Properties the spec does not name, kept as they came.
                    #[serde(flatten)]
                    pub #extra_name: serde_json::Map<String, serde_json::Value>,
                }
            });
            quote! {
                #docs
                #deprecated
                #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
                pub struct #name {
                    #(#fields_tokens)*
                    #extra
                }
            }
        }
        TypeKind::Enum { variants } => enum_def(&name, docs, deprecated, variants),
        TypeKind::Alias(target) => {
            let target = type_tokens(target, Scope::Types);
            quote! {
                #docs
                #deprecated
                pub type #name = #target;
            }
        }
    }
}

fn free_name(fields: &[Field], wanted: &str) -> String {
    let mut candidate = wanted.to_owned();
    while fields.iter().any(|f| f.name == candidate) {
        candidate.push('_');
    }
    candidate
}

fn field(field: &Field) -> TokenStream {
    let name = ident(&field.name);
    let ty = type_tokens(&field.ty, Scope::Types);
    let wire = &field.wire;
    let docs = match &field.doc {
        Some(text) => doc(text),
        None => doc(&format!("The `{wire}` property.")),
    };
    let deprecated = deprecated(field.deprecated);
    let bare = field.name.trim_start_matches("r#");
    let rename = (bare != wire).then(|| quote!(rename = #wire,));
    let serde = match (&field.ty, field.optional) {
        (TypeRef::Option(_), true) => {
            quote!(#[serde(#rename default, skip_serializing_if = "Option::is_none")])
        }
        // Required but nullable: always sent, `null` when `None`.
        (TypeRef::Option(_), false) => quote!(#[serde(#rename default)]),
        _ if rename.is_some() => quote!(#[serde(#rename)]),
        _ => TokenStream::new(),
    };
    quote! {
        #docs
        #deprecated
        #serde
        pub #name: #ty,
    }
}

fn enum_def(
    name: &proc_macro2::Ident,
    docs: TokenStream,
    deprecated: TokenStream,
    variants: &[Variant],
) -> TokenStream {
    let decl = variants.iter().map(|v| {
        let variant = ident(&v.name);
        let wire = &v.wire;
        let text = format!("`{wire}`");
        quote! {
            #[doc = #text]
            #[serde(rename = #wire)]
            #variant,
        }
    });
    let arms = variants.iter().map(|v| {
        let variant = ident(&v.name);
        let wire = &v.wire;
        quote!(Self::#variant => #wire,)
    });
    quote! {
        #docs
        #deprecated
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        pub enum #name {
            #(#decl)*
        }

        impl #name {
            /// The value as sent on the wire.
            pub fn as_str(self) -> &'static str {
                match self {
                    #(#arms)*
                }
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    }
}
