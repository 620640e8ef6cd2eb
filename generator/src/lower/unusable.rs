//! Component schemas the generator cannot lower (an `allOf` whose parts conflict, say) do not
//! refuse the spec: each is one located warning, and only the operations that use it, directly
//! or through other schemas, are skipped.

use crate::diagnostic::{Diagnostic, Findings, Severity};
use crate::ir::{TypeDef, TypeKind, TypeRef};
use std::collections::HashMap;

/// Replaces the unsupported findings made since `mark`, while lowering component `key`, by
/// warnings that say the schema is not generated; true if there were any.
pub fn defer(findings: &mut Findings, mark: usize, key: &str) -> bool {
    let mut any = false;
    for finding in &mut findings.0[mark..] {
        if finding.severity != Severity::Unsupported {
            continue;
        }
        any = true;
        let help = finding.help.clone().unwrap_or_default();
        *finding = Diagnostic::new(
            finding.pointer.clone(),
            format!(
                "{}; schema `{key}` is not generated, and the operations using it are skipped",
                finding.message
            ),
        )
        .help(format!(
            "{help}; the rest of the spec is generated (`--strict` makes this an error)"
        ))
        .warning();
    }
    any
}

/// Every type that holds an unusable one, at any depth, mapped to the component key of the
/// unusable schema it holds; `broken` maps the unusable types' Rust names to their keys.
pub fn spread(types: &[TypeDef], broken: HashMap<String, String>) -> HashMap<String, String> {
    let mut unusable = broken;
    if unusable.is_empty() {
        return unusable;
    }
    // Each pass adds the holders of what the last one found; a chain of N types takes N passes.
    loop {
        let mut added = false;
        for def in types {
            if unusable.contains_key(&def.name.name) {
                continue;
            }
            let mut names = Vec::new();
            match &def.kind {
                TypeKind::Struct { fields, .. } => {
                    fields.iter().for_each(|f| names_in(&f.ty, &mut names))
                }
                TypeKind::Union { variants, .. } => {
                    variants.iter().for_each(|v| names_in(&v.ty, &mut names))
                }
                TypeKind::Alias(ty) => names_in(ty, &mut names),
                TypeKind::Enum { .. } | TypeKind::IntEnum { .. } => {}
            }
            if let Some(root) = names.iter().find_map(|n| unusable.get(n)).cloned() {
                unusable.insert(def.name.name.clone(), root);
                added = true;
            }
        }
        if !added {
            return unusable;
        }
    }
}

fn names_in(ty: &TypeRef, out: &mut Vec<String>) {
    match ty {
        TypeRef::Named(name) => out.push(name.name.clone()),
        TypeRef::Option(inner) | TypeRef::Vec(inner) | TypeRef::Map(inner) => names_in(inner, out),
        _ => {}
    }
}
