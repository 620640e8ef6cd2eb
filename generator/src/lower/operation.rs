//! Paths and operations -> `ir::Operation`s.

use crate::diagnostic::{escape, Findings};
use crate::ir::{
    Body, Encoding, Envelope, FieldStep, Method, Operation, Pagination, Param, ParamLocation,
    RateLimit, Response, Status, TypeDef, TypeKind, TypeRef,
};
use crate::lower::ext;
use crate::lower::schema::TypeSpace;
use crate::naming::{self, Scope};
use openapiv3::{
    OpenAPI, Parameter, ParameterSchemaOrContent, ReferenceOr, RequestBody, SchemaKind, StatusCode,
    Type,
};

/// What operations inherit from the document's root.
pub struct Defaults<'a> {
    /// Root `x-envelope`.
    pub envelope: Option<Envelope>,
    /// Root `x-rate-limit`.
    pub rate_limit: Option<RateLimit>,
    /// Security scheme keys, in `Api::auth` order.
    pub schemes: &'a [String],
}

fn methods(
    item: &openapiv3::PathItem,
) -> [(Method, &'static str, Option<&openapiv3::Operation>); 7] {
    [
        (Method::Get, "get", item.get.as_ref()),
        (Method::Put, "put", item.put.as_ref()),
        (Method::Post, "post", item.post.as_ref()),
        (Method::Delete, "delete", item.delete.as_ref()),
        (Method::Patch, "patch", item.patch.as_ref()),
        (Method::Head, "head", item.head.as_ref()),
        (Method::Options, "options", item.options.as_ref()),
    ]
}

/// Lowers every operation, in spec order.
pub fn lower_all(
    doc: &OpenAPI,
    space: &mut TypeSpace<'_>,
    defaults: &Defaults<'_>,
    findings: &mut Findings,
) -> Vec<Operation> {
    let mut names = Scope::default();
    let mut operations = Vec::new();
    let mut rpc_seen: Vec<(String, Method, String, String, String)> = Vec::new();
    for (path, item) in &doc.paths.paths {
        let path_at = format!("/paths/{}", escape(path));
        let item = match item {
            ReferenceOr::Item(item) => item,
            ReferenceOr::Reference { .. } => {
                findings.error(
                    &path_at,
                    "path items given by $ref are not supported",
                    "write the path item inline",
                );
                continue;
            }
        };
        if item.trace.is_some() {
            findings.warning(
                &format!("{path_at}/trace"),
                "TRACE operation skipped: TRACE is not supported",
                "remove the trace operation (`--strict` makes this an error)",
            );
        }
        for (method, key, op) in methods(item) {
            let Some(op) = op else { continue };
            let at = format!("{path_at}/{key}");
            let mark = findings.0.len();
            crate::lower::refuse::unsupported_operation(op, &at, findings);
            let lowered = lower_one(
                doc,
                space,
                defaults,
                findings,
                path,
                &item.parameters,
                method,
                op,
                &at,
                &mut names,
            );
            if crate::lower::refuse::skip_if_unsupported(findings, mark, &lowered.0.id, &at) {
                continue;
            }
            if let Some((rpc_path, header, action)) = lowered.1 {
                if let Some(other) = rpc_seen
                    .iter()
                    .find(|(p, m, ..)| *p == rpc_path && *m == method)
                {
                    if other.2 != header {
                        findings.error(&format!("{at}/x-rpc/header"), format!("operations on {rpc_path} select the action with `{}`, not `{header}`", other.2), "use one action header per path and method");
                    } else if other.3 == action {
                        findings.error(
                            &format!("{at}/x-rpc/action"),
                            format!("action `{action}` is already used by `{}`", other.4),
                            "give each operation its own action",
                        );
                    }
                }
                rpc_seen.push((rpc_path, method, header, action, lowered.0.id.clone()));
            }
            operations.push(lowered.0);
        }
    }
    operations
}

#[allow(clippy::too_many_arguments)]
fn lower_one(
    doc: &OpenAPI,
    space: &mut TypeSpace<'_>,
    defaults: &Defaults<'_>,
    findings: &mut Findings,
    path: &str,
    shared_params: &[ReferenceOr<Parameter>],
    method: Method,
    op: &openapiv3::Operation,
    at: &str,
    names: &mut Scope,
) -> (Operation, Option<(String, String, String)>) {
    // Without an operationId, the method and path give a stable name: `get_accounts_id_items`.
    let id = op.operation_id.clone().unwrap_or_else(|| {
        let method_word = format!("{method:?}").to_lowercase();
        naming::method(&format!(
            "{method_word} {}",
            path.replace(['{', '}', '/'], " ")
        ))
    });
    let name = names.claim(naming::method(&id));
    let type_stem = naming::type_name(&id);

    let rpc = ext::rpc(&op.extensions, at, findings);
    if let Some((rpc_path, _, _)) = &rpc {
        if !path.starts_with(rpc_path.as_str()) {
            findings.error(
                at,
                format!("the path key `{path}` must start with the `x-rpc` path `{rpc_path}`"),
                format!("name the path `{rpc_path}#<Action>`"),
            );
        }
    }
    let request_path = rpc.as_ref().map_or(path.to_owned(), |(p, _, _)| p.clone());

    // Operation-level parameters override path-level ones with the same name and location.
    let mut params = Vec::new();
    let mut constant_headers = Vec::new();
    let mut seen: Vec<(String, ParamLocation)> = Vec::new();
    // Parameters refused as unsupported: their path variables are not reported missing too.
    let mut refused: Vec<String> = Vec::new();
    let mut param_scope = Scope::with_reserved(&["body"]);
    let all = op
        .parameters
        .iter()
        .enumerate()
        .map(|(i, p)| (p, format!("{at}/parameters/{i}")))
        .chain(
            shared_params
                .iter()
                .enumerate()
                .map(|(i, p)| (p, format!("/paths/{}/parameters/{i}", escape(path)))),
        );
    for (param, pat) in all {
        let Some((data, location)) = resolve_parameter(doc, param, &pat, findings) else {
            continue;
        };
        if seen.iter().any(|(n, l)| *n == data.name && *l == location) {
            continue;
        }
        seen.push((data.name.clone(), location));
        let schema = match &data.format {
            ParameterSchemaOrContent::Schema(s) => s,
            ParameterSchemaOrContent::Content(_) => {
                findings.unsupported(
                    &pat,
                    "parameters with `content` are not supported",
                    "give the parameter a `schema`",
                );
                continue;
            }
        };
        let constant = space.resolve(schema).and_then(|s| match &s.schema_kind {
            SchemaKind::Type(Type::String(st)) if st.enumeration.len() == 1 => {
                st.enumeration[0].clone()
            }
            _ => None,
        });
        if let (true, Some(value)) = (data.required, constant) {
            match location {
                ParamLocation::Header => constant_headers.push((data.name.clone(), value)),
                _ => findings.unsupported(
                    &pat,
                    "a constant (single-value enum) parameter is only supported in headers",
                    "make it a header, or give its enum more than one value",
                ),
            }
            continue;
        }
        let hint = format!("{type_stem}{}", naming::type_name(&data.name));
        let ty = space.lower(schema, &hint, &format!("{pat}/schema"), findings);
        let secret = ext::flag(&data.extensions, "x-secret", &pat, findings);
        let ty = if secret && ty == TypeRef::String {
            TypeRef::Secret
        } else {
            ty
        };
        let structured = |t: &TypeRef| match t {
            TypeRef::Named(name) => space.types.iter().any(|d| {
                &d.name == name
                    && matches!(
                        d.kind,
                        crate::ir::TypeKind::Struct { .. } | crate::ir::TypeKind::Union { .. }
                    )
            }),
            TypeRef::Map(_) | TypeRef::Json => true,
            _ => false,
        };
        let scalar_of = |t: &TypeRef| match t {
            TypeRef::Option(inner) => inner.as_ref().clone(),
            other => other.clone(),
        };
        let item = match scalar_of(&ty) {
            TypeRef::Vec(inner) => *inner,
            other => other,
        };
        if structured(&scalar_of(&ty)) || structured(&item) || matches!(item, TypeRef::Vec(_)) {
            refused.push(data.name.clone());
            findings.unsupported(
                &format!("{pat}/schema"),
                format!("parameter `{}` is an object or nested array, which is not supported", data.name),
                "use scalars or arrays of scalars in parameters, or move the value into the request body",
            );
            continue;
        }
        if location != ParamLocation::Query
            && matches!(scalar_of(&ty), TypeRef::Vec(_))
            && data.explode == Some(true)
        {
            findings.unsupported(
                &format!("{pat}/explode"),
                "`explode: true` is only supported for query arrays",
                "remove `explode` (header and cookie arrays are comma-separated)",
            );
        }
        if location == ParamLocation::Path && !data.required {
            findings.error(
                &format!("{pat}/required"),
                "path parameters must be required",
                "add `required: true`",
            );
        }
        params.push(Param {
            wire: data.name.clone(),
            name: param_scope.claim(naming::field(&data.name)),
            location,
            required: data.required || location == ParamLocation::Path,
            ty,
            doc: data.description.clone().map(|d| d.trim().to_owned()),
            deprecated: data.deprecated.unwrap_or(false),
            explode: data.explode.unwrap_or(location == ParamLocation::Query),
        });
    }
    for template in path_variables(&request_path) {
        if !params
            .iter()
            .any(|p| p.location == ParamLocation::Path && p.wire == template)
            && !refused.contains(&template)
        {
            findings.error(
                at,
                format!("path variable `{{{template}}}` has no path parameter"),
                format!("declare a parameter `{template}` with `in: path`"),
            );
        }
    }
    for p in params.iter().filter(|p| p.location == ParamLocation::Path) {
        if !path_variables(&request_path).any(|t| t == p.wire) {
            findings.error(
                at,
                format!("path parameter `{}` does not appear in the path", p.wire),
                format!("add `{{{}}}` to the path or remove the parameter", p.wire),
            );
        }
    }
    if let Some((_, header, action)) = &rpc {
        constant_headers.push((header.clone(), action.clone()));
    }

    let body = op.request_body.as_ref().and_then(|b| {
        lower_body(
            doc,
            space,
            b,
            &type_stem,
            &format!("{at}/requestBody"),
            findings,
        )
    });

    let envelope = match ext::envelope(&op.extensions, at, findings) {
        Some(own) => own,
        None => defaults.envelope.clone(),
    };
    let (success, errors) =
        lower_responses(doc, space, op, &type_stem, envelope.as_ref(), at, findings);

    let requirements = op.security.as_ref().or(doc.security.as_ref());
    let auth_optional =
        requirements.is_none_or(|r| r.is_empty() || r.iter().any(|req| req.is_empty()));
    let security = match requirements {
        None => Vec::new(),
        Some(requirements) => {
            let mut chosen = Vec::new();
            for (i, requirement) in requirements.iter().enumerate() {
                if requirement.len() > 1 {
                    findings.unsupported(
                        &format!("{at}/security/{i}"),
                        "a security requirement combining several schemes is not supported",
                        "list the schemes as alternatives, one per requirement",
                    );
                }
                for key in requirement.keys() {
                    match defaults.schemes.iter().position(|s| s == key) {
                        Some(index) => chosen.push(index),
                        None => findings.error(
                            &format!("{at}/security/{i}"),
                            format!("unknown security scheme `{key}`"),
                            "define it under `components.securitySchemes`",
                        ),
                    }
                }
            }
            chosen
        }
    };

    let rate_limit =
        ext::rate_limit(&op.extensions, at, findings).or_else(|| defaults.rate_limit.clone());
    let idempotent = ext::flag(&op.extensions, "x-idempotent", at, findings)
        || matches!(
            method,
            Method::Get | Method::Put | Method::Delete | Method::Head | Method::Options
        );
    let unverified = ext::text(&op.extensions, "x-unverified", at, findings);
    let pagination =
        ext::pagination(&op.extensions, at, findings).and_then(|(page, first, items, total)| {
            let at = format!("{at}/x-pagination");
            let param = params
                .iter()
                .find(|p| p.wire == page && p.location == ParamLocation::Query);
            let Some(param) =
                param.filter(|p| !p.required && matches!(p.ty, TypeRef::I32 | TypeRef::I64))
            else {
                findings.error(
                    &format!("{at}/page-param"),
                    format!(
                        "`{page}` is not an optional integer query parameter of this operation"
                    ),
                    "name the optional integer query parameter that selects the page",
                );
                return None;
            };
            let payload = success.iter().find_map(|r| r.ty.clone());
            let walk =
                |pointer: &str,
                 findings: &mut Findings,
                 key: &str|
                 -> Option<(Vec<FieldStep>, TypeRef)> {
                    let mut current = payload.clone()?;
                    let mut path = Vec::new();
                    for segment in pointer.split('/').skip(1) {
                        let name = match &current {
                            TypeRef::Named(n) => n.clone(),
                            TypeRef::Option(inner) => match inner.as_ref() {
                                TypeRef::Named(n) => n.clone(),
                                _ => String::new(),
                            },
                            _ => String::new(),
                        };
                        let field = space.types.iter().find(|t| t.name == name).and_then(|t| {
                            match &t.kind {
                                TypeKind::Struct { fields, .. } => {
                                    fields.iter().find(|f| f.wire == segment)
                                }
                                _ => None,
                            }
                        });
                        let Some(field) = field else {
                            findings.error(
                                &format!("{at}/{key}"),
                                format!(
                                "`{pointer}` is not a property path of this operation's payload"
                            ),
                                "point at properties of the (enveloped) success body",
                            );
                            return None;
                        };
                        path.push(FieldStep {
                            field: field.name.clone(),
                            optional: matches!(field.ty, TypeRef::Option(_)),
                        });
                        current = field.ty.clone();
                    }
                    Some((path, current))
                };
            let (items_path, items_ty) = walk(&items, findings, "items")?;
            let plain = |t: &TypeRef| match t {
                TypeRef::Option(inner) => inner.as_ref().clone(),
                other => other.clone(),
            };
            let TypeRef::Vec(item) = plain(&items_ty) else {
                findings.error(
                    &format!("{at}/items"),
                    format!("`{items}` is not an array property of the payload"),
                    "point at the array of items, e.g. `/data`",
                );
                return None;
            };
            if items_path.is_empty() {
                findings.error(
                    &format!("{at}/items"),
                    "`items` must point into the payload",
                    "point at the array of items, e.g. `/data`",
                );
                return None;
            }
            let total_pages = match total {
                None => None,
                Some(pointer) => {
                    let (path, ty) = walk(&pointer, findings, "total-pages")?;
                    if !matches!(plain(&ty), TypeRef::I32 | TypeRef::I64) || path.is_empty() {
                        findings.error(
                            &format!("{at}/total-pages"),
                            format!("`{pointer}` is not an integer property of the payload"),
                            "point at the total number of pages",
                        );
                        return None;
                    }
                    Some(path)
                }
            };
            if op.request_body.is_some() {
                findings.error(
                    &at,
                    "paginated operations with a request body are not supported",
                    "paginate a GET-style operation whose inputs are parameters",
                );
                return None;
            }
            Some(Pagination {
                page_param: param.name.clone(),
                first_page: first,
                items: items_path,
                item: *item,
                total_pages,
            })
        });

    let operation = Operation {
        id,
        name,
        type_stem,
        method,
        path: request_path,
        summary: op.summary.clone().map(|s| s.trim().to_owned()),
        description: op.description.clone().map(|s| s.trim().to_owned()),
        deprecated: op.deprecated,
        unverified,
        params,
        constant_headers,
        body,
        success,
        errors,
        security,
        auth_optional,
        envelope,
        rate_limit,
        idempotent,
        pagination,
    };
    (operation, rpc)
}

fn path_variables(path: &str) -> impl Iterator<Item = String> + '_ {
    path.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_owned()))
}

