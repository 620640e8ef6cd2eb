//! Responses -> the successful `ir::Response`s and the documented errors.

use crate::diagnostic::escape;
use crate::ir::{
    Encoding, Envelope, FailureTest, Ident, Operation, Response, Status, TypeDef, TypeKind, TypeRef,
};
use crate::lower::bodies::preferred;
use crate::lower::operation::OpLowering;
use crate::lower::{pointer, refs};
use crate::naming::{self, Scope};
use openapiv3::StatusCode;
use std::collections::BTreeMap;

/// The variant name of a status in an operation's error (or success) enum.
fn variant_for(status: Status) -> Ident {
    match status {
        Status::Code(code) => http::StatusCode::from_u16(code)
            .ok()
            .and_then(|s| s.canonical_reason())
            .map_or_else(|| Ident::new(format!("Status{code}")), naming::type_name),
        Status::Range(2) => Ident::new("Success"),
        Status::Range(3) => Ident::new("Redirection"),
        Status::Range(4) => Ident::new("ClientError"),
        Status::Range(5) => Ident::new("ServerError"),
        Status::Range(n) => Ident::new(format!("Status{n}xx")),
        Status::Default => Ident::new("Other"),
    }
}

impl OpLowering<'_, '_> {
    /// The documented responses: (successes, errors).
    pub fn responses(
        &mut self,
        mut envelope: Option<&mut Envelope>,
    ) -> (Vec<Response>, Vec<Response>) {
        let mut first_enveloped = true;
        let responses = &self.op.responses;
        let mut success = Vec::new();
        let mut errors = Vec::new();
        let mut variants = Scope::default();
        let mut entries: Vec<_> = responses
            .responses
            .iter()
            .map(|(code, r)| match code {
                StatusCode::Code(c) => (Status::Code(*c), c.to_string(), r),
                StatusCode::Range(n) => (Status::Range(*n), format!("{n}XX"), r),
            })
            .chain(
                responses
                    .default
                    .as_ref()
                    .map(|r| (Status::Default, "default".to_owned(), r)),
            )
            .collect();
        // An operation documented only by `default` (and errors): `default` covers the 2xx
        // statuses too, so it is also the success.
        let documents_success = entries
            .iter()
            .any(|(s, _, _)| matches!(s, Status::Code(200..=299) | Status::Range(2)));
        if let (false, Some(default)) = (documents_success, &responses.default) {
            entries.push((Status::Range(2), "default".to_owned(), default));
        }
        // A success that could not be read already says why the operation is skipped.
        let mut unread_success = false;
        for (status, key, response) in entries {
            let rat = format!("{}/responses/{key}", self.at);
            let is_success = matches!(status, Status::Code(200..=299) | Status::Range(2));
            let Some(response) = refs::resolve(self.doc, response, &rat, self.findings) else {
                unread_success |= is_success;
                continue;
            };
            let variant = variants.claim(variant_for(status));
            let hint = if is_success {
                format!("{}Response", self.stem)
            } else {
                format!("{}{}", self.stem, variant.name)
            };
            let chosen = preferred(&response.content);
            // Form-encoded responses are read as text; binary error bodies are kept as (lossy)
            // text: they are for reading, not for use.
            let encoding = match chosen.map(|(_, _, e)| e) {
                None => Encoding::Json,
                Some(Encoding::Form) => Encoding::Text,
                Some(Encoding::Binary) if !is_success => Encoding::Text,
                Some(e) => e,
            };
            let ty = chosen.map(|(media, content, _)| match (encoding, &content.schema) {
                (Encoding::Text, _) => TypeRef::String,
                (Encoding::Binary, _) => TypeRef::Bytes,
                (_, Some(schema)) => self.space.lower(
                    schema,
                    &hint,
                    &format!("{rat}/content/{}/schema", escape(media)),
                    self.findings,
                ),
                (_, None) => TypeRef::Json,
            });
            let ty = match (
                is_success,
                envelope
                    .as_deref_mut()
                    .filter(|_| encoding == Encoding::Json),
                ty,
            ) {
                (true, Some(envelope), Some(ty)) => {
                    // With several 2xx bodies, only what all of them require is required.
                    let required = self.required_pointers(&ty, envelope);
                    if first_enveloped {
                        envelope.required = required;
                        first_enveloped = false;
                    } else {
                        envelope.required.retain(|p| required.contains(p));
                    }
                    Some(self.payload_type(ty, &envelope.payload, &rat))
                }
                (_, _, ty) => ty,
            };
            let examples = chosen
                .map(|(_, content, _)| super::examples::of_media(self.doc, content))
                .unwrap_or_default();
            let example = super::examples::first_success(
                examples,
                is_success
                    .then_some(envelope.as_deref())
                    .flatten()
                    .and_then(|e| e.failure.as_ref()),
            );
            let entry = Response {
                status,
                variant,
                ty,
                encoding,
                doc: response.description.trim().to_owned(),
                // Decided by `schema::box_large_variants` once every type is known.
                boxed: false,
                example,
            };
            if is_success {
                success.push(entry);
            } else {
                errors.push(entry);
            }
        }
        if success.is_empty() && !unread_success {
            self.findings.unsupported(
                &format!("{}/responses", self.at),
                "no successful (2xx) response is documented",
                "document the success status, e.g. `'200'` or `'204'`",
            );
        }
        (success, errors)
    }

