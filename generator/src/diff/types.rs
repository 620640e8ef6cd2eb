//! Changes to the named types in `types`: structs and their fields, enums, unions, aliases.

use super::rust::{renamed as renamed_ty, reordered, type_text, Renames};
use super::{pair_renames, Change, Rule};
use crate::ir::{Api, Field, TypeDef, TypeKind, TypeRef};
use crate::surface::{constructor, is_option};

/// Types that disappeared under one name and reappeared, identical, under another.
pub fn renamed(old: &Api, new: &Api) -> Renames {
    let mut removed: Vec<&TypeDef> = old
        .types
        .iter()
        .filter(|t| !new.types.iter().any(|n| n.name == t.name))
        .collect();
    let mut added: Vec<&TypeDef> = new
        .types
        .iter()
        .filter(|n| !old.types.iter().any(|t| t.name == n.name))
        .collect();
    pair_renames(&mut removed, &mut added, |a, b| a.kind == b.kind)
        .into_iter()
        .map(|(a, b)| (a.name.to_string(), b.name.to_string()))
        .collect()
}

fn subject(def: &TypeDef) -> String {
    format!("`types::{}`", def.name)
}

pub fn compare(old: &Api, new: &Api, renames: &Renames, out: &mut Vec<Change>) {
    for (was, now) in renames {
        out.push(Change::new(
            Rule::TypeRenamed,
            format!("`types::{was}`"),
            format!("renamed to `types::{now}`"),
        ));
    }
    for def in &old.types {
        let name = renames
            .get(&def.name.to_string())
            .cloned()
            .unwrap_or_else(|| def.name.to_string());
        match new.types.iter().find(|n| n.name.to_string() == name) {
            Some(now) => compare_def(def, now, renames, out),
            None => out.push(Change::new(Rule::TypeRemoved, subject(def), "removed")),
        }
    }
    for def in &new.types {
        let known = old.types.iter().any(|o| o.name == def.name)
            || renames.values().any(|n| *n == def.name.to_string());
        if !known {
            out.push(Change::new(
                Rule::TypeAdded,
                subject(def),
                format!("added (from `{}`)", def.origin),
            ));
        }
    }
}

fn kind_name(kind: &TypeKind) -> &'static str {
    match kind {
        TypeKind::Struct { .. } => "struct",
        TypeKind::Enum { .. } | TypeKind::IntEnum { .. } => "enum",
        TypeKind::Union { .. } => "union enum",
        TypeKind::Alias(_) => "type alias",
    }
}

fn compare_def(old: &TypeDef, new: &TypeDef, renames: &Renames, out: &mut Vec<Change>) {
    if old.deprecated != new.deprecated {
        let how = if new.deprecated {
            "deprecated"
        } else {
            "no longer deprecated"
        };
        out.push(Change::new(Rule::Deprecation, subject(new), how));
    }
    match (&old.kind, &new.kind) {
        (
            TypeKind::Struct {
                fields: a,
                extra: oa,
            },
            TypeKind::Struct {
                fields: b,
                extra: ob,
            },
        ) => {
            compare_fields(new, a, b, renames, out);
            if oa.is_some() != ob.is_some() {
                let (rule, how) = if ob.is_some() {
                    (Rule::FieldAdded, "added")
                } else {
                    (Rule::FieldRemoved, "removed")
                };
                out.push(Change::new(
                    rule,
                    subject(new),
                    format!("field for unnamed properties (`additionalProperties`) {how}"),
                ));
            }
        }
        (TypeKind::Enum { variants: a, .. }, TypeKind::Enum { variants: b, .. }) => {
            let a: Vec<(String, String)> = a
                .iter()
                .map(|v| (v.wire.clone(), v.name.to_string()))
                .collect();
            let b: Vec<(String, String)> = b
                .iter()
                .map(|v| (v.wire.clone(), v.name.to_string()))
                .collect();
            compare_values(new, &a, &b, out);
        }
        (TypeKind::IntEnum { variants: a, .. }, TypeKind::IntEnum { variants: b, .. }) => {
            let a: Vec<(String, String)> = a
                .iter()
                .map(|(v, n)| (v.to_string(), n.to_string()))
                .collect();
            let b: Vec<(String, String)> = b
                .iter()
                .map(|(v, n)| (v.to_string(), n.to_string()))
                .collect();
            compare_values(new, &a, &b, out);
        }
        (TypeKind::Union { variants: a, .. }, TypeKind::Union { variants: b, .. }) => {
            for v in a {
                match b.iter().find(|n| n.name == v.name) {
                    None => out.push(Change::new(
                        Rule::UnionVariantRemoved,
                        subject(new),
                        format!("variant `{}` removed", v.name),
                    )),
                    Some(n) if renamed_ty(&v.ty, renames) != n.ty => out.push(Change::new(
                        Rule::UnionVariantRemoved,
                        subject(new),
                        format!(
                            "variant `{}` carries `{}` instead of `{}`",
                            v.name,
                            type_text(&n.ty),
                            type_text(&v.ty)
                        ),
                    )),
                    Some(_) => {}
                }
            }
            for v in b.iter().filter(|v| !a.iter().any(|o| o.name == v.name)) {
                out.push(Change::new(
                    Rule::UnionVariantAdded,
                    subject(new),
                    format!("variant `{}({})` added", v.name, type_text(&v.ty)),
                ));
            }
        }
        (TypeKind::Alias(a), TypeKind::Alias(b)) => {
            if renamed_ty(a, renames) != *b {
                out.push(Change::new(
                    Rule::FieldType,
                    subject(new),
                    format!("alias of `{}` -> `{}`", type_text(a), type_text(b)),
                ));
            }
        }
        (a, b) => out.push(Change::new(
            Rule::TypeShape,
            subject(new),
            format!("{} -> {}", kind_name(a), kind_name(b)),
        )),
    }
}

