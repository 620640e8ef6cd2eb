//! `x-pagination` -> `ir::Pagination`: the page parameter and the paths to the items and the
//! page count in the payload.

use crate::ir::{FieldStep, Ident, Pagination, Param, ParamLocation, Response, TypeRef};
use crate::lower::ext;
use crate::lower::operation::OpLowering;
use crate::lower::pointer;

fn plain(ty: &TypeRef) -> &TypeRef {
    match ty {
        TypeRef::Option(inner) => inner,
        other => other,
    }
}

impl OpLowering<'_, '_> {
    /// The operation's pagination, checked against its parameters and success payload.
    pub fn pagination(&mut self, params: &[Param], success: &[Response]) -> Option<Pagination> {
        let (page, first, items, total) =
            ext::pagination(&self.op.extensions, &self.at, self.findings)?;
        let at = format!("{}/x-pagination", self.at);
        let param = params
            .iter()
            .find(|p| p.wire == page && p.location == ParamLocation::Query)
            .filter(|p| !p.required && matches!(p.ty, TypeRef::I32 | TypeRef::I64));
        let Some(param) = param else {
            self.findings.error(
                &format!("{at}/page-param"),
                format!("`{page}` is not an optional integer query parameter of this operation"),
                "name the optional integer query parameter that selects the page",
            );
            return None;
        };
        if success.windows(2).any(|w| w[0].ty != w[1].ty) {
            self.findings.error(
                &at,
                "paginated operations must have one success body type",
                "document the pages' body once (one 2xx response, or the same schema for each)",
            );
            return None;
        }
        let payload = success.iter().find_map(|r| r.ty.clone());
        let (items_path, items_ty) = self.walk(payload.as_ref(), &items, &at, "items")?;
        let TypeRef::Vec(item) = plain(&items_ty).clone() else {
            self.findings.error(
                &format!("{at}/items"),
                format!("`{items}` is not an array property of the payload"),
                "point at the array of items, e.g. `/data`",
            );
            return None;
        };
        if items_path.is_empty() {
            self.findings.error(
                &format!("{at}/items"),
                "`items` must point into the payload",
                "point at the array of items, e.g. `/data`",
            );
            return None;
        }
        let total_pages = match total {
            None => None,
            Some(total) => {
                let (path, ty) = self.walk(payload.as_ref(), &total, &at, "total-pages")?;
                if !matches!(plain(&ty), TypeRef::I32 | TypeRef::I64) || path.is_empty() {
                    self.findings.error(
                        &format!("{at}/total-pages"),
                        format!("`{total}` is not an integer property of the payload"),
                        "point at the total number of pages",
                    );
                    return None;
                }
                Some(path)
            }
        };
        if self.op.request_body.is_some() {
            self.findings.error(
                &at,
                "paginated operations with a request body are not supported",
                "paginate a GET-style operation whose inputs are parameters",
            );
            return None;
        }
        Some(Pagination {
            // Named in `operation::lower_all`, once every operation has its name.
            method: Ident::new(String::new()),
            page_param: param.name.clone(),
            first_page: first,
            items: items_path,
            item: *item,
            total_pages,
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
