//! One error type for every task: a message saying what failed, with the
//! context it happened in prepended (`reading spec/x.yaml: No such file`).

use std::fmt;

/// What went wrong, as a message fit for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error(String);

/// The result of a task step.
pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    /// An error with this message.
    pub fn new(message: impl Into<String>) -> Self {
        Self(message.into())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

/// Adds what was being done to an error (`context("reading x")` turns
/// `No such file` into `reading x: No such file`).
pub trait Context<T> {
    /// Prefixes the error, if any, with `what()`.
    fn context(self, what: impl FnOnce() -> String) -> Result<T>;
}

impl<T, E: fmt::Display> Context<T> for std::result::Result<T, E> {
    fn context(self, what: impl FnOnce() -> String) -> Result<T> {
        self.map_err(|e| Error(format!("{}: {e}", what())))
    }
}

/// Returns early with an [`Error`] built like `format!`.
#[macro_export]
macro_rules! bail {
    ($($arg:tt)*) => {
        return Err($crate::error::Error::new(format!($($arg)*)))
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn context_prefixes_the_message() {
        let failed: std::result::Result<(), &str> = Err("No such file");
        let err = failed.context(|| "reading x".to_owned()).unwrap_err();
        assert_eq!(err.to_string(), "reading x: No such file");
    }
}
