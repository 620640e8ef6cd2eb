//! Maps JSON pointers back to lines of the spec's text, so diagnostics can say where.
//!
//! serde_yaml and serde_json drop positions once a document is parsed, so this indexes the text
//! itself, in one pass. For YAML it understands block style (what hand-written specs use); flow
//! collections are not entered, and a pointer into one resolves to the line of its deepest
//! indexed ancestor. JSON is indexed completely. Both record keys that occur twice in one
//! mapping, at the second occurrence.

use crate::diagnostic::escape;
use std::collections::HashMap;

/// Line numbers of every block-style key and sequence item, by JSON pointer.
#[derive(Debug, Default)]
pub struct LineIndex {
    lines: HashMap<String, usize>,
    /// Keys seen twice in one mapping: (pointer, line of the duplicate, line of the first).
    pub duplicates: Vec<(String, usize, usize)>,
}

/// Records `pointer` at `line`, or notes it as a duplicate key.
fn record(index: &mut LineIndex, pointer: &str, line: usize, is_key: bool) {
    match index.lines.get(pointer) {
        Some(first) if is_key => index.duplicates.push((pointer.to_owned(), line, *first)),
        Some(_) => {}
        None => {
            index.lines.insert(pointer.to_owned(), line);
        }
    }
}

enum Frame {
    Object {
        pointer: String,
        key: Option<String>,
    },
    Array {
        pointer: String,
        index: usize,
        started: bool,
    },
}

impl LineIndex {
    /// Indexes a JSON text: every key and array element. Malformed input stops the scan (the
    /// parser has already reported it).
    pub fn json(text: &str) -> Self {
        let mut index = Self::default();
        let bytes = text.as_bytes();
        let mut stack: Vec<Frame> = Vec::new();
        let mut line = 1;
        let mut i = 0;
        // The pointer of the value that starts at the current position, if one may start here.
        fn value_pointer(stack: &mut [Frame], index: &mut LineIndex, line: usize) -> String {
            match stack.last_mut() {
                None => String::new(),
                Some(Frame::Object { key, pointer }) => {
                    key.take().unwrap_or_else(|| pointer.clone())
                }
                Some(Frame::Array {
                    pointer,
                    index: n,
                    started,
                }) => {
                    *started = true;
                    let p = format!("{pointer}/{n}");
                    record(index, &p, line, false);
                    p
                }
            }
        }
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => line += 1,
                b'"' => {
                    let start = i;
                    let mut escaped = false;
                    i += 1;
                    while i < bytes.len() && bytes[i] != b'"' {
                        if bytes[i] == b'\\' {
                            escaped = true;
                            i += 1;
                        }
                        i += 1;
                    }
                    let raw = text.get(start..=i.min(bytes.len() - 1)).unwrap_or("\"\"");
                    let awaiting_key =
                        matches!(stack.last(), Some(Frame::Object { key: None, .. }))
                            && next_non_space(bytes, i + 1) == Some(b':');
                    if awaiting_key {
                        let key = if escaped {
                            serde_json::from_str::<String>(raw).unwrap_or_default()
                        } else {
                            raw.trim_matches('"').to_owned()
                        };
                        if let Some(Frame::Object { pointer, key: slot }) = stack.last_mut() {
                            let p = format!("{pointer}/{}", escape(&key));
                            *slot = Some(p.clone());
                            record(&mut index, &p, line, true);
                        }
                    } else {
                        value_pointer(&mut stack, &mut index, line);
                    }
                }
                b'{' => {
                    let pointer = value_pointer(&mut stack, &mut index, line);
                    stack.push(Frame::Object { pointer, key: None });
                }
                b'[' => {
                    let pointer = value_pointer(&mut stack, &mut index, line);
                    stack.push(Frame::Array {
                        pointer,
                        index: 0,
                        started: false,
                    });
                }
                b'}' | b']' => {
                    stack.pop();
                }
                b',' => {
                    if let Some(Frame::Array {
                        index: n, started, ..
                    }) = stack.last_mut()
                    {
                        *n += 1;
                        *started = false;
                    }
                    if let Some(Frame::Object { key, .. }) = stack.last_mut() {
                        *key = None;
                    }
                }
                b' ' | b'\t' | b'\r' | b':' => {}
                _ => {
                    // A number, `true`, `false` or `null`: skip to its end.
                    value_pointer(&mut stack, &mut index, line);
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
        index
    }
}

enum Node {
    Key {
        col: usize,
        pointer: String,
    },
    Item {
        col: usize,
        pointer: String,
        index: usize,
    },
}

impl Node {
    fn col(&self) -> usize {
        match self {
            Node::Key { col, .. } | Node::Item { col, .. } => *col,
        }
    }
    fn pointer(&self) -> &str {
        match self {
            Node::Key { pointer, .. } | Node::Item { pointer, .. } => pointer,
        }
    }
}

/// Splits `key: value` (the key possibly quoted); `None` for a line that is not a mapping entry.
fn split_key(content: &str) -> Option<(String, &str)> {
    let (key, rest) =
        if let Some(quote) = content.chars().next().filter(|c| *c == '\'' || *c == '"') {
            let close = content[1..].find(quote)? + 1;
            (
                content[1..close].to_owned(),
                content[close + 1..].strip_prefix(':')?,
            )
        } else {
            let at = content
                .find(": ")
                .or_else(|| content.strip_suffix(':').map(str::len))?;
            let key = &content[..at];
            if key.starts_with(['{', '[', '#']) {
                return None;
            }
            (key.trim_end().to_owned(), &content[at + 1..])
        };
    if !(rest.is_empty() || rest.starts_with(' ')) {
        return None;
    }
    Some((key, rest.trim()))
}

fn next_non_space(bytes: &[u8], from: usize) -> Option<u8> {
    bytes
        .get(from..)?
        .iter()
        .copied()
        .find(|b| !b.is_ascii_whitespace())
}

impl LineIndex {
    /// Indexes a YAML text.
    pub fn new(text: &str) -> Self {
        let mut index = Self::default();
        let mut stack: Vec<Node> = Vec::new();
        // Lines indented deeper than this belong to a block or multi-line scalar.
        let mut scalar_above: Option<usize> = None;
        for (number, raw) in text.lines().enumerate().map(|(i, l)| (i + 1, l)) {
            let trimmed = raw.trim_start_matches(' ');
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            let mut col = raw.len() - trimmed.len();
            if scalar_above.is_some_and(|above| col > above) {
                continue;
            }
            scalar_above = None;
            let mut content = trimmed;
            while content == "-" || content.starts_with("- ") {
                while stack.last().is_some_and(|n| n.col() > col) {
                    stack.pop();
                }
                let item = match stack.last() {
                    Some(Node::Item { col: c, index, .. }) if *c == col => {
                        let next = index + 1;
                        stack.pop();
                        next
                    }
                    _ => 0,
                };
                let parent = stack.last().map_or("", Node::pointer);
                let pointer = format!("{parent}/{item}");
                record(&mut index, &pointer, number, false);
                stack.push(Node::Item {
                    col,
                    pointer,
                    index: item,
                });
                let rest = content.get(1..).unwrap_or("");
                let spaces = rest.len() - rest.trim_start_matches(' ').len();
                col += 1 + spaces;
                content = rest.trim_start_matches(' ');
            }
            let Some((key, value)) = split_key(content) else {
                continue;
            };
            while stack.last().is_some_and(|n| n.col() >= col) {
                stack.pop();
            }
            let parent = stack.last().map_or("", Node::pointer);
            let pointer = format!("{parent}/{}", escape(&key));
            record(&mut index, &pointer, number, true);
            let is_block = value.starts_with('|') || value.starts_with('>');
            let is_scalar =
                !value.is_empty() && !value.starts_with('#') && !value.starts_with(['{', '[']);
            if is_block || is_scalar {
                scalar_above = Some(col);
            }
            stack.push(Node::Key { col, pointer });
        }
        index
    }

