//! Schemas -> `TypeRef`s and named `TypeDef`s (the type table). Names are resolved once here.

use crate::diagnostic::{escape, Findings};
use crate::ir::{Field, Ident, TypeDef, TypeKind, TypeRef, UnionVariant, Variant};
use crate::load::ext;
use crate::lower::refs::component_key;
use crate::lower::{all_of, any_schema, refs, unusable};
use crate::naming::{self, Scope};
use openapiv3::{
    AdditionalProperties, IntegerFormat, NumberFormat, ObjectType, ReferenceOr, Schema, SchemaKind,
    StringFormat, Type, VariantOrUnknownOrEmpty,
};
use std::collections::BTreeMap;

const SCHEMA_PREFIX: &str = "#/components/schemas/";

/// Inline schemas deeper than this are refused (no hand-written spec comes close).
const MAX_DEPTH: usize = 48;

/// The type table of one API.
#[derive(Debug)]
pub struct TypeSpace<'a> {
    components: &'a indexmap::IndexMap<String, ReferenceOr<Schema>>,
    /// Component key -> Rust (bare) name, assigned up front so `$ref`s resolve before definitions.
    component_names: BTreeMap<String, String>,
    scope: Scope,
    /// How many inline schemas are being lowered inside one another.
    depth: usize,
    /// `$ref`s of the `allOf` merges in progress.
    merging: Vec<String>,
    /// Finished definitions, in the order they were completed.
    pub types: Vec<TypeDef>,
    /// Rust name -> position in `types`.
    index: std::collections::HashMap<String, usize>,
    /// Types that are or hold a component schema that could not be lowered (Rust name ->
    /// that component's key): operations using them are skipped.
    unusable: std::collections::HashMap<String, String>,
}

impl<'a> TypeSpace<'a> {
    /// A table for `components`, with every component schema's name reserved.
    pub fn new(components: &'a indexmap::IndexMap<String, ReferenceOr<Schema>>) -> Self {
        let mut scope = Scope::with_reserved(naming::TYPES_ITEMS);
        let component_names = components
            .keys()
            .map(|key| (key.clone(), scope.claim(naming::type_name(key)).name))
            .collect();
        Self {
            components,
            component_names,
            scope,
            depth: 0,
            merging: Vec::new(),
            types: Vec::new(),
            index: std::collections::HashMap::new(),
            unusable: std::collections::HashMap::new(),
        }
    }

    /// Claims `wanted` and its suffixed names in the `types` namespace together (an
    /// operation's `Params`, `Error` and `Success` types live beside the models).
    pub fn claim_with(&mut self, wanted: Ident, suffixes: &[&str]) -> Ident {
        self.scope.claim_with(wanted, suffixes)
    }

    /// The finished definition named `name`.
    pub fn get(&self, name: &str) -> Option<&TypeDef> {
        self.index.get(name).map(|i| &self.types[*i])
    }

    fn push(&mut self, def: TypeDef) {
        self.index.insert(def.name.name.clone(), self.types.len());
        self.types.push(def);
    }

    /// Lowers every component schema, in spec order.
    pub fn lower_components(&mut self, findings: &mut Findings) {
        let mut broken = std::collections::HashMap::new();
        for (key, schema) in self.components {
            let at = format!("/components/schemas/{}", escape(key));
            let name = self.component_names[key].clone();
            let mark = findings.0.len();
            match schema {
                ReferenceOr::Item(schema) => {
                    self.merging.push(format!("{SCHEMA_PREFIX}{key}"));
                    let ty = self.lower_named(&name, schema, &at, findings);
                    self.merging.clear();
                    // A component that is not itself a struct or enum still gets its name.
                    if ty != TypeRef::Named(Ident::new(name.clone())) {
                        self.push(TypeDef {
                            name: Ident::new(name.clone()),
                            origin: at,
                            doc: doc_of(schema),
                            deprecated: schema.schema_data.deprecated,
                            kind: TypeKind::Alias(ty),
                        });
                    }
                }
                ReferenceOr::Reference { reference } => {
                    let target = self.reference(reference, &at, findings);
                    self.push(TypeDef {
                        name: Ident::new(name.clone()),
                        origin: at,
                        doc: None,
                        deprecated: false,
                        kind: TypeKind::Alias(target),
                    });
                }
            }
            if unusable::defer(findings, mark, key) {
                broken.insert(name, key.clone());
            }
        }
        self.unusable = unusable::spread(&self.types, broken);
    }

