//! Maps JSON pointers back to lines of the spec's text, so diagnostics can say where.
//!
//! serde_yaml and serde_json drop positions once a document is parsed, so this scans the text
//! itself, in one pass that keeps a single pointer buffer and records only the pointers asked
//! for (with their ancestors): locating a few findings in a large spec costs one linear scan,
//! not a map of every element. For YAML it understands block style (what hand-written specs
//! use); flow collections are not entered, and a pointer into one resolves to the line of its
//! deepest indexed ancestor. JSON is scanned completely. Both record keys that occur twice in one
//! mapping, at the second occurrence.

mod json;

use crate::diagnostic::{escape, escape_into};
use std::collections::{HashMap, HashSet};

/// Line numbers of the pointers asked for, and the duplicate keys found on the way.
#[derive(Debug, Default)]
pub struct LineIndex {
    lines: HashMap<String, usize>,
    /// Keys seen twice in one mapping: (pointer, line of the duplicate, line of the first).
    pub duplicates: Vec<(String, usize, usize)>,
}

/// The pointers to look for: every given pointer and all its ancestors (`None`: all).
pub type Wanted = Option<HashSet<String>>;

/// `pointers` and every ancestor of each.
pub fn wanted<'p>(pointers: impl IntoIterator<Item = &'p str>) -> Wanted {
    let mut set = HashSet::new();
    for pointer in pointers {
        let mut current = pointer;
        loop {
            set.insert(current.to_owned());
            match current.rfind('/') {
                Some(at) => current = &current[..at],
                None => break,
            }
        }
    }
    Some(set)
}

struct Recorder<'w> {
    wanted: &'w Wanted,
    index: LineIndex,
    /// The pointer of the element being read.
    buf: String,
}

impl Recorder<'_> {
    fn record(&mut self, line: usize) {
        if self.wanted.as_ref().is_none_or(|w| w.contains(&self.buf)) {
            self.index.lines.entry(self.buf.clone()).or_insert(line);
        }
    }

    /// Records the element the buffer points at if it is wanted, and says whether it was. Its
    /// parent's answer (`parent_live`) settles a `false` without a lookup: the ancestors of a
    /// wanted pointer are all wanted.
    fn record_child(&mut self, line: usize, parent_live: bool) -> bool {
        let wanted = match self.wanted {
            None => true,
            Some(set) => parent_live && set.contains(&self.buf),
        };
        if wanted {
            self.index.lines.entry(self.buf.clone()).or_insert(line);
        }
        wanted
    }

    /// Appends `/key`, escaped as a pointer segment.
    fn push_key(&mut self, key: &str) {
        self.buf.push('/');
        escape_into(&mut self.buf, key);
    }

    /// Notes `key` (at `line`) in the mapping `keys`; a second occurrence is a duplicate.
    fn check_key(&mut self, keys: &mut HashMap<String, usize>, key: String, line: usize) {
        match keys.get(&key) {
            Some(first) => {
                let mut pointer = self.buf.clone();
                pointer.push('/');
                pointer.push_str(&escape(&key));
                self.index.duplicates.push((pointer, line, *first));
            }
            None => {
                keys.insert(key, line);
            }
        }
    }
}

/// A YAML node being read: a key or a sequence item, and the keys of the mapping it holds.
struct Node {
    col: usize,
    /// Length of the pointer buffer with this node's segment.
    len: usize,
    item: Option<usize>,
    keys: HashMap<String, usize>,
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
    /// Scans a JSON text. Malformed input stops nothing: the parser has reported it already.
    pub fn json(text: &str, wanted: &Wanted) -> Self {
        json::scan(text, wanted)
    }

