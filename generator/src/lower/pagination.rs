//! `x-pagination` -> `ir::Pagination`: the parameter that selects a page (page number, offset
//! or cursor), checked against the operation's parameters, and the paths to the items and to
//! what says where the pages end (total pages, total items, next cursor), checked against its
//! success payload.

use crate::ir::{
    FieldStep, Ident, Pagination, PaginationStyle, Param, ParamLocation, Response, Total, TypeRef,
};
use crate::load::ext::{self, PaginationKeysStyle};
use crate::lower::operation::OpLowering;
use crate::lower::pointer;

fn plain(ty: &TypeRef) -> &TypeRef {
    match ty {
        TypeRef::Option(inner) => inner,
        other => other,
    }
}

fn integer(ty: &TypeRef) -> bool {
    matches!(plain(ty), TypeRef::I32 | TypeRef::I64)
}

fn text(ty: &TypeRef) -> bool {
    matches!(plain(ty), TypeRef::String)
}

impl OpLowering<'_, '_> {
    /// The operation's pagination, checked against its parameters and success payload.
    pub fn pagination(&mut self, params: &[Param], success: &[Response]) -> Option<Pagination> {
        let keys = ext::pagination(&self.op.extensions, &self.at, self.findings)?;
        let at = format!("{}/x-pagination", self.at);
        if crate::surface::several_successes(success) {
            self.findings.error(
                &at,
                "paginated operations must have one success body type",
                "document the pages' body once (one 2xx response, or the same schema for each)",
            );
            return None;
        }
        if self.op.request_body.is_some() {
            self.findings.error(
                &at,
                "paginated operations with a request body are not supported",
                "paginate a GET-style operation whose inputs are parameters",
            );
            return None;
        }
        let payload = success.iter().find_map(|r| r.ty.clone());
        // Both halves are checked, so every finding is reported at once.
        let style = self.style(keys.style, params, payload.as_ref(), &at);
        let items = self.items(payload.as_ref(), &keys.items, &at);
        let (style, (items_path, item)) = (style?, items?);
        Some(Pagination {
            // Named in `operation::lower_all`, once every operation has its name.
            pages: Ident::new(String::new()),
            stream: Ident::new(String::new()),
            all: Ident::new(String::new()),
            style,
            items: items_path,
            item,
        })
    }

    /// The style, its parameter checked against the operation's and its pointers against the
    /// payload.
    fn style(
        &mut self,
        keys: PaginationKeysStyle,
        params: &[Param],
        payload: Option<&TypeRef>,
        at: &str,
    ) -> Option<PaginationStyle> {
        Some(match keys {
            PaginationKeysStyle::Page {
                param,
                first,
                total,
            } => {
                let param = self.selector(params, &param, at, "page-param", integer);
                let total_pages = match total {
                    Some(total) => Some(self.integer_path(payload, &total, at, "total-pages")?),
                    None => None,
                };
                PaginationStyle::Page {
                    param: param?,
                    first,
                    total_pages,
                }
            }
            PaginationKeysStyle::Offset { param, total } => {
                let param = self.selector(params, &param, at, "offset-param", integer);
                let total_items = match total {
                    Some(total) => Some(self.integer_path(payload, &total, at, "total-items")?),
                    None => None,
                };
                PaginationStyle::Offset {
                    param: param?,
                    total_items,
                }
            }
            PaginationKeysStyle::Cursor { param, next } => {
                let param = self.selector(params, &param, at, "cursor-param", text);
                let (path, ty) = self.walk(payload, &next, at, "next-cursor")?;
                if !text(&ty) || path.is_empty() {
                    self.findings.error(
                        &format!("{at}/next-cursor"),
                        format!("`{next}` is not a string property of the payload"),
                        "point at the cursor of the next page, e.g. `/next_cursor`",
                    );
                    return None;
                }
                PaginationStyle::Cursor {
                    param: param?,
                    next: path,
                }
            }
        })
    }

    /// The path to the array of items in the payload, and the type of one item.
    fn items(
        &mut self,
        payload: Option<&TypeRef>,
        items: &str,
        at: &str,
    ) -> Option<(Vec<FieldStep>, TypeRef)> {
        let (path, ty) = self.walk(payload, items, at, "items")?;
        let TypeRef::Vec(item) = plain(&ty).clone() else {
            self.findings.error(
                &format!("{at}/items"),
                format!("`{items}` is not an array property of the payload"),
                "point at the array of items, e.g. `/data`",
            );
            return None;
        };
        if path.is_empty() {
            self.findings.error(
                &format!("{at}/items"),
                "`items` must point into the payload",
                "point at the array of items, e.g. `/data`",
            );
            return None;
        }
        Some((path, *item))
    }

    /// The Rust name of the optional query parameter `wire` that selects the page, when its
    /// type passes `fits` (integer for page numbers and offsets, string for cursors).
    fn selector(
        &mut self,
        params: &[Param],
        wire: &str,
        at: &str,
        key: &str,
        fits: fn(&TypeRef) -> bool,
    ) -> Option<Ident> {
        let found = params
            .iter()
            .find(|p| p.wire == wire && p.location == ParamLocation::Query)
            .filter(|p| !p.required && !matches!(p.ty, TypeRef::Option(_)) && fits(&p.ty));
        if found.is_none() {
            let kind = if fits(&TypeRef::String) {
                "string"
            } else {
                "integer"
            };
            self.findings.error(
                &format!("{at}/{key}"),
                format!("`{wire}` is not an optional {kind} query parameter of this operation"),
                format!("name the optional {kind} query parameter that selects the page"),
            );
        }
        found.map(|p| p.name.clone())
    }

    /// The path to an integer (a total) in the payload.
    fn integer_path(
        &mut self,
        payload: Option<&TypeRef>,
        target: &str,
        at: &str,
        key: &str,
    ) -> Option<Total> {
        let (path, ty) = self.walk(payload, target, at, key)?;
        if !integer(&ty) || path.is_empty() {
            let what = if key == "total-pages" {
                "pages"
            } else {
                "items"
            };
            self.findings.error(
                &format!("{at}/{key}"),
                format!("`{target}` is not an integer property of the payload"),
                format!("point at the total number of {what}"),
            );
            return None;
        }
        Some(Total {
            path,
            wide: matches!(plain(&ty), TypeRef::I64),
        })
    }

    /// Walks `target` through the payload, reporting at `{at}/{key}` when it does not lead
    /// anywhere.
    fn walk(
        &mut self,
        payload: Option<&TypeRef>,
        target: &str,
        at: &str,
        key: &str,
    ) -> Option<(Vec<FieldStep>, TypeRef)> {
        let found = payload.and_then(|p| pointer::walk_fields(self.space, p, target));
        if found.is_none() && payload.is_some() {
            self.findings.error(
                &format!("{at}/{key}"),
                format!("`{target}` is not a property path of this operation's payload"),
                "point at properties of the (enveloped) success body",
            );
        }
        found
    }
}
