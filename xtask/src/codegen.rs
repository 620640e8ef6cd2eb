//! `cargo xtask codegen [--check] [--strict]`: render everything in memory, then compare or
//! write.
//!
//! Nothing is written until every spec has rendered, so a bad spec leaves `generated/` exactly
//! as it was. Only [`sync`] touches the disk.

use crate::layout;
use generator::{Diagnostic, RenderedFile, Role, Severity, Target};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

/// What happened to one file.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    Unchanged,
    Written,
    /// `--check` found it different (or missing); carries a short diff.
    Stale(String),
    /// A generated file no spec produces any more.
    Removed,
}

/// Every finding of every spec, grouped by spec (errors, then warnings, then notes), each once,
/// with a count per spec.
pub fn report(findings: &[Diagnostic]) -> String {
    let mut by_file: BTreeMap<&str, Vec<&Diagnostic>> = BTreeMap::new();
    for finding in findings {
        by_file
            .entry(finding.file.as_str())
            .or_default()
            .push(finding);
    }
    let mut text = String::new();
    for (file, mut found) in by_file {
        found.sort_by_key(|d| d.severity);
        found.dedup();
        let count = |s: Severity| found.iter().filter(|d| d.severity == s).count();
        let errors = found.iter().filter(|d| d.severity.is_error()).count();
        let _ = writeln!(
            text,
            "==> {}: {errors} error(s), {} warning(s), {} note(s)\n",
            if file.is_empty() { "(all specs)" } else { file },
            count(Severity::Warning),
            count(Severity::Note)
        );
        for finding in found {
            let _ = writeln!(text, "{finding}\n");
        }
    }
    text
}

/// Every crate this repository maintains (the product at the hand-kept version, the corpus).
pub fn run_all(root: &Path, check: bool, strict: bool) -> Result<(), String> {
    let release = layout::release(root)?;
    run(root, &layout::targets(&release), check, strict)
}

pub fn run(root: &Path, targets: &[Target<'_>], check: bool, strict: bool) -> Result<(), String> {
    let mut files = Vec::new();
    let mut findings = Vec::new();
    let mut failed = false;
    for target in targets {
        let specs = generator::read_target_specs(root, target)
            .map_err(|e| format!("error: cannot read {}/: {e}", target.specs_dir))?;
        // `--strict` holds the product's specs to no warnings; the corpus keeps specs whose
        // whole point is a warning (numbers beyond i64, 3.1 webhooks), so it stays lenient.
        let strict = strict && matches!(target.role, Role::Product { .. });
        match generator::generate(target, &specs, strict) {
            Ok(mut out) => {
                files.append(&mut out.files);
                findings.append(&mut out.findings);
            }
            Err(mut found) => {
                failed = true;
                findings.append(&mut found);
            }
        }
    }
    if failed {
        let errors = findings.iter().filter(|d| d.severity.is_error()).count();
        return Err(format!(
            "{}error: {errors} problem(s) in the specs; nothing was written",
            report(&findings)
        ));
    }
    if !findings.is_empty() {
        eprint!("{}", report(&findings));
    }
    let mut dirs: Vec<String> = targets
        .iter()
        .flat_map(|t| {
            [
                format!("{}/src", t.crate_dir),
                format!("{}/src/cli", t.crate_dir),
            ]
        })
        .collect();
    // The product's examples are generated too (one per vendor).
    dirs.extend(
        targets
            .iter()
            .filter(|t| matches!(t.role, Role::Product { .. }))
            .map(|t| format!("{}/examples", t.crate_dir)),
    );
    let outcomes = sync(root, &files, &dirs, check).map_err(|e| format!("error: {e}"))?;
    let mut stale = Vec::new();
    for (path, outcome) in &outcomes {
        match outcome {
            Outcome::Unchanged => println!("unchanged {path}"),
            Outcome::Written => println!("wrote     {path}"),
            Outcome::Removed => println!("removed   {path}"),
            Outcome::Stale(diff) => {
                println!("stale     {path}\n{diff}");
                stale.push(path.as_str());
            }
        }
    }
    if stale.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "error: {} generated file(s) are out of date: {}\n  = help: run `cargo xtask codegen` and commit the result",
            stale.len(),
            stale.join(", ")
        ))
    }
}

/// Generated files on disk that no spec produces any more (recognised by their preamble).
fn orphans(root: &Path, files: &[RenderedFile], dir: &str) -> std::io::Result<Vec<String>> {
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
        return Ok(found);
    };
    for entry in entries {
        let path = entry?.path();
        if path.extension().and_then(|e| e.to_str()) != Some("rs") {
            continue;
        }
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let rel = format!("{dir}/{name}");
        let generated = std::fs::read_to_string(&path)
            .is_ok_and(|t| t.starts_with("// @generated by `cargo xtask codegen`"));
        if generated && !files.iter().any(|f| f.path == rel) {
            found.push(rel);
        }
    }
    found.sort();
    Ok(found)
}

