//! What callers see, written as short readable text for the diff's messages. The facts
//! themselves (field types, constructors, `Default`, return types) come from `crate::surface`,
//! which emit reads too; this module only spells them.

use crate::ir::{Operation, TypeRef};
use crate::surface::{self, Returns};
use std::collections::BTreeMap;

/// Old type name -> new type name, for types renamed without other change.
pub type Renames = BTreeMap<String, String>;

/// `ty` as a caller writes it.
pub fn type_text(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Bool => "bool".into(),
        TypeRef::I32 => "i32".into(),
        TypeRef::I64 => "i64".into(),
        TypeRef::F32 => "f32".into(),
        TypeRef::F64 => "f64".into(),
        TypeRef::String => "String".into(),
        TypeRef::Secret => "Secret".into(),
        TypeRef::DateTime => "DateTime<Utc>".into(),
        TypeRef::Date => "NaiveDate".into(),
        TypeRef::Json => "serde_json::Value".into(),
        TypeRef::Bytes => "Vec<u8>".into(),
        TypeRef::Named(name) => format!("types::{name}"),
        TypeRef::Vec(inner) => format!("Vec<{}>", type_text(inner)),
        TypeRef::Map(inner) => format!("BTreeMap<String, {}>", type_text(inner)),
        TypeRef::Option(inner) => format!("Option<{}>", type_text(inner)),
    }
}

/// `ty` with old names of renamed types replaced by the new ones, so a rename is reported once
/// (as the type's rename) and not again at every use.
pub fn renamed(ty: &TypeRef, renames: &Renames) -> TypeRef {
    let boxed = |inner: &TypeRef| Box::new(renamed(inner, renames));
    match ty {
        TypeRef::Named(name) => TypeRef::Named(
            renames
                .get(&name.to_string())
                .map_or_else(|| name.clone(), |now| crate::ir::Ident::new(now.clone())),
        ),
        TypeRef::Vec(inner) => TypeRef::Vec(boxed(inner)),
        TypeRef::Map(inner) => TypeRef::Map(boxed(inner)),
        TypeRef::Option(inner) => TypeRef::Option(boxed(inner)),
        other => other.clone(),
    }
}

/// The method's `Ok` type as text, from the surface emit generates: one body type, `()` without
/// one, or the operation's `<Stem>Success` enum (with its arms, so a change of arm shows).
pub fn return_type(op: &Operation, renames: &Renames) -> String {
    match surface::returns(op) {
        Returns::Unit => "()".to_owned(),
        Returns::Body(ty) => type_text(&renamed(ty, renames)),
        Returns::Several(name) => {
            let arms: Vec<String> = op
                .success
                .iter()
                .map(|r| {
                    let ty = r.ty.as_ref().map(|t| type_text(&renamed(t, renames)));
                    format!("{}({})", r.variant, ty.unwrap_or_default())
                })
                .collect();
            format!("{name} {{ {} }}", arms.join(", "))
        }
    }
}

/// When `new` takes the same arguments as before but in another order: the order before and
/// after, as text.
pub fn reordered(old: &[(String, TypeRef)], new: &[(String, TypeRef)]) -> Option<(String, String)> {
    let names =
        |args: &[(String, TypeRef)]| args.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    let (was, now) = (names(old), names(new));
    let mut sorted = (was.clone(), now.clone());
    sorted.0.sort();
    sorted.1.sort();
    (was != now && sorted.0 == sorted.1).then(|| (was.join(", "), now.join(", ")))
}
