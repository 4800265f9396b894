//! Generates `carecloud-api`'s typed clients from the hand-written OpenAPI
//! documents in `spec/`.
//!
//! The pipeline, one module per step:
//! [`load`] (YAML → JSON values) → [`resolve`] (bundle the shared
//! components into each interface) → [`validate`] (every rule the client
//! relies on, reported all at once with file and JSON path) → [`generate`](mod@generate)
//! (progenitor with an inner type and hooks, shared types, open enums, the
//! operation table, prettyplease) → [`output`] (write the folder whole, or
//! check it for drift).
//!
//! ```no_run
//! let workspace = std::path::Path::new(".");
//! let output = carecloud_codegen::generate_workspace(workspace)?;
//! let drift = carecloud_codegen::output::check(&output, &carecloud_codegen::output_dir(workspace))?;
//! assert!(drift.is_empty(), "regenerate with `cargo run -p carecloud-codegen`");
//! # Ok::<(), carecloud_codegen::Error>(())
//! ```

pub mod error;
pub mod generate;
pub mod json_path;
pub mod load;
pub mod naming;
pub mod output;
pub mod resolve;
pub mod surface;
pub mod validate;

use std::path::{Path, PathBuf};

pub use error::{Error, Problem, Result};
pub use generate::{Output, generate};
pub use load::Sources;

/// The interfaces, in generation order; each is `spec/<name>.yaml` and
/// becomes the module and cargo feature `<name>` of `carecloud-api`.
pub const INTERFACES: &[&str] = &["enterprise", "customer"];

/// Where the spec documents live, relative to the workspace root.
pub const SPEC_DIR: &str = "spec";

/// Where the generated code goes, relative to the workspace root.
pub const OUTPUT_DIR: &str = "carecloud-api/src/generated";

/// The output folder of the workspace at `root`.
pub fn output_dir(root: &Path) -> PathBuf {
    root.join(OUTPUT_DIR)
}

/// Reads the workspace's spec documents.
pub fn load_workspace(root: &Path) -> Result<Sources> {
    Sources::read(&root.join(SPEC_DIR), SPEC_DIR, INTERFACES)
}

/// Reads the workspace's spec and generates the code in memory.
pub fn generate_workspace(root: &Path) -> Result<Output> {
    generate(&load_workspace(root)?)
}
