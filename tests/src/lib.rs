//! Helpers shared by the workspace tests (fixture paths).
