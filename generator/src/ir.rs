//! The intermediate representation: a small, plain-data model of one API, with every name
//! already resolved to a Rust identifier. Lowering builds it from a spec; emission reads only it.

/// A Rust identifier as the naming pass decided it: never a keyword, so never written raw
/// (`type` is `kind`, see `naming`). Displayed (and debug-printed) as written in code.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Ident {
    /// The name (`kind`).
    pub name: String,
}

impl std::fmt::Display for Ident {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.name)
    }
}

impl std::fmt::Debug for Ident {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "\"{self}\"")
    }
}

/// A path or server URL template as the spec writes it (`/upload-tokens/{uploadToken}`), split
/// once, in lowering, into literal text and `{variable}`s. Displayed (and debug-printed) as
/// written in the spec.
#[derive(Clone, PartialEq, Eq)]
pub struct Template {
    /// The template as written.
    pub text: String,
    /// Its pieces, in order.
    pub pieces: Vec<Piece>,
}

/// A piece of a [`Template`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// Text sent as it is.
    Literal(String),
    /// `{name}`: the name.
    Variable(String),
}

impl Template {
    /// The names of its `{variable}`s, in order.
    pub fn variables(&self) -> impl Iterator<Item = &str> {
        self.pieces.iter().filter_map(|p| match p {
            Piece::Variable(name) => Some(name.as_str()),
            Piece::Literal(_) => None,
        })
    }
}

impl std::fmt::Display for Template {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

impl std::fmt::Debug for Template {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&self.text, f)
    }
}

/// One spec, lowered.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    /// Rust module name (from the spec's file name).
    pub module: Ident,
    /// The spec file, for the generated header and docs.
    pub source: String,
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// `info.description`.
    pub description: Option<String>,
    /// Servers with absolute URLs, in spec order; when there are none, the client is built
    /// from a base URL the caller gives.
    pub servers: Vec<Server>,
    /// Relative server URLs (`/v2`), resolved against the caller's base URL; for the docs.
    pub relative_servers: Vec<String>,
    /// Security schemes, in spec order.
    pub auth: Vec<AuthScheme>,
    /// Parameters set once on the client (`x-client-setting`), in the order first met.
    pub settings: Vec<ClientSetting>,
    /// Operations, in spec order.
    pub operations: Vec<Operation>,
    /// Named types, in the order they were first met.
    pub types: Vec<TypeDef>,
}

impl Api {
    /// How messages name one security alternative: its scheme keys, each between `quote`s,
    /// joined by `and` (`api_email and api_key`).
    pub fn requirement_name(&self, alternative: &[usize], quote: &str) -> String {
        let keys: Vec<String> = alternative
            .iter()
            .filter_map(|i| self.auth.get(*i))
            .map(|a| format!("{quote}{}{quote}", a.key))
            .collect();
        keys.join(" and ")
    }

    /// How messages name an operation's alternatives: `a or b`, a combined one in parentheses
    /// when there are others (`` (`api_email` and `api_key`) or `bearer` ``).
    pub fn alternatives_names(&self, op: &Operation, quote: &str) -> Vec<String> {
        op.security
            .iter()
            .map(|alternative| {
                let name = self.requirement_name(alternative, quote);
                if alternative.len() > 1 && op.security.len() > 1 {
                    format!("({name})")
                } else {
                    name
                }
            })
            .collect()
    }
}

/// A server the client can be pointed at.
#[derive(Debug, Clone, PartialEq)]
pub struct Server {
    /// Enum variant name.
    pub variant: Ident,
    /// URL with variables replaced by their defaults.
    pub url: String,
    /// `description`.
    pub doc: Option<String>,
    /// The URL as the spec writes it, with `{variable}`s.
    pub template: Template,
    /// Its variables, in spec order: fields of the variant.
    pub variables: Vec<ServerVariable>,
    /// `Server::<constructor>()`: the variant with its variables at their defaults (named
    /// only when it has variables).
    pub constructor: Option<Ident>,
}

/// A variable of a server URL (`{region}`).
#[derive(Debug, Clone, PartialEq)]
pub struct ServerVariable {
    /// Name in the URL template.
    pub wire: String,
    /// Field name in the `Server` variant.
    pub field: Ident,
    /// Its type: `String`, or the named enum of its `enum` values.
    pub ty: TypeRef,
    /// `default`.
    pub default: String,
    /// `description`.
    pub doc: Option<String>,
}