    /// The 1-based line of `pointer`, or of its deepest indexed ancestor.
    pub fn line_of(&self, pointer: &str) -> Option<usize> {
        let mut current = pointer;
        loop {
            if let Some(line) = self.lines.get(current) {
                return Some(*line);
            }
            current = &current[..current.rfind('/')?];
        }
    }
}

#[cfg(test)]
mod tests {
    use super::LineIndex;

    const TEXT: &str = "openapi: 3.0.3
info:
  title: T
  description: >
    text: with a colon
paths:
  /upload-tokens:
    get:
      parameters:
        - name: sortBy
          in: query
        - $ref: '#/components/parameters/X'
      tags:
      - a
      - b
      responses:
        '200':
          description: ok
components:
  schemas:
    Token:
      type: object
";

    #[test]
    fn finds_keys_items_and_quoted_keys() {
        let index = LineIndex::new(TEXT);
        assert_eq!(index.line_of("/info/title"), Some(3));
        assert_eq!(index.line_of("/info/description/text"), Some(4));
        assert_eq!(index.line_of("/paths/~1upload-tokens/get"), Some(8));
        assert_eq!(
            index.line_of("/paths/~1upload-tokens/get/parameters/0"),
            Some(10)
        );
        assert_eq!(
            index.line_of("/paths/~1upload-tokens/get/parameters/0/in"),
            Some(11)
        );
        assert_eq!(
            index.line_of("/paths/~1upload-tokens/get/parameters/1/$ref"),
            Some(12)
        );
        assert_eq!(index.line_of("/paths/~1upload-tokens/get/tags/1"), Some(15));
        assert_eq!(
            index.line_of("/paths/~1upload-tokens/get/responses/200"),
            Some(17)
        );
        assert_eq!(index.line_of("/components/schemas/Token/type"), Some(22));
    }

    #[test]
    fn json_keys_items_and_duplicates() {
        let text = "{\n  \"openapi\": \"3.0.3\",\n  \"paths\": {\n    \"/a/{id}\": {\n      \"get\": {\"tags\": [\"x\",\n \"y\"], \"n\": 1}\n    }\n  },\n  \"k\\\"q\": [{\"a\": true}, {\"a\": null,\n \"a\": 2}]\n}\n";
        let index = LineIndex::json(text);
        assert_eq!(index.line_of("/openapi"), Some(2));
        assert_eq!(index.line_of("/paths/~1a~1{id}/get"), Some(5));
        assert_eq!(index.line_of("/paths/~1a~1{id}/get/tags/1"), Some(6));
        assert_eq!(index.line_of("/paths/~1a~1{id}/get/n"), Some(6));
        assert_eq!(index.line_of("/k\"q/1/a"), Some(9));
        assert_eq!(index.duplicates, vec![("/k\"q/1/a".to_owned(), 10, 9)]);
    }

    #[test]
    fn yaml_duplicate_keys_at_the_second_occurrence() {
        let index = LineIndex::new("a:\n  b: 1\n  c: 2\n  b: 3\nd: [1]\n");
        assert_eq!(index.duplicates, vec![("/a/b".to_owned(), 4, 2)]);
    }

    #[test]
    fn missing_elements_fall_back_to_the_deepest_ancestor() {
        let index = LineIndex::new(TEXT);
        assert_eq!(index.line_of("/components/schemas/Missing"), Some(20));
        assert_eq!(index.line_of("/nothing"), None);
    }
}
