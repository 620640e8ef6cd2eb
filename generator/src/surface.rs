//! What a caller sees of an operation or model, decided once from the IR: which parameters are
//! method arguments and which are fields of the `Params` struct, each field's Rust type, what
//! `new` takes and whether `Default` is derived, whether successes get an enum, the method's
//! `Ok` type and how statuses are written.
//!
//! `emit` turns these facts into tokens and `diff` compares them between two versions of a spec,
//! so the breaking-change classification cannot drift from the code that is generated.

use crate::ir::{Ident, Operation, Param, ParamLocation, Response, Status, TypeRef};

/// The path parameters, in path order: the method's leading arguments.
pub fn path_params(op: &Operation) -> impl Iterator<Item = &Param> {
    op.params
        .iter()
        .filter(|p| p.location == ParamLocation::Path)
}

/// The query, header and cookie parameters: the fields of the operation's `Params` struct.
pub fn caller_params(op: &Operation) -> impl Iterator<Item = &Param> {
    op.params
        .iter()
        .filter(|p| p.location != ParamLocation::Path)
}

/// The Rust type of a `Params` field: `Option` unless the parameter is required (a nullable
/// type is already an `Option`).
pub fn field_type(ty: &TypeRef, required: bool) -> TypeRef {
    if required || is_option(ty) {
        ty.clone()
    } else {
        TypeRef::Option(Box::new(ty.clone()))
    }
}

/// The Rust type of `p`'s field in the `Params` struct.
pub fn param_field_type(p: &Param) -> TypeRef {
    field_type(&p.ty, p.required)
}

/// True for `Option<T>`: a field set by a `with_` setter, not an argument of `new`.
pub fn is_option(ty: &TypeRef) -> bool {
    matches!(ty, TypeRef::Option(_))
}

/// Whether a struct with fields of these types derives `Default`: `new` takes nothing.
pub fn derives_default<'a>(types: impl IntoIterator<Item = &'a TypeRef>) -> bool {
    types.into_iter().all(is_option)
}

/// Whether the operation's `Params` struct exists (`Some`) and derives `Default`.
pub fn params_default(op: &Operation) -> Option<bool> {
    let fields: Vec<TypeRef> = caller_params(op).map(param_field_type).collect();
    (!fields.is_empty()).then(|| derives_default(&fields))
}

/// The arguments of a generated `new`, in order: the fields that are not `Option`, as
/// (Rust name, type).
pub fn constructor<'a>(
    fields: impl IntoIterator<Item = (&'a Ident, TypeRef)>,
) -> Vec<(String, TypeRef)> {
    fields
        .into_iter()
        .filter(|(_, ty)| !is_option(ty))
        .map(|(name, ty)| (name.to_string(), ty))
        .collect()
}

/// Successful responses with different bodies get an enum of their own.
pub fn several_successes(success: &[Response]) -> bool {
    success.windows(2).any(|w| w[0].ty != w[1].ty)
}

/// The `Ok` type of an operation's method.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Returns<'a> {
    /// No success carries a body: `()`.
    Unit,
    /// Every success carries this body.
    Body(&'a TypeRef),
    /// Successes carry different bodies: the operation's `<Stem>Success` enum, one variant per
    /// success response.
    Several(&'a Ident),
}

/// The `Ok` type of `op`'s method.
pub fn returns(op: &Operation) -> Returns<'_> {
    if several_successes(&op.success) {
        return Returns::Several(&op.success_type);
    }
    op.success
        .iter()
        .find_map(|r| r.ty.as_ref())
        .map_or(Returns::Unit, Returns::Body)
}

/// `404`, `4XX`, `default`: a status as the spec writes it.
pub fn status_text(status: Status) -> String {
    match status {
        Status::Code(code) => code.to_string(),
        Status::Range(n) => format!("{n}XX"),
        Status::Default => "default".to_owned(),
    }
}

/// A status in documentation prose: `default` reads "any other status".
pub fn status_prose(status: Status) -> String {
    match status {
        Status::Default => "any other status".to_owned(),
        other => status_text(other),
    }
}

/// The fields of the struct `name`, when it is one.
pub fn struct_fields<'a>(api: &'a crate::ir::Api, name: &Ident) -> Option<&'a [crate::ir::Field]> {
    api.types
        .iter()
        .find(|t| t.name == *name)
        .and_then(|t| match &t.kind {
            crate::ir::TypeKind::Struct { fields, .. } => Some(fields.as_slice()),
            _ => None,
        })
}

/// The variants of the union `name` that hold arrays.
pub fn array_variants<'a>(api: &'a crate::ir::Api, name: &Ident) -> Vec<&'a Ident> {
    api.types
        .iter()
        .find(|t| t.name == *name)
        .map(|t| match &t.kind {
            crate::ir::TypeKind::Union { variants, .. } => variants
                .iter()
                .filter(|v| matches!(v.ty, TypeRef::Vec(_)))
                .map(|v| &v.name)
                .collect(),
            _ => Vec::new(),
        })
        .unwrap_or_default()
}
