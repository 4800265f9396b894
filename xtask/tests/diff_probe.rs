//! The soundness probe of `carecloud-codegen diff` on a representative
//! subset of its fixture pairs: a major change (a property removed), a
//! minor one (a property added) and a patch (documentation only). For each,
//! a crate written against the API generated from the old side is checked
//! against the API generated from the new side, and the compiler's answer
//! must agree with the report's level. `cargo xtask diff-probe` runs every
//! pair (docs/semver.md gives the figures).

use std::process::Command;

#[test]
fn the_compiler_agrees_with_the_verdict_on_a_major_a_minor_and_a_patch_pair() {
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["diff-probe", "--pair", "property_removed"])
        .args(["--pair", "property_added", "--pair", "documentation_only"])
        .output()
        .expect("xtask runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stdout}{stderr}");
    let rows: Vec<Vec<&str>> = stdout
        .lines()
        .skip(1)
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(
        rows,
        [
            vec!["property_added", "minor", "yes", "yes"],
            vec!["property_removed", "major", "no", "yes"],
            vec!["documentation_only", "patch", "yes", "yes"],
            vec!["3", "of", "3", "agree"],
        ],
        "{stdout}"
    );
}

#[test]
fn an_unknown_pair_is_an_error_naming_the_pairs() {
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["diff-probe", "--pair", "no_such_pair"])
        .output()
        .expect("xtask runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("no fixture pair `no_such_pair`") && stderr.contains("property_added"),
        "{stderr}"
    );
}
