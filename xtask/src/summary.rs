//! The end of `cargo xtask codegen`: what the spec edits since `HEAD` do to callers, one line
//! per change, classed as `cargo xtask diff` classes them.

use crate::diff;
use crate::git;
use crate::report::change_line;
use generator::diff::{Bump, Class};
use std::fmt::Write as _;
use std::path::Path;

/// The summary; never an error (codegen has done its work), at worst why there is none.
pub fn since_head(root: &Path) -> String {
    let report =
        git::resolve_base(root, Some("HEAD")).and_then(|base| diff::build(root, &base, false));
    let report = match report {
        Ok(report) => report,
        Err(why) => {
            let first = why
                .lines()
                .last()
                .unwrap_or_default()
                .trim_start_matches("error: ");
            return format!("spec changes since HEAD: not compared ({first})");
        }
    };
    let base = &report.base_commit[..report.base_commit.len().min(10)];
    if report.vendors.is_empty() {
        return format!("spec changes since HEAD ({base}): none a caller can notice");
    }
    let mut out = format!(
        "spec changes since HEAD ({base}): {} breaking, {} compatible; ",
        report.count(Class::Breaking),
        report.count(Class::Compatible)
    );
    if report.bump == Bump::None {
        out.push_str("no version bump");
    } else {
        let _ = write!(
            out,
            "version {} -> {} (`cargo xtask diff` for details)",
            report.version, report.next_version
        );
    }
    for vendor in &report.vendors {
        for change in &vendor.changes {
            let _ = write!(out, "\n  {}", change_line(&vendor.vendor, change));
        }
    }
    out
}
