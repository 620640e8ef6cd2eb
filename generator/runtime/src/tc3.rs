//! TC3-HMAC-SHA256 request signing (Tencent Cloud API 3.0, "signature v3").
//!
//! Tencent routes every call to `POST /` and picks the operation from the
//! `X-TC-Action` header, so the signature is the only thing that ties a body to
//! an action and a point in time. The algorithm, as implemented by the official
//! SDKs and shown in the official worked example:
//!
//! 1. `CanonicalRequest = Method\nURI\nQuery\nCanonicalHeaders\nSignedHeaders\nhex(SHA256(payload))`
//! 2. `StringToSign = "TC3-HMAC-SHA256"\nTimestamp\n<UTC date>/<service>/tc3_request\nhex(SHA256(CanonicalRequest))`
//! 3. `kDate = HMAC("TC3" + SecretKey, date)`, `kService = HMAC(kDate, service)`,
//!    `kSigning = HMAC(kService, "tc3_request")`, `Signature = hex(HMAC(kSigning, StringToSign))`
//! 4. `Authorization = "TC3-HMAC-SHA256 Credential=<SecretId>/<scope>, SignedHeaders=<h>, Signature=<sig>"`
//!
//! Every intermediate value is returned in [`Tc3Signature`] so that a failing
//! `AuthFailure.SignatureFailure` can be debugged step by step against the
//! official example, and so the unit tests below can pin each step.

use chrono::Datelike as _;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use smallvec::SmallVec;
use std::fmt::Write as _;
use std::ops::Range;

/// Algorithm name; it opens both the `StringToSign` and the `Authorization` header.
pub const ALGORITHM: &str = "TC3-HMAC-SHA256";

/// Fixed last component of the credential scope and last HMAC input of the key chain.
const SCOPE_TERMINATOR: &str = "tc3_request";

/// The only header whose *value* Tencent lowercases before signing
/// (official doc example: `X-TC-Action: DescribeInstances` is signed as
/// `x-tc-action:describeinstances`). Other values are signed as sent.
const ACTION_HEADER: &str = "x-tc-action";

/// Inputs of one signature; borrowed so signing allocates little.
#[derive(Debug, Clone, Copy)]
pub struct Tc3Request<'a> {
    /// HTTP method exactly as sent, e.g. `"POST"`.
    pub method: &'a str,
    /// Always `"/"` for Tencent Cloud API 3.0.
    pub canonical_uri: &'a str,
    /// Already RFC 3986-encoded query string; `""` for POST.
    pub canonical_query: &'a str,
    /// Headers to sign as `(name, value)`, in any case and order. Names are
    /// lowercased and sorted; values are trimmed, and the `x-tc-action` value is
    /// lowercased as Tencent does. Must include `content-type` and `host` with
    /// exactly the values that are sent; names must be unique.
    pub headers: &'a [(&'a str, &'a str)],
    /// Exact body bytes that will be sent (`b""` for GET). To use Tencent's
    /// `X-TC-Content-SHA256: UNSIGNED-PAYLOAD` option, pass `b"UNSIGNED-PAYLOAD"`.
    pub payload: &'a [u8],
    /// Service name of the credential scope, e.g. `"vod"` or `"cvm"`.
    pub service: &'a str,
    /// Unix seconds, the same value as sent in `X-TC-Timestamp`; the credential
    /// date is its **UTC** date.
    pub timestamp: i64,
}

/// Result of [`sign`]: the header to send plus every intermediate string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tc3Signature {
    /// Full value of the `Authorization` header.
    pub authorization: String,
    /// Lowercase hex HMAC-SHA256 of `string_to_sign` under the derived key.
    pub signature: String,
    /// Lowercased, sorted header names joined with `;`.
    pub signed_headers: String,
    /// Canonical request text (lines joined with `\n`, no trailing newline).
    pub canonical_request: String,
    /// String to sign (lines joined with `\n`, no trailing newline).
    pub string_to_sign: String,
    /// `<YYYY-MM-DD>/<service>/tc3_request`.
    pub credential_scope: String,
    /// Lowercase hex SHA-256 of the payload (`HashedRequestPayload`).
    pub hashed_payload: String,
}

