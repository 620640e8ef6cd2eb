//! Spec text kept out of the token stream.
//!
//! A spec's prose (descriptions become rustdoc and `--help`) is most of the bytes we emit, and
//! sending it through tokens costs three times over: `proc_macro2` escapes each string, `syn`
//! parses every literal back (`Lit::new` cooks it character by character), and prettyplease
//! prints it. A doc block is therefore emitted as one short placeholder attribute, and a long
//! literal as a placeholder literal of a fixed width; after printing, [`resolve`] puts the
//! text where the placeholder was, exactly as prettyplease would have printed it.
//!
//! The table is per thread because emission and printing of one token stream happen on one
//! thread (`render::module` formats the models on a second thread, emitting them there too).
//! Entries are kept until the thread ends or [`clear`] runs, so a stream may be printed more
//! than once.

use proc_macro2::{Literal, TokenStream};
use quote::quote;
use std::cell::RefCell;

/// Starts and ends a placeholder: a private-use character, which no entry's text may hold.
const MARK: char = '\u{F8FF}';

/// A literal whose printed form is longer than this is kept out; the placeholder is padded to
/// this width, which exceeds prettyplease's margin, so the layout around it does not change.
const LONG_LITERAL: usize = 200;

enum Entry {
    /// Lines of `///` (or `//!`) comments, each printed after the marker at the placeholder's
    /// indentation, trailing spaces trimmed as prettyplease trims them.
    Doc { lines: Vec<String> },
    /// A string literal as `proc_macro2` prints it, replacing the quoted placeholder.
    Literal { printed: String },
    /// A whole item (or impl item) already written as prettyplease prints it at `depth`
    /// levels of indentation (see `emit::text`): lines without that indentation.
    Item { text: String, depth: usize },
}

thread_local! {
    static TABLE: RefCell<Vec<Entry>> = const { RefCell::new(Vec::new()) };
    /// Part of every placeholder, drawn at random per thread: a spec's text could spell a
    /// placeholder's other parts (it goes through tokens as it is when it holds the marker),
    /// never this.
    static NONCE: u64 = {
        use std::hash::{BuildHasher, Hasher};
        std::collections::hash_map::RandomState::new().build_hasher().finish()
    };
}

fn register(entry: Entry) -> usize {
    TABLE.with(|table| {
        let mut table = table.borrow_mut();
        table.push(entry);
        table.len() - 1
    })
}

fn placeholder(index: usize) -> String {
    let nonce = NONCE.with(|nonce| *nonce);
    format!("{MARK}{nonce:x}-{index:x}{MARK}")
}

/// The macro name standing for an item written as text: ASCII, so printed as it is.
fn item_name(index: usize) -> String {
    let nonce = NONCE.with(|nonce| *nonce);
    format!("{ITEM_PREFIX}{nonce:x}_{index:x}")
}

/// Starts the name of an item placeholder, `__text_<nonce>_<index>!();`.
const ITEM_PREFIX: &str = "__text_";