    /// The type a `$ref` names; a dangling reference is reported and lowered as JSON.
    pub fn reference(&self, reference: &str, at: &str, findings: &mut Findings) -> TypeRef {
        let key = component_key(reference, "schemas");
        match key.as_ref().and_then(|k| self.component_names.get(k)) {
            Some(name) => {
                if let Some(root) = self.unusable.get(name) {
                    let key = key.as_deref().unwrap_or_default();
                    let through = if root == key {
                        String::new()
                    } else {
                        format!(", which holds schema `{root}`")
                    };
                    findings.unsupported(
                        &format!("{at}/$ref"),
                        format!("it uses schema `{key}`{through}, which is not generated"),
                        format!("see the finding at `#/components/schemas/{}`", escape(root)),
                    );
                }
                TypeRef::Named(Ident::new(name.clone()))
            }
            None => {
                findings.error(
                    &format!("{at}/$ref"),
                    format!("dangling $ref `{reference}`: no such schema"),
                    match key {
                        Some(k) => format!("define `components.schemas.{k}` or fix the reference"),
                        None => {
                            "the JSON pointer leads nowhere in this document: point it at a schema that exists".to_owned()
                        }
                    },
                );
                TypeRef::Json
            }
        }
    }

    /// A `$ref` use: `nullable` sits on the referenced schema (OpenAPI 3.0 ignores siblings of
    /// `$ref`), and makes every use of it optional.
    fn reference_nullable(&self, reference: &str, at: &str, findings: &mut Findings) -> TypeRef {
        let ty = self.reference(reference, at, findings);
        let target = component_key(reference, "schemas").and_then(|key| self.components.get(&key));
        let nullable = target
            .map(|t| match t {
                ReferenceOr::Item(schema) => all_of::annotations(schema).nullable,
                ReferenceOr::Reference { .. } => self
                    .resolve(t)
                    .is_some_and(|s| all_of::annotations(s).nullable),
            })
            .unwrap_or(false);
        if nullable {
            option(ty)
        } else {
            ty
        }
    }

    /// Follows `$ref`s to the schema they name (for reading constraints such as `enum`).
    pub fn resolve<'s>(&'s self, schema: &'s ReferenceOr<Schema>) -> Option<&'s Schema> {
        refs::follow_in(Some(self.components), schema)
    }

    /// Lowers a schema used somewhere, inline or boxed (object properties, array items);
    /// inline objects and enums are named `hint`.
    pub fn lower<S: std::borrow::Borrow<Schema>>(
        &mut self,
        schema: &ReferenceOr<S>,
        hint: &str,
        at: &str,
        findings: &mut Findings,
    ) -> TypeRef {
        match schema {
            ReferenceOr::Reference { reference } => {
                self.reference_nullable(reference, at, findings)
            }
            ReferenceOr::Item(schema) => {
                self.lower_item(std::borrow::Borrow::borrow(schema), hint, at, findings)
            }
        }
    }

    fn lower_item(
        &mut self,
        schema: &Schema,
        hint: &str,
        at: &str,
        findings: &mut Findings,
    ) -> TypeRef {
        let ty = self.lower_inline(schema, hint, at, findings);
        if all_of::annotations(schema).nullable {
            option(ty)
        } else {
            ty
        }
    }

    fn lower_inline(
        &mut self,
        schema: &Schema,
        hint: &str,
        at: &str,
        findings: &mut Findings,
    ) -> TypeRef {
        // `allOf` can copy a schema into itself (`additionalProperties: {allOf: [$ref: Self]}`),
        // which would expand forever; a depth bound turns that into a diagnostic.
        if self.depth >= MAX_DEPTH {
            findings.error(
                at,
                format!("schemas nest more than {MAX_DEPTH} levels deep here (or an `allOf` expands into itself)"),
                "give the nested schema a name under `components.schemas` and refer to it with `$ref`",
            );
            return TypeRef::Json;
        }
        self.depth += 1;
        let ty = if self.needs_name(schema) {
            let name = self.scope.claim(naming::type_name(hint)).name;
            self.lower_named(&name, schema, at, findings)
        } else {
            // Not a named type itself, but its inline children (array items, map values)
            // take their names from `hint`.
            self.lower_named(hint, schema, at, findings)
        };
        self.depth -= 1;
        ty
    }

