//! A `Client` method written as text (see `emit::text`), for the operations whose body is
//! made of the common statements: path, plain and date-time parameters, a body, the call, the
//! `match` on the status. Anything else (secret paths, cookies, client settings, exploded or
//! object parameters) gives `None`, and the method goes through tokens.

use super::text::{self, Place, Writer};
use super::Scope;
use crate::ir::{Api, Encoding, Operation, ParamLocation, Piece, Response, Status, TypeRef};
use crate::surface::{caller_params, path_params, returns, several_successes, Returns};

/// Where a method of `impl Client` goes.
const PLACE: Place = Place::CLIENT_IMPL;

/// The method as text, or `None` when it has a statement written only through tokens.
pub(crate) fn method_text(
    api: &Api,
    op: &Operation,
    doc_tests: super::DocTests<'_>,
) -> Option<String> {
    let statements = statements(api, op)?;
    let mut w = PLACE.writer();
    let (doc, example) = super::docs::method_doc_parts(api, op, doc_tests);
    w.doc(0, &doc);
    for line in example.iter().flatten() {
        w.doc_line(0, line);
    }
    if op.deprecated {
        w.line(0, &["#[deprecated]"]);
    }
    signature(&mut w, op);
    for statement in &statements {
        statement(&mut w);
    }
    w.line(1, &["match response.status() {"]);
    for (pattern, body) in arms(op) {
        arm_text(&mut w, &pattern, &body);
    }
    w.line(1, &["}"]);
    w.line(0, &["}"]);
    w.finish()
}

/// A statement, writing itself at level 1.
type Statement = Box<dyn Fn(&mut Writer)>;

fn signature(w: &mut Writer, op: &Operation) {
    let mut args: Vec<String> = path_params(op)
        .map(super::signature::path_arg_text)
        .collect();
    if caller_params(op).next().is_some() {
        args.push(format!("params: &types::{}", op.params_type));
    }
    if let Some(body) = &op.body {
        let ty = match body.encoding {
            Encoding::Text => "str".to_owned(),
            Encoding::Binary => "[u8]".to_owned(),
            Encoding::Json | Encoding::Form => super::type_text(&body.ty, Scope::Root),
        };
        args.push(if body.required {
            format!("body: &{ty}")
        } else {
            format!("body: Option<&{ty}>")
        });
    }
    let ret = match returns(op) {
        Returns::Unit => "()".to_owned(),
        Returns::Body(ty) => super::type_text(ty, Scope::Root),
        Returns::Several(name) => format!("types::{name}"),
    };
    let error = format!("runtime::Error<types::{}>", op.error_type);
    async_signature(w, &op.name.name, &args, (&ret, &error));
}

/// `pub async fn name(&self, args) -> Result<ok, error> {` in the layouts prettyplease gives
/// it: on one line; else a parameter a line, then the return type on one line or its `Result`
/// broken too. (Also the pagination helpers' `<method>_all`.)
pub(super) fn async_signature(
    w: &mut Writer,
    name: &str,
    args: &[String],
    (ok, error): (&str, &str),
) {
    let output = format!("Result<{ok}, {error}>");
    let all = std::iter::once("&self".to_owned())
        .chain(args.iter().cloned())
        .collect::<Vec<_>>()
        .join(", ");
    let one_line = format!("pub async fn {name}({all}) -> {output} {{");
    if one_line.len() <= w.room(0) {
        w.line(0, &[&one_line]);
    } else {
        w.line(0, &["pub async fn ", name, "("]);
        w.line(1, &["&self,"]);
        for arg in args {
            w.line(1, &[arg, ","]);
        }
        if output.len() + 6 <= w.room(0) {
            w.line(0, &[") -> ", &output, " {"]);
        } else {
            w.line(0, &[") -> Result<"]);
            w.line(1, &[ok, ","]);
            w.line(1, &[error, ","]);
            w.line(0, &["> {"]);
        }
    }
}

