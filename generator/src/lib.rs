//! OpenAPI 3.0 specs in, formatted Rust client modules out.
//!
//! One pipeline, data flowing one way: [`load`] (YAML -> `openapiv3`, located diagnostics) ->
//! [`lower`] (-> the small [`ir`]) -> [`emit`] (-> tokens; the items of the most repeated
//! shapes already as the text prettyplease would print, see `emit::text`) -> [`render`] (->
//! text). Nothing here touches the disk except [`read_specs`]; writing files is the caller's
//! business.

#![forbid(unsafe_code)]

mod crate_files;
pub mod diagnostic;
pub mod diff;
pub mod emit;
mod example;
pub mod ir;
pub mod load;
mod locate;
mod long_text;
pub mod lower;
pub mod naming;
pub mod render;
pub mod shape;
pub mod surface;

pub use crate_files::{render_module, render_module_for, Role, Target};
pub use diagnostic::{Diagnostic, Severity};

use std::path::Path;

/// A spec's text and the path it is known by (relative to the workspace: `specs/x.yaml`).
#[derive(Debug, Clone)]
pub struct SpecFile {
    /// Path shown in messages and in generated headers.
    pub path: String,
    /// The YAML or JSON text.
    pub text: String,
}

/// A file the generator wants to exist, relative to the workspace root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedFile {
    /// `generated/src/<vendor>.rs`.
    pub path: String,
    /// Its full contents.
    pub contents: String,
}

/// The Rust module a spec becomes: its file stem in snake case, keywords and reserved names
/// suffixed (see [`naming::module`]).
pub fn module_name(spec_path: &str) -> ir::Ident {
    let stem = Path::new(spec_path)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("api");
    naming::module(stem)
}

/// Loads, checks and lowers one spec.
pub fn lower_spec(spec: &SpecFile) -> Result<ir::Api, Vec<Diagnostic>> {
    lower_spec_reporting(spec).map(|(api, _)| api)
}

/// Loads, checks and lowers one spec: the API and its warnings and notes, or every finding.
pub fn lower_spec_reporting(
    spec: &SpecFile,
) -> Result<(ir::Api, Vec<Diagnostic>), Vec<Diagnostic>> {
    lower_spec_as(spec, &module_name(&spec.path))
}

/// Loads, checks and lowers one spec into the module `module`, with its warnings and notes.
fn lower_spec_as(
    spec: &SpecFile,
    module: &ir::Ident,
) -> Result<(ir::Api, Vec<Diagnostic>), Vec<Diagnostic>> {
    let loaded = load::load(&spec.path, &spec.text)?;
    lower::lower(&loaded, module)
}

/// Module names for `specs`, decided together: two specs whose names map to one module are
/// an error naming both files.
fn module_names(specs: &[SpecFile]) -> Result<Vec<ir::Ident>, Vec<Diagnostic>> {
    let names: Vec<ir::Ident> = specs.iter().map(|s| module_name(&s.path)).collect();
    let mut first: std::collections::BTreeMap<&str, &str> = std::collections::BTreeMap::new();
    let mut findings = Vec::new();
    for (spec, name) in specs.iter().zip(&names) {
        if let Some(other) = first.insert(&name.name, &spec.path) {
            let mut d = Diagnostic::new(
                "",
                format!(
                    "`{}` and `{other}` both map to the module `{name}`",
                    spec.path
                ),
            )
            .help("rename one of the spec files");
            d.file.clone_from(&spec.path);
            findings.push(d);
            first.insert(&name.name, other);
        }
    }
    if findings.is_empty() {
        Ok(names)
    } else {
        Err(findings)
    }
}

/// Everything the generator produces for `target`'s `specs` (see [`generate`]), or its errors;
/// warnings and notes are dropped.
pub fn render_target(
    target: &Target<'_>,
    specs: &[SpecFile],
) -> Result<Vec<RenderedFile>, Vec<Diagnostic>> {
    generate(target, specs, false)
        .map(|out| out.files)
        .map_err(|found| {
            found
                .into_iter()
                .filter(|d| d.severity.is_error())
                .collect()
        })
}

/// What a successful run produced.
#[derive(Debug)]
pub struct Generated {
    /// The files.
    pub files: Vec<RenderedFile>,
    /// Warnings (operations skipped, lenient readings) and notes, located, spec by spec.
    pub findings: Vec<Diagnostic>,
    /// The lowered APIs, sorted by module.
    pub apis: Vec<ir::Api>,
}

pub use render::Release;

/// Renders every spec of `target`: every file of the crate, its manifest included. On failure,
/// every finding (errors, warnings and notes) of every spec; with `strict`, warnings are errors
/// too.
pub fn generate(
    target: &Target<'_>,
    specs: &[SpecFile],
    strict: bool,
) -> Result<Generated, Vec<Diagnostic>> {
    // Placeholders of an earlier run on this thread are no longer printed.
    long_text::clear();
    let mut apis = Vec::new();
    let mut findings = Vec::new();
    let modules = module_names(specs).unwrap_or_else(|mut d| {
        findings.append(&mut d);
        specs.iter().map(|s| module_name(&s.path)).collect()
    });
    for (spec, module) in specs.iter().zip(&modules) {
        match lower_spec_as(spec, module) {
            Ok((api, mut found)) => {
                apis.push(api);
                findings.append(&mut found);
            }
            Err(mut found) => findings.append(&mut found),
        }
    }
    if strict {
        for finding in findings
            .iter_mut()
            .filter(|d| d.severity == Severity::Warning)
        {
            finding.severity = Severity::Error;
            finding
                .message
                .push_str(" (a warning, made an error by --strict)");
        }
    }
    if findings.iter().any(|d| d.severity.is_error()) {
        return Err(findings);
    }
    apis.sort_by(|a, b| a.module.cmp(&b.module));
    let files = crate_files::files(&apis, target)?;
    Ok(Generated {
        files,
        findings,
        apis,
    })
}

/// Reads every spec of `target` under the workspace `root` (or at its absolute path).
pub fn read_target_specs(root: &Path, target: &Target<'_>) -> std::io::Result<Vec<SpecFile>> {
    read_specs_as(
        &root.join(target.specs_dir),
        target.specs_dir.trim_end_matches('/'),
    )
}

/// Reads every spec (`*.yaml`, `*.yml`, `*.json`) in `specs_dir`, sorted by name, with paths
/// shown as `specs/<name>`.
pub fn read_specs(specs_dir: &Path) -> std::io::Result<Vec<SpecFile>> {
    read_specs_as(specs_dir, "specs")
}

/// Reads every spec (`*.yaml`, `*.yml`, `*.json`) in `dir`, sorted by name, shown as
/// `<shown>/<name>`.
pub fn read_specs_as(dir: &Path, shown: &str) -> std::io::Result<Vec<SpecFile>> {
    let mut specs = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml" | "json")
        ) {
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
                .to_owned();
            specs.push(SpecFile {
                path: format!("{shown}/{name}"),
                text: std::fs::read_to_string(&path)?,
            });
        }
    }
    specs.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(specs)
}
