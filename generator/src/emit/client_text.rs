//! `Server`, `Credentials` and `Client` as text (see `text`): what `client` makes of them
//! through tokens, printed as prettyplease prints it. Each function gives one item, or `None`
//! where a layout would have to be guessed (the item then goes through tokens).

use super::text::{self, Place, Writer};
use super::{type_text, Scope};
use crate::ir::{Api, AuthKind, Piece, Server, TypeRef};

/// Where these items go: the module's top level.
pub(super) const PLACE: Place = Place::ROOT;

/// The credential type a scheme takes (`client::credential_type` makes its tokens from it).
pub(super) fn credential_type(kind: &AuthKind) -> &'static str {
    match kind {
        AuthKind::Basic => "runtime::BasicAuth",
        AuthKind::Bearer | AuthKind::Header(_) | AuthKind::Query(_) => "runtime::Secret",
        AuthKind::Signed { .. } => "runtime::SigningKey",
    }
}

/// `pub enum Server`; `doc` is the enum's, `variant_docs` and `field_docs` each server's and
/// each of its variables' (in the order of `api.servers`).
pub(super) fn server_enum(
    api: &Api,
    doc: &str,
    variant_docs: &[String],
    field_docs: &[Vec<String>],
) -> Option<String> {
    let mut w = PLACE.writer();
    w.doc(0, doc);
    w.line(0, &["#[derive(Debug, Clone, PartialEq, Eq, Hash)]"]);
    w.line(0, &["#[non_exhaustive]"]);
    w.line(0, &["pub enum Server {"]);
    for ((server, variant_doc), field_docs) in api.servers.iter().zip(variant_docs).zip(field_docs)
    {
        w.doc(1, variant_doc);
        if server.variables.is_empty() {
            w.line(1, &[&server.variant.name, ","]);
            continue;
        }
        w.line(1, &[&server.variant.name, " {"]);
        for (variable, field_doc) in server.variables.iter().zip(field_docs) {
            w.doc(2, field_doc);
            let ty = type_text(&variable.ty, Scope::Root);
            w.line(2, &[&variable.field.name, ": ", &ty, ","]);
        }
        w.line(1, &["},"]);
    }
    w.doc_line(
        1,
        " Any base URL: a proxy, a mock server, another deployment.",
    );
    w.line(1, &["BaseUrl(String),"]);
    w.line(0, &["}"]);
    w.finish()
}

/// `impl Server`: a constructor per server with variables at their defaults (`constructor_docs`,
/// in the order of those servers), and `url`.
pub(super) fn server_impl(api: &Api, constructor_docs: &[String]) -> Option<String> {
    let mut w = PLACE.writer();
    w.line(0, &["impl Server {"]);
    let with_constructors = api.servers.iter().filter(|s| s.constructor.is_some());
    for (server, doc) in with_constructors.zip(constructor_docs) {
        let constructor = server.constructor.as_ref()?;
        if server.variables.is_empty() {
            // `Self::Variant {}`: left to tokens.
            return None;
        }
        w.doc(1, doc);
        w.line(1, &["pub fn ", &constructor.name, "() -> Self {"]);
        let fields: Vec<String> = server
            .variables
            .iter()
            .map(|v| {
                let default = text::string(&v.default);
                match &v.ty {
                    TypeRef::String => format!("{}: {default}.to_owned()", v.field),
                    ty => format!(
                        "{}: {}::from({default})",
                        v.field,
                        type_text(ty, Scope::Root)
                    ),
                }
            })
            .collect();
        struct_literal(&mut w, 2, &format!("Self::{}", server.variant), &fields);
        w.line(1, &["}"]);
    }
    w.doc_line(1, " The base URL.");
    w.line(1, &["pub fn url(&self) -> String {"]);
    w.line(2, &["match self {"]);
    for server in &api.servers {
        let (pattern, body) = url_arm(server);
        if !w.arm_line(3, &pattern, &body) {
            return None;
        }
    }
    w.line(3, &["Self::BaseUrl(url) => url.clone(),"]);
    w.line(2, &["}"]);
    w.line(1, &["}"]);
    w.line(0, &["}"]);
    w.finish()
}

/// The `match` arm of `Server::url` for one server: its URL, or its template filled in.
fn url_arm(server: &Server) -> (String, String) {
    let variant = &server.variant;
    if server.variables.is_empty() {
        return (
            format!("Self::{variant}"),
            format!("{}.to_owned()", text::string(&server.url)),
        );
    }
    let mut format = String::new();
    let mut args = Vec::new();
    for piece in &server.template.pieces {
        match piece {
            Piece::Literal(literal) => format.push_str(&super::format_escaped(literal)),
            Piece::Variable(wire) => {
                if let Some(v) = server.variables.iter().find(|v| v.wire == *wire) {
                    format.push_str("{}");
                    args.push(v.field.name.as_str());
                }
            }
        }
    }
    let fields: Vec<&str> = server
        .variables
        .iter()
        .map(|v| v.field.name.as_str())
        .collect();
    let mut body = format!("format!({}", text::string(&format));
    for arg in args {
        body.push_str(", ");
        body.push_str(arg);
    }
    body.push(')');
    (format!("Self::{variant} {{ {} }}", fields.join(", ")), body)
}

