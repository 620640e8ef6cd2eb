//! Every Rust identifier the generator emits is decided here: case conversion,
//! transliteration, keyword escaping, the names the generated code itself uses (reserved), and
//! collision resolution. Lowering asks for names through this module once; emission only
//! reads the [`Ident`]s stored in the IR.

use crate::ir::Ident;
use heck::{ToSnakeCase, ToUpperCamelCase};
use std::collections::BTreeSet;

pub mod cli;

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

/// What a keyword is called instead, so the public API never needs a raw identifier
/// (`r#type`): an English synonym where one reads naturally, else the keyword and `_`
/// (`match_`, `self_`). Fields keep their wire name through serde's `rename`.
const KEYWORD_SYNONYMS: &[(&str, &str)] = &[
    ("type", "kind"),
    ("ref", "reference"),
    ("fn", "function"),
    ("mod", "module"),
    ("impl", "implementation"),
    ("enum", "enumeration"),
    ("struct", "structure"),
    ("use", "usage"),
    ("const", "constant"),
    ("Self", "SelfValue"),
];

/// The name a keyword takes first, and the one it falls back to when that is taken.
fn keyword_names(keyword: &str) -> (String, String) {
    let fallback = format!("{keyword}_");
    let first = KEYWORD_SYNONYMS
        .iter()
        .find(|(k, _)| *k == keyword)
        .map_or_else(|| fallback.clone(), |(_, s)| (*s).to_owned());
    (first, fallback)
}

/// Names a generated API module holds in its root: the `Client`, `Credentials`, `Server` and
/// `Error` it defines, the `types` and `operations` modules and the `runtime` import, and the
/// prelude names its code uses unqualified. (Every type named after a schema or an operation
/// is in `types`.)
pub const MODULE_ITEMS: &[&str] = &[
    "Client",
    "Credentials",
    "Server",
    "Error",
    "types",
    "runtime",
    "operations",
    "Option",
    "Result",
    "String",
    "Vec",
    "Box",
    "Self",
    "Some",
    "None",
    "Ok",
    "Err",
];

/// The generated `Client`'s own methods (and the derived ones a same-named inherent method
/// would shadow). Operations never take these names.
pub const CLIENT_METHODS: &[&str] = &[
    "new",
    "with_config",
    "with_options",
    "base_url",
    "clone",
    "clone_from",
    "fmt",
    // The mock server's own (`mock::MockServer`), which has a method per operation too.
    "start",
    "client",
];

/// Variant names of the generated `Server` that no spec server takes: the one for any base URL.
pub const SERVER_ITEMS: &[&str] = &["BaseUrl"];

/// The generated `Server`'s own methods (and derived ones): a server's constructor (named after
/// it) never takes one.
pub const SERVER_METHODS: &[&str] = &["url", "from", "into", "clone", "fmt", "eq", "ne", "hash"];

/// The generated `Client`'s own fields: a client setting (`x-client-setting`) never takes one.
pub const CLIENT_FIELDS: &[&str] = &["runtime", "credentials"];

/// Names used inside the generated methods' bodies (locals, the `params` and `body`
/// arguments): a path parameter never takes one, so it cannot be shadowed.
pub const METHOD_LOCALS: &[&str] = &[
    "body",
    "params",
    "request",
    "response",
    "cookies",
    "value",
    "item",
    "joined",
    "parts",
    "v",
    "first",
    "items",
    "page",
    "batch",
    "last",
    "total",
    "offset",
    "cursor",
    "next",
    "limit",
    "credential",
    "runtime",
    "types",
];

/// The methods a generated model or `Params` struct has besides its setters: its constructor,
/// the enums' own, and the derived ones a same-named inherent method would shadow.
pub const MODEL_METHODS: &[&str] = &[
    "new",
    "default",
    "as_str",
    "value",
    "from",
    "into",
    "clone",
    "clone_from",
    "fmt",
    "eq",
    "ne",
    "serialize",
    "deserialize",
];

