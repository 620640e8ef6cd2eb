//! The bug this guards against: with a shared `CARGO_TARGET_DIR`, `cargo xtask codegen` in a
//! second checkout ran the binary built for the first one, regenerated the first checkout and
//! reported "unchanged". Here the binary built from this checkout is run inside another one.

use std::path::Path;
use std::process::Command;

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            std::fs::copy(&path, to.join(path.file_name().unwrap())).unwrap();
        }
    }
}

#[test]
fn codegen_works_on_the_checkout_it_is_run_in() {
    let this = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let other = std::env::temp_dir().join(format!("xtask-second-checkout-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&other);
    std::fs::create_dir_all(&other).unwrap();
    // The hand-written inputs codegen reads besides the specs: the versions.
    std::fs::copy(this.join("Cargo.toml"), other.join("Cargo.toml")).unwrap();
    for manifest in [
        "generator/runtime/Cargo.toml",
        "generator/runtime-cli/Cargo.toml",
    ] {
        std::fs::create_dir_all(other.join(manifest).parent().unwrap()).unwrap();
        std::fs::copy(this.join(manifest), other.join(manifest)).unwrap();
    }
    copy_dir(&this.join("specs"), &other.join("specs"));
    copy_dir(
        &this.join("tests/corpus/specs"),
        &other.join("tests/corpus/specs"),
    );
    let sub = other.join("specs");

    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("codegen")
        .current_dir(&sub)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout.contains("wrote     generated/src/apivideo.rs"),
        "{stdout}"
    );
    assert!(other.join("generated/src/apivideo.rs").exists());
    assert!(other.join("tests/corpus/src/lib.rs").exists());
    std::fs::remove_dir_all(&other).unwrap();
}
