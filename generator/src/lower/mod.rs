//! A loaded spec -> `ir::Api`. All checks that need the document's meaning happen here, and
//! every finding is collected before giving up.

mod all_of;
mod any_schema;
mod bodies;
mod examples;
mod operation;
mod pagination;
mod parameters;
mod pointer;
pub(crate) mod refs;
pub(crate) mod refuse;
mod responses;
mod schema;
mod security;
mod sizes;
mod template;
mod unusable;

use crate::diagnostic::{escape, Diagnostic, Findings};
use crate::ir::{
    Api, AuthKind, AuthScheme, Ident, Server, ServerVariable, SigningAlgorithm, TypeRef,
};
use crate::load::{ext, Loaded};
use crate::naming::{self, Scope};
use openapiv3::{APIKeyLocation, ReferenceOr, SecurityScheme};

/// Lowers a loaded spec into the IR of module `module`, with its warnings and notes (located);
/// or every finding, errors first, when there is an error.
pub fn lower(loaded: &Loaded, module: &Ident) -> Result<(Api, Vec<Diagnostic>), Vec<Diagnostic>> {
    let doc = &loaded.doc;
    let mut findings = Findings(loaded.findings.clone());
    let empty = indexmap::IndexMap::new();
    let components = doc.components.as_ref().map_or(&empty, |c| &c.schemas);
    let mut space = schema::TypeSpace::new(components);
    space.lower_components(&mut findings);

    let (servers, relative_servers) = lower_servers(doc, &mut space, &mut findings);
    let (auth, unsupported_schemes) = lower_auth(doc, &mut findings);
    let defaults = operation::Defaults {
        envelope: ext::envelope(&doc.extensions, "", &mut findings).flatten(),
        rate_limit: ext::rate_limit(&doc.extensions, "", &mut findings),
        schemes: &auth,
        unsupported_schemes: &unsupported_schemes,
    };
    let (mut operations, settings) =
        operation::lower_all(doc, &mut space, &defaults, &mut findings);
    security::collapse_warnings(&mut findings);
    schema::check_alias_cycles(&space.types, &mut findings);
    schema::box_recursive(&mut space.types);
    schema::mark_scalar_unions(&mut space.types);
    responses::drop_failure_members(&mut space.types, &operations);
    sizes::box_large_variants(&mut space.types, &mut operations);
    if operations.is_empty() {
        let skipped = refuse::skipped(&findings);
        if skipped.is_empty() {
            findings.error(
                "/paths",
                "the spec has no operations",
                "add at least one path with an operation",
            );
        } else {
            findings.error(
                "/paths",
                format!(
                    "no operation is left to generate: {} skipped ({})",
                    skipped.len(),
                    skipped.join("; ")
                ),
                "fix the reasons given for at least one operation (each is located below)",
            );
        }
    }
    let mut all = loaded.source.locate_all(findings.0);
    all.sort_by_key(|d| d.severity);
    if !all.iter().any(|d| d.severity.is_error()) {
        let api = Api {
            module: module.clone(),
            source: loaded.source.file.clone(),
            title: doc.info.title.trim().to_owned(),
            version: doc.info.version.clone(),
            description: doc.info.description.clone().map(|d| d.trim().to_owned()),
            servers,
            relative_servers,
            auth,
            settings,
            operations,
            types: space.types,
        };
        Ok((api, all))
    } else {
        Err(all)
    }
}

