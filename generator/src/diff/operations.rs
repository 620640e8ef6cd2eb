//! Changes to operations: the methods of `Client`, their `Params`, bodies, returns and errors.

use super::rust::{renamed, reordered, return_type, type_text, Renames};
use super::{pair_renames, Change, Rule};
use crate::ir::{Api, Operation, Param, ParamLocation};
use crate::surface::{
    caller_params, constructor, field_type as param_field_type, is_option, params_default,
    status_text,
};

/// Where an operation lives on the wire; an operation whose id changed but whose route did not
/// was renamed.
fn route(op: &Operation) -> String {
    let headers: Vec<String> = op
        .constant_headers
        .iter()
        .map(|(h, v)| format!("{h}: {v}"))
        .collect();
    let method = format!("{:?}", op.method).to_uppercase();
    if headers.is_empty() {
        format!("{method} {}", op.path)
    } else {
        format!("{method} {} ({})", op.path, headers.join(", "))
    }
}

fn method(op: &Operation) -> String {
    format!("`Client::{}`", op.name)
}

pub fn compare(old: &Api, new: &Api, renames: &Renames, out: &mut Vec<Change>) {
    let mut removed: Vec<&Operation> = old
        .operations
        .iter()
        .filter(|o| !new.operations.iter().any(|n| n.id == o.id))
        .collect();
    let mut added: Vec<&Operation> = new
        .operations
        .iter()
        .filter(|n| !old.operations.iter().any(|o| o.id == n.id))
        .collect();
    let pairs = pair_renames(&mut removed, &mut added, |a, b| route(a) == route(b));
    for op in &old.operations {
        if let Some(now) = new.operations.iter().find(|n| n.id == op.id) {
            compare_op(Pair { old, new }, op, now, renames, out);
        }
    }
    for (was, now) in pairs {
        out.push(Change::new(
            Rule::OperationRenamed,
            method(was),
            format!(
                "renamed to {} (`operationId` `{}` -> `{}`)",
                method(now),
                was.id,
                now.id
            ),
        ));
        compare_op(Pair { old, new }, was, now, renames, out);
    }
    for op in removed {
        out.push(Change::new(
            Rule::OperationRemoved,
            method(op),
            format!("removed (`{}`)", route(op)),
        ));
    }
    for op in added {
        out.push(Change::new(
            Rule::OperationAdded,
            method(op),
            format!("added (`{}`)", route(op)),
        ));
    }
}

/// The two APIs, for what operations refer to by index (security schemes).
#[derive(Clone, Copy)]
struct Pair<'a> {
    old: &'a Api,
    new: &'a Api,
}

fn compare_op(
    apis: Pair,
    old: &Operation,
    new: &Operation,
    renames: &Renames,
    out: &mut Vec<Change>,
) {
    let subject = method(new);
    let mut push = |rule, detail: String| out.push(Change::new(rule, subject.clone(), detail));
    if route(old) != route(new) {
        push(Rule::Route, format!("`{}` -> `{}`", route(old), route(new)));
    }
    if old.deprecated != new.deprecated {
        push(
            Rule::Deprecation,
            if new.deprecated {
                "deprecated".into()
            } else {
                "no longer deprecated".into()
            },
        );
    }
    if old.unverified != new.unverified {
        push(
            Rule::Unverified,
            match &new.unverified {
                Some(reason) => format!("marked unverified: {reason}"),
                None => "no longer marked unverified".into(),
            },
        );
    }
    if old.idempotent != new.idempotent {
        push(
            Rule::Retries,
            if new.idempotent {
                "now retried (idempotent)".into()
            } else {
                "no longer retried".into()
            },
        );
    }
    if old.rate_limit != new.rate_limit {
        push(
            Rule::RateLimit,
            format!("rate limit {:?} -> {:?}", old.rate_limit, new.rate_limit),
        );
    }
    if old.envelope != new.envelope {
        push(
            Rule::Envelope,
            format!("envelope {:?} -> {:?}", old.envelope, new.envelope),
        );
    }
    match (&old.pagination, &new.pagination) {
        (None, Some(p)) => push(
            Rule::PaginationAdded,
            format!("`{}`, `{}` and `{}` added", p.stream, p.pages, p.all),
        ),
        (Some(p), None) => push(
            Rule::PaginationRemoved,
            format!("`{}`, `{}` and `{}` removed", p.stream, p.pages, p.all),
        ),
        (Some(a), Some(b)) if a != b => push(
            Rule::PaginationChanged,
            format!("pagination {a:?} -> {b:?}"),
        ),
        _ => {}
    }
    compare_security(apis, old, new, &mut push);
    compare_params(old, new, renames, out);
    compare_body(old, new, renames, out);
    compare_responses(old, new, renames, out);
}

fn scheme_sets(api: &Api, op: &Operation) -> Vec<String> {
    op.security
        .iter()
        .map(|alternative| api.requirement_name(alternative, ""))
        .collect()
}