    /// Lowers `schema`; objects with properties and enums become the type `name`.
    fn lower_named(
        &mut self,
        name: &str,
        schema: &Schema,
        at: &str,
        findings: &mut Findings,
    ) -> TypeRef {
        let secret = ext::flag(&schema.schema_data.extensions, "x-secret", at, findings);
        let ty = match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => {
                if !s.enumeration.is_empty() && !secret {
                    let mut scope = Scope::default();
                    let variants = enum_variants(&s.enumeration, &mut scope);
                    let unknown = scope.claim(Ident::new("Unknown"));
                    self.define(name, schema, at, TypeKind::Enum { variants, unknown })
                } else if secret {
                    TypeRef::Secret
                } else {
                    match &s.format {
                        VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => TypeRef::DateTime,
                        VariantOrUnknownOrEmpty::Item(StringFormat::Date) => TypeRef::Date,
                        VariantOrUnknownOrEmpty::Item(StringFormat::Password) => TypeRef::Secret,
                        _ => TypeRef::String,
                    }
                }
            }
            SchemaKind::Type(Type::Integer(i)) if i.enumeration.iter().any(Option::is_some) => {
                let mut scope = Scope::default();
                let variants = i
                    .enumeration
                    .iter()
                    .flatten()
                    .map(|value| {
                        let word = if *value < 0 {
                            format!("minus {}", value.unsigned_abs())
                        } else {
                            format!("v{value}")
                        };
                        (*value, scope.claim(naming::variant(&word)))
                    })
                    .collect();
                let unknown = scope.claim(Ident::new("Unknown"));
                self.define(name, schema, at, TypeKind::IntEnum { variants, unknown })
            }
            SchemaKind::Type(Type::Integer(i)) => match i.format {
                VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => TypeRef::I32,
                _ => TypeRef::I64,
            },
            SchemaKind::Type(Type::Number(n)) => match n.format {
                VariantOrUnknownOrEmpty::Item(NumberFormat::Float) => TypeRef::F32,
                _ => TypeRef::F64,
            },
            SchemaKind::Type(Type::Boolean(_)) => TypeRef::Bool,
            SchemaKind::Type(Type::Object(o)) => self.object(name, schema, o, at, findings),
            SchemaKind::Type(Type::Array(a)) => {
                let item_hint = format!("{name}Item");
                let item = match &a.items {
                    Some(items) => self.lower(items, &item_hint, &format!("{at}/items"), findings),
                    None => TypeRef::Json,
                };
                TypeRef::Vec(Box::new(item))
            }
            // Keywords beside `allOf` hold as well as its parts: one more part.
            SchemaKind::Any(any) if all_of::with_siblings(any).is_some() => {
                let parts = all_of::with_siblings(any).unwrap_or_default();
                self.lower_all_of(name, schema, &parts, any.all_of.len(), at, findings)
            }
            SchemaKind::Any(any) if any_schema::by_type(any).is_some() => {
                let typed = Schema {
                    schema_data: schema.schema_data.clone(),
                    schema_kind: any_schema::by_type(any).unwrap_or(SchemaKind::Any(any.clone())),
                };
                self.lower_named(name, &typed, at, findings)
            }
            SchemaKind::Any(any)
                if !any.properties.is_empty() || any.additional_properties.is_some() =>
            {
                let object = ObjectType {
                    properties: any.properties.clone(),
                    required: any.required.clone(),
                    additional_properties: any.additional_properties.clone(),
                    min_properties: None,
                    max_properties: None,
                };
                self.object(name, schema, &object, at, findings)
            }
            SchemaKind::Any(_) => TypeRef::Json,
            SchemaKind::AllOf { all_of } => {
                self.lower_all_of(name, schema, all_of, all_of.len(), at, findings)
            }
            SchemaKind::OneOf { one_of: parts } | SchemaKind::AnyOf { any_of: parts } => {
                let keyword = if matches!(schema.schema_kind, SchemaKind::OneOf { .. }) {
                    "oneOf"
                } else {
                    "anyOf"
                };
                self.union(name, schema, parts, &format!("{at}/{keyword}"), findings)
            }
            SchemaKind::Not { .. } => {
                findings.error(
                    at,
                    "`not` schemas are not supported",
                    "describe what the value is rather than what it is not (an enum, or a free-form object)",
                );
                TypeRef::Json
            }
        };
        if secret && !matches!(ty, TypeRef::Secret) {
            findings.error(
                &format!("{at}/x-secret"),
                "`x-secret` applies to string schemas only",
                "put `x-secret: true` on the string schema that holds the credential",
            );
        }
        ty
    }

    fn object(
        &mut self,
        name: &str,
        schema: &Schema,
        object: &ObjectType,
        at: &str,
        findings: &mut Findings,
    ) -> TypeRef {
        if object.properties.is_empty() {
            return match &object.additional_properties {
                Some(AdditionalProperties::Schema(inner)) => {
                    let hint = format!("{name}Value");
                    TypeRef::Map(Box::new(self.lower(
                        inner,
                        &hint,
                        &format!("{at}/additionalProperties"),
                        findings,
                    )))
                }
                _ => TypeRef::Json,
            };
        }
        let mut scope = Scope::default();
        let names = scope.claim_fields(object.properties.keys().map(String::as_str));
        let setters = naming::setters(&names);
        let mut fields = Vec::new();
        for (((wire, property), field_name), setter) in
            object.properties.iter().zip(names).zip(setters)
        {
            let pat = format!("{at}/properties/{}", escape(wire));
            let hint = format!("{name}{}", naming::type_name(wire));
            let ty = self.lower(property, &hint, &pat, findings);
            let (doc, deprecated, read_only, write_only) = match property {
                ReferenceOr::Item(p) => {
                    let data = all_of::annotations(p);
                    (
                        field_doc(p),
                        data.deprecated,
                        data.read_only,
                        data.write_only,
                    )
                }
                ReferenceOr::Reference { .. } => (None, false, false, false),
            };
            // Read-only properties are absent from requests and write-only ones from
            // responses, so one type can serve both directions only if they are optional.
            let optional = !object.required.contains(wire) || read_only || write_only;
            let ty = if optional { option(ty) } else { ty };
            fields.push(Field {
                wire: wire.clone(),
                name: field_name,
                ty,
                optional,
                doc,
                deprecated,
                boxed: false,
                setter,
            });
        }
        for required in &object.required {
            if !object.properties.contains_key(required) {
                findings.warning(
                    &format!("{at}/required"),
                    format!("`{required}` is required but not among the properties (ignored)"),
                    format!("add a property `{required}` or remove it from `required`"),
                );
            }
        }
        let open = matches!(
            object.additional_properties,
            Some(AdditionalProperties::Any(true)) | Some(AdditionalProperties::Schema(_))
        );
        let extra = open.then(|| scope.claim(naming::field("additional_properties")));
        self.define(name, schema, at, TypeKind::Struct { fields, extra })
    }

    /// Lowers the `allOf` at `at` by its plan. `parts` are its listed parts, then (past
    /// `listed`) the part its sibling keywords make, which sits at `at` itself.
    fn lower_all_of(
        &mut self,
        name: &str,
        schema: &Schema,
        parts: &[ReferenceOr<Schema>],
        listed: usize,
        at: &str,
        findings: &mut Findings,
    ) -> TypeRef {
        let plan = all_of::plan(parts, |p| self.resolve(p), &format!("{at}/allOf"));
        // `nullable` from annotation parts is applied where the schema is used
        // (`lower_item`, `reference_nullable`), as a schema's own `nullable` is.
        match plan {
            all_of::Plan::Merge => self.merge(name, schema, parts, listed, at, findings),
            all_of::Plan::Any => TypeRef::Json,
            all_of::Plan::One(i) => {
                let part_at = part_pointer(at, i, listed);
                match &parts[i] {
                    ReferenceOr::Reference { reference } => {
                        self.reference_nullable(reference, &part_at, findings)
                    }
                    ReferenceOr::Item(inner) => {
                        let ty = self.lower_named(name, inner, &part_at, findings);
                        // The type a part defines is described by its sibling parts.
                        if let Some(&i) = self.index.get(name) {
                            let def = &mut self.types[i];
                            if def.doc.is_none() && ty == TypeRef::Named(def.name.clone()) {
                                def.doc = doc_of(schema);
                            }
                        }
                        if inner.schema_data.nullable {
                            option(ty)
                        } else {
                            ty
                        }
                    }
                }
            }
            all_of::Plan::Conflict(c) => {
                let siblings = format!("{at}/allOf/{listed}");
                let pointer = match c.pointer.strip_prefix(&siblings) {
                    Some(rest) => format!("{at}{rest}"),
                    None => c.pointer,
                };
                findings.unsupported(&pointer, c.message, c.help);
                TypeRef::Json
            }
        }
    }

    /// Merges the object parts of an `allOf` into the object `name` (`listed` as in
    /// [`Self::lower_all_of`]).
    fn merge(
        &mut self,
        name: &str,
        schema: &Schema,
        all_of: &[ReferenceOr<Schema>],
        listed: usize,
        at: &str,
        findings: &mut Findings,
    ) -> TypeRef {
        // Merging a schema that is already being merged further out would copy it into
        // itself forever (through its `additionalProperties` or properties).
        for (i, part) in all_of.iter().enumerate() {
            if let ReferenceOr::Reference { reference } = part {
                if self.merging.contains(reference) {
                    findings.error(
                        &part_pointer(at, i, listed),
                        format!("`allOf` merges `{reference}`, which contains this `allOf`: the merge never ends"),
                        "refer to the schema with `$ref` outside `allOf` (a property or `additionalProperties` of its own)",
                    );
                    return TypeRef::Json;
                }
            }
        }
        let outer = self.merging.len();
        self.merging.extend(all_of.iter().filter_map(|p| match p {
            ReferenceOr::Reference { reference } => Some(reference.clone()),
            ReferenceOr::Item(_) => None,
        }));
        let mut merged = ObjectType::default();
        // Schemas being lowered further out are open: merging them again is a cycle.
        let mut chain = self.merging[..outer].to_vec();
        let open: Vec<usize> = (0..chain.len()).collect();
        for (i, part) in all_of.iter().enumerate() {
            self.merge_into(
                &mut merged,
                part,
                &part_pointer(at, i, listed),
                findings,
                &mut chain,
                &mut open.clone(),
            );
        }
        let ty = self.object(name, schema, &merged, at, findings);
        self.merging.truncate(outer);
        ty
    }

    /// Merges an `allOf` part (following `$ref`s and nested `allOf`s) into one object.
    fn merge_into(
        &self,
        merged: &mut ObjectType,
        part: &ReferenceOr<Schema>,
        at: &str,
        findings: &mut Findings,
        chain: &mut Vec<String>,
        open: &mut Vec<usize>,
    ) {
        let opened = open.len();
        self.merge_part(merged, part, at, findings, chain, open);
        open.truncate(opened);
    }

    fn merge_part(
        &self,
        merged: &mut ObjectType,
        part: &ReferenceOr<Schema>,
        at: &str,
        findings: &mut Findings,
        chain: &mut Vec<String>,
        open: &mut Vec<usize>,
    ) {
        if let ReferenceOr::Reference { reference } = part {
            if self.resolve(part).is_none() {
                findings.error(
                    &format!("{at}/$ref"),
                    format!("dangling $ref `{reference}`: no such schema"),
                    "define the schema under `components.schemas` or fix the reference",
                );
                return;
            }
            // `chain` holds the references merged so far, the open ones last. A reference
            // that is open again is a cycle; one already merged (a diamond: two parts sharing a
            // base) adds nothing, and walking it again could take exponential time.
            if let Some(position) = chain.iter().position(|r| r == reference) {
                if open.contains(&position) {
                    findings.error(
                        &format!("{at}/$ref"),
                        format!("`allOf` cycle: `{reference}` includes itself"),
                        "remove the `allOf` part that leads back to this schema",
                    );
                }
                return;
            }
            chain.push(reference.clone());
            open.push(chain.len() - 1);
        }
        let Some(schema) = self.resolve(part) else {
            return;
        };
        let (properties, required, additional) = match &schema.schema_kind {
            SchemaKind::Type(Type::Object(o)) => {
                (&o.properties, &o.required, &o.additional_properties)
            }
            SchemaKind::Any(a) => {
                for (i, inner) in a.all_of.iter().enumerate() {
                    self.merge_into(
                        merged,
                        inner,
                        &format!("{at}/allOf/{i}"),
                        findings,
                        chain,
                        open,
                    );
                }
                (&a.properties, &a.required, &a.additional_properties)
            }
            SchemaKind::AllOf { all_of } => {
                for (i, inner) in all_of.iter().enumerate() {
                    self.merge_into(
                        merged,
                        inner,
                        &format!("{at}/allOf/{i}"),
                        findings,
                        chain,
                        open,
                    );
                }
                return;
            }
            _ => {
                findings.unsupported(
                    at,
                    "this `allOf` part is not an object, and the parts it is merged with are: no value satisfies both",
                    "make every part an object schema (`allOf` means every part at once), or use `oneOf` for alternatives",
                );
                return;
            }
        };
        for (key, property) in properties {
            merged
                .properties
                .entry(key.clone())
                .or_insert_with(|| property.clone());
        }
        for key in required {
            if !merged.required.contains(key) {
                merged.required.push(key.clone());
            }
        }
        if additional.is_some() {
            merged.additional_properties.clone_from(additional);
        }
    }

    fn union(
        &mut self,
        name: &str,
        schema: &Schema,
        parts: &[ReferenceOr<Schema>],
        at: &str,
        findings: &mut Findings,
    ) -> TypeRef {
        let mut scope = Scope::default();
        let mut variants = Vec::new();
        for (i, part) in parts.iter().enumerate() {
            let ty = self.lower(
                part,
                &format!("{name}Variant{i}"),
                &format!("{at}/{i}"),
                findings,
            );
            let plain = match &ty {
                TypeRef::Option(inner) => inner.as_ref(),
                other => other,
            };
            // An inline variant's `title` names it (`oneOf: [{title: id, ...}, ...]`).
            let title = match part {
                ReferenceOr::Item(item) => item.schema_data.title.as_deref(),
                ReferenceOr::Reference { .. } => None,
            };
            let label = match plain {
                _ if title.is_some_and(|t| !naming::is_blank(t)) => {
                    naming::type_name(title.unwrap_or_default()).name
                }
                TypeRef::Named(n) => n.name.clone(),
                TypeRef::Option(_) => "Null".to_owned(),
                TypeRef::Bool => "Boolean".to_owned(),
                TypeRef::I32 | TypeRef::I64 => "Integer".to_owned(),
                TypeRef::F32 | TypeRef::F64 => "Number".to_owned(),
                TypeRef::String | TypeRef::Secret | TypeRef::DateTime | TypeRef::Date => {
                    "String".to_owned()
                }
                TypeRef::Vec(_) => "Array".to_owned(),
                TypeRef::Bytes => "Bytes".to_owned(),
                TypeRef::Map(_) | TypeRef::Json => "Object".to_owned(),
            };
            variants.push(UnionVariant {
                name: scope.claim(Ident::new(label)),
                ty,
                boxed: false,
            });
        }
        if variants.is_empty() {
            findings.error(at, "an empty `oneOf`/`anyOf`", "list at least one schema");
        }
        let discriminator = schema.schema_data.discriminator.as_ref().map(|d| {
            let mut pairs = Vec::new();
            let target_of = |reference: &str| -> Option<usize> {
                let key = component_key(reference, "schemas")?;
                let wanted = self.component_names.get(&key)?;
                variants.iter().position(|v| v.ty == TypeRef::Named(Ident::new(wanted.clone())))
            };
            if d.mapping.is_empty() {
                for (key, rust) in &self.component_names {
                    if let Some(index) = variants.iter().position(|v| v.ty == TypeRef::Named(Ident::new(rust.clone()))) {
                        pairs.push((key.clone(), index));
                    }
                }
            } else {
                for (value, reference) in &d.mapping {
                    match target_of(reference) {
                        Some(index) => pairs.push((value.clone(), index)),
                        None => findings.error(
                            &format!("{}/discriminator/mapping/{}", at.rsplit_once('/').map_or(at, |(head, _)| head), escape(value)),
                            format!("discriminator value `{value}` maps to `{reference}`, which is not one of the variants"),
                            "map each value to a `$ref` listed in the oneOf/anyOf",
                        ),
                    }
                }
            }
            pairs.sort_by_key(|(_, index)| *index);
            (d.property_name.clone(), pairs)
        });
        self.define(
            name,
            schema,
            at.rsplit_once('/').map_or(at, |(head, _)| head),
            TypeKind::Union {
                variants,
                discriminator,
                // Decided by `mark_scalar_unions` once every type is known.
                scalar: false,
            },
        )
    }

    /// True when a value of `ty` is one scalar that renders as text in a path, query or
    /// header: a string, number, boolean, date, enum, or a union or alias of those. Secrets
    /// are not (their `Display` redacts).
    pub fn is_scalar(&self, ty: &TypeRef) -> bool {
        is_scalar(&|name| self.get(name), ty, 0, false)
    }

    /// Inline schemas that become named types.
    fn needs_name(&self, schema: &Schema) -> bool {
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => !s.enumeration.is_empty(),
            SchemaKind::Type(Type::Integer(i)) => i.enumeration.iter().any(Option::is_some),
            SchemaKind::Type(Type::Object(o)) => !o.properties.is_empty(),
            SchemaKind::Any(a) if all_of::with_siblings(a).is_some() => {
                self.all_of_needs_name(&all_of::with_siblings(a).unwrap_or_default())
            }
            SchemaKind::Any(a) => match any_schema::by_type(a) {
                Some(kind) => self.needs_name(&Schema {
                    schema_data: Default::default(),
                    schema_kind: kind,
                }),
                None => !a.properties.is_empty(),
            },
            SchemaKind::AllOf { all_of } => self.all_of_needs_name(all_of),
            SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } => true,
            _ => false,
        }
    }

    fn all_of_needs_name(&self, parts: &[ReferenceOr<Schema>]) -> bool {
        match all_of::plan(parts, |p| self.resolve(p), "") {
            all_of::Plan::Merge => true,
            all_of::Plan::One(i) => match &parts[i] {
                ReferenceOr::Item(inner) => self.needs_name(inner),
                ReferenceOr::Reference { .. } => false,
            },
            all_of::Plan::Any | all_of::Plan::Conflict(_) => false,
        }
    }

    fn define(&mut self, name: &str, schema: &Schema, at: &str, kind: TypeKind) -> TypeRef {
        self.push(TypeDef {
            name: Ident::new(name),
            origin: at.to_owned(),
            doc: doc_of(schema),
            deprecated: schema.schema_data.deprecated,
            kind,
        });
        TypeRef::Named(Ident::new(name))
    }
}

