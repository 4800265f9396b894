//! The bench crate's tests, in one binary (each file was its own test
//! binary, linked on its own: about 2 s of a cold `cargo test --workspace`
//! apiece).
//!
//! * `fixed_server`: the fixed-reply server serves both clients; the
//!   counting allocator (installed here, for the whole binary) counts.
//! * `parts`: the generated page, the plain client, the measurements.
//! * `round_trip`: a generated page of customers round-trips exactly.
//! * `soak`: the soak scenario at a size the suite affords.

use carecloud_bench::alloc_count::CountingAlloc;

mod fixed_server;
mod parts;
mod round_trip;
mod soak;

// For `fixed_server::the_counting_allocator_counts_allocations_and_bytes`:
// it asserts lower bounds, so other tests allocating meanwhile do not
// disturb it.
#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;
