//! The sandbox's behaviour tests, one module per subject, in one test
//! binary: each file used to be a binary of its own, and each of those
//! compiled and linked the sandbox, the client and their generic code again
//! (about 8 s apiece on 2 cores). The table-driven operation trials are
//! `tests/operations.rs`.
//!
//! `cargo test -p carecloud-sandbox --test behaviour purchases::` runs one
//! subject's tests.

#[path = "../support/raw.rs"]
mod raw;
#[path = "../support/schema.rs"]
mod schema;

mod auth;
mod bookings;
mod books;
mod http;
mod long_running;
mod pagination;
mod purchases;
mod redemption;
mod resources;
mod schema_validation;
mod wire;