fn enum_variants(values: &[Option<String>], scope: &mut Scope) -> Vec<Variant> {
    values
        .iter()
        .flatten()
        .map(|wire| Variant {
            wire: wire.clone(),
            name: scope.claim(naming::variant(wire)),
        })
        .collect()
}

/// Where part `i` of the `allOf` at `at` is: its place in the list, or `at` itself for the
/// part made of the sibling keywords (past the `listed` ones).
fn part_pointer(at: &str, i: usize, listed: usize) -> String {
    if i < listed {
        format!("{at}/allOf/{i}")
    } else {
        at.to_owned()
    }
}

fn option(ty: TypeRef) -> TypeRef {
    match ty {
        TypeRef::Option(_) => ty,
        other => TypeRef::Option(Box::new(other)),
    }
}

/// A property's docs: description, plus what the schema says that the Rust type does not.
fn field_doc(schema: &Schema) -> Option<String> {
    let data = all_of::annotations(schema);
    let mut notes = Vec::new();
    if data.read_only {
        notes.push("Read-only: set by the server, never sent.".to_owned());
    }
    if data.write_only {
        notes.push("Write-only: sent, never returned.".to_owned());
    }
    if let Some(default) = &data.default {
        notes.push(format!("Default: `{default}`."));
    }
    match (doc_of(schema), notes.is_empty()) {
        (doc, true) => doc,
        (Some(doc), false) => Some(format!("{doc}\n\n{}", notes.join(" "))),
        (None, false) => Some(notes.join(" ")),
    }
}

