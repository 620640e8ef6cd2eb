//! `pub mod types`: structs and enums for the spec's schemas.

use super::builder::{constructor_and_setters, has_default, Member};
use super::text::{self, Place};
use super::{doc, type_tokens, Scope};
use crate::ir::{Api, Field, Ident, TypeDef, TypeKind, TypeRef, UnionVariant, Variant};
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
    let name = &def.name;
    let doc_text = format!(
        "{}\n\nFrom `{}` in the spec.",
        def.doc.as_deref().unwrap_or(&def.name.name),
        def.origin
    );
    // Built only where an item goes through tokens (`doc` keeps long text aside).
    let docs = || doc(&doc_text);
    let deprecated = deprecated(def.deprecated);
    match &def.kind {
        TypeKind::Struct { fields, extra } => {
            let debug = text::item(
                Place::TYPES,
                debug_text(name, fields, extra.as_ref()),
                || debug_impl(name, fields, extra.as_ref()),
            );
            let members: Vec<Member> = fields
                .iter()
                .map(|f| Member {
                    name: &f.name,
                    ty: f.ty.clone(),
                    boxed: f.boxed,
                    setter: Some(&f.setter),
                    deprecated: f.deprecated,
                })
                .collect();
            let builder = constructor_and_setters(name, &members, extra.as_ref());
            let has_default = has_default(&members);
            let shape = Struct {
                name,
                doc: &doc_text,
                deprecated: def.deprecated,
                fields,
                extra: extra.as_ref(),
                has_default,
            };
            let definition = text::item(Place::TYPES, struct_text(&shape), || {
                let fields_tokens = fields.iter().map(field);
                let default = has_default.then(|| quote!(Default,));
                let extra = extra.as_ref().map(|extra_name| {
                    quote! {
                        /// Properties the spec does not name, kept as they came.
                        #[serde(flatten)]
                        pub #extra_name: serde_json::Map<String, serde_json::Value>,
                    }
                });
                let docs = docs();
                quote! {
                    #docs
                    #deprecated
                    #[derive(Clone, #default PartialEq, serde::Serialize, serde::Deserialize)]
                    #[non_exhaustive]
                    pub struct #name {
                        #(#fields_tokens)*
                        #extra
                    }
                }
            });
            quote! {
                #definition
                #builder
                #debug
            }
        }
        TypeKind::Enum { variants, unknown } => text::items(
            Place::TYPES,
            enum_texts(name, &doc_text, def.deprecated, variants, unknown),
            || enum_def(name, docs(), deprecated, variants, unknown),
        ),
        TypeKind::IntEnum { variants, unknown } => {
            int_enum_def(name, docs(), deprecated, variants, unknown)
        }
        TypeKind::Union {
            variants,
            discriminator,
            scalar,
        } => {
            let union = union_def(name, docs(), deprecated, variants, discriminator.as_ref());
            let display = scalar.then(|| scalar_display(name, variants));
            quote! { #union #display }
        }
        TypeKind::Alias(target) => {
            let target = type_tokens(target, Scope::Types);
            let docs = docs();
            quote! {
                #docs
                #deprecated
                pub type #name = #target;
            }
        }
    }
}

/// What a struct definition is written from.
struct Struct<'a> {
    name: &'a Ident,
    doc: &'a str,
    deprecated: bool,
    fields: &'a [Field],
    extra: Option<&'a Ident>,
    has_default: bool,
}

