//! Request bodies -> `ir::Body`, and the choice of media type shared with responses.

use crate::diagnostic::escape;
use crate::ir::{Body, Encoding, TypeRef};
use crate::lower::operation::OpLowering;
use crate::lower::refs;
use openapiv3::{MediaType, ReferenceOr, RequestBody};

/// How a media type is encoded.
pub fn encoding_of(media: &str) -> Encoding {
    let essence = media
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if essence == "application/json" || essence.ends_with("+json") {
        Encoding::Json
    } else if essence == "application/x-www-form-urlencoded" {
        Encoding::Form
    } else if essence.starts_with("text/") {
        Encoding::Text
    } else {
        Encoding::Binary
    }
}

/// The media type to use when several are offered: JSON, then form, text, binary.
pub fn preferred(
    content: &indexmap::IndexMap<String, MediaType>,
) -> Option<(&String, &MediaType, Encoding)> {
    let rank = |e: Encoding| match e {
        Encoding::Json => 0,
        Encoding::Form => 1,
        Encoding::Text => 2,
        Encoding::Binary => 3,
    };
    content
        .iter()
        .map(|(m, c)| (m, c, encoding_of(m)))
        .min_by_key(|(_, _, e)| rank(*e))
}

impl OpLowering<'_, '_> {
    /// The request body, or `None` (reported) when it cannot be sent.
    pub fn body(&mut self, body: &ReferenceOr<RequestBody>) -> Option<Body> {
        let at = format!("{}/requestBody", self.at);
        let body = refs::resolve(self.doc, body, &at, self.findings)?;
        let Some((media, content, encoding)) = preferred(&body.content) else {
            self.findings.error(
                &format!("{at}/content"),
                "the request body has no media type",
                "add `content: {application/json: {schema: ...}}`",
            );
            return None;
        };
        if media.contains('*') {
            self.findings.unsupported(
                &format!("{at}/content"),
                format!("wildcard media type `{media}` for a request body"),
                "name the media type the server accepts, e.g. `application/json`",
            );
            return None;
        }
        let schema_at = format!("{at}/content/{}/schema", escape(media));
        let ty = match encoding {
            Encoding::Text => TypeRef::String,
            Encoding::Binary => TypeRef::Bytes,
            Encoding::Json | Encoding::Form => match &content.schema {
                Some(schema) => self.space.lower(
                    schema,
                    &format!("{}Request", self.stem),
                    &schema_at,
                    self.findings,
                ),
                None => TypeRef::Json,
            },
        };
        if encoding == Encoding::Form && !matches!(ty, TypeRef::Named(_)) {
            self.findings.unsupported(
                &schema_at,
                "a form body must be an object schema",
                "describe the form fields as the properties of one object",
            );
        }
        Some(Body {
            ty,
            required: body.required,
            media: media.clone(),
            encoding,
            doc: body.description.clone().map(|d| d.trim().to_owned()),
            example: super::examples::of_request(self.doc, content),
        })
    }
}