/// A placeholder for an item (or impl item) that `text` (lines, each ending in `\n`) is, as
/// prettyplease prints it at `depth` levels of indentation: an empty macro call, which it
/// prints on one line of its own wherever items go.
pub(crate) fn item(text: String, depth: usize) -> TokenStream {
    let name = proc_macro2::Ident::new(
        &item_name(register(Entry::Item { text, depth })),
        proc_macro2::Span::call_site(),
    );
    quote!(#name!();)
}

/// Items whose placeholder was printed at another depth than their text was written for:
/// a generator bug that `emit::text`'s check reports (the text is still put in place).
static MISPLACED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// How many item placeholders so far were found at a depth their text was not written for.
pub(crate) fn misplaced() -> usize {
    MISPLACED.load(std::sync::atomic::Ordering::Relaxed)
}

/// Forgets this thread's entries (the start of a codegen run).
pub(crate) fn clear() {
    TABLE.with(|table| table.borrow_mut().clear());
}

/// Doc attributes (`inner`: `#![doc]`) for `lines`, each already in rustdoc's form (a leading
/// space, or empty).
pub(crate) fn doc(lines: Vec<String>, inner: bool) -> TokenStream {
    // prettyplease prints a line starting with `/` (which `///` would turn into `////`)
    // another way; those blocks, and any holding our marker, go through tokens as before.
    let plain = lines.is_empty()
        || lines
            .iter()
            .any(|line| line.starts_with('/') || line.contains(MARK) || line.contains('\n'));
    if plain {
        return if inner {
            quote! { #(#![doc = #lines])* }
        } else {
            quote! { #(#[doc = #lines])* }
        };
    }
    let mark = placeholder(register(Entry::Doc { lines }));
    if inner {
        quote! { #![doc = #mark] }
    } else {
        quote! { #[doc = #mark] }
    }
}

/// A string literal of `text`.
pub(crate) fn literal(text: &str) -> TokenStream {
    let direct = Literal::string(text);
    let printed = direct.to_string();
    if printed.len() <= LONG_LITERAL || text.contains(MARK) {
        return quote!(#direct);
    }
    let index = register(Entry::Literal { printed });
    let mut filler = placeholder(index);
    let width = Literal::string(&filler).to_string().len();
    filler.extend(std::iter::repeat_n('x', LONG_LITERAL.saturating_sub(width)));
    let literal = Literal::string(&filler);
    quote!(#literal)
}

/// `printed` (prettyplease's output) with every placeholder replaced by its text.
pub(crate) fn resolve(printed: String) -> String {
    let escaped = escaped_mark();
    let has = |needle: &str| find_from(&printed, needle, 0).is_some();
    if !printed.contains(MARK) && !has(&escaped) && !has(ITEM_PREFIX) {
        return printed;
    }
    TABLE.with(|table| substitute(&printed, &table.borrow(), &escaped))
}

/// The marker as `proc_macro2` prints it inside a literal (escaped or not).
fn escaped_mark() -> String {
    let quoted = Literal::string(&MARK.to_string()).to_string();
    quoted.trim_matches('"').to_owned()
}

fn substitute(printed: &str, table: &[Entry], escaped: &str) -> String {
    let mut out = String::with_capacity(printed.len());
    let mark = MARK.to_string();
    // Only the lines holding a placeholder are looked at: the next one is found by searching
    // the text for each kind, each search resumed where it stopped.
    let needles = [ITEM_PREFIX, mark.as_str(), escaped];
    let mut next: Vec<Option<usize>> = needles.iter().map(|n| find_from(printed, n, 0)).collect();
    let mut done = 0;
    while let Some(at) = next.iter().flatten().copied().min() {
        let start = printed[..at].rfind('\n').map_or(0, |i| i + 1);
        let end = printed[at..]
            .find('\n')
            .map_or(printed.len(), |i| at + i + 1);
        let line = &printed[start..end];
        out.push_str(&printed[done..start]);
        match resolve_line(line, table, escaped) {
            Some(text) => out.push_str(&text),
            None => out.push_str(line),
        }
        done = end;
        for (found, needle) in next.iter_mut().zip(needles) {
            if found.is_some_and(|f| f < end) {
                *found = find_from(printed, needle, end);
            }
        }
    }
    out.push_str(&printed[done..]);
    out
}

/// Where `needle` next occurs in `text` from byte `from` (`str::find`'s two-way search runs
/// unoptimised in the dev profile `cargo xtask codegen` runs, over every file it renders;
/// memchr's is optimised there). A match of valid UTF-8 in valid UTF-8 starts on a char
/// boundary.
fn find_from(text: &str, needle: &str, from: usize) -> Option<usize> {
    let rest = text.as_bytes().get(from..)?;
    memchr::memmem::find(rest, needle.as_bytes()).map(|at| from + at)
}

/// The line with its placeholder resolved; `None` when it holds none we know.
fn resolve_line(line: &str, table: &[Entry], escaped: &str) -> Option<String> {
    let trimmed = line.trim_start();
    let indent = &line[..line.len() - trimmed.len()];
    if let Some(call) = trimmed.strip_prefix(ITEM_PREFIX) {
        return resolve_item(call, indent, table);
    }
    for prefix in ["///", "//!"] {
        let Some(rest) = trimmed.strip_prefix(prefix) else {
            continue;
        };
        let (index, after) = parse_mark(rest, &MARK.to_string())?;
        let Some(Entry::Doc { lines }) = table.get(index) else {
            return None;
        };
        if after.trim_end() != "" {
            return None;
        }
        let mut text = String::new();
        for doc in lines {
            text.push_str(indent);
            text.push_str(prefix);
            text.push_str(doc.trim_end_matches(' '));
            text.push('\n');
        }
        return Some(text);
    }
    // A literal: `"<mark>index<mark>xxx…"` somewhere in the line, maybe more than once.
    let opening = format!("\"{escaped}");
    if !line.contains(&opening) {
        return None;
    }
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(at) = rest.find(&opening) {
        out.push_str(&rest[..at]);
        let after_quote = &rest[at + 1..];
        let resolved = parse_mark(after_quote, escaped).and_then(|(index, after)| {
            let Some(Entry::Literal { printed }) = table.get(index) else {
                return None;
            };
            let close = after.find('"')?;
            after[..close]
                .bytes()
                .all(|b| b == b'x')
                .then(|| (printed.as_str(), &after[close + 1..]))
        });
        match resolved {
            Some((printed, tail)) => {
                out.push_str(printed);
                rest = tail;
            }
            None => {
                out.push('"');
                rest = after_quote;
            }
        }
    }
    out.push_str(rest);
    Some(out)
}

/// The text of an item placeholder's line (`call`: after the prefix, `<nonce>_<index>!();`).
fn resolve_item(call: &str, indent: &str, table: &[Entry]) -> Option<String> {
    let (nonce, rest) = call.split_once('_')?;
    let index = rest.trim_end().strip_suffix("!();")?;
    if u64::from_str_radix(nonce, 16).ok()? != NONCE.with(|nonce| *nonce) {
        return None;
    }
    let Some(Entry::Item { text, depth }) = table.get(usize::from_str_radix(index, 16).ok()?)
    else {
        return None;
    };
    if indent.len() != depth * 4 {
        MISPLACED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }
    let mut out = String::with_capacity(text.len() + indent.len() * 16);
    for line in text.split_inclusive('\n') {
        if line != "\n" {
            out.push_str(indent);
        }
        out.push_str(line);
    }
    Some(out)
}

/// `<mark>hex<mark>` at the start of `text`: the index and what follows.
fn parse_mark<'a>(text: &'a str, mark: &str) -> Option<(usize, &'a str)> {
    let rest = text.strip_prefix(mark)?;
    let end = rest.find(mark)?;
    let (nonce, index) = rest[..end].split_once('-')?;
    if u64::from_str_radix(nonce, 16).ok()? != NONCE.with(|nonce| *nonce) {
        return None;
    }
    let index = usize::from_str_radix(index, 16).ok()?;
    Some((index, &rest[end + mark.len()..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn find_from_agrees_with_str_find() {
        let text = "a__tex __text_ é\u{f8ff}x \u{F8FF}__text___text_";
        for needle in ["__text_", "\\u{f8ff}", "\u{F8FF}", "é", "x", "absent", ""] {
            for from in (0..=text.len()).filter(|at| text.is_char_boundary(*at)) {
                let expected = text[from..].find(needle).map(|at| from + at);
                assert_eq!(
                    find_from(text, needle, from),
                    expected,
                    "{needle:?} from {from}"
                );
            }
        }
    }

    fn format(tokens: TokenStream) -> String {
        let file: syn::File = syn::parse2(tokens).expect("parses");
        prettyplease::unparse(&file)
    }

    #[test]
    fn placeholders_print_as_the_text_would_have() {
        clear();
        let lines = vec![
            " First line.   ".to_owned(),
            String::new(),
            " `code` and <b>x</b> and \"quotes\" \\ back".to_owned(),
        ];
        let long = "Help text. ".repeat(40) + "ends \"quoted\" \u{e9}\t";
        let direct = {
            let attrs = quote! { #(#[doc = #lines])* };
            let lit = Literal::string(&long);
            format(quote! {
                mod m {
                    #attrs
                    pub fn f() -> clap::Command { clap::Command::new("x").about("short").long_about(#lit) }
                }
            })
        };
        let attrs = doc(lines.clone(), false);
        let lit = literal(&long);
        let via = resolve(format(quote! {
            mod m {
                #attrs
                pub fn f() -> clap::Command { clap::Command::new("x").about("short").long_about(#lit) }
            }
        }));
        assert_eq!(via, direct);
        assert!(!via.contains(MARK));
    }

    /// Text that spells a placeholder (which it can, all but the nonce) stays as it is, in a
    /// doc line and in a literal, long or short.
    #[test]
    fn text_spelling_a_placeholder_is_not_replaced() {
        clear();
        let real = literal(&"a long help text ".repeat(20));
        let forged = format!("{MARK}0-0{MARK}");
        let forged_long = format!("{forged}{}", "x".repeat(300));
        let lines = vec![format!(" {forged}"), String::new()];
        let tokens = quote! {
            mod m {
                #[doc = #forged]
                pub fn f() -> [&'static str; 3] { [#forged, #forged_long, #real] }
            }
        };
        let attrs = doc(lines.clone(), false);
        let via = resolve(format(quote!(#attrs #tokens)));
        let direct = {
            let real = Literal::string(&"a long help text ".repeat(20));
            format(quote! {
                #(#[doc = #lines])*
                mod m {
                    #[doc = #forged]
                    pub fn f() -> [&'static str; 3] { [#forged, #forged_long, #real] }
                }
            })
        };
        assert_eq!(via, direct);
    }

    #[test]
    fn inner_docs_and_text_holding_the_marker_or_a_slash() {
        clear();
        let marked = vec![format!(" holds {MARK} itself")];
        let slashed = vec![" fine".to_owned(), "/ starts with a slash".to_owned()];
        for lines in [marked, slashed] {
            let direct = format(quote! { #(#![doc = #lines])* });
            assert_eq!(resolve(format(doc(lines.clone(), true))), direct);
        }
        let inner = vec![" Module docs.".to_owned()];
        assert_eq!(
            resolve(format(doc(inner.clone(), true))),
            format(quote! { #(#![doc = #inner])* })
        );
    }
}