    /// Scans a YAML text (block style).
    pub fn yaml(text: &str, wanted: &Wanted) -> Self {
        let mut rec = Recorder {
            wanted,
            index: Self::default(),
            buf: String::new(),
        };
        let mut stack: Vec<Node> = Vec::new();
        let mut root_keys: HashMap<String, usize> = HashMap::new();
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
                while stack.last().is_some_and(|n| n.col > col) {
                    stack.pop();
                }
                let item = match stack.last() {
                    Some(Node {
                        col: c,
                        item: Some(index),
                        ..
                    }) if *c == col => {
                        let next = index + 1;
                        stack.pop();
                        next
                    }
                    _ => 0,
                };
                rec.buf.truncate(stack.last().map_or(0, |n| n.len));
                rec.buf.push('/');
                rec.buf.push_str(&item.to_string());
                rec.record(number);
                stack.push(Node {
                    col,
                    len: rec.buf.len(),
                    item: Some(item),
                    keys: HashMap::new(),
                });
                let rest = content.get(1..).unwrap_or("");
                let spaces = rest.len() - rest.trim_start_matches(' ').len();
                col += 1 + spaces;
                content = rest.trim_start_matches(' ');
            }
            let Some((key, value)) = split_key(content) else {
                continue;
            };
            while stack.last().is_some_and(|n| n.col >= col) {
                stack.pop();
            }
            rec.buf.truncate(stack.last().map_or(0, |n| n.len));
            let keys = match stack.last_mut() {
                Some(node) => &mut node.keys,
                None => &mut root_keys,
            };
            let mut keys_here = std::mem::take(keys);
            rec.check_key(&mut keys_here, key.clone(), number);
            match stack.last_mut() {
                Some(node) => node.keys = keys_here,
                None => root_keys = keys_here,
            }
            rec.push_key(&key);
            rec.record(number);
            let is_block = value.starts_with('|') || value.starts_with('>');
            let is_scalar =
                !value.is_empty() && !value.starts_with('#') && !value.starts_with(['{', '[']);
            if is_block || is_scalar {
                scalar_above = Some(col);
            }
            stack.push(Node {
                col,
                len: rec.buf.len(),
                item: None,
                keys: HashMap::new(),
            });
        }
        rec.index
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
        let index = LineIndex::yaml(TEXT, &None);
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
        let index = LineIndex::json(text, &None);
        assert_eq!(index.line_of("/openapi"), Some(2));
        assert_eq!(index.line_of("/paths/~1a~1{id}/get"), Some(5));
        assert_eq!(index.line_of("/paths/~1a~1{id}/get/tags/1"), Some(6));
        assert_eq!(index.line_of("/paths/~1a~1{id}/get/n"), Some(6));
        assert_eq!(index.line_of("/k\"q/1/a"), Some(9));
        assert_eq!(index.duplicates, vec![("/k\"q/1/a".to_owned(), 10, 9)]);
    }

    #[test]
    fn json_duplicates_in_the_order_they_occur_not_the_order_their_objects_close() {
        let text =
            "{\"a\": 1, \"a\": {\"x\": 1,\n\"x\": 2, \"x\": 3}, \"~/\": [], \"\\u007e/\": 4}";
        let index = LineIndex::json(text, &Some(Default::default()));
        assert_eq!(
            index.duplicates,
            vec![
                ("/a".to_owned(), 1, 1),
                ("/a/x".to_owned(), 2, 1),
                ("/a/x".to_owned(), 2, 1),
                ("/~0~1".to_owned(), 2, 2),
            ]
        );
        assert!(index.lines.is_empty(), "nothing was wanted");
        // Many keys: found by sorting, reported in the same order.
        let keys: Vec<String> = [
            "k", "b", "k", "c", "d", "e", "f", "g", "h", "i", "j", "b", "m", "k",
        ]
        .iter()
        .enumerate()
        .map(|(n, k)| format!("\"{k}\": {n}"))
        .collect();
        let text = format!("{{\"o\": {{{}}}}}", keys.join(",\n"));
        let index = LineIndex::json(&text, &Some(Default::default()));
        assert_eq!(
            index.duplicates,
            vec![
                ("/o/k".to_owned(), 3, 1),
                ("/o/b".to_owned(), 12, 2),
                ("/o/k".to_owned(), 14, 1),
            ]
        );
    }

    #[test]
    fn json_records_only_wanted_pointers_through_arrays_and_escaped_keys() {
        let text =
            "{\"paths\": {\"/a\": {\"get\": {\"tags\": [\"x\",\n\"y\"]}},\n\"/b\": {\"get\": 1}}}";
        let index = LineIndex::json(text, &super::wanted(["/paths/~1a/get/tags/1"]));
        assert_eq!(index.line_of("/paths/~1a/get/tags/1"), Some(2));
        assert_eq!(
            index.line_of("/paths/~1b/get"),
            Some(1),
            "falls back to /paths"
        );
        assert_eq!(index.lines.len(), 5, "{:?}", index.lines);
    }

    #[test]
    fn yaml_duplicate_keys_at_the_second_occurrence() {
        let index = LineIndex::yaml("a:\n  b: 1\n  c: 2\n  b: 3\nd: [1]\n", &None);
        assert_eq!(index.duplicates, vec![("/a/b".to_owned(), 4, 2)]);
    }

    #[test]
    fn only_wanted_pointers_are_recorded() {
        let wanted = super::wanted(["/paths/~1upload-tokens/get/tags/1"]);
        let index = LineIndex::yaml(TEXT, &wanted);
        assert_eq!(index.line_of("/paths/~1upload-tokens/get/tags/1"), Some(15));
        assert_eq!(index.lines.len(), 5, "{:?}", index.lines);
    }

    #[test]
    fn missing_elements_fall_back_to_the_deepest_ancestor() {
        let index = LineIndex::yaml(TEXT, &None);
        assert_eq!(index.line_of("/components/schemas/Missing"), Some(20));
        assert_eq!(index.line_of("/nothing"), None);
    }
}