/// A parameter the client holds and sends on every operation that declares it
/// (`x-client-setting`), instead of taking it on every call.
#[derive(Debug, Clone, PartialEq)]
pub struct ClientSetting {
    /// The setting's name in the spec (`region`).
    pub key: String,
    /// The `Client` field holding it.
    pub field: Ident,
    /// Its setter on `Client` (`with_region`).
    pub setter: Ident,
    /// The parameter: wire name, location, type (never `Option`), docs.
    pub param: Param,
}

/// A security scheme and the credential field that feeds it.
#[derive(Debug, Clone, PartialEq)]
pub struct AuthScheme {
    /// The scheme's key in `components.securitySchemes`.
    pub key: String,
    /// Field name in the generated `Credentials`.
    pub field: Ident,
    /// Its setter (`with_<field>`).
    pub setter: Ident,
    /// How it is applied.
    pub kind: AuthKind,
    /// `description`.
    pub doc: Option<String>,
}

/// How a credential is put on a request.
#[derive(Debug, Clone, PartialEq)]
pub enum AuthKind {
    /// HTTP Basic.
    Basic,
    /// HTTP Bearer.
    Bearer,
    /// An API key in a header.
    Header(String),
    /// An API key in a query parameter.
    Query(String),
    /// A request signature (`x-signing`).
    Signed {
        /// Algorithm name as written in the spec (`tc3-hmac-sha256`).
        algorithm: SigningAlgorithm,
        /// Credential-scope service.
        service: String,
        /// Lower-case names of signed headers.
        signed_headers: Vec<String>,
    },
}

/// Signing algorithms the runtime implements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SigningAlgorithm {
    /// TC3-HMAC-SHA256 (request signature v3).
    Tc3HmacSha256,
}

/// HTTP method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Method {
    /// GET
    Get,
    /// PUT
    Put,
    /// POST
    Post,
    /// DELETE
    Delete,
    /// PATCH
    Patch,
    /// HEAD
    Head,
    /// OPTIONS
    Options,
}

/// One operation: one generated method.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// `operationId` as written.
    pub id: String,
    /// Method name.
    pub name: Ident,
    /// The struct of its query, header and cookie parameters (`ListUploadTokensParams`).
    pub params_type: Ident,
    /// The enum of its documented errors (`ListUploadTokensError`).
    pub error_type: Ident,
    /// The enum of its successful responses, when they differ (`ListUploadTokensSuccess`).
    pub success_type: Ident,
    /// HTTP method.
    pub method: Method,
    /// Path template actually requested (`/upload-tokens/{uploadToken}`).
    pub path: Template,
    /// `summary`.
    pub summary: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// `x-unverified` reason.
    pub unverified: Option<String>,
    /// Parameters the caller gives, in spec order.
    pub params: Vec<Param>,
    /// Headers sent with fixed values (single-value enums, `x-rpc`).
    pub constant_headers: Vec<(String, String)>,
    /// Request body.
    pub body: Option<Body>,
    /// Documented successful responses.
    pub success: Vec<Response>,
    /// Documented error responses.
    pub errors: Vec<Response>,
    /// The security alternatives, tried in order: each the schemes (indices into `Api::auth`)
    /// sent together, one for most requirements, several for one such as
    /// `{api_email: [], api_key: []}`.
    pub security: Vec<Vec<usize>>,
    /// The call may also go out without credentials (`security` lists `{}` or is empty).
    pub auth_optional: bool,
    /// Envelope that wraps 2xx bodies.
    pub envelope: Option<Envelope>,
    /// Client-side rate limit.
    pub rate_limit: Option<RateLimit>,
    /// Safe to repeat (by method or `x-idempotent`).
    pub idempotent: bool,
    /// `x-idempotency-key`: the header carrying a key the runtime makes per call (and reuses
    /// across its retries), which makes the operation safe to retry.
    pub idempotency_key: Option<String>,
    /// `x-pagination`: how to fetch every page.
    pub pagination: Option<Pagination>,
    /// The client settings it sends (indices into `Api::settings`).
    pub settings: Vec<usize>,
}

impl Operation {
    /// Every scheme some alternative of the operation sends (indices into `Api::auth`).
    pub fn schemes(&self) -> impl Iterator<Item = usize> + '_ {
        self.security.iter().flatten().copied()
    }
}

/// Pagination (`x-pagination`): how to walk the pages of a list operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    /// The method that streams the pages (`<method>_pages`).
    pub pages: Ident,
    /// The method that streams the items (`<method>_stream`).
    pub stream: Ident,
    /// The method that collects the items (`<method>_all`).
    pub all: Ident,
    /// What selects a page, and how the payload says where the next one is.
    pub style: PaginationStyle,
    /// Fields from the payload to the array of items.
    pub items: Vec<FieldStep>,
    /// The type of one item.
    pub item: TypeRef,
}