/// The struct definition as text (what [`field`] and `type_def` make of it).
fn struct_text(shape: &Struct) -> Option<String> {
    if shape.fields.is_empty() && shape.extra.is_none() {
        return None;
    }
    let mut w = Place::TYPES.writer();
    w.doc(0, shape.doc);
    if shape.deprecated {
        w.line(0, &["#[deprecated]"]);
    }
    let default = if shape.has_default { "Default, " } else { "" };
    w.line(
        0,
        &[
            "#[derive(Clone, ",
            default,
            "PartialEq, serde::Serialize, serde::Deserialize)]",
        ],
    );
    w.line(0, &["#[non_exhaustive]"]);
    w.line(0, &["pub struct ", &shape.name.name, " {"]);
    for f in shape.fields {
        match &f.doc {
            Some(text) => w.doc(1, text),
            None => w.doc(1, &format!("The `{}` property.", f.wire)),
        }
        if f.deprecated {
            w.line(1, &["#[deprecated]"]);
        }
        let mut serde = Vec::new();
        if f.name.name != f.wire {
            serde.push(format!("rename = {}", text::string(&f.wire)));
        }
        if let TypeRef::Option(_) = &f.ty {
            serde.push("default".to_owned());
            if f.optional {
                serde.push("skip_serializing_if = \"Option::is_none\"".to_owned());
            }
        }
        if !serde.is_empty() {
            serde_attribute(&mut w, &serde);
        }
        let ty = match (&f.ty, f.boxed) {
            (TypeRef::Option(inner), true) => {
                format!("Option<Box<{}>>", super::type_text(inner, Scope::Types))
            }
            (other, true) => format!("Box<{}>", super::type_text(other, Scope::Types)),
            (other, false) => super::type_text(other, Scope::Types),
        };
        w.line(1, &["pub ", &f.name.name, ": ", &ty, ","]);
    }
    if let Some(extra) = shape.extra {
        w.doc_line(1, " Properties the spec does not name, kept as they came.");
        w.line(1, &["#[serde(flatten)]"]);
        w.line(
            1,
            &[
                "pub ",
                &extra.name,
                ": serde_json::Map<String, serde_json::Value>,",
            ],
        );
    }
    w.line(0, &["}"]);
    w.finish()
}

/// A field's `#[serde(...)]` in the layouts prettyplease gives it: on one line when it fits,
/// else one argument a line. Its arguments are one box, measured up to the break after the
/// attribute, so the closing `)]` counts: the box breaks exactly when the line would not fit.
fn serde_attribute(w: &mut text::Writer, arguments: &[String]) {
    let one_line = format!("#[serde({})]", arguments.join(", "));
    if one_line.len() <= w.room(1) || arguments.len() < 2 {
        // It fits, or (one long argument) the line fails the item.
        return w.line(1, &[&one_line]);
    }
    w.line(1, &["#[serde("]);
    for (i, argument) in arguments.iter().enumerate() {
        let comma = if i + 1 < arguments.len() { "," } else { "" };
        w.unbreakable(2, &[argument, comma]);
    }
    w.line(1, &[")]"]);
}

/// [`debug_impl`] as text, in the layouts prettyplease gives the call: on one line, one
/// argument a line, and then the entries on one line or one a line.
fn debug_text(name: &Ident, fields: &[Field], extra: Option<&Ident>) -> Option<String> {
    let entries: Vec<String> = fields
        .iter()
        .map(|f| {
            format!(
                "({}, {}, &self.{})",
                text::string(&f.name.name),
                text::string(&f.wire),
                f.name
            )
        })
        .collect();
    let extra = match extra {
        Some(field) => format!("Some(({}, &self.{field}))", text::string(&field.name)),
        None => "None".to_owned(),
    };
    let shown = text::string(&name.name);
    let array = format!("&[{}]", entries.join(", "));
    let call = format!("crate::runtime::debug_model(f, {shown}, {array}, {extra})");
    let mut w = Place::TYPES.writer();
    w.line(0, &["impl std::fmt::Debug for ", &name.name, " {"]);
    if fields.iter().any(|f| f.deprecated) {
        w.line(1, &["#[allow(deprecated)]"]);
    }
    w.line(
        1,
        &["fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {"],
    );
    let call_indent = (Place::TYPES.depth + 2) * 4;
    if call_indent + call.len() <= text::FITS {
        w.line(2, &[&call]);
    } else {
        w.line(2, &["crate::runtime::debug_model("]);
        w.line(3, &["f,"]);
        w.line(3, &[&shown, ","]);
        // The array and the comma after it (another argument follows).
        let array_width = call_indent + 4 + array.len() + 1;
        if array_width <= text::FITS || entries.is_empty() {
            w.line(3, &[&array, ","]);
        } else {
            w.line(3, &["&["]);
            for (i, (entry, f)) in entries.iter().zip(fields).enumerate() {
                // The last entry's comma is printed only because the list broke: it does
                // not count towards the width.
                let comma = usize::from(i + 1 < entries.len());
                if call_indent + 8 + entry.len() + comma <= text::FITS {
                    w.line(4, &[entry, ","]);
                } else {
                    w.line(4, &["("]);
                    w.line(5, &[&text::string(&f.name.name), ","]);
                    w.line(5, &[&text::string(&f.wire), ","]);
                    w.line(5, &["&self.", &f.name.name, ","]);
                    w.line(4, &["),"]);
                }
            }
            w.line(3, &["],"]);
        }
        w.line(3, &[&extra, ","]);
        w.line(2, &[")"]);
    }
    w.line(1, &["}"]);
    w.line(0, &["}"]);
    w.finish()
}

