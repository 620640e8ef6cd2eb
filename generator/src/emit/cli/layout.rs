//! The few expression shapes of the CLI's glue (calls, method chains, `&[..]` lists), laid out
//! as prettyplease lays them out, so an item made of them can be written as text (see
//! `emit::text`).
//!
//! prettyplease gives each call's arguments, each array's elements and each method chain a
//! consistent box: the whole on one line when it fits, else every argument (or link) on a line
//! of its own, one level in. Whether it fits counts the text up to the next place a line could
//! break: the closing bracket, a `?`, the comma after an argument that is not the last (the
//! last one's comma is printed only when broken, and not counted). A line is 89 columns.

use crate::emit::text::{Writer, FITS};

/// An expression, as the boxes prettyplease puts it in.
#[derive(Clone)]
pub(super) enum Node {
    /// Text prettyplease has no place to break: a literal, a path, `true`, `f()`.
    Atom(String),
    /// `head` (which opens the bracket: `rt::flag(`, `&[`, `.arg(`), the arguments, `close`
    /// (`)`, `]`, `)?`).
    List {
        head: String,
        args: Vec<Node>,
        close: &'static str,
    },
    /// A receiver and its links (each a `.method(..)` list, or an atom such as `.await`).
    Chain {
        receiver: Box<Node>,
        links: Vec<Node>,
    },
}

impl Node {
    /// `head(args)close`.
    pub fn call(head: impl Into<String>, args: Vec<Node>) -> Node {
        Node::List {
            head: head.into(),
            args,
            close: ")",
        }
    }

    /// `head(args)?`.
    pub fn try_call(head: impl Into<String>, args: Vec<Node>) -> Node {
        Node::List {
            head: head.into(),
            args,
            close: ")?",
        }
    }

    /// `&[elements]`.
    pub fn slice(elements: Vec<Node>) -> Node {
        Node::List {
            head: "&[".to_owned(),
            args: elements,
            close: "]",
        }
    }

    /// `.method(args)`.
    pub fn link(method: &str, args: Vec<Node>) -> Node {
        Node::call(format!(".{method}("), args)
    }

    /// `self` with `links` after it.
    pub fn chain(self, links: Vec<Node>) -> Node {
        if links.is_empty() {
            return self;
        }
        Node::Chain {
            receiver: Box::new(self),
            links,
        }
    }

    /// The node on one line, appended to `out`.
    pub fn flat_into(&self, out: &mut String) {
        self.flat(out);
    }

    fn flat(&self, out: &mut String) {
        match self {
            Node::Atom(text) => out.push_str(text),
            Node::List { head, args, close } => {
                out.push_str(head);
                for (i, arg) in args.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    arg.flat(out);
                }
                out.push_str(close);
            }
            Node::Chain { receiver, links } => {
                receiver.flat(out);
                for link in links {
                    link.flat(out);
                }
            }
        }
    }

    /// The width of the node on one line.
    pub fn flat_len(&self) -> usize {
        match self {
            Node::Atom(text) => text.len(),
            Node::List { head, args, close } => {
                let separators = 2 * args.len().saturating_sub(1);
                head.len()
                    + close.len()
                    + separators
                    + args.iter().map(Node::flat_len).sum::<usize>()
            }
            Node::Chain { receiver, links } => {
                receiver.flat_len() + links.iter().map(Node::flat_len).sum::<usize>()
            }
        }
    }
}

/// Lines being laid out, each with its indentation.
struct Lines {
    /// Each line, whether it ends in a comma prettyplease does not count (the one after the
    /// last argument, printed only when the list is broken), and whether it is an atom or a
    /// list's head alone (then it may be wider than the margin: nothing in it can break).
    done: Vec<(String, bool, bool)>,
    current: String,
    free_comma: bool,
    lone_atom: bool,
    /// A line went deeper than prettyplease's margin arithmetic is modelled here.
    deep: bool,
}

/// prettyplease keeps at least 60 columns after deep indentation; past this indentation the
/// model above no longer holds.
const DEEPEST: usize = 28;

impl Lines {
    fn newline(&mut self, indent: usize) {
        self.deep |= indent > DEEPEST;
        let line = std::mem::take(&mut self.current);
        let free_comma = std::mem::take(&mut self.free_comma);
        let lone_atom = std::mem::take(&mut self.lone_atom);
        self.done.push((line, free_comma, lone_atom));
        self.current = " ".repeat(indent);
    }