/// Names the chainable setters of one struct's fields: `with_` and the field (`ttl` ->
/// `with_ttl`, `_2fa` -> `with_2fa`, `match_` -> `with_match_`). The prefix keeps a setter from
/// ever being a keyword or shadowing a derived method (a field named `clone` gets
/// `with_clone`), and it matches the `with_` setters of `Credentials` and `Client`; the scope
/// numbers the rare clash (`with_x2`).
pub fn setters<'f>(fields: impl IntoIterator<Item = &'f Ident>) -> Vec<Ident> {
    let mut scope = Scope::with_reserved(MODEL_METHODS);
    fields
        .into_iter()
        .map(|field| scope.claim(setter_name(field)))
        .collect()
}

/// One setter's name before collisions: `with_` and the field without leading underscores (a
/// double underscore is not snake case).
fn setter_name(field: &Ident) -> Ident {
    let bare = field.name.trim_start_matches('_');
    let bare = if bare.is_empty() { "value" } else { bare };
    Ident::new(format!("with_{bare}"))
}

/// Claims the setter of one more field in `scope` (made with [`setter_scope`]), for fields
/// named one at a time (an operation's parameters).
pub fn claim_setter(scope: &mut Scope, field: &Ident) -> Ident {
    scope.claim(setter_name(field))
}

/// A scope for [`claim_setter`].
pub fn setter_scope() -> Scope {
    Scope::with_reserved(MODEL_METHODS)
}

/// Names inside `pub mod types` that would shadow what the models' code uses (`Into` in the
/// constructors' `impl Into<String>`), or that a model cannot take: a struct `New` with a
/// `new` constructor is clippy's `self_named_constructors`.
pub const TYPES_ITEMS: &[&str] = &[
    "Option", "Vec", "String", "Result", "Box", "Self", "From", "Into", "New",
];

/// Module names a spec file cannot take: the crate root and binary, the runtime, and crates
/// the generated code names by path.
pub const RESERVED_MODULES: &[&str] = &[
    "lib",
    "main",
    "runtime",
    // A module `types` would hold `pub mod types` (clippy's `module_inception`).
    "types",
    "std",
    "core",
    "alloc",
    "serde",
    "serde_json",
    "api_token_clients",
    // Each module is also a Cargo feature of the product crate, beside these two.
    "default",
    "mock",
    // The `cli` feature and its module; the CLI modules import `clap` by that name.
    "cli",
    "clap",
    // The CLI's hand-written support, re-exported at the crate root beside `runtime`.
    "cli_runtime",
    "api_token_cli",
    "api_token_runtime",
];

/// Keeps only characters valid in identifiers: non-ASCII text is transliterated (`größe` ->
/// `grosse`, `日本語` -> `Ri Ben Yu`, `🚀` -> `rocket`), the rest becomes word breaks.
fn words(raw: &str) -> String {
    let ascii = if raw.is_ascii() {
        std::borrow::Cow::Borrowed(raw)
    } else {
        std::borrow::Cow::Owned(deunicode::deunicode_with_tofu(raw, " "))
    };
    let cleaned: String = ascii
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect();
    cleaned.trim().to_owned()
}

