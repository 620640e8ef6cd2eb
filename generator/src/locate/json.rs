//! The JSON half of [`LineIndex`]: one pass over the bytes, with a stack of the objects and
//! arrays being read.
//!
//! Large published specs are JSON, and `cargo xtask codegen` runs this unoptimised (the dev
//! profile), so the pass does the least it can per key: a key is a slice of the text unless it
//! has escapes, a pointer is looked up only when its parent's was wanted (a wanted pointer
//! brings all its ancestors), and repeated keys are found when their object closes, by sorting
//! its keys rather than hashing each one as it comes.

use super::{LineIndex, Recorder, Wanted};
use crate::diagnostic::escape;
use std::borrow::Cow;
use std::fmt::Write;

/// A key of an object being read, kept until the object closes.
struct Key<'t> {
    name: Cow<'t, str>,
    line: usize,
    /// Where it starts in the text: duplicates are reported in the order they occur.
    offset: usize,
}

enum Frame<'t> {
    Object {
        /// Length of the pointer buffer with this object's pointer.
        len: usize,
        has_key: bool,
        /// Whether this object's pointer is wanted (else none below it is).
        live: bool,
        keys: Vec<Key<'t>>,
    },
    Array {
        len: usize,
        index: usize,
        live: bool,
    },
}

/// A key seen twice in one object: its offset, then (pointer, line, line of the first).
type Duplicate = (usize, (String, usize, usize));

/// Scans a JSON text. Malformed input stops nothing: the parser has reported it already.
pub(super) fn scan(text: &str, wanted: &Wanted) -> LineIndex {
    let mut rec = Recorder {
        wanted,
        index: LineIndex::default(),
        buf: String::new(),
    };
    let bytes = text.as_bytes();
    let mut stack: Vec<Frame<'_>> = Vec::new();
    let mut duplicates: Vec<Duplicate> = Vec::new();
    let mut line = 1;
    // Whether the pointer in the buffer is wanted: a container opened there is live.
    let mut buf_live = wanted.as_ref().is_none_or(|w| w.contains(""));
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => line += 1,
            b'"' => {
                let start = i;
                let escaped;
                (i, escaped) = closing_quote(bytes, i + 1);
                if let Some(Frame::Object {
                    len,
                    has_key: has_key @ false,
                    live,
                    keys,
                }) = stack.last_mut()
                {
                    let raw = text.get(start..=i.min(bytes.len() - 1)).unwrap_or("\"\"");
                    let name = if escaped {
                        Cow::Owned(serde_json::from_str::<String>(raw).unwrap_or_default())
                    } else {
                        Cow::Borrowed(unquote(raw))
                    };
                    *has_key = true;
                    rec.buf.truncate(*len);
                    rec.push_key(&name);
                    buf_live = rec.record_child(line, *live);
                    keys.push(Key {
                        name,
                        line,
                        offset: start,
                    });
                } else {
                    buf_live = value_starts(&stack, &mut rec, line, buf_live);
                }
            }
            b'{' | b'[' => {
                buf_live = value_starts(&stack, &mut rec, line, buf_live);
                let (len, live) = (rec.buf.len(), buf_live);
                stack.push(if bytes[i] == b'{' {
                    Frame::Object {
                        len,
                        has_key: false,
                        live,
                        keys: Vec::new(),
                    }
                } else {
                    Frame::Array {
                        len,
                        index: 0,
                        live,
                    }
                });
            }
            b'}' | b']' => {
                if let Some(frame) = stack.pop() {
                    repeated_keys(frame, &rec.buf, &mut duplicates);
                }
            }
            b',' => match stack.last_mut() {
                Some(Frame::Array { index, .. }) => *index += 1,
                Some(Frame::Object { has_key, .. }) => *has_key = false,
                None => {}
            },
            b' ' | b'\t' | b'\r' | b':' => {}
            _ => {
                // A number, `true`, `false` or `null`: skip to its end.
                buf_live = value_starts(&stack, &mut rec, line, buf_live);
                while i + 1 < bytes.len()
                    && !matches!(
                        bytes[i + 1],
                        b',' | b'}' | b']' | b' ' | b'\n' | b'\r' | b'\t'
                    )
                {
                    i += 1;
                }
            }
        }
        i += 1;
    }
    // An unclosed object (a truncated text) still has its repeated keys reported.
    while let Some(frame) = stack.pop() {
        repeated_keys(frame, &rec.buf, &mut duplicates);
    }
    duplicates.sort_by_key(|(offset, _)| *offset);
    rec.index.duplicates = duplicates.into_iter().map(|(_, d)| d).collect();
    rec.index
}

