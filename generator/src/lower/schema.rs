//! Schemas -> `TypeRef`s and named `TypeDef`s (the type table). Names are resolved once here.

use crate::diagnostic::{escape, Findings};
use crate::ir::{Field, TypeDef, TypeKind, TypeRef, Variant};
use crate::lower::ext;
use crate::naming::{self, Scope};
use openapiv3::{
    AdditionalProperties, IntegerFormat, NumberFormat, ObjectType, ReferenceOr, Schema, SchemaKind,
    StringFormat, Type, VariantOrUnknownOrEmpty,
};
use std::collections::BTreeMap;

const SCHEMA_PREFIX: &str = "#/components/schemas/";

/// Names that would shadow the prelude inside the generated `types` module.
const RESERVED: &[&str] = &["Option", "Vec", "String", "Result", "Box", "Self"];

/// The type table of one API.
#[derive(Debug)]
pub struct TypeSpace<'a> {
    components: &'a indexmap::IndexMap<String, ReferenceOr<Schema>>,
    /// Component key -> Rust name, assigned up front so `$ref`s resolve before definitions.
    component_names: BTreeMap<String, String>,
    scope: Scope,
    /// Finished definitions, in the order they were completed.
    pub types: Vec<TypeDef>,
}

impl<'a> TypeSpace<'a> {
    /// A table for `components`, with every component schema's name reserved.
    pub fn new(components: &'a indexmap::IndexMap<String, ReferenceOr<Schema>>) -> Self {
        let mut scope = Scope::with_reserved(RESERVED);
        let component_names = components
            .keys()
            .map(|key| (key.clone(), scope.claim(naming::type_name(key))))
            .collect();
        Self {
            components,
            component_names,
            scope,
            types: Vec::new(),
        }
    }

    /// Lowers every component schema, in spec order.
    pub fn lower_components(&mut self, findings: &mut Findings) {
        for (key, schema) in self.components {
            let at = format!("/components/schemas/{}", escape(key));
            let name = self.component_names[key].clone();
            match schema {
                ReferenceOr::Item(schema) => {
                    let ty = self.lower_named(&name, schema, &at, findings);
                    // A component that is not itself a struct or enum still gets its name.
                    if ty != TypeRef::Named(name.clone()) {
                        self.types.push(TypeDef {
                            name: name.clone(),
                            origin: at,
                            doc: doc_of(schema),
                            deprecated: schema.schema_data.deprecated,
                            kind: TypeKind::Alias(ty),
                        });
                    }
                }
                ReferenceOr::Reference { reference } => {
                    let target = self.reference(reference, &at, findings);
                    self.types.push(TypeDef {
                        name,
                        origin: at,
                        doc: None,
                        deprecated: false,
                        kind: TypeKind::Alias(target),
                    });
                }
            }
        }
    }

    /// The type a `$ref` names; a dangling reference is reported and lowered as JSON.
    pub fn reference(&self, reference: &str, at: &str, findings: &mut Findings) -> TypeRef {
        let key = reference
            .strip_prefix(SCHEMA_PREFIX)
            .map(|k| k.replace("~1", "/").replace("~0", "~"));
        match key.as_ref().and_then(|k| self.component_names.get(k)) {
            Some(name) => TypeRef::Named(name.clone()),
            None => {
                findings.error(
                    &format!("{at}/$ref"),
                    format!("dangling $ref `{reference}`: no such schema"),
                    match key {
                        Some(k) => format!("define `components.schemas.{k}` or fix the reference"),
                        None => {
                            "schema references must point into `#/components/schemas/`".to_owned()
                        }
                    },
                );
                TypeRef::Json
            }
        }
    }

    /// Follows `$ref`s to the schema they name (for reading constraints such as `enum`).
    pub fn resolve<'s>(&'s self, schema: &'s ReferenceOr<Schema>) -> Option<&'s Schema> {
        let mut current = schema;
        for _ in 0..16 {
            match current {
                ReferenceOr::Item(schema) => return Some(schema),
                ReferenceOr::Reference { reference } => {
                    current = self
                        .components
                        .get(reference.strip_prefix(SCHEMA_PREFIX)?)?;
                }
            }
        }
        None
    }

    /// Lowers a schema used somewhere; inline objects and enums are named `hint`.
    pub fn lower(
        &mut self,
        schema: &ReferenceOr<Schema>,
        hint: &str,
        at: &str,
        findings: &mut Findings,
    ) -> TypeRef {
        match schema {
            ReferenceOr::Reference { reference } => self.reference(reference, at, findings),
            ReferenceOr::Item(schema) => {
                let ty = self.lower_inline(schema, hint, at, findings);
                if schema.schema_data.nullable {
                    option(ty)
                } else {
                    ty
                }
            }
        }
    }

