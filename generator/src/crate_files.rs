//! Every file of a target crate, from its lowered APIs: the modules, `lib.rs`, the command-line
//! tool, and for the product its README, examples and `Cargo.toml`.

use crate::{emit, example, ir, render, Diagnostic, Release, RenderedFile};

/// A crate the generator writes: where its specs are, where its sources go, and what it is.
/// Which crates a repository maintains is the repository's business (xtask's), not the
/// generator's.
#[derive(Debug, Clone, Copy)]
pub struct Target<'a> {
    /// Directory of the specs (`specs`), relative to the workspace root.
    pub specs_dir: &'a str,
    /// Directory of the crate (`generated`); modules go to `<crate_dir>/src`.
    pub crate_dir: &'a str,
    /// The product crate or a fixture compiled against it.
    pub role: Role<'a>,
}

/// What a target crate is, and what the generator needs to know to write it.
#[derive(Debug, Clone, Copy)]
pub enum Role<'a> {
    /// The published crate: it re-exports the hand-written `api_token_runtime` crate as
    /// `runtime` and gets a README, examples, the command-line binary and its `Cargo.toml`.
    Product {
        /// Its name in Rust code (`api_token_clients`), which its doc tests and binary use.
        krate: &'a str,
        /// The versions its manifest carries (hand-kept release bookkeeping, not in the specs).
        release: &'a Release,
    },
    /// A crate of modules only (the corpus, scratch crates), compiled against `runtime_from`'s
    /// runtime (`krate::runtime`).
    Fixture {
        /// The crate whose runtime it re-exports (`api_token_clients`).
        runtime_from: &'a str,
    },
}

impl Target<'_> {
    /// `Some(krate)` for the product crate, whose doc examples name it.
    fn product(&self) -> Option<&str> {
        match self.role {
            Role::Product { krate, .. } => Some(krate),
            Role::Fixture { .. } => None,
        }
    }
}

/// Every file of `target` for `apis` (sorted by module).
pub(crate) fn files(
    apis: &[ir::Api],
    target: &Target<'_>,
) -> Result<Vec<RenderedFile>, Vec<Diagnostic>> {
    let src_dir = format!("{}/src", target.crate_dir);
    let mut files = Vec::new();
    // Method examples are doc tests: written for the product crate, whose doc tests run.
    let doc_tests = emit::DocTests {
        krate: target.product(),
    };
    let (modules, cli_vendors) = render_in_parallel(apis, doc_tests)?;
    for (api, text) in apis.iter().zip(modules) {
        files.push(RenderedFile {
            path: format!("{src_dir}/{}.rs", api.module),
            contents: format!("{}{text}", render::preamble(&api.source)),
        });
    }
    files.push(lib_rs(apis, target, &src_dir)?);
    files.append(&mut cli_files(apis, target, &src_dir, cli_vendors)?);
    // With verification on, an item written as text that prettyplease would print otherwise.
    let mismatches = emit::text_mismatches();
    if !mismatches.is_empty() {
        return Err(mismatches
            .into_iter()
            .map(|m| Diagnostic::new("", format!("internal error: {m}")))
            .collect());
    }
    let Role::Product { krate, release } = target.role else {
        return Ok(files);
    };
    let readme = render::readme(apis, krate).map_err(|message| {
        vec![Diagnostic::new(
            "",
            format!("internal error rendering README: {message}"),
        )]
    })?;
    files.push(RenderedFile {
        path: format!("{}/README.md", target.crate_dir),
        contents: readme,
    });
    files.append(&mut example_files(apis, target)?);
    let manifest = manifest(apis, &files, target, release)?;
    files.push(manifest);
    Ok(files)
}