/// Enum values as (wire value, Rust variant).
fn compare_values(
    def: &TypeDef,
    old: &[(String, String)],
    new: &[(String, String)],
    out: &mut Vec<Change>,
) {
    for (wire, name) in old {
        match new.iter().find(|(w, _)| w == wire) {
            None => out.push(Change::new(
                Rule::EnumValueRemoved,
                subject(def),
                format!("value `{wire}` (`{name}`) removed"),
            )),
            Some((_, now)) if now != name => out.push(Change::new(
                Rule::EnumValueRemoved,
                subject(def),
                format!("value `{wire}`: variant `{name}` renamed to `{now}`"),
            )),
            Some(_) => {}
        }
    }
    for (wire, name) in new.iter().filter(|(w, _)| !old.iter().any(|(o, _)| o == w)) {
        out.push(Change::new(
            Rule::EnumValueAdded,
            subject(def),
            format!("value `{wire}` (`{name}`) added"),
        ));
    }
}

fn field_subject(def: &TypeDef, field: &Field) -> String {
    format!("field `{}` of `types::{}`", field.name, def.name)
}

/// What differs between two Rust types of a field, in words.
fn type_change(old: &TypeRef, new: &TypeRef) -> String {
    let nullability = match (old, new) {
        (TypeRef::Option(a), b) if **a == *b => " (no longer nullable)",
        (a, TypeRef::Option(b)) if *a == **b => " (now nullable)",
        _ => "",
    };
    format!("`{}` -> `{}`{nullability}", type_text(old), type_text(new))
}

fn compare_fields(
    def: &TypeDef,
    old: &[Field],
    new: &[Field],
    renames: &Renames,
    out: &mut Vec<Change>,
) {
    let mut removed: Vec<&Field> = old
        .iter()
        .filter(|f| !new.iter().any(|n| n.wire == f.wire))
        .collect();
    let mut added: Vec<&Field> = new
        .iter()
        .filter(|n| !old.iter().any(|f| f.wire == n.wire))
        .collect();
    let pairs = pair_renames(&mut removed, &mut added, |a, b| {
        a.optional == b.optional && renamed_ty(&a.ty, renames) == b.ty
    });
    for (was, now) in pairs {
        out.push(Change::new(
            Rule::FieldRenamed,
            field_subject(def, was),
            format!(
                "renamed to `{}` (`{}` -> `{}` on the wire)",
                now.name, was.wire, now.wire
            ),
        ));
    }
    for f in removed {
        out.push(Change::new(
            Rule::FieldRemoved,
            field_subject(def, f),
            format!("removed (`{}`)", f.wire),
        ));
    }
    for f in added {
        let required = if f.optional { "optional" } else { "required" };
        // `new` takes the fields that are not `Option` (nullable ones are set by setters).
        let rule = if is_option(&f.ty) {
            Rule::FieldAdded
        } else {
            Rule::RequiredFieldAdded
        };
        out.push(Change::new(
            rule,
            field_subject(def, f),
            format!("added, {required} `{}`: `{}`", f.wire, type_text(&f.ty)),
        ));
    }
    let arguments = |fields: &[Field]| constructor(fields.iter().map(|f| (&f.name, f.ty.clone())));
    if let Some((was, now)) = reordered(&arguments(old), &arguments(new)) {
        out.push(Change::new(
            Rule::ConstructorOrder,
            format!("`types::{}::new`", def.name),
            format!("arguments `{was}` -> `{now}`"),
        ));
    }
    for was in old {
        let Some(now) = new.iter().find(|n| n.wire == was.wire) else {
            continue;
        };
        let old_ty = renamed_ty(&was.ty, renames);
        if was.name != now.name {
            out.push(Change::new(
                Rule::FieldRenamed,
                field_subject(def, was),
                format!("renamed to `{}`", now.name),
            ));
        }
        if was.optional != now.optional {
            let how = if now.optional {
                "now optional"
            } else {
                "now required"
            };
            if old_ty == now.ty {
                out.push(Change::new(
                    Rule::FieldPresence,
                    field_subject(def, now),
                    format!("{how}; stays `{}`", type_text(&now.ty)),
                ));
            } else {
                out.push(Change::new(
                    Rule::FieldRequirement,
                    field_subject(def, now),
                    format!("{how}: {}", type_change(&old_ty, &now.ty)),
                ));
            }
        } else if old_ty != now.ty {
            out.push(Change::new(
                Rule::FieldType,
                field_subject(def, now),
                type_change(&old_ty, &now.ty),
            ));
        }
        if was.deprecated != now.deprecated {
            let how = if now.deprecated {
                "deprecated"
            } else {
                "no longer deprecated"
            };
            out.push(Change::new(Rule::Deprecation, field_subject(def, now), how));
        }
    }
}
