//! Upper bounds of the in-memory size of generated types, to box the enum variants clippy's
//! `large_enum_variant` would flag (variants whose sizes differ by 200 bytes or more). Sizes
//! are over-estimated (every scalar padded to 8 bytes, every `Option` given its own tag), so a
//! variant estimated small is small.

use crate::ir::{Operation, TypeDef, TypeKind, TypeRef};
use std::collections::HashMap;

/// Variants estimated above this are boxed. Every unboxed variant is then at most this big
/// and a boxed one is 8 bytes, so no two differ by the lint's 200 bytes.
const LARGE: usize = 128;

/// Deeper nesting than this counts as large (and stops cycles).
const MAX_DEPTH: usize = 64;

struct Sizes<'t> {
    types: &'t [TypeDef],
    index: HashMap<&'t str, usize>,
    memo: HashMap<usize, usize>,
}

impl<'t> Sizes<'t> {
    fn new(types: &'t [TypeDef]) -> Self {
        let index = types
            .iter()
            .enumerate()
            .map(|(i, d)| (d.name.name.as_str(), i))
            .collect();
        Self {
            types,
            index,
            memo: HashMap::new(),
        }
    }

    fn of(&mut self, ty: &TypeRef, depth: usize) -> usize {
        if depth > MAX_DEPTH {
            return LARGE + 1;
        }
        match ty {
            TypeRef::Bool
            | TypeRef::I32
            | TypeRef::I64
            | TypeRef::F32
            | TypeRef::F64
            | TypeRef::Date => 8,
            TypeRef::DateTime => 16,
            TypeRef::String | TypeRef::Bytes | TypeRef::Vec(_) | TypeRef::Map(_) => 24,
            TypeRef::Secret => 32,
            // `serde_json::Value` with `preserve_order` (an `IndexMap` inside).
            TypeRef::Json => 80,
            TypeRef::Option(inner) => self.of(inner, depth + 1) + 8,
            TypeRef::Named(name) => match self.index.get(name.name.as_str()).copied() {
                Some(i) => self.def(i, depth + 1),
                None => LARGE + 1,
            },
        }
    }

    fn def(&mut self, i: usize, depth: usize) -> usize {
        if let Some(size) = self.memo.get(&i) {
            return *size;
        }
        let types = self.types;
        let size = match &types[i].kind {
            TypeKind::Struct { fields, extra } => {
                let fields: usize = fields
                    .iter()
                    .map(|f| if f.boxed { 16 } else { self.of(&f.ty, depth) })
                    .sum();
                fields + if extra.is_some() { 80 } else { 0 }
            }
            TypeKind::Enum { .. } => 32,
            TypeKind::IntEnum { .. } => 16,
            TypeKind::Union { variants, .. } => {
                variants
                    .iter()
                    .map(|v| if v.boxed { 8 } else { self.of(&v.ty, depth) })
                    .max()
                    .unwrap_or(0)
                    + 8
            }
            TypeKind::Alias(target) => self.of(target, depth),
        };
        self.memo.insert(i, size);
        size
    }
}

/// Boxes the large variants of unions and of operations' success enums.
pub fn box_large_variants(types: &mut [TypeDef], operations: &mut [Operation]) {
    let mut sizes = Sizes::new(types);
    let union_boxes: Vec<Vec<bool>> = types
        .iter()
        .map(|def| match &def.kind {
            TypeKind::Union { variants, .. } if variants.len() > 1 => variants
                .iter()
                .map(|v| v.boxed || sizes.of(&v.ty, 0) > LARGE)
                .collect(),
            _ => Vec::new(),
        })
        .collect();
    for operation in operations.iter_mut() {
        let several = crate::surface::several_successes(&operation.success);
        if !several {
            continue;
        }
        for response in &mut operation.success {
            response.boxed = response
                .ty
                .as_ref()
                .is_some_and(|ty| sizes.of(ty, 0) > LARGE);
        }
    }
    for (def, boxes) in types.iter_mut().zip(union_boxes) {
        if let TypeKind::Union { variants, .. } = &mut def.kind {
            for (variant, boxed) in variants.iter_mut().zip(boxes) {
                variant.boxed = boxed;
            }
        }
    }
}