fn resolve_parameter<'d>(
    doc: &'d OpenAPI,
    param: &'d ReferenceOr<Parameter>,
    at: &str,
    findings: &mut Findings,
) -> Option<(&'d openapiv3::ParameterData, ParamLocation)> {
    let param = match param {
        ReferenceOr::Item(p) => p,
        ReferenceOr::Reference { reference } => {
            let found = reference
                .strip_prefix("#/components/parameters/")
                .and_then(|key| doc.components.as_ref()?.parameters.get(key));
            match found {
                Some(ReferenceOr::Item(p)) => p,
                _ => {
                    findings.error(
                        &format!("{at}/$ref"),
                        format!("dangling $ref `{reference}`: no such parameter"),
                        "define it under `components.parameters` or fix the reference",
                    );
                    return None;
                }
            }
        }
    };
    match param {
        Parameter::Query {
            parameter_data,
            style,
            ..
        } => {
            if !matches!(style, openapiv3::QueryStyle::Form) {
                findings.unsupported(
                    &format!("{at}/style"),
                    format!("query style `{style:?}` is not supported"),
                    "use the default `style: form` (with `explode: false` for comma-separated arrays)",
                );
                return None;
            }
            Some((parameter_data, ParamLocation::Query))
        }
        Parameter::Header { parameter_data, .. } => Some((parameter_data, ParamLocation::Header)),
        Parameter::Path { parameter_data, .. } => Some((parameter_data, ParamLocation::Path)),
        Parameter::Cookie { parameter_data, .. } => Some((parameter_data, ParamLocation::Cookie)),
    }
}

