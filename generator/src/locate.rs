//! Maps JSON pointers back to lines of the YAML text, so diagnostics can say where.
//!
//! serde_yaml drops positions once a document is parsed, so this indexes the text itself. It
//! understands block-style YAML (what hand-written specs use); flow collections are not entered,
//! and a pointer into one resolves to the line of its deepest indexed ancestor.

use crate::diagnostic::escape;
use std::collections::HashMap;

/// Line numbers of every block-style key and sequence item, by JSON pointer.
#[derive(Debug, Default)]
pub struct LineIndex {
    lines: HashMap<String, usize>,
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

impl LineIndex {
    /// Indexes `text`.
    pub fn new(text: &str) -> Self {
        let mut lines = HashMap::new();
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
                let index = match stack.last() {
                    Some(Node::Item { col: c, index, .. }) if *c == col => {
                        let next = index + 1;
                        stack.pop();
                        next
                    }
                    _ => 0,
                };
                let parent = stack.last().map_or("", Node::pointer);
                let pointer = format!("{parent}/{index}");
                lines.entry(pointer.clone()).or_insert(number);
                stack.push(Node::Item {
                    col,
                    pointer,
                    index,
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
            lines.entry(pointer.clone()).or_insert(number);
            let is_block = value.starts_with('|') || value.starts_with('>');
            let is_scalar =
                !value.is_empty() && !value.starts_with('#') && !value.starts_with(['{', '[']);
            if is_block || is_scalar {
                scalar_above = Some(col);
            }
            stack.push(Node::Key { col, pointer });
        }
        Self { lines }
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
    fn missing_elements_fall_back_to_the_deepest_ancestor() {
        let index = LineIndex::new(TEXT);
        assert_eq!(index.line_of("/components/schemas/Missing"), Some(20));
        assert_eq!(index.line_of("/nothing"), None);
    }
}
