//! The names of the command-line tool (`api-tokens`): subcommands, flags and environment
//! variables, decided from the IR's names. Every rule here is deterministic and resolves
//! collisions by numbering, like the rest of `naming`.
//!
//! Kept out of the IR itself: they are a pure function of it, and the IR snapshots stay the
//! record of the spec's meaning.

use super::words;
use crate::ir::{Api, AuthKind, Operation, ParamLocation, TypeKind, TypeRef};
use heck::{ToKebabCase, ToShoutySnakeCase};
use std::collections::BTreeSet;

/// Flags of the tool itself (global, or on a vendor or an operation): no parameter or field
/// takes them.
pub const RESERVED_FLAGS: &[&str] = &[
    "output", "body", "dry-run", "base-url", "server", "timeout", "retries", "all", "help",
    "version",
];

/// Subcommands of the tool itself: no vendor takes them.
pub const RESERVED_COMMANDS: &[&str] = &["completions", "man", "help"];

/// Where a parameter's or field's value comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// `--<flag>`.
    Flag(String),
    /// A secret: read only from this environment variable, never a flag (it would echo).
    Env(String),
}

/// The environment variables of one credential.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CredentialEnv {
    /// One variable (a key, a token, `user:password`).
    One(String),
    /// A signing key pair: id, key, and the optional session token.
    Signing {
        /// The key's id.
        id: String,
        /// The secret key.
        key: String,
        /// The session token of temporary credentials.
        token: String,
    },
}

/// The tool's names for one API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VendorNames {
    /// The vendor's subcommand.
    pub command: String,
    /// `--server`'s value per server of [`Api::servers`].
    pub servers: Vec<String>,
    /// The variable `--server` also reads.
    pub server_env: String,
    /// The variable `--base-url` also reads.
    pub base_url_env: String,
    /// Per scheme of [`Api::auth`].
    pub credentials: Vec<CredentialEnv>,
    /// Per [`Api::settings`]: its flag and the variable it also reads.
    pub settings: Vec<(String, String)>,
    /// Per [`Api::operations`].
    pub operations: Vec<OperationNames>,
}

/// The tool's names for one operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationNames {
    /// Its subcommand.
    pub command: String,
    /// The functions that build its subcommand and run it (`command_<method>`,
    /// `run_<method>`): one small function each rather than arms of two functions as long as
    /// the spec, which on a spec of hundreds of operations cost rustc gigabytes.
    pub command_fn: String,
    /// See [`OperationNames::command_fn`].
    pub run_fn: String,
    /// Per [`Operation::params`].
    pub params: Vec<Source>,
    /// Per field of the body's struct (empty when the body is not a JSON or form object).
    pub fields: Vec<Source>,
}

/// The vendor subcommand of a module: kebab case, `-api` after a name the tool uses itself.
pub fn vendor_command(api: &Api) -> String {
    let name = kebab(&api.module.name, "api");
    if RESERVED_COMMANDS.contains(&name.as_str()) {
        format!("{name}-api")
    } else {
        name
    }
}

fn kebab(raw: &str, fallback: &str) -> String {
    let name = words(raw).to_kebab_case();
    if name.is_empty() {
        fallback.to_owned()
    } else {
        name
    }
}

fn shouty(raw: &str) -> String {
    words(raw).to_shouty_snake_case()
}

/// Hands out unique strings, numbering `-2`, `-3` (or `_2`) on collision.
struct Taken {
    taken: BTreeSet<String>,
    separator: char,
}

impl Taken {
    fn new(reserved: &[&str], separator: char) -> Self {
        Self {
            taken: reserved.iter().map(|s| (*s).to_owned()).collect(),
            separator,
        }
    }

    fn claim(&mut self, wanted: String) -> String {
        let name = if self.taken.contains(&wanted) {
            (2..)
                .map(|n| format!("{wanted}{}{n}", self.separator))
                .find(|c| !self.taken.contains(c))
                .unwrap_or_default()
        } else {
            wanted
        };
        self.taken.insert(name.clone());
        name
    }
}

/// True for a credential type: read from the environment, never from a flag.
pub fn is_secret(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Secret => true,
        TypeRef::Option(inner) => is_secret(inner),
        _ => false,
    }
}

/// The fields of the struct a body type names (through aliases), if it is one.
pub fn body_fields<'a>(api: &'a Api, ty: &TypeRef) -> Option<&'a [crate::ir::Field]> {
    let mut ty = ty;
    for _ in 0..8 {
        let TypeRef::Named(name) = ty else {
            return None;
        };
        let def = api.types.iter().find(|t| &t.name == name)?;
        match &def.kind {
            TypeKind::Struct { fields, .. } => return Some(fields),
            TypeKind::Alias(inner) => ty = inner,
            _ => return None,
        }
    }
    None
}

