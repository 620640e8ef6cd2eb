//! An operation's security requirements -> the schemes it may use.
//!
//! OpenAPI's `security` lists alternatives: "only one of the Security Requirement Objects in
//! the list needs to be satisfied", and a requirement naming several schemes needs all of
//! them ("all schemes MUST be satisfied"), which the clients send together. An alternative
//! the clients cannot send (a scheme the generator does not support, a signature combined
//! with other schemes, two parts that would fill the same header) does not make the
//! operation unusable while another alternative remains: it is left out, and said once.

use crate::diagnostic::{Diagnostic, Findings, Severity};
use crate::ir::{AuthKind, AuthScheme};
use crate::lower::operation::OpLowering;

/// How [`collapse_warnings`] recognises the warnings on combined requirements left out, of
/// which an inherited root requirement would otherwise give one per operation.
const COMBINED_LEFT_OUT: &str = "this security requirement combining several schemes is left out";

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
    /// The alternatives (each the indices into `Api::auth` of the schemes sent together), and
    /// whether the call may go without credentials (`security` lists `{}`, is empty, or is
    /// absent everywhere).
    pub fn security(&mut self) -> (Vec<Vec<usize>>, bool) {
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
        // Why each alternative left out was left out (pointer, reason, whether it is a
        // combination the generator refuses rather than a scheme it does not support).
        let mut left_out: Vec<(String, String, bool)> = Vec::new();
        for (i, requirement) in requirements.iter().enumerate() {
            let at = format!("{base}/{i}");
            let mut indices = Vec::new();
            for key in requirement.keys() {
                if let Some(index) = self.defaults.schemes.iter().position(|s| s.key == *key) {
                    indices.push(index);
                } else if self.defaults.unsupported_schemes.contains(key) {
                    left_out.push((
                        at.clone(),
                        format!("security scheme `{key}` is not supported"),
                        false,
                    ));
                } else {
                    self.findings.error(
                        &at,
                        format!("unknown security scheme `{key}`"),
                        "define it under `components.securitySchemes`",
                    );
                }
            }
            // `{}` sends nothing: it is what makes the call optional, not an alternative.
            if indices.len() != requirement.len() || indices.is_empty() {
                continue;
            }
            let parts: Vec<&AuthScheme> =
                indices.iter().map(|i| &self.defaults.schemes[*i]).collect();
            if let Some(reason) = uncombinable(&parts) {
                left_out.push((at, reason, true));
                continue;
            }
            chosen.push(indices);
        }
        if chosen.is_empty() && !optional && !left_out.is_empty() {
            let reasons: Vec<String> = left_out.iter().map(|(_, r, _)| r.clone()).collect();
            self.findings.unsupported(
                &left_out[0].0,
                format!("no security alternative can be sent: {}", reasons.join("; ")),
                "offer a supported alternative (`http` `basic`/`bearer`, `apiKey` in a header or query, `oauth2`, `openIdConnect`, or several of them together, each in its own header or query parameter)",
            );
        } else {
            for (at, reason, _) in left_out.iter().filter(|(_, _, combined)| *combined) {
                self.findings.0.push(
                    Diagnostic::new(at.clone(), format!("{COMBINED_LEFT_OUT}: {reason}"))
                        .help("the operation is generated with its other alternatives; send the combined schemes in distinct headers or query parameters, without a signature, to have it too")
                        .warning(),
                );
            }
        }
        (chosen, optional)
    }
}

/// Why the schemes of one requirement cannot be sent together, if they cannot: a signature
/// (which covers the final request, and whose key the runtime applies alone), or two parts
/// that would fill the same header or query parameter, one overwriting the other.
fn uncombinable(parts: &[&AuthScheme]) -> Option<String> {
    if parts.len() < 2 {
        return None;
    }
    if let Some(signed) = parts
        .iter()
        .find(|p| matches!(p.kind, AuthKind::Signed { .. }))
    {
        return Some(format!(
            "the signing scheme `{}` cannot be combined with other schemes",
            signed.key
        ));
    }
    let mut places: Vec<(String, &str)> = Vec::new();
    for part in parts {
        let place = match &part.kind {
            AuthKind::Basic | AuthKind::Bearer | AuthKind::Signed { .. } => {
                "the `Authorization` header".to_owned()
            }
            AuthKind::Header(name) if name.eq_ignore_ascii_case("authorization") => {
                "the `Authorization` header".to_owned()
            }
            AuthKind::Header(name) => format!("the `{}` header", name.to_ascii_lowercase()),
            AuthKind::Query(name) => format!("the `{name}` query parameter"),
        };
        if let Some((_, other)) = places.iter().find(|(p, _)| *p == place) {
            return Some(format!(
                "`{other}` and `{}` would both fill {place}",
                part.key
            ));
        }
        places.push((place, &part.key));
    }
    None
}

/// One warning for every operation that inherits the same left-out combined requirement, at
/// the requirement, saying how many operations it concerns.
pub fn collapse_warnings(findings: &mut Findings) {
    let is_combined = |d: &Diagnostic| {
        d.severity == Severity::Warning && d.message.starts_with(COMBINED_LEFT_OUT)
    };
    let mut counts: Vec<(String, String, usize)> = Vec::new();
    findings.0.retain(|d| {
        if !is_combined(d) {
            return true;
        }
        match counts
            .iter_mut()
            .find(|(at, message, _)| *at == d.pointer && *message == d.message)
        {
            Some((_, _, count)) => {
                *count += 1;
                false
            }
            None => {
                counts.push((d.pointer.clone(), d.message.clone(), 1));
                true
            }
        }
    });
    for d in findings.0.iter_mut().filter(|d| is_combined(d)) {
        let count = counts
            .iter()
            .find(|(at, message, _)| *at == d.pointer && *message == d.message)
            .map_or(1, |(_, _, count)| *count);
        if count > 1 {
            d.message = format!("{} ({count} operations)", d.message);
        }
    }
}

#[cfg(test)]
mod tests {
    /// A left-out combination the root declares is one warning for all the operations that
    /// inherit it, at the requirement, saying how many they are.
    #[test]
    fn an_inherited_left_out_combination_is_one_warning() {
        let spec = crate::SpecFile {
            path: "specs/t.yaml".into(),
            text: "openapi: 3.0.3\ninfo: {title: t, version: '1'}\nservers: [{url: 'https://x.io'}]\n\
                   components:\n  securitySchemes:\n    bearer: {type: http, scheme: bearer}\n    \
                   raw: {type: apiKey, in: header, name: authorization}\n    \
                   key: {type: apiKey, in: query, name: key}\n\
                   security:\n  - {bearer: [], raw: []}\n  - {key: []}\n\
                   paths:\n  /a:\n    get:\n      operationId: getA\n      responses: {'204': {description: ok}}\n  \
                   /b:\n    get:\n      operationId: getB\n      responses: {'204': {description: ok}}\n"
                .into(),
        };
        let (api, findings) = crate::lower_spec_reporting(&spec).expect("lowers");
        assert!(api.operations.iter().all(|op| op.security == [vec![2]]));
        let combined: Vec<String> = findings
            .iter()
            .filter(|f| f.message.contains("combining several schemes"))
            .map(|f| format!("{} {}", f.pointer, f.message))
            .collect();
        assert_eq!(
            combined,
            ["/security/0 this security requirement combining several schemes is left out: `bearer` and `raw` would both fill the `Authorization` header (2 operations)"]
        );
    }
}