fn encoding_of(media: &str) -> Encoding {
    let essence = media
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if essence == "application/json" || essence.ends_with("+json") {
        Encoding::Json
    } else if essence == "application/x-www-form-urlencoded" {
        Encoding::Form
    } else if essence.starts_with("text/") {
        Encoding::Text
    } else {
        Encoding::Binary
    }
}

/// The media type to use when several are offered: JSON, then form, text, binary.
fn preferred(
    content: &indexmap::IndexMap<String, openapiv3::MediaType>,
) -> Option<(&String, &openapiv3::MediaType, Encoding)> {
    let rank = |e: Encoding| match e {
        Encoding::Json => 0,
        Encoding::Form => 1,
        Encoding::Text => 2,
        Encoding::Binary => 3,
    };
    content
        .iter()
        .map(|(m, c)| (m, c, encoding_of(m)))
        .min_by_key(|(_, _, e)| rank(*e))
}

fn lower_body(
    doc: &OpenAPI,
    space: &mut TypeSpace<'_>,
    body: &ReferenceOr<RequestBody>,
    stem: &str,
    at: &str,
    findings: &mut Findings,
) -> Option<Body> {
    let body = match body {
        ReferenceOr::Item(b) => b,
        ReferenceOr::Reference { reference } => {
            let found = reference
                .strip_prefix("#/components/requestBodies/")
                .and_then(|k| doc.components.as_ref()?.request_bodies.get(k));
            match found {
                Some(ReferenceOr::Item(b)) => b,
                _ => {
                    findings.error(
                        &format!("{at}/$ref"),
                        format!("dangling $ref `{reference}`: no such request body"),
                        "define it under `components.requestBodies` or fix the reference",
                    );
                    return None;
                }
            }
        }
    };
    let Some((media, content, encoding)) = preferred(&body.content) else {
        findings.error(
            &format!("{at}/content"),
            "the request body has no media type",
            "add `content: {application/json: {schema: ...}}`",
        );
        return None;
    };
    if media.contains('*') {
        findings.unsupported(
            &format!("{at}/content"),
            format!("wildcard media type `{media}` for a request body"),
            "name the media type the server accepts, e.g. `application/json`",
        );
        return None;
    }
    let ty = match encoding {
        Encoding::Text => TypeRef::String,
        Encoding::Binary => TypeRef::Bytes,
        Encoding::Json | Encoding::Form => match &content.schema {
            Some(schema) => space.lower(
                schema,
                &format!("{stem}Request"),
                &format!("{at}/content/{}/schema", escape(media)),
                findings,
            ),
            None => TypeRef::Json,
        },
    };
    if encoding == Encoding::Form && !matches!(ty, TypeRef::Named(_)) {
        findings.unsupported(
            &format!("{at}/content/{}/schema", escape(media)),
            "a form body must be an object schema",
            "describe the form fields as the properties of one object",
        );
    }
    Some(Body {
        ty,
        required: body.required,
        media: media.clone(),
        encoding,
        doc: body.description.clone().map(|d| d.trim().to_owned()),
    })
}

