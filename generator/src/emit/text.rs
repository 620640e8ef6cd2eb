//! Items written straight as text, the way prettyplease prints them.
//!
//! Most of codegen's time went to `syn` parsing back the tokens we had just built and to
//! prettyplease printing them, though most items have one of a few fixed shapes (setters,
//! constructors, `Debug` impls, the impls of a string enum). Those are written here as text
//! and stand in the token stream as one-line placeholders (`long_text::item`), put in place
//! after printing. The tokens stay the definition: a shape is written as text only when every
//! line fits well inside prettyplease's margin (so no layout choice is left to guess), and
//! otherwise goes through tokens as before.
//!
//! With verification on ([`verify`], or `API_TOKEN_CODEGEN_VERIFY=1`), every text item is also
//! printed from its tokens and compared; `generate` fails naming any that differ. The tests
//! run every spec they generate from that way.

use proc_macro2::TokenStream;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

/// The widest line (indentation included) prettyplease leaves unbroken: a line of text wider
/// than this gives the item up to tokens, so no layout choice is guessed.
pub(crate) const FITS: usize = 89;

static VERIFY: AtomicBool = AtomicBool::new(false);
/// Items written as text so far in this process: what shows a test that text was written.
static WRITTEN: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// How many items have been written as text so far in this process.
pub(crate) fn written() -> usize {
    WRITTEN.load(Ordering::Relaxed)
}
static MISMATCHES: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// Turns verification of text items on or off for the whole process.
pub fn verify(on: bool) {
    VERIFY.store(on, Ordering::Relaxed);
}

fn verifying() -> bool {
    static FROM_ENV: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    VERIFY.load(Ordering::Relaxed)
        || *FROM_ENV.get_or_init(|| std::env::var_os("API_TOKEN_CODEGEN_VERIFY").is_some())
}

/// What verification found since the last call: one message per text item that differs from
/// prettyplease's printing of its tokens.
pub(crate) fn take_mismatches() -> Vec<String> {
    let mut found = std::mem::take(&mut *MISMATCHES.lock().unwrap_or_else(|e| e.into_inner()));
    let misplaced = crate::long_text::misplaced();
    if verifying() && misplaced > 0 {
        found.push(format!(
            "{misplaced} text item(s) printed at another depth than written for"
        ));
    }
    found
}

/// Where an item goes: how many levels deep its first line is indented, and whether it sits
/// in an `impl` block (a method) or among items.
#[derive(Clone, Copy)]
pub(crate) struct Place {
    /// Levels of four spaces.
    pub depth: usize,
    /// A method in an `impl` block.
    pub in_impl: bool,
}

impl Place {
    /// An item of the module's top level (`Server`, `Client`, the module's `Error`).
    pub const ROOT: Place = Place {
        depth: 0,
        in_impl: false,
    };
    /// A method of `impl Client` (the operations' and the pagination helpers').
    pub const CLIENT_IMPL: Place = Place {
        depth: 1,
        in_impl: true,
    };
    /// An item of `pub mod types`.
    pub const TYPES: Place = Place {
        depth: 1,
        in_impl: false,
    };
    /// A method of `mock::MockServer`'s `impl` block.
    pub const MOCK_IMPL: Place = Place {
        depth: 2,
        in_impl: true,
    };
    /// A method of an `impl` block in `pub mod types`.
    pub const TYPES_IMPL: Place = Place {
        depth: 2,
        in_impl: true,
    };

    /// A writer for an item here.
    pub fn writer(self) -> Writer {
        Writer {
            out: String::new(),
            base: self.depth * 4,
            fits: true,
        }
    }
}

/// An item as text (`text`, from a [`Writer`]) when it could be written so, else `tokens`.
pub(crate) fn item(
    place: Place,
    text: Option<String>,
    tokens: impl FnOnce() -> TokenStream,
) -> TokenStream {
    items(place, text.map(|text| vec![text]), tokens)
}

/// Items in a row as text (`texts`) when they could all be written so, else `tokens` (all of
/// them).
pub(crate) fn items(
    place: Place,
    texts: Option<Vec<String>>,
    tokens: impl FnOnce() -> TokenStream,
) -> TokenStream {
    let Some(texts) = texts else {
        return tokens();
    };
    if verifying() {
        check(place, &texts.concat(), tokens());
    }
    WRITTEN.fetch_add(texts.len(), Ordering::Relaxed);
    texts
        .into_iter()
        .map(|text| crate::long_text::item(text, place.depth))
        .collect()
}

