//! Paths and operations -> `ir::Operation`s. One [`OpLowering`] per operation carries what
//! every concern needs; the concerns live in their own files: [`super::parameters`],
//! [`super::bodies`], [`super::responses`], [`super::security`] and [`super::pagination`].

use crate::diagnostic::{escape, Findings};
use crate::ir::{AuthScheme, ClientSetting, Envelope, Ident, Method, Operation, RateLimit};
use crate::load::ext;
use crate::lower::schema::TypeSpace;
use crate::naming::{self, Scope};
use openapiv3::{OpenAPI, PathItem, ReferenceOr};

/// What operations inherit from the document's root.
pub struct Defaults<'a> {
    /// Root `x-envelope`.
    pub envelope: Option<Envelope>,
    /// Root `x-rate-limit`.
    pub rate_limit: Option<RateLimit>,
    /// The supported security schemes, in `Api::auth` order.
    pub schemes: &'a [AuthScheme],
    /// Keys of the security schemes defined but not supported (reported where defined).
    pub unsupported_schemes: &'a [String],
}

/// The state of lowering one operation: the document, the type table, the findings, and
/// where the operation is.
pub struct OpLowering<'a, 'd> {
    /// The whole document (for `$ref`s and root-level settings).
    pub doc: &'d OpenAPI,
    /// The type table inline schemas are added to.
    pub space: &'a mut TypeSpace<'d>,
    /// What the root says for every operation.
    pub defaults: &'a Defaults<'a>,
    /// Where problems go.
    pub findings: &'a mut Findings,
    /// The path key (`/things/{id}`).
    pub path: &'d str,
    /// The path item (for its shared parameters).
    pub item: &'d PathItem,
    /// The HTTP method.
    pub method: Method,
    /// The operation.
    pub op: &'d openapiv3::Operation,
    /// JSON pointer to the operation.
    pub at: String,
    /// Pascal-case stem for the names of the operation's types (`GetThing`), unique in the
    /// module.
    pub stem: String,
}

/// The namespaces operation names are claimed in, for the whole module.
struct Names {
    /// The `Client`'s methods.
    methods: Scope,
    /// `operationId` -> pointer of the operation that has it.
    ids: std::collections::HashMap<String, String>,
}

/// The suffixes of an operation's own types, which live in `types` beside the models.
const OPERATION_TYPES: &[&str] = &["Params", "Error", "Success"];

fn methods(item: &PathItem) -> [(Method, &'static str, Option<&openapiv3::Operation>); 7] {
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

/// An `x-rpc` route already taken: (path, method, header, action, operation id).
struct RpcRoute {
    path: String,
    method: Method,
    header: String,
    action: String,
    id: String,
}

/// An operation, its `x-rpc` route (path, header, action) and its client settings.
type Lowered = (
    Operation,
    Option<(String, String, String)>,
    Vec<(String, crate::ir::Param, String)>,
);

/// Lowers every operation, in spec order; and the client settings they declare.
pub fn lower_all<'d>(
    doc: &'d OpenAPI,
    space: &mut TypeSpace<'d>,
    defaults: &Defaults<'_>,
    findings: &mut Findings,
) -> (Vec<Operation>, Vec<ClientSetting>) {
    let mut settings: Vec<ClientSetting> = Vec::new();
    let mut setting_fields = Scope::with_reserved(naming::CLIENT_FIELDS);
    let mut names = Names {
        methods: Scope::with_reserved(naming::CLIENT_METHODS),
        ids: std::collections::HashMap::new(),
    };
    let mut operations = Vec::new();
    let mut rpc_seen: Vec<RpcRoute> = Vec::new();
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
            let mark = findings.0.len();
            let at = format!("{path_at}/{key}");
            crate::lower::refuse::unsupported_operation(op, &at, findings);
            let mut lowering = OpLowering {
                doc,
                space,
                defaults,
                findings,
                path,
                item,
                method,
                op,
                at,
                stem: String::new(),
            };
            let (mut operation, rpc, declared) = lowering.lower(&mut names);
            let at = lowering.at;
            if crate::lower::refuse::skip_if_unsupported(findings, mark, &operation.id, &at) {
                continue;
            }
            if let Some((rpc_path, header, action)) = rpc {
                check_rpc_route(
                    &rpc_seen, &rpc_path, method, &header, &action, &at, findings,
                );
                rpc_seen.push(RpcRoute {
                    path: rpc_path,
                    method,
                    header,
                    action,
                    id: operation.id.clone(),
                });
            }
            for (key, param, at) in declared {
                let index = match settings.iter().position(|s| s.key == key) {
                    Some(index) => {
                        let known = &settings[index].param;
                        if (known.wire.as_str(), known.location, &known.ty)
                            != (param.wire.as_str(), param.location, &param.ty)
                        {
                            findings.error(
                                &format!("{at}/x-client-setting"),
                                format!("the client setting `{key}` is another parameter (name, location or type) elsewhere"),
                                "give the setting one parameter: declare it once under `components/parameters` and `$ref` it",
                            );
                        }
                        index
                    }
                    None => {
                        settings.push(ClientSetting {
                            field: setting_fields.claim_field(&key),
                            // Named below, once every operation has its name.
                            setter: Ident::new(String::new()),
                            key,
                            param,
                        });
                        settings.len() - 1
                    }
                };
                if !operation.settings.contains(&index) {
                    operation.settings.push(index);
                }
            }
            operations.push(operation);
        }
    }
    for setting in &mut settings {
        let setter = naming::method(&format!("with {}", setting.field.name));
        setting.setter = names.methods.claim(setter);
    }
    // Helpers are named after every operation has its name, so an operation called
    // `list_all` keeps it and the helpers of `list` move aside.
    for operation in &mut operations {
        if let Some(pagination) = &mut operation.pagination {
            [pagination.pages, pagination.stream, pagination.all] =
                naming::pagination_methods(&mut names.methods, &operation.name);
        }
    }
    (operations, settings)
}