    /// `node` from the current column; `indent` is the enclosing box's indentation, `trailing`
    /// the width of what follows it up to the next possible break.
    fn node(&mut self, node: &Node, indent: usize, trailing: usize) {
        if self.current.len() + node.flat_len() + trailing <= FITS {
            node.flat(&mut self.current);
            return;
        }
        match node {
            Node::Atom(text) => {
                self.lone_atom = self.current.trim_start().is_empty();
                self.current.push_str(text);
            }
            Node::List { head, args, close } => {
                // A call with generic arguments (`rt::required::<String>(..)`) that must break
                // may break inside them first: not modelled here (found by the width sweep).
                self.deep |= head.contains('<');
                // Nothing in a head alone on its line can break, but generic arguments.
                self.lone_atom =
                    self.current.trim_start().is_empty() && !args.is_empty() && !head.contains('<');
                self.current.push_str(head);
                for (i, arg) in args.iter().enumerate() {
                    self.newline(indent + 4);
                    let last = i + 1 == args.len();
                    self.node(arg, indent + 4, usize::from(!last));
                    self.current.push(',');
                    self.free_comma = last;
                }
                if !args.is_empty() {
                    self.newline(indent);
                }
                self.current.push_str(close);
            }
            Node::Chain { receiver, links } => {
                let inner = indent + 4;
                self.node(receiver, inner, 0);
                for (i, link) in links.iter().enumerate() {
                    self.newline(inner);
                    let last = i + 1 == links.len();
                    self.node(link, inner, if last { trailing } else { 0 });
                }
            }
        }
    }
}

/// Writes `node` as the tail expression of a block `level` levels in (from the writer's item),
/// followed by `after` (`;` or nothing). Returns `false` when a line would be wider than the
/// margin without being an atom alone, or indentation goes past what is modelled: the layout
/// is then not certain.
pub(super) fn write(w: &mut Writer, level: usize, node: &Node, after: &str) -> bool {
    write_with(w, level, node, after, false, false)
}

/// [`write`] for a statement whose first line may be wider than the margin when `long_head`
/// (the caller knows nothing on it before the head's bracket can break), if the node is a
/// list broken after its head.
pub(super) fn write_statement(
    w: &mut Writer,
    level: usize,
    node: &Node,
    after: &str,
    long_head: bool,
) -> bool {
    write_with(w, level, node, after, false, long_head)
}

/// [`write`] for the last of a broken list's elements (a struct literal's field): the comma
/// after it is printed only because the list is broken, and does not count.
pub(super) fn write_last(w: &mut Writer, level: usize, node: &Node) -> bool {
    write_with(w, level, node, ",", true, false)
}

/// The fields of a struct literal broken one a line, `level` levels in (the last with the
/// comma prettyplease adds); `false` when one of them is not certain (see [`write`]).
pub(super) fn write_fields<'a>(
    w: &mut Writer,
    level: usize,
    fields: impl ExactSizeIterator<Item = &'a Node>,
) -> bool {
    let count = fields.len();
    fields.enumerate().all(|(i, field)| {
        if i + 1 == count {
            write_last(w, level, field)
        } else {
            write(w, level, field, ",")
        }
    })
}