/// Every name of the tool for `api`.
pub fn vendor(api: &Api) -> VendorNames {
    let prefix = {
        let p = shouty(&api.module.name);
        if p.starts_with(|c: char| c.is_ascii_alphabetic()) {
            p
        } else {
            format!("API_{p}")
        }
    };
    let mut env = Taken::new(&[], '_');
    let mut var = |raw: &str| env.claim(format!("{prefix}_{}", shouty(raw)));
    let server_env = var("server");
    let base_url_env = var("base url");
    let credentials = api
        .auth
        .iter()
        .map(|scheme| match scheme.kind {
            AuthKind::Signed { .. } => CredentialEnv::Signing {
                id: var(&format!("{} secret id", scheme.key)),
                key: var(&format!("{} secret key", scheme.key)),
                token: var(&format!("{} session token", scheme.key)),
            },
            _ => CredentialEnv::One(var(&scheme.key)),
        })
        .collect();
    let mut vendor_flags = Taken::new(RESERVED_FLAGS, '-');
    let settings: Vec<(String, String)> = api
        .settings
        .iter()
        .map(|s| (vendor_flags.claim(kebab(&s.key, "setting")), var(&s.key)))
        .collect();
    let mut servers = Taken::new(&[], '-');
    let servers = api
        .servers
        .iter()
        .map(|s| servers.claim(kebab(&s.variant.name, "server")))
        .collect();
    // A secret of the same wire name is the same variable in every operation.
    let mut secrets: std::collections::BTreeMap<String, String> = Default::default();
    let mut secret = |wire: &str| -> String {
        if let Some(name) = secrets.get(wire) {
            return name.clone();
        }
        let name = var(wire);
        secrets.insert(wire.to_owned(), name.clone());
        name
    };
    let mut commands = Taken::new(&["help"], '-');
    let operations = api
        .operations
        .iter()
        .map(|op| {
            let command = commands.claim(kebab(&op.name.name, "call"));
            operation(api, op, &vendor_flags, command, &mut secret)
        })
        .collect();
    VendorNames {
        command: vendor_command(api),
        servers,
        server_env,
        base_url_env,
        credentials,
        settings,
        operations,
    }
}

fn operation(
    api: &Api,
    op: &Operation,
    vendor_flags: &Taken,
    command: String,
    secret: &mut impl FnMut(&str) -> String,
) -> OperationNames {
    let reserved: Vec<&str> = vendor_flags.taken.iter().map(String::as_str).collect();
    let mut flags = Taken::new(&reserved, '-');
    let params = op
        .params
        .iter()
        .map(|p| {
            if is_secret(&p.ty) {
                return Source::Env(secret(&p.wire));
            }
            let wanted = kebab(&p.wire, &p.name.name.to_kebab_case());
            // A header or cookie named like a query parameter says where it goes.
            let wanted = if flags.taken.contains(&wanted) {
                match p.location {
                    ParamLocation::Header => format!("header-{wanted}"),
                    ParamLocation::Cookie => format!("cookie-{wanted}"),
                    ParamLocation::Path | ParamLocation::Query => wanted,
                }
            } else {
                wanted
            };
            Source::Flag(flags.claim(wanted))
        })
        .collect();
    let fields = op
        .body
        .as_ref()
        .filter(|b| {
            matches!(
                b.encoding,
                crate::ir::Encoding::Json | crate::ir::Encoding::Form
            )
        })
        .and_then(|b| body_fields(api, &b.ty))
        .unwrap_or_default()
        .iter()
        .map(|f| {
            if is_secret(&f.ty) {
                return Source::Env(secret(&f.wire));
            }
            let wanted = kebab(&f.wire, &f.name.name.to_kebab_case());
            // A body field named like a parameter is `--body-<name>`.
            let wanted = if flags.taken.contains(&wanted) {
                format!("body-{wanted}")
            } else {
                wanted
            };
            Source::Flag(flags.claim(wanted))
        })
        .collect();
    OperationNames {
        command,
        // A method named after a leading digit starts with `_` (`_1st`); one underscore joins,
        // as `non_snake_case` refuses two in a row.
        command_fn: format!("command_{}", op.name.name.trim_start_matches('_')),
        run_fn: format!("run_{}", op.name.name.trim_start_matches('_')),
        params,
        fields,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(yaml: &str) -> Api {
        let spec = crate::SpecFile {
            path: "specs/help.yaml".into(),
            text: yaml.into(),
        };
        crate::lower_spec(&spec).expect("lowers")
    }

    #[test]
    fn an_operation_s_functions_are_snake_case_when_its_method_starts_with_an_underscore() {
        let api = api(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\nservers: [{url: 'https://x.io'}]\n\
             paths:\n  /a:\n    get:\n      operationId: 1st\n\
             \x20     responses: {'204': {description: ok}}\n",
        );
        assert!(api.operations[0].name.name.starts_with('_'));
        let op = &vendor(&api).operations[0];
        assert_eq!(op.command_fn, "command_1st");
        assert_eq!(op.run_fn, "run_1st");
    }

    #[test]
    fn collisions_are_numbered_and_reserved_names_avoided() {
        let api = api(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\nservers: [{url: 'https://x.io'}]\n\
             components:\n  securitySchemes:\n    api-key: {type: http, scheme: bearer}\n\
             \x20   apiKey: {type: http, scheme: bearer}\n\
             paths:\n  /a/{output}:\n    post:\n      operationId: help\n      parameters:\n\
             \x20       - {name: output, in: path, required: true, schema: {type: string}}\n\
             \x20       - {name: size, in: query, schema: {type: integer}}\n\
             \x20       - {name: size, in: header, schema: {type: integer}}\n\
             \x20       - {name: token, in: query, x-secret: true, schema: {type: string}}\n\
             \x20     requestBody:\n        content:\n          application/json:\n\
             \x20           schema:\n              type: object\n              properties:\n\
             \x20               size: {type: integer}\n                all: {type: boolean}\n\
             \x20     responses: {'204': {description: ok}}\n",
        );
        let names = vendor(&api);
        assert_eq!(names.command, "help-api");
        assert_eq!(
            names.credentials,
            [
                CredentialEnv::One("HELP_API_KEY".into()),
                CredentialEnv::One("HELP_API_KEY_2".into())
            ]
        );
        let op = &names.operations[0];
        assert_eq!(op.command, "help-2");
        assert_eq!(
            op.params,
            [
                Source::Flag("output-2".into()),
                Source::Flag("size".into()),
                Source::Flag("header-size".into()),
                Source::Env("HELP_TOKEN".into()),
            ]
        );
        assert_eq!(
            op.fields,
            [
                Source::Flag("body-size".into()),
                Source::Flag("body-all".into())
            ]
        );
    }
}
