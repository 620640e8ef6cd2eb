//! What the generator's own tests share: the workspace, and the crates it maintains as xtask
//! defines them (its `layout.rs`, compiled in here, so the layout is stated once).

#![allow(dead_code)]

use generator::{Diagnostic, Release, RenderedFile, SpecFile};
use std::path::PathBuf;

#[path = "../../../xtask/src/layout.rs"]
pub mod layout;

/// The workspace root.
pub fn root() -> PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Every file of the product crate for `specs` (modules, `lib.rs`, the CLI, README, examples,
/// manifest), as `cargo xtask codegen` renders `generated/`, at a fixed release.
pub fn render(specs: &[SpecFile]) -> Result<Vec<RenderedFile>, Vec<Diagnostic>> {
    let release = Release {
        version: "0.1.0".into(),
        runtime_version: "0.1.0".into(),
        cli_version: "0.1.0".into(),
    };
    generator::render_target(&layout::product(&release), specs)
}
