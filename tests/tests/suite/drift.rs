//! The checked-in generated code is exactly what the generator makes from
//! the checked-in spec.

#[test]
fn checked_in_code_matches_the_spec() {
    let root = carecloud_tests::workspace_root();
    let drift = carecloud_codegen::output::check(crate::generated(), &root)
        .expect("output folder readable");
    let listed: Vec<String> = drift.iter().map(ToString::to_string).collect();
    assert!(
        listed.is_empty(),
        "generated code is stale; run `cargo run -p carecloud-codegen`:\n{}",
        listed.join("\n")
    );
}

#[test]
fn generation_is_deterministic() {
    let root = carecloud_tests::workspace_root();
    let second = carecloud_codegen::generate_workspace(&root).expect("generates");
    assert_eq!(crate::generated(), &second);
}
