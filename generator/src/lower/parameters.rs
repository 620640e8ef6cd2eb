//! Parameters -> `ir::Param`s (and the constant headers single-value enums become).

use crate::diagnostic::escape;
use crate::ir::{Param, ParamLocation, ParamStyle, Template, TypeKind, TypeRef};
use crate::load::ext;
use crate::lower::operation::OpLowering;
use crate::lower::refs;
use crate::naming::{self, Scope};
use openapiv3::{Parameter, ParameterData, ParameterSchemaOrContent, SchemaKind, Type};

/// The parameters the caller gives, the headers sent with fixed values, and the parameters the
/// client holds (`x-client-setting`: the setting's name, the parameter, where it is).
pub type Lowered = (
    Vec<Param>,
    Vec<(String, String)>,
    Vec<(String, Param, String)>,
);

impl OpLowering<'_, '_> {
    /// Lowers the operation's parameters, then the path item's (operation-level parameters
    /// override path-level ones with the same name and location), and checks them against the
    /// variables of `request_path`.
    pub fn parameters(&mut self, request_path: &Template) -> Lowered {
        let mut params = Vec::new();
        let mut constant_headers = Vec::new();
        let mut settings = Vec::new();
        let mut seen: Vec<(String, ParamLocation)> = Vec::new();
        // Parameters already reported, so that their path variables are not reported again.
        let mut refused: Vec<String> = Vec::new();
        // Path parameters are method arguments, beside the method's locals; the others are fields
        // of the operation's `Params` struct.
        let mut arguments = Scope::with_reserved(naming::METHOD_LOCALS);
        let mut fields = Scope::default();
        let mut setters = naming::setter_scope();
        let (op_at, path_at) = (self.at.clone(), format!("/paths/{}", escape(self.path)));
        let all: Vec<_> = self
            .op
            .parameters
            .iter()
            .enumerate()
            .map(|(i, p)| (p, format!("{op_at}/parameters/{i}")))
            .chain(
                self.item
                    .parameters
                    .iter()
                    .enumerate()
                    .map(|(i, p)| (p, format!("{path_at}/parameters/{i}"))),
            )
            .collect();
        for (param, pat) in all {
            let Some(param) = refs::resolve(self.doc, param, &pat, self.findings) else {
                continue;
            };
            let Some((data, location, style)) = self.location(param, &pat) else {
                continue;
            };
            if seen.iter().any(|(n, l)| *n == data.name && *l == location) {
                continue;
            }
            seen.push((data.name.clone(), location));
            if let Some(value) = self.constant(data, &pat) {
                match location {
                    ParamLocation::Header => constant_headers.push((data.name.clone(), value)),
                    _ => self.findings.unsupported(
                        &pat,
                        "a constant (single-value enum) parameter is only supported in headers",
                        "make it a header, or give its enum more than one value",
                    ),
                }
                refused.push(data.name.clone());
                continue;
            }
            if let Some(key) = ext::text(&data.extensions, "x-client-setting", &pat, self.findings)
            {
                if let Some(param) = self.setting(data, (location, style), &pat) {
                    settings.push((key, param, pat));
                } else {
                    refused.push(data.name.clone());
                }
                continue;
            }
            let scope = if location == ParamLocation::Path {
                &mut arguments
            } else {
                &mut fields
            };
            match self.parameter(data, (location, style), &pat, scope) {
                Some(mut param) => {
                    if location != ParamLocation::Path {
                        param.setter = Some(naming::claim_setter(&mut setters, &param.name));
                    }
                    params.push(param);
                }
                None => refused.push(data.name.clone()),
            }
        }
        self.check_path_variables(&params, &refused, request_path);
        (params, constant_headers, settings)
    }

