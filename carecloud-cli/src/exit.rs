//! Exit codes, the failure that carries one to `main`, and the one line
//! that says what went wrong.

use carecloud_api::auth::{AuthError, AuthErrorKind};
use carecloud_api::error::{ApiError, TransportError, TransportKind};
use carecloud_api::{Error, Interface};
use serde_json::Value;

/// Success.
pub(crate) const EXIT_OK: u8 = 0;
/// The server refused the call (an error status and its envelope), or
/// answered what the client cannot use.
pub(crate) const EXIT_API: u8 = 1;
/// Usage or configuration error: nothing was sent.
pub(crate) const EXIT_USAGE: u8 = 2;
/// Authentication was refused or lost: a login or device token refused, a
/// customer's login lost with a replaced token.
pub(crate) const EXIT_AUTH: u8 = 3;
/// The request or its reply was lost on the way (no connection, a timeout,
/// a reply cut off), also while a token was being obtained.
pub(crate) const EXIT_TRANSPORT: u8 = 4;

/// A failure and its exit code.
pub(crate) struct Failure {
    pub(crate) code: u8,
    pub(crate) message: String,
    pub(crate) envelope: Option<Value>,
}

impl Failure {
    pub(crate) fn usage(message: impl Into<String>) -> Self {
        Self {
            code: EXIT_USAGE,
            message: message.into(),
            envelope: None,
        }
    }
}

/// Where a call went: the project URL and the interface (for what a token
/// request was for).
#[derive(Clone, Copy)]
pub(crate) struct Place<'a> {
    pub(crate) project_url: &'a str,
    pub(crate) interface: Interface,
}

impl From<Error> for Failure {
    fn from(err: Error) -> Self {
        failure(err, None)
    }
}

/// The failure of `err`, naming `place` (if known) when the server could
/// not be reached.
pub(crate) fn failure(err: Error, place: Option<Place<'_>>) -> Failure {
    let (code, message, envelope) = match &err {
        Error::Api(e) => (
            EXIT_API,
            api_message(e),
            serde_json::to_value(e.envelope()).ok(),
        ),
        Error::Auth(e) => match (e.kind(), e.transport_kind()) {
            (
                AuthErrorKind::LoginRejected
                | AuthErrorKind::DeviceTokenRejected
                | AuthErrorKind::CustomerLoginRequired,
                _,
            ) => (EXIT_AUTH, err.to_string(), None),
            (_, Some(kind)) => (EXIT_TRANSPORT, auth_transport_message(e, kind, place), None),
            _ => (EXIT_API, err.to_string(), None),
        },
        Error::Transport(e) => (EXIT_TRANSPORT, transport_message(e, place), None),
        Error::InvalidRequest(text) => (EXIT_USAGE, text.clone(), None),
        _ => (EXIT_API, err.to_string(), None),
    };
    Failure {
        code,
        message,
        envelope,
    }
}

/// `the server answered 404 Not Found: No customer with ID nope`: the
/// status, then the envelope's title unless the status already says it,
/// then its detail unless the title already says it.
fn api_message(e: &ApiError) -> String {
    let status = e.status();
    let mut message = format!("the server answered {status}");
    let error = &e.envelope().error;
    let reason = status.canonical_reason().unwrap_or_default();
    let mut said: Vec<&str> = vec![reason];
    for part in [error.title.as_deref(), error.detail.as_deref()]
        .into_iter()
        .flatten()
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        if said.iter().any(|s| s.eq_ignore_ascii_case(part)) {
            continue;
        }
        message.push_str(": ");
        message.push_str(part);
        said.push(part);
    }
    message
}

/// What went wrong on the way, in a few words.
fn what(kind: TransportKind) -> &'static str {
    match kind {
        TransportKind::Connect => "could not connect",
        TransportKind::Timeout => "no reply in time",
        TransportKind::Body => "the reply was cut off",
        _ => "the request failed",
    }
}

fn to(place: Option<Place<'_>>) -> String {
    place
        .map(|p| format!(" to {}", p.project_url))
        .unwrap_or_default()
}

/// `could not connect to http://…: Connection refused (os error 111)`: the
/// innermost cause only (the outer ones repeat `error` in other words).
fn transport_message(e: &TransportError, place: Option<Place<'_>>) -> String {
    let mut cause: &dyn std::error::Error = e;
    while let Some(inner) = cause.source() {
        cause = inner;
    }
    format!("{}{}: {cause}", what(e.kind()), to(place))
}

/// `could not connect to http://… to create a device token: Connection
/// refused (os error 111)`.
fn auth_transport_message(e: &AuthError, kind: TransportKind, place: Option<Place<'_>>) -> String {
    let purpose = match place.map(|p| p.interface) {
        Some(Interface::Enterprise) => " to log the API user in",
        Some(Interface::Customer) => " to create a device token",
        None => " to obtain a token",
    };
    // The library's message is the transport error's, its causes joined by
    // `: `; the innermost is the last.
    let cause = e.message().rsplit(": ").next().unwrap_or_default();
    format!("{}{}{purpose}: {cause}", what(kind), to(place))
}
