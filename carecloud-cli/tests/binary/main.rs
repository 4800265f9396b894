//! The `carecloud` binary run as people and scripts run it, one module per
//! subject, in one test binary (each used to be a binary of its own,
//! compiled and linked apart): `cli` (help, usage errors, exit codes),
//! `configuration` (variables, profiles, the config file), `scripting`
//! (output, exit codes and token handling as scripts see them) and `serve`
//! (`carecloud sandbox serve` under a long run). The operations test and
//! the token-store test (`harness = false`) stay binaries of their own.
//!
//! `cargo test -p carecloud-cli --test binary serve::` runs one subject's
//! tests; snapshots are in `binary/snapshots/binary__<subject>__*.snap`.

#[path = "../support/mod.rs"]
mod support;

mod cli;
mod configuration;
mod scripting;
mod serve;
