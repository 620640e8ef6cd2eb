//! What a spec change does to callers of the generated crate.
//!
//! Both sides are lowered through the same pipeline and compared as IR, so a change is judged by
//! what the emitter makes of it (a field's Rust type, whether a parameter struct derives
//! `Default`, a method's return type), not by how the YAML was spelled. Every change carries a
//! [`Rule`]; each rule has one class, written down in [`Rule::why`] and in the README.

mod api;
mod operations;
mod rules;
mod rust;
mod types;

pub use rules::{Class, Rule};

use crate::ir::Api;
use serde::Serialize;

/// One change a caller can notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// Which rule classifies it.
    pub rule: Rule,
    /// Breaking or compatible (always `rule.class()`).
    pub class: Class,
    /// What changed, in Rust terms (`` method `delete` ``, `` field `ttl` of `types::Payload` ``).
    pub subject: String,
    /// How it changed (`` `i32` -> `i64` ``, `` renamed to `new_name` ``).
    pub detail: String,
}

impl Change {
    fn new(rule: Rule, subject: impl Into<String>, detail: impl Into<String>) -> Self {
        Self {
            rule,
            class: rule.class(),
            subject: subject.into(),
            detail: detail.into(),
        }
    }
}

/// The changes of one vendor module, breaking ones first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VendorChanges {
    /// The Rust module (`cloud_vod`).
    pub vendor: String,
    /// Its changes.
    pub changes: Vec<Change>,
}

/// Compares every API of `old` with the API of the same module in `new`; vendors without
/// changes are left out.
pub fn compare(old: &[Api], new: &[Api]) -> Vec<VendorChanges> {
    let mut modules: Vec<String> = old
        .iter()
        .chain(new)
        .map(|api| api.module.to_string())
        .collect();
    modules.sort();
    modules.dedup();
    let mut out = Vec::new();
    for module in modules {
        let before = old.iter().find(|a| a.module.to_string() == module);
        let after = new.iter().find(|a| a.module.to_string() == module);
        let mut changes = match (before, after) {
            (Some(b), Some(a)) => compare_api(b, a),
            (None, Some(_)) => vec![Change::new(
                Rule::ModuleAdded,
                format!("module `{module}`"),
                "added",
            )],
            (Some(_), None) => vec![Change::new(
                Rule::ModuleRemoved,
                format!("module `{module}`"),
                "removed",
            )],
            (None, None) => Vec::new(),
        };
        // Stable: breaking first, then in the order found.
        changes.sort_by_key(|c| c.class);
        if !changes.is_empty() {
            out.push(VendorChanges {
                vendor: module,
                changes,
            });
        }
    }
    out
}

/// Every change between two versions of one API.
pub fn compare_api(old: &Api, new: &Api) -> Vec<Change> {
    let renamed_types = types::renamed(old, new);
    let mut changes = Vec::new();
    api::compare(old, new, &mut changes);
    operations::compare(old, new, &renamed_types, &mut changes);
    types::compare(old, new, &renamed_types, &mut changes);
    changes
}

/// A semver bump.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Bump {
    /// Nothing a caller can notice.
    None,
    /// Fixes and behaviour only.
    Patch,
    /// New API, nothing broken.
    Minor,
    /// Something breaks.
    Major,
}

impl Bump {
    /// The bump `changes` need for a crate at `version` (`0.x` crates bump minor for breaking
    /// changes and patch for the rest, as Cargo reads `^0.x`).
    pub fn needed(changes: &[VendorChanges], version: &str) -> Bump {
        let all = || changes.iter().flat_map(|v| &v.changes);
        let pre_1 = version.starts_with("0.");
        if all().any(|c| c.class == Class::Breaking) {
            if pre_1 {
                Bump::Minor
            } else {
                Bump::Major
            }
        } else if all().any(|c| c.rule.adds_api()) && !pre_1 {
            Bump::Minor
        } else if all().next().is_some() {
            Bump::Patch
        } else {
            Bump::None
        }
    }

    /// `version` bumped (`0.1.3` + minor = `0.2.0`); the version itself for `None` or text that
    /// is not `x.y.z`.
    pub fn apply(self, version: &str) -> String {
        let parts: Vec<u64> = version.split('.').map_while(|p| p.parse().ok()).collect();
        let [major, minor, patch] = parts[..] else {
            return version.to_owned();
        };
        match self {
            Bump::None => version.to_owned(),
            Bump::Patch => format!("{major}.{minor}.{}", patch + 1),
            Bump::Minor => format!("{major}.{}.0", minor + 1),
            Bump::Major => format!("{}.0.0", major + 1),
        }
    }
}

/// Pairs up what was removed with what was added when exactly one of each matches `same`:
/// that is a rename, not a removal and an addition.
pub(crate) fn pair_renames<'a, T>(
    removed: &mut Vec<&'a T>,
    added: &mut Vec<&'a T>,
    same: impl Fn(&T, &T) -> bool,
) -> Vec<(&'a T, &'a T)> {
    let mut pairs = Vec::new();
    let mut i = 0;
    while i < removed.len() {
        let old = removed[i];
        let candidates: Vec<usize> = (0..added.len()).filter(|&j| same(old, added[j])).collect();
        let rivals = removed
            .iter()
            .filter(|r| candidates.iter().any(|&j| same(r, added[j])))
            .count();
        if let ([j], 1) = (candidates.as_slice(), rivals) {
            pairs.push((old, added.remove(*j)));
            removed.remove(i);
        } else {
            i += 1;
        }
    }
    pairs
}

#[cfg(test)]
mod tests;