fn variant_for(status: Status) -> String {
    match status {
        Status::Code(code) => http::StatusCode::from_u16(code)
            .ok()
            .and_then(|s| s.canonical_reason())
            .map_or_else(|| format!("Status{code}"), naming::type_name),
        Status::Range(2) => "Success".to_owned(),
        Status::Range(3) => "Redirection".to_owned(),
        Status::Range(4) => "ClientError".to_owned(),
        Status::Range(5) => "ServerError".to_owned(),
        Status::Range(n) => format!("Status{n}xx"),
        Status::Default => "Other".to_owned(),
    }
}

fn lower_responses(
    doc: &OpenAPI,
    space: &mut TypeSpace<'_>,
    op: &openapiv3::Operation,
    stem: &str,
    envelope: Option<&Envelope>,
    at: &str,
    findings: &mut Findings,
) -> (Vec<Response>, Vec<Response>) {
    let mut success = Vec::new();
    let mut errors = Vec::new();
    let mut variants = Scope::default();
    let entries = op
        .responses
        .responses
        .iter()
        .map(|(code, r)| match code {
            StatusCode::Code(c) => (Status::Code(*c), c.to_string(), r),
            StatusCode::Range(n) => (Status::Range(*n), format!("{n}XX"), r),
        })
        .chain(
            op.responses
                .default
                .as_ref()
                .map(|r| (Status::Default, "default".to_owned(), r)),
        );
    for (status, key, response) in entries {
        let rat = format!("{at}/responses/{key}");
        let response = match response {
            ReferenceOr::Item(r) => r,
            ReferenceOr::Reference { reference } => {
                let found = reference
                    .strip_prefix("#/components/responses/")
                    .and_then(|k| doc.components.as_ref()?.responses.get(k));
                match found {
                    Some(ReferenceOr::Item(r)) => r,
                    _ => {
                        findings.error(
                            &format!("{rat}/$ref"),
                            format!("dangling $ref `{reference}`: no such response"),
                            "define it under `components.responses` or fix the reference",
                        );
                        continue;
                    }
                }
            }
        };
        let is_success = matches!(status, Status::Code(200..=299) | Status::Range(2));
        let variant = variants.claim(variant_for(status));
        let hint = if is_success {
            format!("{stem}Response")
        } else {
            format!("{stem}{variant}")
        };
        let chosen = preferred(&response.content);
        let encoding = chosen.map_or(Encoding::Json, |(_, _, e)| {
            if e == Encoding::Form {
                Encoding::Text
            } else {
                e
            }
        });
        let ty = chosen.map(|(media, content, _)| match (encoding, &content.schema) {
            (Encoding::Text, _) => TypeRef::String,
            (Encoding::Binary, _) if is_success => TypeRef::Bytes,
            // Binary error bodies are kept as (lossy) text: they are for reading, not for use.
            (Encoding::Binary, _) => TypeRef::String,
            (_, Some(schema)) => space.lower(
                schema,
                &hint,
                &format!("{rat}/content/{}/schema", escape(media)),
                findings,
            ),
            (_, None) => TypeRef::Json,
        });
        let encoding = if encoding == Encoding::Binary && !is_success {
            Encoding::Text
        } else {
            encoding
        };
        let ty = match (
            is_success,
            envelope.filter(|_| encoding == Encoding::Json),
            ty,
        ) {
            (true, Some(envelope), Some(ty)) => Some(payload_type(
                &space.types,
                ty,
                &envelope.payload,
                &rat,
                findings,
            )),
            (_, _, ty) => ty,
        };
        let entry = Response {
            status,
            variant,
            ty,
            encoding,
            doc: response.description.trim().to_owned(),
        };
        if is_success {
            success.push(entry);
        } else {
            errors.push(entry);
        }
    }
    if success.is_empty() {
        findings.unsupported(
            &format!("{at}/responses"),
            "no successful (2xx) response is documented",
            "document the success status, e.g. `'200'` or `'204'`",
        );
    }
    (success, errors)
}

/// Walks the envelope's payload pointer through the (already lowered) body type.
fn payload_type(
    types: &[TypeDef],
    ty: TypeRef,
    pointer: &str,
    at: &str,
    findings: &mut Findings,
) -> TypeRef {
    let mut current = ty;
    for segment in pointer.split('/').skip(1) {
        let segment = segment.replace("~1", "/").replace("~0", "~");
        let name = match &current {
            TypeRef::Named(name) => name.clone(),
            TypeRef::Option(inner) => match inner.as_ref() {
                TypeRef::Named(name) => name.clone(),
                _ => String::new(),
            },
            _ => String::new(),
        };
        let field = types
            .iter()
            .find(|t| t.name == name)
            .and_then(|t| match &t.kind {
                TypeKind::Struct { fields, .. } => fields
                    .iter()
                    .find(|f| f.wire == segment)
                    .map(|f| f.ty.clone()),
                _ => None,
            });
        match field {
            Some(ty) => current = ty,
            None => {
                findings.error(
                    &format!("{at}/content"),
                    format!("the envelope's payload `{pointer}` is not a property of this response's schema"),
                    "declare the payload property in the response schema (a named object), or set `x-envelope: none` on this operation",
                );
                return TypeRef::Json;
            }
        }
    }
    current
}
