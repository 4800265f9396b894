//! Building carecloud-api (and so any crate depending on it) must not build
//! the generator's dependencies: the generated code is checked in.

use std::process::Command;

#[test]
fn carecloud_api_does_not_depend_on_the_generator() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let out = Command::new(cargo)
        .current_dir(carecloud_tests::workspace_root())
        .args([
            "tree",
            "--offline",
            "-p",
            "carecloud-api",
            "-e",
            "normal,build",
            "--prefix",
            "none",
            "--format",
            "{p}",
        ])
        .output()
        .expect("cargo tree runs");
    assert!(
        out.status.success(),
        "cargo tree failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let tree = String::from_utf8_lossy(&out.stdout);
    assert!(
        tree.contains("progenitor-client"),
        "unexpected tree:\n{tree}"
    );
    let crates: Vec<&str> = tree
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    let forbidden_list = [
        "progenitor-impl",
        "progenitor",
        "typify",
        "typify-impl",
        "openapiv3",
        "serde_yaml",
        "serde_yaml_ng",
        "unsafe-libyaml",
        "prettyplease",
    ];
    for forbidden in forbidden_list {
        assert!(
            !crates.contains(&forbidden),
            "carecloud-api depends on `{forbidden}`:\n{tree}"
        );
    }
}
