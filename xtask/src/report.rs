//! The diff report as text for a terminal, Markdown for a pull-request comment, or JSON.

use generator::diff::{Bump, Change, Class, VendorChanges};
use serde::Serialize;
use std::fmt::Write as _;

/// Lines added and removed in one generated file.
#[derive(Debug, Clone, Serialize)]
pub struct FileDiff {
    pub path: String,
    pub added: usize,
    pub removed: usize,
}

/// Everything the report says.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// What was compared with.
    pub base: String,
    /// Its commit.
    pub base_commit: String,
    /// Per vendor, breaking changes first.
    pub vendors: Vec<VendorChanges>,
    /// The crate's version at the base (the working tree's when the base has none).
    pub version: String,
    /// The version in the working tree: `next_version` once the bump is written.
    pub current_version: String,
    /// The bump the changes need.
    pub bump: Bump,
    /// The version after it.
    pub next_version: String,
    /// The generated files that change, with their line counts.
    pub generated: Vec<FileDiff>,
}

impl Report {
    pub fn count(&self, class: Class) -> usize {
        self.vendors
            .iter()
            .flat_map(|v| &v.changes)
            .filter(|c| c.class == class)
            .count()
    }
}

/// `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Markdown,
    Json,
}

pub fn render(report: &Report, format: Format) -> String {
    match format {
        Format::Text => text(report),
        Format::Markdown => markdown(report),
        Format::Json => {
            serde_json::to_string_pretty(report)
                .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
                + "\n"
        }
    }
}

fn class_word(class: Class) -> &'static str {
    match class {
        Class::Breaking => "breaking",
        Class::Compatible => "compatible",
    }
}

fn bump_word(bump: Bump) -> &'static str {
    match bump {
        Bump::None => "no",
        Bump::Patch => "a patch",
        Bump::Minor => "a minor",
        Bump::Major => "a major",
    }
}

/// `3 breaking and 2 compatible change(s) in 1 module(s)`.
pub fn summary(report: &Report) -> String {
    format!(
        "{} breaking and {} compatible change(s) in {} module(s) since {} ({})",
        report.count(Class::Breaking),
        report.count(Class::Compatible),
        report.vendors.len(),
        report.base,
        &report.base_commit[..report.base_commit.len().min(10)]
    )
}

fn verdict(report: &Report) -> String {
    if report.bump == Bump::None {
        format!("no version bump needed (stays {})", report.version)
    } else if report.current_version == report.next_version {
        format!(
            "needs {} version bump: {} -> {} (done)",
            bump_word(report.bump),
            report.version,
            report.next_version
        )
    } else {
        format!(
            "needs {} version bump: {} -> {}",
            bump_word(report.bump),
            report.version,
            report.next_version
        )
    }
}

/// One line per change: `breaking  apivideo: field `ttl` of `types::X`: removed`.
pub fn change_line(vendor: &str, change: &Change) -> String {
    format!(
        "{:<10} {vendor}: {}: {}",
        class_word(change.class),
        change.subject,
        change.detail
    )
}

fn generated_size(report: &Report) -> String {
    let (added, removed) = report
        .generated
        .iter()
        .fold((0, 0), |(a, r), f| (a + f.added, r + f.removed));
    format!(
        "+{added} -{removed} lines in {} generated file(s)",
        report.generated.len()
    )
}

fn text(report: &Report) -> String {
    let mut out = format!("{}\n", summary(report));
    for vendor in &report.vendors {
        let _ = writeln!(out, "\n{}:", vendor.vendor);
        for change in &vendor.changes {
            let _ = writeln!(
                out,
                "  {}",
                change_line(&vendor.vendor, change).replacen(
                    &format!(" {}:", vendor.vendor),
                    "",
                    1
                )
            );
            if change.class == Class::Breaking {
                let _ = writeln!(out, "             why: {}", change.rule.why());
            }
        }
    }
    let _ = writeln!(out, "\ngenerated code: {}", generated_size(report));
    for file in &report.generated {
        let _ = writeln!(out, "  {} +{} -{}", file.path, file.added, file.removed);
    }
    let _ = writeln!(out, "{}", verdict(report));
    out
}

/// Table cells may not hold a `|` or a line break.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

fn markdown(report: &Report) -> String {
    let breaking = report.count(Class::Breaking);
    let icon = if breaking > 0 { "⚠️" } else { "✅" };
    let mut out = format!(
        "### {icon} Spec review: {}\n\n**{}.**\n",
        summary(report),
        verdict(report)
    );
    for vendor in &report.vendors {
        let _ = writeln!(out, "\n#### `{}`\n", vendor.vendor);
        out.push_str("| class | what | change | rule |\n|---|---|---|---|\n");
        for change in &vendor.changes {
            let class = match change.class {
                Class::Breaking => "**breaking**",
                Class::Compatible => "compatible",
            };
            let _ = writeln!(
                out,
                "| {class} | {} | {} | `{:?}` |",
                cell(&change.subject),
                cell(&change.detail),
                change.rule,
            );
        }
    }
    let mut rules: Vec<_> = report
        .vendors
        .iter()
        .flat_map(|v| &v.changes)
        .map(|c| c.rule)
        .collect();
    rules.sort_by_key(|r| format!("{r:?}"));
    rules.dedup();
    if !rules.is_empty() {
        out.push_str("\n<details><summary>Why each rule has its class</summary>\n\n");
        for rule in rules {
            let _ = writeln!(
                out,
                "- `{rule:?}` ({}): {}",
                class_word(rule.class()),
                rule.why()
            );
        }
        out.push_str("\n</details>\n");
    }
    if report.vendors.is_empty() {
        out.push_str("\nNo change a caller of the generated crate can notice.\n");
    }
    let _ = writeln!(out, "\n**Generated code:** {}", generated_size(report));
    if !report.generated.is_empty() {
        out.push_str("\n| file | added | removed |\n|---|---:|---:|\n");
        for file in &report.generated {
            let _ = writeln!(
                out,
                "| `{}` | {} | {} |",
                file.path, file.added, file.removed
            );
        }
    }
    out
}