/// A string enum's definition and impls as text, one item each (what [`enum_def`] makes).
fn enum_texts(
    name: &Ident,
    doc: &str,
    deprecated: bool,
    variants: &[Variant],
    unknown: &Ident,
) -> Option<Vec<String>> {
    let name = &name.name;
    let unknown = &unknown.name;
    let mut decl = Place::TYPES.writer();
    decl.doc(0, doc);
    if deprecated {
        decl.line(0, &["#[deprecated]"]);
    }
    decl.line(0, &["#[derive(Debug, Clone, PartialEq, Eq, Hash)]"]);
    decl.line(0, &["#[non_exhaustive]"]);
    decl.line(0, &["pub enum ", name, " {"]);
    for v in variants {
        decl.doc_line(1, &format!("`{}`", v.wire));
        decl.line(1, &[&v.name.name, ","]);
    }
    decl.doc_line(
        1,
        " A value the spec does not list (kept, so a new server-side value is not an error).",
    );
    decl.line(1, &[unknown, "(String),"]);
    decl.line(0, &["}"]);

    let mut as_str = Place::TYPES.writer();
    as_str.line(0, &["impl ", name, " {"]);
    as_str.doc_line(1, " The value as sent on the wire.");
    as_str.line(1, &["pub fn as_str(&self) -> &str {"]);
    as_str.line(2, &["match self {"]);
    for v in variants {
        as_str.line(
            3,
            &["Self::", &v.name.name, " => ", &text::string(&v.wire), ","],
        );
    }
    as_str.line(3, &["Self::", unknown, "(value) => value,"]);
    as_str.line(2, &["}"]);
    as_str.line(1, &["}"]);
    as_str.line(0, &["}"]);

    let mut from = Place::TYPES.writer();
    from.line(0, &["impl From<&str> for ", name, " {"]);
    from.line(1, &["fn from(value: &str) -> Self {"]);
    if variants.is_empty() {
        from.line(2, &["Self::", unknown, "(value.to_owned())"]);
    } else {
        from.line(2, &["match value {"]);
        for v in variants {
            from.line(
                3,
                &[&text::string(&v.wire), " => Self::", &v.name.name, ","],
            );
        }
        from.line(3, &["other => Self::", unknown, "(other.to_owned()),"]);
        from.line(2, &["}"]);
    }
    from.line(1, &["}"]);
    from.line(0, &["}"]);

    let mut display = Place::TYPES.writer();
    display.line(0, &["impl std::fmt::Display for ", name, " {"]);
    display.line(
        1,
        &["fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {"],
    );
    display.line(2, &["f.write_str(self.as_str())"]);
    display.line(1, &["}"]);
    display.line(0, &["}"]);

    // The signatures below are wider than the margin at this depth, so prettyplease breaks
    // them this way whatever the name.
    let mut serialize = Place::TYPES.writer();
    serialize.line(0, &["impl serde::Serialize for ", name, " {"]);
    for line in [
        "    fn serialize<S: serde::Serializer>(",
        "        &self,",
        "        serializer: S,",
        "    ) -> Result<S::Ok, S::Error> {",
        "        serializer.serialize_str(self.as_str())",
        "    }",
        "}",
    ] {
        serialize.line(0, &[line]);
    }
    let mut deserialize = Place::TYPES.writer();
    deserialize.line(0, &["impl<'de> serde::Deserialize<'de> for ", name, " {"]);
    for line in [
        "    fn deserialize<D: serde::Deserializer<'de>>(",
        "        deserializer: D,",
        "    ) -> Result<Self, D::Error> {",
        "        let value = <std::borrow::Cow<",
        "            'de,",
        "            str,",
        "        > as serde::Deserialize>::deserialize(deserializer)?;",
        "        Ok(Self::from(value.as_ref()))",
        "    }",
        "}",
    ] {
        deserialize.line(0, &[line]);
    }
    [decl, as_str, from, display, serialize, deserialize]
        .into_iter()
        .map(text::Writer::finish)
        .collect()
}

