//! Error replies: the documented envelope ([`ApiError`]) and everything
//! else with an error status ([`StatusError`]).

use std::fmt;
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, RETRY_AFTER};

use super::scrub::{self, Scrub};
use crate::types::ErrorEnvelope;

/// A documented error reply: its status and the server's error envelope,
/// with anything the client knows is secret removed.
///
/// Its `Display` and `Debug` show the status, the exception and the
/// envelope's `title` (a fixed text per error), capped. The `detail` and
/// `error_data` are left out: they are about the record at hand and may
/// quote it (an e-mail address already registered, a value sent); read them
/// through [`detail`](Self::detail) and [`envelope`](Self::envelope). The
/// client's own log lines show the status and the exception alone.
#[derive(Clone)]
pub struct ApiError {
    status: StatusCode,
    envelope: Box<ErrorEnvelope>,
    retry_after: Option<Duration>,
}

impl ApiError {
    /// The reply as an `ApiError` if its body is the error envelope, scrubbed
    /// of the call's secrets before it is parsed.
    pub(crate) fn parse(
        status: StatusCode,
        headers: &HeaderMap,
        body: &[u8],
        scrub: &Scrub,
    ) -> Option<Self> {
        let text = std::str::from_utf8(body).ok()?;
        let clean = scrub.text_within(text, usize::MAX);
        let envelope = serde_json::from_str(&clean).ok()?;
        Some(Self {
            status,
            envelope: Box::new(envelope),
            retry_after: retry_after(headers),
        })
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The server's error envelope (`error.title`, `error.detail`,
    /// `error.exception`, `error.error_data`, ...).
    pub fn envelope(&self) -> &ErrorEnvelope {
        &self.envelope
    }

    /// The server's machine-readable error class (`error.exception`, e.g.
    /// `missing_argument_exception`), if it sent one.
    pub fn exception(&self) -> Option<&str> {
        self.envelope.error.exception.as_deref()
    }

    /// The `Retry-After` the reply carried, if any.
    pub fn retry_after(&self) -> Option<Duration> {
        self.retry_after
    }

    /// The title and detail, capped: what an opted-in log line shows.
    pub(crate) fn messages(&self) -> impl Iterator<Item = String> {
        [self.title(), self.detail()].into_iter().flatten()
    }

    /// The envelope's `title`, scrubbed of the call's secrets and capped;
    /// `None` when empty.
    pub fn title(&self) -> Option<String> {
        text_field(self.envelope.error.title.as_deref())
    }

    /// The envelope's `detail`, scrubbed of the call's secrets and capped;
    /// `None` when empty. It may quote the record the call was about (not
    /// shown by `Display` or `Debug` for that reason).
    pub fn detail(&self) -> Option<String> {
        text_field(self.envelope.error.detail.as_deref())
    }
}

/// A server message field, capped (it may be long).
fn text_field(text: Option<&str>) -> Option<String> {
    text.filter(|t| !t.trim().is_empty())
        .map(|t| Scrub::default().text(t))
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the server answered {}", self.status)?;
        if let Some(exception) = self.exception() {
            write!(f, " ({})", scrub::truncate(exception, 80))?;
        }
        if let Some(title) = self.title() {
            write!(f, ": {title}")?;
        }
        Ok(())
    }
}

/// Status, exception and title (capped); not the detail, not the envelope.
impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("status", &self.status.as_u16())
            .field(
                "exception",
                &self.exception().map(|e| scrub::truncate(e, 80)),
            )
            .field("title", &self.title())
            .field("retry_after", &self.retry_after)
            .finish_non_exhaustive()
    }
}

/// A reply with a status the API does not document in this form (no error
/// envelope): its status, `Retry-After` and the start of its body.
///
/// Its `Display` and `Debug` give the status and the body's size, never
/// the body: a proxy's error page may echo the request. The start of the
/// body is kept apart, in [`excerpt`](Self::excerpt).
#[derive(Clone)]
pub struct StatusError {
    status: StatusCode,
    retry_after: Option<Duration>,
    /// The bytes of body read (an error page is read up to a limit).
    body_len: usize,
    excerpt: String,
}

impl StatusError {
    pub(crate) fn new(status: StatusCode, headers: &HeaderMap, body: &[u8], scrub: &Scrub) -> Self {
        Self {
            status,
            retry_after: retry_after(headers),
            body_len: body.len(),
            excerpt: scrub::excerpt(scrub, body, 0),
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The `Retry-After` the reply carried, if any.
    pub fn retry_after(&self) -> Option<Duration> {
        self.retry_after
    }

    /// The start of the body, as text (lossy, at most a few hundred
    /// characters; empty if there was none), for a caller who wants to see
    /// what came.
    ///
    /// **It may hold personal data or what the request carried** (a proxy's
    /// page may echo the request): it is shown by neither `Display` nor
    /// `Debug`; log it only where such data may go. The secrets the call
    /// sent, any `Bearer` credential and the values of members named like a
    /// secret are replaced by `<redacted>`. Empty for the reply of a login
    /// or token request.
    pub fn excerpt(&self) -> &str {
        &self.excerpt
    }
}

/// The status and the body's size; nothing of the body (see
/// [`StatusError::excerpt`]).
impl fmt::Display for StatusError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unexpected reply {}", self.status)?;
        match self.body_len {
            0 => f.write_str(" with no body"),
            n => write!(f, " ({n} bytes of body, not shown)"),
        }
    }
}

/// Status, `Retry-After` and the body's size; not the excerpt.
impl fmt::Debug for StatusError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StatusError")
            .field("status", &self.status.as_u16())
            .field("retry_after", &self.retry_after)
            .field("body_len", &self.body_len)
            .finish_non_exhaustive()
    }
}

/// `Retry-After` as a delay: seconds, or an HTTP date (a date in the past is
/// no delay).
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let now = chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now());
    let wait = date.signed_duration_since(now);
    Some(wait.to_std().unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use reqwest::header::HeaderValue;

    use super::*;

    #[test]
    fn retry_after_in_seconds_or_as_a_date() {
        let mut headers = HeaderMap::new();
        assert_eq!(retry_after(&headers), None);
        headers.insert(RETRY_AFTER, HeaderValue::from_static("7"));
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(7)));
        headers.insert(
            RETRY_AFTER,
            HeaderValue::from_static("Wed, 21 Oct 2015 07:28:00 GMT"),
        );
        assert_eq!(retry_after(&headers), Some(Duration::ZERO));
        headers.insert(RETRY_AFTER, HeaderValue::from_static("soon"));
        assert_eq!(retry_after(&headers), None);
    }

    #[test]
    fn envelopes_are_scrubbed_and_their_texts_capped() {
        let mut scrub = Scrub::default();
        scrub.add("t0k3n-abcdef");
        let body = format!(
            r#"{{"error":{{"title":"Bad token t0k3n-abcdef","detail":"{}"}}}}"#,
            "d".repeat(100_000)
        );
        let error = ApiError::parse(
            StatusCode::BAD_REQUEST,
            &HeaderMap::new(),
            body.as_bytes(),
            &scrub,
        )
        .expect("an envelope");
        let shown = format!("{error} {error:?}");
        assert!(!shown.contains("t0k3n"), "{shown}");
        assert!(shown.len() < 1_200, "{}", shown.len());
        assert_eq!(
            error.envelope().error.title.as_deref(),
            Some("Bad token <redacted>")
        );
        assert!(
            ApiError::parse(
                StatusCode::BAD_GATEWAY,
                &HeaderMap::new(),
                b"<html>",
                &scrub
            )
            .is_none()
        );
    }
}