/// Records a mismatch between `text` and prettyplease's printing of `tokens` at `place`.
fn check(place: Place, text: &str, tokens: TokenStream) {
    let mut wrapped = tokens;
    let mut levels = place.depth;
    if place.in_impl {
        wrapped = quote::quote! { impl Verify { #wrapped } };
        levels -= 1;
    }
    for _ in 0..levels {
        wrapped = quote::quote! { mod verify { #wrapped } };
    }
    // Printed here as `render` prints a module, without depending on it (`render` calls
    // emission, which calls this).
    let printed = match syn::parse2::<syn::File>(wrapped) {
        Ok(file) => crate::long_text::resolve(prettyplease::unparse(&file)),
        Err(e) => {
            record(format!(
                "the tokens of a text item do not parse: {e}\n{text}"
            ));
            return;
        }
    };
    let lines: Vec<&str> = printed.lines().collect();
    let inner = lines
        .get(place.depth..lines.len().saturating_sub(place.depth))
        .unwrap_or_default();
    let mut expected = String::new();
    for line in inner {
        expected.push_str(line.get(place.depth * 4..).unwrap_or_default());
        expected.push('\n');
    }
    if expected != text {
        record(format!(
            "a text item differs from prettyplease's printing:\n--- prettyplease\n{expected}--- text\n{text}"
        ));
    }
}

fn record(message: String) {
    MISMATCHES
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .push(message);
}

/// Lines of an item, relative to its place; it gives up (and the item goes through tokens)
/// when a line would not surely fit, or a doc line is one prettyplease prints otherwise.
pub(crate) struct Writer {
    out: String,
    base: usize,
    fits: bool,
}

impl Writer {
    /// One line of code, `level` levels in from the item's first line.
    pub fn line(&mut self, level: usize, parts: &[&str]) {
        let width: usize = parts.iter().map(|p| p.len()).sum();
        if self.base + level * 4 + width > FITS {
            self.fits = false;
        }
        for _ in 0..level {
            self.out.push_str("    ");
        }
        for part in parts {
            self.out.push_str(part);
        }
        self.out.push('\n');
    }

    /// How wide a line at `level` may be for [`Writer::line`] to take it.
    pub fn room(&self, level: usize) -> usize {
        FITS.saturating_sub(self.base + level * 4)
    }

    /// The `match` arm `pattern => body,` on one line at `level`, if it stays there as
    /// prettyplease prints it (its comma is printed only then, so it does not count towards
    /// the width); `false`, and nothing written, when the arm breaks.
    pub fn arm_line(&mut self, level: usize, pattern: &str, body: &str) -> bool {
        let fits = self.base + level * 4 + pattern.len() + 4 + body.len() <= FITS;
        if fits {
            self.unbreakable(level, &[pattern, " => ", body, ","]);
        }
        fits
    }

    /// A line prettyplease cannot break (a string literal alone), whatever its width.
    pub fn unbreakable(&mut self, level: usize, parts: &[&str]) {
        let fits = self.fits;
        self.line(level, parts);
        self.fits = fits;
    }

    /// `///` lines of `text` as `emit::doc` makes them (any length: comments never wrap).
    pub fn doc(&mut self, level: usize, text: &str) {
        for line in super::doc_lines::doc_lines(text) {
            self.doc_line(level, &line);
        }
    }

    /// One `///` line; `line` is in rustdoc's form (a leading space, or empty).
    pub fn doc_line(&mut self, level: usize, line: &str) {
        // prettyplease prints these as attributes or block comments.
        if line.starts_with('/') || line.contains('\n') || line.contains('\u{F8FF}') {
            self.fits = false;
        }
        for _ in 0..level {
            self.out.push_str("    ");
        }
        self.out.push_str("///");
        self.out.push_str(line.trim_end_matches(' '));
        self.out.push('\n');
    }

    /// The text, if every line fits.
    pub fn finish(self) -> Option<String> {
        self.fits.then_some(self.out)
    }
}

/// A string literal as prettyplease prints it (as `proc_macro2` does).
pub(crate) fn string(text: &str) -> String {
    proc_macro2::Literal::string(text).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A text that differs from its tokens' printing, by one space, is reported with both.
    #[test]
    fn a_difference_is_reported() {
        let _ = take_mismatches();
        let tokens = || quote::quote! { pub fn f(&self) -> u8 { 1 } };
        check(
            Place::TYPES_IMPL,
            "pub fn f(&self) -> u8 {\n    1\n}\n",
            tokens(),
        );
        assert!(take_mismatches().is_empty());
        check(
            Place::TYPES_IMPL,
            "pub fn f(&self) -> u8 {\n    1 \n}\n",
            tokens(),
        );
        let found = take_mismatches();
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].contains("--- prettyplease\npub fn f(&self) -> u8 {\n    1\n}"));
    }

    /// A line past the margin gives the item up; a lone literal does not.
    #[test]
    fn a_wide_line_gives_the_item_up() {
        let mut w = Place::TYPES_IMPL.writer();
        w.line(0, &["x".repeat(FITS - 8).as_str()]);
        assert!(w.finish().is_some());
        let mut w = Place::TYPES_IMPL.writer();
        w.line(0, &["x".repeat(FITS - 7).as_str()]);
        assert!(w.finish().is_none());
        let mut w = Place::TYPES_IMPL.writer();
        w.unbreakable(0, &["x".repeat(200).as_str()]);
        assert!(w.finish().is_some());
    }
}
