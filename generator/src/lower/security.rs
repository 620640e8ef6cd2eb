//! An operation's security requirements -> the schemes it may use.
//!
//! OpenAPI's `security` lists alternatives: "only one of the Security Requirement Objects in
//! the list needs to be satisfied". So an alternative the clients cannot send (a scheme the
//! generator does not support, or several schemes required together) does not make the
//! operation unusable while another alternative remains: it is left out, and said once.

use crate::diagnostic::{Diagnostic, Findings, Severity};
use crate::lower::operation::OpLowering;

/// The note on an operation whose combined requirement is left out for another alternative;
/// [`collapse_notes`] turns all of them into one.
const COMBINED_LEFT_OUT: &str =
    "a security requirement combining several schemes is not supported; another alternative is used";

/// Reports the security scheme at `at` (`what` it is) as not supported, once, where it is
/// defined.
pub fn unsupported_scheme(at: &str, what: &str, help: &str, findings: &mut Findings) {
    findings.warning(
        at,
        format!("{what} is not supported: operations offering another security alternative use that one, and the others are skipped"),
        help,
    );
}

impl OpLowering<'_, '_> {
    /// The alternatives of schemes (indices into `Api::auth`), and whether the call may go
    /// without credentials (`security` lists `{}`, is empty, or is absent everywhere).
    pub fn security(&mut self) -> (Vec<usize>, bool) {
        let (requirements, base) = match &self.op.security {
            Some(own) => (Some(own), format!("{}/security", self.at)),
            None => (self.doc.security.as_ref(), "/security".to_owned()),
        };
        let optional =
            requirements.is_none_or(|r| r.is_empty() || r.iter().any(|req| req.is_empty()));
        let Some(requirements) = requirements else {
            return (Vec::new(), optional);
        };
        let mut chosen = Vec::new();
        // Why each alternative left out was left out (pointer, reason).
        let mut left_out: Vec<(String, String)> = Vec::new();
        for (i, requirement) in requirements.iter().enumerate() {
            let at = format!("{base}/{i}");
            let mut indices = Vec::new();
            for key in requirement.keys() {
                if let Some(index) = self.defaults.schemes.iter().position(|s| s == key) {
                    indices.push(index);
                } else if self.defaults.unsupported_schemes.contains(key) {
                    left_out.push((
                        at.clone(),
                        format!("security scheme `{key}` is not supported"),
                    ));
                } else {
                    self.findings.error(
                        &at,
                        format!("unknown security scheme `{key}`"),
                        "define it under `components.securitySchemes`",
                    );
                }
            }
            if indices.len() != requirement.len() {
                continue;
            }
            if requirement.len() > 1 {
                left_out.push((
                    at,
                    "a security requirement combining several schemes is not supported".to_owned(),
                ));
                continue;
            }
            chosen.extend(indices);
        }
        if chosen.is_empty() && !optional && !left_out.is_empty() {
            let reasons: Vec<String> = left_out.iter().map(|(_, r)| r.clone()).collect();
            self.findings.unsupported(
                &left_out[0].0,
                format!("no security alternative can be sent: {}", reasons.join("; ")),
                "offer a supported alternative (`http` `basic`/`bearer`, `apiKey` in a header or query, `oauth2`, `openIdConnect`) with one scheme",
            );
        } else {
            for (at, reason) in &left_out {
                if reason.starts_with("a security requirement combining") {
                    self.findings.0.push(
                        Diagnostic::new(at.clone(), COMBINED_LEFT_OUT)
                            .help("nothing to do: the operation is generated with its other alternatives")
                            .note(),
                    );
                }
            }
        }
        (chosen, optional)
    }
}

/// One note for every operation whose combined requirement was left out, at the first of them.
pub fn collapse_notes(findings: &mut Findings) {
    let is_combined =
        |d: &Diagnostic| d.severity == Severity::Note && d.message == COMBINED_LEFT_OUT;
    let count = findings.0.iter().filter(|d| is_combined(d)).count();
    if count < 2 {
        return;
    }
    let mut seen = 0;
    findings.0.retain(|d| {
        if !is_combined(d) {
            return true;
        }
        seen += 1;
        seen == 1
    });
    if let Some(first) = findings.0.iter_mut().find(|d| is_combined(d)) {
        first.message = format!("{COMBINED_LEFT_OUT} ({count} operations; the first here)");
    }
}