fn compare_security(
    apis: Pair,
    old: &Operation,
    new: &Operation,
    push: &mut impl FnMut(Rule, String),
) {
    let (was, now) = (scheme_sets(apis.old, old), scheme_sets(apis.new, new));
    if was == now && old.auth_optional == new.auth_optional {
        return;
    }
    let show = |keys: &[String], optional: bool| {
        let mut text = if keys.is_empty() {
            "none".to_owned()
        } else {
            keys.join(" or ")
        };
        if optional && !keys.is_empty() {
            text.push_str(" (optional)");
        }
        text
    };
    let detail = format!(
        "credentials {} -> {}",
        show(&was, old.auth_optional),
        show(&now, new.auth_optional)
    );
    let relaxed = new.auth_optional || (was.iter().all(|k| now.contains(k)) && !old.auth_optional);
    push(
        if relaxed {
            Rule::SecurityRelaxed
        } else {
            Rule::Security
        },
        detail,
    );
}

fn param_place(op: &Operation, p: &Param) -> String {
    match p.location {
        ParamLocation::Path => format!("argument `{}` of {}", p.name, method(op)),
        _ => format!("field `{}` of `{}`", p.name, op.params_type),
    }
}

fn compare_params(old: &Operation, new: &Operation, renames: &Renames, out: &mut Vec<Change>) {
    let same_param = |a: &Param, b: &Param| a.wire == b.wire && a.location == b.location;
    let mut removed: Vec<&Param> = old
        .params
        .iter()
        .filter(|p| !new.params.iter().any(|n| same_param(p, n)))
        .collect();
    let mut added: Vec<&Param> = new
        .params
        .iter()
        .filter(|n| !old.params.iter().any(|p| same_param(p, n)))
        .collect();
    let pairs = pair_renames(&mut removed, &mut added, |a, b| {
        a.location == b.location && a.required == b.required && renamed(&a.ty, renames) == b.ty
    });
    for (was, now) in pairs {
        out.push(Change::new(
            Rule::ParamRenamed,
            param_place(old, was),
            format!(
                "renamed to `{}` (`{}` -> `{}` on the wire)",
                now.name, was.wire, now.wire
            ),
        ));
    }
    for p in removed {
        out.push(Change::new(
            Rule::ParamRemoved,
            param_place(old, p),
            format!("removed ({:?} `{}`)", p.location, p.wire),
        ));
    }
    let had_params = params_default(old).is_some();
    for p in added {
        let required = if p.required { "required" } else { "optional" };
        let field_ty = param_field_type(&p.ty, p.required);
        let rule = if p.location == ParamLocation::Path || !is_option(&field_ty) {
            Rule::RequiredParamAdded
        } else if !had_params {
            Rule::ParamsAdded
        } else {
            Rule::ParamAdded
        };
        let ty = type_text(&field_ty);
        out.push(Change::new(
            rule,
            param_place(new, p),
            format!("added, {required} {:?} `{}`: `{ty}`", p.location, p.wire),
        ));
    }
    let arguments = |op: &Operation| {
        constructor(caller_params(op).map(|p| (&p.name, param_field_type(&p.ty, p.required))))
    };
    if let Some((was, now)) = reordered(&arguments(old), &arguments(new)) {
        out.push(Change::new(
            Rule::ConstructorOrder,
            format!("`{}::new`", new.params_type),
            format!("arguments `{was}` -> `{now}`"),
        ));
    }
    for was in &old.params {
        let Some(now) = new.params.iter().find(|n| same_param(was, n)) else {
            continue;
        };
        let old_ty = param_field_type(&renamed(&was.ty, renames), was.required);
        let new_ty = param_field_type(&now.ty, now.required);
        if was.required != now.required {
            let how = if now.required {
                "now required"
            } else {
                "now optional"
            };
            out.push(Change::new(
                Rule::ParamRequirement,
                param_place(new, now),
                format!(
                    "{how}: `{}` -> `{}`",
                    type_text(&old_ty),
                    type_text(&new_ty)
                ),
            ));
        } else if old_ty != new_ty {
            out.push(Change::new(
                Rule::ParamType,
                param_place(new, now),
                format!("`{}` -> `{}`", type_text(&old_ty), type_text(&new_ty)),
            ));
        }
        if was.deprecated != now.deprecated {
            let how = if now.deprecated {
                "deprecated"
            } else {
                "no longer deprecated"
            };
            out.push(Change::new(Rule::Deprecation, param_place(new, now), how));
        }
    }
    let params_type = &new.params_type;
    let params = format!("`{params_type}`");
    match (params_default(old), params_default(new)) {
        (Some(true), Some(false)) => out.push(Change::new(
            Rule::DefaultLost,
            params,
            format!("no longer derives `Default`: `{params_type}::default()` stops compiling"),
        )),
        (Some(false), Some(true)) => out.push(Change::new(
            Rule::DefaultGained,
            params,
            "now derives `Default`",
        )),
        _ => {}
    }
}

