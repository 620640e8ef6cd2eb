//! The few git questions the xtask asks, through the `git` command line.

use generator::SpecFile;
use std::path::Path;
use std::process::Command;

fn git(root: &Path, args: &[&str]) -> Result<String, String> {
    let output = Command::new("git")
        .current_dir(root)
        .args(args)
        .output()
        .map_err(|e| format!("error: cannot run git: {e}"))?;
    if output.status.success() {
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    } else {
        Err(format!(
            "error: `git {}` failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr).trim()
        ))
    }
}

/// A revision to compare with: what the user called it and the commit it is.
#[derive(Debug, Clone)]
pub struct Base {
    /// `main`, `HEAD`, `merge-base with main`, or the `--base` given.
    pub label: String,
    /// Full commit id.
    pub commit: String,
}

impl Base {
    /// The commit's first 10 digits.
    pub fn short(&self) -> &str {
        &self.commit[..self.commit.len().min(10)]
    }
}

/// `--base` if given; otherwise the merge base of `HEAD` with `main` (or `origin/main`, as CI
/// checkouts have it), otherwise `HEAD`.
pub fn resolve_base(root: &Path, given: Option<&str>) -> Result<Base, String> {
    let commit = |rev: &str| {
        git(
            root,
            &[
                "rev-parse",
                "--verify",
                "--quiet",
                &format!("{rev}^{{commit}}"),
            ],
        )
    };
    if let Some(rev) = given {
        return Ok(Base {
            label: rev.to_owned(),
            commit: commit(rev)
                .map_err(|_| format!("error: `--base {rev}` is not a commit of this repository"))?
                .trim()
                .to_owned(),
        });
    }
    for main in ["main", "origin/main"] {
        if let Ok(found) = git(root, &["merge-base", "HEAD", main]) {
            return Ok(Base {
                label: format!("merge base with `{main}`"),
                commit: found.trim().to_owned(),
            });
        }
    }
    Ok(Base {
        label: "HEAD".to_owned(),
        commit: commit("HEAD")?.trim().to_owned(),
    })
}

/// One file as committed at `commit`.
pub fn file_at(root: &Path, commit: &str, path: &str) -> Result<String, String> {
    git(root, &["show", &format!("{commit}:{path}")])
}

/// Every `<dir>/*.yaml` as committed at `commit`, sorted by path.
pub fn specs_at(root: &Path, commit: &str, dir: &str) -> Result<Vec<SpecFile>, String> {
    let listing = git(
        root,
        &["ls-tree", "--name-only", commit, &format!("{dir}/")],
    )?;
    let mut specs = Vec::new();
    for path in listing.lines().filter(|p| p.ends_with(".yaml")) {
        specs.push(SpecFile {
            path: path.to_owned(),
            text: git(root, &["show", &format!("{commit}:{path}")])?,
        });
    }
    specs.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(specs)
}