/// A schema's description, else its title.
pub fn doc_of(schema: &Schema) -> Option<String> {
    let data = all_of::annotations(schema);
    data.description
        .clone()
        .or_else(|| data.title.clone())
        .map(|d| d.trim().to_owned())
        .filter(|d| !d.is_empty())
}

/// Named types a value of `ty` holds inline (not behind a `Vec` or map, which already
/// allocate).
fn inline_names(ty: &TypeRef, out: &mut Vec<String>) {
    match ty {
        TypeRef::Named(name) => out.push(name.name.clone()),
        TypeRef::Option(inner) => inline_names(inner, out),
        _ => {}
    }
}

/// Marks the fields and variants through which a type contains itself, so emission can box
/// them (a recursive type without indirection has infinite size). A by-value edge is cyclic
/// when both ends lie in one strongly connected component; components come from one
/// iterative Kosaraju pass, so this stays linear in the size of the type table.
pub fn box_recursive(types: &mut [TypeDef]) {
    use std::collections::HashMap;
    let index: HashMap<String, usize> = types
        .iter()
        .enumerate()
        .map(|(i, d)| (d.name.name.clone(), i))
        .collect();
    let targets = |ty: &TypeRef| -> Vec<usize> {
        let mut out = Vec::new();
        inline_names(ty, &mut out);
        out.iter().filter_map(|n| index.get(n).copied()).collect()
    };
    let edges: Vec<Vec<usize>> = types
        .iter()
        .map(|def| match &def.kind {
            TypeKind::Struct { fields, .. } => fields.iter().flat_map(|f| targets(&f.ty)).collect(),
            TypeKind::Union { variants, .. } => {
                variants.iter().flat_map(|v| targets(&v.ty)).collect()
            }
            TypeKind::Alias(ty) => targets(ty),
            TypeKind::Enum { .. } | TypeKind::IntEnum { .. } => Vec::new(),
        })
        .collect();
    let component = strongly_connected(&edges);
    // An edge into the owner's own component closes a cycle (a self-edge included).
    let cyclic = |owner: usize, ty: &TypeRef| {
        targets(ty)
            .iter()
            .any(|t| component[*t] == component[owner])
    };
    for (owner, def) in types.iter_mut().enumerate() {
        match &mut def.kind {
            TypeKind::Struct { fields, .. } => fields
                .iter_mut()
                .for_each(|f| f.boxed = cyclic(owner, &f.ty)),
            TypeKind::Union { variants, .. } => variants
                .iter_mut()
                .for_each(|v| v.boxed = cyclic(owner, &v.ty)),
            TypeKind::Alias(_) | TypeKind::Enum { .. } | TypeKind::IntEnum { .. } => {}
        }
    }
}

