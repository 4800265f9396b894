//! Tells the tests whether the vendor's example payloads are on this machine
//! (`cfg(vendor_examples)`), so that a test reading them is reported as
//! ignored, never as passed, where they are not. They are looked for where
//! the tests read them: `$CARECLOUD_REFERENCE_DIR/examples`, else
//! `<workspace>/../shared/reference/examples`.

use std::path::PathBuf;

fn main() {
    println!("cargo::rustc-check-cfg=cfg(vendor_examples)");
    println!("cargo::rerun-if-env-changed=CARECLOUD_REFERENCE_DIR");
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let reference = std::env::var_os("CARECLOUD_REFERENCE_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| manifest.join("../../shared/reference"));
    let examples = reference.join("examples");
    if examples.is_dir() {
        println!("cargo::rustc-cfg=vendor_examples");
        println!("cargo::rerun-if-changed={}", examples.display());
    }
    // Without the folder only a changed CARECLOUD_REFERENCE_DIR reruns this
    // (watching a missing folder's parents could mean scanning a whole
    // disk); after adding the folder at the default place, `touch
    // tests/build.rs`.
}
