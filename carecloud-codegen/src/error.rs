//! The one error type of the generator, and the problems validation reports.

use std::fmt;
use std::path::PathBuf;

/// Everything that can stop a generation run.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or folder involved.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// A spec file is not valid YAML.
    #[error("{file}: {message}")]
    Yaml {
        /// The spec file, as named to the generator.
        file: String,
        /// The parser's message, with line and column.
        message: String,
    },
    /// The spec documents break one or more rules; every problem found is listed.
    #[error("the spec has {} problem{}:\n{}", .0.len(), if .0.len() == 1 { "" } else { "s" }, Problems(.0))]
    Invalid(Vec<Problem>),
    /// progenitor rejected a document that passed validation.
    #[error("{file}: progenitor rejected the document: {message}")]
    Progenitor {
        /// What was being generated.
        file: String,
        /// progenitor's message.
        message: String,
    },
    /// progenitor panicked on a document that passed validation (a gap in
    /// validation: please report it with the spec).
    #[error("{file}: progenitor panicked: {message}")]
    Panicked {
        /// What was being generated.
        file: String,
        /// The panic message.
        message: String,
    },
    /// carecloud-api's manifest cannot take the group features.
    #[error("{}: {message}", path.display())]
    Manifest {
        /// The manifest.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// typify made a type of a shape the generated types cannot declare
    /// (a gap in validation: please report it with the spec).
    #[error("the generated type `{name}`: {message}")]
    Unsupported {
        /// The Rust type.
        name: String,
        /// What about it is not supported.
        message: String,
    },
    /// The generated tokens are not valid Rust (a generator bug).
    #[error("{file}: generated code does not parse: {message}")]
    Unparsable {
        /// The output file being formatted.
        file: String,
        /// syn's message.
        message: String,
    },
    /// One of the two specs `diff` compares cannot be read or is invalid.
    #[error("the {side} spec: {source}")]
    Spec {
        /// Which spec: `old (HEAD)`, `new (spec/)`.
        side: String,
        /// What is wrong with it.
        source: Box<Error>,
    },
    /// A git command failed (an unknown revision, no repository).
    #[error("`git {args}` failed: {message}")]
    Git {
        /// The git arguments.
        args: String,
        /// What git said, or why it could not run.
        message: String,
    },
    /// A line of a file of accepted changes (`diff --accept`) is wrong.
    #[error("{}:{line}: {message}", path.display())]
    Accept {
        /// The file.
        path: PathBuf,
        /// The line (from 1).
        line: usize,
        /// What is wrong.
        message: String,
    },
}

/// `Result` with the generator's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// One rule broken by the spec: where, and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Problem {
    /// The spec file, as named to the generator (e.g. `spec/enterprise.yaml`).
    pub file: String,
    /// JSON path of the offending node inside that file (e.g. `$.paths['/customers'].get`).
    pub path: String,
    /// What is wrong, and what to do instead.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.file, self.path, self.message)
    }
}

struct Problems<'a>(&'a [Problem]);

impl fmt::Display for Problems<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "  - {p}")?;
        }
        Ok(())
    }
}