    /// Like [`Self::lower`] for a boxed schema (object properties, array items).
    pub fn lower_boxed(
        &mut self,
        schema: &ReferenceOr<Box<Schema>>,
        hint: &str,
        at: &str,
        findings: &mut Findings,
    ) -> TypeRef {
        match schema {
            ReferenceOr::Reference { reference } => self.reference(reference, at, findings),
            ReferenceOr::Item(schema) => {
                let ty = self.lower_inline(schema, hint, at, findings);
                if schema.schema_data.nullable {
                    option(ty)
                } else {
                    ty
                }
            }
        }
    }

    fn lower_inline(
        &mut self,
        schema: &Schema,
        hint: &str,
        at: &str,
        findings: &mut Findings,
    ) -> TypeRef {
        if needs_name(schema) {
            let name = self.scope.claim(naming::type_name(hint));
            self.lower_named(&name, schema, at, findings)
        } else {
            self.lower_named("", schema, at, findings)
        }
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
                    let variants = enum_variants(&s.enumeration);
                    self.define(name, schema, at, TypeKind::Enum { variants })
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
                let item_hint = format!("{}Item", if name.is_empty() { "Array" } else { name });
                let item = match &a.items {
                    Some(items) => {
                        self.lower_boxed(items, &item_hint, &format!("{at}/items"), findings)
                    }
                    None => TypeRef::Json,
                };
                TypeRef::Vec(Box::new(item))
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
            SchemaKind::OneOf { .. }
            | SchemaKind::AnyOf { .. }
            | SchemaKind::AllOf { .. }
            | SchemaKind::Not { .. } => {
                findings.error(
                    at,
                    "oneOf/anyOf/allOf/not are not supported yet",
                    "describe the value as one object schema (optional fields for the variants), or as a free-form object",
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
                    let hint = format!("{}Value", if name.is_empty() { "Map" } else { name });
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
        let mut fields = Vec::new();
        for (wire, property) in &object.properties {
            let pat = format!("{at}/properties/{}", escape(wire));
            let hint = format!("{name}{}", naming::type_name(wire));
            let ty = self.lower_boxed(property, &hint, &pat, findings);
            let (doc, deprecated) = match property {
                ReferenceOr::Item(p) => (doc_of(p), p.schema_data.deprecated),
                ReferenceOr::Reference { .. } => (None, false),
            };
            let optional = !object.required.contains(wire);
            let ty = if optional { option(ty) } else { ty };
            fields.push(Field {
                wire: wire.clone(),
                name: scope.claim(naming::field(wire)),
                ty,
                optional,
                doc,
                deprecated,
            });
        }
        for required in &object.required {
            if !object.properties.contains_key(required) {
                findings.error(
                    &format!("{at}/required"),
                    format!("`{required}` is required but not among the properties"),
                    format!("add a property `{required}` or remove it from `required`"),
                );
            }
        }
        let open = matches!(
            object.additional_properties,
            Some(AdditionalProperties::Any(true)) | Some(AdditionalProperties::Schema(_))
        );
        self.define(name, schema, at, TypeKind::Struct { fields, open })
    }

    fn define(&mut self, name: &str, schema: &Schema, at: &str, kind: TypeKind) -> TypeRef {
        self.types.push(TypeDef {
            name: name.to_owned(),
            origin: at.to_owned(),
            doc: doc_of(schema),
            deprecated: schema.schema_data.deprecated,
            kind,
        });
        TypeRef::Named(name.to_owned())
    }
}

/// Inline schemas that become named types.
fn needs_name(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => !s.enumeration.is_empty(),
        SchemaKind::Type(Type::Object(o)) => !o.properties.is_empty(),
        SchemaKind::Any(a) => !a.properties.is_empty(),
        _ => false,
    }
}

fn enum_variants(values: &[Option<String>]) -> Vec<Variant> {
    let mut scope = Scope::default();
    values
        .iter()
        .flatten()
        .map(|wire| Variant {
            wire: wire.clone(),
            name: scope.claim(naming::variant(wire)),
        })
        .collect()
}

fn option(ty: TypeRef) -> TypeRef {
    match ty {
        TypeRef::Option(_) => ty,
        other => TypeRef::Option(Box::new(other)),
    }
}

/// A schema's description, else its title.
pub fn doc_of(schema: &Schema) -> Option<String> {
    schema
        .schema_data
        .description
        .clone()
        .or_else(|| schema.schema_data.title.clone())
        .map(|d| d.trim().to_owned())
        .filter(|d| !d.is_empty())
}
