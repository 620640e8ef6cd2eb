//! Findings about a spec: what is wrong, where (file, line, JSON pointer) and how to fix it.

use std::fmt;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The spec (or the generator's reading of it) is wrong: nothing is generated.
    Error,
    /// Something the generator does not support, found inside one operation: an error until
    /// the operation's lowering turns it into a [`Severity::Warning`] and skips the operation.
    Unsupported,
    /// Generated anyway (an operation skipped, a lenient reading): `--strict` makes it an error.
    Warning,
    /// For information (extensions that were ignored).
    Note,
}

impl Severity {
    /// True for findings that stop generation.
    pub fn is_error(self) -> bool {
        matches!(self, Severity::Error | Severity::Unsupported)
    }

    fn label(self) -> &'static str {
        match self {
            Severity::Error | Severity::Unsupported => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }
}

/// One problem found in a spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error, warning or note.
    pub severity: Severity,
    /// The spec file, as given to the generator (`specs/<vendor>.yaml`).
    pub file: String,
    /// 1-based line of the element, when it could be found.
    pub line: Option<usize>,
    /// RFC 6901 pointer to the element (`/paths/~1upload-tokens/get`).
    pub pointer: String,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
}

impl Diagnostic {
    /// A finding at `pointer`; the line is filled in by [`crate::load::Source::locate`].
    pub fn new(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            file: String::new(),
            line: None,
            pointer: pointer.into(),
            message: message.into(),
            help: None,
        }
    }

    /// The same finding as a warning.
    pub fn warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }

    /// The same finding as a note.
    pub fn note(mut self) -> Self {
        self.severity = Severity::Note;
        self
    }

    /// Adds advice.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}: {}", self.severity.label(), self.message)?;
        match self.line {
            Some(line) => write!(f, "  --> {}:{line}", self.file)?,
            None => write!(f, "  --> {}", self.file)?,
        }
        if !self.pointer.is_empty() {
            write!(f, " (at #{})", self.pointer)?;
        }
        if let Some(help) = &self.help {
            write!(f, "\n  = help: {help}")?;
        }
        Ok(())
    }
}

/// Escapes one JSON-pointer segment (RFC 6901: `~` -> `~0`, `/` -> `~1`).
pub fn escape(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    escape_into(&mut out, segment);
    out
}

/// Appends `segment` to `out` escaped as [`escape`] does, in one pass over its bytes (every key
/// of a spec goes through here, unoptimised in the dev profile `cargo xtask codegen` runs).
pub fn escape_into(out: &mut String, segment: &str) {
    let bytes = segment.as_bytes();
    let (mut copied, mut at) = (0, 0);
    while at < bytes.len() {
        let escaped = match bytes[at] {
            b'~' => "~0",
            b'/' => "~1",
            _ => {
                at += 1;
                continue;
            }
        };
        out.push_str(&segment[copied..at]);
        out.push_str(escaped);
        at += 1;
        copied = at;
    }
    out.push_str(&segment[copied..]);
}

/// Joins segments into a pointer.
pub fn pointer<I, S>(segments: I) -> String
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    segments
        .into_iter()
        .map(|s| format!("/{}", escape(s.as_ref())))
        .collect()
}

/// Collects findings, so that every problem is reported at once.
#[derive(Debug, Default)]
pub struct Findings(pub Vec<Diagnostic>);

impl Findings {
    /// Records an error at `pointer` with advice.
    pub fn error(&mut self, pointer: &str, message: impl Into<String>, help: impl Into<String>) {
        self.0.push(Diagnostic::new(pointer, message).help(help));
    }

    /// Records something unsupported inside an operation: the operation is skipped with a
    /// warning when every finding of the operation is of this kind (an error elsewhere).
    pub fn unsupported(
        &mut self,
        pointer: &str,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        let mut d = Diagnostic::new(pointer, message).help(help);
        d.severity = Severity::Unsupported;
        self.0.push(d);
    }

    /// Records a warning: generation goes on (`--strict` makes it an error).
    pub fn warning(&mut self, pointer: &str, message: impl Into<String>, help: impl Into<String>) {
        self.0
            .push(Diagnostic::new(pointer, message).help(help).warning());
    }

    /// True when no error was found (warnings and notes do not count).
    pub fn is_empty(&self) -> bool {
        !self.0.iter().any(|d| d.severity.is_error())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn escape_is_rfc_6901() {
        for (segment, escaped) in [
            ("", ""),
            ("plain", "plain"),
            ("/a/{id}", "~1a~1{id}"),
            ("~1", "~01"),
            ("é~/ü", "é~0~1ü"),
            ("~~//", "~0~0~1~1"),
        ] {
            assert_eq!(super::escape(segment), escaped);
        }
    }
}
