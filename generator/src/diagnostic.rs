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
    segment.replace('~', "~0").replace('/', "~1")
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