    /// A parameter marked `x-client-setting`: an optional scalar in a header or the query.
    fn setting(
        &mut self,
        data: &ParameterData,
        (location, style): (ParamLocation, ParamStyle),
        pat: &str,
    ) -> Option<Param> {
        let at = format!("{pat}/x-client-setting");
        if !matches!(location, ParamLocation::Header | ParamLocation::Query) || data.required {
            self.findings.error(
                &at,
                "a client setting must be an optional header or query parameter",
                "remove `x-client-setting`, or make the parameter optional and put it in a header or the query",
            );
            return None;
        }
        let mut param = self.parameter(data, (location, style), pat, &mut Scope::default())?;
        param.ty = strip_option(&param.ty);
        if matches!(param.ty, TypeRef::Vec(_))
            || !self.space.is_scalar(&param.ty) && param.ty != TypeRef::Secret
        {
            self.findings.error(
                &at,
                "a client setting must be a scalar (a string, number, boolean or enum)",
                "remove `x-client-setting` from this parameter",
            );
            return None;
        }
        Some(param)
    }

    /// Where a parameter goes; `None` (reported) for what is not supported.
    fn location<'p>(
        &mut self,
        param: &'p Parameter,
        at: &str,
    ) -> Option<(&'p ParameterData, ParamLocation, ParamStyle)> {
        match param {
            Parameter::Query {
                parameter_data,
                style,
                ..
            } => match style {
                openapiv3::QueryStyle::Form => {
                    Some((parameter_data, ParamLocation::Query, ParamStyle::Plain))
                }
                openapiv3::QueryStyle::DeepObject => {
                    Some((parameter_data, ParamLocation::Query, ParamStyle::DeepObject))
                }
                _ => {
                    self.findings.unsupported(
                        &format!("{at}/style"),
                        format!("query style `{style:?}` is not supported"),
                        "use `style: form` (with `explode: false` for comma-separated arrays) or `style: deepObject`",
                    );
                    None
                }
            },
            Parameter::Header { parameter_data, .. } => {
                Some((parameter_data, ParamLocation::Header, ParamStyle::Plain))
            }
            Parameter::Path { parameter_data, .. } => {
                Some((parameter_data, ParamLocation::Path, ParamStyle::Plain))
            }
            Parameter::Cookie { parameter_data, .. } => {
                Some((parameter_data, ParamLocation::Cookie, ParamStyle::Plain))
            }
        }
    }

    /// The value of a required single-value string enum parameter.
    fn constant(&mut self, data: &ParameterData, _at: &str) -> Option<String> {
        let ParameterSchemaOrContent::Schema(schema) = &data.format else {
            return None;
        };
        if !data.required {
            return None;
        }
        self.space
            .resolve(schema)
            .and_then(|s| match &s.schema_kind {
                SchemaKind::Type(Type::String(st)) if st.enumeration.len() == 1 => {
                    st.enumeration[0].clone()
                }
                _ => None,
            })
    }

    /// One parameter the caller gives.
    fn parameter(
        &mut self,
        data: &ParameterData,
        (location, style): (ParamLocation, ParamStyle),
        pat: &str,
        scope: &mut Scope,
    ) -> Option<Param> {
        let schema = match &data.format {
            ParameterSchemaOrContent::Schema(s) => s,
            ParameterSchemaOrContent::Content(_) => {
                self.findings.unsupported(
                    pat,
                    "parameters with `content` are not supported",
                    "give the parameter a `schema`",
                );
                return None;
            }
        };
        let hint = format!("{}{}", self.stem, naming::type_name(&data.name));
        let ty = self
            .space
            .lower(schema, &hint, &format!("{pat}/schema"), self.findings);
        // A path segment cannot carry null, so a `nullable` schema there does not make the
        // argument optional: the path builder takes the value itself.
        let ty = if location == ParamLocation::Path {
            strip_option(&ty)
        } else {
            ty
        };
        let secret = ext::flag(&data.extensions, "x-secret", pat, self.findings);
        let ty = if secret && ty == TypeRef::String {
            TypeRef::Secret
        } else {
            ty
        };
        let plain = strip_option(&ty);
        let item = match &plain {
            TypeRef::Vec(inner) => inner.as_ref().clone(),
            other => other.clone(),
        };
        let object = location == ParamLocation::Query && self.flat_object(&plain);
        if style == ParamStyle::DeepObject && !object {
            self.findings.unsupported(
                &format!("{pat}/style"),
                format!("`style: deepObject` needs an object of scalar properties, and `{}` is not one", data.name),
                "give the parameter an object schema whose properties are scalars, or use `style: form`",
            );
            return None;
        }
        let scalar = |t: &TypeRef| *t == TypeRef::Secret || self.space.is_scalar(t);
        if !(object || scalar(&item)) {
            self.findings.unsupported(
                &format!("{pat}/schema"),
                format!("parameter `{}` is a free-form or nested object or array, which is not supported", data.name),
                "use scalars, arrays of scalars or (in a query) an object of scalar properties, or move the value into the request body",
            );
            return None;
        }
        if location != ParamLocation::Query
            && matches!(plain, TypeRef::Vec(_))
            && data.explode == Some(true)
        {
            self.findings.unsupported(
                &format!("{pat}/explode"),
                "`explode: true` is only supported for query arrays",
                "remove `explode` (header and cookie arrays are comma-separated)",
            );
        }
        if location == ParamLocation::Path && !data.required {
            // OpenAPI requires `required: true` on path parameters; a path cannot omit one,
            // so the intent is unmistakable and the parameter is read as required.
            self.findings.warning(
                &format!("{pat}/required"),
                format!(
                    "path parameter `{}` lacks `required: true`: read as required",
                    data.name
                ),
                "add `required: true` (OpenAPI requires it on every path parameter)",
            );
        }
        Some(Param {
            wire: data.name.clone(),
            name: scope.claim_field(&data.name),
            location,
            required: data.required || location == ParamLocation::Path,
            ty,
            doc: data.description.clone().map(|d| d.trim().to_owned()),
            deprecated: data.deprecated.unwrap_or(false),
            explode: data.explode.unwrap_or(location == ParamLocation::Query),
            style,
            example: super::examples::of_parameter(self.doc, data),
            setter: None,
        })
    }

    /// A struct whose properties are all scalars (optional or not) and that keeps no unknown
    /// properties: an object a query can carry.
    fn flat_object(&self, ty: &TypeRef) -> bool {
        let TypeRef::Named(name) = ty else {
            return false;
        };
        match self.space.get(&name.name).map(|d| &d.kind) {
            Some(TypeKind::Struct {
                fields,
                extra: None,
            }) => fields
                .iter()
                .all(|f| self.space.is_scalar(&strip_option(&f.ty))),
            _ => false,
        }
    }

    /// Every `{variable}` of the path has a path parameter, and every path parameter a
    /// variable.
    fn check_path_variables(
        &mut self,
        params: &[Param],
        refused: &[String],
        request_path: &Template,
    ) {
        for template in request_path.variables() {
            if !params
                .iter()
                .any(|p| p.location == ParamLocation::Path && p.wire == template)
                && !refused.iter().any(|r| r == template)
            {
                self.findings.error(
                    &self.at,
                    format!("path variable `{{{template}}}` has no path parameter"),
                    format!("declare a parameter `{template}` with `in: path`"),
                );
            }
        }
        for p in params.iter().filter(|p| p.location == ParamLocation::Path) {
            if !request_path.variables().any(|t| t == p.wire) {
                self.findings.error(
                    &self.at,
                    format!("path parameter `{}` does not appear in the path", p.wire),
                    format!("add `{{{}}}` to the path or remove the parameter", p.wire),
                );
            }
        }
    }
}

fn strip_option(ty: &TypeRef) -> TypeRef {
    match ty {
        TypeRef::Option(inner) => inner.as_ref().clone(),
        other => other.clone(),
    }
}
