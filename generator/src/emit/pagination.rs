//! The helpers of paginated operations (`x-pagination`): `<method>_all`.

use super::operations::path_args;
use super::{doc, in_types, type_tokens, Scope};
use crate::ir::{FieldStep, Operation};
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

/// `body` walked by reference along `steps` to an integer, as `Option<i64>`.
fn total_expr(steps: &[FieldStep]) -> TokenStream {
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
    if optional {
        quote!(#expr.map(|n| i64::from(*n)))
    } else {
        quote!(Some(i64::from(#expr)))
    }
}

/// `<method>_all`: every page of a paginated operation (`x-pagination`), concatenated.
pub(crate) fn paginated(op: &Operation) -> TokenStream {
    let Some(pagination) = &op.pagination else {
        return TokenStream::new();
    };
    let base = &op.name.name;
    let name = &pagination.method;
    let one = &op.name;
    let error = in_types(&op.error_type);
    let page_field = &pagination.page_param;
    let first_page = proc_macro2::Literal::i64_unsuffixed(pagination.first_page);
    let (mut args, mut pass) = path_args(op);
    let params_ty = in_types(&op.params_type);
    args.push(quote!(params: &#params_ty));
    pass.push(quote!(&params));
    let item_ty = type_tokens(&pagination.item, Scope::Root);
    let items_chain = items_expr(&pagination.items);
    let total = pagination.total_pages.as_ref().map(|path| {
        let total = total_expr(path);
        quote!(let total = #total;)
    });
    let total_check = pagination
        .total_pages
        .as_ref()
        .map(|_| quote!(|| total.is_some_and(|total| i64::from(page) >= total)));
    let docs = doc(&format!(
        "Every page of [`Client::{base}`], in order, concatenated: from `params.{}` (or page {}) on.\n\nStops after an empty page{}, or after 10,000 pages; the first error ends the walk.",
        pagination.page_param.name,
        pagination.first_page,
        if pagination.total_pages.is_some() { " or the last page the server reports" } else { "" },
    ));
    quote! {
        #docs
        pub async fn #name(&self, #(#args),*) -> Result<Vec<#item_ty>, runtime::Error<#error>> {
            let mut params = params.clone();
            let first = params.#page_field.unwrap_or(#first_page);
            let mut items = Vec::new();
            for page in (0..10_000).map_while(|n| first.checked_add(n)) {
                params.#page_field = Some(page);
                let body = self.#one(#(#pass),*).await?;
                #total
                let batch = #items_chain;
                let last = batch.is_empty() #total_check;
                items.extend(batch);
                if last {
                    break;
                }
            }
            Ok(items)
        }
    }
}
