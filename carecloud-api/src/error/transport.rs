//! [`TransportError`]: the request or its reply was lost on the way, or the
//! reply was not HTTP the client could read.

use std::fmt;
use std::io;

/// Where the exchange failed. The kind decides whether the client retries
/// (see [`RetryPolicy`](crate::RetryPolicy)): a [`Connect`](Self::Connect)
/// failure for any call; a [`Timeout`](Self::Timeout), a
/// [`ConnectionLost`](Self::ConnectionLost) or a cut-off [`Body`](Self::Body)
/// for `GET`, `PUT` and `DELETE`; the other kinds never (they do not pass).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransportKind {
    /// No connection could be made (refused, unreachable, DNS): the request
    /// was not sent.
    Connect,
    /// The client's timeout ran out (connecting, waiting for the reply or
    /// reading it). The request may have reached the server.
    Timeout,
    /// The connection was closed or reset before the reply's head came. The
    /// request may have reached the server.
    ConnectionLost,
    /// The reply was cut off while its body was read (the connection closed
    /// or was reset before the body's end).
    Body,
    /// The reply is not HTTP the client can read: a garbage status line, a
    /// head too large, conflicting `Content-Length`s, a broken chunked
    /// body.
    MalformedReply,
    /// Redirects did not end (a redirect loop, or more than ten).
    Redirect,
    /// The TLS handshake failed (a certificate that does not verify, a
    /// server that does not speak TLS): nothing was sent.
    Tls,
    /// Anything else the HTTP stack reports (the request may have been
    /// sent).
    Other,
}

impl TransportKind {
    /// Whether the same request could get through later: a connection that
    /// could not be made or was lost, a timeout, a reply cut off.
    pub fn is_transient(self) -> bool {
        matches!(
            self,
            TransportKind::Connect
                | TransportKind::Timeout
                | TransportKind::ConnectionLost
                | TransportKind::Body
        )
    }

    const fn summary(self) -> &'static str {
        match self {
            TransportKind::Connect => "could not connect",
            TransportKind::Timeout => "timed out",
            TransportKind::ConnectionLost => "the connection was lost",
            TransportKind::Body => "the reply was cut off",
            TransportKind::MalformedReply => "the reply is not valid HTTP",
            TransportKind::Redirect => "too many redirects",
            TransportKind::Tls => "the TLS handshake failed",
            TransportKind::Other => "the request failed",
        }
    }
}

/// A failure of the HTTP exchange itself. Its text is the HTTP stack's
/// account of what failed; it never holds the URL (customer paths carry
/// the device token) nor anything of the reply.
pub struct TransportError {
    kind: TransportKind,
    message: String,
    source: reqwest::Error,
}

impl TransportError {
    /// Classifies a reqwest failure (its URL removed).
    pub(crate) fn new(error: reqwest::Error) -> Self {
        let error = error.without_url();
        Self {
            kind: classify(&error),
            message: super::scrub::Scrub::default().text(&with_causes(&error)),
            source: error,
        }
    }

    /// An error of `kind` (for the retry policy's tests).
    #[cfg(test)]
    pub(crate) fn of_kind(kind: TransportKind) -> Self {
        let source = reqwest::Client::new()
            .get("not a url")
            .build()
            .expect_err("an invalid URL");
        Self {
            kind,
            message: String::new(),
            source,
        }
    }

    /// Where it failed.
    pub fn kind(&self) -> TransportKind {
        self.kind
    }

    /// Whether the client's timeout ran out.
    pub fn is_timeout(&self) -> bool {
        self.kind == TransportKind::Timeout
    }

    /// Whether no connection could be made (so nothing was sent).
    pub fn is_connect(&self) -> bool {
        self.kind == TransportKind::Connect
    }
}

/// The kind of a reqwest failure, from its own flags and the hyper and I/O
/// errors in its chain of causes.
fn classify(error: &reqwest::Error) -> TransportKind {
    if error.is_timeout() {
        return TransportKind::Timeout;
    }
    if error.is_redirect() {
        return TransportKind::Redirect;
    }
    let (mut malformed, mut lost, mut invalid_data) = (false, false, false);
    let mut cause = std::error::Error::source(error);
    while let Some(inner) = cause {
        if let Some(hyper) = inner.downcast_ref::<hyper::Error>() {
            malformed |= hyper.is_parse();
            lost |= hyper.is_incomplete_message() || hyper.is_canceled();
        }
        if let Some(io) = inner.downcast_ref::<io::Error>() {
            match io.kind() {
                io::ErrorKind::ConnectionReset
                | io::ErrorKind::ConnectionAborted
                | io::ErrorKind::BrokenPipe
                | io::ErrorKind::NotConnected
                | io::ErrorKind::UnexpectedEof => lost = true,
                io::ErrorKind::InvalidData | io::ErrorKind::InvalidInput => invalid_data = true,
                _ => {}
            }
        }
        cause = match inner.downcast_ref::<io::Error>() {
            // An I/O error's `source` skips the error it wraps (hyper-rustls
            // wraps rustls' invalid-data error in another I/O error).
            Some(io) => io
                .get_ref()
                .map(|wrapped| wrapped as &(dyn std::error::Error + 'static))
                .or_else(|| inner.source()),
            None => inner.source(),
        };
    }
    let body = error.is_body() || error.is_decode();
    if error.is_connect() {
        // rustls reports a failed handshake as invalid data.
        if invalid_data {
            TransportKind::Tls
        } else {
            TransportKind::Connect
        }
    } else if malformed {
        TransportKind::MalformedReply
    } else if lost {
        if body {
            TransportKind::Body
        } else {
            TransportKind::ConnectionLost
        }
    } else if body && invalid_data {
        // A broken chunk size or trailer.
        TransportKind::MalformedReply
    } else {
        TransportKind::Other
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
        write!(f, "{}: {}", self.kind.summary(), self.message)
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
