//! Compile-fail tests, grouped by category; each `.stderr` is the exact
//! diagnostic. `attr`, `shape`, `source`: misuse of
//! `#[derive(CareCloudClient)]`; `call`: misuse of the generated client
//! methods (a required argument left out). Regenerate with
//! `TRYBUILD=overwrite cargo test -p carecloud-compile-fail` and read the
//! diff.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/attr/*.rs");
    t.compile_fail("tests/ui/shape/*.rs");
    t.compile_fail("tests/ui/source/*.rs");
    t.compile_fail("tests/ui/call/*.rs");
}
