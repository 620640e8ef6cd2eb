//! The tests that call the generated clients (the product crate and the corpus) against
//! loopback servers and mocks, linked as one binary: each test binary that links the
//! 45k-line corpus costs a link of its own on CI's two cores. One module per former binary,
//! file contents unchanged.
//!
//! A new test of the clients belongs here as a module, not as a new file under `tests/tests/`.

mod contract_a2e;
mod contract_actian_vectorai;
mod contract_apivideo;
mod contract_cellcast;
mod contract_tencent_vod;
mod deadline;
mod envelope_strict;
mod ergonomics;
mod error_messages;
mod hostile_httpbin;
mod idempotency_key;
mod mocks;
mod mocks_fail_loudly;
mod pagination;
mod prism;
mod rate_window;
mod real_world;
mod redaction;
mod redirects;
mod resilience;
mod response_fuzz;
mod response_meta;
mod secrets_echo;
mod secrets_hooks;
mod secrets_loopback_proxy;
mod secrets_repeated_page;
mod tc3_signing;
