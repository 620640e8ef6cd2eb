//! `--write-changelog`: a `generated/CHANGELOG.md` entry and the version bump in
//! `generated/Cargo.toml`, both as the report says.

use crate::report::{change_line, Report};
use generator::diff::Bump;
use generator::CLIENTS;
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
    let dir = root.join(CLIENTS.crate_dir);
    let log = dir.join("CHANGELOG.md");
    let old = std::fs::read_to_string(&log).unwrap_or_default();
    let rest = old.strip_prefix(HEADER).unwrap_or(&old);
    let text = format!("{HEADER}{}{rest}", entry(report));
    std::fs::write(&log, text)
        .map_err(|e| format!("error: cannot write {}: {e}", log.display()))?;

    let manifest = dir.join("Cargo.toml");
    let toml = std::fs::read_to_string(&manifest)
        .map_err(|e| format!("error: cannot read {}: {e}", manifest.display()))?;
    let old_line = format!("version = \"{}\"", report.current_version);
    if !toml.contains(&old_line) {
        return Err(format!(
            "error: `{old_line}` not found in {}",
            manifest.display()
        ));
    }
    let toml = toml.replacen(
        &old_line,
        &format!("version = \"{}\"", report.next_version),
        1,
    );
    std::fs::write(&manifest, toml)
        .map_err(|e| format!("error: cannot write {}: {e}", manifest.display()))?;
    eprintln!(
        "wrote {}/CHANGELOG.md and version {} -> {}",
        CLIENTS.crate_dir, report.current_version, report.next_version
    );
    Ok(())
}
