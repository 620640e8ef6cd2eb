//! `{variable}` templates (paths, server URLs), parsed here once for every later reader.

use crate::ir::{Piece, Template};

/// Splits `text` into literal text and `{variable}`s. A variable is the text between a `}` and
/// the nearest `{` before it; a `{` with no `}` after it is dropped with the rest of the
/// template, as no parameter can name it (lowering requires every path parameter to appear as
/// a closed variable).
pub fn parse(text: &str) -> Template {
    let mut pieces = Vec::new();
    let mut literal = String::new();
    let mut rest = text;
    while let Some(close) = rest.find('}') {
        let before = &rest[..close];
        match before.rfind('{') {
            Some(open) => {
                literal.push_str(&before[..open]);
                if !literal.is_empty() {
                    pieces.push(Piece::Literal(std::mem::take(&mut literal)));
                }
                pieces.push(Piece::Variable(before[open + 1..].to_owned()));
            }
            None => {
                literal.push_str(before);
                literal.push('}');
            }
        }
        rest = &rest[close + 1..];
    }
    match rest.find('{') {
        Some(open) => literal.push_str(&rest[..open]),
        None => literal.push_str(rest),
    }
    if !literal.is_empty() {
        pieces.push(Piece::Literal(literal));
    }
    Template {
        text: text.to_owned(),
        pieces,
    }
}

#[cfg(test)]
mod tests {
    use super::parse;
    use crate::ir::Piece::{Literal, Variable};

    #[test]
    fn literals_and_variables_in_order() {
        let t = parse("/videos/{videoId}/tokens/{token}");
        assert_eq!(
            t.pieces,
            [
                Literal("/videos/".into()),
                Variable("videoId".into()),
                Literal("/tokens/".into()),
                Variable("token".into()),
            ]
        );
        assert_eq!(t.to_string(), "/videos/{videoId}/tokens/{token}");
        assert_eq!(
            parse("https://{region}.example.com")
                .variables()
                .collect::<Vec<_>>(),
            ["region"]
        );
    }

    #[test]
    fn stray_braces() {
        assert_eq!(parse("/a}b").pieces, [Literal("/a}b".into())]);
        assert_eq!(parse("/a/{open").pieces, [Literal("/a/".into())]);
        assert_eq!(
            parse("/{a{b}").pieces,
            [Literal("/{a".into()), Variable("b".into())]
        );
    }
}