/// `Debug` that redacts secret-named members (fields and unnamed properties), as error
/// excerpts do: one call into the runtime, which owns the rule.
fn debug_impl(name: &Ident, fields: &[Field], extra: Option<&Ident>) -> TokenStream {
    let shown = &name.name;
    let entries = fields.iter().map(|f| {
        let field = &f.name;
        let label = &f.name.name;
        let wire = &f.wire;
        quote!((#label, #wire, &self.#field))
    });
    let extra = match extra {
        Some(field) => {
            let label = &field.name;
            quote!(Some((#label, &self.#field)))
        }
        None => quote!(None),
    };
    let allow = fields
        .iter()
        .any(|f| f.deprecated)
        .then(|| quote!(#[allow(deprecated)]));
    quote! {
        impl std::fmt::Debug for #name {
            #allow
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                crate::runtime::debug_model(f, #shown, &[#(#entries),*], #extra)
            }
        }
    }
}

fn field(field: &Field) -> TokenStream {
    let name = &field.name;
    let ty = boxed_type(&field.ty, field.boxed);
    let wire = &field.wire;
    let docs = match &field.doc {
        Some(text) => doc(text),
        None => doc(&format!("The `{wire}` property.")),
    };
    let deprecated = deprecated(field.deprecated);
    let rename = (field.name.name != *wire).then(|| quote!(rename = #wire,));
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

/// The Rust type, with a `Box` inside any `Option` when the type contains itself.
fn boxed_type(ty: &TypeRef, boxed: bool) -> TokenStream {
    match (ty, boxed) {
        (TypeRef::Option(inner), true) => {
            let inner = type_tokens(inner, Scope::Types);
            quote!(Option<Box<#inner>>)
        }
        (other, true) => {
            let inner = type_tokens(other, Scope::Types);
            quote!(Box<#inner>)
        }
        (other, false) => type_tokens(other, Scope::Types),
    }
}

fn enum_def(
    name: &Ident,
    docs: TokenStream,
    deprecated: TokenStream,
    variants: &[Variant],
    unknown: &Ident,
) -> TokenStream {
    let decl = variants.iter().map(|v| {
        let variant = &v.name;
        let text = format!("`{}`", v.wire);
        quote! {
            #[doc = #text]
            #variant,
        }
    });
    let to_wire = variants.iter().map(|v| {
        let variant = &v.name;
        let wire = &v.wire;
        quote!(Self::#variant => #wire,)
    });
    // With no known value (`enum: [null]`), a `match` would have one arm (clippy's
    // `match_single_binding`).
    let from_body = if variants.is_empty() {
        quote!(Self::#unknown(value.to_owned()))
    } else {
        let from_wire = variants.iter().map(|v| {
            let variant = &v.name;
            let wire = &v.wire;
            quote!(#wire => Self::#variant,)
        });
        quote! {
            match value {
                #(#from_wire)*
                other => Self::#unknown(other.to_owned()),
            }
        }
    };
    quote! {
        #docs
        #deprecated
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #(#decl)*
            /// A value the spec does not list (kept, so a new server-side value is not an error).
            #unknown(String),
        }

        impl #name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#to_wire)*
                    Self::#unknown(value) => value,
                }
            }
        }

        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                #from_body
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(deserializer)?;
                Ok(Self::from(value.as_ref()))
            }
        }
    }
}

fn int_enum_def(
    name: &Ident,
    docs: TokenStream,
    deprecated: TokenStream,
    variants: &[(i64, Ident)],
    unknown: &Ident,
) -> TokenStream {
    let decl = variants.iter().map(|(value, variant)| {
        let text = format!("`{value}`");
        quote! {
            #[doc = #text]
            #variant,
        }
    });
    let to_wire = variants.iter().map(|(value, variant)| {
        let value = proc_macro2::Literal::i64_unsuffixed(*value);
        quote!(Self::#variant => #value,)
    });
    let from_wire = variants.iter().map(|(value, variant)| {
        let value = proc_macro2::Literal::i64_unsuffixed(*value);
        quote!(#value => Self::#variant,)
    });
    quote! {
        #docs
        #deprecated
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #(#decl)*
            /// A value the spec does not list (kept, so a new server-side value is not an error).
            #unknown(i64),
        }

        impl #name {
            /// The value as sent on the wire.
            pub fn value(self) -> i64 {
                match self {
                    #(#to_wire)*
                    Self::#unknown(value) => value,
                }
            }
        }

        impl From<i64> for #name {
            fn from(value: i64) -> Self {
                match value {
                    #(#from_wire)*
                    other => Self::#unknown(other),
                }
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{}", self.value())
            }
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_i64(self.value())
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                i64::deserialize(deserializer).map(Self::from)
            }
        }
    }
}

/// `Display` for a union of scalars: the value as sent in a path, query or header.
fn scalar_display(name: &Ident, variants: &[UnionVariant]) -> TokenStream {
    let arms = variants.iter().map(|v| {
        let variant = &v.name;
        let plain = match &v.ty {
            TypeRef::Option(inner) => inner.as_ref(),
            other => other,
        };
        let write = |ty: &TypeRef| match ty {
            TypeRef::DateTime => quote!(f.write_str(&value.to_rfc3339())),
            _ => quote!(std::fmt::Display::fmt(value, f)),
        };
        match plain {
            // Arrays comma-separated, as `explode: false` sends them.
            TypeRef::Vec(item) => {
                let one = write(item);
                quote!(Self::#variant(items) => {
                    for (n, value) in items.iter().enumerate() {
                        if n > 0 {
                            f.write_str(",")?;
                        }
                        #one?;
                    }
                    Ok(())
                })
            }
            other => {
                let one = write(other);
                quote!(Self::#variant(value) => #one,)
            }
        }
    });
    quote! {
        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                match self {
                    #(#arms)*
                }
            }
        }
    }
}

fn union_def(
    name: &Ident,
    docs: TokenStream,
    deprecated: TokenStream,
    variants: &[UnionVariant],
    discriminator: Option<&(String, Vec<(String, usize)>)>,
) -> TokenStream {
    let decl = variants.iter().map(|v| {
        let variant = &v.name;
        let ty = boxed_type(&v.ty, v.boxed);
        let text = format!(" The value is a {}.", v.name);
        quote! {
            #[doc = #text]
            #variant(#ty),
        }
    });
    let Some((property, pairs)) = discriminator else {
        return quote! {
            #docs
            ///
            /// Decoding tries the variants in order and takes the first that fits.
            #deprecated
            #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
            #[serde(untagged)]
            #[non_exhaustive]
            pub enum #name {
                #(#decl)*
            }
        };
    };
    let arms = pairs.iter().filter_map(|(value, index)| {
        let v = variants.get(*index)?;
        let variant = &v.name;
        let wrap = if v.boxed {
            quote!(|v| Self::#variant(Box::new(v)))
        } else {
            quote!(Self::#variant)
        };
        Some(quote!(Some(#value) => serde_json::from_value(value).map(#wrap),))
    });
    let doc_text = format!(" The variant is chosen by the `{property}` property.");
    quote! {
        #docs
        ///
        #[doc = #doc_text]
        #deprecated
        #[derive(Debug, Clone, PartialEq, serde::Serialize)]
        #[serde(untagged)]
        #[non_exhaustive]
        pub enum #name {
            #(#decl)*
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = serde_json::Value::deserialize(deserializer)?;
                let tag = value.get(#property).and_then(serde_json::Value::as_str).map(str::to_owned);
                let decoded = match tag.as_deref() {
                    #(#arms)*
                    Some(other) => return Err(serde::de::Error::custom(format_args!("unknown {} {other:?}", #property))),
                    None => return Err(serde::de::Error::missing_field(#property)),
                };
                decoded.map_err(serde::de::Error::custom)
            }
        }
    }
}