/// The three conversions of a URL into `Server::BaseUrl`.
pub(super) fn server_from() -> [String; 3] {
    [
        ("&str", "url.to_owned()"),
        ("String", "url"),
        ("&String", "url.clone()"),
    ]
    .map(|(ty, value)| {
        format!(
            "impl From<{ty}> for Server {{\n    fn from(url: {ty}) -> Self {{\n        \
             Self::BaseUrl({value})\n    }}\n}}\n"
        )
    })
}

/// `pub struct Credentials`, a field per scheme (`field_docs`, in the order of `api.auth`).
pub(super) fn credentials_struct(api: &Api, field_docs: &[String]) -> Option<String> {
    if api.auth.is_empty() {
        // `pub struct Credentials {}`: left to tokens.
        return None;
    }
    let mut w = PLACE.writer();
    w.doc_line(
        0,
        " Credentials, one per security scheme of the spec; operations use the ones they need.",
    );
    w.doc_line(0, " `Debug` never shows the secrets.");
    w.line(0, &["#[derive(Debug, Clone, Default)]"]);
    w.line(0, &["pub struct Credentials {"]);
    for (scheme, doc) in api.auth.iter().zip(field_docs) {
        w.doc(1, doc);
        let ty = credential_type(&scheme.kind);
        w.line(1, &["pub ", &scheme.field.name, ": Option<", ty, ">,"]);
    }
    w.line(0, &["}"]);
    w.finish()
}

/// `impl Credentials`: a setter per scheme.
pub(super) fn credentials_impl(api: &Api) -> Option<String> {
    if api.auth.is_empty() {
        return None;
    }
    let mut w = PLACE.writer();
    w.line(0, &["impl Credentials {"]);
    for scheme in &api.auth {
        w.doc_line(1, &format!(" Sets the `{}` credential.", scheme.key));
        setter(
            &mut w,
            &scheme.setter.name,
            &scheme.field.name,
            ("credential", credential_type(&scheme.kind)),
        );
    }
    w.line(0, &["}"]);
    w.finish()
}

/// `pub fn setter(mut self, arg: impl Into<ty>) -> Self` setting `Some(arg.into())`.
fn setter(w: &mut Writer, setter: &str, field: &str, (arg, ty): (&str, &str)) {
    w.line(
        1,
        &[
            "pub fn ",
            setter,
            "(mut self, ",
            arg,
            ": impl Into<",
            ty,
            ">) -> Self {",
        ],
    );
    w.line(2, &["self.", field, " = Some(", arg, ".into());"]);
    w.line(2, &["self"]);
    w.line(1, &["}"]);
}

/// With exactly one scheme, its credential (and for a token or key sent as is, a string)
/// converts into `Credentials`; no item otherwise.
pub(super) fn credentials_from(api: &Api) -> Option<Vec<String>> {
    let [scheme] = api.auth.as_slice() else {
        return None;
    };
    let field = &scheme.field.name;
    let ty = credential_type(&scheme.kind);
    let from = |ty: &str, value: &str| {
        let mut w = PLACE.writer();
        w.line(0, &["impl From<", ty, "> for Credentials {"]);
        w.line(1, &["fn from(credential: ", ty, ") -> Self {"]);
        struct_literal(&mut w, 2, "Self", &[format!("{field}: Some({value})")]);
        w.line(1, &["}"]);
        w.line(0, &["}"]);
        w.finish()
    };
    let mut items = vec![from(ty, "credential")?];
    if matches!(
        scheme.kind,
        AuthKind::Bearer | AuthKind::Header(_) | AuthKind::Query(_)
    ) {
        items.push(from("&str", "credential.into()")?);
        items.push(from("String", "credential.into()")?);
    }
    Some(items)
}

/// `impl runtime::CredentialStore for Credentials`: one arm per scheme.
pub(super) fn credential_store(api: &Api) -> Option<String> {
    if api.auth.is_empty() {
        return None;
    }
    let mut w = PLACE.writer();
    w.line(0, &["impl runtime::CredentialStore for Credentials {"]);
    w.line(
        1,
        &["fn credential(&self, scheme: &str) -> Option<runtime::Credential<'_>> {"],
    );
    w.line(2, &["match scheme {"]);
    for scheme in &api.auth {
        let body = format!("self.{}.as_ref().map(Into::into)", scheme.field);
        if !w.arm_line(3, &text::string(&scheme.key), &body) {
            return None;
        }
    }
    w.line(3, &["_ => None,"]);
    w.line(2, &["}"]);
    w.line(1, &["}"]);
    w.line(0, &["}"]);
    w.finish()
}