/// The statements before the `match`, or `None` when one is not written as text.
fn statements(api: &Api, op: &Operation) -> Option<Vec<Statement>> {
    if !op.settings.is_empty() || path_params(op).any(|p| p.ty == TypeRef::Secret) {
        return None;
    }
    let mut out: Vec<Statement> = Vec::new();
    let mutated = caller_params(op).next().is_some() || op.body.is_some();
    let binding = if mutated {
        "let mut request"
    } else {
        "let request"
    };
    let (format_text, path_args) = path_parts(op);
    let path = if path_args.is_empty() {
        format!("{format_text}.to_owned()")
    } else {
        format!("format!({format_text}, {})", path_args.join(", "))
    };
    // `format!`'s arguments, each with the comma that follows it, as the macro's tokens print.
    let mut format_pieces = vec![format_text];
    format_pieces.extend(path_args);
    let last = format_pieces.len() - 1;
    for piece in &mut format_pieces[..last] {
        piece.push(',');
    }
    let operation = format!("&operations::{}", op.name);
    out.push(Box::new(move |w: &mut Writer| {
        let one = format!("{binding} = runtime::Request::new({operation}, {path});");
        if (PLACE.depth + 1) * 4 + one.len() <= text::FITS {
            w.line(1, &[&one]);
        } else {
            w.line(1, &[binding, " = runtime::Request::new("]);
            w.line(2, &[&operation, ","]);
            // The last argument's comma is printed only when the list breaks: it does not
            // count towards the width.
            let fits = (PLACE.depth + 2) * 4 + path.len() <= text::FITS;
            if fits || format_pieces.len() == 1 {
                w.line(2, &[&path, ","]);
            } else {
                // prettyplease prints a macro's arguments as tokens, without a trailing comma.
                w.line(2, &["format!("]);
                fill(w, 3, &format_pieces);
                w.line(2, &["),"]);
            }
            w.line(1, &[");"]);
        }
    }));
    for p in caller_params(op) {
        let (inner, optional) = match &p.ty {
            TypeRef::Option(inner) => (inner.as_ref(), true),
            other => (other, !p.required),
        };
        let method = match p.location {
            ParamLocation::Query => "query",
            ParamLocation::Header => "header",
            _ => return None,
        };
        let wire = text::string(&p.wire);
        let field = p.name.name.clone();
        // Only the parameters sent as their own text, as `method`'s tokens write them.
        let plain = match inner {
            TypeRef::Secret | TypeRef::DateTime | TypeRef::Vec(_) | TypeRef::Map(_) => false,
            TypeRef::Json => false,
            TypeRef::Named(name) if p.location == ParamLocation::Query => {
                crate::surface::struct_fields(api, name).is_none()
                    && (!p.explode || crate::surface::array_variants(api, name).is_empty())
            }
            _ => true,
        };
        if *inner == TypeRef::DateTime {
            // Sent as its RFC 3339 text, as `emit_one` writes it.
            out.push(Box::new(move |w: &mut Writer| {
                let send: [&str; 5] = ["request.", method, "(", &wire, ", value.to_rfc3339());"];
                if optional {
                    w.line(1, &["if let Some(value) = &params.", &field, " {"]);
                    w.line(2, &send);
                    w.line(1, &["}"]);
                } else {
                    w.line(1, &["let value = &params.", &field, ";"]);
                    w.line(1, &send);
                }
            }));
            continue;
        }
        if !plain {
            return None;
        }
        if optional {
            out.push(Box::new(move |w: &mut Writer| {
                w.line(
                    1,
                    &[
                        "request.",
                        method,
                        "_opt(",
                        &wire,
                        ", params.",
                        &field,
                        ".as_ref());",
                    ],
                );
            }));
        } else {
            out.push(Box::new(move |w: &mut Writer| {
                w.line(1, &["let value = &params.", &field, ";"]);
                w.line(1, &["request.", method, "(", &wire, ", value);"]);
            }));
        }
    }
    if let Some(body) = &op.body {
        let media = text::string(&body.media);
        let set = match body.encoding {
            Encoding::Json => "request.json(body)?;".to_owned(),
            Encoding::Form => "request.form(body)?;".to_owned(),
            Encoding::Text => format!("request.text(body, {media});"),
            Encoding::Binary => format!("request.bytes(body, {media});"),
        };
        let required = body.required;
        out.push(Box::new(move |w: &mut Writer| {
            if required {
                w.line(1, &[&set]);
            } else {
                w.line(1, &["if let Some(body) = body {"]);
                w.line(2, &[&set]);
                w.line(1, &["}"]);
            }
        }));
    }
    let credentials = if op.security.is_empty() {
        "&runtime::NoCredentials"
    } else {
        "&self.credentials"
    };
    out.push(Box::new(move |w: &mut Writer| {
        w.line(
            1,
            &[
                "let response = self.runtime.execute(request, ",
                credentials,
                ").await?;",
            ],
        );
    }));
    Some(out)
}

