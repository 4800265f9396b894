//! Counting what the process allocates: [`CountingAlloc`], a global
//! allocator that forwards to the system's and counts every allocation and
//! its size. A bench program installs it
//! (`#[global_allocator] static ALLOC: CountingAlloc = CountingAlloc;`) and
//! reads [`so_far`] around the work it measures.
//!
//! The only `unsafe` of the workspace: implementing `GlobalAlloc` needs it
//! (each function forwards to `System` with the caller's arguments; the
//! counters are relaxed atomics).

#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicU64, Ordering};

static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);
static BYTES: AtomicU64 = AtomicU64::new(0);

/// The system allocator, counting.
#[derive(Clone, Copy, Debug, Default)]
pub struct CountingAlloc;

fn count(size: usize) {
    ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
    BYTES.fetch_add(size as u64, Ordering::Relaxed);
}

// SAFETY: every function forwards to `System` with the arguments it was
// given, so `System`'s guarantees are this allocator's.
unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count(layout.size());
        // SAFETY: the caller's contract for `alloc` is `System.alloc`'s.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count(layout.size());
        // SAFETY: as for `alloc`.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count(new_size);
        // SAFETY: `ptr` and `layout` come from this allocator, i.e. from
        // `System`; the caller's contract is `System.realloc`'s.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` and `layout` come from this allocator, i.e. from
        // `System`.
        unsafe { System.dealloc(ptr, layout) }
    }
}

/// Allocations counted so far.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Allocations {
    /// Allocations and reallocations.
    pub count: u64,
    /// Bytes they asked for (a reallocation counts its new size).
    pub bytes: u64,
}

impl std::ops::Sub for Allocations {
    type Output = Allocations;

    fn sub(self, earlier: Allocations) -> Allocations {
        Allocations {
            count: self.count - earlier.count,
            bytes: self.bytes - earlier.bytes,
        }
    }
}

/// What [`CountingAlloc`] has counted since the process started (zero if
/// it is not the global allocator).
pub fn so_far() -> Allocations {
    Allocations {
        count: ALLOCATIONS.load(Ordering::Relaxed),
        bytes: BYTES.load(Ordering::Relaxed),
    }
}
