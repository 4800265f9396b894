//! Exit codes, and the failure that carries one to `main`.

use carecloud_api::Error;
use serde_json::Value;

/// Success.
pub(crate) const EXIT_OK: u8 = 0;
/// The server refused the call (an error status and its envelope).
pub(crate) const EXIT_API: u8 = 1;
/// Usage or configuration error: nothing was sent.
pub(crate) const EXIT_USAGE: u8 = 2;
/// Authentication failed (login or device token refused).
pub(crate) const EXIT_AUTH: u8 = 3;
/// The request or its reply was lost on the way.
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

impl From<Error> for Failure {
    fn from(err: Error) -> Self {
        let (code, envelope) = match &err {
            Error::Api(e) => (EXIT_API, serde_json::to_value(e.envelope()).ok()),
            Error::Auth(_) => (EXIT_AUTH, None),
            Error::Transport(_) => (EXIT_TRANSPORT, None),
            Error::InvalidRequest(_) => (EXIT_USAGE, None),
            _ => (EXIT_API, None),
        };
        Self {
            code,
            message: err.to_string(),
            envelope,
        }
    }
}
