//! Spec prose as rustdoc lines: what `emit::doc` and the text writers put after `///`.

/// Markdown from a spec, made safe for rustdoc and clippy: no code block rustdoc would
/// compile as a doctest (indented blocks lose their indentation; fenced blocks that rustdoc
/// would take for Rust are marked `text`), and no lazy continuation of a list item or quote
/// (clippy's `doc_lazy_continuation`): such lines are indented under their item.
pub(super) fn doc_lines(text: &str) -> Vec<String> {
    let mut fence: Option<String> = None;
    // The indentation that continues the list item (or the quote marker) above, if any.
    let mut continuation: Option<String> = None;
    let mut out = Vec::new();
    for raw in text.trim().lines() {
        let line = raw.trim();
        if let Some(close) = &fence {
            if line.starts_with(close.as_str())
                && line.trim_start_matches(close.as_str()).trim().is_empty()
            {
                fence = None;
            }
            out.push(if line.is_empty() {
                String::new()
            } else {
                format!(" {line}")
            });
            continue;
        }
        if let Some((marker, info)) = fence_open(line) {
            fence = Some(marker.clone());
            continuation = None;
            let info = if rust_fence(info) { "text" } else { info };
            out.push(format!(" {marker}{info}"));
            continue;
        }
        if line.is_empty() {
            continuation = None;
            out.push(String::new());
            continue;
        }
        let line = rustdoc_safe(line);
        if let Some(indent) = list_item(&line) {
            continuation = Some(" ".repeat(indent));
            out.push(format!(" {line}"));
        } else if line.starts_with('>') {
            continuation = Some("> ".to_owned());
            out.push(format!(" {line}"));
        } else if let Some(prefix) = &continuation {
            out.push(format!(" {prefix}{line}"));
        } else {
            out.push(format!(" {line}"));
        }
    }
    out
}

/// An opening code fence: its marker (three or more backticks or tildes) and info string.
fn fence_open(line: &str) -> Option<(String, &str)> {
    let mark = line.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let count = line.chars().take_while(|c| *c == mark).count();
    if count < 3 {
        return None;
    }
    let info = &line[count..];
    if mark == '`' && info.contains('`') {
        return None;
    }
    Some((mark.to_string().repeat(count), info.trim()))
}

/// True when rustdoc would compile a fence with this info string as a Rust doctest: no
/// language, `rust`, or only rustdoc's own attributes.
fn rust_fence(info: &str) -> bool {
    const ATTRIBUTES: &[&str] = &[
        "ignore",
        "should_panic",
        "no_run",
        "compile_fail",
        "test_harness",
        "standalone_crate",
        "allow_fail",
    ];
    let tokens: Vec<&str> = info
        .trim_matches(|c| c == '{' || c == '}')
        .split([',', ' ', '\t'])
        .map(|t| t.trim_start_matches('.'))
        .filter(|t| !t.is_empty())
        .collect();
    tokens.is_empty()
        || tokens.iter().any(|t| t.eq_ignore_ascii_case("rust"))
        || tokens
            .iter()
            .all(|t| ATTRIBUTES.contains(t) || t.starts_with("edition") || t.starts_with("ignore-"))
}

/// The indentation of a list item's text (`- a` -> 2, `10. a` -> 4), when `line` is one.
fn list_item(line: &str) -> Option<usize> {
    // The text starts after the marker and its spaces (one to four: `*   item` -> 4).
    let width = |marker: usize, rest: &str| {
        let spaces = rest.len() - rest.trim_start_matches(' ').len();
        marker + 1 + if spaces < 4 { spaces } else { 0 }
    };
    if let Some(rest) = line
        .strip_prefix("- ")
        .or_else(|| line.strip_prefix("* "))
        .or_else(|| line.strip_prefix("+ "))
    {
        return (!rest.trim().is_empty()).then(|| width(1, rest));
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    if (1..=9).contains(&digits) {
        let rest = &line[digits..];
        if let Some(after) = rest.strip_prefix(". ").or_else(|| rest.strip_prefix(") ")) {
            return Some(width(digits + 1, after));
        }
    }
    None
}

/// Escapes what rustdoc would misread in prose from a spec: `[word]` (a broken intra-doc
/// link) and bare URLs (wrapped in `<>`). Code spans are left alone, and so are the generator's
/// own links, which are always written ``[`path`]``.
pub(crate) fn rustdoc_safe(line: &str) -> String {
    // Most lines have nothing to rewrite: no bracket and no URL (the walk below is a large
    // share of codegen's time in the dev profile, where it runs unoptimised).
    if !may_need_escaping(line) {
        return line.to_owned();
    }
    let mut out = String::with_capacity(line.len() + 8);
    let mut in_code = false;
    let mut rest = line;
    while let Some(c) = rest.chars().next() {
        // Text up to the next backtick, bracket or `h` (of `http`) is kept as it is, in one
        // copy.
        let plain = plain_len(rest);
        if plain > 0 {
            out.push_str(&rest[..plain]);
            rest = &rest[plain..];
            continue;
        }
        if c == '`' {
            in_code = !in_code;
        } else if !in_code {
            if c == '[' && !(rest.starts_with("[`") && rest.contains("`]")) {
                out.push_str("\\[");
                rest = &rest[1..];
                continue;
            }
            if c == ']' && !out.ends_with('`') {
                out.push_str("\\]");
                rest = &rest[1..];
                continue;
            }
            let at_word_start =
                !out.ends_with(|p: char| p == '<' || p == '(' || p.is_alphanumeric());
            if at_word_start && (rest.starts_with("https://") || rest.starts_with("http://")) {
                let end = rest
                    .find(|ch: char| ch.is_whitespace() || ch == ')' || ch == '>' || ch == '`')
                    .unwrap_or(rest.len());
                let url = rest[..end].trim_end_matches(['.', ',', ';', ':']);
                out.push('<');
                out.push_str(url);
                out.push('>');
                rest = &rest[url.len()..];
                continue;
            }
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// Whether `line` has a bracket or `http` (a byte loop: `str::contains` with a set of chars
/// walks char by char, which the dev profile runs unoptimised, on every line of every doc).
fn may_need_escaping(line: &str) -> bool {
    let bytes = line.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            b'[' | b']' => return true,
            b'h' if bytes[at..].starts_with(b"http") => return true,
            _ => at += 1,
        }
    }
    false
}

/// How many bytes of `rest` [`rustdoc_safe`] copies unchanged: those before the next byte
/// that may start something to rewrite (ASCII, so the length ends on a char boundary).
fn plain_len(rest: &str) -> usize {
    let bytes = rest.as_bytes();
    let mut at = 0;
    while at < bytes.len() && !matches!(bytes[at], b'`' | b'[' | b']' | b'h') {
        at += 1;
    }
    at
}
