//! The helpers of paginated operations (`x-pagination`): `<method>_pages`, `<method>_stream`
//! and `<method>_all`. Each states only what is particular to its operation (which parameter
//! selects the page, where the items and the end are in the payload); the walk is
//! `runtime::paginate`'s.

use super::signature::path_args;
use super::{doc, in_types, type_tokens, Scope};
use crate::ir::{Api, FieldStep, Operation, Pagination, PaginationStyle, Total, TypeRef};
use proc_macro2::TokenStream;
use quote::quote;

/// `body` walked by value along `steps`: plain field access until the first `Option`, then
/// combinators. Yields the items, `Default` when an optional step is absent.
fn items_expr(steps: &[FieldStep]) -> TokenStream {
    let mut expr = quote!(body);
    let mut optional = false;
    for step in steps {
        let field = &step.field;
        expr = match (optional, step.optional) {
            (false, _) => quote!(#expr.#field),
            (true, true) => quote!(#expr.and_then(|v| v.#field)),
            (true, false) => quote!(#expr.map(|v| v.#field)),
        };
        optional |= step.optional;
    }
    if optional {
        quote!(#expr.unwrap_or_default())
    } else {
        expr
    }
}

/// `body` walked by reference along `steps`, and whether a step on the way is an `Option`
/// (then the expression is an `Option<&T>`, else a place of type `T`).
fn field_expr(steps: &[FieldStep]) -> (TokenStream, bool) {
    let mut expr = quote!(body);
    let mut optional = false;
    for step in steps {
        let field = &step.field;
        expr = match (optional, step.optional) {
            (false, false) => quote!(#expr.#field),
            (false, true) => quote!(#expr.#field.as_ref()),
            (true, true) => quote!(#expr.and_then(|v| v.#field.as_ref())),
            (true, false) => quote!(#expr.map(|v| &v.#field)),
        };
        optional |= step.optional;
    }
    (expr, optional)
}

/// `body.a.b` when only the last of `steps` is an `Option`: that `Option` itself.
fn optional_place(steps: &[FieldStep]) -> Option<TokenStream> {
    let last_only = steps.iter().position(|s| s.optional) == Some(steps.len().saturating_sub(1));
    let fields = steps.iter().map(|s| &s.field);
    last_only.then(|| quote!(body #(.#fields)*))
}

/// A total, as `Option<i64>`.
fn total_expr(total: &Total) -> TokenStream {
    if let Some(place) = optional_place(&total.path) {
        return if total.wide {
            place
        } else {
            quote!(#place.map(i64::from))
        };
    }
    match (field_expr(&total.path), total.wide) {
        ((expr, true), true) => quote!(#expr.copied()),
        ((expr, true), false) => quote!(#expr.map(|n| i64::from(*n))),
        ((expr, false), true) => quote!(Some(#expr)),
        ((expr, false), false) => quote!(Some(i64::from(#expr))),
    }
}

/// A cursor along `steps`, as `Option<String>`.
fn cursor_expr(steps: &[FieldStep]) -> TokenStream {
    if let Some(place) = optional_place(steps) {
        return quote!(#place.clone());
    }
    match field_expr(steps) {
        (expr, true) => quote!(#expr.cloned()),
        (expr, false) => quote!(Some(#expr.clone())),
    }
}

/// The path arguments as the closure keeps them: owned copies made once (`let id =
/// id.to_owned();`), cloned for each page's call (`let id = id.clone();`), and how the call
/// passes them.
fn owned_path_args(op: &Operation) -> (Vec<TokenStream>, Vec<TokenStream>, Vec<TokenStream>) {
    let mut own = Vec::new();
    let mut per_call = Vec::new();
    let mut pass = Vec::new();
    for p in crate::surface::path_params(op) {
        let arg = &p.name;
        // `path_args` takes strings and models by reference, other types by value.
        if matches!(p.ty, TypeRef::String | TypeRef::Secret | TypeRef::Named(_)) {
            own.push(quote!(let #arg = #arg.to_owned();));
            per_call.push(quote!(let #arg = #arg.clone();));
            pass.push(quote!(&#arg));
        } else {
            pass.push(quote!(#arg));
        }
    }
    (own, per_call, pass)
}

/// How one style walks: the runtime's function and where it starts (`by_page`,
/// `params.page.unwrap_or(1)`), the closure's argument and what it sets the page parameter
/// to, and the page's report of the rest (`let total = ..;` and `.total(total)`).
struct Walk {
    function: TokenStream,
    start: Vec<TokenStream>,
    at: TokenStream,
    param: crate::ir::Ident,
    set: TokenStream,
    report: Option<(TokenStream, TokenStream)>,
}

fn walk(op: &Operation, pagination: &Pagination) -> Walk {
    let one = &op.name;
    let total = |path: &Option<Total>| {
        path.as_ref().map(|path| {
            let total = total_expr(path);
            (quote!(let total = #total;), quote!(.total(total)))
        })
    };
    match &pagination.style {
        PaginationStyle::Page {
            param,
            first,
            total_pages,
        } => {
            let first = proc_macro2::Literal::i64_unsuffixed(*first);
            Walk {
                function: quote!(by_page),
                start: vec![
                    quote!(operations::#one.id),
                    quote!(params.#param.unwrap_or(#first)),
                ],
                at: quote!(page),
                param: param.clone(),
                set: quote!(Some(page)),
                report: total(total_pages),
            }
        }
        PaginationStyle::Offset { param, total_items } => Walk {
            function: quote!(by_offset),
            start: vec![
                quote!(operations::#one.id),
                quote!(params.#param.unwrap_or(0)),
            ],
            at: quote!(offset),
            param: param.clone(),
            set: quote!(Some(offset)),
            report: total(total_items),
        },
        PaginationStyle::Cursor { param, next } => {
            let next = cursor_expr(next);
            Walk {
                function: quote!(by_cursor),
                start: vec![quote!(operations::#one.id), quote!(params.#param.clone())],
                at: quote!(cursor),
                param: param.clone(),
                set: quote!(cursor),
                report: Some((quote!(let next = #next;), quote!(.next_cursor(next)))),
            }
        }
    }
}

/// `<method>_pages`, `<method>_stream` and `<method>_all` of a paginated operation.
pub(crate) fn paginated(api: &Api, op: &Operation, doc_tests: super::DocTests<'_>) -> TokenStream {
    let Some(pagination) = &op.pagination else {
        return TokenStream::new();
    };
    let one = &op.name;
    let (pages, stream, all) = (&pagination.pages, &pagination.stream, &pagination.all);
    let error = in_types(&op.error_type);
    let (mut args, mut pass_on) = path_args(op);
    let params_ty = in_types(&op.params_type);
    args.push(quote!(params: &#params_ty));
    pass_on.push(quote!(params));
    let item_ty = type_tokens(&pagination.item, Scope::Root);
    let items = items_expr(&pagination.items);
    let (own, per_call, pass) = owned_path_args(op);
    let Walk {
        function,
        start,
        at,
        param,
        set,
        report,
    } = walk(op, pagination);
    let (read, add) = report.unzip();
    let docs = pages_doc(op, pagination);
    let (stream_prose, stream_example) = stream_doc(api, op, pagination, doc_tests);
    let stream_method = super::text::item(
        super::text::Place::CLIENT_IMPL,
        stream_text(op, pagination, (&stream_prose, stream_example.as_deref())),
        || {
            let prose = doc(&stream_prose);
            let example = stream_example.as_ref().map(|lines| {
                quote! { #[doc = ""] #(#[doc = #lines])* }
            });
            quote! {
                #prose
                #example
                pub fn #stream(&self, #(#args),*) -> impl runtime::paginate::Stream<Item = Result<#item_ty, runtime::Error<#error>>> + use<'_> {
                    runtime::paginate::items(self.#pages(#(#pass_on),*))
                }
            }
        },
    );
    let all_doc = all_doc(op, pagination);
    let all_method = super::text::item(
        super::text::Place::CLIENT_IMPL,
        all_text(op, pagination, &all_doc),
        || {
            let all_docs = doc(&all_doc);
            quote! {
                #all_docs
                pub async fn #all(&self, #(#args,)* limit: usize) -> Result<Vec<#item_ty>, runtime::Error<#error>> {
                    runtime::paginate::collect(self.#stream(#(#pass_on),*), limit).await
                }
            }
        },
    );
    quote! {
        #docs
        pub fn #pages(&self, #(#args),*) -> impl runtime::paginate::Stream<Item = Result<Vec<#item_ty>, runtime::Error<#error>>> + use<'_> {
            #(#own)*
            let params = params.clone();
            runtime::paginate::#function(#(#start,)* move |#at| {
                let mut params = params.clone();
                params.#param = #set;
                #(#per_call)*
                async move {
                    let body = self.#one(#(#pass,)* &params).await?;
                    #read
                    Ok(runtime::Page::new(#items)#add)
                }
            })
        }

        #stream_method
        #all_method
    }
}

/// What a style's stream stops at, for the docs.
fn stops(pagination: &Pagination) -> String {
    let (end, repeated) = match &pagination.style {
        PaginationStyle::Page { total_pages, .. } => (
            if total_pages.is_some() {
                "an empty page, at the last page the server reports"
            } else {
                "an empty page"
            },
            "",
        ),
        PaginationStyle::Offset { total_items, .. } => (
            if total_items.is_some() {
                "an empty page, once the offset reaches the number of items the server reports"
            } else {
                "an empty page"
            },
            "",
        ),
        PaginationStyle::Cursor { .. } => (
            "an empty page, after a page without a next cursor",
            " A cursor the server already gave in this walk ends it with \
             [`runtime::Error::RepeatedCursor`] instead of fetching pages again.",
        ),
    };
    format!(
        "It stops after {end} or after [`runtime::paginate::MAX_PAGES`] pages; the first \
         error is yielded and ends it.{repeated}"
    )
}

/// Where the walk starts, for the docs.
fn start(pagination: &Pagination) -> String {
    match &pagination.style {
        PaginationStyle::Page { param, first, .. } => {
            format!("from page `params.{param}` (or {first}) on, one call per page")
        }
        PaginationStyle::Offset { param, .. } => format!(
            "from item `params.{param}` (or 0) on, one call per page, each at the offset after \
             the items read so far"
        ),
        PaginationStyle::Cursor { param, .. } => format!(
            "from `params.{param}` (or the first page) on, one call per page, each with the \
             cursor the page before gave"
        ),
    }
}

fn pages_doc(op: &Operation, pagination: &Pagination) -> TokenStream {
    doc(&format!(
        "The pages of [`Client::{}`] as a stream of their items, {}.\n\nLazy: nothing is sent \
         until the stream is polled, and dropping it sends nothing more. {} For the items one \
         by one, see [`Client::{}`].",
        op.name,
        start(pagination),
        stops(pagination),
        pagination.stream,
    ))
}

fn all_doc(op: &Operation, pagination: &Pagination) -> String {
    format!(
        "At most `limit` items of [`Client::{}`], in order, collected from [`Client::{}`] \
         (which has an example): the pages are fetched until it has them or the server has no \
         more (`usize::MAX` for every item). The first error is returned instead.",
        op.name, pagination.stream,
    )
}

/// `<method>_all` as text (see `text`): its signature in the layouts the operations' methods
/// get (`method_text`), its one statement on a line; `None` where a line would not fit.
fn all_text(op: &Operation, pagination: &Pagination, doc: &str) -> Option<String> {
    const PLACE: super::text::Place = super::text::Place::CLIENT_IMPL;
    let (mut args, pass_on) = text_args(op);
    args.push("limit: usize".to_owned());
    let item = super::type_text(&pagination.item, Scope::Root);
    let error = format!("runtime::Error<types::{}>", op.error_type);
    let mut w = PLACE.writer();
    w.doc(0, doc);
    super::method_text::async_signature(
        &mut w,
        &pagination.all.name,
        &args,
        (&format!("Vec<{item}>"), &error),
    );
    w.line(
        1,
        &[
            "runtime::paginate::collect(self.",
            &pagination.stream.name,
            "(",
            &pass_on.join(", "),
            "), limit).await",
        ],
    );
    w.line(0, &["}"]);
    w.finish()
}

/// The docs of `<method>_stream`: its prose, and the lines of its example (in rustdoc's form,
/// after an empty line) when the crate's examples are on.
fn stream_doc(
    api: &Api,
    op: &Operation,
    pagination: &Pagination,
    doc_tests: super::DocTests<'_>,
) -> (String, Option<Vec<String>>) {
    let text = format!(
        "The items of [`Client::{}`], page after page, as a stream, {}.\n\nLazy: a page is \
         fetched when the items before it are used up, and dropping the stream (or leaving a \
         loop early) sends nothing more. {} [`Client::{}`] collects at most so many items; \
         [`Client::{}`] streams whole pages.",
        op.name,
        start(pagination),
        stops(pagination),
        pagination.all,
        pagination.pages,
    );
    let example = doc_tests
        .krate
        .and_then(|krate| stream_example(api, op, pagination, krate))
        .map(|lines| {
            ["# Example".to_owned(), String::new()]
                .into_iter()
                .chain(lines)
                .map(|l| if l.is_empty() { l } else { format!(" {l}") })
                .collect()
        });
    (text, example)
}

/// `<method>_stream` as text (see `text`), in the layouts prettyplease gives its signature:
/// the parameters a line each (when the signature up to `Stream<` does not fit), then
/// `Stream`'s argument on a line of its own, or that argument's `Result` broken too. `None` where the layout would be guessed or a line does not fit.
fn stream_text(
    op: &Operation,
    pagination: &Pagination,
    (prose, example): (&str, Option<&[String]>),
) -> Option<String> {
    const PLACE: super::text::Place = super::text::Place::CLIENT_IMPL;
    const TAIL: &str = " + use<'_> {";
    let (args, pass_on) = text_args(op);
    let item = super::type_text(&pagination.item, Scope::Root);
    let error = format!("runtime::Error<types::{}>", op.error_type);
    let stream = "impl runtime::paginate::Stream<";
    let mut w = PLACE.writer();
    w.doc(0, prose);
    if let Some(lines) = example {
        w.doc_line(0, "");
        for line in lines {
            w.doc_line(0, line);
        }
    }
    let head = format!(
        "pub fn {}(&self, {}) -> {stream}",
        pagination.stream,
        args.join(", ")
    );
    if head.len() <= w.room(0) {
        // The parameters may stay on one line (breaking `Stream<` instead): not modelled.
        return None;
    }
    w.line(0, &["pub fn ", &pagination.stream.name, "("]);
    w.line(1, &["&self,"]);
    for arg in &args {
        w.line(1, &[arg, ","]);
    }
    let result = format!("Result<{item}, {error}>");
    let returns = format!(") -> {stream}Item = {result}>{TAIL}");
    if returns.len() - TAIL.len() <= w.room(0) {
        // On one line (never with the runtime's paths, about 90 columns at least), or
        // whether the tail counts: not modelled.
        return None;
    } else {
        w.line(0, &[") -> ", stream]);
        let item_line = format!("Item = {result},");
        if item_line.len() <= w.room(1) {
            w.line(1, &[&item_line]);
        } else if item_line.len() - 1 <= w.room(1) {
            // Whether the comma counts: not modelled.
            return None;
        } else {
            w.line(1, &["Item = Result<"]);
            w.line(2, &[&item, ","]);
            w.line(2, &[&error, ","]);
            w.line(1, &[">,"]);
        }
        w.line(0, &[">", TAIL]);
    }
    w.line(
        1,
        &[
            "runtime::paginate::items(self.",
            &pagination.pages.name,
            "(",
            &pass_on.join(", "),
            "))",
        ],
    );
    w.line(0, &["}"]);
    w.finish()
}

/// The helpers' parameters as text (the path parameters, then `params`) and the names they
/// pass on, as `signature::path_args` spells them.
fn text_args(op: &Operation) -> (Vec<String>, Vec<String>) {
    let (mut args, mut pass_on): (Vec<String>, Vec<String>) = crate::surface::path_params(op)
        .map(|p| (super::signature::path_arg_text(p), p.name.name.clone()))
        .unzip();
    args.push(format!("params: &types::{}", op.params_type));
    pass_on.push("params".to_owned());
    (args, pass_on)
}

/// The operation's own example (see `docs::example_lines`) with its call replaced by a loop
/// over the stream and a call of `_all`; the hidden mock answers both (the spec's example page).
fn stream_example(
    api: &Api,
    op: &Operation,
    pagination: &Pagination,
    krate: &str,
) -> Option<Vec<String>> {
    let lines = super::example_lines(api, op, krate)?;
    let call = format!("let answer = client.{}(", op.name);
    let mock = format!("# server.{}().times(1).await;", op.name);
    let mut out = Vec::new();
    let mut skip_print = false;
    for (i, line) in lines.into_iter().enumerate() {
        if skip_print {
            skip_print = false;
            if line.starts_with("println!") {
                continue;
            }
        }
        if let Some(rest) = line.strip_prefix(&call) {
            let args = rest.strip_suffix(").await?;")?;
            let stream = &pagination.stream;
            let all = &pagination.all;
            out.extend([
                format!("let items = client.{stream}({args});"),
                "// Pages are fetched as the loop needs them; leaving it early fetches no more."
                    .to_owned(),
                "let mut items = std::pin::pin!(items);".to_owned(),
                "while let Some(item) = items.try_next().await? {".to_owned(),
                "    println!(\"{item:?}\");".to_owned(),
                "}".to_owned(),
                "// Or at most 100 items in a `Vec`.".to_owned(),
                format!("let first_100 = client.{all}({args}, 100).await?;"),
                "println!(\"{}\", first_100.len());".to_owned(),
            ]);
            skip_print = true;
            continue;
        }
        if line == mock {
            out.push(format!("# server.{}().times(2).await;", op.name));
            continue;
        }
        out.push(line);
        if i == 1 {
            out.push(format!("use {krate}::runtime::paginate::TryStreamExt;"));
        }
    }
    Some(out)
}
