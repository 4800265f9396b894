//! Proc-macros for `carecloud-api`'s auth-aware client wrappers.
//!
//! This crate is a placeholder in the foundation release: the wrapper derive
//! arrives with the authentication work. It compiles and exports nothing yet.
