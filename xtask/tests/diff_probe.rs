//! The soundness probe of `carecloud-codegen diff` on a representative
//! subset of its fixture pairs: a major change that breaks the build (a
//! property removed), one that compiles and breaks behaviour (a parameter's
//! range narrowed), a minor one (a property added) and a patch
//! (documentation only). For each, a crate written against the API
//! generated from the old side is checked against the API generated from
//! the new side, and it must fail to compile exactly when the report says
//! the build breaks. `cargo xtask diff-probe` runs every
//! pair (docs/semver.md gives the figures).
//!
//! The probe compiles crates of its own, so `cargo test --workspace` lists
//! it as ignored, with the command that runs it; `.ci/run` runs it.

use std::process::Command;

#[test]
#[ignore = "slow: generates and compiles 8 crates (about 80 s cold); CI runs it: cargo test -p xtask --test diff_probe -- --ignored"]
fn the_compiler_agrees_with_the_verdict_on_major_minor_and_patch_pairs() {
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["diff-probe", "--pair", "property_removed"])
        .args(["--pair", "parameter_range_changed"])
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
            vec!["property_added", "minor", "-", "yes", "yes"],
            vec!["property_removed", "major", "build", "no", "yes"],
            vec![
                "parameter_range_changed",
                "major",
                "behaviour",
                "yes",
                "yes"
            ],
            vec!["documentation_only", "patch", "-", "yes", "yes"],
            vec!["4", "of", "4", "agree"],
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
