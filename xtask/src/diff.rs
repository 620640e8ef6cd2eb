//! `cargo xtask diff`: what the spec changes since a base revision do to the crate's callers.
//!
//! Both sides go through the generator's own lowering (nothing is compared as YAML), and both
//! are rendered with today's generator, so the generated diff's size is the spec change's alone.

use crate::git::{self, Base};
use crate::layout::{self, SPECS};
use crate::report::{self, FileDiff, Format, Report};
use generator::diff::{self, Bump, Class};
use generator::SpecFile;
use std::path::Path;

/// Flags of `cargo xtask diff`.
pub struct Options {
    pub base: Option<String>,
    pub format: Format,
    pub fail_on_breaking: bool,
    pub write_changelog: bool,
    /// A GitHub `pull_request` event payload that may acknowledge breaking changes.
    pub event: Option<std::path::PathBuf>,
}

/// The label, or the line in the pull request's description, that acknowledges a breaking
/// change.
pub const ACK_LABEL: &str = "breaking-change";
pub const ACK_LINE: &str = "breaking-change: acknowledged";

/// How the pull request of `event` acknowledges breaking changes, if it does.
pub fn acknowledgement(event: &Path) -> Result<Option<&'static str>, String> {
    let text = std::fs::read_to_string(event)
        .map_err(|e| format!("error: cannot read the event {}: {e}", event.display()))?;
    let event: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| format!("error: the event {} is not JSON: {e}", event.display()))?;
    let pr = &event["pull_request"];
    let labelled = pr["labels"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|l| l["name"] == ACK_LABEL);
    let body = pr["body"].as_str().unwrap_or_default().to_lowercase();
    Ok(if labelled {
        Some("the `breaking-change` label")
    } else if body.lines().any(|l| l.trim() == ACK_LINE) {
        Some("the pull request's description")
    } else {
        None
    })
}

pub fn run(root: &Path, options: &Options) -> Result<(), String> {
    let base = git::resolve_base(root, options.base.as_deref())?;
    let report = build(root, &base, true)?;
    print!("{}", report::render(&report, options.format));
    if options.write_changelog {
        crate::changelog::write(root, &report)?;
    }
    let breaking = report.count(Class::Breaking);
    if options.fail_on_breaking && breaking > 0 {
        let acknowledged = match &options.event {
            Some(event) => acknowledgement(event)?,
            None => None,
        };
        if let Some(by) = acknowledged {
            eprintln!(
                "{breaking} breaking change(s) since {}, acknowledged by {by}",
                report.base
            );
            return Ok(());
        }
        let mut message = format!("error: {breaking} breaking change(s) since {}", report.base);
        if options.event.is_some() {
            message.push_str(&format!(
                "\n  = help: if they are intended, add the `{ACK_LABEL}` label or a line `{ACK_LINE}` to the pull request's description, and let the version bump say so"
            ));
        }
        return Err(message);
    }
    Ok(())
}

/// Compares the specs at `base` with the working tree; `sizes`: also render both sides to
/// count the generated diff's lines.
pub fn build(root: &Path, base: &Base, sizes: bool) -> Result<Report, String> {
    let old_specs = git::specs_at(root, &base.commit, SPECS)?;
    let new_specs = generator::read_specs_as(&root.join(SPECS), SPECS)
        .map_err(|e| format!("error: cannot read {SPECS}/: {e}"))?;
    let old = lower_all(&old_specs, &format!("at {}", base.short()))?;
    let new = lower_all(&new_specs, "in the working tree")?;
    let vendors = diff::compare(&old, &new);
    let current_version = layout::read_product_version(root)?;
    // The bump is counted from the base, so a branch that already bumped is not bumped twice.
    let version = git::file_at(root, &base.commit, layout::VERSION_FILE)
        .ok()
        .and_then(|text| layout::product_version(&text))
        .unwrap_or_else(|| current_version.clone());
    let bump = Bump::needed(&vendors, &version);
    Ok(Report {
        base: base.label.clone(),
        base_commit: base.commit.clone(),
        next_version: bump.apply(&version),
        version,
        current_version,
        bump,
        vendors,
        generated: if sizes {
            generated_diff(&old_specs, &new_specs, &layout::release(root)?)?
        } else {
            Vec::new()
        },
    })
}

/// Lowers every spec; the findings of all of them if any fails.
pub fn lower_all(specs: &[SpecFile], when: &str) -> Result<Vec<generator::ir::Api>, String> {
    let mut apis = Vec::new();
    let mut problems = String::new();
    for spec in specs {
        match generator::lower_spec(spec) {
            Ok(api) => apis.push(api),
            Err(found) => {
                for d in found {
                    problems.push_str(&format!("{d}\n\n"));
                }
            }
        }
    }
    if problems.is_empty() {
        Ok(apis)
    } else {
        Err(format!(
            "{problems}error: the specs {when} do not generate; nothing to compare"
        ))
    }
}

fn generated_diff(
    old: &[SpecFile],
    new: &[SpecFile],
    release: &generator::Release,
) -> Result<Vec<FileDiff>, String> {
    let target = layout::product(release);
    let render = |specs: &[SpecFile]| {
        generator::render_target(&target, specs)
            .map_err(|d| format!("error: rendering failed: {}", d.len()))
    };
    let (old, new) = (render(old)?, render(new)?);
    let mut paths: Vec<&str> = old.iter().chain(&new).map(|f| f.path.as_str()).collect();
    paths.sort_unstable();
    paths.dedup();
    let text = |files: &[generator::RenderedFile], path: &str| {
        files
            .iter()
            .find(|f| f.path == path)
            .map_or(String::new(), |f| f.contents.clone())
    };
    let mut out = Vec::new();
    for path in paths {
        let (a, b) = (text(&old, path), text(&new, path));
        if a == b {
            continue;
        }
        let (mut added, mut removed) = (0, 0);
        for change in similar::TextDiff::from_lines(&a, &b).iter_all_changes() {
            match change.tag() {
                similar::ChangeTag::Insert => added += 1,
                similar::ChangeTag::Delete => removed += 1,
                similar::ChangeTag::Equal => {}
            }
        }
        out.push(FileDiff {
            path: path.to_owned(),
            added,
            removed,
        });
    }
    Ok(out)
}