/// The servers with absolute URLs, and the relative ones. A spec without an absolute server
/// gets a client built from a base URL the caller gives. Variables become fields of their
/// server's variant: a `String`, or an enum of the spec's `enum` values (in `types`).
fn lower_servers(
    doc: &openapiv3::OpenAPI,
    space: &mut schema::TypeSpace<'_>,
    findings: &mut Findings,
) -> (Vec<Server>, Vec<String>) {
    let mut scope = Scope::with_reserved(naming::SERVER_ITEMS);
    let mut constructors = Scope::with_reserved(naming::SERVER_METHODS);
    let mut servers = Vec::new();
    let mut relative = Vec::new();
    for (i, server) in doc.servers.iter().enumerate() {
        let at = format!("/servers/{i}");
        let mut url = server.url.clone();
        for (name, variable) in server.variables.iter().flatten() {
            url = url.replace(&format!("{{{name}}}"), &variable.default);
        }
        if url.contains('{') {
            findings.error(
                &format!("{at}/url"),
                format!("server URL `{}` uses an undeclared variable", server.url),
                "declare every `{variable}` under `variables` with a default",
            );
        }
        if !(url.starts_with("https://") || url.starts_with("http://")) {
            relative.push(url);
            continue;
        }
        let name = ext::text(&server.extensions, "x-name", &at, findings).unwrap_or_else(|| {
            let host = url.split("://").nth(1).unwrap_or(&url);
            host.split(['.', ':', '/'])
                .next()
                .unwrap_or("Server")
                .to_owned()
        });
        let variant = scope.claim(naming::type_name(&name));
        let mut fields = Scope::default();
        let variables: Vec<ServerVariable> = server
            .variables
            .iter()
            .flatten()
            .filter(|(name, _)| server.url.contains(&format!("{{{name}}}")))
            .map(|(name, variable)| {
                let ty = if variable.enumeration.is_empty() {
                    TypeRef::String
                } else {
                    let schema = openapiv3::ReferenceOr::Item(openapiv3::Schema {
                        schema_data: Default::default(),
                        schema_kind: openapiv3::SchemaKind::Type(openapiv3::Type::String(
                            openapiv3::StringType {
                                enumeration: variable
                                    .enumeration
                                    .iter()
                                    .map(|v| Some(v.clone()))
                                    .collect(),
                                ..Default::default()
                            },
                        )),
                    });
                    let hint = format!("{}{}", variant.name, naming::type_name(name).name);
                    space.lower(
                        &schema,
                        &hint,
                        &format!("{at}/variables/{}", escape(name)),
                        findings,
                    )
                };
                ServerVariable {
                    wire: name.clone(),
                    field: fields.claim_field(name),
                    ty,
                    default: variable.default.clone(),
                    doc: variable.description.clone().map(|d| d.trim().to_owned()),
                }
            })
            .collect();
        let constructor =
            (!variables.is_empty()).then(|| constructors.claim(naming::method(&variant.name)));
        servers.push(Server {
            variant,
            url,
            doc: server.description.clone().map(|d| d.trim().to_owned()),
            template: template::parse(&server.url),
            variables,
            constructor,
        });
    }
    (servers, relative)
}