/// What `Client` holds besides its runtime, and how `Client::new` fills it.
pub(super) struct ClientParts<'a> {
    /// The client keeps the credentials (some call sends them).
    pub keeps_credentials: bool,
    /// The struct's doc.
    pub doc: &'a str,
    /// Each client setting's setter doc, in the order of `api.settings`.
    pub setter_docs: &'a [String],
}

/// `pub struct Client`.
pub(super) fn client_struct(api: &Api, parts: &ClientParts<'_>) -> Option<String> {
    let mut w = PLACE.writer();
    w.doc(0, parts.doc);
    w.line(0, &["#[derive(Debug, Clone)]"]);
    w.line(0, &["pub struct Client {"]);
    w.line(1, &["runtime: runtime::Runtime,"]);
    if parts.keeps_credentials {
        w.line(1, &["credentials: Credentials,"]);
    }
    for setting in &api.settings {
        let ty = type_text(&setting.param.ty, Scope::Root);
        w.line(1, &[&setting.field.name, ": Option<", &ty, ">,"]);
    }
    w.line(0, &["}"]);
    w.finish()
}

/// `impl Client`: `new`, the settings' setters, `base_url` and `with_options`.
pub(super) fn client_impl(api: &Api, parts: &ClientParts<'_>) -> Option<String> {
    let mut fields =
        vec!["runtime: runtime::Runtime::new(&server.into().url(), config)?".to_owned()];
    if parts.keeps_credentials {
        fields.push("credentials: credentials.into()".to_owned());
    }
    for setting in &api.settings {
        fields.push(format!("{}: None", setting.field));
    }
    if fields.len() == 1 {
        // `Ok(Self { runtime: ... })` fits on one line or not depending on the indentation
        // alone; left to tokens.
        return None;
    }
    let mut w = PLACE.writer();
    w.line(0, &["impl Client {"]);
    w.doc_line(
        1,
        " A client for `server` (a [`Server`], or any base URL as a string: a proxy, a mock",
    );
    w.doc_line(1, " server), with these credentials and settings.");
    w.line(1, &["pub fn new("]);
    w.line(2, &["server: impl Into<Server>,"]);
    w.line(2, &["credentials: impl Into<Credentials>,"]);
    w.line(2, &["config: runtime::Config,"]);
    w.line(1, &[") -> Result<Self, runtime::RequestError> {"]);
    if !parts.keeps_credentials {
        w.line(2, &["let _: Credentials = credentials.into();"]);
    }
    w.line(2, &["Ok(Self {"]);
    for field in &fields {
        w.line(3, &[field, ","]);
    }
    w.line(2, &["})"]);
    w.line(1, &["}"]);
    for (setting, doc) in api.settings.iter().zip(parts.setter_docs) {
        w.doc(1, doc);
        let ty = type_text(&setting.param.ty, Scope::Root);
        setter(
            &mut w,
            &setting.setter.name,
            &setting.field.name,
            ("value", &ty),
        );
    }
    w.doc_line(1, " The base URL requests go to.");
    w.line(1, &["pub fn base_url(&self) -> &str {"]);
    w.line(2, &["self.runtime.base_url()"]);
    w.line(1, &["}"]);
    w.doc_line(
        1,
        " A client for some calls with settings replaced (timeout, deadline, retries);",
    );
    w.doc_line(1, " it shares this one's connection pool and rate limiter.");
    w.line(
        1,
        &["pub fn with_options(&self, options: runtime::CallOptions) -> Self {"],
    );
    w.line(2, &["let mut client = self.clone();"]);
    w.line(
        2,
        &["client.runtime = self.runtime.with_options(&options);"],
    );
    w.line(2, &["client"]);
    w.line(1, &["}"]);
    w.line(0, &["}"]);
    w.finish()
}

/// The widest struct literal prettyplease keeps on one line, from its path to the space
/// before its `}` (`end_with_max_width(34)` in its `expr_struct`).
const STRUCT_LITERAL_WIDTH: usize = 34;

/// `path { field: value, ... }` at `level`: on one line when it is that narrow and fits, else
/// a field a line, each with its comma.
fn struct_literal(w: &mut Writer, level: usize, path: &str, fields: &[String]) {
    let one_line = format!("{path} {{ {} }}", fields.join(", "));
    if one_line.len() - 1 <= STRUCT_LITERAL_WIDTH && one_line.len() <= w.room(level) {
        return w.line(level, &[&one_line]);
    }
    w.line(level, &[path, " {"]);
    for field in fields {
        w.line(level + 1, &[field, ","]);
    }
    w.line(level, &["}"]);
}
