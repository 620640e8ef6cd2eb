//! The hand-written support every generated client calls into: transport, auth and signing,
//! envelopes, errors, retries, rate limiting and hooks. Generated modules stay thin; behaviour
//! lives here, written once. [`Config`] lists every setting with its default.
//!
//! This crate is hand-written (nothing in it is generated). Users reach it as
//! `api_token_clients::runtime`, a re-export, and add no dependency of their own.

#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod auth;
mod call_options;
mod config;
mod dry_run;
mod encode;
mod envelope;
mod error;
mod headers;
mod hooks;
mod limiter;
mod method;
#[cfg(feature = "mock")]
pub mod mock;
mod model_debug;
mod operation;
pub mod paginate;
mod raw_pointer;
mod redact;
mod request;
mod response;
mod response_meta;
mod retry;
mod scheme;
mod secret;
#[cfg(feature = "tc3")]
mod signing;
#[cfg(feature = "tc3")]
#[cfg_attr(docsrs, doc(cfg(feature = "tc3")))]
pub mod tc3;
mod transport;

pub use auth::{Auth, BasicAuth};
pub use call_options::CallOptions;
pub use config::{Config, Redirects};
pub use dry_run::{dry_run, PreparedRequest};
pub use encode::path_segment;
pub use envelope::{Envelope, FailureTest};
pub use error::{
    Error, ErrorKind, Failure, RawBody, RequestError, TimeoutKind, TransportError, TransportKind,
};
pub use hooks::{AttemptError, Hook, RequestParts, ResponseInfo};
#[cfg(feature = "redis")]
pub use limiter::RedisLimits;
pub use limiter::{settle, Quota, RateLimits};
pub use method::Method;
pub use model_debug::{debug_model, RedactedJson};
pub use operation::{Credential, CredentialStore, NoCredentials, Operation, RateLimit};
pub use paginate::Page;
/// What every redacted text shows in place of a secret.
pub use redact::MARK as REDACTED;
pub use request::Request;
pub use response::Response;
pub use response_meta::{with_response, ResponseMeta};
pub use retry::RetryPolicy;
#[cfg(feature = "tc3")]
#[cfg_attr(docsrs, doc(cfg(feature = "tc3")))]
pub use scheme::SigningAlgorithm;
pub use scheme::{Scheme, SchemeKind, SchemeNames};
pub use secret::Secret;
#[cfg(feature = "tc3")]
#[cfg_attr(docsrs, doc(cfg(feature = "tc3")))]
pub use signing::SigningKey;
pub use transport::Runtime;

/// Date-time type used by generated models (RFC 3339 on the wire).
pub type DateTime = chrono::DateTime<chrono::Utc>;
/// Calendar date used by generated models (`YYYY-MM-DD` on the wire).
pub type Date = chrono::NaiveDate;