/// The large files, every API's module and CLI module, formatted on every core (see
/// [`render::parallel`]); the jobs are given largest first (the models, the operations, the
/// CLI), which balances them best.
fn render_in_parallel(
    apis: &[ir::Api],
    doc_tests: emit::DocTests<'_>,
) -> Result<(Vec<String>, Vec<String>), Vec<Diagnostic>> {
    let docs = apis
        .iter()
        .map(|api| render::module_doc_checked(api, doc_tests).map_err(|m| module_error(api, m)))
        .collect::<Result<Vec<_>, _>>()?;
    let halves: Vec<_> = apis
        .iter()
        .zip(&docs)
        .map(|(api, docs)| render::module_halves(api, doc_tests, docs))
        .collect();
    let cli: Vec<_> = apis
        .iter()
        .map(|api| {
            move || render::format(emit::cli::vendor(api), &format!("cli/{}.rs", api.module))
        })
        .collect();
    let mut jobs: Vec<render::Job<'_>> = Vec::new();
    for ([head, types], cli) in halves.iter().zip(&cli) {
        jobs.extend([types as render::Job<'_>, head, cli]);
    }
    let mut texts = render::parallel(&jobs).into_iter();
    let mut modules = Vec::new();
    let mut vendors = Vec::new();
    for api in apis {
        let mut next = || {
            texts
                .next()
                .unwrap_or_else(|| Err("a job did not run".to_owned()))
        };
        let types = next().map_err(|m| module_error(api, m))?;
        let head = next().map_err(|m| module_error(api, m))?;
        modules.push(render::module_text(&head, &types));
        vendors.push(next().map_err(|m| vec![Diagnostic::new("", m)])?);
    }
    Ok((modules, vendors))
}

/// A module that failed to render: a generator bug, located at its spec.
fn module_error(api: &ir::Api, message: String) -> Vec<Diagnostic> {
    let mut d = Diagnostic::new("", message)
        .help("this is a generator bug; please report it with the spec");
    d.file.clone_from(&api.source);
    vec![d]
}

/// Renders one lowered API as its module file under `src_dir`, without doc examples.
pub fn render_module(api: &ir::Api, src_dir: &str) -> Result<RenderedFile, Vec<Diagnostic>> {
    render_module_for(api, src_dir, emit::DocTests::default())
}

/// [`render_module`], with doc examples written for the crate `doc_tests` names.
pub fn render_module_for(
    api: &ir::Api,
    src_dir: &str,
    doc_tests: emit::DocTests<'_>,
) -> Result<RenderedFile, Vec<Diagnostic>> {
    let text = render::module(api, doc_tests).map_err(|message| module_error(api, message))?;
    Ok(RenderedFile {
        path: format!("{src_dir}/{}.rs", api.module),
        contents: format!("{}{text}", render::preamble(&api.source)),
    })
}

/// `<crate_dir>/Cargo.toml` of the product crate: a feature per vendor, and the features each
/// example of `files` needs.
/// The versions come from `release` (they are release bookkeeping, not in the specs).
fn manifest(
    apis: &[ir::Api],
    files: &[RenderedFile],
    target: &Target<'_>,
    release: &Release,
) -> Result<RenderedFile, Vec<Diagnostic>> {
    let examples: Vec<&str> = apis
        .iter()
        .map(|api| api.module.name.as_str())
        .filter(|module| {
            let path = format!("{}/examples/{module}.rs", target.crate_dir);
            files.iter().any(|f| f.path == path)
        })
        .collect();
    let contents = render::manifest(apis, &examples, release).map_err(|message| {
        vec![Diagnostic::new(
            "",
            format!("internal error rendering Cargo.toml: {message}"),
        )]
    })?;
    Ok(RenderedFile {
        path: format!("{}/Cargo.toml", target.crate_dir),
        contents,
    })
}

/// `<crate_dir>/examples/<module>.rs`: a runnable create, list and delete flow per vendor
/// whose spec has one of those operations (see [`example`]).
fn example_files(
    apis: &[ir::Api],
    target: &Target<'_>,
) -> Result<Vec<RenderedFile>, Vec<Diagnostic>> {
    let mut files = Vec::new();
    for api in apis {
        let Some(tokens) = example::example(api) else {
            continue;
        };
        let text = render::format(tokens, &format!("the example of {}", api.module))
            .map_err(|m| vec![Diagnostic::new("", m)])?;
        files.push(RenderedFile {
            path: format!("{}/examples/{}.rs", target.crate_dir, api.module),
            contents: format!("{}{text}", render::preamble(&api.source)),
        });
    }
    Ok(files)
}

/// The command-line tool (feature `cli`): `src/cli/mod.rs`, one `src/cli/<module>.rs` per
/// API (`vendors`: their text, formatted in parallel with the modules), and for the product
/// crate the binary's `main`.
fn cli_files(
    apis: &[ir::Api],
    target: &Target<'_>,
    src_dir: &str,
    vendors: Vec<String>,
) -> Result<Vec<RenderedFile>, Vec<Diagnostic>> {
    let product = target.product();
    let internal = |m: String| vec![Diagnostic::new("", m)];
    let mut files = Vec::new();
    let root =
        render::format(emit::cli::root(apis, product.is_some()), "cli/mod.rs").map_err(internal)?;
    files.push(RenderedFile {
        path: format!("{src_dir}/cli/mod.rs"),
        contents: format!(
            "{}{root}",
            render::preamble(&format!("{}/*", target.specs_dir))
        ),
    });
    for (api, text) in apis.iter().zip(vendors) {
        files.push(RenderedFile {
            path: format!("{src_dir}/cli/{}.rs", api.module),
            contents: format!("{}{text}", render::preamble(&api.source)),
        });
    }
    if let Some(krate) = product {
        let what = format!("bin/{}.rs", emit::cli::TOOL);
        let text = render::format(emit::cli::binary(krate), &what).map_err(internal)?;
        files.push(RenderedFile {
            path: format!("{src_dir}/{what}"),
            contents: format!(
                "{}{text}",
                render::preamble(&format!("{}/*", target.specs_dir))
            ),
        });
    }
    Ok(files)
}

fn lib_rs(
    apis: &[ir::Api],
    target: &Target<'_>,
    src_dir: &str,
) -> Result<RenderedFile, Vec<Diagnostic>> {
    // The product crate has one Cargo feature per vendor, named as its module (see
    // [`manifest`]); other targets (the corpus, scratch crates) compile every module.
    let features = target.product().is_some();
    let modules = apis.iter().map(|api| {
        let name = &api.module;
        let doc = format!(" {} (from `{}`).", api.title, api.source);
        let gate = features.then(|| {
            let feature = &api.module.name;
            quote::quote! {
                #[cfg(feature = #feature)]
                #[cfg_attr(docsrs, doc(cfg(feature = #feature)))]
            }
        });
        quote::quote! {
            #[doc = #doc]
            #gate
            #[rustfmt::skip]
            pub mod #name;
        }
    });
    let head = match target.role {
        Role::Product { .. } => quote::quote! {
            #![doc = include_str!("../README.md")]
            #![cfg_attr(docsrs, feature(doc_cfg))]
            #![forbid(unsafe_code)]
            #![deny(missing_docs)]

            /// The hand-written runtime every client calls into (the `api-token-runtime` crate).
            #[doc(inline)]
            pub use api_token_runtime as runtime;
        },
        Role::Fixture { runtime_from } => {
            let krate = emit::fixed(runtime_from);
            let doc = format!(" Generated from every spec in `{}/`; compiled so that each construct is proven to build.", target.specs_dir);
            quote::quote! {
                #![doc = #doc]
                #![forbid(unsafe_code)]
                #![warn(missing_docs)]

                pub use #krate::runtime;
            }
        }
    };
    let cli = if features {
        quote::quote! {
            /// The `api-tokens` command-line tool (feature `cli`).
            #[cfg(feature = "cli")]
            #[cfg_attr(docsrs, doc(cfg(feature = "cli")))]
            #[rustfmt::skip]
            pub mod cli;

            /// The command-line tool's hand-written support (the `api-token-cli` crate).
            #[cfg(feature = "cli")]
            #[cfg_attr(docsrs, doc(cfg(feature = "cli")))]
            #[doc(inline)]
            pub use api_token_cli as cli_runtime;
        }
    } else {
        let krate = match target.role {
            Role::Fixture { runtime_from } => Some(emit::fixed(runtime_from)),
            Role::Product { .. } => None,
        };
        quote::quote! {
            /// The command-line tool of these modules (feature `cli`).
            #[cfg(feature = "cli")]
            #[rustfmt::skip]
            pub mod cli;

            #[cfg(feature = "cli")]
            use #krate::cli_runtime;
        }
    };
    let tokens = quote::quote! {
        #head

        #(#modules)*

        #cli
    };
    let text = render::format(tokens, "lib.rs").map_err(|m| vec![Diagnostic::new("", m)])?;
    Ok(RenderedFile {
        path: format!("{src_dir}/lib.rs"),
        contents: format!(
            "{}{text}",
            render::preamble(&format!("{}/*", target.specs_dir))
        ),
    })
}