/// The supported security schemes, and the keys of those defined but not supported (each
/// reported once, here, as a warning: operations offering another alternative use it).
fn lower_auth(doc: &openapiv3::OpenAPI, findings: &mut Findings) -> (Vec<AuthScheme>, Vec<String>) {
    let mut fields = Scope::default();
    let mut setters = Scope::default();
    let mut auth = Vec::new();
    let mut unsupported = Vec::new();
    let Some(components) = &doc.components else {
        return (auth, unsupported);
    };
    for (key, scheme) in &components.security_schemes {
        let at = format!("/components/securitySchemes/{}", escape(key));
        let ReferenceOr::Item(scheme) = scheme else {
            security::unsupported_scheme(
                &at,
                "a security scheme given by `$ref`",
                "write the scheme inline",
                findings,
            );
            unsupported.push(key.clone());
            continue;
        };
        let (kind, doc_text) = match scheme {
            SecurityScheme::HTTP {
                scheme,
                description,
                extensions,
                ..
            } if !extensions.contains_key("x-signing") => {
                match scheme.to_ascii_lowercase().as_str() {
                    "basic" => (AuthKind::Basic, description),
                    "bearer" => (AuthKind::Bearer, description),
                    other => {
                        security::unsupported_scheme(
                            &at,
                            &format!("HTTP authentication scheme `{other}`"),
                            "use `basic` or `bearer`",
                            findings,
                        );
                        unsupported.push(key.clone());
                        continue;
                    }
                }
            }
            SecurityScheme::APIKey {
                location,
                name,
                description,
                extensions,
            } => match (extensions.get("x-signing"), location) {
                (Some(signing), APIKeyLocation::Header) => {
                    match signing_kind(signing, &format!("{at}/x-signing"), findings) {
                        Some(kind) => (kind, description),
                        None => continue,
                    }
                }
                (Some(_), _) => {
                    findings.error(
                        &format!("{at}/x-signing"),
                        "`x-signing` needs `in: header` and `name: Authorization`",
                        "declare the signed scheme as an Authorization header",
                    );
                    continue;
                }
                (None, APIKeyLocation::Header) => (AuthKind::Header(name.clone()), description),
                (None, APIKeyLocation::Query) => (AuthKind::Query(name.clone()), description),
                (None, APIKeyLocation::Cookie) => {
                    security::unsupported_scheme(
                        &at,
                        "an API key in a cookie (`in: cookie`)",
                        "use a header or query API key",
                        findings,
                    );
                    unsupported.push(key.clone());
                    continue;
                }
            },
            SecurityScheme::HTTP { .. } => {
                findings.error(
                    &format!("{at}/x-signing"),
                    "`x-signing` needs `type: apiKey`, `in: header` and `name: Authorization`",
                    "declare the signed scheme as an Authorization header API key",
                );
                continue;
            }
            // The token is obtained elsewhere; the client sends it as a bearer token.
            SecurityScheme::OAuth2 { description, .. }
            | SecurityScheme::OpenIDConnect { description, .. } => (AuthKind::Bearer, description),
        };
        let field = fields.claim(naming::field(key));
        auth.push(AuthScheme {
            key: key.clone(),
            setter: setters.claim(naming::method(&format!("with {}", field.name))),
            field,
            kind,
            doc: doc_text.clone().map(|d| d.trim().to_owned()),
        });
    }
    (auth, unsupported)
}

fn signing_kind(value: &serde_json::Value, at: &str, findings: &mut Findings) -> Option<AuthKind> {
    let algorithm = match value.get("algorithm").and_then(|v| v.as_str()) {
        Some("tc3-hmac-sha256") => SigningAlgorithm::Tc3HmacSha256,
        other => {
            findings.error(
                &format!("{at}/algorithm"),
                format!("unknown signing algorithm {other:?}"),
                "the runtime implements `tc3-hmac-sha256`",
            );
            return None;
        }
    };
    let Some(service) = value.get("service").and_then(|v| v.as_str()) else {
        findings.error(
            at,
            "`x-signing` needs `service`",
            "the credential-scope service name, e.g. `service: vod`",
        );
        return None;
    };
    let signed_headers = match value.get("signed-headers") {
        None => vec!["content-type".to_owned(), "host".to_owned()],
        Some(serde_json::Value::Array(items)) if items.iter().all(|i| i.is_string()) => {
            let mut headers: Vec<String> = items
                .iter()
                .filter_map(|i| i.as_str())
                .map(str::to_ascii_lowercase)
                .collect();
            headers.sort();
            headers.dedup();
            if !(headers.iter().any(|h| h == "content-type") && headers.iter().any(|h| h == "host"))
            {
                findings.error(
                    &format!("{at}/signed-headers"),
                    "`signed-headers` must include content-type and host",
                    "add them to the list",
                );
            }
            headers
        }
        Some(_) => {
            findings.error(
                &format!("{at}/signed-headers"),
                "`signed-headers` must be a list of header names",
                "e.g. `[content-type, host, x-tc-action]`",
            );
            return None;
        }
    };
    if let Some(extra) = value.as_object().and_then(|m| {
        m.keys()
            .find(|k| !matches!(k.as_str(), "algorithm" | "service" | "signed-headers"))
    }) {
        findings.error(
            &format!("{at}/{extra}"),
            format!("unknown key `{extra}` in `x-signing`"),
            "allowed keys: algorithm, service, signed-headers",
        );
    }
    Some(AuthKind::Signed {
        algorithm,
        service: service.to_owned(),
        signed_headers,
    })
}