fn compare_body(old: &Operation, new: &Operation, renames: &Renames, out: &mut Vec<Change>) {
    let subject = format!("body of {}", method(new));
    let text = |ty: &crate::ir::TypeRef, required: bool| {
        let ty = type_text(ty);
        if required {
            format!("&{ty}")
        } else {
            format!("Option<&{ty}>")
        }
    };
    match (&old.body, &new.body) {
        (None, Some(b)) => out.push(Change::new(
            Rule::BodyAdded,
            subject,
            format!("added: `body: {}`", text(&b.ty, b.required)),
        )),
        (Some(_), None) => out.push(Change::new(Rule::BodyRemoved, subject, "removed")),
        (Some(a), Some(b)) => {
            let was = text(&renamed(&a.ty, renames), a.required);
            let now = text(&b.ty, b.required);
            if was != now || a.encoding != b.encoding {
                out.push(Change::new(
                    Rule::BodyChanged,
                    subject,
                    format!("`{was}` ({}) -> `{now}` ({})", a.media, b.media),
                ));
            }
        }
        (None, None) => {}
    }
}

fn compare_responses(old: &Operation, new: &Operation, renames: &Renames, out: &mut Vec<Change>) {
    let subject = method(new);
    let (was, now) = (return_type(old, renames), return_type(new, &Renames::new()));
    let statuses = |op: &Operation| {
        op.success
            .iter()
            .map(|r| status_text(r.status))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if let Some(added) = success_variants_added(old, new, renames) {
        for (variant, status) in added {
            out.push(Change::new(
                Rule::SuccessAdded,
                format!("`{}`", new.success_type),
                format!("variant `{variant}` ({status}) added"),
            ));
        }
    } else if was != now {
        out.push(Change::new(
            Rule::ReturnType,
            subject.clone(),
            format!(
                "returns `{now}` instead of `{was}` (success {} -> {})",
                statuses(old),
                statuses(new)
            ),
        ));
    } else if statuses(old) != statuses(new) {
        out.push(Change::new(
            Rule::SuccessStatus,
            subject.clone(),
            format!("success statuses {} -> {}", statuses(old), statuses(new)),
        ));
    }
    let errors = format!("`{}`", new.error_type);
    for r in &old.errors {
        match new.errors.iter().find(|n| n.status == r.status) {
            None => out.push(Change::new(
                Rule::ErrorRemoved,
                errors.clone(),
                format!(
                    "variant `{}` ({}) removed",
                    r.variant,
                    status_text(r.status)
                ),
            )),
            Some(n) if n.variant != r.variant => out.push(Change::new(
                Rule::ErrorRemoved,
                errors.clone(),
                format!(
                    "variant `{}` ({}) renamed to `{}`",
                    r.variant,
                    status_text(r.status),
                    n.variant
                ),
            )),
            Some(n) => {
                let (a, b) = (r.ty.as_ref().map(|t| renamed(t, renames)), n.ty.clone());
                if a != b {
                    let show = |t: &Option<crate::ir::TypeRef>| {
                        t.as_ref().map_or("no body".to_owned(), type_text)
                    };
                    out.push(Change::new(
                        Rule::ErrorBody,
                        errors.clone(),
                        format!(
                            "variant `{}` carries `{}` instead of `{}`",
                            n.variant,
                            show(&b),
                            show(&a)
                        ),
                    ));
                }
            }
        }
    }
    for r in &new.errors {
        if !old.errors.iter().any(|o| o.status == r.status) {
            out.push(Change::new(
                Rule::ErrorAdded,
                errors.clone(),
                format!("variant `{}` ({}) added", r.variant, status_text(r.status)),
            ));
        }
    }
}

/// When both versions return the operation's success enum and the new one only adds variants
/// to it: the added (variant, status) pairs.
fn success_variants_added(
    old: &Operation,
    new: &Operation,
    renames: &Renames,
) -> Option<Vec<(String, String)>> {
    let several = |op: &Operation| op.success.windows(2).any(|w| w[0].ty != w[1].ty);
    if !(several(old) && several(new)) || old.success_type != new.success_type {
        return None;
    }
    let arm = |r: &crate::ir::Response, renames: &Renames| {
        (
            r.variant.to_string(),
            r.ty.as_ref().map(|t| renamed(t, renames)),
        )
    };
    let was: Vec<_> = old.success.iter().map(|r| arm(r, renames)).collect();
    let now: Vec<_> = new
        .success
        .iter()
        .map(|r| arm(r, &Renames::new()))
        .collect();
    if !was.iter().all(|a| now.contains(a)) || was.len() == now.len() {
        return None;
    }
    Some(
        new.success
            .iter()
            .filter(|r| !was.contains(&arm(r, &Renames::new())))
            .map(|r| (r.variant.to_string(), status_text(r.status)))
            .collect(),
    )
}
