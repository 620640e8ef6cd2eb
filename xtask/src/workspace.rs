//! Which checkout to work on, decided at run time.
//!
//! The binary may have been built from another checkout: with a shared `CARGO_TARGET_DIR`,
//! `cargo xtask` in a second checkout runs the binary the first one built, so a path baked in
//! at compile time (`CARGO_MANIFEST_DIR`) would silently work on the wrong tree.

use std::path::{Path, PathBuf};

/// The nearest directory at or above `start` whose `Cargo.toml` declares a `[workspace]`.
pub fn find_root(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|dir| is_workspace(dir))
        .map(Path::to_path_buf)
}

fn is_workspace(dir: &Path) -> bool {
    std::fs::read_to_string(dir.join("Cargo.toml"))
        .is_ok_and(|text| text.lines().any(|line| line.trim() == "[workspace]"))
}

/// The workspace of the current directory, or an error that says what to do.
pub fn current_root() -> Result<PathBuf, String> {
    let cwd = std::env::current_dir()
        .map_err(|e| format!("error: cannot read the current directory: {e}"))?;
    find_root(&cwd).ok_or_else(|| {
        format!(
            "error: no Cargo workspace at or above {}\n  = help: run `cargo xtask` inside a checkout of this project",
            cwd.display()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::find_root;

    #[test]
    fn finds_the_nearest_workspace_above_a_member() {
        let root = std::env::temp_dir().join(format!("xtask-ws-{}", std::process::id()));
        let member = root.join("xtask/src");
        std::fs::create_dir_all(&member).unwrap();
        std::fs::write(
            root.join("Cargo.toml"),
            "[workspace]\nmembers = [\"xtask\"]\n",
        )
        .unwrap();
        std::fs::write(
            root.join("xtask/Cargo.toml"),
            "[package]\nname = \"xtask\"\n",
        )
        .unwrap();
        assert_eq!(find_root(&member), Some(root.clone()));
        assert_eq!(find_root(&root), Some(root.clone()));
        std::fs::remove_dir_all(&root).unwrap();
    }
}