/// Operations sharing an `x-rpc` path and method must select the action with one header and
/// differ in the action.
fn check_rpc_route(
    seen: &[RpcRoute],
    path: &str,
    method: Method,
    header: &str,
    action: &str,
    at: &str,
    findings: &mut Findings,
) {
    let Some(other) = seen.iter().find(|r| r.path == path && r.method == method) else {
        return;
    };
    if other.header != header {
        findings.error(
            &format!("{at}/x-rpc/header"),
            format!(
                "operations on {path} select the action with `{}`, not `{header}`",
                other.header
            ),
            "use one action header per path and method",
        );
    } else if other.action == action {
        findings.error(
            &format!("{at}/x-rpc/action"),
            format!("action `{action}` is already used by `{}`", other.id),
            "give each operation its own action",
        );
    }
}

impl OpLowering<'_, '_> {
    /// Lowers the operation; also returns its `x-rpc` route (path, header, action).
    fn lower(&mut self, names: &mut Names) -> Lowered {
        let op = self.op;
        let at = self.at.clone();
        // Without an operationId (or with one that has nothing to make a name of), the method
        // and path give a stable name: `get_accounts_id_items`.
        let from_route = || {
            let method_word = format!("{:?}", self.method).to_lowercase();
            naming::method(&format!(
                "{method_word} {}",
                self.path.replace(['{', '}', '/'], " ")
            ))
            .name
        };
        let id = op.operation_id.clone().unwrap_or_else(from_route);
        if let Some(other) = names.ids.get(&id) {
            self.findings.error(
                &format!("{at}/operationId"),
                format!("duplicate operationId `{id}`: the operation at #{other} has it too"),
                "give every operation an operationId of its own",
            );
        } else {
            names.ids.insert(id.clone(), at.clone());
        }
        let base = if naming::is_blank(&id) {
            from_route()
        } else {
            id.clone()
        };
        let name = names.methods.claim(naming::method(&base));
        let stem = self
            .space
            .claim_with(naming::type_name(&base), OPERATION_TYPES);
        self.stem = stem.name.clone();

        let rpc = ext::rpc(&op.extensions, &at, self.findings);
        if let Some((rpc_path, _, _)) = &rpc {
            if !self.path.starts_with(rpc_path.as_str()) {
                self.findings.error(
                    &at,
                    format!(
                        "the path key `{}` must start with the `x-rpc` path `{rpc_path}`",
                        self.path
                    ),
                    format!("name the path `{rpc_path}#<Action>`"),
                );
            }
        }
        let request_path =
            super::template::parse(rpc.as_ref().map_or(self.path, |(p, _, _)| p.as_str()));

        let (mut params, mut constant_headers, settings) = self.parameters(&request_path);
        let idempotency_key = ext::idempotency_key(&op.extensions, &at, self.findings);
        // The runtime sends that header (a caller's own key goes through `CallOptions`), so a
        // parameter the spec declares for it is not the caller's to set.
        if let Some(header) = &idempotency_key {
            params.retain(|p| {
                !(p.location == crate::ir::ParamLocation::Header
                    && p.wire.eq_ignore_ascii_case(header))
            });
        }
        if let Some((_, header, action)) = &rpc {
            constant_headers.push((header.clone(), action.clone()));
        }
        let body = op.request_body.as_ref().and_then(|b| self.body(b));
        let mut envelope = match ext::envelope(&op.extensions, &at, self.findings) {
            Some(own) => own,
            None => self.defaults.envelope.clone(),
        };
        let (success, errors) = self.responses(envelope.as_mut());
        let (security, auth_optional) = self.security();
        let rate_limit = ext::rate_limit(&op.extensions, &at, self.findings)
            .or_else(|| self.defaults.rate_limit.clone());
        let idempotent = ext::flag(&op.extensions, "x-idempotent", &at, self.findings)
            || matches!(
                self.method,
                Method::Get | Method::Put | Method::Delete | Method::Head | Method::Options
            );
        let unverified = ext::text(&op.extensions, "x-unverified", &at, self.findings);
        let pagination = self.pagination(&params, &success);

        let operation = Operation {
            id,
            name,
            params_type: stem.suffixed("Params"),
            error_type: stem.suffixed("Error"),
            success_type: stem.suffixed("Success"),
            method: self.method,
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
            idempotency_key,
            pagination,
            // Numbered in `lower_all`, once the settings of every operation are known.
            settings: Vec::new(),
        };
        (operation, rpc, settings)
    }
}
