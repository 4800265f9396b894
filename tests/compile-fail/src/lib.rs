//! Holds only tests: `tests/ui.rs` runs the compile-fail cases under
//! `tests/ui/`, each with the exact diagnostic in its `.stderr` file.