/// The ways of selecting a page (`x-pagination`'s `style`).
#[derive(Debug, Clone, PartialEq)]
pub enum PaginationStyle {
    /// Page numbers.
    Page {
        /// Rust name of the (optional, integer) query parameter holding the page number.
        param: Ident,
        /// The page number of the first page.
        first: i64,
        /// Where the payload gives the total number of pages, if it does.
        total_pages: Option<Total>,
    },
    /// Item offsets, counted from 0.
    Offset {
        /// Rust name of the (optional, integer) query parameter holding the offset.
        param: Ident,
        /// Where the payload gives the total number of items, if it does.
        total_items: Option<Total>,
    },
    /// Opaque cursors the server hands out.
    Cursor {
        /// Rust name of the (optional, string) query parameter holding the cursor.
        param: Ident,
        /// Fields from the payload to the next page's cursor.
        next: Vec<FieldStep>,
    },
}

/// A count in a page's payload (of pages or of items).
#[derive(Debug, Clone, PartialEq)]
pub struct Total {
    /// Fields from the payload to the count.
    pub path: Vec<FieldStep>,
    /// The count is an `i64` (else an `i32`).
    pub wide: bool,
}

/// One field access on a path through a payload.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldStep {
    /// Rust field name.
    pub field: Ident,
    /// The field is an `Option`.
    pub optional: bool,
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    /// Path segment.
    Path,
    /// Query string.
    Query,
    /// Header.
    Header,
    /// Cookie.
    Cookie,
}

/// One parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// Name on the wire.
    pub wire: String,
    /// Rust name.
    pub name: Ident,
    /// Where it goes.
    pub location: ParamLocation,
    /// `required`.
    pub required: bool,
    /// Its type.
    pub ty: TypeRef,
    /// `description`, with default and bounds appended.
    pub doc: Option<String>,
    /// `deprecated`.
    pub deprecated: bool,
    /// Arrays: one `name=value` pair per item (`explode: true`, the default) or one
    /// comma-separated value. Objects in a query: one pair per property, or one
    /// `name=key,value,...` pair.
    pub explode: bool,
    /// How the value is serialized (`style`).
    pub style: ParamStyle,
    /// The spec's first example of the value (JSON text), for docs and mocks.
    pub example: Option<String>,
    /// Its chainable setter on the operation's `Params` struct (`with_page_size`), for the
    /// query, header and cookie parameters; path parameters are method arguments and have none.
    pub setter: Option<Ident>,
}

/// A parameter's `style`, as far as the generator distinguishes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamStyle {
    /// `simple` (path, header) or `form` (query, cookie): the value as text, arrays and
    /// objects comma-separated or exploded.
    Plain,
    /// `deepObject` (query objects): one `name[property]=value` pair per property.
    DeepObject,
}

/// How a body is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// `application/json` and `+json` types.
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// `text/*`, as a `String`.
    Text,
    /// Anything else (`application/octet-stream`, images), as bytes.
    Binary,
}

/// A request body.
#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    /// Its type.
    pub ty: TypeRef,
    /// `required`.
    pub required: bool,
    /// Media type.
    pub media: String,
    /// How it is encoded.
    pub encoding: Encoding,
    /// `description`.
    pub doc: Option<String>,
    /// The spec's first example of the body (JSON text; a JSON string for text bodies).
    pub example: Option<String>,
}

/// Which statuses a response covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    /// One status.
    Code(u16),
    /// A class, `4XX` is `Range(4)`.
    Range(u16),
    /// `default`.
    Default,
}

/// A documented response.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    /// The status(es).
    pub status: Status,
    /// Variant name in the operation's error enum.
    pub variant: Ident,
    /// Body type (for 2xx with an envelope: the payload's type); `None` for no body.
    pub ty: Option<TypeRef>,
    /// How the body is encoded (JSON when there is none).
    pub encoding: Encoding,
    /// Held in a `Box` in the operation's success enum, because its body is much larger than
    /// the others' (clippy's `large_enum_variant`).
    pub boxed: bool,
    /// `description`.
    pub doc: String,
    /// The spec's first example of the whole body as sent (JSON text, envelope included);
    /// for a 2xx response with an envelope, the first example that is not a failure.
    pub example: Option<String>,
}

