//! [`Error`]: what every operation, login and page of a list can fail with.
//!
//! Every variant holds a type of this crate; none of them shows a password
//! or token, and their `Display` and `Debug` are bounded in size whatever
//! the server sent (see `scrub.rs`). Nor do they quote a reply's body: a
//! decode error says where and what, an unexpected status its status; the
//! body's start is kept apart, in `excerpt()` (never for login and token
//! replies). The client's log lines use `Error::for_log`.

mod api;
mod decode;
pub(crate) mod scrub;
mod transport;

use std::fmt;
use std::time::Duration;

use reqwest::StatusCode;

pub use self::api::{ApiError, StatusError};
pub use self::decode::DecodeError;
pub use self::transport::{TransportError, TransportKind};
use crate::auth::AuthError;
use crate::types::ErrorEnvelope;

/// The error of every operation.
///
/// ```no_run
/// # #[cfg(feature = "customers")]
/// # async fn demo(client: carecloud_api::EnterpriseClient) {
/// use carecloud_api::Error;
///
/// match client.get_customer("8ea6abece4cd0a4ded0a29f093").send().await {
///     Ok(customer) => println!("{:?}", customer.data.personal_information),
///     Err(Error::Api(e)) if e.status() == 404 => println!("no such customer"),
///     Err(Error::Auth(e)) => eprintln!("check the API user: {e}"),
///     Err(e) if e.is_retryable() => eprintln!("try again later: {e}"),
///     Err(e) => eprintln!("failed: {e}"),
/// }
/// # }
/// ```
///
/// Retries already happened inside the client when this is returned (see
/// [`RetryPolicy`](crate::RetryPolicy)); `is_retryable` says whether trying
/// again later could help.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The server refused the call with a documented error: an error status
    /// and its error envelope (`{"error": {...}}`).
    Api(ApiError),
    /// The client could not authenticate the call: the login or device token
    /// was refused, no token could be had, or the customer must log in again.
    Auth(AuthError),
    /// The request or its reply was lost on the way: no connection, a
    /// timeout, a reply cut off.
    Transport(TransportError),
    /// A success reply whose body is not the documented JSON (or is larger
    /// than the client accepts).
    Decode(DecodeError),
    /// A status the API does not document in this form: an error status
    /// without the error envelope (a proxy's HTML page, an empty 503), or a
    /// 1xx/3xx.
    UnexpectedStatus(StatusError),
    /// The request was not sent: a parameter value does not convert, a
    /// required parameter or body is missing, a value cannot go in a URL or
    /// header. The text names the operation and the parameter.
    InvalidRequest(String),
}

impl Error {
    /// The HTTP status of the reply, if one came (for [`Error::Auth`]: of
    /// the refused login or token request).
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(e) => Some(e.status()),
            Error::UnexpectedStatus(e) => Some(e.status()),
            Error::Decode(e) => Some(e.status()),
            Error::Auth(e) => e.status().and_then(|s| StatusCode::from_u16(s).ok()),
            Error::Transport(_) | Error::InvalidRequest(_) => None,
        }
    }

    /// The server's error envelope, for [`Error::Api`].
    pub fn envelope(&self) -> Option<&ErrorEnvelope> {
        match self {
            Error::Api(e) => Some(e.envelope()),
            _ => None,
        }
    }

    /// The authentication failure, for [`Error::Auth`].
    pub fn as_auth(&self) -> Option<&AuthError> {
        match self {
            Error::Auth(e) => Some(e),
            _ => None,
        }
    }

    /// Whether the same call could succeed if tried again later: a 408,
    /// 429, 502, 503 or 504, a connection that could not be made or was
    /// lost, a timeout, a reply cut off, or a token that could not be had
    /// for one of these reasons (see [`TransportKind::is_transient`]). (The
    /// client has already retried what it safely could.)
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Api(e) => retryable_status(e.status()),
            Error::UnexpectedStatus(e) => retryable_status(e.status()),
            Error::Transport(e) => e.kind().is_transient(),
            Error::Auth(e) => e.is_transient(),
            Error::Decode(_) | Error::InvalidRequest(_) => false,
        }
    }

    /// How long the server asked the client to wait (`Retry-After`), if it
    /// did.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::Api(e) => e.retry_after(),
            Error::UnexpectedStatus(e) => e.retry_after(),
            _ => None,
        }
    }
}

impl Error {
    /// What the client's own log lines say about the error: its `Display`,
    /// except that a documented error reply shows its status and exception
    /// alone, and an authentication failure its kind and status alone
    /// (their messages are the server's words).
    pub(crate) fn for_log(&self) -> LogLine<'_> {
        LogLine(self)
    }

    /// What the reply said, for a log that opted in to reply excerpts: a
    /// decode error's or unexpected status's excerpt, an error envelope's
    /// title and detail (scrubbed and capped already).
    pub(crate) fn reply_excerpt(&self) -> Option<String> {
        let text = match self {
            Error::Decode(e) => e.excerpt().to_owned(),
            Error::UnexpectedStatus(e) => e.excerpt().to_owned(),
            Error::Api(e) => e.messages().collect::<Vec<_>>().join(": "),
            _ => String::new(),
        };
        (!text.is_empty()).then_some(text)
    }
}

