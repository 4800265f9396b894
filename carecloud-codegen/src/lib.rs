//! Generates `carecloud-api`'s typed clients from the hand-written OpenAPI
//! documents in `spec/`.
//!
//! The code runs in this order, one module per step:
//!
//! 1. [`load`] reads `spec/`: `components.yaml`, one document per interface
//!    (`enterprise.yaml`, `customer.yaml`) and one per resource group
//!    (`groups/<group>.yaml`), into JSON values;
//! 2. [`validate`] checks every rule the client relies on and reports every
//!    problem at once, each with its file and JSON path ([`refs`] follows the
//!    `$ref`s between documents); on success it returns the [`model::Api`]:
//!    operations with their facts, schemas with the groups that use them, and
//!    one merged document;
//! 3. [`mod@generate`] runs progenitor (and typify inside it) on that document
//!    and reads what it made with `syn`: each type becomes one `object!` (or
//!    `open_enum!`) invocation listing its fields once, in the file of its
//!    group behind the features that use it; each operation a client method
//!    taking its required arguments and a lean builder; plus the operation
//!    tables. Rust files are formatted by prettyplease, the types files
//!    written as text. Folders outside carecloud-api are generated too: the
//!    sandbox's schema registry, the request bodies its operations test
//!    builds through their constructors, the command-line client's help
//!    texts (the spec's descriptions), and carecloud-dynamic's dispatch of
//!    any operation by its id;
//! 4. [`output`] writes the folders whole and the group features into
//!    carecloud-api's manifest, or checks both for drift.
//!
//! [`bundle`] writes the documents as single self-contained files for other
//! tools (validators, other generators); [`surface`] summarizes the
//! generated API for review; [`diff`] says what a spec change means for the
//! crate's users (a semver verdict per change, a CHANGELOG section, a CI gate).
//!
//! ```no_run
//! let workspace = std::path::Path::new(".");
//! let output = carecloud_codegen::generate_workspace(workspace)?;
//! let drift = carecloud_codegen::output::check(&output, workspace)?;
//! assert!(drift.is_empty(), "regenerate with `cargo run -p carecloud-codegen`");
//! # Ok::<(), carecloud_codegen::Error>(())
//! ```

pub mod bundle;
pub mod diff;
pub mod error;
pub mod generate;
pub mod json_path;
pub mod load;
pub mod model;
pub mod naming;
pub mod output;
pub mod refs;
pub mod surface;
pub mod validate;

use std::path::{Path, PathBuf};

pub use error::{Error, Problem, Result};
pub use generate::{Output, generate};
pub use load::Sources;
pub use model::Api;

/// The interfaces, in generation order; each is `spec/<name>.yaml` and
/// becomes the module and cargo feature `<name>` of `carecloud-api`.
pub const INTERFACES: &[&str] = &["enterprise", "customer"];

/// Where the spec documents live, relative to the workspace root.
pub const SPEC_DIR: &str = "spec";

/// The output folder of the workspace at `root`.
pub fn output_dir(root: &Path) -> PathBuf {
    root.join(output::OUTPUT_DIR)
}

/// Reads the workspace's spec documents.
pub fn load_workspace(root: &Path) -> Result<Sources> {
    Sources::read(&root.join(SPEC_DIR), SPEC_DIR, INTERFACES)
}

/// Reads and validates the workspace's spec.
pub fn validate_workspace(root: &Path) -> Result<Api> {
    validate::validate(&load_workspace(root)?)
}

/// Reads the workspace's spec and generates the code in memory.
pub fn generate_workspace(root: &Path) -> Result<Output> {
    generate(&load_workspace(root)?)
}
