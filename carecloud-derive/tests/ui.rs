//! Compile-fail tests of `#[derive(CareCloudClient)]` misuse, grouped by
//! category; each `.stderr` is the exact diagnostic. Regenerate with
//! `TRYBUILD=overwrite cargo test -p carecloud-derive --test ui` and read
//! the diff.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/attr/*.rs");
    t.compile_fail("tests/ui/shape/*.rs");
    t.compile_fail("tests/ui/source/*.rs");
}