/// Signs one request with a TC3-HMAC-SHA256 credential.
///
/// The caller must send the signed headers with the very values given here,
/// plus `X-TC-Timestamp: <req.timestamp>` and `Authorization: <authorization>`.
#[must_use]
pub fn sign(secret_id: &str, secret_key: &str, req: &Tc3Request<'_>) -> Tc3Signature {
    let date = utc_date(req.timestamp);
    let signing_key = derive_signing_key(secret_key, &date, req.service);
    let scope = credential_scope(&date, req.service);
    sign_with(secret_id, &keyed(&signing_key), &scope, req)
}

/// Signed headers kept on the stack (Tencent signs three); more spill to the heap.
pub(crate) const SIGNED_INLINE: usize = 8;

/// Seconds in a UTC day: Unix time counts no leap seconds.
pub(crate) const SECONDS_PER_DAY: i64 = 86_400;

/// `<date>/<service>/tc3_request`.
pub(crate) fn credential_scope(date: &str, service: &str) -> String {
    [date, "/", service, "/", SCOPE_TERMINATOR].concat()
}

/// An HMAC-SHA256 state keyed with a day's signing key, ready to sign one `StringToSign`.
pub(crate) type KeyedMac = Hmac<Sha256>;

/// The HMAC state for `signing_key`.
pub(crate) fn keyed(signing_key: &[u8; 32]) -> KeyedMac {
    // HMAC takes keys of any length: the `InvalidLength` error cannot happen.
    Hmac::<Sha256>::new_from_slice(signing_key).expect("HMAC-SHA256 accepts keys of any length")
}

/// [`sign`] with the day's signing key already derived and keyed, and its credential scope
/// (both for the UTC date of `req.timestamp`).
fn sign_with(
    secret_id: &str,
    signing_key: &KeyedMac,
    credential_scope: &str,
    req: &Tc3Request<'_>,
) -> Tc3Signature {
    let signed = sign_text(secret_id, signing_key, credential_scope, req);
    let part = |range: &Range<usize>| signed.text[range.clone()].to_owned();
    Tc3Signature {
        authorization: part(&signed.authorization),
        signature: part(&signed.signature),
        signed_headers: part(&signed.signed_headers),
        canonical_request: part(&signed.canonical_request),
        string_to_sign: part(&signed.string_to_sign),
        credential_scope: credential_scope.to_owned(),
        hashed_payload: part(&signed.hashed_payload),
    }
}

/// The texts of one signature, written one after another into a single buffer: one
/// allocation per signed call rather than one per text. Each field is a range of `text`.
pub(crate) struct SignedText {
    pub(crate) text: String,
    canonical_request: Range<usize>,
    signed_headers: Range<usize>,
    hashed_payload: Range<usize>,
    string_to_sign: Range<usize>,
    pub(crate) authorization: Range<usize>,
    signature: Range<usize>,
}

