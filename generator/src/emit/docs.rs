//! Rustdoc of the generated methods: what the call does, the HTTP request, the errors.

use super::client::scheme_doc;
use super::doc;
use super::operations::{method_str, status_text};
use crate::ir::{Api, Operation};
use proc_macro2::TokenStream;

/// The `///` docs of an operation's method.
pub(crate) fn method_doc(api: &Api, op: &Operation) -> TokenStream {
    let (verb, _) = method_str(op.method);
    let mut text = String::new();
    // The warning comes first, so it is what rustdoc's listing shows.
    if let Some(reason) = &op.unverified {
        text.push_str(&format!("**Warning: unverified.** This operation is not confirmed by the vendor's documentation: {reason}\n\n"));
    }
    if let Some(summary) = &op.summary {
        text.push_str(summary);
        text.push_str("\n\n");
    }
    if let Some(description) = &op.description {
        text.push_str(description);
        text.push_str("\n\n");
    }
    let route = op
        .constant_headers
        .iter()
        .map(|(h, v)| format!(" with `{h}: {v}`"))
        .collect::<String>();
    text.push_str(&format!(
        "`{verb} {}`{route} (operation `{}`).",
        op.path, op.id
    ));
    if !op.security.is_empty() {
        let schemes: Vec<String> = op.security.iter().map(|i| scheme_doc(api, *i)).collect();
        text.push_str(&format!(" Credentials: {}.", schemes.join(" or ")));
    }
    text.push_str("\n\n# Errors\n\n");
    for r in &op.errors {
        text.push_str(&format!(
            "- HTTP {}: [`{}::{}`]\n",
            status_text(r.status),
            &op.error_type,
            r.variant
        ));
    }
    if let Some(envelope) = &op.envelope {
        if envelope.failure.is_some() {
            text.push_str("- a failure reported inside a 2xx body: [`runtime::Error::Failure`]\n");
        }
    }
    text.push_str("- any other status, an undecodable body or a transport failure: the other [`runtime::Error`] variants\n");
    doc(&text)
}
