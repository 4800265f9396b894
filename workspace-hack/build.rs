//! Empty: cargo reads a package's `[build-dependencies]` only when it has a
//! build script, and this crate's are there for their features alone (see
//! `Cargo.toml`).

fn main() {}
