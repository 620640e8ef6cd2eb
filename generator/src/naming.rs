//! Every Rust identifier the generator emits is made here: case conversion, keyword escaping
//! and collision resolution live in one place.

use heck::{ToSnakeCase, ToUpperCamelCase};
use std::collections::BTreeSet;

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

/// Keywords that cannot be raw identifiers (`r#self` is invalid), so they get a suffix instead.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super"];

/// Keeps only characters valid in identifiers, mapping the rest to word breaks.
fn words(raw: &str) -> String {
    let cleaned: String = raw
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect();
    cleaned.trim().to_owned()
}

fn finish(mut ident: String, fallback: &str) -> String {
    if ident.is_empty() {
        ident = fallback.to_owned();
    }
    if ident.starts_with(|c: char| c.is_ascii_digit()) {
        ident.insert(0, '_');
    }
    if NOT_RAW.contains(&ident.as_str()) {
        ident.push('_');
    } else if KEYWORDS.contains(&ident.as_str()) {
        ident.insert_str(0, "r#");
    }
    ident
}

/// `sortBy` -> `sort_by`, `type` -> `r#type`, `_id` -> `id`.
pub fn field(raw: &str) -> String {
    finish(words(raw).to_snake_case(), "field")
}

/// Method and module names: `listUploadTokens` -> `list_upload_tokens`.
pub fn method(raw: &str) -> String {
    field(raw)
}

/// Type and variant names: `upload-token` -> `UploadToken`, `2xx` -> `_2xx`.
pub fn type_name(raw: &str) -> String {
    finish(words(raw).to_upper_camel_case(), "Value")
}

/// Enum variant for a wire value: `createdAt` -> `CreatedAt`, `read,write` -> `ReadWrite`.
pub fn variant(raw: &str) -> String {
    let name = type_name(raw);
    if name == "Value" && words(raw).is_empty() {
        return "Empty".to_owned();
    }
    name
}

/// Constant names: `X-TC-Action` -> `X_TC_ACTION`.
pub fn constant(raw: &str) -> String {
    finish(words(raw).to_snake_case().to_uppercase(), "VALUE")
}

/// Hands out unique names within one scope, suffixing `2`, `3`, ... on collision.
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

    /// Claims `name`, or the first free `name2`, `name3`, ...
    pub fn claim(&mut self, name: String) -> String {
        if self.taken.insert(name.clone()) {
            return name;
        }
        (2..)
            .map(|n| format!("{name}{n}"))
            .find(|candidate| self.taken.insert(candidate.clone()))
            .unwrap_or(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_conversion() {
        assert_eq!(field("sortBy"), "sort_by");
        assert_eq!(field("_id"), "id");
        assert_eq!(field("X-RateLimit-Limit"), "x_rate_limit_limit");
        assert_eq!(method("GET_upload-tokens"), "get_upload_tokens");
        assert_eq!(type_name("upload-token"), "UploadToken");
        assert_eq!(type_name("AigcApiToken"), "AigcApiToken");
        assert_eq!(variant("createdAt"), "CreatedAt");
        assert_eq!(variant("read,write"), "ReadWrite");
        assert_eq!(constant("X-TC-Action"), "X_TC_ACTION");
    }

    #[test]
    fn keywords_and_digits() {
        assert_eq!(field("type"), "r#type");
        assert_eq!(field("self"), "self_");
        assert_eq!(type_name("Self"), "Self_");
        assert_eq!(field("2fa"), "_2fa");
        assert_eq!(variant(""), "Empty");
        assert_eq!(field("!!!"), "field");
    }

    #[test]
    fn collisions_get_suffixes() {
        let mut scope = Scope::with_reserved(&["Client"]);
        assert_eq!(scope.claim("Client".into()), "Client2");
        assert_eq!(scope.claim("Token".into()), "Token");
        assert_eq!(scope.claim("Token".into()), "Token2");
        assert_eq!(scope.claim("Token".into()), "Token3");
    }
}
