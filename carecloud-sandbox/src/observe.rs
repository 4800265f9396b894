//! Observers: functions a test installs with [`Sandbox::observe`] that see
//! every request the sandbox handles and its answer, as an [`Exchange`].
//! The sandbox's own tests use one to validate every body it accepts and
//! every reply it sends against the spec's JSON Schema.
//!
//! An observer runs on the server's task after the answer is made and
//! before it is sent, outside the sandbox's lock; it cannot change the
//! answer. It should not block for long: the client waits for the reply.
//!
//! [`Sandbox::observe`]: crate::Sandbox::observe

use std::sync::Arc;

use axum::body::Body;
use axum::response::Response;
use carecloud_api::{Interface, Operation};

use crate::Sandbox;

/// One request the sandbox handled and the answer it gave.
///
/// The bodies are exactly as received and sent, secrets included (a
/// login's password, a new token): keep them out of output. Its `Debug`
/// shows their lengths only.
#[derive(Clone, Copy)]
#[non_exhaustive]
pub struct Exchange<'a> {
    /// The interface the path was under (`None`: neither).
    pub interface: Option<Interface>,
    /// The operation matched (`None`: no operation of the interface has
    /// that method and path; the answer is then a 403, 404 or 405).
    pub operation: Option<&'static Operation>,
    /// The HTTP method.
    pub method: &'a str,
    /// The path below the interface's base path (the full path if none).
    pub path: &'a str,
    /// The request body (empty if none).
    pub request_body: &'a [u8],
    /// The status answered.
    pub status: u16,
    /// The reply body (empty if none).
    pub reply_body: &'a [u8],
    /// Whether the answer was an injected [`Fault`](crate::Fault) rather
    /// than the sandbox serving the request.
    pub injected: bool,
}

impl std::fmt::Debug for Exchange<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Exchange")
            .field("interface", &self.interface)
            .field("operation", &self.operation.map(|op| op.name))
            .field("method", &self.method)
            .field("path", &self.path)
            .field(
                "request_body",
                &format_args!("<{} bytes>", self.request_body.len()),
            )
            .field("status", &self.status)
            .field(
                "reply_body",
                &format_args!("<{} bytes>", self.reply_body.len()),
            )
            .field("injected", &self.injected)
            .finish()
    }
}

/// An installed observer.
pub(crate) type Observer = Arc<dyn Fn(&Exchange<'_>) + Send + Sync>;

impl Sandbox {
    /// Calls `observer` with every request the sandbox handles from now on
    /// and its answer (see [`Exchange`]), before the answer is sent; several
    /// observers are called in the order they were installed. For tests:
    /// checking every body and reply, counting, recording.
    pub fn observe(&self, observer: impl Fn(&Exchange<'_>) + Send + Sync + 'static) {
        self.shared.observers().push(Arc::new(observer));
    }
}

/// Shows `response` to each of `observers`, as `request` (an [`Exchange`]
/// whose `status` and `reply_body` are filled in here), and gives it back
/// to be sent (its body read whole; the sandbox's bodies are small and
/// complete).
pub(crate) async fn show(
    observers: &[Observer],
    request: Exchange<'_>,
    response: Response,
) -> Response {
    let (parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    let exchange = Exchange {
        status: parts.status.as_u16(),
        reply_body: &bytes,
        ..request
    };
    for observer in observers {
        observer(&exchange);
    }
    Response::from_parts(parts, Body::from(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_shows_body_lengths_only() {
        let exchange = Exchange {
            interface: Some(Interface::Enterprise),
            operation: None,
            method: "POST",
            path: "/users/actions/login",
            request_body: br#"{"password":"hunter2"}"#,
            status: 200,
            reply_body: br#"{"data":{"bearer_token":"t0k3n"}}"#,
            injected: false,
        };
        let debug = format!("{exchange:?}");
        assert!(debug.contains("request_body: <22 bytes>"), "{debug}");
        assert!(
            !debug.contains("hunter2") && !debug.contains("t0k3n"),
            "{debug}"
        );
    }
}
