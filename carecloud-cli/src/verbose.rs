//! `--verbose`: the client's tracing on standard error. The library's spans
//! and events carry operations, path templates, statuses, attempts and
//! delays, never a token or password (and no query values).
//!
//! `-v` writes one line per call when it ends, from the library's
//! `carecloud.call` span (`GET /customers 200 12 ms attempts=1`; a login or
//! token request inside a call is a call of its own), and one per notable
//! event (a login, a retry) as its message and fields, indented: it
//! belongs to the call whose line follows. `-vv` writes the
//! tracing detail instead: every span's fields, debug events, timings.

use std::fmt::{self, Write as _};

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::filter::{LevelFilter, Targets};
use tracing_subscriber::fmt::format::FmtSpan;
use tracing_subscriber::layer::{Context, Layer};
use tracing_subscriber::prelude::*;
use tracing_subscriber::registry::LookupSpan;

/// The library's span around each call.
const CALL_SPAN: &str = "carecloud.call";

/// `-v`: a line per call and per login or retry; `-vv`: the tracing
/// detail (debug events too). Nothing without `-v`.
pub(crate) fn init(count: u8) {
    match count {
        0 => {}
        1 => {
            let filter = Targets::new().with_target("carecloud_api", LevelFilter::INFO);
            let _ = tracing_subscriber::registry()
                .with(CallLines.with_filter(filter))
                .try_init();
        }
        _ => {
            let filter = Targets::new()
                .with_target("carecloud_api", LevelFilter::DEBUG)
                .with_target("carecloud", LevelFilter::DEBUG);
            let layer = tracing_subscriber::fmt::layer()
                .with_writer(std::io::stderr)
                .with_ansi(false)
                .with_target(false)
                .with_span_events(FmtSpan::CLOSE);
            let _ = tracing_subscriber::registry()
                .with(layer.with_filter(filter))
                .try_init();
        }
    }
}

/// The `-v` layer.
struct CallLines;

/// What a call span records.
#[derive(Default)]
struct Call {
    method: String,
    path: String,
    status: Option<u64>,
    attempts: Option<u64>,
    duration_ms: Option<u64>,
}

impl Call {
    /// `GET /customers 200 12 ms attempts=1` (`no reply` for a call that
    /// got none).
    fn line(&self) -> String {
        let mut line = format!("{} {}", self.method, self.path);
        match self.status {
            Some(status) => {
                let _ = write!(line, " {status}");
            }
            None => line.push_str(" no reply"),
        }
        if let Some(ms) = self.duration_ms {
            let _ = write!(line, " {ms} ms");
        }
        if let Some(attempts) = self.attempts {
            let _ = write!(line, " attempts={attempts}");
        }
        line
    }
}

impl Visit for Call {
    fn record_str(&mut self, field: &Field, value: &str) {
        match field.name() {
            "method" => self.method = value.to_owned(),
            "path" => self.path = value.to_owned(),
            _ => {}
        }
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        match field.name() {
            "status" => self.status = Some(value),
            "attempts" => self.attempts = Some(value),
            "duration_ms" => self.duration_ms = Some(value),
            _ => {}
        }
    }

    fn record_i64(&mut self, field: &Field, value: i64) {
        if let Ok(value) = u64::try_from(value) {
            self.record_u64(field, value);
        }
    }

    fn record_debug(&mut self, _: &Field, _: &dyn fmt::Debug) {}
}

/// An event as `message field=value …`.
#[derive(Default)]
struct Line(String);

impl Visit for Line {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.0.insert_str(0, value);
        } else {
            let _ = write!(self.0, " {}={value}", field.name());
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        if field.name() == "message" {
            self.0.insert_str(0, &format!("{value:?}"));
        } else {
            let _ = write!(self.0, " {}={value:?}", field.name());
        }
    }
}

impl<S: Subscriber + for<'a> LookupSpan<'a>> Layer<S> for CallLines {
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        if attrs.metadata().name() != CALL_SPAN {
            return;
        }
        let mut call = Call::default();
        attrs.record(&mut call);
        if let Some(span) = ctx.span(id) {
            span.extensions_mut().insert(call);
        }
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, ctx: Context<'_, S>) {
        if let Some(span) = ctx.span(id)
            && let Some(call) = span.extensions_mut().get_mut::<Call>()
        {
            values.record(call);
        }
    }

    fn on_close(&self, id: Id, ctx: Context<'_, S>) {
        if let Some(span) = ctx.span(&id)
            && let Some(call) = span.extensions().get::<Call>()
        {
            eprintln!("{}", call.line());
        }
    }

    fn on_event(&self, event: &Event<'_>, _: Context<'_, S>) {
        if *event.metadata().level() > Level::INFO {
            return;
        }
        let mut line = Line::default();
        event.record(&mut line);
        // Indented: a detail of the call whose line follows.
        eprintln!("  {}", line.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_call_line_reads_as_method_path_status_time_attempts() {
        let call = Call {
            method: "GET".into(),
            path: "/customers".into(),
            status: Some(200),
            attempts: Some(1),
            duration_ms: Some(12),
        };
        assert_eq!(call.line(), "GET /customers 200 12 ms attempts=1");
        let lost = Call {
            status: None,
            attempts: Some(4),
            ..call
        };
        assert_eq!(lost.line(), "GET /customers no reply 12 ms attempts=4");
    }
}