/// A bare name made valid: a fallback for nothing, `_` before a digit, `_` alone made a word.
fn finish(mut name: String, fallback: &str) -> String {
    if name.is_empty() {
        name = fallback.to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    if name == "_" {
        name.push('_');
    }
    name
}

/// True when `name` is a Rust keyword (strict, reserved or edition-dependent).
pub fn is_keyword(name: &str) -> bool {
    // Most names are longer than any keyword: no walk over the list for them.
    name.len() <= LONGEST_KEYWORD && KEYWORDS.contains(&name)
}

/// The length of the longest of [`KEYWORDS`] (`continue`).
const LONGEST_KEYWORD: usize = 8;

impl Ident {
    /// The identifier for a valid bare name; a keyword takes its substitute (`type` ->
    /// `kind`, `match` -> `match_`), so no identifier is ever raw.
    pub fn new(name: impl Into<String>) -> Self {
        let name = name.into();
        if is_keyword(&name) {
            return Self {
                name: keyword_names(&name).0,
            };
        }
        Self { name }
    }

    /// This name followed by `suffix` (`GetItem` -> `GetItemParams`).
    pub fn suffixed(&self, suffix: &str) -> Self {
        Self::new(format!("{}{suffix}", self.name))
    }
}

/// True when `raw` has nothing an identifier can be made of.
pub fn is_blank(raw: &str) -> bool {
    words(raw).is_empty()
}

/// `sortBy` -> `sort_by`, `type` -> `kind`, `_id` -> `id`.
pub fn field(raw: &str) -> Ident {
    Ident::new(snake(raw, "field"))
}

/// The helpers of a paginated operation, after its method name: `list_pages`, `list_stream`,
/// `list_all`.
pub const PAGINATION_SUFFIXES: [&str; 3] = ["_pages", "_stream", "_all"];

/// Names the helpers of the paginated operation `method` in the client's method scope, after
/// every operation has its name: they move aside together (`list2_pages`, `list2_stream`,
/// `list2_all`) when any of them is another operation's name, so an operation called
/// `list_stream` keeps it. Returns the pages, stream and all methods.
pub fn pagination_methods(methods: &mut Scope, method: &Ident) -> [Ident; 3] {
    // A keyword's method is `move_`: its helpers are `move_pages`, not `move__pages`.
    let stem = method.name.trim_end_matches('_');
    let stem = if stem.is_empty() { &method.name } else { stem };
    let base = methods.claim_stem(stem.to_owned(), &PAGINATION_SUFFIXES);
    PAGINATION_SUFFIXES.map(|suffix| Ident::new(format!("{base}{suffix}")))
}

/// Method names: `listUploadTokens` -> `list_upload_tokens`.
pub fn method(raw: &str) -> Ident {
    Ident::new(snake(raw, "call"))
}

fn snake(raw: &str, fallback: &str) -> String {
    let mut name = words(raw).to_snake_case();
    // `_404` would be clippy's `just_underscores_and_digits` as an argument.
    if !name.is_empty() && name.chars().all(|c| c.is_ascii_digit() || c == '_') {
        name.insert(0, 'n');
    }
    finish(name, fallback)
}

/// Type and variant names: `upload-token` -> `UploadToken`, `2xx` -> `_2xx`.
pub fn type_name(raw: &str) -> Ident {
    Ident::new(camel(raw, "Value"))
}

fn camel(raw: &str, fallback: &str) -> String {
    let name = words(raw).to_upper_camel_case();
    // `Self_` would not be upper camel case (a warning); `SelfValue` is.
    if name == "Self" {
        return "SelfValue".to_owned();
    }
    finish(name, fallback)
}

/// Enum variant for a wire value: `createdAt` -> `CreatedAt`, `read,write` -> `ReadWrite`,
/// `""` -> `Empty`.
pub fn variant(raw: &str) -> Ident {
    Ident::new(camel(raw, "Empty"))
}

/// The module a spec file stem becomes: snake case, never raw; keywords and reserved names
/// get `_api` (`type.yaml` -> `type_api`, `lib.yaml` -> `lib_api`).
pub fn module(stem: &str) -> Ident {
    let mut name = words(stem).to_snake_case();
    if name.is_empty() {
        name = "api".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    if KEYWORDS.contains(&name.as_str()) || RESERVED_MODULES.contains(&name.as_str()) {
        name.push_str("_api");
    }
    Ident::new(name)
}

/// Hands out unique names within one namespace, suffixing `2`, `3`, ... on collision.
#[derive(Debug, Default)]
pub struct Scope {
    taken: BTreeSet<String>,
}

impl Scope {
    /// A scope where `reserved` names are already taken.
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Self {
            taken: reserved.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    /// Claims `wanted`, or the first free `wanted2`, `wanted3`, ...
    pub fn claim(&mut self, wanted: Ident) -> Ident {
        self.claim_with(wanted, &[""])
    }

    /// Claims the field (or argument) name of the wire name `wire`. A keyword takes its
    /// synonym (`type` -> `kind`) unless that is taken, then `type_`, then a number.
    pub fn claim_field(&mut self, wire: &str) -> Ident {
        let plain = snake(wire, "field");
        if !is_keyword(&plain) {
            return self.claim(Ident { name: plain });
        }
        let (first, fallback) = keyword_names(&plain);
        let wanted = if self.taken.contains(&first) && !self.taken.contains(&fallback) {
            fallback
        } else {
            first
        };
        self.claim(Ident { name: wanted })
    }

    /// Names sibling fields together, so a keyword's synonym never takes the name of a
    /// sibling that has it as its own (`type` and `kind`: `type_` and `kind`, in any order).
    pub fn claim_fields<'w>(&mut self, wires: impl IntoIterator<Item = &'w str>) -> Vec<Ident> {
        let wires: Vec<&str> = wires.into_iter().collect();
        let mut names: Vec<Option<Ident>> = wires
            .iter()
            .map(|w| {
                let plain = snake(w, "field");
                (!is_keyword(&plain)).then(|| self.claim(Ident { name: plain }))
            })
            .collect();
        for (name, wire) in names.iter_mut().zip(&wires) {
            if name.is_none() {
                *name = Some(self.claim_field(wire));
            }
        }
        names.into_iter().flatten().collect()
    }

    /// Claims `wanted` + each of `suffixes` together (`GetItemParams`, `GetItemError`, ...),
    /// numbering the base (`GetItem2`) until all of them are free. Returns the base.
    pub fn claim_with(&mut self, wanted: Ident, suffixes: &[&str]) -> Ident {
        Ident::new(self.claim_stem(wanted.name, suffixes))
    }

    /// [`Scope::claim_with`] for a stem that is only ever written with a suffix (so it may
    /// be a keyword): returns the stem as claimed.
    pub fn claim_stem(&mut self, wanted: String, suffixes: &[&str]) -> String {
        let free = |taken: &BTreeSet<String>, base: &str| {
            suffixes
                .iter()
                .all(|s| !taken.contains(&format!("{base}{s}")))
        };
        let base = if free(&self.taken, &wanted) {
            wanted
        } else {
            (2..)
                .map(|n| format!("{wanted}{n}"))
                .find(|candidate| free(&self.taken, candidate))
                .unwrap_or_default()
        };
        for s in suffixes {
            self.taken.insert(format!("{base}{s}"));
        }
        base
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_keyword_is_longer_than_the_quick_reject() {
        let longest = KEYWORDS.iter().map(|k| k.len()).max();
        assert_eq!(longest, Some(LONGEST_KEYWORD));
    }

    fn s(ident: Ident) -> String {
        ident.to_string()
    }

    #[test]
    fn pagination_helpers_move_aside_together() {
        let mut methods = Scope::with_reserved(CLIENT_METHODS);
        for taken in ["list", "list_stream", "move_"] {
            methods.claim(Ident::new(taken));
        }
        let names =
            |m: &mut Scope, op: &str| pagination_methods(m, &Ident::new(op)).map(|i| i.to_string());
        assert_eq!(
            names(&mut methods, "list"),
            ["list2_pages", "list2_stream", "list2_all"]
        );
        assert_eq!(
            names(&mut methods, "move_"),
            ["move_pages", "move_stream", "move_all"]
        );
    }

    #[test]
    fn case_conversion() {
        assert_eq!(s(field("sortBy")), "sort_by");
        assert_eq!(s(field("_id")), "id");
        assert_eq!(s(field("X-RateLimit-Limit")), "x_rate_limit_limit");
        assert_eq!(s(method("GET_upload-tokens")), "get_upload_tokens");
        assert_eq!(s(type_name("upload-token")), "UploadToken");
        assert_eq!(s(type_name("AigcApiToken")), "AigcApiToken");
        assert_eq!(s(variant("createdAt")), "CreatedAt");
        assert_eq!(s(variant("read,write")), "ReadWrite");
    }

    #[test]
    fn keywords_and_digits() {
        assert_eq!(s(field("type")), "kind");
        assert_eq!(s(field("match")), "match_");
        assert_eq!(s(method("ref")), "reference");
        assert_eq!(s(field("self")), "self_");
        assert_eq!(s(field("_")), "field");
        assert_eq!(s(type_name("Self")), "SelfValue");
        assert_eq!(s(field("2fa")), "_2fa");
        assert_eq!(s(field("404")), "n404");
        assert_eq!(s(variant("")), "Empty");
        assert_eq!(s(field("!!!")), "field");
    }

    #[test]
    fn non_ascii_is_transliterated() {
        assert_eq!(s(method("日本語")), "ri_ben_yu");
        assert_eq!(s(type_name("🚀")), "Rocket");
        assert_eq!(s(field("größe")), "grosse");
    }

    #[test]
    fn modules_avoid_keywords_and_reserved_names() {
        assert_eq!(s(module("lib")), "lib_api");
        assert_eq!(s(module("runtime")), "runtime_api");
        assert_eq!(s(module("type")), "type_api");
        assert_eq!(s(module("types")), "types_api");
        assert_eq!(s(module("self")), "self_api");
        assert_eq!(s(module("cloud-vod")), "cloud_vod");
    }

    #[test]
    fn collisions_get_suffixes() {
        let mut scope = Scope::with_reserved(&["Client"]);
        assert_eq!(s(scope.claim(type_name("Client"))), "Client2");
        assert_eq!(s(scope.claim(type_name("Token"))), "Token");
        assert_eq!(s(scope.claim(type_name("Token"))), "Token2");
        assert_eq!(s(scope.claim(type_name("Token"))), "Token3");
        assert_eq!(s(scope.claim_field("type")), "kind");
        assert_eq!(s(scope.claim_field("type")), "type_");
        assert_eq!(s(scope.claim_field("type")), "kind2");
    }

    #[test]
    fn keyword_synonyms_never_take_a_siblings_name() {
        for wires in [["type", "kind"], ["kind", "type"]] {
            let mut scope = Scope::default();
            let names: Vec<String> = scope.claim_fields(wires).into_iter().map(s).collect();
            let expected: Vec<&str> = wires
                .iter()
                .map(|w| if *w == "type" { "type_" } else { "kind" })
                .collect();
            assert_eq!(names, expected);
        }
        let mut scope = Scope::default();
        let names: Vec<String> = scope
            .claim_fields(["type", "match", "ref"])
            .into_iter()
            .map(s)
            .collect();
        assert_eq!(names, ["kind", "match_", "reference"]);
    }

    #[test]
    fn models_never_shadow_into_or_take_their_constructors_name() {
        let mut scope = Scope::with_reserved(TYPES_ITEMS);
        assert_eq!(s(scope.claim(type_name("new"))), "New2");
        assert_eq!(s(scope.claim(type_name("into"))), "Into2");
    }

    #[test]
    fn setters_are_prefixed_and_distinct() {
        let fields: Vec<Ident> = ["ttl", "with_ttl", "_2fa", "match_", "clone", "new"]
            .into_iter()
            .map(Ident::new)
            .collect();
        let names: Vec<String> = setters(&fields).into_iter().map(s).collect();
        assert_eq!(
            names,
            [
                "with_ttl",
                "with_with_ttl",
                "with_2fa",
                "with_match_",
                "with_clone",
                "with_new"
            ]
        );
        let mut scope = setter_scope();
        assert_eq!(s(claim_setter(&mut scope, &Ident::new("a"))), "with_a");
        assert_eq!(s(claim_setter(&mut scope, &Ident::new("_a"))), "with_a2");
    }

    #[test]
    fn derived_names_are_claimed_together() {
        let mut scope = Scope::with_reserved(&["GetItemError"]);
        let base = scope.claim_with(type_name("getItem"), &["Params", "Error"]);
        assert_eq!(s(base), "GetItem2");
        let base = scope.claim_with(type_name("get_item"), &["Params", "Error"]);
        assert_eq!(s(base), "GetItem3");
    }
}
