//! `--write-changelog`: a `generated/CHANGELOG.md` entry and the version bump in the
//! hand-kept version (the workspace manifest's, see `layout::VERSION_TABLE`), both as the
//! report says; `cargo xtask codegen` then writes it into `generated/Cargo.toml`.

use crate::layout;
use crate::report::{change_line, Report};
use generator::diff::Bump;
use std::path::Path;

const HEADER: &str = "# Changelog of `api-token-clients`\n\nWritten by `cargo xtask diff --write-changelog`; newest first.\n";

/// The entry for `report`.
pub fn entry(report: &Report) -> String {
    let mut text = format!(
        "\n## {} ({} bump)\n\n",
        report.next_version,
        format!("{:?}", report.bump).to_lowercase()
    );
    for vendor in &report.vendors {
        for change in &vendor.changes {
            text.push_str(&format!(
                "- {}\n",
                change_line(&vendor.vendor, change)
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            ));
        }
    }
    text
}

/// Adds the entry under the header and sets the new version; nothing for `Bump::None`.
pub fn write(root: &Path, report: &Report) -> Result<(), String> {
    if report.bump == Bump::None {
        eprintln!("nothing to record: no change");
        return Ok(());
    }
    if report.current_version == report.next_version {
        eprintln!(
            "nothing to record: version {} is already written",
            report.next_version
        );
        return Ok(());
    }
    let dir = root.join(layout::PRODUCT_DIR);
    let log = dir.join("CHANGELOG.md");
    let old = std::fs::read_to_string(&log).unwrap_or_default();
    let rest = old.strip_prefix(HEADER).unwrap_or(&old);
    let text = format!("{HEADER}{}{rest}", entry(report));
    std::fs::write(&log, text)
        .map_err(|e| format!("error: cannot write {}: {e}", log.display()))?;

    let manifest = root.join(layout::VERSION_FILE);
    let toml = std::fs::read_to_string(&manifest)
        .map_err(|e| format!("error: cannot read {}: {e}", manifest.display()))?;
    let toml = layout::with_product_version(&toml, &report.next_version).ok_or_else(|| {
        format!(
            "error: no `version` under `{}` in {}",
            layout::VERSION_TABLE,
            manifest.display()
        )
    })?;
    std::fs::write(&manifest, toml)
        .map_err(|e| format!("error: cannot write {}: {e}", manifest.display()))?;
    // The generated manifest is rendered from that version, never edited: codegen writes it.
    eprintln!(
        "wrote {}/CHANGELOG.md and version {} -> {} in {}\n  = help: run `cargo xtask codegen` to write it into {}/Cargo.toml",
        layout::PRODUCT_DIR,
        report.current_version,
        report.next_version,
        layout::VERSION_FILE,
        layout::PRODUCT_DIR
    );
    Ok(())
}