/// The algorithm itself (steps 1 to 4 of the module's summary).
pub(crate) fn sign_text(
    secret_id: &str,
    signing_key: &KeyedMac,
    credential_scope: &str,
    req: &Tc3Request<'_>,
) -> SignedText {
    let mut headers: SmallVec<[(std::borrow::Cow<'_, str>, &str); SIGNED_INLINE]> = req
        .headers
        .iter()
        .map(|(name, value)| (lower_name(name), value.trim()))
        .collect();
    headers.sort_by(|a, b| a.0.cmp(&b.0));
    let header_text: usize = headers.iter().map(|(n, v)| 2 * n.len() + v.len() + 3).sum();
    let fixed = req.method.len() + req.canonical_uri.len() + req.canonical_query.len();
    // Every text below, hex digests included, so that the buffer never grows.
    let mut text = String::with_capacity(
        fixed + 2 * header_text + secret_id.len() + 2 * credential_scope.len() + 4 * 64 + 128,
    );

    // 1. CanonicalRequest
    for part in [
        req.method,
        "\n",
        req.canonical_uri,
        "\n",
        req.canonical_query,
        "\n",
    ] {
        text.push_str(part);
    }
    for (name, value) in &headers {
        text.push_str(name);
        text.push(':');
        let start = text.len();
        text.push_str(value);
        if name == ACTION_HEADER {
            text[start..].make_ascii_lowercase();
        }
        text.push('\n');
    }
    text.push('\n');
    let signed_headers = push_names(&mut text, &headers);
    text.push('\n');
    let hashed_payload = push_hex(&mut text, &Sha256::digest(req.payload).into());
    let canonical_request = 0..text.len();
    let canonical_hash: [u8; 32] = Sha256::digest(text.as_bytes()).into();

    // 2. StringToSign
    let start = text.len();
    text.push_str(ALGORITHM);
    text.push('\n');
    // Writing to a `String` cannot fail.
    let _ = write!(text, "{}", req.timestamp);
    text.push('\n');
    text.push_str(credential_scope);
    text.push('\n');
    push_hex(&mut text, &canonical_hash);
    let string_to_sign = start..text.len();

    // 3. Signature
    let mut mac = signing_key.clone();
    mac.update(text[string_to_sign.clone()].as_bytes());
    let signature: [u8; 32] = mac.finalize().into_bytes().into();

    // 4. Authorization, which ends with the signature's hex.
    let start = text.len();
    for part in [
        ALGORITHM,
        " Credential=",
        secret_id,
        "/",
        credential_scope,
        ", SignedHeaders=",
    ] {
        text.push_str(part);
    }
    push_names(&mut text, &headers);
    text.push_str(", Signature=");
    let signature = push_hex(&mut text, &signature);
    SignedText {
        authorization: start..text.len(),
        text,
        canonical_request,
        signed_headers,
        hashed_payload,
        string_to_sign,
        signature,
    }
}

/// `SignedHeaders`: the lower-cased, sorted names joined with `;`.
fn push_names(text: &mut String, headers: &[(std::borrow::Cow<'_, str>, &str)]) -> Range<usize> {
    let start = text.len();
    for (i, (name, _)) in headers.iter().enumerate() {
        if i > 0 {
            text.push(';');
        }
        text.push_str(name);
    }
    start..text.len()
}

/// Appends the lowercase hex of a digest (`hex::encode` would allocate a string of its own).
fn push_hex(text: &mut String, digest: &[u8; 32]) -> Range<usize> {
    let mut hex = [0_u8; 64];
    // 64 bytes for 32: the only error, a buffer of another length, cannot happen.
    let _ = hex::encode_to_slice(digest, &mut hex);
    let start = text.len();
    // Hex digits are ASCII, so this is always the text.
    text.push_str(std::str::from_utf8(&hex).unwrap_or_default());
    start..text.len()
}

/// Derives the per-day, per-service signing key
/// (`kDate` → `kService` → `kSigning`).
///
/// The key depends only on the secret, the UTC date and the service, so a
/// caller signing many requests may cache it for the day.
#[must_use]
pub fn derive_signing_key(secret_key: &str, date: &str, service: &str) -> [u8; 32] {
    let mut root = Vec::with_capacity(3 + secret_key.len());
    root.extend_from_slice(b"TC3");
    root.extend_from_slice(secret_key.as_bytes());

    let k_date = hmac_sha256(&root, date.as_bytes());
    let k_service = hmac_sha256(&k_date, service.as_bytes());
    hmac_sha256(&k_service, SCOPE_TERMINATOR.as_bytes())
}

/// UTC calendar date `YYYY-MM-DD` of a Unix timestamp.
///
/// Tencent rejects a scope whose date is not the UTC date of `X-TC-Timestamp`,
/// so local time must never leak in. A timestamp outside chrono's range
/// (about ±262,000 years) gives an empty date, which Tencent would reject.
#[must_use]
pub fn utc_date(timestamp: i64) -> String {
    match chrono::DateTime::from_timestamp(timestamp, 0) {
        // Written by hand rather than through `format("%Y-%m-%d")`: this runs on every
        // signed call, and the format parser costs more than the date itself.
        Some(at) => {
            let date = at.date_naive();
            format!("{:04}-{:02}-{:02}", date.year(), date.month(), date.day())
        }
        None => String::new(),
    }
}

/// Builds `CanonicalHeaders` (each `name:value\n`) and `SignedHeaders`.
/// A header name trimmed and lower-cased, allocating only when it has upper case.
fn lower_name(name: &str) -> std::borrow::Cow<'_, str> {
    let name = name.trim();
    if name.bytes().any(|b| b.is_ascii_uppercase()) {
        name.to_ascii_lowercase().into()
    } else {
        name.into()
    }
}

fn hmac_sha256(key: &[u8], msg: &[u8]) -> [u8; 32] {
    // HMAC is defined for keys of any length (long keys are hashed, short ones
    // padded), so the `InvalidLength` error of the generic `KeyInit` API is
    // unreachable for `Hmac<Sha256>`.
    let mut mac =
        Hmac::<Sha256>::new_from_slice(key).expect("HMAC-SHA256 accepts keys of any length");
    mac.update(msg);
    mac.finalize().into_bytes().into()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// "AKID" followed by 32 literal `*`, as published in the official example.
    const MASKED_ID: &str = "AKID********************************";
    /// 32 literal `*`; the published values are computed with exactly this key.
    const MASKED_KEY: &str = "********************************";
    const TIMESTAMP: i64 = 1_551_113_065;

    /// Official example payload: ASCII with literal `\uXXXX` escapes.
    const CVM_PAYLOAD: &str =
        r#"{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}"#;
    const CVM_HASHED_PAYLOAD: &str =
        "35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064";
    const CVM_SECRET_DATE: &str =
        "da98fb70dcf6b112dc21038d1eeeb3a95c74b4dcb12c1131f864f6066bd02be0";

    const VOD_PAYLOAD: &str =
        r#"{"SubAppId":251006666,"ApiToken":"dqFQejeK2BMU8PRmc57gx9OSGKa72PwN"}"#;
    const VOD_HASHED_PAYLOAD: &str =
        "c64ffc8dc6b5f58333b2333191c43ca2ed94619b867126048be583132f90a70f";
    const VOD_HOST: &str = "vod.intl.tencentcloudapi.com";

    fn post<'a>(
        headers: &'a [(&'a str, &'a str)],
        payload: &'a str,
        service: &'a str,
    ) -> Tc3Request<'a> {
        Tc3Request {
            method: "POST",
            canonical_uri: "/",
            canonical_query: "",
            headers,
            payload: payload.as_bytes(),
            service,
            timestamp: TIMESTAMP,
        }
    }

    /// Chain steps recomputed individually, to pin SecretDate/SecretService too.
    fn key_chain(secret_key: &str, date: &str, service: &str) -> [String; 3] {
        let k_date = hmac_sha256(format!("TC3{secret_key}").as_bytes(), date.as_bytes());
        let k_service = hmac_sha256(&k_date, service.as_bytes());
        let k_signing = hmac_sha256(&k_service, b"tc3_request");
        [
            hex::encode(k_date),
            hex::encode(k_service),
            hex::encode(k_signing),
        ]
    }

    fn hashed_canonical_request(sig: &Tc3Signature) -> String {
        hex::encode(Sha256::digest(sig.canonical_request.as_bytes()))
    }

    #[test]
    fn masked_credentials_have_published_lengths() {
        assert_eq!(MASKED_ID.len(), 36);
        assert!(MASKED_ID.starts_with("AKID") && MASKED_ID[4..].bytes().all(|b| b == b'*'));
        assert_eq!(MASKED_KEY.len(), 32);
        assert!(MASKED_KEY.bytes().all(|b| b == b'*'));
    }

    #[test]
    fn vector_a_official_doc_with_action_header() {
        let headers = [
            ("Content-Type", "application/json; charset=utf-8"),
            ("Host", "cvm.tencentcloudapi.com"),
            ("X-TC-Action", "DescribeInstances"),
        ];
        let sig = sign(MASKED_ID, MASKED_KEY, &post(&headers, CVM_PAYLOAD, "cvm"));

        assert_eq!(sig.hashed_payload, CVM_HASHED_PAYLOAD);
        assert_eq!(sig.signed_headers, "content-type;host;x-tc-action");
        assert_eq!(
            sig.canonical_request,
            "POST\n/\n\n\
             content-type:application/json; charset=utf-8\n\
             host:cvm.tencentcloudapi.com\n\
             x-tc-action:describeinstances\n\
             \n\
             content-type;host;x-tc-action\n\
             35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064"
        );
        assert_eq!(
            hashed_canonical_request(&sig),
            "7019a55be8395899b900fb5564e4200d984910f34794a27cb3fb7d10ff6a1e84"
        );
        assert_eq!(sig.credential_scope, "2019-02-25/cvm/tc3_request");
        assert_eq!(
            sig.string_to_sign,
            "TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n\
             7019a55be8395899b900fb5564e4200d984910f34794a27cb3fb7d10ff6a1e84"
        );
        assert_eq!(
            key_chain(MASKED_KEY, "2019-02-25", "cvm"),
            [
                CVM_SECRET_DATE,
                "8d70cbefb03939f929db64d32dc2ba89b1095620119fe3e050e2b18c5bd2752f",
                "b596b923aad85185e2d1f6659d2a062e0a86731226e021e61bfe06f7ed05f5af",
            ]
        );
        assert_eq!(
            hex::encode(derive_signing_key(MASKED_KEY, "2019-02-25", "cvm")),
            "b596b923aad85185e2d1f6659d2a062e0a86731226e021e61bfe06f7ed05f5af"
        );
        assert_eq!(
            sig.signature,
            "10b1a37a7301a02ca19a647ad722d5e43b4b3cff309d421d85b46093f6ab6c4f"
        );
        assert_eq!(
            sig.authorization,
            "TC3-HMAC-SHA256 Credential=AKID********************************/2019-02-25/cvm/tc3_request, \
             SignedHeaders=content-type;host;x-tc-action, \
             Signature=10b1a37a7301a02ca19a647ad722d5e43b4b3cff309d421d85b46093f6ab6c4f"
        );
    }

    #[test]
    fn vector_b_legacy_doc_content_type_and_host_only() {
        const ID: &str = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******";
        const KEY: &str = "Gu5t9xGARNpq86cd98joQYCN3*******";
        let headers = [
            ("Content-Type", "application/json; charset=utf-8"),
            ("Host", "cvm.tencentcloudapi.com"),
        ];
        let sig = sign(ID, KEY, &post(&headers, CVM_PAYLOAD, "cvm"));

        assert_eq!(sig.hashed_payload, CVM_HASHED_PAYLOAD);
        assert_eq!(sig.signed_headers, "content-type;host");
        assert_eq!(
            sig.canonical_request,
            "POST\n/\n\ncontent-type:application/json; charset=utf-8\n\
             host:cvm.tencentcloudapi.com\n\ncontent-type;host\n\
             35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064"
        );
        assert_eq!(
            hashed_canonical_request(&sig),
            "5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031"
        );
        assert_eq!(sig.credential_scope, "2019-02-25/cvm/tc3_request");
        assert_eq!(
            sig.string_to_sign,
            "TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n\
             5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031"
        );
        assert_eq!(
            key_chain(KEY, "2019-02-25", "cvm"),
            [
                "f1cb4d518a0eda9d5cbbfdb7850983f1e603eeae484edea76e4dd8d8deb5556e",
                "e7c609ce81bea53546bed2cc904778bef9ca14082e48e67883443ed64e227cd7",
                "8aa8ab5755582f576e94bcfe383b8e29325b0ca90c3590d569221c6a63a091ed",
            ]
        );
        assert_eq!(
            hex::encode(derive_signing_key(KEY, "2019-02-25", "cvm")),
            "8aa8ab5755582f576e94bcfe383b8e29325b0ca90c3590d569221c6a63a091ed"
        );
        assert_eq!(
            sig.signature,
            "2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c"
        );
        assert_eq!(
            sig.authorization,
            "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******/2019-02-25/cvm/tc3_request, \
             SignedHeaders=content-type;host, \
             Signature=2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c"
        );
    }

    #[test]
    fn vector_c_vod_key_chain() {
        assert_eq!(
            key_chain(MASKED_KEY, "2019-02-25", "vod"),
            [
                CVM_SECRET_DATE,
                "bb995716cd54c8e38a13e8b263d1986fb4226f215d8e0f1c688e4d05bd61cf59",
                "b787e7921d3f97babdec29845186c840cb7b72860eb7e01ef35143f60b4b145e",
            ]
        );
        assert_eq!(
            hex::encode(derive_signing_key(MASKED_KEY, "2019-02-25", "vod")),
            "b787e7921d3f97babdec29845186c840cb7b72860eb7e01ef35143f60b4b145e"
        );
    }

    #[test]
    fn vector_c1_delete_aigc_api_token_doc_style() {
        let headers = [
            ("Content-Type", "application/json; charset=utf-8"),
            ("Host", VOD_HOST),
            ("X-TC-Action", "DeleteAigcApiToken"),
        ];
        let sig = sign(MASKED_ID, MASKED_KEY, &post(&headers, VOD_PAYLOAD, "vod"));

        assert_eq!(sig.hashed_payload, VOD_HASHED_PAYLOAD);
        assert_eq!(sig.signed_headers, "content-type;host;x-tc-action");
        assert_eq!(
            sig.canonical_request,
            format!(
                "POST\n/\n\ncontent-type:application/json; charset=utf-8\n\
                 host:vod.intl.tencentcloudapi.com\nx-tc-action:deleteaigcapitoken\n\n\
                 content-type;host;x-tc-action\n{VOD_HASHED_PAYLOAD}"
            )
        );
        let hashed = "c85e88ea89e8d74e8f5c0953e18a8e43c90c4768fb05156cdfe7385e8cc9c4f4";
        assert_eq!(hashed_canonical_request(&sig), hashed);
        assert_eq!(sig.credential_scope, "2019-02-25/vod/tc3_request");
        assert_eq!(
            sig.string_to_sign,
            format!("TC3-HMAC-SHA256\n1551113065\n2019-02-25/vod/tc3_request\n{hashed}")
        );
        let signature = "d4605d8c43846bf1f4a85af15beb13d464b43acd69d2a1e66ab2adfd29da4305";
        assert_eq!(sig.signature, signature);
        assert_eq!(
            sig.authorization,
            format!(
                "TC3-HMAC-SHA256 Credential={MASKED_ID}/2019-02-25/vod/tc3_request, \
                 SignedHeaders=content-type;host;x-tc-action, Signature={signature}"
            )
        );
    }

    #[test]
    fn vector_c2_delete_aigc_api_token_sdk_style() {
        let headers = [("Content-Type", "application/json"), ("Host", VOD_HOST)];
        let sig = sign(MASKED_ID, MASKED_KEY, &post(&headers, VOD_PAYLOAD, "vod"));

        assert_eq!(sig.hashed_payload, VOD_HASHED_PAYLOAD);
        assert_eq!(sig.signed_headers, "content-type;host");
        assert_eq!(
            sig.canonical_request,
            format!(
                "POST\n/\n\ncontent-type:application/json\n\
                 host:vod.intl.tencentcloudapi.com\n\n\
                 content-type;host\n{VOD_HASHED_PAYLOAD}"
            )
        );
        let hashed = "a754a17755b766555bafd6f7d46b34701d2b185173bc7582721984c850fd19ae";
        assert_eq!(hashed_canonical_request(&sig), hashed);
        assert_eq!(sig.credential_scope, "2019-02-25/vod/tc3_request");
        assert_eq!(
            sig.string_to_sign,
            format!("TC3-HMAC-SHA256\n1551113065\n2019-02-25/vod/tc3_request\n{hashed}")
        );
        let signature = "0d48fb68a0258beb934a917e3bd41b9b965191fc2ed3e638da8c92b530e7634c";
        assert_eq!(sig.signature, signature);
        assert_eq!(
            sig.authorization,
            format!(
                "TC3-HMAC-SHA256 Credential={MASKED_ID}/2019-02-25/vod/tc3_request, \
                 SignedHeaders=content-type;host, Signature={signature}"
            )
        );
    }

    #[test]
    fn header_names_case_order_and_whitespace_do_not_matter() {
        let canonical = [
            ("content-type", "application/json; charset=utf-8"),
            ("host", "cvm.tencentcloudapi.com"),
            ("x-tc-action", "describeinstances"),
        ];
        let shuffled = [
            ("X-TC-ACTION", "  DescribeInstances\t"),
            ("HOST", " cvm.tencentcloudapi.com "),
            ("Content-type", "application/json; charset=utf-8 "),
        ];
        let a = sign(MASKED_ID, MASKED_KEY, &post(&canonical, CVM_PAYLOAD, "cvm"));
        let b = sign(MASKED_ID, MASKED_KEY, &post(&shuffled, CVM_PAYLOAD, "cvm"));
        assert_eq!(a, b);
        assert_eq!(
            a.signature,
            "10b1a37a7301a02ca19a647ad722d5e43b4b3cff309d421d85b46093f6ab6c4f"
        );
    }

    #[test]
    fn only_the_action_value_is_lowercased() {
        let headers = [
            ("Content-Type", "Application/JSON"),
            ("Host", "VOD.example"),
            ("X-TC-Action", "DeleteAigcApiToken"),
            ("X-TC-Version", "2018-07-17"),
        ];
        let sig = sign(MASKED_ID, MASKED_KEY, &post(&headers, "{}", "vod"));
        assert!(sig.canonical_request.contains(
            "content-type:Application/JSON\nhost:VOD.example\n\
             x-tc-action:deleteaigcapitoken\nx-tc-version:2018-07-17\n\n"
        ));
        assert_eq!(
            sig.signed_headers,
            "content-type;host;x-tc-action;x-tc-version"
        );
    }

    #[test]
    fn get_request_uses_query_and_empty_payload() {
        let headers = [
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Host", "cvm.tencentcloudapi.com"),
        ];
        let req = Tc3Request {
            method: "GET",
            canonical_uri: "/",
            canonical_query: "Limit=10&Offset=0",
            headers: &headers,
            payload: b"",
            service: "cvm",
            timestamp: TIMESTAMP,
        };
        let sig = sign(MASKED_ID, MASKED_KEY, &req);
        let empty_sha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        assert_eq!(sig.hashed_payload, empty_sha256);
        assert!(sig
            .canonical_request
            .starts_with("GET\n/\nLimit=10&Offset=0\ncontent-type:"));
        assert!(sig.canonical_request.ends_with(empty_sha256));
    }

    #[test]
    fn credential_date_is_utc_not_local() {
        // 1551113065 is 2019-02-26 00:44:25 in UTC+8, Tencent's home zone.
        assert_eq!(utc_date(TIMESTAMP), "2019-02-25");
        let headers = [("Host", VOD_HOST)];
        let mut req = post(&headers, "", "vod");
        req.timestamp = 1_551_139_200; // 2019-02-26 00:00:00 UTC
        assert_eq!(
            sign(MASKED_ID, MASKED_KEY, &req).credential_scope,
            "2019-02-26/vod/tc3_request"
        );
    }

    #[test]
    fn utc_date_known_instants() {
        let cases: &[(i64, &str)] = &[
            (0, "1970-01-01"),
            (86_399, "1970-01-01"),
            (86_400, "1970-01-02"),
            (-1, "1969-12-31"),
            (-86_400, "1969-12-31"),
            (-86_401, "1969-12-30"),
            (68_169_600, "1972-02-29"),
            (951_782_399, "2000-02-28"),
            (951_782_400, "2000-02-29"),
            (951_868_800, "2000-03-01"),
            (1_551_113_065, "2019-02-25"),
            (1_582_934_400, "2020-02-29"),
            (1_709_164_800, "2024-02-29"),
            (1_709_251_199, "2024-02-29"),
            (2_147_472_000, "2038-01-19"),
            (4_107_456_000, "2100-02-28"),
            (4_107_542_400, "2100-03-01"),
            (-11_670_998_400, "1600-02-29"),
            (253_402_214_400, "9999-12-31"),
        ];
        for &(ts, want) in cases {
            assert_eq!(utc_date(ts), want, "timestamp {ts}");
        }
    }

    #[test]
    fn utc_date_matches_day_by_day_calendar_1600_to_2500() {
        fn is_leap(y: i64) -> bool {
            (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
        }
        const MONTH_DAYS: [i64; 12] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

        // Days from 1600-01-01 to 1970-01-01, counted with the same rules.
        let mut days: i64 = -(1600..1970)
            .map(|y| if is_leap(y) { 366 } else { 365 })
            .sum::<i64>();
        for year in 1600..2500 {
            for (month, len) in (1..=12).zip(MONTH_DAYS) {
                let len = if month == 2 && is_leap(year) { 29 } else { len };
                for d in 1..=len {
                    let want = format!("{year:04}-{month:02}-{d:02}");
                    // Both ends of the day map to the same date.
                    assert_eq!(utc_date(days * SECONDS_PER_DAY), want);
                    assert_eq!(utc_date(days * SECONDS_PER_DAY + SECONDS_PER_DAY - 1), want);
                    days += 1;
                }
            }
        }
    }

    #[test]
    fn utc_date_extremes_do_not_panic() {
        let _ = utc_date(i64::MIN);
        let _ = utc_date(i64::MAX);
    }

    #[test]
    fn signing_key_depends_on_date_and_service() {
        let base = derive_signing_key(MASKED_KEY, "2019-02-25", "vod");
        assert_ne!(base, derive_signing_key(MASKED_KEY, "2019-02-26", "vod"));
        assert_ne!(base, derive_signing_key(MASKED_KEY, "2019-02-25", "cvm"));
        assert_ne!(base, derive_signing_key("x", "2019-02-25", "vod"));
    }
}