/// Positions the buffer at a value starting here and says whether its pointer is wanted
/// (`buf_live`: whether the buffer's pointer was). An array element gets its index and is
/// recorded; any other value is where the buffer points (an object's value: its key).
fn value_starts(stack: &[Frame<'_>], rec: &mut Recorder<'_>, line: usize, buf_live: bool) -> bool {
    match stack.last() {
        Some(Frame::Array { len, index, live }) => {
            rec.buf.truncate(*len);
            let _ = write!(rec.buf, "/{index}");
            rec.record_child(line, *live)
        }
        _ => buf_live,
    }
}

/// The keys of a closed object that it repeats, each at its second (third, ...) occurrence
/// with the line of its first. The buffer still starts with the object's pointer.
fn repeated_keys(frame: Frame<'_>, buf: &str, found: &mut Vec<Duplicate>) {
    let Frame::Object { len, mut keys, .. } = frame else {
        return;
    };
    if keys.len() < 2 {
        return;
    }
    let object = buf.get(..len).unwrap_or(buf);
    let mut report = |key: &Key<'_>, first: &Key<'_>| {
        let pointer = format!("{object}/{}", escape(&key.name));
        found.push((key.offset, (pointer, key.line, first.line)));
    };
    // Most objects have a few keys: comparing each with those before it is cheaper than
    // sorting (unoptimised, in the dev profile).
    if keys.len() <= FEW_KEYS {
        for (k, key) in keys.iter().enumerate() {
            if let Some(first) = keys[..k].iter().find(|earlier| earlier.name == key.name) {
                report(key, first);
            }
        }
        return;
    }
    // Stable: equal keys stay in the order they occur.
    keys.sort_by(|a, b| a.name.cmp(&b.name));
    let mut first = 0;
    for k in 1..keys.len() {
        if keys[k].name == keys[first].name {
            report(&keys[k], &keys[first]);
        } else {
            first = k;
        }
    }
}

/// Up to this many keys, repeated ones are found by comparing each with all before it.
const FEW_KEYS: usize = 12;

/// Where the string whose content starts at `from` ends (its closing quote, or the end of the
/// text), and whether it holds an escape.
fn closing_quote(bytes: &[u8], from: usize) -> (usize, bool) {
    let (mut at, mut escaped) = (from, false);
    while at < bytes.len() {
        let Some(found) = memchr::memchr2(b'"', b'\\', &bytes[at..]) else {
            break;
        };
        if bytes[at + found] == b'"' {
            return (at + found, escaped);
        }
        // A backslash: the byte after it is escaped, a quote included.
        escaped = true;
        at += found + 2;
    }
    (bytes.len(), escaped)
}

/// `raw` without the quotes around it (`str::trim_matches('"')`, without its char-by-char
/// search).
fn unquote(raw: &str) -> &str {
    let bytes = raw.as_bytes();
    let (mut start, mut end) = (0, bytes.len());
    while start < end && bytes[start] == b'"' {
        start += 1;
    }
    while end > start && bytes[end - 1] == b'"' {
        end -= 1;
    }
    &raw[start..end]
}

#[cfg(test)]
mod tests {
    use super::super::{wanted, LineIndex};
    use crate::diagnostic::escape;
    use proptest::prelude::*;
    use std::collections::HashMap;

    /// A JSON document whose objects may repeat keys (which no JSON library writes).
    #[derive(Debug, Clone)]
    enum Node {
        Scalar(&'static str),
        Object(Vec<(String, Node)>),
        Array(Vec<Node>),
    }

    fn node() -> impl Strategy<Value = Node> {
        let leaf = prop_oneof![
            Just(Node::Scalar("1")),
            Just(Node::Scalar("\"s\\\"x\\\\\"")),
            Just(Node::Scalar("null")),
        ];
        // A small pool of keys, so that objects repeat them; a few need escaping, in JSON or
        // in a pointer.
        let key = prop::sample::select(vec!["a", "b", "a/b", "t~x", "é", "q\"", "c"]);
        leaf.prop_recursive(4, 64, 16, move |inner| {
            prop_oneof![
                prop::collection::vec((key.clone().prop_map(String::from), inner.clone()), 0..16)
                    .prop_map(Node::Object),
                prop::collection::vec(inner, 0..5).prop_map(Node::Array),
            ]
        })
    }

    /// The text of a document, with what the index must find in it: every element's line and
    /// each repeated key (pointer, line, line of the first), in the order they occur.
    #[derive(Default)]
    struct Written {
        text: String,
        line: usize,
        lines: HashMap<String, usize>,
        duplicates: Vec<(String, usize, usize)>,
    }

    impl Written {
        fn node(&mut self, node: &Node, pointer: &str) {
            match node {
                Node::Scalar(text) => self.text.push_str(text),
                Node::Object(entries) => {
                    self.text.push('{');
                    let mut first_lines: HashMap<&str, usize> = HashMap::new();
                    for (n, (key, value)) in entries.iter().enumerate() {
                        self.separator(n);
                        let at = format!("{pointer}/{}", escape(key));
                        match first_lines.get(key.as_str()) {
                            Some(first) => self.duplicates.push((at.clone(), self.line, *first)),
                            None => {
                                first_lines.insert(key, self.line);
                            }
                        }
                        self.lines.entry(at.clone()).or_insert(self.line);
                        self.text.push_str(&serde_json::to_string(key).unwrap());
                        self.text.push_str(": ");
                        self.node(value, &at);
                    }
                    self.text.push('}');
                }
                Node::Array(items) => {
                    self.text.push('[');
                    for (n, item) in items.iter().enumerate() {
                        self.separator(n);
                        let at = format!("{pointer}/{n}");
                        self.lines.entry(at.clone()).or_insert(self.line);
                        self.node(item, &at);
                    }
                    self.text.push(']');
                }
            }
        }

        /// A comma before all but the first entry, and a line break before every other one.
        fn separator(&mut self, n: usize) {
            if n > 0 {
                self.text.push(',');
            }
            if n % 2 == 1 {
                self.text.push_str("\n  ");
                self.line += 1;
            }
        }
    }

    proptest! {
        #[test]
        fn finds_every_line_and_repeated_key_of_a_document(doc in node(), pick in 0usize..7) {
            let mut written = Written { line: 1, ..Written::default() };
            written.node(&doc, "");
            let index = LineIndex::json(&written.text, &None);
            prop_assert_eq!(&index.duplicates, &written.duplicates);
            for (pointer, line) in &written.lines {
                prop_assert_eq!(index.line_of(pointer), Some(*line), "{}", pointer);
            }
            // Asked for some pointers only: the same lines for those, the same duplicates.
            let some: Vec<&str> = written.lines.keys().map(String::as_str).step_by(pick + 1).collect();
            let index = LineIndex::json(&written.text, &wanted(some.iter().copied()));
            prop_assert_eq!(&index.duplicates, &written.duplicates);
            for pointer in some {
                prop_assert_eq!(index.line_of(pointer), Some(written.lines[pointer]), "{}", pointer);
            }
        }

        #[test]
        fn any_text_is_scanned_without_panicking(text in "[{}\\[\\],:\"\\\\ a~/é\n0-9tn]{0,64}") {
            let all = LineIndex::json(&text, &None);
            let pointers: Vec<String> = all.lines.keys().cloned().collect();
            LineIndex::json(&text, &wanted(pointers.iter().map(String::as_str)));
            LineIndex::json(&text, &Some(Default::default()));
        }
    }
}