/// Brings the disk in line with `files` (or, with `check`, only reports how it differs).
pub fn sync(
    root: &Path,
    files: &[RenderedFile],
    dirs: &[String],
    check: bool,
) -> std::io::Result<Vec<(String, Outcome)>> {
    let mut outcomes = Vec::new();
    for file in files {
        let path = root.join(&file.path);
        // A checkout with CRLF line endings is not stale. (Tested for with a char search
        // first: `replace` with a `&str` runs the two-way search, unoptimised in the dev
        // profile, over every generated file.)
        let current = std::fs::read_to_string(&path).ok().map(|t| {
            if t.contains('\r') {
                t.replace("\r\n", "\n")
            } else {
                t
            }
        });
        let outcome = match current {
            Some(text) if text == file.contents => Outcome::Unchanged,
            _ if check => {
                Outcome::Stale(short_diff(current.as_deref().unwrap_or(""), &file.contents))
            }
            _ => {
                write_atomically(&path, &file.contents)?;
                Outcome::Written
            }
        };
        outcomes.push((file.path.clone(), outcome));
    }
    let mut stray = Vec::new();
    for dir in dirs {
        stray.append(&mut orphans(root, files, dir)?);
    }
    for orphan in stray {
        if check {
            outcomes.push((
                orphan,
                Outcome::Stale("  (generated file without a spec: it would be removed)".to_owned()),
            ));
        } else {
            std::fs::remove_file(root.join(&orphan))?;
            outcomes.push((orphan, Outcome::Removed));
        }
    }
    Ok(outcomes)
}

/// Writes through a temporary file and a rename, so a reader never sees half a file.
fn write_atomically(path: &Path, contents: &str) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let tmp = path.with_extension("tmp-codegen");
    std::fs::write(&tmp, contents)?;
    std::fs::rename(&tmp, path)
}

/// A unified diff of at most 40 lines.
fn short_diff(old: &str, new: &str) -> String {
    let diff = similar::TextDiff::from_lines(old, new);
    let text = diff
        .unified_diff()
        .context_radius(2)
        .header("checked in", "generated")
        .to_string();
    let lines: Vec<&str> = text.lines().collect();
    let mut out: String = lines.iter().take(40).map(|l| format!("  {l}\n")).collect();
    if lines.len() > 40 {
        let _ = writeln!(out, "  ... ({} more diff lines)", lines.len() - 40);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_root(name: &str) -> std::path::PathBuf {
        let root =
            std::env::temp_dir().join(format!("xtask-codegen-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join(dirs()[0].as_str())).unwrap();
        root
    }

    fn dirs() -> Vec<String> {
        vec![format!("{}/src", layout::PRODUCT_DIR)]
    }

    fn file(path: &str, contents: &str) -> RenderedFile {
        RenderedFile {
            path: path.to_owned(),
            contents: contents.to_owned(),
        }
    }

    #[test]
    fn check_reports_and_writes_nothing_then_write_fixes() {
        let root = temp_root("check");
        let files = [file("generated/src/a.rs", "new\n")];
        std::fs::write(root.join("generated/src/a.rs"), "old\n").unwrap();
        let outcomes = sync(&root, &files, &dirs(), true).unwrap();
        assert!(
            matches!(&outcomes[0].1, Outcome::Stale(diff) if diff.contains("-old") && diff.contains("+new"))
        );
        assert_eq!(
            std::fs::read_to_string(root.join("generated/src/a.rs")).unwrap(),
            "old\n"
        );
        assert_eq!(
            sync(&root, &files, &dirs(), false).unwrap()[0].1,
            Outcome::Written
        );
        assert_eq!(
            sync(&root, &files, &dirs(), true).unwrap()[0].1,
            Outcome::Unchanged
        );
    }

    #[test]
    fn orphaned_generated_files_are_reported_and_removed() {
        let root = temp_root("orphan");
        std::fs::write(
            root.join("generated/src/gone.rs"),
            "// @generated by `cargo xtask codegen` from specs/gone.yaml. Do not edit by hand.\n",
        )
        .unwrap();
        std::fs::write(root.join("generated/src/handwritten.rs"), "pub fn f() {}\n").unwrap();
        let outcomes = sync(&root, &[], &dirs(), true).unwrap();
        assert_eq!(outcomes.len(), 1);
        assert!(matches!(outcomes[0].1, Outcome::Stale(_)));
        sync(&root, &[], &dirs(), false).unwrap();
        assert!(!root.join("generated/src/gone.rs").exists());
        assert!(root.join("generated/src/handwritten.rs").exists());
    }

    // The product's version is read from, and written to, the hand-kept table only.

    const MANIFEST: &str = "[workspace]\nmembers = []\n\n[workspace.package]\nversion = \"9.9.9\"\n\n[workspace.metadata.api-token-clients]\n# why\nversion = \"0.3.0\"\n\n[profile.dev]\n";

    #[test]
    fn the_version_is_read_from_its_table_only() {
        assert_eq!(
            crate::layout::product_version(MANIFEST).as_deref(),
            Some("0.3.0")
        );
        assert_eq!(
            crate::layout::product_version("[workspace.package]\nversion = \"1.0.0\"\n"),
            None
        );
    }

    #[test]
    fn setting_the_version_changes_that_line_only() {
        let new = crate::layout::with_product_version(MANIFEST, "0.4.0").unwrap();
        assert_eq!(
            new,
            MANIFEST.replace("version = \"0.3.0\"", "version = \"0.4.0\"")
        );
        assert_eq!(
            crate::layout::with_product_version("[workspace]\n", "0.4.0"),
            None
        );
    }
}