/// See [`TypeSpace::is_scalar`]; `lookup` finds a type by name. A union may also hold arrays
/// of scalars (`oneOf: [string, array of string]`), rendered comma-separated, unless it is
/// itself inside such an array (`in_array`).
fn is_scalar<'t>(
    lookup: &dyn Fn(&str) -> Option<&'t TypeDef>,
    ty: &TypeRef,
    depth: usize,
    in_array: bool,
) -> bool {
    // Deeper than any sane chain of aliases; also stops alias cycles (reported elsewhere).
    if depth > 32 {
        return false;
    }
    match ty {
        TypeRef::Bool
        | TypeRef::I32
        | TypeRef::I64
        | TypeRef::F32
        | TypeRef::F64
        | TypeRef::String
        | TypeRef::DateTime
        | TypeRef::Date => true,
        TypeRef::Named(name) => match lookup(&name.name).map(|d| &d.kind) {
            Some(TypeKind::Enum { .. } | TypeKind::IntEnum { .. }) => true,
            Some(TypeKind::Alias(target)) => is_scalar(lookup, target, depth + 1, in_array),
            Some(TypeKind::Union { variants, .. }) => variants.iter().all(|v| match &v.ty {
                TypeRef::Vec(item) if !in_array => is_scalar(lookup, item, depth + 1, true),
                other => is_scalar(lookup, other, depth + 1, in_array),
            }),
            Some(TypeKind::Struct { .. }) | None => false,
        },
        TypeRef::Secret
        | TypeRef::Json
        | TypeRef::Bytes
        | TypeRef::Vec(_)
        | TypeRef::Map(_)
        | TypeRef::Option(_) => false,
    }
}

