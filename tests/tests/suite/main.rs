//! The workspace's checks that need no server of their own, or only a raw
//! one on loopback, one module per subject, in one test binary: each file
//! used to be a binary of its own, compiled and linked apart. The tests
//! that install a tracing subscriber (`tracing.rs`, `privacy.rs`) stay in
//! binaries of their own, as do the auth scenarios (`auth/`) and the
//! `harness = false` ones (`fleet/`, `vendor_examples.rs`).
//!
//! `cargo test -p carecloud-tests --test suite surface::` runs one
//! subject's tests; snapshots are in `snapshots/suite__<subject>__*.snap`.

use std::sync::OnceLock;

#[path = "../support/raw.rs"]
#[allow(dead_code)]
mod raw;

mod codegen_diagnostics;
mod coverage;
mod dependencies;
mod drift;
mod engagement_seed;
mod json_schema;
mod malformed;
mod payloads;
mod retries;
mod surface;
mod unify;

/// What the generator makes of the checked-in spec, generated once for
/// every test here that reads it (a generation takes seconds in a debug
/// build).
fn generated() -> &'static carecloud_codegen::Output {
    static OUTPUT: OnceLock<carecloud_codegen::Output> = OnceLock::new();
    OUTPUT.get_or_init(|| {
        carecloud_codegen::generate_workspace(&carecloud_tests::workspace_root())
            .expect("the spec generates")
    })
}