/// Tokens of a macro call that does not fit on one line, as prettyplease prints them (`mac`
/// in its `mac.rs`): in lines filled greedily at `level`, a space between two pieces (an
/// argument with its comma), each piece starting a new line when it would pass the margin.
/// A piece is never broken, so a line holding one piece alone may pass the margin.
fn fill(w: &mut Writer, level: usize, pieces: &[String]) {
    let indent = (PLACE.depth + level) * 4;
    let mut line = String::new();
    for piece in pieces {
        if !line.is_empty() {
            if indent + line.len() + 1 + piece.len() <= text::FITS {
                line.push(' ');
            } else {
                w.unbreakable(level, &[&line]);
                line.clear();
            }
        }
        line.push_str(piece);
    }
    w.unbreakable(level, &[&line]);
}

/// The path's format string and its arguments (`runtime::path_segment(x)`), as the tokens
/// write them: `"/a".to_owned()` without arguments, else `format!(..)`.
fn path_parts(op: &Operation) -> (String, Vec<String>) {
    let mut format = String::new();
    let mut args = Vec::new();
    for piece in &op.path.pieces {
        match piece {
            Piece::Literal(text) => format.push_str(&super::format_escaped(text)),
            Piece::Variable(wire) => {
                if let Some(p) = path_params(op).find(|p| p.wire == *wire) {
                    format.push_str("{}");
                    args.push(format!("runtime::path_segment({})", p.name));
                }
            }
        }
    }
    (text::string(&format), args)
}

/// One arm of the `match` on the status, in the layouts prettyplease gives it: on one line;
/// else its body in a block; else, a single call on `response`, the call on a line of its
/// own; else its argument on one more. Anything else too wide gives the method up (the
/// writer sees the line too wide).
fn arm_text(w: &mut Writer, pattern: &str, body: &str) {
    let indent = (PLACE.depth + 2) * 4;
    if w.arm_line(2, pattern, body) {
        return;
    }
    w.line(2, &[pattern, " => {"]);
    let call = body
        .strip_prefix("response.")
        .filter(|call| !call.contains(").") && !call.contains('|'));
    match call {
        Some(call) if indent + 4 + body.len() > text::FITS => {
            w.line(3, &["response"]);
            // Wider still, the call's one argument goes on a line of its own, with a comma.
            match call.split_once('(') {
                Some((method, arg))
                    if arg.len() > 1
                        && !arg.contains(',')
                        && indent + 8 + 1 + call.len() > text::FITS =>
                {
                    w.line(4, &[".", method, "("]);
                    w.unbreakable(5, &[&arg[..arg.len() - 1], ","]);
                    w.line(4, &[")"]);
                }
                _ => w.line(4, &[".", call]),
            }
        }
        _ => w.line(3, &[body]),
    }
    w.line(2, &["}"]);
}

/// The arms of the `match` on the status (pattern and body), as `response_arm` makes them.
fn arms(op: &Operation) -> Vec<(String, String)> {
    let responses = || op.success.iter().chain(op.errors.iter());
    let mut out: Vec<(String, String)> = responses().filter_map(|r| arm(op, r, false)).collect();
    out.extend(responses().filter_map(|r| arm(op, r, true)));
    let default = op
        .errors
        .iter()
        .find(|r| r.status == Status::Default)
        .map_or("response.unexpected()".to_owned(), |r| error_decode(op, r));
    out.push(("_".to_owned(), default));
    out
}

fn arm(op: &Operation, r: &Response, ranges: bool) -> Option<(String, String)> {
    let pattern = match (r.status, ranges) {
        (Status::Code(code), false) => code.to_string(),
        (Status::Range(n), true) => format!("{}..={}", n * 100, n * 100 + 99),
        _ => return None,
    };
    let is_success = matches!(r.status, Status::Code(200..=299) | Status::Range(2));
    let body = if is_success {
        let decode = match (&r.ty, r.encoding) {
            (None, _) => "response.empty()",
            (Some(_), Encoding::Text) => "response.text()",
            (Some(_), Encoding::Binary) => "response.bytes()",
            (Some(_), _) => "response.payload()",
        };
        if several_successes(&op.success) {
            let name = format!("types::{}", op.success_type);
            let variant = &r.variant;
            match (&r.ty, r.boxed) {
                (Some(_), false) => format!("{decode}.map({name}::{variant})"),
                (Some(_), true) => {
                    format!("{decode}.map(|body| {name}::{variant}(Box::new(body)))")
                }
                (None, _) => format!("{decode}.map(|()| {name}::{variant})"),
            }
        } else {
            decode.to_owned()
        }
    } else {
        error_decode(op, r)
    };
    Some((pattern, body))
}

fn error_decode(op: &Operation, r: &Response) -> String {
    let call = match (&r.ty, r.encoding) {
        (None, _) => "api_error_empty",
        (Some(_), Encoding::Json) => "api_error",
        (Some(_), _) => "api_error_text",
    };
    format!("response.{call}(types::{}::{})", op.error_type, r.variant)
}