/// See [`Error::for_log`].
pub(crate) struct LogLine<'a>(&'a Error);

impl fmt::Display for LogLine<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Error::Api(e) => {
                write!(f, "the server answered {}", e.status())?;
                match e.exception().filter(|code| is_code(code)) {
                    Some(code) => write!(f, " ({code})"),
                    None => Ok(()),
                }
            }
            Error::Auth(e) => e.summary().fmt(f),
            other => other.fmt(f),
        }
    }
}

/// Whether `text` reads like a machine-readable code
/// (`missing_argument_exception`), not a message that may quote data.
fn is_code(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 64
        && text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// The statuses after which the same request may succeed later.
pub(crate) fn retryable_status(status: StatusCode) -> bool {
    matches!(status.as_u16(), 408 | 429 | 502 | 503 | 504)
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(e) => e.fmt(f),
            Error::Auth(e) => e.fmt(f),
            Error::Transport(e) => e.fmt(f),
            Error::Decode(e) => e.fmt(f),
            Error::UnexpectedStatus(e) => e.fmt(f),
            Error::InvalidRequest(text) => write!(f, "invalid request: {text}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport(e) => Some(e),
            Error::Auth(e) => Some(e),
            _ => None,
        }
    }
}

impl From<AuthError> for Error {
    fn from(error: AuthError) -> Self {
        Error::Auth(error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn is_a_small_thread_safe_std_error() {
        fn check<E: std::error::Error + Send + Sync + 'static>() {}
        check::<Error>();
        // Returned by every call: kept small enough not to bloat `Result`.
        assert!(
            std::mem::size_of::<Error>() <= 128,
            "{}",
            std::mem::size_of::<Error>()
        );
    }

    #[test]
    fn accessors_read_through_the_variants() {
        let auth = Error::from(AuthError::unavailable("vault down"));
        assert!(auth.as_auth().is_some() && auth.status().is_none());
        assert!(
            !auth.is_retryable(),
            "a failing credential source is not transient"
        );
        let invalid = Error::InvalidRequest("`customer_id` is required".into());
        assert_eq!(
            invalid.to_string(),
            "invalid request: `customer_id` is required"
        );
        assert!(invalid.envelope().is_none() && invalid.retry_after().is_none());
        for code in [408, 429, 502, 503, 504] {
            assert!(retryable_status(StatusCode::from_u16(code).unwrap()));
        }
        for code in [400, 401, 404, 500] {
            assert!(!retryable_status(StatusCode::from_u16(code).unwrap()));
        }
    }

    #[test]
    fn only_passing_transport_failures_are_retryable() {
        for kind in [
            TransportKind::Connect,
            TransportKind::Timeout,
            TransportKind::ConnectionLost,
            TransportKind::Body,
        ] {
            assert!(Error::Transport(TransportError::of_kind(kind)).is_retryable());
        }
        for kind in [
            TransportKind::MalformedReply,
            TransportKind::Redirect,
            TransportKind::Tls,
            TransportKind::Other,
        ] {
            assert!(!Error::Transport(TransportError::of_kind(kind)).is_retryable());
        }
    }

    #[test]
    fn log_lines_leave_out_the_servers_words() {
        let scrub = scrub::Scrub::default();
        let body = br#"{"error":{"exception":"bad_request_exception","title":"Jana Novakova exists","detail":"jana@example.com"}}"#;
        let api = Error::Api(
            ApiError::parse(StatusCode::BAD_REQUEST, &Default::default(), body, &scrub).unwrap(),
        );
        assert_eq!(
            api.for_log().to_string(),
            "the server answered 400 Bad Request (bad_request_exception)"
        );
        // Display shows the exception and the title; the detail, which may
        // quote the record, only through `detail()`.
        assert_eq!(
            api.to_string(),
            "the server answered 400 Bad Request (bad_request_exception): Jana Novakova exists"
        );
        assert!(!format!("{api:?}").contains("jana@example.com"));
        let Error::Api(inner) = &api else {
            unreachable!()
        };
        assert_eq!(inner.detail().as_deref(), Some("jana@example.com"));
        assert_eq!(
            api.reply_excerpt().as_deref(),
            Some("Jana Novakova exists: jana@example.com")
        );
        let auth = Error::Auth(AuthError::new(
            crate::auth::AuthErrorKind::LoginRejected,
            Some(401),
            "Jana Novakova is blocked",
        ));
        assert_eq!(
            auth.for_log().to_string(),
            "the server rejected the API user login (HTTP 401)"
        );
        let invalid = Error::InvalidRequest("`x` is required".into());
        assert_eq!(invalid.for_log().to_string(), invalid.to_string());
        assert_eq!(invalid.reply_excerpt(), None);
    }
}