/// Sets `scalar` on every union whose variants are all scalars (see
/// [`TypeSpace::is_scalar`]), so emission gives it a `Display`.
pub fn mark_scalar_unions(types: &mut [TypeDef]) {
    let index: std::collections::HashMap<&str, usize> = types
        .iter()
        .enumerate()
        .map(|(i, d)| (d.name.name.as_str(), i))
        .collect();
    let scalar: Vec<bool> = types
        .iter()
        .map(|def| match &def.kind {
            TypeKind::Union { .. } => is_scalar(
                &|name| index.get(name).map(|i| &types[*i]),
                &TypeRef::Named(def.name.clone()),
                0,
                false,
            ),
            _ => false,
        })
        .collect();
    for (def, is) in types.iter_mut().zip(scalar) {
        if let TypeKind::Union { scalar, .. } = &mut def.kind {
            *scalar = is;
        }
    }
}

/// Every named type `ty` mentions, at any depth (inside `Vec`, maps and `Option` too).
fn all_names(ty: &TypeRef, out: &mut Vec<String>) {
    match ty {
        TypeRef::Named(name) => out.push(name.name.clone()),
        TypeRef::Option(inner) | TypeRef::Vec(inner) | TypeRef::Map(inner) => all_names(inner, out),
        _ => {}
    }
}

