//! [`TransportError`]: the request or its reply was lost on the way.

use std::fmt;

/// Where the exchange failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransportKind {
    /// No connection could be made (refused, DNS, TLS): the request was not
    /// sent.
    Connect,
    /// The client's timeout ran out (connecting, waiting for the reply or
    /// reading it). The request may have reached the server.
    Timeout,
    /// The reply was cut off or unreadable while its body was read.
    Body,
    /// Anything else the HTTP stack reports (the request may have been
    /// sent).
    Other,
}

/// A failure of the HTTP exchange itself. Its text never holds the URL
/// (customer paths carry the device token).
pub struct TransportError {
    kind: TransportKind,
    message: String,
    source: reqwest::Error,
}

impl TransportError {
    /// Classifies a reqwest failure (its URL removed).
    pub(crate) fn new(error: reqwest::Error) -> Self {
        let error = error.without_url();
        let kind = if error.is_connect() {
            TransportKind::Connect
        } else if error.is_timeout() {
            TransportKind::Timeout
        } else if error.is_body() || error.is_decode() {
            TransportKind::Body
        } else {
            TransportKind::Other
        };
        Self {
            kind,
            message: super::scrub::Scrub::default().text(&with_causes(&error)),
            source: error,
        }
    }

    /// Where it failed.
    pub fn kind(&self) -> TransportKind {
        self.kind
    }

    /// Whether the client's timeout ran out.
    pub fn is_timeout(&self) -> bool {
        self.kind == TransportKind::Timeout || self.source.is_timeout()
    }

    /// Whether no connection could be made (so nothing was sent).
    pub fn is_connect(&self) -> bool {
        self.kind == TransportKind::Connect
    }
}

/// An error's message followed by its causes' (`error sending request:
/// operation timed out`).
pub(crate) fn with_causes(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(inner) = cause {
        let inner_text = inner.to_string();
        if !text.ends_with(&inner_text) {
            text.push_str(": ");
            text.push_str(&inner_text);
        }
        cause = inner.source();
    }
    text
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            TransportKind::Connect => "could not connect",
            TransportKind::Timeout => "timed out",
            TransportKind::Body => "the reply was cut off",
            TransportKind::Other => "the request failed",
        };
        write!(f, "{what}: {}", self.message)
    }
}

impl fmt::Debug for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TransportError")
            .field("kind", &self.kind)
            .field("message", &self.message)
            .finish()
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}
