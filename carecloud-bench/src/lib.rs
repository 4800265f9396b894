//! What carecloud-api costs at run time, and whether it holds up: the pieces
//! of the benchmarks in `benches/` and of the soak command
//! (`src/bin/carecloud-soak.rs`), against the embedded sandbox
//! (`carecloud-sandbox`) or, for the client overhead, a fixed-reply server
//! in its own process (`src/bin/carecloud-fixed-server.rs`), on loopback.
//!
//! * [`page`]: a synthetic page of customers shaped like CareCloud's
//!   `GET /customers` replies (our own generator, not vendor data), with
//!   empty arrays, absent fields, unknown fields and `null`s as asked;
//! * [`plain`]: the same fields as plain serde-derive structs, what a user
//!   would write by hand (the decode baseline);
//! * [`hand`]: a minimal hand-written reqwest + serde client (the client
//!   overhead baseline);
//! * [`fixed`]: the fixed-reply HTTP server the client overhead is measured
//!   against (no decoding, no lock), and the child process running it;
//! * [`alloc_count`]: a counting global allocator, for allocations per
//!   request;
//! * [`measure`]: interleaved rounds and per-round ratios, which stay
//!   meaningful on a machine other work shares;
//! * [`soak`]: the soak scenario of issue 10 (20 tasks, GETs and PUTs of an
//!   unchanged record, POSTs, token invalidations, injected 429s and 503s)
//!   and its report.
//!
//! `docs/benchmarks.md` has the commands and the recorded figures.

pub mod alloc_count;
pub mod args;
pub mod fixed;
pub mod hand;
pub mod measure;
pub mod page;
pub mod plain;
pub mod soak;

/// Whether the bench program was started by `cargo bench` (which passes
/// `--bench`); under `cargo test --benches` it runs a tiny smoke round.
pub fn full_run() -> bool {
    std::env::args().any(|a| a == "--bench")
}
