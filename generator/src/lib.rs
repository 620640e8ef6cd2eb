//! OpenAPI 3.0 specs in, formatted Rust client modules out.
//!
//! One pipeline, data flowing one way: [`load`] (YAML -> `openapiv3`, located diagnostics) ->
//! [`lower`] (-> the small [`ir`]) -> [`emit`] (-> tokens) -> [`render`] (-> text). Nothing here
//! touches the disk except [`read_specs`]; writing files is the caller's business.

#![forbid(unsafe_code)]

pub mod diagnostic;
pub mod emit;
pub mod ir;
pub mod load;
mod locate;
pub mod lower;
pub mod naming;
pub mod render;

pub use diagnostic::Diagnostic;

use std::path::Path;

/// A spec's text and the path it is known by (relative to the workspace: `specs/x.yaml`).
#[derive(Debug, Clone)]
pub struct SpecFile {
    /// Path shown in messages and in generated headers.
    pub path: String,
    /// The YAML text.
    pub text: String,
}

/// A file the generator wants to exist, relative to the workspace root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedFile {
    /// `generated/src/apivideo.rs`.
    pub path: String,
    /// Its full contents.
    pub contents: String,
}

/// Where generated modules go, relative to the workspace root.
pub const OUTPUT_DIR: &str = "generated/src";

/// The Rust module a spec becomes: its file stem in snake case.
pub fn module_name(spec_path: &str) -> String {
    let stem = Path::new(spec_path)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("api");
    naming::method(stem)
}

/// Loads, checks and lowers one spec.
pub fn lower_spec(spec: &SpecFile) -> Result<ir::Api, Vec<Diagnostic>> {
    let loaded = load::load(&spec.path, &spec.text)?;
    lower::lower(&loaded, &module_name(&spec.path))
}

/// Renders one lowered API as its module file.
pub fn render_module(api: &ir::Api) -> Result<RenderedFile, Vec<Diagnostic>> {
    let text = render::format(emit::module(api), &api.module).map_err(|message| {
        vec![Diagnostic {
            file: api.source.clone(),
            line: None,
            pointer: String::new(),
            message,
            help: Some("this is a generator bug; please report it with the spec".into()),
        }]
    })?;
    Ok(RenderedFile {
        path: format!("{OUTPUT_DIR}/{}.rs", api.module),
        contents: format!("{}{text}", render::preamble(&api.source)),
    })
}

/// Everything the generator produces for `specs`: one module per spec, `lib.rs` and the
/// crate's README. Every spec is checked before anything is returned, and all findings of all
/// specs come back together.
pub fn render(specs: &[SpecFile]) -> Result<Vec<RenderedFile>, Vec<Diagnostic>> {
    let mut apis = Vec::new();
    let mut findings = Vec::new();
    for spec in specs {
        match lower_spec(spec) {
            Ok(api) => apis.push(api),
            Err(mut d) => findings.append(&mut d),
        }
    }
    let mut modules: Vec<&str> = apis.iter().map(|a| a.module.as_str()).collect();
    modules.sort_unstable();
    if let Some(pair) = modules.windows(2).find(|w| w[0] == w[1]) {
        findings.push(
            Diagnostic::new("", format!("two specs map to the module `{}`", pair[0]))
                .help("rename one of the spec files"),
        );
    }
    if !findings.is_empty() {
        return Err(findings);
    }
    apis.sort_by(|a, b| a.module.cmp(&b.module));
    let mut files = Vec::new();
    for api in &apis {
        files.push(render_module(api)?);
    }
    files.push(lib_rs(&apis)?);
    let readme = render::readme(&apis).map_err(|message| {
        vec![Diagnostic::new(
            "",
            format!("internal error rendering README: {message}"),
        )]
    })?;
    files.push(RenderedFile {
        path: "generated/README.md".to_owned(),
        contents: readme,
    });
    Ok(files)
}

fn lib_rs(apis: &[ir::Api]) -> Result<RenderedFile, Vec<Diagnostic>> {
    let modules = apis.iter().map(|api| {
        let name = emit::ident(&api.module);
        let doc = format!(" {} (from `{}`).", api.title, api.source);
        quote::quote! {
            #[doc = #doc]
            #[rustfmt::skip]
            pub mod #name;
        }
    });
    let tokens = quote::quote! {
        #![doc = include_str!("../README.md")]
        #![forbid(unsafe_code)]
        #![warn(missing_docs)]

        pub mod runtime;

        #(#modules)*
    };
    let text = render::format(tokens, "lib.rs").map_err(|m| vec![Diagnostic::new("", m)])?;
    Ok(RenderedFile {
        path: format!("{OUTPUT_DIR}/lib.rs"),
        contents: format!("{}{text}", render::preamble("specs/*.yaml")),
    })
}

/// Reads every `*.yaml` in `specs_dir`, sorted by name, with paths shown as `specs/<name>`.
pub fn read_specs(specs_dir: &Path) -> std::io::Result<Vec<SpecFile>> {
    let mut specs = Vec::new();
    for entry in std::fs::read_dir(specs_dir)? {
        let path = entry?.path();
        if path.extension().and_then(|e| e.to_str()) == Some("yaml") {
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
                .to_owned();
            specs.push(SpecFile {
                path: format!("specs/{name}"),
                text: std::fs::read_to_string(&path)?,
            });
        }
    }
    specs.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(specs)
}
