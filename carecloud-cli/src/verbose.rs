//! `--verbose`: the client's tracing on standard error. The library's spans
//! and events carry operations, path templates, statuses, attempts and
//! delays, never a token or password (and no query values).

use tracing_subscriber::filter::{LevelFilter, Targets};
use tracing_subscriber::fmt::format::FmtSpan;
use tracing_subscriber::prelude::*;

/// `-v`: each call (when it ends: status, attempts, duration), logins and
/// retries; `-vv`: also debug events. Nothing without `-v`.
pub(crate) fn init(count: u8) {
    let level = match count {
        0 => return,
        1 => LevelFilter::INFO,
        _ => LevelFilter::DEBUG,
    };
    let filter = Targets::new()
        .with_target("carecloud_api", level)
        .with_target("carecloud", level);
    let layer = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .with_target(false)
        .with_span_events(FmtSpan::CLOSE);
    let _ = tracing_subscriber::registry()
        .with(layer.with_filter(filter))
        .try_init();
}