    /// The envelope's pointers that the body type `ty` requires at every step (each member
    /// in its object's `required` list), in the envelope's order, without repeats.
    fn required_pointers(&self, ty: &TypeRef, envelope: &Envelope) -> Vec<String> {
        let failure = envelope.failure.as_ref().map(|test| match test {
            FailureTest::Equals(pointer, _)
            | FailureTest::NotEquals(pointer, _)
            | FailureTest::Present(pointer) => pointer,
        });
        let candidates = failure
            .into_iter()
            .chain(std::iter::once(&envelope.payload))
            .chain(envelope.code.iter())
            .chain(envelope.message.iter())
            .chain(envelope.request_id.iter());
        let mut required: Vec<String> = Vec::new();
        for pointer in candidates {
            if !pointer.is_empty()
                && !required.contains(pointer)
                && pointer::is_required(self.space, ty, pointer)
            {
                required.push(pointer.clone());
            }
        }
        required
    }

    /// The type of the envelope's payload inside a (lowered) response body.
    fn payload_type(&mut self, ty: TypeRef, payload: &str, at: &str) -> TypeRef {
        match pointer::walk_fields(self.space, &ty, payload) {
            Some((_, found)) => found,
            None => {
                self.findings.error(
                    &format!("{at}/content"),
                    format!("the envelope's payload `{payload}` is not a property of this response's schema"),
                    "declare the payload property in the response schema (a named object), or set `x-envelope: none` on this operation",
                );
                TypeRef::Json
            }
        }
    }
}

/// Drops from success payloads the member whose presence marks a failure (`x-envelope` with
/// `failure: {pointer: <payload>/<member>, present: true}`): a body that has it is an error, so
/// on success the field would always be `None`. Only when every use of the payload's struct is
/// such a payload, so no other body can lose it.
pub fn drop_failure_members(types: &mut [TypeDef], operations: &[Operation]) {
    // (struct name, member) -> how many success payloads are that struct with that member
    // marking failure.
    let mut candidates: BTreeMap<(String, String), usize> = BTreeMap::new();
    for op in operations {
        let Some(Envelope {
            payload,
            failure: Some(FailureTest::Present(at)),
            ..
        }) = &op.envelope
        else {
            continue;
        };
        let Some(member) = at
            .strip_prefix(payload.as_str())
            .and_then(|rest| rest.strip_prefix('/'))
            .filter(|rest| !rest.contains('/'))
        else {
            continue;
        };
        for response in &op.success {
            if let Some(TypeRef::Named(name)) = &response.ty {
                *candidates
                    .entry((name.name.clone(), pointer::unescape(member)))
                    .or_default() += 1;
            }
        }
    }
    if candidates.is_empty() {
        return;
    }
    // Uses the API can produce: by the operations, and by the types they reach (a wrapper
    // the payload was taken out of is not among them).
    let mut uses: BTreeMap<String, usize> = BTreeMap::new();
    let mut roots: Vec<&TypeRef> = Vec::new();
    for op in operations {
        roots.extend(op.params.iter().map(|p| &p.ty));
        roots.extend(op.body.iter().map(|b| &b.ty));
        roots.extend(
            op.success
                .iter()
                .chain(&op.errors)
                .filter_map(|r| r.ty.as_ref()),
        );
    }
    let mut reached: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    let mut queue: Vec<String> = Vec::new();
    for ty in roots {
        count_named(ty, &mut uses, &mut queue);
    }
    while let Some(name) = queue.pop() {
        if !reached.insert(name.clone()) {
            continue;
        }
        let Some(def) = types.iter().find(|d| d.name.name == name) else {
            continue;
        };
        let mut count = |ty: &TypeRef| count_named(ty, &mut uses, &mut queue);
        match &def.kind {
            TypeKind::Struct { fields, .. } => fields.iter().for_each(|f| count(&f.ty)),
            TypeKind::Union { variants, .. } => variants.iter().for_each(|v| count(&v.ty)),
            TypeKind::Alias(ty) => count(ty),
            TypeKind::Enum { .. } | TypeKind::IntEnum { .. } => {}
        }
    }
    for ((name, member), payloads) in candidates {
        if uses.get(&name) != Some(&payloads) {
            continue;
        }
        let def = types.iter_mut().find(|d| d.name.name == name);
        if let Some(TypeDef {
            kind: TypeKind::Struct { fields, .. },
            ..
        }) = def
        {
            fields.retain(|f| f.wire != member);
        }
    }
}

/// Counts each named type `ty` mentions, and queues it to be walked.
fn count_named(ty: &TypeRef, uses: &mut BTreeMap<String, usize>, queue: &mut Vec<String>) {
    match ty {
        TypeRef::Named(name) => {
            *uses.entry(name.name.clone()).or_default() += 1;
            queue.push(name.name.clone());
        }
        TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Option(inner) => {
            count_named(inner, uses, queue);
        }
        _ => {}
    }
}