fn write_with(
    w: &mut Writer,
    level: usize,
    node: &Node,
    after: &str,
    free: bool,
    long_head: bool,
) -> bool {
    let indent = level * 4;
    let mut lines = Lines {
        done: Vec::new(),
        current: " ".repeat(indent),
        free_comma: false,
        lone_atom: false,
        deep: false,
    };
    lines.node(node, indent, if free { 0 } else { after.len() });
    lines.current.push_str(after);
    lines.free_comma = free;
    lines.newline(0);
    if lines.deep {
        return false;
    }
    let head = match node {
        Node::List { head, .. } if long_head && lines.done.len() > 1 => {
            Some(format!("{}{head}", " ".repeat(indent)))
        }
        _ => None,
    };
    for (i, (line, free_comma, lone_atom)) in lines.done.iter().enumerate() {
        if i == 0 && head.as_ref() == Some(line) {
            w.unbreakable(0, &[line]);
        } else if line.len() - usize::from(*free_comma) > FITS {
            if !lone_atom {
                return false;
            }
            w.unbreakable(0, &[line]);
        } else if *free_comma {
            w.unbreakable(0, &[line]);
        } else {
            w.line(0, &[line]);
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::text::Place;
    use quote::quote;

    /// A `fn` returning `chain`, as prettyplease prints its tokens and as [`write`] does.
    fn both(tokens: proc_macro2::TokenStream, node: &Node) -> (String, Option<String>) {
        let file: syn::File = syn::parse2(quote! { fn f() -> C { #tokens } }).expect("parses");
        let printed = prettyplease::unparse(&file);
        let mut w = Place {
            depth: 0,
            in_impl: false,
        }
        .writer();
        w.line(0, &["fn f() -> C {"]);
        let written = write(&mut w, 1, node, "").then(|| {
            w.line(0, &["}"]);
            w.finish()
        });
        (printed, written.flatten())
    }

    fn lit(text: &str) -> Node {
        Node::Atom(crate::emit::text::string(text))
    }

    /// Every width around the margin, for a flag alone, a required flag, a choice and a
    /// repeated flag: where the text is written, it is what prettyplease prints.
    #[test]
    fn layouts_match_prettyplease_around_the_margin() {
        let mut written = 0;
        for width in 20..150 {
            let help = "h".repeat(width);
            let choices = ["a".repeat(width / 3), "b".repeat(width / 4)];
            let flag = || {
                Node::call(
                    "rt::flag(",
                    vec![lit("name"), Node::Atom("rt::Kind::Text".into()), lit(&help)],
                )
            };
            let cases: Vec<(proc_macro2::TokenStream, Node)> = vec![
                (quote!(rt::flag("name", rt::Kind::Text, #help)), flag()),
                (
                    quote!(rt::flag("name", rt::Kind::Text, #help).required(true)),
                    flag().chain(vec![Node::link(
                        "required",
                        vec![Node::Atom("true".into())],
                    )]),
                ),
                (
                    quote!(rt::repeated(rt::flag("name", rt::Kind::Text, #help))),
                    Node::call("rt::repeated(", vec![flag()]),
                ),
                (
                    quote!(rt::choice("name", rt::Kind::Text, &[#(#choices),*], "help")),
                    Node::call(
                        "rt::choice(",
                        vec![
                            lit("name"),
                            Node::Atom("rt::Kind::Text".into()),
                            Node::List {
                                head: "&[".into(),
                                args: choices.iter().map(|c| lit(c)).collect(),
                                close: "]",
                            },
                            lit("help"),
                        ],
                    ),
                ),
            ];
            for (arg, node) in cases {
                let tokens = quote!(clap::Command::new("command").about(#help).arg(#arg));
                let node = Node::call("clap::Command::new(", vec![lit("command")]).chain(vec![
                    Node::link("about", vec![lit(&help)]),
                    Node::link("arg", vec![node]),
                ]);
                let (printed, text) = both(tokens, &node);
                if let Some(text) = text {
                    assert_eq!(text, printed);
                    written += 1;
                }
            }
        }
        // Only lines past the margin that are not lone literals give up.
        assert!(written > 400, "{written}");
    }

    /// An atom wider than the line (a call without arguments) is printed alone, as it is.
    #[test]
    fn a_lone_atom_may_pass_the_margin() {
        for width in [60, 76, 77, 78, 100] {
            let name = format!("command_{}", "x".repeat(width));
            let function = proc_macro2::Ident::new(&name, proc_macro2::Span::call_site());
            let tokens = quote!(rt::vendor("v", "t").subcommand(#function()));
            let node = Node::call("rt::vendor(", vec![lit("v"), lit("t")]).chain(vec![Node::link(
                "subcommand",
                vec![Node::Atom(format!("{name}()"))],
            )]);
            let (printed, text) = both(tokens, &node);
            assert_eq!(text.as_deref(), Some(printed.as_str()));
        }
    }

    /// A call's head alone on its line (a long function name) is printed as it is.
    #[test]
    fn a_lone_head_may_pass_the_margin() {
        for width in [50, 66, 67, 68, 90] {
            let name = format!("run_{}", "x".repeat(width));
            let function = proc_macro2::Ident::new(&name, proc_macro2::Span::call_site());
            let tokens = quote!(Box::pin(#function(session, matches, &client)));
            let args = ["session", "matches", "&client"];
            let node = Node::call(
                "Box::pin(",
                vec![Node::call(
                    format!("{name}("),
                    args.iter().map(|a| Node::Atom((*a).to_owned())).collect(),
                )],
            );
            let (printed, text) = both(tokens, &node);
            assert_eq!(text.as_deref(), Some(printed.as_str()));
        }
    }

    /// A chain that fits is printed on one line.
    #[test]
    fn a_short_chain_stays_on_one_line() {
        let tokens = quote!(clap::Command::new("x").about("y"));
        let node = Node::call("clap::Command::new(", vec![lit("x")])
            .chain(vec![Node::link("about", vec![lit("y")])]);
        let (printed, text) = both(tokens, &node);
        assert_eq!(text.as_deref(), Some(printed.as_str()));
        assert_eq!(printed.lines().count(), 3);
    }
}