/// Aliases that lead back to themselves through other aliases (`A: {$ref: B}`,
/// `B: {$ref: A}`, or `A: {type: array, items: {$ref: A}}`) name no type at all: Rust refuses
/// `type A = B; type B = A;` (E0391). Each such cycle is reported once, at its first alias.
pub fn check_alias_cycles(types: &[TypeDef], findings: &mut Findings) {
    use std::collections::HashMap;
    let aliases: Vec<usize> = types
        .iter()
        .enumerate()
        .filter(|(_, d)| matches!(d.kind, TypeKind::Alias(_)))
        .map(|(i, _)| i)
        .collect();
    let position: HashMap<&str, usize> = aliases
        .iter()
        .enumerate()
        .map(|(n, i)| (types[*i].name.name.as_str(), n))
        .collect();
    let edges: Vec<Vec<usize>> = aliases
        .iter()
        .map(|i| {
            let mut names = Vec::new();
            if let TypeKind::Alias(target) = &types[*i].kind {
                all_names(target, &mut names);
            }
            names
                .iter()
                .filter_map(|n| position.get(n.as_str()).copied())
                .collect()
        })
        .collect();
    let component = strongly_connected(&edges);
    let mut groups: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
    for (n, c) in component.iter().enumerate() {
        groups.entry(*c).or_default().push(n);
    }
    let mut reported = std::collections::BTreeSet::new();
    for (n, targets) in edges.iter().enumerate() {
        let members = &groups[&component[n]];
        let cyclic = members.len() > 1 || targets.contains(&n);
        if !cyclic || !reported.insert(component[n]) {
            continue;
        }
        let names: Vec<String> = members
            .iter()
            .map(|m| format!("`{}`", types[aliases[*m]].name))
            .collect();
        let def = &types[aliases[n]];
        findings.error(
            &def.origin,
            format!(
                "{} {} defined only as {}: the type never resolves",
                names.join(" and "),
                if names.len() > 1 { "are" } else { "is" },
                if names.len() > 1 { "each other" } else { "itself" },
            ),
            "give one of these schemas a shape of its own (e.g. `type: object` with properties), or remove the `$ref` cycle",
        );
    }
}

/// Component id of every node (Kosaraju, iterative so deep graphs cannot overflow the stack).
fn strongly_connected(edges: &[Vec<usize>]) -> Vec<usize> {
    let n = edges.len();
    let mut order = Vec::with_capacity(n);
    let mut seen = vec![false; n];
    for start in 0..n {
        if seen[start] {
            continue;
        }
        seen[start] = true;
        let mut stack = vec![(start, 0)];
        while let Some((node, next)) = stack.pop() {
            if let Some(&child) = edges[node].get(next) {
                stack.push((node, next + 1));
                if !seen[child] {
                    seen[child] = true;
                    stack.push((child, 0));
                }
            } else {
                order.push(node);
            }
        }
    }
    let mut reverse = vec![Vec::new(); n];
    for (from, targets) in edges.iter().enumerate() {
        for &to in targets {
            reverse[to].push(from);
        }
    }
    let mut component = vec![usize::MAX; n];
    for (id, &root) in order.iter().rev().enumerate() {
        if component[root] != usize::MAX {
            continue;
        }
        component[root] = id;
        let mut stack = vec![root];
        while let Some(node) = stack.pop() {
            for &from in &reverse[node] {
                if component[from] == usize::MAX {
                    component[from] = id;
                    stack.push(from);
                }
            }
        }
    }
    component
}