/// `x-envelope`.
#[derive(Debug, Clone, PartialEq)]
pub struct Envelope {
    /// Pointer to the payload.
    pub payload: String,
    /// Failure test.
    pub failure: Option<FailureTest>,
    /// Pointer to the code.
    pub code: Option<String>,
    /// Pointer to the message.
    pub message: Option<String>,
    /// Pointer to the request id.
    pub request_id: Option<String>,
    /// Which of the pointers above (failure discriminator, payload, code, message, request id)
    /// the 2xx response schema requires along their whole path: a body without one of them
    /// does not match the envelope and is an error, not a success.
    pub required: Vec<String>,
}

/// When a 2xx body is a failure.
#[derive(Debug, Clone, PartialEq)]
pub enum FailureTest {
    /// Value at pointer equals JSON.
    Equals(String, String),
    /// Value at pointer exists and differs from JSON.
    NotEquals(String, String),
    /// Value at pointer exists and is not null.
    Present(String),
}

/// `x-rate-limit`.
#[derive(Debug, Clone, PartialEq)]
pub struct RateLimit {
    /// Requests allowed per window (absent: only `retry_after_header`).
    pub requests: Option<u32>,
    /// Window in seconds.
    pub per_seconds: f64,
    /// Each operation has its own budget (else one for the API).
    pub per_operation: bool,
    /// Vendor header giving seconds to wait.
    pub retry_after_header: Option<String>,
}

/// A use of a type.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum TypeRef {
    /// bool
    Bool,
    /// i32
    I32,
    /// i64
    I64,
    /// f32
    F32,
    /// f64
    F64,
    /// String
    String,
    /// A credential (`Secret`).
    Secret,
    /// RFC 3339 date-time.
    DateTime,
    /// Calendar date.
    Date,
    /// Any JSON.
    Json,
    /// Raw bytes (`format: binary`, binary bodies).
    Bytes,
    /// A named type in `Api::types`.
    Named(Ident),
    /// Array.
    Vec(Box<TypeRef>),
    /// Map with string keys.
    Map(Box<TypeRef>),
    /// Nullable.
    Option(Box<TypeRef>),
}

/// A named type.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// Rust name.
    pub name: Ident,
    /// Where in the spec it was defined (JSON pointer).
    pub origin: String,
    /// `description` (or `title`).
    pub doc: Option<String>,
    /// `deprecated`.
    pub deprecated: bool,
    /// Shape.
    pub kind: TypeKind,
}

/// Shapes of named types.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    /// An object with known properties.
    Struct {
        /// Fields, in spec order.
        fields: Vec<Field>,
        /// Accepts and keeps unknown properties, in the field of this name.
        extra: Option<Ident>,
    },
    /// A string enum; values the spec does not list are kept in an `Unknown` variant.
    Enum {
        /// Variants, in spec order.
        variants: Vec<Variant>,
        /// Name of the catch-all variant.
        unknown: Ident,
    },
    /// An integer enum; values the spec does not list are kept in an `Unknown` variant.
    IntEnum {
        /// (value, Rust name), in spec order.
        variants: Vec<(i64, Ident)>,
        /// Name of the catch-all variant.
        unknown: Ident,
    },
    /// `oneOf` / `anyOf`: one of several shapes.
    Union {
        /// Variants, in spec order.
        variants: Vec<UnionVariant>,
        /// The discriminator: property name and (value, variant index) pairs.
        discriminator: Option<(String, Vec<(String, usize)>)>,
        /// Every variant is a scalar (a string, number, boolean, enum, or a union of them): the
        /// union renders as the wire value (`Display`), so it can be a parameter.
        scalar: bool,
    },
    /// A named alias of another type.
    Alias(TypeRef),
}

/// An object property.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// Name on the wire.
    pub wire: String,
    /// Rust name.
    pub name: Ident,
    /// Type (`Option` already applied for optional or nullable).
    pub ty: TypeRef,
    /// Not in `required`: omitted when absent.
    pub optional: bool,
    /// `description`.
    pub doc: Option<String>,
    /// `deprecated`.
    pub deprecated: bool,
    /// Held in a `Box` because the type contains itself.
    pub boxed: bool,
    /// Its chainable setter (`with_created_at`), used when the field is an `Option`.
    pub setter: Ident,
}

/// A variant of a `oneOf`/`anyOf` union.
#[derive(Debug, Clone, PartialEq)]
pub struct UnionVariant {
    /// Rust name.
    pub name: Ident,
    /// Its type.
    pub ty: TypeRef,
    /// Held in a `Box`: the type contains itself, or it is much larger than the other
    /// variants (clippy's `large_enum_variant`).
    pub boxed: bool,
}

/// An enum variant.
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    /// Value on the wire.
    pub wire: String,
    /// Rust name.
    pub name: Ident,
}
