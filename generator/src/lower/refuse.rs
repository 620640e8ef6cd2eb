//! Operations that use something the generator genuinely does not support are skipped, with a
//! located warning saying what and why, and the rest of the spec generates.
//!
//! Two ways in: [`unsupported_operation`] refuses what is visible before lowering (a protocol
//! upgrade), and [`skip_if_unsupported`] turns the findings of an operation that are all of the
//! kind [`Severity::Unsupported`] into one warning.

use crate::diagnostic::{Diagnostic, Findings, Severity};
use crate::load::skip::{skip_message, SKIPPED};
use openapiv3::StatusCode;

/// Records what makes `op` impossible to generate before it is lowered.
pub fn unsupported_operation(op: &openapiv3::Operation, at: &str, findings: &mut Findings) {
    if op.responses.responses.contains_key(&StatusCode::Code(101)) {
        findings.unsupported(
            &format!("{at}/responses/101"),
            "a protocol upgrade (101 Switching Protocols, e.g. a WebSocket) is not supported",
            "the generated clients speak request/response HTTP only",
        );
    }
}

/// If every error found since `mark` (the operation `id` at `at` being lowered) is of the
/// unsupported kind, replaces them with one warning and returns true: the caller drops the
/// operation. Otherwise leaves the findings as they are (errors) and returns false.
pub fn skip_if_unsupported(findings: &mut Findings, mark: usize, id: &str, at: &str) -> bool {
    let found = &findings.0[mark..];
    let unsupported: Vec<&Diagnostic> = found
        .iter()
        .filter(|d| d.severity == Severity::Unsupported)
        .collect();
    if unsupported.is_empty() || found.iter().any(|d| d.severity == Severity::Error) {
        return false;
    }
    let reasons: Vec<String> = unsupported.iter().map(|d| d.message.clone()).collect();
    let pointer = if unsupported.len() == 1 {
        unsupported[0].pointer.clone()
    } else {
        at.to_owned()
    };
    let help = unsupported[0].help.clone().unwrap_or_default();
    let warning = Diagnostic::new(pointer, skip_message(id, &reasons.join("; ")))
        .help(format!(
            "{help}; the rest of the spec is generated (`--strict` makes this an error)"
        ))
        .warning();
    let kept: Vec<Diagnostic> = findings
        .0
        .drain(mark..)
        .filter(|d| !d.severity.is_error() && d.severity != Severity::Warning)
        .collect();
    findings.0.extend(kept);
    findings.0.push(warning);
    true
}

/// The operations skipped so far, each as `what: why` (from the skip warnings).
pub fn skipped(findings: &Findings) -> Vec<String> {
    findings
        .0
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .filter_map(|d| {
            let (what, why) = d.message.split_once(SKIPPED)?;
            Some(format!("{}: {why}", what.trim_start_matches("operation ")))
        })
        .collect()
}
