//! How the emitter spells things, for messages and for comparing what callers see.
//!
//! Kept next to the diff (rather than reusing `emit`'s token streams) because the diff needs
//! short readable text and a few derived facts, not tokens.

use crate::ir::{Operation, ParamLocation, Status, TypeRef};
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

/// The Rust type of a caller parameter's field (`Option` for optional ones).
pub fn param_field_type(ty: &TypeRef, required: bool) -> TypeRef {
    if required || matches!(ty, TypeRef::Option(_)) {
        ty.clone()
    } else {
        TypeRef::Option(Box::new(ty.clone()))
    }
}

/// The method's `Ok` type, as the emitter decides it: one body type, `()` without one, or the
/// operation's `<Stem>Success` enum when successes carry different types.
pub fn return_type(op: &Operation, renames: &Renames) -> String {
    let several = op.success.windows(2).any(|w| w[0].ty != w[1].ty);
    if several {
        let arms: Vec<String> = op
            .success
            .iter()
            .map(|r| {
                let ty = r.ty.as_ref().map(|t| type_text(&renamed(t, renames)));
                format!("{}({})", r.variant, ty.unwrap_or_default())
            })
            .collect();
        return format!("{} {{ {} }}", op.success_type, arms.join(", "));
    }
    op.success
        .iter()
        .find_map(|r| r.ty.as_ref())
        .map_or_else(|| "()".to_owned(), |t| type_text(&renamed(t, renames)))
}

/// Whether the operation's `Params` struct exists and derives `Default` (no field that `new`
/// takes: every field is an `Option`).
pub fn params_default(op: &Operation) -> Option<bool> {
    let mut params = op
        .params
        .iter()
        .filter(|p| p.location != ParamLocation::Path)
        .peekable();
    params.peek()?;
    Some(params.all(|p| is_option(&param_field_type(&p.ty, p.required))))
}

/// True for `Option<T>`: a field set by a setter, not an argument of `new`.
pub fn is_option(ty: &TypeRef) -> bool {
    matches!(ty, TypeRef::Option(_))
}

/// The arguments of a generated `new`, in order: the fields that are not `Option`, as
/// (Rust name, type).
pub fn constructor<'a>(
    fields: impl IntoIterator<Item = (&'a crate::ir::Ident, TypeRef)>,
) -> Vec<(String, TypeRef)> {
    fields
        .into_iter()
        .filter(|(_, ty)| !is_option(ty))
        .map(|(name, ty)| (name.to_string(), ty))
        .collect()
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

/// `404`, `4XX`, `default`.
pub fn status_text(status: Status) -> String {
    match status {
        Status::Code(code) => code.to_string(),
        Status::Range(n) => format!("{n}XX"),
        Status::Default => "default".to_owned(),
    }
}
